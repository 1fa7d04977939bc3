"""TS007 timestamp-out-of-range: a timestamp past the end of the video."""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Iterator
from typing import Any, ClassVar

from vaultbot import timestamps
from vaultbot.note import Note
from vaultbot.rules.base import Finding, Option, Rule
from vaultbot.timestamps import Anchor, Time, format_seconds, parse_time
from vaultbot.vault import Vault

#: The generator capped videos at four hours: the default `max-duration`.
DEFAULT_END = "04:00:00"
#: A note's stamps look shifted by one field when at least this many are past the end ...
SHIFT_MIN = 5
#: ... and at least this share of those end in `:00`.
SHIFT_ZEROS = 0.8


class TimestampOutOfRange(Rule):
    """A timestamp past the end of the video.

    ## What it does
    Compares each instant (what `data-t` seeks to, a bare label, or the time of a broken
    tag, a fake timestamp link or a list of labels, which other rules fix into anchors) with
    the video's length (an `MM:SS` data-t, which the site reads as hours, is
    `timestamp-format`'s finding, not this rule's):
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
            DEFAULT_END,
            'a duration ("HH:MM:SS", "PT4H" or seconds) longer than zero',
            lambda v: (
                isinstance(v, (int, str, datetime.time))
                and not isinstance(v, bool)
                and bool(parse_duration(v))
            ),
        )
    }

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        found = _stamps(note)
        if not found:
            return
        limit, source = video_end(note, self.options["max-duration"])
        if all(time <= limit for _, _, time in found):
            return  # most notes: nothing past the end
        stamps = _in_order(found)
        shifted = _shifted(stamps, limit)
        if shifted:
            start, end, _ = stamps[0]
            yield self.finding(start, end, shifted)
            return
        for start, end, time in stamps:
            if time > limit:
                message = f"Timestamp {format_seconds(time)} is past the video's end ({source})"
                yield self.finding(start, end, message)


def _stamps(note: Note) -> list[tuple[int, int, int]]:
    """(start, end, instant) of every timestamp, also those another rule's fix turns into an
    anchor (a broken tag, a fake link, a list of bare labels): once fixed they seek there, so
    a fix must not be what reveals them. Not in order, and one may come twice (`_in_order`)."""
    found = [(a.start, a.end, t) for a in timestamps.anchors(note) if (t := _seek(a)) is not None]
    for c in timestamps.corrupt_anchors(note):
        found.extend((c.start, c.end, s) for s in (c.seconds, c.range_end) if s is not None)
    for link in timestamps.fake_links(note):
        if link.label is not None:
            found.append((link.start, link.end, link.label.seconds))
    for bare in timestamps.bare_lists(note):
        found.extend((bare.start, bare.end, time.seconds) for time in bare.times)
    return found


def _in_order(found: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """`found` in text order, each instant once at each start (the first one named there)."""
    first: dict[tuple[int, int], tuple[int, int, int]] = {}
    for stamp in found:
        first.setdefault((stamp[0], stamp[2]), stamp)
    return sorted(first.values())


def _seek(anchor: Anchor) -> int | None:
    if anchor.is_bare:
        return anchor.label.seconds if anchor.label is not None else None
    if anchor.data_t is None or anchor.data_t.text.count(":") == 1:
        # An `MM:SS` data-t the site reads as hours is timestamp-format's (or mismatch's)
        # finding, and its fix brings it back inside the video: one defect, one finding.
        return None
    return anchor.data_t.site_seconds


def video_end(note: Note, default: Any = DEFAULT_END) -> tuple[int, str]:
    """The video's length in seconds (front matter `duration`, else `default`), and where it
    comes from."""
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


def _shifted(stamps: list[tuple[int, int, int]], limit: int) -> str | None:
    """A message when the note's stamps past the end look shifted by one field, else None."""
    over = [t for _, _, t in stamps if t > limit]
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
