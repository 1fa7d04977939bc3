"""Every rule documents itself in its docstring under the fixed headings (STYLE.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from vaultbot import docs
from vaultbot.cli import main
from vaultbot.rules import ALL_RULES, Rule

HEADINGS = ["## What it does", "## Why is this bad?", "## Example", "## Fix safety"]


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_rule_docs(rule: type[Rule]) -> None:
    docs = rule.docs()
    positions = [docs.find(h) for h in HEADINGS]
    assert -1 not in positions, f"{rule.code} lacks a heading"
    assert positions == sorted(positions)
    assert rule.summary() and not rule.summary().startswith("#")
    assert re.fullmatch(r"[A-Z]{2}\d{3}", rule.code)
    assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", rule.name)
    assert rule.severity in ("error", "warning", "info")


def test_codes_and_names_are_unique() -> None:
    assert len({r.code for r in ALL_RULES}) == len({r.name for r in ALL_RULES}) == len(ALL_RULES)


def test_docs_pages_are_generated_from_the_docstrings() -> None:
    # Regenerate with: python -m vaultbot.docs docs/rules
    folder = Path(__file__).resolve().parents[1] / "docs" / "rules"
    expected = docs.expected_files()
    actual = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.md")}
    assert sorted(actual) == sorted(expected)
    for name, text in expected.items():
        assert actual[name] == text, f"docs/rules/{name} is stale"


def test_explain_prints_the_docs_page(capsys: pytest.CaptureFixture[str]) -> None:
    for rule in ALL_RULES:
        assert main(["explain", rule.code]) == 0
        assert capsys.readouterr().out == docs.page(rule)
