"""Editorial lines (ED001): the phrase families of `editorial.toml` and the lines they find,
shared by the editorial rules."""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from vaultbot import meaning
from vaultbot.note import HEADER_LINE, Note
from vaultbot.rules.base import Edit, delete_lines
from vaultbot.rules.ed004_declined_note import declined_lines

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


_LEAD = r"^[ \t*_#]*"
COMMENT = re.compile(r"%%.*?(?:%%|$)")  # Obsidian comments are hidden from readers
_QUOTES = '"“”«»'
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
PREAMBLE_LINES = 2
POSTAMBLE_LINES = 3


@cache
def phrase_config() -> dict[str, Any]:
    # beside this module, as `cache.cache_key` reads the package (importlib.resources would
    # load its zip readers on every run for a file that is never in a zip)
    text = Path(__file__).with_name("editorial.toml").read_text("utf-8")
    return tomllib.loads(text)


@cache
def phrase_patterns() -> dict[str, re.Pattern[str]]:
    """The phrase families of `editorial.toml`, one alternation per family."""
    data = {k: v for k, v in phrase_config().items() if isinstance(v, list)}
    starts = data.pop("line_start_triggers")
    del data["inline_triggers"], data["requester_triggers"]  # literals: `trigger_phrases`
    patterns = {key: "|".join(f"(?:{p})" for p in values) for key, values in data.items()}
    compiled = {key: re.compile(p, re.I | re.M) for key, p in patterns.items()}
    compiled["openers"] = re.compile(f"{_LEAD}(?:{patterns['openers']})", re.I)
    # Literal triggers, matched on the lower-cased text: a fast first pass over the body. The
    # line-start words follow a line break (a literal first character: a fast search); the
    # phrases are looked for one by one with `str.find` (`trigger_phrases`), much faster than
    # one alternation tried at every character.
    compiled["line_start_triggers"] = re.compile("\n[ \t*_#>-]*" + _trie(starts))
    return compiled


def _trie(words: list[str]) -> str:
    """A regular expression matching any of `words`, factored on their common prefixes
    (`(?:a(?:dd|ll )|…)`): Python's engine tries the alternatives of a flat alternation one
    by one at every line start, a factored one only those sharing the text's first letters."""
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def pattern(node: dict[str, Any]) -> str:
        if "" in node:
            return ""  # a shorter word ends here: the longer ones need not be tried
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items())]
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return pattern(tree)


@cache
def trigger_phrases() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The literal (lower-case) `inline_triggers` and `requester_triggers` of `editorial.toml`."""
    config = phrase_config()
    return tuple(config["inline_triggers"]), tuple(config["requester_triggers"])


def _triggered(lowered: str) -> bool:
    """Whether the lower-cased text holds a trigger: a line-start word after a line break, or
    an inline phrase."""
    if phrase_patterns()["line_start_triggers"].search(lowered):
        return True
    return any(map(lowered.__contains__, trigger_phrases()[0]))


def trigger_ends(lowered: str, start: int) -> Iterator[int]:
    """The end offset of every trigger in the lower-cased text from `start` (see `_triggered`;
    overlapping triggers each count, so every line holding one is found)."""
    for m in phrase_patterns()["line_start_triggers"].finditer(lowered, start):
        yield m.end()
    for phrase in trigger_phrases()[0]:
        at = lowered.find(phrase, start)
        while at != -1:
            yield at + len(phrase)
            at = lowered.find(phrase, at + 1)


def _unquoted(line: str, m: re.Match[str] | None) -> bool:
    return m is not None and sum(line.count(q, 0, m.start()) for q in _QUOTES) % 2 == 0


LEAK = "leaked prompt or model reasoning"
EDIT_REPORT = "a note to the requester about the edit"
EDITED_TEXT = "the model presenting its edited text"
#: "As an AI language model, …": the line may go on with content (ED001's fix is unsafe).
SELF_DISCLOSURE = "the model speaking as itself"


#: A person's own notes and vault: "I added backlinks to my book notes". A model's report
#: of its edit names the article, the text, or the requester's notes, never its own.
_OWN = re.compile(r"\b(?:my|our)\b", re.I)


def machine_made(line: str) -> bool:
    """Whether an editorial line says what only a model writes about its edit (the
    `machine` family), and not of the writer's own notes: the evidence a line of a person's
    note needs to count."""
    text = COMMENT.sub("", line) if "%%" in line else line
    return phrase_patterns()["machine"].search(text) is not None and not _OWN.search(text)


def prompt_line(line: str) -> bool:
    """Whether the line is one of `prompt_lines` ("You are a helpful assistant that …"): in a
    person's note, their prompt library or their own plan, never debris."""
    return phrase_patterns()["prompt_lines"].match(line.strip()) is not None


def classify(line: str, edge: bool) -> str | None:
    """Why `line` is editorial debris, or None. `edge`: it is among the first/last body lines."""
    p = phrase_patterns()
    text = line.strip()
    if not text or text.startswith(">") or text[0] in _QUOTES:
        return None
    lowered = "\n" + text.lower()
    if _triggered(lowered):
        if p["prompt_lines"].match(text) or _unquoted(text, p["prompt_leaks"].search(text)):
            return LEAK
        if _unquoted(text, p["edit_reports"].search(text)):
            return EDIT_REPORT
        if " an ai" in lowered and _unquoted(text, p["self_disclosures"].search(text)):
            return SELF_DISCLOSURE
        if edge and p["handovers"].match(text):
            return EDITED_TEXT
        if p["openers"].match(text):
            itself = p["self_references"].search(text)
            if itself and p["edits"].search(text):
                return EDITED_TEXT
            ends_colon = text.rstrip("*_ ").endswith(":")
            if (
                edge
                and ends_colon
                and (itself or p["presentations"].search(text))
                and not p["third_person"].search(text)
            ):
                return "the model presenting its output"
    if (
        edge
        and any(map(lowered.__contains__, trigger_phrases()[1]))
        and (
            (_unquoted(text, p["requester"].search(text)) and p["deliverables"].search(text))
            or _unquoted(text, p["offers"].search(text))
        )
        and not p["third_person"].search(text)
    ):
        return "a line addressed to the requester"
    return None


_PLAIN_START = re.compile(r"[ \t]*$|[^\s<>=\-*+|`~$\d#]")


#: What re-parsing a note once for each of its editorial lines may cost: their number times
#: the note's length. A note over it (thousands of debris lines, hostile) gets no fix whose
#: safety only a re-parse could show: the finding stays, the fix is left to a person.
REPARSE_BUDGET = 8 * 2**20


def keeps_meaning(note: Note, edits: Sequence[Edit]) -> bool:
    """Whether deleting these lines leaves the text around them meaning what it meant. Only
    when a neighbouring line could change kind (an indented line becoming code, `<b>`
    starting an HTML block, `---` a rule, a list swallowing a code block, a fence becoming
    the one around the whole note) is the note re-parsed to find out, within
    `REPARSE_BUDGET` (else: not shown to keep it)."""
    for edit in edits:
        after = note.text[edit.end : note.text.find("\n", edit.end) + 1 or None]
        before_end = edit.start - 1 if edit.start else 0
        before = note.text[note.text.rfind("\n", 0, before_end) + 1 : edit.start]
        fence_below = note.text[edit.end : edit.end + 80].lstrip().startswith(("```", "~~~"))
        if fence_below or not (_PLAIN_START.match(after) and _PLAIN_START.match(before)):
            affordable = len(note.memo(find_hits)) * len(note.text) <= REPARSE_BUDGET
            return affordable and meaning.preserved(note, edits)
    return True


@dataclass(frozen=True)
class Hit:
    """An editorial line (ED001)."""

    number: int
    start: int
    end: int
    reason: str


def _lowered(text: str) -> str:
    """The text lower-cased, offsets kept: where `str.lower` lengthens a character ("İ", the
    only one, lower-cases to two), only the ASCII letters are."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else text.translate(_ASCII_LOWER)


#: A reasoning model's thinking tags: `<think>` … `</think>` (DeepSeek-R1, QwQ and others).
_THINK = re.compile(r"<(/?)(think|thinking|reasoning)>", re.I)


@dataclass(frozen=True)
class Thought:
    """A reasoning model's thinking block: lines `first`..`last`, from `start` to `end` (just
    after the closing tag, or the end of the opening line when the block is unclosed)."""

    first: int
    last: int
    start: int
    end: int
    opened: bool  # False: a `</think>` whose opening tag the pipeline already cut
    closed: bool  # False: a `<think>` that nothing closes


def find_thoughts(note: Note) -> list[Thought]:
    """Every thinking block of the note (once per note, via `note.memo`)."""
    text = note.text
    found: list[Thought] = []
    opening: re.Match[str] | None = None
    for m in _THINK.finditer(text, note.body_start):
        if _in_code(note, m.start()):
            continue
        line = note.line_of(m.start())
        if not m.group(1):
            if opening is None and not text[note.line_starts[line - 1] : m.start()].strip():
                opening = m  # an opening tag at the start of its line
            continue
        if opening is not None and opening.group(2).lower() == m.group(2).lower():
            first = note.line_of(opening.start())
            found.append(Thought(first, line, opening.start(), m.end(), True, True))
            opening = None
        elif opening is None and not found and not text[m.end() : note.line_break(m.end())].strip():
            # A closing tag ending its line, the opening one cut: the thinking is the top of
            # the body down to it.
            first = note.line_of(note.body_start)
            while first < line and not note.line_text(first).strip():
                first += 1
            if HEADER_LINE.match(note.line_text(first)):
                first += 1
                while first < line and not note.line_text(first).strip():
                    first += 1
            found.append(Thought(first, line, note.line_starts[first - 1], m.end(), False, True))
    if opening is not None:
        first = note.line_of(opening.start())
        found.append(Thought(first, first, opening.start(), note.line_span(first)[1], True, False))
    return found


def _in_code(note: Note, offset: int) -> bool:
    """Whether `offset` is in code, math or a comment: not prose, and not the HTML block a
    `<think>` tag starts (or lies in)."""
    if any(start <= offset < end for start, end in note.comments):
        return True
    ranges = note.code_ranges  # not merged with the front matter, as `note.non_prose`
    i = bisect.bisect_right(ranges, (offset, float("inf"))) - 1
    return i >= 0 and offset < ranges[i][1] and note.text[ranges[i][0]] != "<"


def in_thought(note: Note, offset: int) -> bool:
    """Whether `offset` lies in a thinking block (ED003's: no other editorial finding)."""
    return any(t.start <= offset <= t.end for t in note.memo(find_thoughts))


def find_hits(note: Note) -> dict[int, Hit]:
    """Every editorial line of the note, by line number (once per note, via `note.memo`)."""
    candidates = _trigger_lines(note)
    if not candidates or declined_lines(note) is not None:
        return {}  # no trigger; or the whole note is the model declining (declined-note's)
    edges: set[int] | None = None  # the edge lines, found only when a line needs them
    hits: dict[int, Hit] = {}
    for number in sorted(candidates):
        start, end = note.line_span(number)
        text = note.text[start:end]
        line = COMMENT.sub("", text) if "%%" in text else text
        if edges is not None:
            reason = classify(line, number in edges)
        else:  # what a line says at an edge is a superset of what it says elsewhere
            reason = classify(line, edge=True)
            if reason is not None and reason not in _ANYWHERE:
                edges = note.memo(_edge_lines)
                if number not in edges:
                    reason = classify(line, edge=False)
        if reason is None:
            continue
        if in_thought(note, start):
            continue  # the thinking block is reported whole (ED003)
        if not note.is_prose(start + len(text) - len(text.lstrip())):
            continue
        if number > 1 and note.line_text(number - 1).lstrip().startswith(">"):
            continue  # a lazy continuation line of a block quote: quoted, not said
        hits[number] = Hit(number, start, end, reason)
    return hits


#: What `classify` finds in a line wherever it stands (the rest only at an edge of the body).
_ANYWHERE = (LEAK, EDIT_REPORT, SELF_DISCLOSURE)


#: Every character `str.strip` removes (`str.isspace`): what may stand before a line-start
#: trigger of a line.
SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


@cache
def _any_trigger() -> Any:
    """One pattern for what `classify` needs somewhere in a line to find anything: a trigger
    at a line's start (after what `str.strip` removes and the leading markup it allows), an
    inline trigger, or a requester phrase. RE2 tries them all in one pass over the note,
    where Python's engine would try each at every character. It reads UTF-8 bytes (its
    wrapper converts every offset of a `str` between characters and bytes), and ignores case:
    it matches a lower-case trigger with every character `str.lower` maps to one of its
    characters, so the note is not lower-cased (50 µs a note of an LLM's, which is rarely all
    ASCII)."""
    import re2

    config = phrase_config()
    lead = "".join(f"\\x{{{ord(c):x}}}" for c in SPACES + "*_#>-")
    starts = "|".join(map(re.escape, config["line_start_triggers"]))
    phrases = [*config["inline_triggers"], *config["requester_triggers"]]
    pattern = f"(?i)\\n[{lead}]*(?:{starts})|" + "|".join(map(re.escape, phrases))
    return re2.compile(pattern.encode())


def _trigger_lines(note: Note) -> set[int]:
    """The body lines that may be editorial: those holding something `classify` needs (see
    `_any_trigger`). Most notes of a person's vault hold none, and are not read line by line:
    in a vault of 13,000 such notes this was a quarter of a check's time. The body is searched
    from the start of its first line, as `classify` reads each line. A note with a `%%`
    comment (removed from a line before it is read), or with "İ" (which `lower` turns into
    "i" and a dot, as `classify` reads it), has every trigger line of its lower-cased text and
    its edge lines read."""
    text = note.text
    if note.body_start >= len(text):
        return set()
    if "%%" in text or "\u0130" in text:
        lines = set(note.memo(_edge_lines))
        lines.update(note.line_of(end) for end in trigger_ends(_lowered(text), note.body_start))
        return lines
    body = ("\n" + text[note.body_start :]).encode("utf-8", "surrogatepass")  # from a line start
    # `body[0]` stands for the line break before the first line; a match ends with its
    # trigger, on the trigger's line: the line breaks up to its last byte give the line.
    lines: set[int] = set()
    number, counted = 0, 1  # the body's first line is numbered at the first match: most have none
    for m in _any_trigger().finditer(body):
        number = number or note.line_of(note.body_start)
        number += body.count(b"\n", counted, m.end())
        counted = m.end()
        lines.add(number)
    return lines


def _edge_lines(note: Note) -> set[int]:
    """The first and last non-blank prose lines of the body, fixed header lines skipped."""
    if note.body_start >= len(note.text):
        return set()
    first, last = note.line_of(note.body_start), note.line_count

    def prose_lines(numbers: range, want: int, skip_header: bool) -> list[int]:
        found: list[int] = []
        step, number = numbers.step, numbers.start
        while number in numbers:
            start, end = note.line_span(number)
            text = note.text[start:end]
            if text.strip() and not (skip_header and not found and HEADER_LINE.match(text)):
                block = note.non_prose_range(start + len(text) - len(text.lstrip()))
                if block is None:
                    found.append(number)
                    if len(found) == want:
                        break
                else:  # jump over the whole code block, comment or HTML block
                    last = note.line_of(block[1] - 1 if step > 0 else block[0])
                    if (last - number) * step > 0:
                        number = last
            number += step
        return found

    head = prose_lines(range(first, last + 1), PREAMBLE_LINES, True)
    tail = prose_lines(range(last, first - 1, -1), POSTAMBLE_LINES, False)
    return set(head) | set(tail)


def line_deletion(note: Note, number: int) -> Edit | None:
    edit = delete_lines(note, number)
    fence = note.wrapping_fence
    if fence is None or not note.line_of(fence[0][0]) < number < note.line_of(fence[1][0]):
        return edit
    if edit != Edit(note.line_starts[number - 1], note.line_starts[number], ""):
        return edit
    # Right inside a fence around the whole note (ED002 deletes the fence line): take the
    # blank line on the other side along, as if the fence line were blank already.
    if note.line_of(fence[0][0]) == number - 1 and note.is_blank(number + 1):
        return Edit(edit.start, note.line_starts[number + 1], "")
    if note.line_of(fence[1][0]) == number + 1 and number > 1 and note.is_blank(number - 1):
        return Edit(note.line_starts[number - 2], edit.end, "")
    return edit
