"""The check pipeline: discover → read → parse → rules → suppression → results.

Results are plain data (picklable) so notes can be checked in worker processes; the vault's
name index is built once in the parent and inherited by the workers.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import posixpath
import signal
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from vaultbot import fixes
from vaultbot.config import Config, PerFileIgnores, discover, ignored_in
from vaultbot.config import load as load_config
from vaultbot.errors import ConfigError
from vaultbot.lint import check_note
from vaultbot.note import Note, NoteError
from vaultbot.profile import persons_note
from vaultbot.rules import Finding, Rule
from vaultbot.vault import (
    Vault,
    find_root,
    git_ignored,
    in_folders,
    is_hidden,
    matches_filter,
    matches_glob,
    rel_in,
    template_folders,
    user_ignore_filters,
)

if TYPE_CHECKING:
    from vaultbot.cache import StatKey

#: Below this many notes a process pool costs more than it saves. Measured on 2 cores with
#: real-density notes (best of 3, wall): 50 notes 0.209 s serial, 0.204 s with the pool; 100
#: notes 0.287 / 0.252 s; 200 notes 0.386 / 0.311 s; the 251 tubegraph notes 0.53 / 0.40 s.
PARALLEL_THRESHOLD = 100
#: Notes a worker takes at a time, at most: a worker sends a chunk's reports back in one
#: message, which the parent holds whole; a chunk grown with the vault (5,000 notes of 80,000)
#: made the parent's memory grow with it.
MAX_CHUNK = 256
#: A check of fewer notes than this share of the vault's files does not use the cache (see
#: `run_cached`). Measured on 20,000 real-density notes (40 MB of cache): one edited note took
#: 1.05 s of CPU with the cache and 0.30 s without; a cached entry costs about 30 µs to load
#: and write back, a note about 1 ms to check.
CACHE_MIN_SHARE = 1 / 32


class Result(NamedTuple):
    """One finding, located and rendered to plain data (DESIGN.md §3).

    A named tuple, not a dataclass: a warm run builds every finding of the vault from the
    cache and the workers send theirs to the parent, and a tuple is five times faster to make
    and pickles as its values alone."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    code: str
    severity: str
    message: str
    fix: dict[str, Any] | None
    #: For display: at most `SOURCE_WINDOW` characters of the finding's first line, from
    #: column `source_start` (0-based); `source_cut` says the line goes on after them. None for
    #: a finding read from the cache, until `Report.load_sources` reads it again.
    source: str | None = None
    source_start: int = 0
    source_cut: bool = False

    def to_json(self) -> dict[str, Any]:
        return dict(zip(_JSON_FIELDS, self, strict=False))  # stops before the source window


_JSON_FIELDS = Result._fields[:-3]  # all but the source window
_new_result = functools.partial(tuple.__new__, Result)


#: How much of a finding's line a result keeps for display: a finding costs O(1) memory
#: however long its line is.
SOURCE_WINDOW = 240
#: Characters of the line kept before the finding when the window does not start the line.
SOURCE_CONTEXT = 40


def source_window(note: Note, line: int, column: int) -> tuple[str, int, bool]:
    """(text, start column, cut) of the window of `line` shown for a finding at `column`."""
    start, end = note.line_span(line)
    first = 0 if column <= SOURCE_WINDOW - SOURCE_CONTEXT else column - 1 - SOURCE_CONTEXT
    last = min(start + first + SOURCE_WINDOW, end)
    return note.text[start + first : last], first, last < end


@dataclass
class NoteReport:
    rel: str
    results: list[Result] = field(default_factory=list)
    error: str | None = None
    fixed: Counter[str] = field(default_factory=dict)  # type: ignore[assignment]  # code -> fixes
    #: For fix runs: the fixes changed the note's bytes (written, or would be in a dry run).
    changed: bool = False
    #: For fix runs whose job asks for it (`Job.diff`): the unified diff of that change.
    diff: str | None = None
    creates: dict[str, str] = field(default_factory=dict)
    #: For fix runs: the findings of the note as it was read, before any fix.
    initial: list[Result] = field(default_factory=list)
    #: For fix runs: the titles of the fixes applied, by rule code and line (of the original).
    applied: list[tuple[str, int, str]] = field(default_factory=list)
    #: For cached check runs: the file's stat key before it was read, and what its link
    #: findings depend on (see vaultbot.cache).
    stat: StatKey | None = None
    deps: dict[str, Any] | None = None

    @property
    def count(self) -> int:
        return len(self.results)

    def kinds(self) -> list[Kind]:
        """What the summary and the exit code need of each finding (`kind`)."""
        return list(map(kind, self.results))

    def lines(self) -> str | None:
        """The findings as the JSON output's lines (`json_format.note_lines`), when held so."""
        return None


#: A finding's rule name, severity, and whether `vaultbot fix` fixes it (its fix is safe).
Kind = tuple[str, str, bool]


def kind(r: Result) -> Kind:
    return r.rule, r.severity, bool(r.fix) and r.fix["applicability"] == "safe"


class LinesReport(NoteReport):
    """A checked note whose findings are held as the JSON output's lines (`lines`) and their
    `kinds`: from the cache, or from a worker of a check written as JSON. Such a check never
    makes them into Results (a large vault has 150,000); the first reader of `results` does
    (`json_format.from_lines`), and a report whose `results` are replaced (a baseline, the
    changed lines of a pull request) is one of Results from then on."""

    def __init__(self, rel: str, path: str, lines: str, kinds: list[Kind]) -> None:
        super().__init__(rel)
        self.path = path  # as shown (`displayer`)
        self._lines: str | None = lines
        self._kinds = kinds
        self._results: list[Result] | None = None
        self._released = False

    def release(self) -> None:
        """Drop the lines once they are written (a check that writes each note as it is
        finished keeps only what the summary counts, `Report.let_go_kinds`): reading the
        findings fails from then."""
        self._lines, self._results, self._released = "", None, True

    @property
    def released(self) -> bool:
        return self._released

    @property  # type: ignore[override]
    def results(self) -> list[Result]:
        self._check_held()
        if self._results is None:
            from vaultbot.output.json_format import from_lines

            with _gc_paused():  # many objects, no cycles
                self._results = from_lines(self.path, self._lines or "")
        return self._results

    @results.setter
    def results(self, value: list[Result]) -> None:
        if "_lines" in self.__dict__:  # (NoteReport's __init__ sets no findings)
            self._results, self._lines = value, None

    @property
    def count(self) -> int:
        return len(self._kinds) if self._lines is not None else len(self.results)

    def kinds(self) -> list[Kind]:
        return self._kinds if self._lines is not None else super().kinds()

    def lines(self) -> str | None:
        self._check_held()
        return self._lines

    def _check_held(self) -> None:
        if self._released:
            raise RuntimeError(f"{self.rel}: its findings were written and released")


@dataclass
class Report:
    notes: list[NoteReport] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # errors not tied to one note
    warnings: list[str] = field(default_factory=list)  # told, but no reason to fail the run
    planned: int = 0  # how many notes the run set out to process
    interrupted: bool = False  # stopped by Ctrl-C: `notes` holds what was finished
    writes: bool = False  # the run writes fixed notes (not a check, not a dry run)
    baselined: int = 0  # findings dropped because a baseline accepts them
    profile: str = ""  # the vault profile, described for the summary line (vaultbot.profile)
    #: The vault of a check run, whose findings have no source window until `load_sources`.
    vault: Vault | None = None
    #: Notes written as they were finished and let go (a streamed check, `run`'s `progress`
    #: releasing them): only what the summary counts is kept, so that the report does not
    #: grow with the notes. How many, and the kinds of their findings (a note with an error
    #: is kept in `notes`).
    let_go: int = 0
    let_go_kinds: Counter[Kind] = field(default_factory=Counter)

    @property
    def checked(self) -> int:
        """How many notes the run finished."""
        return len(self.notes) + self.let_go

    @property
    def results(self) -> list[Result]:
        return [r for note in self.notes for r in note.results]

    def kinds(self) -> list[Kind]:
        held = [k for note in self.notes for k in note.kinds()]
        return [*held, *self.let_go_kinds.elements()] if self.let_go_kinds else held

    @property
    def all_errors(self) -> list[str]:
        return self.errors + [n.error for n in self.notes if n.error]

    def load_sources(self) -> None:
        """Give a check's findings their source windows, which only the text output and
        baselines use (a check keeps none, nor does the cache): reads each note that has
        findings once more. A note that cannot be read now gets empty windows."""
        if self.vault is None:
            return
        for note in self.notes:
            if note.results and note.results[0].source is None:
                note.results = _with_sources(self.vault, note.rel, note.results)

    def create_stubs(self, root: Path) -> list[str]:
        """Create the notes that stub fixes asked for; return errors."""
        from vaultbot.fixes import create_note

        errors: list[str] = []
        done: set[str] = set()
        for note in self.notes:
            for rel, text in note.creates.items():
                if rel in done:
                    continue
                done.add(rel)
                try:
                    create_note(root / rel, text, root)
                except NoteError as exc:
                    errors.append(str(exc))
                except OSError as exc:  # (a NUL in the name is a NoteError: checked first)
                    errors.append(f"{rel}: cannot create stub note ({exc.strerror or exc})")
        return errors


def _with_sources(vault: Vault, rel: str, results: list[Result]) -> list[Result]:
    try:
        note = Note.from_bytes(rel, vault.read(rel, rel))
    except (NoteError, OSError):
        return [_new_result((*r[:10], "", *r[11:])) for r in results]
    return [_new_result((*r[:10], *source_window(note, r.line, r.column))) for r in results]


def to_result(note: Note, finding: Finding, display: str, window: bool = True) -> Result:
    """The finding as plain data; without `window`, its source window is left for
    `Report.load_sources`."""
    line, column = note.position(finding.start)
    end_line, end_column = note.position(max(finding.end, finding.start))
    fix = None
    if finding.fix is not None:
        fix = {
            "applicability": finding.fix.applicability,
            "title": finding.fix.title,
            "edits": [_edit_json(note, e) for e in finding.fix.edits],
        }
    source, source_start, source_cut = (
        source_window(note, line, column) if window else (None, 0, False)
    )
    return Result(
        path=display,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        rule=finding.rule.name,
        code=finding.rule.code,
        severity=finding.severity or finding.rule.severity,
        message=finding.message,
        fix=fix,
        source=source,
        source_start=source_start,
        source_cut=source_cut,
    )


def _edit_json(note: Note, edit: Any) -> dict[str, Any]:
    line, column = note.position(edit.start)
    end_line, end_column = note.position(edit.end)
    return {
        "content": edit.content,
        "location": {"line": line, "column": column},
        "end_location": {"line": end_line, "column": end_column},
    }


# -- running over many notes ----------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """What to do with each note: check it, or fix it (and how)."""

    vault: Vault
    rules: Sequence[Rule]
    cwd: Path
    fix: bool = False
    unsafe: bool = False
    write: bool = True  # False: compute fixes, write nothing
    #: Compute each changed note's unified diff (`NoteReport.diff`, for `fix --diff`): difflib
    #: grows faster than the note, so a run that shows none skips it.
    diff: bool = False
    cache: bool = False  # record what the cache needs (check runs)
    json: bool = False  # write each note's findings as the JSON output does (check runs)
    per_file_ignores: PerFileIgnores = ()  # config `per-file-ignores`

    def rules_for(self, rel: str) -> Sequence[Rule]:
        """The rules run on the note `rel` (all but those `per-file-ignores` turn off)."""
        off = ignored_in(rel, self.per_file_ignores) if self.per_file_ignores else None
        return [r for r in self.rules if r.code not in off] if off else self.rules


_job: Job | None = None  # set before the pool forks, inherited by the workers
_stop: Any = None  # a multiprocessing Event: after Ctrl-C, workers skip the notes left
_display: Callable[[str], str] = str  # vault-relative path -> path shown to the user


def _process(rel: str) -> NoteReport | None:
    assert _job is not None
    if _stop is not None and _stop.is_set():
        return None  # interrupted: leave this note alone
    if _parent is not None and os.getppid() != _parent:
        return None  # the parent is gone (where the OS cannot kill us with it)
    vault = _job.vault
    display = _display(rel)
    report = NoteReport(rel)
    try:
        if _job.cache:  # stat before reading: a change after this is seen next time
            from vaultbot import cache  # the cache's module loads only for a run that uses it

            report.stat = cache.stat_key(vault.root / rel)
        data = vault.read(rel, display)
        note = Note.from_bytes(rel, data, display)
        note.own_fence = persons_note(note, vault)  # a person's ```markdown note is a snippet
        if _job.fix:
            outcome = fixes.fix_note(note, vault, _job.rules_for(rel), _job.unsafe)
            report.fixed = outcome.fixed
            report.creates = outcome.creates
            report.initial = [to_result(note, f, display) for f in outcome.initial]
            report.applied = [
                (code, note.line_of(start), title) for code, start, title in outcome.applied
            ]
            if outcome.changed and outcome.note.source != note.source:
                new = fixes.encode(outcome.note)
                report.changed = True
                if _job.diff:
                    report.diff = fixes.unified_diff(display, note.source, outcome.note.source)
                if _job.write:
                    fixes.write_atomic(vault.root / rel, new, data, display, vault.root)
            note, found = outcome.note, outcome.remaining
        else:
            found = check_note(note, vault, _job.rules_for(rel))
            if _job.cache:
                from vaultbot import cache

                report.deps = cache.dependencies(note, vault)
        report.results = [to_result(note, f, display, window=_job.fix) for f in found]
        if _job.json:
            report = _as_lines(report, display)
    except NoteError as exc:
        _not_written(report, str(exc))
    except RecursionError:
        report.error = f"{display}: note is nested too deeply to parse"
    except OSError as exc:
        _not_written(report, f"{display}: cannot write ({exc.strerror or exc})")
    return report


def _as_lines(report: NoteReport, display: str) -> LinesReport:
    """A worker's report of a check written as JSON: its findings as the output's lines, made
    here in parallel; the parent only joins them."""
    from vaultbot.output.json_format import note_lines

    lines = LinesReport(report.rel, display, note_lines(report.results), report.kinds())
    lines.stat, lines.deps = report.stat, report.deps
    return lines


def _not_written(report: NoteReport, error: str) -> None:
    """The note stays as it was: nothing fixed, and its findings (if known) all remain."""
    report.error = error
    report.fixed.clear()
    report.creates.clear()
    report.applied.clear()
    report.changed = False
    report.diff = None
    report.results = list(report.initial)


def note_folders(vault: Vault) -> list[Path]:
    """The vault's root and every folder holding one of its files."""
    folders = {posixpath.dirname(rel) for rel in vault.files}
    return [vault.root / folder for folder in sorted(folders | {""})]


def display_path(path: Path, cwd: Path) -> str:
    try:
        return os.path.relpath(path, cwd).replace(os.sep, "/")
    except ValueError:  # another drive on Windows
        return path.as_posix()


def displayer(root: Path, cwd: Path) -> Callable[[str], str]:
    """Vault-relative note path -> path relative to `cwd` (one relpath per run, not per note,
    but for notes in the folder that holds `cwd` when `cwd` is inside the vault)."""
    prefix = display_path(root, cwd)
    if prefix == ".":
        return lambda rel: rel
    inside = display_path(cwd, root)  # relpath is lexical: `a/b` when cwd is root/a/b
    if not (inside == ".." or inside.startswith("../")):
        top = inside.split("/", 1)[0] + "/"  # only these notes' paths share a part with cwd's
        return lambda rel: (
            display_path(root / rel, cwd) if rel.startswith(top) else f"{prefix}/{rel}"
        )
    return lambda rel: f"{prefix}/{rel}"


def run(
    job: Job,
    rels: Sequence[str],
    jobs: int | None = None,
    progress: Callable[[NoteReport], None] | None = None,
) -> Report:
    """Process the notes `rels` of the job's vault, in parallel when it pays.

    `progress` is called in this process once per finished note. Ctrl-C stops the run between
    notes: the notes in hand are finished (each note is then either untouched or completely
    written: writes are atomic), every finished note is in the report, and `interrupted` is
    set. A second Ctrl-C stops at once (workers are killed; writes stay atomic).
    """
    global _job, _stop, _display
    _job = job
    _display = displayer(job.vault.root, job.cwd)
    jobs = jobs or os.cpu_count() or 1
    report = Report(planned=len(rels), writes=job.fix and job.write)
    report.profile = job.vault.profile.describe()
    if not job.fix:
        report.vault = job.vault  # a check keeps no source windows: load_sources reads them
    if report.writes:
        fixes.remove_stale_temps(note_folders(job.vault))
    parallel = jobs > 1 and len(rels) >= PARALLEL_THRESHOLD
    ctx = _fork_context() if parallel else None
    if ctx is not None:
        _stop = ctx.Event()
    try:
        with _deferred_interrupt() as interrupted:
            if ctx is not None:
                job.vault.build_index()  # once, in the parent; the workers inherit it
                # The workers' collectors leave what they inherit alone: they neither scan it
                # nor, by writing to it, copy its memory pages (Python's advice for fork).
                gc.freeze()
                _run_pool(ctx, rels, jobs, report, progress)
            else:
                for rel in rels:
                    if interrupted.is_set():
                        break
                    _collect(report, _process(rel), progress)
        report.interrupted = interrupted.is_set()
    except KeyboardInterrupt:  # the second Ctrl-C
        report.interrupted = True
    finally:
        _job = _stop = None
    return report


def _fork_context() -> Any:
    """The `fork` start method's context where there is one, else None (a serial run).
    multiprocessing is imported here: most runs (a hook's few notes) fork no pool."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    return multiprocessing.get_context("fork")


@contextlib.contextmanager
def _deferred_interrupt() -> Iterator[threading.Event]:
    """While the block runs, a first Ctrl-C only sets the event it yields (and tells the
    workers to take no new note); a second one raises KeyboardInterrupt."""
    interrupted = threading.Event()

    def handler(signum: int, frame: Any) -> None:
        if interrupted.is_set():
            raise KeyboardInterrupt
        interrupted.set()
        if _stop is not None:
            _stop.set()

    try:
        previous = signal.signal(signal.SIGINT, handler)
    except ValueError:  # not the main thread: Ctrl-C is not ours to handle
        yield interrupted
        return
    try:
        yield interrupted
    finally:
        signal.signal(signal.SIGINT, previous)


def _run_pool(
    ctx: Any,
    rels: Sequence[str],
    jobs: int,
    report: Report,
    progress: Callable[[NoteReport], None] | None,
) -> None:
    """Fan the notes out to worker processes. On Ctrl-C the workers finish the note in hand
    (they ignore SIGINT) and skip the rest, and every finished note is still collected."""
    pool = ctx.Pool(jobs, initializer=_init_worker, initargs=(os.getpid(),))
    finished = False
    try:
        chunk = min(max(16, len(rels) // (jobs * 8)), MAX_CHUNK)
        results = pool.imap(_process, rels, chunksize=chunk)
        # Without a progress display this process only gathers findings (no cycles).
        with _gc_paused() if progress is None else contextlib.nullcontext():
            for note in results:
                _collect(report, note, progress)
        finished = True
    finally:
        if finished:
            pool.close()
        else:
            pool.terminate()
        pool.join()


def _init_worker(parent: int) -> None:
    """Workers leave Ctrl-C to the parent (which tells them to stop taking notes), and die
    with it: a killed parent must not leave workers writing notes."""
    global _parent
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _parent = parent
    if sys.platform.startswith("linux"):
        import ctypes  # here: only a worker needs it

        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


_PR_SET_PDEATHSIG = 1
_parent: int | None = None  # in a worker: the parent's pid (checked before each note)


def run_cached(
    job: Job,
    rels: Sequence[str],
    jobs: int | None = None,
    progress: Callable[[NoteReport], None] | None = None,
) -> Report:
    """`run` for a check, reusing the cache's results for notes that did not change.

    A check of a few notes of a large vault (fewer than CACHE_MIN_SHARE of its files; the
    pre-commit hook's staged notes) neither reads nor writes the cache: the cache is one file
    for the whole vault, and loading and rewriting it would cost more than checking them."""
    vault = job.vault
    if len(rels) < len(vault.files) * CACHE_MIN_SHARE:
        return run(job, rels, jobs, progress)
    from vaultbot import cache  # here: the hook never uses the cache (hashlib, hmac, tempfile)

    key = cache.cache_key(list(job.rules), vault.profile.name, job.per_file_ignores)
    with _gc_paused():
        store = cache.Cache.load(vault.root, key)
        valid = store.valid_entries(vault, list(rels))
    todo = [rel for rel in rels if rel not in valid]
    report = run(replace(job, cache=True), todo, jobs, progress)
    if store.warning is not None:
        report.warnings.append(store.warning)
    fresh = {
        n.rel: {"s": n.stat, "d": n.deps, "j": _json_lines(n), "k": n.kinds()}
        for n in report.notes
        if n.error is None and n.stat is not None and n.deps is not None
    }
    if not report.interrupted:
        store.save(vault, fresh)
    done = {n.rel: n for n in report.notes}
    display = displayer(vault.root, job.cwd)
    with _gc_paused():
        for rel, entry in valid.items():
            done[rel] = LinesReport(rel, display(rel), entry["j"], entry["k"])
    report.notes = [done[rel] for rel in rels if rel in done]
    report.planned = len(rels)
    return report


def _json_lines(note: NoteReport) -> str:
    """The note's findings as the JSON output's lines, made now if they are not held so."""
    lines = note.lines()
    if lines is not None:
        return lines
    from vaultbot.output.json_format import note_lines

    return note_lines(note.results)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a block builds many objects that form no
    cycles, and exempt what it built from later collections (`gc.freeze`): loading a warm
    run's findings (about 150,000 on 20,000 generated notes) took twice as long with the
    collector scanning them again and again, and once more after it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _collect(
    report: Report, note: NoteReport | None, progress: Callable[[NoteReport], None] | None
) -> None:
    if note is None:  # skipped after Ctrl-C
        return
    report.notes.append(note)
    if progress is not None:
        progress(note)
        if isinstance(note, LinesReport) and note.released and note.error is None:
            report.notes.pop()  # written: only what the summary counts is kept
            report.let_go += 1
            report.let_go_kinds.update(note.kinds())


@dataclass
class Plan:
    """A run's inputs: the vault with its index, the notes to process, the rules."""

    vault: Vault
    notes: list[str]
    rules: list[Rule]
    errors: list[str]
    per_file_ignores: PerFileIgnores = ()
    #: What the run should tell without failing (a file named that is not a note).
    warnings: list[str] = field(default_factory=list)


def plan(
    paths: Sequence[Path],
    vault_root: Path | None,
    config_path: Path | None,
    select: Sequence[str],
    ignore: Sequence[str],
    rule_options: dict[str, dict[str, Any]],
    staged: bool = False,
    respect_gitignore: bool = True,
) -> Plan:
    """Find the vault root and config, index the vault, pick notes and rules.

    `staged`: the vault as the git index holds it, and only the notes staged in it.
    `respect_gitignore`: notes git ignores are not checked (they still count as link targets).
    Raise ConfigError for a bad configuration or rule selection, GitError for `staged`
    outside a git repository.
    """
    try:
        root = (vault_root or find_root(paths[0])).resolve()
    except OSError as exc:  # e.g. a path longer than PATH_MAX
        raise ConfigError(f"{paths[0]}: cannot read ({exc.strerror or exc})") from None
    if staged and vault_root is None:
        from vaultbot.staged import staged_root

        narrowed = staged_root(root)
        root, paths = (narrowed, [narrowed]) if narrowed != root else (root, paths)
    config = load_config(config_path) if config_path else discover(root)
    for name, options in rule_options.items():
        config.rule_options[name] = {**config.rule_options.get(name, {}), **options}
    rules = config.rules(select, ignore)
    unlisted: list[OSError] = []
    if staged:
        from vaultbot.staged import staged_vault

        vault, chosen = staged_vault(root)
    else:
        vault = Vault.scan(root, unlisted.append)
    vault.profile_setting = config.profile
    ignored = git_ignored(root) if respect_gitignore else None
    warnings: list[str] = []
    notes, errors = select_notes(vault, paths, config, ignored, warnings)
    if staged:
        notes = [n for n in notes if n in chosen]
    cwd = Path.cwd()
    errors[:0] = [
        _os_error(Path(exc.filename or root), cwd, exc, "cannot read folder") for exc in unlisted
    ]
    return Plan(vault, notes, rules, errors, config.per_file_ignores, warnings)


def plans(
    paths: Sequence[Path],
    vault_root: Path | None,
    config_path: Path | None,
    select: Sequence[str],
    ignore: Sequence[str],
    rule_options: dict[str, dict[str, Any]],
    staged: bool = False,
    respect_gitignore: bool = True,
) -> list[Plan]:
    """`plan` for each vault the `paths` lie in (a repository may hold several, and
    pre-commit passes the staged notes of all of them at once): each note is checked in its
    own vault, with its configuration and its links resolved there. One plan for
    `vault_root`. The notes of a vault below another's root are left to their own plan.

    Raise as `plan` does."""

    def one(group: Sequence[Path]) -> Plan:
        return plan(group, vault_root, config_path, select, ignore, rule_options, staged,
                    respect_gitignore)  # fmt: skip

    if vault_root is not None or not paths:
        return [one(paths)]
    try:
        groups = _by_vault(paths, staged)
    except OSError:  # `plan` says what cannot be read
        return [one(paths)]
    found = [one(group) for group in groups.values()] if len(groups) > 1 else [one(paths)]
    # The vaults inside a folder named (a repository of several vaults, checked from its
    # top): each is planned as its own, for the notes the outer plan chose (what its
    # configuration, Obsidian's filters or git leave out stays out).
    done = {p.vault.root for p in found}
    for p in found:  # grows: a vault inside a vault inside a folder named
        folders = [Path(os.path.abspath(path)) for path in groups.get(p.vault.root, paths)]
        for rel in sorted(p.vault.nested):
            inner = p.vault.root / rel
            if inner in done or not any(f == inner or f in inner.parents for f in folders):
                continue
            done.add(inner)
            chosen = {n[len(rel) + 1 :] for n in p.notes if n.startswith(rel + "/")}
            q = one([inner])
            q.notes = [n for n in q.notes if n in chosen]
            if q.notes or q.errors:
                groups[inner] = [inner]
                found.append(q)
    for p in found:
        inner = [q.vault.root for q in found if p.vault.root in q.vault.root.parents]
        if inner:
            p.notes = [n for n in p.notes if not _below(p.vault.root / n, inner)]
    return found


def _by_vault(paths: Sequence[Path], staged: bool) -> dict[Path, list[Path]]:
    """The paths grouped by the vault they lie in (with `staged`, the vaults of the staged
    notes below the first path's vault). One `find_root` per folder, not per note."""
    if staged:
        from vaultbot.staged import staged_roots

        roots = staged_roots(find_root(paths[0]).resolve())
        return {root: [root] for root in roots} if len(roots) > 1 else {roots[0]: list(paths)}
    groups: dict[Path, list[Path]] = {}
    root_of: dict[str, Path] = {}
    for path in paths:
        absolute = os.path.abspath(path)
        folder = absolute if os.path.isdir(absolute) else os.path.dirname(absolute)
        root = root_of.get(folder)
        if root is None:
            root = root_of[folder] = find_root(Path(folder)).resolve()
        groups.setdefault(root, []).append(path)
    return groups


def _below(path: Path, folders: list[Path]) -> bool:
    return any(folder in path.parents for folder in folders)


def merged(reports: Sequence[Report]) -> Report:
    """One report of the runs over several vaults (their findings read for display first:
    `load_sources` reads a note by its path in its own vault)."""
    if len(reports) == 1:
        return reports[0]
    whole = Report()
    for report in reports:
        report.load_sources()
        whole.notes += report.notes
        whole.let_go += report.let_go
        whole.let_go_kinds += report.let_go_kinds
        whole.errors += report.errors
        whole.warnings += report.warnings
        whole.planned += report.planned
        whole.interrupted |= report.interrupted
        whole.writes |= report.writes
    profiles = list(dict.fromkeys(r.profile for r in reports if r.profile))
    kinds = {profile.split(" ", 1)[0] for profile in profiles}
    whole.profile = profiles[0] if len(kinds) == 1 else "; ".join(profiles)
    return whole


def _os_error(path: Path, cwd: Path, exc: OSError, what: str) -> str:
    """One line for an OS error about `path` (shown relative to `cwd`)."""
    return f"{display_path(path, cwd)}: {what} ({exc.strerror or exc})"


def select_notes(
    vault: Vault,
    paths: Iterable[Path],
    config: Config,
    ignored: Callable[[str], bool] | None = None,
    warnings: list[str] | None = None,
) -> tuple[list[str], list[str]]:
    """The vault-relative notes named by `paths` (files or folders), and usage errors; a file
    named that is not a note (not `.md`, or in a hidden folder) is told in `warnings`.

    Notes found in folders are skipped when Obsidian's filters or `ignored` (git) exclude them;
    a note named explicitly is taken then. Templates (in the folders the vault's config
    names as template folders) are never notes to check."""
    root = vault.root
    filters = user_ignore_filters(root, warnings) if config.respect_obsidian_ignore else []
    chosen: dict[str, None] = {}
    errors: list[str] = []
    for path in paths:
        absolute = Path(os.path.abspath(path))
        rel = rel_in(root, absolute)
        if rel is None:
            errors.append(f"{path}: not inside the vault root {root}")
            continue
        rel = "" if rel == "." else rel
        try:
            absolute.lstat()
        except OSError as exc:
            if not isinstance(exc, FileNotFoundError):
                errors.append(f"{path}: cannot read ({exc.strerror or exc})")
                continue
        if absolute.is_dir():
            prefix = rel + "/" if rel else ""
            found = [note for note in vault.notes if note.startswith(prefix)]
            if ignored is not None:
                found = [note for note in found if not ignored(note)]
            if filters:
                found = [n for n in found if not any(matches_filter(n, f) for f in filters)]
            chosen.update(dict.fromkeys(found))
        elif absolute.exists() or absolute.is_symlink():  # reading says what a non-file is
            md = rel.lower().endswith(".md")
            if md and not is_hidden(rel):
                chosen[rel] = None
            elif warnings is not None:
                why = "in a hidden folder" if md else "only .md files are notes"
                warnings.append(f"{path}: not checked ({why})")
        else:
            errors.append(f"{path}: no such file or folder")
    templates = template_folders(root)
    notes = list(chosen)
    if config.exclude or templates:
        notes = [
            n
            for n in notes
            if not (any(matches_glob(n, g) for g in config.exclude) or in_folders(n, templates))
        ]
    return notes, errors


def restrict_to_changes(p: Plan, ref: str, lines: bool = True) -> Callable[[Report], None]:
    """Narrow the plan to the notes changed since `ref` (`auto`: the pull request's base).

    Returns the filter that then keeps only findings on changed lines (with `lines`; else all
    findings of the changed notes). Raise GitError.
    """
    from vaultbot import git

    if ref == "auto":
        base = git.pull_request_base()
        if base is None:
            raise git.GitError("--changed-since auto: not running for a pull request")
        ref = base
    repo = git.repo_at(p.vault.root)
    changes = git.changed_lines(repo, ref)
    top = Path(repo.working_tree_dir or ".").resolve()
    prefix = p.vault.root.relative_to(top).as_posix() if p.vault.root != top else ""

    def repo_path(rel: str) -> str:
        return f"{prefix}/{rel}" if prefix else rel

    wanted = set(changes.lines) | changes.added
    p.notes = [rel for rel in p.notes if repo_path(rel) in wanted]

    def keep_changed(report: Report) -> None:
        if not lines:
            return
        for note in report.notes:
            path = repo_path(note.rel)
            note.results = [r for r in note.results if changes.touches(path, r.line)]

    return keep_changed
