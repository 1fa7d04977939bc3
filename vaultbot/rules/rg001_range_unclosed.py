"""RG001 range-unclosed: a timestamp followed by a range dash with no end."""

from __future__ import annotations

from collections.abc import Iterator

from vaultbot import timestamps
from vaultbot.note import Note
from vaultbot.rules.base import Finding, Rule
from vaultbot.vault import Vault


class RangeUnclosed(Rule):
    """A timestamp followed by a range dash with no timestamp after it.

    ## What it does
    Finds `[00:01:09]</a>-` at the end of a line or before closing punctuation, where the
    second timestamp of a range is missing. A dash followed by words (`[00:45:44]</a>—means
    …`) is punctuation, not a range, and does not fire; a range may continue on the next line.

    ## Why is this bad?
    The reader is told a span starts but never where it ends; usually the generator dropped
    the second anchor.

    ## Example
    ```markdown
    a roughly 5x speed-up <a class="yt-timestamp" data-t="01:51:14">[01:51:14]</a>-.
    ```

    ## Fix safety
    None: the missing end cannot be known.
    """

    code, name, severity = "RG001", "range-unclosed", "warning"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        found = timestamps.anchors(note)
        for i, anchor in enumerate(found):
            following = found[i + 1] if i + 1 < len(found) else None
            dash = timestamps.dangling_dash(note, anchor, following)
            if dash is not None:
                yield self.finding(anchor.start, dash + 1, "Time range has no end timestamp")
