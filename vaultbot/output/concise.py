"""One line a finding: `path:line:col: CODE [rule-name] message`."""

from __future__ import annotations

from vaultbot.engine import Report
from vaultbot.output import summary


def render(report: Report) -> str:
    lines = [
        f"{r.path}:{r.line}:{r.column}: {r.code} [{r.rule}] {r.message}" for r in report.results
    ]
    lines.append(summary.check_line(report))
    return "\n".join(lines)
