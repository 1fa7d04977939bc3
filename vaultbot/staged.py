"""The vault as the next commit will hold it (`vaultbot check --staged`, the plain git hook).

pre-commit stashes unstaged changes before it runs a hook; a plain hook cannot, so vaultbot reads
the index itself: staged notes are checked as staged (their blobs), and links resolve against
the index entries plus the untracked files on disk. A note deleted in the index is gone, a note
added to it exists, whatever the work tree says.
"""

from __future__ import annotations

import stat
import subprocess
from pathlib import Path

from vaultbot.errors import GitError
from vaultbot.vault import Vault, walk

# git is run directly, not through gitpython: the plain hook runs this on every commit, and
# importing gitpython alone costs about a third of a second.


class _Failed(GitError):
    """git ran, and failed."""


def _git(top: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """The output of a git command run in `top`; GitError if it cannot run or fails."""
    try:
        done = subprocess.run(["git", *args], cwd=top, input=stdin, capture_output=True)
    except OSError as exc:
        raise GitError(f"{top}: cannot run git ({exc.strerror or exc})") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise _Failed(f"git {args[0]} failed: {message}")
    return done.stdout


def _top(path: Path) -> Path:
    """The top folder of the work tree holding `path`; GitError outside one (or without git)."""
    try:
        out = _git(path, "rev-parse", "--show-toplevel")
    except _Failed:
        raise GitError(f"{path}: not inside a git repository") from None
    return Path(out.decode("utf-8", "surrogateescape").removesuffix("\n")).resolve()


def _names(top: Path, *args: str) -> list[str]:
    """The NUL-separated paths a git command prints (never quoted, any character allowed)."""
    out = _git(top, *args)
    return [name.decode("utf-8", "surrogateescape") for name in out.split(b"\0") if name]


def _relative(paths: list[str], prefix: str) -> set[str]:
    """The repository paths below the vault's folder `prefix`, made vault-relative."""
    return {path[len(prefix) :] for path in paths if path.startswith(prefix)}


def staged_root(start: Path) -> Path:
    """The vault the staged notes lie in, when `start` (the git top level, say) is not one:
    the one folder below it with `.obsidian/` that holds every staged note; else `start`."""
    roots = staged_roots(start)
    return roots[0] if len(roots) == 1 else start


def staged_roots(start: Path) -> list[Path]:
    """The vaults the staged notes below `start` lie in: for each note, the nearest folder
    with `.obsidian/` below `start`, else `start` itself; `[start]` when nothing is staged.
    A vault inside the vault `start` is its own vault for its notes, as pre-commit and
    `check` take it."""
    try:
        top = _top(start)
    except GitError:
        if (start / ".obsidian").is_dir():
            return [start]  # `staged_vault` says it is not in a repository
        raise
    roots: set[Path] = set()
    for name in _names(top, "diff", "-z", "--name-only", "--cached", "--diff-filter=ACMR"):
        note = top / name
        if not name.lower().endswith(".md") or start not in note.parents:
            continue
        folders = note.parents[: len(note.parents) - len(start.parents) - 1]
        roots.add(next((f for f in folders if (f / ".obsidian").is_dir()), start))
    return sorted(roots) or [start]


def staged_vault(root: Path) -> tuple[Vault, set[str]]:
    """The vault at `root` as staged, and the notes the commit adds, modifies or renames.

    Raise GitError outside a git repository.
    """
    top = _top(root)
    prefix = "" if root == top else root.relative_to(top).as_posix() + "/"
    index = _index(top)
    head = _names(top, "ls-tree", "-r", "-z", "--name-only", "HEAD") if _has_head(top) else []
    diff = ["diff", "-z", "--name-only", "--no-ext-diff"]
    # Renames count (R): a renamed note is a new name whose content must be checked.
    staged = _names(top, *diff, "--cached", "--find-renames", "--diff-filter=ACMR")
    unstaged = _names(top, *diff, "--no-renames")  # the work tree differs from the index
    committed = set(head)
    untracked = {rel for rel in walk(root) if prefix + rel not in committed}
    files = _relative(list(index), prefix) | untracked
    wanted = [rel for rel in _relative(staged + unstaged, prefix) if rel.lower().endswith(".md")]
    contents = _blobs(top, index, prefix, wanted)
    notes = {n for n in _relative(staged, prefix) if n.lower().endswith(".md")}
    return Vault(root, sorted(files), contents), notes


def _has_head(top: Path) -> bool:
    """The repository has a commit (not a fresh `git init`)."""
    try:
        _git(top, "rev-parse", "--verify", "--quiet", "HEAD")
    except _Failed:
        return False
    return True


def _index(top: Path) -> dict[str, tuple[int, str] | None]:
    """Every index path -> (mode, object id) of its entry; None while it is unmerged."""
    entries: dict[str, tuple[int, str] | None] = {}
    for record in _names(top, "ls-files", "--stage", "-z"):
        info, _, path = record.partition("\t")
        mode, sha, stage = info.split()
        entries[path] = (int(mode, 8), sha) if stage == "0" else None
    return entries


def _blobs(
    top: Path, index: dict[str, tuple[int, str] | None], prefix: str, rels: list[str]
) -> dict[str, bytes]:
    """The staged bytes of the notes `rels` that are staged as regular files, read with one
    `git cat-file --batch`."""
    wanted: list[tuple[str, str]] = []
    for rel in rels:
        entry = index.get(prefix + rel)
        if entry is not None and stat.S_ISREG(entry[0]):
            wanted.append((rel, entry[1]))
    if not wanted:
        return {}
    out = _git(top, "cat-file", "--batch", stdin="".join(f"{sha}\n" for _, sha in wanted).encode())
    blobs: dict[str, bytes] = {}
    at = 0
    for rel, sha in wanted:  # each: "<sha> blob <size>\n<bytes>\n"
        header_end = out.index(b"\n", at)
        header = out[at:header_end].split()
        if len(header) != 3 or header[0] != sha.encode() or header[1] != b"blob":
            raise GitError(f"git cat-file: unexpected answer for {prefix + rel}")
        size = int(header[2])
        blobs[rel] = out[header_end + 1 : header_end + 1 + size]
        at = header_end + 1 + size + 1
    return blobs
