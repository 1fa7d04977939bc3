"""The rule registry: every rule class, in code order.

One module per rule, named by its code (`ts002_timestamp_mismatch.py`); helpers several rules
share live in private modules (`_editorial.py`, `_leaks.py`, …). Adding a rule means adding
its module and one line below, nothing else.

The rule modules are imported on first use of `ALL_RULES` or `lookup`, not when this package
is: `vaultbot --version` and `--help` never load them.
"""

from __future__ import annotations

import functools
import importlib
from typing import Any

from vaultbot.rules.base import Edit, Finding, Fix, Rule

#: Every rule as (module, class), in code order.
_RULES = (
    ("ed001_editorial_line", "EditorialLine"),
    ("ed002_editorial_fence", "EditorialFence"),
    ("ed003_prompt_leak", "PromptLeak"),
    ("ed004_declined_note", "DeclinedNote"),
    ("fm001_frontmatter_invalid", "FrontmatterInvalid"),
    ("fm002_frontmatter_schema", "FrontmatterSchema"),
    ("lk001_link_target_missing", "LinkTargetMissing"),
    ("lk002_link_malformed", "LinkMalformed"),
    ("lk003_link_heading_missing", "LinkHeadingMissing"),
    ("lk004_link_ambiguous", "LinkAmbiguous"),
    ("md001_heading_stray_h1", "HeadingStrayH1"),
    ("md002_callout_broken", "CalloutBroken"),
    ("rg001_range_unclosed", "RangeUnclosed"),
    ("rg002_range_reversed", "RangeReversed"),
    ("sp001_suppression_unused", "SuppressionUnused"),
    ("ts001_timestamp_malformed", "TimestampMalformed"),
    ("ts002_timestamp_mismatch", "TimestampMismatch"),
    ("ts003_timestamp_unclosed", "TimestampUnclosed"),
    ("ts004_timestamp_format", "TimestampFormat"),
    ("ts005_timestamp_corrupt", "TimestampCorrupt"),
    ("ts006_timestamp_bare", "TimestampBare"),
    ("ts007_timestamp_out_of_range", "TimestampOutOfRange"),
    ("ts008_timestamp_label_brackets", "TimestampLabelBrackets"),
    ("ts009_timestamp_fake_link", "TimestampFakeLink"),
)


@functools.cache
def _all_rules() -> tuple[type[Rule], ...]:
    return tuple(
        getattr(importlib.import_module(f"vaultbot.rules.{module}"), name)
        for module, name in _RULES
    )


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
