"""A note is parsed as Markdown only when it may hold what the parse finds: a body without
code, math or HTML marks has no non-prose range, and one without `](`, `][` or `]:` no
Markdown link, and one without a line that may be a level-1 heading no H1
(`markdown.may_hold_code`, `markdown.may_hold_links`, `markdown.may_hold_h1`). The front
matter is parsed blank, so what it holds does not count."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus_helpers import CORPORA, corpus_vault
from hypothesis import given, settings
from hypothesis import strategies as st

from vaultbot import markdown
from vaultbot import note as note_module
from vaultbot.links import all_links
from vaultbot.note import Note
from vaultbot.rules import lk003_link_heading_missing as lk003
from vaultbot.rules.md001_heading_stray_h1 import HeadingStrayH1
from vaultbot.vault import Vault


def assert_nothing_missed(note: Note) -> None:
    parsed = markdown.parse(note._masked_text())  # as `note.parsed`
    if not markdown.may_hold_code(note.text, note.body_start):
        assert parsed.non_prose == [], note.text
    if not markdown.may_hold_links(note.text, note.body_start):
        assert parsed.links == [], note.text
    if not markdown.may_hold_h1(note.text, note.body_start):
        assert all(h.level > 1 for h in parsed.headings), note.text
    if not markdown.may_hold_h1_below(note.text, note.body_start):
        levels = [h.level for h in parsed.headings]
        assert 1 not in levels[next((i for i, v in enumerate(levels) if v > 1), len(levels)) :]
    plain = markdown.plain_headings(note.text, note.body_start)
    if plain is not None:
        assert plain == [h.text for h in parsed.headings], note.text
        # ... and LK003 keys them as it keys the parse's (by their text and their source).
        read = lk003._collect_anchors(Note(note.rel, note.text))
        slow = Note(note.rel, note.text)
        headings: dict[str, str] = {}
        lk003._parsed_headings(slow, headings)
        headings.pop("", None)
        assert read.headings == headings, note.text


PIECES = st.sampled_from(
    [
        "\n", "\n\n", "\r\n", " ", "  ", "   ", "    ", "\t", "word", "Ünïcode", "#", "# ", "## ",
        "- ", "* ", "+ ", "1. ", "> ", "---", "===", "***", "___", "[", "]", "(", ")", "!", "[[",
        "]]", "|", ":", "]:", "](", "][", "[x]", "[x]: /url", "[x](y)", "![a](b.png)", "[^1]",
        "[^1]: note", "<", ">", "<div>", "<!--", "-->", "<b>", "</b>", "`", "```", "~~~", "~~",
        "$", "$$", "\\", "&amp;", "&lt;", "http://x.org", "www.x.org", "- [ ] ", "- [x] ",
        "%%", "==mark==", "^abc", ":--", "|---|", "=", "<a class=\"yt-timestamp\">", "</a>",
        "<br/>", "<div>\n", "<!-- c -->", "<?x?>", "<![CDATA[x]]>", "<!X>", "- [ ] <p>", "#",
        "# H\n", "\n===\n", "## H\n", "### ", "\n---\n", "\n- - -\n", "1) ", "[^1]: ", "> [!note] ", "-\t", "  ", "x",
        "\n# H #\n", "\n## A B ##\n", "\n####### x\n", "\n# *e*\n", "\n# a_b\n", "\r", "\xa0", "\u3000",
        "&", "_", "*", "\n#\n", "\n# #\n", "\n#  x  #  \n", "\n# x\\#\n", "\x00", "| a | b |\n| - | - |\n",
        "\n- x\n  ", "\n  - ", "\n\n-\n", "#tag",
    ]
)  # fmt: skip


@settings(max_examples=3000, deadline=None)
@given(st.lists(PIECES, max_size=40), st.none() | st.lists(PIECES, max_size=10))
def test_the_marks_are_never_missing_from_what_the_parse_finds(
    pieces: list[str], front: list[str] | None
) -> None:
    head = "" if front is None else "---\n" + "".join(front).replace("---", "") + "\n---\n"
    assert_nothing_missed(Note("n.md", head + "".join(pieces)))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["tubegraph-dwarkesh", "tubegraph-more", "zettelkasten"])
def test_every_corpus_note(name: str) -> None:
    corpus_vault("tubegraph-dwarkesh")  # skips (or fails in CI) without the corpora
    notes = list((CORPORA / name).rglob("*.md"))
    assert notes
    for path in notes:
        assert_nothing_missed(Note(path.name, path.read_text("utf-8", "replace")))


def test_a_plain_note_is_not_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(markdown, "parse", lambda text: pytest.fail("parsed"))
    note = Note("n.md", "---\ntitle: A\n---\nA [[link]] and a list:\n- one\n- two\n\n---\n")
    assert note.non_prose == [(0, 17)]  # the front matter only
    assert [link.target for link in all_links(note)] == ["link"]


def test_marks_in_the_front_matter_alone_make_no_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(markdown, "parse", lambda text: pytest.fail("parsed"))
    front = "---\nreviewers:\n  - name: A\n    note: `x` <b> [a](b) $1\n---\n"
    note = Note("n.md", front + "A [[link]].\n")
    assert note.non_prose == [(0, len(front))]
    assert [link.target for link in all_links(note)] == ["link"]


def test_a_note_with_code_or_links_is_parsed() -> None:
    note = Note("n.md", "A `[[code]]` span and a [link](other.md).\n")
    assert note.code_ranges == [(2, 12)]
    assert [link.dest for link in note.parsed_links] == ["other.md"]
    assert [link.target for link in all_links(note)] == ["other.md"]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(["a", "é", " ", "\t", "\n", "\r", "-"])))
def test_the_front_matter_is_parsed_blank(text: str) -> None:
    """Every character but a line break becomes a space, so that offsets stay."""
    assert note_module._blanked(text) == "".join(c if c in "\r\n" else " " for c in text)


def test_a_title_and_its_h1_above_the_sections_need_no_parse(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A person's house style (a title, the same H1, then `##` sections) has no stray H1."""
    vault = Vault(tmp_path, ["n.md"], profile_setting="personal")
    text = "---\ntitle: T\n---\n# T\n\nText.\n\n## Part\n\n- item\n\n---\n\nMore.\n"
    monkeypatch.setattr(markdown, "parse", lambda text: pytest.fail("parsed"))
    assert list(HeadingStrayH1().check(Note("n.md", text), vault)) == []
    monkeypatch.undo()
    stray = text + "\n# Conclusion\n"
    assert [f.rule.code for f in HeadingStrayH1().check(Note("n.md", stray), vault)] == ["MD001"]


@pytest.mark.parametrize(
    ("body", "headings"),
    [
        ("# A\n## B ##\n# #\n###\n####### no\n   # C\n#tag\n", ["A", "B", "", "", "C"]),
        ("Text\n# A\n\n---\n## B  c #\n# d#\n", ["A", "B  c", "d#"]),
        ("# A\r\n## B\r\n", ["A", "B"]),
        ("# \xa0A\xa0\n# B \xa0#\n", ["A", "B \xa0#"]),
        ('[x]: /url "a title\n# A\n"\n', ["A"]),  # a definition swallows no heading
        ("Text\n---\n", None),  # a setext heading
        ("Text\n  ===\n", None),
        ("Text\r# A\n", None),  # a lone `\r` breaks the line for the parser
        ("> # A\n", None),
        ("- # A\n", None),
        ("# *A*\n", None),
        ("# [A](b)\n", None),
        ("# A &amp; B\n", None),
        ("# A `b`\n", None),
    ],
)
def test_headings_read_without_the_parse(body: str, headings: list[str] | None) -> None:
    front = "---\ntitle: T\n---\n"
    for text, start in ((body, 0), (front + body, len(front))):
        assert markdown.plain_headings(text, start) == headings
        if headings is not None:  # ... which are what the parse finds
            parsed = markdown.parse(note_module._blanked(text[:start]) + text[start:])
            assert [h.text for h in parsed.headings] == headings


@settings(max_examples=1000, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(["[", "^", "<", "!", "-", "é", "x", "\n"]), max_size=30),
    st.sampled_from(["[^", "<!--"]),
    st.integers(0, 30),
)
def test_a_needle_is_found_by_its_second_character(text: str, needle: str, start: int) -> None:
    assert markdown._holds(text, needle, start) == (needle in text[start:])
