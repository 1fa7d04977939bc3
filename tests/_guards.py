"""Session guards: tests never write into their inputs (issue 14).

Registered from `conftest.py` (`pytest_plugins`). At the start of the session each guard takes a
cheap fingerprint; when the session ends, anything changed, added or removed fails the run
with the paths named:

- the read-only corpora `../shared/corpora/`: path, size and mtime_ns of every file (hidden
  ones, such as a `.vaultbot_cache/`, included);
- the repository: the tracked and untracked-not-ignored files by content and mode, and which
  ignored paths exist, apart from the caches of the tools themselves (so a
  `.vaultbot_cache/` left in `examples/vault/` counts).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from corpus_helpers import CORPORA

REPO = Path(__file__).resolve().parents[1]

#: Ignored paths that tools write while the suite runs (pytest, hypothesis, Python, pip).
TOOL_OUTPUT = (".venv", "__pycache__", ".pytest_cache", ".hypothesis", ".ruff_cache")

Fingerprint = dict[str, tuple[int, ...] | str]


def corpora_fingerprint(root: Path = CORPORA) -> Fingerprint:
    """(size, mtime_ns) of every file under `root`, and every folder, by relative path."""
    found: Fingerprint = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            info = os.lstat(path)
            found[os.path.relpath(path, root)] = (info.st_size, info.st_mtime_ns, info.st_mode)
    return found


def _git(*args: str) -> str | None:
    try:
        out = subprocess.run(["git", *args], cwd=REPO, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.decode("utf-8", "surrogateescape")


def _git_paths(*args: str) -> list[str]:
    """`git ls-files` in the repository; nothing when the tests do not run from the top of a
    git checkout (an unpacked sdist, or mutmut's copy in `mutants/`)."""
    top = _git("rev-parse", "--show-toplevel")
    if top is None or Path(top.strip()).resolve() != REPO:
        return []
    out = _git("ls-files", "-z", *args) or ""
    return [p for p in out.split("\0") if p]


def _tool_output(path: str) -> bool:
    parts = path.rstrip("/").split("/")
    return any(p in TOOL_OUTPUT or p.endswith(".egg-info") for p in parts)


def repository_fingerprint() -> Fingerprint:
    """Content hash and mode of the repository's tracked and untracked-not-ignored files, and
    the ignored paths that are not the tools' own output."""
    found: Fingerprint = {}
    for rel in _git_paths("--cached", "--others", "--exclude-standard"):
        path = REPO / rel
        try:
            found[rel] = hashlib.sha256(path.read_bytes()).hexdigest() + oct(path.stat().st_mode)
        except OSError:
            found[rel] = "missing"  # deleted in the work tree before the run
    for rel in _git_paths("--others", "--ignored", "--exclude-standard", "--directory"):
        if not _tool_output(rel):
            found["ignored: " + rel] = "present"
    return found


def differences(before: Fingerprint, after: Fingerprint) -> list[str]:
    """Human-readable changes from `before` to `after` (at most 20 named)."""
    changes = [f"added {p}" for p in sorted(after.keys() - before.keys())]
    changes += [f"removed {p}" for p in sorted(before.keys() - after.keys())]
    changes += [
        f"changed {p}" for p in sorted(before.keys() & after.keys()) if before[p] != after[p]
    ]
    if len(changes) > 20:
        changes = [*changes[:20], f"… and {len(changes) - 20} more"]
    return changes


@pytest.fixture(scope="session", autouse=True)
def inputs_stay_untouched() -> Iterator[None]:
    """Fail the session if a test wrote into the corpora or the repository."""
    corpora = corpora_fingerprint() if CORPORA.is_dir() else {}
    repository = repository_fingerprint()
    yield
    problems = []
    if changes := differences(corpora, corpora_fingerprint() if CORPORA.is_dir() else {}):
        problems.append(f"the corpora under {CORPORA} changed: " + "; ".join(changes))
    if changes := differences(repository, repository_fingerprint()):
        problems.append("the repository changed: " + "; ".join(changes))
    if problems:
        pytest.fail("Tests must not write into their inputs.\n" + "\n".join(problems))
