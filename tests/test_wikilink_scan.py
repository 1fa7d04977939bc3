"""`links.wikilinks` finds exactly what the plain scan finds: the pattern with a lookahead
for `[[` at each character inside the brackets, each match then checked for prose. The scan
tries a run without `[` first, and skips the prose check where no code, math, HTML or comment
lies in the body; this compares it with the plain scan on texts made of the pieces that
matter."""

from __future__ import annotations

import re
from collections.abc import Iterator

from hypothesis import given, settings
from hypothesis import strategies as st

from vaultbot import links
from vaultbot.links import Link
from vaultbot.note import Note

#: `[[…]]` on one line whose inside holds no `[[`.
PLAIN = re.compile(r"\[\[((?:(?!\[\[)[^\n])+?)\]\]")


def plain_scan(note: Note) -> Iterator[Link]:
    text = note.text
    for m in PLAIN.finditer(text, note.body_start):
        start = m.start()
        embed = start > note.body_start and text[start - 1] == "!"
        start -= embed
        if not links._is_prose_link(note, start, m):
            continue
        target, subpath, display = links.split_wikilink(m.group(1))
        kind = "embed" if embed else "wikilink"
        yield Link(kind, target, subpath, display, start, m.end(), text[start : m.end()])


def seen(found: Iterator[Link]) -> list[tuple[object, ...]]:
    return [(k.kind, k.target, k.subpath, k.display, k.start, k.end, k.raw) for k in found]


PIECES = st.sampled_from(
    [
        "[[", "]]", "[", "]", "!", "![[", "a", "b c", "#", "#^x", "|", "\\|", "\n", "\n\n",
        "`", "``", "```\n", "$", "$$", "<b>", "<!--", "-->", "%%", "    ", "\t", "é", "---\n",
        "x]]", "[[a]]", "[[a|b]]", "[[[a]]", "[[a]]]", "[[ ]]",
    ]
)  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.lists(PIECES, max_size=30), st.booleans())
def test_wikilinks_find_what_the_plain_scan_finds(pieces: list[str], front: bool) -> None:
    text = ("---\ntitle: t\n---\n" if front else "") + "".join(pieces)
    assert seen(links.wikilinks(Note("n.md", text))) == seen(plain_scan(Note("n.md", text)))


def test_no_link_starts_before_an_inner_open() -> None:
    note = Note("n.md", "[[a [[b]] and `[[c]]` and [[d]]\n")
    assert [link.raw for link in links.wikilinks(note)] == ["[[b]]", "[[d]]"]
