"""`vaultbot.git`: the lines a branch changed (real git), and the base of a pull request.

What mutation testing found untested: new files under git-quoted names, deleted files, hunks of
one and of several lines, and each source of the pull request's base.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gitrepo import git, make_repo, write

from vaultbot import git as vgit
from vaultbot.errors import GitError

BODY = "".join(f"line {n}\n" for n in range(1, 11))


def changes(tmp_path: Path) -> vgit.Changes:
    repo = make_repo(
        tmp_path / "repo", {"a.md": BODY, "gone.md": "x\n", "b.md": BODY, "Old Topic.md": BODY}
    )
    git(repo, "checkout", "-q", "-b", "feature")
    (repo / "a.md").write_text(BODY.replace("line 3\n", "line three\n"))
    (repo / "b.md").write_text(BODY.replace("line 5\nline 6\n", "five\nsix\nsix and a half\n"))
    (repo / "gone.md").unlink()
    write(repo, {"notes/café.md": "new\nnote\n", "New Topic.md": "new\n", "Old Topic.md": "x\n"})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "edit")
    return vgit.changed_lines(vgit.repo_at(repo), "main")


def test_changed_lines_of_a_branch(tmp_path: Path) -> None:
    found = changes(tmp_path)
    assert found.base == git(tmp_path / "repo", "rev-parse", "main")
    assert found.lines["a.md"] == {3}  # a one-line hunk: `+3` without a count
    assert found.lines["b.md"] == {5, 6, 7}
    assert "gone.md" not in found.lines  # deleted: `+++ /dev/null`
    # new, under a name git quotes, and under a name with a space (git ends the line with a tab)
    assert found.added == {"notes/café.md", "New Topic.md"}
    assert found.lines["Old Topic.md"] == {1}
    assert found.touches("notes/café.md", 99)
    assert found.touches("a.md", 3) and not found.touches("a.md", 4)
    assert not found.touches("elsewhere.md", 1)


def test_unknown_base(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"a.md": "x\n"})
    with pytest.raises(GitError, match=r"^the base commit 'nope' is not in this repository\.$"):
        vgit.changed_lines(vgit.repo_at(repo), "nope")


def test_pull_request_base_from_the_event(tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"base": {"sha": "abc123"}}}))
    env = {"GITHUB_EVENT_PATH": str(event), "GITHUB_BASE_REF": "main"}
    assert vgit.pull_request_base(env) == "abc123"


@pytest.mark.parametrize(
    "event", [{"pull_request": {"base": {"sha": ""}}}, {"pull_request": {}}, {"push": {}}]
)
def test_pull_request_base_from_the_base_ref(tmp_path: Path, event: dict[str, object]) -> None:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event))
    assert vgit.pull_request_base({"GITHUB_EVENT_PATH": str(path), "GITHUB_BASE_REF": "dev"}) == (
        "origin/dev"
    )
    assert vgit.pull_request_base({"GITHUB_BASE_REF": "dev"}) == "origin/dev"


def test_no_pull_request(monkeypatch: pytest.MonkeyPatch) -> None:
    assert vgit.pull_request_base({}) is None
    assert vgit.pull_request_base({"GITHUB_BASE_REF": ""}) is None
    monkeypatch.setenv("GITHUB_BASE_REF", "from-the-environment")
    monkeypatch.delenv("GITHUB_EVENT_PATH", raising=False)
    assert vgit.pull_request_base() == "origin/from-the-environment"


def test_changed_since_reports_notes_with_spaces_in_their_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The user-visible side: in a pull request, a new or edited note named like most notes
    in Obsidian ("New Topic.md") is checked, not silently left out."""
    changes(tmp_path)
    repo = tmp_path / "repo"
    (repo / ".obsidian").mkdir()
    write(repo, {"New Topic.md": "[[Missing]]\n", "Old Topic.md": "x\n[[Lost]]\n"})
    git(repo, "commit", "-qam", "links")
    monkeypatch.chdir(repo)
    from conftest import check_json

    _, document = check_json(repo, "--changed-since", "main", monkeypatch=monkeypatch)
    found = {(f["path"], f["line"], f["code"]) for f in document["findings"]}
    assert found == {("New Topic.md", 1, "LK001"), ("Old Topic.md", 2, "LK001")}


def test_changed_since_with_the_vault_in_a_subfolder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Paths from git are relative to the repository; notes to the vault below it."""
    from conftest import check_json

    repo = make_repo(
        tmp_path / "repo",
        {"vault/.obsidian/app.json": "{}", "vault/n.md": "[[Gone]]\n", "n.md": "x\n"},
    )
    git(repo, "checkout", "-q", "-b", "feature")
    write(repo, {"vault/n.md": "[[Gone]]\n[[Lost]]\n", "n.md": "[[Away]]\n"})
    git(repo, "commit", "-qam", "edit")
    _, document = check_json(repo / "vault", "--changed-since", "main", monkeypatch=monkeypatch)
    assert [(f["path"], f["line"]) for f in document["findings"]] == [("n.md", 2)]


def test_changed_since_auto_outside_a_pull_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from vaultbot.cli import main

    repo = make_repo(tmp_path / "repo", {".obsidian/app.json": "{}", "n.md": "x\n"})
    monkeypatch.delenv("GITHUB_EVENT_PATH", raising=False)
    monkeypatch.delenv("GITHUB_BASE_REF", raising=False)
    monkeypatch.chdir(repo)
    assert main(["check", "--no-cache", "--changed-since", "auto"]) == 2
    assert "--changed-since auto: not running for a pull request" in capsys.readouterr().err
