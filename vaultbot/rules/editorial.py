"""Editorial debris that LLM pipelines leave in notes."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from functools import cache
from importlib import resources

from vaultbot.note import Note
from vaultbot.rules.base import Finding, Fix, Rule, delete_lines
from vaultbot.vault import Vault

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_HEADER = re.compile(r"^(?:From|Source|Channel|Video|Tags?):\s*\S", re.I)
_LEAD = r"^[ \t*_#]*"
_COMMENT = re.compile(r"%%.*?(?:%%|$)")  # Obsidian comments are hidden from readers
_QUOTES = '"“”«»'
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
PREAMBLE_LINES = 2
POSTAMBLE_LINES = 3


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    """The phrase families of `editorial.toml`, one alternation per family."""
    text = resources.files("vaultbot.rules").joinpath("editorial.toml").read_text("utf-8")
    data = tomllib.loads(text)
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


_SETEXT_OR_CODE = re.compile(r"^(?: {4,}|\t| {0,3}(?:=+|-+)[ \t]*$)")


def _next_line_changes_meaning(note: Note, number: int) -> bool:
    """Whether the line right below would mean something else without this one above it: an
    indented lazy continuation would become code, a `---` underline a rule."""
    if number >= note.line_count:
        return False
    below = note.line_text(number + 1)
    return bool(below.strip()) and _SETEXT_OR_CODE.match(below) is not None


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

    ## Fix safety
    Deleting the line (and one blank line beside it) is safe: the line carries no content.
    There is no fix when the line right below it would change meaning without it (an indented
    continuation line would become a code block, a `---` underline a horizontal rule).
    """

    code, name, severity = "ED001", "editorial-line", "error"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        edges = self._edge_lines(note)
        candidates = set(edges)
        triggers = _patterns()["triggers"]
        lowered = note.text.lower()
        if len(lowered) != len(note.text):  # e.g. "İ" lower-cases to two characters
            lowered = note.text.translate(_ASCII_LOWER)
        for m in triggers.finditer(lowered, note.body_start):
            candidates.add(note.line_of(m.end()))
        for number in sorted(candidates):
            start, end = note.line_span(number)
            if not note.is_prose(
                start + len(note.text[start:end]) - len(note.text[start:end].lstrip())
            ):
                continue
            reason = classify(_COMMENT.sub("", note.text[start:end]), number in edges)
            if reason is not None:
                fix = None
                if not _next_line_changes_meaning(note, number):
                    fix = Fix("safe", (delete_lines(note, number),), "Delete the editorial line")
                yield self.finding(start, end, f"Editorial line ({reason})", fix)

    @staticmethod
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
                if not text.strip() or (skip_header and not found and _HEADER.match(text)):
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


#: The rules this module defines, for the registry in `vaultbot.rules`.
RULES: tuple[type[Rule], ...] = (EditorialLine,)
