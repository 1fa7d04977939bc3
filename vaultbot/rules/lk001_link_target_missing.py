"""LK001 link-target-missing: a link whose target resolves to no file of the vault."""

from __future__ import annotations

import bisect
import contextlib
import posixpath
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import ClassVar
from urllib.parse import quote

from vaultbot import links
from vaultbot.links import Link
from vaultbot.note import Note
from vaultbot.output.safe import INVISIBLE
from vaultbot.profile import note_signals
from vaultbot.rules._near_miss import digits, has_digits, near_miss, numbers_of, words
from vaultbot.rules._placeholders import has_template_syntax, is_placeholder
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
    Links in code, math, HTML and comments are not links, and nor is a target holding
    template syntax (`[[{{date}}]]`, `[[<% tp.date.now() %>]]`; see `link-malformed`).

    What is reported follows the vault profile (`profile = "generated" | "personal" |
    "auto"` in the config; `auto`, the default, detects it from the share of notes bearing
    a generator's signals: a `From: [[…]]` header, a `videoId` or generator key, yt-timestamp
    anchors, in a vault of any size, so a person's new vault of a few notes is personal; the
    summary line names it):
    - in a generated vault, and in any note bearing generator signals, every missing target,
      at error (in a personal vault a `From: [[…]]` header alone is no signal: a person's
      mail and quote notes open so too);
    - in a personal vault, a link is how a note is planned, so a link to a note not yet
      written is not reported at all (not even as info: thousands of plans would bury the
      slips). Only a target that looks like a slip is reported, with "did you mean": a case
      or separator variant of an existing note (`[[machine-learning]]` for
      `Machine Learning.md`), at error; a plural or singular, or a one-typo variant (see
      below), as a warning, since a person may mean another word (`Interjection` is no slip
      for `Intersection`).

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
      `-`, spaces and punctuation (`meta's_advancements` → `metas_advancements`), but not
      numbers or signs (`Chapter 1.1` is not `Chapter 11`, `P&L` not `PL`), point the
      link at it, keeping the text the reader sees. Safe. Failing that, when the
      `fuzzy-threshold` option (0–100, default 90; 0 turns it off) is met by exactly one best
      match, relink to it: unsafe, since a close name may be another topic. This search is
      costly, so only `vaultbot fix --unsafe-fixes` runs it. A character ratio is not
      enough, so a fuzzy match (and a personal vault's one-typo suggestion) must also be a
      near miss: the same words but one, and that one a plural or a typo (one letter added,
      dropped, changed or two swapped, in a word of six letters or more, its first and last
      two letters kept, and the word as written no word of the vault's note names), or the
      same words with a leading "the" added or dropped (`role_of_sleep` for
      `the_role_of_sleep`, with at least two words besides it); never a whole other word
      (`Money`/`Monkey`, `Divergence`/`Convergence`), a negation
      (`Non-classical Logic`/`Classical Logic`), a changed digit or numeral (`Lecture 3`/
      `Lecture 8`, `第一章`/`第二章`), a changed character of Chinese or Japanese (written
      without spaces, a character is a word: `上篇`/`下篇`), nor an embed of a dated or
      numbered file.
    - `unlink`: replace the link by its visible text. Unsafe: the link is gone.
    - `stub`: create the missing note (with a `title` in front matter) in the folder named by
      `stub-folder`. Unsafe: it adds an empty note to the vault.

    A relink is offered only when the link it writes leads to the note: none to a name that a
    link cannot hold (`# ^ [ ] |` in a wikilink: `[[a|b]]` is a link to `a`; a line break,
    a control or bidirectional character; a quote in front matter; a name that is not UTF-8)
    or that would not read back as written (a space at either end); the finding stays. Nor is
    a stub created with a name holding `# ^ [ ]`, a control or a bidirectional character.
    """

    code, name, severity = "LK001", "link-target-missing", "error"
    spec: ClassVar[dict[str, Option]] = {
        "strategy": choice("relink", "relink", "unlink", "stub"),
        "fuzzy-threshold": integer(90, 0, 100),
        "stub-folder": text("", "a folder inside the vault", lambda v: not v or stays_inside(v)),
    }

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        planned = vault.profile.name == "personal" and not note_signals(note, vault)
        for link in links.all_links(note):
            target = link.target
            if not target or has_template_syntax(target) or vault.resolve(target, note.rel):
                continue
            if links.holds_bracket(target):  # malformed, not missing: LK002
                continue
            if planned:  # a note not yet written is a plan; report only what looks like a slip
                yield from self._slip(note, vault, link)
                continue
            message = f"Link target '{link.target}' does not exist"
            fix = self._fix(note, vault, link)
            if fix is None and self.options["strategy"] == "stub":
                refused = _stub_refused(_stub_path(link, str(self.options["stub-folder"])))
                message += f" (no stub: {refused})" if refused else ""
            yield self.finding(link.start, link.end, message, fix)

    def _slip(self, note: Note, vault: Vault, link: Link) -> Iterator[Finding]:
        """A finding when the target is a case, separator or one-typo variant of a note."""
        hit = _suggestion(vault, link)
        if hit is None:
            return
        rel, applicability = hit
        new_target = _link_text_for(vault, rel, note.rel)
        edit = _relink_edit(note, vault, link, rel, new_target)
        fix = None if edit is None else Fix(applicability, (edit,), f"Relink to '{new_target}'")
        message = f"Link target '{link.target}' does not exist; did you mean '{new_target}'?"
        # A one-typo or plural variant may be another word the person meant: said less loudly.
        severity = "error" if applicability == "safe" else "warning"
        yield self.finding(link.start, link.end, message, fix, severity=severity)

    def _fix(self, note: Note, vault: Vault, link: Link) -> Fix | None:
        strategy = self.options["strategy"]
        if strategy == "unlink":
            return _unlink(note, link)
        if strategy == "stub":
            return _stub(link, str(self.options["stub-folder"]))
        return _relink(note, vault, link, int(self.options["fuzzy-threshold"]))


def fold(name: str) -> str:
    """A file name with case, `_`, `-`, spaces and punctuation (but `+`) folded away."""
    if name.isascii():  # the same, six times as fast: every file name of the vault is folded
        return name.lower().encode().translate(None, _ASCII_NOT_WORD).decode()
    return _NOT_WORD.sub("", unicodedata.normalize("NFC", name).lower())


def fold_joined(names: str) -> list[str]:
    """`fold` of each of `names` joined by NUL, computed on them all at once (4.6 ms for
    33,000 names, 18 ms name by name). The same: NUL is no letter, so neither case nor
    normalisation crosses it, and no name holds one."""
    if names.isascii():
        return names.lower().encode().translate(None, _ASCII_NOT_WORD_NOR_NUL).decode().split("\0")
    # The ASCII characters are dropped as bytes (none is part of another character's UTF-8),
    # the others name by name in the names holding one: the pattern reads 30 ns a character.
    lowered = unicodedata.normalize("NFC", names).lower().encode("utf-8", "surrogatepass")
    kept = lowered.translate(None, _ASCII_NOT_WORD_NOR_NUL).decode("utf-8", "surrogatepass")
    return [name if name.isascii() else _NOT_WORD.sub("", name) for name in kept.split("\0")]


#: The ASCII bytes `_NOT_WORD` drops (all but letters, digits and `+`), for `bytes.translate`.
_ASCII_NOT_WORD = bytes(c for c in range(128) if not (chr(c).isalnum() or chr(c) == "+"))
_ASCII_NOT_WORD_NOR_NUL = _ASCII_NOT_WORD.replace(b"\0", b"")


def _joined_stems(vault: Vault) -> str:
    """`_stem` of each file of the vault (`by_path` order), joined by NUL. Taken from all the
    paths at once (C speed: a hook's check folds every name of the vault): reversed, a path's
    folders follow its name and are dropped at its first `/`."""
    names = _FOLDERS.sub("", "\0".join(vault.by_path.values())[::-1])[::-1]
    return _MD_END.sub("", names)


_FOLDERS = re.compile(r"/[^\0]*")
_MD_END = re.compile(r"\.[mM][dD](?=\0|\Z)")


#: Questions the folded index answers by scanning every folded name (at C speed: a few
#: milliseconds for 33,000 files) before it builds its dictionaries (some 25 ms there):
#: a hook's check of one note asks a few, a check of a vault thousands.
SCANNED_QUESTIONS = 4


@dataclass
class _FoldedIndex:
    """File names folded for relinking, built once per vault."""

    names: list[str]  # the folded name of each file
    rels: list[str]  # the files, in that order
    questions: int = 0  # asked so far, while `files` is not built
    files: dict[str, list[str]] = field(default_factory=dict)  # folded name -> files
    #: folded names, shortest first, and their lengths (built on first use)
    by_length: list[str] = field(default_factory=list)
    lengths: list[int] = field(default_factory=list)
    fuzzy_cache: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    typo_cache: dict[str, list[str]] = field(default_factory=dict)
    #: first letter -> the folded names starting with it, shortest first (built on first use)
    by_letter: dict[str, list[str]] = field(default_factory=dict)
    #: first letter -> digits -> (folded names, their lengths), shortest first; each letter's
    #: on its first use (a check of one note weighs one or two letters, not the vault)
    alike: dict[str, dict[str, tuple[list[str], list[int]]]] = field(default_factory=dict)

    def named(self, key: str) -> list[str]:
        """The files whose folded name is `key`."""
        if self._indexed():
            return self.files.get(key, [])
        found: list[str] = []
        at = -1
        with contextlib.suppress(ValueError):
            while True:
                at = self.names.index(key, at + 1)
                found.append(self.rels[at])
        return found

    def fuzzy(self, key: str, threshold: int) -> list[str]:
        """The files of the unique best fuzzy match of `key` scoring at least `threshold`."""
        if (key, threshold) not in self.fuzzy_cache:
            self.fuzzy_cache[key, threshold] = self._fuzzy(key, threshold)
        return self.fuzzy_cache[key, threshold]

    def _fuzzy(self, key: str, threshold: int) -> list[str]:
        from rapidfuzz import fuzz, process

        self._index()
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

    def typos(self, key: str) -> list[str]:
        """The files whose folded name starts with `key`'s letter, has its digits, and is one
        edit (a letter added, dropped, changed, or two swapped) from `key`. Only those: the
        typo guard (`_near_miss`) keeps the first letter of the one word that differs, every
        word before it is equal, and the numbers are the same, so no other name is a near
        miss. (A vault of 50,000 numbered attachments and a link to one that is gone: all
        of them started with the same letter.)"""
        if key not in self.typo_cache:
            from rapidfuzz import process
            from rapidfuzz.distance import OSA

            if not self._indexed():  # every name weighed, at C speed, then the few kept
                found = process.extract(
                    key, self.names, scorer=OSA.distance, score_cutoff=1, limit=None
                )
                number = digits(key)
                self.typo_cache[key] = [
                    self.rels[at]
                    for name, _, at in found
                    if name[:1] == key[0] and digits(name) == number
                ]
                return self.typo_cache[key]
            names, lengths = self._alike(key)
            choices = names[
                bisect.bisect_left(lengths, len(key) - 1) : bisect.bisect_right(
                    lengths, len(key) + 1
                )
            ]
            found = process.extract(key, choices, scorer=OSA.distance, score_cutoff=1, limit=None)
            self.typo_cache[key] = [rel for name, _, _ in found for rel in self.files[name]]
        return self.typo_cache[key]

    def _alike(self, key: str) -> tuple[list[str], list[int]]:
        """The folded names with `key`'s first letter and digits, shortest first, and their
        lengths."""
        if not self.by_letter:
            for name in self.by_length:  # shortest first, so each list is too
                if name:
                    self.by_letter.setdefault(name[0], []).append(name)
        by_digits = self.alike.get(key[0])
        if by_digits is None:
            by_digits = self.alike[key[0]] = {}
            for name in self.by_letter.get(key[0], []):
                by_digits.setdefault(digits(name), ([], []))[0].append(name)
            for names, lengths in by_digits.values():
                lengths.extend(map(len, names))
        return by_digits.get(digits(key), ([], []))

    def _indexed(self) -> bool:
        """Whether the dictionaries are built, counting this question (and building them
        when the scans are used up)."""
        if not self.files:
            self.questions += 1
            if self.questions <= SCANNED_QUESTIONS:
                return False
            self._index()
        return True

    def _index(self) -> None:
        if self.files:
            return
        files = self.files
        for key, rel in zip(self.names, self.rels, strict=True):
            found = files.get(key)
            if found is None:
                files[key] = [rel]
            else:
                found.append(rel)
        self.by_length = sorted(files, key=len)
        self.lengths = [len(key) for key in self.by_length]


def _folded_index(vault: Vault) -> _FoldedIndex:
    return vault.memo(_build_folded_index)


def _build_folded_index(vault: Vault) -> _FoldedIndex:
    return _FoldedIndex(fold_joined(_joined_stems(vault)), list(vault.by_path.values()))


def _vocabulary(vault: Vault) -> frozenset[str]:
    """The words of the vault's note names; built once, and only when a guard asks (it costs
    more than the folded index)."""
    return frozenset(words(_joined_stems(vault)))


class _Words:
    """The vault's `_vocabulary`, gathered at the first question: most names weighed as a
    typo fail a cheaper test first."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault

    def __contains__(self, word: object) -> bool:
        return word in self.vault.memo(_vocabulary)


def _may_slip(link: Link) -> bool:
    """Whether another name may be what the link meant: not for the embed of a dated drawing
    or a numbered image, where another date or number is another file."""
    return not (link.kind == "embed" and has_digits(link.target))


def _same_numbers(link: Link, hits: list[str]) -> list[str]:
    """The files, among those whose folded name is the target's, that have its numbers and
    its signs: folding drops the separators between digits, so `Chapter 1.1` and
    `Chapter 11`, or `Week 1-2` and `Week 12`, fold alike but name different things; and it
    drops signs, so `P&L` (profit and loss) and `PL`, `A*` and `A` do too."""
    stem = _stem(link.target)
    numbers, signs = numbers_of(stem), _SIGNS.findall(stem)
    return [
        rel
        for rel in hits
        if numbers_of(_stem(rel)) == numbers and _SIGNS.findall(_stem(rel)) == signs
    ]


#: Signs that are part of what a name means (`P&L`, `S&P 500`, `A*`, `C#`, `x=y`), and a
#: word of ASCII signs alone at either end (`Haskell -`, the minus of a note series on
#: operators; an emoji before a name is decoration: `Kitchen` may mean `🍳 Kitchen`);
#: folding drops them with the punctuation between words, so a name with other signs is
#: weighed as another name, as one with other numbers is (`+` is kept by folding itself).
_SIGNS = re.compile(r"[&*@%$=<>~^#]|^[!-/:-@\[-^`{-~]+(?=\s)|(?<=\s)[!-/:-@\[-^`{-~]+$")


def _stem(path: str) -> str:
    """The name of a file or link target, without its folder and a `.md`."""
    name = path.rsplit("/", 1)[-1]
    return name[:-3] if name.lower().endswith(".md") else name


def _guarded(vault: Vault, link: Link, hits: list[str]) -> list[str]:
    """The fuzzy hits that are slips for the target, not another topic or another file."""
    if not hits or not _may_slip(link):
        return []
    vocabulary = _Words(vault)
    return [
        rel
        for rel in _same_numbers(link, hits)
        if near_miss(_stem(link.target), _stem(rel), vocabulary)
    ]


def _suggestion(vault: Vault, link: Link) -> tuple[str, str] | None:
    """The one note a target evidently meant, and how safe a relink to it is: a case or
    separator variant (safe), or a one-typo variant (unsafe)."""
    key = fold(_stem(link.target))
    if not key:
        return None
    index = _folded_index(vault)
    hits = _same_numbers(link, index.named(key))
    if len(hits) == 1:
        return hits[0], "safe"
    if hits or not _may_slip(link):
        return None
    typos = _guarded(vault, link, index.typos(key))
    return (typos[0], "unsafe") if len(typos) == 1 else None


def _relink(note: Note, vault: Vault, link: Link, threshold: int) -> Fix | None:
    key = fold(_stem(link.target))
    if not key:
        return None
    index = _folded_index(vault)
    applicability = "safe"
    hits = _same_numbers(link, index.named(key))
    if not hits and threshold > 0:
        hits, applicability = _guarded(vault, link, index.fuzzy(key, threshold)), "unsafe"
    if len(hits) != 1:
        return None
    new_target = _link_text_for(vault, hits[0], note.rel)
    edit = _relink_edit(note, vault, link, hits[0], new_target)
    if edit is None:
        return None
    return Fix(applicability, (edit,), f"Relink to '{new_target}'")


def _link_text_for(vault: Vault, rel: str, source: str) -> str:
    """The shortest way to write a link to `rel` from `source` that resolves to it."""
    stem = rel[:-3] if rel.lower().endswith(".md") else rel
    short = stem.rsplit("/", 1)[-1]
    return short if vault.resolve(short, source) == rel else stem


#: What no relink writes into a wikilink: the characters Obsidian says break a link to a
#: note whose name holds them (`# ^ [ ] |`: `[[a|b]]` is a link to `a`).
_NOT_IN_WIKILINK = re.compile(r"[#^\[\]|]")
#: What no relink writes into any link: line breaks and the characters a reader cannot see
#: (controls but tab, bidirectional controls, invisible separators: those `output.safe` shows
#: as symbols), and the bytes of a name that is not UTF-8 (lone surrogates, which no note can
#: hold).
_UNWRITTEN = re.compile(f"[\x00-\x08\x0a-\x1f{INVISIBLE}\u2028\u2029\ud800-\udfff]")
#: What no relink writes into a front-matter value, a quoted YAML string: its quotes and the
#: escape of a double-quoted one (`up: "[[a"b]]"` is no longer the value it was).
_NOT_IN_YAML = re.compile("[\"'\\\\]")


def _relink_edit(note: Note, vault: Vault, link: Link, rel: str, new_target: str) -> Edit | None:
    """The edit pointing `link` at the file `rel` (written `new_target`), or None when no link
    the note can hold would lead there: a file name holding what a link cannot (`a|b`, a
    line break, a control character, a byte that is not UTF-8), or one the link would not
    read back as written (a leading or trailing space, which Obsidian trims)."""
    if _UNWRITTEN.search(new_target):
        return None
    if link.kind != "markdown" and _NOT_IN_WIKILINK.search(new_target):
        return None
    if link.kind == "frontmatter" and _NOT_IN_YAML.search(new_target):
        return None
    edit = _retarget(note, link, new_target)
    if edit is None or vault.resolve(_written_target(link, edit.content), note.rel) != rel:
        return None
    return edit


def _written_target(link: Link, content: str) -> str:
    """The target a link reads once `_retarget` wrote `content` over it."""
    if link.kind == "markdown":  # the destination, percent-encoded, and its subpath
        return links.normalise_target(links.decode_uri(content.split("#", 1)[0]))
    inner = content[content.index("[[") + 2 : -2]
    return links.split_wikilink(inner)[0]


def _retarget(note: Note, link: Link, new_target: str) -> Edit | None:
    """An edit pointing `link` at `new_target`, keeping subpath and visible text (a name
    `_relink_edit` found writable)."""
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


#: Characters no file name may hold: NUL (refused by every file system), those Obsidian
#: refuses in note names (and Windows in file names), those it says break a link to a note
#: whose name holds them (`# ^ [ ]`), and those a reader cannot see (controls, bidirectional
#: controls, invisible separators: a stub named `\u202etxt.md` would hide its own name).
_BAD_NAME = re.compile(f'[\x00-\x1f*"\\\\<>:|?#^\\[\\]{INVISIBLE}\u2028\u2029]')
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
