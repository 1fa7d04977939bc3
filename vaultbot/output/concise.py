"""One line a finding: `path:line:col: CODE [rule-name] message`."""

from __future__ import annotations

from vaultbot.engine import Report
from vaultbot.output import summary
from vaultbot.output.safe import visible


def render(report: Report) -> str:
    lines = [
        f"{visible(r.path)}:{r.line}:{r.column}: {r.code} [{r.rule}] {visible(r.message)}"
        for r in report.results
    ]
    lines.append(summary.check_line(report))
    return "\n".join(lines)
