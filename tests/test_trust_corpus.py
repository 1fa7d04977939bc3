"""Fixes that never make a note worse, on every real corpus (issue 9, §1 and §4; DESIGN.md §9).

* A safe `fix` over the whole Zettelkasten (hand-written) deletes no line of any note.
* On every corpus, `fix` (safe, then with `--unsafe-fixes`) leaves no note with more findings
  of any rule than before.
* The profile is detected right on both kinds of corpus.

Each test works on a writable copy of the read-only corpus.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from pathlib import Path

import pytest
from corpus_helpers import run_check
from test_fix_corpus import snapshot, writable_copy

from vaultbot.cli import main

pytestmark = pytest.mark.slow

CORPORA = [
    "tubegraph-dwarkesh",
    "tubegraph-more/amiteshanand",
    "tubegraph-more/hubermanlab",
    "tubegraph-more/lennyspodcast",
    "zettelkasten",
]


def per_note_rule(vault: Path, output: Path) -> tuple[Counter[tuple[str, str]], str]:
    """Findings counted per (note, rule), and the profile the run chose."""
    _, report = run_check(vault, output, "--exit-zero")
    counts = Counter((f["path"], f["code"]) for f in report["findings"])
    return counts, report["summary"]["profile"]


#: Broken markup a fix must never make: a doubled closing tag, an anchor inside a wikilink.
BROKEN_MARKUP = re.compile(r"</a>\s*</a>|\[\[[^\]|\n]*\|[^\]\n]*<a\b")


def broken_markup(vault: Path) -> Counter[str]:
    return Counter(
        {
            path.relative_to(vault).as_posix(): n
            for path in vault.rglob("*.md")
            if (n := len(BROKEN_MARKUP.findall(path.read_text(errors="replace"))))
        }
    )


def fix(vault: Path, *args: str) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(vault)
        assert main(["fix", "--vault-root", ".", "--exit-zero", *args, "."]) == 0


def deleted_lines(before: str, after: str) -> list[str]:
    """Lines of `before` that `after` drops (a line rewritten in place is not dropped)."""
    old, new = before.splitlines(), after.splitlines()
    gone: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "delete" or (op == "replace" and i2 - i1 > j2 - j1):
            gone.extend(old[i1:i2])
    return gone


def test_safe_fix_deletes_no_line_of_the_zettelkasten(tmp_path: Path) -> None:
    vault = writable_copy("zettelkasten", tmp_path)
    before = snapshot(vault)
    fix(vault)
    after = snapshot(vault)
    changed = [rel for rel in before if rel.endswith(".md") and after.get(rel) != before[rel]]
    deleted = {
        rel: lines
        for rel in changed
        if (lines := deleted_lines(before[rel].decode(), after[rel].decode()))
    }
    assert not deleted


@pytest.mark.parametrize("name", CORPORA)
def test_fix_creates_no_finding(name: str, tmp_path: Path) -> None:
    vault = writable_copy(name, tmp_path)
    report = tmp_path / "report.json"
    before, profile = per_note_rule(vault, report)
    markup = broken_markup(vault)
    assert profile == ("personal" if name == "zettelkasten" else "generated")
    for args in ((), ("--unsafe-fixes",)):
        fix(vault, *args)
        after, _ = per_note_rule(vault, report)
        worse = {key: (before[key], n) for key, n in after.items() if n > before[key]}
        assert not worse, f"fix {' '.join(args)} made notes worse: {worse}"
        broken = {rel: n for rel, n in broken_markup(vault).items() if n > markup[rel]}
        assert not broken, f"fix {' '.join(args)} broke markup: {broken}"
        before = after
