"""Code frames: the finding's line, windowed around its span to fit the width, and a caret
line under the span. As ruff: `…` marks a cut side; tabs expand to the next tab stop; each
character is measured in terminal cells (CJK and most emoji take two)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from vaultbot.output.safe import visible

TAB = 4
ELLIPSIS = "…"


@dataclass(frozen=True)
class Frame:
    text: str  # the shown line
    marker: str  # spaces then carets, aligned under the span


def _pieces(source: str) -> tuple[Sequence[str], Sequence[int]]:
    """Each character as shown (a tab expanded, a control character made visible), and the
    cells the shown characters take before each: `edges[i]` for the first `i` of them, so a
    run of them takes `edges[j] - edges[i]`. A line of printable ASCII (most lines) is shown
    as it is, one cell a character, without a step per character: a large vault's report
    draws 150,000 frames of up to 240 characters."""
    if source.isascii() and source.isprintable():
        return source, range(len(source) + 1)
    return _measured(source)


def _measured(source: str) -> tuple[list[str], list[int]]:
    """`_pieces` for any line: each character's look and cells are measured once a process
    (`_LOOK`, `_CELLS`); a tab takes the cells to the next tab stop."""
    for char in set(source).difference(_CELLS):
        _measure(char)
    if "\t" not in source:
        return list(map(_LOOK.__getitem__, source)), list(
            accumulate(map(_CELLS.__getitem__, source), initial=0)
        )
    shown_all: list[str] = []
    edges = [0]
    column = 0
    for char in source:
        shown = " " * (TAB - column % TAB) if char == "\t" else _LOOK[char]
        column += len(shown) if char == "\t" else _CELLS[char]
        shown_all.append(shown)
        edges.append(column)
    return shown_all, edges


_LOOK: dict[str, str] = {}
_CELLS: dict[str, int] = {}


def _measure(char: str) -> None:
    from rich.cells import cell_len  # loaded when such a frame is drawn, not at startup

    _LOOK[char] = visible(char)
    _CELLS[char] = cell_len(_LOOK[char])


def frame(
    source: str, start: int, end: int, width: int, cut_left: bool = False, cut_right: bool = False
) -> Frame:
    """The frame of `source` (a line, or a window of one: `cut_left`/`cut_right` say whether
    the line goes on beyond it) for the span of character indices start..end, at most `width`
    cells wide."""
    shown, edges = _pieces(source)
    count = len(shown)
    start = min(max(start, 0), count)
    end = min(max(end, start + 1), count + 1)  # past the end: a caret after the line
    first, last = _window(edges, start, end, width, cut_left + cut_right)
    lead = ELLIPSIS if first > 0 or cut_left else ""
    tail = ELLIPSIS if last < count or cut_right else ""
    text = lead + "".join(shown[first:last]) + tail
    before = len(lead) + edges[start] - edges[first]
    carets = max(edges[min(end, last)] - edges[start], 0) + (end > last)
    return Frame(text, " " * before + "^" * max(carets, 1))


def _window(edges: Sequence[int], start: int, end: int, width: int, cuts: int) -> tuple[int, int]:
    """The range of characters shown: all when they fit beside the `cuts` ellipses the source
    already needs; else one that holds the span's start with some context before it, and as
    much of the span and what follows as fits with a `…` on each side. Each bound reaches as
    far as the cells allow, taking characters of no width along."""
    count = len(edges) - 1
    if edges[count] + cuts <= width:
        return 0, count
    width -= 2  # room for a `…` on each side
    span = edges[min(end, count)] - edges[start]
    context = max(0, min(width // 3, (width - span) // 2))
    first = bisect_left(edges, edges[start] - context, 0, start)
    last = max(bisect_right(edges, edges[first] + width) - 1, first)
    first = bisect_left(edges, edges[last] - width, 0, first)  # the line ended: use the room left
    return first, last
