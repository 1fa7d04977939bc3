"""Every rule documents itself in its docstring under the fixed headings (STYLE.md)."""

from __future__ import annotations

import re

import pytest

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
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name)
    assert rule.severity in ("error", "warning", "info")


def test_codes_and_names_are_unique() -> None:
    assert len({r.code for r in ALL_RULES}) == len({r.name for r in ALL_RULES}) == len(ALL_RULES)
