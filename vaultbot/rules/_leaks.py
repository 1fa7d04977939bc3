"""Leaked prompt and reasoning blocks (ED003): the blocks below a leaked line, and topic lists
whose line is gone."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import cache

from vaultbot.note import HEADER_LINE, Note
from vaultbot.rules._editorial import COMMENT, LEAK, Hit, find_hits, phrase_config, phrase_patterns

_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")


@dataclass(frozen=True)
class _BlockSpec:
    """A `[blocks.NAME]` table of `editorial.toml`."""

    name: str
    label: str
    header: re.Pattern[str]
    line: re.Pattern[str] | None  # None: reasoning paragraphs
    gaps: bool = False
    continuation: bool = False
    first_paragraph: bool = False


@dataclass(frozen=True)
class _OrphanSpec:
    strict: re.Pattern[str]
    line: re.Pattern[str]
    min_lines: int
    literals: tuple[str, ...]


@dataclass(frozen=True)
class Leak:
    """A leaked block: lines `first`..`last` (blank lines inside included)."""

    spec: _BlockSpec
    header: int | None  # the editorial line it follows; None: a topic list whose line is gone
    first: int
    last: int
    #: Found again without its header line, so ED001 may delete that line on its own.
    refindable: bool


@cache
def _block_specs() -> tuple[_BlockSpec, ...]:
    specs = []
    for name, spec in phrase_config()["blocks"].items():
        line = spec.get("line")
        specs.append(
            _BlockSpec(
                name,
                spec["label"],
                re.compile(spec["header"], re.I),
                re.compile(line, re.I) if line is not None else None,
                spec.get("gaps", False),
                spec.get("continuation", False),
                spec.get("first_paragraph", False),
            )
        )
    return tuple(specs)


@cache
def _orphan_spec() -> _OrphanSpec:
    spec = phrase_config()["orphan_topics"]
    return _OrphanSpec(
        re.compile(spec["strict"], re.I | re.M),
        re.compile(spec["line"], re.I),
        spec["min_lines"],
        tuple(spec["literals"]),
    )


def _clean(note: Note, number: int) -> str:
    """Line `number` without Obsidian comments (hidden from readers)."""
    return COMMENT.sub("", note.line_text(number))


def _last_line(note: Note) -> int:
    return note.line_count - note.text.endswith("\n")


def _stops(note: Note, number: int, hits: dict[int, Hit]) -> bool:
    """Whether line `number` can never belong to a leaked block: an editorial line of its
    own, a heading, a fixed header line, or code, math, HTML or a comment."""
    start, end = note.line_span(number)
    text = note.text[start:end]
    return (
        number in hits
        or _ATX.match(text) is not None
        or HEADER_LINE.match(text) is not None
        or not note.is_prose(start + len(text) - len(text.lstrip()))
    )


def _line_block(
    note: Note,
    number: int,
    line: re.Pattern[str],
    hits: dict[int, Hit],
    gaps: bool = True,
    continuation: bool = False,
    step: int = 1,
) -> tuple[int, int] | None:
    """The run of lines from `number` on (or back, `step` -1) that match `line`: blank lines
    between them when `gaps`, indented lines right below one when `continuation`."""
    first: int | None = None
    last: int | None = None
    bottom, top = note.line_of(note.body_start), _last_line(note)
    n = number
    while bottom <= n <= top:
        text = _clean(note, n)
        if not text.strip():
            if not gaps and first is not None:
                break
        elif _stops(note, n, hits):
            break
        elif line.search(text) or (continuation and last == n - 1 and text[:1] in " \t"):
            first = first or n
            last = n
        else:
            break
        n += step
    if first is None or last is None:
        return None
    return (first, last) if step > 0 else (last, first)


def _reasoning_block(
    note: Note, header: int, first_paragraph: bool, hits: dict[int, Hit]
) -> tuple[int, int] | None:
    """The paragraphs of model reasoning right after line `header`."""
    reasoning = phrase_patterns()["reasoning"]
    first: int | None = None
    last: int | None = None
    top = _last_line(note)
    n = header + 1
    while n <= top:
        blanks = 0
        while n <= top and not note.line_text(n).strip():
            n, blanks = n + 1, blanks + 1
        paragraph: list[int] = []
        while n <= top and note.line_text(n).strip() and not _stops(note, n, hits):
            paragraph.append(n)
            n += 1
        if not paragraph:
            break
        given = first_paragraph and first is None and blanks == 0
        text = " ".join(_clean(note, k) for k in paragraph)
        if not (given or reasoning.search(text)):
            break
        first = first or paragraph[0]
        last = paragraph[-1]
        if n <= top and note.line_text(n).strip():  # cut short by a line that stops it
            break
    return None if first is None or last is None else (first, last)


def find_leaks(note: Note) -> list[Leak]:
    """Every leaked block of the note (once per note, via `note.memo`)."""
    hits = note.memo(find_hits)
    leaks: list[Leak] = []
    for hit in hits.values():
        if hit.reason != LEAK:
            continue
        text = COMMENT.sub("", note.text[hit.start : hit.end])
        spec = next((s for s in _block_specs() if s.header.search(text)), None)
        if spec is None:
            continue
        if spec.line is not None:
            block = _line_block(note, hit.number + 1, spec.line, hits, spec.gaps, spec.continuation)
        else:
            block = _reasoning_block(note, hit.number, spec.first_paragraph, hits)
        if block is not None:
            leaks.append(Leak(spec, hit.number, *block, refindable=False))
    topics = next(s for s in _block_specs() if s.name == "topics")
    for run in _orphan_topic_runs(note, hits):
        same = [i for i, leak in enumerate(leaks) if (leak.first, leak.last) == run]
        if same:
            leaks[same[0]] = replace(leaks[same[0]], refindable=True)
        elif not any(leak.first <= run[1] and run[0] <= leak.last for leak in leaks):
            leaks.append(Leak(topics, None, *run, refindable=True))
    return sorted(leaks, key=lambda leak: leak.first)


def _orphan_topic_runs(note: Note, hits: dict[int, Hit]) -> list[tuple[int, int]]:
    """Runs of topic lines with at least `min_lines` lines `Name – [[name | Name]]`."""
    spec = _orphan_spec()
    text = note.text
    if "|" not in text or not any(literal in text for literal in spec.literals):
        return []
    strict = []
    for m in spec.strict.finditer(text, note.body_start):
        if _fold(m.group("name")) == _fold(m.group("alias")):
            number = note.line_of(m.start())
            if not _stops(note, number, hits):
                strict.append(number)
    runs: list[tuple[int, int]] = []
    for number in strict:
        if runs and number <= runs[-1][1]:
            continue
        up = _line_block(note, number, spec.line, hits, step=-1)
        down = _line_block(note, number, spec.line, hits)
        if up is None or down is None:
            continue
        run = (up[0], down[1])
        if (
            bisect.bisect_right(strict, run[1]) - bisect.bisect_left(strict, run[0])
            >= spec.min_lines
        ):
            runs.append(run)
    return runs


def _fold(name: str) -> str:
    return " ".join(name.strip("*_ \t").split()).casefold()
