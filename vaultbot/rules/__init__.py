"""The rule registry: every rule class, in code order, from the rule modules' `RULES`."""

from __future__ import annotations

from vaultbot.rules import (
    editorial,
    frontmatter,
    links,
    markdown,
    ranges,
    suppression_unused,
    timestamp_hygiene,
    timestamps,
)
from vaultbot.rules.base import Edit, Finding, Fix, Rule

#: Every rule, in code order. Each rule module lists its own rules in `RULES`; adding a rule
#: means adding it there (and a module here), nothing else.
ALL_RULES: tuple[type[Rule], ...] = tuple(
    sorted(
        (
            *editorial.RULES,
            *frontmatter.RULES,
            *links.RULES,
            *markdown.RULES,
            *ranges.RULES,
            *suppression_unused.RULES,
            *timestamps.RULES,
            *timestamp_hygiene.RULES,
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
