"""`vaultbot fix` over copies of the two real corpora of `../shared/corpora/` (DESIGN.md §6).

* tubegraph-dwarkesh (LLM-written): every editorial line ED001 reported goes (every "Here is
  the modified article…:" preamble among them); the seed note changes by exactly its two known
  defects; a second run changes nothing; afterwards nothing with a safe fix is reported.
* zettelkasten (13,415 hand-written notes): fix changes only lines that check reported (with
  a safe fix), plus blank lines beside a deleted editorial line; a second run changes nothing.

The corpora are read-only: each test works on a writable copy in a temporary folder and keeps
the original bytes in memory to compare with.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import os
import re
import shutil
import stat
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from corpus_helpers import corpus_vault, run_check

from vaultbot.cli import main

pytestmark = pytest.mark.slow

SEED = "progress_towards_artificial_general_intelligence_agi.md"
SUMMARY = re.compile(r"^Fixed (\d+) issues? in (\d+) notes?; (\d+) remaining\.(?: .*)?$", re.M)
PREAMBLE = re.compile(r"^Here is\b.*:\s*$")


# -- helpers ----------------------------------------------------------------------------------


def writable_copy(name: str, dest: Path) -> Path:
    """A copy of corpus `name`'s vault in `dest`, every file and folder writable by us."""
    vault = shutil.copytree(corpus_vault(name), dest / name, symlinks=True)
    for folder, _, files in os.walk(vault):
        for path in (Path(folder), *(Path(folder) / f for f in files)):
            if not path.is_symlink():
                path.chmod(path.stat().st_mode | stat.S_IWUSR)
    return vault


def snapshot(vault: Path) -> dict[str, bytes]:
    """Every file of the vault (hidden ones too), by vault-relative path."""
    return {
        p.relative_to(vault).as_posix(): p.read_bytes()
        for p in sorted(vault.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


@dataclass(frozen=True)
class FixRun:
    code: int
    out: str
    err: str

    @property
    def summary(self) -> tuple[int, int, int]:
        """(issues fixed, notes changed, findings remaining) from the closing line."""
        m = SUMMARY.search(self.out)
        assert m is not None, f"no summary line in the output:\n{self.out[-2000:]}"
        fixed, notes, remaining = (int(g) for g in m.groups())
        return fixed, notes, remaining


def run_fix(vault: Path, *args: str) -> FixRun:
    out, err = io.StringIO(), io.StringIO()
    with (
        pytest.MonkeyPatch.context() as mp,
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        mp.chdir(vault)
        code = main(["fix", "--vault-root", ".", *args, "."])
    return FixRun(code, out.getvalue(), err.getvalue())


def lines(data: bytes) -> list[str]:
    """The lines of a note with their endings (split at `\\n` only, as vaultbot does)."""
    return data.decode("utf-8").split("\n")


def changed_lines(before: bytes, after: bytes) -> set[int]:
    """1-based numbers of the original lines that the fix deleted or edited."""
    old, new = lines(before), lines(after)
    changed: set[int] = set()
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        assert tag != "insert" and j2 - j1 <= i2 - i1, f"fix added lines: {new[j1:j2]}"
        if tag != "equal":
            changed.update(range(i1 + 1, i2 + 1))
    return changed


def safe_fix_lines(findings: list[dict[str, Any]]) -> dict[str, set[int]]:
    """path -> lines of the findings that have a safe fix."""
    reported: dict[str, set[int]] = defaultdict(set)
    for f in findings:
        if f["fix"] is not None and f["fix"]["applicability"] == "safe":
            reported[f["path"]].update(range(f["line"], f["end_line"] + 1))
    return reported


def blank_neighbours(
    findings: list[dict[str, Any]], notes: dict[str, bytes]
) -> tuple[dict[str, set[int]], dict[str, int]]:
    """path -> blank lines right above or below a fixable ED001 line, and path -> how many
    such ED001 lines the note has (each may take one blank line along)."""
    blanks: dict[str, set[int]] = defaultdict(set)
    count: dict[str, int] = defaultdict(int)
    for f in findings:
        if f["code"] == "ED001" and f["fix"] is not None:
            count[f["path"]] += 1
            text = lines(notes[f["path"]])
            for n in (f["line"] - 1, f["end_line"] + 1):
                if 1 <= n <= len(text) and not text[n - 1].strip():
                    blanks[f["path"]].add(n)
    return blanks, count


def assert_only_reported_lines_changed(
    before: dict[str, bytes], after: dict[str, bytes], findings: list[dict[str, Any]]
) -> list[str]:
    """Compare every file: a fix may change the lines reported with a safe fix and delete one
    blank line beside each ED001 line. Return the changed files."""
    assert sorted(after) == sorted(before), "fix added or removed files"
    reported = safe_fix_lines(findings)
    blanks, editorial = blank_neighbours(findings, before)
    changed = [rel for rel in before if after[rel] != before[rel]]
    problems = []
    for rel in changed:
        extra = changed_lines(before[rel], after[rel]) - reported.get(rel, set())
        stray = extra - blanks.get(rel, set())
        if len(extra) > editorial.get(rel, 0):
            stray = extra  # more blank lines went than there were editorial lines
        if stray:
            old = lines(before[rel])
            problems += [f"{rel}:{n}: {old[n - 1][:120]!r}" for n in sorted(stray)]
    assert not problems, "fix changed lines check did not report:\n" + "\n".join(problems[:20])
    return changed


# -- tubegraph-dwarkesh -------------------------------------------------------------------------


@dataclass(frozen=True)
class CorpusFix:
    vault: Path
    before: dict[str, bytes]
    report_before: dict[str, Any]
    first: FixRun
    after: dict[str, bytes]
    second: FixRun
    after_second: dict[str, bytes]


def fix_corpus(name: str, tmp: Path) -> CorpusFix:
    vault = writable_copy(name, tmp)
    before = snapshot(vault)
    _, report = run_check(vault, tmp / "before.json")
    first = run_fix(vault)
    after = snapshot(vault)
    second = run_fix(vault)
    return CorpusFix(vault, before, report, first, after, second, snapshot(vault))


@pytest.fixture(scope="module")
def tubegraph(tmp_path_factory: pytest.TempPathFactory) -> CorpusFix:
    return fix_corpus("tubegraph-dwarkesh", tmp_path_factory.mktemp("tubegraph"))


def test_tubegraph_fix_runs_cleanly(tubegraph: CorpusFix) -> None:
    assert tubegraph.first.err == "", tubegraph.first.err
    assert tubegraph.first.code == 1  # files were changed (and unfixable findings remain)
    fixed, notes, _ = tubegraph.first.summary
    changed = [rel for rel in tubegraph.before if tubegraph.after[rel] != tubegraph.before[rel]]
    assert notes == len(changed) and fixed >= notes > 0
    print(f"tubegraph: fixed {fixed} issues in {notes} notes")


def test_tubegraph_editorial_lines_are_removed(tubegraph: CorpusFix) -> None:
    findings = tubegraph.report_before["findings"]
    editorial = [(f["path"], f["line"]) for f in findings if f["code"] == "ED001"]
    preambles = {
        (rel, n)
        for rel, data in tubegraph.before.items()
        if rel.endswith(".md")
        for n, line in enumerate(lines(data), 1)
        if PREAMBLE.match(line)
    }
    assert len(preambles) >= 70
    assert preambles <= set(editorial), "a 'Here is …:' preamble was not reported"
    for rel, n in editorial:
        assert n in changed_lines(tubegraph.before[rel], tubegraph.after[rel]), f"{rel}:{n}"
    left = [
        (rel, line)
        for rel, data in tubegraph.after.items()
        if rel.endswith(".md")
        for line in lines(data)
        if PREAMBLE.match(line)
    ]
    assert left == []


def test_tubegraph_seed_note_changes_by_its_sure_defect(tubegraph: CorpusFix) -> None:
    before = tubegraph.before[SEED].decode("utf-8")
    old = before.split("\n")
    assert old[7] == "Here is the modified article with inserted backlinks:"
    assert old[6] == old[8] == ""
    # The mismatched anchor stays for a person to decide (its fix is unsafe): its neighbours
    # in the text ([00:17:25] before, [00:19:34] after) support neither side; the [01:35:36]
    # its label lies 9 s from is a range 26 lines further down, which only hints (the audit
    # of the LLM corpora found 5 of 11 safe fixes read wrong from such stamps).
    mismatch = 'data-t="00:35:45">[01:35:45]'
    assert before.count(mismatch) == 1
    [ts002] = [
        f for f in tubegraph.report_before["findings"] if f["code"] == "TS002" and f["path"] == SEED
    ]
    assert ts002["fix"]["applicability"] == "unsafe" and "may fit" in ts002["message"]
    # Line 8 and one blank line beside it go (both neighbours are blank: either gives this).
    expected = "\n".join(old[:7] + old[9:])
    assert tubegraph.after[SEED].decode("utf-8") == expected


def test_tubegraph_changes_only_reported_lines(tubegraph: CorpusFix) -> None:
    assert_only_reported_lines_changed(
        tubegraph.before, tubegraph.after, tubegraph.report_before["findings"]
    )


def test_tubegraph_second_fix_changes_nothing(tubegraph: CorpusFix) -> None:
    assert tubegraph.second.err == ""
    changed = [
        rel for rel in tubegraph.after if tubegraph.after_second[rel] != tubegraph.after[rel]
    ]
    assert changed == []
    assert tubegraph.second.summary[:2] == (0, 0)


def test_tubegraph_no_safe_fix_remains(tubegraph: CorpusFix, tmp_path: Path) -> None:
    _, report = run_check(tubegraph.vault, tmp_path / "after.json")
    assert report["summary"]["errors"] == []
    safe = [
        (f["path"], f["line"], f["code"])
        for f in report["findings"]
        if f["fix"] is not None and f["fix"]["applicability"] == "safe"
    ]
    assert safe == []
    assert len(report["findings"]) == tubegraph.first.summary[2]  # as `fix` said: remaining


# -- zettelkasten -------------------------------------------------------------------------------


def test_zettelkasten_fix_changes_only_reported_lines(tmp_path: Path) -> None:
    run = fix_corpus("zettelkasten", tmp_path)
    assert run.report_before["summary"]["notes_checked"] == 13415
    assert run.first.err == "", run.first.err
    changed = assert_only_reported_lines_changed(
        run.before, run.after, run.report_before["findings"]
    )
    fixed, notes, remaining = run.first.summary
    assert notes == len(changed)
    assert fixed >= notes
    assert set(changed) <= set(safe_fix_lines(run.report_before["findings"]))
    assert run.second.err == ""
    assert [rel for rel in run.after if run.after_second[rel] != run.after[rel]] == []
    assert run.second.summary == (0, 0, remaining)
    print(f"zettelkasten: fixed {fixed} issues in {notes} notes; {remaining} remaining")
