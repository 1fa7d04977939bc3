"""Git through gitpython: the lines a branch changed, the base of a pull request, bot commits."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import git

from vaultbot.errors import GitError

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.M)


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
    diff = repo.git.diff(base, "-U0", "--no-color", "--no-ext-diff", "--find-renames", "--")
    return _parse_diff(base, diff)


def _parse_diff(base: str, diff: str) -> Changes:
    lines: dict[str, set[int]] = {}
    added: set[str] = set()
    path: str | None = None
    new_file = False
    for line in diff.splitlines():
        if line.startswith("diff --git "):
            path, new_file = None, False
        elif line.startswith("new file mode"):
            new_file = True
        elif line.startswith("+++ "):
            target = line[4:].removesuffix("\t")  # git ends a name holding a space with a tab
            path = None if target == "/dev/null" else _unquote(target)[2:]
            if path is not None:
                lines.setdefault(path, set())
                if new_file:
                    added.add(path)
        elif line.startswith("@@") and path is not None:
            m = _HUNK.match(line)
            if m:
                start, count = int(m.group(1)), int(m.group(2) or 1)
                lines[path].update(range(start, start + count))
    return Changes(base, lines, added)


def _unquote(path: str) -> str:
    """git quotes unusual paths as C strings: `"b/caf\\303\\251.md"`."""
    if not (path.startswith('"') and path.endswith('"')):
        return path
    raw = path[1:-1].encode("latin-1").decode("unicode_escape").encode("latin-1")
    return raw.decode("utf-8", errors="surrogateescape")


def committable(start: Path, files: Sequence[Path]) -> list[Path]:
    """`files` less those git ignores (they are fixed in place but never committed)."""
    repo = repo_at(start)
    top = Path(repo.working_tree_dir or ".").resolve()
    rel = {Path(os.path.abspath(f)).relative_to(top).as_posix(): f for f in files}
    ignored = set(repo.ignored(*rel)) if rel else set()
    return [f for path, f in rel.items() if path not in ignored]


def commit_fixes(
    start: Path, files: Sequence[Path], message: str, name: str, email: str
) -> str | None:
    """Commit exactly `files` (nothing else staged) as the bot; return the sha, or None."""
    repo = repo_at(start)
    top = Path(repo.working_tree_dir or ".").resolve()
    paths = [Path(os.path.abspath(f)).relative_to(top).as_posix() for f in files]
    if not paths:
        return None
    try:
        repo.git.add("--", *paths)  # honours .gitattributes, unlike repo.index.add
    except git.GitCommandError as exc:
        raise GitError(f"git add failed: {exc.stderr.strip()}") from None
    if not repo.index.diff("HEAD", paths=paths):
        return None
    identity = {
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
    }
    with repo.git.custom_environment(**identity):
        repo.git.commit("--only", "--no-verify", "-m", message, "--", *paths)
    return repo.head.commit.hexsha


def install_hook(start: Path, force: bool = False) -> Path:
    """Copy vaultbot's plain git pre-commit hook into the repository's hooks folder.

    Refuses to replace a different existing hook unless `force`. Returns the hook's path.
    """
    from importlib import resources

    repo = repo_at(start)
    hooks = Path(repo.git.rev_parse("--git-path", "hooks"))
    if not hooks.is_absolute():
        hooks = Path(repo.working_tree_dir or ".") / hooks
    target = hooks / "pre-commit"
    script = resources.files("vaultbot").joinpath("hooks/pre-commit").read_bytes()
    if target.exists() and target.read_bytes() != script and not force:
        raise GitError(f"{target} exists and is not vaultbot's hook; use --force to replace it")
    hooks.mkdir(parents=True, exist_ok=True)
    target.write_bytes(script)
    target.chmod(0o755)
    return target


def start_branch(start: Path, name: str, allow_dirty: bool = False) -> None:
    """Create branch `name` at HEAD and switch to it, refusing a dirty work tree."""
    repo = repo_at(start)
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
