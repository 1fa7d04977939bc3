"""ED001's first pass (`_trigger_lines`): only the lines holding a trigger are read, and a
note holding none is not read line by line; the edge lines are found only when a line needs
them. It must never hide an editorial line that reading every line would find."""

from __future__ import annotations

import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vaultbot.note import Note
from vaultbot.rules import _editorial
from vaultbot.rules._editorial import (
    COMMENT,
    SPACES,
    Hit,
    classify,
    find_hits,
    in_thought,
    phrase_config,
)
from vaultbot.rules.ed004_declined_note import declined_lines


def test_spaces_are_what_strip_removes() -> None:
    assert set(SPACES) == {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}


def hits_read_line_by_line(note: Note) -> dict[int, Hit]:
    """Every line of the body classified, knowing whether it is an edge line."""
    if note.body_start >= len(note.text) or declined_lines(note) is not None:
        return {}
    edges = _editorial._edge_lines(note)
    hits = {}
    for number in range(note.line_of(note.body_start), note.line_count + 1):
        start, end = note.line_span(number)
        text = note.text[start:end]
        if (
            in_thought(note, start)
            or not note.is_prose(start + len(text) - len(text.lstrip()))
            or (number > 1 and note.line_text(number - 1).lstrip().startswith(">"))
        ):
            continue
        reason = classify(COMMENT.sub("", text) if "%%" in text else text, number in edges)
        if reason is not None:
            hits[number] = Hit(number, start, end, reason)
    return hits


CONFIG = phrase_config()
WORDS = [
    *CONFIG["line_start_triggers"],
    *CONFIG["inline_triggers"],
    *CONFIG["requester_triggers"],
    "Here is the modified article with inserted backlinks:",
    "Let me know if you need more changes.",
    "As an AI language model, I cannot",
    "the article",
    "topics:",
    "plain words",
]
PIECES = st.one_of(
    st.sampled_from(WORDS).map(lambda w: w.capitalize() if len(w) % 2 else w.upper()),
    st.sampled_from([*SPACES, "*", "_", "#", ">", "-", "**", "%%", "İ", "\u212a", "K", "`"]),
    st.sampled_from(["\n", "\n\n", "```\n", "---\n", "From: [[dwarkesh | Dwarkesh]]\n"]),
    st.text(max_size=4),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=30), st.booleans())
def test_first_pass_hides_no_line(pieces: list[str], front: bool) -> None:
    text = ("---\ntitle: t\n---\n" if front else "") + "".join(pieces)
    assert find_hits(Note("n.md", text)) == hits_read_line_by_line(Note("n.md", text))


@pytest.mark.parametrize(
    ("before", "line"),
    [
        ("", "\u00a0Here is the modified article with inserted backlinks:"),  # led by NBSP
        ("", "\u3000**Here is the modified article with inserted backlinks:**"),
        ("", "Hope%%x%% this helps!"),  # only the comment's removal makes the phrase
        # `lower` lengthens "İ", so the note is lower-cased otherwise, and the Kelvin sign
        # stays: only the line's own `lower` reads "okay"
        ("İstanbul.\n\n", "O\u212aay, here is the modified article with inserted backlinks:"),
        ("", "O\u212aAY, HERE IS THE MODIFIED ARTICLE WITH INSERTED BACKLINKS:"),  # as written
        ("", "You are Gemin\u0130, a helpful model."),  # "gemini" only once lower-cased
    ],
)
def test_lines_the_first_pass_must_not_miss(before: str, line: str) -> None:
    text = "From: [[dwarkesh | Dwarkesh]]\n\n" + before + line + "\n\nThe guest argues.\n"
    expected = hits_read_line_by_line(Note("n.md", text))
    assert expected  # an editorial line, read line by line
    assert find_hits(Note("n.md", text)) == expected


def test_the_search_folds_case_as_lower_does() -> None:
    """`_any_trigger` reads a note as written, case-insensitively: RE2 matches a lower-case
    character with each one `str.lower` maps to it, and "İ", the only character `lower`
    lengthens (a note holding it is read lower-cased instead), is the only exception."""
    import re2

    for code in range(sys.maxunicode + 1):
        char = chr(code)
        lower = char.lower()
        if lower == char or 0xD800 <= code < 0xE000:
            continue
        if len(lower) != 1:
            assert char == "\u0130"
            continue
        assert re2.compile(f"(?i)\\x{{{ord(lower):x}}}".encode()).fullmatch(char.encode())


def test_a_note_without_triggers_is_not_read_line_by_line() -> None:
    note = Note("n.md", "# Spaced repetition\n\nReviews come just before forgetting.\n")
    with pytest.MonkeyPatch.context() as m:
        m.setattr(_editorial, "_edge_lines", lambda note: pytest.fail("read line by line"))
        assert find_hits(note) == {}


@pytest.mark.parametrize(
    "line",
    [
        "Here is the article:",  # presenting its output: only at an edge
        "Let me know if you need more changes.",  # to the requester: only at an edge
        "Here is the modified article with inserted backlinks:",  # its edited text: anywhere
    ],
)
@pytest.mark.parametrize("where", [0, 3, 6])
def test_a_line_said_only_at_an_edge_is_found_only_there(line: str, where: int) -> None:
    prose = [f"The guest argues point {n} at length." for n in range(7)]
    text = "\n\n".join([*prose[:where], line, *prose[where:]]) + "\n"
    note = Note("n.md", text)
    expected = hits_read_line_by_line(note)
    assert find_hits(Note("n.md", text)) == expected
    edge_only = where == 3 and "modified" not in line
    assert bool(expected) is not edge_only  # the first two are not editorial mid-note


def test_after_an_edge_line_a_line_mid_note_is_read_as_mid_note() -> None:
    """The edge lines, once found for one line, decide for the lines after it too."""
    prose = [f"The guest argues point {n} at length." for n in range(7)]
    text = "\n\n".join(["Here is the article:", *prose[:3], "Here you go:", *prose[3:]]) + "\n"
    hits = find_hits(Note("n.md", text))
    assert hits == hits_read_line_by_line(Note("n.md", text))
    assert sorted(hits) == [1]  # the first line, not the one mid-note
