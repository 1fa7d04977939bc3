"""`{"version": 1, "findings": [...], "summary": {...}}` (DESIGN.md §3)."""

from __future__ import annotations

import json
from collections import Counter

from vaultbot.docs import rule_url
from vaultbot.engine import Report


def render(report: Report) -> str:
    """The document, one finding a line (json's C encoder only runs without `indent`)."""
    results = report.results
    summary = {
        "notes_checked": len(report.notes),
        "findings": len(results),
        "by_rule": dict(sorted(Counter(r.rule for r in results).items())),
        "by_severity": dict(sorted(Counter(r.severity for r in results).items())),
        "fixable": sum(1 for r in results if r.fix and r.fix["applicability"] == "safe"),
        "baselined": report.baselined,
        "errors": report.all_errors,
        "profile": report.profile.split(" ", 1)[0],
    }
    findings = ",\n    ".join(
        json.dumps({**r.to_json(), "url": rule_url(r.rule)}, ensure_ascii=False) for r in results
    )
    return (
        '{\n  "version": 1,\n  "findings": ['
        + (f"\n    {findings}\n  " if findings else "")
        + f'],\n  "summary": {json.dumps(summary, ensure_ascii=False)}\n}}'
    )
