"""YouTube timestamp anchors, bare labels and ranges (DESIGN.md §5).

The site renders `<a class="yt-timestamp" data-t="T">[L]</a>` as a button seeking to `T`; it
splits `T` on `:` as H:M:S without checks. Canonical is `HH:MM:SS`.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from dataclasses import dataclass

from vaultbot.note import Note

# The opening tag, and (group 2) the bracketed label and `</a>` when they follow it whole:
# the common case, read in the same match.
_OPEN = re.compile(
    r'<a\s+class="yt-timestamp"\s+data-t="([^"<>\n]*)"\s*>(?:\[([^\]\[<>\n]*)\]</a>)?'
)
_CLOSE = "</a>"
# A bare label, not after `[` (a link alias), `>` (an anchor's label) or a word character:
# that is looked at behind the `[` (a leading literal keeps the search fast; a leading
# lookbehind would not). `MM:SS` (`[07:25]`) only counts in a note about a video.
_BARE = re.compile(r"\[(?<![\[>\w]\[)(\d{1,2}:\d{2}(?::\d{2})?)\](?![\](\w])")
# Several bare labels in one pair of brackets: `[00:00:33, 00:01:54, 00:02:10]`.
_BARE_LIST = re.compile(
    r"\[(?<![\[>\w]\[)"
    r"(\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]*,[ \t]*\d{1,2}:\d{2}(?::\d{2})?)+)\](?![\](\w])"
)
# A Markdown link whose text is a time, to a fragment or a YouTube address: a candidate fake
# timestamp link (`_fake_destination` decides). Fragments: `#t=00:48:21`, `#t1:38:43`,
# `#00:48:21`, `#`; addresses: `https://www.youtube.com/watch?v=…`, `https://youtu.be/…`.
_FAKE_LINK = re.compile(
    r"\[(\d{1,3}:\d{2}(?::\d{2})?)\]"
    r"\((#[^()\s]*|https?://(?:www\.|m\.)?(?:youtube\.com|youtu\.be)/[^()\s]*)\)"
)
# A fragment that names a time rather than a heading: `t=…`, `t` then a digit, a time, or
# nothing (`#`, `#t`). `#timeline`, `#Summary` and `#12-rules` are headings.
_TIME_FRAGMENT = re.compile(r"(?:t=|t(?=\d)|(?=\d{1,3}:\d)|t?$)(.*)", re.S)
_VIDEO_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_YT_PARAM = re.compile(r"[?&#](v|t|start)=([^&#]*)")
_YT_SHORT = re.compile(r"youtu\.be/([^?&#/]*)")
_YT_SECONDS = re.compile(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?")
_DASH = re.compile(r"[ \t]*(?:\r?\n[ \t]*)?[-–—][ \t]*(?:\r?\n[ \t]*)?")
# Almost an anchor (TS005): an `<a` tag naming a timestamp class or a `data`/`data-t` time.
#: A character of a tag: a tag may run over line breaks, but not over a blank line (there a
#: paragraph ends: what follows is no part of the tag, to CommonMark nor to Obsidian).
_TAG_CHAR = r"(?:[^<>\n]|\n(?![ \t]*\r?\n))"
_ANCHOR_LIKE = re.compile(
    r'<a(?!\s+class="yt-timestamp"\s+data-t="[^"<>\n]*"\s*>)'  # not the canonical tag
    rf"\b{_TAG_CHAR}*?(?:timestamp|\bdata(?:-t)?\s*=\s*(?:\"\s*)?\d{{1,3}}:\d){_TAG_CHAR}*>?"
)
# The label right after a broken tag that no `</a>` closes: `[00:01:02]`, `00:01:02`.
_LABEL_AFTER = re.compile(r"\[?\d{1,3}:\d{2}(?::\d{2})?\]?")
_TIME_IN = re.compile(r"(?<![\d:])\d{1,3}:\d{1,2}(?::\d{1,2})?(?![\d:])")
# The label of a range's first anchor that ran into the second: `00:09:17>)-[00:09:21](`.
_RANGE_LABEL = re.compile(
    r"(\d{1,3}:\d{2}(?::\d{2})?)[>)\]\s]*[-–—]\s*\[?(\d{1,3}:\d{2}(?::\d{2})?)\]?\s*\(?\s*"
)
_WRAPPED_BEFORE = re.compile(r"\[(\d{1,3}:\d{2}(?::\d{2})?)\]\($")
# A dash, then (past spaces and a hidden `%% … %%` comment) the end of the line or punctuation.
# The comment ends at its first closing `%%` (as Obsidian reads it): a lazy `.*?` could go on
# to later `%%` and rescan the rest of the line from every anchor.
_DANGLING_DASH = re.compile(
    r"[ \t]*[-–—][ \t]*(?:%%(?:[^%\n]|%(?!%))*%%[ \t]*)?(?:\r?$|[.,;:!?)\]])", re.M
)


class Time:
    """A parsed time of day inside a video, as written (immutable; built by `parse_time`)."""

    __slots__ = ("fields", "readings_", "seconds", "site_seconds", "text")

    def __init__(self, text: str, fields: tuple[int, ...]) -> None:
        self.text = text
        self.fields = fields
        if len(fields) == 2:
            #: Seconds as a reader reads it (2 fields: MM:SS) ...
            self.seconds = fields[0] * 60 + fields[1]
            #: ... and as the site's renderer reads `data-t` (2 fields: H:MM).
            self.site_seconds = fields[0] * 3600 + fields[1] * 60
        else:
            h, m, s = fields
            self.seconds = self.site_seconds = h * 3600 + m * 60 + s
        self.readings_ = frozenset((self.seconds, self.site_seconds))

    def readings(self) -> frozenset[int]:
        return self.readings_

    @property
    def canonical(self) -> str:
        return format_seconds(self.seconds)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Time) and (self.text, self.fields) == (other.text, other.fields)

    def __hash__(self) -> int:
        return hash((self.text, self.fields))

    def __repr__(self) -> str:
        return f"Time({self.text!r})"

    def __str__(self) -> str:
        return self.text


def format_seconds(seconds: int) -> str:
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}:{s:02d}"


@functools.lru_cache(maxsize=8192)
def parse_time(text: str) -> Time | None:
    """A time with 2 or 3 numeric fields, minutes and seconds two digits below 60; else None.

    `H:MM:SS` and `MM:SS` parse (they are only non-canonical); `00:5:52`, `01:24:99`,
    `01:00:13:00`, `HH:MM:SS` and `` do not (they are malformed).
    """
    parts = text.strip().split(":")
    if len(parts) not in (2, 3) or not all(p.isascii() and p.isdigit() for p in parts):
        return None
    if any(len(p) != 2 for p in parts[1:]) or any(int(p) >= 60 for p in parts[1:]):
        return None
    if len(parts[0]) > 3:
        return None
    return Time(text.strip(), tuple(int(p) for p in parts))


def parse_lenient(text: str) -> int | None:
    """Seconds of a sloppy `H:M:S` spelling with one- or two-digit fields (`00:5:52`), else None."""
    parts = text.strip().split(":")
    if len(parts) != 3 or not all(p.isascii() and p.isdigit() for p in parts):
        return None
    if len(parts[0]) > 3 or any(len(p) > 2 or int(p) >= 60 for p in parts[1:]):
        return None
    h, m, s = (int(p) for p in parts)
    return h * 3600 + m * 60 + s


def malformed_reason(text: str) -> str | None:
    """Why a `data-t` or label is not a time, or None when it parses."""
    value = text.strip()
    if parse_time(value) is not None:
        return None
    if not value:
        return "is empty"
    if not re.fullmatch(r"[\d:]+", value):
        if re.fullmatch(r"\d+([.;,\-h ])\d+(\1\d+)*", value):
            return f"uses a wrong separator in '{value}'"
        return f"'{value}' is not a time"
    parts = value.split(":")
    if len(parts) == 1:
        return f"'{value}' has a single field"
    if len(parts) > 3:
        return f"'{value}' has {len(parts)} fields"
    if any(p == "" for p in parts):
        return f"'{value}' has an empty field"
    if any(len(p) == 1 for p in parts[1:]):
        return f"'{value}' has a one-digit minute or second"
    if any(int(p) >= 60 for p in parts[1:]):
        return f"'{value}' has minutes or seconds of 60 or more"
    return f"'{value}' is not a time"


class Anchor:
    """A yt-timestamp anchor, or a bare `[HH:MM:SS]` label (data_t_text None).

    Offsets are character offsets into the note; both sides are parsed when it is built.
    """

    __slots__ = (
        "bracket_closed", "closed", "data_t", "data_t_start", "data_t_text", "disagrees", "end",
        "instant", "is_bare", "label", "label_bracketed", "label_start", "label_text",
        "outer_close", "outer_open", "start",
    )  # fmt: skip

    def __init__(
        self,
        start: int,
        end: int,
        data_t_text: str | None,
        label_text: str | None,
        label_start: int,
        closed: bool,
        bracket_closed: bool,
        data_t_start: int = -1,
        label_bracketed: bool = True,
    ) -> None:
        self.start = start
        self.end = end  # after `</a>`, or as far as could be read when unclosed
        self.data_t_text = data_t_text
        self.label_text = label_text
        self.label_start = label_start  # the label's text, after its `[`
        self.closed = closed  # `</a>` present (always for bare labels)
        self.bracket_closed = bracket_closed  # the label's `[` has its `]`
        self.data_t_start = data_t_start  # the `data-t` value, after its `"`
        #: The label sits in its own brackets inside the tag: `<a …>[00:34:54]</a>`.
        self.label_bracketed = label_bracketed
        #: `[` right before the tag, `]` right after it: `[<a …>00:34:54</a>]`, or around a
        #: group of anchors `[<a …>…</a>, <a …>…</a>]` (the first opens it, the last closes it).
        self.outer_open = False
        self.outer_close = False
        #: A bare `[HH:MM:SS]` label, with no tag.
        self.is_bare = data_t_text is None
        self.data_t = None if data_t_text is None else parse_time(data_t_text)
        self.label = None if label_text is None else parse_time(label_text)
        #: What a reader sees: the label when it is a time, else `data-t`.
        self.instant: Time | None = self.label or self.data_t
        #: `data-t` and label are both times but name different instants (TS002).
        self.disagrees = (
            self.data_t is not None
            and self.label is not None
            and data_t_text != label_text
            and bracket_closed
            and self.data_t.readings_.isdisjoint(self.label.readings_)
        )

    @property
    def label_end(self) -> int:
        return self.label_start + len(self.label_text or "")

    @property
    def data_t_end(self) -> int:
        return self.data_t_start + len(self.data_t_text or "")

    def __repr__(self) -> str:
        return f"Anchor({self.start}, {self.data_t_text!r}, {self.label_text!r})"


@dataclass(frozen=True)
class Range:
    first: Anchor
    second: Anchor


def anchors(note: Note) -> list[Anchor]:
    """All yt-timestamp anchors and bare labels of a note in text order (computed once)."""
    return note.memo(_find_anchors)


def _find_anchors(note: Note) -> list[Anchor]:
    """Anchors in prose, and bare `[HH:MM:SS]` labels in notes that have a video."""
    corrupt = [(c.start, c.end) for c in corrupt_anchors(note)]
    tags = note.memo(_anchor_tags)  # in text order
    # An anchor that is part of a broken construct is timestamp-corrupt's, not a timestamp.
    found = [a for a in tags if not _within(corrupt, a.start)] if corrupt else list(tags)
    if note.video_id is None and not found:
        return found
    video = note.video_id is not None
    bare = [
        m
        for m in _BARE.finditer(note.text, note.body_start)
        if video or m.group(1).count(":") != 1  # `[10:30]` is a time of day without a video
    ]
    if not bare:
        return found
    others = [(b.start, b.end) for b in (*bare_lists(note), *fake_links(note))]
    covered = sorted([(a.start, a.end) for a in found] + corrupt + others)
    for m in bare:
        if note.is_prose(m.start()) and not _within(covered, m.start()):
            label_start = m.start() + 1
            found.append(Anchor(m.start(), m.end(), None, m.group(1), label_start, True, True))
    found.sort(key=lambda a: a.start)
    return found


@dataclass(frozen=True)
class BareList:
    """Several bare labels in one pair of brackets: `[00:00:33, 00:01:54]`."""

    start: int
    end: int
    times: tuple[Time, ...]


def bare_lists(note: Note) -> list[BareList]:
    """Lists of bare labels in prose of a note about a video (computed once per note)."""
    return note.memo(_find_bare_lists)


def _find_bare_lists(note: Note) -> list[BareList]:
    if note.video_id is None:
        return []
    text = note.text
    found: list[BareList] = []
    for m in _BARE_LIST.finditer(text, note.body_start):
        if not note.is_prose(m.start()):
            continue
        times = [parse_time(part) for part in m.group(1).split(",")]
        if all(times):
            found.append(BareList(m.start(), m.end(), tuple(t for t in times if t)))
    return found


@dataclass(frozen=True)
class FakeLink:
    """A Markdown link `[00:48:21](#t=00:48:21)` posing as a timestamp anchor."""

    start: int
    end: int
    label: Time | None
    destination: str  # as written: `#t=00:48:21`, `#`, `https://www.youtube.com/watch?v=…`
    seek: int | None  # the instant the destination names, in seconds, if it names one
    foreign: bool = False  # it names another video (a plausible video id, not the note's)
    unreadable: bool = False  # it holds a time that does not parse (`#t=HH:MM:SS`)


def fake_links(note: Note) -> list[FakeLink]:
    """Markdown links, in prose and in text order, whose text is a time and whose target
    does not seek there: a `#t=` or time fragment, a bare `#`, a YouTube address of no video
    (`watch?v=00:00:38`, `watch?v=example`), or of a video at no or another instant (computed
    once per note)."""
    return note.memo(_find_fake_links)


def _find_fake_links(note: Note) -> list[FakeLink]:
    text = note.text
    if "](#" not in text and "](http" not in text:
        return []
    found: list[FakeLink] = []
    for m in _FAKE_LINK.finditer(text, note.body_start):
        if not note.is_prose(m.start()):
            continue
        label = parse_time(m.group(1))
        link = _fake_destination(m.group(2), label, note.video_id)
        if link is not None:
            seek, foreign, unreadable = link
            found.append(FakeLink(m.start(), m.end(), label, m.group(2), seek, foreign, unreadable))
    return found


def _fake_destination(
    destination: str, label: Time | None, video_id: str | None
) -> tuple[int | None, bool, bool] | None:
    """(seek, foreign, unreadable) when a link with this destination and a time for its text
    poses as a timestamp; None when it is a heading link, or a YouTube link that seeks to its
    label (it works, in the note's video or in another one it cites)."""
    if destination.startswith("#"):
        fragment = _TIME_FRAGMENT.match(destination, 1)
        if fragment is None:
            return None  # `#timeline`: a heading
        written = fragment.group(1)
        time = parse_time(written)
        return (time.seconds if time else None), False, bool(written) and time is None
    params = {key: value for key, value in _YT_PARAM.findall(destination)}
    short = _YT_SHORT.search(destination)
    video = short.group(1) if short else params.get("v", "")
    seek = _youtube_seconds(params.get("t") or params.get("start") or "")
    real = _VIDEO_ID.fullmatch(video) is not None and parse_time(video) is None
    if real and label is not None and seek == label.seconds:
        return None  # it seeks to its label, in this video or in another one it cites
    if not real and seek is None and (time := parse_time(video)) is not None:
        seek = time.seconds  # `watch?v=00:00:38`: the time stood in for the video's id
    return seek, real and video != video_id, False


def _youtube_seconds(value: str) -> int | None:
    """Seconds of a YouTube `t=` value (`75`, `1m15s`, `1h2m3s`, `00:01:15`), else None."""
    if not value:
        return None
    if ":" in value:
        time = parse_time(value)
        return time.seconds if time else None
    m = _YT_SECONDS.fullmatch(value)
    if m is None or not any(m.groups()):
        return None
    h, mi, s = (int(g) if g else 0 for g in m.groups())
    return h * 3600 + mi * 60 + s


def _within(spans: list[tuple[int, int]], offset: int) -> bool:
    """Whether `offset` lies in one of the sorted, non-overlapping `spans`."""
    i = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= offset < spans[i][1]


def _anchor_tags(note: Note) -> list[Anchor]:
    """The `<a class="yt-timestamp" data-t="…">` anchors in prose."""
    text = note.text
    found: list[Anchor] = []
    body = note.body_start
    all_prose = not any(end > body for _, end in note.non_prose)  # the body holds no code
    for m in _OPEN.finditer(text, body):
        if not all_prose and not note.is_prose(m.start()):
            continue
        label = m.group(2)
        if label is not None:  # the common case: `<a …>[label]</a>` in one piece
            found.append(
                Anchor(m.start(), m.end(), m.group(1), label, m.start(2), True, True, m.start(1))
            )
        else:  # the tag alone: `m.end()` is where it ends
            found.append(_anchor_at(text, m, note.line_break(m.end())))
    _mark_outer_brackets(text, found)
    return found


_GROUP_SEPARATOR = re.compile(r"[ \t]*[,;][ \t]*")


def _mark_outer_brackets(text: str, found: list[Anchor]) -> None:
    """Mark brackets put around an anchor, or around a group of anchors joined by `,`/`;`."""
    i = 0
    while i < len(found):
        first = last = found[i]
        i += 1
        # Only a `[` can open a group (none stands before a later anchor of one: a separator
        # does), so an anchor without one is passed by itself.
        if not (
            first.closed
            and text.startswith("[", first.start - 1)
            and not text.startswith("[[", first.start - 2)
        ):
            continue
        while (
            last.closed
            and i < len(found)
            and found[i].closed
            and _GROUP_SEPARATOR.fullmatch(text, last.end, found[i].start)
        ):
            last = found[i]
            i += 1
        if (
            last.closed
            and text.startswith("]", last.end)
            and not text.startswith(("](", "]]"), last.end)
        ):
            first.outer_open = last.outer_close = True


def _anchor_at(text: str, m: re.Match[str], line_end: int) -> Anchor:
    next_open = text.find("<a", m.end(), line_end)
    limit = line_end if next_open == -1 else next_open
    close = text.find(_CLOSE, m.end(), limit)
    content_end = close if close != -1 else limit
    content = text[m.end() : content_end]
    stripped = content.strip()
    label_start = m.end() + (len(content) - len(content.lstrip()))
    bracketed = stripped.startswith("[")
    if bracketed:
        bracket = stripped.find("]")
        bracket_closed = bracket != -1
        label = stripped[1:bracket] if bracket_closed else stripped[1:].rstrip()
        label_start += 1
    else:
        bracket_closed = True
        label = stripped
    if close == -1:
        # Unclosed: the anchor is the open tag and its label as far as it can be read.
        label_end = (
            label_start + len(label) + (1 if stripped.startswith("[") and bracket_closed else 0)
        )
        return Anchor(
            m.start(), label_end, m.group(1), label or None, label_start, False, bracket_closed,
            m.start(1), bracketed,
        )  # fmt: skip
    return Anchor(
        m.start(), close + len(_CLOSE), m.group(1), label, label_start, True, bracket_closed,
        m.start(1), bracketed,
    )  # fmt: skip


@dataclass(frozen=True)
class Corrupt:
    """A broken timestamp tag, and the instant it still tells, if one can be read."""

    start: int
    end: int
    reason: str
    seconds: int | None  # the recoverable instant, or None
    range_end: int | None = None  # a broken range: the instant of its end


def corrupt_anchors(note: Note) -> list[Corrupt]:
    """Broken yt-timestamp tags in prose, in text order (computed once per note)."""
    return note.memo(_find_corrupt)


def _find_corrupt(note: Note) -> list[Corrupt]:
    text = note.text
    found: list[Corrupt] = []
    for m in _ANCHOR_LIKE.finditer(text, note.body_start):
        if not note.is_prose(m.start()):
            continue
        tag = m.group()
        end = m.end()
        label = ""
        line_end = note.line_break(end)
        next_open = text.find("<a", end, line_end)
        close = text.find(_CLOSE, end, line_end if next_open == -1 else next_open)
        if close != -1:  # a `</a>` before the next tag closes this one
            label = text[end:close]
            end = close + len(_CLOSE)
        elif (after := _LABEL_AFTER.match(text, end, line_end)) is not None:
            label, end = after.group(), after.end()  # never closed: its label is part of it
        found.append(Corrupt(m.start(), end, _corruption(tag), _recover(tag, label)))
    tags = note.memo(_anchor_tags)
    taken = -1  # the end of a broken range already reported
    for i, anchor in enumerate(tags):
        if anchor.start < taken:
            continue
        if not anchor.closed:  # only an unclosed anchor can run into the next one
            broken = _broken_range(text, anchor, tags[i + 1] if i + 1 < len(tags) else None)
            if broken is not None:
                found.append(broken)
                taken = broken.end
            continue
        if not text.startswith("(", anchor.start - 1):
            continue
        before = _WRAPPED_BEFORE.search(text, max(0, anchor.start - 16), anchor.start)
        if before:
            # `[00:16:01](<a …>[00:16:01]</a>)`, and as often with the `(` never closed.
            closed = text.startswith(")", anchor.end)
            label = f"[{before.group(1)}]"
            seconds = _recover(f'data-t="{anchor.data_t_text}"', label)
            reason = "wrapped in a Markdown link" + ("" if closed else " whose ( never closes")
            found.append(Corrupt(before.start(), anchor.end + closed, reason, seconds))
    found.sort(key=lambda c: c.start)
    return found


def _broken_range(text: str, anchor: Anchor, following: Anchor | None) -> Corrupt | None:
    """A range whose first anchor runs into the second: `<a …>00:09:17>)-[00:09:21](<a …>`.
    One finding for the range, not one per fragment."""
    if anchor.closed or following is None or anchor.label_text is None:
        return None
    m = _RANGE_LABEL.fullmatch(anchor.label_text)
    if m is None or text[anchor.end : following.start].strip():
        return None
    start = anchor.start
    before = _WRAPPED_BEFORE.search(text, max(0, start - 16), start)
    if before is not None and text.startswith("(", start - 1):
        start = before.start()
    end = following.end + (following.closed and text.startswith(")", following.end))
    first = _recover(f'data-t="{anchor.data_t_text}"', m.group(1))
    second = _recover(f'data-t="{following.data_t_text}"', following.label_text or "")
    if first is None or second is None:
        first = second = None
    return Corrupt(start, end, "a time range broken across its two anchors", first, second)


def _corruption(tag: str) -> str:
    if not tag.endswith(">"):
        return "the tag is never closed"
    if 'class="yt-timestamp"' not in tag:
        return "broken class attribute"
    if "data-t=" not in tag:
        return "`data` instead of `data-t`"
    return "broken attributes"


def _recover(tag: str, label: str) -> int | None:
    """The instant both the tag and the label tell (or the one that tells one), else None."""
    times = [t for t in (*_TIME_IN.findall(tag)[:1], *_TIME_IN.findall(label)[:1])]
    readings: list[frozenset[int] | set[int]] = []
    for t in times:
        parsed = parse_time(t)
        if parsed is not None:
            readings.append(parsed.readings())
        elif (lenient := parse_lenient(t)) is not None:
            readings.append({lenient})
        else:
            return None
    if not readings:
        return None
    common = set.intersection(*map(set, readings))
    return common.pop() if len(common) == 1 else None


def ranges(note: Note) -> list[Range]:
    """Consecutive timestamps joined by `-`, `–` or `—` (spaces and one line break allowed),
    in text order (computed once per note)."""
    return note.memo(_find_ranges)


def _find_ranges(note: Note) -> list[Range]:
    text = note.text
    return [
        Range(first, second)
        for first, second in itertools.pairwise(anchors(note))
        if first.end < second.start and _DASH.fullmatch(text, first.end, second.start)
    ]


def dangling_dash(note: Note, anchor: Anchor, next_anchor: Anchor | None) -> int | None:
    """Offset of a range dash after `anchor` with no timestamp after it, else None."""
    text = note.text
    m = _DANGLING_DASH.match(text, anchor.end)
    if m is None:
        return None
    if next_anchor is not None and _DASH.fullmatch(text, anchor.end, next_anchor.start):
        return None
    return anchor.end + (len(m.group()) - len(m.group().lstrip(" \t")))
