"""Findings cross from the worker processes to the parent as plain values."""

from __future__ import annotations

import pickle
from pathlib import Path

from vaultbot.engine import Job, plan, run

NOTE = (
    "---\ntitle: T\n---\n\nA claim "
    '<a class="yt-timestamp" data-t="00:01:02">[00:01:03]</a> and [[missing note]].\n'
)


def test_results_pickle_as_values_and_round_trip(tmp_path: Path) -> None:
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / "a.md").write_text(NOTE, encoding="utf-8")
    p = plan([tmp_path], None, None, [], [], {})
    report = run(Job(p.vault, p.rules, tmp_path), p.notes, jobs=1)
    results = report.results
    assert len(results) >= 2
    data = pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)
    assert b"end_column" not in data and b"severity" not in data  # no field names per finding
    assert pickle.loads(data) == results
