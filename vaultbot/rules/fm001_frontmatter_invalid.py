"""FM001 frontmatter-invalid: front matter that does not parse as YAML."""

from __future__ import annotations

import re
from collections.abc import Iterator

from vaultbot import frontmatter
from vaultbot.note import Note
from vaultbot.profile import persons_note
from vaultbot.rules._placeholders import has_template_syntax, in_template_folder
from vaultbot.rules.base import Finding, Rule
from vaultbot.vault import Vault


class FrontmatterInvalid(Rule):
    """Front matter that does not parse as YAML.

    ## What it does
    Parses the block between the opening `---` on the first line and the next `---` line.
    Fires when the block is never closed (a `---` first line above a `key:` line; above
    prose, the line is a horizontal rule), also when it ends with YAML's `...` (pandoc reads
    that as the end, Obsidian does not), or when YAML rejects it: syntax errors, tabs used
    for indentation, duplicate keys. The finding points at the line and column YAML names.
    A block that uses a YAML alias (`*name`) is refused too, and not expanded: Obsidian
    properties have no anchors or aliases, and a few nested ones can expand to billions of
    values.

    Not in a template: a note in a folder whose name ends in `template`/`templates`
    (`Templates/`, `_templates/`), or any person's note (a personal vault, no generator
    signals: QuickAdd keeps templates anywhere), whose block holds template syntax
    (`date: {{date}}`, `tags: [<% tp.file.title %>]`), is YAML only once the template is
    applied. Folders that `.obsidian/templates.json` or Templater names are skipped as
    templates anyway; the name tells where the settings are not at hand (a checkout without
    `.obsidian/`).

    ## Why is this bad?
    Obsidian ignores the whole block: properties, tags, aliases and `videoId` are lost, and
    the raw YAML shows up as text.

    ## Example
    ```markdown
    ---
    title: Progress towards AGI
    title: Progress towards AGI (2)
    ---
    ```

    ## Fix safety
    None: which of two values is right, or where a block was meant to end, is a human call.
    """

    code, name, severity = "FM001", "frontmatter-invalid", "error"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        if note.frontmatter_unclosed:
            if _opens_properties(note):
                start, end = note.line_span(1)
                yield self.finding(start, end, _unclosed_message(note))
            return
        fm = note.frontmatter
        if fm is None:
            return
        loaded = frontmatter.load(note.frontmatter_text)
        if loaded.error is None:
            return
        if has_template_syntax(note.frontmatter_text) and (
            in_template_folder(note.rel) or persons_note(note, vault)
        ):
            return  # `date: {{date}}` in a template: YAML once the template is applied
        message, line, column = loaded.error
        number = min(note.line_of(fm.content_start) + line, note.line_count)
        start, end = note.line_span(number)
        offset = min(start + column, end)
        what = "is not read" if loaded.refused else "is not valid YAML"
        yield self.finding(offset, max(end, offset), f"Front matter {what}: {message}")


#: A property line: a key and its colon (`title: …`, `tags:`), as YAML front matter starts.
_KEY_LINE = re.compile(r"[ \t]*[\"']?[^\s:#\-\"'][^:\n]*[\"']?:(?:[ \t]|\r?$)")
#: YAML's document end, which pandoc reads as the end of front matter and Obsidian does not.
_DOCUMENT_END = re.compile(r"^\.\.\.[ \t]*\r?$", re.M)


def _opens_properties(note: Note) -> bool:
    """Whether an unclosed `---` first line opens properties: its first non-blank line below
    is a `key:` line. A `---` above prose is a horizontal rule (Obsidian shows it as one),
    as a person may open a note with."""
    for number in range(2, note.line_count + 1):
        line = note.line_text(number)
        if line.strip():
            return _KEY_LINE.match(line) is not None
    return False


def _unclosed_message(note: Note) -> str:
    if _DOCUMENT_END.search(note.text):
        return (
            "Front matter is closed with '...', which Obsidian does not read as its end: "
            "close it with '---'"
        )
    return "Front matter is not closed (no closing '---' line)"
