"""Formatters: each turns a Report into the text a reader or a tool wants."""

from __future__ import annotations

from collections.abc import Callable

from vaultbot.engine import Report
from vaultbot.output import concise, github, json_format, sarif, summary, text

FORMATTERS: dict[str, Callable[[Report], str]] = {
    "text": text.render,
    "concise": concise.render,
    "json": json_format.render,
    "github": github.render,
    "sarif": sarif.render,
}

__all__ = ["FORMATTERS", "summary"]
