"""Every rule against its fixture notes: lines that must fire say so in a comment.

A fixture is `tests/fixtures/rules/<CODE>[_variant].md`, a real-looking note; each line that
must fire ends with `%% expect: CODE %%` (in front matter: `# expect: CODE`), repeated codes
for several findings on one line. Everything else, notably the `## OK` section of near
misses, must not fire. The fixtures folder is the vault (`--vault-root`: else the
repository would be, with whatever else lies in the checkout), so links resolve against it.
The vault profile is "generated" unless the fixture says `%% profile: personal %%`.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import VaultFactory, check_json, findings

from vaultbot.rules import ALL_RULES

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
_PROFILE = re.compile(r"%%\s*profile:\s*(generated|personal)\s*%%")
_EXPECT = re.compile(r"(?:%%|#)\s*expect:\s*([A-Z]{2}\d{3}(?:\s*,\s*[A-Z]{2}\d{3})*)")


def expected(path: Path) -> Counter[tuple[int, str]]:
    result: Counter[tuple[int, str]] = Counter()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        m = _EXPECT.search(line)
        if m:
            result.update((number, code.strip()) for code in m.group(1).split(","))
    return result


FIXTURE_FILES = sorted(p for p in FIXTURES.glob("*.md"))


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.stem)
def test_fixture(path: Path, tmp_path: Path) -> None:
    code = path.stem.split("_")[0]
    profile = _PROFILE.search(path.read_text(encoding="utf-8"))
    config = tmp_path / "vaultbot.toml"
    config.write_text(f'profile = "{profile.group(1) if profile else "generated"}"\n')
    found = Counter(
        (line, c)
        for p, line, c in findings(
            FIXTURES,
            *("--vault-root", str(FIXTURES), "--config", str(config)),
            *("--select", code, path.name),
        )
        if p == path.name
    )
    assert found == expected(path)


def test_every_rule_has_a_fixture() -> None:
    codes = {p.stem.split("_")[0] for p in FIXTURE_FILES}
    missing = {rule.code for rule in ALL_RULES} - codes - {"FM001"}  # FM001: test_frontmatter
    assert not missing


def test_timestamp_format_says_which_spellings_seek_wrong() -> None:
    """TS004: `MM:SS` in data-t seeks somewhere else (a warning); `H:MM:SS` data-t and
    label-only spellings play right (info), and the message says so."""
    _, report = check_json(FIXTURES, "--select", "TS004", "TS004_severity.md")
    kinds = [
        (f["line"], f["severity"], f["message"].rsplit("; ", 1)[1]) for f in report["findings"]
    ]
    assert kinds == [
        (6, "warning", "it seeks to the wrong place"),
        (7, "info", "it plays right"),
        (8, "info", "it plays right"),
    ]


def test_a_personal_vaults_slips_are_errors_only_when_certain(tmp_path: Path) -> None:
    """LK001 in a personal vault: a case or separator variant of a note is surely a slip
    (error, safe fix); a plural or one-typo variant may be another word the person meant
    (warning, unsafe fix)."""
    config = tmp_path / "vaultbot.toml"
    config.write_text('profile = "personal"\n')
    args = ("--vault-root", str(FIXTURES), "--config", str(config), "--select", "LK001")
    _, report = check_json(FIXTURES, *args, "LK001_personal.md")
    found = [
        (f["line"], f["severity"], f["fix"]["applicability"] if f["fix"] else None)
        for f in report["findings"]
    ]
    assert found == [
        (11, "error", "safe"),  # [[existing_note]]
        (12, "warning", "unsafe"),  # [[Parents]]
        (13, "error", "safe"),  # [[Existing-Note]]
        (14, "warning", "unsafe"),  # [[Exsting Note | Existing]]
        (15, "error", "safe"),  # [[./Existing Note]]
    ]


def test_label_brackets_is_its_own_low_severity_kind(make_vault: VaultFactory) -> None:
    """A label without its brackets is TS008 (info), not a broken tag (TS005)."""
    anchor = '<a class="yt-timestamp" data-t="00:06:02">00:06:02</a>'
    vault = make_vault({"note.md": f"x {anchor} and [{anchor}].\n"})
    _, report = check_json(vault, "--select", "TS005,TS008")
    assert [(f["code"], f["severity"]) for f in report["findings"]] == [("TS008", "info")] * 2
