"""`vaultbot clean`: check and fix a whole vault once, for a person at a terminal.

Progress while it works, a table at the end (per rule: found / fixed / left, and the notes with
the most findings left), an optional HTML report, and an optional bot commit on a new branch.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from vaultbot.engine import Job, NoteReport, Plan, Report, run
from vaultbot.output import colour, summary
from vaultbot.output.safe import visible

TOP_NOTES = 10


@dataclass
class Tally:
    """Counts per rule code over a clean run."""

    found: Counter[str] = field(default_factory=Counter)
    fixed: Counter[str] = field(default_factory=Counter)
    left: Counter[str] = field(default_factory=Counter)
    names: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, report: Report) -> Tally:
        tally = cls()
        for note in report.notes:
            for result in note.initial:
                tally.found[result.code] += 1
                tally.names[result.code] = result.rule
            tally.fixed.update(note.fixed)
            for result in note.results:
                tally.left[result.code] += 1
                tally.names[result.code] = result.rule
        return tally


@contextmanager
def progress_reporter(
    total: int, out: TextIO, interactive: bool
) -> Iterator[Callable[[NoteReport], None]]:
    """A rich progress bar on a terminal; a plain line every 10% otherwise."""
    if interactive:
        console = Console(file=out)
        columns = (
            TextColumn("[bold]Cleaning"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("notes"),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task("clean", total=total)
            yield lambda note: bar.advance(task)
        return
    done = 0
    step = max(1, total // 10)

    def plain(note: NoteReport) -> None:
        nonlocal done
        done += 1
        if done % step == 0 or done == total:
            print(f"vaultbot: {done}/{total} notes processed", file=out, flush=True)

    yield plain


def clean(p: Plan, job: Job, jobs: int | None, out: TextIO | None = None) -> Report:
    """Run the fixer over the plan's notes, with progress on `out` (standard error): a
    progress bar when standard output is a terminal, plain lines otherwise."""
    out = out or sys.stderr
    interactive = sys.stdout.isatty()
    with progress_reporter(len(p.notes), out, interactive) as advance:
        return run(job, p.notes, jobs, progress=advance)


def summary_table(report: Report, dry_run: bool) -> Table:
    tally = Tally.of(report)
    title = "vaultbot clean (dry run: nothing written)" if dry_run else "vaultbot clean"
    table = Table(title=title)
    table.add_column("rule")
    table.add_column("name")
    table.add_column("found", justify="right")
    table.add_column("would fix" if dry_run else "fixed", justify="right")
    table.add_column("left", justify="right")
    for code in sorted(tally.found | tally.left | tally.fixed):
        table.add_row(
            code,
            tally.names.get(code, ""),
            str(tally.found[code]),
            str(tally.fixed[code]),
            str(tally.left[code]),
        )
    table.add_section()
    table.add_row(
        "total",
        "",
        str(sum(tally.found.values())),
        str(sum(tally.fixed.values())),
        str(sum(tally.left.values())),
    )
    return table


def worst_notes_table(report: Report) -> Table | None:
    ranked = sorted(
        ((len(n.results), n.results[0].path) for n in report.notes if n.results),
        key=lambda item: (-item[0], item[1]),
    )[:TOP_NOTES]
    if not ranked:
        return None
    table = Table()
    table.add_column("findings", justify="right")
    table.add_column("note")
    for count, path in ranked:
        table.add_row(str(count), escape(visible(path)))  # a note name is not rich markup
    return table


def missing_targets_table(report: Report) -> Table | None:
    """The missing link targets most linked to, and from how many notes."""
    missing = summary.missing_targets(r for n in report.notes for r in n.initial)
    if not missing:
        return None
    table = Table()
    table.add_column("links", justify="right")
    table.add_column("notes", justify="right")
    table.add_column("target")
    for entry in missing[:TOP_NOTES]:
        table.add_row(str(entry.links), str(len(entry.notes)), escape(visible(entry.target)))
    return table


def render(report: Report, dry_run: bool, out: TextIO) -> None:
    """The closing tables, and how far an interrupted run got."""
    console = colour.console(out, width=max(100, Console(file=out).width))
    console.print(summary_table(report, dry_run))
    console.print(escape(summary.fix_line(report, dry_run)))
    worst = worst_notes_table(report)
    if worst is not None:
        console.print("Notes with the most findings left:")
        console.print(worst)
    missing = missing_targets_table(report)
    if missing is not None:
        console.print("Most-linked missing targets:")
        console.print(missing)
    if report.interrupted:
        done = "would be written" if dry_run else "written"
        console.print(
            f"[bold red]Interrupted[/] after {report.checked} of {report.planned} notes "
            f"({summary.written(report)} {done}); every note is either unchanged or completely "
            "fixed."
        )


def branch_name(today: dt.date | None = None) -> str:
    return f"vaultbot/cleanup-{(today or dt.date.today()).isoformat()}"


def changed_files(report: Report, root: Path) -> list[Path]:
    """The files this run wrote: fixed notes and created stubs, nothing else."""
    files = [root / n.rel for n in report.notes if n.changed]
    files += [root / rel for n in report.notes for rel in n.creates]
    return files
