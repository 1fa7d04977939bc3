"""Links between notes: wikilinks, embeds, Markdown links and front-matter links."""

from __future__ import annotations

import bisect
import difflib
import posixpath
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import ClassVar
from urllib.parse import quote

from vaultbot import links
from vaultbot.links import Link
from vaultbot.markdown import MarkdownLink
from vaultbot.note import Note, NoteError
from vaultbot.rules.base import Edit, Finding, Fix, Option, Rule, choice, integer, text
from vaultbot.vault import Vault, stays_inside

STRATEGIES = ("relink", "unlink", "stub")
_NOT_WORD = re.compile(r"(?:[^\w+]|_)+")  # `+` stays: C++ is not C


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
    The option `strategy` (or `vaultbot fix --link-strategy`) chooses the fix:
    - `relink` (default): when exactly one note matches the target after folding case, `_`,
      `-`, spaces and punctuation (`meta's_advancements` → `metas_advancements`), point the
      link at it, keeping the text the reader sees. Safe. Failing that, when the
      `fuzzy-threshold` option (0–100, default 90; 0 turns it off) is met by exactly one best
      match, relink to it: unsafe, since a close name may be another topic. This search is
      costly, so only `vaultbot fix --unsafe-fixes` runs it.
    - `unlink`: replace the link by its visible text. Unsafe: the link is gone.
    - `stub`: create the missing note (with a `title` in front matter) in the folder named by
      `stub-folder`. Unsafe: it adds an empty note to the vault.
    """

    code, name, severity = "LK001", "link-target-missing", "error"
    spec: ClassVar[dict[str, Option]] = {
        "strategy": choice("relink", "relink", "unlink", "stub"),
        "fuzzy-threshold": integer(90, 0, 100),
        "stub-folder": text("", "a folder inside the vault", lambda v: not v or stays_inside(v)),
    }

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        for link in links.all_links(note):
            if link.target and vault.resolve(link.target, note.rel) is None:
                message = f"Link target '{link.target}' does not exist"
                fix = self._fix(note, vault, link)
                if fix is None and self.options["strategy"] == "stub":
                    refused = _stub_refused(_stub_path(link, str(self.options["stub-folder"])))
                    message += f" (no stub: {refused})" if refused else ""
                yield self.finding(link.start, link.end, message, fix)

    def _fix(self, note: Note, vault: Vault, link: Link) -> Fix | None:
        strategy = self.options["strategy"]
        if strategy == "unlink":
            return _unlink(note, link)
        if strategy == "stub":
            return _stub(link, str(self.options["stub-folder"]))
        return _relink(note, vault, link, int(self.options["fuzzy-threshold"]))


def fold(name: str) -> str:
    """A file name with case, `_`, `-`, spaces and punctuation (but `+`) folded away."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFC", name).lower())


@dataclass
class _FoldedIndex:
    """File names folded for relinking, built once per vault."""

    files: dict[str, list[str]] = field(default_factory=dict)  # folded name -> files
    by_length: list[str] = field(default_factory=list)  # folded names, shortest first
    lengths: list[int] = field(default_factory=list)  # their lengths
    fuzzy_cache: dict[tuple[str, int], list[str]] = field(default_factory=dict)

    def fuzzy(self, key: str, threshold: int) -> list[str]:
        """The files of the unique best fuzzy match of `key` scoring at least `threshold`."""
        if (key, threshold) not in self.fuzzy_cache:
            self.fuzzy_cache[key, threshold] = self._fuzzy(key, threshold)
        return self.fuzzy_cache[key, threshold]

    def _fuzzy(self, key: str, threshold: int) -> list[str]:
        from rapidfuzz import fuzz, process

        # ratio = 2·matches / (len(a) + len(b)): only names of a close length can reach it.
        low = int(len(key) * threshold / (200 - threshold))
        high = int(len(key) * (200 - threshold) / threshold) + 1
        choices = self.by_length[
            bisect.bisect_left(self.lengths, low) : bisect.bisect_right(self.lengths, high)
        ]
        best = process.extract(key, choices, scorer=fuzz.ratio, limit=2, score_cutoff=threshold)
        if not best or (len(best) > 1 and best[1][1] == best[0][1]):
            return []
        return self.files[best[0][0]]


def _folded_index(vault: Vault) -> _FoldedIndex:
    return vault.memo(_build_folded_index)


def _build_folded_index(vault: Vault) -> _FoldedIndex:
    index = _FoldedIndex()
    for rel in vault.by_path.values():
        name = rel.rsplit("/", 1)[-1]
        if name.lower().endswith(".md"):
            name = name[:-3]
        index.files.setdefault(fold(name), []).append(rel)
    index.by_length = sorted(index.files, key=len)
    index.lengths = [len(key) for key in index.by_length]
    return index


def _relink(note: Note, vault: Vault, link: Link, threshold: int) -> Fix | None:
    name = link.target.rsplit("/", 1)[-1]
    if name.lower().endswith(".md"):
        name = name[:-3]
    key = fold(name)
    if not key:
        return None
    index = _folded_index(vault)
    applicability = "safe"
    hits = index.files.get(key, [])
    if not hits and threshold > 0:
        hits, applicability = index.fuzzy(key, threshold), "unsafe"
    if len(hits) != 1:
        return None
    new_target = _link_text_for(vault, hits[0], note.rel)
    edit = _retarget(note, link, new_target)
    if edit is None:
        return None
    return Fix(applicability, (edit,), f"Relink to '{new_target}'")


def _link_text_for(vault: Vault, rel: str, source: str) -> str:
    """The shortest way to write a link to `rel` from `source` that resolves to it."""
    stem = rel[:-3] if rel.lower().endswith(".md") else rel
    short = stem.rsplit("/", 1)[-1]
    return short if vault.resolve(short, source) == rel else stem


def _retarget(note: Note, link: Link, new_target: str) -> Edit | None:
    """An edit pointing `link` at `new_target`, keeping subpath and visible text."""
    raw = note.text[link.start : link.end]
    if link.kind == "markdown":
        dest = quote(new_target + ".md" if "." not in new_target.rsplit("/", 1)[-1] else new_target)
        close = raw.rfind(")")
        open_ = raw.rfind("](", 0, close)
        if open_ == -1 or close == -1:
            return None
        old = raw[open_ + 2 : close].strip()
        hash_ = old.find("#")
        subpath = old[hash_:] if hash_ != -1 else ""
        return Edit(link.start + open_ + 2, link.start + close, dest + subpath)
    if "[[" not in raw or not raw.endswith("]]"):
        return None
    bang = raw.startswith("!")
    inner_start = raw.index("[[") + 2
    inner = raw[inner_start:-2]
    cut = min((i for i in (inner.find("#"), inner.find("|", 1)) if i != -1), default=len(inner))
    written = inner[:cut]
    rest = inner[cut:]
    if written.endswith("\\"):  # `[[t\|alias]]` inside a table: keep the escape
        rest = "\\" + rest
    if "|" not in inner[1:] and not bang and link.kind != "frontmatter":
        rest = f"{rest}|{written.strip()}"  # keep the text the reader sees
    lead = written[: len(written) - len(written.lstrip())]
    trail = written[len(written.rstrip()) :] if not rest.startswith("\\") else ""
    new_inner = f"{lead}{new_target}{trail}{rest}"
    return Edit(link.start, link.end, f"{raw[:inner_start]}{new_inner}]]")


def _unlink(note: Note, link: Link) -> Fix | None:
    if link.kind in ("embed", "frontmatter"):
        return None
    raw = note.text[link.start : link.end]
    if link.kind == "markdown":
        close = raw.rfind("](")
        visible = raw[1:close] if raw.startswith("[") and close != -1 else None
    else:
        visible = link.display or raw[2:-2].split("|", 1)[0].split("#", 1)[0].strip()
    if not visible:
        return None
    return Fix("unsafe", (Edit(link.start, link.end, visible),), "Replace the link by its text")


def _stub(link: Link, folder: str) -> Fix | None:
    if link.target.startswith(("./", "../", "/")) or not link.target.strip("/ "):
        return None
    if is_placeholder(link.target):
        return None  # a prompt variable (link-malformed) is no topic to create
    rel = _stub_path(link, folder)
    if not rel.lower().endswith(".md"):
        return None  # attachments cannot be stubbed
    if _stub_refused(rel):
        return None
    title = link.target.rsplit("/", 1)[-1]
    text = f"---\ntitle: {_yaml_string(title)}\n---\n"
    return Fix("unsafe", (), f"Create the note '{rel}'", creates=((rel, text),))


def _stub_path(link: Link, folder: str) -> str:
    name = link.target if "." in link.target.rsplit("/", 1)[-1] else link.target + ".md"
    return posixpath.normpath(posixpath.join(folder, name)) if folder else name


#: Characters no file name may hold: NUL (refused by every file system) and those Obsidian
#: refuses in note names (and Windows in file names).
_BAD_NAME = re.compile(r'[\x00-\x1f*"\\<>:|?]')
_MAX_NAME_BYTES = 255


def _stub_refused(rel: str) -> str | None:
    """Why a stub may not be created at `rel`, or None."""
    parts = rel.split("/")
    if any(_BAD_NAME.search(part) for part in parts):
        return "the name holds a character file names cannot hold"
    if not stays_inside(rel):
        return "the path leaves the vault"
    if any(len(part.encode()) > _MAX_NAME_BYTES for part in parts):
        return "a name is too long for a file"
    return None


def _yaml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


# -- LK002 link-malformed ---------------------------------------------------------------------

#: Words template and prompt variables are made of (`article_link`, `other_topics_and_links`).
#: A target is a placeholder only when it does not resolve, is written as one identifier
#: (`snake_case` or `UPPER_CASE`, two words at least), uses only these words, and names a slot.
PLACEHOLDER_SLOTS = frozenset({
    "article", "articles", "backlink", "backlinks", "concept", "concepts", "entity",
    "keyword", "keywords", "link", "links", "name", "names", "note", "notes", "page",
    "pages", "placeholder", "ref", "reference", "references", "slug", "target", "targets",
    "title", "titles", "topic", "topics", "url", "urls",
})  # fmt: skip
PLACEHOLDER_WORDS = PLACEHOLDER_SLOTS | frozenset({
    "a", "additional", "an", "and", "another", "any", "example", "existing", "file",
    "first", "here", "id", "insert", "internal", "main", "more", "my", "new", "next", "of",
    "or", "other", "previous", "primary", "related", "relevant", "sample", "second",
    "similar", "some", "sub", "subtopic", "text", "the", "third", "this", "to", "your",
})  # fmt: skip
_IDENTIFIER = re.compile(r"[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+")
#: `{{title}}`, `{% … %}`, Templater's `<% … %>`, `${topic}`: template syntax, never a name.
#: (opening, closing, characters at least between them), looked up with `str.find`: a regular
#: expression such as `\{\{.*\}\}` would rescan the rest of the target from every `{{`.
_TEMPLATE_SYNTAX = (("{{", "}}", 0), ("{%", "%}", 0), ("<%", "%>", 0), ("${", "}", 1))
#: `{topic}`, `<note name>`: a placeholder when the words inside are placeholder words.
_WRAPPERS = (("{", "}"), ("<", ">"))
_WORDS = re.compile(r"[\w -]+")
_TEMPLATE_FOLDER = re.compile(r"(?:^|/)[^/]*templates?(?:/|$)", re.I)
#: An alias that is a video timestamp: `[00:05:19` (the `]` follows the link) or `00:05:19`.
_TIMESTAMP_ALIAS = re.compile(r"(\[)?\s*(\d{1,2}(?::\d{2}){1,2})\s*(?:(\])\s*)?")


def is_placeholder(target: str) -> bool:
    """True when a link target is a template or prompt variable rather than a note name."""
    if _template_syntax(target):
        return True
    words = _wrapped_words(target)
    if words is not None:
        return _placeholder_words(re.split(r"[\s_-]+", words.lower()))
    if not _IDENTIFIER.fullmatch(target) or not (target.islower() or target.isupper()):
        return False
    return _placeholder_words(target.lower().split("_"))


def _template_syntax(target: str) -> bool:
    for opening, closing, between in _TEMPLATE_SYNTAX:
        start = target.find(opening)
        if start != -1 and target.find(closing, start + len(opening) + between) != -1:
            return True
    return False


def _wrapped_words(target: str) -> str | None:
    """The words inside `{words}` or `<words>` (spaces around them dropped), else None."""
    if len(target) < 3 or (target[0], target[-1]) not in _WRAPPERS:
        return None
    inner = target[1:-1].strip()
    return inner if inner and _WORDS.fullmatch(inner) else None


def _placeholder_words(words: list[str]) -> bool:
    return all(w in PLACEHOLDER_WORDS or w.isdigit() for w in words) and any(
        w in PLACEHOLDER_SLOTS for w in words
    )


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
    - an empty link: `[[]]`, `[[ ]]`, `[[#]]`;
    - an empty alias: `[[topic | ]]`;
    - a video timestamp used as the alias: `[[topic | [00:05:19]]]`, `[[topic | 00:05:19]]`;
    - a template or prompt variable left as the target, such as `[[article_link | LLMs]]`,
      `[[other_topics_and_links]]`, `[[<topic>]]` or `[[{{title}}]]`. To spare real note
      names, the target must resolve to no file and be either template syntax (`{{…}}`,
      `{%…%}`, `<%…%>`, `${…}`) or made only of placeholder words (`article`, `link`, `topic`,
      `other`, `related`, `and`, …) including a slot word (`link`, `topic`, `title`, `name`,
      `url`, …), written as `{words}`, `<words>` or one `snake_case`/`UPPER_CASE` identifier
      of two words or more. Notes in a folder whose name ends in `template`/`templates` are
      not checked for placeholders: there they are meant.

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
      `videoId`, `timestamp-bare` then turns the label into an anchor).
    - Placeholder target with an alias: unsafe. The link is replaced by its alias text, which
      is what the reader saw; without an alias there is nothing to keep, so no fix.
    - Unclosed `[[` and empty links: no fix; what was meant is a human call.
    Links in front matter get no fix (the YAML around them is left to a human).
    """

    code, name, severity = "LK002", "link-malformed", "error"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        found = [*self._unclosed(note), *self._links(note, vault)]
        found.sort(key=lambda f: f.start)
        yield from found

    def _unclosed(self, note: Note) -> Iterator[Finding]:
        text = note.text
        pos = text.find("[[", note.body_start)
        if pos == -1:
            return
        spans = [(link.start, link.end) for link in links.all_links(note)]
        starts = [s for s, _ in spans]
        closes = [m.start() for m in _CLOSE.finditer(text, note.body_start)]
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
                yield self.finding(start, here + 4, f"Empty link '{text[start : here + 4]}'")
            elif not (_bracketed_markdown_link(note, here) or _NESTED_LIST.match(text, here)):
                end = _prose_end(note, here, note.line_span(note.line_of(here))[1])
                i = bisect.bisect_left(closes, here)
                closed = i < len(closes) and closes[i] + 2 <= end
                why = "another '[[' opens before its ']]'" if closed else "no ']]' on its line"
                yield self.finding(
                    start, here + 2, f"Unclosed wikilink '{_snippet(text, here, end)}': {why}"
                )

    def _links(self, note: Note, vault: Vault) -> Iterator[Finding]:
        check_placeholders = not _TEMPLATE_FOLDER.search(note.rel)
        for link in links.all_links(note):
            if link.kind == "markdown":
                continue
            inner = link.raw[link.raw.find("[[") + 2 : -2]
            if not inner.strip(" \t|#^\\"):
                yield self.finding(link.start, link.end, f"Empty link '{link.raw}'")
            elif (
                check_placeholders
                and is_placeholder(link.target)
                and vault.resolve(link.target, note.rel) is None
            ):
                message = f"Link target '{link.target}' is a template placeholder, not a note"
                yield self.finding(link.start, link.end, message, _unlink_placeholder(note, link))
            elif link.display is not None:
                yield from self._alias(note, link)

    def _alias(self, note: Note, link: Link) -> Iterator[Finding]:
        display = link.display or ""
        if not display:
            message = f"Empty alias in '{link.raw}'"
            yield self.finding(link.start, link.end, message, _drop_empty_alias(note, link))
            return
        m = _TIMESTAMP_ALIAS.fullmatch(display)
        if m is None or (m.group(1) is None and m.group(2).count(":") < 2):
            return
        end = link.end
        if m.group(1) and not m.group(3) and note.text.startswith("]", end):
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
    """`[[1](url)]`: a bracket around a Markdown link, not a wikilink."""
    md = note.memo(_markdown_links_by_start).get(pos + 1)
    return md is not None and note.text.startswith("]", md.end)


def _markdown_links_by_start(note: Note) -> dict[int, MarkdownLink]:
    by_start: dict[int, MarkdownLink] = {}
    for md in note.parsed.links:
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
    edit = Edit(link.start, end, f"{parts.opener}{parts.written}]] [{time}]")
    return Fix("unsafe", (edit,), "Move the timestamp out of the link")


def _unlink_placeholder(note: Note, link: Link) -> Fix | None:
    if link.kind != "wikilink" or not link.display or note.text[link.start : link.end] != link.raw:
        return None
    return Fix("unsafe", (Edit(link.start, link.end, link.display),), "Replace by the alias text")


# -- LK003 link-heading-missing -----------------------------------------------------------------

_NOT_ALNUM = re.compile(r"[\W_]+")
_BLOCK_ID = re.compile(r"(?:^|[ \t])\^([A-Za-z0-9-]+)[ \t]*\r?$", re.M)
_ATX = re.compile(r"^[ \t]*#{1,6}(?:[ \t]+|$)|[ \t]+#+[ \t]*$")


def heading_key(text: str) -> str:
    """A heading (or a link's heading part) as compared: NFC, case-folded, letters and digits
    only. More lenient than Obsidian, so that no real heading is ever reported missing."""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFC", text)).casefold()


@dataclass(frozen=True)
class Anchors:
    """What a `#subpath` can point at in one note."""

    headings: dict[str, str]  # heading_key -> the heading as written (for suggestions)
    blocks: frozenset[str]  # block ids, lower-cased


def anchors(note: Note) -> Anchors:
    """The headings and block ids of a note (computed once per note)."""
    return note.memo(_collect_anchors)


def _collect_anchors(note: Note) -> Anchors:
    headings: dict[str, str] = {}
    text = note.text
    for heading in note.parsed.headings:
        headings.setdefault(heading_key(heading.text), heading.text)
        # Obsidian keys headings by their source text; the parser's text drops markup.
        lines = text[heading.start : heading.end].rstrip("\r\n").split("\n")
        source = _ATX.sub("", lines[0]) if lines[0].lstrip().startswith("#") else lines[0]
        if len(lines) > 2:  # a setext heading over several lines
            source = " ".join(line.strip() for line in lines[:-1])
        headings.setdefault(heading_key(source), heading.text)
    headings.pop("", None)
    body = text[note.body_start :]
    blocks = frozenset(m.group(1).lower() for m in _BLOCK_ID.finditer(body))
    return Anchors(headings, blocks)


class _TargetAnchors:
    """Anchors of target notes, each read and parsed on first use, once per process."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self.cache: dict[str, Anchors | None] = {}

    def get(self, rel: str) -> Anchors | None:
        if rel not in self.cache:
            try:
                data = self.vault.read(rel, rel)
                self.cache[rel] = anchors(Note.from_bytes(rel, data))
            except (NoteError, RecursionError):
                self.cache[rel] = None  # unreadable: other rules say so; nothing to check
        return self.cache[rel]


class LinkHeadingMissing(Rule):
    """A link to a heading or block that the target note does not have.

    ## What it does
    For links with a subpath, `[[note#Heading]]`, `[[note#^block]]`, `[[#Heading]]`,
    `[text](note.md#Heading)` and front-matter links, reads the target note (only `.md`
    targets that resolve) and looks for the heading or block:
    - headings compare case-insensitively on their letters and digits only, so spacing and
      punctuation Obsidian strips (`:`, `#`, `|`, …) never cause a report; in a nested path
      `#Chapter#Section` the last heading must exist;
    - a block `#^id` needs a line (or paragraph) of the target ending in `^id`.
    Targets that cannot be read are skipped. A missing target note is `link-target-missing`.
    The message names the closest heading for the first 50 missing headings of a
    note, when the target has at most 1,000 headings (the search costs time that
    grows with both).

    ## Why is this bad?
    Obsidian opens the note at its top instead of the section, and an embed of a missing
    section shows an error. It usually means a heading was renamed, or invented by an LLM.
    The leniency means some links Obsidian cannot follow pass (a GitHub-style slug such as
    `#my-heading` matches `## My Heading` here), never the other way round.

    ## Example
    ```markdown
    See [[Asymptote#Vertical Asymptotes]] (the heading is "Vertical Asymptote").
    ```

    ## Fix safety
    None: which heading was meant is a human call; the message names the closest heading
    when there is one.
    """

    code, name, severity = "LK003", "link-heading-missing", "warning"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        budget = [SUGGESTIONS]  # closest-heading searches left for this note
        for link in links.all_links(note):
            parts = [p for p in link.subpath.split("#") if p.strip()]
            if not parts:
                continue
            rel = vault.resolve(link.target, note.rel)
            if rel is None or not rel.lower().endswith(".md"):
                continue
            found = anchors(note) if rel == note.rel else vault.memo(_TargetAnchors).get(rel)
            if found is None:
                continue
            message = _missing_anchor(found, parts[-1].strip(), rel, budget)
            if message:
                yield self.finding(link.start, link.end, message)


#: How many closest-heading suggestions a note gets, and among how many headings at most.
SUGGESTIONS = 50
SUGGEST_AMONG = 1000


def _missing_anchor(found: Anchors, part: str, rel: str, budget: list[int]) -> str | None:
    """Why `part` (a heading, or `^block`) is not in the note `rel`, or None if it is.
    `budget` holds how many closest-heading searches are left (one is used here, if any)."""
    if part.startswith("^"):
        block = part[1:].strip()
        if not block or block.lower() in found.blocks:
            return None
        return f"Block '^{block}' not found in '{rel}'"
    key = heading_key(part)
    if not key or key in found.headings:
        return None
    message = f"Heading '{part}' not found in '{rel}'"
    if budget[0] <= 0 or len(found.headings) > SUGGEST_AMONG:
        return message
    budget[0] -= 1
    close = difflib.get_close_matches(key, list(found.headings), n=1, cutoff=0.75)
    if close:
        message += f" (closest: '{found.headings[close[0]]}')"
    return message


# -- LK004 link-ambiguous ---------------------------------------------------------------------

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


#: The rules this module defines, for the registry in `vaultbot.rules`.
RULES: tuple[type[Rule], ...] = (
    LinkTargetMissing,
    LinkMalformed,
    LinkHeadingMissing,
    LinkAmbiguous,
)
