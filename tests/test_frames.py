"""Code frames on long, tabbed, CJK and emoji lines: the caret stands under the span."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from conftest import VaultFactory
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from vaultbot.cli import main
from vaultbot.output import frame as frame_module
from vaultbot.output import text as text_format
from vaultbot.output.frame import Frame, frame


def under_caret(text: str, marker: str) -> str:
    """The text shown above the carets (by terminal cells)."""
    first = marker.index("^")
    count = len(marker) - first
    cells, out = 0, []
    for char in text:
        if first <= cells < first + count:
            out.append(char)
        cells += cell_len(char)
    return "".join(out)


def test_a_span_far_right_on_a_long_line_is_windowed_with_ellipses() -> None:
    line = "word " * 200 + "[[Target]]" + " tail" * 100
    start = line.index("[[")
    shown = frame(line, start, start + 10, 100)
    assert shown.text.startswith("…") and shown.text.endswith("…")
    assert cell_len(shown.text) <= 100
    assert under_caret(shown.text, shown.marker) == "[[Target]]"


def test_a_short_line_is_shown_whole() -> None:
    shown = frame("See [[x]].", 4, 9, 100)
    assert (shown.text, shown.marker) == ("See [[x]].", "    ^^^^^")


def test_a_span_at_the_start_of_a_long_line_cuts_only_the_right() -> None:
    shown = frame("[[x]] " + "y" * 500, 0, 5, 80)
    assert shown.text.startswith("[[x]]") and shown.text.endswith("…")
    assert shown.marker == "^^^^^" and cell_len(shown.text) <= 80


@pytest.mark.parametrize("prefix", ["\t", "a\t", "\t\tab\t", "abc\tdefgh\t"])
def test_tabs_expand_to_tab_stops(prefix: str) -> None:
    shown = frame(prefix + "[[x]]", len(prefix), len(prefix) + 5, 100)
    assert "\t" not in shown.text
    assert under_caret(shown.text, shown.marker) == "[[x]]"
    assert cell_len(shown.text[: shown.text.index("[[")]) % 4 == 0  # after a tab: a tab stop


@pytest.mark.parametrize(
    "prefix", ["東京の会議で ", "😀 emoji 🎉🎉 ", "한국어 텍스트 " * 30, "mixed 中文 and 😀\t"]
)
def test_wide_characters_are_measured_in_cells(prefix: str) -> None:
    line = prefix + "[[目標]] after"
    start = len(prefix)
    shown = frame(line, start, start + 6, 80)
    assert under_caret(shown.text, shown.marker) == "[[目標]]"
    assert cell_len(shown.text) <= 80


def test_a_span_past_the_end_of_the_line_gets_one_caret() -> None:
    shown = frame("abc", 3, 4, 80)
    assert shown.marker == "   ^"


def test_check_output_keeps_the_caret_on_the_span(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    line = "Long prose " * 60 + "\tsee 東京 [[Nowhere]] and more." + " more" * 80
    vault = make_vault({"n.md": line + "\n"})
    text, marker = frame_rows(vault, capsys, monkeypatch, text_format.PIPE_WIDTH)
    assert under_caret(text, marker) == "[[Nowhere]]"
    assert cell_len(text) <= 240


def test_frames_fit_the_terminal(make_vault: VaultFactory) -> None:
    from test_colour import on_terminal

    line = "Prose that goes on " * 10 + "[[Nowhere]] and on."  # 209 characters
    vault = make_vault({"n.md": line + "\n"})
    out = on_terminal(vault, ["check", "--no-cache", "--color", "never"], {"COLUMNS": "100"})
    rows = out.replace("\r\n", "\n").split("LK001", 1)[1].splitlines()
    text = next(r for r in rows if r.startswith(" 1 | "))
    marker = next(r for r in rows if "^" in r)
    assert 95 <= len(text) <= 100 and text.startswith(" 1 | …")  # the room is used
    assert under_caret(text, marker) == "[[Nowhere]]"


@pytest.mark.parametrize(("left", "right"), [(True, False), (False, True), (True, True)])
def test_a_window_of_a_longer_line_fits_with_its_ellipses(left: bool, right: bool) -> None:
    # The source is itself a window of a longer line: the … it needs count in the width.
    source = "x" * 39 + "[[y]]"
    shown = frame(source, 39, 44, 44, cut_left=left, cut_right=right)
    assert cell_len(shown.text) <= 44
    assert shown.text.startswith("…") or not left
    assert shown.text.endswith("…") or not right
    assert under_caret(shown.text, shown.marker) == "[[y]]"


def test_a_long_line_fills_the_width_of_a_pipe_exactly(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Off a terminal a frame may take 240 cells (text.PIPE_WIDTH), gutter included: a long
    # line cut on both sides takes every one of them.
    line = "word " * 100 + "[[Nowhere]]" + " more" * 100
    vault = make_vault({"n.md": line + "\n"})
    shown, marker = frame_rows(vault, capsys, monkeypatch, text_format.PIPE_WIDTH)
    assert len(" 1 | " + shown) == 240 and shown.startswith("…") and shown.endswith("…")
    assert under_caret(shown, marker) == "[[Nowhere]]"


def frame_rows(
    vault: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, width: int
) -> tuple[str, str]:
    """The source and caret rows of the one finding of `check` off a terminal `width` wide."""
    monkeypatch.setattr(text_format, "PIPE_WIDTH", width)
    monkeypatch.chdir(vault)
    main(["check", "--no-cache"])
    rows = capsys.readouterr().out.splitlines()
    source = next(i for i, r in enumerate(rows) if r.startswith(" 1 | "))
    return rows[source][5:], rows[source + 1][5:]


def test_a_window_of_a_long_line_shows_its_cuts_where_it_fits_whole(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A finding keeps 240 characters of its line (engine.source_window); 300 cells hold them.
    line = "word " * 60 + "[[Nowhere]]" + " more" * 60
    shown, marker = frame_rows(make_vault({"n.md": line + "\n"}), capsys, monkeypatch, 300)
    window = line[300 - 40 : 300 - 40 + 240]
    assert shown == "…" + window + "…"
    assert under_caret(shown, marker) == "[[Nowhere]]"


def test_a_frame_keeps_twenty_cells_on_the_narrowest_screen(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    line = "word " * 10 + "[[Nowhere]]" + " more" * 10
    shown, marker = frame_rows(make_vault({"n.md": line + "\n"}), capsys, monkeypatch, 10)
    assert cell_len(shown) == 20 and shown.startswith("…") and shown.endswith("…")
    assert under_caret(shown, marker).startswith("[[Nowhere")


@pytest.mark.parametrize(
    ("source", "start", "end", "width", "text", "marker"),
    [
        # context of width // 3 = 9 cells before the span (30 - 2 for the `…`), then the rest
        ("a" * 50 + "S" + "b" * 50, 50, 51, 30, "…" + "a" * 9 + "S" + "b" * 18 + "…", " " * 10 + "^"),
        # the context reaches the second character: the first is cut
        ("b" + "a" * 9 + "S" + "b" * 50, 10, 11, 30, "…" + "a" * 9 + "S" + "b" * 18 + "…", " " * 10 + "^"),
        # a wide character that does not fit leaves one cell: it takes back the first character
        ("b" + "a" * 9 + "S" + "a" * 17 + "東" + "c" * 20, 10, 11, 30, "b" + "a" * 9 + "S" + "a" * 17 + "…", " " * 10 + "^"),
        # ...which at the line's start is no character at all
        ("S" + "a" * 26 + "東" + "c" * 20, 0, 1, 30, "S" + "a" * 26 + "…", "^"),
        # a wide span: the context shares what is left evenly
        ("a" * 50 + "b" * 20 + "c" * 50, 50, 70, 32, "…" + "a" * 5 + "b" * 20 + "c" * 5 + "…", " " * 6 + "^" * 20),
        # a span as wide as the frame: no context
        ("x" * 10 + "y" * 30 + "z" * 10, 10, 40, 32, "…" + "y" * 30 + "…", " " + "^" * 30),
        # ...or the line's start, when the context holds it
        ("b" + "a" * 8 + "S" + "b" * 50, 9, 10, 30, "b" + "a" * 8 + "S" + "b" * 18 + "…", " " * 9 + "^"),
        # a wide character the context has no room for stays out
        ("a" * 20 + "東" + "a" * 8 + "S" + "b" * 50, 29, 30, 30, "…" + "a" * 8 + "S" + "b" * 19 + "…", " " * 9 + "^"),
        # the line ends: the room left goes before the span, up to a wide character
        ("a" * 20 + "東" + "a" * 20 + "S" + "b" * 3, 41, 42, 30, "…aa東" + "a" * 20 + "Sbbb", " " * 25 + "^"),
        ("a" * 20 + "東" + "a" * 21 + "S" + "b" * 5, 42, 43, 30, "…" + "a" * 21 + "S" + "b" * 5, " " * 22 + "^"),
        # exactly the width: shown whole
        ("a" * 20, 5, 6, 20, "a" * 20, " " * 5 + "^"),
        # an empty span: one caret where it is
        ("abcdef", 2, 2, 80, "abcdef", "  ^"),
        # a tab: spaces to the next tab stop
        ("\tab", 1, 2, 80, "    ab", "    ^"),
    ],
)  # fmt: skip
def test_windows_to_the_cell(
    source: str, start: int, end: int, width: int, text: str, marker: str
) -> None:
    assert frame(source, start, end, width) == Frame(text, marker)


def greedy_frame(source: str, start: int, end: int, width: int, left: bool, right: bool) -> str:
    """The frame drawn a character at a time, each bound of the window stepped out while the
    next character fits: what `frame` computes with running sums and bisection."""
    shown, edges = frame_module._measured(source)
    cells = [b - a for a, b in itertools.pairwise(edges)]
    start = min(max(start, 0), len(shown))
    end = min(max(end, start + 1), len(shown) + 1)
    first, last = 0, len(shown)
    if sum(cells) + left + right > width:
        room = width - 2
        context = max(0, min(room // 3, (room - sum(cells[start:end])) // 2))
        first = start
        while first > 0 and cells[first - 1] <= context:
            first -= 1
            context -= cells[first]
        last, left_room = first, room
        while last < len(shown) and cells[last] <= left_room:
            left_room -= cells[last]
            last += 1
        while first > 0 and cells[first - 1] <= left_room:
            first -= 1
            left_room -= cells[first]
    lead = "…" if first > 0 or left else ""
    tail = "…" if last < len(shown) or right else ""
    before = len(lead) + sum(cells[first:start])
    carets = max(sum(cells[start : min(end, last)]) + (end > last), 1)
    return lead + "".join(shown[first:last]) + tail + "\n" + " " * before + "^" * carets


CHARS = st.sampled_from([*"ab -é", "\t", "\x1b", "\u0301", "\u200b", "界", "😀"])


@settings(max_examples=400, deadline=None)
@given(
    st.lists(CHARS, max_size=60).map("".join),
    st.integers(-3, 65),
    st.integers(-3, 70),
    st.integers(1, 50),
    st.booleans(),
    st.booleans(),
)
def test_the_window_is_the_greedy_one(
    source: str, start: int, end: int, width: int, left: bool, right: bool
) -> None:
    shown = frame(source, start, end, width, left, right)
    assert f"{shown.text}\n{shown.marker}" == greedy_frame(source, start, end, width, left, right)


@settings(max_examples=300, deadline=None)
@given(
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=300),
    st.integers(-3, 305),
    st.integers(-3, 310),
    st.integers(1, 250),
    st.booleans(),
    st.booleans(),
)
def test_a_printable_ascii_line_is_framed_as_when_measured_a_character_at_a_time(
    source: str, start: int, end: int, width: int, left: bool, right: bool
) -> None:
    """Such a line skips the measuring (`_pieces`): a frame drawn from its measures is the same."""
    fast = frame(source, start, end, width, left, right)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(frame_module, "_pieces", frame_module._measured)
        assert frame(source, start, end, width, left, right) == fast
