"""RG002 range-reversed: a time range whose end is earlier than its start."""

from __future__ import annotations

from collections.abc import Iterator

from vaultbot import timestamps
from vaultbot.note import Note
from vaultbot.rules.base import Finding, Rule
from vaultbot.vault import Vault


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
        for rng in timestamps.ranges(note):
            if rng.first.disagrees or rng.second.disagrees:
                continue  # one timestamp-mismatch, not also a reversed range (DESIGN.md §5)
            first, second = rng.first.instant, rng.second.instant
            if first is not None and second is not None and second.seconds < first.seconds:
                yield self.finding(
                    rng.first.start,
                    rng.second.end,
                    f"Time range runs backwards: [{first}] to [{second}]",
                )
