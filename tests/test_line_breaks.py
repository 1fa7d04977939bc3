"""Line breaks as CommonMark and Obsidian's editor see them: `\n`, `\r\n` and a bare `\r`
(old Mac files, some exporters; `\r\r\n` is two). Positions point at the line an editor
shows, and a fix keeps every byte it does not report changing, line breaks included.
Characters Python alone takes for line breaks (`\v`, `\f`, NEL, U+2028, U+2029) are
characters of a line."""

from __future__ import annotations

import re

import pytest
from conftest import VaultFactory

from vaultbot import api, fixes
from vaultbot.note import Note
from vaultbot.vault import Vault

NOTE = (
    "---\ntitle: A talk\nvideoId: abcdefghijk\n---\n\nFrom: [[channel]]\n\n"
    "Here is the modified article with inserted backlinks:\n\n"
    "Para one.\n\n"
    'See <a class="yt-timestamp" data-t="00:1:05">[00:01:05]</a> here.\n\n'
    "Let me know if you need any further modifications!\n"
)
FIXED = (
    "---\ntitle: A talk\nvideoId: abcdefghijk\n---\n\nFrom: [[channel]]\n\n"
    "Para one.\n\n"
    'See <a class="yt-timestamp" data-t="00:01:05">[00:01:05]</a> here.\n'
)
ENDINGS = ("\n", "\r\n", "\r", "\r\r\n")


def located(text: str) -> list[tuple[int, int, int, int, str]]:
    return [(r.line, r.column, r.end_line, r.end_column, r.code) for r in api.check_text(text)]


def with_breaks(text: str, ending: str) -> str:
    return text.replace("\n", ending)


@pytest.mark.parametrize("ending", ENDINGS)
def test_findings_sit_on_the_line_an_editor_shows(ending: str) -> None:
    """Every line break of the note counts: the findings are those of the same note with
    `\n` for each break (`\r\r\n` is two breaks, so two lines)."""
    text = with_breaks(NOTE, ending)
    assert located(text) == located(re.sub(r"\r\n?", "\n", text))
    assert any(code == "ED001" for *_, code in located(text))


@pytest.mark.parametrize("ending", ENDINGS[:3])
def test_a_fix_deletes_only_its_lines_and_keeps_the_breaks(ending: str) -> None:
    """A note with bare `\r` breaks was one line to vaultbot: deleting the editorial line at
    its end deleted the whole note."""
    fixed = api.fix_text(with_breaks(NOTE, ending))
    assert fixed.text == with_breaks(FIXED, ending)
    assert sorted(fixed.fixed.items()) == [("ED001", 2), ("TS001", 1)]


def test_a_fix_of_a_note_of_double_breaks_is_that_of_the_lines_an_editor_shows() -> None:
    """`\r\r\n` is a line break and a blank line: the fix is that of the note so written
    with `\n`, each break kept as it was."""
    text = with_breaks(NOTE, "\r\r\n")
    fixed = api.fix_text(text).text
    assert fixed.replace("\r\r\n", "\n\n") == api.fix_text(text.replace("\r\r\n", "\n\n")).text
    assert set(re.findall(r"\r\n?|\n", fixed)) == {"\r", "\r\n"}
    assert fixed.count("\r") == 2 * fixed.count("\r\n")


@pytest.mark.parametrize("ending", ["\r", "\r\r\n"])
def test_front_matter_with_unusual_breaks_is_read(ending: str) -> None:
    note = Note("n.md", with_breaks("---\ntitle: A\nvideoId: x\n---\n\nBody.\n", ending))
    assert note.frontmatter is not None
    assert note.meta == {"title": "A", "videoId": "x"}
    assert note.video_id == "x"
    assert "FM001" not in {code for *_, code in located(note.source)}


def test_the_text_rules_read_has_the_offsets_of_the_source() -> None:
    note = Note("n.md", "a\rb\r\nc\r\r\nd\n")
    assert note.source == "a\rb\r\nc\r\r\nd\n"
    assert note.text == "a\nb\r\nc\n\r\nd\n"
    assert [note.line_text(n) for n in range(1, note.line_count + 1)] == [
        "a",
        "b",
        "c",
        "",
        "d",
        "",
    ]
    assert [note.line_ending(n) for n in range(1, 6)] == ["\r", "\r\n", "\r", "\r\n", "\n"]


@pytest.mark.parametrize("char", ["\v", "\f", "\x1c", "\x85", "\u2028", "\u2029"])
def test_a_diff_breaks_lines_where_the_note_does(char: str) -> None:
    """`str.splitlines` breaks at these; a note does not, so neither does its diff."""
    before, after = f"a{char}b\nc\n", f"a{char}b\nd\n"
    assert fixes.unified_diff("n.md", before, after) == (
        f"--- a/n.md\n+++ b/n.md\n@@ -1,2 +1,2 @@\n a{char}b\n-c\n+d\n"
    )


def test_a_diff_of_a_note_with_bare_cr_breaks_shows_its_lines() -> None:
    assert fixes.unified_diff("n.md", "a\rb\rc\r", "a\rc\r") == (
        "--- a/n.md\n+++ b/n.md\n@@ -1,3 +1,2 @@\n a\r\n-b\r\n c\r\n"
    )


@pytest.mark.parametrize("char", ["\u00a0", "\x85", "\u2028", "\u2029"])
def test_a_line_of_other_whitespace_is_no_blank_line_to_delete(char: str) -> None:
    """Blank is spaces and tabs only (CommonMark): deleting an editorial line takes a blank
    line beside it along, never a line holding a character `str.strip` strips."""
    text = NOTE.replace("backlinks:\n\nPara", f"backlinks:\n{char}\nPara")
    fixed = api.fix_text(text)
    assert fixed.text == text.replace(
        "Here is the modified article with inserted backlinks:\n", ""
    )[: -len("\nLet me know if you need any further modifications!\n")].replace(
        "00:1:05", "00:01:05"
    )


@pytest.mark.parametrize("ending", ENDINGS)
def test_the_profile_reads_notes_with_any_line_breaks(
    make_vault: VaultFactory, ending: str
) -> None:
    """The vault profile samples the head of each note: a `videoId` key in front matter with
    bare `\r` breaks is a generator's signal as with `\n`."""
    note = "---\ntitle: A talk\nvideoId: abcdefghijk\n---\n\nBody [[n1]].\n"
    root = make_vault({f"n{i}.md": with_breaks(note, ending) for i in range(20)})
    assert Vault.scan(root).profile.name == "generated"


@pytest.mark.parametrize("ending", ENDINGS[:3])
def test_a_line_a_fix_adds_ends_as_the_lines_around_it(ending: str) -> None:
    """MD002 splits a callout from the quote above with a blank line: its break is the one
    the line above ends with."""
    text = "Intro.\n\n> [!note] Title\n> body\n[!warning] Careful\n> more\n\nEnd.\n"
    fixed = "Intro.\n\n> [!note] Title\n> body\n\n> [!warning] Careful\n> more\n\nEnd.\n"
    assert api.fix_text(with_breaks(text, ending)).text == with_breaks(fixed, ending)


@pytest.mark.parametrize("ending", ENDINGS)
def test_a_broken_tag_is_not_rebuilt_over_a_blank_line(ending: str) -> None:
    """A tag may run over a line break, not over a blank line (a paragraph ends there; in an
    old-Mac note `\\r\\r` is one): TS005 rebuilt `<a` and the attributes of the next paragraph
    into one anchor, deleting the paragraph break."""
    head = "---\nvideoId: abcdefghijk\n---\n\nTalk <a"
    tail = ' class="yt-timestamp" data="00:01:00">[00:01:00]</a> and.\n'
    text = with_breaks(head + "\n\n" + tail, ending)
    assert "TS005" not in {code for *_, code in located(text)}
    assert api.fix_text(text).text == text
    if ending == "\r\r\n":
        return  # (a blank line, too)
    one_line_break = with_breaks(head + "\n" + tail, ending)  # still rebuilt: one paragraph
    assert api.fix_text(one_line_break).text == with_breaks(
        head.removesuffix("<a") + '<a class="yt-timestamp" data-t="00:01:00">[00:01:00]</a> and.\n',
        ending,
    )
