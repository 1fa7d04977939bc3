"""Formatters: each turns a Report into the text a reader or a tool wants."""

from __future__ import annotations

from collections.abc import Callable

from vaultbot.engine import Report
from vaultbot.output import concise, json_format, summary, text

FORMATTERS: dict[str, Callable[[Report], str]] = {
    "text": text.render,
    "concise": concise.render,
    "json": json_format.render,
}

__all__ = ["FORMATTERS", "summary"]
