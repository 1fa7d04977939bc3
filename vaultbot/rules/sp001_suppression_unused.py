"""A suppression comment that silences nothing (ruff's unused-noqa, RUF100)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from vaultbot.note import Note
from vaultbot.rules.base import Edit, Finding, Fix, Rule
from vaultbot.vault import Vault

if TYPE_CHECKING:
    from vaultbot.suppression import Directive, Suppressions


class SuppressionUnused(Rule):
    """A suppression comment that names an unknown rule or silences nothing.

    ## What it does
    Reports each `%% vaultbot: ignore[…] %%` and `%% vaultbot: disable[…] %%` comment, key by
    key, that names no rule (`ignore[link-target-mising]`), or that names a rule which
    reported nothing where the comment applies (its line, or its region). A rule that did not
    run (not selected) is never called unused. Front matter `vaultbot-ignore` values that name
    no rule are reported too.

    ## Why is this bad?
    A misspelt rule name silences nothing while looking as if it did, and a suppression that
    outlived its finding hides the next real problem on that line. Both make a reader trust a
    note that no rule vouches for.

    ## Example
    ```markdown
    See [[Topic]]. %% vaultbot: ignore[link-target-mising] %%
    ```

    ## Fix safety
    Safe: the fix removes the comment (and the space before it), or, when some of its rules
    are used, removes only the unused names from its list; a `disable` comment goes together
    with the `enable` comment that closes it when that one names the same single rule. The
    comment was vaultbot's own instruction, not note text a reader sees (Obsidian hides
    `%%` comments). Unknown names in front matter get no fix.
    """

    code, name, severity = "SP001", "suppression-unused", "warning"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        return iter(())  # the linter reports through `unused` once the other rules have run

    def unused(self, note: Note, marks: Suppressions, ran: Sequence[Rule]) -> Iterator[Finding]:
        """Findings for the directives of `note` whose keys silenced nothing, given the rules
        that ran (`marks` has recorded which keys were used)."""
        from vaultbot.rules import ALL_RULES, lookup

        keys_ran = {k for r in ran for k in (r.name, r.code.lower())}
        if len({r.code for r in ran}) == len(ALL_RULES):
            keys_ran.add("all")  # a bare `ignore` is idle only if every rule ran
        for key in sorted(marks.note_wide):
            if key != "all" and lookup(key) is None:
                span = _frontmatter_span(note, key)
                yield self.finding(*span, f"vaultbot-ignore names no rule: '{key}'")
        for directive in marks.directives:
            unknown = sorted(k for k in directive.keys if k != "all" and lookup(k) is None)
            idle = (
                sorted(directive.keys - directive.used - set(unknown))
                if all(k in keys_ran for k in directive.keys - set(unknown))
                else []
            )
            bad = unknown + idle
            if not bad:
                continue
            parts = [f"unknown rule '{k}'" for k in unknown] + [
                f"'{k}' silenced nothing" for k in idle
            ]
            message = f"Unused suppression ({', '.join(parts)})"
            yield self.finding(
                directive.start, directive.end, message, _fix(note, directive, set(bad))
            )


def _fix(note: Note, directive: Directive, bad: set[str]) -> Fix:
    keep = sorted(directive.keys - bad)
    if keep:
        text = note.text[directive.start : directive.end]
        new = re.sub(r"\[[^\]]*\]", f"[{', '.join(keep)}]", text, count=1)
        edits = (Edit(directive.start, directive.end, new),)
        return Fix("safe", edits, "Remove the unused rule names")
    edits = [_remove(note, directive.start, directive.end)]
    closer = directive.closer
    if closer is not None and _named(note.text[closer[0] : closer[1]]) == directive.keys:
        edits.append(_remove(note, *closer))
    return Fix("safe", tuple(edits), "Remove the unused suppression")


def _named(comment: str) -> set[str]:
    m = re.search(r"\[([^\]]*)\]", comment)
    return {p.strip().lower() for p in m.group(1).split(",") if p.strip()} if m else {"all"}


def _remove(note: Note, start: int, end: int) -> Edit:
    """Delete a comment with the spaces before it (the whole line when it is alone there)."""
    line_start = note.text.rfind("\n", 0, start) + 1
    before = start
    while before > line_start and note.text[before - 1] in " \t":
        before -= 1
    line_end = note.text.find("\n", end)
    line_end = len(note.text) if line_end == -1 else line_end
    if before == line_start and not note.text[end:line_end].strip():
        return Edit(line_start, min(line_end + 1, len(note.text)), "")
    return Edit(before, end, "")


def _frontmatter_span(note: Note, key: str) -> tuple[int, int]:
    block = note.frontmatter_text
    at = note.text.find(key, 0, len(block) + 8) if block else -1
    if at == -1:
        at = note.text.find("vaultbot-ignore")
        return max(at, 0), max(at, 0) + len("vaultbot-ignore")
    return at, at + len(key)
