"""The only module that talks to the Markdown parser (pyromark).

pyromark reports UTF-8 byte ranges; this module converts them to `str` indices once, so
that every other module works on character offsets.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

import pyromark

_OPTIONS = (
    pyromark.Options.ENABLE_TABLES
    | pyromark.Options.ENABLE_MATH
    | pyromark.Options.ENABLE_STRIKETHROUGH
    | pyromark.Options.ENABLE_TASKLISTS
    | pyromark.Options.ENABLE_FOOTNOTES
)

#: 1 for the lead byte of a multi-byte UTF-8 sequence, else 0 (a `bytes.translate` table).
_LEAD_BYTES = bytes(1 if b >= 0xC0 else 0 for b in range(256))
_MD_LINK_TYPES = {"Inline", "Reference", "Collapsed", "Shortcut"}


@dataclass(frozen=True)
class MarkdownLink:
    """A `[text](dest)` link or `![alt](dest)` image as the parser saw it."""

    dest: str
    start: int
    end: int
    is_image: bool


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    start: int
    end: int


@dataclass
class Parsed:
    """What the rules need from the Markdown structure, in character offsets."""

    #: Sorted, non-overlapping (start, end) ranges that are not prose: code, math, HTML.
    non_prose: list[tuple[int, int]] = field(default_factory=list)
    links: list[MarkdownLink] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)


class _ByteToChar:
    """Maps UTF-8 byte offsets of `text` to `str` indices."""

    def __init__(self, text: str) -> None:
        self._byte_pos: list[int] = []  # byte offset just after each non-ASCII char
        self._extra: list[int] = []  # cumulative extra bytes up to and including it
        data = text.encode("utf-8")
        if len(data) == len(text):
            return  # all ASCII
        # The lead byte of each non-ASCII character, found with `bytes.find` (a regex scan
        # for them costs more than all the rest of this map).
        leads = data.translate(_LEAD_BYTES)
        extra = 0
        at = leads.find(1)
        while at != -1:
            lead = data[at]
            n = 1 if lead < 0xE0 else 2 if lead < 0xF0 else 3  # bytes after the lead
            extra += n
            self._byte_pos.append(at + n + 1)
            self._extra.append(extra)
            at = leads.find(1, at + n + 1)

    def __call__(self, offset: int) -> int:
        if not self._byte_pos:
            return offset
        i = bisect.bisect_right(self._byte_pos, offset)
        return offset - (self._extra[i - 1] if i else 0)


def parse(text: str) -> Parsed:
    """Parse `text` and collect non-prose ranges, links and headings."""
    to_char = _ByteToChar(text)
    result = Parsed()
    raw: list[tuple[int, int]] = []
    comment_start: int | None = None
    heading: tuple[int, int, int] | None = None
    heading_text: list[str] = []
    for event, rng in pyromark.events_with_range(text, options=_OPTIONS, merge_text=True):
        if type(event) is str:  # SoftBreak, HardBreak, Rule, Start/End of simple blocks
            continue
        # An event is a one-key dict: the common kinds (Text, then InlineHtml: timestamp
        # anchors, then End) are told apart by a key lookup, before unpacking the rest.
        if "Text" in event:
            if heading is not None:
                heading_text.append(event["Text"])
            continue
        if "InlineHtml" in event or "Html" in event:
            # An inline HTML comment may span several events: track it until `-->`.
            (value,) = event.values()
            if comment_start is None and value.startswith("<!--"):
                comment_start = rng["start"]
            if comment_start is not None and "-->" in value:
                raw.append((comment_start, rng["end"]))
                comment_start = None
            continue
        if "End" in event:
            if heading is not None and type(value := event["End"]) is dict and "Heading" in value:
                level, hs, he = heading
                title = "".join(heading_text).strip()
                result.headings.append(Heading(level, title, to_char(hs), to_char(he)))
                heading = None
            continue
        ((kind, value),) = event.items()
        start, end = rng["start"], rng["end"]
        if kind == "Start":
            if type(value) is str:
                if value == "HtmlBlock":
                    raw.append((start, end))
                continue
            ((tag, attrs),) = value.items()
            if tag in ("CodeBlock", "MetadataBlock"):
                raw.append((start, end))
            elif tag in ("Link", "Image") and attrs["link_type"] in _MD_LINK_TYPES:
                result.links.append(
                    MarkdownLink(attrs["dest_url"], to_char(start), to_char(end), tag == "Image")
                )
            elif tag == "Heading":
                heading = (int(attrs["level"][1:]), start, end)
                heading_text = []
        elif kind in ("Code", "InlineMath", "DisplayMath"):
            raw.append((start, end))
            if heading is not None and kind == "Code":
                heading_text.append(value)
    if comment_start is not None:
        raw.append((comment_start, len(text.encode("utf-8"))))
    result.non_prose = _merge([(to_char(s), to_char(e)) for s, e in raw])
    return result


#: What every code block, code span and math is written with: a fence or an indented line (a
#: tab or four spaces: a list item's code is indented further), a backtick, a dollar sign;
#: and (`_FOOTNOTE`) a footnote, whose definition may hold any block.
_CODE_MARKS = ("`", "~", "$", "\t", "    ")
_FOOTNOTE = "[^"
#: What may stand before a block on its line: up to three spaces (or a tab), the `>` of
#: quotes, list markers, a task box.
_BEFORE_BLOCK = r"[ \t>*+\-.)0-9\[\]xX]*"
#: A line where an HTML block may start: a `<` first on it but for `_BEFORE_BLOCK`. Inline HTML
#: (an LLM's timestamp anchors, `<br/>`) is prose to the parse, and needs none.
_HTML_BLOCK_LINE = _BEFORE_BLOCK + "<"
#: A line that may be a level-1 heading: `#` and a space, a tab or the line's end, first on it
#: but for `_BEFORE_BLOCK`; or a line of `=` (a setext underline).
_H1_LINE = rf"(?:{_BEFORE_BLOCK}#(?:[ \t\r\n]|\Z)|[ \t>]*=+[ \t]*\r?(?:\n|\Z))"
#: A line that may be (or underline) a heading of level 2 to 6.
_DEEPER_LINE = rf"(?:{_BEFORE_BLOCK}#{{2,6}}(?:[ \t\r\n]|\Z)|[ \t>]*-+[ \t]*\r?(?:\n|\Z))"
#: Each as a pattern for the first line, and one for the others: a search that starts with a
#: line break runs at `memchr` speed from one line to the next, where `^` in multi-line mode
#: was tried at every character (50 µs a note).
_HTML_BLOCK = (re.compile(_HTML_BLOCK_LINE), re.compile("\n" + _HTML_BLOCK_LINE))
_H1 = (re.compile(_H1_LINE), re.compile("\n" + _H1_LINE))
_DEEPER = (re.compile(_DEEPER_LINE), re.compile("\n" + _DEEPER_LINE))
#: What every Markdown link and image is written with: `](` (inline), `][` (full and
#: collapsed references) or `]:` (the definition a shortcut reference needs). One search for
#: the three: a `]` is common (each wikilink ends with two), and three `in` tests each
#: stopped at every one of them.
_LINK_MARK = re.compile(r"\][(\[:]")


def may_hold_code(text: str, start: int = 0) -> bool:
    """Whether `parse(text).non_prose` may hold a range, when all of `text` before `start` is
    blank (a note's front matter, as parsed): a text without any of `_CODE_MARKS` or a
    `_FOOTNOTE` from there, an HTML comment, or a `<` that may start an HTML block, has none,
    and needs no parse for it (most of a person's notes, and of an LLM's, whose HTML is
    inline)."""
    body = text[start:] if start else text
    if any(map(body.__contains__, _CODE_MARKS)) or _holds(body, _FOOTNOTE):
        return True
    return "<" in body and (_holds(body, "<!--") or _starts_a_line(_HTML_BLOCK, body, 0))


def _holds(text: str, needle: str, start: int = 0) -> bool:
    """`needle in text[start:]`, found by the needle's second character, rare in prose (the
    `^` of `[^`, the `!` of `<!--`): a search for several characters reads a text that is not
    all ASCII (an LLM's, with its typographic quotes) at a fifth of the speed of a search for
    one."""
    at = text.find(needle[1], start + 1)
    while at != -1:
        if text.startswith(needle, at - 1):
            return True
        at = text.find(needle[1], at + 1)
    return False


def may_hold_h1(text: str, start: int = 0) -> bool:
    """Whether `parse(text).headings` may hold one of level 1 (`start` as for
    `may_hold_code`; a footnote's `[^`, whose definition may hold one, counts too)."""
    return _holds(text, _FOOTNOTE, start) or _starts_a_line(_H1, text, start)


def may_hold_h1_below(text: str, start: int = 0) -> bool:
    """Whether `parse(text).headings` may hold one of level 1 after one of a deeper level
    (`start` as for `may_hold_h1`): a line that may be a deeper heading, and below it one that
    may be an H1."""
    if _holds(text, _FOOTNOTE, start):
        return True
    deeper = _line_starting(_DEEPER, text, start)
    return deeper != -1 and _starts_a_line(_H1, text, deeper)


def _starts_a_line(
    patterns: tuple[re.Pattern[str], re.Pattern[str]], text: str, start: int
) -> bool:
    """Whether a line of `text` from `start` (a line's start) begins as `patterns` say."""
    return _line_starting(patterns, text, start) != -1


def _line_starting(patterns: tuple[re.Pattern[str], re.Pattern[str]], text: str, start: int) -> int:
    """The start of the first line of `text` from `start` (a line's start) that begins as
    `patterns` say, or -1."""
    first, others = patterns
    if first.match(text, start) is not None:
        return start
    m = others.search(text, start)
    return -1 if m is None else m.start() + 1


#: A line that may be a heading: `#` to `######` and a space, a tab or the line's end, first
#: on it but for `_BEFORE_BLOCK` (group 1), then the heading's text (group 2).
_HEADING_LINE = rf"({_BEFORE_BLOCK})#{{1,6}}(?:[ \t]([^\n]*)|\r?(?=\n|\Z))"
_HEADING = (re.compile(_HEADING_LINE), re.compile("\n" + _HEADING_LINE))
#: A line of `=` or `-` alone: under a line of text, a setext heading's underline.
_UNDERLINE = re.compile(r"\n[ >]*(?:=+|-+)[ \t]*\r?(?=\n|\Z)")
#: What a heading's text is written with where the parser's text differs from the source:
#: emphasis, links, inline HTML, entities, escapes (and `\0`, which it replaces).
_INLINE_MARKUP = re.compile(r"[\[\]<>&\\*_\x00]")
#: A closing sequence of `#`, after a space or a tab (or alone), ends an ATX heading.
_CLOSING = re.compile(r"(?:^|[ \t]+)#+$")
_LONE_CR = re.compile(r"\r(?!\n)")


def plain_headings(text: str, start: int = 0) -> list[str] | None:
    """`[h.text for h in parse(text).headings]` (`start` as for `may_hold_code`), read from
    the lines without the parse; or None where the parse is needed: a body that may hold code
    or HTML (`may_hold_code`), a line break of a lone `\r`, a setext underline below a line of
    text, a `#` heading after a quote's or a list's marker, or a heading with inline markup.
    Each heading's text is then its source, without its `#` markers."""
    if may_hold_code(text, start):
        return None
    if text.find("\r", start) != -1 and _LONE_CR.search(text, start):
        return None  # a line break to the parser, not to these searches
    for m in _UNDERLINE.finditer(text, start):
        above = text[text.rfind("\n", start, m.start()) + 1 : m.start()]
        if above.strip(" >\r"):
            return None
    found: list[str] = []
    first, others = _HEADING
    m = first.match(text, start)
    pos = start
    while True:
        if m is None:
            m = others.search(text, pos)
            if m is None:
                return found
        prefix, content = m.group(1, 2)
        if len(prefix) > 3 or prefix.strip(" "):
            return None  # in a quote or a list item (or no heading: the parse tells)
        content = (content or "").rstrip("\r")
        if _INLINE_MARKUP.search(content):
            return None
        found.append(_CLOSING.sub("", content.strip(" ")).strip())
        pos = m.end()
        m = None


def may_hold_links(text: str, start: int = 0) -> bool:
    """Whether `parse(text).links` may hold a link (see `_LINK_MARK`; `start` as for
    `may_hold_code`)."""
    return _LINK_MARK.search(text, start) is not None


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
