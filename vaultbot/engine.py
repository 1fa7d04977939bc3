"""The check pipeline: discover → read → parse → rules → suppression → results.

Results are plain data (picklable) so notes can be checked in worker processes; the vault's
name index is built once in the parent and inherited by the workers.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from vaultbot import suppression
from vaultbot.config import Config
from vaultbot.note import Note, NoteError, read_bytes
from vaultbot.rules import Finding, Rule
from vaultbot.vault import Vault, is_hidden, matches_filter, matches_glob, user_ignore_filters

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
    source: str  # the text of the finding's first line, for display

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        del data["source"]
        return data


@dataclass
class NoteReport:
    rel: str
    results: list[Result] = field(default_factory=list)
    error: str | None = None


@dataclass
class Report:
    notes: list[NoteReport] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # errors not tied to one note

    @property
    def results(self) -> list[Result]:
        return [r for note in self.notes for r in note.results]

    @property
    def all_errors(self) -> list[str]:
        return self.errors + [n.error for n in self.notes if n.error]


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
        source=note.line_text(line),
    )


def _edit_json(note: Note, edit: Any) -> dict[str, Any]:
    line, column = note.position(edit.start)
    end_line, end_column = note.position(edit.end)
    return {
        "content": edit.content,
        "location": {"line": line, "column": column},
        "end_location": {"line": end_line, "column": end_column},
    }


def check_note(note: Note, vault: Vault, rules: Sequence[Rule]) -> list[Finding]:
    """Run the rules on one note and drop what the note suppresses."""
    findings = [f for rule in rules for f in rule.check(note, vault)]
    if (findings and note.comments) or (findings and "vaultbot-ignore" in note.frontmatter_text):
        marks = suppression.collect(note)
        findings = [f for f in findings if not marks.suppresses(note, f)]
    findings.sort(key=lambda f: (f.start, f.rule.code))
    return findings


# -- running over many notes ----------------------------------------------------------------

_worker_state: tuple[Vault, Sequence[Rule], Path] | None = None


def _check_one(rel: str) -> NoteReport:
    assert _worker_state is not None
    vault, rules, cwd = _worker_state
    display = display_path(vault.root / rel, cwd)
    report = NoteReport(rel)
    try:
        note = Note.from_bytes(rel, read_bytes(vault.root / rel, display), display)
        report.results = [to_result(note, f, display) for f in check_note(note, vault, rules)]
    except NoteError as exc:
        report.error = str(exc)
    except RecursionError:
        report.error = f"{display}: note is nested too deeply to parse"
    return report


def display_path(path: Path, cwd: Path) -> str:
    try:
        return os.path.relpath(path, cwd).replace(os.sep, "/")
    except ValueError:  # another drive on Windows
        return path.as_posix()


def run(
    vault: Vault, rels: Sequence[str], rules: Sequence[Rule], jobs: int | None = None
) -> Report:
    """Check the notes `rels` of `vault`, in parallel when it pays."""
    global _worker_state
    _worker_state = (vault, rules, Path.cwd())
    jobs = jobs or os.cpu_count() or 1
    try:
        if (
            jobs > 1
            and len(rels) >= PARALLEL_THRESHOLD
            and "fork" in multiprocessing.get_all_start_methods()
        ):
            ctx = multiprocessing.get_context("fork")
            with ctx.Pool(jobs) as pool:
                notes = pool.map(_check_one, rels, chunksize=max(16, len(rels) // (jobs * 8)))
        else:
            notes = [_check_one(rel) for rel in rels]
    finally:
        _worker_state = None
    return Report(notes=notes)


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
        elif absolute.is_file() or absolute.is_symlink():
            if rel.lower().endswith(".md") and not is_hidden(rel):
                chosen[rel] = None
        else:
            errors.append(f"{path}: no such file or folder")
    notes = [n for n in chosen if not any(matches_glob(n, g) for g in config.exclude)]
    return notes, errors
