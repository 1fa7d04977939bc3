"""In-note suppression (DESIGN.md §8): the edges that mutation testing found untested."""

from __future__ import annotations

from conftest import VaultFactory, findings

DISABLE, ENABLE, IGNORE = (
    "%% vaultbot: disable{} %%",
    "%% vaultbot: enable{} %%",
    "%% vaultbot: ignore{} %%",
)


def lines(make_vault: VaultFactory, text: str) -> list[int]:
    vault = make_vault({"n.md": text})
    return [line for _, line, _ in findings(vault, "--select", "LK001")]


def test_a_plain_comment_before_a_directive(make_vault: VaultFactory) -> None:
    """Comments that are not directives are passed over, not the end of the search."""
    text = f"%% a note to self %%\n[[Missing]] {IGNORE.format('')}\n[[Lost]]\n"
    assert lines(make_vault, text) == [3]


def test_a_code_in_brackets_in_any_case(make_vault: VaultFactory) -> None:
    text = f"[[A]] {IGNORE.format('[LK001]')}\n[[B]] {IGNORE.format('[lk001]')}\n[[C]]\n"
    assert lines(make_vault, text) == [3]


def test_enable_of_one_rule_leaves_the_others_disabled(make_vault: VaultFactory) -> None:
    text = (
        f"{DISABLE.format('[link-target-missing]')}\n{DISABLE.format('[editorial-line]')}\n"
        f"[[A]]\n{ENABLE.format('[editorial-line]')}\n[[B]]\n"
        f"{ENABLE.format('[link-target-missing]')}\n[[C]]\n"
    )
    assert lines(make_vault, text) == [7]


def test_a_bare_enable_closes_every_open_region(make_vault: VaultFactory) -> None:
    text = (
        f"{DISABLE.format('[link-target-missing]')}\n[[A]]\n{DISABLE.format('[ED001]')}\n"
        f"{ENABLE.format('')}\n[[B]]\n"
    )
    assert lines(make_vault, text) == [5]


def test_a_region_ends_where_the_enable_comment_ends(make_vault: VaultFactory) -> None:
    """A link right after the closing `%%` is outside the region."""
    text = f"{DISABLE.format('')}\n[[A]] {ENABLE.format('')}[[B]]\n"
    assert lines(make_vault, text) == [2]
