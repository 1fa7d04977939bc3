"""LK002 link-malformed: a wikilink broken as written (unclosed, empty, junk alias or target)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from vaultbot import links
from vaultbot.links import Link
from vaultbot.markdown import MarkdownLink
from vaultbot.note import Note
from vaultbot.profile import persons_note
from vaultbot.rules._placeholders import has_template_syntax, in_template_folder, is_placeholder
from vaultbot.rules.base import Edit, Finding, Fix, Rule
from vaultbot.vault import Vault

#: An alias that is a video timestamp: `[00:05:19` (the `]` follows the link), `00:05:19`,
#: or `(00:05:19)`.
_TIMESTAMP_ALIAS = re.compile(r"([\[(])?\s*(\d{1,2}(?::\d{2}){1,2})\s*(?:([\])])\s*)?")


@dataclass(frozen=True)
class _WikiParts:
    """A wikilink as written: `opener` (`[[` or `![[`), the inside, and where the alias is."""

    opener: str
    inner: str
    pipe: int  # index of the alias `|` in `inner`, or -1

    @property
    def written(self) -> str:
        """Target and subpath as written, without the alias, its pipe and a table's `\\`."""
        head = self.inner if self.pipe == -1 else self.inner[: self.pipe]
        head = head.rstrip()
        return head[:-1].rstrip() if head.endswith("\\") else head


def _wiki_parts(note: Note, link: Link) -> _WikiParts | None:
    """The parts of a wikilink, embed or front-matter link whose text is where it says."""
    raw = note.text[link.start : link.end]
    if raw != link.raw or not raw.endswith("]]"):
        return None  # a front-matter value written with escapes: leave it alone
    opener = "![[" if raw.startswith("![[") else "[["
    if not raw.startswith(opener):
        return None
    inner = raw[len(opener) : -2]
    return _WikiParts(opener, inner, inner.find("|", 1))


class LinkMalformed(Rule):
    """A wikilink that is broken as written: unclosed, empty, or with a junk alias or target.

    ## What it does
    Reports, in prose and in front-matter links:
    - a `[[` that is not closed on its line (Obsidian then shows the brackets as text), or
      that is followed by another `[[` before its `]]`;
    - an empty link: `[[]]`, `[[ ]]`, `[[#]]` (a warning in a person's note: a personal vault,
      no generator signals, where `- [[]]` may be a placeholder left to fill);
    - an empty alias: `[[topic | ]]`;
    - a target holding `[` or `]` that resolves to no file (`[[government_and_policy_co].]]`:
      the first `]]` closes the link, so its target is `government_and_policy_co].`);
      Obsidian refuses brackets in note names, so no note can ever answer it, and
      `link-target-missing` leaves it to this rule. A matrix or nested list written in
      prose (`[[1, 2], [3, 4]]`) is shown by Obsidian as such a link too, but is most likely
      meant as text: it is a warning, asking for code or math;
    - a video timestamp used as the alias: `[[topic | [00:05:19]]]`, `[[topic | 00:05:19]]`,
      `[[topic | (00:02:33)]]` (not in a person's note: a personal vault, no generator
      signals, where a time is the text the person chose for the link);
    - a template or prompt variable left as the target, such as `[[article_link | LLMs]]`,
      `[[other_topics_and_links]]`, `[[<topic>]]` or `[[{{title}}]]`. To spare real note
      names, the target must resolve to no file and be either template syntax (`{{…}}`,
      `{%…%}`, `<%…%>`, `${…}`) or made only of placeholder words (`article`, `link`, `topic`,
      `other`, `related`, `and`, …) including a slot word (`link`, `topic`, `title`, `name`,
      `url`, …), written as `{words}`, `<words>` or one `snake_case`/`UPPER_CASE` identifier
      of two words or more. Notes in a folder whose name ends in `template`/`templates` are
      not checked for placeholders: there they are meant. Nor is template syntax in a
      person's note (a personal vault, no generator signals): templates kept in another
      folder (QuickAdd's) and notes on writing templates hold it on purpose. There a
      target of template syntax is not checked for brackets either: they are its code's
      (`[[<% tp.system.suggester(["Ann", "Bo"], ["Ann", "Bo"]) %>]]`).

    ## Why is this bad?
    These are pipeline debris. Readers see stray brackets, an invisible or meaningless link
    text, or a link to a note that can never exist; a time that was meant to be a citation
    into the video is hidden inside a link to another note.

    ## Example
    ```markdown
    Governments were slow [[institutional_failures | [00:02:25]]].
    See [[geopolitical_strategies | ]] and [[article_link | Large Language Models]].
    ```

    ## Fix safety
    - Empty alias: safe. The pipe and the spaces around it are dropped (`[[topic]]`), which
      shows the target's name, as the writer evidently meant.
    - Timestamp alias: unsafe. The link keeps its target and the time follows it as a label:
      `[[topic]] [00:05:19]`, so the reader keeps both the link and the time (in a note with a
      `videoId`, `timestamp-bare` then turns the label into an anchor). No fix when `(`
      follows the link: `[00:05:19](…)` would become a Markdown link.
    - Placeholder target with an alias: unsafe. The link is replaced by its alias text, which
      is what the reader saw; without an alias there is nothing to keep, so no fix.
    - Unclosed `[[` and empty links: no fix; what was meant is a human call.
    Links in front matter get no fix (the YAML around them is left to a human).
    """

    code, name, severity = "LK002", "link-malformed", "error"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        persons = persons_note(note, vault)
        found = [*self._unclosed(note, persons), *self._links(note, vault, persons)]
        found.sort(key=lambda f: f.start)
        yield from found

    def _empty(self, start: int, end: int, raw: str, persons: bool) -> Finding:
        """An empty link: debris in a pipeline's note; in a person's, maybe a placeholder
        left on purpose (`- [[]]` in a list to fill), so said more quietly."""
        if persons:
            message = f"Empty link '{raw}'; in a person's note it may be a placeholder to fill"
            return self.finding(start, end, message, severity="warning")
        return self.finding(start, end, f"Empty link '{raw}'")

    def _unclosed(self, note: Note, persons: bool) -> Iterator[Finding]:
        text = note.text
        pos = text.find("[[", note.body_start)
        if pos == -1:
            return
        spans = [(link.start, link.end) for link in links.all_links(note)]
        starts = [s for s, _ in spans]
        closes: list[int] | None = None  # every `]]`, listed at the first unclosed link
        while pos != -1:
            here = pos
            pos = text.find("[[", here + 2)
            i = bisect.bisect_right(starts, here) - 1
            if i >= 0 and here < spans[i][1]:
                continue  # part of a link
            if (here and text[here - 1] == "\\") or not note.is_prose(here):
                continue
            start = here - 1 if here and text[here - 1] == "!" else here
            if text.startswith("]]", here + 2):
                yield self._empty(start, here + 4, text[start : here + 4], persons)
            elif not (_bracketed_markdown_link(note, here) or _NESTED_LIST.match(text, here)):
                end = _prose_end(note, here, note.line_span(note.line_of(here))[1])
                if closes is None:
                    closes = [m.start() for m in _CLOSE.finditer(text, note.body_start)]
                i = bisect.bisect_left(closes, here)
                closed = i < len(closes) and closes[i] + 2 <= end
                why = "another '[[' opens before its ']]'" if closed else "no ']]' on its line"
                yield self.finding(
                    start, here + 2, f"Unclosed wikilink '{_snippet(text, here, end)}': {why}"
                )

    def _links(self, note: Note, vault: Vault, persons: bool) -> Iterator[Finding]:
        check_placeholders = not in_template_folder(note.rel)
        # A person writes template syntax on purpose (templates kept elsewhere, QuickAdd's;
        # notes on writing templates) and a time as a link's text; a model leaves them behind.
        template_syntax_meant = persons
        for link in links.all_links(note):
            if link.kind == "markdown":
                continue
            inner = link.raw[link.raw.find("[[") + 2 : -2]
            if not inner.strip(" \t|#^\\"):
                yield self._empty(link.start, link.end, link.raw, persons)
            elif (template_syntax_meant or not check_placeholders) and has_template_syntax(
                link.target
            ):
                continue  # `[[<% tp.system.suggester(["A"], ["A"]) %>]]`: the code's brackets
            elif links.holds_bracket(link.target) and vault.resolve(link.target, note.rel) is None:
                if _NESTED_LIST.match(note.text, link.start):
                    # `[[1, 2], [3, 4]]`: a matrix or nested list, which Obsidian shows as a
                    # link; most likely meant as text, so said more quietly.
                    message = (
                        f"'{link.raw}' reads as a nested list, but Obsidian shows it as a "
                        "link; write it as code or math"
                    )
                    yield self.finding(link.start, link.end, message, severity="warning")
                    continue
                message = (
                    f"Link target '{link.target}' holds a bracket, which no note name can hold"
                )
                yield self.finding(link.start, link.end, message)
            elif (
                check_placeholders
                and is_placeholder(link.target)
                and not (template_syntax_meant and has_template_syntax(link.target))
                and vault.resolve(link.target, note.rel) is None
            ):
                message = f"Link target '{link.target}' is a template placeholder, not a note"
                yield self.finding(link.start, link.end, message, _unlink_placeholder(note, link))
            elif link.display is not None:
                yield from self._alias(note, link, template_syntax_meant)

    def _alias(self, note: Note, link: Link, persons: bool) -> Iterator[Finding]:
        display = link.display or ""
        if not display:
            message = f"Empty alias in '{link.raw}'"
            yield self.finding(link.start, link.end, message, _drop_empty_alias(note, link))
            return
        if persons:
            return  # `[[Lecture 3|(00:12:30)]]`: the text a person chose, about no video
        m = _TIMESTAMP_ALIAS.fullmatch(display)
        if m is None or (m.group(1) is None and m.group(2).count(":") < 2):
            return
        if (m.group(1) == "(") != (m.group(3) == ")"):
            return  # `(` pairs with `)` only
        end = link.end
        if m.group(1) == "[" and not m.group(3) and note.text.startswith("]", end):
            end += 1  # `[[topic | [00:05:19]]]`: the label's `]` follows the link
        message = f"Timestamp [{m.group(2)}] used as the alias of a link to '{link.target}'"
        yield self.finding(link.start, end, message, _split_timestamp(note, link, end, m.group(2)))


_CLOSE = re.compile(r"\]\]")
_NON_SPACE = re.compile(r"\S")
SNIPPET = 40


def _snippet(text: str, start: int, end: int) -> str:
    """`text[start:end]` without trailing spaces, cut to SNIPPET characters (without copying
    a long line once per unclosed link)."""
    if _NON_SPACE.search(text, start + SNIPPET, end) is None:
        return text[start : min(end, start + SNIPPET)].rstrip()
    return text[start : start + SNIPPET - 1] + "…"


#: `[[1, 2],` `[["a",`: a nested list or matrix written in prose, not a wikilink.
_NESTED_LIST = re.compile(r"""\[\[\s*(?:-?\d+(?:\.\d+)?|"[^"\n]*"|'[^'\n]*')\s*,""")


def _prose_end(note: Note, pos: int, limit: int) -> int:
    """Where the prose from `pos` ends: at the next code span, comment, … or at `limit`."""
    ranges = note.non_prose
    i = bisect.bisect_right(ranges, (pos, float("inf")))
    return min(ranges[i][0], limit) if i < len(ranges) else limit


def _bracketed_markdown_link(note: Note, pos: int) -> bool:
    """`[[1](url)]`: a bracket around a Markdown link; `[[BUG] fails](url)`: a Markdown link
    whose text starts with a bracket. Neither is a wikilink."""
    by_start = note.memo(_markdown_links_by_start)
    if pos in by_start:
        return True
    md = by_start.get(pos + 1)
    return md is not None and note.text.startswith("]", md.end)


def _markdown_links_by_start(note: Note) -> dict[int, MarkdownLink]:
    by_start: dict[int, MarkdownLink] = {}
    for md in note.parsed_links:
        by_start.setdefault(md.start, md)
    return by_start


def _drop_empty_alias(note: Note, link: Link) -> Fix | None:
    parts = _wiki_parts(note, link)
    if parts is None or parts.pipe == -1 or not parts.written.strip():
        return None
    edit = Edit(link.start, link.end, f"{parts.opener}{parts.written}]]")
    return Fix("safe", (edit,), "Remove the empty alias")


def _split_timestamp(note: Note, link: Link, end: int, time: str) -> Fix | None:
    parts = _wiki_parts(note, link)
    if link.kind == "frontmatter" or parts is None or parts.pipe == -1:
        return None
    if note.text.startswith("(", end):
        return None  # `[00:05:19](…)` would become a Markdown link: a new finding
    edit = Edit(link.start, end, f"{parts.opener}{parts.written}]] [{time}]")
    return Fix("unsafe", (edit,), "Move the timestamp out of the link")


def _unlink_placeholder(note: Note, link: Link) -> Fix | None:
    if link.kind != "wikilink" or not link.display or note.text[link.start : link.end] != link.raw:
        return None
    return Fix("unsafe", (Edit(link.start, link.end, link.display),), "Replace by the alias text")
