"""Issue 10, the cache: it never hides a finding, never crashes a run, and a symbolic link in
place of `.vaultbot_cache` (or inside it) is never followed."""

from __future__ import annotations

import json
import os
import tarfile
from pathlib import Path
from typing import Any

import pytest
from conftest import VaultFactory, check_json

from vaultbot import cache
from vaultbot.cli import main

NOTE = "Text [[Missing]] and [[Present]].\n"


def cache_file(vault: Path) -> Path:
    [path] = sorted((vault / cache.CACHE_DIR).glob("check-*.json"))
    return path


def codes(vault: Path) -> list[tuple[str, int, str]]:
    _, document = check_json(vault, cache=True)
    return [(f["path"], f["line"], f["code"]) for f in document["findings"]]


def test_a_forged_cache_shipped_in_a_tarball_hides_nothing(tmp_path: Path) -> None:
    vault = tmp_path / "made" / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / "n.md").write_text(NOTE)
    (vault / "Present.md").write_text("Here.\n")
    for path in vault.glob("*.md"):  # whole seconds, which any tar format keeps exactly
        os.utime(path, (1_700_000_000, 1_700_000_000))
    assert codes(vault) == [("n.md", 1, "LK001")]
    forged = json.loads(cache_file(vault).read_text())
    for entry in forged["entries"].values():
        entry["r"] = []  # "nothing to see here", with the files' own sizes and times
    cache_file(vault).write_text(json.dumps(forged))
    archive = tmp_path / "vault.tar"
    with tarfile.open(archive, "w") as tar:
        tar.add(vault, arcname="vault")
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path / "elsewhere", filter="tar")  # keeps the mtimes
    extracted = tmp_path / "elsewhere" / "vault"
    assert (extracted / "n.md").stat().st_mtime_ns == (vault / "n.md").stat().st_mtime_ns
    assert codes(extracted) == [("n.md", 1, "LK001")]


def test_a_same_size_edit_with_its_mtime_restored_is_seen(make_vault: VaultFactory) -> None:
    vault = make_vault({"n.md": "See [[Missing]].\n", "Present.md": "Here.\n"})
    assert codes(vault) == [("n.md", 1, "LK001")]
    note = vault / "n.md"
    before = note.stat()
    note.write_text("See [[Present]].\n")  # same size
    os.utime(note, ns=(before.st_atime_ns, before.st_mtime_ns))  # `touch -r`
    assert note.stat().st_size == before.st_size
    assert note.stat().st_mtime_ns == before.st_mtime_ns
    assert codes(vault) == []


def _entry(document: dict[str, Any]) -> dict[str, Any]:
    return document["entries"]["n.md"]


def _finding(document: dict[str, Any]) -> list[Any]:
    return _entry(document)["r"][0]


MALFORMED: dict[str, Any] = {
    "bad JSON": lambda d: "{not json",
    "a list for the document": lambda d: [d],
    "a string for the document": lambda d: "cache",
    "a list for the entries": lambda d: {**d, "entries": list(d["entries"])},
    "no files": lambda d: {k: v for k, v in d.items() if k != "files"},
    "files not text": lambda d: {**d, "files": [1, 2]},
    "an entry that is a list": lambda d: {**d, "entries": {"n.md": [1, 2, 3]}},
    "an entry without its findings": lambda d: {
        **d,
        "entries": {"n.md": {k: v for k, v in _entry(d).items() if k != "r"}},
    },
    "a stat key that is text": lambda d: _set(d, lambda e: e.__setitem__("s", "12:34")),
    "a huge stat number": lambda d: _set(d, lambda e: e.__setitem__("s", [10**30] * 4)),
    "a finding that is a table": lambda d: _set(d, lambda e: e.__setitem__("r", [{"x": 1}])),
    "a huge line number": lambda d: _set(d, lambda e: e["r"][0].__setitem__(0, 10**15)),
    "an infinite column": lambda d: _set(d, lambda e: e["r"][0].__setitem__(1, 1e999)),
    "a line that is text": lambda d: _set(d, lambda e: e["r"][0].__setitem__(0, "1")),
    "an unknown rule": lambda d: _set(d, lambda e: e["r"][0].__setitem__(4, "XX999")),
    "an unknown severity": lambda d: _set(d, lambda e: e["r"][0].__setitem__(5, "fatal")),
    "a message that is not text": lambda d: _set(d, lambda e: e["r"][0].__setitem__(6, 7)),
    "a fix without applicability": lambda d: _set(d, lambda e: e["r"][0].__setitem__(7, {})),
    "a finding short of a field": lambda d: _set(d, lambda e: e["r"][0].pop()),
    "a bool for a column": lambda d: _set(d, lambda e: e["r"][0].__setitem__(1, True)),
    "dependencies as a list": lambda d: _set(d, lambda e: e.__setitem__("d", [])),
    "dependencies with a list of names": lambda d: _set(
        d, lambda e: e.__setitem__("d", {"n": [], "h": {}})
    ),
    "dependencies with extra keys": lambda d: _set(
        d, lambda e: e.__setitem__("d", {"n": "", "h": {}, "x": 1})
    ),
    "a heading target's stat as text": lambda d: _set(
        d, lambda e: e.__setitem__("d", {"n": "", "h": {"T.md": "x"}})
    ),
    "an entry with an extra key": lambda d: _set(d, lambda e: e.__setitem__("x", 1)),
    "no token": lambda d: {k: v for k, v in d.items() if k != "token"},
    "another version": lambda d: {**d, "version": "0.0.0"},
    "deeply nested JSON": lambda d: "[" * 100_000 + "]" * 100_000,
}


#: The reason each variant's warning gives (after "ignoring a cache that ").
REASONS = {
    "bad JSON": "is not valid JSON",
    "a list for the document": "is not a JSON object",
    "a string for the document": "is not valid JSON",
    "a list for the entries": "has no table of entries",
    "no files": "has no list of files",
    "files not text": "has no list of files",
    "no token": "has no token",
    "another version": "was written by another version of vaultbot",
    "an entry that is a list": "has a malformed entry for 'n.md' (expected keys s, r and d)",
    "an entry without its findings": "has a malformed entry for 'n.md' (expected keys s, r and d)",
    "a stat key that is text": "has a malformed entry for 'n.md' "
    "(a stat key is not four whole numbers)",
    "a huge stat number": "has a malformed entry for 'n.md' (a stat key is not four whole numbers)",
    "a finding that is a table": "has a malformed entry for 'n.md' "
    "(a finding is not a list of its 8 fields)",
    "a huge line number": "has a malformed entry for 'n.md' "
    "(a finding has a position no note can have)",
    "an infinite column": "has a malformed entry for 'n.md' "
    "(a finding has a position no note can have)",
    "a line that is text": "has a malformed entry for 'n.md' "
    "(a finding has a position no note can have)",
    "an unknown rule": "has a malformed entry for 'n.md' "
    "(a finding names an unknown rule or severity)",
    "an unknown severity": "has a malformed entry for 'n.md' "
    "(a finding names an unknown rule or severity)",
    "a message that is not text": "has a malformed entry for 'n.md' "
    "(a finding's code, severity or message is not text)",
    "a fix without applicability": "has a malformed entry for 'n.md' (a fix lacks its keys)",
    "a finding short of a field": "has a malformed entry for 'n.md' "
    "(a finding is not a list of its 8 fields)",
    "a bool for a column": "has a malformed entry for 'n.md' "
    "(a finding has a position no note can have)",
    "dependencies as a list": "has a malformed entry for 'n.md' (dependencies need keys n and h)",
    "deeply nested JSON": "is not valid JSON",
    "dependencies with a list of names": "has a malformed entry for 'n.md' "
    "(malformed dependencies)",
    "dependencies with extra keys": "has a malformed entry for 'n.md' "
    "(dependencies need keys n and h)",
    "a heading target's stat as text": "has a malformed entry for 'n.md' "
    "(a stat key is not four whole numbers)",
    "an entry with an extra key": "has a malformed entry for 'n.md' (expected keys s, r and d)",
}


def _set(document: dict[str, Any], change: Any) -> dict[str, Any]:
    change(_entry(document))
    return document


@pytest.mark.parametrize("variant", sorted(MALFORMED))
def test_a_malformed_cache_is_discarded_with_one_warning(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str], variant: str
) -> None:
    vault = make_vault({"n.md": NOTE, "Present.md": "Here.\n"})
    assert codes(vault) == [("n.md", 1, "LK001")]
    path = cache_file(vault)
    broken = MALFORMED[variant](json.loads(path.read_text()))
    path.write_text(broken if isinstance(broken, str) else json.dumps(broken))
    capsys.readouterr()
    with pytest.MonkeyPatch.context() as m:
        m.chdir(vault)
        code = main(["check"])  # the text format: it prints lines, columns and carets
    out, err = capsys.readouterr()
    assert code == 1 and "n.md:1:6: LK001" in out
    assert err == f"vaultbot: warning: .vaultbot_cache: ignoring a cache that {REASONS[variant]}\n"
    assert codes(vault) == [("n.md", 1, "LK001")]  # rewritten: the next run is quiet
    assert capsys.readouterr().err == ""


def test_a_symlinked_cache_folder_is_never_followed(
    make_vault: VaultFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = make_vault({"n.md": NOTE, "Present.md": "Here.\n"})
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "check-0123.json").write_text("precious")
    (vault / cache.CACHE_DIR).symlink_to(outside, target_is_directory=True)
    capsys.readouterr()
    with pytest.MonkeyPatch.context() as m:
        m.chdir(vault)
        assert main(["check", "--format", "concise"]) == 1
    err = capsys.readouterr().err
    assert err == "vaultbot: warning: .vaultbot_cache is a symbolic link; the cache is not used\n"
    assert sorted(p.name for p in outside.iterdir()) == ["check-0123.json"]
    assert (outside / "check-0123.json").read_text() == "precious"


def test_links_inside_the_cache_folder_are_never_followed(
    make_vault: VaultFactory, tmp_path: Path
) -> None:
    vault = make_vault({"n.md": NOTE, "Present.md": "Here.\n"})
    assert codes(vault) == [("n.md", 1, "LK001")]
    path = cache_file(vault)
    outside = tmp_path / "outside"
    outside.mkdir()
    forged = json.loads(path.read_text())
    forged["entries"]["n.md"]["r"] = []
    (outside / "forged.json").write_text(json.dumps(forged))
    path.unlink()
    path.symlink_to(outside / "forged.json")  # a cache file that is a link: not read
    (vault / cache.CACHE_DIR / ".gitignore").unlink()
    (vault / cache.CACHE_DIR / ".gitignore").symlink_to(outside / "pwned")  # dangling
    assert codes(vault) == [("n.md", 1, "LK001")]
    assert sorted(p.name for p in outside.iterdir()) == ["forged.json"]
    assert json.loads((outside / "forged.json").read_text()) == forged


@pytest.mark.parametrize(
    ("delta", "reason"),
    [
        ("[]", "has a malformed delta file"),
        ('{"version": "0.0.0", "base": "x", "entries": {}}', "has a malformed delta file"),
        ('{"version": "@V@", "base": "@T@", "entries": []}', "has a delta file with no table"),
        ('{"version": "@V@", "base": "@T@"', "is not valid JSON"),
    ],
)
def test_a_malformed_delta_discards_the_cache_with_one_warning(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str], delta: str, reason: str
) -> None:
    from vaultbot import __version__

    vault = make_vault({"n.md": NOTE, "Present.md": "Here.\n"})
    assert codes(vault) == [("n.md", 1, "LK001")]
    main_file = cache_file(vault)
    token = json.loads(main_file.read_text())["token"]
    text = delta.replace("@V@", __version__).replace("@T@", token)
    main_file.with_name(main_file.name.replace("check-", "delta-")).write_text(text)
    capsys.readouterr()
    with pytest.MonkeyPatch.context() as m:
        m.chdir(vault)
        assert main(["check", "--format", "concise"]) == 1
    out, err = capsys.readouterr()
    assert "n.md:1:6: LK001" in out
    assert err.startswith(f"vaultbot: warning: .vaultbot_cache: ignoring a cache that {reason}")
    assert err.count("\n") == 1


def test_a_note_dated_1970_is_a_cache_hit(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    """Stat fields may be 0 (a note's mtime set to the epoch): the cache takes them."""
    vault = make_vault({"n.md": NOTE, "Present.md": "Here.\n"})
    os.utime(vault / "n.md", ns=(0, 0))
    assert codes(vault) == [("n.md", 1, "LK001")]
    assert json.loads(cache_file(vault).read_text())["entries"]["n.md"]["s"][0] == 0
    capsys.readouterr()
    assert codes(vault) == [("n.md", 1, "LK001")]
    assert capsys.readouterr().err == ""


def test_the_cache_is_written_beside_itself_not_in_the_temp_folder(
    make_vault: VaultFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its temporary file is made in `.vaultbot_cache/` (renamed into place on the same file
    system), never in the system's temporary folder."""
    import tempfile

    vault = make_vault({"n.md": NOTE, "Present.md": "Here.\n"})
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no such folder"))
    monkeypatch.chdir(vault)
    assert main(["check", "--format", "concise"]) == 1
    assert cache_file(vault).is_file()
