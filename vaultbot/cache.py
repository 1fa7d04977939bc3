"""The check cache (`.vaultbot_cache/` at the vault root), like ruff's `.ruff_cache`.

One JSON file per (vaultbot code, rules and options) key holds, per note, its size and
modification time, its findings, and what its link findings depend on: the folded names of
its link targets and the size and time of the notes its heading links point into. A cached
note is reused only when its own file is unchanged, no file whose name its links could mean
was added or removed, and the notes its heading links read are unchanged. JSON, not pickle:
a cache that comes with a repository must never be able to run code.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vaultbot import __version__
from vaultbot.note import Note
from vaultbot.rules import Rule
from vaultbot.vault import Vault

CACHE_DIR = ".vaultbot_cache"
_NOT_WORD = re.compile(r"[\W_]+")


def fold_name(path: str) -> str:
    """A file or link name reduced to what any link-matching rule compares (case, punctuation,
    the `.md` ending and the folder are folded away)."""
    name = path.rsplit("/", 1)[-1]
    if name.lower().endswith(".md"):
        name = name[:-3]
    return _NOT_WORD.sub("", unicodedata.normalize("NFC", name).lower())


def cache_key(rules: list[Rule]) -> str:
    """Changes with vaultbot's code and version, and with the rules and their options."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    for source in sorted(package.rglob("*.py")) + sorted(package.rglob("*.toml")):
        digest.update(source.read_bytes())
    settings = [(r.code, r.options) for r in rules]
    digest.update(json.dumps(settings, sort_keys=True, default=str).encode())
    return digest.hexdigest()[:20]


def stat_key(path: Path | str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


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
                heading_targets[target] = list(key) if key else [0, 0]
    # Folded names hold no spaces: one string parses faster than a list of them.
    return {"n": " ".join(sorted(names)), "h": heading_targets}


@dataclass
class Cache:
    path: Path
    files: list[str] = field(default_factory=list)  # the vault's files when last saved
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, root: Path, key: str) -> Cache:
        path = root / CACHE_DIR / f"check-{key}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") != __version__ or not isinstance(data.get("entries"), dict):
                raise ValueError
            return cls(path, list(data.get("files", [])), data["entries"])
        except (OSError, ValueError, TypeError):
            return cls(path)

    def valid_entries(self, vault: Vault, rels: list[str]) -> dict[str, dict[str, Any]]:
        """The cached entries still valid for these notes of the vault as it is now."""
        changed = {fold_name(f) for f in set(self.files) ^ set(vault.files)}
        valid: dict[str, dict[str, Any]] = {}
        stats: dict[str, tuple[int, int] | None] = {}
        root = str(vault.root) + os.sep

        def current(rel: str) -> tuple[int, int] | None:
            if rel not in stats:
                stats[rel] = stat_key(root + rel)
            return stats[rel]

        for rel in rels:
            entry = self.entries.get(rel)
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
        try:
            folder.mkdir(exist_ok=True)
            ignore = folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# Created by vaultbot\n*\n", encoding="utf-8")
            for old in folder.glob("check-*.json"):
                if old != self.path:
                    old.unlink(missing_ok=True)
            document = {"version": __version__, "files": vault.files, "entries": entries}
            fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(json.dumps(document, separators=(",", ":")))  # dumps: C encoder
            os.replace(tmp, self.path)
        except OSError:
            with contextlib.suppress(OSError, UnboundLocalError):
                os.unlink(tmp)
            # A cache that cannot be written only costs speed next time.
