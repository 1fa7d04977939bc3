"""The user's key that signs cache files (`vaultbot.cache.user_key`): made once, private, never
taken from a file another user could have written; without one, checks run without a cache."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from conftest import VaultFactory
from conftest import run as run_cli

from vaultbot import cache

NOTE = "Text [[Missing]].\n"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache home of this test's own."""
    folder = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


def test_a_key_is_made_once_readable_by_its_owner_alone(home: Path) -> None:
    key = cache.user_key()
    path = home / "vaultbot" / "key"
    assert len(key) == cache.KEY_BYTES and path.read_bytes() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert cache.user_key() == key  # kept
    assert sorted(p.name for p in path.parent.iterdir()) == ["key"]  # no temporary file left


def test_two_processes_making_a_key_at_once_agree(home: Path) -> None:
    folder = home / "vaultbot"
    cache._make_key(folder, folder / "key")
    first = (folder / "key").read_bytes()
    cache._make_key(folder, folder / "key")  # the other one, a moment later: loses
    assert (folder / "key").read_bytes() == first == cache.user_key()
    assert sorted(p.name for p in folder.iterdir()) == ["key"]


def test_without_xdg_cache_home_or_with_a_relative_one_the_key_is_in_the_home_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    for value in (None, "relative/cache"):
        if value is None:
            monkeypatch.delenv("XDG_CACHE_HOME")
        else:
            monkeypatch.setenv("XDG_CACHE_HOME", value)
        assert cache.user_key() == (tmp_path / ".cache" / "vaultbot" / "key").read_bytes()


def _unusable(home: Path, how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = home / "vaultbot"
    folder.mkdir(parents=True)
    key = folder / "key"
    if how == "readable by others":
        key.write_bytes(b"k" * cache.KEY_BYTES)
        key.chmod(0o644)
    elif how == "a link":
        target = tmp_path / "elsewhere"
        target.write_bytes(b"k" * cache.KEY_BYTES)
        target.chmod(0o600)
        key.symlink_to(target)
    elif how == "too short":
        key.write_bytes(b"k" * 8)
        key.chmod(0o600)
    elif how == "a folder":
        key.mkdir(mode=0o700)  # private, yet no key
    elif how == "another user's":
        key.write_bytes(b"k" * cache.KEY_BYTES)
        key.chmod(0o600)
        owner = key.stat().st_uid
        monkeypatch.setattr(os, "geteuid", lambda: owner + 1)  # as if another user wrote it
    elif how == "a file where the folder goes":
        folder.rmdir()
        folder.write_text("not a folder")


def _state(folder: Path) -> dict[Path, tuple[int, int, int, int]]:
    """What is in `folder`: kind and mode, size, modification time, inode (not access time,
    which reading sets)."""
    return {
        p: (s.st_mode, s.st_size, s.st_mtime_ns, s.st_ino)
        for p in folder.rglob("*")
        for s in [p.lstat()]
    }


#: How the key's place is unusable, and what the warning says of it.
UNUSABLE = {
    "readable by others": "is not a file of this user's alone",
    "a link": "Too many levels of symbolic links",
    "too short": "does not hold a key",
    "a folder": "is not a file of this user's alone",
    "another user's": "is not a file of this user's alone",
    "a file where the folder goes": "Not a directory",
}


@pytest.mark.parametrize("how", sorted(UNUSABLE))
def test_with_no_usable_key_the_check_runs_without_a_cache(
    make_vault: VaultFactory,
    home: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    how: str,
) -> None:
    _unusable(home, how, tmp_path, monkeypatch)
    before = _state(home)
    vault = make_vault({"n.md": NOTE})
    for _ in range(2):
        code, out, err = run_cli(vault, capsys, "check", "--format", "concise")
        assert code == 1 and "n.md:1:6: LK001" in out
        assert err.startswith("vaultbot: warning: .vaultbot_cache: no key to sign the cache with")
        assert UNUSABLE[how] in err
        assert err.endswith("; the cache is not used\n") and err.count("\n") == 1
    assert not (vault / cache.CACHE_DIR).exists()  # nothing written
    assert _state(home) == before  # the bad key left as it was


def test_a_key_readable_by_others_is_refused_by_mode_not_by_name(home: Path) -> None:
    cache.user_key()
    key = home / "vaultbot" / "key"
    key.chmod(0o640)
    with pytest.raises(OSError, match="is not a file of this user's alone"):
        cache.user_key()
    key.chmod(0o600)
    assert len(cache.user_key()) == cache.KEY_BYTES


def test_a_cache_made_under_another_key_is_ignored_then_replaced(
    make_vault: VaultFactory, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = make_vault({"n.md": NOTE})
    assert run_cli(vault, capsys, "check", "--format", "concise")[2] == ""
    (home / "vaultbot" / "key").write_bytes(os.urandom(cache.KEY_BYTES))  # a new key
    code, out, err = run_cli(vault, capsys, "check", "--format", "concise")
    assert code == 1 and "n.md:1:6: LK001" in out
    assert "was not written by this user's vaultbot" in err
    assert run_cli(vault, capsys, "check", "--format", "concise")[2] == ""  # rewritten


def test_without_a_home_folder_there_is_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """No XDG_CACHE_HOME, no HOME and no user entry: `~` stays `~`, which is not a folder."""
    import pwd

    def no_entry(uid: int) -> pwd.struct_passwd:
        raise KeyError(uid)

    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.delenv("HOME", raising=False)
    monkeypatch.setattr(pwd, "getpwuid", no_entry)
    with pytest.raises(OSError, match=r"^no home folder$"):
        cache.user_key()
