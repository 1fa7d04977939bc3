"""Cache entries are checked when used: a one-note check does not pay for the whole vault's
entries, and a malformed entry it uses still discards the cache with one warning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vaultbot.cli import main

NOTE = "See [[Absent]].\n"


def _vault(tmp_path: Path) -> Path:
    (tmp_path / ".obsidian").mkdir()
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text(NOTE, encoding="utf-8")
    return tmp_path


def _break_entry(vault: Path, rel: str) -> None:
    (path,) = (vault / ".vaultbot_cache").glob("check-*.json")
    document = json.loads(path.read_text())
    document["entries"][rel]["r"][0][0] = "not a line"
    path.write_text(json.dumps(document))


def test_only_the_entries_used_are_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = _vault(tmp_path)
    monkeypatch.chdir(vault)
    assert main(["check", "--format", "concise"]) == 1
    _break_entry(vault, "b.md")
    capsys.readouterr()
    assert main(["check", "--format", "concise", "a.md"]) == 1
    out, err = capsys.readouterr()
    assert "a.md:1:5: LK001" in out and err == ""
    assert main(["check", "--format", "concise", "b.md"]) == 1  # b's entry is used: discarded
    out, err = capsys.readouterr()
    assert "b.md:1:5: LK001" in out
    assert err.startswith("vaultbot: warning: .vaultbot_cache: ignoring a cache that has a")
    assert err.count("\n") == 1
    assert main(["check", "--format", "concise"]) == 1  # rewritten: quiet again
    assert capsys.readouterr().err == ""
