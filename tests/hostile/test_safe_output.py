"""Issue 10: note names and text never reach a terminal, a CI runner or a Markdown summary
raw: control characters are shown visibly, no line reads as a workflow command, and the job
summary renders no link or HTML taken from a note."""

from __future__ import annotations

from pathlib import Path

import pyromark
import pytest
from conftest import VaultFactory

from vaultbot.cli import main
from vaultbot.output.safe import github_lines, markdown_cell, visible, visible_lines

INJECTED = "a\n::error::INJECTED\n::add-mask::x\nz.md"
CONTROLS = "\x1b]8;;https:evil.example\x07click\x1b]8;;\x07\x1b[2J\x1b[H\x07\x9b31m\u202e"
OUR_COMMANDS = ("::error file=", "::warning file=", "::notice file=")


def run(
    vault: Path, capsys: pytest.CaptureFixture[str], *args: str, github: bool = False
) -> tuple[int, str, str]:
    capsys.readouterr()
    with pytest.MonkeyPatch.context() as m:
        m.chdir(vault)
        m.delenv("GITHUB_ACTIONS", raising=False)
        if github:
            m.setenv("GITHUB_ACTIONS", "true")
        code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def commands(text: str) -> list[str]:
    """The lines the Actions runner would read as workflow commands."""
    return [line for line in text.split("\n") if line.lstrip().startswith("::")]


@pytest.fixture
def hostile(make_vault: VaultFactory) -> Path:
    return make_vault(
        {
            INJECTED: b"\x00\x01\x02\x03binary\x00\x00\x00",  # an error line names it
            "::error::FROM-A-NAME.md": "See [[Missing]].\n",  # a finding's line starts with it
            "  ::warning::SPACED.md": "See [[Missing]].\n",
        }
    )


@pytest.mark.parametrize("fmt", ["text", "concise", "json", "github", "sarif"])
def test_no_workflow_command_from_a_note_name_in_github_actions(
    hostile: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    code, out, err = run(hostile, capsys, "check", "--no-cache", "--format", fmt, github=True)
    assert code == 2
    assert commands(err) == []
    assert all(line.startswith(OUR_COMMANDS) for line in commands(out))
    assert "INJECTED" in err  # the error is still reported, escaped
    if fmt == "github":
        assert len(commands(out)) == 2


def test_format_github_outside_actions_escapes_stderr_too(
    hostile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(hostile, capsys, "check", "--no-cache", "--format", "github")
    assert code == 2 and commands(err) == []
    assert all(line.startswith(OUR_COMMANDS) for line in commands(out))


def test_no_workflow_command_from_fix_in_github_actions(
    hostile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(hostile, capsys, "fix", github=True)
    assert code == 2 and commands(out) == [] and commands(err) == []


def test_job_summary_renders_no_link_or_html_from_a_note(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    vault = make_vault(
        {
            "n.md": "See [[<img src=x onerror=alert(1)> [click me](https://evil.example)]].\n",
            "[open](https:evil.example) <b>bold</b> `tick.md": "See [[Missing|x]].\n",
        }
    )
    summary = tmp_path / "summary.md"
    code, _, _ = run(vault, capsys, "check", "--no-cache", "--summary", str(summary))
    assert code == 1
    markdown = summary.read_text()
    assert "click me" in markdown and "open" in markdown
    html = pyromark.html(markdown, options=pyromark.Options.ENABLE_TABLES)
    assert "<a " not in html and "<img" not in html and "<b>" not in html
    assert (
        html.count("<tr>") == 1 + 2 + 1 + 2
    )  # header, two rules (LK001, LK002); header, two findings


@pytest.mark.parametrize("fmt", ["text", "concise"])
def test_terminal_output_shows_control_characters_visibly(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    vault = make_vault({f"x{CONTROLS}.md": f"See [[Miss{CONTROLS}ing]] here {CONTROLS}.\n"})
    code, out, err = run(vault, capsys, "check", "--no-cache", "--format", fmt)
    assert code == 1 and err == ""
    for raw in "\x1b\x07\x9b\u202e":
        assert raw not in out
    assert "␛]8;;https:evil.example␇click" in out and "\\u{009b}31m" in out


def test_error_lines_show_control_characters_visibly(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = make_vault({f"x{CONTROLS}.md": b"\x00\x00\x00\x00binary"})
    code, _, err = run(vault, capsys, "check", "--no-cache")
    assert code == 2 and "\x1b" not in err and "\x07" not in err
    assert err.startswith("vaultbot: error: x␛]8;;") and err.count("\n") == 1


def test_text_caret_stays_under_the_finding(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = make_vault({"n.md": "\x1b[2J\x07 [[Missing]]\n"})
    _, out, _ = run(vault, capsys, "check", "--no-cache")
    lines = out.split("\n")
    source = next(line for line in lines if "[[Missing]]" in line and " | " in line)
    caret = lines[lines.index(source) + 1]
    assert caret.index("^") == source.index("[[Missing]]")
    assert caret.count("^") == len("[[Missing]]")


# -- the escaping rules, one by one ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\x1fb", "a\u241fb"),  # C0: its control picture
        ("a\x7fb", "a\u2421b"),  # DEL: ␡
        ("a\x85b", "a\\u{0085}b"),  # C1 and bidirectional controls: an escape
        ("tab\tand space", "tab\tand space"),  # kept
        ("missing\u200b", "missing\\u{200b}"),  # an invisible character: an escape
        ("a\u2060b\ufeffc", "a\\u{2060}b\\u{feff}c"),
        ("\U0001f469\u200d\U0001f52c", "\U0001f469\u200d\U0001f52c"),  # a joined emoji: kept
    ],
)
def test_visible_shows_each_control_character_as_one_symbol(text: str, shown: str) -> None:
    assert visible(text) == shown


def test_visible_lines_keeps_the_line_breaks() -> None:
    assert visible_lines("a\x1b[2J\nb\x07\n") == "a␛[2J\nb␇\n"


def test_github_lines_escape_each_command_line_and_only_those() -> None:
    text = "::error::x\n  ::warning::y\n\x1b[1m::notice\x1b[0m::z\nok ::error::not at the start"
    assert github_lines(text) == (
        "%3A:error::x\n  %3A:warning::y\n%3A:notice::z\nok ::error::not at the start"
    )


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("plain | text", "plain \\| text"),  # nothing Markdown acts on: as it is
        ("<b>x</b>", "` <b>x</b> `"),  # HTML: a code span
        ("[a](b) | c", "` [a](b) \\| c `"),  # a pipe still ends no cell inside it
        ("one ` and `` two", "``` one ` and `` two ```"),  # a fence longer than any run inside
    ],
)
def test_markdown_cells_show_text_literally(text: str, cell: str) -> None:
    assert markdown_cell(text) == cell
