"""Timestamp hygiene: non-canonical spellings, broken tags, bare labels, instants past the end."""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Iterator
from typing import Any, ClassVar

from vaultbot import timestamps
from vaultbot.note import Note
from vaultbot.rules.base import Edit, Finding, Fix, Option, Rule
from vaultbot.timestamps import Anchor, Time, format_seconds, parse_time
from vaultbot.vault import Vault

_CANONICAL = re.compile(r"\d{2,}:\d{2}:\d{2}")


def canonical_anchor(seconds: int) -> str:
    value = format_seconds(seconds)
    return f'<a class="yt-timestamp" data-t="{value}">[{value}]</a>'


class TimestampFormat(Rule):
    """A timestamp whose `data-t` or label is a time, but not written `HH:MM:SS`.

    ## What it does
    Finds `data-t="34:29"` (`MM:SS`), `data-t="1:31:11"` (`H:MM:SS`) and labels such as
    `[0:11:00]` or `[39:49]`. Anchors whose two sides name different instants are
    `timestamp-mismatch`'s, not reported here.

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
                parts.append(f"label '[{label.text}]'")
            if edits:
                message = f"Timestamp {' and '.join(parts)} not written HH:MM:SS; meant {value}"
                fix = Fix("safe", tuple(edits), f"Write {value}")
                yield self.finding(anchor.start, anchor.end, message, fix)


class TimestampCorrupt(Rule):
    """A broken yt-timestamp tag.

    ## What it does
    Finds tags that were meant to be `<a class="yt-timestamp" data-t="T">[T]</a>` but are not:
    a broken class attribute (`<a class="yt="yt-timestamp" …`, `<a class_yt-timestamp" …`),
    `data="…"` instead of `data-t`, a tag never closed (`data-t="00:53:59]]</a>`), an anchor
    wrapped in a Markdown link (`[01:22:00](<a …>22:00</a>)`), a label without its brackets
    (`…>06:02</a>`).

    ## Why is this bad?
    The site renders no button, or a button that seeks nowhere, and readers see markup. A
    census of a 21,000-note generated vault found over 10,000 such tags.

    ## Example
    ```markdown
    he called it "terrifying" <a class_yt-timestamp" data-t="00:13:05">[00:13:05]</a>.
    ```

    ## Fix safety
    Safe when the instant can be recovered (the tag's time, the label's time, or both telling
    the same instant): the canonical anchor is rebuilt in place. A `]]` swallowed by a broken
    tag is put back after it, so the wikilink it closed stays closed.
    """

    code, name, severity = "TS005", "timestamp-corrupt", "error"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        for corrupt in timestamps.corrupt_anchors(note):
            fix = None
            if corrupt.seconds is not None:
                raw = note.text[corrupt.start : corrupt.end]
                rebuilt = canonical_anchor(corrupt.seconds)
                if "]]" in raw:
                    rebuilt += "]]"  # the wikilink the broken tag swallowed stays closed
                edit = Edit(corrupt.start, corrupt.end, rebuilt)
                fix = Fix("safe", (edit,), "Rebuild the anchor")
            message = f"Broken timestamp tag: {corrupt.reason}"
            yield self.finding(corrupt.start, corrupt.end, message, fix)


class TimestampBare(Rule):
    """A `[HH:MM:SS]` label with no anchor, in a note about a video.

    ## What it does
    In notes whose front matter has a `videoId`, finds timestamp labels written as plain text
    (`[00:12:10]`), outside links, code and comments.

    ## Why is this bad?
    Readers cannot click them: the site only seeks for `yt-timestamp` anchors. A census found
    59,371 bare labels in one generated vault.

    ## Example
    ```markdown
    The guest returns to the point later [00:12:10].
    ```

    ## Fix safety
    Safe: the label is wrapped in the canonical anchor, `data-t` taken from the label.
    """

    code, name, severity = "TS006", "timestamp-bare", "warning"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        if note.video_id is None:
            return
        for anchor in timestamps.anchors(note):
            label = anchor.label
            if not anchor.is_bare or label is None:
                continue
            edit = Edit(anchor.start, anchor.end, canonical_anchor(label.seconds))
            fix = Fix("safe", (edit,), "Wrap the label in a timestamp anchor")
            message = f"Timestamp label [{label}] has no anchor"
            yield self.finding(anchor.start, anchor.end, message, fix)


#: A note's stamps look shifted by one field when at least this many are past the end ...
SHIFT_MIN = 5
#: ... and at least this share of those end in `:00`.
SHIFT_ZEROS = 0.8


class TimestampOutOfRange(Rule):
    """A timestamp past the end of the video.

    ## What it does
    Compares each instant (what `data-t` seeks to, or a bare label) with the video's length:
    front matter `duration` when present (seconds, `HH:MM:SS`, or ISO 8601 such as `PT1H2M`),
    else the option `max-duration` (default `04:00:00`: the generator capped videos at four
    hours). A note whose stamps look shifted by one field (`07:54:00 08:06:00 …`: five or more
    past the end, nearly all ending in `:00`, where `00:07:54` was meant) is reported once, at
    its first timestamp, instead of stamp by stamp.

    ## Why is this bad?
    The button seeks past the end of the video. A census found 102,959 stamps beyond four
    hours in one generated vault, most of them in shifted notes.

    ## Example
    ```markdown
    ---
    duration: 00:45:00
    ---
    ... as he explains <a class="yt-timestamp" data-t="07:54:00">[07:54:00]</a>.
    ```

    ## Fix safety
    None: a shift is likely but not certain, and a single stray stamp gives no hint.
    """

    code, name, severity = "TS007", "timestamp-out-of-range", "warning"
    spec: ClassVar[dict[str, Option]] = {
        "max-duration": Option(
            "04:00:00",
            'a duration ("HH:MM:SS", "PT4H" or seconds) longer than zero',
            lambda v: (
                isinstance(v, (int, str, datetime.time))
                and not isinstance(v, bool)
                and bool(parse_duration(v))
            ),
        )
    }

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        stamps = [(a, t) for a in timestamps.anchors(note) if (t := _seek(a)) is not None]
        if not stamps:
            return
        limit, source = _limit(note, self.options["max-duration"])
        shifted = _shifted(stamps, limit)
        if shifted:
            first = stamps[0][0]
            yield self.finding(first.start, first.end, shifted)
            return
        for anchor, time in stamps:
            if time > limit:
                message = f"Timestamp {format_seconds(time)} is past the video's end ({source})"
                yield self.finding(anchor.start, anchor.end, message)


def _seek(anchor: Anchor) -> int | None:
    if anchor.is_bare:
        return anchor.label.seconds if anchor.label is not None else None
    return anchor.data_t.site_seconds if anchor.data_t is not None else None


def _limit(note: Note, default: Any) -> tuple[int, str]:
    meta = note.meta
    duration = meta.get("duration") if isinstance(meta, dict) else None
    seconds = parse_duration(duration) if duration is not None else None
    if seconds is not None:
        return seconds, f"duration {format_seconds(seconds)}"
    fallback = parse_duration(default)
    fallback = fallback if fallback is not None else 4 * 3600
    return fallback, f"max-duration {format_seconds(fallback)}"


_ISO = re.compile(r"P(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)", re.I)


def parse_duration(value: Any) -> int | None:
    """Seconds of a `duration`: a number of seconds, `HH:MM:SS`/`MM:SS`, or ISO `PT1H2M3S`."""
    if isinstance(value, bool):
        return None
    if isinstance(value, datetime.time):  # TOML's unquoted 01:00:00
        return value.hour * 3600 + value.minute * 60 + value.second
    if isinstance(value, (int, float)):
        return int(value) if math.isfinite(value) else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.isdigit():
        return int(text)
    m = _ISO.fullmatch(text)
    if m is not None and any(m.groups()):
        h, mi, s = (float(g) if g else 0.0 for g in m.groups())
        return int(h * 3600 + mi * 60 + s)
    time: Time | None = parse_time(text)
    return time.seconds if time is not None else None


def _shifted(stamps: list[tuple[Anchor, int]], limit: int) -> str | None:
    """A message when the note's stamps past the end look shifted by one field, else None."""
    over = [t for _, t in stamps if t > limit]
    zeros = [t for t in over if t % 60 == 0]
    if len(over) < SHIFT_MIN or len(zeros) < SHIFT_ZEROS * len(over):
        return None
    if any(t // 60 > limit for t in zeros):
        return None  # shifting back would not fit either
    example = zeros[0]
    return (
        f"Timestamps look shifted by one field: {len(zeros)} of the {len(over)} stamps past "
        f"the video's end are whole minutes (e.g. {format_seconds(example)} was probably "
        f"{format_seconds(example // 60)})"
    )


#: The rules this module defines, for the registry in `vaultbot.rules`.
RULES: tuple[type[Rule], ...] = (
    TimestampFormat,
    TimestampCorrupt,
    TimestampBare,
    TimestampOutOfRange,
)
