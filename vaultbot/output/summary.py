"""The closing line of a run, shared by every human-readable format."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from vaultbot.engine import NoteReport, Report


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def check_line(report: Report) -> str:
    return _check_line(report) + _profile_line(report)


def _profile_line(report: Report) -> str:
    return f"\nProfile: {report.profile}." if report.profile else ""


def _check_line(report: Report) -> str:
    results = report.results
    checked = len(report.notes)
    if not results:
        return f"All checked: no findings in {_plural(checked, 'note')}."
    counts = Counter(r.code for r in results)
    per_rule = ", ".join(f"{code} {n}" for code, n in sorted(counts.items()))
    files = len({r.path for r in results})
    line = f"Found {_plural(len(results), 'finding')} in {files} of {checked} notes ({per_rule})."
    fixable = sum(1 for r in results if r.fix and r.fix["applicability"] == "safe")
    if fixable:
        line += f"\n{fixable} fixable with `vaultbot fix`."
    return line


def fix_line(report: Report, dry_run: bool = False) -> str:
    """`Fixed N issues in M notes; K remaining` (`Would fix …` for a dry run)."""
    fixed = sum(sum(n.fixed.values()) for n in report.notes)
    notes = sum(1 for n in report.notes if n.fixed)
    verb = "Would fix" if dry_run else "Fixed"
    return f"{verb} {_plural(fixed, 'issue')} in {_plural(notes, 'note')}; {len(report.results)} remaining."


def _lines(values: dict[str, int]) -> str:
    return "".join(f"{name}={value}\n" for name, value in values.items())


def check_counts(report: Report) -> str:
    """`name=value` lines of a check's counts, for a step's outputs (`$GITHUB_OUTPUT`)."""
    severities = Counter(r.severity for r in report.results)
    return _lines({
        "findings": len(report.results),
        "errors": severities["error"],
        "warnings": severities["warning"],
        "notices": severities["info"],
        "notes-checked": len(report.notes),
    })  # fmt: skip


def fix_counts(report: Report) -> str:
    """`name=value` lines of a fix run's counts, for a step's outputs."""
    return _lines({
        "fixes": sum(sum(n.fixed.values()) for n in report.notes),
        "notes-fixed": sum(1 for n in report.notes if n.fixed),
        "remaining": len(report.results),
    })  # fmt: skip


def written(report: Report) -> int:
    """How many notes the run wrote (a dry run: would have written)."""
    return sum(1 for n in report.notes if n.diff and n.error is None)


def interrupted_line(report: Report) -> str:
    """How far an interrupted run got."""
    line = f"interrupted after {len(report.notes)} of {_plural(report.planned, 'note')}"
    if report.writes:
        line += f" ({_plural(written(report), 'note')} written)"
    return line


def commit_message(fixed_notes: Iterable[NoteReport]) -> str:
    """A bot commit's message: what was fixed in the committed notes, per rule."""
    counts: Counter[str] = Counter()
    notes = 0
    for note in fixed_notes:
        counts.update(note.fixed)
        notes += bool(note.fixed)
    lines = [
        f"vaultbot: fix {_plural(sum(counts.values()), 'issue')} in {_plural(notes, 'note')}",
        "",
    ]
    lines += [f"- {code}: {n}" for code, n in sorted(counts.items())]
    return "\n".join(lines) + "\n"
