"""`fix --diff` for a reader: removed lines red, added lines green, and inside a changed line
the changed words emphasised, so a three-character fix in a long paragraph is seen at once."""

from __future__ import annotations

import difflib
import re

import click

from vaultbot.output.safe import visible

_WORDS = re.compile(r"\w+|\s+|[^\w\s]")


def colour(diff: str) -> str:
    """A unified diff with colours and intra-line emphasis (control characters made visible)."""
    out: list[str] = []
    lines = diff.split("\n")
    i = 0
    while i < len(lines):
        if lines[i].startswith("-") and not lines[i].startswith("---"):
            removed = _run(lines, i, "-")
            added = _run(lines, i + len(removed), "+")
            out += _changed(removed, added)
            i += len(removed) + len(added)
            continue
        out.append(_plain(lines[i]))
        i += 1
    return "\n".join(out)


def _run(lines: list[str], start: int, sign: str) -> list[str]:
    end = start
    while end < len(lines) and lines[end].startswith(sign) and not lines[end].startswith(sign * 3):
        end += 1
    return lines[start:end]


def _plain(line: str) -> str:
    shown = visible(line)
    if line.startswith(("---", "+++")):
        return click.style(shown, bold=True)
    if line.startswith("@@"):
        return click.style(shown, fg="cyan")
    if line.startswith("+"):
        return click.style(shown, fg="green")
    if line.startswith("-"):
        return click.style(shown, fg="red")
    return shown


def _changed(removed: list[str], added: list[str]) -> list[str]:
    """Paired lines (the i-th removed with the i-th added) show their changed words."""
    pairs = min(len(removed), len(added))
    old = [_emphasised(removed[k], added[k], "red", old=True) for k in range(pairs)]
    new = [_emphasised(removed[k], added[k], "green", old=False) for k in range(pairs)]
    return (
        old + [_plain(line) for line in removed[pairs:]]
        + new + [_plain(line) for line in added[pairs:]]
    )  # fmt: skip


def _emphasised(before: str, after: str, fg: str, old: bool) -> str:
    a, b = _WORDS.findall(before[1:]), _WORDS.findall(after[1:])
    mine = a if old else b
    parts = [click.style(before[0] if old else after[0], fg=fg)]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        text = visible("".join(mine[i1:i2] if old else mine[j1:j2]))
        if text:
            changed = tag != "equal" or None  # None: no code at all, not "bold off"
            parts.append(click.style(text, fg=fg, bold=changed, reverse=changed))
    return "".join(parts)
