"""The check cache at its edges: what mutation testing found untested in `vaultbot/cache.py`.

Two kinds of guarantee: a stale entry is never trusted (the report is always what a fresh run
gives), and an entry that is still valid is used (the cache's whole point). The second is
seen by poisoning a valid entry: if the next run reports the poisoned findings, the entry was
trusted.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import VaultFactory, check_json, poison

from vaultbot import cache
from vaultbot.config import Config


def codes(vault: Path) -> list[tuple[str, int, str]]:
    document = check_json(vault, cache=True)[1]
    return [(f["path"], f["line"], f["code"]) for f in document["findings"]]


def touch_later(path: Path, text: str) -> None:
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text)
    os.utime(path, ns=(before + 10**9, before + 10**9))


# -- never stale ------------------------------------------------------------------------------


def test_a_target_added_two_folders_deep(make_vault: VaultFactory) -> None:
    vault = make_vault({"n.md": "[[New Topic]]\n"})
    assert codes(vault) == [("n.md", 1, "LK001")]
    (vault / "a" / "b").mkdir(parents=True)
    (vault / "a" / "b" / "New Topic.md").write_text("x\n")
    assert codes(vault) == []


def test_a_note_that_folds_alike_but_is_spelt_without_punctuation(
    make_vault: VaultFactory,
) -> None:
    vault = make_vault({"n.md": "[[india_pakistan]]\n", "India-Pakistan.md": "x\n"})
    assert check_json(vault, cache=True)[1]["findings"][0]["fix"]["applicability"] == "safe"
    (vault / "indiapakistan.md").write_text("x\n")  # now two notes fold alike: ambiguous
    assert check_json(vault, cache=True)[1]["findings"][0]["fix"] is None


def test_a_link_without_a_target_before_other_links(make_vault: VaultFactory) -> None:
    vault = make_vault({"n.md": "# Top\n\n[[#Top]] and [[New Topic]]\n"})
    assert codes(vault) == [("n.md", 3, "LK001")]
    (vault / "New Topic.md").write_text("x\n")
    assert codes(vault) == []


def test_a_cache_folder_that_cannot_be_made(make_vault: VaultFactory) -> None:
    """A file where the cache folder should be: the check runs, uncached, and says the same."""
    vault = make_vault({"n.md": "[[Missing]]\n"})
    (vault / cache.CACHE_DIR).write_text("not a folder\n")
    assert codes(vault) == [("n.md", 1, "LK001")]
    assert codes(vault) == [("n.md", 1, "LK001")]
    assert (vault / cache.CACHE_DIR).read_text() == "not a folder\n"


def test_an_option_value_that_is_not_json(make_vault: VaultFactory) -> None:
    """TOML has times: an option of that type still makes a cache key (no crash)."""
    vault = make_vault(
        {"vaultbot.toml": "[rules.timestamp-out-of-range]\nmax-duration = 01:00:00\n", "n.md": ""}
    )
    code, _ = check_json(vault, cache=True)
    assert code == 0
    assert len(list((vault / cache.CACHE_DIR).glob("check-*" + cache.SUFFIX))) == 1


# -- the cache key ---------------------------------------------------------------------------


def test_cache_key_ignores_the_order_of_options() -> None:
    one = Config().rules(["TS007"], [])
    two = Config().rules(["TS007"], [])
    one[0].options = {"max-duration": "01:00:00", "other": 1}
    two[0].options = {"other": 1, "max-duration": "01:00:00"}
    assert cache.cache_key(one) == cache.cache_key(two)
    two[0].options = {"other": 1, "max-duration": "02:00:00"}
    assert cache.cache_key(one) != cache.cache_key(two)


@pytest.mark.parametrize("changed", ["engine.py", "rules/links.toml"])
def test_cache_key_follows_the_package_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, changed: str
) -> None:
    """A new vaultbot build with the same version number must not reuse old findings."""
    package = tmp_path / "vaultbot"
    (package / "rules").mkdir(parents=True)
    for rel in ("cache.py", "engine.py", "rules/links.toml"):
        (package / rel).write_text("# one\n")
    monkeypatch.setattr(cache, "__file__", str(package / "cache.py"))
    rules = Config().rules([], [])
    before = cache.cache_key(rules)
    assert cache.cache_key(rules) == before
    (package / changed).write_text("# two\n")
    assert cache.cache_key(rules) != before


# -- valid entries are used --------------------------------------------------------------------


def test_unchanged_notes_come_from_the_cache(make_vault: VaultFactory) -> None:
    """Around a changed note and an unrelated new file, the other notes' entries are used."""
    vault = make_vault(
        {"a.md": "[[Gone]]\n", "b.md": "[[Lost]]\n", "c.md": "[[T#Part]]\n", "T.md": "# Part\n"}
    )
    assert codes(vault) == [("a.md", 1, "LK001"), ("b.md", 1, "LK001")]
    touch_later(vault / "a.md", "[[Gone]]\n\n[[Away]]\n")
    (vault / "Unrelated.md").write_text("x\n")
    poison(vault, "b.md")
    assert codes(vault) == [("a.md", 1, "LK001"), ("a.md", 3, "LK001")]  # b.md: poisoned
    touch_later(vault / "c.md", "[[T#Part]] [[Nowhere]]\n")
    codes(vault)
    poison(vault, "c.md")
    assert ("c.md", 1, "LK001") not in codes(vault)  # a heading link's entry is reused too
