"""The plain git hook (`hooks/pre-commit`) and `vaultbot install-hook`, in real repositories."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from gitrepo import git, git_env, make_repo, write

from vaultbot.cli import main

ROOT = Path(__file__).resolve().parents[1]
DEFECT = "Here is the modified article with inserted backlinks:\n\nBody [[Target]].\n"


def commit(repo: Path, message: str) -> subprocess.CompletedProcess[str]:
    env = git_env(repo.parent)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    return subprocess.run(
        ["git", "commit", "-q", "-m", message], cwd=repo, env=env, capture_output=True, text=True
    )


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = make_repo(tmp_path / "repo", {".obsidian/app.json": "{}", "Target.md": "# Target\n"})
    monkeypatch.chdir(repo)
    assert main(["install-hook"]) == 0
    return repo


def test_hook_is_the_shipped_script(repo: Path) -> None:
    installed = repo / ".git" / "hooks" / "pre-commit"
    assert installed.read_bytes() == (ROOT / "hooks" / "pre-commit").read_bytes()
    assert os.access(installed, os.X_OK)


@pytest.mark.parametrize("name", ["plain.md", "with space.md", "ünïcødé ノート.md", "-dash.md"])
def test_defective_note_blocks_the_commit(repo: Path, name: str) -> None:
    write(repo, {f"sub dir/{name}": DEFECT})
    git(repo, "add", "-A")
    done = commit(repo, "add a note")
    assert done.returncode == 1
    assert f"sub dir/{name}:1:1: ED001" in done.stderr  # git shows hook output on stderr
    assert git(repo, "rev-list", "--count", "HEAD") == "1"


def test_clean_note_commits(repo: Path) -> None:
    write(repo, {"clean note.md": "Body [[Target]].\n", "image.png": "not a note"})
    git(repo, "add", "-A")
    done = commit(repo, "clean")
    assert done.returncode == 0, done.stdout + done.stderr
    assert git(repo, "rev-list", "--count", "HEAD") == "2"


def test_only_staged_notes_are_checked(repo: Path) -> None:
    write(repo, {"unstaged.md": DEFECT, "staged.md": "Body.\n"})
    git(repo, "add", "staged.md")
    assert commit(repo, "staged only").returncode == 0


def test_commit_deleting_notes_only_passes(repo: Path) -> None:
    git(repo, "rm", "-q", "Target.md")
    assert commit(repo, "remove").returncode == 0


def test_install_refuses_to_replace_another_hook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path / "other", {"a.md": "x\n"})
    monkeypatch.chdir(repo)
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho mine\n")
    assert main(["install-hook"]) == 2
    assert "exists and is not vaultbot's hook; use --force" in capsys.readouterr().err
    assert hook.read_text() == "#!/bin/sh\necho mine\n"
    assert main(["install-hook"]) == 2
    assert main(["install-hook", "--force"]) == 0
    assert hook.read_bytes() == (ROOT / "hooks" / "pre-commit").read_bytes()
    assert main(["install-hook"]) == 0  # reinstalling the same hook is fine


def test_install_honours_core_hooks_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo(tmp_path / "hp", {"a.md": "x\n"})
    git(repo, "config", "core.hooksPath", "githooks")
    monkeypatch.chdir(repo)
    assert main(["install-hook"]) == 0
    assert (repo / "githooks" / "pre-commit").is_file()


def test_install_outside_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["install-hook"]) == 2
