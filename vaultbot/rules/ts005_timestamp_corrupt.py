"""TS005 timestamp-corrupt: a broken yt-timestamp tag."""

from __future__ import annotations

from collections.abc import Iterator

from vaultbot import timestamps
from vaultbot.note import Note
from vaultbot.rules._anchor_text import canonical_anchor
from vaultbot.rules.base import Edit, Finding, Fix, Rule
from vaultbot.vault import Vault


class TimestampCorrupt(Rule):
    """A broken yt-timestamp tag.

    ## What it does
    Finds tags that were meant to be `<a class="yt-timestamp" data-t="T">[T]</a>` but are not:
    a broken class attribute (`<a class="yt="yt-timestamp" …`, `<a class_yt-timestamp" …`),
    `data="…"` instead of `data-t`, a tag never closed (`data-t="00:53:59]]</a>`), an anchor
    wrapped in a Markdown link (`[01:22:00](<a …>22:00</a>)`, often with the `(` never
    closed: `[00:06:02](<a …>[00:06:02]</a>.`), a range whose first anchor runs into the
    second (`<a …>00:09:17>)-[00:09:21](<a …>00:09:21</a>`: one finding for the range). A
    label merely without its brackets still seeks right: that is
    `timestamp-label-brackets`'s.

    ## Why is this bad?
    The site renders no button, or a button that seeks nowhere, and readers see markup. A
    census of a 21,000-note generated vault found over 10,000 such tags.

    ## Example
    ```markdown
    he called it "terrifying" <a class_yt-timestamp" data-t="00:13:05">[00:13:05]</a>.
    ```

    ## Fix safety
    Safe when the instant can be recovered (the tag's time, the label's time, or both telling
    the same instant): the canonical anchor is rebuilt in place. A `]]` swallowed by a broken
    tag is put back after it, so the wikilink it closed stays closed. An anchor wrapped in a
    Markdown link is rebuilt without the link around it (and its `)` when there is one).
    """

    code, name, severity = "TS005", "timestamp-corrupt", "error"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        for corrupt in timestamps.corrupt_anchors(note):
            fix = None
            if corrupt.seconds is not None:
                raw = note.text[corrupt.start : corrupt.end]
                rebuilt = canonical_anchor(corrupt.seconds)
                if corrupt.range_end is not None:
                    rebuilt += "-" + canonical_anchor(corrupt.range_end)
                if "]]" in raw:
                    rebuilt += "]]"  # the wikilink the broken tag swallowed stays closed
                edit = Edit(corrupt.start, corrupt.end, rebuilt)
                fix = Fix("safe", (edit,), "Rebuild the anchor")
            message = f"Broken timestamp tag: {corrupt.reason}"
            yield self.finding(corrupt.start, corrupt.end, message, fix)
