"""Property tests of `vaultbot fix` (DESIGN.md §6) over generated notes in the style of the
LLM-written tubegraph vault, with the defects such pipelines leave planted in them.

The notes carry front matter (`title`, `videoId`), a `From: [[channel | Channel]]` header,
headings, paragraphs and bullets with yt-timestamp anchors and ranges, and wikilinks; planted
are editorial pre- and postamble lines, `data-t`/label mismatches, sloppy `00:5:52` spellings,
unclosed anchors and brackets, misspelt links that fold to exactly one existing note, unicode
text (with characters Python alone breaks lines at, zero-width ones, NBSP and a BOM inside),
LF/CRLF/CR (and `\r\r\n`, two breaks) chosen per line, an optional BOM and an optional final
line break.

Properties:

a. Findings sit where an editor shows them (lines broken at `\r\n`, `\r`, `\n`), only the
   applied edits change the text, and they stay local. `fix_note` does not return the
   edits it applied, so the test records each round of its convergence loop (the findings of
   that round's check and the edits `apply_fixes` took) and asserts, per round: every edit
   belongs to a safe fix of a finding reported on that round's text; the edits do not overlap;
   the round's output is its input (the text as read, bare `\r` kept) with exactly those
   edits spliced in (spliced here, not by vaultbot); no edit writes a line break; an edit either stays within one of its finding's
   lines, leaving the line break alone (`\r` included), or deletes whole lines: the finding's
   and at most one blank line beside them (ED001 edits always delete). The fixed note is the
   last round's output, with the note's BOM. So every byte outside the edit spans is the
   original byte. (Later rounds may fix what only appears once earlier fixes are in, such as
   an editorial line that becomes the first line, so the statement is per round, not "only
   lines the first check reported".)
b. Fixing the fixed note changes nothing.
c. After fixing, check reports no finding with a safe fix.
   Separately, the fixer never refuses a generated note (the meaning guard tripping is a bug):
   an ordinary test that must pass, with the minimised notes it once refused (REFUSED) and
   notes whose fixes clash (CLASHING) as explicit examples.
d. No exception for any input: random text and random bytes (`NoteError` is the only error
   `Note.from_bytes` may raise; a refusal of the meaning guard is the only FixError allowed),
   and the real `vaultbot fix` command on small vaults mixing generated notes with random text
   and bytes: the exit code is 2 when a note was an error, else 1 when anything was fixed or
   remains, else 0; the notes the run reports as errors are byte-identical; every other note
   holds exactly what the in-memory fixer produces; no temporary file is left.
e. Byte-level encoding, checked on the bytes alone: BOM kept or absent as before; every
   untouched line (content unchanged) keeps its own ending (LF, CRLF, CR, or none for a last
   line),
   so a final line break or its absence stays unless the last line was deleted.
"""

from __future__ import annotations

import bisect
import contextlib
import io
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, reject, settings
from hypothesis import strategies as st

from vaultbot import fixes
from vaultbot.cli import main
from vaultbot.config import Config
from vaultbot.lint import check_note
from vaultbot.note import Note, NoteError
from vaultbot.rules import Edit, Finding, Fix
from vaultbot.vault import Vault

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

BOM = "\ufeff"
RULES = Config().rules()
NOTE = "note.md"
CHANNEL = "dwarkesh"
#: Existing notes; no two fold (case, `_`, `-`, spaces, punctuation) to the same name.
TOPICS = (
    "ai_alignment_and_safety",
    "role_of_compute_in_ai_development",
    "reinforcement_learning",
    "future_of_agi_and_societal_implications",
    "économie_et_société",
)
VAULT_FILES = (f"{CHANNEL}.md", *(f"{t}.md" for t in TOPICS))
VAULT = Vault.from_files(Path("vault"), (*VAULT_FILES, NOTE))
VAULT.profile_setting = "generated"  # a pipeline's vault: no file of it is read to detect it

# -- strategies: notes in the tubegraph style -----------------------------------------------

PREAMBLES = (
    "Here is the modified article with added backlinks:",
    "Here is the modified article:",
    "Here is the modified article with the inserted backlinks:",
    "Here is the article with added backlinks:",
    "**Here is the revised article with backlinks added:**",
    "Certainly! Here is the updated summary with the requested links:",
)
POSTAMBLES = (
    "Let me know if you need any further modifications!",
    "I hope this helps! Let me know if you want more changes to the article.",
    "Feel free to ask for additional edits or formatting.",
)
MIDDLE = (
    "I've added backlinks to the relevant topics in the article.",
    "Add backlinks using these topics:",
    "Note: I have inserted the links where they fit.",
)
STRUCTURE = ("    ", "\t", "> ", "---", "===", "<div>", "<b>", "```", "%%", "1. ", "| a |")
LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéüßçñøÅİıёжλ漢字かな🙂"
#: Characters some tools write that are no line break to CommonMark or Obsidian, though
#: `str.splitlines` breaks at some and `str.strip` strips most: rarer still.
ODD = "\v\f\x1c\x85\u2028\u2029\u00a0\u200b\u200d\ufeff\u0301"
#: Characters that make Markdown structure: rarer, so that most notes stay notes.
MARKUP = "`*_%$<>|#[]()!\\~\"'"

words = st.one_of(
    st.text(alphabet=LETTERS, min_size=1, max_size=9),
    st.text(alphabet=LETTERS, min_size=1, max_size=9),
    st.text(alphabet=LETTERS, min_size=1, max_size=9),
    st.text(alphabet=LETTERS + ODD, min_size=1, max_size=9),
)
markup_words = st.text(alphabet=LETTERS + MARKUP, min_size=1, max_size=6)


def fmt(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def anchor(data_t: str, label: str, close: str = "]</a>") -> str:
    return f'<a class="yt-timestamp" data-t="{data_t}">[{label}{close}'


@st.composite
def sloppy(draw: st.DrawFn, seconds: int) -> str:
    """`seconds` spelt with one-digit fields where it can be (`00:5:52`, `0:01:9`)."""
    h, m, s = seconds // 3600, seconds // 60 % 60, seconds % 60
    parts = [f"{h:02d}", f"{m:02d}", f"{s:02d}"]
    for i, value in enumerate((h, m, s)):
        if value < 10 and draw(st.booleans()):
            parts[i] = str(value)
    return ":".join(parts)


@st.composite
def timestamp(draw: st.DrawFn, clock: list[int]) -> str:
    """An anchor (or a range, or a bare label) at the note's running clock, maybe broken."""
    clock[0] += draw(st.integers(1, 400))
    t = clock[0]
    kind = draw(
        st.sampled_from(
            ["good"] * 8
            + ["range"] * 4
            + ["data-t off", "label off", "sloppy data-t", "sloppy label", "no </a>", "no ]"]
            + ["hour-off range", "bare", "garbage", "two fields", "reversed range"]
        )
    )
    if kind == "good":
        return anchor(fmt(t), fmt(t))
    if kind == "range":
        end = t + draw(st.integers(1, 300))
        clock[0] = end
        dash = draw(st.sampled_from(["-", " - ", "–", "—", " – "]))
        return anchor(fmt(t), fmt(t)) + dash + anchor(fmt(end), fmt(end))
    if kind == "data-t off":
        off = draw(st.sampled_from([3600, -3600, 600, 7]))
        return anchor(fmt(max(t + off, 0)), fmt(t))
    if kind == "label off":
        return anchor(fmt(t), fmt(max(t - draw(st.sampled_from([3600, 300])), 0)))
    if kind == "sloppy data-t":
        return anchor(draw(sloppy(t)), fmt(t))
    if kind == "sloppy label":
        return anchor(fmt(t), draw(sloppy(t)))
    if kind == "no </a>":
        return anchor(fmt(t), fmt(t), close="]") + draw(st.sampled_from(["", " and", "."]))
    if kind == "no ]":
        return anchor(fmt(t), fmt(t), close="</a>")
    if kind == "hour-off range":
        end = t + draw(st.integers(1, 300))
        clock[0] = end
        return anchor(fmt(t + 3600), fmt(t)) + "-" + anchor(fmt(end), fmt(end))
    if kind == "reversed range":
        return anchor(fmt(t), fmt(t)) + "-" + anchor(fmt(t // 2), fmt(t // 2))
    if kind == "bare":
        return f"[{fmt(t)}]"
    if kind == "two fields":
        return anchor(f"{t // 60 % 60:02d}:{t % 60:02d}", fmt(t))
    return anchor(draw(st.sampled_from(["HH:MM:SS", "", "01:00:13:00", "01:24:99"])), fmt(t))


@st.composite
def misspelt(draw: st.DrawFn, name: str) -> str:
    """A spelling of `name` that resolves to nothing but folds to `name`."""
    parts = name.split("_")
    cased = [draw(st.sampled_from([p, p.capitalize(), p.upper()])) for p in parts]
    if len(parts) == 1:
        cut = draw(st.integers(1, len(name) - 1))
        return f"{cased[0][:cut]}-{cased[0][cut:]}"
    seps = draw(
        st.lists(
            st.sampled_from([" ", "-", "_", "__", " - ", "'", "_-_"]),
            min_size=len(parts) - 1,
            max_size=len(parts) - 1,
        )
    )
    if all(s == "_" for s in seps):
        seps[0] = " "
    return cased[0] + "".join(s + p for s, p in zip(seps, cased[1:], strict=True))


@st.composite
def wikilink(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(TOPICS))
    target = draw(
        st.one_of(
            st.just(name),
            misspelt(name),
            st.sampled_from(["totally_unknown_topic", "Another Missing Note"]),
        )
    )
    alias = draw(st.one_of(st.none(), words))
    spaces = draw(st.sampled_from(["", " "]))
    return f"[[{target}]]" if alias is None else f"[[{target}{spaces}|{spaces}{alias}]]"


@st.composite
def sentence(draw: st.DrawFn, clock: list[int]) -> str:
    pieces = draw(
        st.lists(
            st.one_of(
                words,
                words,
                words,
                timestamp(clock),
                wikilink(),
                markup_words,
            ),
            min_size=1,
            max_size=8,
        )
    )
    return " ".join(pieces) + draw(st.sampled_from(["", ".", ":", " ."]))


@st.composite
def body_line(draw: st.DrawFn, clock: list[int]) -> str:
    kind = draw(
        st.sampled_from(
            ["paragraph"] * 4
            + ["bullet"] * 3
            + ["blank"] * 3
            + ["heading", "middle", "middle", "structure"]
        )
    )
    if kind == "heading":
        return "#" * draw(st.integers(1, 3)) + " " + " ".join(draw(st.lists(words, max_size=4)))
    if kind == "blank":
        return draw(st.sampled_from(["", "", "", " ", "\t"]))
    if kind == "middle":
        return draw(st.sampled_from(MIDDLE))
    if kind == "structure":  # lines whose meaning depends on the lines around them
        return draw(st.sampled_from(STRUCTURE)) + draw(st.sampled_from(["", "[[dwarkesh]]"]))
    text = draw(sentence(clock))
    if kind == "bullet":
        bold = draw(st.one_of(st.just(""), words.map(lambda w: f"**{w}**: ")))
        return draw(st.sampled_from(["*   ", "- ", "    *   "])) + bold + text
    return text


@dataclass(frozen=True)
class Generated:
    """A generated note's bytes (hypothesis prints it for a failing example)."""

    data: bytes


def join_lines(draw: st.DrawFn, lines: Sequence[str]) -> bytes:
    """Join `lines` with LF, CRLF or CR (or `\r\r\n`, mixed) per line, an optional final
    break and an optional BOM."""
    mode = draw(st.sampled_from(["\n", "\r\n", "\r", "mixed"]))
    text = ""
    for i, line in enumerate(lines):
        if mode == "mixed":
            ending = draw(st.sampled_from(["\n", "\r\n", "\n", "\r\n", "\r", "\r\r\n"]))
        else:
            ending = mode
        text += line + (ending if i < len(lines) - 1 or draw(st.booleans()) else "")
    return ((BOM if draw(st.booleans()) else "") + text).encode("utf-8")


@st.composite
def generated_notes(draw: st.DrawFn) -> Generated:
    clock = [draw(st.integers(0, 4000))]
    lines: list[str] = []
    if draw(st.integers(0, 4)):
        title = " ".join(draw(st.lists(words, min_size=1, max_size=4)))
        video = draw(st.text(alphabet="abcdefghijkXYZ0123456789_-", min_size=11, max_size=11))
        lines += ["---", f"title: {title}", f"videoId: {video}", "---", ""]
    if draw(st.integers(0, 4)):
        channel = draw(st.one_of(st.just(CHANNEL), misspelt(CHANNEL)))
        lines += [f"From: [[{channel} | The Dwarkesh Podcast]]", ""]
    for _ in range(draw(st.integers(0, 2))):
        lines += [draw(st.sampled_from(PREAMBLES)), *draw(st.sampled_from([[""], []]))]
    lines += draw(st.lists(body_line(clock), min_size=0, max_size=14))
    for _ in range(draw(st.integers(0, 2))):
        lines += [*draw(st.sampled_from([[""], []])), draw(st.sampled_from(POSTAMBLES))]
    if not lines:
        lines = [""]
    return Generated(join_lines(draw, lines))


#: Pieces the random-text strategy splices between arbitrary text.
FRAGMENTS = (
    "\n",
    "\r\n",
    "\r",
    "\r\r\n",
    "\u2028",
    "\x85",
    "\ufeff",
    "\u200b",
    "\n\n",
    "---\n",
    "```markdown\n",
    "```\n",
    "%%",
    "$$",
    "`",
    "<!-- ",
    " -->",
    "<div>\n",
    "> ",
    "From: [[dwarkesh]]\n",
    "videoId: x\n",
    PREAMBLES[0] + "\n",
    POSTAMBLES[0],
    MIDDLE[0],
    anchor("00:5:52", "00:05:52"),
    anchor("00:35:45", "01:35:45"),
    anchor("00:01:09", "00:01:09", close="]"),
    anchor("00:01:09", "00:01:09", close=""),
    "-",
    "[00:12:10]",
    "[[ai alignment and safety]]",
    "[[Role-of-Compute | x]]",
    "[t](Reinforcement%20Learning.md)",
    "[[",
    "]]",
    "|",
    "%% vaultbot: ignore[timestamp-mismatch] %%",
)
mixed_text = st.lists(st.one_of(st.text(max_size=20), st.sampled_from(FRAGMENTS)), max_size=25).map(
    "".join
)

# -- recording the fixer's rounds ----------------------------------------------------------


@dataclass
class Round:
    """One round of `fix_note`'s loop: the text, what check found on it, what was applied."""

    text: str
    findings: list[Finding]
    taken: list[Fix]
    edits: list[Edit]
    result: str


@contextlib.contextmanager
def recorded_rounds() -> Iterator[list[Round]]:
    """Record every round of `fixes.fix_note` by wrapping the two functions it calls."""
    rounds: list[Round] = []
    checks: list[tuple[str, list[Finding]]] = []
    real_check, real_apply = fixes.check_note, fixes.apply_fixes

    def check(note: Note, vault: Vault, rules: Sequence[object]) -> list[Finding]:
        found = real_check(note, vault, rules)  # type: ignore[arg-type]
        checks.append((note.source, list(found)))
        return found

    def apply(text: str, to_apply: Iterable[Fix]) -> tuple[str, list[Fix], list[Edit]]:
        new, taken, edits = real_apply(text, list(to_apply))
        assert checks and checks[-1][0] == text, "fixes applied to text that was not checked"
        rounds.append(Round(text, checks[-1][1], list(taken), list(edits), new))
        return new, taken, edits

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(fixes, "check_note", check)
        mp.setattr(fixes, "apply_fixes", apply)
        yield rounds
    assert checks, "fixes.fix_note no longer calls fixes.check_note: update this test's recorder"


def splice(text: str, edits: Iterable[Edit]) -> str:
    out, pos = [], 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        assert pos <= edit.start <= edit.end <= len(text), f"edits overlap or run off: {edit}"
        out += [text[pos : edit.start], edit.content]
        pos = edit.end
    return "".join(out) + text[pos:]


class Lines:
    """The lines of a text as CommonMark and Obsidian's editor break them (at `\\r\\n`, `\\r`
    and `\\n`), worked out here, not by vaultbot's `Note`."""

    def __init__(self, text: str) -> None:
        self.text = text
        breaks = list(re.finditer(r"\r\n|\r|\n", text))
        self.line_starts = [0, *(m.end() for m in breaks)]
        self.ends = [*(m.start() for m in breaks), len(text)]

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset)

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def line_text(self, line: int) -> str:
        return self.text[self.line_starts[line - 1] : self.ends[line - 1]]


def lines_of(note: Lines, start: int, end: int) -> set[int]:
    return set(range(note.line_of(start), note.line_of(max(end - 1, start)) + 1))


def is_blank(note: Lines, line: int) -> bool:
    """Blank as CommonMark has it: spaces and tabs only (`str.strip` strips NEL, U+2028…)."""
    return 1 <= line <= note.line_count and not note.line_text(line).strip(" \t")


def takes_the_blank_line_along(text: str, applied: list[Edit], done: Edit, meant: Edit) -> bool:
    """The one way an applied edit may differ from its fix's: deletions running from just
    after a line ended by a lone CR up to a blank LF line take that `\n` along (joined, the
    two breaks would read as one CRLF and change a line outside the edits)."""
    if done.start != meant.start or done.end != meant.end + 1 or done.content or meant.content:
        return False
    if text[meant.end] != "\n":
        return False
    start = done.start  # back to the start of the run of adjoining deletions
    while before := next((e for e in applied if e.end == start and not e.content), None):
        start = before.start
    return start > 0 and text[start - 1] == "\r"


def assert_round_is_local(r: Round) -> None:
    note = Lines(r.text)
    read = Note(NOTE, r.text)
    for finding in r.findings:  # each on the line, at the column, an editor shows
        line = note.line_of(finding.start)
        column = finding.start - note.line_starts[line - 1] + 1
        assert read.position(finding.start) == (line, column), finding
    owners = {id(f.fix): f for f in r.findings if f.fix is not None}
    for fix in r.taken:
        assert id(fix) in owners, f"applied a fix no finding of this round reported: {fix}"
        assert fix.applicability == "safe", f"applied an unsafe fix: {fix}"
    taken_edits = sorted((e for fix in r.taken for e in fix.edits), key=lambda e: (e.start, e.end))
    applied = sorted(r.edits, key=lambda e: (e.start, e.end))
    assert len(applied) == len(taken_edits)
    for done, meant in zip(applied, taken_edits, strict=True):
        assert done == meant or takes_the_blank_line_along(r.text, applied, done, meant), done
    assert splice(r.text, r.edits) == r.result
    for fix in r.taken:
        finding = owners[id(fix)]
        allowed = lines_of(note, finding.start, finding.end)
        for edit in fix.edits:
            assert "\n" not in edit.content and "\r" not in edit.content, edit
            touched = lines_of(note, edit.start, edit.end)
            replaced = r.text[edit.start : edit.end]
            if finding.rule.code == "ED001" or "\n" in replaced or "\r" in replaced:
                # deleting lines (ED001 always does): whole lines, the finding's, and at most
                # one blank line beside them
                assert edit.content == "", f"{finding.rule.code} rewrote lines: {edit}"
                start = edit.start
                tail = edit.end == len(r.text) and not r.text.endswith(("\n", "\r"))
                if tail and r.text[start] in "\r\n":
                    # deleting the last line of a note without a final line break also takes
                    # the break, and the blank lines, before it: it still ends without one
                    start = len(r.text) - len(r.text[start:].lstrip(" \t\r\n"))
                    start = note.line_starts[note.line_of(start) - 1]
                assert start in note.line_starts, f"deletion starts mid-line: {edit}"
                assert edit.end in note.line_starts or edit.end == len(r.text), edit
                extra = lines_of(note, start, edit.end) - allowed
                assert len(extra) <= 1 and all(is_blank(note, n) for n in extra), (
                    f"{finding.rule.code} deleted more than its lines and one blank line: "
                    f"{sorted(touched)} for {sorted(allowed)}"
                )
                assert all(min(allowed) - 1 <= n <= max(allowed) + 1 for n in extra)
            else:  # an edit within one line, of the finding's lines
                assert touched <= allowed, (
                    f"{finding.rule.code} edit on lines {sorted(touched)}, finding on "
                    f"{sorted(allowed)}"
                )


def guard_refused(exc: fixes.FixError) -> bool:
    """Whether `exc` is the meaning guard refusing a fix (the note is then left as it was, as
    `vaultbot fix` leaves it). Such refusals are bugs of their own, tested by
    test_fixer_never_refuses; every other FixError (no convergence) fails the property."""
    return "would change what the note means" in str(exc)


def fix_bytes(data: bytes, vault: Vault = VAULT, rel: str = NOTE) -> tuple[Note, Note, bool]:
    """(original, fixed, refused by the meaning guard)."""
    note = Note.from_bytes(rel, data)
    try:
        return note, fixes.fix_note(note, vault, RULES).note, False
    except fixes.FixError as exc:
        if not guard_refused(exc):
            raise
        return note, note, True


# -- a. only the applied edits change the text ---------------------------------------------


@SETTINGS
@given(generated_notes())
@example(
    Generated(b"Here is the modified article:\r\rBody.\r\rLet me know if you need any changes!\r")
)
@example(  # two deleted lines after a lone CR, then a blank line: the fixer takes it along
    Generated(
        b"---\ntitle: A\nvideoId: 00000000000\n---\n\nFrom: [[dwarkesh | The Dwarkesh Podcast]]\n"
        b"\rHere is the modified article with added backlinks:\n"
        b"Here is the modified article with added backlinks:\n\n"
        b"Let me know if you need any further modifications!"
    )
)
def test_only_applied_edits_change_the_text(gen: Generated) -> None:
    note = Note.from_bytes(NOTE, gen.data)
    with recorded_rounds() as rounds:
        try:
            outcome: fixes.FixOutcome | None = fixes.fix_note(note, VAULT, RULES)
        except fixes.FixError as exc:
            if not guard_refused(exc):
                raise
            outcome = None  # refused: every round up to the refusal must still be local
    text = note.source
    for r in rounds:
        assert r.text == text, "a round did not start from the previous round's output"
        assert_round_is_local(r)
        text = r.result
    if outcome is not None:
        assert outcome.note.source == text
        assert outcome.note.bom == note.bom
        assert fixes.encode(outcome.note) == (BOM if note.bom else "").encode() + text.encode()
        assert outcome.changed == (outcome.note.source != note.source)


# -- b. and c. fix twice = fix once; nothing with a safe fix remains --------------------------


@SETTINGS
@given(generated_notes())
def test_fix_is_idempotent(gen: Generated) -> None:
    _, fixed, _ = fix_bytes(gen.data)
    _, again, _ = fix_bytes(fixes.encode(fixed))
    assert again.source == fixed.source


@SETTINGS
@given(generated_notes())
def test_no_safe_fix_remains(gen: Generated) -> None:
    note = Note.from_bytes(NOTE, gen.data)
    try:
        outcome = fixes.fix_note(note, VAULT, RULES)
    except fixes.FixError as exc:
        if not guard_refused(exc):
            raise
        reject()  # a refusal leaves the note unfixed: test_fixer_never_refuses covers it
    left = [f for f in check_note(outcome.note, VAULT, RULES) if fixes.applicable(f, False)]
    assert left == []
    assert [f for f in outcome.remaining if fixes.applicable(f, False)] == []


#: Notes the fixer once refused (the meaning guard tripped), minimised from generated notes.
#: Deleting the editorial line would change the blocks around it: an indented continuation line
#: becomes an indented code block; a bullet above and an indented block below (a code block,
#: behind a blank line after the editorial paragraph) become one list item; a lone `<b>`
#: line, a paragraph continuation until then, starts an HTML block. ED001 now offers no fix
#: there, and the fixer must not refuse.
REFUSED = (
    b"Here is the modified article with added backlinks:\n    [[ai_alignment_and_safety]]\n",
    b"*   text\n\nHere is the modified article with added backlinks:\n\n"
    b"    *   [[ai_alignment_and_safety]]\n",
    b"Here is the modified article with added backlinks:\n<b>\n[[ai_alignment_and_safety]]\n",
)


#: Notes whose safe fixes keep the meaning one by one but not together, so the fixer must
#: split them into rounds: two adjacent editorial lines above an indented bullet (deleting
#: both would turn the bullet into an indented code block; about 1% of generated notes).
CLASHING = (
    b"Here is the modified article with added backlinks:\nHere is the modified article:\n"
    b"    * [[ai_alignment_and_safety]]\n",
    b"Certainly! Here is the updated summary with the requested links:\r\n"
    b"Here is the article with added backlinks:\r\n    *   [[dwarkesh]] at the start\r\n",
)


@SETTINGS
@given(generated_notes())
@example(Generated(REFUSED[0]))
@example(Generated(REFUSED[1]))
@example(Generated(REFUSED[2]))
@example(Generated(CLASHING[0]))
@example(Generated(CLASHING[1]))
def test_fixer_never_refuses(gen: Generated) -> None:
    """The meaning guard is a last line of defence: a safe fix that trips it is a bug."""
    fixes.fix_note(Note.from_bytes(NOTE, gen.data), VAULT, RULES)


# -- d. no exception for any input ----------------------------------------------------------


def fix_in_memory(note: Note) -> None:
    """Check and fix `note`: no exception but a refusal of the meaning guard (which writes
    nothing and is reported); fixing twice is fixing once."""
    check_note(note, VAULT, RULES)
    try:
        outcome = fixes.fix_note(note, VAULT, RULES)
    except fixes.FixError as exc:
        if not guard_refused(exc):
            raise
        return
    again = fixes.fix_note(outcome.note, VAULT, RULES)
    assert again.note.source == outcome.note.source


@SETTINGS
@given(st.one_of(st.text(), mixed_text))
def test_random_text_never_crashes(text: str) -> None:
    fix_in_memory(Note(NOTE, text))


@SETTINGS
@given(st.one_of(st.binary(), mixed_text.map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_random_bytes_never_crash(data: bytes) -> None:
    try:
        note = Note.from_bytes(NOTE, data)
    except NoteError:
        return
    fix_in_memory(note)


contents = st.one_of(
    generated_notes().map(lambda g: g.data),
    generated_notes().map(lambda g: g.data),
    st.binary(max_size=200),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
)
ERROR = re.compile(r"^vaultbot: error: (note\d\.md): ", re.M)


@settings(SETTINGS, max_examples=60)
@given(st.lists(contents, min_size=1, max_size=3))
@example([*REFUSED[1:], b"\xff\xfe"])
def test_fix_command_on_generated_vaults(notes: list[bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as mp:
        root = Path(tmp)
        (root / ".obsidian").mkdir()
        (root / ".vaultbot.toml").write_text('profile = "generated"\n')  # none from above
        for rel in VAULT_FILES:
            (root / rel).write_text("# Topic\n", encoding="utf-8")
        before = {f"note{i}.md": data for i, data in enumerate(notes)}
        for rel, data in before.items():
            (root / rel).write_bytes(data)
        vault = Vault.scan(root)
        vault.profile_setting = "generated"  # as the config says
        expected: dict[str, bytes] = {}  # the notes that will not be errors, as fixed in memory
        changed = remaining = False
        for rel, data in before.items():
            try:
                outcome = fixes.fix_note(Note.from_bytes(rel, data), vault, RULES)
            except fixes.FixError as exc:  # a refusal: an error of the run
                assert guard_refused(exc), exc
                continue
            except NoteError:  # unreadable: an error of the run
                continue
            expected[rel] = fixes.encode(outcome.note) if outcome.changed else data
            changed |= outcome.changed
            remaining |= bool(outcome.remaining)

        mp.chdir(root)
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(["fix", "--vault-root", "."])

        errored = set(ERROR.findall(err.getvalue()))
        assert errored == set(before) - set(expected), err.getvalue()
        assert code == (2 if errored else 1 if changed or remaining else 0)
        for rel, data in before.items():
            assert (root / rel).read_bytes() == expected.get(rel, data), rel
        assert sorted(p.name for p in root.iterdir()) == sorted(
            [".obsidian", ".vaultbot.toml", *VAULT_FILES, *before]
        ), "a temporary file was left behind"


# -- e. the byte-level encoding is kept ------------------------------------------------------


_LINE = re.compile(r"([^\r\n]*)(\r\n|\r|\n)|([^\r\n]+)\Z")


def split_lines(text: str) -> list[tuple[str, str]]:
    """(content, ending) per line, ending `\\r\\n`, `\\n`, `\\r`, or `` for a last line without
    one."""
    return [(m[1], m[2]) if m[2] else (m[3], "") for m in _LINE.finditer(text)]


Line = tuple[str, str]


def untouched_lines(old: Sequence[Line], new: Sequence[Line]) -> list[tuple[Line, Line]]:
    """The lines the fix left as they were, each as (old line, new line): the largest
    order-keeping pairing of lines with equal content (ties go to equal endings). Computed over
    the whole note: difflib's greedy matching can pair a kept blank line with a deleted one."""
    assert len(new) <= len(old), f"the fixer added lines: {len(old)} became {len(new)}"
    n, m = len(old), len(new)

    def score(i: int, j: int) -> float:
        return (old[i][0] == new[j][0]) * (1 + 1e-6 * (old[i][1] == new[j][1]))

    # best[i][j]: the best total score pairing new[j:] with a subsequence of old[i:]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            skip = best[i + 1][j] if n - i > m - j else float("-inf")
            best[i][j] = max(skip, score(i, j) + best[i + 1][j + 1])
    pairs, i = [], 0
    for j in range(m):
        while n - i > m - j and best[i + 1][j] >= score(i, j) + best[i + 1][j + 1]:
            i += 1
        if old[i][0] == new[j][0]:
            pairs.append((old[i], new[j]))
        i += 1
    return pairs


def assert_encoding_kept(before: bytes, after: bytes) -> None:
    """BOM kept; every untouched line keeps its ending, so a last line without one stays
    without. (Edited lines keep theirs too: no edit of a line spans its line break, as
    test_only_applied_edits_change_the_text asserts.)"""
    assert after.startswith(BOM.encode()) == before.startswith(BOM.encode()), "BOM changed"
    old = split_lines(before.decode("utf-8").removeprefix(BOM))
    new = split_lines(after.decode("utf-8").removeprefix(BOM))
    unterminated = bool(old) and old[-1][1] == ""
    for was, now in untouched_lines(old, new):
        if unterminated and now is new[-1] and now[1] == "":
            continue  # the old last line went: the new last line ends without a break, too
        assert now[1] == was[1], f"line ending changed: {was} became {now}"
    body = Note(NOTE, after.decode("utf-8").removeprefix(BOM))
    if unterminated and new and body.text[body.body_start :].strip():
        # (a note left with nothing but front matter ends with the front matter's break)
        assert new[-1][1] == "", "a note without a final line break gained one"


@SETTINGS
@given(generated_notes())
@example(Generated(b"\xef\xbb\xbfBody.\r\n\r\nLet me know if you need any further changes!"))
@example(Generated(b"From: [[dwarkesh]]\r\n\nHere is the modified article:\r\n\r\nBody."))
@example(Generated(b"Here is the modified article:\r\n\r\nHere is the modified article:\n    x"))
@example(
    Generated(b"---\nvideoId: 00000000000\n---\n\nHere is the modified article:\n\n[00:00:01]")
)
@example(
    Generated(
        b"From: [[dwarkesh]]\n\r\nHere is the modified article with added backlinks:\n\n"
        b"Here is the modified article with added backlinks:\n\n\r\n\r\n"
        b"I've added backlinks to the relevant topics in the article.\nA"
    )
)
# A blank line ended by a lone CR, then lines deleted up to a blank LF line: joined, the two
# breaks would read as one CRLF, and a line's ending would change.
@example(Generated(b"From: [[dwarkesh]]\n\rHere is the modified article:\nHere is it:\n\n"))
def test_encoding_is_kept(gen: Generated) -> None:
    _, fixed, _ = fix_bytes(gen.data)
    assert_encoding_kept(gen.data, fixes.encode(fixed))


def test_encoding_check_can_fail() -> None:
    """The encoding property rejects a changed line ending, a lost BOM, a new final break."""
    with pytest.raises(AssertionError):
        assert_encoding_kept(b"a\r\nb\n", b"a\nb\n")
    with pytest.raises(AssertionError):
        assert_encoding_kept(b"\xef\xbb\xbfa\n", b"a\n")
    with pytest.raises(AssertionError):
        assert_encoding_kept(b"a\nb", b"a\nb\n")
    with pytest.raises(AssertionError):  # a deletion beside a kept line
        assert_encoding_kept(b"Here\n\nA\r\nB\n", b"A\nB\n")
    assert_encoding_kept(b"a\r\nx\nb", b"a\r\nb")
    assert_encoding_kept(b"H:\n\nH:", b"H:")  # a last line without a break stays so
    assert_encoding_kept(b"B.\n\nLet me know!", b"B.")  # the last line went, still no break
    with pytest.raises(AssertionError):
        assert_encoding_kept(b"B.\n\nLet me know!", b"B.\n")
