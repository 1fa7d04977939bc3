"""What a note means, for the fixer's guard: links and their targets, timestamp anchors,
headings and front matter keys, with where they stand (mdformat refuses to write when the
rendered HTML changes; this is vaultbot's version of that guard)."""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence
from typing import Protocol

from vaultbot import links, timestamps
from vaultbot.note import Note


class EditLike(Protocol):
    start: int
    end: int
    content: str


def items(note: Note) -> list[tuple[int, int, str]]:
    """(start, end, what) of everything whose meaning a fix must not change by accident (once
    per note: a fix round compares the note with its fixed text, which the next round
    compares with its own)."""
    return note.memo(_items)


def _items(note: Note) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    for link in links.all_links(note):
        found.append((link.start, link.end, f"link {link.kind} {link.target}{link.subpath}"))
    for anchor in timestamps.anchors(note):
        found.append((anchor.start, anchor.end, f"anchor {anchor.data_t_text} {anchor.label_text}"))
    for heading in note.parsed.headings:
        found.append((heading.start, heading.end, f"heading {heading.level} {heading.text}"))
    meta = note.meta
    if isinstance(meta, dict):
        fm = note.frontmatter
        assert fm is not None
        found.extend((fm.start, fm.end, f"key {key}") for key in meta)
    return found


def changed(before: Note, after: Note, edits: Sequence[EditLike]) -> str | None:
    """What changed meaning outside the edited spans (`lost: …` / `gained: …`), or None."""

    # The edits do not overlap: sorted by start, their ends are sorted too, so each question
    # below is a binary search (a note may have thousands of edits and of items).
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    old_spans = [(e.start, e.end) for e in ordered]
    new_spans: list[tuple[int, int]] = []
    deltas = [0]  # deltas[i]: how much the first i edits move the text after them
    for edit in ordered:
        start = edit.start + deltas[-1]
        new_spans.append((start, start + len(edit.content)))
        deltas.append(deltas[-1] + len(edit.content) - (edit.end - edit.start))
    ends = [e.end for e in ordered]

    def shift(offset: int) -> int:
        return offset + deltas[bisect.bisect_right(ends, offset)]

    kept = Counter(
        (shift(s), what)
        for s, e, what in items(before)
        if what[:3] == "key" or not _touches(old_spans, s, e)
    )
    now = Counter(
        (s, what)
        for s, e, what in items(after)
        if what[:3] == "key" or not _touches(new_spans, s, e)
    )
    if kept == now:
        return None
    lost = sorted(kept - now)
    return f"lost: {lost[0][1]}" if lost else f"gained: {sorted(now - kept)[0][1]}"


def _touches(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether a span of the sorted, non-overlapping `spans` meets [start, end] (ends count)."""
    i = bisect.bisect_right(spans, (end, float("inf")))  # the spans that start at or before end
    return i > 0 and spans[i - 1][1] >= start


def preserved(note: Note, edits: Sequence[EditLike]) -> bool:
    """Whether applying `edits` (non-overlapping) to `note` keeps its meaning elsewhere."""
    parts: list[str] = []
    pos = 0
    for edit in sorted(edits, key=lambda e: e.start):
        parts += [note.text[pos : edit.start], edit.content]
        pos = edit.end
    parts.append(note.text[pos:])
    after = Note(note.rel, "".join(parts), bom=note.bom, own_fence=note.own_fence)
    return changed(note, after, edits) is None
