"""`vault.walk` lists what `os.walk` lists: the same files, the same nested vaults, the same
choices for symbolic links, hidden names and folders that cannot be listed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import refuse_listing
from corpus_helpers import corpus_vault

from vaultbot.vault import walk


def reference(root: Path) -> tuple[list[str], list[str], list[str]]:
    """(files, nested vaults, errors) as os.walk gives them."""
    found: list[str] = []
    vaults: list[str] = []
    errors: list[str] = []
    for folder, dirs, files in os.walk(root, onerror=lambda e: errors.append(str(e.filename))):
        rel = os.path.relpath(folder, root).replace(os.sep, "/")
        if rel != "." and ".obsidian" in dirs:
            vaults.append(rel)
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        prefix = "" if rel == "." else rel + "/"
        found.extend(prefix + name for name in files if not name.startswith("."))
    return sorted(found), sorted(vaults), sorted(errors)


def walked(root: Path) -> tuple[list[str], list[str], list[str]]:
    vaults: list[str] = []
    errors: list[str] = []
    files = walk(root, lambda e: errors.append(str(e.filename)), vaults)
    return files, vaults, sorted(errors)


def test_the_walk_lists_what_os_walk_lists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    (outside / "deep" / "far.md").write_text("x")
    root = tmp_path / "vault"
    for rel in [
        "a.md", "b/c.md", "b/d/e.md", "b/d/Café.md", "b/.hidden.md", ".trash/gone.md",
        "b/.obsidian/app.json", "b/d/.obsidian/app.json", "f/.obsidian", "g/image.png",
        "h/.git/x.md", "locked/inside.md", "deeper/one/two/three/four.md",
    ]:  # fmt: skip
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x")
    (root / "to-folder").symlink_to(root / "b", target_is_directory=True)
    (root / "to-outside").symlink_to(outside, target_is_directory=True)
    (root / "to-file.md").symlink_to(root / "a.md")
    (root / "broken.md").symlink_to(root / "missing.md")
    (root / "loop").symlink_to(root / "loop")
    (root / "b" / "d" / "up").symlink_to(root, target_is_directory=True)
    (root / ".obsidian").mkdir()  # the vault's own: not a nested vault

    refuse_listing(monkeypatch, "locked")
    files, vaults, errors = walked(root)
    assert (files, vaults, errors) == reference(root)
    assert "to-file.md" in files and "broken.md" in files and "loop" in files
    assert not any(rel.startswith(("to-folder/", "to-outside/", "b/d/up/")) for rel in files)
    assert vaults == ["b", "b/d"] and errors == [str(root / "locked")]


@pytest.mark.slow
@pytest.mark.parametrize("corpus", ["zettelkasten", "tubegraph-dwarkesh"])
def test_the_walk_lists_a_corpus_as_os_walk_does(corpus: str) -> None:
    vault = corpus_vault(corpus)
    assert walked(vault) == reference(vault)
