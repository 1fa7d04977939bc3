"""Shared fixtures: tiny vaults in temporary folders, and running the real CLI on them."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from vaultbot.cli import main

VaultFactory = Callable[[dict[str, str | bytes]], Path]


def write_vault(root: Path, files: dict[str, str | bytes]) -> Path:
    """Create a vault (with `.obsidian/`) holding `files` (text is written as UTF-8, as is)."""
    (root / ".obsidian").mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))
    return root


@pytest.fixture
def make_vault(tmp_path: Path) -> VaultFactory:
    def factory(files: dict[str, str | bytes]) -> Path:
        return write_vault(tmp_path / "vault", files)

    return factory


def check_json(
    vault: Path, *args: str, monkeypatch: pytest.MonkeyPatch | None = None, cache: bool = False
) -> tuple[int, dict[str, Any]]:
    """Run `vaultbot check --format json` from inside `vault`; return (exit code, document).

    Without `cache`, the run neither reads nor writes `.vaultbot_cache/` (fixture folders
    live in the repository)."""
    if not cache:
        args = ("--no-cache", *args)
    out = Path(tempfile.mkdtemp()) / "report.json"
    mp = monkeypatch or pytest.MonkeyPatch()
    with mp.context() as m:
        m.chdir(vault)
        code = main(["check", "--format", "json", "--output", str(out), *args])
    return code, json.loads(out.read_text(encoding="utf-8"))


def findings(vault: Path, *args: str) -> list[tuple[str, int, str]]:
    """(path, line, code) of every finding of a check over `vault`."""
    _, document = check_json(vault, *args)
    return [(f["path"], f["line"], f["code"]) for f in document["findings"]]


# -- pre-commit: one hook environment for the whole session ------------------------------------

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pre-commit store (PRE_COMMIT_HOME) for the session. pre-commit keys a hook
    environment by repository and rev, so vaultbot is installed into it once, not per test
    (`pre-commit try-repo` would build a new store, and environment, every run)."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="session")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This work tree as a repository pre-commit can install from: its tracked and untracked
    (not ignored) files in one commit, tagged `v<version>` as a release is."""
    from gitrepo import git

    from vaultbot import __version__

    snapshot = tmp_path_factory.mktemp("hooks-repo") / "vaultbot"
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout  # fmt: skip
    for name in filter(None, listed.decode().split("\0")):
        source, target = ROOT / name, snapshot / name
        if source.is_symlink() or source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target, follow_symlinks=False)
    git(snapshot, "init", "-q", "-b", "main")
    git(snapshot, "add", "-A")
    git(snapshot, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "snapshot")
    git(snapshot, "tag", f"v{__version__}")
    return snapshot
