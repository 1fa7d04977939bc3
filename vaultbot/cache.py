"""The check cache (`.vaultbot_cache/` at the vault root), like ruff's `.ruff_cache`.

One JSON file per (vaultbot code, rules and options) key holds, per note, its stat key, its
findings, and what its link findings depend on: the folded names of its link targets and the
stat keys of the notes its heading links point into. A finding is a compact row
(`engine.Result.to_cache`): positions as integers, code, severity, message and fix; no source
line (the text output reads the note again, `Report.load_sources`) and no rule name. A cached
note is reused only when its own file is unchanged, no file whose name its links could mean was
added or removed, and the notes its heading links read are unchanged. JSON, not pickle: a cache
that comes with a repository must never be able to run code.

The stat key is (mtime_ns, size, ctime_ns, inode). A user can restore a file's mtime
(`touch -r`, a tarball), but not its ctime, which the kernel sets on every change, nor its
inode: a cache made elsewhere and shipped with the vault never matches freshly extracted
files, and a same-size edit with its mtime put back is still seen. So a warm run needs one
`stat` per note and reads no file that did not change. (Hashing the bytes instead would mean
reading every note on every run.) What remains: an edit within the file system's ctime
granularity of the moment the note was stat'ed, as with git's "racy" index entries.

A run that changes a few entries (one edited note) does not rewrite the whole file: it writes
them to a small delta file beside it (`delta-KEY.json`, naming the token of the file it amends),
and the whole file is rewritten, and the delta removed, once the delta holds more than
DELTA_SHARE of the entries or the vault's files changed. A delta whose token is not the main
file's (left by an interrupted rewrite) is ignored.

Nothing in a cache is trusted: a file that does not validate is discarded with one warning,
and a `.vaultbot_cache` that is a symbolic link is never followed (neither read nor written).
Each note's entry is checked when a run first uses it, so that checking one note does not
check the whole vault's entries.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vaultbot import __version__
from vaultbot.fixes import remove_stale_temps, temp_name
from vaultbot.note import Note
from vaultbot.rules import Rule
from vaultbot.vault import Vault

CACHE_DIR = ".vaultbot_cache"
#: The delta file is folded into the main file once it holds more than this share of entries.
DELTA_SHARE = 1 / 8
_NOT_WORD = re.compile(r"[\W_]+")


def fold_name(path: str) -> str:
    """A file or link name reduced to what any link-matching rule compares (case, punctuation,
    the `.md` ending and the folder are folded away)."""
    name = path.rsplit("/", 1)[-1]
    if name.lower().endswith(".md"):
        name = name[:-3]
    return _NOT_WORD.sub("", unicodedata.normalize("NFC", name).lower())


def cache_key(rules: list[Rule], profile: str = "", per_file_ignores: object = ()) -> str:
    """Changes with vaultbot's code and version, the rules and their options, the vault
    profile, and the rules turned off per file."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    for source in sorted(package.rglob("*.py")) + sorted(package.rglob("*.toml")):
        digest.update(source.read_bytes())
    settings = [profile, [(r.code, r.options) for r in rules], per_file_ignores]
    digest.update(json.dumps(settings, sort_keys=True, default=str).encode())
    return digest.hexdigest()[:20]


StatKey = tuple[int, int, int, int]
_MAX_STAT = 2**64  # stat fields are unsigned 64-bit (or smaller) numbers


def stat_key(path: Path | str) -> StatKey | None:
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_mtime_ns, info.st_size, info.st_ctime_ns, info.st_ino


def dependencies(note: Note, vault: Vault) -> dict[str, Any]:
    """What the note's link findings depend on, besides the note itself."""
    from vaultbot import links

    names: set[str] = set()
    heading_targets: dict[str, list[int]] = {}
    for link in links.all_links(note):
        if not link.target:
            continue
        names.add(fold_name(link.target))
        if link.subpath:
            target = vault.resolve(link.target, note.rel)
            if target is not None and target != note.rel:
                key = stat_key(vault.root / target)
                heading_targets[target] = list(key) if key else [0, 0, 0, 0]
    # Folded names hold no spaces: one string parses faster than a list of them.
    return {"n": " ".join(sorted(names)), "h": heading_targets}


class CacheError(ValueError):
    """A cache file that does not have the shape vaultbot writes; the message says where."""


@dataclass
class Cache:
    path: Path
    files: list[str] = field(default_factory=list)  # the vault's files when last saved
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    warning: str | None = None  # why a cache found on disk was not used
    usable: bool = True  # False: never write (the cache folder is a symbolic link)
    #: Raises ValueError for a note's malformed cached findings: entries are checked when
    #: first used (a one-note check reads one entry, not the whole vault's).
    check_results: Callable[[Any], None] | None = None
    checked: set[str] = field(default_factory=set)  # entries found well formed
    token: str | None = None  # names the main file, which a delta file amends
    delta: dict[str, dict[str, Any]] = field(default_factory=dict)  # the delta file's entries

    @classmethod
    def load(cls, root: Path, key: str, check_results: Callable[[Any], None]) -> Cache:
        """The cache for `key`; empty (with a warning) when it does not validate.

        `check_results` raises ValueError for a note's cached findings that are not well
        formed."""
        folder = root / CACHE_DIR
        path = folder / f"check-{key}.json"
        if folder.is_symlink():
            warning = f"{CACHE_DIR} is a symbolic link; the cache is not used"
            return cls(path, warning=warning, usable=False)
        try:
            data = _read_json(path)
            if data is None:
                return cls(path)  # no cache yet (or a link where it should be: not followed)
            files, entries, token = _validate(data)
            delta = _read_json(_delta_path(path))
            delta_entries = _validate_delta(delta, token) if delta is not None else {}
        except (OSError, ValueError, RecursionError) as exc:
            reason = str(exc) if isinstance(exc, CacheError) else "is not valid JSON"
            return cls(path, warning=_ignoring(reason))
        entries.update(delta_entries)
        return cls(path, files, entries, check_results=check_results, token=token,
                   delta=delta_entries)  # fmt: skip

    def _entry(self, rel: str) -> dict[str, Any] | None:
        """The entry for `rel`, checked on first use; a malformed one discards the whole
        cache (with the warning) and raises CacheError."""
        entry = self.entries.get(rel)
        if entry is None or rel in self.checked or self.check_results is None:
            return entry
        try:
            _check_entry(entry, self.check_results)
        except (ValueError, TypeError, KeyError) as exc:
            self.warning = _ignoring(f"has a malformed entry for {rel!r} ({exc})")
            self.files, self.entries, self.token, self.delta = [], {}, None, {}
            raise CacheError(self.warning) from None
        self.checked.add(rel)
        return entry

    def valid_entries(self, vault: Vault, rels: list[str]) -> dict[str, dict[str, Any]]:
        """The cached entries still valid for these notes of the vault as it is now."""
        changed = {fold_name(f) for f in set(self.files) ^ set(vault.files)}
        valid: dict[str, dict[str, Any]] = {}
        stats: dict[str, StatKey | None] = {}
        root = str(vault.root) + os.sep

        def current(rel: str) -> StatKey | None:
            if rel not in stats:
                stats[rel] = stat_key(root + rel)
            return stats[rel]

        for rel in rels:
            try:
                entry = self._entry(rel)
            except CacheError:
                return {}
            if entry is None or current(rel) != tuple(entry["s"]):
                continue
            deps = entry["d"]
            if changed and not changed.isdisjoint(deps["n"].split()):
                continue
            if any(current(t) != tuple(k) for t, k in deps["h"].items()):
                continue
            valid[rel] = entry
        return valid

    def save(self, vault: Vault, fresh: dict[str, dict[str, Any]]) -> None:
        """Merge `fresh` entries, drop notes that are gone, write atomically (if anything
        changed)."""
        existing = set(vault.files)
        entries = {rel: e for rel, e in self.entries.items() if rel in existing}
        if not fresh and len(entries) == len(self.entries) and self.files == vault.files:
            return  # nothing new to remember
        entries.update(fresh)
        folder = self.path.parent
        if not self.usable or folder.is_symlink():
            return
        delta = {**self.delta, **fresh}
        try:
            folder.mkdir(exist_ok=True)
            _create(folder / ".gitignore", b"# Created by vaultbot\n*\n")
            remove_stale_temps([folder])
            if (
                self.token
                and self.files == vault.files
                and len(delta) <= len(entries) * DELTA_SHARE
            ):
                document = {"version": __version__, "base": self.token, "entries": delta}
                _write_json(_delta_path(self.path), document)
                return
            for old in [*folder.glob("check-*.json"), *folder.glob("delta-*.json")]:
                if old != self.path:
                    old.unlink(missing_ok=True)  # a link is removed, its target never touched
            token = os.urandom(8).hex()
            document = {"version": __version__, "token": token, "files": vault.files,
                        "entries": entries}  # fmt: skip
            _write_json(self.path, document)
        except OSError:
            pass  # A cache that cannot be written only costs speed next time.


def _delta_path(path: Path) -> Path:
    return path.with_name("delta-" + path.name.removeprefix("check-"))


def _read_json(path: Path) -> Any:
    """The JSON document in `path`; None when there is none (or a link, never followed)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        return json.loads(handle.read())


def _write_json(path: Path, document: dict[str, Any]) -> None:
    """Write atomically (a temporary file renamed over `path`, never through a link)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, **temp_name(path.name))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(document, separators=(",", ":")))  # dumps: C encoder
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _create(path: Path, data: bytes) -> None:
    """Create `path` holding `data` unless something (even a dangling link) is there."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


# -- validation: a cache file from anywhere is untrusted input --------------------------------


def _ignoring(reason: str) -> str:
    return f"{CACHE_DIR}: ignoring a cache that {reason}"


def _validate(data: Any) -> tuple[list[str], dict[str, Any], str]:
    """(files, entries, token) of a cache document; raise CacheError saying what is wrong.
    Each entry is checked when it is used (`Cache._entry`)."""
    if not isinstance(data, dict):
        raise CacheError("is not a JSON object")
    if data.get("version") != __version__:
        raise CacheError("was written by another version of vaultbot")
    files, entries, token = data.get("files"), data.get("entries"), data.get("token")
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        raise CacheError("has no list of files")
    if not isinstance(entries, dict):
        raise CacheError("has no table of entries")
    if not isinstance(token, str):
        raise CacheError("has no token")
    return files, entries, token


def _validate_delta(data: Any, token: str) -> dict[str, Any]:
    """The entries of a delta document amending the main file named `token`; none for a delta
    of another main file; raise CacheError for one that is not well formed."""
    if not isinstance(data, dict) or data.get("version") != __version__:
        raise CacheError("has a malformed delta file")
    if data.get("base") != token:
        return {}  # left by a rewrite of the main file that was cut short: stale
    entries = data.get("entries")
    if not isinstance(entries, dict):
        raise CacheError("has a delta file with no table of entries")
    return entries


def _check_entry(entry: Any, check_results: Callable[[Any], None]) -> None:
    if not isinstance(entry, dict) or set(entry) != {"s", "r", "d"}:
        raise ValueError("expected keys s, r and d")
    _check_stat(entry["s"])
    check_results(entry["r"])
    deps = entry["d"]
    if not isinstance(deps, dict) or set(deps) != {"n", "h"}:
        raise ValueError("dependencies need keys n and h")
    if not isinstance(deps["n"], str) or not isinstance(deps["h"], dict):
        raise ValueError("malformed dependencies")
    for target, key in deps["h"].items():
        if not isinstance(target, str):
            raise ValueError("malformed heading target")
        _check_stat(key)


def _check_stat(value: Any) -> None:
    if not (
        isinstance(value, list)
        and len(value) == 4
        and all(type(n) is int and 0 <= n < _MAX_STAT for n in value)
    ):
        raise ValueError("a stat key is not four whole numbers")
