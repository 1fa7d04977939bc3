"""In-note suppression (DESIGN.md §8).

- `%% vaultbot: ignore[rule] %%` on a line silences that line;
- `%% vaultbot: disable[rule] %%` … `%% vaultbot: enable[rule] %%` silences a region;
- front matter `vaultbot-ignore: [rule]` silences the whole note.

Rules are named by name or code; no brackets (or `all`) means every rule.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from vaultbot.note import Note
from vaultbot.rules import Finding

_DIRECTIVE = re.compile(r"%%\s*vaultbot:\s*(ignore|disable|enable)\s*(?:\[([^\]]*)\]\s*)?%%")
ALL = "all"


@dataclass
class Suppressions:
    note_wide: set[str] = field(default_factory=set)
    lines: dict[int, set[str]] = field(default_factory=dict)
    #: rule key -> its disabled regions (start, end): in text order, never overlapping
    regions: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    def suppresses(self, note: Note, finding: Finding) -> bool:
        keys = {finding.rule.name, finding.rule.code.lower(), ALL}
        if self.note_wide & keys:
            return True
        if self.lines.get(note.line_of(finding.start), set()) & keys:
            return True
        return any(_within(self.regions.get(key, []), finding.start) for key in keys)


def _within(spans: list[tuple[int, int]], offset: int) -> bool:
    i = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= offset < spans[i][1]


def _keys(raw: str | None) -> set[str]:
    if raw is None or not raw.strip():
        return {ALL}
    return {part.strip().lower() for part in raw.split(",") if part.strip()}


def collect(note: Note) -> Suppressions:
    result = Suppressions()
    meta = note.meta
    if isinstance(meta, dict) and "vaultbot-ignore" in meta:
        value = meta["vaultbot-ignore"]
        values = value if isinstance(value, list) else [value]
        result.note_wide = {str(v).strip().lower() for v in values}
    open_regions: dict[str, int] = {}
    for start, end in note.comments:
        m = _DIRECTIVE.fullmatch(note.text, start, end)
        if m is None:
            continue
        kind, keys = m.group(1), _keys(m.group(2))
        if kind == "ignore":
            line = note.line_of(start)
            result.lines.setdefault(line, set()).update(keys)
        elif kind == "disable":
            for key in keys:
                open_regions.setdefault(key, start)
        else:
            for key in keys if keys != {ALL} else set(open_regions):
                if key in open_regions:
                    result.regions.setdefault(key, []).append((open_regions.pop(key), end))
    for key, begin in open_regions.items():
        result.regions.setdefault(key, []).append((begin, len(note.text)))
    return result
