"""Link-resolution disagreements found by comparing vaultbot's LK001 with the independent
re-count of `test_corpus.py`, each reduced to the smallest vault that reproduces it and decided
by DESIGN.md §4.

Every test builds a tiny vault in `tmp_path`, runs the real `vaultbot check --format json` and
asserts what Obsidian does.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import generated_config
from corpus_helpers import run_check


def unresolved(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, int, str]]:
    """(path, line, message) of every LK001 finding of a vault holding `files`, generated:
    every unresolved link is reported, as the re-count counts it."""
    vault = tmp_path / "vault"
    generated_config(tmp_path)
    for rel, text in files.items():
        path = vault / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    code, report = run_check(vault, tmp_path / "report.json", "--select", "LK001")
    assert report["summary"]["errors"] == []
    found = [(f["path"], f["line"], f["message"]) for f in report["findings"]]
    assert code == (1 if found else 0)
    return found


# A wikilink directly followed by `(...)`. CommonMark alone reads `[[Note]](MZ)` as a link with
# text "[Note]" and destination `MZ`; Obsidian reads the wikilink `[[Note]]` first (rule 2) and
# the rest, "(MZ)", is plain text: there is no Markdown link `[t](path)` (rule 6) whose
# brackets are not already the wikilink's. Reporting `MZ` as a missing target is the false
# "missing target" §4 calls the worst bug.
@pytest.mark.parametrize(
    ("line", "existing"),
    [
        # zettelkasten `Security/DOS MZ header.md`, line 9
        ("- [[Magic Numbers]](MZ).", "Magic Numbers.md"),
        # zettelkasten `Security/Section Table.md`, lines 12, 14 and 18
        ("- [[Export Directory Section|EDT]](.edata)", "Export Directory Section.md"),
        ("- [[Resource Directory Table]](.rsrc)", "Resource Directory Table.md"),
        # tubegraph `predicting_the_impact_and_management_of_superintelligence.md` (58 such
        # links): a timestamp alias and the target repeated in parentheses
        (
            "Up to that point [[ai_forecasting | [00:02:41]]](ai_forecasting_2027).",
            "ai_forecasting.md",
        ),
    ],
)
def test_wikilink_followed_by_parentheses_is_not_a_markdown_link(
    tmp_path: Path, line: str, existing: str
) -> None:
    files = {existing: "# Target\n", "source.md": f"# Source\n\n{line}\n"}
    assert unresolved(tmp_path, files) == []


def test_embed_followed_by_parentheses_is_not_a_markdown_image(tmp_path: Path) -> None:
    # `![[x]](y)`: the embed `![[x]]` and the text "(y)", not an image `![...](y)`.
    files = {"diagram.png": "", "source.md": "![[diagram.png]](figure-1)\n"}
    assert unresolved(tmp_path, files) == []


def test_missing_wikilink_followed_by_parentheses_is_reported_once(tmp_path: Path) -> None:
    # The same shape with a missing target: one finding, for the wikilink; not a second one
    # for a Markdown link Obsidian does not see (tubegraph reported each of these twice).
    line = "Point [[missing_topic | [00:02:41]]](missing_topic)."
    files = {"source.md": f"# Source\n\n{line}\n"}
    assert unresolved(tmp_path, files) == [
        ("source.md", 3, "Link target 'missing_topic' does not exist")
    ]


def test_markdown_link_after_wikilink_and_text_still_counts(tmp_path: Path) -> None:
    # Control: a real Markdown link next to a wikilink is still a link and still checked.
    files = {
        "Magic Numbers.md": "",
        "source.md": "[[Magic Numbers]] and [the header](MZ%20Header.md)\n",
    }
    assert unresolved(tmp_path, files) == [
        ("source.md", 1, "Link target 'MZ Header.md' does not exist")
    ]


# Found by running the re-count and vaultbot side by side over a synthetic vault of edge cases
# (not in the corpora).


def test_links_after_an_unclosed_front_matter_count(tmp_path: Path) -> None:
    # A first line `---` with no closing `---` opens no front matter: Obsidian shows a
    # horizontal rule and reads no properties, and every link below it is a link (§4 rule 1
    # excludes only code, math, HTML comments and HTML blocks). vaultbot took the whole note
    # for front matter and checked none of its links.
    files = {"source.md": "---\ntitle: Draft\n\nSee [[missing_topic]].\n"}
    assert unresolved(tmp_path, files) == [
        ("source.md", 4, "Link target 'missing_topic' does not exist")
    ]


def test_reference_style_links_are_markdown_links(tmp_path: Path) -> None:
    # `[t][r]`, `[t][]` and `[r]` with a definition `[r]: path` lead to `path` like `[t](path)`
    # (rule 6). The re-count had only taken inline links; vaultbot was right.
    text = "[a][one] [two][] [three]\n\n[one]: m1.md\n[two]: Note.md\n[three]: m3.md\n"
    files = {"Note.md": "", "source.md": text}
    assert unresolved(tmp_path, files) == [
        ("source.md", 1, "Link target 'm1.md' does not exist"),
        ("source.md", 1, "Link target 'm3.md' does not exist"),
    ]


def test_wikilink_in_html_block_is_not_a_link(tmp_path: Path) -> None:
    # Rule 1: links in an HTML block do not count; a wikilink in inline HTML in a paragraph
    # does. (The re-count had missed pyromark's attribute-less `HtmlBlock` start; vaultbot was
    # right.)
    text = "<div>\n[[in_block]]\n</div>\n\n<span>[[in_paragraph]]</span>\n"
    files = {"source.md": text}
    assert unresolved(tmp_path, files) == [
        ("source.md", 5, "Link target 'in_paragraph' does not exist")
    ]


def test_a_timestamp_anchor_spelt_into_a_link_address_is_no_link(tmp_path: Path) -> None:
    # `[00:00:41](<a%20class="yt-timestamp"%20data-t="00:00:41">)`: an anchor wrapped in a
    # Markdown link, its tag URL-encoded into the address. timestamp-corrupt reports it; no
    # note is named `a class="yt-timestamp" …`, and a second finding for it says nothing.
    note = (
        "---\nvideoId: abcdefghijk\n---\n\nSee [00:00:41]"
        '(<a%20class="yt-timestamp"%20data-t="00:00:41">).\n'
    )
    assert unresolved(tmp_path, {"n.md": note}) == []
