"""Findings cross from the worker processes to the parent as plain values."""

from __future__ import annotations

import marshal
import pickle
from pathlib import Path

from vaultbot.engine import _CACHED, Job, Result, plan, run

NOTE = (
    "---\ntitle: T\n---\n\nHere is the modified article:\n\nA claim "
    '<a class="yt-timestamp" data-t="00:01:02">[00:01:03]</a> and [[missing note]].\n'
)


def test_results_pickle_as_values_and_round_trip(tmp_path: Path) -> None:
    results = _report(tmp_path)
    assert len(results) >= 2
    data = pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)
    assert b"end_column" not in data and b"severity" not in data  # no field names per finding
    assert pickle.loads(data) == results


def _report(tmp_path: Path) -> list[Result]:
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / "a.md").write_text(NOTE, encoding="utf-8")
    p = plan([tmp_path], None, None, [], [], {})
    return run(Job(p.vault, p.rules, tmp_path), p.notes, jobs=1).results


def test_cache_rows_round_trip_without_the_source_window(tmp_path: Path) -> None:
    results = _report(tmp_path)
    rows = marshal.loads(marshal.dumps([r.to_cache() for r in results]))  # as a cache file
    assert any(row[_CACHED.index("fix")] for row in rows)  # a fix crosses too
    back = Result.from_cache("a.md", rows)
    assert [r._replace(source=None, source_start=0, source_cut=False) for r in results] == back
    assert all(r.source is None for r in back)
    assert Result.from_cache("a.md", []) == []
