"""Linting one note: run the rules, drop what the note itself suppresses."""

from __future__ import annotations

from collections.abc import Sequence

from vaultbot import suppression
from vaultbot.note import Note
from vaultbot.rules import Finding, Rule
from vaultbot.rules.sp001_suppression_unused import SuppressionUnused
from vaultbot.vault import Vault


def check_note(note: Note, vault: Vault, rules: Sequence[Rule]) -> list[Finding]:
    """Run the rules on one note and drop what the note suppresses, in text order; then,
    when `suppression-unused` runs, report the suppressions that silenced nothing."""
    findings = [f for rule in rules for f in rule.check(note, vault)]
    audit = next((r for r in rules if isinstance(r, SuppressionUnused)), None)
    if (findings or audit) and (note.comments or "vaultbot-ignore" in note.frontmatter_text):
        marks = suppression.collect(note)
        findings = [f for f in findings if not marks.suppresses(note, f)]
        if audit is not None:
            findings += audit.unused(note, marks, rules)
    findings.sort(key=lambda f: (f.start, f.rule.code))
    return findings
