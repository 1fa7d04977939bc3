"""What each finding is and what can be done: severity, `[*]`, hints, `--statistics`,
`--show-fixes`, summaries that add up, `rules`, `explain`, documentation links."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from conftest import VaultFactory, run, write_vault
from test_cli import MIXED

from vaultbot import Vault, check_text
from vaultbot.engine import NoteReport, Report, Result
from vaultbot.output import summary
from vaultbot.rules import ALL_RULES, Rule
from vaultbot.severity import SEVERITIES

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def example(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "examples" / "vault", tmp_path / "vault")
    return tmp_path / "vault"


def test_statistics_one_line_per_rule_adding_up(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, full, _ = run(example, capsys, "check", "--no-cache", "--format", "json")
    findings = json.loads(full)["findings"]
    code, out, _ = run(example, capsys, "check", "--no-cache", "--statistics")
    assert code == 1
    *rows, total, hint, profile = out.strip().splitlines()
    assert profile.startswith("Profile: generated vault")
    pattern = re.compile(
        r"\s*(\d+)  ([A-Z]{2}\d{3})  (\[[* -]\]) (\S+) +((?:error|warning|info)(?:/\S+)?) +(.*)"
    )
    parsed = [pattern.fullmatch(row) for row in rows]
    assert all(parsed), rows
    counts = {m.group(2): int(m.group(1)) for m in parsed if m}
    assert sum(counts.values()) == len(findings)
    assert counts == {c: sum(f["code"] == c for f in findings) for c in counts}
    for m in parsed:
        assert m is not None
        ours = [f for f in findings if f["code"] == m.group(2)]
        safe = sum(bool(f["fix"]) and f["fix"]["applicability"] == "safe" for f in ours)
        assert (m.group(3) == "[*]") == (safe == len(ours))
        levels = [s for s in SEVERITIES if any(f["severity"] == s for f in ours)]
        assert m.group(4) == ours[0]["rule"] and m.group(5) == "/".join(levels)
    assert total.startswith(f"Found {len(findings)} findings (")
    assert "more fixes available with `--unsafe-fixes`" in hint


def test_summary_counts_severities_and_hints_unsafe_fixes(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    note = "---\ntitle: T\nvideoId: WLBsUarvWTw\n---\n\nText.\n\n# Stray\n\n[[Nope]] [[ok|]]\n"
    vault = make_vault({"n.md": note, "ok.md": "x\n"})
    _, out, _ = run(vault, capsys, "check", "--no-cache", "--format", "concise")
    lines = out.strip().splitlines()
    assert lines[-3] == "Found 3 findings (2 errors, 1 warning) in 1 of 2 notes."
    assert lines[-2] == (
        "[*] 1 fixable with `vaultbot fix` (1 more fix available with `--unsafe-fixes`)."
    )
    assert any(" LK002 [*] [link-malformed] error: " in line for line in lines)
    assert any(" MD001 [heading-stray-h1] warning: " in line for line in lines)


EDITORIAL = "Here is the modified article with inserted backlinks:\n\nText.\n"  # ED001, unsafe


@pytest.mark.parametrize(
    ("notes", "fix", "hidden"),
    [
        (1, "1 fix available with `vaultbot fix --unsafe-fixes`.", "1 more fix"),
        (2, "2 fixes available with `vaultbot fix --unsafe-fixes`.", "2 more fixes"),
    ],
)
def test_unsafe_fix_hints_say_fix_or_fixes(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str], notes: int, fix: str, hidden: str
) -> None:
    vault = make_vault({f"e{i}.md": EDITORIAL for i in range(notes)})
    _, out, _ = run(vault, capsys, "check", "--no-cache", "--format", "concise")
    assert out.splitlines()[notes] == (
        f"Found {notes} finding{'s' * (notes > 1)} ({notes} warning{'s' * (notes > 1)}) "
        f"in {notes} of {notes} note{'s' * (notes > 1)}."
    )
    assert out.splitlines()[notes + 1] == fix
    _, out, _ = run(vault, capsys, "fix", "--diff")
    assert out.splitlines()[-1] == f"{hidden} available with `--unsafe-fixes`."


def test_fix_line_adds_up_or_says_what_else_happened(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(example, capsys, "fix", "--diff")
    last = out.strip().splitlines()[-2:]
    m = re.fullmatch(r"Would fix (\d+) issues in \d+ notes; (\d+) remaining\.(.*)", last[0])
    assert m, last
    fixed, left = int(m.group(1)), int(m.group(2))
    _, full, _ = run(example, capsys, "check", "--no-cache", "--format", "json")
    found = len(json.loads(full)["findings"])
    if found == fixed + left:
        assert m.group(3) == ""
    else:
        assert m.group(3) == (
            f" Of {found} found, {found - fixed - left} would go away with the fixes of others."
        )
    assert re.fullmatch(r"\d+ more fix(es)? available with `--unsafe-fixes`\.", last[1])


@pytest.mark.parametrize(
    ("planned", "writes", "line"),
    [
        (5, True, "interrupted after 4 of 5 notes (2 notes written)"),
        (5, False, "interrupted after 4 of 5 notes"),
    ],
)
def test_an_interrupted_run_says_how_far_it_got(planned: int, writes: bool, line: str) -> None:
    notes = [
        NoteReport("a.md", changed=True),  # written (no diff: none was asked for)
        NoteReport("b.md", changed=True, diff="-a\n+b\n"),  # written
        NoteReport("c.md", changed=True, error="changed on disk"),  # not written
        NoteReport("d.md"),  # nothing to write
    ]
    report = Report(notes=notes, planned=planned, writes=writes)
    assert summary.interrupted_line(report) == line


def test_show_fixes_lists_the_fixes_per_note(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = make_vault({"n.md": "[[ok|]] [[ok|]]\n", "ok.md": "x\n", "m.md": "[[ok]]\n"})
    code, out, _ = run(vault, capsys, "fix", "--show-fixes")
    assert code == 1
    assert (
        "Fixed:\nn.md:\n    2 × LK002 (link-malformed)\nFixed 2 issues in 1 note; 0 remaining."
        in out
    )
    assert (vault / "n.md").read_text() == "[[ok]] [[ok]]\n"
    _, again, _ = run(vault, capsys, "fix", "--show-fixes")
    assert "No fixes applied." in again


def test_missing_path_does_not_claim_all_checked(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = make_vault({"a.md": "x\n"})
    code, out, err = run(vault, capsys, "check", "--no-cache", "missing.md")
    assert code == 2
    assert "All checked" not in out
    assert out.strip().splitlines()[0] == "No findings in 0 notes checked; 1 error (below)."
    assert "missing.md: no such file or folder" in err


def test_rules_lists_a_fix_column(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(ROOT, capsys, "rules")
    lines = out.splitlines()
    assert code == 0 and lines[0].split()[:4] == ["code", "name", "severity", "fix"]
    columns = {line.split()[0]: line.split()[3] for line in lines[1:]}
    assert columns["ED002"] == "safe" and columns["FM001"] == "none"
    assert columns["ED001"] == "varies"  # safe only in a note bearing generator signals
    assert columns["MD001"] == "unsafe" and columns["TS002"] == "varies"
    assert set(columns) == {rule.code for rule in ALL_RULES}


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_the_fix_column_holds_on_the_rule_fixtures(rule: type[Rule]) -> None:
    """A rule whose docs say "none" offers no fix; "safe", no unsafe fix; "unsafe", no safe one."""
    folder = ROOT / "tests" / "fixtures" / "rules"
    vault = Vault.from_folder(folder)
    seen: set[str] = set()
    for path in sorted(folder.glob(f"{rule.code}*.md")):
        if path.name.endswith(".fixed.md"):
            continue
        text = path.read_text(encoding="utf-8")
        for f in check_text(text, path=path.name, vault=vault, select=[rule.code]):
            seen.add(f.fix["applicability"] if f.fix else "none")
    allowed = {"none": {"none"}, "safe": {"safe", "none"}, "unsafe": {"unsafe", "none"}}
    assert seen <= allowed.get(rule.fixability(), {"safe", "unsafe", "none"})


def test_json_url_and_sarif_help_uri_point_at_the_rule_pages(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = make_vault({"n.md": "[[Nope]]\n"})
    _, out, _ = run(vault, capsys, "check", "--no-cache", "--format", "json")
    home = "https://github.com/vaultbot/vaultbot"  # [project.urls] Homepage
    assert [f["url"] for f in json.loads(out)["findings"]] == [
        f"{home}/blob/main/docs/rules/link-target-missing.md"
    ]
    _, out, _ = run(vault, capsys, "check", "--no-cache", "--format", "sarif")
    rules = json.loads(out)["runs"][0]["tool"]["driver"]["rules"]
    assert len(rules) == len(ALL_RULES)
    for entry in rules:
        prefix = f"{home}/blob/main/"
        assert entry["helpUri"] == f"{prefix}docs/rules/{entry['name']}.md"
        assert (ROOT / entry["helpUri"].removeprefix(prefix)).is_file()  # the page exists


def test_package_metadata() -> None:
    from importlib import metadata

    meta = metadata.metadata("vaultbot")
    classifiers = meta.get_all("Classifier") or []
    assert "Typing :: Typed" in classifiers
    assert any(c.startswith("License :: OSI Approved :: MIT") for c in classifiers)
    assert "obsidian" in (meta["Keywords"] or "")
    assert meta["Author"] or meta["Author-email"]
    urls = dict(entry.split(", ", 1) for entry in meta.get_all("Project-URL") or [])
    assert {"Homepage", "Issues", "Documentation"} <= set(urls)


# -- the summary's lines to the character, from findings made up here ---------------------------


def finding(code: str, rule: str, severity: str = "error", fix: str | None = None) -> Result:
    edit = {"content": "", "location": {"line": 1, "column": 1},
            "end_location": {"line": 1, "column": 2}}  # fmt: skip
    return Result(
        path="n.md", line=1, column=1, end_line=1, end_column=2, rule=rule, code=code,
        severity=severity, message="m", source="x",
        fix=None if fix is None else {"applicability": fix, "title": "t", "edits": [edit]},
    )  # fmt: skip


def test_statistics_of_every_kind_of_rule_to_the_character(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    generated = "---\ntitle: T\nvideoId: abcdefghijk\n---\n\n" + EDITORIAL  # ED001 safe here
    gone = "".join(f"[[Gone {i}]]\n" for i in range(9))  # LK001: 10 in all, the most found
    # MD001 in `0.md` too: three rules found twice, in the order of their codes, not their notes
    vault = make_vault({**MIXED, "g.md": generated, "m.md": gone, "0.md": MIXED["h.md"]})
    code, out, _ = run(vault, capsys, "check", "--no-cache", "--statistics")
    assert code == 1
    assert out.splitlines()[:7] == [
        "10  LK001  [ ] link-target-missing   error          no fix",
        # one error (safe to fix in the generated note) and one warning: both said
        " 2  ED001  [-] editorial-line        error/warning  1 fixable, 1 unsafe-fixable",
        " 2  ED002  [*] editorial-fence       error          2 fixable",
        " 2  MD001  [-] heading-stray-h1      warning        2 unsafe-fixable",
        " 1  LK003  [ ] link-heading-missing  warning        no fix",
        " 1  LK004  [ ] link-ambiguous        info           no fix",
        "Found 18 findings (13 errors, 4 warnings, 1 info) in 8 of 11 notes.",
    ]
    clean = write_vault(tmp_path / "clean", {"ok.md": "# Ok\n\nFine.\n"})
    assert run(clean, capsys, "check", "--no-cache", "--statistics")[1].startswith("All checked")


def test_the_check_line_counts_info_without_a_plural_and_no_profile_when_none() -> None:
    results = [
        finding("LK004", "link-ambiguous", "info"),
        finding("LK004", "link-ambiguous", "info"),
    ]
    report = Report(notes=[NoteReport("n.md", results=results)])
    assert summary.check_line(report) == "Found 2 findings (2 info) in 1 of 1 note."


@pytest.mark.parametrize(
    ("dry_run", "line"),
    [
        (False, "Fixed 1 issue in 1 note; 1 remaining. Of 3 found, 1 went away with the fixes of others."),
        (True, "Would fix 1 issue in 1 note; 1 remaining. Of 3 found, 1 would go away with the fixes of others."),
    ],
)  # fmt: skip
def test_the_fix_line_says_what_went_away_with_other_fixes(dry_run: bool, line: str) -> None:
    found = [finding("LK002", "link-malformed", fix="safe"), finding("LK001", "link-target-missing"),
             finding("LK001", "link-target-missing")]  # fmt: skip
    note = NoteReport("n.md", results=found[1:2], initial=found, fixed=Counter({"LK002": 1}))
    assert summary.fix_line(Report(notes=[note]), dry_run=dry_run, unsafe=False) == line


def test_the_fix_line_says_what_appeared_only_after_other_fixes() -> None:
    found = [finding("LK002", "link-malformed", fix="safe")]
    note = NoteReport("n.md", initial=found, fixed=Counter({"LK002": 1, "TS006": 1}))
    assert summary.fix_line(Report(notes=[note]), dry_run=False, unsafe=False) == (
        "Fixed 2 issues in 1 note; 0 remaining."
        " 1 of the fixed appeared only once other fixes were made (1 found)."
    )


def test_show_fixes_names_each_note_as_its_findings_do() -> None:
    found = [finding("LK002", "link-malformed", fix="safe")]
    notes = [
        NoteReport("sub/n.md", initial=found, fixed=Counter({"LK002": 2, "TS006": 1})),
        NoteReport("sub/m.md", fixed=Counter({"LK002": 1})),  # fixed, no finding kept: its name
        NoteReport("sub/o.md", initial=found),  # nothing fixed: not listed
    ]
    assert summary.fixes_applied(Report(notes=notes), dry_run=True) == (
        "Would fix:\nn.md:\n    2 × LK002 (link-malformed)\n    1 × TS006 ()\n"
        "sub/m.md:\n    1 × LK002 ()"
    )
    assert summary.fixes_applied(Report(notes=notes[2:]), dry_run=False) == "No fixes applied."


def test_the_commit_message_sums_the_fixes_per_rule() -> None:
    notes = [
        NoteReport("a.md", fixed=Counter({"LK002": 2, "ED001": 1})),
        NoteReport("b.md", fixed=Counter({"LK002": 1})),
        NoteReport("c.md"),
    ]
    assert summary.commit_message(notes) == (
        "vaultbot: fix 4 issues in 2 notes\n\n- ED001: 1\n- LK002: 3\n"
    )


def test_fix_says_each_thing_once(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    """After `vaultbot fix`, the summary does not tell the user to run `vaultbot fix`, and
    what `--unsafe-fixes` would add is said once (it was said twice in two wordings)."""
    vault = make_vault({"e.md": EDITORIAL, "n.md": "x [[ok|]]\n", "ok.md": "x\n"})
    code, out, _ = run(vault, capsys, "fix")
    assert code == 1
    assert out.splitlines()[-3:] == [
        "Found 1 finding (1 warning) in 1 of 3 notes.",
        "Fixed 1 issue in 1 note; 1 remaining.",
        "1 more fix available with `--unsafe-fixes`.",
    ]
    assert "vaultbot fix" not in out
