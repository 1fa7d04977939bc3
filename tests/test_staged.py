"""`vaultbot.staged`: the vault as the next commit holds it, read from real git indexes.

The plain hook's tests (test_git_hook.py) run `git commit`, and so vaultbot in another process;
these call the module, and the CLI, in this one.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import generated_config, run
from gitrepo import git, git_env, make_repo, write

from vaultbot.errors import GitError
from vaultbot.staged import staged_root, staged_vault

DEFECT = "Here is the modified article with inserted backlinks:\n\nBody [[Target]].\n"


def staged(root: Path) -> tuple[list[str], dict[str, bytes], set[str]]:
    """(files, staged contents, notes to check) of the vault at `root` as staged."""
    vault, notes = staged_vault(root)
    assert vault.root == root
    return vault.files, vault.contents, notes


def test_the_index_decides_what_exists_and_what_a_note_holds(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {".obsidian/app.json": "{}", "Target.md": "# Target\n", "Old.md": "old\n",
         "R.md": "renamed\n"},
    )  # fmt: skip
    write(repo, {"a.md": "staged\n", "Fresh.md": "fresh\n", "img.png": "png", "UP.MD": "up\n",
                 "tab\there.md": "tab\n"})  # fmt: skip
    git(repo, "add", "a.md", "Fresh.md", "img.png", "UP.MD", "tab\there.md")
    write(repo, {"a.md": "work tree\n", "Target.md": "# Target, edited\n", "u.md": "untracked\n"})
    (repo / "Fresh.md").unlink()  # added to the index: it exists for the commit
    git(repo, "rm", "-q", "--cached", "Old.md")  # deleted in the index: gone, though on disk
    git(repo, "mv", "R.md", "S.md")
    files, contents, notes = staged(repo)
    assert files == sorted(
        [".obsidian/app.json", "Fresh.md", "S.md", "Target.md", "UP.MD", "a.md", "img.png",
         "tab\there.md", "u.md"]
    )  # fmt: skip
    assert contents == {
        "a.md": b"staged\n",
        "Fresh.md": b"fresh\n",
        "S.md": b"renamed\n",
        "UP.MD": b"up\n",
        "tab\there.md": b"tab\n",
        "Target.md": b"# Target\n",  # edited in the work tree only: read as staged
    }
    assert notes == {"a.md", "Fresh.md", "S.md", "UP.MD", "tab\there.md"}


def test_a_vault_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {"notes/.obsidian/app.json": "{}", "notes/Here.md": "# Here\n", "code/There.md": "x\n",
         "notesX/Near.md": "x\n"},
    )  # fmt: skip
    write(repo, {"notes/a.md": "a\n", "code/b.md": "b\n", "notesX/c.md": "c\n"})
    git(repo, "add", "-A")
    write(repo, {"notes/Here.md": "# Here, edited\n", "notes/u.md": "u\n", "code/v.md": "v\n"})
    files, contents, notes = staged(repo / "notes")
    assert files == [".obsidian/app.json", "Here.md", "a.md", "u.md"]
    assert contents == {"a.md": b"a\n", "Here.md": b"# Here\n"}
    assert notes == {"a.md"}


def test_a_repository_without_commits(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    write(repo, {".obsidian/app.json": "{}", "a.md": "a\n", "b.md": "b\n"})
    git(repo, "add", "a.md")
    assert staged(repo) == (["a.md", "b.md"], {"a.md": b"a\n"}, {"a.md"})


def test_blobs_of_any_size_and_content(tmp_path: Path) -> None:
    """One `git cat-file --batch` answer holds every blob: each is cut at its own size."""
    bodies = {
        "empty.md": b"",
        "blank.md": b"\n\n",
        "header-like.md": b"0123 blob 5\nabc\n",
        "no-newline.md": b"last",
        "latin1.md": b"caf\xe9\n",
        "big.md": b"line\n" * 30000,
    }
    repo = make_repo(tmp_path / "repo", {".obsidian/app.json": "{}"})
    for name, body in bodies.items():
        (repo / name).write_bytes(body)
    git(repo, "add", "-A")
    _, contents, notes = staged(repo)
    assert contents == bodies
    assert notes == set(bodies)


def test_unmerged_and_symlinked_notes_are_not_read_from_the_index(tmp_path: Path) -> None:
    """A note in conflict has no one staged version, and a symlink's blob is its target's
    name: both are read from disk."""
    repo = make_repo(tmp_path / "repo", {".obsidian/app.json": "{}", "x.md": "base\n"})
    git(repo, "checkout", "-q", "-b", "theirs")
    write(repo, {"x.md": "theirs\n"})
    git(repo, "commit", "-qam", "theirs")
    git(repo, "checkout", "-q", "main")
    write(repo, {"x.md": "ours\n"})
    git(repo, "commit", "-qam", "ours")
    merge = subprocess.run(
        ["git", "merge", "-q", "theirs"], cwd=repo, env=git_env(tmp_path), capture_output=True
    )
    assert merge.returncode == 1  # a conflict
    (repo / "link.md").symlink_to("x.md")
    write(repo, {"plain.md": "plain\n"})
    git(repo, "add", "link.md", "plain.md")
    files, contents, notes = staged(repo)
    assert {"x.md", "link.md", "plain.md"} <= set(files)
    assert contents == {"plain.md": b"plain\n"}
    assert notes == {"link.md", "plain.md"}


@pytest.mark.parametrize("object_id", ["missing", "a tree"])
def test_an_index_entry_that_is_no_blob(tmp_path: Path, object_id: str) -> None:
    repo = make_repo(tmp_path / "repo", {".obsidian/app.json": "{}"})
    sha = "12" * 20 if object_id == "missing" else git(repo, "rev-parse", "HEAD^{tree}")
    git(repo, "update-index", "--add", "--cacheinfo", f"100644,{sha},ghost.md")
    with pytest.raises(GitError) as raised:
        staged_vault(repo)
    assert str(raised.value) == "git cat-file: unexpected answer for ghost.md"


def test_a_broken_head(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {".obsidian/app.json": "{}"})
    (repo / ".git" / "refs" / "heads" / "main").write_text("12" * 20 + "\n")
    with pytest.raises(GitError, match=r"^git ls-tree failed: fatal: "):
        staged_vault(repo)


def test_outside_a_repository(tmp_path: Path) -> None:
    with pytest.raises(GitError) as raised:
        staged_vault(tmp_path)
    assert str(raised.value) == f"{tmp_path}: not inside a git repository"


def test_without_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo(tmp_path / "repo", {".obsidian/app.json": "{}"})
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))
    with pytest.raises(GitError) as raised:
        staged_vault(repo)
    assert str(raised.value) == f"{repo}: cannot run git (No such file or directory)"


# -- which vault: the folder with .obsidian/ holding every staged note ----------------------


@pytest.mark.parametrize(
    ("start", "staged_files", "expected"),
    [
        # the vaults: notes/ and notes/inner/ (nested), and area/v/
        ("", ["notes/a.md", "notes/sub/b.md", "image.png", "notes/UP.MD"], "notes"),
        ("", ["notes/inner/c.md"], "notes/inner"),  # the nearest vault
        ("", ["notes/a.md", "notes/inner/c.md"], ""),  # two vaults: the start
        ("", ["notes/a.md", "loose.md"], ""),  # a note in no vault: the start
        ("", ["image.png"], ""),  # no note staged
        ("", ["loose.md"], ""),  # a note in no vault
        ("", ["notes/a.md", "-gone.md"], "notes"),  # a note deleted: not one to check
        ("notes/deeper", ["notes/deeper/a.md"], "notes/deeper"),  # not above the start
        ("area", ["area/v/a.md", "elsewhere/b.md"], "area/v"),  # notes outside start: ignored
        ("notes", ["notes/a.md"], "notes"),  # the start is a vault itself
        ("notes", ["notes/inner/c.md"], "notes/inner"),  # ... holding a vault: the nearest
        ("notes", ["notes/a.md", "notes/inner/c.md"], "notes"),  # both: the start
    ],
)
def test_staged_root(tmp_path: Path, start: str, staged_files: list[str], expected: str) -> None:
    vaults = {f"{v}/.obsidian/app.json": "{}" for v in ("notes", "notes/inner", "area/v")}
    repo = make_repo(tmp_path / "repo", {**vaults, "gone.md": "deleted, not renamed\n"})
    added = [name for name in staged_files if not name.startswith("-")]
    write(repo, dict.fromkeys(added, "x\n"))
    git(repo, "add", *added)
    for name in staged_files:
        if name.startswith("-"):  # staged as deleted
            git(repo, "rm", "-q", name[1:])
    assert staged_root(repo / start) == repo / expected


def test_staged_root_of_a_vault_outside_git(tmp_path: Path) -> None:
    (tmp_path / ".obsidian").mkdir()
    assert staged_root(tmp_path) == tmp_path


# -- the CLI, in this process ------------------------------------------------------------


def test_check_staged_reports_the_staged_text_with_links_as_staged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {"notes/.obsidian/app.json": "{}", "notes/Target.md": "# T\n", "notes/Gone.md": "x\n",
         "code/There.md": "outside the vault\n"},
    )  # fmt: skip
    generated_config(tmp_path)
    write(
        repo, {"notes/a.md": DEFECT + "[[Gone]] [[Fresh]] [[There]]\n", "notes/Fresh.md": "# F\n"}
    )
    git(repo, "add", "-A")
    write(repo, {"notes/a.md": "clean in the work tree only\n", "notes/b.md": DEFECT})
    (repo / "notes" / "Fresh.md").unlink()
    git(repo, "rm", "-q", "--cached", "notes/Gone.md")
    code, out, err = run(repo, capsys, "check", "--staged", "--format", "concise")
    assert (code, err) == (1, "")
    assert [line.split(" [")[0] for line in out.splitlines() if line.startswith("notes/")] == [
        "notes/a.md:1:1: ED001",
        "notes/a.md:4:1: LK001",
        "notes/a.md:4:20: LK001",  # the vault is notes/, not the repository
    ]
    assert "'Gone'" in out and "'There'" in out


def test_names_that_are_not_utf8(tmp_path: Path) -> None:
    """A repository folder and a note named in Latin-1 bytes (as old archives are) are read
    as the file system names them."""
    repo = make_repo(tmp_path / os.fsdecode(b"r\xe9po"), {".obsidian/app.json": "{}"})
    name = os.fsdecode(b"caf\xe9.md")
    (repo / name).write_bytes(b"staged\n")
    git(repo, "add", "-A")
    files, contents, notes = staged(repo)
    assert (name in files, contents, notes) == (True, {name: b"staged\n"}, {name})


def test_check_staged_of_named_notes_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path / "repo", {".obsidian/app.json": "{}"})
    write(repo, {"a.md": DEFECT, "b.md": DEFECT})
    git(repo, "add", "-A")
    code, out, _ = run(repo, capsys, "check", "--staged", "--format", "concise", "a.md")
    assert code == 1
    assert {line.split(":")[0] for line in out.splitlines() if ".md:" in line} == {"a.md"}
