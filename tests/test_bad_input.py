"""Bad input gives one clear line naming the file; the rest of the vault is still checked."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import VaultFactory

from vaultbot.cli import main
from vaultbot.note import _read_up_to

DEFECT = "Here is the modified article with inserted backlinks:\n\nBody text.\n"


def run(vault: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    cwd = Path.cwd()
    os.chdir(vault)
    try:
        code = main(["check", "--format", "concise", *args])
    finally:
        os.chdir(cwd)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "latin1.md",
            "caf\xe9 [[x]]\n".encode("latin-1"),
            "not valid UTF-8 (byte 0xe9 at offset 3)",
        ),
        (
            "image.md",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\xff\xfe",
            "binary file, not a Markdown note",
        ),
    ],
)
def test_unreadable_note_is_reported_and_others_checked(
    make_vault: VaultFactory,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: bytes,
    message: str,
) -> None:
    vault = make_vault({name: content, "good.md": DEFECT})
    code, out, err = run(vault, capsys)
    assert code == 2
    assert "good.md:1:1: ED001" in out
    [line] = err.strip().splitlines()
    assert line == f"vaultbot: error: {name}: {message}"
    assert "Traceback" not in err


def test_nul_inside_text_is_still_a_note(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    # Seen in a real vault: a PDF stream pasted into a note holds one NUL byte.
    text = "# Notes\n\n" + "plain prose line\n" * 50 + "stream \x00 end\n[[Missing]]\n"
    vault = make_vault({"pasted.md": text})
    code, out, err = run(vault, capsys)
    assert code == 1 and err == ""
    assert "pasted.md:54:1: LK001" in out


@pytest.mark.parametrize(
    "content",
    ["", "\n\n", "---\ntitle: Only front matter\nvideoId: abcdefghijk\n---\n", "\ufeff"],
    ids=["empty", "blank", "only-front-matter", "only-bom"],
)
def test_edge_notes_give_no_finding(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str], content: str
) -> None:
    vault = make_vault({"edge.md": content})
    code, out, err = run(vault, capsys)
    assert (code, out.splitlines()[0], err) == (0, "All checked: no findings in 1 note.", "")


def test_broken_symlink(make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]) -> None:
    vault = make_vault({"good.md": DEFECT})
    (vault / "dangling.md").symlink_to(vault / "nowhere.md")
    code, out, err = run(vault, capsys)
    assert code == 2
    assert "good.md:1:1: ED001" in out
    assert err.strip() == "vaultbot: error: dangling.md: broken symbolic link"


def test_symlink_loop(make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]) -> None:
    """A loop is not called a broken link: it points somewhere, round and round."""
    vault = make_vault({"good.md": DEFECT})
    (vault / "a.md").symlink_to("b.md")
    (vault / "b.md").symlink_to("a.md")
    (vault / "self.md").symlink_to("self.md")
    code, out, err = run(vault, capsys)
    assert code == 2
    assert "good.md:1:1: ED001" in out
    assert err.splitlines() == [
        f"vaultbot: error: {name}: symbolic link loop" for name in ("a.md", "b.md", "self.md")
    ]


def test_permission_denied(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = make_vault({"secret.md": "x\n", "good.md": DEFECT})
    (vault / "secret.md").chmod(0)
    if os.geteuid() == 0:  # root reads anything: make the read fail as it would for a user
        real = os.open

        def denied(path: Path, *args: int) -> int:
            if Path(path).name == "secret.md":
                raise PermissionError(13, "Permission denied", str(path))
            return real(path, *args)

        monkeypatch.setattr(os, "open", denied)
    code, out, err = run(vault, capsys)
    assert code == 2 and "good.md:1:1: ED001" in out
    assert err.strip() == "vaultbot: error: secret.md: permission denied"


def test_too_large(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("vaultbot.note.MAX_NOTE_BYTES", 100)
    vault = make_vault({"huge.md": "word " * 100, "good.md": DEFECT})
    code, out, err = run(vault, capsys)
    assert code == 2
    assert "good.md:1:1: ED001" in out
    assert err.strip() == "vaultbot: error: huge.md: file is too large (500 bytes; limit 100)"


@pytest.mark.parametrize(
    ("size", "told"), [(100, 99), (100, 0), (60, 5), (101, 10), (300, 0), (300, 100)]
)
def test_a_note_that_grows_after_its_stat_is_read_whole_or_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int, told: int
) -> None:
    """The read is sized by the note's stat; a note longer than its stat said (it grew in
    between) is read on to the limit (100 bytes here): whole within it, refused over it."""
    from vaultbot.note import NoteError, read_bytes

    monkeypatch.setattr("vaultbot.note.MAX_NOTE_BYTES", 100)
    path = tmp_path / "n.md"
    path.write_bytes(b"x" * (size - 1) + b"\n")

    def stale(real: Any) -> Any:
        def stat(target: Any, *args: Any, **kwargs: Any) -> os.stat_result:
            info = list(real(target, *args, **kwargs))
            info[6] = told  # st_size, as it was when the note was shorter
            return os.stat_result(info)

        return stat

    monkeypatch.setattr(os, "stat", stale(os.stat))
    monkeypatch.setattr(os, "fstat", stale(os.fstat))
    if size <= 100:
        assert read_bytes(path, "n.md") == path.read_bytes()
    else:
        with pytest.raises(NoteError, match=r"^n\.md: file is too large \(over 100 bytes\)$"):
            read_bytes(path, "n.md")


def test_missing_path_is_a_usage_error(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = make_vault({"good.md": "fine\n"})
    code, _, err = run(vault, capsys, "nope.md")
    assert code == 2 and "nope.md: no such file or folder" in err


def test_deeply_nested_markdown_does_not_crash(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = make_vault({"deep.md": "> " * 5000 + "[[Missing]]\n" + "[" * 20000 + "\n"})
    code, _out, err = run(vault, capsys)
    assert code == 1 and "Traceback" not in err


def test_a_short_read_is_not_the_end_of_the_note() -> None:
    """One `os.read` may return less than asked before the end of a file (as a pipe does here):
    the note is read on to its end, never cut short (a fix would write back half a note)."""
    read_end, write_end = os.pipe()

    def write() -> None:
        os.write(write_end, b"first half, ")
        time.sleep(0.05)
        os.write(write_end, b"second half")
        os.close(write_end)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert _read_up_to(read_end, 1000) == b"first half, second half"
    finally:
        writer.join()
        os.close(read_end)


def test_a_file_name_that_is_not_utf8_is_never_written_into_a_note(
    make_vault: VaultFactory,
) -> None:
    """A link one slip from a file whose name is not UTF-8 gets no relink: the name cannot be
    written into a note (the fixer stopped with a traceback on it, leaving the vault's other
    fixes undone). The finding stays, the JSON output stays UTF-8, the other notes are fixed."""
    import json
    import subprocess
    import sys

    name = os.fsdecode(b"caf\xe9 notes.md")
    bare = '<a class="yt-timestamp" data-t="00:01:09">00:01:09</a>'  # TS008: a safe fix
    vault = make_vault({name: "# Notes\n", "a.md": "See [[caf notes]].\n", "b.md": f"At {bare}.\n"})
    if not (vault / name).exists():  # a file system that refuses such names
        pytest.skip("this file system does not keep names that are not UTF-8")
    before = (vault / "a.md").read_bytes()

    def vaultbot(*args: str) -> subprocess.CompletedProcess[bytes]:
        command = [sys.executable, "-m", "vaultbot", *args]
        return subprocess.run(command, cwd=vault, capture_output=True, check=False)

    checked = vaultbot("check", "--format", "json", "--exit-zero")
    assert checked.returncode == 0, checked.stderr
    findings = json.loads(checked.stdout.decode("utf-8"))["findings"]
    missing = [f for f in findings if f["path"] == "a.md" and f["code"] == "LK001"]
    assert missing and all(f["fix"] is None for f in missing), missing

    fixed = vaultbot("fix")
    assert b"Traceback" not in fixed.stderr, fixed.stderr.decode(errors="replace")
    assert (vault / "a.md").read_bytes() == before
    assert ">[00:01:09]</a>" in (vault / "b.md").read_text(encoding="utf-8")
