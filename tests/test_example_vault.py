"""The shipped example vault (`examples/vault/`) reports exactly the defects planted in it.

`examples/README.md` lists the same defects for readers; a test keeps the two in step.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from vaultbot.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
VAULT = EXAMPLES / "vault"

BRIDGES = "maintenance_and_the_life_of_bridges.md"
WASTE = "nuclear_waste_markers_and_deep_time.md"
SEEDS = "seed_vaults_and_crop_diversity.md"
RAILWAY = "standard_time_and_the_railway_clock.md"
CONTAINER = "the_shipping_container_and_global_trade.md"
PRINTING = "the_printing_press_and_the_spread_of_ideas.md"

#: Every planted defect as (note file name, line, code).
PLANTED: list[tuple[str, int, str]] = [
    # Anchor `<a … data-t="00:03:15">[00:03:15] and is often …` has no `</a>`.
    (BRIDGES, 13, "TS003"),
    # Label bracket never closed: `[00:08:47</a>`.
    (BRIDGES, 15, "TS003"),
    # Range dash before a period: `[00:16:30]</a>-.`
    (BRIDGES, 19, "RG001"),
    # Placeholder `data-t="HH:MM:SS"` (the label `[00:19:42]` is a time).
    (BRIDGES, 21, "TS001"),
    # Postamble, last line: "Let me know if you would like any further changes to the article!"
    (BRIDGES, 28, "ED001"),
    # Range runs backwards: [00:38:50]-[00:33:05], data-t and labels agree.
    (WASTE, 15, "RG002"),
    # Four fields: `data-t="01:00:13:00"` (label `[01:00:13]`).
    (WASTE, 23, "TS001"),
    # Leaked prompt in the middle of the body: "Add backlinks using these topics:"
    (WASTE, 28, "ED001"),
    # The leaked topic list below it (lines 29-32), as one block.
    (WASTE, 29, "ED003"),
    # Hallucinated topic in the leaked list: [[geologic_timescales_and_human_memory | …]].
    (WASTE, 31, "LK001"),
    # Range runs backwards: [00:13:40]-[00:12:15].
    (SEEDS, 18, "RG002"),
    # Preamble after the From line: "Here is the revised article with added backlinks:"
    (RAILWAY, 8, "ED001"),
    # One-digit minute: `data-t="00:5:52"` (label `[00:05:52]`; not also a TS002).
    (RAILWAY, 16, "TS001"),
    # `data-t="00:12:40"` but label `[01:12:40]` (neighbours are at 01:10 and 01:14).
    (RAILWAY, 29, "TS002"),
    # Duplicate `title:` key in front matter; YAML names the second one.
    (CONTAINER, 4, "FM001"),
    # Range dash at the end of a line: `[00:16:20]</a>-`.
    (CONTAINER, 21, "RG001"),
    # `data-t="00:04:30"` but label `[00:42:30]` as the end of the range [00:41:10]-[00:42:30]:
    # read by its label the range runs forwards, so this is one TS002 and no RG002.
    (CONTAINER, 26, "TS002"),
    # Link to a note that does not exist: [[the_panama_canal_expansion | …]].
    (CONTAINER, 26, "LK001"),
    # A `# H1` section in a note whose title is in front matter.
    (PRINTING, 10, "MD001"),
    # `data-t="04:12"` (MM:SS, which the site reads as 4 h 12 min, past the four-hour cap:
    # one defect, one finding, TS004's).
    (PRINTING, 12, "TS004"),
    # A bare label `[00:05:31]` with no anchor.
    (PRINTING, 12, "TS006"),
    # A callout `[!NOTE]` without its `>`.
    (PRINTING, 14, "MD002"),
    # A broken anchor: `<a class_yt-timestamp" …>`.
    (PRINTING, 14, "TS005"),
    # An empty alias: `[[seed_vaults_and_crop_diversity | ]]`.
    (PRINTING, 20, "LK002"),
    # A link to a heading the target does not have: `#Budgets and Neglect`.
    (PRINTING, 20, "LK003"),
]

#: Notes with no defects; the two topic notes among them hold near-misses that must not fire.
CLEAN = [
    "index.md",
    "the_long_view.md",
    "lighthouses_and_the_economics_of_public_goods.md",
    "plain_text_and_the_problem_of_digital_decay.md",
]


def check_json(tmp_path: Path, *paths: str) -> tuple[int, dict[str, Any]]:
    """Run `vaultbot check --format json` on `paths`; the exit code and the parsed report.

    With `--no-cache`: the example vault is part of the repository and must stay as it is."""
    out = tmp_path / "report.json"
    code = main(["check", "--no-cache", "--format", "json", "--output", str(out), *paths])
    return code, json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture
def in_vault(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the vault root, so that reported paths are the notes' file names."""
    monkeypatch.chdir(VAULT)


@pytest.mark.usefixtures("in_vault")
def test_example_vault_reports_exactly_the_planted_defects(tmp_path: Path) -> None:
    code, report = check_json(tmp_path, ".")
    found = Counter((f["path"], f["line"], f["code"]) for f in report["findings"])
    assert found == Counter(PLANTED)
    assert report["summary"]["findings"] == len(PLANTED)
    assert code == 1


@pytest.mark.usefixtures("in_vault")
def test_clean_notes_have_no_findings(tmp_path: Path) -> None:
    code, report = check_json(tmp_path, *CLEAN)
    assert report["findings"] == []
    assert report["summary"]["notes_checked"] == len(CLEAN)
    assert code == 0


def test_clean_notes_still_hold_their_near_misses() -> None:
    """Without these, the clean-notes test would prove nothing about false positives."""
    lighthouses = (VAULT / CLEAN[2]).read_text(encoding="utf-8")
    assert "\nHere is the key idea:\n" in lighthouses
    assert "</a>—which means" in lighthouses
    assert "</a> – <a" in lighthouses
    decay = (VAULT / CLEAN[3]).read_text(encoding="utf-8")
    fence = re.search(r"^```markdown\n(.*?)^```$", decay, re.M | re.S)
    assert fence is not None
    assert 'data-t="00:5:52">[00:05:52]\n' in fence.group(1)  # malformed and unclosed
    assert "[[missing]]" in fence.group(1)


def test_readme_lists_the_planted_defects() -> None:
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([^`]+)` \| (\d+) \| ([A-Z]{2}\d{3}) \|", readme, re.M)
    assert Counter((note, int(line), code) for note, line, code in rows) == Counter(PLANTED)


def test_readme_shows_the_statistics_the_example_vault_gives(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"^\$ vaultbot check --statistics vault\n(.*?)^```", readme, re.M | re.S)
    assert shown is not None
    monkeypatch.chdir(EXAMPLES)
    assert main(["check", "--no-cache", "--statistics", "vault"]) == 1
    assert capsys.readouterr().out == shown.group(1)


def test_vault_layout() -> None:
    assert json.loads((VAULT / ".obsidian" / "app.json").read_text(encoding="utf-8")) == {}
    notes = sorted(p.name for p in VAULT.glob("*.md"))
    assert set(CLEAN) | {note for note, _, _ in PLANTED} == set(notes)
    for note in notes:
        text = (VAULT / note).read_text(encoding="utf-8")
        video = re.search(r"^videoId: (.*)$", text, re.M)
        if video is not None:
            assert re.fullmatch(r"[A-Za-z0-9_-]{11}", video.group(1)), note
