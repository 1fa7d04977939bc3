"""Linting one note: run the rules, drop what the note itself suppresses."""

from __future__ import annotations

from collections.abc import Sequence

from vaultbot import suppression
from vaultbot.note import Note
from vaultbot.rules import Finding, Rule
from vaultbot.vault import Vault


def check_note(note: Note, vault: Vault, rules: Sequence[Rule]) -> list[Finding]:
    """Run the rules on one note and drop what the note suppresses, in text order."""
    findings = [f for rule in rules for f in rule.check(note, vault)]
    if findings and (note.comments or "vaultbot-ignore" in note.frontmatter_text):
        marks = suppression.collect(note)
        findings = [f for f in findings if not marks.suppresses(note, f)]
    findings.sort(key=lambda f: (f.start, f.rule.code))
    return findings
