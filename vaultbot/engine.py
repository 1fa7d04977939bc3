"""The check pipeline: discover → read → parse → rules → suppression → results.

Results are plain data (picklable) so notes can be checked in worker processes; the vault's
name index is built once in the parent and inherited by the workers.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from vaultbot import cache, fixes
from vaultbot.config import Config, discover
from vaultbot.config import load as load_config
from vaultbot.lint import check_note
from vaultbot.note import Note, NoteError, read_bytes
from vaultbot.rules import Finding, Rule
from vaultbot.vault import (
    Vault,
    find_root,
    is_hidden,
    matches_filter,
    matches_glob,
    user_ignore_filters,
)

#: Below this many notes a process pool costs more than it saves.
PARALLEL_THRESHOLD = 400


@dataclass(frozen=True)
class Result:
    """One finding, located and rendered to plain data (DESIGN.md §3)."""

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
    #: column `source_start` (0-based); `source_cut` says the line goes on after them.
    source: str
    source_start: int = 0
    source_cut: bool = False

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _JSON_FIELDS}

    def to_cache(self) -> list[Any]:
        return [getattr(self, name) for name in _CACHED_FIELDS]

    @classmethod
    def from_cache(cls, path: str, values: list[Any]) -> Result:
        return cls(path, *values)


_CACHED_FIELDS = [f.name for f in fields(Result)][1:]  # all but the display path
_JSON_FIELDS = [f.name for f in fields(Result) if not f.name.startswith("source")]

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
    diff: str | None = None
    creates: dict[str, str] = field(default_factory=dict)
    #: For fix runs: the findings of the note as it was read, before any fix.
    initial: list[Result] = field(default_factory=list)
    #: For fix runs: the titles of the fixes applied, by rule code and line (of the original).
    applied: list[tuple[str, int, str]] = field(default_factory=list)
    #: For cached check runs: the file's (mtime, size) before it was read, and what its link
    #: findings depend on (see vaultbot.cache).
    stat: tuple[int, int] | None = None
    deps: dict[str, Any] | None = None


@dataclass
class Report:
    notes: list[NoteReport] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # errors not tied to one note
    planned: int = 0  # how many notes the run set out to process
    interrupted: bool = False  # stopped by Ctrl-C: `notes` holds what was finished

    @property
    def results(self) -> list[Result]:
        return [r for note in self.notes for r in note.results]

    @property
    def all_errors(self) -> list[str]:
        return self.errors + [n.error for n in self.notes if n.error]

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
                    create_note(root / rel, text)
                except OSError as exc:
                    errors.append(f"{rel}: cannot create stub note ({exc.strerror or exc})")
        return errors


def to_result(note: Note, finding: Finding, display: str) -> Result:
    line, column = note.position(finding.start)
    end_line, end_column = note.position(max(finding.end, finding.start))
    fix = None
    if finding.fix is not None:
        fix = {
            "applicability": finding.fix.applicability,
            "title": finding.fix.title,
            "edits": [_edit_json(note, e) for e in finding.fix.edits],
        }
    source, source_start, source_cut = source_window(note, line, column)
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
    write: bool = True  # False: compute fixes and diffs, write nothing
    cache: bool = False  # record what the cache needs (check runs)


_job: Job | None = None  # set before the pool forks, inherited by the workers
_stop: Any = None  # a multiprocessing Event: after Ctrl-C, workers skip the notes left
_display: Callable[[str], str] = str  # vault-relative path -> path shown to the user


def _process(rel: str) -> NoteReport | None:
    assert _job is not None
    if _stop is not None and _stop.is_set():
        return None  # interrupted: leave this note alone
    vault = _job.vault
    display = _display(rel)
    report = NoteReport(rel)
    try:
        if _job.cache:  # stat before reading: a change after this is seen next time
            report.stat = cache.stat_key(vault.root / rel)
        data = read_bytes(vault.root / rel, display)
        note = Note.from_bytes(rel, data, display)
        if _job.fix:
            outcome = fixes.fix_note(note, vault, _job.rules, _job.unsafe)
            report.fixed = outcome.fixed
            report.creates = outcome.creates
            report.initial = [to_result(note, f, display) for f in outcome.initial]
            report.applied = [
                (code, note.line_of(start), title) for code, start, title in outcome.applied
            ]
            if outcome.changed and outcome.note.text != note.text:
                new = fixes.encode(outcome.note)
                report.diff = fixes.unified_diff(display, note.text, outcome.note.text)
                if _job.write:
                    fixes.write_atomic(vault.root / rel, new, data, display)
            note, found = outcome.note, outcome.remaining
        else:
            found = check_note(note, vault, _job.rules)
            if _job.cache:
                report.deps = cache.dependencies(note, vault)
        report.results = [to_result(note, f, display) for f in found]
    except NoteError as exc:
        report.error = str(exc)
        report.fixed.clear()
    except RecursionError:
        report.error = f"{display}: note is nested too deeply to parse"
    except OSError as exc:
        report.error = f"{display}: cannot write ({exc.strerror or exc})"
        report.fixed.clear()
    return report


def display_path(path: Path, cwd: Path) -> str:
    try:
        return os.path.relpath(path, cwd).replace(os.sep, "/")
    except ValueError:  # another drive on Windows
        return path.as_posix()


def displayer(root: Path, cwd: Path) -> Callable[[str], str]:
    """Vault-relative note path -> path relative to `cwd` (one relpath per run, not per note)."""
    prefix = display_path(root, cwd)
    if prefix == ".":
        return lambda rel: rel
    if prefix.startswith("../") or prefix == "..":
        return lambda rel: display_path(root / rel, cwd)  # `..` may not fold through links
    return lambda rel: f"{prefix}/{rel}"


def run(
    job: Job,
    rels: Sequence[str],
    jobs: int | None = None,
    progress: Callable[[NoteReport], None] | None = None,
) -> Report:
    """Process the notes `rels` of the job's vault, in parallel when it pays.

    `progress` is called in this process once per finished note. Ctrl-C stops the run between
    notes: each note is then either untouched or completely written (writes are atomic), and
    the report holds the notes that were finished, with `interrupted` set.
    """
    global _job, _stop, _display
    _job = job
    _display = displayer(job.vault.root, job.cwd)
    jobs = jobs or os.cpu_count() or 1
    report = Report(planned=len(rels))
    try:
        parallel = jobs > 1 and len(rels) >= PARALLEL_THRESHOLD
        if parallel and "fork" in multiprocessing.get_all_start_methods():
            job.vault.build_index()  # once, in the parent; the workers inherit it
            _run_pool(multiprocessing.get_context("fork"), rels, jobs, report, progress)
        else:
            for rel in rels:
                _collect(report, _process(rel), progress)
    except KeyboardInterrupt:
        report.interrupted = True
    finally:
        _job = _stop = None
    return report


def _run_pool(
    ctx: Any,
    rels: Sequence[str],
    jobs: int,
    report: Report,
    progress: Callable[[NoteReport], None] | None,
) -> None:
    """Fan the notes out to worker processes. On Ctrl-C the workers finish the note in hand
    (they ignore SIGINT) and skip the rest, so no write is cut short."""
    global _stop
    _stop = ctx.Event()
    pool = ctx.Pool(jobs, initializer=_ignore_sigint)
    results = pool.imap(_process, rels, chunksize=max(16, len(rels) // (jobs * 8)))
    try:
        for note in results:
            _collect(report, note, progress)
    except KeyboardInterrupt:
        _stop.set()
        report.interrupted = True
        for note in results:  # drain: finished notes count, skipped ones come back as None
            _collect(report, note, progress)
    finally:
        pool.close()
        pool.join()


def run_cached(
    job: Job,
    rels: Sequence[str],
    jobs: int | None = None,
    progress: Callable[[NoteReport], None] | None = None,
) -> Report:
    """`run` for a check, reusing the cache's results for notes that did not change."""
    vault = job.vault
    store = cache.Cache.load(vault.root, cache.cache_key(list(job.rules)))
    valid = store.valid_entries(vault, list(rels))
    todo = [rel for rel in rels if rel not in valid]
    report = run(replace(job, cache=True), todo, jobs, progress)
    fresh = {
        n.rel: {"s": list(n.stat), "r": [r.to_cache() for r in n.results], "d": n.deps}
        for n in report.notes
        if n.error is None and n.stat is not None and n.deps is not None
    }
    if not report.interrupted:
        store.save(vault, fresh)
    done = {n.rel: n for n in report.notes}
    display = displayer(vault.root, job.cwd)
    for rel, entry in valid.items():
        shown = display(rel)
        done[rel] = NoteReport(rel, [Result.from_cache(shown, r) for r in entry["r"]])
    report.notes = [done[rel] for rel in rels if rel in done]
    report.planned = len(rels)
    return report


def _collect(
    report: Report, note: NoteReport | None, progress: Callable[[NoteReport], None] | None
) -> None:
    if note is None:  # skipped after Ctrl-C
        return
    report.notes.append(note)
    if progress is not None:
        progress(note)


def _ignore_sigint() -> None:
    """Workers leave Ctrl-C to the parent, which stops handing out notes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@dataclass
class Plan:
    """A run's inputs: the vault with its index, the notes to process, the rules."""

    vault: Vault
    notes: list[str]
    rules: list[Rule]
    errors: list[str]


def plan(
    paths: Sequence[Path],
    vault_root: Path | None,
    config_path: Path | None,
    select: Sequence[str],
    ignore: Sequence[str],
    rule_options: dict[str, dict[str, Any]],
) -> Plan:
    """Find the vault root and config, index the vault, pick notes and rules.

    Raise ConfigError for a bad configuration or rule selection.
    """
    root = (vault_root or find_root(paths[0])).resolve()
    config = load_config(config_path) if config_path else discover(root)
    for name, options in rule_options.items():
        config.rule_options[name] = {**config.rule_options.get(name, {}), **options}
    rules = config.rules(select, ignore)
    vault = Vault.scan(root)
    notes, errors = select_notes(vault, paths, config)
    return Plan(vault, notes, rules, errors)


def select_notes(
    vault: Vault, paths: Iterable[Path], config: Config
) -> tuple[list[str], list[str]]:
    """The vault-relative notes named by `paths` (files or folders), and usage errors."""
    root = vault.root
    filters = user_ignore_filters(root) if config.respect_obsidian_ignore else []
    chosen: dict[str, None] = {}
    errors: list[str] = []
    for path in paths:
        absolute = Path(os.path.abspath(path))
        try:
            rel = absolute.relative_to(root).as_posix()
        except ValueError:
            errors.append(f"{path}: not inside the vault root {root}")
            continue
        rel = "" if rel == "." else rel
        if absolute.is_dir():
            prefix = rel + "/" if rel else ""
            for note in vault.notes:
                if note.startswith(prefix) and not any(matches_filter(note, f) for f in filters):
                    chosen[note] = None
        elif absolute.exists() or absolute.is_symlink():  # reading says what a non-file is
            if rel.lower().endswith(".md") and not is_hidden(rel):
                chosen[rel] = None
        else:
            errors.append(f"{path}: no such file or folder")
    notes = [n for n in chosen if not any(matches_glob(n, g) for g in config.exclude)]
    return notes, errors


def restrict_to_changes(p: Plan, ref: str) -> Callable[[Report], None]:
    """Narrow the plan to the notes changed since `ref` (`auto`: the pull request's base).

    Returns the filter that then keeps only findings on changed lines. Raise GitError.
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
        for note in report.notes:
            path = repo_path(note.rel)
            note.results = [r for r in note.results if changes.touches(path, r.line)]

    return keep_changed
