"""`{"version": 1, "findings": [...], "summary": {...}}` (DESIGN.md §3)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from vaultbot.docs import rule_url
from vaultbot.engine import Report, Result

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
    yield f'],\n  "summary": {json.dumps(_summary(report), ensure_ascii=False)}\n}}'


def _summary(report: Report) -> dict[str, Any]:
    results = report.results
    return {
        "notes_checked": len(report.notes),
        "findings": len(results),
        "by_rule": dict(sorted(Counter(r.rule for r in results).items())),
        "by_severity": dict(sorted(Counter(r.severity for r in results).items())),
        "fixable": sum(1 for r in results if r.fix and r.fix["applicability"] == "safe"),
        "baselined": report.baselined,
        "errors": report.all_errors,
        "profile": report.profile.split(" ", 1)[0],
    }


def _finding() -> Callable[[Result], str]:
    """A function writing one finding as `json.dumps(ensure_ascii=False)` would, with the keys
    in `Result.to_json`'s order and its rule's `url` last: formatted directly, as a warm run
    writes the whole vault's findings (about 150,000 on 20,000 generated notes) and this takes
    half the time of `json.dumps` per finding. Rule names, codes, severities and applicabilities
    are vaultbot's own (plain ASCII); every other text goes through json's string encoder."""
    text = json.JSONEncoder(ensure_ascii=False).encode
    urls: dict[str, str] = {}
    paths: dict[str, str] = {}

    def url(rule: str) -> str:
        if rule not in urls:
            urls[rule] = text(rule_url(rule))
        return urls[rule]

    def path(name: str) -> str:
        if name not in paths:
            paths[name] = text(name)
        return paths[name]

    def finding(r: Result) -> str:
        fix = "null" if r.fix is None else _fix(r.fix, text)
        return (
            f'{{"path": {path(r.path)}, "line": {r.line}, "column": {r.column}, '
            f'"end_line": {r.end_line}, "end_column": {r.end_column}, "rule": "{r.rule}", '
            f'"code": "{r.code}", "severity": "{r.severity}", "message": {text(r.message)}, '
            f'"fix": {fix}, "url": {url(r.rule)}}}'
        )

    return finding


def _fix(fix: dict[str, Any], text: Callable[[str], str]) -> str:
    edits = ", ".join(
        f'{{"content": {text(e["content"])}, '
        f'"location": {{"line": {e["location"]["line"]}, "column": {e["location"]["column"]}}}, '
        f'"end_location": {{"line": {e["end_location"]["line"]}, '
        f'"column": {e["end_location"]["column"]}}}}}'
        for e in fix["edits"]
    )
    return (
        f'{{"applicability": "{fix["applicability"]}", "title": {text(fix["title"])}, '
        f'"edits": [{edits}]}}'
    )
