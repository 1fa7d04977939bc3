"""Markdown structure that generated notes get wrong: stray H1 headings, broken callouts."""

from __future__ import annotations

from vaultbot.rules.base import Rule

#: The rules this module defines, for the registry in `vaultbot.rules`.
RULES: tuple[type[Rule], ...] = ()
