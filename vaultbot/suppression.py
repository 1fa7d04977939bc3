"""In-note suppression (DESIGN.md §8).

- `%% vaultbot: ignore[rule] %%` on a line silences that line;
- `%% vaultbot: disable[rule] %%` … `%% vaultbot: enable[rule] %%` silences a region;
- front matter `vaultbot-ignore: [rule]` silences the whole note.

Rules are named by name or code; no brackets (or `all`) means every rule. Each directive
remembers which of its keys silenced a finding, so that the unused ones can be reported
(`suppression-unused`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from vaultbot.note import Note
from vaultbot.rules import Finding

_DIRECTIVE = re.compile(r"%%\s*vaultbot:\s*(ignore|disable|enable)\s*(?:\[([^\]]*)\])?\s*%%")
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
    lines: dict[int, list[Directive]] = field(default_factory=dict)
    regions: list[Directive] = field(default_factory=list)

    def suppresses(self, note: Note, finding: Finding) -> bool:
        keys = {finding.rule.name, finding.rule.code.lower(), ALL}
        if self.note_wide & keys:
            return True
        hit = False
        for directive in self.lines.get(note.line_of(finding.start), []):
            hit |= _use(directive, keys)
        for directive in self.regions:
            if directive.start <= finding.start < directive.region_end:
                hit |= _use(directive, keys)
        return hit

    @property
    def directives(self) -> list[Directive]:
        found = [d for line in self.lines.values() for d in line] + self.regions
        return sorted(found, key=lambda d: d.start)


def _use(directive: Directive, keys: set[str]) -> bool:
    matched = directive.keys & keys
    directive.used |= matched
    return bool(matched)


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
            result.lines.setdefault(note.line_of(start), []).append(directive)
        elif kind == "disable":
            for key in keys:
                if key not in open_regions:
                    open_regions[key] = Directive(kind, {key}, start, end)
        else:
            for key in keys if keys != {ALL} else set(open_regions):
                if key in open_regions:
                    region = open_regions.pop(key)
                    region.region_end, region.closer = end, (start, end)
                    result.regions.append(region)
    for region in open_regions.values():
        region.region_end = len(note.text)
        result.regions.append(region)
    return result
