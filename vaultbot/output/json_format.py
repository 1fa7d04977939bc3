"""`{"version": 1, "findings": [...], "summary": {...}}` (DESIGN.md §3)."""

from __future__ import annotations

import json
from collections import Counter

from vaultbot.engine import Report


def render(report: Report) -> str:
    results = report.results
    document = {
        "version": 1,
        "findings": [r.to_json() for r in results],
        "summary": {
            "notes_checked": len(report.notes),
            "findings": len(results),
            "by_rule": dict(sorted(Counter(r.rule for r in results).items())),
            "by_severity": dict(sorted(Counter(r.severity for r in results).items())),
            "fixable": sum(1 for r in results if r.fix and r.fix["applicability"] == "safe"),
            "errors": report.all_errors,
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False)
