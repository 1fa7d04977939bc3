"""TS004 timestamp-format: a timestamp that is a time, but not written `HH:MM:SS`."""

from __future__ import annotations

import re
from collections.abc import Iterator

from vaultbot import timestamps
from vaultbot.note import Note
from vaultbot.rules.base import Edit, Finding, Fix, Rule
from vaultbot.timestamps import format_seconds
from vaultbot.vault import Vault

_CANONICAL = re.compile(r"\d{2,}:\d{2}:\d{2}")


class TimestampFormat(Rule):
    """A timestamp whose `data-t` or label is a time, but not written `HH:MM:SS`.

    ## What it does
    Finds `data-t="34:29"` (`MM:SS`), `data-t="1:31:11"` (`H:MM:SS`) and labels such as
    `[0:11:00]` or `[39:49]`. Anchors whose two sides name different instants are
    `timestamp-mismatch`'s, not reported here.

    The two kinds differ, and the severity and message say which is which:
    - `MM:SS` in `data-t` is a real defect (`warning`): the button seeks somewhere else.
    - `H:MM:SS` in `data-t`, or a label-only spelling (`[0:39:50]`, `[39:49]`), plays
      correctly and is only not canonical (`info`).

    ## Why is this bad?
    The site splits `data-t` on `:` as H:M:S: `34:29` seeks to 34 h 29 min, not to 34 min 29 s
    (a census of a 21,000-note vault found 7,592 such anchors). `H:MM:SS` plays right but is
    not canonical, and mixed spellings make notes hard to search and compare.

    ## Example
    ```markdown
    <a class="yt-timestamp" data-t="34:29">[34:29]</a>
    ```

    ## Fix safety
    Safe: both sides are rewritten as `HH:MM:SS`. For `MM:SS` the label decides what was
    meant: a label `[00:34:29]` means 34 min 29 s, `[34:29:00]` means 34 h 29 min; a label
    that is itself `MM:SS` is read as readers read it, minutes and seconds.
    """

    code, name, severity = "TS004", "timestamp-format", "warning"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        for anchor in timestamps.anchors(note):
            if anchor.data_t_text == anchor.label_text and _CANONICAL.fullmatch(anchor.label_text):
                continue  # the common case: canonical and equal
            data_t, label = anchor.data_t, anchor.label
            if anchor.is_bare or data_t is None or label is None or not anchor.bracket_closed:
                continue
            common = set(data_t.readings() & label.readings())
            if not common:
                continue  # timestamp-mismatch
            seconds = label.seconds if len(common) > 1 else common.pop()
            value = format_seconds(seconds)
            edits: list[Edit] = []
            parts: list[str] = []
            if not _CANONICAL.fullmatch(data_t.text):
                edits.append(Edit(anchor.data_t_start, anchor.data_t_end, value))
                read = format_seconds(data_t.site_seconds)
                parts.append(f"data-t '{data_t.text}' (the site reads it as {read})")
            if not _CANONICAL.fullmatch(label.text):
                edits.append(Edit(anchor.label_start, anchor.label_end, value))
                parts.append(f"label '{label.text}'")
            if edits:
                seeks_wrong = data_t.site_seconds != seconds
                message = f"Timestamp {' and '.join(parts)} not written HH:MM:SS; meant {value}"
                message += "; it seeks to the wrong place" if seeks_wrong else "; it plays right"
                fix = Fix("safe", tuple(edits), f"Write {value}")
                severity = None if seeks_wrong else "info"
                yield self.finding(anchor.start, anchor.end, message, fix, severity=severity)
