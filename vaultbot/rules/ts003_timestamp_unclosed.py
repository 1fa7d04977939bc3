"""TS003 timestamp-unclosed: an anchor with no `</a>`, or a label bracket never closed."""

from __future__ import annotations

from collections.abc import Iterator

from vaultbot import timestamps
from vaultbot.note import Note
from vaultbot.rules.base import Edit, Finding, Fix, Rule
from vaultbot.vault import Vault


class TimestampUnclosed(Rule):
    """A timestamp anchor with no `</a>`, or a label bracket never closed.

    ## What it does
    Finds `<a class="yt-timestamp" …>` tags whose `</a>` is missing on the same line (before
    the next anchor), and labels such as `[00:01:09</a>` whose `]` is missing.

    ## Why is this bad?
    An unclosed anchor turns the rest of the paragraph into one link; an unclosed bracket
    shows stray markup to the reader.

    ## Example
    ```markdown
    <a class="yt-timestamp" data-t="00:01:09">[00:01:09] and the text goes on
    ```

    ## Fix safety
    Safe when the label is a valid time: the missing `</a>` (or `]`) is inserted right after
    it. Otherwise there is no fix, since where the label ends is unclear.
    """

    code, name, severity = "TS003", "timestamp-unclosed", "error"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        for anchor in timestamps.anchors(note):
            valid = anchor.label is not None
            if not anchor.closed:
                fix = None
                if valid and anchor.bracket_closed:
                    at = anchor.label_end + 1
                    fix = Fix("safe", (Edit(at, at, "</a>"),), "Insert </a>")
                yield self.finding(
                    anchor.start, anchor.end, "Timestamp anchor has no closing </a>", fix
                )
            elif not anchor.bracket_closed:
                fix = None
                if valid:
                    fix = Fix("safe", (Edit(anchor.label_end, anchor.label_end, "]"),), "Insert ]")
                yield self.finding(
                    anchor.start, anchor.end, "Timestamp label bracket is not closed", fix
                )
