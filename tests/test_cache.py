"""The check cache: same answers as a fresh run, and invalidated by every change that matters."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    GENERATED,
    NO_FINDINGS,
    VaultFactory,
    cache_document,
    check_json,
    poison,
    write_cache_document,
)
from conftest import run as run_cli

from vaultbot import cache

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "vault"


def run(vault: Path, *args: str) -> dict[str, Any]:
    return check_json(vault, *args, cache=True)[1]


def codes(vault: Path, *args: str) -> list[tuple[str, int, str]]:
    return [(f["path"], f["line"], f["code"]) for f in run(vault, *args)["findings"]]


def cache_files(vault: Path) -> list[Path]:
    return sorted((vault / cache.CACHE_DIR).glob("check-*" + cache.SUFFIX))


def touch_later(path: Path, text: str) -> None:
    """Rewrite a file and make sure its modification time moves on."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text)
    os.utime(path, ns=(before + 10**9, before + 10**9))


def test_cached_run_gives_the_same_report(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    shutil.copytree(EXAMPLES, vault)
    first = run(vault)
    assert cache_files(vault)
    second = run(vault)
    fresh = check_json(vault)[1]
    assert first == second == fresh
    assert first["findings"]  # the example vault has planted defects


def test_cache_is_signed_and_ignored_by_git(make_vault: VaultFactory) -> None:
    vault = make_vault({"n.md": "[[Missing]]\n"})
    codes(vault)
    [file] = cache_files(vault)
    assert file.read_bytes().startswith(cache.MAGIC)
    assert cache_document(file)["entries"]["n.md"]
    assert (vault / cache.CACHE_DIR / ".gitignore").read_bytes() == b"# Created by vaultbot\n*\n"


def test_a_rerun_with_nothing_changed_writes_nothing(make_vault: VaultFactory) -> None:
    vault = make_vault({"n.md": "[[Missing]]\n", "m.md": "Fine.\n"})
    codes(vault)
    folder = vault / cache.CACHE_DIR
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    assert codes(vault) == [("n.md", 1, "LK001")]
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()} == before


def test_no_cache_reads_and_writes_nothing(make_vault: VaultFactory) -> None:
    vault = make_vault({"n.md": "[[Missing]]\n"})
    check_json(vault)  # passes --no-cache
    assert not (vault / cache.CACHE_DIR).exists()


def test_content_change(make_vault: VaultFactory) -> None:
    vault = make_vault({"n.md": "fine\n", "Target.md": "x\n"})
    assert codes(vault) == []
    touch_later(vault / "n.md", "fine\n[[Missing]]\n")
    assert codes(vault) == [("n.md", 2, "LK001")]


def test_target_added_and_deleted_flips_a_link_finding(make_vault: VaultFactory) -> None:
    vault = make_vault({"n.md": "See [[New Topic]] and [[Other]].\n", "Other.md": "x\n"})
    assert codes(vault) == [("n.md", 1, "LK001")]
    (vault / "sub").mkdir()
    (vault / "sub" / "new topic.md").write_text("# New\n")
    assert codes(vault) == []
    (vault / "Other.md").unlink()
    assert codes(vault) == [("n.md", 1, "LK001")]
    (vault / "sub" / "new topic.md").rename(vault / "sub" / "renamed.md")
    assert codes(vault) == [("n.md", 1, "LK001"), ("n.md", 1, "LK001")]


def test_a_note_whose_name_folds_alike_changes_the_relink_fix(make_vault: VaultFactory) -> None:
    vault = make_vault({"n.md": "[[india_pakistan]]\n", "indiapakistan.md": "x\n"})
    fix = run(vault)["findings"][0]["fix"]
    assert fix["applicability"] == "safe"  # one note folds to the same name
    (vault / "India-Pakistan.md").write_text("x\n")
    assert run(vault)["findings"][0]["fix"] is None  # now two: ambiguous


def test_heading_target_edited_flips_a_heading_finding(make_vault: VaultFactory) -> None:
    vault = make_vault({"n.md": "[[T#Results]]\n", "T.md": "# Results\n"})
    assert codes(vault, "--select", "LK003") == []
    touch_later(vault / "T.md", "# Findings\n")
    assert codes(vault, "--select", "LK003") == [("n.md", 1, "LK003")]


def test_config_change(make_vault: VaultFactory) -> None:
    vault = make_vault({"n.md": "Here is the modified article:\n\n[[Missing]]\n"})
    assert codes(vault) == [("n.md", 1, "ED001"), ("n.md", 3, "LK001")]
    # (the config in the vault wins over make_vault's beside it: it says the profile too)
    (vault / "vaultbot.toml").write_text(GENERATED + 'ignore = ["LK001"]\n')
    assert codes(vault) == [("n.md", 1, "ED001")]
    (vault / "vaultbot.toml").write_text(
        GENERATED + '[rules.timestamp-out-of-range]\nmax-duration = "01:00:00"\n'
    )
    assert codes(vault) == [("n.md", 1, "ED001"), ("n.md", 3, "LK001")]
    assert len(cache_files(vault)) == 1  # a stale key's file is replaced, not kept


def test_version_change(make_vault: VaultFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    vault = make_vault({"n.md": "[[Missing]]\n"})
    codes(vault)
    [old] = cache_files(vault)
    # Poison the cache: if a new version trusted it, the finding would vanish.
    poison(vault, "n.md")
    assert codes(vault) == []  # same version: the (poisoned) cache is used
    monkeypatch.setattr(cache, "__version__", "99.0")
    assert codes(vault) == [("n.md", 1, "LK001")]
    assert cache_files(vault) != [old]


def test_corrupt_cache_is_ignored(make_vault: VaultFactory) -> None:
    vault = make_vault({"n.md": "[[Missing]]\n"})
    codes(vault)
    [file] = cache_files(vault)
    file.write_bytes(file.read_bytes()[:-1])  # cut short
    assert codes(vault) == [("n.md", 1, "LK001")]


def _notes(count: int) -> dict[str, str]:
    return {f"n{i}.md": f"Note {i} links [[Missing {i}]].\n" for i in range(count)}


def _delta(vault: Path) -> Path:
    [main] = cache_files(vault)
    return main.with_name(main.name.replace("check-", "delta-"))


def fresh_codes(vault: Path) -> list[tuple[str, int, str]]:
    return [(f["path"], f["line"], f["code"]) for f in check_json(vault)[1]["findings"]]


def test_a_few_changed_notes_go_to_a_delta_file(make_vault: VaultFactory) -> None:
    """Editing one note of many rewrites a small delta file, not the whole cache; reruns read
    both and answer as a fresh run; once the delta holds more than DELTA_SHARE of the
    entries, the main file is rewritten and the delta removed."""
    vault = make_vault({"vaultbot.toml": 'profile = "generated"\n', **_notes(24)})
    first = codes(vault)
    [main] = cache_files(vault)
    written = main.read_bytes()
    touch_later(vault / "n3.md", "Note 3 now links [[n4]].\n")
    second = codes(vault)
    assert second == codes(vault) == fresh_codes(vault)
    assert second != first
    assert main.read_bytes() == written  # the main file is left as it was
    delta = cache_document(_delta(vault))
    assert list(delta["entries"]) == ["n3.md"]
    assert delta["base"] == cache_document(main)["token"]
    for i in range(int(24 * cache.DELTA_SHARE) + 1):  # past the share: one rewrite
        touch_later(vault / f"n{10 + i}.md", f"Note {10 + i} links [[n1]].\n")
    codes(vault)
    assert main.read_bytes() != written and not _delta(vault).exists()
    assert codes(vault) == fresh_codes(vault)


def test_a_delta_of_another_main_file_is_ignored_and_a_bad_one_discarded(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    """A delta left behind by a rewrite of the main file that was cut short names another
    token: its entries are not used (they could be older than the main file's). A delta
    that is not signed discards the cache, with one warning, like a bad main file."""
    vault = make_vault({"vaultbot.toml": 'profile = "generated"\n', **_notes(24)})
    codes(vault)
    touch_later(vault / "n3.md", "Note 3 links [[n4]].\n")
    codes(vault)
    document = cache_document(_delta(vault))
    n5 = cache_document(cache_files(vault)[0])["entries"]["n5.md"]
    document["entries"]["n5.md"] = {**n5, **NO_FINDINGS}  # n5 as it is on disk, without its finding
    document["base"] = "0123456789abcdef"
    write_cache_document(_delta(vault), document)
    assert ("n5.md", 1, "LK001") in codes(vault)  # the stale delta is not read
    document["base"] = cache_document(cache_files(vault)[0])["token"]
    write_cache_document(_delta(vault), document)
    assert ("n5.md", 1, "LK001") not in codes(vault)  # (a delta it amends is read)
    _delta(vault).write_bytes(_delta(vault).read_bytes() + b"\0")
    capsys.readouterr()
    code, out, err = run_cli(vault, capsys, "check", "--format", "concise")
    assert code == 1 and "n5.md:1:" in out
    assert err == (
        "vaultbot: warning: .vaultbot_cache: ignoring a cache that was not written by this "
        "user's vaultbot (its signature does not match)\n"
    )
    assert codes(vault) == fresh_codes(vault)


def test_a_heading_link_depends_on_the_note_it_resolves_to_from_its_folder(
    make_vault: VaultFactory,
) -> None:
    """Of two notes of one name, a heading link means the one in its own folder: editing that
    one's heading away is seen, though the other still has it."""
    vault = make_vault(
        {
            "a/T.md": "# T\n\n## H\n",
            "b/T.md": "# T\n\n## H\n",
            "b/n.md": "See [[T#H]] and [[./T#H]].\n",
        }
    )
    assert codes(vault) == []
    touch_later(vault / "b" / "T.md", "# T\n\n## G\n")
    assert codes(vault) == [("b/n.md", 1, "LK003"), ("b/n.md", 1, "LK003")] == fresh_codes(vault)


def test_a_heading_link_into_a_note_that_cannot_be_read(make_vault: VaultFactory) -> None:
    """A target in the vault's list that has no stat (a dangling link) is remembered as
    unreadable; the run goes on."""
    vault = make_vault({"n.md": "See [[T#H]].\n", "Here.md": "x\n"})
    (vault / "T.md").symlink_to(vault / "gone.md")
    first = run(vault)
    assert first == run(vault) == check_json(vault)[1]
    assert cache_document(cache_files(vault)[0])["entries"]["n.md"]["d"]["h"] == {
        "T.md": (0, 0, 0, 0)
    }


def test_deltas_accumulate_up_to_their_share(make_vault: VaultFactory) -> None:
    """Edits in separate runs gather in one delta; at exactly DELTA_SHARE of the entries it
    is still a delta, one more folds it into the main file."""
    vault = make_vault({"vaultbot.toml": 'profile = "generated"\n', **_notes(24)})
    codes(vault)
    [main] = cache_files(vault)
    written = main.read_bytes()
    limit = int(24 * cache.DELTA_SHARE)
    for i in range(limit):
        touch_later(vault / f"n{i}.md", f"Note {i} links [[n{i + 1}]].\n")
        codes(vault)
        assert sorted(cache_document(_delta(vault))["entries"]) == sorted(
            f"n{j}.md" for j in range(i + 1)
        )
    assert main.read_bytes() == written
    touch_later(vault / f"n{limit}.md", "Note links [[n0]].\n")
    assert codes(vault) == fresh_codes(vault)
    assert main.read_bytes() != written and not _delta(vault).exists()


def test_a_cache_folder_turned_into_a_link_before_saving_is_not_written(
    make_vault: VaultFactory, tmp_path: Path
) -> None:
    vault = make_vault({"n.md": "[[Missing]]\n"})
    outside = tmp_path / "outside"
    outside.mkdir()
    store = cache.Cache.load(vault, "k")
    (vault / cache.CACHE_DIR).symlink_to(outside, target_is_directory=True)
    from vaultbot.vault import Vault

    store.save(Vault(vault, ["n.md"]), {})
    assert list(outside.iterdir()) == []


def test_the_cache_folder_gitignore_is_made_once_and_then_left_alone(
    make_vault: VaultFactory,
) -> None:
    vault = make_vault({"n.md": "[[Missing]]\n"})
    codes(vault)
    ignore = vault / cache.CACHE_DIR / ".gitignore"
    umask = os.umask(0)
    os.umask(umask)
    assert ignore.stat().st_mode & 0o777 == 0o644 & ~umask
    ignore.write_text("# mine\n")
    touch_later(vault / "n.md", "[[Elsewhere]]\n")
    assert codes(vault) == [("n.md", 1, "LK001")]
    assert ignore.read_text() == "# mine\n"


def test_the_vault_profile_is_part_of_the_key(make_vault: VaultFactory) -> None:
    """A link to a note not written yet is a finding in a generated vault, not in a personal
    one: changing the profile must not reuse the other profile's results."""
    vault = make_vault({"vaultbot.toml": 'profile = "generated"\n', **_notes(3)})
    assert len(codes(vault)) == 3
    (vault / "vaultbot.toml").write_text('profile = "personal"\n')
    assert codes(vault) == [] == fresh_codes(vault)


def test_a_check_of_exactly_the_share_of_the_files_uses_the_cache(
    make_vault: VaultFactory,
) -> None:
    from vaultbot.engine import CACHE_MIN_SHARE

    files = int(2 / CACHE_MIN_SHARE)  # checking 2 of them is exactly the share
    vault = make_vault({"vaultbot.toml": 'profile = "generated"\n', **_notes(files - 1)})
    codes(vault)
    for path in cache_files(vault):
        path.unlink()
    assert run(vault, "n0.md", "n1.md")["summary"]["findings"] == 2
    assert cache_files(vault)  # read and written
