"""The rule registry: every rule class, in code order.

One module per rule, named by its code (`ts002_timestamp_mismatch.py`); helpers several rules
share live in private modules (`_editorial.py`, `_leaks.py`, …). Adding a rule means adding
its module and one line below, nothing else.
"""

from __future__ import annotations

from vaultbot.rules.base import Edit, Finding, Fix, Rule
from vaultbot.rules.ed001_editorial_line import EditorialLine
from vaultbot.rules.ed002_editorial_fence import EditorialFence
from vaultbot.rules.ed003_prompt_leak import PromptLeak
from vaultbot.rules.ed004_declined_note import DeclinedNote
from vaultbot.rules.fm001_frontmatter_invalid import FrontmatterInvalid
from vaultbot.rules.fm002_frontmatter_schema import FrontmatterSchema
from vaultbot.rules.lk001_link_target_missing import LinkTargetMissing
from vaultbot.rules.lk002_link_malformed import LinkMalformed
from vaultbot.rules.lk003_link_heading_missing import LinkHeadingMissing
from vaultbot.rules.lk004_link_ambiguous import LinkAmbiguous
from vaultbot.rules.md001_heading_stray_h1 import HeadingStrayH1
from vaultbot.rules.md002_callout_broken import CalloutBroken
from vaultbot.rules.rg001_range_unclosed import RangeUnclosed
from vaultbot.rules.rg002_range_reversed import RangeReversed
from vaultbot.rules.ts001_timestamp_malformed import TimestampMalformed
from vaultbot.rules.ts002_timestamp_mismatch import TimestampMismatch
from vaultbot.rules.ts003_timestamp_unclosed import TimestampUnclosed
from vaultbot.rules.ts004_timestamp_format import TimestampFormat
from vaultbot.rules.ts005_timestamp_corrupt import TimestampCorrupt
from vaultbot.rules.ts006_timestamp_bare import TimestampBare
from vaultbot.rules.ts007_timestamp_out_of_range import TimestampOutOfRange
from vaultbot.rules.ts008_timestamp_label_brackets import TimestampLabelBrackets
from vaultbot.rules.ts009_timestamp_fake_link import TimestampFakeLink

#: Every rule, in code order.
ALL_RULES: tuple[type[Rule], ...] = (
    EditorialLine,
    EditorialFence,
    PromptLeak,
    DeclinedNote,
    FrontmatterInvalid,
    FrontmatterSchema,
    LinkTargetMissing,
    LinkMalformed,
    LinkHeadingMissing,
    LinkAmbiguous,
    HeadingStrayH1,
    CalloutBroken,
    RangeUnclosed,
    RangeReversed,
    TimestampMalformed,
    TimestampMismatch,
    TimestampUnclosed,
    TimestampFormat,
    TimestampCorrupt,
    TimestampBare,
    TimestampOutOfRange,
    TimestampLabelBrackets,
    TimestampFakeLink,
)


def lookup(key: str) -> type[Rule] | None:
    """A rule by code (`TS002`) or name (`timestamp-mismatch`), case-insensitively."""
    key = key.strip().lower()
    for rule in ALL_RULES:
        if key in (rule.code.lower(), rule.name):
            return rule
    return None


__all__ = ["ALL_RULES", "Edit", "Finding", "Fix", "Rule", "lookup"]
