"""Issue 10: nothing is written, created or deleted outside the vault; writes keep hard links,
groups and concurrent edits; refused writes leave the note's findings counted."""

from __future__ import annotations

import os
import signal
import stat
from pathlib import Path
from typing import Any

import pytest
from conftest import VaultFactory, check_json

from vaultbot import fixes
from vaultbot.cli import main
from vaultbot.note import Note

# A generated note (a `videoId`): its editorial line has a safe fix.
BAD = "---\nvideoId: abcdefghijk\n---\nHere is the modified article with inserted backlinks:\n\nBody text.\n"
GOOD = "---\nvideoId: abcdefghijk\n---\nBody text.\n"


def fix(vault: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    with pytest.MonkeyPatch.context() as m:
        m.chdir(vault)
        code = main(["fix", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_symlinked_note_outside_the_vault_is_read_only(
    make_vault: VaultFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = make_vault({"inside.md": BAD})
    outside = tmp_path / "outside.md"
    outside.write_text(BAD)
    (vault / "link.md").symlink_to(outside)
    code, out, err = fix(vault, capsys)
    assert outside.read_text() == BAD
    assert (vault / "inside.md").read_text() == GOOD
    assert code == 2 and err == "vaultbot: error: link.md: not written: links outside the vault\n"
    assert "Fixed 1 issue in 1 note; 1 remaining." in out  # link.md keeps its finding


def test_a_note_in_a_symlinked_folder_outside_the_vault_is_read_only(
    make_vault: VaultFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = make_vault({"inside.md": GOOD})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "n.md").write_text(BAD)
    (vault / "shared").symlink_to(elsewhere, target_is_directory=True)
    code, _, err = fix(vault, capsys, "--vault-root", ".", "shared/n.md")
    assert (elsewhere / "n.md").read_text() == BAD
    assert code == 2 and "shared/n.md: not written: links outside the vault" in err


def test_a_symlinked_note_inside_the_vault_is_written_through(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = make_vault({"real.md": BAD})
    (vault / "alias.md").symlink_to(vault / "real.md")
    code, _, err = fix(vault, capsys, "alias.md")
    assert (code, err) == (1, "")
    assert (vault / "alias.md").is_symlink() and (vault / "real.md").read_text() == GOOD


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("a/../../../elsewhere/pwned", "the path leaves the vault"),
        ("/etc/pwned", "the path leaves the vault"),
        ("bad\x00name", "the name holds a character file names cannot hold"),
        ("x" * 300, "a name is too long for a file"),
    ],
)
def test_stub_paths_that_leave_the_vault_or_cannot_be_files_are_refused(
    make_vault: VaultFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str], target: str,
    reason: str,
) -> None:  # fmt: skip
    vault = make_vault({"n.md": f"See [[{target}]].\n"})
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    code, out, err = fix(vault, capsys, "--link-strategy", "stub", "--unsafe-fixes")
    assert code == 1 and err == ""
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    assert f"(no stub: {reason})" in out


def test_a_stub_in_a_symlinked_folder_outside_the_vault_is_refused(
    make_vault: VaultFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = make_vault({"n.md": "See [[ext/New Topic]].\n"})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (vault / "ext").symlink_to(elsewhere, target_is_directory=True)
    code, _, err = fix(vault, capsys, "--link-strategy", "stub", "--unsafe-fixes")
    assert list(elsewhere.iterdir()) == []
    assert code == 2
    assert err == "vaultbot: error: New Topic.md: not created: the path leaves the vault\n"


def test_stale_temporary_files_of_a_killed_run_are_removed(
    make_vault: VaultFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = make_vault({"n.md": GOOD, "sub/m.md": GOOD})
    stale = [vault / ".n.md.k2j4_x9a.vaultbot.tmp", vault / "sub" / ".m.md.00aa11bb.vaultbot.tmp"]
    for path in stale:
        path.write_text("half a note")
    kept = [
        vault / ".n.md.tmp",
        vault / ".notes.vaultbot.tmp",
        vault / "n.md.abcdefgh.vaultbot.tmp",
    ]
    for path in kept:
        path.write_text("not ours")
    (tmp_path / "target").write_text("keep")
    (vault / ".x.md.abcdefgh.vaultbot.tmp").symlink_to(tmp_path / "target")
    code, _, err = fix(vault, capsys)
    assert (code, err) == (0, "")
    assert not any(path.exists() for path in stale)
    assert all(path.read_text() == "not ours" for path in kept)
    assert (tmp_path / "target").read_text() == "keep"


def test_hard_links_are_kept(
    make_vault: VaultFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = make_vault({"n.md": BAD})
    other = tmp_path / "other-name.md"
    os.link(vault / "n.md", other)
    code, out, err = fix(vault, capsys)
    assert os.path.samefile(vault / "n.md", other) and other.read_text() == BAD
    assert code == 2 and "n.md: has 2 hard links; not written" in err
    assert "1 remaining" in out


def test_the_group_and_owner_are_kept(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = make_vault({"n.md": BAD})
    note = vault / "n.md"
    if os.geteuid() == 0:
        os.chown(note, 4321, 4242)
    want = note.stat()
    code, _, err = fix(vault, capsys)
    assert (code, err) == (1, "")
    assert note.read_text() == GOOD
    assert (note.stat().st_uid, note.stat().st_gid) == (want.st_uid, want.st_gid)


def test_an_edit_during_the_write_is_not_overwritten(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A slow fsync: another program saves the note while vaultbot is writing its fix.
    vault = make_vault({"n.md": BAD})
    real_fsync = os.fsync

    def slow_fsync(fd: int) -> None:
        real_fsync(fd)
        (vault / "n.md").write_text(BAD + "A line typed meanwhile.\n")

    monkeypatch.setattr(os, "fsync", slow_fsync)
    code, _, err = fix(vault, capsys)
    assert (vault / "n.md").read_text() == BAD + "A line typed meanwhile.\n"
    assert code == 2 and "n.md: changed on disk while vaultbot was fixing it; not written" in err
    assert [p.name for p in vault.iterdir() if p.name != ".obsidian"] == ["n.md"]


def test_a_refused_write_keeps_its_findings_in_the_summary(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = make_vault({"n.md": BAD, "m.md": BAD})
    (vault / "n.md").chmod(0o444)
    code, out, err = fix(vault, capsys)
    assert code == 2 and err == "vaultbot: error: n.md: file is read-only; not written\n"
    assert out.rstrip().endswith("Fixed 1 issue in 1 note; 1 remaining.")
    assert "n.md:4:1: ED001" in out
    assert [f["path"] for f in check_json(vault)[1]["findings"]] == ["n.md"]


def test_a_note_replaced_by_a_fifo_during_a_fix_is_not_read_again(
    make_vault: VaultFactory, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Between reading a note and writing its fix, the note becomes a FIFO: the write's
    "changed on disk" check must not open it (that would block for ever)."""
    vault = make_vault({"n.md": BAD})  # generator signals: a safe fix to write
    real_fix_note = fixes.fix_note

    def fix_then_swap(note: Note, *args: Any, **kwargs: Any) -> fixes.FixOutcome:
        outcome = real_fix_note(note, *args, **kwargs)
        (vault / note.rel).unlink()
        os.mkfifo(vault / note.rel)
        return outcome

    monkeypatch.setattr(fixes, "fix_note", fix_then_swap)

    def hang(signum: int, frame: Any) -> None:
        raise TimeoutError("the write opened the FIFO")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(20)  # a hang guard: the old check blocked in open() on the FIFO
    try:
        assert main(["fix", str(vault)]) == 2
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert stat.S_ISFIFO((vault / "n.md").lstat().st_mode)
    assert "n.md: changed on disk since it was read; not written" in capsys.readouterr().err
