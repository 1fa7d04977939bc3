"""Whether output is coloured: `--color auto|always|never`, then `NO_COLOR`, then
`FORCE_COLOR` (both: any non-empty value), then whether the stream is a terminal. A file
written with `-o` is not a terminal, so it holds no colour codes unless colour is forced."""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.console import Console

CHOICES = ("auto", "always", "never")
_choice = "auto"


def choose(choice: str) -> None:
    """Set the run's `--color` choice."""
    global _choice
    _choice = choice


def enabled(stream: TextIO | None) -> bool:
    """Whether text written to `stream` (None: a file) is coloured."""
    if _choice != "auto":
        return _choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream is not None and _isatty(stream)


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False


def console(file: TextIO, **options: object) -> Console:
    """A rich console for `file` that colours exactly when `enabled` says so."""
    from rich.console import Console  # rich loads only for the commands that use it

    if enabled(file):
        return Console(
            file=file, force_terminal=True, no_color=False, color_system="standard", **options
        )  # type: ignore[arg-type]
    return Console(file=file, color_system=None, **options)  # type: ignore[arg-type]


_ANSI = re.compile("\x1b\\[[0-9;]*m")


def strip(text: str) -> str:
    """`text` without the colour and style codes vaultbot writes."""
    return _ANSI.sub("", text)
