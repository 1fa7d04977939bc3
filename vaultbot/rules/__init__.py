"""The rule registry: every rule class, in code order, from one explicit list."""

from __future__ import annotations

from vaultbot.rules.base import Edit, Finding, Fix, Rule
from vaultbot.rules.editorial import EditorialLine
from vaultbot.rules.frontmatter import FrontmatterInvalid
from vaultbot.rules.links import LinkTargetMissing
from vaultbot.rules.ranges import RangeReversed, RangeUnclosed
from vaultbot.rules.timestamps import TimestampMalformed, TimestampMismatch, TimestampUnclosed

ALL_RULES: tuple[type[Rule], ...] = tuple(
    sorted(
        (
            EditorialLine,
            FrontmatterInvalid,
            LinkTargetMissing,
            RangeReversed,
            RangeUnclosed,
            TimestampMalformed,
            TimestampMismatch,
            TimestampUnclosed,
        ),
        key=lambda rule: rule.code,
    )
)


def lookup(key: str) -> type[Rule] | None:
    """A rule by code (`TS002`) or name (`timestamp-mismatch`), case-insensitively."""
    key = key.strip().lower()
    for rule in ALL_RULES:
        if key in (rule.code.lower(), rule.name):
            return rule
    return None


__all__ = ["ALL_RULES", "Edit", "Finding", "Fix", "Rule", "lookup"]
