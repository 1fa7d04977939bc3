"""Issue 10, the cache: it never hides a finding, never crashes a run, is never decoded unless
this user's vaultbot signed it, and a symbolic link in place of `.vaultbot_cache` (or inside it)
is never followed."""

from __future__ import annotations

import hmac
import marshal
import os
import tarfile
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import (
    VaultFactory,
    cache_document,
    check_json,
    generated_config,
    write_cache_document,
)
from conftest import run as run_cli

from vaultbot import cache
from vaultbot.cli import main

NOTE = "Text [[Missing]] and [[Present]].\n"


def cache_file(vault: Path) -> Path:
    [path] = sorted((vault / cache.CACHE_DIR).glob("check-*" + cache.SUFFIX))
    return path


def codes(vault: Path) -> list[tuple[str, int, str]]:
    _, document = check_json(vault, cache=True)
    return [(f["path"], f["line"], f["code"]) for f in document["findings"]]


def test_a_forged_cache_shipped_in_a_tarball_hides_nothing(tmp_path: Path) -> None:
    vault = tmp_path / "made" / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    generated_config(tmp_path)  # above the vault and its copy: [[Missing]] is reported
    (vault / "n.md").write_text(NOTE)
    (vault / "Present.md").write_text("Here.\n")
    for path in vault.glob("*.md"):  # whole seconds, which any tar format keeps exactly
        os.utime(path, (1_700_000_000, 1_700_000_000))
    assert codes(vault) == [("n.md", 1, "LK001")]
    forged = cache_document(cache_file(vault))
    for entry in forged["entries"].values():
        entry["r"] = []  # "nothing to see here", with the files' own sizes and times
    write_cache_document(cache_file(vault), forged)  # even signed with this user's key
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


def _resign(data: bytes, path: Path, secret: bytes) -> bytes:
    """The file's document signed with another key: what another user's vaultbot writes."""
    start = len(cache.MAGIC) + 32
    payload = data[start:]
    return (
        cache.MAGIC
        + hmac.new(secret, path.name.encode() + b"\0" + payload, "sha256").digest()
        + payload
    )


UNSIGNED = "was not written by this user's vaultbot (its signature does not match)"
#: Ways a cache file shipped with a vault, or damaged, differs from what this user's vaultbot
#: wrote, and the reason its warning gives (after "ignoring a cache that ").
TAMPERED: dict[str, tuple[Callable[[bytes, Path], bytes], str]] = {
    "another user's key": (lambda d, p: _resign(d, p, b"k" * 32), UNSIGNED),
    "a finding removed, signature kept": (
        lambda d, p: d[: len(cache.MAGIC) + 32] + marshal.dumps(_emptied(d, p)),
        UNSIGNED,
    ),
    "a byte of the signature changed": (
        lambda d, p: (
            d[: len(cache.MAGIC)] + bytes([d[len(cache.MAGIC)] ^ 1]) + d[len(cache.MAGIC) + 1 :]
        ),
        UNSIGNED,
    ),
    "a byte of the document changed": (lambda d, p: d[:-1] + bytes([d[-1] ^ 1]), UNSIGNED),
    "cut short": (lambda d, p: d[:-1], UNSIGNED),
    "only the header": (lambda d, p: cache.MAGIC, UNSIGNED),
    "empty": (lambda d, p: b"", "is not a vaultbot cache file"),
    "JSON, as vaultbot 0.1 wrote": (
        lambda d, p: b'{"version": "0.1.0"}',
        "is not a vaultbot cache file",
    ),
    "a marshalled document without the header": (
        lambda d, p: d[len(cache.MAGIC) + 32 :],
        "is not a vaultbot cache file",
    ),
}


def _emptied(data: bytes, path: Path) -> Any:
    document = cache_document(path)
    for entry in document["entries"].values():
        entry["r"] = []
    return document


@pytest.mark.parametrize("variant", sorted(TAMPERED))
def test_a_cache_this_user_did_not_write_is_discarded_with_one_warning_and_never_decoded(
    make_vault: VaultFactory,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    variant: str,
) -> None:
    vault = make_vault({"n.md": NOTE, "Present.md": "Here.\n"})
    assert codes(vault) == [("n.md", 1, "LK001")]
    path = cache_file(vault)
    change, reason = TAMPERED[variant]
    path.write_bytes(change(path.read_bytes(), path))
    capsys.readouterr()
    decoded: list[object] = []
    spy = SimpleNamespace(
        version=marshal.version,
        dumps=marshal.dumps,
        loads=lambda d: decoded.append(d) or marshal.loads(d),
    )
    monkeypatch.setattr(cache, "marshal", spy)  # not marshal.loads itself: imports use it
    monkeypatch.chdir(vault)
    code = main(["check"])  # the text format: it prints lines, columns and carets
    out, err = capsys.readouterr()
    assert code == 1 and "n.md:1:6: LK001" in out
    assert err == f"vaultbot: warning: .vaultbot_cache: ignoring a cache that {reason}\n"
    assert decoded == []  # nothing of it was decoded
    assert codes(vault) == [("n.md", 1, "LK001")]  # rewritten: the next run is quiet
    assert capsys.readouterr().err == ""
    assert len(decoded) == 1  # the rewritten file is read


#: Documents this user's vaultbot signed that it cannot use: only a bug could write them.
MALFORMED: dict[str, tuple[Any, str]] = {
    "a list for the document": ([], "does not hold a cache document"),
    "another version": ({"version": "0.0.0"}, "was written by another version of vaultbot"),
    "no files": ({"version": "@V@", "entries": {}, "token": "t"}, "has no list of files"),
    "no entries": ({"version": "@V@", "files": [], "token": "t"}, "has no table of entries"),
    "no token": ({"version": "@V@", "files": [], "entries": {}}, "has no token"),
}


@pytest.mark.parametrize("variant", sorted(MALFORMED))
def test_a_signed_document_of_another_shape_is_discarded_with_one_warning(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str], variant: str
) -> None:
    from vaultbot import __version__

    vault = make_vault({"n.md": NOTE, "Present.md": "Here.\n"})
    assert codes(vault) == [("n.md", 1, "LK001")]
    document, reason = MALFORMED[variant]
    if isinstance(document, dict) and document.get("version") == "@V@":
        document = {**document, "version": __version__}
    write_cache_document(cache_file(vault), document)
    capsys.readouterr()
    code, out, err = run_cli(vault, capsys, "check", "--format", "concise")
    assert code == 1 and "n.md:1:6: LK001" in out
    assert err == f"vaultbot: warning: .vaultbot_cache: ignoring a cache that {reason}\n"


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
    forged = cache_document(path)
    forged["entries"]["n.md"]["r"] = []
    write_cache_document(outside / path.name, forged)
    signed = (outside / path.name).read_bytes()
    path.unlink()
    path.symlink_to(outside / path.name)  # a cache file that is a link: not read
    (vault / cache.CACHE_DIR / ".gitignore").unlink()
    (vault / cache.CACHE_DIR / ".gitignore").symlink_to(outside / "pwned")  # dangling
    assert codes(vault) == [("n.md", 1, "LK001")]
    assert sorted(p.name for p in outside.iterdir()) == [path.name]
    assert (outside / path.name).read_bytes() == signed


@pytest.mark.parametrize(
    ("delta", "reason"),
    [
        ("the main file itself", UNSIGNED),  # signed under the main file's name
        ("another user's", UNSIGNED),
        ([], "has a malformed delta file"),
        ({"version": "0.0.0", "base": "x", "entries": {}}, "has a malformed delta file"),
        ({"version": "@V@", "base": "@T@", "entries": []}, "has a delta file with no table"),
    ],
)
def test_a_malformed_delta_discards_the_cache_with_one_warning(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str], delta: Any, reason: str
) -> None:
    from vaultbot import __version__

    vault = make_vault({"n.md": NOTE, "Present.md": "Here.\n"})
    assert codes(vault) == [("n.md", 1, "LK001")]
    main_file = cache_file(vault)
    delta_file = main_file.with_name(main_file.name.replace("check-", "delta-"))
    token = cache_document(main_file)["token"]
    if delta == "the main file itself":
        delta_file.write_bytes(main_file.read_bytes())
    elif delta == "another user's":
        document = {"version": __version__, "base": token, "entries": {}}
        write_cache_document(delta_file, document)
        delta_file.write_bytes(_resign(delta_file.read_bytes(), delta_file, b"k" * 32))
    else:
        if isinstance(delta, dict):
            delta = {**delta, "version": delta["version"].replace("@V@", __version__)}
            delta["base"] = delta["base"].replace("@T@", token)
        write_cache_document(delta_file, delta)
    capsys.readouterr()
    code, out, err = run_cli(vault, capsys, "check", "--format", "concise")
    assert code == 1 and "n.md:1:6: LK001" in out
    assert err.startswith(f"vaultbot: warning: .vaultbot_cache: ignoring a cache that {reason}")
    assert err.count("\n") == 1


def test_a_note_dated_1970_is_a_cache_hit(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    """Stat fields may be 0 (a note's mtime set to the epoch): the cache takes them."""
    vault = make_vault({"n.md": NOTE, "Present.md": "Here.\n"})
    os.utime(vault / "n.md", ns=(0, 0))
    assert codes(vault) == [("n.md", 1, "LK001")]
    assert cache_document(cache_file(vault))["entries"]["n.md"]["s"][0] == 0
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
