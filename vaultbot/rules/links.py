"""Links between notes: wikilinks, embeds, Markdown links and front-matter links."""

from __future__ import annotations

from collections.abc import Iterator

from vaultbot import links
from vaultbot.note import Note
from vaultbot.rules.base import Finding, Rule
from vaultbot.vault import Vault


class LinkTargetMissing(Rule):
    """A link whose target resolves to no file of the vault, by Obsidian's rules.

    ## What it does
    Resolves every wikilink `[[t]]`, embed `![[t]]`, Markdown link `[x](t)` without a URL
    scheme, and front-matter value written as `"[[t]]"` exactly as Obsidian does: case-
    insensitive and NFC-normalised; a bare name matches any file of that name; a path matches
    the vault-root path or a path suffix; `./` and `../` are relative to the note and need an
    exact match; a leading `/` means the vault root; a last segment with a `.` is tried as is,
    then with `.md`. Files in hidden folders (`.obsidian`, `.trash`) are never targets.
    `[[#Heading]]` points at the note itself. Missing headings and blocks do not count here.
    Links in code, math, HTML and comments are not links.

    ## Why is this bad?
    Obsidian shows the link as unresolved; clicking it creates an empty note. In generated
    vaults these are usually misspelt or hallucinated topics.

    ## Example
    ```markdown
    See [[artifical_general_intelligence]] for more.
    ```

    ## Fix safety
    No automatic fix yet (relinking to a unique near match, unlinking and creating stubs are
    planned).
    """

    code, name, severity = "LK001", "link-target-missing", "error"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        for link in links.all_links(note):
            if link.target and vault.resolve(link.target, note.rel) is None:
                yield self.finding(
                    link.start, link.end, f"Link target '{link.target}' does not exist"
                )
