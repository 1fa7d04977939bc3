"""Findings cross from the worker processes to the parent as plain values."""

from __future__ import annotations

import json
import marshal
import pickle
from pathlib import Path

import pytest
from corpus_helpers import corpus_vault
from hypothesis import given, settings
from hypothesis import strategies as st

from vaultbot.engine import Job, LinesReport, Report, Result, kind, plan, run
from vaultbot.output import FORMATTERS
from vaultbot.output.json_format import from_lines, note_lines

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


def test_json_lines_round_trip_without_the_source_window(tmp_path: Path) -> None:
    """A cache entry (and a worker of a check written as JSON) holds a note's findings as the
    JSON output's lines: read back, they are the findings, but for the source window."""
    results = _report(tmp_path)
    lines = marshal.loads(marshal.dumps(note_lines(results)))  # as a cache file
    assert any(r.fix for r in results)  # a fix crosses too
    back = from_lines("a.md", lines)
    assert [r._replace(source=None, source_start=0, source_cut=False) for r in results] == back
    assert from_lines("a.md", note_lines([])) == []


@pytest.mark.slow
@pytest.mark.parametrize("corpus", ["tubegraph-dwarkesh", "tubegraph-more/hubermanlab"])
def test_every_finding_of_a_corpus_reads_back_from_its_json_lines(corpus: str) -> None:
    vault = corpus_vault(corpus)
    p = plan([vault], None, None, [], [], {})
    report = run(Job(p.vault, p.rules, vault), p.notes, jobs=1)
    assert len(report.results) > 1000
    for note in report.notes:
        path = note.results[0].path if note.results else note.rel
        assert from_lines(path, note_lines(note.results)) == note.results  # no source windows


def test_a_report_of_lines_whose_findings_are_replaced_is_written_from_them(
    tmp_path: Path,
) -> None:
    """A baseline or a pull request's changed lines replace a note's findings: its JSON lines no
    longer stand, and the output and the counts follow the findings."""
    results = _report(tmp_path)
    note = LinesReport("a.md", "a.md", note_lines(results), [kind(r) for r in results])
    assert note.results == results and note.lines() is not None  # read back, still lines
    note.results = results[1:]
    assert note.lines() is None and note.count == len(results) - 1
    assert note.kinds() == [kind(r) for r in results[1:]]
    document = json.loads(FORMATTERS["json"](Report(notes=[note])))
    assert [f["code"] for f in document["findings"]] == [r.code for r in results[1:]]
    assert document["summary"]["findings"] == len(results) - 1


TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=20)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(TEXT, TEXT, TEXT, st.integers(1, 10**6), st.booleans()), min_size=1, max_size=5
    )
)
def test_any_text_reads_back_from_json_lines(found: list[tuple[str, str, str, int, bool]]) -> None:
    """Messages, fix titles and fix texts of any characters (NUL, controls, lone surrogates
    of names that are not UTF-8, the separators themselves) read back as they were."""
    results = [
        Result("n.md", line, 1, line, 2, "link-target-missing", "LK001", "error", message,
               {"applicability": "safe", "title": title, "edits": [
                   {"content": content, "location": {"line": line, "column": 1},
                    "end_location": {"line": line, "column": 2}}]} if fixed else None)
        for message, title, content, line, fixed in found
    ]  # fmt: skip
    lines = note_lines(results)
    assert lines.count("\0") == len(results) - 1
    assert from_lines("n.md", lines) == results
