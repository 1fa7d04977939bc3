"""The plain git hook (`hooks/pre-commit`) and `vaultbot install-hook`, in real repositories."""

from __future__ import annotations

import os
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import generated_config
from gitrepo import git, git_env, make_repo, write

from vaultbot.cli import main
from vaultbot.errors import GitError
from vaultbot.git import hook_script, install_hook

ROOT = Path(__file__).resolve().parents[1]
DEFECT = "Here is the modified article with inserted backlinks:\n\nBody [[Target]].\n"


def commit(repo: Path, message: str, path: str | None = None) -> subprocess.CompletedProcess[str]:
    """`git commit`, with vaultbot's folder on PATH unless `path` replaces PATH."""
    env = git_env(repo.parent)
    env["PATH"] = path or f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    return subprocess.run(
        ["git", "commit", "-q", "-m", message], cwd=repo, env=env, capture_output=True, text=True
    )


#: A PATH with git and a shell but no vaultbot (a GUI client, or the venv not active).
BARE_PATH = os.pathsep.join(
    str(Path(shutil.which(tool) or "/usr/bin").parent) for tool in ("git", "sh")
)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = make_repo(tmp_path / "repo", {".obsidian/app.json": "{}", "Target.md": "# Target\n"})
    generated_config(tmp_path)  # beside the repository: a missing link is an error
    monkeypatch.chdir(repo)
    assert main(["install-hook"]) == 0
    return repo


def test_hook_is_the_shipped_script_recording_the_interpreter(repo: Path) -> None:
    installed = (repo / ".git" / "hooks" / "pre-commit").read_bytes()
    shipped = (ROOT / "hooks" / "pre-commit").read_bytes()
    assert shipped == (ROOT / "vaultbot" / "hooks" / "pre-commit").read_bytes()
    recorded = f"INSTALL_PYTHON={shlex.quote(sys.executable)}".encode()
    assert installed == shipped.replace(b"INSTALL_PYTHON=''", recorded)
    assert recorded in installed
    assert os.access(repo / ".git" / "hooks" / "pre-commit", os.X_OK)


def test_hook_runs_without_vaultbot_on_path(repo: Path) -> None:
    assert shutil.which("vaultbot", path=BARE_PATH) is None
    write(repo, {"bad.md": DEFECT})
    git(repo, "add", "-A")
    done = commit(repo, "bad", path=BARE_PATH)
    assert done.returncode == 1 and "bad.md:1:1: ED001" in done.stderr
    write(repo, {"bad.md": "Body [[Target]].\n"})
    git(repo, "add", "-A")
    assert commit(repo, "good", path=BARE_PATH).returncode == 0


def test_hook_falls_back_to_path_when_the_interpreter_is_gone(repo: Path) -> None:
    hook = repo / ".git" / "hooks" / "pre-commit"
    recorded = f"INSTALL_PYTHON={shlex.quote(sys.executable)}"
    hook.write_text(hook.read_text().replace(recorded, "INSTALL_PYTHON=/nonexistent/python"))
    write(repo, {"bad.md": DEFECT})
    git(repo, "add", "-A")
    done = commit(repo, "bad")  # vaultbot on PATH
    assert done.returncode == 1 and "bad.md:1:1: ED001" in done.stderr
    done = commit(repo, "bad", path=BARE_PATH)  # neither
    assert done.returncode == 1 and "install vaultbot" in done.stderr
    assert git(repo, "rev-list", "--count", "HEAD") == "1"


@pytest.mark.parametrize(
    "name",
    ["plain.md", "with space.md", "ünïcødé ノート.md", "-dash.md", 'say "hi".md',
     "back\\slash.md", "tab\there.md", "new\nline.md"],
)  # fmt: skip
def test_defective_note_blocks_the_commit(repo: Path, name: str) -> None:
    write(repo, {f"sub dir/{name}": DEFECT})
    git(repo, "add", "-A")
    done = commit(repo, "add a note")
    assert done.returncode == 1
    assert ":1:1: ED001" in done.stderr  # git shows hook output on stderr
    if name.isprintable():
        assert f"sub dir/{name}:1:1: ED001" in done.stderr
    assert git(repo, "rev-list", "--count", "HEAD") == "1"


def test_the_staged_version_is_checked_not_the_work_tree(repo: Path) -> None:
    write(repo, {"note.md": DEFECT})
    git(repo, "add", "note.md")
    write(repo, {"note.md": "Body [[Target]].\n"})  # cleaned, but not staged
    done = commit(repo, "bad staged")
    assert done.returncode == 1 and "note.md:1:1: ED001" in done.stderr
    git(repo, "add", "note.md")
    write(repo, {"note.md": DEFECT})  # clean staged, a defect left unstaged
    assert commit(repo, "good staged").returncode == 0
    assert git(repo, "show", "HEAD:note.md") == "Body [[Target]]."


def test_links_resolve_against_the_tree_as_committed(repo: Path) -> None:
    write(repo, {"Fresh.md": "# Fresh\n", "a.md": "[[Target]] [[Fresh]]\n"})
    git(repo, "add", "-A")
    (repo / "Fresh.md").unlink()  # added in the index: it exists for the commit
    git(repo, "rm", "-q", "--cached", "Target.md")  # deleted in the index: gone, though on disk
    done = commit(repo, "links")
    assert done.returncode == 1
    assert (
        "a.md:1:1: LK001 [link-target-missing] error: Link target 'Target' does not exist"
        in done.stderr
    )
    assert "Fresh" not in done.stderr
    git(repo, "add", "Target.md")
    assert commit(repo, "links").returncode == 0


def test_renamed_note_is_checked(repo: Path) -> None:
    write(repo, {"bad.md": DEFECT})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", "bad, skipping the hook")
    git(repo, "mv", "bad.md", "renamed bad.md")
    done = commit(repo, "rename")
    assert done.returncode == 1 and "renamed bad.md:1:1: ED001" in done.stderr


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
    assert hook.read_bytes() == hook_script(sys.executable)
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


def test_check_staged_outside_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.md").write_text("Body.\n")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--staged"]) == 2
    assert "not inside a git repository" in capsys.readouterr().err


def test_headings_of_targets_are_read_as_staged(repo: Path) -> None:
    write(
        repo,
        {"Target.md": "# Target\n\n## Staged heading\n", "a.md": "[[Target#Staged heading]]\n"},
    )
    git(repo, "add", "-A")
    write(repo, {"Target.md": "# Target\n"})  # the heading is gone from the work tree only
    done = commit(repo, "heading")
    assert done.returncode == 0, done.stderr


def test_vault_in_a_subfolder_of_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Links resolve within the vault (the folder with .obsidian/), not the whole repository.
    repo = make_repo(
        tmp_path / "repo",
        {
            "notes/.obsidian/app.json": "{}",
            "notes/Here.md": "# Here\n",
            "code/There.md": "# There\n",
        },
    )
    generated_config(tmp_path)
    monkeypatch.chdir(repo)
    assert main(["install-hook"]) == 0
    write(repo, {"notes/a.md": "[[Here]] [[There]]\n"})
    git(repo, "add", "-A")
    done = commit(repo, "links")
    assert done.returncode == 1
    assert "notes/a.md:1:10: LK001 [link-target-missing] error: Link target 'There'" in done.stderr
    assert "'Here'" not in done.stderr


def test_install_hook_from_another_folder_into_a_new_hooks_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A relative `core.hooksPath` whose folders do not exist yet is made below the work tree,
    whatever the current folder; the hook is executable by all, writable by its owner only."""
    repo = make_repo(tmp_path / "repo", {"a.md": "x\n"})
    git(repo, "config", "core.hooksPath", "tools/git/hooks")
    monkeypatch.chdir(tmp_path)
    target = install_hook(repo)
    assert target == repo / "tools" / "git" / "hooks" / "pre-commit"
    assert target.read_bytes() == hook_script(sys.executable)
    assert stat.S_IMODE(target.stat().st_mode) == 0o755
    assert not (tmp_path / "tools").exists()


def test_install_hook_keeps_another_hook_unless_forced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path / "repo", {"a.md": "x\n"})
    monkeypatch.chdir(tmp_path)  # not in a repository: nothing can reach this one's hooks
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho mine\n")
    with pytest.raises(GitError, match="exists and is not vaultbot's hook"):
        install_hook(repo)
    assert hook.read_text() == "#!/bin/sh\necho mine\n"
    assert install_hook(repo, force=True) == hook
    assert hook.read_bytes() == hook_script(sys.executable)


def test_the_text_output_shows_the_staged_line(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A check keeps no source lines and reads them again to show them: from the index,
    when that is what was checked."""
    write(repo, {"note.md": DEFECT})
    git(repo, "add", "note.md")
    write(repo, {"note.md": "Unstaged words here, long enough to differ.\n" + DEFECT[55:]})
    capsys.readouterr()
    assert main(["check", "--staged", "note.md"]) == 1
    out = capsys.readouterr().out
    assert "note.md:1:1: ED001" in out
    assert " 1 | Here is the modified article with inserted backlinks:" in out
    assert "Unstaged" not in out


#: A repository holding two vaults and a note of its own: each note's links resolve in its
#: own vault (where Obsidian opens it), never in the other vault.
TWO_VAULTS = {
    "Vault A/.obsidian/app.json": "{}",
    "Vault A/Only A.md": "# A\n",
    "Vault B/.obsidian/app.json": "{}",
    "Vault B/Only B.md": "# B\n",
}
LINKS = "[[Only A]] [[Only B]]\n"


def test_a_commit_to_two_vaults_checks_each_note_in_its_own_vault(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The staged notes lay in two vaults: the whole repository was taken for one vault, and
    a link from one vault to a note of the other resolved."""
    repo = make_repo(tmp_path / "repo", TWO_VAULTS)
    generated_config(tmp_path)
    monkeypatch.chdir(repo)
    assert main(["install-hook"]) == 0
    write(repo, {"Vault A/a.md": LINKS, "Vault B/b.md": LINKS})
    git(repo, "add", "-A")
    done = commit(repo, "links")
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if ": LK001 " in line]
    assert lines == [
        "Vault A/a.md:1:12: LK001 [link-target-missing] error: Link target 'Only B' does not exist",
        "Vault B/b.md:1:1: LK001 [link-target-missing] error: Link target 'Only A' does not exist",
    ]


def test_a_note_of_a_vault_inside_the_vault_is_checked_in_its_own_vault(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The repository is a vault holding another (`Other/.obsidian/`): pre-commit and
    `check` take the inner note's links in the inner vault, where `[[Target]]` does not
    exist. The plain hook took them in the outer vault and let the commit pass. The outer
    vault's notes see the inner one as a folder, as Obsidian opens it."""
    repo = make_repo(
        tmp_path / "repo",
        {".obsidian/app.json": "{}", "Target.md": "# T\n", "Other/.obsidian/app.json": "{}",
         "Other/Only Other.md": "# O\n"},
    )  # fmt: skip
    generated_config(tmp_path)
    monkeypatch.chdir(repo)
    assert main(["install-hook"]) == 0
    write(
        repo, {"a.md": "[[Target]] [[Only Other]]\n", "Other/b.md": "[[Target]] [[Only Other]]\n"}
    )
    git(repo, "add", "-A")
    done = commit(repo, "links")
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if ": LK001 " in line]
    assert lines == [
        "Other/b.md:1:1: LK001 [link-target-missing] error: Link target 'Target' does not exist"
    ], done.stderr  # the outer vault's a.md links into the inner one's folder: it resolves


def test_install_on_a_full_disk_leaves_no_cut_hook(tmp_path: Path) -> None:
    """A hook cut short (here after 20 bytes: `#!/bin/sh` and a comment) runs, checks nothing
    and lets every commit pass; the hook is written whole or not at all, and the error is one
    line."""
    import resource

    repo = make_repo(tmp_path / "repo", {"a.md": "x\n"})
    hook = repo / ".git" / "hooks" / "pre-commit"

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (20, 20))

    done = subprocess.run(
        [sys.executable, "-m", "vaultbot", "install-hook"],
        cwd=repo, capture_output=True, text=True, preexec_fn=limit,
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (
        2, f"vaultbot: error: {hook}: cannot write (File too large)\n"
    )  # fmt: skip
    assert not hook.exists()
    assert [p.name for p in hook.parent.iterdir() if p.name.startswith(".")] == []
