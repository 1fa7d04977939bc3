"""Time ranges: two timestamps joined by `-`, `–` or `—`."""

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


class RangeReversed(Rule):
    """A time range whose end is earlier than its start.

    ## What it does
    Reads both ends of `[a]-[b]` (anchors or bare labels) by their labels, as readers do; an
    end earlier than the start fires. When `data-t` and label of one end disagree, that is one
    `timestamp-mismatch`, not also a reversed range: such ranges are left to that rule.

    ## Why is this bad?
    A range that runs backwards is a typo in one of its ends; readers cannot tell which.

    ## Example
    ```markdown
    <a class="yt-timestamp" data-t="00:16:42">[00:16:42]</a>-<a class="yt-timestamp" data-t="00:06:52">[00:06:52]</a>
    ```

    ## Fix safety
    None: either end may be the wrong one.
    """

    code, name, severity = "RG002", "range-reversed", "error"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        for rng in timestamps.ranges(note, timestamps.anchors(note)):
            if rng.first.disagrees or rng.second.disagrees:
                continue  # one timestamp-mismatch, not also a reversed range (DESIGN.md §5)
            first, second = rng.first.instant, rng.second.instant
            if first is not None and second is not None and second.seconds < first.seconds:
                yield self.finding(
                    rng.first.start,
                    rng.second.end,
                    f"Time range runs backwards: [{first}] to [{second}]",
                )


#: The rules this module defines, for the registry in `vaultbot.rules`.
RULES: tuple[type[Rule], ...] = (RangeUnclosed, RangeReversed)
