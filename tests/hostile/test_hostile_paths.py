"""Hostile names and files end to end (task PATHS): a note name that is not UTF-8, reports that
cannot be written, stubs on a full disk, a symbolic link loop.

The CLI runs as a user runs it: in a subprocess, with a UTF-8 locale whose standard streams
refuse what is not UTF-8 (`PYTHONIOENCODING=utf-8:strict`, as `en_US.UTF-8` gives), or under
a file size limit (`RLIMIT_FSIZE`, the full disk of a test).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote_to_bytes

import pytest
from conftest import generated_config

#: A note name holding a byte that is not UTF-8 (Latin-1 `é`), as an old archive unpacks it.
LATIN1 = b"caf\xe9.md"
BAD_NOTE = b"# Note\n\nSee [[Nowhere]].\n"
#: A note with a safe fix (the timestamp's label is written `00:05:52`).
SLOPPY = '# Note\n\nAt <a class="yt-timestamp" data-t="00:05:52">[00:5:52]</a>.\n'


def vaultbot(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[bytes]:
    """The real CLI in a subprocess, its streams strict UTF-8 unless `env` says otherwise
    (and off GitHub Actions unless it says `GITHUB_ACTIONS`)."""
    full = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    full = {**full, "PYTHONIOENCODING": "utf-8:strict", **env}
    return subprocess.run(
        [sys.executable, "-m", "vaultbot", *args], cwd=cwd, env=full, capture_output=True
    )


@pytest.fixture
def latin1_vault(tmp_path: Path) -> Path:
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / os.fsdecode(LATIN1)).write_bytes(BAD_NOTE)
    (vault / "ok.md").write_bytes(BAD_NOTE)
    generated_config(tmp_path)  # [[Nowhere]] is missing (LK001)
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


# -- a full disk: RLIMIT_FSIZE makes every write past the limit fail (EFBIG) -----------------


def limited(size: int) -> Callable[[], None]:
    """A `preexec_fn` limiting the files the process writes to `size` bytes."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


def test_reports_that_cannot_be_written_are_one_line_errors_each(latin1_vault: Path) -> None:
    """SARIF, the job summary, the counts and the `--output` report each fail on a full disk:
    each is an error line naming its file, the run goes on (the findings are still reported on
    standard output when `--output` is not given) and exits 2."""
    out = latin1_vault.parent
    names = {"sarif": out / "s.sarif", "summary": out / "sum.md", "counts": out / "out.txt"}
    args = [f"--{option}={path}" for option, path in names.items()]
    done = subprocess.run(
        [sys.executable, "-m", "vaultbot", "check", "--no-cache", "--format", "concise", *args],
        cwd=latin1_vault, capture_output=True, text=True, preexec_fn=limited(10),
    )  # fmt: skip
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        f"vaultbot: error: {path}: cannot write (File too large)" for path in names.values()
    ]
    assert "ok.md:3:" in done.stdout  # the findings are still shown
    report = out / "report.txt"
    done = subprocess.run(
        [sys.executable, "-m", "vaultbot", "check", "--no-cache", "-o", str(report)],
        cwd=latin1_vault, capture_output=True, text=True, preexec_fn=limited(10),
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (
        2, f"vaultbot: error: {report}: cannot write (File too large)\n"
    )  # fmt: skip


def test_a_clean_report_that_cannot_be_written_is_one_line_error(latin1_vault: Path) -> None:
    report = latin1_vault.parent / "report.html"
    done = subprocess.run(
        [sys.executable, "-m", "vaultbot", "clean", "--dry-run", "--report", str(report), "."],
        cwd=latin1_vault, capture_output=True, text=True, preexec_fn=limited(100),
    )  # fmt: skip
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert f"vaultbot: error: {report}: cannot write (File too large)" in done.stderr
    assert "Report written" not in done.stdout


def test_a_stub_that_cannot_be_written_is_not_left_behind(tmp_path: Path) -> None:
    """A stub whose write fails (the disk is full) is removed: an empty or cut stub would be
    a note that satisfies the link it was made for."""
    from vaultbot.fixes import create_note

    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    stub = tmp_path / "Missing Topic.md"
    resource.setrlimit(resource.RLIMIT_FSIZE, (8, hard))
    try:
        with pytest.raises(OSError):
            create_note(stub, "# Missing Topic\n\nA stub.\n", tmp_path)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    assert not stub.exists()


def test_a_baseline_that_cannot_be_written_is_one_line_error(latin1_vault: Path) -> None:
    baseline = latin1_vault.parent / "baseline.json"
    done = subprocess.run(
        [sys.executable, "-m", "vaultbot", "check", "--no-cache", "--baseline", str(baseline),
         "--write-baseline"],
        cwd=latin1_vault, capture_output=True, text=True, preexec_fn=limited(10),
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (
        2, f"vaultbot: error: {baseline}: cannot write (File too large)\n"
    )  # fmt: skip


@pytest.mark.parametrize("stem", ["L" * 250, "é" * 126, "a" + "é" * 125])
def test_a_note_with_a_name_near_the_longest_is_fixed(tmp_path: Path, stem: str) -> None:
    """A name of up to 255 bytes is a note like any other: its temporary file (named after
    it, in its folder) must fit in 255 bytes too, or the note could never be fixed (`File name
    too long`)."""
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    name = stem + ".md"
    assert len(os.fsencode(name)) <= 255
    note = vault / name
    note.write_text(SLOPPY, encoding="utf-8")
    done = vaultbot(vault, "fix")
    assert done.returncode == 1 and done.stderr == b"", done.stderr
    assert note.read_text(encoding="utf-8") == SLOPPY.replace("00:5:52", "00:05:52")
    assert sorted(p.name for p in vault.iterdir()) == sorted([".obsidian", name])


def test_the_cache_on_a_full_disk_leaves_no_cut_gitignore(latin1_vault: Path) -> None:
    """The cache's `.gitignore` (`*`) is created once; cut short by a full disk it ignored
    nothing, for good, and the cache files showed up in `git status`."""
    args = [sys.executable, "-m", "vaultbot", "check", "--format", "concise"]
    assert subprocess.run(args, cwd=latin1_vault, capture_output=True).returncode == 1
    shutil.rmtree(latin1_vault / ".vaultbot_cache")  # the user's key is made: a cache anew
    done = subprocess.run(args, cwd=latin1_vault, capture_output=True, preexec_fn=limited(20))
    assert done.returncode == 1 and b"Traceback" not in done.stderr, done.stderr
    ignore = latin1_vault / ".vaultbot_cache" / ".gitignore"
    assert not ignore.exists()  # a cache that cannot be written only costs speed
    assert subprocess.run(args, cwd=latin1_vault, capture_output=True).returncode == 1
    assert ignore.read_text() == "# Created by vaultbot\n*\n"


def test_on_github_a_note_linking_outside_the_vault_is_not_read(tmp_path: Path) -> None:
    """A pull request can add `x.md -> /proc/self/environ` (or any file of the runner): under
    GitHub Actions its text must not reach the annotations and reports, which are public. A
    link inside the vault is read as ever, and so is the outside one off GitHub (a person's
    own symlinked notes)."""
    secret = tmp_path / "runner" / "secret.md"
    secret.parent.mkdir()
    secret.write_text("token [[SECRET-TOKEN-123]]\n", encoding="utf-8")
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    generated_config(tmp_path)  # every missing link reported, the secret's too
    (vault / "real.md").write_text("# Real\n\nSee [[Nowhere]].\n", encoding="utf-8")
    (vault / "leak.md").symlink_to(secret)
    (vault / "inside.md").symlink_to(vault / "real.md")
    args = ("check", "--no-cache", "--format", "json", "--exit-zero", ".")

    on_github = vaultbot(vault, *args, GITHUB_ACTIONS="true")
    assert on_github.returncode == 2, on_github.stderr
    assert b"SECRET-TOKEN" not in on_github.stdout + on_github.stderr
    assert (
        b"error: leak.md: a symbolic link to outside the vault, not read on GitHub"
        in on_github.stderr
    )
    found = json.loads(on_github.stdout)["findings"]
    assert sorted(f["path"] for f in found) == ["inside.md", "real.md"]

    local = vaultbot(vault, *args)
    assert local.returncode == 0, local.stderr
    assert "SECRET-TOKEN-123" in {
        f["message"].split("'")[1] for f in json.loads(local.stdout)["findings"]
    }
