"""Hostile names and files end to end (task PATHS): a note name that is not UTF-8, reports that
cannot be written, stubs on a full disk, a symbolic link loop.

The CLI runs as a user runs it: in a subprocess, with a UTF-8 locale whose standard streams
refuse what is not UTF-8 (`PYTHONIOENCODING=utf-8:strict`, as `en_US.UTF-8` gives), or under
a file size limit (`RLIMIT_FSIZE`, the full disk of a test).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote_to_bytes

import pytest

#: A note name holding a byte that is not UTF-8 (Latin-1 `é`), as an old archive unpacks it.
LATIN1 = b"caf\xe9.md"
BAD_NOTE = b"# Note\n\nSee [[Nowhere]].\n"


def vaultbot(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[bytes]:
    """The real CLI in a subprocess, its streams strict UTF-8 unless `env` says otherwise."""
    full = {**os.environ, "PYTHONIOENCODING": "utf-8:strict", **env}
    full.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [sys.executable, "-m", "vaultbot", *args], cwd=cwd, env=full, capture_output=True
    )


@pytest.fixture
def latin1_vault(tmp_path: Path) -> Path:
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / os.fsdecode(LATIN1)).write_bytes(BAD_NOTE)
    (vault / "ok.md").write_bytes(BAD_NOTE)
    return vault


@pytest.mark.parametrize("fmt", ["text", "concise", "github", "json", "sarif"])
def test_a_name_that_is_not_utf8_is_reported_in_every_format(latin1_vault: Path, fmt: str) -> None:
    """Every format, on standard output and into a file, names the note without a traceback:
    people read `caf\\xe9.md` (as git quotes it); JSON and SARIF keep the exact name."""
    for to_file in (False, True):
        out = latin1_vault.parent / f"report.{fmt}"
        args = ["check", "--no-cache", "--format", fmt, *(["-o", str(out)] if to_file else [])]
        done = vaultbot(latin1_vault, *args)
        assert done.returncode == 1, done.stderr.decode(errors="replace")
        assert done.stderr == b""
        data = out.read_bytes() if to_file else done.stdout
        text = data.decode("utf-8")  # valid UTF-8 whatever the name
        if fmt == "json":
            paths = {f["path"] for f in json.loads(text)["findings"]}
            assert {os.fsencode(p) for p in paths} == {LATIN1, b"ok.md"}
        elif fmt == "sarif":
            results = json.loads(text)["runs"][0]["results"]
            uris = [
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results
            ]
            assert sorted(uris) == ["caf%E9.md", "ok.md"]
            assert {unquote_to_bytes(uri) for uri in uris} == {LATIN1, b"ok.md"}
        else:
            assert "caf\\xe9.md" in text


def test_a_name_that_is_not_utf8_in_the_sarif_summary_and_counts_of_the_action(
    latin1_vault: Path,
) -> None:
    """The Action's check step writes all three beside the annotations."""
    sarif, summary, counts = (latin1_vault.parent / n for n in ("s.sarif", "sum.md", "out.txt"))
    done = vaultbot(
        latin1_vault, "check", "--no-cache", "--format", "github", "--sarif", str(sarif),
        "--summary", str(summary), "--counts", str(counts),
    )  # fmt: skip
    assert done.returncode == 1 and done.stderr == b"", done.stderr
    assert "caf%E9.md" in sarif.read_text(encoding="utf-8")
    assert "caf\\xe9.md" in summary.read_text(encoding="utf-8")
    assert "findings=2" in counts.read_text(encoding="utf-8")


def test_a_name_that_is_not_utf8_in_clean_and_its_html_report(latin1_vault: Path) -> None:
    report = latin1_vault.parent / "report.html"
    done = vaultbot(latin1_vault, "clean", "--dry-run", "--report", str(report), ".")
    assert done.returncode == 1 and b"Traceback" not in done.stderr, done.stderr
    assert "caf\\xe9.md" in done.stdout.decode("utf-8")
    assert "caf\\xe9.md" in report.read_text(encoding="utf-8")


def test_a_baseline_keeps_a_name_that_is_not_utf8(latin1_vault: Path) -> None:
    baseline = latin1_vault.parent / "baseline.json"
    written = vaultbot(latin1_vault, "check", "--no-cache", "--baseline", str(baseline),
                       "--write-baseline")  # fmt: skip
    assert written.returncode == 0, written.stderr
    assert {os.fsencode(f["path"]) for f in json.loads(baseline.read_text())["findings"]} == {
        LATIN1,
        b"ok.md",
    }
    again = vaultbot(latin1_vault, "check", "--no-cache", "--baseline", str(baseline))
    assert again.returncode == 0 and b"no new findings" in again.stdout
