"""vaultbot over the two real corpora of `../shared/corpora/` (read in place, never written).

* tubegraph-dwarkesh: an LLM-written vault; the seed note's known defects and the "Here is the
  modified article" preambles must be found.
* zettelkasten: a large hand-written vault; no crash, and every LK001 must agree with an
  independent re-count of unresolved links written here from DESIGN.md §4 (nothing from
  `vaultbot.links`, `vaultbot.vault`, `vaultbot.markdown` or `vaultbot.note` is used for it), and
  no finding may start inside code, math or a comment.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import os
import posixpath
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyromark
import pytest
from corpus_helpers import corpus_vault, run_check
from ruamel.yaml import YAML

pytestmark = pytest.mark.slow

# -- running vaultbot once per corpus -----------------------------------------------------------


@dataclass(frozen=True)
class CorpusRun:
    vault: Path
    code: int
    report: dict[str, Any]

    @property
    def findings(self) -> list[dict[str, Any]]:
        return list(self.report["findings"])

    def by_path(self, path: str) -> list[dict[str, Any]]:
        return [f for f in self.findings if f["path"] == path]


@pytest.fixture(scope="module")
def tubegraph(tmp_path_factory: pytest.TempPathFactory) -> CorpusRun:
    vault = corpus_vault("tubegraph-dwarkesh")
    out = tmp_path_factory.mktemp("tubegraph") / "report.json"
    code, report = run_check(vault, out)
    return CorpusRun(vault, code, report)


@pytest.fixture(scope="module")
def zettelkasten(tmp_path_factory: pytest.TempPathFactory) -> CorpusRun:
    vault = corpus_vault("zettelkasten")
    folder = tmp_path_factory.mktemp("zettelkasten")
    # The strict profile: every unresolved link reported, to compare with the re-count (the
    # personal profile this vault is detected as is test_trust_corpus's).
    config = folder / "vaultbot.toml"
    config.write_text('profile = "generated"\n')
    code, report = run_check(vault, folder / "report.json", "--config", str(config))
    return CorpusRun(vault, code, report)


def _per_rule(run: CorpusRun) -> Counter[str]:
    return Counter(f["code"] for f in run.findings)


# -- tubegraph-dwarkesh ---------------------------------------------------------------------------

SEED = "progress_towards_artificial_general_intelligence_agi.md"
CORE_RULES = {"ED001", "TS001", "TS002", "TS003", "RG001", "RG002", "LK001", "FM001"}


def test_tubegraph_runs_cleanly(tubegraph: CorpusRun) -> None:
    assert tubegraph.code == 1, "the vault has findings, so the exit code is 1"
    assert tubegraph.report["summary"]["errors"] == []
    assert tubegraph.report["summary"]["notes_checked"] == 251
    print("tubegraph findings per rule:", dict(sorted(_per_rule(tubegraph).items())))


def test_tubegraph_seed_note(tubegraph: CorpusRun) -> None:
    found = sorted(
        (f["line"], f["code"]) for f in tubegraph.by_path(SEED) if f["code"] in CORE_RULES
    )
    assert found == [(8, "ED001"), (38, "TS002")], tubegraph.by_path(SEED)
    lines = (tubegraph.vault / SEED).read_text(encoding="utf-8").split("\n")
    assert lines[7] == "Here is the modified article with inserted backlinks:"
    assert 'data-t="00:35:45">[01:35:45]' in lines[37]
    (ts002,) = [f for f in tubegraph.by_path(SEED) if f["code"] == "TS002"]
    column = lines[37].index('data-t="00:35:45">[01:35:45]') + 1
    assert ts002["column"] <= column <= ts002["end_column"], ts002


def test_tubegraph_seed_note_links_all_resolve(tubegraph: CorpusRun) -> None:
    text = (tubegraph.vault / SEED).read_text(encoding="utf-8")
    targets = [m.group(1).split("|")[0].strip() for m in re.finditer(r"\[\[(.+?)\]\]", text)]
    assert len(targets) == 13
    assert all((tubegraph.vault / f"{t}.md").is_file() for t in targets), targets
    assert not [f for f in tubegraph.by_path(SEED) if f["code"] == "LK001"]


def _first_body_line(text: str) -> tuple[int, str] | None:
    """(1-based line, text) of the first non-blank body line after the front matter and an
    optional `From: [[...]]` line."""
    lines = text.split("\n")
    i = 0
    if lines[0].rstrip() == "---":
        closing = [j for j in range(1, len(lines)) if lines[j].rstrip() == "---"]
        i = closing[0] + 1 if closing else 0
    seen_from = False
    for number in range(i, len(lines)):
        line = lines[number].rstrip("\r")
        if not line.strip():
            continue
        if not seen_from and line.startswith("From: [["):
            seen_from = True
            continue
        return number + 1, line
    return None


def test_tubegraph_here_is_preambles(tubegraph: CorpusRun) -> None:
    expected: set[tuple[str, int]] = set()
    for path in sorted(tubegraph.vault.glob("*.md")):
        first = _first_body_line(path.read_text(encoding="utf-8"))
        if first is not None and first[1].startswith("Here is"):
            expected.add((path.name, first[0]))
    assert len(expected) >= 60, "the corpus holds dozens of 'Here is the modified article' lines"
    flagged = {(f["path"], f["line"]) for f in tubegraph.findings if f["code"] == "ED001"}
    missing = sorted(expected - flagged)
    assert not missing, f"{len(missing)} preamble lines without ED001: {missing}"


# -- an independent re-count of unresolved links (DESIGN.md §4) ---------------------------------
#
# Written from the design text alone. It works on UTF-8 bytes throughout, so pyromark's byte
# ranges need no conversion; only the line number of each link is reported.

_OPTIONS = (
    pyromark.Options.ENABLE_TABLES
    | pyromark.Options.ENABLE_MATH
    | pyromark.Options.ENABLE_FOOTNOTES
    | pyromark.Options.ENABLE_STRIKETHROUGH
    | pyromark.Options.ENABLE_TASKLISTS
)
_WIKI = re.compile(rb"(!?)\[\[(.+?)\]\]")  # rule 2, verbatim (`.` never crosses a line)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_HEX = "0123456789abcdefABCDEF"
_DECODE_URI_RESERVED = ";/?:@&=+$,#"
_yaml = YAML(typ="safe", pure=True)
#: `[t](path)`, and the reference forms `[t][r]`, `[t][]`, `[r]` whose definition `[r]: path`
#: gives the same destination. (Autolinks and e-mail links always carry a scheme.)
_PATH_LINK_TYPES = {"Inline", "Reference", "Collapsed", "Shortcut"}


@dataclass
class Regions:
    """Byte ranges of one note body (relative to the body) that are not prose."""

    code: list[tuple[int, int]] = field(default_factory=list)  # code blocks, code spans
    math: list[tuple[int, int]] = field(default_factory=list)
    html_blocks: list[tuple[int, int]] = field(default_factory=list)
    html_comments: list[tuple[int, int]] = field(default_factory=list)
    obsidian_comments: list[tuple[int, int]] = field(default_factory=list)
    md_links: list[tuple[int, str]] = field(default_factory=list)  # (start, dest)

    def all(self) -> list[tuple[int, int]]:
        return sorted(
            self.code + self.math + self.html_blocks + self.html_comments + self.obsidian_comments
        )


def _overlaps(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in ranges)


def _contains(ranges: list[tuple[int, int]], pos: int) -> bool:
    return any(s <= pos < e for s, e in ranges)


def scan_body(body: bytes) -> Regions:
    """Code, math, HTML and comments of a note body, and its Markdown links, by pyromark."""
    regions = Regions()
    text = body.decode("utf-8")
    comment_from: int | None = None
    for event, rng in pyromark.events_with_range(text, options=_OPTIONS):
        start, end = rng["start"], rng["end"]
        if isinstance(event, str):
            continue
        kind, value = next(iter(event.items()))
        if kind == "Start":
            # A tag with attributes is `{tag: {...}}`; one without (`HtmlBlock`) a bare string.
            tag, attrs = next(iter(value.items())) if isinstance(value, dict) else (value, {})
            if tag == "CodeBlock":
                regions.code.append((start, end))
            elif tag == "HtmlBlock":
                block = body[start:end].lstrip()
                (
                    regions.html_comments if block.startswith(b"<!--") else regions.html_blocks
                ).append((start, end))
            elif tag in ("Link", "Image") and attrs["link_type"] in _PATH_LINK_TYPES:
                regions.md_links.append((start, attrs["dest_url"]))
        elif kind == "Code":
            regions.code.append((start, end))
        elif kind in ("InlineMath", "DisplayMath"):
            regions.math.append((start, end))
        elif kind == "InlineHtml":
            if value.startswith("<!--"):
                comment_from = start
            if comment_from is not None and "-->" in value:
                regions.html_comments.append((comment_from, end))
                comment_from = None
    # Obsidian comments: `%%` pairs, a `%%` in code or math being literal; unclosed runs to
    # the end of the note.
    raw = regions.code + regions.math + regions.html_blocks + regions.html_comments
    marks = [m.start() for m in re.finditer(rb"%%", body) if not _contains(raw, m.start())]
    for i in range(0, len(marks), 2):
        close = marks[i + 1] + 2 if i + 1 < len(marks) else len(body)
        regions.obsidian_comments.append((marks[i], close))
    return regions


def clean_target(target: str) -> str:
    """Rule 3: trim, drop a trailing backslash, NFC, U+00A0 as a space."""
    target = unicodedata.normalize("NFC", target).replace("\u00a0", " ").strip()
    if target.endswith("\\"):
        target = target[:-1].strip()
    return target


def wikilink_target(inner: str) -> str:
    """Rules 3-5: the path part of the inside of `[[...]]`."""
    pipe = inner.find("|", 1)
    if pipe != -1:
        inner = inner[:pipe]
    if "#" in inner:
        inner = inner[: inner.index("#")]
    return clean_target(inner)


def decode_uri(uri: str) -> str:
    """JavaScript's decodeURI; on a malformed escape (a URIError) the text stays as written."""
    out: list[str] = []
    i = 0
    while i < len(uri):
        if uri[i] != "%":
            out.append(uri[i])
            i += 1
            continue
        first = uri[i + 1 : i + 3]
        if len(first) != 2 or any(c not in _HEX for c in first):
            return uri
        lead = int(first, 16)
        if lead < 0x80:
            char = chr(lead)
            out.append(uri[i : i + 3] if char in _DECODE_URI_RESERVED else char)
            i += 3
            continue
        size = next(
            (n for n, mark in ((2, 0b110), (3, 0b1110), (4, 0b11110)) if lead >> (7 - n) == mark), 0
        )
        if size == 0:
            return uri  # a continuation byte or an invalid lead byte: URIError
        chunk = bytearray([lead])
        for k in range(1, size):
            part = uri[i + 3 * k : i + 3 * k + 3]
            if len(part) != 3 or part[0] != "%" or any(c not in _HEX for c in part[1:]):
                return uri
            chunk.append(int(part[1:], 16))
        try:
            out.append(chunk.decode("utf-8"))
        except UnicodeDecodeError:
            return uri
        i += 3 * size
    return "".join(out)


def markdown_target(dest: str) -> str | None:
    """Rule 6: the path part of a Markdown link destination, or None for a URL."""
    dest = dest.strip()
    if not dest or _SCHEME.match(dest):
        return None
    dest = decode_uri(dest)
    if "#" in dest:
        dest = dest[: dest.index("#")]
    return clean_target(dest)


def frontmatter_targets(yaml_text: str) -> Iterator[tuple[str, str]]:
    """Rule 7: (value as written, target) of every `"[[...]]"` string of the front matter."""
    if "[[" not in yaml_text:  # no such value can be written without it (short of escapes)
        return
    try:
        data = _yaml.load(yaml_text)
    except Exception:  # invalid YAML: Obsidian reads no properties, hence no links
        return
    stack = [data]
    while stack:
        item = stack.pop(0)
        if isinstance(item, dict):
            stack[0:0] = list(item.values())
        elif isinstance(item, list):
            stack[0:0] = item
        elif isinstance(item, str):
            value = item.strip()
            if value.startswith("[[") and value.endswith("]]") and len(value) > 4:
                yield value, wikilink_target(value[2:-2])


class Index:
    """Rule 8: every non-hidden file, keyed by lower-cased NFC file name."""

    def __init__(self, files: list[str]) -> None:
        self.paths: set[str] = set()
        self.by_name: dict[str, list[str]] = {}
        for rel in files:
            key = unicodedata.normalize("NFC", rel).lower()
            self.paths.add(key)
            self.by_name.setdefault(key.rsplit("/", 1)[-1], []).append(key)

    @staticmethod
    def _tries(path: str) -> list[str]:
        """Rule 9."""
        return [path, path + ".md"] if "." in path.rsplit("/", 1)[-1] else [path + ".md"]

    def resolves(self, target: str, source: str) -> bool:
        """Rules 4 and 9-12, reduced to the question LK001 asks: does any file match?"""
        if target == "":
            return True  # `[[#Heading]]`: the note itself
        path = unicodedata.normalize("NFC", target).lower()
        if path.startswith(("./", "../")):
            folder = posixpath.dirname(unicodedata.normalize("NFC", source).lower())
            path = posixpath.normpath(posixpath.join(folder, path))
            if path == ".." or path.startswith("../"):
                return False
            return any(p in self.paths for p in self._tries(path))
        if path.startswith("/"):
            return any(p in self.paths for p in self._tries(path.lstrip("/")))
        # One name, or an exact root path, or a plain suffix among the files of that name.
        for attempt in self._tries(path):
            same_name = self.by_name.get(attempt.rsplit("/", 1)[-1], [])
            if any(p.endswith(attempt) for p in same_name):
                return True
        return False


def walk_vault(root: Path) -> list[str]:
    """Every file of the vault, `/`-separated, no segment starting with `.`."""
    files: list[str] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel = Path(folder).relative_to(root).as_posix()
        for name in names:
            if not name.startswith("."):
                files.append(name if rel == "." else f"{rel}/{name}")
    return sorted(files)


@dataclass
class NoteScan:
    """One note, split into front matter and body, with the body's non-prose regions."""

    data: bytes  # without a BOM
    body_start: int  # byte offset of the body
    frontmatter: str | None
    line_starts: list[int]  # byte offsets
    _regions: Regions | None = None

    @classmethod
    def read(cls, path: Path) -> NoteScan:
        data = path.read_bytes()
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        lines = data.split(b"\n")
        starts = [0]
        for line in lines[:-1]:
            starts.append(starts[-1] + len(line) + 1)
        body_start, frontmatter = 0, None
        if lines[0].rstrip() == b"---":
            for j in range(1, len(lines)):
                if lines[j].rstrip() == b"---":
                    frontmatter = data[starts[1] : starts[j]].decode("utf-8")
                    body_start = starts[j + 1] if j + 1 < len(starts) else len(data)
                    break
        return cls(data, body_start, frontmatter, starts)

    @property
    def body(self) -> bytes:
        return self.data[self.body_start :]

    @property
    def regions(self) -> Regions:
        if self._regions is None:
            self._regions = scan_body(self.body)
        return self._regions

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset)

    def offset_of(self, line: int, column: int) -> int:
        """Byte offset of a 1-based (line, character column)."""
        start = self.line_starts[line - 1]
        end = self.line_starts[line] if line < len(self.line_starts) else len(self.data)
        text = self.data[start:end].decode("utf-8")
        return start + len(text[: column - 1].encode("utf-8"))


def note_links(note: NoteScan) -> Iterator[tuple[int, str]]:
    """(line, target) of every link of a note, as Obsidian reads it (rules 1-7)."""
    if note.frontmatter is not None:
        fm_lines = note.frontmatter.split("\n")
        cursor = 0
        for value, target in frontmatter_targets(note.frontmatter):
            # The line the value is written on (in order; the value is a plain `[[...]]`).
            hits = [i for i, line in enumerate(fm_lines) if value in line]
            later = [i for i in hits if i >= cursor]
            i = (later or hits or [0])[0]
            cursor = i + 1 if later else cursor
            yield i + 2, target
    body = note.body
    if b"[" not in body:  # no wikilink and no Markdown link
        return
    regions = note.regions
    hidden = regions.all()
    # Rule 2. When the inside of a `[[...]]` span holds `[[`, the span is no link; like
    # vaultbot, the search then goes on from the next character, so a later `[[...]]` inside
    # the span (`[[a [[b]] c]]` -> `b`) can still be a link.
    wiki_spans: list[tuple[int, int]] = []
    pos = 0
    while (m := _WIKI.search(body, pos)) is not None:
        if b"[[" in m.group(2):
            pos = m.start() + 1
            continue
        pos = m.end()
        wiki_spans.append(m.span())
        if _overlaps(hidden, m.start(), m.end()):
            continue
        target = wikilink_target(m.group(2).decode("utf-8"))
        yield note.line_of(note.body_start + m.start()), target
    for start, dest in regions.md_links:
        # `[[Note]](x)` is the wikilink `[[Note]]` and the text "(x)" in Obsidian: a wikilink
        # takes its brackets first. (CommonMark alone reads a link "[Note]" to `x` there.)
        if _contains(hidden, start) or _contains(wiki_spans, start):
            continue
        target = markdown_target(dest)
        if target is not None:
            yield note.line_of(note.body_start + start), target


def excluded_by_obsidian(root: Path) -> Callable[[str], bool]:
    """Rule 14: `userIgnoreFilters` of `.obsidian/app.json` (a path prefix, or a `/regex/`)."""
    try:
        filters = json.loads((root / ".obsidian" / "app.json").read_text("utf-8"))
        filters = filters.get("userIgnoreFilters") or []
    except (OSError, ValueError, AttributeError):
        filters = []
    prefixes: list[str] = []
    patterns: list[re.Pattern[str]] = []
    for f in filters:
        if isinstance(f, str) and re.fullmatch(r"/.+/", f):
            with contextlib.suppress(re.error):
                patterns.append(re.compile(f[1:-1]))
        elif isinstance(f, str) and f:
            prefixes.append(f)
    return lambda rel: rel.startswith(tuple(prefixes)) or any(p.search(rel) for p in patterns)


def recount_unresolved(root: Path) -> Counter[tuple[str, int, str]]:
    """(path, line, target) of every link of the vault that resolves to no file."""
    files = walk_vault(root)
    index = Index(files)
    excluded = excluded_by_obsidian(root)
    missing: Counter[tuple[str, int, str]] = Counter()
    for rel in files:
        if not rel.lower().endswith(".md") or excluded(rel):
            continue
        note = NoteScan.read(root / rel)
        for line, target in note_links(note):
            # a target holding a bracket no note name can hold is malformed (LK002), not missing
            if not index.resolves(target, rel) and not re.search(r"[\[\]]", target):
                missing[rel, line, target] += 1
    return missing


# -- comparing vaultbot with the re-count ------------------------------------------------------------

_LK001_MESSAGE = re.compile(r"^Link target '(.*)' does not exist$", re.S)


def lk001_of(run: CorpusRun) -> Counter[tuple[str, int, str]]:
    """vaultbot's LK001 findings as a multiset of (path, line, target)."""
    found: Counter[tuple[str, int, str]] = Counter()
    for f in run.findings:
        if f["code"] == "LK001":
            m = _LK001_MESSAGE.match(f["message"])
            assert m, f"unexpected LK001 message: {f['message']!r}"
            found[f["path"], f["line"], m.group(1)] += 1
    return found


def assert_lk001_agrees(run: CorpusRun) -> None:
    ours = recount_unresolved(run.vault)
    theirs = lk001_of(run)
    only_vaultbot = sorted((theirs - ours).elements())
    only_recount = sorted((ours - theirs).elements())
    lines = [f"LK001: vaultbot {sum(theirs.values())}, independent re-count {sum(ours.values())}"]
    lines += [f"  reported by vaultbot only: {item}" for item in only_vaultbot]
    lines += [f"  missed by vaultbot:        {item}" for item in only_recount]
    print("\n".join(lines))
    assert sum(ours.values()) > 0, "the re-count found nothing: it is broken"
    assert not only_vaultbot and not only_recount, "\n".join(lines)


def assert_nothing_in_code_math_or_comments(run: CorpusRun) -> None:
    assert run.findings, "the check found nothing at all: suspicious"
    notes: dict[str, NoteScan] = {}
    bad: list[str] = []
    for f in run.findings:
        path = f["path"]
        if path not in notes:
            notes[path] = NoteScan.read(run.vault / path)
        note = notes[path]
        offset = note.offset_of(f["line"], f["column"]) - note.body_start
        if offset < 0:
            continue  # in the front matter
        regions = note.regions
        for name, ranges in (
            ("code", regions.code),
            ("math", regions.math),
            ("an HTML comment", regions.html_comments),
            ("an Obsidian comment", regions.obsidian_comments),
        ):
            if _contains(ranges, offset):
                bad.append(f"{path}:{f['line']}:{f['column']}: {f['code']} inside {name}")
    assert not bad, "\n".join(bad)


def test_tubegraph_lk001_agrees_with_recount(tubegraph: CorpusRun) -> None:
    assert_lk001_agrees(tubegraph)


def test_tubegraph_no_finding_in_code_math_or_comments(tubegraph: CorpusRun) -> None:
    assert_nothing_in_code_math_or_comments(tubegraph)


# -- zettelkasten ---------------------------------------------------------------------------------


def test_zettelkasten_runs_cleanly(zettelkasten: CorpusRun) -> None:
    assert zettelkasten.code in (0, 1), zettelkasten.code
    summary = zettelkasten.report["summary"]
    assert summary["errors"] == [], summary["errors"]
    assert summary["notes_checked"] == 13415
    print("zettelkasten findings per rule:", dict(sorted(_per_rule(zettelkasten).items())))


def test_zettelkasten_note_with_nul_byte_is_text(zettelkasten: CorpusRun) -> None:
    with_nul = [
        rel
        for rel in walk_vault(zettelkasten.vault)
        if rel.endswith(".md") and b"\x00" in (zettelkasten.vault / rel).read_bytes()
    ]
    assert with_nul, "the corpus holds a note with a NUL byte in a pasted PDF stream"
    errors = zettelkasten.report["summary"]["errors"]
    assert not [e for e in errors if any(rel in e for rel in with_nul)], errors


def test_zettelkasten_lk001_agrees_with_recount(zettelkasten: CorpusRun) -> None:
    assert_lk001_agrees(zettelkasten)


def test_zettelkasten_no_finding_in_code_math_or_comments(zettelkasten: CorpusRun) -> None:
    assert_nothing_in_code_math_or_comments(zettelkasten)
