"""`{"version": 1, "findings": [...], "summary": {...}}` (DESIGN.md §3)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from operator import attrgetter
from typing import Any

from vaultbot.docs import rule_url
from vaultbot.engine import Report, Result
from vaultbot.output.safe import json_escaped

#: Findings per piece of `chunks`.
CHUNK = 1000


def render(report: Report) -> str:
    """The document, one finding a line (json's C encoder only runs without `indent`)."""
    return "".join(chunks(report))


def chunks(report: Report) -> Iterator[str]:
    """`render`'s text in pieces of whole lines, written as they are made: the document of a
    large vault is big (70 MB for 150,000 findings) and is never held whole."""
    results = report.results
    yield '{\n  "version": 1,\n  "findings": ['
    if results:
        yield "\n"
        finding = _finding()
        for start in range(0, len(results), CHUNK):
            end = start + CHUNK
            lines = ",\n    ".join(map(finding, results[start:end]))
            yield f"    {lines}{',' if end < len(results) else ''}\n"
        yield "  "
    yield f'],\n  "summary": {json_escaped(json.dumps(_summary(report), ensure_ascii=False))}\n}}'


def _summary(report: Report) -> dict[str, Any]:
    results = report.results
    fixes = [fix for fix in map(attrgetter("fix"), results) if fix]
    return {
        "notes_checked": len(report.notes),
        "findings": len(results),
        "by_rule": dict(sorted(Counter(map(attrgetter("rule"), results)).items())),
        "by_severity": dict(sorted(Counter(map(attrgetter("severity"), results)).items())),
        "fixable": sum(1 for fix in fixes if fix["applicability"] == "safe"),
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

    paths: dict[str, str] = {}
    middles: dict[tuple[str, str, str], str] = {}
    ends: dict[str, str] = {}

    def finding(r: Result) -> str:
        # unpacked at once: each attribute read of a named tuple is a call
        path, line, column, end_line, end_column, rule, code, severity, message, fix = r[:10]
        start = paths.get(path)
        if start is None:
            start = paths[path] = f'{{"path": {_text(path)}, "line": '
        middle = middles.get((rule, code, severity))
        if middle is None:
            middle = middles[rule, code, severity] = (
                f'"rule": "{rule}", "code": "{code}", "severity": "{severity}", "message": '
            )
        end = ends.get(rule)
        if end is None:
            end = ends[rule] = f', "url": {_text(rule_url(rule))}}}'
        return (
            f'{start}{line}, "column": {column}, "end_line": {end_line}, '
            f'"end_column": {end_column}, {middle}{_text(message)}, '
            f'"fix": {"null" if fix is None else _fix(fix)}{end}'
        )

    return finding


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
