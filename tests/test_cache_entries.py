"""Cache entries as a run uses them: a warm run shows what a cold run shows, and a check of a
few notes of a large vault leaves the cache alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import generated_config, poison

from vaultbot import cache
from vaultbot.cli import main

NOTE = "See [[Absent]].\n"


def _vault(tmp_path: Path) -> Path:
    (tmp_path / ".obsidian").mkdir()
    generated_config(tmp_path)  # LK001 for [[Absent]]
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text(NOTE, encoding="utf-8")
    return tmp_path


LONG = "word " * 80 + "[[Absent]] " + "more " * 80 + "\n"  # a finding past the window's start


def test_a_warm_run_shows_what_a_cold_run_shows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache keeps no source lines: the text output and a baseline read them again."""
    vault = _vault(tmp_path)
    (vault / "long.md").write_text("café " + LONG, encoding="utf-8")
    monkeypatch.chdir(vault)
    outputs = []
    for extra in (["--no-cache"], [], []):  # cold, then filling the cache, then warm
        capsys.readouterr()
        main(["check", *extra, "--baseline", "b.json", "--write-baseline"])
        baseline = (vault / "b.json").read_text()
        main(["check", *extra])
        outputs.append((capsys.readouterr().out, baseline))
    assert outputs[0] == outputs[1] == outputs[2]
    text = outputs[2][0]
    assert "long.md:1:" in text and "[[Absent]]" in text and "word word" in text


def test_a_note_unreadable_after_its_check_shows_no_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from vaultbot.engine import Job, plan, run_cached

    vault = _vault(tmp_path)
    p = plan([vault], None, None, [], [], {})
    job = Job(p.vault, p.rules, vault)
    run_cached(job, p.notes, jobs=1)
    report = run_cached(job, p.notes, jobs=1)  # warm: no source windows yet
    assert [r.source for r in report.results] == [None, None]
    (vault / "b.md").unlink()
    report.load_sources()
    assert [(r.path, r.source) for r in report.results] == [("a.md", NOTE[:-1]), ("b.md", "")]


def test_a_few_notes_of_a_large_vault_leave_the_cache_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checking fewer notes than CACHE_MIN_SHARE of the vault's files (what the pre-commit
    hook passes) neither reads nor rewrites the vault's cache; checking more uses it."""
    from vaultbot.engine import CACHE_MIN_SHARE

    vault = _vault(tmp_path)
    (vault / "vaultbot.toml").write_text('profile = "generated"\n')  # LK001 for [[Absent]]
    many = int(1 / CACHE_MIN_SHARE) + 8
    for i in range(many):
        (vault / f"n{i}.md").write_text(f"Note {i}.\n", encoding="utf-8")
    monkeypatch.chdir(vault)
    assert main(["check", "--format", "concise"]) == 1
    (path,) = (vault / ".vaultbot_cache").glob("check-*" + cache.SUFFIX)
    poison(vault, "a.md")
    (vault / "new.md").write_text("New.\n")  # a run that writes the cache rewrites it whole
    poisoned = path.read_bytes()
    capsys.readouterr()
    assert main(["check", "--format", "concise", "a.md"]) == 1  # 1 of 41 files: not read
    out, err = capsys.readouterr()
    assert "a.md:1:5: LK001" in out and err == ""
    assert path.read_bytes() == poisoned  # nor written
    assert main(["check", "--format", "concise", "a.md", "b.md"]) == 1  # 2 of 41: read
    out, err = capsys.readouterr()
    assert "a.md" not in out and "b.md:1:5: LK001" in out and err == ""
    assert path.read_bytes() != poisoned
