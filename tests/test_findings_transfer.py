"""Findings cross from the worker processes to the parent as plain values."""

from __future__ import annotations

import copy
import json
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

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
    rows = json.loads(json.dumps([r.to_cache() for r in results]))  # what a cache file gives
    Result.check_cached(rows)
    back = Result.from_cache("a.md", rows)
    assert [r._replace(source=None, source_start=0, source_cut=False) for r in results] == back
    assert all(r.source is None for r in back)
    assert Result.from_cache("a.md", []) == []


def _cached_with_fix(tmp_path: Path) -> list[Any]:
    return next(r.to_cache() for r in _report(tmp_path) if r.fix and r.fix["edits"])


def _edit(values: list[Any], change: Callable[[dict[str, Any]], None]) -> list[Any]:
    changed = copy.deepcopy(values)
    change(changed[_FIX]["edits"][0])
    return changed


_FIX = _CACHED.index("fix")
_LINE = _CACHED.index("line")


def test_cached_findings_are_checked_field_by_field(tmp_path: Path) -> None:
    good = _cached_with_fix(tmp_path)
    Result.check_cached(json.loads(json.dumps([good, good])))  # what a cache file gives back
    bad = [
        _edit(good, lambda e: e["location"].__setitem__("line", "1")),
        _edit(good, lambda e: e["location"].__setitem__("line", True)),
        _edit(good, lambda e: e["end_location"].__setitem__("column", -1)),
        _edit(good, lambda e: e["end_location"].__setitem__("column", 2**40)),
        _edit(good, lambda e: e["location"].pop("column")),
        _edit(good, lambda e: e.__setitem__("content", None)),
        _edit(good, lambda e: e.__setitem__("extra", 1)),
        [*good[:_LINE], True, *good[_LINE + 1 :]],  # a bool is not a line number
        [*good[:_LINE], 2**40, *good[_LINE + 1 :]],
        [*good[:_LINE], -1, *good[_LINE + 1 :]],
        [*good[:_FIX], [], *good[_FIX + 1 :]],
        good[:-1],
        [*good, None],
    ]
    for values in bad:
        with pytest.raises(ValueError):
            Result.check_cached([good, values])  # a bad row anywhere in the note's rows
    with pytest.raises(ValueError, match=r"^findings are not a list$"):
        Result.check_cached({"r": good})
    for rows in ([tuple(good)], good):
        with pytest.raises(ValueError, match=r"^a finding is not a list of its 8 fields$"):
            Result.check_cached(rows)
    severity = _CACHED.index("severity")
    every = [[*good[:severity], s, *good[severity + 1 :]] for s in ("error", "warning", "info")]
    Result.check_cached(every)  # every severity in one note's findings


def test_cached_fixes_are_checked_in_bulk(tmp_path: Path) -> None:
    good = _cached_with_fix(tmp_path)
    plain = [*good[:_FIX], None, *good[_FIX + 1 :]]

    def fix(change: Callable[[dict[str, Any]], None]) -> list[Any]:
        changed = copy.deepcopy(good)
        change(changed[_FIX])
        return changed

    Result.check_cached([plain, good, plain])
    bad = [
        (fix(lambda f: f.__setitem__("applicability", "maybe")), "a fix has a bad applicability"),
        (fix(lambda f: f.__setitem__("applicability", ["safe"])), "a fix has a bad applicability"),
        (fix(lambda f: f.__setitem__("title", None)), "a fix's title is not text"),
        (fix(lambda f: f.__setitem__("edits", {})), "a fix's edits are not a list"),
        (fix(lambda f: f.pop("title")), "a fix lacks its keys"),
        (fix(lambda f: f.__setitem__("more", 1)), "a fix lacks its keys"),
        (fix(lambda f: f["edits"].append([])), "an edit lacks its keys"),
        (fix(lambda f: f["edits"].append(None)), "an edit lacks its keys"),
        (fix(lambda f: f["edits"][0].__setitem__("content", 1)), "an edit's content is not text"),
        (
            fix(lambda f: f["edits"][0].__setitem__("location", [1, 2])),
            "an edit's location is malformed",
        ),
        (
            fix(lambda f: f["edits"][0]["end_location"].__setitem__("line", 1.5)),
            "an edit's location is malformed",
        ),
    ]
    for values, message in bad:
        with pytest.raises(ValueError, match=f"^{message}$"):
            Result.check_cached([plain, good, values])
    edit_less = fix(lambda f: f.__setitem__("edits", []))
    Result.check_cached([edit_less, plain])
    unsafe = fix(lambda f: f.__setitem__("applicability", "unsafe"))
    Result.check_cached([unsafe])
    Result.check_cached([good, unsafe])  # a safe and an unsafe fix in one note
