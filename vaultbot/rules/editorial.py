"""Editorial debris that LLM pipelines leave in notes."""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any

from vaultbot import meaning
from vaultbot.note import HEADER_LINE, Note
from vaultbot.rules.base import Edit, Finding, Fix, Rule, delete_lines
from vaultbot.vault import Vault

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_LEAD = r"^[ \t*_#]*"
_COMMENT = re.compile(r"%%.*?(?:%%|$)")  # Obsidian comments are hidden from readers
_QUOTES = '"“”«»'
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
PREAMBLE_LINES = 2
POSTAMBLE_LINES = 3


@cache
def _config() -> dict[str, Any]:
    text = resources.files("vaultbot.rules").joinpath("editorial.toml").read_text("utf-8")
    return tomllib.loads(text)


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    """The phrase families of `editorial.toml`, one alternation per family."""
    data = {k: v for k, v in _config().items() if isinstance(v, list)}
    starts = data.pop("line_start_triggers")
    inline = data.pop("inline_triggers")
    requester = data.pop("requester_triggers")
    patterns = {key: "|".join(f"(?:{p})" for p in values) for key, values in data.items()}
    compiled = {key: re.compile(p, re.I | re.M) for key, p in patterns.items()}
    compiled["openers"] = re.compile(f"{_LEAD}(?:{patterns['openers']})", re.I)
    # Literal triggers, matched on the lower-cased text: a fast first pass over the body.
    compiled["triggers"] = re.compile(
        "\n[ \t*_#>-]*(?:" + "|".join(map(re.escape, starts)) + ")"
        "|" + "|".join(map(re.escape, inline))
    )
    compiled["requester_triggers"] = re.compile("|".join(map(re.escape, requester)))
    return compiled


def _unquoted(line: str, m: re.Match[str] | None) -> bool:
    return m is not None and sum(line.count(q, 0, m.start()) for q in _QUOTES) % 2 == 0


def classify(line: str, edge: bool) -> str | None:
    """Why `line` is editorial debris, or None. `edge`: it is among the first/last body lines."""
    p = _patterns()
    text = line.strip()
    if not text or text.startswith(">") or text[0] in _QUOTES:
        return None
    lowered = "\n" + text.lower()
    if p["triggers"].search(lowered):
        if _unquoted(text, p["prompt_leaks"].search(text)):
            return "leaked prompt or model reasoning"
        if _unquoted(text, p["edit_reports"].search(text)):
            return "a note to the requester about the edit"
        if p["openers"].match(text) and p["self_references"].search(text):
            if p["edits"].search(text):
                return "the model presenting its edited text"
            ends_colon = text.rstrip("*_ ").endswith(":")
            if edge and ends_colon and not p["third_person"].search(text):
                return "the model presenting its output"
    if (
        edge
        and p["requester_triggers"].search(lowered)
        and _unquoted(text, p["requester"].search(text))
        and p["deliverables"].search(text)
        and not p["third_person"].search(text)
    ):
        return "a line addressed to the requester"
    return None


_PLAIN_START = re.compile(r"[ \t]*$|[^\s<>=\-*+|`~$\d#]")


def _keeps_meaning(note: Note, edits: Sequence[Edit]) -> bool:
    """Whether deleting these lines leaves the text around them meaning what it meant. Only
    when a neighbouring line could change kind (an indented line becoming code, `<b>`
    starting an HTML block, `---` a rule, a list swallowing a code block) is the note
    re-parsed to find out."""
    for edit in edits:
        after = note.text[edit.end : note.text.find("\n", edit.end) + 1 or None]
        before_end = edit.start - 1 if edit.start else 0
        before = note.text[note.text.rfind("\n", 0, before_end) + 1 : edit.start]
        if not (_PLAIN_START.match(after) and _PLAIN_START.match(before)):
            return meaning.preserved(note, edits)
    return True


class EditorialLine(Rule):
    """A stray line written by the LLM to its requester, not for the reader.

    ## What it does
    Finds lines such as "Here is the modified article with inserted backlinks:" at the top of
    a note (after a fixed header like `From: [[channel]]`), "Let me know if you need more
    changes" or "I hope this helps" at the bottom, and leaked prompt or reasoning lines
    ("Add backlinks using these topics:", "Mental Sandbox:") anywhere.

    It weighs signals instead of matching fixed sentences: position in the note, an opener
    that hands something over ("Here is", "Below is", "Certainly!"), the text talking about
    itself ("the modified article", "this summary"), talk of edits and links, and first or
    second person addressed to a requester. Lines in code, comments, block quotes or quotes
    never fire, and nor do content lines such as "Here is the key idea:" or a sentence about an
    article a guest cites. The phrase families live in `editorial.toml`.

    ## Why is this bad?
    The line is part of the generation chat, not of the note: readers see it, search finds
    it, and it shows the vault was produced carelessly.

    ## Example
    ```markdown
    From: [[dwarkesh | The Dwarkesh Podcast]]

    Here is the modified article with inserted backlinks:

    John Schulman discusses ...
    ```

    A leaked line that heads a block (the topic list below "Add backlinks using these
    topics:", a checklist, reasoning) is reported here; the block below it is ED003's.

    ## Fix safety
    Deleting the line (and one blank line beside it) is safe: the line carries no content.
    There is no fix when the line right below it would change meaning without it (an indented
    continuation line would become a code block, a `---` underline a horizontal rule), nor
    when the line heads leaked reasoning or a checklist (ED003): without the line, nothing
    would tell that block from content, so ED003's fix deletes the two together. A topic
    list of `Name – [[name | Name]]` lines is recognised on its own, so its header line
    is still deleted here.
    """

    code, name, severity = "ED001", "editorial-line", "error"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        hits = note.memo(_find_hits)
        leaks = note.memo(_find_leaks) if any(h.reason == LEAK for h in hits.values()) else []
        for hit in hits.values():
            edit = _line_edit(note, hit.number, leaks)
            fix = None if edit is None else Fix("safe", (edit,), "Delete the editorial line")
            yield self.finding(hit.start, hit.end, f"Editorial line ({hit.reason})", fix)


class EditorialFence(Rule):
    """The whole note wrapped in a ```` ```markdown ```` fence.

    ## What it does
    Fires when the body (after the front matter and an optional `From: [[…]]` line) opens
    with a ```` ```markdown ```` (or ```` ```md ````, or `~~~`) fence whose closing fence is
    the last line of the note. The rules lint what is inside as the Markdown it is, not as
    code.

    ## Why is this bad?
    The model returned its answer as a code block and the pipeline saved it verbatim.
    Obsidian shows the whole note as one grey block of source: no headings, no links, no
    backlinks, no timestamps.

    ## Example
    ````markdown
    From: [[dwarkesh | The Dwarkesh Podcast]]

    ```markdown
    John Schulman discusses [[scaling_laws | scaling laws]] ...
    ```
    ````

    ## Fix safety
    Safe: the fix deletes the two fence lines (and a blank line beside each, so none is
    left doubled) and keeps everything between them byte for byte; the text is already
    read as Markdown, so nothing in it changes meaning. A fence line with text right above
    and below it becomes a blank line, so the two are not joined into one paragraph. No fix
    when the fence is the first line of the file and the text inside starts with `---`:
    unwrapped, that block would become the note's front matter.
    """

    code, name, severity = "ED002", "editorial-fence", "error"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        fence = note.wrapping_fence
        if fence is None:
            return
        (start, opening_end), (closing_start, end) = fence
        first, last = note.line_of(start), note.line_of(closing_start)
        opening = note.text[start:opening_end].strip()
        message = f"The whole note is wrapped in a '{opening}' fence (lines {first}-{last})"
        if first == 1 and note.line_text(2).rstrip() == "---":
            # Unwrapped, the `---` inside would become front matter: a human call.
            yield self.finding(start, end, message)
            return
        edits = [delete_lines(note, first), delete_lines(note, last)]
        if _between_text(note, first):  # keep a line break: do not join what is around it
            edits[0] = Edit(start, opening_end, "")
        if edits[0].end > edits[1].start:  # nothing but blank lines inside
            edits = [delete_lines(note, first, last)]
        yield self.finding(start, end, message, Fix("safe", tuple(edits), "Remove the fences"))


class PromptLeak(Rule):
    """Leaked prompt material or model reasoning: a topic list, a checklist, a sandbox.

    ## What it does
    Finds the block of lines that belongs to a leaked prompt or reasoning line (the line
    itself is ED001's): the topic list below "Add backlinks using these topics:" (lines such as
    `Topic name – [[topic_name | Topic name]]`, blank lines between them or not, up to the
    first line that is not one), the items and "Confidence Score: 5/5" below "Constraint
    Checklist & Confidence Score:", the reasoning below "Mental Sandbox:", and reasoning
    paragraphs that go on after "I need to make sure to link …" or a remark about "the
    provided transcript". A topic list whose prompt line is already gone is still found
    when at least two of its lines repeat their alias before the dash.

    The block ends at a heading, another editorial line, code, or a paragraph that does not
    read like the model planning its edit. A leak that is one self-contained line is ED001's
    alone: this rule then does not fire. Shapes and phrases live in `editorial.toml`.

    ## Why is this bad?
    The block is the generation prompt or the model's scratch work. Readers see it, its
    wikilinks create backlinks and graph edges to every topic of the prompt, and search
    finds it.

    ## Example
    ```markdown
    Slowing down AI development is seen as a crucial policy goal.

    Add backlinks using these topics:
    Llama 3 and AI advancements at Meta – [[llama_3_and_ai_advancements_at_meta | Llama 3 and AI advancements at Meta]]
    Open source AI models and their implications – [[open_source_ai_models_and_their_implications | Open source AI models and their implications]]
    ```

    ## Fix safety
    Deleting the block is unsafe: where the block ends is inferred from the shape of its
    lines, and a line of real content written the same way would go with it. The fix
    deletes the block and, together with ED001's fix of the line above it, leaves no double
    blank line. When that line would leave nothing to find the block by (reasoning, a
    checklist), ED001 offers no fix and this fix deletes the line with its block.
    """

    code, name, severity = "ED003", "prompt-leak", "error"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        leaks = note.memo(_find_leaks)
        for leak in leaks:
            start, end = note.line_span(leak.first)[0], note.line_span(leak.last)[1]
            lines = sum(1 for n in range(leak.first, leak.last + 1) if note.line_text(n).strip())
            where = (
                f"below the leaked line {leak.header}"
                if leak.header is not None
                else "whose prompt line is gone"
            )
            message = f"Leaked {leak.spec.label} ({lines} line{'s' * (lines != 1)}) {where}"
            yield self.finding(start, end, message, _leak_fix(note, leak, leaks))


# -- the lines ED001 reports, shared with ED003 --------------------------------------------------

LEAK = "leaked prompt or model reasoning"
_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")


@dataclass(frozen=True)
class _Hit:
    """An editorial line (ED001)."""

    number: int
    start: int
    end: int
    reason: str


def _lowered(note: Note) -> str:
    lowered = note.text.lower()
    if len(lowered) != len(note.text):  # e.g. "İ" lower-cases to two characters
        lowered = note.text.translate(_ASCII_LOWER)
    return lowered


def _find_hits(note: Note) -> dict[int, _Hit]:
    """Every editorial line of the note, by line number (once per note, via `note.memo`)."""
    edges = _edge_lines(note)
    candidates = set(edges)
    for m in _patterns()["triggers"].finditer(note.memo(_lowered), note.body_start):
        candidates.add(note.line_of(m.end()))
    hits: dict[int, _Hit] = {}
    for number in sorted(candidates):
        start, end = note.line_span(number)
        text = note.text[start:end]
        if not note.is_prose(start + len(text) - len(text.lstrip())):
            continue
        if number > 1 and note.line_text(number - 1).lstrip().startswith(">"):
            continue  # a lazy continuation line of a block quote: quoted, not said
        reason = classify(_COMMENT.sub("", text), number in edges)
        if reason is not None:
            hits[number] = _Hit(number, start, end, reason)
    return hits


def _edge_lines(note: Note) -> set[int]:
    """The first and last non-blank prose lines of the body, fixed header lines skipped."""
    if note.body_start >= len(note.text):
        return set()
    first, last = note.line_of(note.body_start), note.line_count

    def prose_lines(numbers: range, want: int, skip_header: bool) -> list[int]:
        found: list[int] = []
        it = iter(numbers)
        for number in it:
            start, end = note.line_span(number)
            text = note.text[start:end]
            if not text.strip() or (skip_header and not found and HEADER_LINE.match(text)):
                continue
            block = note.non_prose_range(start + len(text) - len(text.lstrip()))
            if block is None:
                found.append(number)
                if len(found) == want:
                    break
            else:  # jump over the whole code block, comment or HTML block
                target = note.line_of(block[1] - 1 if numbers.step > 0 else block[0])
                while (number - target) * numbers.step < 0:
                    number = next(it, target)
        return found

    head = prose_lines(range(first, last + 1), PREAMBLE_LINES, True)
    tail = prose_lines(range(last, first - 1, -1), POSTAMBLE_LINES, False)
    return set(head) | set(tail)


def _line_edit(note: Note, number: int, leaks: list[_Leak]) -> Edit | None:
    """ED001's fix of editorial line `number`: delete it, unless the line below would change
    meaning, or the line heads a leaked block that nothing would find without it."""
    if any(leak.header == number and not leak.refindable for leak in leaks):
        return None
    edit = _line_deletion(note, number)
    return edit if edit is not None and _keeps_meaning(note, [edit]) else None


def _line_deletion(note: Note, number: int) -> Edit | None:
    edit = delete_lines(note, number)
    fence = note.wrapping_fence
    if fence is None or not note.line_of(fence[0][0]) < number < note.line_of(fence[1][0]):
        return edit
    if edit != Edit(note.line_starts[number - 1], note.line_starts[number], ""):
        return edit
    # Right inside a fence around the whole note (ED002 deletes the fence line): take the
    # blank line on the other side along, as if the fence line were blank already.
    blank = lambda n: not note.line_text(n).strip()  # noqa: E731
    if note.line_of(fence[0][0]) == number - 1 and blank(number + 1):
        return Edit(edit.start, note.line_starts[number + 1], "")
    if note.line_of(fence[1][0]) == number + 1 and number > 1 and blank(number - 1):
        return Edit(note.line_starts[number - 2], edit.end, "")
    return edit


# -- leaked blocks (ED003) -------------------------------------------------------------------------


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
class _Leak:
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
    for name, spec in _config()["blocks"].items():
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
    spec = _config()["orphan_topics"]
    return _OrphanSpec(
        re.compile(spec["strict"], re.I | re.M),
        re.compile(spec["line"], re.I),
        spec["min_lines"],
        tuple(spec["literals"]),
    )


def _clean(note: Note, number: int) -> str:
    """Line `number` without Obsidian comments (hidden from readers)."""
    return _COMMENT.sub("", note.line_text(number))


def _last_line(note: Note) -> int:
    return note.line_count - note.text.endswith("\n")


def _stops(note: Note, number: int, hits: dict[int, _Hit]) -> bool:
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
    hits: dict[int, _Hit],
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
    note: Note, header: int, first_paragraph: bool, hits: dict[int, _Hit]
) -> tuple[int, int] | None:
    """The paragraphs of model reasoning right after line `header`."""
    reasoning = _patterns()["reasoning"]
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


def _find_leaks(note: Note) -> list[_Leak]:
    """Every leaked block of the note (once per note, via `note.memo`)."""
    hits = note.memo(_find_hits)
    leaks: list[_Leak] = []
    for hit in hits.values():
        if hit.reason != LEAK:
            continue
        text = _COMMENT.sub("", note.text[hit.start : hit.end])
        spec = next((s for s in _block_specs() if s.header.search(text)), None)
        if spec is None:
            continue
        if spec.line is not None:
            block = _line_block(note, hit.number + 1, spec.line, hits, spec.gaps, spec.continuation)
        else:
            block = _reasoning_block(note, hit.number, spec.first_paragraph, hits)
        if block is not None:
            leaks.append(_Leak(spec, hit.number, *block, refindable=False))
    topics = next(s for s in _block_specs() if s.name == "topics")
    for run in _orphan_topic_runs(note, hits):
        same = [i for i, leak in enumerate(leaks) if (leak.first, leak.last) == run]
        if same:
            leaks[same[0]] = replace(leaks[same[0]], refindable=True)
        elif not any(leak.first <= run[1] and run[0] <= leak.last for leak in leaks):
            leaks.append(_Leak(topics, None, *run, refindable=True))
    return sorted(leaks, key=lambda leak: leak.first)


def _orphan_topic_runs(note: Note, hits: dict[int, _Hit]) -> list[tuple[int, int]]:
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


def _leak_fix(note: Note, leak: _Leak, leaks: list[_Leak]) -> Fix | None:
    """Delete the block; with its header line when ED001 does not delete that line itself,
    and otherwise exactly what deleting both at once deletes beyond ED001's own edit."""
    fix = _leak_deletion(note, leak, leaks)
    return fix if fix is not None and _keeps_meaning(note, fix.edits) else None


def _leak_deletion(note: Note, leak: _Leak, leaks: list[_Leak]) -> Fix | None:
    title = f"Delete the leaked {leak.spec.label}"
    if leak.header is None:
        block = delete_lines(note, leak.first, leak.last)
        return Fix("unsafe", (block,), title)
    both = delete_lines(note, leak.header, leak.last)
    header = _line_edit(note, leak.header, leaks)
    if header is None or not (both.start <= header.start and header.end <= both.end):
        return Fix("unsafe", (both,), title + " and the line above it")
    edits = tuple(
        Edit(start, end, "")
        for start, end in ((both.start, header.start), (header.end, both.end))
        if start < end
    )
    return Fix("unsafe", edits, title)


def _between_text(note: Note, number: int) -> bool:
    """Line `number` has text right above it (in the body) and right below it."""
    above = number - 1 >= note.line_of(note.body_start) and note.line_text(number - 1).strip()
    return bool(above) and number < note.line_count and bool(note.line_text(number + 1).strip())


#: The rules this module defines, for the registry in `vaultbot.rules`.
RULES: tuple[type[Rule], ...] = (EditorialLine, EditorialFence, PromptLeak)
