"""MD002 callout-broken: a callout line `[!INFO] …` without the `>` that makes it a callout."""

from __future__ import annotations

import re
from collections.abc import Iterator

from vaultbot.note import Note
from vaultbot.rules.base import Edit, Finding, Fix, Rule
from vaultbot.vault import Vault

_CALLOUT = re.compile(r"^([ \t]{0,3})\[![A-Za-z][\w-]*\][+-]?(?=[ \t]|\r?$)", re.M)
_QUOTED = re.compile(r"^ {0,3}>")
#: A callout marker opening a list item: `- [!NOTE] Title`, `1. [!tip]- Title`.
_LIST_CALLOUT = re.compile(
    r"^([ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+)\[![A-Za-z][\w-]*\]([+-])?(?=[ \t]|\r?$)", re.M
)


class CalloutBroken(Rule):
    """A callout line `[!INFO] …` that lacks the `>` that makes it a callout.

    ## What it does
    Fires on a line that starts with a callout marker, `[!type]` with an optional fold
    marker `+` or `-` (`[!INFO] Key point`, `[!tip]-`, `[!faq]+ Why?`), but is not in a block
    quote, where a callout was evidently meant: text follows the marker on its line, or the
    next line would be its body. A lone `[!note]` above a list, a table or a blank line is
    plugin syntax (the AnyBlock plugin's selector header), not a broken callout. Markers in
    code, math, HTML and comments, and text such as `[!note](link)` are left alone.

    In a list item (`- [!NOTE] Title`) it fires only where a callout was evidently meant:
    the marker has a fold marker (`[!tip]-`), or the item goes on with an indented line
    that would be its body. A lone `- [!INFO] text` may be plugin syntax and is left alone.

    ## Why is this bad?
    Obsidian makes a callout only of a block quote whose first line is the marker. Without
    the `>` readers see the raw `[!INFO]` text and the body as a plain paragraph.

    ## Example
    ```markdown
    [!INFO] Spaced repetition
    > Reviews are scheduled just before an item would be forgotten.
    ```

    Use instead:

    ```markdown
    > [!INFO] Spaced repetition
    > Reviews are scheduled just before an item would be forgotten.
    ```

    ## Fix safety
    Safe: the fix inserts `> ` before the marker and changes nothing else on the line. When
    the line above is itself quoted (or another broken callout), it would join that quote
    instead of starting a callout, so a blank line is inserted above it as well. In a list
    item, `> ` goes before the marker and before each indented body line of the item.
    """

    code, name, severity = "MD002", "callout-broken", "error"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        if "[!" not in note.text:
            return
        for m in _CALLOUT.finditer(note.text, note.body_start):
            marker = m.end(1)
            if not note.is_prose(marker):
                continue
            number = note.line_of(marker)
            start, end = note.line_span(number)
            if not _meant(note, m.end(), end, number):
                continue
            insert = "> "
            if number > 1 and _quoted_above(note, number - 1):
                insert = note.line_ending(number - 1) + m.group(1) + insert
                fix = Fix("safe", (Edit(start, marker, insert),), "Start the callout with '> '")
            else:
                fix = Fix("safe", (Edit(marker, marker, insert),), "Start the callout with '> '")
            yield self.finding(
                start, end, "Callout marker without '>': not rendered as a callout", fix
            )
        yield from self._in_list_items(note)

    def _in_list_items(self, note: Note) -> Iterator[Finding]:
        for m in _LIST_CALLOUT.finditer(note.text, note.body_start):
            marker = m.end(1)
            if not note.is_prose(marker):
                continue
            number = note.line_of(marker)
            body = _item_body(note, number, len(m.group(1)))
            if m.group(2) is None and not body:
                continue  # a lone `- [!INFO] text` may be plugin syntax
            inserts = [marker] + [note.line_starts[n - 1] + len(m.group(1)) for n in body]
            edits = tuple(Edit(at, at, "> ") for at in inserts)
            fix = Fix("safe", edits, "Start the callout with '> '")
            start, end = note.line_span(number)
            message = "Callout marker in a list item without '>': not rendered as a callout"
            yield self.finding(start, end, message, fix)


def _item_body(note: Note, number: int, indent: int) -> list[int]:
    """The lines right below list item `number` indented to its content (`indent` columns)."""
    body: list[int] = []
    n = number + 1
    while n <= note.line_count:
        text = note.line_text(n)
        stripped = text.lstrip(" ")
        if not stripped.strip() or len(text) - len(stripped) < indent or "\t" in text[:indent]:
            break
        body.append(n)
        n += 1
    return body


_HIDDEN = re.compile(r"%%.*?(?:%%|$)")
#: Lines that cannot be a callout's body: a list item, a table row, a heading, a fence.
_NOT_BODY = re.compile(r"[ \t]*(?:[-*+][ \t]|\d+[.)][ \t]|\||#{1,6}(?:[ \t]|$)|```|~~~)")


def _meant(note: Note, marker_end: int, line_end: int, number: int) -> bool:
    """A callout was evidently meant: text follows the marker, or the next line would be
    its body. A lone `[!note]` above a list or a blank line is plugin syntax (AnyBlock's
    selector header), not a broken callout."""
    if _HIDDEN.sub("", note.text[marker_end:line_end]).strip():
        return True
    if number >= note.line_count:
        return False
    below = note.line_text(number + 1)
    return bool(below.strip()) and _NOT_BODY.match(below) is None


def _quoted_above(note: Note, number: int) -> bool:
    """Line `number` is (or, once fixed, will be) part of a block quote."""
    start, end = note.line_span(number)
    if start < note.body_start:
        return False
    text = note.text[start:end]
    if _QUOTED.match(text):
        return note.is_prose(start + len(text) - len(text.lstrip()))
    m = _CALLOUT.match(text)
    return m is not None and note.is_prose(start + m.end(1))
