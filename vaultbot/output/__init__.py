"""Formatters: each turns a Report into the text a reader or a tool wants.

A formatter's module is imported when it is first used, so that starting vaultbot (and naming
the formats in `--help`) does not import every formatter and the engine behind them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vaultbot.engine import Report

#: Format name -> the module (in this package) whose `render` writes it.
_MODULES = {
    "text": "text",
    "concise": "concise",
    "json": "json_format",
    "github": "github",
    "sarif": "sarif",
}


class _Formatters(Mapping[str, "Callable[[Report], str]"]):
    """Format name -> render function, importing the formatter on first use."""

    def __getitem__(self, name: str) -> Callable[[Report], str]:
        module = importlib.import_module(f"vaultbot.output.{_MODULES[name]}")
        render: Callable[[Report], str] = module.render
        return render

    def __iter__(self) -> Iterator[str]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)


FORMATTERS: Mapping[str, Callable[[Report], str]] = _Formatters()


def chunks(name: str, report: Report) -> Iterable[str]:
    """Format `name`'s text for `report` in pieces of whole lines, to write as they come: a
    formatter whose module has `chunks` (JSON, whose document can be tens of MB) never holds
    it whole; the others give their `render` in one piece."""
    module = importlib.import_module(f"vaultbot.output.{_MODULES[name]}")
    parts: Callable[[Report], Iterable[str]] | None = getattr(module, "chunks", None)
    return parts(report) if parts is not None else [FORMATTERS[name](report)]


__all__ = ["FORMATTERS", "chunks"]
