"""ED001 editorial-line: a stray line written by the LLM to its requester."""

from __future__ import annotations

import re
from collections.abc import Iterator

from vaultbot.note import Note
from vaultbot.profile import note_signals
from vaultbot.rules._editorial import (
    EDIT_REPORT,
    EDITED_TEXT,
    LEAK,
    SELF_DISCLOSURE,
    classify,
    find_hits,
    keeps_meaning,
    line_deletion,
    machine_made,
    prompt_line,
)
from vaultbot.rules._leaks import Leak, find_leaks
from vaultbot.rules.base import Edit, Finding, Fix, Rule
from vaultbot.vault import Vault


class EditorialLine(Rule):
    """A stray line written by the LLM to its requester, not for the reader.

    ## What it does
    Finds lines such as "Here is the modified article with inserted backlinks:" at the top of
    a note (after a fixed header like `From: [[channel]]`), "Let me know if you need more
    changes", "I hope this helps" or "Would you like me to add a timeline?" at the bottom,
    and leaked prompt or reasoning lines ("Add backlinks using these topics:", "Mental
    Sandbox:", "You are a helpful assistant that …", "Task: Write a note about …", "Let me
    think step by step", a chat template's `<|im_end|>`) and the model speaking as itself
    ("As an AI language model, …") anywhere.

    It weighs signals instead of matching fixed sentences: position in the note, an opener
    that hands something over ("Here is", "Below is", "Certainly!"), the text talking about
    itself ("the modified article", "this summary"), talk of edits and links, and first or
    second person addressed to a requester. Lines in code, comments, block quotes or quotes
    never fire, and nor do content lines such as "Here is the key idea:" or a sentence about an
    article a guest cites. The phrase families live in `editorial.toml`.

    ## Why is this bad?
    The line is part of the generation chat, not of the note: readers see it, search finds
    it, and it shows the vault was produced carelessly.

    ## Example
    ```markdown
    From: [[dwarkesh | The Dwarkesh Podcast]]

    Here is the modified article with inserted backlinks:

    John Schulman discusses ...
    ```

    A leaked line that heads a block (the topic list below "Add backlinks using these
    topics:", a checklist, reasoning) is reported here; the block below it is ED003's.

    A person writes such lines too ("Thanks for reading! I hope this helps."), so the rule
    weighs the signals a pipeline leaves on the note: a fixed header line (`From: [[…]]`;
    not on its own in a personal vault, where a person's mail and quote notes open so too), a
    `videoId` or generator key in front matter, yt-timestamp anchors. In a note without them
    it fires only when the vault is generated (the vault profile, see `vaultbot explain
    LK001`) or the line is about the text itself (the edit, the edited article, a leaked
    prompt), and then as a warning. In a personal vault such a line must also say what only
    a model writes about its edit (backlinks, the modified article, the topics it was given,
    timestamps, its prompt or reasoning), and not of the writer's own notes: "Here's my
    plan:", "Note: I have a meeting at 3", "I added backlinks to my book notes" and "Each
    link below points to a chapter" are a person's lines about their own notes, and "You
    are a helpful assistant that …" or "Task: Write a note about …" a prompt they keep.

    ## Fix safety
    In a note bearing generator signals, deleting the line (and one blank line beside it)
    is safe: the line carries no content. In a note without them the fix is unsafe: the
    line may be a person's sentence, and a safe fix never deletes a person's text. Nor is it
    safe for "As an AI language model, I cannot …, but …": such a line may go on with content.
    When a heading is glued to the end of the line (`…as asked.## Heading`), only the text
    before the heading is deleted; there is no fix when that heading is an `# H1`, which
    would become a second title of the note. When the note's text goes on after the colon
    that ends the editorial phrase (`Here is the modified article: The guest argues …`), only
    the phrase up to the text is deleted.
    There is no fix when the line right below it would change meaning without it (an indented
    continuation line would become a code block, a `---` underline a horizontal rule), nor
    when the line heads leaked reasoning or a checklist (ED003): without the line, nothing
    would tell that block from content, so ED003's fix deletes the two together. A topic
    list of `Name – [[name | Name]]` lines is recognised on its own, so its header line
    is still deleted here.
    """

    code, name, severity = "ED001", "editorial-line", "error"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        hits = note.memo(find_hits)
        if not hits:
            return
        leaks = note.memo(find_leaks) if any(h.reason == LEAK for h in hits.values()) else []
        hidden = hidden_headers(leaks)
        generated = note_signals(note, vault)
        persons = not generated and vault.profile.name != "generated"
        for hit in hits.values():
            if not (generated or vault.profile.name == "generated" or hit.reason in ABOUT_TEXT):
                continue  # "I hope this helps" in a person's note: their sentence
            line = note.text[hit.start : hit.end]
            if persons and (not machine_made(line) or prompt_line(line)):
                # "I changed the headings in my notes": about their own notes; "You are a
                # helpful assistant that …": a prompt they keep.
                continue
            edit = line_edit(note, hit.number, hidden)
            # "As an AI language model, I cannot …, but …": the line may go on with content.
            safety = "safe" if generated and hit.reason != SELF_DISCLOSURE else "unsafe"
            fix = None if edit is None else Fix(safety, (edit,), "Delete the editorial line")
            message = f"Editorial line ({hit.reason})"
            if generated:
                yield self.finding(hit.start, hit.end, message, fix)
            else:
                message += "; the note bears no generator signals, so it may be a person's text"
                yield self.finding(hit.start, hit.end, message, fix, severity="warning")


#: Reasons that are about the text, its links or its edit: such a line is the model's even in
#: a note that bears no generator signals.
ABOUT_TEXT = frozenset({LEAK, EDIT_REPORT, EDITED_TEXT, SELF_DISCLOSURE})


#: A heading glued to the end of an editorial line: `…markdown rules.## Heading`.
_GLUED_HEADING = re.compile(r"[.!?:][ \t]*((#{1,6})[ \t]+\S)")


def hidden_headers(leaks: list[Leak]) -> frozenset[int]:
    """The lines that head a leaked block nothing would find without them (see `line_edit`)."""
    return frozenset(
        leak.header for leak in leaks if leak.header is not None and not leak.refindable
    )


def line_edit(note: Note, number: int, hidden: frozenset[int]) -> Edit | None:
    """ED001's fix of editorial line `number`: delete it, unless the line below would change
    meaning, or the line heads a leaked block that nothing would find without it (`hidden`,
    taken once per note: a note may hold thousands of lines and leaks)."""
    if number in hidden:
        return None
    start, end = note.line_span(number)
    glued = _GLUED_HEADING.search(note.text, start, end)
    if glued is not None:  # "… markdown rules.## Heading": the heading stays, on its own
        # An `# H1` would become a second title of the note (heading-stray-h1): a human call.
        return Edit(start, glued.start(1), "") if glued.group(2) != "#" else None
    glued = _glued_content(note, start, end)
    if glued is not None:  # "Here is the modified article: The guest argues …": keep the text
        return Edit(start, glued, "")
    edit = line_deletion(note, number)
    return edit if edit is not None and keeps_meaning(note, [edit]) else None


#: The emphasis an editorial line opens with (`**Here is the revised article:** …`).
_LEAD_MARKUP = re.compile(r"[ \t]*([*_]*)")


def _glued_content(note: Note, start: int, end: int) -> int | None:
    """Where the content starts when the note's text goes on, on the same line, after an
    editorial phrase that ends with a colon ("Here is the modified article with inserted
    backlinks: The guest argues …"); None when the line is the phrase alone, or the text
    before its first colon is no editorial line by itself ("Note: I added backlinks …", all
    of it the model's)."""
    text = note.text
    colon = text.find(":", start, end)
    if colon == -1:
        return None
    content = colon + 1
    lead = _LEAD_MARKUP.match(text, start, end).group(1)  # type: ignore[union-attr]
    if lead and text.startswith(lead, content):
        content += len(lead)  # the emphasis around the phrase closes after its colon
    while content < end and text[content] in " \t":
        content += 1
    if not text[content:end].strip(" \t*_") or classify(text[start : colon + 1], True) is None:
        return None
    return content
