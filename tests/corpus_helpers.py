"""Shared helpers for the corpus and link-regression tests: locating the read-only corpora and
running `vaultbot check --format json` in-process."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import pytest

from vaultbot.cli import main

#: `../shared/corpora/` relative to the repository root (a copy of `shared/` sits beside the
#: repository in CI).
CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"


def unavailable(reason: str) -> NoReturn:
    """Something a test needs is missing: fail in CI (`CI` set, as CI services do), where
    nothing may be skipped, and skip elsewhere."""
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        pytest.fail(reason)
    pytest.skip(reason)


def corpus_vault(name: str) -> Path:
    """The `vault/` folder of corpus `name`; fail in CI and skip elsewhere when it is missing."""
    vault = CORPORA / name / "vault"
    if not vault.is_dir():
        unavailable(
            f"corpus '{name}' not found at {vault} "
            "(expected ../shared/corpora/ beside the repository)"
        )
    return vault


def run_check(vault: Path, output: Path, *args: str) -> tuple[int, dict[str, Any]]:
    """Run `vaultbot check --format json` over the whole of `vault` with the vault as current
    directory (so every finding's `path` is vault-relative) and return (exit code, report).

    With `--no-cache`, checking only reads the notes, so `vault` may be a read-only corpus
    (the session guard of `tests/_guards.py` fails the run if a corpus changed).
    """
    argv: Sequence[str] = (
        "check",
        "--no-cache",
        "--format",
        "json",
        "--vault-root",
        ".",
        "--output",
        str(output),
        *args,
        ".",
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(vault)
        code = main(argv)
    report = json.loads(output.read_text(encoding="utf-8")) if output.exists() else {}
    return code, report
