"""The check cache (`.vaultbot_cache/` at the vault root), like ruff's `.ruff_cache`.

One file per (vaultbot code, Python, rules and options) key holds, per note, its stat key, its
findings, and what its link findings depend on: the folded names of its link targets and the
stat keys of the notes its heading links point into. A note's findings are kept as the JSON
output writes them, but for their path (`json_format.note_lines`), with each one's rule,
severity and whether its fix is safe (`engine.kind`): a rerun written as JSON joins the text
and counts the kinds, and makes no finding (`engine.LinesReport`; 0.7-0.9 s for 147,000
findings, against 1.3-1.6 s with findings kept as rows of values, and twice the file: 74 MB
against 36 MB); any other output reads the text back (0.3 s more for those findings). No
source line is kept (the text output reads the note again, `Report.load_sources`). A cached
note is reused only when its own file is unchanged, no file whose name its links could mean was
added or removed, and the notes its heading links read are unchanged.

A cache file is signed: it holds an HMAC-SHA256 of its name and contents under a random key of
the user's own (`user_key`: `$XDG_CACHE_HOME/vaultbot/key`, else `~/.cache/vaultbot/key`, mode
0600), and a file whose signature does not match (shipped with a repository or a tarball,
written by another user, damaged) is ignored with one warning, before any of it is decoded. What
the signature admits was written by this user's vaultbot, so it is decoded with `marshal` (twice
as fast as JSON) and used without checking each finding: a warm run of 20,000 notes spent more
time checking 150,000 cached findings than building them. Without a usable key (no writable
home), the cache is not used.

The stat key is (mtime_ns, size, ctime_ns, inode). A user can restore a file's mtime
(`touch -r`, a tarball), but not its ctime, which the kernel sets on every change, nor its
inode: a cache made elsewhere and shipped with the vault never matches freshly extracted
files, and a same-size edit with its mtime put back is still seen. So a warm run needs one
`stat` per note and reads no file that did not change. (Hashing the bytes instead would mean
reading every note on every run.) What remains: an edit within the file system's ctime
granularity of the moment the note was stat'ed, as with git's "racy" index entries.

A run that changes a few entries (one edited note) does not rewrite the whole file: it writes
them to a small delta file beside it (`delta-KEY.bin`, naming the token of the file it amends),
and the whole file is rewritten, and the delta removed, once the delta holds more than
DELTA_SHARE of the entries or the vault's files changed. A delta whose token is not the main
file's (left by an interrupted rewrite) is ignored.

A `.vaultbot_cache` that is a symbolic link is never followed (neither read nor written), nor
is a link inside it.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import marshal
import os
import re
import stat
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vaultbot import __version__
from vaultbot.fixes import remove_stale_temps, temp_name
from vaultbot.note import Note
from vaultbot.rules import Rule
from vaultbot.vault import Vault

CACHE_DIR = ".vaultbot_cache"
#: The cache files' name ending, and what each starts with (then the signature, then the
#: `marshal`-encoded document).
SUFFIX = ".bin"
MAGIC = b"vaultbot cache\n"
_TAG_BYTES = 32  # HMAC-SHA256
KEY_BYTES = 32
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
    """Changes with vaultbot's code and version, the Python that runs it (its `marshal`
    format), the rules and their options, the vault profile, and the rules turned off per
    file."""
    digest = hashlib.sha256(f"{__version__} {sys.version} {marshal.version}".encode())
    package = Path(__file__).parent
    for source in sorted(package.rglob("*.py")) + sorted(package.rglob("*.toml")):
        digest.update(source.read_bytes())
    settings = [profile, [(r.code, r.options) for r in rules], per_file_ignores]
    digest.update(json.dumps(settings, sort_keys=True, default=str).encode())
    return digest.hexdigest()[:20]


StatKey = tuple[int, int, int, int]


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
    heading_targets: dict[str, StatKey] = {}
    for link in links.all_links(note):
        if not link.target:
            continue
        names.add(fold_name(link.target))
        if link.subpath:
            target = vault.resolve(link.target, note.rel)
            if target is not None and target != note.rel:
                key = stat_key(vault.root / target)
                heading_targets[target] = key or (0, 0, 0, 0)
    # Folded names hold no spaces: one string parses faster than a list of them.
    return {"n": " ".join(sorted(names)), "h": heading_targets}


class CacheError(ValueError):
    """A cache file vaultbot cannot use; the message says why."""


@dataclass
class Cache:
    path: Path
    files: list[str] = field(default_factory=list)  # the vault's files when last saved
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    warning: str | None = None  # why a cache found on disk was not used
    usable: bool = True  # False: never write (no key, or the cache folder is a symbolic link)
    secret: bytes = b""  # the user's key, which signs the files
    token: str | None = None  # names the main file, which a delta file amends
    delta: dict[str, dict[str, Any]] = field(default_factory=dict)  # the delta file's entries

    @classmethod
    def load(cls, root: Path, key: str) -> Cache:
        """The cache for `key`; empty (with a warning) when it cannot be used."""
        folder = root / CACHE_DIR
        path = folder / f"check-{key}{SUFFIX}"
        if folder.is_symlink():
            warning = f"{CACHE_DIR} is a symbolic link; the cache is not used"
            return cls(path, warning=warning, usable=False)
        try:
            secret = user_key()
        except OSError as exc:
            warning = f"{CACHE_DIR}: no key to sign the cache with ({exc}); the cache is not used"
            return cls(path, warning=warning, usable=False)
        try:
            data = read_document(path, secret)
            if data is None:
                return cls(path, secret=secret)  # no cache yet (or a link: not followed)
            files, entries, token = _validate(data)
            delta = read_document(_delta_path(path), secret)
            delta_entries = _validate_delta(delta, token) if delta is not None else {}
        except (OSError, CacheError) as exc:
            return cls(path, warning=_ignoring(str(exc)), secret=secret)
        entries.update(delta_entries)
        return cls(path, files, entries, secret=secret, token=token, delta=delta_entries)

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

        entries = self.entries
        for rel in rels:
            entry = entries.get(rel)
            if entry is None or current(rel) != entry["s"]:  # stat keys are kept as tuples
                continue
            deps = entry["d"]
            if changed and not changed.isdisjoint(deps["n"].split()):
                continue
            if deps["h"] and any(current(t) != k for t, k in deps["h"].items()):
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
                write_document(_delta_path(self.path), document, self.secret)
                return
            for old in [*folder.glob("check-*"), *folder.glob("delta-*")]:
                if old != self.path:
                    old.unlink(missing_ok=True)  # a link is removed, its target never touched
            token = os.urandom(8).hex()
            document = {"version": __version__, "token": token, "files": vault.files,
                        "entries": entries}  # fmt: skip
            write_document(self.path, document, self.secret)
        except OSError:
            pass  # A cache that cannot be written only costs speed next time.


def _delta_path(path: Path) -> Path:
    return path.with_name("delta-" + path.name.removeprefix("check-"))


def read_document(path: Path, secret: bytes) -> Any:
    """The document in the cache file `path`; None when there is none (or a link, never
    followed). Raise CacheError for a file whose signature does not match: nothing of it is
    decoded then."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        data = memoryview(handle.read())
    start = len(MAGIC) + _TAG_BYTES
    if data[: len(MAGIC)] != MAGIC:
        raise CacheError("is not a vaultbot cache file")
    if not hmac.compare_digest(data[len(MAGIC) : start], _sign(secret, path, data[start:])):
        raise CacheError("was not written by this user's vaultbot (its signature does not match)")
    try:
        return marshal.loads(data[start:])
    except (EOFError, ValueError, TypeError) as exc:  # only a bug of vaultbot's own makes this
        raise CacheError(f"cannot be decoded ({exc})") from None


def write_document(path: Path, document: dict[str, Any], secret: bytes) -> None:
    """Sign and write atomically (a temporary file renamed over `path`, never through a
    link)."""
    payload = marshal.dumps(document)
    fd, tmp = tempfile.mkstemp(dir=path.parent, **temp_name(path.name))
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(MAGIC + _sign(secret, path, payload) + payload)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _sign(secret: bytes, path: Path, payload: bytes | memoryview) -> bytes:
    """The signature of a cache file: its name (a delta is never read as a main file, nor one
    key's file as another's) and its contents."""
    mac = hmac.new(secret, path.name.encode() + b"\0", hashlib.sha256)
    mac.update(payload)
    return mac.digest()


def user_key() -> bytes:
    """The user's key that signs cache files, made on first use: `KEY_BYTES` random bytes in
    `$XDG_CACHE_HOME/vaultbot/key` (`~/.cache/vaultbot/key` when that is unset or relative),
    readable by its owner alone. Raise OSError when there is no such key and none can be
    made, or when the file there is not one this user alone could have written."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            raise OSError("no home folder")
        base = os.path.join(home, ".cache")
    folder = Path(base) / "vaultbot"
    path = folder / "key"
    for _ in range(2):
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            _make_key(folder, path)
            continue
        try:
            info = os.fstat(fd)
            mode = info.st_mode
            if not stat.S_ISREG(mode) or info.st_uid != os.geteuid() or mode & 0o077:
                raise OSError(f"{path} is not a file of this user's alone")
            secret = os.read(fd, KEY_BYTES + 1)
        finally:
            os.close(fd)
        if len(secret) != KEY_BYTES:
            raise OSError(f"{path} does not hold a key")
        return secret
    raise OSError(f"cannot make {path}")


def _make_key(folder: Path, path: Path) -> None:
    """Write a new key whole, then link it into place: a reader never sees half a key, and
    of two processes making one at once, one key wins."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".key-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(os.urandom(KEY_BYTES))
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        os.unlink(tmp)


def _create(path: Path, data: bytes) -> None:
    """Create `path` holding `data` unless something (even a dangling link) is there."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except FileExistsError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except BaseException:  # a full disk: a cut `.gitignore` no longer ignores the cache
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise


def _ignoring(reason: str) -> str:
    return f"{CACHE_DIR}: ignoring a cache that {reason}"


def _validate(data: Any) -> tuple[list[str], dict[str, Any], str]:
    """(files, entries, token) of a signed cache document; raise CacheError saying what is
    wrong (a document of another version of vaultbot: the rest is only checked for the case
    of a bug)."""
    if not isinstance(data, dict):
        raise CacheError("does not hold a cache document")
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
