"""The closing line of a run, shared by every human-readable format."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from vaultbot.engine import NoteReport, Report, Result
from vaultbot.output.safe import visible
from vaultbot.severity import SEVERITIES


def _plural(n: int, word: str, plural: str = "") -> str:
    """`1 note`, `2 notes`; `plural` for a word that takes more than an `s` (`fixes`)."""
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _severities(results: Sequence[Result]) -> str:
    """`2 errors, 1 warning, 3 info`."""
    counts = Counter(r.severity for r in results)
    return ", ".join(
        f"{counts[s]} info" if s == "info" else _plural(counts[s], s)
        for s in SEVERITIES
        if counts[s]
    )


def fixability(results: Sequence[Result]) -> tuple[int, int]:
    """(safe-fixable, unsafe-fixable) findings among `results`."""
    safe = sum(1 for r in results if r.fix and r.fix["applicability"] == "safe")
    unsafe = sum(1 for r in results if r.fix and r.fix["applicability"] == "unsafe")
    return safe, unsafe


def check_line(report: Report) -> str:
    """What a check found, by severity, with what `fix` can do about it, and the vault's
    profile; a run that had errors never claims that everything was checked."""
    return _check_line(report) + _profile_line(report)


def found_line(report: Report) -> str:
    """What remains after `fix`, by severity: `check_line` without its hint to run
    `vaultbot fix` (`fix_line` says what more `--unsafe-fixes` would do) or the profile."""
    return _check_line(report, hint=False)


def _profile_line(report: Report) -> str:
    return f"\nProfile: {report.profile}." if report.profile and report.checked else ""


def _check_line(report: Report, hint: bool = True) -> str:
    results = report.results
    checked = _plural(report.checked, "note")
    errors = report.all_errors
    accepted = f" ({report.baselined} more in the baseline)" if report.baselined else ""
    if not results:
        if errors:
            return f"No findings in {checked} checked; {_plural(len(errors), 'error')} (below)."
        new = " new" if report.baselined else ""
        return f"All checked: no{new} findings in {checked}{accepted}."
    files = len({r.path for r in results})
    line = (
        f"Found {_plural(len(results), 'finding')} ({_severities(results)}) "
        f"in {files} of {checked}{accepted}."
    )
    told = fix_hint(*fixability(results)) if hint else ""
    return f"{line}\n{told}" if told else line


def fix_hint(safe: int, unsafe: int) -> str:
    """ruff's hint: what `vaultbot fix` would fix, and what only `--unsafe-fixes` would."""
    if safe and unsafe:
        return (
            f"[*] {safe} fixable with `vaultbot fix` ({_plural(unsafe, 'more fix', 'more fixes')} "
            "available with `--unsafe-fixes`)."
        )
    if safe:
        return f"[*] {safe} fixable with `vaultbot fix`."
    if unsafe:
        return f"{_plural(unsafe, 'fix', 'fixes')} available with `vaultbot fix --unsafe-fixes`."
    return ""


def statistics(results: Sequence[Result]) -> str:
    """One line per rule: count, code, name, severity and what can be fixed, most found first."""
    by_code: dict[str, list[Result]] = {}
    for r in results:
        by_code.setdefault(r.code, []).append(r)
    rows = sorted(by_code.items(), key=lambda item: (-len(item[1]), item[0]))
    width = max((len(str(len(found))) for _, found in rows), default=1)
    name_width = max((len(found[0].rule) for _, found in rows), default=0)
    levels = {code: _levels(found) for code, found in rows}
    level_width = max([7, *map(len, levels.values())])  # "warning"
    lines = []
    for code, found in rows:
        safe, unsafe = fixability(found)
        fix = ", ".join(
            part
            for part in (
                f"{safe} fixable" if safe else "",
                f"{unsafe} unsafe-fixable" if unsafe else "",
            )
            if part
        )
        mark = "[*]" if safe == len(found) else "[-]" if safe or unsafe else "[ ]"
        lines.append(
            f"{len(found):>{width}}  {code}  {mark} {found[0].rule:<{name_width}}  "
            f"{levels[code]:<{level_width}}  {fix or 'no fix'}".rstrip()
        )
    return "\n".join(lines)


def _levels(found: Sequence[Result]) -> str:
    """The severities a rule's findings have, worst first (`error/warning`: a rule can lower
    its own for some findings, and a configuration can change it)."""
    present = {r.severity for r in found}
    return "/".join(s for s in SEVERITIES if s in present)


def fix_line(report: Report, dry_run: bool = False, unsafe: bool = False) -> str:
    """`Fixed N issues in M notes; K remaining.` (`Would fix …` for a dry run), with the
    findings the run started from when they are not simply the fixed plus the remaining."""
    fixed = sum(sum(n.fixed.values()) for n in report.notes)
    notes = sum(1 for n in report.notes if n.fixed)
    left = len(report.results)
    verb = "Would fix" if dry_run else "Fixed"
    line = f"{verb} {_plural(fixed, 'issue')} in {_plural(notes, 'note')}; {left} remaining."
    found = sum(len(n.initial) for n in report.notes)
    other = found - fixed - left
    if other > 0:
        gone = "would go" if dry_run else "went"
        line += f" Of {found} found, {other} {gone} away with the fixes of others."
    elif other < 0:
        line += f" {-other} of the fixed appeared only once other fixes were made ({found} found)."
    hidden = fixability(report.results)[1]
    if hidden and not unsafe:
        line += f"\n{_plural(hidden, 'more fix', 'more fixes')} available with `--unsafe-fixes`."
    return line


def fixes_applied(report: Report, dry_run: bool = False) -> str:
    """`--show-fixes`: each note's fixes, by rule (ruff's enumeration of fixed violations)."""
    lines: list[str] = []
    for note in report.notes:
        if not note.fixed:
            continue
        lines.append(f"{visible(note.initial[0].path if note.initial else note.rel)}:")
        names = {r.code: r.rule for r in note.initial}
        lines += [
            f"    {n} × {code} ({names.get(code, '')})" for code, n in sorted(note.fixed.items())
        ]
    head = ("Would fix:" if dry_run else "Fixed:") if lines else "No fixes applied."
    return "\n".join([head, *lines])


_MISSING = re.compile(r"Link target '(.*)' does not exist")


@dataclass
class MissingTarget:
    """A link target no file answers, with the links to it and the notes they are in."""

    target: str
    links: int = 0
    notes: list[str] = field(default_factory=list)


def missing_targets(results: Iterable[Result]) -> list[MissingTarget]:
    """The targets of `link-target-missing` findings, most-linked first (the target is the
    whole quoted text of the message: a target may itself hold a quote)."""
    found: dict[str, MissingTarget] = {}
    for r in results:
        m = _MISSING.match(r.message) if r.code == "LK001" else None
        if m is None:
            continue
        entry = found.setdefault(m.group(1), MissingTarget(m.group(1)))
        entry.links += 1
        if r.path not in entry.notes:
            entry.notes.append(r.path)
    return sorted(found.values(), key=lambda e: (-e.links, e.target))


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
        "notes-checked": report.checked,
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
    return sum(1 for n in report.notes if n.changed and n.error is None)


def interrupted_line(report: Report) -> str:
    """How far an interrupted run got."""
    line = f"interrupted after {report.checked} of {_plural(report.planned, 'note')}"
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
