"""YouTube timestamp anchors: `<a class="yt-timestamp" data-t="T">[L]</a>` (DESIGN.md §5)."""

from __future__ import annotations

from collections.abc import Iterator

from vaultbot import timestamps
from vaultbot.note import Note
from vaultbot.rules.base import Finding, Rule
from vaultbot.vault import Vault


class TimestampMalformed(Rule):
    """A timestamp anchor whose `data-t` or label is not a time.

    ## What it does
    Checks both sides of every `<a class="yt-timestamp" data-t="T">[L]</a>`: each must have two
    or three numeric fields separated by `:`, with two-digit minutes and seconds below 60.
    Fires on placeholder text (`HH:MM:SS`), empty values, one field or four and more
    (`01:00:13:00`), minutes or seconds of 60 and more (`01:24:99`), one-digit minutes or
    seconds (`00:5:52`) and wrong separators (`00.01.09`).

    `MM:SS` and `H:MM:SS` are times, only not canonical: they are not reported here.

    ## Why is this bad?
    The site splits `data-t` on `:` as H:M:S without checks: a malformed value seeks to the
    wrong place or to nowhere (NaN), and a malformed label misleads the reader.

    ## Example
    ```markdown
    <a class="yt-timestamp" data-t="00:5:52">[00:05:52]</a>
    ```

    ## Fix safety
    No automatic fix yet; where one side is a valid time and the other a malformed spelling of
    the same instant the fix will rewrite it canonically.
    """

    code, name, severity = "TS001", "timestamp-malformed", "error"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        for anchor in timestamps.anchors(note):
            if anchor.is_bare:
                continue
            assert anchor.data_t_text is not None
            reason = timestamps.malformed_reason(anchor.data_t_text)
            if reason is not None:
                yield self.finding(anchor.start, anchor.end, f"Timestamp data-t {reason}")
            if anchor.label_text is not None and anchor.bracket_closed:
                reason = timestamps.malformed_reason(anchor.label_text)
                if reason is not None:
                    yield self.finding(anchor.start, anchor.end, f"Timestamp label {reason}")


class TimestampMismatch(Rule):
    """`data-t` and the label of a timestamp anchor name different instants.

    ## What it does
    Compares the instant the button seeks to (`data-t`) with the label the reader sees. Both
    must be times (see `timestamp-malformed`). A two-field value counts as the same instant
    when either reading of it (`MM:SS` or the site's `H:MM`) matches.

    ## Why is this bad?
    The site seeks to `data-t`, while readers see and cite the label: one of them is wrong,
    and a reader who clicks lands somewhere else than the text promises.

    ## Example
    ```markdown
    ... replace his job in about five years <a class="yt-timestamp" data-t="00:35:45">[01:35:45]</a>.
    ```

    ## Fix safety
    No automatic fix yet. Neither side is always right: the fixer will decide from the
    evidence in the note (neighbours, range partner, nearest other timestamp), and only when
    one reading is clearly supported.
    """

    code, name, severity = "TS002", "timestamp-mismatch", "error"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        for anchor in timestamps.anchors(note):
            data_t, label = anchor.data_t, anchor.label
            if data_t is None or label is None or not anchor.bracket_closed:
                continue
            if data_t.readings().isdisjoint(label.readings()):
                yield self.finding(
                    anchor.start,
                    anchor.end,
                    f"Timestamp data-t {data_t} but label [{label}]",
                )


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
    No automatic fix yet; inserting the missing `</a>` or `]` right after a valid label will be
    safe.
    """

    code, name, severity = "TS003", "timestamp-unclosed", "error"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        for anchor in timestamps.anchors(note):
            if not anchor.closed:
                yield self.finding(anchor.start, anchor.end, "Timestamp anchor has no closing </a>")
            elif not anchor.bracket_closed:
                yield self.finding(
                    anchor.start, anchor.end, "Timestamp label bracket is not closed"
                )
