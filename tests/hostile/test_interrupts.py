"""Issue 10 (and 14): Ctrl-C stops the run, every finished note is counted, the run exits 130;
workers die with their parent. Real signals to a real `vaultbot` process."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

ANCHOR = '<a class="yt-timestamp" data-t="{}">[{}]</a>'
HEAD = "---\ntitle: T\nvideoId: abcdefghijk\n---\n\nFrom: [[n0000]]\n\n"
NOTE = (
    HEAD + "Here is the modified article with inserted backlinks:\n\n"
    "Text " + ANCHOR.format("00:01:00", "00:01:00") + " and [00:02:00].\n"
)
FIXED = (
    HEAD + "Text " + ANCHOR.format("00:01:00", "00:01:00") + " and "
    + ANCHOR.format("00:02:00", "00:02:00") + ".\n"
)  # fmt: skip
FIXES_PER_NOTE = 2  # the editorial line and the bare timestamp
FILLER = ("A paragraph of ordinary prose about the episode. " * 40 + "\n\n") * 20
COUNT = 3000
VAULTBOT = str(Path(sys.executable).parent / "vaultbot")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("big") / "vault"
    (root / ".obsidian").mkdir(parents=True)
    for i in range(COUNT):
        (root / f"n{i:04d}.md").write_text(NOTE + FILLER)
    return root


@pytest.fixture
def vault(template: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(template, tmp_path / "vault"))


def start(vault: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [VAULTBOT, *args, "--jobs", "2"], cwd=vault, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def fixed_on_disk(vault: Path) -> int:
    states = [p.read_text() for p in vault.glob("n*.md")]
    assert all(s in (NOTE + FILLER, FIXED + FILLER) for s in states)  # old or new, never a mix
    return sum(s == FIXED + FILLER for s in states)


def wait_for(condition: Callable[[], bool], proc: subprocess.Popen[str]) -> None:
    """Wait (a generous hang guard, not a speed target) until `condition` holds."""
    deadline = time.monotonic() + 120
    while not condition():
        assert proc.poll() is None, "the run ended before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.02)


def some_note_fixed(vault: Path) -> Callable[[], bool]:
    notes = [vault / f"n{i:04d}.md" for i in range(0, COUNT, 100)]
    return lambda: any(p.read_text(errors="replace").startswith(FIXED[:80]) for p in notes)


def proc_stat(pid: int | str) -> list[str]:
    """The fields of /proc/PID/stat after the command name (state, ppid, …), or []."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return []


def children(pid: int) -> list[int]:
    pids = (entry.name for entry in Path("/proc").iterdir() if entry.name.isdigit())
    return [int(child) for child in pids if proc_stat(child)[1:2] == [str(pid)]]


def cpu_ticks(pids: list[int]) -> int:
    """User and system CPU time the processes used so far, in clock ticks."""
    return sum(int(f[11]) + int(f[12]) for f in map(proc_stat, pids) if f)


def alive(pid: int) -> bool:
    return proc_stat(pid)[:1] not in ([], ["Z"])


def test_ctrl_c_stops_clean_and_counts_the_notes_written(vault: Path) -> None:
    proc = start(vault, "clean", ".")
    wait_for(some_note_fixed(vault), proc)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    written = fixed_on_disk(vault)
    assert proc.returncode == 130, err[-500:]
    assert 0 < written < COUNT  # the pool stopped taking notes
    assert f"({written} written)" in out and f"of {COUNT} notes" in out
    assert not list(vault.glob(".*.vaultbot.tmp"))


def test_ctrl_c_stops_fix_and_counts_what_was_written(vault: Path) -> None:
    proc = start(vault, "fix", ".")
    wait_for(some_note_fixed(vault), proc)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    written = fixed_on_disk(vault)
    assert proc.returncode == 130, err[-500:]
    assert 0 < written < COUNT
    fixes = FIXES_PER_NOTE * written
    assert f"Fixed {fixes} issues in {written} notes" in out
    assert f"({written} notes written)" in err and f"of {COUNT} notes" in err


def test_ctrl_c_stops_check_and_reports_every_note_checked(vault: Path) -> None:
    for path in vault.glob("n*.md"):  # heavier notes: the check must still be running
        path.write_text(NOTE + FILLER * 4)
    proc = start(vault, "check", "--no-cache", "--format", "json", ".")
    wait_for(lambda: cpu_ticks(children(proc.pid)) >= 50, proc)  # the workers are at it
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err[-500:]
    document = json.loads(out)
    checked = document["summary"]["notes_checked"]
    assert 0 < checked < COUNT
    per_note = 2  # ED001 and TS003 in every note; no note half-reported or dropped
    assert document["summary"]["findings"] == per_note * checked
    assert f"interrupted after {checked} of {COUNT} notes" in err


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_with_their_parent(vault: Path) -> None:
    proc = start(vault, "fix", ".")
    wait_for(some_note_fixed(vault), proc)
    workers = children(proc.pid)
    assert workers
    proc.kill()  # SIGKILL: no chance to clean up
    proc.wait(timeout=60)  # not communicate(): workers that live on hold its pipes open
    before = written_by_size(vault)
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not any(alive(pid) for pid in workers)
    time.sleep(0.5)
    # At most the notes in hand when the parent died (one a worker) may still have landed.
    assert written_by_size(vault) - before <= len(workers)
    assert fixed_on_disk(vault) < COUNT
    proc.communicate(timeout=60)


def written_by_size(vault: Path) -> int:
    """Fixed notes, counted fast (by size: a fixed note is shorter) while workers may run."""
    size = len((FIXED + FILLER).encode())
    return sum(1 for e in os.scandir(vault) if e.name.endswith(".md") and e.stat().st_size == size)
