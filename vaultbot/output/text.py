"""Default format: `path:line:col: CODE message`, the source line and a caret."""

from __future__ import annotations

import click

from vaultbot.engine import Report, Result
from vaultbot.output import summary
from vaultbot.output.concise import fix_mark
from vaultbot.output.safe import visible

_COLOURS = {"error": "red", "warning": "yellow", "info": "blue"}


def _caret(result: Result) -> str:
    source = visible(result.source)  # one character for one: the caret stays aligned
    width = max(len(str(result.line)), 2)
    start = result.column - 1
    end = result.end_column - 1 if result.end_line == result.line else len(source)
    end = max(end, start + 1)
    gutter = " " * width + " |"
    marker = " " * start + "^" * min(end - start, max(len(source) - start, 1))
    shown = source if len(source) <= 240 else source[:240] + "…"
    if len(marker) > 241:
        marker = marker[:241]
    return f"{gutter}\n{result.line:>{width}} | {shown}\n{gutter} {click.style(marker, fg='red')}"


def _help(result: Result) -> str:
    """ruff's `help:` line: what the fix does (and whether `vaultbot fix` applies it)."""
    if not result.fix:
        return ""
    title = visible(result.fix["title"]) or "a fix is available"
    unsafe = " (unsafe: `vaultbot fix --unsafe-fixes`)" if fix_mark(result) == "" else ""
    return f"{click.style('help:', fg='cyan', bold=True)} {title}{unsafe}\n"


def render(report: Report) -> str:
    out: list[str] = []
    for result in report.results:
        colour = _COLOURS.get(result.severity, "red")
        code = click.style(result.code, fg=colour, bold=True) + fix_mark(result)
        severity = click.style(f"{result.severity}:", fg=colour)
        location = click.style(f"{visible(result.path)}:{result.line}:{result.column}:", bold=True)
        out.append(
            f"{location} {code} {severity} {visible(result.message)}\n{_caret(result)}\n"
            + _help(result)
        )
    out.append(summary.check_line(report))
    return "\n".join(out)
