"""The rule registry: every rule class, in code order, from the rule modules' `RULES`.

The rule modules are imported on first use of `ALL_RULES` or `lookup`, not when this package
is: `vaultbot --version` and `--help` never load them.
"""

from __future__ import annotations

import functools
import importlib
from typing import Any

from vaultbot.rules.base import Edit, Finding, Fix, Rule

#: The modules holding the rules. Each lists its own rules in `RULES`; adding a rule means
#: adding it there (and a module here), nothing else.
_MODULES = (
    "editorial",
    "frontmatter",
    "links",
    "markdown",
    "ranges",
    "timestamps",
    "timestamp_hygiene",
)


@functools.cache
def _all_rules() -> tuple[type[Rule], ...]:
    rules = (
        rule
        for name in _MODULES
        for rule in importlib.import_module(f"vaultbot.rules.{name}").RULES
    )
    return tuple(sorted(rules, key=lambda rule: rule.code))


def __getattr__(name: str) -> Any:
    if name == "ALL_RULES":  # every rule, in code order
        return _all_rules()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def lookup(key: str) -> type[Rule] | None:
    """A rule by code (`TS002`) or name (`timestamp-mismatch`), case-insensitively."""
    key = key.strip().lower()
    for rule in _all_rules():
        if key in (rule.code.lower(), rule.name):
            return rule
    return None


__all__ = ["ALL_RULES", "Edit", "Finding", "Fix", "Rule", "lookup"]
