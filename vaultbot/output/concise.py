"""One line a finding: `path:line:col: CODE [rule-name] message`."""

from __future__ import annotations

from vaultbot.engine import Report, Result
from vaultbot.output import summary
from vaultbot.output.safe import visible


def line(r: Result) -> str:
    return f"{visible(r.path)}:{r.line}:{r.column}: {r.code} [{r.rule}] {visible(r.message)}"


def render(report: Report) -> str:
    lines = [line(r) for r in report.results]
    lines.append(summary.check_line(report))
    return "\n".join(lines)
