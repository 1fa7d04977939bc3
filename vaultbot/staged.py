"""The vault as the next commit will hold it (`vaultbot check --staged`, the plain git hook).

pre-commit stashes unstaged changes before it runs a hook; a plain hook cannot, so vaultbot reads
the index itself: staged notes are checked as staged (their blobs), and links resolve against
the index entries plus the untracked files on disk. A note deleted in the index is gone, a note
added to it exists, whatever the work tree says.
"""

from __future__ import annotations

import stat
from pathlib import Path

import git

from vaultbot.git import repo_at
from vaultbot.vault import Vault, walk


def _names(repo: git.Repo, *args: str) -> list[str]:
    """The NUL-separated paths a git command prints (never quoted, any character allowed)."""
    out = repo.git.execute(["git", *args], stdout_as_string=False, strip_newline_in_stdout=False)
    assert isinstance(out, bytes)
    return [name.decode("utf-8", "surrogateescape") for name in out.split(b"\0") if name]


def _relative(paths: list[str], prefix: str) -> set[str]:
    """The repository paths below the vault's folder `prefix`, made vault-relative."""
    return {path[len(prefix) :] for path in paths if path.startswith(prefix)}


def staged_root(start: Path) -> Path:
    """The vault the staged notes lie in, when `start` (the git top level, say) is not one:
    the one folder below it with `.obsidian/` that holds every staged note; else `start`."""
    if (start / ".obsidian").is_dir():
        return start
    repo = repo_at(start)
    top = Path(repo.working_tree_dir or ".").resolve()
    roots: set[Path] = set()
    for name in _names(repo, "diff", "-z", "--name-only", "--cached", "--diff-filter=ACMR"):
        note = top / name
        if not name.lower().endswith(".md") or start not in note.parents:
            continue
        folders = note.parents[: len(note.parents) - len(start.parents) - 1]
        roots.add(next((f for f in folders if (f / ".obsidian").is_dir()), start))
    return roots.pop() if len(roots) == 1 else start


def staged_vault(root: Path) -> tuple[Vault, set[str]]:
    """The vault at `root` as staged, and the notes the commit adds, modifies or renames.

    Raise GitError outside a git repository.
    """
    repo = repo_at(root)
    top = Path(repo.working_tree_dir or ".").resolve()
    prefix = "" if root == top else root.relative_to(top).as_posix() + "/"
    index = _index(repo)
    head = (
        _names(repo, "ls-tree", "-r", "-z", "--name-only", "HEAD") if repo.head.is_valid() else []
    )
    diff = ["diff", "-z", "--name-only", "--no-ext-diff"]
    # Renames count (R): a renamed note is a new name whose content must be checked.
    staged = _names(repo, *diff, "--cached", "--find-renames", "--diff-filter=ACMR")
    unstaged = _names(repo, *diff, "--no-renames")  # the work tree differs from the index
    committed = set(head)
    untracked = {rel for rel in walk(root) if prefix + rel not in committed}
    files = _relative(list(index), prefix) | untracked
    contents = {
        rel: blob
        for rel in _relative(staged + unstaged, prefix)
        if rel.lower().endswith(".md") and (blob := _blob(repo, index, prefix + rel)) is not None
    }
    notes = {n for n in _relative(staged, prefix) if n.lower().endswith(".md")}
    return Vault(root, sorted(files), contents), notes


def _index(repo: git.Repo) -> dict[str, tuple[int, str] | None]:
    """Every index path -> (mode, object id) of its entry; None while it is unmerged."""
    entries: dict[str, tuple[int, str] | None] = {}
    for record in _names(repo, "ls-files", "--stage", "-z"):
        info, _, path = record.partition("\t")
        mode, sha, stage = info.split()
        entries[path] = (int(mode, 8), sha) if stage == "0" else None
    return entries


def _blob(repo: git.Repo, index: dict[str, tuple[int, str] | None], path: str) -> bytes | None:
    """The staged bytes of a regular file at repository path `path` (None: not staged as one)."""
    entry = index.get(path)
    if entry is None or not stat.S_ISREG(entry[0]):
        return None
    return repo.odb.stream(bytes.fromhex(entry[1])).read()
