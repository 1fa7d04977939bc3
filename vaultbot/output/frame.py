"""Code frames: the finding's line, windowed around its span to fit the width, and a caret
line under the span. As ruff: `…` marks a cut side; tabs expand to the next tab stop; each
character is measured in terminal cells (CJK and most emoji take two)."""

from __future__ import annotations

from dataclasses import dataclass

from vaultbot.output.safe import visible

TAB = 4
ELLIPSIS = "…"


@dataclass(frozen=True)
class Frame:
    text: str  # the shown line
    marker: str  # spaces then carets, aligned under the span


def _pieces(source: str) -> list[tuple[str, int]]:
    """Each character as shown (a tab expanded, a control character made visible) with its
    width in cells."""
    from rich.cells import cell_len  # loaded when a frame is drawn, not at startup

    pieces: list[tuple[str, int]] = []
    column = 0
    for char in source:
        shown = " " * (TAB - column % TAB) if char == "\t" else visible(char)
        width = len(shown) if char == "\t" else cell_len(shown)
        pieces.append((shown, width))
        column += width
    return pieces


def frame(
    source: str, start: int, end: int, width: int, cut_left: bool = False, cut_right: bool = False
) -> Frame:
    """The frame of `source` (a line, or a window of one: `cut_left`/`cut_right` say whether
    the line goes on beyond it) for the span of character indices start..end, at most `width`
    cells wide."""
    pieces = _pieces(source)
    start = min(max(start, 0), len(pieces))
    end = min(max(end, start + 1), len(pieces) + 1)  # past the end: a caret after the line
    first, last = _window(pieces, start, end, width, cut_left + cut_right)
    lead = ELLIPSIS if first > 0 or cut_left else ""
    tail = ELLIPSIS if last < len(pieces) or cut_right else ""
    text = lead + "".join(shown for shown, _ in pieces[first:last]) + tail
    before = len(lead) + sum(w for _, w in pieces[first:start])
    carets = sum(w for _, w in pieces[start : min(end, last)]) + (end > last)
    return Frame(text, " " * before + "^" * max(carets, 1))


def _window(
    pieces: list[tuple[str, int]], start: int, end: int, width: int, cuts: int
) -> tuple[int, int]:
    """The range of pieces shown: all when they fit beside the `cuts` ellipses the source
    already needs; else one that holds the span's start with some context before it, and as
    much of the span and what follows as fits with a `…` on each side."""
    total = sum(w for _, w in pieces)
    if total + cuts <= width:
        return 0, len(pieces)
    width -= 2  # room for a `…` on each side
    span = sum(w for _, w in pieces[start:end])
    context = max(0, min(width // 3, (width - span) // 2))
    first, room = start, context
    while first > 0 and pieces[first - 1][1] <= room:
        first -= 1
        room -= pieces[first][1]
    last, room = first, width
    while last < len(pieces) and pieces[last][1] <= room:
        room -= pieces[last][1]
        last += 1
    while first > 0 and pieces[first - 1][1] <= room:  # the line ended: use the room left
        first -= 1
        room -= pieces[first][1]
    return first, last
