"""One note: its bytes, text, lines, front matter, comments and parsed Markdown structure.

Everything is computed once per note, lazily, and shared by all rules. Offsets are `str`
indices into `Note.text` (the decoded file without its BOM, each bare `\r` read as `\n`: see
`Note`); line and column numbers are 1-based.
"""

from __future__ import annotations

import bisect
import errno
import itertools
import os
import re
import stat
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from vaultbot import markdown

T = TypeVar("T")

MAX_NOTE_BYTES = 10 * 1024 * 1024

_COMMENT = re.compile(r"%%")
#: The line that closes front matter: `---` only. YAML's document end `...` (which pandoc
#: accepts) does not close it for Obsidian, which reads "triple dashes at the start and end".
_FM_CLOSE = re.compile(r"^---[ \t]*\r?$", re.M)
_FENCE_OPEN = re.compile(r"^(`{3,}|~{3,})[ \t]*(?:markdown|md)\b[^`\n]*$", re.I)
_FENCE_CLOSE = re.compile(r"^[ \t]*(?:`{3,}|~{3,})[ \t]*$")
#: At most this many editorial lines below a fence that wraps the body (ED001's postamble).
_POSTAMBLE_LINES = 3
_HEADER_KEY = r"^(?:From|Source|Channel|Video|Tags?):"
#: A fixed header line generated notes open with (`From: [[channel | Name]]`).
HEADER_LINE = re.compile(_HEADER_KEY + r"\s*\S", re.I)
#: The same, searched over a whole text (`search(text, pos)` from a line start): whether some
#: line is one. `[^\S\n]` keeps the value on the key's line.
HEADER_LINES = re.compile(_HEADER_KEY + r"[^\S\n]*\S", re.I | re.M)

_NON_SPACE = re.compile(r"\S")
#: A carriage return that no line feed follows: a line break of its own to CommonMark and to
#: Obsidian's editor (`\r\n?|\n`), but not to Python (`re`'s `^`/`$`, `str.find("\n")`).
_BARE_CR = re.compile(r"\r(?!\n)")
#: The characters of a line (line breaks kept): what masking blanks out, a line at a time.
_LINE_TEXT = re.compile(r"[^\r\n]+")


def as_read(text: str) -> str:
    """`text` with each bare `\r` as `\n`: its lines where CommonMark and Obsidian break
    them, one character for one (so offsets into it are offsets into `text`)."""
    return _BARE_CR.sub("\n", text) if text.count("\r") > text.count("\r\n") else text


def _blank(m: re.Match[str]) -> str:
    return " " * (m.end() - m.start())


def _blanked(text: str) -> str:
    """`text` with each character but its line breaks a space, offsets unchanged (lines of
    `\n` alone blanked at C speed: a rich front matter has dozens)."""
    if "\r" in text:
        return _LINE_TEXT.sub(_blank, text)
    return "\n".join(map(" ".__mul__, map(len, text.split("\n"))))


_CONTROL = bytes(range(32)).translate(None, b"\t\n\r\f")


def _control_share(data: bytes) -> float:
    head = data[:8192]
    return (len(head) - len(head.translate(None, _CONTROL))) / max(len(head), 1)


class NoteError(Exception):
    """A note that cannot be read as text; the message names the problem in one line."""


@dataclass(frozen=True)
class FrontMatter:
    """The YAML block at the top of a note, between two `---` lines."""

    start: int  # offset of the opening `---`
    end: int  # offset just after the closing line (or end of text if unclosed)
    content_start: int  # offset of the first YAML line
    content_end: int  # offset of the closing `---` (or end of text)
    closed: bool


def writable(text: str) -> bool:
    """Whether `text` can go into a note, which is UTF-8: a file name that is not UTF-8 (its
    bytes decoded by `os.fsdecode` as lone surrogates) cannot."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def decode(data: bytes, display: str) -> tuple[str, bool]:
    """Decode a note's bytes; return (text without BOM, had_bom). Raise NoteError."""
    if len(data) > MAX_NOTE_BYTES:
        raise NoteError(f"{display}: file is too large ({len(data)} bytes; limit {MAX_NOTE_BYTES})")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if b"\x00" in data[:8192]:
            raise NoteError(f"{display}: binary file, not a Markdown note") from None
        raise NoteError(
            f"{display}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None
    if "\x00" in text and _control_share(data) > 0.1:
        raise NoteError(f"{display}: binary file, not a Markdown note")
    bom = text.startswith("\ufeff")
    return (text[1:] if bom else text), bom


_KINDS = (
    (stat.S_ISDIR, "directory"),
    (stat.S_ISFIFO, "FIFO"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
    (stat.S_ISSOCK, "socket"),
)
#: Open without blocking (a FIFO swapped in after `stat` must not hang the run) and without
#: making a terminal the controlling one.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


def _check_regular(info: os.stat_result, display: str) -> None:
    """Raise NoteError unless `info` is a regular file within the size limit."""
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "special file")
        raise NoteError(f"{display}: not a regular file ({kind})")
    if info.st_size > MAX_NOTE_BYTES:
        raise NoteError(
            f"{display}: file is too large ({info.st_size} bytes; limit {MAX_NOTE_BYTES})"
        )


def _dangling(path: Path) -> str:
    """What is wrong with a symbolic link that leads to no file."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
    return "broken symbolic link"


def read_bytes(path: Path | str, display: str) -> bytes:
    """Read a note from disk, turning every OS error into a one-line NoteError.

    Only regular files are read (a FIFO would block for ever, a device never ends); the size
    comes from `stat` before reading, and no more than the limit plus one byte is read, so a
    file that grows meanwhile is still refused. Three calls to the system for a note (a run
    reads every note: pathlib's and a file object's own calls were a tenth of a check of a
    person's vault)."""
    try:
        try:
            _check_regular(os.stat(path), display)
        except (FileNotFoundError, NotADirectoryError):
            if os.path.islink(path):
                raise NoteError(f"{display}: {_dangling(path)}") from None
            raise
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise NoteError(f"{display}: symbolic link loop") from None
            raise
        fd = os.open(path, _OPEN_FLAGS)
        try:
            info = os.fstat(fd)
            _check_regular(info, display)  # the file that was opened
            # Its size and a byte more (not the limit: a buffer of 10 MB a note costs time),
            # and on up to the limit if it grew meanwhile.
            data = _read_up_to(fd, info.st_size + 1)
            if len(data) > info.st_size:
                data += _read_up_to(fd, MAX_NOTE_BYTES + 1 - len(data))
        finally:
            os.close(fd)
        if len(data) > MAX_NOTE_BYTES:
            raise NoteError(f"{display}: file is too large (over {MAX_NOTE_BYTES} bytes)")
        return data
    except PermissionError:
        raise NoteError(f"{display}: permission denied") from None
    except IsADirectoryError:
        raise NoteError(f"{display}: is a directory") from None
    except FileNotFoundError:
        raise NoteError(f"{display}: file not found") from None
    except OSError as exc:
        raise NoteError(f"{display}: cannot read ({exc.strerror or exc})") from None


def _read_up_to(fd: int, size: int) -> bytes:
    """`size` bytes from `fd`, or fewer at the end of the file (one `os.read` may return less
    than asked before the end, on some file systems)."""
    parts = []
    while size > 0:
        part = os.read(fd, size)
        if not part:
            break
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


class Note:
    """A Markdown note of a vault."""

    def __init__(
        self,
        rel: str,
        text: str,
        *,
        bom: bool = False,
        data: bytes | None = None,
        own_fence: bool = False,
    ):
        self.rel = rel  # vault-relative path with `/` separators
        #: The text as read (what a fix splices its edits into and writes back).
        self.source = text
        #: The text the rules read: the source with each bare `\r` (an old Mac line break, or
        #: the first of `\r\r\n`) turned into `\n`, so that every line break is seen where
        #: CommonMark and Obsidian see one, by code that splits at `\n`. One character for
        #: one: offsets into it are offsets into the source.
        self.text = as_read(text)
        self.bom = bom
        self.data = data
        #: A fence around the whole body is the note's own code block (a person's Markdown
        #: snippet), not a model's answer saved verbatim: set from the vault profile
        #: (`profile.persons_note`) before anything reads the note.
        self.own_fence = own_fence
        self._memo: dict[Callable[[Note], Any], Any] = {}

    def memo(self, compute: Callable[[Note], T]) -> T:
        """`compute(self)`, computed once per note and shared by every rule."""
        if compute not in self._memo:
            self._memo[compute] = compute(self)
        return self._memo[compute]

    @classmethod
    def from_bytes(cls, rel: str, data: bytes, display: str | None = None) -> Note:
        text, bom = decode(data, display or rel)
        return cls(rel, text, bom=bom, data=data)

    # -- lines -------------------------------------------------------------------------------
    @cached_property
    def line_starts(self) -> list[int]:
        """Offset of the first character of each line (lines end at `\n`)."""
        lengths = map(len, self.text.split("\n")[:-1])
        return list(itertools.accumulate(map((1).__add__, lengths), initial=0))  # and its \n

    def line_of(self, offset: int) -> int:
        """1-based line number of a character offset."""
        return bisect.bisect_right(self.line_starts, offset)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        line = self.line_of(offset)
        return line, offset - self.line_starts[line - 1] + 1

    def line_span(self, line: int) -> tuple[int, int]:
        """(start, end) offsets of a 1-based line, without its line break."""
        start = self.line_starts[line - 1]
        end = self.line_starts[line] - 1 if line < len(self.line_starts) else len(self.text)
        if end > start and self.text[end - 1] == "\r":
            end -= 1
        return start, end

    def line_break(self, offset: int) -> int:
        """Offset of the `\n` that ends the line holding `offset`, or the end of the text."""
        line = self.line_of(offset)
        return self.line_starts[line] - 1 if line < len(self.line_starts) else len(self.text)

    def line_ending(self, line: int) -> str:
        """The line break that ends a 1-based line in the source (`\n`, `\r\n`, `\r`, or
        `""` for a last line without one): what an edit that adds a line writes."""
        start = self.line_span(line)[1]
        end = self.line_starts[line] if line < len(self.line_starts) else len(self.text)
        return self.source[start:end]

    def is_blank(self, line: int) -> bool:
        """Whether a 1-based line is blank as CommonMark has it: spaces and tabs only. (`strip`
        also strips NBSP, NEL, U+2028, `\v`, `\f`: characters of a line, which a fix that takes
        a blank line along must not delete.)"""
        return not self.line_text(line).strip(" \t")

    def line_text(self, line: int) -> str:
        start, end = self.line_span(line)
        return self.text[start:end]

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    # -- front matter --------------------------------------------------------------------------
    @cached_property
    def _frontmatter_block(self) -> FrontMatter | None:
        text = self.text
        newline = text.find("\n")
        if newline == -1 or text[:newline].rstrip() != "---":
            return None
        content_start = newline + 1
        m = _FM_CLOSE.search(text, content_start)
        if m is None:
            return FrontMatter(0, len(text), content_start, len(text), closed=False)
        end = text.find("\n", m.end())
        end = len(text) if end == -1 else end + 1
        return FrontMatter(0, end, content_start, m.start(), closed=True)

    @property
    def frontmatter(self) -> FrontMatter | None:
        """The front matter block, when the note has a closed one."""
        block = self._frontmatter_block
        return block if block is not None and block.closed else None

    @property
    def frontmatter_unclosed(self) -> bool:
        """The first line is `---` but no closing line follows: Obsidian reads no properties,
        and shows the rest as ordinary Markdown."""
        block = self._frontmatter_block
        return block is not None and not block.closed

    @cached_property
    def frontmatter_text(self) -> str:
        fm = self.frontmatter
        return "" if fm is None else self.text[fm.content_start : fm.content_end]

    @cached_property
    def meta(self) -> Any:
        """The parsed front matter (a mapping), or None when absent or invalid."""
        from vaultbot import frontmatter

        if self.frontmatter is None:
            return None
        return frontmatter.load(self.frontmatter_text).data

    @cached_property
    def body_start(self) -> int:
        fm = self.frontmatter
        return fm.end if fm is not None else 0

    # -- structure -----------------------------------------------------------------------------
    @cached_property
    def wrapping_fence(self) -> tuple[tuple[int, int], tuple[int, int]] | None:
        """Line spans of a ```markdown fence that wraps the whole body (LLM debris), if any."""
        if self.own_fence:
            return None
        first = self._next_nonblank_line(self.body_start)
        if first is None:
            return None
        if HEADER_LINE.match(self.line_text(first)):
            first = self._next_nonblank_line(self.line_span(first)[1])
            if first is None:
                return None
        if _FENCE_OPEN.match(self.line_text(first)) is None and _presents(self.line_text(first)):
            # "Here is the article:" above the fence: look through it (it is ED001's).
            first = self._next_nonblank_line(self.line_span(first)[1])
            if first is None:
                return None
        m = _FENCE_OPEN.match(self.line_text(first))
        if m is None:
            return None
        last = self.line_of(len(self.text.rstrip()) - 1)
        for _ in range(_POSTAMBLE_LINES):
            if _FENCE_CLOSE.match(self.line_text(last)) or not _asks(self.line_text(last)):
                break
            # "Let me know if you want changes!" below the fence: look through it (ED001's).
            above = len(self.text[: self.line_starts[last - 1]].rstrip())
            if above == 0:
                return None
            last = self.line_of(above - 1)
        closing = self.line_text(last).strip()
        if last <= first or not (len(closing) >= 3 and set(closing) == {m.group(1)[0]}):
            return None
        return self.line_span(first), self.line_span(last)

    def _next_nonblank_line(self, offset: int) -> int | None:
        m = _NON_SPACE.search(self.text, offset)  # `\s` is what `str.strip` strips
        return None if m is None else self.line_of(m.start())

    @cached_property
    def parsed(self) -> markdown.Parsed:
        return markdown.parse(self._masked_text())

    def _masked_text(self) -> str:
        """The text with front matter and a wrapping fence blanked out, offsets unchanged."""
        spans: list[tuple[int, int]] = []
        fm = self.frontmatter
        if fm is not None:
            spans.append((fm.start, fm.end))
        if self.wrapping_fence:
            spans.extend(self.wrapping_fence)
        if not spans:
            return self.text
        text = self.text
        parts: list[str] = []
        pos = 0
        for start, end in sorted(spans):
            parts.append(text[pos:start])
            parts.append(_blanked(text[start:end]))
            pos = end
        parts.append(text[pos:])
        return "".join(parts)

    @cached_property
    def code_ranges(self) -> list[tuple[int, int]]:
        """`parsed.non_prose` (code, math, HTML), without parsing a text that cannot hold any
        (`markdown.may_hold_code`; the front matter is parsed blank)."""
        return self.parsed.non_prose if markdown.may_hold_code(self.text, self.body_start) else []

    @cached_property
    def parsed_links(self) -> list[markdown.MarkdownLink]:
        """`parsed.links`, without parsing a text that cannot hold any
        (`markdown.may_hold_links`; the front matter is parsed blank)."""
        return self.parsed.links if markdown.may_hold_links(self.text, self.body_start) else []

    @cached_property
    def comments(self) -> list[tuple[int, int]]:
        """Obsidian comments `%% … %%` outside code, as (start, end) offsets."""
        if "%%" not in self.text:
            return []
        code = self.code_ranges
        result: list[tuple[int, int]] = []
        pos = self.body_start
        text = self.text
        while True:
            m = _COMMENT.search(text, pos)
            if m is None:
                break
            if _inside(code, m.start()):
                pos = m.end()
                continue
            close = text.find("%%", m.end())
            while close != -1 and _inside(code, close):
                close = text.find("%%", close + 2)
            end = len(text) if close == -1 else close + 2
            result.append((m.start(), end))
            pos = end
        return result

    @cached_property
    def non_prose(self) -> list[tuple[int, int]]:
        """Sorted ranges where no prose rule may fire: front matter, code, math, HTML, comments."""
        ranges = self.code_ranges + self.comments
        fm = self.frontmatter
        if fm is not None:
            ranges.append((fm.start, fm.end))
        return markdown._merge(ranges)

    @cached_property
    def _non_prose_starts(self) -> list[int]:
        """The start of each `non_prose` range: what lookups bisect (ints, not tuples)."""
        return [start for start, _ in self.non_prose]

    def is_prose(self, offset: int) -> bool:
        i = bisect.bisect_right(self._non_prose_starts, offset) - 1
        return i < 0 or offset >= self.non_prose[i][1]

    def non_prose_range(self, offset: int) -> tuple[int, int] | None:
        """The non-prose range holding `offset`, if any."""
        i = bisect.bisect_right(self._non_prose_starts, offset) - 1
        return None if i < 0 or offset >= self.non_prose[i][1] else self.non_prose[i]

    def span_is_prose(self, start: int, end: int) -> bool:
        """True when no non-prose range touches [start, end)."""
        ranges = self.non_prose
        i = bisect.bisect_right(ranges, (end, end)) - 1
        while i >= 0 and ranges[i][1] > start:
            if ranges[i][0] < end:
                return False
            i -= 1
        return True

    @cached_property
    def video_id(self) -> str | None:
        meta = self.meta
        if isinstance(meta, dict):
            value = meta.get("videoId")
            return str(value) if value is not None else None
        return None

    @property
    def stem(self) -> str:
        return unicodedata.normalize("NFC", self.rel.rsplit("/", 1)[-1].rsplit(".", 1)[0])


def _presents(line: str) -> bool:
    """Whether `line` is an editorial line handing over what follows ("Here is the article:").
    The phrase families live with the rule that reports such lines (imported here, when a
    note is looked at, since the rules import this module)."""
    from vaultbot.rules._editorial import classify

    return line.rstrip().endswith(":") and classify(line, edge=True) is not None


def _asks(line: str) -> bool:
    """Whether `line` is an editorial line said to the requester below the answer ("Let me
    know if you want changes!")."""
    from vaultbot.rules._editorial import classify

    return not line.rstrip().endswith(":") and classify(line, edge=True) is not None


def _inside(ranges: list[tuple[int, int]], offset: int) -> bool:
    i = bisect.bisect_right(ranges, (offset, float("inf"))) - 1
    return i >= 0 and ranges[i][0] <= offset < ranges[i][1]
