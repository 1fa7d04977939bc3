"""The vault: file discovery with Obsidian's ignore rules, and link resolution (DESIGN.md §4)."""

from __future__ import annotations

import fnmatch
import json
import os
import posixpath
import re
import subprocess
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from vaultbot.profile import Profile

T = TypeVar("T")


def find_root(start: Path) -> Path:
    """The nearest folder upwards holding `.obsidian/`, else the git top level, else `start`."""
    start = start.resolve()
    if start.is_file():
        start = start.parent
    for folder in (start, *start.parents):
        if (folder / ".obsidian").is_dir():
            return folder
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=start,
            capture_output=True,
            text=True,
            check=False,
        )
        if top.returncode == 0 and top.stdout.strip():
            return Path(top.stdout.strip()).resolve()
    except OSError:
        pass
    return start


def rel_in(root: Path, absolute: Path) -> str | None:
    """`absolute` (made absolute, symlinks kept) as a path relative to the resolved vault
    `root`, or None if it lies outside. A path reached through a symlinked folder (`~/Notes`
    linking to a synced folder) is tried again with its folders resolved: `find_root`
    resolves the root. The last name is kept, so a symlinked note stays the note named."""
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        pass
    try:
        real = (
            absolute.resolve() if absolute.is_dir() else absolute.parent.resolve() / absolute.name
        )
        return real.relative_to(root).as_posix()
    except (OSError, RuntimeError, ValueError):
        return None


def is_hidden(rel: str) -> bool:
    """Whether a name of the path starts with `.`."""
    return rel.startswith(".") or "/." in rel


def stays_inside(rel: str) -> bool:
    """True for a relative path that names something inside the folder it is relative to
    (no `..` that climbs out, not absolute, no NUL)."""
    if not rel or "\x00" in rel or rel.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", rel):
        return False
    normal = posixpath.normpath(rel.replace("\\", "/"))
    return normal != ".." and not normal.startswith("../")


def _key(path: str) -> str:
    return path.lower() if path.isascii() else unicodedata.normalize("NFC", path).lower()


def walk(
    root: Path,
    onerror: Callable[[OSError], None] | None = None,
    vaults: list[str] | None = None,
) -> list[str]:
    """Every non-hidden file below `root`, as sorted vault-relative paths with `/`.

    A folder that cannot be listed (permission denied, a path longer than PATH_MAX) is
    passed to `onerror`. The folders below `root` that hold `.obsidian/` (vaults of their
    own) are appended to `vaults`, if given."""
    # os.walk's choices in a quarter less time (a hook lists the whole vault for one note): a
    # symbolic link to a folder is neither a file nor walked into; an entry whose type
    # cannot be read is a file; a folder that cannot be listed goes to `onerror`.
    found: list[str] = []
    root_str = str(root)
    pending = [""]  # vault-relative folders still to list
    while pending:
        folder = pending.pop()
        prefix = f"{folder}/" if folder else ""
        try:
            with os.scandir(os.path.join(root_str, folder) if folder else root_str) as entries:
                for entry in entries:
                    name = entry.name
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    if name.startswith("."):
                        if is_dir and name == ".obsidian" and folder and vaults is not None:
                            vaults.append(folder)
                    elif not is_dir:
                        found.append(prefix + name)
                    elif not entry.is_symlink():
                        pending.append(prefix + name)
        except OSError as error:
            if onerror is not None:
                onerror(error)
    found.sort()
    if vaults is not None:
        vaults.sort()
    return found


def git_ignored(root: Path) -> Callable[[str], bool]:
    """Whether git ignores a vault-relative path by default (`.gitignore`, `info/exclude`, the
    user's excludes file), as ruff and rumdl skip such files. Nothing outside a git work tree."""
    try:
        done = subprocess.run(
            ["git", "ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory"],
            cwd=root,
            capture_output=True,
            check=False,
        )
    except OSError:
        return lambda rel: False
    if done.returncode != 0:
        return lambda rel: False
    names = [name.decode("utf-8", "surrogateescape") for name in done.stdout.split(b"\0") if name]
    files = {name for name in names if not name.endswith("/")}
    folders = tuple(name for name in names if name.endswith("/"))
    return lambda rel: rel in files or rel.startswith(folders)


def user_ignore_filters(root: Path, warnings: list[str] | None = None) -> list[str]:
    """`userIgnoreFilters` from `.obsidian/app.json` (excluded files), if any. A file that is
    there but cannot be read, is not JSON or holds filters that are not a list of strings is
    told in `warnings` (its filters are not applied: the files they exclude are checked)."""
    path = root / ".obsidian" / "app.json"
    try:
        shown = os.path.relpath(path)  # from the current folder
    except ValueError:  # another drive on Windows
        shown = str(path)
    unused = "its excluded files (userIgnoreFilters) are checked"
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if text.strip() else {}  # an empty file holds no setting
    except FileNotFoundError:
        return []
    except OSError as exc:
        _tell(warnings, f"{shown}: cannot read ({exc.strerror or exc}); {unused}")
        return []
    except ValueError as exc:  # UnicodeDecodeError too
        _tell(warnings, f"{shown}: not valid JSON ({exc}); {unused}")
        return []
    filters = data.get("userIgnoreFilters") if isinstance(data, dict) else None
    if filters is None:
        if not isinstance(data, dict):
            _tell(warnings, f"{shown}: not a JSON object; {unused}")
        return []
    if not isinstance(filters, list):
        _tell(warnings, f"{shown}: 'userIgnoreFilters' is not a list; {unused}")
        return []
    kept = [f for f in filters if isinstance(f, str)]
    if len(kept) < len(filters):
        _tell(warnings, f"{shown}: 'userIgnoreFilters' entries that are not strings are skipped")
    return kept


def _tell(warnings: list[str] | None, message: str) -> None:
    if warnings is not None:
        warnings.append(message)


#: Where the vault's own configuration names its template folders: the core Templates
#: plugin's `folder` and Templater's `templates_folder`.
_TEMPLATE_SETTINGS = (
    (".obsidian/templates.json", "folder"),
    (".obsidian/plugins/templater-obsidian/data.json", "templates_folder"),
)


def template_folders(root: Path) -> list[str]:
    """The template folders the vault's configuration names (vault-relative, no `/` at the
    ends). Templates are not notes: their links and front matter hold template syntax."""
    folders: list[str] = []
    for rel, key in _TEMPLATE_SETTINGS:
        try:
            data = json.loads((root / rel).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        folder = data.get(key) if isinstance(data, dict) else None
        if isinstance(folder, str) and folder.strip("/ "):
            folders.append(folder.strip("/ "))
    return folders


def in_folders(rel: str, folders: list[str]) -> bool:
    return any(rel == folder or rel.startswith(folder + "/") for folder in folders)


def matches_filter(rel: str, pattern: str) -> bool:
    """Obsidian's excluded-files filter: a folder/path prefix, or a /regex/."""
    if len(pattern) > 2 and pattern.startswith("/") and pattern.endswith("/"):
        try:
            return re.search(pattern[1:-1], rel) is not None
        except re.error:
            return False
    return rel.startswith(pattern)


def matches_glob(rel: str, pattern: str) -> bool:
    """Config `exclude` globs: match the path, or any of its parent folders."""
    pattern = pattern.rstrip("/")
    if fnmatch.fnmatchcase(rel, pattern):
        return True
    parts = rel.split("/")
    return any(fnmatch.fnmatchcase("/".join(parts[:i]), pattern) for i in range(1, len(parts)))


@dataclass
class Vault:
    """All files of a vault and the name index links are resolved against."""

    root: Path
    files: list[str]
    #: Notes whose bytes are not the file on disk: the staged blobs of `check --staged`.
    contents: dict[str, bytes] = field(default_factory=dict, repr=False)
    #: The `profile` setting: "auto" (detected from the notes), "generated" or "personal".
    profile_setting: str = "auto"
    #: The folders below the root that are vaults of their own (hold `.obsidian/`), as `scan`
    #: found them.
    nested: list[str] = field(default_factory=list, repr=False)
    _memo: dict[Callable[[Vault], Any], Any] = field(default_factory=dict, repr=False)
    _candidates: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _nearest: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)

    def read(self, rel: str, display: str) -> bytes:
        """A file's bytes as this vault holds them (as staged, or on disk); raise NoteError.

        Under GitHub Actions a note that is a symbolic link to a file outside the vault is not
        read: there the vault is a pull request's, and a link to `/proc/self/environ` or the
        runner's files would put their text in public annotations and reports."""
        if rel in self.contents:
            return self.contents[rel]
        from vaultbot.note import NoteError, read_bytes
        from vaultbot.output.safe import in_github_actions

        path = os.path.join(self.root, rel)
        if in_github_actions() and not self._holds(path):
            raise NoteError(f"{display}: a symbolic link to outside the vault, not read on GitHub")
        return read_bytes(path, display)

    def _holds(self, path: Path | str) -> bool:
        """Whether `path`, its links followed, lies inside the vault."""
        return os.path.realpath(path).startswith(self._real_root)

    @cached_property
    def _real_root(self) -> str:
        return os.path.join(os.path.realpath(self.root), "")

    def memo(self, compute: Callable[[Vault], T]) -> T:
        """`compute(self)`, computed once per vault (indexes some rules need)."""
        if compute not in self._memo:
            self._memo[compute] = compute(self)
        return self._memo[compute]

    @cached_property
    def by_path(self) -> dict[str, str]:
        """Lower-cased, NFC path -> file, for every non-hidden file (built on first use)."""
        return {_key(rel): rel for rel in self.files if not is_hidden(rel)}

    @cached_property
    def by_name(self) -> dict[str, list[str]]:
        """Lower-cased file name -> the keys of the files so named, shortest path first."""
        index: dict[str, list[str]] = {}
        for key in self.by_path:
            index.setdefault(key.rsplit("/", 1)[-1], []).append(key)
        for keys in index.values():
            if len(keys) > 1:
                keys.sort(key=lambda k: (len(k), k))
        return index

    @cached_property
    def profile(self) -> Profile:
        """Generated or personal (vaultbot.profile), chosen on first use."""
        from vaultbot.profile import choose

        return choose(self, self.profile_setting)

    def build_index(self) -> None:
        """Build the name index and choose the profile now (before worker processes fork
        and share them)."""
        _ = self.by_name, self.profile

    @classmethod
    def scan(cls, root: Path, onerror: Callable[[OSError], None] | None = None) -> Vault:
        nested: list[str] = []
        return cls(root, walk(root, onerror, nested), nested=nested)

    @classmethod
    def from_files(cls, root: Path, files: Iterable[str]) -> Vault:
        return cls(root, sorted(files))

    @property
    def notes(self) -> list[str]:
        return [rel for rel in self.files if rel.lower().endswith(".md")]

    def resolve(self, target: str, source: str) -> str | None:
        """The file a link target points to from note `source`, or None (Obsidian's rules)."""
        if not target:
            return source  # `[[#heading]]`: the note itself
        path = _key(target)
        if path.startswith(("./", "../")):
            folder = posixpath.dirname(_key(source))
            joined = posixpath.normpath(posixpath.join(folder, path))
            if joined.startswith("../") or joined == "..":
                return None
            return self._exact(joined)
        if path.startswith("/"):
            return self._exact(path.lstrip("/"))
        for candidate in _with_extension(path):
            found = self._lookup(candidate, source)
            if found is not None:
                return found
        return None

    def candidates(self, target: str) -> list[str]:
        """Every file a bare-name target could mean (for ambiguity reports; once per name:
        a vault with an `index.md` in each of 300 folders has 300 for `[[index]]`)."""
        path = _key(target)
        found = self._candidates.get(path)
        if found is None:
            found = self._candidates[path] = self._find_candidates(path)
        return found

    def _find_candidates(self, path: str) -> list[str]:
        for candidate in _with_extension(path):
            keys = self.by_name.get(candidate.rsplit("/", 1)[-1], [])
            hits = [self.by_path[k] for k in keys if k.endswith(candidate)]
            if hits:
                return hits
        return []

    def _exact(self, path: str) -> str | None:
        for candidate in _with_extension(path):
            if candidate in self.by_path:
                return self.by_path[candidate]
        return None

    def _lookup(self, path: str, source: str) -> str | None:
        keys = self.by_name.get(path.rsplit("/", 1)[-1])
        if not keys:
            return None
        if "/" not in path and len(keys) == 1:
            return self.by_path[keys[0]]
        if path in self.by_path:
            return self.by_path[path]
        folder = posixpath.dirname(_key(source))
        if "/" not in path and len(keys) > _MANY:
            # A name shared by many files (an `index.md` in each of 1,000 folders): the
            # shortest below each folder, taken once per name.
            near = self._nearest.get(path)
            if near is None:
                near = self._nearest[path] = _shortest_below(keys)
            return self.by_path[near.get(folder, keys[0])]
        hits = keys if "/" not in path else [k for k in keys if k.endswith(path)]
        if not hits:
            return None
        if folder:
            prefix = folder + "/"
            found = next((k for k in hits if k.startswith(prefix)), None)
            if found is not None:
                return self.by_path[found]
        return self.by_path[hits[0]]


#: Names shared by more files than this get a folder index (`_shortest_below`).
_MANY = 16


def _shortest_below(keys: list[str]) -> dict[str, str]:
    """For the keys of one name (shortest path first): each folder holding any of them, at
    any depth -> the first of those below it."""
    below: dict[str, str] = {}
    for key in keys:
        folder = posixpath.dirname(key)
        while folder:
            if below.setdefault(folder, key) != key:
                break  # this folder and those above it have a shorter key already
            folder = posixpath.dirname(folder)
    return below


def _with_extension(path: str) -> list[str]:
    """Rule 9: a last segment with a `.` is looked up as is, then with `.md` appended."""
    last = path.rsplit("/", 1)[-1]
    return [path, path + ".md"] if "." in last else [path + ".md"]
