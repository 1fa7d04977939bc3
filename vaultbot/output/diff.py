"""`fix --diff` for a reader: removed lines red, added lines green, and inside a changed line
the changed words emphasised, so a three-character fix in a long paragraph is seen at once."""

from __future__ import annotations

import difflib
import re

import click

from vaultbot.output.safe import visible

_WORDS = re.compile(r"\w+|\s+|[^\w\s]")
#: How alike (difflib's ratio of their words) a removed and an added line must be to be shown
#: as one line changed.
PAIRED = 0.5


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
    """A run of removed lines and the added lines after it, each line that became another
    showing its changed words, the others plain."""
    pairs = _pairs(removed, added)
    back = {k: i for i, k in pairs.items()}
    return [
        *(
            _emphasised(line, added[pairs[i]], "red", old=True) if i in pairs else _plain(line)
            for i, line in enumerate(removed)
        ),
        *(
            _emphasised(removed[back[k]], line, "green", old=False) if k in back else _plain(line)
            for k, line in enumerate(added)
        ),
    ]


def _pairs(removed: list[str], added: list[str]) -> dict[int, int]:
    """Removed line -> the added line it became: in order, each to the first added line after
    the last one paired that shares at least half its words with it. A fix changes a few
    characters of a line while whole lines are deleted next to it (an editorial line above a
    fixed link): pairing the i-th removed line with the i-th added one would set unrelated
    lines side by side."""
    pairs: dict[int, int] = {}
    words = [_WORDS.findall(line[1:]) for line in added]
    start = 0
    for i, line in enumerate(removed):
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(_WORDS.findall(line[1:]))
        for k in range(start, len(added)):
            matcher.set_seq1(words[k])
            bounds = (matcher.real_quick_ratio, matcher.quick_ratio, matcher.ratio)  # cheap first
            if all(bound() >= PAIRED for bound in bounds):
                pairs[i], start = k, k + 1
                break
    return pairs


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
