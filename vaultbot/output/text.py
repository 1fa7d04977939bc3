"""Default format: `path:line:col: CODE message`, the source line and a caret."""

from __future__ import annotations

import click

from vaultbot.engine import Report, Result
from vaultbot.output import summary
from vaultbot.output.safe import visible

_COLOURS = {"error": "red", "warning": "yellow", "info": "blue"}


def _caret(result: Result) -> str:
    source = visible(result.source)  # one character for one: the caret stays aligned
    width = max(len(str(result.line)), 2)
    # Columns within the window of the line the result keeps (see engine.source_window).
    start = result.column - 1 - result.source_start
    multiline = result.end_line != result.line
    end = len(source) + 1 if multiline else result.end_column - 1 - result.source_start
    end = max(end, start + 1)
    gutter = " " * width + " |"
    lead = "…" if result.source_start else ""
    shown_width = len(source) + result.source_cut  # a caret may stand under the closing "…"
    marker = " " * (len(lead) + start) + "^" * min(end - start, max(shown_width - start, 1))
    shown = lead + source + ("…" if result.source_cut else "")
    return f"{gutter}\n{result.line:>{width}} | {shown}\n{gutter} {click.style(marker, fg='red')}"


def render(report: Report) -> str:
    out: list[str] = []
    for result in report.results:
        code = click.style(result.code, fg=_COLOURS.get(result.severity, "red"), bold=True)
        location = click.style(f"{visible(result.path)}:{result.line}:{result.column}:", bold=True)
        out.append(f"{location} {code} {visible(result.message)}\n{_caret(result)}\n")
    out.append(summary.check_line(report))
    return "\n".join(out)
