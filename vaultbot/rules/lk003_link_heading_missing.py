"""LK003 link-heading-missing: a link to a heading or block the target note does not have."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from vaultbot import links, markdown, timestamps
from vaultbot.note import Note, NoteError
from vaultbot.profile import persons_note
from vaultbot.rules.base import Finding, Rule
from vaultbot.vault import Vault

_NOT_ALNUM = re.compile(r"[\W_]+")
#: A block id ends its line: `… text ^abc123` (its `^` at the line's start or after a space:
#: `block_ids` checks that, so that the search starts at the literal `^`, found fast).
_BLOCK_ID = re.compile(r"\^([A-Za-z0-9-]+)[ \t]*\r?$", re.M)
_ATX = re.compile(r"^[ \t]*#{1,6}(?:[ \t]+|$)|[ \t]+#+[ \t]*$")


def heading_key(text: str) -> str:
    """A heading (or a link's heading part) as compared: NFC, case-folded, letters and digits
    only. More lenient than Obsidian, so that no real heading is ever reported missing."""
    if text.isascii():  # the same, at C speed: each heading of each target is keyed twice
        return text.encode().translate(None, _ASCII_NOT_ALNUM).decode().lower()
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFC", text)).casefold()


#: The ASCII characters `heading_key` drops, as bytes to delete.
_ASCII_NOT_ALNUM = bytes(c for c in range(128) if not chr(c).isalnum())


@dataclass(frozen=True)
class Anchors:
    """What a `#subpath` can point at in one note."""

    headings: dict[str, str]  # heading_key -> the heading as written (for suggestions)
    blocks: frozenset[str]  # block ids, lower-cased


def anchors(note: Note) -> Anchors:
    """The headings and block ids of a note (computed once per note)."""
    return note.memo(_collect_anchors)


def _collect_anchors(note: Note) -> Anchors:
    headings: dict[str, str] = {}
    plain = markdown.plain_headings(note.text, note.body_start)
    if plain is not None:  # most notes: read from the lines, each heading's source its text
        for title in plain:
            headings.setdefault(heading_key(title), title)
    else:
        _parsed_headings(note, headings)
    headings.pop("", None)
    return Anchors(headings, block_ids(note.text[note.body_start :]))


def _parsed_headings(note: Note, headings: dict[str, str]) -> None:
    """Key each heading the parse finds by its text and by its source."""
    text = note.text
    for heading in note.parsed.headings:
        headings.setdefault(heading_key(heading.text), heading.text)
        # Obsidian keys headings by their source text; the parser's text drops markup.
        lines = text[heading.start : heading.end].rstrip("\r\n").split("\n")
        source = _ATX.sub("", lines[0]) if lines[0].lstrip().startswith("#") else lines[0]
        if len(lines) > 2:  # a setext heading over several lines
            source = " ".join(line.strip() for line in lines[:-1])
        headings.setdefault(heading_key(source), heading.text)


def block_ids(body: str) -> frozenset[str]:
    """The block ids (`^abc123` ending a line) of a note's body, lower-cased."""
    if "^" not in body:
        return frozenset()
    return frozenset(
        m.group(1).lower()
        for m in _BLOCK_ID.finditer(body)
        if m.start() == 0 or body[m.start() - 1] in " \t\n"
    )


class _TargetAnchors:
    """Anchors of target notes, each read and parsed on first use, once per process."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self.cache: dict[str, Anchors | None] = {}

    def get(self, rel: str) -> Anchors | None:
        if rel not in self.cache:
            try:
                data = self.vault.read(rel, rel)
                target = Note.from_bytes(rel, data)
                target.own_fence = persons_note(target, self.vault)  # as when it is checked
                self.cache[rel] = anchors(target)
            except (NoteError, RecursionError):
                self.cache[rel] = None  # unreadable: other rules say so; nothing to check
        return self.cache[rel]


class LinkHeadingMissing(Rule):
    """A link to a heading or block that the target note does not have.

    ## What it does
    For links with a subpath, `[[note#Heading]]`, `[[note#^block]]`, `[[#Heading]]`,
    `[text](note.md#Heading)` and front-matter links, reads the target note (only `.md`
    targets that resolve) and looks for the heading or block:
    - headings compare case-insensitively on their letters and digits only, so spacing and
      punctuation Obsidian strips (`:`, `#`, `|`, …) never cause a report; in a nested path
      `#Chapter#Section` the last heading must exist;
    - a block `#^id` needs a line (or paragraph) of the target ending in `^id`.
    Targets that cannot be read are skipped. A missing target note is `link-target-missing`.
    The message names the closest heading for the first 50 missing headings of a
    note, when the target has at most 1,000 headings (the search costs time that
    grows with both).

    ## Why is this bad?
    Obsidian opens the note at its top instead of the section, and an embed of a missing
    section shows an error. It usually means a heading was renamed, or invented by an LLM.
    The leniency means some links Obsidian cannot follow pass (a GitHub-style slug such as
    `#my-heading` matches `## My Heading` here), never the other way round.

    ## Example
    ```markdown
    See [[Asymptote#Vertical Asymptotes]] (the heading is "Vertical Asymptote").
    ```

    ## Fix safety
    None: which heading was meant is a human call; the message names the closest heading
    when there is one.
    """

    code, name, severity = "LK003", "link-heading-missing", "warning"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        budget = [SUGGESTIONS]  # closest-heading searches left for this note
        fake = {(f.start, f.end) for f in timestamps.fake_links(note)}
        for link in links.all_links(note):
            parts = [p for p in link.subpath.split("#") if p.strip()]
            if not parts or (link.start, link.end) in fake:
                continue  # `[00:48:21](#t=00:48:21)` is timestamp-fake-link's
            rel = vault.resolve(link.target, note.rel)
            if rel is None or not rel.lower().endswith(".md"):
                continue
            found = anchors(note) if rel == note.rel else vault.memo(_TargetAnchors).get(rel)
            if found is None:
                continue
            message = _missing_anchor(found, parts[-1].strip(), rel, budget)
            if message:
                yield self.finding(link.start, link.end, message)


#: How many closest-heading suggestions a note gets, and among how many headings at most.
SUGGESTIONS = 50
SUGGEST_AMONG = 1000


def _missing_anchor(found: Anchors, part: str, rel: str, budget: list[int]) -> str | None:
    """Why `part` (a heading, or `^block`) is not in the note `rel`, or None if it is.
    `budget` holds how many closest-heading searches are left (one is used here, if any)."""
    if part.startswith("^"):
        block = part[1:].strip()
        if not block or block.lower() in found.blocks:
            return None
        return f"Block '^{block}' not found in '{rel}'"
    key = heading_key(part)
    if not key or key in found.headings:
        return None
    message = f"Heading '{part}' not found in '{rel}'"
    if budget[0] <= 0 or len(found.headings) > SUGGEST_AMONG:
        return message
    budget[0] -= 1
    close = _closest(key, list(found.headings))
    if close is not None:
        message += f" (closest: '{found.headings[close]}')"
    return message


def _closest(key: str, headings: list[str]) -> str | None:
    """The heading most like `key` (similarity at least 75%, the larger one on a tie), else
    None. rapidfuzz's similarity (2 x the longest common subsequence / both lengths): difflib's
    `get_close_matches` took half a millisecond per search among 20 headings."""
    from rapidfuzz import fuzz, process

    scored = process.extract(key, headings, scorer=fuzz.ratio, score_cutoff=75, limit=None)
    return max(((score, heading) for heading, score, _ in scored), default=(0, None))[1]
