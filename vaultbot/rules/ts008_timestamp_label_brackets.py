"""TS008 timestamp-label-brackets: a timestamp anchor whose label is not in its own brackets."""

from __future__ import annotations

from collections.abc import Iterator

from vaultbot import timestamps
from vaultbot.note import Note
from vaultbot.rules.base import Edit, Finding, Fix, Rule
from vaultbot.timestamps import Anchor
from vaultbot.vault import Vault


class TimestampLabelBrackets(Rule):
    """A timestamp anchor whose label is not written in its own brackets.

    ## What it does
    Finds anchors that seek correctly but do not look like the others: a label without its
    brackets (`<a class="yt-timestamp" data-t="00:06:02">00:06:02</a>`), the brackets put
    outside the tag (`[<a …>00:34:54</a>]`), or brackets on both sides
    (`[<a …>[00:12:40]</a>]`, which readers see as `[[00:12:40]]`), also around a group of
    anchors (`[<a …>…</a>, <a …>…</a>]`: the first and the last anchor are reported for the
    brackets, every anchor whose label lacks its own).

    ## Why is this bad?
    Only the look is wrong: the button renders and seeks to `data-t`. But the vault's
    timestamps read `[00:06:02]` everywhere else, and doubled brackets look like a broken
    wikilink. This is why the rule's severity is `info`.

    ## Example
    ```markdown
    Sleep pressure builds through the day [<a class="yt-timestamp" data-t="00:34:54">00:34:54</a>].
    ```

    ## Fix safety
    Safe: the label gets its brackets inside the tag, and brackets outside it are removed, so
    the reader sees `[00:34:54]` (never `[[00:34:54]]`); around a group, the `[` goes with
    the first anchor's fix and the `]` with the last one's. Nothing else changes.
    """

    code, name, severity = "TS008", "timestamp-label-brackets", "info"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        for anchor in timestamps.anchors(note):
            if anchor.is_bare or not anchor.closed or anchor.label is None:
                continue  # a label that is not a time is timestamp-malformed's
            if anchor.label_bracketed and not (anchor.outer_open or anchor.outer_close):
                continue
            yield self.finding(*_span(anchor), _message(anchor), _fix(anchor))


def _span(anchor: Anchor) -> tuple[int, int]:
    return anchor.start - anchor.outer_open, anchor.end + anchor.outer_close


def _message(anchor: Anchor) -> str:
    if anchor.label_bracketed:
        return f"Timestamp label [{anchor.label_text}] has brackets outside the anchor too"
    where = "outside the anchor" if anchor.outer_open or anchor.outer_close else "none"
    return f"Timestamp label '{anchor.label_text}' is not in brackets ({where})"


def _fix(anchor: Anchor) -> Fix:
    edits: list[Edit] = []
    if anchor.outer_open:
        edits.append(Edit(anchor.start - 1, anchor.start, ""))
    if anchor.outer_close:
        edits.append(Edit(anchor.end, anchor.end + 1, ""))
    if not anchor.label_bracketed:
        edits.append(Edit(anchor.label_start, anchor.label_end, f"[{anchor.label_text}]"))
    return Fix("safe", tuple(sorted(edits, key=lambda e: e.start)), "Put the label in brackets")
