"""In-note suppression (DESIGN.md §8).

- `%% vaultbot: ignore[rule] %%` on a line silences that line;
- `%% vaultbot: disable[rule] %%` … `%% vaultbot: enable[rule] %%` silences a region;
- front matter `vaultbot-ignore: [rule]` silences the whole note.

Rules are named by name or code; no brackets (or `all`) means every rule. Each directive
remembers which of its keys silenced a finding, so that the unused ones can be reported
(`suppression-unused`).
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
class Directive:
    """One `ignore` or `disable` comment: where it is, what it names, and which of those
    keys silenced a finding. A `disable` also knows the `enable` comment that closes it."""

    kind: str
    keys: set[str]
    start: int
    end: int
    region_end: int = 0  # ignore: unused; disable: where its region ends
    closer: tuple[int, int] | None = None  # disable: the span of its enable comment
    used: set[str] = field(default_factory=set)


@dataclass
class Suppressions:
    note_wide: set[str] = field(default_factory=set)
    #: line -> rule key -> the `ignore` directives on that line naming it
    lines: dict[int, dict[str, list[Directive]]] = field(default_factory=dict)
    #: rule key -> its `disable` directives (one key each): in text order, never overlapping
    regions: dict[str, list[Directive]] = field(default_factory=dict)

    def suppresses(self, note: Note, finding: Finding) -> bool:
        keys = {finding.rule.name, finding.rule.code.lower(), ALL}
        if self.note_wide & keys:
            return True
        hit = False
        on_line = self.lines.get(note.line_of(finding.start), {})
        for key in keys:
            hit |= _use(on_line.get(key, []), key)
            region = _within(self.regions.get(key, []), finding.start)
            hit |= region is not None and _use([region], key)
        return hit

    @property
    def directives(self) -> list[Directive]:
        found = {id(d): d for line in self.lines.values() for ds in line.values() for d in ds}
        found.update((id(d), d) for ds in self.regions.values() for d in ds)
        return sorted(found.values(), key=lambda d: d.start)


def _use(directives: list[Directive], key: str) -> bool:
    """Mark `key` used on `directives` (all at once, so the first tells whether it was)."""
    if directives and key not in directives[0].used:
        for directive in directives:
            directive.used.add(key)
    return bool(directives)


def _within(regions: list[Directive], offset: int) -> Directive | None:
    i = bisect.bisect_right(regions, offset, key=lambda d: d.start) - 1
    return regions[i] if i >= 0 and offset < regions[i].region_end else None


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
    open_regions: dict[str, Directive] = {}
    for start, end in note.comments:
        m = _DIRECTIVE.fullmatch(note.text, start, end)
        if m is None:
            continue
        kind, keys = m.group(1), _keys(m.group(2))
        if kind == "ignore":
            directive = Directive(kind, keys, start, end)
            on_line = result.lines.setdefault(note.line_of(start), {})
            for key in keys:
                on_line.setdefault(key, []).append(directive)
        elif kind == "disable":
            for key in keys:
                if key not in open_regions:
                    open_regions[key] = Directive(kind, {key}, start, end)
        else:
            for key in keys if keys != {ALL} else set(open_regions):
                if key in open_regions:
                    region = open_regions.pop(key)
                    region.region_end, region.closer = end, (start, end)
                    result.regions.setdefault(key, []).append(region)
    for key, region in open_regions.items():
        region.region_end = len(note.text)
        result.regions.setdefault(key, []).append(region)
    return result
