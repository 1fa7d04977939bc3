"""One line a finding: `path:line:col: CODE [*] [rule-name] severity: message` (`[*]`: a safe
fix is available, as in ruff)."""

from __future__ import annotations

from vaultbot.engine import Report, Result
from vaultbot.output import summary
from vaultbot.output.safe import visible


def line(r: Result) -> str:
    return (
        f"{visible(r.path)}:{r.line}:{r.column}: {r.code}{fix_mark(r)} [{r.rule}] "
        f"{r.severity}: {visible(r.message)}"
    )


def fix_mark(r: Result) -> str:
    """` [*]` for a finding `vaultbot fix` fixes (a safe fix), else nothing."""
    return " [*]" if r.fix and r.fix["applicability"] == "safe" else ""


def render(report: Report) -> str:
    lines = [line(r) for r in report.results]
    lines.append(summary.check_line(report))
    return "\n".join(lines)
