"""Git through gitpython: the lines a branch changed, the base of a pull request, bot commits."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import git

from vaultbot.errors import GitError

#: A hunk header of a unified diff: `@@ -old[,count] +new[,count] @@` (new side kept).
_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.M)


@dataclass(frozen=True)
class Changes:
    """Lines changed since the merge base, by repository-relative path (new side)."""

    base: str  # the merge-base commit
    lines: dict[str, set[int]]  # path -> changed line numbers (1-based)
    added: set[str]  # paths that are new files: every line counts as changed

    def touches(self, path: str, line: int) -> bool:
        return path in self.added or line in self.lines.get(path, set())


def repo_at(path: Path) -> git.Repo:
    try:
        return git.Repo(path, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise GitError(f"{path}: not inside a git repository") from None


def repo_with_commit(path: Path) -> git.Repo:
    """`repo_at`, for a bot commit: raise GitError when the repository has no commit yet
    (a fresh `git init`: there is no HEAD to branch from or to commit beside)."""
    repo = repo_at(path)
    if not repo.head.is_valid():  # an unborn branch
        top = repo.working_tree_dir or path
        raise GitError(
            f"{top}: the repository has no commit yet; commit the vault first, then use --commit"
        )
    return repo


def pull_request_base(env: Mapping[str, str] | None = None) -> str | None:
    """The base commit of the pull request GitHub is running for, if any."""
    env = os.environ if env is None else env
    event_path = env.get("GITHUB_EVENT_PATH")
    if event_path:
        try:
            event = json.loads(Path(event_path).read_text(encoding="utf-8"))
            sha = event["pull_request"]["base"]["sha"]
            if isinstance(sha, str) and sha:
                return sha
        except (OSError, ValueError, KeyError, TypeError):
            pass
    base_ref = env.get("GITHUB_BASE_REF")
    return f"origin/{base_ref}" if base_ref else None


def changed_lines(repo: git.Repo, ref: str) -> Changes:
    """What HEAD (and the work tree) changed since the merge base of `ref` and HEAD."""
    try:
        base_commit = repo.commit(ref)
    except (git.BadName, ValueError, git.GitCommandError):
        shallow = Path(repo.git_dir, "shallow").exists()
        hint = (
            " The checkout is shallow: fetch the history (actions/checkout with fetch-depth: 0)."
            if shallow
            else ""
        )
        raise GitError(f"the base commit '{ref}' is not in this repository.{hint}") from None
    bases = repo.merge_base(base_commit, repo.head.commit)
    if not bases:
        raise GitError(f"'{ref}' and HEAD have no common history (is the checkout shallow?)")
    base = bases[0].hexsha
    # The notes' pathspec is a pattern whatever the user's GIT_*_PATHSPECS say.
    with repo.git.custom_environment(GIT_LITERAL_PATHSPECS="0", GIT_NOGLOB_PATHSPECS="0"):
        diffs = _diff(repo, base)
    return _changes(base, diffs)


def _diff(repo: git.Repo, base: str) -> Sequence[git.Diff]:
    """The notes' changes from `base` to the work tree, one hunk per changed run of lines.

    gitpython's diff objects carry each path unquoted from git's C quoting, and it passes
    --no-ext-diff and --no-color itself; renames are pinned against a user's diff.renames,
    the prefixes against diff.noprefix. The lines are compared as text, whatever git guesses
    or the attributes say (a NUL byte, `binary`, `-diff`: else git prints "Binary files
    differ" and no line counts), as they are (no textconv filter, which numbers the lines of
    its own output), hunk by hunk (no diff.interHunkContext joining two hunks across the
    lines between them). Only notes are compared: `--text` would print a changed
    attachment's bytes too."""
    return repo.commit(base).diff(
        None,
        _NOTES,
        create_patch=True,
        unified=0,
        inter_hunk_context=0,
        text=True,
        no_textconv=True,
        find_renames=True,
        src_prefix="a/",
        dst_prefix="b/",
    )


#: The pathspec of the notes (`*` crosses `/`; `.md` in any case, as `Vault.notes` takes it).
_NOTES = ":(icase)*.md"


def _changes(base: str, diffs: Sequence[git.Diff]) -> Changes:
    """Changed lines from gitpython's diff objects (paths come unquoted from git's quoting)."""
    lines: dict[str, set[int]] = {}
    added: set[str] = set()
    for diff in diffs:
        if diff.b_rawpath is None:  # deleted
            continue
        # The name as bytes, decoded as the vault's walk decodes names (`os.fsdecode`): one
        # that is not UTF-8 keeps its bytes, where `b_path` has U+FFFD in their place.
        path = os.fsdecode(diff.b_rawpath)
        changed = lines.setdefault(path, set())
        if diff.new_file:
            added.add(path)
        patch = diff.diff if isinstance(diff.diff, bytes) else diff.diff.encode()
        for m in _HUNK.finditer(patch):
            start, count = int(m.group(1)), int(m.group(2) or 1)
            changed.update(range(start, start + count))
    return Changes(base, lines, added)


def committable(start: Path, files: Sequence[Path]) -> list[Path]:
    """`files` less those git ignores and those in a submodule (another repository's): they
    are fixed in place but never committed."""
    repo = repo_at(start)
    top = Path(repo.working_tree_dir or ".").resolve()
    rel = {Path(os.path.abspath(f)).relative_to(top).as_posix(): f for f in files}
    modules = tuple(f"{path}/" for path in _submodules(repo))
    if modules:
        rel = {path: f for path, f in rel.items() if not path.startswith(modules)}
    ignored = _ignored(repo, list(rel))
    return [f for path, f in rel.items() if path not in ignored]


def _submodules(repo: git.Repo) -> list[str]:
    """The repository-relative paths of the submodules (gitlinks) in the index."""
    out = repo.git.ls_files("-z", "--stage", stdout_as_string=False)
    return [
        os.fsdecode(entry.partition(b"\t")[2])
        for entry in out.split(b"\0")
        if entry.startswith(b"160000 ")
    ]


def _ignored(repo: git.Repo, paths: Sequence[str]) -> set[str]:
    """The repository-relative `paths` that git ignores. Names go in and come out separated
    by NUL, so a name git would quote (non-ASCII, `"`, a tab) is matched as it is
    (`Repo.ignored` misses those)."""
    if not paths:
        return set()
    with tempfile.TemporaryFile() as names:
        names.write(b"\0".join(os.fsencode(p) for p in paths))
        names.seek(0)
        try:
            out = repo.git.check_ignore("-z", "--stdin", istream=names)
        except git.GitCommandError as exc:
            if exc.status == 1:  # none of them is ignored
                return set()
            raise GitError(f"git check-ignore failed: {exc.stderr.strip()}") from None
    return set(filter(None, out.split("\0")))


def commit_fixes(
    start: Path, files: Sequence[Path], message: str, name: str, email: str
) -> str | None:
    """Commit exactly `files` (nothing else staged) as the bot; return the sha, or None."""
    repo = repo_at(start)
    top = Path(repo.working_tree_dir or ".").resolve()
    paths = [Path(os.path.abspath(f)).relative_to(top).as_posix() for f in files]
    if not paths:
        return None
    # The names go to git on standard input, NUL-separated (a cleanup's thousands of paths
    # overflow a command line), and are taken literally: `[a].md`, `*.md` or `:(glob)b.md`
    # as a pattern would add (and commit) the user's own edits of the files it matches.
    names = b"\0".join(os.fsencode(p) for p in paths)
    from_stdin = ("--pathspec-from-file=-", "--pathspec-file-nul")
    identity = {
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
    }
    with repo.git.custom_environment(GIT_LITERAL_PATHSPECS="1"):
        try:  # `git add` honours .gitattributes, unlike repo.index.add
            _with_input(repo.git.add, names, *from_stdin)
        except git.GitCommandError as exc:
            raise GitError(f"git add failed: {exc.stderr.strip()}") from None
        staged = repo.git.diff_index("--cached", "-z", "--name-only", "HEAD",
                                     stdout_as_string=False)  # fmt: skip
        if not set(staged.split(b"\0")) & set(names.split(b"\0")):
            return None  # none of them differs from HEAD
        with repo.git.custom_environment(**identity):
            _with_input(repo.git.commit, names, "--only", "--no-verify", "-m", message,
                        *from_stdin)  # fmt: skip
    return repo.head.commit.hexsha


def _with_input(command: Callable[..., Any], data: bytes, *args: str) -> None:
    """Run a gitpython command with `data` on its standard input."""
    with tempfile.TemporaryFile() as stdin:
        stdin.write(data)
        stdin.seek(0)
        command(*args, istream=stdin)


#: The first comment line of vaultbot's hook: a hook that has it may be replaced.
HOOK_MARKER = b"# vaultbot's git pre-commit hook"


def hook_script(python: str) -> bytes:
    """vaultbot's plain git pre-commit hook, recording the interpreter `python`."""
    from importlib import resources

    script = resources.files("vaultbot").joinpath("hooks/pre-commit").read_bytes()
    line = f"INSTALL_PYTHON={shlex.quote(python)}".encode()
    return script.replace(b"INSTALL_PYTHON=''", line, 1)


def install_hook(start: Path, force: bool = False) -> Path:
    """Write vaultbot's plain git pre-commit hook into the repository's hooks folder.

    The hook records the Python running this (as pre-commit records INSTALL_PYTHON). Refuses
    to replace a hook that is not vaultbot's unless `force`. Returns the hook's path.
    """
    repo = repo_at(start)
    hooks = Path(repo.git.rev_parse("--git-path", "hooks"))
    if not hooks.is_absolute():
        hooks = Path(repo.working_tree_dir or ".") / hooks
    target = hooks / "pre-commit"
    if target.exists() and HOOK_MARKER not in target.read_bytes() and not force:
        raise GitError(f"{target} exists and is not vaultbot's hook; use --force to replace it")
    # Written whole, then renamed into place: a hook cut short by a full disk would run,
    # check nothing and let every commit pass.
    try:
        hooks.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=hooks, prefix=".pre-commit-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(hook_script(sys.executable))
            os.chmod(tmp, 0o755)
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise GitError(f"{target}: cannot write ({exc.strerror or exc})") from None
    return target


def start_branch(start: Path, name: str, allow_dirty: bool = False) -> None:
    """Create branch `name` at HEAD and switch to it, refusing a dirty work tree."""
    repo = repo_with_commit(start)
    if not allow_dirty and repo.is_dirty(untracked_files=True):
        raise GitError(
            "the work tree has uncommitted changes or untracked files; commit or stash them "
            "first, or pass --allow-dirty"
        )
    if name in repo.heads:
        raise GitError(f"branch '{name}' already exists; choose another with --branch")
    try:
        repo.git.check_ref_format("--branch", name)
    except git.GitCommandError:
        raise GitError(f"'{name}' is not a valid branch name") from None
    repo.create_head(name).checkout()
