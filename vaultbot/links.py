"""Wikilink, embed, Markdown-link and front-matter-link extraction (DESIGN.md §4).

Resolution against the vault's file index lives in `vault.py`; this module only finds links
and normalises their targets the way Obsidian does.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from vaultbot.note import Note

# `[[…]]` on one line whose inside holds no `[[` (Obsidian: such a span is not a link).
# (A leading `!` makes an embed; it is looked at in code so the pattern starts with a literal.)
# The inside is first tried as a run without `[` (at the regex engine's fast single-character
# speed: most links), then character by character, each `[` not followed by another: the same
# match as `(?:(?!\[\[)[^\n])+?`, which tried its lookahead at every character. Each attempt
# stops at the next `[[` (a search for the first `]]` alone was quadratic on a line of many
# `[[` and no `]]`).
_WIKILINK = re.compile(r"\[\[([^\[\n]+?|(?:[^\[\n]|\[(?!\[))+?)\]\]")
_SIZE = re.compile(r"^\s*\d+\s*(?:x\s*\d+\s*)?$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_PERCENT = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_URI_RESERVED = set(";/?:@&=+$,#")


@dataclass(eq=False)
class Link:
    kind: str  # "wikilink" | "embed" | "markdown" | "frontmatter"
    target: str  # the path part, normalised (may be "" for a link to the note itself)
    subpath: str  # "#heading" / "#^block" or ""
    display: str | None  # alias / link text, when given
    start: int  # offsets of the whole link in the note text
    end: int
    raw: str  # the link as written


#: Obsidian refuses `[` and `]` in note names: a target holding one is debris
#: (`[[government_and_policy_co].]]`), never a note still to write.
_BRACKET = re.compile(r"[\[\]]")


def holds_bracket(target: str) -> bool:
    """Whether `target` holds `[` or `]`, which no note name can hold."""
    return _BRACKET.search(target) is not None


def normalise_target(target: str) -> str:
    """NFC, U+00A0 as space, a trailing backslash (from `\\|` in tables) dropped, trimmed."""
    target = target.strip()
    if target.endswith("\\"):
        target = target[:-1].rstrip()
    return unicodedata.normalize("NFC", target.replace("\xa0", " "))


def split_wikilink(inner: str) -> tuple[str, str, str | None]:
    """Split the inside of `[[…]]` into (target, subpath, display)."""
    pipe = inner.find("|", 1)
    display = None
    if pipe != -1:
        display = inner[pipe + 1 :].strip()
        inner = inner[:pipe].rstrip()
        if inner.endswith("\\"):  # `[[t#^id\|a]]` in a table: Obsidian drops the escape
            inner = inner[:-1]
    hash_ = inner.find("#")
    subpath = ""
    if hash_ != -1:
        subpath = inner[hash_:].strip()
        inner = inner[:hash_]
    return normalise_target(inner), subpath, display


def decode_uri(value: str) -> str:
    """Decode like JavaScript's decodeURI: escapes of reserved characters stay encoded."""

    def repl(m: re.Match[str]) -> str:
        raw = m.group()
        try:
            decoded = bytes.fromhex(raw.replace("%", "")).decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError(raw) from None
        out: list[str] = []
        i = 0
        for ch in decoded:
            size = len(ch.encode("utf-8")) * 3
            out.append(raw[i : i + size] if ch in _URI_RESERVED else ch)
            i += size
        return "".join(out)

    try:
        return _PERCENT.sub(repl, value)
    except ValueError:
        return value  # decodeURI throws on malformed escapes; Obsidian keeps the raw text


def wikilinks(note: Note) -> Iterator[Link]:
    text = note.text
    body = note.body_start
    #: Whether some code, math, HTML or comment lies in the body (known at the first link):
    #: where none does (most of a person's notes), every link is prose, and no range is
    #: looked up for each.
    in_body: bool | None = None
    for m in _WIKILINK.finditer(text, body):
        start = m.start()
        embed = start > body and text[start - 1] == "!"
        start -= embed
        if in_body is None:
            in_body = any(end > body for _, end in note.non_prose)
        if in_body and not _is_prose_link(note, start, m):
            continue
        target, subpath, display = split_wikilink(m.group(1))
        kind = "embed" if embed else "wikilink"
        yield Link(kind, target, subpath, display, start, m.end(), text[start : m.end()])


def _is_prose_link(note: Note, start: int, m: re.Match[str]) -> bool:
    """The link is prose; inside its brackets it may hold code spans and inline math:
    `[[t|`ls` command]]` is a link whose alias shows code, `[[Git#Using `git rebase`]]` and
    `[[Groups#index $2$ subgroups]]` ones to a heading that holds code or math (Obsidian's
    heading suggestion writes the heading as it is; its links win over both)."""
    if note.span_is_prose(start, m.end()):
        return True
    inner_start, inner_end = m.start(1), m.end() - 2
    if not (note.span_is_prose(start, inner_start) and note.is_prose(inner_end)):
        return False
    inside = [r for r in note.non_prose if r[0] < inner_end and r[1] > inner_start]
    return all(inner_start <= a and b <= inner_end and note.text[a] in "`$" for a, b in inside)


#: A Markdown link whose destination is a timestamp anchor's attributes: the remains of an
#: anchor wrapped in a link, which timestamp-corrupt reports; no note is named `a class=…`.
_TIMESTAMP_TAG = re.compile(r'\bclass="yt-timestamp"|\bdata-t="')


def markdown_links(note: Note) -> Iterator[Link]:
    for link in note.parsed_links:
        dest = link.dest.strip()
        if not dest or _SCHEME.match(dest) or not note.span_is_prose(link.start, link.end):
            continue
        dest = decode_uri(dest)
        if _TIMESTAMP_TAG.search(dest):
            continue  # `[00:00:41](<a%20class="yt-timestamp"…>)`: a broken anchor, not a link
        hash_ = dest.find("#")
        subpath = ""
        if hash_ != -1:
            dest, subpath = dest[:hash_], dest[hash_:]
        raw = note.text[link.start : link.end]
        yield Link("markdown", normalise_target(dest), subpath, None, link.start, link.end, raw)


#: Front-matter link values not found where expected, at most: each such search reads the
#: whole block, so after this many the remaining values are not looked for (and are placed at
#: the block's start).
MAX_MISSES = 100


def frontmatter_links(note: Note) -> Iterator[Link]:
    """String values of the front matter written as `[[…]]` (also inside lists)."""
    meta = note.meta
    fm = note.frontmatter
    if meta is None or fm is None:
        return
    block = note.frontmatter_text
    if "[[" not in block and "\\" not in block:
        return  # no value can read `[[` (only an escape or the text itself could write one)
    search_from = 0
    misses = MAX_MISSES  # values written with escapes are not found as they read
    for value in _strings(meta):
        value = value.strip()
        if not (value.startswith("[[") and value.endswith("]]")) or len(value) < 5:
            continue
        inner = value[2:-2]
        found = block.find(inner, search_from) if misses > 0 else -1
        if found == -1 and misses > 0:
            misses -= 1
            found = block.find(inner)
        start = fm.content_start + max(found - 2, 0)
        if found != -1:
            search_from = found + len(inner)
        target, subpath, display = split_wikilink(inner)
        yield Link("frontmatter", target, subpath, display, start, start + len(value), value)


def _strings(data: Any) -> list[str]:
    """Every string value of the front matter, in the order written (a loop, not a generator
    a value: a rich front matter holds dozens)."""
    found: list[str] = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            stack.extend(reversed(item.values()))
        elif isinstance(item, list):
            stack.extend(reversed(item))
    return found


def all_links(note: Note) -> list[Link]:
    """Every link of a note, in text order (computed once per note)."""
    return note.memo(_find_links)


def _find_links(note: Note) -> list[Link]:
    wiki = list(wikilinks(note))
    # `[[Note]](x)` is a wikilink followed by text in Obsidian; CommonMark sees `[Note](x)`.
    spans = [(w.start, w.end) for w in wiki]
    markdown = [m for m in markdown_links(note) if not any(s <= m.start < e for s, e in spans)]
    links = [*frontmatter_links(note), *wiki, *markdown]
    links.sort(key=lambda link: link.start)
    return links
