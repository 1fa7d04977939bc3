"""ED002 editorial-fence: the whole note wrapped in a ```markdown fence."""

from __future__ import annotations

from collections.abc import Iterator

from vaultbot.note import Note
from vaultbot.rules.base import Edit, Finding, Fix, Rule, delete_lines
from vaultbot.vault import Vault


class EditorialFence(Rule):
    """The whole note wrapped in a ```` ```markdown ```` fence.

    ## What it does
    Fires when the body (after the front matter and an optional `From: [[…]]` line) opens
    with a ```` ```markdown ```` (or ```` ```md ````, or `~~~`) fence whose closing fence is
    the last line of the note, editorial lines above and below the fence aside ("Here is the
    note:", "Let me know if you want changes!": those are editorial-line's). The rules lint
    what is inside as the Markdown it is, not as code.

    Not in a person's note (a personal vault, no generator signals; see `vaultbot explain
    editorial-line`): there a note that is one ```` ```markdown ```` block is a snippet kept
    as source to copy from, a code block like any other, and nothing inside it is checked.

    ## Why is this bad?
    The model returned its answer as a code block and the pipeline saved it verbatim.
    Obsidian shows the whole note as one grey block of source: no headings, no links, no
    backlinks, no timestamps.

    ## Example
    ````markdown
    From: [[dwarkesh | The Dwarkesh Podcast]]

    ```markdown
    John Schulman discusses [[scaling_laws | scaling laws]] ...
    ```
    ````

    ## Fix safety
    Safe: the fix deletes the two fence lines (and a blank line beside each, so none is
    left doubled) and keeps everything between them byte for byte; the text is already
    read as Markdown, so nothing in it changes meaning. A fence line with text right above
    and below it becomes a blank line, so the two are not joined into one paragraph. No fix
    when the fence is the first line of the file and the text inside starts with `---`:
    unwrapped, that block would become the note's front matter.
    """

    code, name, severity = "ED002", "editorial-fence", "error"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        fence = note.wrapping_fence
        if fence is None:
            return
        (start, opening_end), (closing_start, end) = fence
        first, last = note.line_of(start), note.line_of(closing_start)
        opening = note.text[start:opening_end].strip()
        message = f"The whole note is wrapped in a '{opening}' fence (lines {first}-{last})"
        if first == 1 and note.line_text(2).rstrip() == "---":
            # Unwrapped, the `---` inside would become front matter: a human call.
            yield self.finding(start, end, message)
            return
        edits = [delete_lines(note, first), delete_lines(note, last)]
        if _between_text(note, first):  # keep a line break: do not join what is around it
            edits[0] = Edit(start, opening_end, "")
        if edits[0].end > edits[1].start:  # nothing but blank lines inside
            edits = [delete_lines(note, first, last)]
        yield self.finding(start, end, message, Fix("safe", tuple(edits), "Remove the fences"))


def _between_text(note: Note, number: int) -> bool:
    """Line `number` has text right above it (in the body) and right below it."""
    above = number - 1 >= note.line_of(note.body_start) and note.line_text(number - 1).strip()
    return bool(above) and number < note.line_count and bool(note.line_text(number + 1).strip())
