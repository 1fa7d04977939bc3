"""Issue 10: nothing is skipped silently. A folder that cannot be read, or a path longer than
PATH_MAX, is an error line and exit 2, whether met in the vault or named on the command line;
the rest of the vault is still checked."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import VaultFactory, refuse_listing

from vaultbot.cli import main

BAD = "Here is the modified article with inserted backlinks:\n\nBody text.\n"
NAME = "d" * 250


def run(vault: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    with pytest.MonkeyPatch.context() as m:
        m.chdir(vault)
        code = main(["check", "--no-cache", "--format", "concise", *args])
    out, err = capsys.readouterr()
    return code, out, err


def deep_note(vault: Path) -> Path:
    """A note whose path is longer than PATH_MAX (4096 on Linux), made relative to each folder."""
    fd = os.open(vault, os.O_RDONLY)
    try:
        for _ in range(18):
            os.mkdir(NAME, dir_fd=fd)
            inner = os.open(NAME, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        note = os.open("deep.md", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(note, BAD.encode())
        os.close(note)
    finally:
        os.close(fd)
    return vault.joinpath(*[NAME] * 18, "deep.md")


@pytest.fixture
def unreadable(make_vault: VaultFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    vault = make_vault({"good.md": BAD, "secret/hidden.md": BAD})
    (vault / "secret").chmod(0)
    if os.geteuid() == 0:  # root lists anything: make the listing fail as it would for a user
        refuse_listing(monkeypatch, "secret")
    yield vault
    (vault / "secret").chmod(0o755)


def test_an_unreadable_folder_is_reported(
    unreadable: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(unreadable, capsys)
    assert code == 2 and "good.md:1:1: ED001" in out
    assert err == "vaultbot: error: secret: cannot read folder (Permission denied)\n"


def test_an_unreadable_folder_named_on_the_command_line_is_reported(
    unreadable: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(unreadable, capsys, "secret")
    assert code == 2 and "secret: cannot read folder (Permission denied)" in err


def test_a_path_longer_than_path_max_is_reported(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = make_vault({"good.md": BAD})
    deep_note(vault)
    code, out, err = run(vault, capsys)
    assert code == 2 and "good.md:1:1: ED001" in out
    assert err.startswith("vaultbot: error: ") and "(File name too long)" in err
    assert err.count("\n") == 1


def test_a_path_longer_than_path_max_named_on_the_command_line_is_reported(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = make_vault({"good.md": BAD})
    note = deep_note(vault)
    code, _, err = run(vault, capsys, "--vault-root", str(vault), str(note))
    assert code == 2 and err.startswith("vaultbot: error: ") and "File name too long" in err
    code, _, err = run(vault, capsys, str(note))  # also when finding the vault root from it
    assert code == 2 and err.startswith("vaultbot: error: ") and "File name too long" in err
