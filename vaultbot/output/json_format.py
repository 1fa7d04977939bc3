"""`{"version": 1, "findings": [...], "summary": {...}}` (DESIGN.md §3)."""

from __future__ import annotations

import functools
import json
from collections import Counter
from collections.abc import Callable, Iterator
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from operator import itemgetter
from typing import Any

from vaultbot.docs import rule_url
from vaultbot.engine import LinesReport, NoteReport, Report, Result, _new_result
from vaultbot.output.safe import json_escaped

#: Findings per piece of `chunks`.
CHUNK = 1000


def render(report: Report) -> str:
    """The document, one finding a line (json's C encoder only runs without `indent`)."""
    return "".join(chunks(report))


def chunks(report: Report) -> Iterator[str]:
    """`render`'s text in pieces of whole lines, written as they are made: the document of a
    large vault is big (70 MB for 150,000 findings) and is never held whole."""
    pieces: list[str] = []
    stream = Stream(pieces.append)
    for note in report.notes:
        stream.note(note)
        yield from pieces
        pieces.clear()
    stream.close(report)
    yield from pieces


class Stream:
    """Writes the document a note at a time, in pieces of whole lines of at least CHUNK
    findings (or the last), as `chunks` does; a check whose findings nothing else reads
    writes each note as it is finished (`release`), and holds only a piece's lines."""

    def __init__(self, write: Callable[[str], object]) -> None:
        self._write = write
        self._finding = _finding()
        self._group: list[str] = []
        self._size = 0
        self._last: str | None = None  # the last piece, written once it is known to be
        write('{\n  "version": 1,\n  "findings": [')

    def note(self, note: NoteReport) -> None:
        count = note.count
        if count:
            self._group.append(_note_text(note, self._finding))
            self._size += count
            if self._size >= CHUNK:
                self._flush()

    def finished(self, note: NoteReport) -> None:
        """Write a note as it is finished, and let go of its lines (`LinesReport.release`)."""
        self.note(note)
        if isinstance(note, LinesReport):
            note.release()

    def close(self, report: Report) -> None:
        """The rest of the document: the findings' last lines and the summary."""
        self._flush()
        if self._last is not None:
            self._write(f"{self._last}\n  ")
        summary = json_escaped(json.dumps(_summary(report), ensure_ascii=False))
        self._write(f'],\n  "summary": {summary}\n}}')

    def _flush(self) -> None:
        if self._group:
            self._write("\n" if self._last is None else f"{self._last},\n")
            self._last = f"    {_SEP.join(self._group)}"
            self._group, self._size = [], 0


#: Between two findings of the document.
_SEP = ",\n    "
#: Between two findings of `note_lines`' text, which leaves out their path (JSON text holds no
#: raw NUL: the string encoder escapes it).
_PATH = "\0"
_LINE = '{"line": '


def note_lines(results: list[Result]) -> str:
    """The findings of one note as the document writes them, but for the path each one starts
    with (`_PATH` stands for it and the separator before it). Made where the note is checked,
    in a worker, and kept in the cache, so that writing a large vault's document is joining
    text (`engine.LinesReport`)."""
    return _PATH.join(map(_rest(), results))


def from_lines(path: str, lines: str) -> list[Result]:
    """The findings `note_lines` wrote, of the note shown as `path`, with no source window."""
    if not lines:
        return []
    found = json.loads(f"[{_LINE}{lines.replace(_PATH, ', ' + _LINE)}]")
    return [_new_result((path, *_fields(f), None, 0, False)) for f in found]


#: The fields of a finding `from_lines` reads, in `Result`'s order.
_fields = itemgetter(*Result._fields[1:10])


def _note_text(note: NoteReport, finding: Callable[[Result], str]) -> str:
    lines = note.lines()
    if lines is None:
        return _SEP.join(map(finding, note.results))
    start = _start(note.path)  # type: ignore[attr-defined]  # a LinesReport
    return start + lines.replace(_PATH, _SEP + start)


def _summary(report: Report) -> dict[str, Any]:
    kinds = report.kinds()
    return {
        "notes_checked": report.checked,
        "findings": len(kinds),
        "by_rule": dict(sorted(Counter(rule for rule, _, _ in kinds).items())),
        "by_severity": dict(sorted(Counter(severity for _, severity, _ in kinds).items())),
        "fixable": sum(safe for _, _, safe in kinds),
        "baselined": report.baselined,
        "errors": report.all_errors,
        "profile": report.profile.split(" ", 1)[0],
    }


def _finding() -> Callable[[Result], str]:
    """A function writing one finding as `json.dumps(ensure_ascii=False)` would, with the keys
    in `Result.to_json`'s order and its rule's `url` last: formatted directly, as a warm run
    writes the whole vault's findings (about 150,000 on 20,000 generated notes) and this takes
    a third of the time of `json.dumps` per finding. Rule names, codes, severities and
    applicabilities are vaultbot's own (plain ASCII); every other text goes through json's
    string encoder. The parts a finding shares with others of its note or rule are written
    once. A name that is not UTF-8 keeps its bytes as `\\udcXX` escapes (`json_escaped`)."""
    starts: dict[str, str] = {}
    rest = _rest()

    def finding(r: Result) -> str:
        start = starts.get(r[0])
        if start is None:
            start = starts[r[0]] = _start(r[0])
        return start + rest(r)

    return finding


def _start(path: str) -> str:
    return f'{{"path": {_text(path)}, "line": '


@functools.cache
def _rest() -> Callable[[Result], str]:
    """A function writing one finding from its line on (`_finding`), made once a process."""
    middles: dict[tuple[str, str, str], str] = {}
    ends: dict[str, str] = {}

    def rest(r: Result) -> str:
        # unpacked at once: each attribute read of a named tuple is a call
        _path, line, column, end_line, end_column, rule, code, severity, message, fix = r[:10]
        middle = middles.get((rule, code, severity))
        if middle is None:
            middle = middles[rule, code, severity] = (
                f'"rule": "{rule}", "code": "{code}", "severity": "{severity}", "message": '
            )
        end = ends.get(rule)
        if end is None:
            end = ends[rule] = f', "url": {_text(rule_url(rule))}}}'
        return (
            f'{line}, "column": {column}, "end_line": {end_line}, '
            f'"end_column": {end_column}, {middle}{_text(message)}, '
            f'"fix": {"null" if fix is None else _fix(fix)}{end}'
        )

    return rest


def _text(value: str) -> str:
    return json_escaped(encode_basestring(value))


def _fix(fix: dict[str, Any]) -> str:
    edits = ", ".join(map(_edit, fix["edits"]))
    return (
        f'{{"applicability": "{fix["applicability"]}", "title": {_text(fix["title"])}, '
        f'"edits": [{edits}]}}'
    )


def _edit(e: dict[str, Any]) -> str:
    start, end = e["location"], e["end_location"]
    return (
        f'{{"content": {_text(e["content"])}, '
        f'"location": {{"line": {start["line"]}, "column": {start["column"]}}}, '
        f'"end_location": {{"line": {end["line"]}, "column": {end["column"]}}}}}'
    )
