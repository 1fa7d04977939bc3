"""`vaultbot.engine.run`: notes checked and fixed in this process or in a pool of workers.

The pool is used from `PARALLEL_THRESHOLD` notes on; these tests lower it so that a few notes
run through the real pool (forked workers), and say which process checked each note.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import VaultFactory, check_json, generated_config, run
from gitrepo import git, make_repo, write

from vaultbot import engine, fixes
from vaultbot.config import Config
from vaultbot.note import Note
from vaultbot.rules import Edit, Finding, Fix, Rule
from vaultbot.vault import Vault

ANCHOR = '<a class="yt-timestamp" data-t="{}">[{}]</a>'
SLOPPY = "# Note\n\nAt " + ANCHOR.format("00:5:52", "00:05:52") + ".\n"
NOTES = [f"n{i}.md" for i in range(6)]


class _Pid(Rule):
    """Says which process checked the note.

    ## What it does
    ## Why is this bad?
    ## Example
    ## Fix safety
    """

    code, name, severity = "ZZ003", "pid", "info"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        yield self.finding(0, 1, f"{os.getpid()} {engine._parent}")


class _Held(Rule):
    """Holds each note whose name starts with `held` until a `release` file appears beside it
    (at most 10 s), then leaves a `NAME.done` file.

    ## What it does
    ## Why is this bad?
    ## Example
    ## Fix safety
    """

    code, name, severity = "ZZ006", "held", "info"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        if note.rel.startswith("held"):
            release = vault.root / "release"
            for _ in range(100):
                if release.exists():
                    break
                time.sleep(0.1)
            (vault.root / f"{note.rel}.done").touch()
        yield from ()


@pytest.fixture
def vault(make_vault: VaultFactory) -> Path:
    return make_vault({rel: f"Note {rel}\n" for rel in NOTES})


def check(root: Path, rels: list[str], jobs: int, **options: object) -> engine.Report:
    job = engine.Job(Vault.scan(root), [_Pid()], root)
    return engine.run(job, rels, jobs=jobs, **options)  # type: ignore[arg-type]


def checked_by(report: engine.Report) -> list[int]:
    """The process that checked each note."""
    return [int(note.results[0].message.split()[0]) for note in report.notes]


def test_the_pool_checks_in_workers_and_keeps_the_order(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "PARALLEL_THRESHOLD", len(NOTES))
    seen: list[str] = []
    workers: list[int] = []

    def progress(note: engine.NoteReport) -> None:
        seen.append(note.rel)
        workers.append(len(multiprocessing.active_children()))

    report = check(vault, NOTES, 3, progress=progress)
    assert [note.rel for note in report.notes] == NOTES == seen
    assert workers == [3] * len(NOTES)  # `jobs` workers
    # Up to 16 notes make one chunk: one worker checks them all (and watches this process).
    [worker] = {note.results[0].message for note in report.notes}
    assert worker != str(os.getpid()) and worker.endswith(f" {os.getpid()}")
    assert (report.planned, report.interrupted, report.all_errors) == (len(NOTES), False, [])
    assert [(r.path, r.line, r.column, r.code) for r in report.results] == [
        (rel, 1, 1, "ZZ003") for rel in NOTES
    ]
    assert engine._job is None and engine._stop is None


@pytest.mark.parametrize(("notes", "jobs"), [(NOTES[:5], 2), (NOTES, 1)])
def test_few_notes_or_one_job_stay_in_this_process(
    vault: Path, monkeypatch: pytest.MonkeyPatch, notes: list[str], jobs: int
) -> None:
    monkeypatch.setattr(engine, "PARALLEL_THRESHOLD", len(NOTES))
    report = check(vault, notes, jobs)
    assert [note.rel for note in report.notes] == notes
    assert set(checked_by(report)) == {os.getpid()}


def test_the_pool_fixes_notes_and_reports_errors(
    make_vault: VaultFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers write the fixed notes; a note that cannot be read is an error of its own."""
    monkeypatch.setattr(engine, "PARALLEL_THRESHOLD", 2)
    root = make_vault({"a.md": SLOPPY, "b.md": b"\xff\xfe not UTF-8\n", "c.md": SLOPPY})
    vault = Vault.scan(root)
    job = engine.Job(vault, Config().rules(), root, fix=True)
    report = engine.run(job, ["a.md", "b.md", "c.md"], jobs=2)
    assert [note.rel for note in report.notes] == ["a.md", "b.md", "c.md"]
    fixed = SLOPPY.replace("00:5:52", "00:05:52")
    assert (root / "a.md").read_text() == (root / "c.md").read_text() == fixed
    assert [dict(note.fixed) for note in report.notes] == [{"TS001": 1}, {}, {"TS001": 1}]
    [error] = report.all_errors
    assert error.startswith("b.md: ")
    assert report.writes


def test_many_notes_in_many_chunks(
    make_vault: VaultFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "PARALLEL_THRESHOLD", 2)
    rels = [f"n{i:03d}.md" for i in range(300)]  # chunks of 300 // (2 * 8) = 18 notes
    root = make_vault(dict.fromkeys(rels, "x\n"))
    report = check(root, rels, 2)
    assert [note.rel for note in report.notes] == rels
    assert os.getpid() not in checked_by(report)


def test_an_error_in_the_parent_stops_the_workers(
    make_vault: VaultFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first chunk of notes comes back and the progress display raises: the worker
    holding the second chunk is stopped at once, not waited for."""
    monkeypatch.setattr(engine, "PARALLEL_THRESHOLD", 2)
    rels = [f"fast{i:02d}.md" for i in range(16)] + ["held.md"]
    root = make_vault(dict.fromkeys(rels, "x\n"))
    job = engine.Job(Vault.scan(root), [_Held()], root)

    def fail(note: engine.NoteReport) -> None:
        raise RuntimeError("the display broke")

    previous = signal.getsignal(signal.SIGINT)
    with pytest.raises(RuntimeError, match="the display broke"):
        engine.run(job, rels, jobs=2, progress=fail)
    assert multiprocessing.active_children() == []  # terminated and joined
    (root / "release").touch()
    assert not list(root.glob("*.done"))
    assert engine._job is None and engine._stop is None
    assert signal.getsignal(signal.SIGINT) is previous


def interrupt(times: int) -> None:
    for _ in range(times):
        os.kill(os.getpid(), signal.SIGINT)


def test_ctrl_c_finishes_the_note_in_hand(vault: Path) -> None:
    """One Ctrl-C: the note in hand is finished, the rest are not started."""
    seen: list[str] = []

    def progress(note: engine.NoteReport) -> None:
        seen.append(note.rel)
        if len(seen) == 2:
            interrupt(1)

    previous = signal.getsignal(signal.SIGINT)
    report = check(vault, NOTES, 1, progress=progress)
    assert [note.rel for note in report.notes] == NOTES[:2] == seen
    assert report.interrupted and report.planned == len(NOTES)
    assert signal.getsignal(signal.SIGINT) is previous


def test_ctrl_c_twice_stops_the_pool(vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "PARALLEL_THRESHOLD", 2)
    seen: list[str] = []

    def progress(note: engine.NoteReport) -> None:
        seen.append(note.rel)
        interrupt(2)

    report = check(vault, NOTES, 2, progress=progress)
    assert [note.rel for note in report.notes] == NOTES[:1] == seen
    assert report.interrupted
    assert multiprocessing.active_children() == []


def test_after_ctrl_c_the_notes_left_are_skipped(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a worker does once the parent has told it to stop: take no new note."""
    monkeypatch.setattr(engine, "_job", engine.Job(Vault.scan(vault), [_Pid()], vault))
    stop = multiprocessing.get_context("fork").Event()
    monkeypatch.setattr(engine, "_stop", stop)
    assert engine._process("n0.md") is not None
    stop.set()
    assert engine._process("n0.md") is None


def test_a_worker_whose_parent_is_gone_takes_no_note(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "_parent", os.getppid() + 1)
    assert check(vault, NOTES, 1).notes == []
    monkeypatch.setattr(engine, "_parent", os.getppid())
    assert len(check(vault, NOTES, 1).notes) == len(NOTES)


def test_run_outside_the_main_thread(vault: Path) -> None:
    """Ctrl-C is not a thread's to handle: the run goes on without a handler."""
    reports: list[engine.Report] = []
    thread = threading.Thread(target=lambda: reports.append(check(vault, NOTES, 1)))
    thread.start()
    thread.join()
    [report] = reports
    assert [note.rel for note in report.notes] == NOTES and not report.interrupted


def _death_signal(value: int | None = None) -> int:
    """This process's parent-death signal (Linux), after setting it to `value` if given."""
    libc = ctypes.CDLL(None, use_errno=True)
    if value is not None:
        libc.prctl(1, value)  # PR_SET_PDEATHSIG
    death = ctypes.c_int(0)
    libc.prctl(2, ctypes.byref(death))  # PR_GET_PDEATHSIG
    return death.value


def _worker_state() -> tuple[object, int | None, int]:
    """In a worker: its SIGINT handler, the parent it watches, its parent-death signal."""
    death = _death_signal() if sys.platform.startswith("linux") else 0
    return signal.getsignal(signal.SIGINT), engine._parent, death


def test_workers_leave_ctrl_c_to_the_parent_and_die_with_it() -> None:
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(1, initializer=engine._init_worker, initargs=(os.getpid(),)) as pool:
        handler, parent, death = pool.apply(_worker_state)
    assert handler == signal.SIG_IGN and parent == os.getpid()
    if sys.platform.startswith("linux"):
        assert death == signal.SIGKILL


def test_worker_setup_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same setup run here (as a worker's is, after the fork), then undone."""
    monkeypatch.setattr(engine, "_parent", None)
    previous = signal.getsignal(signal.SIGINT)
    linux = sys.platform.startswith("linux")
    try:
        engine._init_worker(os.getppid())
        state = _worker_state()
    finally:
        signal.signal(signal.SIGINT, previous)
        if linux:
            _death_signal(0)
    assert state == (signal.SIG_IGN, os.getppid(), signal.SIGKILL if linux else 0)


def test_a_worker_started_after_its_parent_died_exits() -> None:
    ctx = multiprocessing.get_context("fork")
    orphan = ctx.Process(target=engine._init_worker, args=(os.getpid() + 1,))
    orphan.start()
    orphan.join()
    assert orphan.exitcode == 1
    child = ctx.Process(target=engine._init_worker, args=(os.getpid(),))
    child.start()
    child.join()
    assert child.exitcode == 0


def test_results_travel_from_the_workers_whole() -> None:
    """Workers send results pickled by their values alone."""
    result = engine.Result(
        "n.md", 1, 2, 3, 4, "pid", "ZZ003", "info", "m", {"applicability": "safe"}, "src", 5, True
    )
    back = pickle.loads(pickle.dumps(result))
    assert back == result and type(back) is engine.Result


# -- what a result shows of its line ----------------------------------------------------------


@pytest.mark.parametrize(
    ("length", "column", "window"),
    [
        (300, 200, (0, 240, True)),  # near enough to the start: the window starts the line
        (300, 201, (160, 300, False)),  # else 40 characters before the finding
        (240, 1, (0, 240, False)),  # a line of exactly the window's size is not cut
        (241, 1, (0, 240, True)),
    ],
)
def test_source_window(length: int, column: int, window: tuple[int, int, bool]) -> None:
    line = "".join(chr(0x4E00 + i) for i in range(length))  # every character different
    note = Note("n.md", "first line\n" + line + "\nlast\n")
    first, last, cut = window
    assert engine.source_window(note, 2, column) == (line[first:last], first, cut)
    result = engine.to_result(note, _Pid().finding(11 + column - 1, 11 + column, "m"), "n.md")
    assert (result.source, result.source_start, result.source_cut) == (line[first:last], first, cut)


def test_note_folders(make_vault: VaultFactory) -> None:
    root = make_vault({"a/b/n.md": "x\n", "a/m.md": "x\n", "c/o.md": "x\n"})
    assert engine.note_folders(Vault.scan(root)) == [root, root / "a", root / "a/b", root / "c"]


# -- stubs ------------------------------------------------------------------------------------


def test_create_stubs_once_each_and_say_what_failed(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    root.mkdir()
    (root / "blocker").write_text("a file, not a folder")
    report = engine.Report(
        notes=[
            engine.NoteReport("a.md", creates={"X.md": "first\n", "../Out.md": "o\n"}),
            engine.NoteReport(
                "b.md", creates={"X.md": "second\n", "blocker/Z.md": "z\n", "sub/Y.md": "y\n"}
            ),
        ]
    )
    assert report.create_stubs(root) == [
        "Out.md: not created: the path leaves the vault",
        "blocker/Z.md: cannot create stub note (File exists)",  # mkdir of the folder
    ]
    assert (root / "X.md").read_text() == "first\n"
    assert (root / "sub" / "Y.md").read_text() == "y\n"
    assert not (tmp_path / "Out.md").exists()


# -- one note's outcome, shown relative to the current folder ------------------------------


class _Stub(Rule):
    """Asks for a stub note, and nothing else.

    ## What it does
    ## Why is this bad?
    ## Example
    ## Fix safety
    """

    code, name = "ZZ007", "stub"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        if not vault.by_name.get("stub.md"):
            yield self.finding(0, 1, "stub", Fix("safe", (), creates=(("Stub.md", "# S\n"),)))


class _Deep(Rule):
    """Nests too deeply.

    ## What it does
    ## Why is this bad?
    ## Example
    ## Fix safety
    """

    code, name = "ZZ008", "deep"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        raise RecursionError


class _Undecoded(Rule):
    """Offers a file name that is not UTF-8 as a note's new text.

    ## What it does
    ## Why is this bad?
    ## Example
    ## Fix safety
    """

    code, name = "ZZ009", "undecoded"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        if "old" in note.text:
            at = note.text.index("old")
            yield self.finding(at, at + 3, "old", Fix("safe", (Edit(at, at + 3, "caf\udce9"),)))


def test_a_fix_whose_text_cannot_be_written_is_left_out(make_vault: VaultFactory) -> None:
    """Whatever a rule offers, a fix holding text a UTF-8 note cannot hold (a file name that
    is not UTF-8) is never applied, and the run goes on to the other notes."""
    root = make_vault({"a.md": "An old word.\n", "b.md": SLOPPY})
    report = fix_from_outside(root, [_Undecoded(), *Config().rules()], ["a.md", "b.md"])
    assert not report.all_errors, report.all_errors
    assert (root / "a.md").read_text(encoding="utf-8") == "An old word.\n"
    assert [r.code for r in report.results if r.path.endswith("a.md")] == ["ZZ009"]
    assert (root / "b.md").read_text(encoding="utf-8") != SLOPPY  # fixed


def fix_from_outside(
    root: Path, rules: list[Rule], rels: list[str], diff: bool = False
) -> engine.Report:
    """A fix run over `rels` from the folder above the vault (paths shown as `vault/…`)."""
    job = engine.Job(Vault.scan(root), rules, root.parent, fix=True, diff=diff)
    return engine.run(job, rels, jobs=1)


def test_fix_reports_name_notes_as_shown(make_vault: VaultFactory, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text(SLOPPY)
    root = make_vault(
        {"a.md": SLOPPY + "[[Gone]]\n", "b.md": b"\xff\xfe not UTF-8\n", "r.md": SLOPPY}
    )
    (root / "r.md").chmod(0o444)
    (root / "l.md").symlink_to(outside)
    report = fix_from_outside(root, Config().rules(), ["a.md", "b.md", "r.md", "l.md"], diff=True)
    diff = report.notes[0].diff or ""
    [left] = report.notes[0].results  # what a fix leaves keeps its source window
    assert (left.code, left.source, left.source_start, left.source_cut) == (
        "LK001",
        "[[Gone]]",
        0,
        False,
    )
    assert diff.startswith("--- a/vault/a.md\n+++ b/vault/a.md\n")
    assert report.all_errors[0].startswith("vault/b.md: ")
    assert report.all_errors[1:] == [
        "vault/r.md: file is read-only; not written",
        "vault/l.md: not written: links outside the vault",
    ]
    assert outside.read_text() == SLOPPY


def test_a_failed_write_leaves_the_note_as_it_was(
    make_vault: VaultFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_vault({"w.md": SLOPPY})

    def full(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    [note] = fix_from_outside(root, Config().rules(), ["w.md"]).notes
    assert note.error == "vault/w.md: cannot write (No space left on device)"
    assert (note.changed, note.diff, dict(note.fixed), note.applied) == (False, None, {}, [])
    assert note.creates == {}
    assert [r.code for r in note.results] == [r.code for r in note.initial] == ["TS001"]
    assert (root / "w.md").read_text() == SLOPPY


@pytest.mark.parametrize("diff", [False, True])
def test_a_fixed_note_is_changed_and_has_its_diff_only_when_asked(
    make_vault: VaultFactory, diff: bool
) -> None:
    root = make_vault({"w.md": SLOPPY, "ok.md": "# Ok\n"})
    fixed, ok = fix_from_outside(root, Config().rules(), ["w.md", "ok.md"], diff=diff).notes
    after = (root / "w.md").read_text()
    assert after != SLOPPY and (fixed.changed, ok.changed) == (True, False)
    expected = fixes.unified_diff("vault/w.md", SLOPPY, after) if diff else None
    assert (fixed.diff, ok.diff) == (expected, None)


def test_a_fix_that_only_creates_a_note_does_not_rewrite_the_note(
    make_vault: VaultFactory,
) -> None:
    root = make_vault({"n.md": "text\n"})
    before = (root / "n.md").stat()
    [note] = fix_from_outside(root, [_Stub()], ["n.md"]).notes
    assert (note.creates, dict(note.fixed)) == ({"Stub.md": "# S\n"}, {"ZZ007": 1})
    assert (note.changed, note.diff) == (False, None)
    after = (root / "n.md").stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_note_nested_too_deeply(make_vault: VaultFactory) -> None:
    root = make_vault({"n.md": "text\n"})
    job = engine.Job(Vault.scan(root), [_Deep()], root.parent)
    [note] = engine.run(job, ["n.md"], jobs=1).notes
    assert note.error == "vault/n.md: note is nested too deeply to parse"


def test_plan_by_default_reads_the_disk_and_leaves_out_what_git_ignores(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {".obsidian/app.json": "{}", ".gitignore": "ignored.md\n", "a.md": "x\n"},
    )
    write(repo, {"ignored.md": "y\n", "new.md": "z\n"})  # new.md: not staged, still a note
    p = engine.plan([repo], None, None, (), (), {})
    assert (p.vault.root, sorted(p.notes), p.errors) == (repo, ["a.md", "new.md"], [])


def test_a_folder_that_cannot_be_listed(
    make_vault: VaultFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    """Below PATH_MAX (4096 bytes) nesting, a folder's path is too long to list: said, and
    the rest of the vault still checked."""
    root = make_vault({"a.md": "[[Gone]]\n"})
    fd = os.open(root, os.O_RDONLY)
    try:
        for _ in range(20):  # 20 folders of 250 characters
            os.mkdir("d" * 250, dir_fd=fd)
            inner = os.open("d" * 250, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
    finally:
        os.close(fd)
    code, out, err = run(root, capsys, "check", "--no-cache", "--format", "concise")
    assert code == 2
    [error] = err.splitlines()
    assert error.startswith("vaultbot: error: " + "/".join(["d" * 250] * 16))
    assert error.endswith(": cannot read folder (File name too long)")
    assert out.startswith("a.md:1:1: LK001")


def test_load_sources_reads_the_windows_a_check_did_not_keep(make_vault: VaultFactory) -> None:
    line = "".join(chr(0x4E00 + i) for i in range(600))
    root = make_vault({"far.md": "first\n" + line + "\n", "gone.md": "x\n"})
    job = engine.Job(Vault.scan(root), [_Far()], root)
    report = engine.run(job, ["far.md", "gone.md"], jobs=1)
    assert {(r.source, r.source_start, r.source_cut) for r in report.results} == {(None, 0, False)}
    (root / "gone.md").unlink()
    report.load_sources()
    far, gone = report.results
    assert (far.source, far.source_start, far.source_cut) == (line[219:459], 219, True)
    assert (gone.source, gone.source_start, gone.source_cut) == ("", 0, False)


class _Far(Rule):
    """Flags column 260 of line 2, or the start of a short note.

    ## What it does
    ## Why is this bad?
    ## Example
    ## Fix safety
    """

    code, name, severity = "ZZ009", "far", "info"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        at = note.line_starts[1] + 259 if len(note.text) > 300 else 0
        yield self.finding(at, at + 1, "far")


def test_worker_setup_when_the_parent_is_already_gone(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker forked after its parent died exits at once, with 1 (here the exit is caught:
    `os._exit` would end this test process)."""

    def exit_(code: int) -> None:
        raise SystemExit(code)

    monkeypatch.setattr(os, "_exit", exit_)
    monkeypatch.setattr(engine, "_parent", None)
    previous = signal.getsignal(signal.SIGINT)
    try:
        with pytest.raises(SystemExit) as raised:
            engine._init_worker(os.getppid() + 1)
    finally:
        signal.signal(signal.SIGINT, previous)
        if sys.platform.startswith("linux"):
            _death_signal(0)
    assert raised.value.code == 1


def test_changed_lines_only_by_default(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {".obsidian/app.json": "{}", "n.md": "[[A]]\n[[B]]\n"})
    generated_config(tmp_path)
    git(repo, "checkout", "-q", "-b", "feature")
    write(repo, {"n.md": "[[A]]\n[[C]]\n"})
    git(repo, "commit", "-qam", "edit")
    p = engine.plan([repo], None, None, (), (), {})
    keep_changed = engine.restrict_to_changes(p, "main")
    report = engine.run(engine.Job(p.vault, p.rules, repo), p.notes, jobs=1)
    keep_changed(report)
    assert [(r.path, r.line, r.code) for r in report.results] == [("n.md", 2, "LK001")]


def test_json_output_writes_each_result_as_to_json_says(make_vault: VaultFactory) -> None:
    root = make_vault({"n.md": 'See [[Gone]] and "quoted" ünïcode [[Lost|x]].\n'})
    vault = Vault.scan(root)
    vault.profile_setting = "generated"  # as make_vault's config says
    report = engine.run(engine.Job(vault, Config().rules(), root), ["n.md"], jobs=1)
    _, document = check_json(root)
    assert [{k: v for k, v in f.items() if k != "url"} for f in document["findings"]] == [
        r.to_json() for r in report.results
    ]
    assert list(report.results[0].to_json()) == [
        "path", "line", "column", "end_line", "end_column", "rule", "code", "severity",
        "message", "fix",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("cwd", "rel", "shown"),
    [
        (".", "n.md", "n.md"),
        ("..", "n.md", "vault/n.md"),
        ("../other", "n.md", "../vault/n.md"),
        ("a/b", "a/x.md", "../x.md"),  # from inside the vault
        ("a/b", "n.md", "../../n.md"),
        ("a/b/c", "a/x.md", "../../x.md"),
    ],
)
def test_paths_are_shown_from_the_jobs_folder(
    make_vault: VaultFactory, monkeypatch: pytest.MonkeyPatch, cwd: str, rel: str, shown: str
) -> None:
    root = make_vault({"n.md": "x\n", "a/x.md": "x\n", "a/b/y.md": "x\n"})
    (root.parent / "other").mkdir()
    monkeypatch.chdir(root)  # this process's folder is not the job's
    job = engine.Job(Vault.scan(root), [_Pid()], Path(os.path.normpath(root / cwd)))
    [note] = engine.run(job, [rel], jobs=1).notes
    assert note.results[0].path == shown


def test_a_check_leaves_temporary_files_alone_a_fix_removes_them(make_vault: VaultFactory) -> None:
    root = make_vault({"n.md": "x\n"})
    stale = root / ".n.md.abcd1234.vaultbot.tmp"
    stale.write_text("left by a killed run")
    report = check(root, ["n.md"], 1)
    assert stale.exists() and not report.writes
    job = engine.Job(Vault.scan(root), [_Pid()], root, fix=True, write=False)
    assert not engine.run(job, ["n.md"], jobs=1).writes and stale.exists()  # a dry run
    job = engine.Job(Vault.scan(root), [_Pid()], root, fix=True)
    assert engine.run(job, ["n.md"], jobs=1).writes and not stale.exists()


def test_jobs_default_to_the_cores(vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "PARALLEL_THRESHOLD", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert os.getpid() not in checked_by(check(vault, NOTES, None))  # type: ignore[arg-type]


def test_ctrl_c_stops_the_workers_taking_notes(
    make_vault: VaultFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One Ctrl-C while the pool runs: the notes in the workers' hands are finished, the rest
    skipped. Three chunks of 16: the first comes back at once; each of the others starts with
    a note held until Ctrl-C was pressed (if a worker has taken it by then)."""
    monkeypatch.setattr(engine, "PARALLEL_THRESHOLD", 2)
    rels = [f"fast{i:02d}.md" for i in range(16)]
    rels += ["held.md", *(f"x{i:02d}.md" for i in range(15))]
    rels += ["held2.md", *(f"y{i:02d}.md" for i in range(15))]
    root = make_vault(dict.fromkeys(rels, "x\n"))
    seen: list[str] = []

    def progress(note: engine.NoteReport) -> None:
        seen.append(note.rel)
        if len(seen) == 1:
            interrupt(1)
            while not engine._stop.is_set():
                time.sleep(0.01)
            (root / "release").touch()

    job = engine.Job(Vault.scan(root), [_Held()], root)
    report = engine.run(job, rels, jobs=2, progress=progress)
    assert report.interrupted
    got = [note.rel for note in report.notes]
    # Beyond the first chunk, only a held note its worker had taken before Ctrl-C
    assert got[:16] == rels[:16] and set(got[16:]) <= {"held.md", "held2.md"}
