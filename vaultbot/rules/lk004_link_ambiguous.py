"""LK004 link-ambiguous: a link by bare name that several files could answer."""

from __future__ import annotations

import posixpath
import unicodedata
from collections.abc import Iterator

from vaultbot import links
from vaultbot.note import Note
from vaultbot.rules.base import Finding, Rule
from vaultbot.vault import Vault

#: How many candidate files a message names.
MAX_CANDIDATES = 3


def _shared_names(vault: Vault) -> frozenset[str]:
    """Lower-cased file names that more than one file of the vault has."""
    return frozenset(name for name, keys in vault.by_name.items() if len(keys) > 1)


class LinkAmbiguous(Rule):
    """A link by bare name that several files of the vault could answer.

    ## What it does
    For every link written as a bare name (no `/`), counts the files with that name, as
    Obsidian's index does (case-insensitive; `.md` added when the name has no extension).
    When there are several, reports them (up to three) and the one Obsidian opens from this
    note: an exact vault-root path first, then files under the note's own folder, then the
    shortest path. A link answered by a file in the note's own folder is not reported: that
    neighbour is almost always the one meant.

    ## Why is this bad?
    The link works, but perhaps not as meant: the writer may not know about the other file,
    and moving either note, or the linking note, silently changes which one opens.

    ## Example
    ```markdown
    See [[Definition]].   <!-- Math/Definition.md and Logic/Definition.md both exist -->
    ```

    ## Fix safety
    None: only the writer knows which note was meant. Writing the link with a path
    (`[[Math/Definition]]`) or renaming one of the notes silences it.
    """

    code, name, severity = "LK004", "link-ambiguous", "info"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        shared = vault.memo(_shared_names)
        if not shared:
            return
        for link in links.all_links(note):
            target = link.target
            if not target or "/" in target:
                continue
            name = unicodedata.normalize("NFC", target).lower()
            if name not in shared and name + ".md" not in shared:
                continue
            found = vault.candidates(target)
            if len(found) < 2:
                continue
            chosen = vault.resolve(target, note.rel)
            if chosen is not None and posixpath.dirname(chosen) == posixpath.dirname(note.rel):
                continue  # Obsidian opens the neighbour in the note's own folder: meant
            named = ", ".join(f"'{rel}'" for rel in found[:MAX_CANDIDATES])
            if len(found) > MAX_CANDIDATES:
                named += f" and {len(found) - MAX_CANDIDATES} more"
            message = (
                f"Link '{target}' matches {len(found)} files ({named}); Obsidian opens '{chosen}'"
            )
            yield self.finding(link.start, link.end, message)
