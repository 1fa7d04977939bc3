"""MD001 heading-stray-h1: an H1 heading in a note whose title lives in front matter."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from vaultbot.markdown import Heading, may_hold_h1, may_hold_h1_below
from vaultbot.note import HEADER_LINE, Note
from vaultbot.profile import note_signals
from vaultbot.rules.base import Edit, Finding, Fix, Rule, delete_lines
from vaultbot.vault import Vault

_TITLE_KEY = re.compile(r"^title[ \t]*:", re.M)
_ATX = re.compile(r"^ {0,3}(#{1,6})(?=[ \t]|$)", re.M)
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+)[ \t]*$", re.M)
_TAG = re.compile(r"#[^\s#]+")


class HeadingStrayH1(Rule):
    """An H1 heading in a note whose title lives in front matter.

    ## What it does
    Fires on each `# Heading` (or `Heading` underlined with `===`) in the body of a note
    whose front matter has a `title:`. Headings in code, comments, block quotes and list
    items, empty headings, and lines that are only tags (`#tag`) are left alone; a note
    without a front-matter title may use H1 as it likes.

    Whether the title is rendered decides how much fires. It is where a publisher renders
    it: in a generated vault (the vault profile, see `vaultbot explain LK001`), in a note
    bearing generator signals, or where a Quartz config (`quartz.config.ts`, `.js`, `.mjs`)
    sits at or above the vault root; there every H1 fires. Plain Obsidian does not render
    `title`, so in a personal vault the house style of a `title` *and* an H1 is left alone,
    and only a stray section heading fires: an H1 below a `##` (or deeper) heading, such as
    a `# Conclusion` after the note's `##` sections. A note whose sections are H1s (two or
    more of them before its first `##`, as blog posts kept in a vault are written) has no
    stray H1. Set `profile = "generated"` in the config to have every H1 reported.

    ## Why is this bad?
    The title is rendered from front matter as the page's only H1. A second H1 in the body
    breaks the outline: the table of contents, the heading hierarchy screen readers use, and
    "Sections" in Obsidian's outline all show it as a second title. LLM pipelines often start
    sections at `#` although the note's sections are `##`.

    ## Example
    ```markdown
    ---
    title: Economic impacts of AI and automation
    ---

    # Timelines for AI-Driven Automation
    ```

    Use instead:

    ```markdown
    ## Timelines for AI-Driven Automation
    ```

    ## Fix safety
    Unsafe: the fix demotes the heading to `##` and every heading of its section (up to the
    next H1) by one level, so the section keeps its inner structure (an H6 stays an H6);
    links to the headings keep working, but the outline changes, and whether that was the
    writer's intent is a judgement call. An H1 that only repeats the title at the top of
    the body is deleted instead. No fix when the section holds a heading underlined with
    `-`, which has no deeper underlined form.
    """

    code, name, severity = "MD001", "heading-stray-h1", "warning"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        if not _TITLE_KEY.search(note.frontmatter_text):
            return
        meta = note.meta
        title = meta.get("title") if isinstance(meta, dict) else None
        if not isinstance(title, str) or not title.strip():
            return
        if not may_hold_h1(note.text, note.body_start):
            return  # no H1 to report, and the note needs no parse for its headings
        rendered = title_rendered(note, vault)
        if not rendered and not may_hold_h1_below(note.text, note.body_start):
            return  # only an H1 below a deeper heading is stray here; none can be
        headings = [h for h in note.parsed.headings if _top_level(note, h)]
        h1_sections = not rendered and _h1_sections(headings)
        for i, heading in enumerate(headings):
            if heading.level != 1 or not heading.text.strip() or _is_tag_line(heading.text):
                continue
            if not (rendered or any(h.level > 1 for h in headings[:i])) or h1_sections:
                continue  # the house style of title and H1: stray only below a section
            start, end = note.line_span(note.line_of(heading.start))
            if _repeats_title(note, heading, title):
                fix = Fix(
                    "unsafe",
                    (_delete_leading_line(note, note.line_of(heading.start)),),
                    "Delete the heading that repeats the title",
                )
                message = f"H1 heading repeats the front-matter title {title!r}"
            else:
                after = i + 1  # the section: up to the next H1 (no copy of the list's tail)
                while after < len(headings) and headings[after].level != 1:
                    after += 1
                fix = _demote(note, headings[i:after])
                message = f"H1 heading {heading.text!r} in a note titled in front matter; use '##'"
            yield self.finding(start, end, message, fix)


#: A Quartz site's config: the site renders front-matter `title` as the page's H1.
QUARTZ_CONFIGS = ("quartz.config.ts", "quartz.config.js", "quartz.config.mjs")


def title_rendered(note: Note, vault: Vault) -> bool:
    """Whether the note's front-matter title is rendered as its H1: in a generated vault or
    note, or where a Quartz config sits at or above the vault root. Plain Obsidian does not
    render `title`."""
    return vault.profile.name == "generated" or note_signals(note, vault) or vault.memo(_published)


def _published(vault: Vault) -> bool:
    return any(
        (folder / name).is_file()
        for folder in (vault.root, *vault.root.parents)
        for name in QUARTZ_CONFIGS
    )


def _h1_sections(headings: list[Heading]) -> bool:
    """The note's sections are H1s: two or more H1s come before its first deeper heading (a
    post kept as written: `# Overview`, `# Setup`, then `## Step 1`). There an H1 after a
    `##` subsection is the next section, not a stray one; one H1 above `##` sections is the
    title, and an H1 after them (`# Conclusion`) stray."""
    before = itertools.takewhile(lambda h: h.level == 1, headings)
    return sum(1 for h in before if h.text.strip() and not _is_tag_line(h.text)) >= 2


def _top_level(note: Note, heading: Heading) -> bool:
    """A heading of the body itself: prose, not in a block quote or a list item."""
    if not note.is_prose(heading.start):
        return False
    line_start = note.line_span(note.line_of(heading.start))[0]
    return not note.text[line_start : heading.start].strip()


def _is_tag_line(text: str) -> bool:
    return not _TAG.sub("", text).strip()


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _repeats_title(note: Note, heading: Heading, title: str) -> bool:
    """`# Title` as the first line of the body (after a `From:` line or the opening line of a
    fence around the whole note, if any)."""
    line_start, line_end = note.line_span(note.line_of(heading.start))
    if _fold(heading.text) != _fold(title) or not _ATX.match(note.text, line_start, line_end):
        return False
    return note.memo(_first_content) >= line_start


def _first_content(note: Note) -> int:
    """Offset of the body's first line that is neither blank nor a fixed header line (the
    opening line of a fence around the whole note does not count), or the end of the text.
    Computed once per note: every H1 compares its own line with it."""
    fence = note.wrapping_fence
    if note.body_start == len(note.text):
        return len(note.text)
    for number in range(note.line_of(note.body_start), note.line_count + 1):
        start, end = note.line_span(number)
        line = note.text[start:end]
        if fence is not None and fence[0][0] <= start < fence[0][1]:
            line = note.text[start : fence[0][0]] + note.text[fence[0][1] : end]
        if line.strip(" \t") and not HEADER_LINE.match(line):
            return start
    return len(note.text)


def _delete_leading_line(note: Note, number: int) -> Edit:
    """Delete the first content line `number` of the body and one blank line below it: what
    is above it is blank, a `From:` line or a fence line that may go in the same round."""
    last = note.line_count - note.text.endswith("\n")
    if number >= last:
        return delete_lines(note, number)
    end = note.line_starts[number]
    if number + 1 < last and note.is_blank(number + 1):
        end = note.line_starts[number + 1]
    return Edit(note.line_starts[number - 1], end, "")


def _demote(note: Note, section: list[Heading]) -> Fix | None:
    """One level down for each heading of `section` (an H1 and the headings below it)."""
    edits: list[Edit] = []
    for heading in section:
        number = note.line_of(heading.start)
        line_start, line_end = note.line_span(number)
        m = _ATX.match(note.text, line_start, line_end)
        if m is not None:
            if heading.level < 6:
                edits.append(Edit(m.start(1), m.start(1), "#"))
            continue
        if heading.level != 1:
            return None  # `Text` over `---`: no underline for an H3
        last = note.line_of(max(heading.start, heading.end - 1))
        while last > number and not note.line_text(last).strip():
            last -= 1
        underline_start, underline_end = note.line_span(last)
        u = _SETEXT_UNDERLINE.match(note.text, underline_start, underline_end)
        if u is None:
            return None
        edits.append(Edit(u.start(1), u.end(1), "-" * len(u.group(1))))
    return Fix("unsafe", tuple(edits), "Demote the heading and its section by one level")
