"""Default format: `path:line:col: CODE message`, the source line and a caret."""

from __future__ import annotations

import functools
import shutil
import sys
from collections.abc import Iterator
from typing import Any

import click

from vaultbot.engine import Report, Result
from vaultbot.output import summary
from vaultbot.output.concise import fix_mark
from vaultbot.output.frame import frame
from vaultbot.output.safe import visible

_COLOURS = {"error": "red", "warning": "yellow", "info": "blue"}


#: The width of a frame when the output is not a terminal (a pipe, a file).
PIPE_WIDTH = 240


def _style(text: str, **style: Any) -> str:
    """`click.style(text, **style)`, its codes made once a process: a large vault's report
    styles 600,000 pieces."""
    before, after = _codes(**style)
    return f"{before}{text}{after}"


@functools.cache
def _codes(**style: Any) -> tuple[str, str]:
    before, after = click.style("\0", **style).split("\0")
    return before, after


def _width() -> int:
    """Cells a frame may take: the terminal's width, or PIPE_WIDTH off a terminal."""
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return PIPE_WIDTH


def _caret(result: Result, width: int) -> str:
    digits = max(len(str(result.line)), 2)
    # Columns within the window of the line the result keeps (see engine.source_window).
    start = result.column - 1 - result.source_start
    multiline = result.end_line != result.line
    end = len(result.source) + 1 if multiline else result.end_column - 1 - result.source_start
    shown = frame(
        result.source,
        start,
        end,
        max(width - digits - 3, 20),
        cut_left=result.source_start > 0,
        cut_right=result.source_cut,
    )
    gutter = " " * digits + " |"
    marker = _style(shown.marker, fg="red")
    return f"{gutter}\n{result.line:>{digits}} | {shown.text}\n{gutter} {marker}"


def _help(result: Result) -> str:
    """ruff's `help:` line: what the fix does (and whether `vaultbot fix` applies it)."""
    if not result.fix:
        return ""
    title = visible(result.fix["title"]) or "a fix is available"
    unsafe = " (unsafe: `vaultbot fix --unsafe-fixes`)" if fix_mark(result) == "" else ""
    return f"{click.style('help:', fg='cyan', bold=True)} {title}{unsafe}\n"


def render(report: Report) -> str:
    return "".join(chunks(report))


#: Findings per piece of `chunks`.
CHUNK = 1000


def chunks(report: Report) -> Iterator[str]:
    """`render`'s text in pieces of whole lines, written as they are made (a large vault's
    report is tens of MB): each finding's block, a blank line between two, then the summary."""
    report.load_sources()
    width = _width()
    out: list[str] = []
    for result in report.results:
        out.append(_block(result, width))
        if len(out) == CHUNK:
            yield "\n".join(out) + "\n"
            out = []
    out.append(summary.check_line(report))
    yield "\n".join(out)


def _block(result: Result, width: int) -> str:
    colour = _COLOURS.get(result.severity, "red")
    code = _style(result.code, fg=colour, bold=True) + fix_mark(result)
    severity = _style(f"{result.severity}:", fg=colour)
    location = _style(f"{visible(result.path)}:{result.line}:{result.column}:", bold=True)
    return (
        f"{location} {code} {severity} {visible(result.message)}\n{_caret(result, width)}\n"
        + _help(result)
    )
