"""Shared fixtures: tiny vaults in temporary folders, and running the real CLI on them."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any, Protocol

import pytest

from vaultbot.cli import main

#: Session guards: no test may write into the corpora or the repository.
pytest_plugins = ["_guards"]

#: The config of a vault that says it is an LLM pipeline's output (vaultbot.profile). Most tests
#: are about what a rule reports in a generated vault, and their tiny vaults bear no generator
#: signals, so a person's vault is what detection would find: such a vault says what it is.
GENERATED = 'profile = "generated"\n'


class VaultFactory(Protocol):
    def __call__(self, files: dict[str, str | bytes], profile: str = "generated") -> Path: ...


def write_vault(root: Path, files: dict[str, str | bytes]) -> Path:
    """Create a vault (with `.obsidian/`) holding `files` (text is written as UTF-8, as is)."""
    (root / ".obsidian").mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))
    return root


def generated_config(folder: Path) -> Path:
    """Say that the vault in or below `folder` is generated: a `vaultbot.toml` in `folder`
    (config is found from the vault root upwards; a nearer one wins)."""
    config = folder / "vaultbot.toml"
    config.write_text(GENERATED, encoding="utf-8")
    return config


@pytest.fixture
def make_vault(tmp_path: Path) -> VaultFactory:
    """`make_vault(files)`: a vault in `tmp_path / "vault"`, generated as the rule tests
    expect: a `generated_config` beside it, in `tmp_path` (a config in the vault wins). With
    `profile="auto"` detection chooses, as a test of detection or of a person's vault wants."""

    def factory(files: dict[str, str | bytes], profile: str = "generated") -> Path:
        root = write_vault(tmp_path / "vault", files)
        if profile == "generated":
            generated_config(tmp_path)
        elif profile != "auto":
            raise ValueError(f'make_vault: profile {profile!r} ("generated" or "auto")')
        return root

    return factory


def run(cwd: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the CLI with `cwd` as current folder: (exit code, stdout, stderr)."""
    with pytest.MonkeyPatch.context() as m:
        m.chdir(cwd)
        code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def refuse_listing(monkeypatch: pytest.MonkeyPatch, folder: str) -> None:
    """Make listing a folder named `folder` fail as it fails for a user without the right
    to read it (root, who runs the tests here, lists anything)."""
    real = os.scandir

    def denied(path: str | os.PathLike[str] = ".") -> object:
        if os.fspath(path).endswith(folder):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", denied)


def check_json(
    vault: Path, *args: str, monkeypatch: pytest.MonkeyPatch | None = None, cache: bool = False
) -> tuple[int, dict[str, Any]]:
    """Run `vaultbot check --format json` from inside `vault`; return (exit code, document).

    Without `cache`, the run neither reads nor writes `.vaultbot_cache/` (fixture folders
    live in the repository)."""
    if not cache:
        args = ("--no-cache", *args)
    out = Path(tempfile.mkdtemp()) / "report.json"
    mp = monkeypatch or pytest.MonkeyPatch()
    with mp.context() as m:
        m.chdir(vault)
        code = main(["check", "--format", "json", "--output", str(out), *args])
    return code, json.loads(out.read_text(encoding="utf-8"))


def findings(vault: Path, *args: str) -> list[tuple[str, int, str]]:
    """(path, line, code) of every finding of a check over `vault`."""
    _, document = check_json(vault, *args)
    return [(f["path"], f["line"], f["code"]) for f in document["findings"]]


# -- hook environments: built once a session, in the background ------------------------------
#
# pre-commit's hook environment and the Action's venv each pip-install vaultbot (about 15 s).
# They are built once per session (pre-commit keys an environment by repository and rev, so one
# PRE_COMMIT_HOME serves every test; `pre-commit try-repo` would build a new one each run), and
# started as soon as collection is done by the `warm_up()` of the test modules that need them,
# so that they build while other tests run.

ROOT = Path(__file__).resolve().parents[1]


def cache_document(path: Path) -> Any:
    """A cache file's document, read as vaultbot reads it (signed with the session's key)."""
    from vaultbot import cache

    return cache.read_document(path, cache.user_key())


def write_cache_document(path: Path, document: Any) -> None:
    """Write a cache file as this user's vaultbot would: signed with the session's key."""
    from vaultbot import cache

    cache.write_document(path, document, cache.user_key())


#: A cache entry's findings when there are none (`engine.LinesReport`): written over an entry,
#: a run that trusts it reports nothing for the note.
NO_FINDINGS: dict[str, Any] = {"j": "", "k": []}


def poison(vault: Path, rel: str) -> None:
    """Empty the cached findings of `rel` in the vault's cache file (signed: as if vaultbot
    wrote it): a run that reads the entry reports nothing for the note."""
    from vaultbot import cache

    [path] = sorted((vault / cache.CACHE_DIR).glob("check-*" + cache.SUFFIX))
    document = cache_document(path)
    document["entries"][rel].update(NO_FINDINGS)
    write_cache_document(path, document)


_BACKGROUND: dict[str, subprocess.Popen[str]] = {}


@functools.cache
def session_dir() -> Path:
    """A temporary folder for the session's shared resources (removed when it ends)."""
    return Path(tempfile.mkdtemp(prefix="vaultbot-tests-"))


def pytest_configure(config: pytest.Config) -> None:
    """The key that signs cache files (`vaultbot.cache.user_key`) is the session's, never the
    user's: set for this process and every command it runs."""
    os.environ["XDG_CACHE_HOME"] = str(session_dir() / "xdg-cache")


def start(name: str, args: list[str], **options: Any) -> None:
    """Start the command `name` in the background, once a session."""
    if name not in _BACKGROUND:
        _BACKGROUND[name] = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **options
        )


def finish(name: str) -> str:
    """Wait for the background command `name`; its output. Fail if it failed."""
    process = _BACKGROUND[name]
    output, _ = process.communicate()
    assert process.returncode == 0, f"{name} failed:\n{output}"
    return output


def pytest_collection_finish(session: pytest.Session) -> None:
    """Call `warm_up(fixtures)` of each test module, with the fixtures its chosen tests use."""
    used: dict[Any, set[str]] = {}
    for item in session.items:
        module = getattr(item, "module", None)
        used.setdefault(module, set()).update(getattr(item, "fixturenames", ()))
    for module, fixtures in used.items():
        warm_up = getattr(module, "warm_up", None)
        if callable(warm_up):
            warm_up(fixtures)


def pytest_sessionfinish(session: pytest.Session) -> None:
    for process in _BACKGROUND.values():
        if process.poll() is None:  # not needed after all (a test failed, or -x)
            process.kill()
            process.communicate()
    if session_dir.cache_info().currsize:
        shutil.rmtree(session_dir(), ignore_errors=True)


@functools.cache
def snapshot_repo() -> Path:
    """This work tree as a repository to install from: its tracked and untracked (not
    ignored) files in one commit, tagged `v<version>` as a release is."""
    from gitrepo import git

    from vaultbot import __version__

    snapshot = session_dir() / "vaultbot"
    # mutmut runs the tests from a copy in `mutants/` (git-ignored, its package mutated and
    # importing mutmut): the snapshot is then of the work tree around it, as it is.
    top = Path(
        subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=ROOT, capture_output=True, check=True
        )
        .stdout.decode()
        .removesuffix("\n")
    )
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=top, capture_output=True, check=True,
    ).stdout  # fmt: skip
    for name in filter(None, listed.decode().split("\0")):
        source, target = top / name, snapshot / name
        if source.is_symlink() or source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target, follow_symlinks=False)
    git(snapshot, "init", "-q", "-b", "main")
    git(snapshot, "add", "-A")
    git(snapshot, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "snapshot")
    git(snapshot, "tag", f"v{__version__}")
    return snapshot


def pre_commit_store() -> Path:
    return session_dir() / "pre-commit-home"


@pytest.fixture(scope="session")
def pre_commit_home() -> Path:
    """The session's one pre-commit store (PRE_COMMIT_HOME)."""
    return pre_commit_store()
