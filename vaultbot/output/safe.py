"""Note names and text are untrusted: how they are made safe for each place they are shown.

- a terminal: control characters (escape sequences such as OSC and CSI, clear-screen, BEL,
  a carriage return that hides what came before) and bidirectional overrides are shown as
  visible symbols, as ruff does, so the text can neither drive the terminal nor hide itself;
- GitHub Actions: the runner reads any log line starting with `::` as a workflow command, on
  standard output and standard error alike, so such a line is escaped (`%3A`);
- Markdown (the job summary): note text goes into code spans, which render no links or HTML.
"""

from __future__ import annotations

import os
import re

#: C0 controls but tab, DEL, C1 controls, the Unicode bidirectional controls, the invisible
#: characters that join nothing (zero-width space, word joiner, a BOM inside text: a link
#: target `missing\u200b` would read as `missing`), and the lone surrogates `os.fsdecode`
#: makes of the bytes of a name that are not UTF-8. (Zero-width joiners stay: emoji and
#: scripts need them.)
#: The characters a reader cannot see beyond the C0 controls, as the body of a character
#: class: DEL, C1 controls, bidirectional controls, invisible separators (LK001 refuses to
#: write them into a link or a stub's name).
INVISIBLE = "\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff"
_CONTROL = re.compile(f"[\x00-\x08\x0a-\x1f{INVISIBLE}\udc80-\udcff]")
#: A byte of a name that is not UTF-8, as `os.fsdecode` gives it (and `os.fsencode` takes it).
_UNDECODED = re.compile("[\udc80-\udcff]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␛ ␇ ␊ …
    if code == 0x7F:
        return "\u2421"  # ␡
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"  # the byte, as git and Python quote it
    return f"\\u{{{code:04x}}}"


def visible(text: str) -> str:
    """`text` with every control character replaced by a visible symbol of one character
    (C0) or an escape (`\\u{9b}`), and each byte of a name that is not UTF-8 by `\\xNN`;
    plain text is returned unchanged."""
    return _CONTROL.sub(_picture, text)


def undecoded_shown(text: str) -> str:
    """`text` with each byte of a name that is not UTF-8 shown as `\\xNN` (nothing else)."""
    return text if text.isascii() else _UNDECODED.sub(_picture, text)


def json_escaped(text: str) -> str:
    """JSON text (from `json.dumps(..., ensure_ascii=False)`) with each byte of a name that is
    not UTF-8 written as its `\\udcXX` escape: the document stays UTF-8, and reading it back
    (`json.loads`, then `os.fsencode`) gives the name's bytes."""
    if text.isascii():
        return text
    return _UNDECODED.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def visible_lines(text: str) -> str:
    """`visible` for each line of `text`, keeping its line breaks."""
    return "\n".join(visible(line) for line in text.split("\n"))


def in_github_actions() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def github_lines(text: str) -> str:
    """`text` with no line that the Actions runner would read as a workflow command."""
    return "\n".join(_github_line(line) for line in text.split("\n"))


_STYLE = re.compile("\x1b\\[[0-9;]*m")  # the colours and bold vaultbot itself writes


def _github_line(line: str) -> str:
    plain = _STYLE.sub("", line)  # what the runner reads once colours are dropped
    stripped = plain.lstrip()
    if not stripped.startswith("::"):
        return line
    return plain[: len(plain) - len(stripped)] + "%3A" + stripped[1:]


#: What can make Markdown text more than text: links, images, HTML, entities, emphasis, code,
#: autolinks (`www.`, `https:`, `a@b.c`).
_ACTIVE = re.compile(r"[\\`*_\[\]()<>!&~:@]|www\.", re.I)


def markdown_cell(text: str) -> str:
    """`text` for a Markdown table cell, shown literally: plain when it holds nothing Markdown
    could act on, else as a code span (never a link, an image or HTML)."""
    text = visible(text)
    if not _ACTIVE.search(text):
        return text.replace("|", "\\|")
    return _code_span(text)


def _code_span(text: str) -> str:
    text = text.replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}"
