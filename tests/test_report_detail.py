"""The HTML report and `clean` in the terminal: a chart legend, a dry run's own words,
snippets and before/after of fixes, and the missing targets with the notes linking to them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import VaultFactory

from vaultbot.cli import main

LINKS = {
    "a.md": "See [[Ada's notes]] and [[gone]] and [[ok|]].\n",
    "b.md": "More on [[gone]].\n\nAgain [[gone]].\n",
    "c.md": "Junk [[government_and_policy_co].]] here.\n",
    "ok.md": "x\n",
}


def clean(vault: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[str, str]:
    report = vault.parent / "report.html"
    with pytest.MonkeyPatch.context() as m:
        m.chdir(vault)
        main(["clean", ".", "--report", str(report), *args])
    return capsys.readouterr().out, report.read_text(encoding="utf-8")


def test_missing_targets_list_the_notes_linking_to_each(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    out, html = clean(make_vault(LINKS), capsys, "--dry-run")
    table = html.split('<table id="missing">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><td>(.*?)</td><td class=\"n\">(\d+)</td><td>(.*?)</td></tr>", table)
    assert rows[0] == ("gone", "3", "<code>a.md</code>, <code>b.md</code>")
    assert ("Ada&#x27;s notes", "1", "<code>a.md</code>") in rows  # a quote inside a target
    assert "government_and_policy_co" not in table  # malformed (LK002), not a note to write
    # in the terminal too, most linked first
    terminal = out.split("Most-linked missing targets:", 1)[1]
    assert re.search(r"│\s+3 │\s+2 │ gone", terminal)
    assert "Ada's notes" in terminal


def test_dry_run_report_says_would(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    _, html = clean(make_vault(LINKS), capsys, "--dry-run")
    assert "<th>fix that would apply</th>" in html and "fix applied" not in html
    assert 'class="legend"' in html and "would fix (drawn over found)" in html
    vault = make_vault(LINKS)
    _, html = clean(vault, capsys)
    assert "<th>fix applied</th>" in html and "fixed (drawn over found)" in html


def test_findings_show_a_snippet_and_the_fix_before_and_after(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    _, html = clean(make_vault(LINKS), capsys, "--dry-run")
    assert "<pre class='snippet'>See [[Ada&#x27;s notes]] and <mark>[[gone]]</mark>" in html
    assert "<pre class='before'>- See [[Ada&#x27;s notes]] and [[gone]] and [[ok|]].</pre>" in html
    assert "<pre class='after'>+ See [[Ada&#x27;s notes]] and [[gone]] and [[ok]].</pre>" in html


def test_clean_says_how_the_table_adds_up(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = clean(make_vault(LINKS), capsys, "--dry-run")
    assert "Would fix 1 issue in 1 note; 5 remaining." in out


def test_a_finding_far_along_a_long_line_shows_its_window(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    # A finding keeps a window of its line, not the whole line (engine.source_window): the
    # snippet and the before/after come from that window, cut with … where the line goes on.
    prose, rest = "word " * 80, " tail" * 80
    _, html = clean(make_vault({"a.md": prose + "[[ok|]]" + rest + "\n", "ok.md": "x\n"}), capsys)
    before, after = f"…{_e(prose[-40:])}", f"{rest[:40]}…"
    assert f"<pre class='snippet'>{before}<mark>[[ok|]]</mark>{after}</pre>" in html
    assert f"<pre class='before'>- {before}[[ok|]]{after}</pre>" in html
    assert f"<pre class='after'>+ {before}[[ok]]{after}</pre>" in html


def _e(text: str) -> str:
    return text.replace("'", "&#x27;")
