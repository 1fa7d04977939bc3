"""Shared fixtures: tiny vaults in temporary folders, and running the real CLI on them."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from vaultbot.cli import main

#: Session guards: no test may write into the corpora or the repository.
pytest_plugins = ["_guards"]

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
