"""TS001 timestamp-malformed: a timestamp anchor whose `data-t` or label is not a time."""

from __future__ import annotations

from collections.abc import Iterator

from vaultbot import timestamps
from vaultbot.note import Note
from vaultbot.rules.base import Edit, Finding, Fix, Rule
from vaultbot.timestamps import format_seconds, parse_lenient
from vaultbot.vault import Vault


class TimestampMalformed(Rule):
    """A timestamp anchor whose `data-t` or label is not a time.

    ## What it does
    Checks both sides of every `<a class="yt-timestamp" data-t="T">[L]</a>`: each must have two
    or three numeric fields separated by `:`, with two-digit minutes and seconds below 60.
    Fires on placeholder text (`HH:MM:SS`), empty values, one field or four and more
    (`01:00:13:00`), minutes or seconds of 60 and more (`01:24:99`), one-digit minutes or
    seconds (`00:5:52`) and wrong separators (`00.01.09`).

    `MM:SS` and `H:MM:SS` are times, only not canonical: they are not reported here. An
    anchor whose two sides are the same malformed text (`data-t="01:16:36:00">[01:16:36:00]`)
    is one finding, not two.

    ## Why is this bad?
    The site splits `data-t` on `:` as H:M:S without checks: a malformed value seeks to the
    wrong place or to nowhere (NaN), and a malformed label misleads the reader.

    ## Example
    ```markdown
    <a class="yt-timestamp" data-t="00:5:52">[00:05:52]</a>
    ```

    ## Fix safety
    Safe where one side is a valid time and the other a malformed spelling of the same instant
    (`00:5:52` beside `[00:05:52]`): the malformed side is rewritten as `HH:MM:SS`. Safe too
    where the label is empty and `data-t` is canonical (`data-t="00:40:07"></a>`): the label
    is written from `data-t`, where the button already seeks. Otherwise there is no fix: which
    instant was meant cannot be known.
    """

    code, name, severity = "TS001", "timestamp-malformed", "error"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        for anchor in timestamps.anchors(note):
            if anchor.is_bare:
                continue
            assert anchor.data_t_text is not None
            if anchor.data_t is not None and (
                anchor.label is not None or not anchor.bracket_closed
            ):
                continue  # both sides are times (or the label is timestamp-unclosed's)
            reason = timestamps.malformed_reason(anchor.data_t_text)
            if reason is not None:
                if anchor.label_text == anchor.data_t_text and anchor.bracket_closed:
                    # One defect written twice (`data-t="01:16:36:00">[01:16:36:00]`): one
                    # finding, and no side to respell the other from.
                    message = f"Timestamp data-t {reason}, and the label too"
                    yield self.finding(anchor.start, anchor.end, message)
                    continue
                fix = _respell(anchor.data_t_text, anchor.label, anchor.data_t_start)
                yield self.finding(anchor.start, anchor.end, f"Timestamp data-t {reason}", fix)
            if anchor.label_text is not None and anchor.bracket_closed:
                reason = timestamps.malformed_reason(anchor.label_text)
                if reason is not None:
                    if anchor.label_text:
                        fix = _respell(anchor.label_text, anchor.data_t, anchor.label_start)
                    else:
                        fix = _fill(note.text, anchor)
                    yield self.finding(anchor.start, anchor.end, f"Timestamp label {reason}", fix)


def _fill(text: str, anchor: timestamps.Anchor) -> Fix | None:
    """Write an empty label (`data-t="00:40:07"></a>`, `>[]</a>`) from a canonical data-t:
    the button already seeks there, the reader only could not see where."""
    data_t = anchor.data_t
    if data_t is None or data_t.text != data_t.canonical:
        return None
    start = anchor.label_start
    if anchor.label_bracketed and text[start - 1 : start] == "[":
        return Fix("safe", (Edit(start, start, data_t.canonical),), "Write the label from data-t")
    if not anchor.label_bracketed and text[start - 1 : start] == ">":
        edit = Edit(start, start, f"[{data_t.canonical}]")
        return Fix("safe", (edit,), "Write the label from data-t")
    return None


def _respell(bad: str, other: timestamps.Time | None, start: int) -> Fix | None:
    """Rewrite `bad` canonically when it is a sloppy spelling of the valid `other`."""
    lenient = parse_lenient(bad)
    if other is None or lenient is None or lenient not in other.readings():
        return None
    canonical = format_seconds(lenient)
    edit = Edit(start, start + len(bad), canonical)
    return Fix("safe", (edit,), f"Rewrite '{bad}' as {canonical}")
