"""`vaultbot.git`: the lines a branch changed (real git), the base of a pull request, and the
bot's branch and commit.

What mutation testing found untested: new files under git-quoted names, deleted files, hunks of
one and of several lines, each source of the pull request's base, a user's `diff.renames`, the
exact errors, and the functions called from a folder other than the repository.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import generated_config
from gitrepo import git, git_env, make_repo, write

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


def test_outside_a_repository(tmp_path: Path) -> None:
    with pytest.raises(GitError) as raised:
        vgit.repo_at(tmp_path)
    assert str(raised.value) == f"{tmp_path}: not inside a git repository"


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
    generated_config(tmp_path)
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
    generated_config(tmp_path)
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
    err = capsys.readouterr().err.splitlines()
    assert "vaultbot: error: --changed-since auto: not running for a pull request" in err


def test_changed_since_from_outside_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from vaultbot.cli import main

    repo = make_repo(tmp_path / "repo", {".obsidian/app.json": "{}", "n.md": "x\n"})
    generated_config(tmp_path)
    git(repo, "checkout", "-q", "-b", "feature")
    write(repo, {"n.md": "x\n[[Gone]]\n", "m.md": "[[Lost]]\n"})
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "edit")
    monkeypatch.chdir(tmp_path)
    code = main(["check", "--no-cache", "--format", "concise", "--changed-since", "main", "repo"])
    out = capsys.readouterr().out
    assert code == 1
    assert sorted(line.split(" ")[0] for line in out.splitlines() if line.startswith("repo/")) == [
        "repo/m.md:1:1:", "repo/n.md:2:1:"
    ]  # fmt: skip


def test_changed_lines_whatever_the_users_config(tmp_path: Path) -> None:
    """A renamed and edited note counts its edited line only, not as a new note, even where
    `diff.renames` is off; colours, an external diff tool and `diff.noprefix` change nothing."""
    repo = make_repo(tmp_path / "repo", {"old name.md": BODY})
    for key, value in [("diff.renames", "false"), ("color.ui", "always"),
                       ("diff.external", "echo junk"), ("diff.noprefix", "true")]:  # fmt: skip
        git(repo, "config", key, value)
    git(repo, "checkout", "-q", "-b", "feature")
    git(repo, "mv", "old name.md", "new name.md")
    (repo / "new name.md").write_text(BODY.replace("line 4\n", "line four\n"))
    git(repo, "commit", "-qam", "rename")
    found = vgit.changed_lines(vgit.repo_at(repo), "main")
    assert found.lines == {"new name.md": {4}}
    assert found.added == set()


def test_unrelated_history(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"a.md": "x\n"})
    git(repo, "checkout", "-q", "--orphan", "other")
    git(repo, "commit", "-q", "-m", "unrelated")
    with pytest.raises(GitError) as raised:
        vgit.changed_lines(vgit.repo_at(repo), "main")
    assert str(raised.value) == "'main' and HEAD have no common history (is the checkout shallow?)"


def test_unknown_base_in_a_shallow_clone(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"a.md": "x\n"})
    base = git(repo, "rev-parse", "HEAD")
    write(repo, {"a.md": "y\n"})
    git(repo, "commit", "-qam", "second")
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)],
        check=True, env=git_env(tmp_path),
    )  # fmt: skip
    with pytest.raises(GitError) as raised:
        vgit.changed_lines(vgit.repo_at(shallow), base)
    assert str(raised.value) == (
        f"the base commit '{base}' is not in this repository. The checkout is shallow: fetch "
        "the history (actions/checkout with fetch-depth: 0)."
    )


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository, with the current folder outside it (not in any repository)."""
    repo = make_repo(tmp_path / "repo", {"a.md": "x\n", "b.md": "y\n"})
    outside = tmp_path / "outside"
    outside.mkdir()
    monkeypatch.chdir(outside)
    return repo


def test_committable_from_another_folder(elsewhere: Path) -> None:
    (elsewhere / ".gitignore").write_text("c.md\n")
    (elsewhere / "c.md").write_text("ignored\n")
    files = [elsewhere / "c.md", elsewhere / "a.md"]
    assert vgit.committable(elsewhere, files) == [elsewhere / "a.md"]


def test_start_branch_from_another_folder(elsewhere: Path) -> None:
    vgit.start_branch(elsewhere, "tidy")
    assert git(elsewhere, "branch", "--show-current") == "tidy"


def test_start_branch_refuses_an_untracked_file_by_default(elsewhere: Path) -> None:
    (elsewhere / "new.md").write_text("z\n")
    with pytest.raises(GitError) as raised:
        vgit.start_branch(elsewhere, "tidy")
    assert str(raised.value) == (
        "the work tree has uncommitted changes or untracked files; commit or stash them first, "
        "or pass --allow-dirty"
    )
    assert git(elsewhere, "branch", "--show-current") == "main"
    vgit.start_branch(elsewhere, "tidy", allow_dirty=True)
    assert git(elsewhere, "branch", "--show-current") == "tidy"


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("main", "branch 'main' already exists; choose another with --branch"),
        ("bad..name", "'bad..name' is not a valid branch name"),
    ],
)
def test_start_branch_refuses_a_name(elsewhere: Path, name: str, error: str) -> None:
    with pytest.raises(GitError) as raised:
        vgit.start_branch(elsewhere, name)
    assert str(raised.value) == error
    assert git(elsewhere, "branch", "--list") == "* main"


def test_committable_of_nothing(elsewhere: Path) -> None:
    assert vgit.committable(elsewhere, []) == []


def test_work_tree_edits_count(tmp_path: Path) -> None:
    """Changes not yet staged (a fix run before the commit) count as changed lines."""
    repo = make_repo(tmp_path / "repo", {"a.md": BODY})
    git(repo, "checkout", "-q", "-b", "feature")
    (repo / "a.md").write_text(BODY.replace("line 8\n", "line eight\n"))
    assert vgit.changed_lines(vgit.repo_at(repo), "main").lines == {"a.md": {8}}


def commit_fixes(repo: Path, *names: str) -> str | None:
    files = [repo / name for name in names]
    return vgit.commit_fixes(repo, files, "vaultbot: fix", "Bot", "bot@example.org")


def test_commit_fixes_commits_only_its_files_past_a_failing_hook(elsewhere: Path) -> None:
    """From another folder, with the user's own change staged and a pre-commit hook that
    refuses every commit: the bot's commit holds its files only, and the user's change stays
    staged."""
    hook = elsewhere / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nexit 1\n")
    hook.chmod(0o755)
    write(elsewhere, {"a.md": "fixed\n", "b.md": "the user's edit\n"})
    git(elsewhere, "add", "b.md")
    sha = commit_fixes(elsewhere, "a.md")
    assert sha == git(elsewhere, "rev-parse", "HEAD")
    assert git(elsewhere, "show", "--name-only", "--format=%an <%ae>|%cn", "HEAD").split("\n") == [
        "Bot <bot@example.org>|Bot", "", "a.md"
    ]  # fmt: skip
    assert git(elsewhere, "diff", "--cached", "--name-only") == "b.md"


def test_commit_fixes_with_nothing_changed(elsewhere: Path) -> None:
    """Files that match HEAD make no commit, even with another change staged."""
    write(elsewhere, {"b.md": "the user's edit\n"})
    git(elsewhere, "add", "b.md")
    head = git(elsewhere, "rev-parse", "HEAD")
    assert commit_fixes(elsewhere, "a.md") is None
    assert commit_fixes(elsewhere) is None
    assert git(elsewhere, "rev-parse", "HEAD") == head
    assert git(elsewhere, "diff", "--cached", "--name-only") == "b.md"


def test_commit_fixes_when_git_add_fails(elsewhere: Path) -> None:
    (elsewhere / ".git" / "index.lock").write_text("")  # another git process is running
    write(elsewhere, {"a.md": "fixed\n"})
    with pytest.raises(GitError) as raised:
        commit_fixes(elsewhere, "a.md")
    assert str(raised.value).startswith("git add failed: ")
    assert "index.lock" in str(raised.value)


# -- what the repository's attributes and config must not change ------------------------------


def write_bytes(repo: Path, files: dict[Any, bytes]) -> None:
    for rel, data in files.items():
        target = repo / os.fsdecode(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def pr_of(tmp_path: Path, base: dict[Any, bytes], head: dict[Any, bytes]) -> Path:
    """A repository whose `main` holds `base` and whose branch `feature` writes `head`."""
    repo = make_repo(tmp_path / "repo", {"seed.txt": "x\n"})
    write_bytes(repo, base)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    git(repo, "checkout", "-q", "-b", "feature")
    write_bytes(repo, head)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "edit")
    return repo


def test_notes_git_takes_for_binary_count_their_changed_lines(tmp_path: Path) -> None:
    """A note `.gitattributes` marks binary (or `-diff`), and one holding a NUL byte, which git
    guesses is binary: git's diff says only "Binary files differ", and their edited lines were
    never reported. Their lines are compared as text."""
    repo = pr_of(
        tmp_path,
        {".gitattributes": b"marked.md binary\nnodiff.md -diff\n", "marked.md": BODY.encode(),
         "nodiff.md": BODY.encode(), "nul.md": BODY.encode()},
        {"marked.md": BODY.replace("line 4\n", "line four\n").encode(),
         "nodiff.md": BODY.replace("line 6\n", "line six\n").encode(),
         "nul.md": BODY.replace("line 2\n", "line \0 two\n").encode()},
    )  # fmt: skip
    found = vgit.changed_lines(vgit.repo_at(repo), "main")
    assert found.lines == {"marked.md": {4}, "nodiff.md": {6}, "nul.md": {2}}


def test_changed_lines_whatever_the_diff_driver_and_hunk_context(tmp_path: Path) -> None:
    """A textconv filter (here one that drops the first two lines) numbers the lines of its
    own output, and `diff.interHunkContext` joins hunks across the unchanged lines between
    them: neither may decide which lines of the note count as changed."""
    repo = pr_of(
        tmp_path,
        {".gitattributes": b"*.md diff=shifted\n", "a.md": BODY.encode()},
        {"a.md": BODY.replace("line 3\n", "line three\n").replace("line 7\n", "7\n").encode()},
    )
    git(repo, "config", "diff.shifted.textconv", "sed 1,2d")
    git(repo, "config", "diff.interHunkContext", "10")
    found = vgit.changed_lines(vgit.repo_at(repo), "main")
    assert found.lines == {"a.md": {3, 7}}


def test_changed_lines_under_names_that_are_not_utf8(tmp_path: Path) -> None:
    """Names are bytes: one that is not UTF-8 comes out as the name the vault's walk gives it
    (`os.fsdecode`), not with U+FFFD in place of its byte, which matched no note."""
    repo = pr_of(
        tmp_path,
        {b"caf\xe9.md": BODY.encode()},
        {b"caf\xe9.md": BODY.replace("line 2\n", "two\n").encode(), b"d\xff/new.md": b"x\n"},
    )
    found = vgit.changed_lines(vgit.repo_at(repo), "main")
    assert found.lines == {os.fsdecode(b"caf\xe9.md"): {2}, os.fsdecode(b"d\xff/new.md"): {1}}
    assert found.added == {os.fsdecode(b"d\xff/new.md")}


def test_fix_commit_leaves_notes_of_a_submodule_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A submodule's notes belong to another repository: fixed in place like the notes git
    ignores, never added to the bot commit (`git check-ignore` and `git add` refuse a path in a
    submodule: the commit failed with a traceback)."""
    from vaultbot.cli import main

    sloppy = "# Note\n\n" + '<a class="yt-timestamp" data-t="00:5:52">[00:05:52]</a>\n'
    inner = make_repo(tmp_path / "inner", {"inner.md": sloppy})
    repo = make_repo(tmp_path / "repo", {".obsidian/app.json": "{}", "outer.md": sloppy})
    git(repo, "-c", "protocol.file.allow=always", "submodule", "-q", "add", str(inner), "modules")
    git(repo, "commit", "-qm", "submodule")
    monkeypatch.chdir(repo)
    assert main(["fix", "--commit"]) == 1
    out = capsys.readouterr().out
    assert "Committed" in out
    committed = git(repo, "show", "-z", "--name-only", "--format=", "HEAD").split("\0")
    assert list(filter(None, committed)) == ["outer.md"]
    assert git(repo, "status", "--porcelain") == "M modules"  # fixed in place, not committed
    assert "00:5:52" not in (repo / "modules" / "inner.md").read_text()


def test_fix_commit_of_notes_in_two_vaults_is_one_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Notes of two vaults of one repository (as pre-commit passes them): each fixed in its
    own vault (the second was refused as "not inside the vault root"), one bot commit."""
    from vaultbot.cli import main

    sloppy = "# Note\n\n" + '<a class="yt-timestamp" data-t="00:5:52">[00:05:52]</a>\n'
    repo = make_repo(
        tmp_path / "repo",
        {"A/.obsidian/app.json": "{}", "A/a.md": sloppy,
         "B/.obsidian/app.json": "{}", "B/b.md": sloppy},
    )  # fmt: skip
    monkeypatch.chdir(repo)
    assert main(["fix", "--commit", "A/a.md", "B/b.md"]) == 1
    assert "Committed" in capsys.readouterr().out
    committed = git(repo, "show", "-z", "--name-only", "--format=", "HEAD").split("\0")
    assert list(filter(None, committed)) == ["A/a.md", "B/b.md"]
    assert git(repo, "rev-list", "--count", "HEAD") == "2"


def test_commit_fixes_takes_names_literally(elsewhere: Path) -> None:
    """Notes named `[a].md` and `*.md` are names, not patterns: `git add` read them as globs
    and staged the user's unstaged edits of `a.md` and `b.md`."""
    write(elsewhere, {"[a].md": "fixed\n", "*.md": "fixed\n", ":(glob)b.md": "fixed\n"})
    write(elsewhere, {"a.md": "the user's draft\n", "b.md": "another draft\n"})
    sha = commit_fixes(elsewhere, "[a].md", "*.md", ":(glob)b.md")
    assert sha == git(elsewhere, "rev-parse", "HEAD")
    committed = git(elsewhere, "show", "-z", "--name-only", "--format=", "HEAD").split("\0")
    assert sorted(filter(None, committed)) == sorted(["[a].md", "*.md", ":(glob)b.md"])
    assert git(elsewhere, "diff", "--cached", "--name-only") == ""  # nothing else staged
    assert git(elsewhere, "diff", "--name-only").splitlines() == ["a.md", "b.md"]


def test_commit_fixes_of_more_names_than_a_command_line_holds(elsewhere: Path) -> None:
    """A cleanup commit of many notes with long paths (2.4 MB of names, past Linux's 2 MB
    ARG_MAX) went to `git add` and `git commit` as arguments: "Argument list too long"."""
    folder = "/".join(["a rather long folder name " * 9] * 14)  # 14 levels, 3.2 kB
    names = [f"{folder}/note {i}.md" for i in range(700)]
    write(elsewhere, dict.fromkeys(names, "fixed\n"))
    sha = commit_fixes(elsewhere, *names)
    assert sha == git(elsewhere, "rev-parse", "HEAD")
    committed = git(elsewhere, "show", "-z", "--name-only", "--format=", "HEAD").split("\0")
    assert sorted(filter(None, committed)) == sorted(names)


def test_changed_lines_whatever_the_pathspec_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only notes are compared (a pattern, `*.md`): a user's GIT_LITERAL_PATHSPECS or
    GIT_NOGLOB_PATHSPECS made it a name no file has, and no line changed."""
    repo = pr_of(tmp_path, {"a.md": BODY.encode()}, {"a.md": BODY.replace("line 2", "2").encode()})
    for variable in ("GIT_LITERAL_PATHSPECS", "GIT_NOGLOB_PATHSPECS"):
        with monkeypatch.context() as m:
            m.setenv(variable, "1")
            assert vgit.changed_lines(vgit.repo_at(repo), "main").lines == {"a.md": {2}}
