"""The HTML report and `clean` in the terminal: a chart legend, a dry run's own words,
snippets and before/after of fixes, and the missing targets with the notes linking to them."""

from __future__ import annotations

import itertools
import re
from html import escape
from pathlib import Path

import pytest
from conftest import VaultFactory

from vaultbot import __version__
from vaultbot.cli import main
from vaultbot.engine import NoteReport, Report, Result
from vaultbot.output import html_report

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


def test_clean_hints_at_the_unsafe_fixes_it_left(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    stray = "---\ntitle: T\n---\n\nIntro.\n\n## S\n\nText.\n\n# Stray\n"  # MD001, unsafe
    out, _ = clean(make_vault({"n.md": stray}), capsys, "--dry-run")
    assert (
        "Would fix 0 issues in 0 notes; 1 remaining.\n1 more fix available with `--unsafe-fixes`.\n"
        in out
    )


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


# -- the whole report, to the character -------------------------------------------------------

#: A small vault: rules found 5, 2, 1 and 1 times (the chart's order: most found first, then
#: by code), a missing target linked from two notes, markup characters in names and text, a
#: finding far along a long line, fixes whose edits lie on other lines too (no before/after:
#: ED001 and ED002 delete whole lines, MD001 demotes a section), two edits on one line
#: (TS006), and a finding with no fix on the line of one fixed.
REPORT_VAULT = {
    "a.md": "See [[Ada's notes]] and [[gone]] and [[ok|]].\n",
    "b & <c>.md": "More on [[gone]].\n\nAgain [[gone]] & [[<x>]].\n",
    "h.md": "Jump to [[ok#Nope]].\n",
    "long.md": "word " * 20 + "[[ok|]]" + " tail" * 20 + "\n",
    "w.md": "```markdown\n# Title\n\nBody.\n```\n",
    "ok.md": "x\n",
    "ed.md": "---\ntitle: T\nvideoId: abcdefghijk\n---\n\n"
    "Here is the modified article with inserted backlinks:\n\nText.\n",
    "ts.md": "---\ntitle: T\nvideoId: abcdefghijk\n---\n\nHe returns to it later [00:12:10].\n",
    "md.md": "---\ntitle: T\n---\n\nIntro.\n\n## S\n\nText.\n\n# Stray\n\n## Sub\n\nMore.\n",
    "two.md": "[[ok|]] and [[government_and_policy_co].]]\n",
}
GOLDEN = Path(__file__).parent / "data" / "report-dry-run.html"


def test_the_report_of_a_small_vault_is_exactly_the_expected_page(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    """The whole page of a dry run with unsafe fixes, against `tests/data/report-dry-run.html`,
    where the stylesheet, vaultbot's version and the run's date and time stand as `…`,
    `{version}` and `{date}`."""
    _, html = clean(make_vault(REPORT_VAULT), capsys, "--dry-run", "--unsafe-fixes")
    html = re.sub(r"<style>.*?</style>", "<style>…</style>", html, count=1, flags=re.S)
    html = html.replace(f" · vaultbot {__version__} · ", " · vaultbot {version} · ", 1)
    html = re.sub(r"(\{version\} · )\d{4}-\d\d-\d\d \d\d:\d\d( · )", r"\1{date}\2", html, count=1)
    assert html == GOLDEN.read_text(encoding="utf-8")


def bars(html: str) -> list[dict[str, object]]:
    """The chart's rows: label, bar (x, y, width, height), fixed width, count and its x, y."""
    svg = re.search(r'<svg role="img"[^>]*>(.*?)</svg>', html, re.S)
    assert svg
    rows = re.findall(
        r'<text x="0" y="(\d+)">([^<]*)</text>'
        r'<rect class="bar" x="(\d+)" y="(\d+)" width="(\d+)" height="(\d+)"/>'
        r'(?:<rect class="fixed" x="\3" y="\4" width="(\d+)" height="\6"/>)?'
        r'<text x="(\d+)" y="(\d+)" data-code="([^"]*)">(\d+)</text>',
        svg.group(1),
    )
    assert "".join("".join(row) for row in rows)  # the pattern matched the whole chart:
    assert len(re.findall("<text", svg.group(1))) == 2 * len(rows)
    return [
        {"label": label, "label_y": int(ly), "x": int(x), "y": int(y), "width": int(w),
         "height": int(h), "fixed": int(fw or 0), "count_x": int(cx), "count_y": int(cy),
         "code": code, "count": int(n)}
        for ly, label, x, y, w, h, fw, cx, cy, code, n in rows
    ]  # fmt: skip


def test_chart_bars_are_to_scale_in_their_own_rows(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    # 300 missing links and 1 malformed one: the short bar is 1/300 of the long one (a
    # rounded width of 1), and drawn fixed over in full.
    vault = make_vault({"many.md": "[[gone]] " * 300 + "\n", "one.md": "[[ok|]]\n", "ok.md": "x\n"})
    _, html = clean(vault, capsys, "--dry-run")
    size = re.search(r'<svg role="img" aria-label="Findings per rule" width="(\d+)" '
                     r'height="(\d+)"', html)  # fmt: skip
    assert size
    width, height = int(size.group(1)), int(size.group(2))
    rows = bars(html)
    assert [(r["code"], r["label"], r["count"]) for r in rows] == [
        ("LK001", "LK001 link-target-missing", 300),
        ("LK002", "LK002 link-malformed", 1),
    ]
    full = rows[0]["width"]
    assert [(r["width"], r["fixed"]) for r in rows] == [(full, 0), (1, 1)]
    assert round(full / 300) == 1
    for above, below in itertools.pairwise(rows):
        assert above["y"] + above["height"] < below["y"]  # rows do not overlap
    for r in rows:
        assert r["x"] == rows[0]["x"] > 0  # the bars start together, right of the labels
        assert r["y"] >= 0 and r["y"] + r["height"] <= height  # inside the picture
        assert r["y"] < r["label_y"] <= r["y"] + r["height"]  # the label beside its bar
        assert r["label_y"] == r["count_y"]
        assert r["x"] + r["width"] < r["count_x"] < width  # the count after the bar's end


def test_chart_and_tables_of_a_clean_vault(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    _, html = clean(make_vault({"ok.md": "# Ok\n\nFine.\n"}), capsys)
    assert "</p>\n<p>No findings.</p>\n<table" in html  # after the legend, before the table
    assert '<svg role="img"' not in html and '<table id="missing">' not in html


def test_the_tables_show_the_twenty_worst_notes_and_all_findings(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = {f"n{i:02}.md": f"[[gone {i}]]\n" * (1 + (i == 7)) for i in range(21)}
    # so many notes that the profile is detected: chosen, as a vault of people's notes would
    # not report the missing links
    vault = make_vault({**notes, "vaultbot.toml": 'profile = "generated"\n'})
    _, html = clean(vault, capsys, "--dry-run")
    worst = html.split('<table id="worst">', 1)[1].split("</table>", 1)[0]
    names = re.findall(r"<tr><td>(n\d\d\.md)</td>", worst)
    assert names == ["n07.md", *(f"n{i:02}.md" for i in range(21) if i != 7)][:20]
    assert html.count("<details><summary>") == 21
    missing = html.split('<table id="missing">', 1)[1].split("</table>", 1)[0]
    assert missing.count("<tr><td>gone ") == 20  # MISSING_SHOWN
    assert '<tr><td>gone 7</td><td class="n">2</td><td><code>n07.md</code></td></tr>' in missing


def test_an_interrupted_run_says_how_far_it_got() -> None:
    report = Report(notes=[NoteReport("a.md")], planned=3, interrupted=True)
    html = html_report.render(report, "vault", dry_run=False)
    assert "\n<p><b>Interrupted</b> after 1 of 3 notes.</p>\n<h2>Findings per rule</h2>\n" in html


def test_snippets_mark_a_cut_only_where_text_is_left_out(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    # Exactly SNIPPET_CONTEXT characters on each side: nothing is left out, no `…`.
    line = "a" * 40 + "[[ok|]]" + "b" * 40
    _, html = clean(make_vault({"n.md": line + "\n", "ok.md": "x\n"}), capsys, "--dry-run")
    assert f"<pre class='snippet'>{'a' * 40}<mark>[[ok|]]</mark>{'b' * 40}</pre>" in html
    assert f"<pre class='before'>- {line}</pre>" in html
    assert f"<pre class='after'>+ {line.replace('|', '')}</pre>" in html


def test_a_long_finding_at_the_end_of_its_window_is_cut_where_the_line_goes_on(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    # The finding keeps a window of 240 characters of its line, from 40 before it: a link of
    # 174 leaves 26 after it in the window, and the line goes on beyond the window.
    link = "[[" + "x" * 170 + "]]"
    line = "word " * 50 + link + " tail" * 20
    _, html = clean(make_vault({"n.md": line + "\n"}), capsys, "--dry-run")
    after = (" tail" * 20)[:26]
    assert f"<pre class='snippet'>…{'word ' * 8}<mark>{link}</mark>{after}…</pre>" in html


def test_a_finding_on_an_empty_line_has_no_snippet() -> None:
    empty = Result(
        path="n.md", line=2, column=1, end_line=2, end_column=1, rule="range-unclosed",
        code="RG001", severity="warning", message="m", fix=None, source="",
    )  # fmt: skip
    report = Report(notes=[NoteReport("n.md", initial=[empty])])
    html = html_report.render(report, "vault", dry_run=False)
    assert "<tr><td class='n'>2</td><td>RG001</td><td>m</td><td></td></tr>" in html


def test_a_real_run_is_not_called_a_dry_run(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    _, html = clean(make_vault({"ok.md": "x\n"}), capsys)
    assert re.search(r"<p class='muted'>vault · vaultbot \S+ · [\d: -]+</p>", html)


def test_a_finding_with_no_fix_shows_none_beside_a_fixed_one_of_its_rule(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    # Both LK002 on line 1; only the empty alias has a fix (a bracket in a target has none).
    vault = make_vault({"n.md": "[[ok|]] and [[government_and_policy_co].]]\n", "ok.md": "x\n"})
    _, html = clean(vault, capsys, "--dry-run")
    rows = re.findall(r"<tr><td class='n'>1</td><td>LK002</td><td>(.*?)</tr>", html)
    fixes = [row.split("</td><td>")[-1].split("<pre")[0].removesuffix("</td>") for row in rows]
    assert fixes == ["Remove the empty alias", ""]


def test_before_and_after_of_two_edits_on_one_line_and_of_an_edit_at_the_line_end(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    head = "---\ntitle: T\nvideoId: abcdefghijk\n---\n\n"
    anchor = '<a class="yt-timestamp" data-t="{0}">[{0}]</a>'
    stray = "---\ntitle: T\n---\n\nIntro.\n\n## S\n\nText.\n\n# Stray\n"
    vault = make_vault(
        {
            "two.md": head + f"Read {anchor.format('34:29')}.\n",  # TS004: data-t and label
            "end.md": head + "He returns to it later [00:12:10]\n",  # TS006: up to the line end
            "stray.md": stray,  # MD001: an unsafe fix, not applied without --unsafe-fixes
        }
    )
    _, html = clean(vault, capsys, "--dry-run")
    old, new = escape(anchor.format("34:29")), escape(anchor.format("00:34:29"))
    assert f"<pre class='before'>- Read {old}.</pre><pre class='after'>+ Read {new}.</pre>" in html
    wrapped = escape(anchor.format("00:12:10"))
    assert (
        "<pre class='before'>- He returns to it later [00:12:10]</pre>"
        f"<pre class='after'>+ He returns to it later {wrapped}</pre>"
    ) in html
    assert "<mark># Stray</mark></pre></td><td></td></tr>" in html
