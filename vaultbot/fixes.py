"""Applying fixes: edits on the original text, a convergence loop, a meaning guard, atomic writes.

Everything outside the edited spans stays byte-identical: the note's text keeps its line
endings, the BOM is written back, and the file keeps its mode (DESIGN.md §6).
"""

from __future__ import annotations

import bisect
import contextlib
import os
import re
import stat
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from vaultbot import meaning
from vaultbot.lint import check_note
from vaultbot.note import Note, NoteError, writable
from vaultbot.rules import Edit, Finding, Fix, Rule
from vaultbot.vault import Vault

#: As ruff: a note whose fixes keep producing new fixes after this many rounds is a bug.
MAX_ROUNDS = 100


class FixError(NoteError):
    """A note that could not be fixed safely; the message names it. The note is untouched."""


@dataclass
class FixOutcome:
    """The result of fixing one note in memory."""

    note: Note  # the fixed note (the original when nothing applied)
    fixed: Counter[str] = field(default_factory=Counter)  # rule code -> fixes applied
    remaining: list[Finding] = field(default_factory=list)
    creates: dict[str, str] = field(default_factory=dict)  # new notes: rel path -> text
    initial: list[Finding] = field(default_factory=list)  # findings before any fix
    #: (rule code, offset in the original text, fix title) of each fix of the first round
    applied: list[tuple[str, int, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.fixed)


def applicable(finding: Finding, unsafe: bool) -> bool:
    fix = finding.fix
    return fix is not None and (fix.applicability == "safe" or unsafe)


def _writable(fix: Fix) -> bool:
    """Whether the fix's text can be written into a note (a rule that offers a file name that
    is not UTF-8 must not stop the run: the fix is left out, its finding stays)."""
    return all(writable(edit.content) for edit in fix.edits)


def select_fixes(fixes: Iterable[Fix]) -> tuple[list[Fix], list[Edit]]:
    """Every fix whose edits overlap no edit already taken (in text order), and their edits."""
    taken: list[Fix] = []
    edits: list[Edit] = []  # sorted by (start, end); taken edits never overlap
    keys: list[tuple[int, int]] = []
    for fix in sorted(fixes, key=lambda f: min((e.start for e in f.edits), default=0)):
        if any(_overlaps_taken(e, edits, keys) for e in fix.edits):
            continue
        taken.append(fix)
        for edit in fix.edits:
            i = bisect.bisect_right(keys, (edit.start, edit.end))
            keys.insert(i, (edit.start, edit.end))
            edits.insert(i, edit)
    return taken, edits


def _overlaps_taken(edit: Edit, edits: list[Edit], keys: list[tuple[int, int]]) -> bool:
    """Whether `edit` overlaps one of the sorted, mutually non-overlapping `edits`: only the
    neighbours of its place in that order can (the ones further away end or start beyond)."""
    i = bisect.bisect_left(keys, (edit.start, edit.end))
    return any(_overlaps(edit, edits[j]) for j in range(max(i - 1, 0), min(i + 2, len(edits))))


def splice(text: str, edits: Sequence[Edit]) -> str:
    """`text` with the sorted, non-overlapping `edits` applied."""
    parts: list[str] = []
    pos = 0
    for edit in edits:
        parts.append(text[pos : edit.start])
        parts.append(edit.content)
        pos = edit.end
    parts.append(text[pos:])
    return "".join(parts)


def apply_fixes(text: str, fixes: Iterable[Fix]) -> tuple[str, list[Fix], list[Edit]]:
    """Apply every fix whose edits overlap no edit already taken; return (text, taken, edits)."""
    taken, edits = select_fixes(fixes)
    edits = _keep_lone_cr(text, edits)
    return splice(text, edits), taken, edits


def _keep_lone_cr(text: str, edits: list[Edit]) -> list[Edit]:
    """The sorted `edits`, where a run of deletions between a line ended by a lone CR and a
    blank LF line takes that blank line along: joined, the two breaks would read as one CRLF
    and a line outside the edits would change its ending (two deleted lines, one edit each,
    can meet so)."""
    out = list(edits)
    i = 0
    while i < len(out):
        j = i
        while j + 1 < len(out) and out[j + 1].start == out[j].end:
            j += 1
        start, end = out[i].start, out[j].end
        if (
            0 < start < end < len(text)
            and text[start - 1] == "\r"
            and text[end] == "\n"
            and not any(e.content for e in out[i : j + 1])
        ):
            out[j] = Edit(out[j].start, end + 1, "")
        i = j + 1
    return out


def _overlaps(a: Edit, b: Edit) -> bool:
    if a.start == a.end or b.start == b.end:  # insertions conflict only at the same point
        return a.start == b.start or (b.start < a.start < b.end) or (a.start < b.start < a.end)
    return a.start < b.end and b.start < a.end


def fix_note(note: Note, vault: Vault, rules: Sequence[Rule], unsafe: bool = False) -> FixOutcome:
    """Fix `note` in memory to a fixed point. Raise FixError when that is not safe."""
    outcome = FixOutcome(note)
    for _ in range(MAX_ROUNDS):
        current = outcome.note
        found = check_note(current, vault, rules)
        first_round = current is note
        if first_round:
            outcome.initial = list(found)
        fixes = [f for f in found if applicable(f, unsafe)]
        for finding in [f for f in fixes if f.fix and not f.fix.edits]:
            # A fix that only creates a note (a stub) is done once; the link then resolves.
            fixes.remove(finding)
            found.remove(finding)
            assert finding.fix is not None
            for rel, content in finding.fix.creates:
                if rel not in outcome.creates:
                    outcome.creates[rel] = content
                    outcome.fixed[finding.rule.code] += 1
        if not fixes:
            outcome.remaining = found
            return outcome
        chosen, edits = select_fixes(f.fix for f in fixes if f.fix and _writable(f.fix))
        together = Note(
            current.rel, splice(current.source, edits), bom=current.bom, own_fence=current.own_fence
        )
        change = meaning.changed(current, together, edits)
        if change is not None and len(chosen) > 1:
            # Fixes that keep the meaning alone can clash together (two deleted lines that
            # held a paragraph open): take one this round; the rest are re-checked.
            chosen = chosen[:1]
        text, taken, edits = apply_fixes(current.source, chosen)
        if text == current.source:
            outcome.remaining = found
            return outcome
        fixed = together  # usually all were taken: compared (and parsed) once
        if text != together.source:
            fixed = Note(current.rel, text, bom=current.bom, own_fence=current.own_fence)
            change = meaning.changed(current, fixed, edits)
        if change is not None:
            raise FixError(
                f"{current.rel}: a fix would change what the note means outside the edited "
                f"text ({change}); the note was not changed (please report this as a bug)"
            )
        taken_set = set(taken)
        for finding in fixes:
            if finding.fix in taken_set:
                outcome.fixed[finding.rule.code] += 1
                if first_round:
                    outcome.applied.append((finding.rule.code, finding.start, finding.fix.title))
        outcome.note = fixed
    raise FixError(
        f"{note.rel}: fixes did not converge after {MAX_ROUNDS} rounds; the note was not "
        "changed (please report this as a bug)"
    )


# -- writing ---------------------------------------------------------------------------------


#: A line with its break, as CommonMark and Obsidian break lines (`str.splitlines` also breaks
#: at `\v`, `\f`, NEL, U+2028 and others, which are characters of a line to them).
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def unified_diff(display: str, before: str, after: str) -> str:
    import difflib  # here: `check` and the hook show no diff

    lines = difflib.unified_diff(
        _LINE.findall(before),
        _LINE.findall(after),
        fromfile=f"a/{display}",
        tofile=f"b/{display}",
    )
    return "".join(map(_diff_line, lines))


def _diff_line(line: str) -> str:
    if line.endswith("\n"):
        return line
    if line.endswith("\r"):  # ended by a bare `\r` (an old Mac note): a diff line of its own
        return line + "\n"
    return line + "\n\\ No newline at end of file\n"


def encode(note: Note) -> bytes:
    return ("\ufeff" if note.bom else "").encode() + note.source.encode("utf-8")


def write_atomic(
    path: Path, data: bytes, original: bytes, display: str | None = None, root: Path | None = None
) -> None:
    """Replace `path` with `data` unless it changed on disk since `original` was read.

    The new content goes to a temporary file in the same folder, is flushed and fsynced, gets
    the old file's mode, owner and group (where the OS allows), and replaces the file with
    `os.replace`: a reader sees the old note or the new one, never a mix. Symbolic links are
    followed, so the link stays a link, but never to a file outside `root` (the vault): such a
    note is read-only to vaultbot. A note with several hard links is not written (replacing it
    would split the links).

    Just before the rename, the file's size, mtime and inode are compared with what was
    read; what remains is the moment between that check and the rename (see README).
    """
    name = display or str(path)
    real = Path(os.path.realpath(path))
    if root is not None and not is_inside(real, root):
        raise FixError(f"{name}: not written: links outside the vault")
    try:
        info = real.stat()
        # Only a regular file of the size read is compared (and so read) again: a note
        # replaced meanwhile by a FIFO or a huge file must not hang or flood the run.
        same = stat.S_ISREG(info.st_mode) and info.st_size == len(original)
        current = real.read_bytes() if same else None
    except FileNotFoundError:
        raise FixError(f"{name}: removed while vaultbot was fixing it; not written") from None
    if current != original:
        raise FixError(f"{name}: changed on disk since it was read; not written")
    if not info.st_mode & stat.S_IWUSR:
        raise FixError(f"{name}: file is read-only; not written")
    if info.st_nlink > 1:
        raise FixError(
            f"{name}: has {info.st_nlink} hard links; not written (replacing the file would "
            "split them)"
        )
    import tempfile  # here: `check` and the hook write nothing (tempfile loads shutil, bz2)

    fd, tmp = tempfile.mkstemp(dir=real.parent, **temp_name(real.name))
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _keep_owner(tmp, info)
        os.chmod(tmp, stat.S_IMODE(info.st_mode))
        if _identity(real.stat()) != _identity(info):
            raise FixError(f"{name}: changed on disk while vaultbot was fixing it; not written")
        os.replace(tmp, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _identity(info: os.stat_result) -> tuple[int, int, int]:
    return info.st_size, info.st_mtime_ns, info.st_ino


def _keep_owner(path: str, info: os.stat_result) -> None:
    """Give `path` the owner and group of `info`, or at least its group, as far as allowed."""
    for uid in (info.st_uid, -1):
        try:
            os.chown(path, uid, info.st_gid)
            return
        except (OSError, AttributeError):  # not allowed (or no chown, on Windows)
            continue


def is_inside(real: Path, root: Path) -> bool:
    """Whether the resolved path `real` lies inside the vault `root`."""
    top = os.path.realpath(root)
    return str(real) == top or str(real).startswith(top.rstrip(os.sep) + os.sep)


def create_note(path: Path, text: str, root: Path | None = None) -> bool:
    """Create a new note (for stubs) without ever overwriting one, nor creating anything
    outside `root`. Return True if created; raise FixError for a path that is refused."""
    if "\x00" in str(path):  # first: resolving such a path fails
        raise FixError(f"{path.name!r}: not created: the name holds a NUL character")
    if root is not None and not is_inside(Path(os.path.realpath(path)), root):
        raise FixError(f"{path.name}: not created: the path leaves the vault")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8", newline="") as handle:
            try:
                handle.write(text)
                handle.flush()
            except BaseException:  # a full disk: no empty or cut stub satisfies the link
                with contextlib.suppress(OSError):
                    os.unlink(path)
                raise
    except FileExistsError:
        return False
    return True


# -- temporary files --------------------------------------------------------------------------

#: Every temporary file vaultbot writes is `.NAME.XXXXXXXX.vaultbot.tmp` (mkstemp's eight
#: random characters), in the folder of the file it replaces.
TEMP_SUFFIX = ".vaultbot.tmp"
_TEMP = re.compile(r"\..+\.[a-z0-9_]{8}" + re.escape(TEMP_SUFFIX) + r"\Z", re.S)


#: The longest name of a folder entry, in bytes (on the common file systems).
NAME_MAX = 255
#: How much of the name of the file replaced a temporary file's name holds: all of it but past
#: NAME_MAX less the two dots, mkstemp's eight characters and the suffix.
_TEMP_STEM = NAME_MAX - 2 - 8 - len(TEMP_SUFFIX)


def temp_name(name: str) -> dict[str, str]:
    """mkstemp's prefix and suffix for a temporary file that replaces `name`: a name near
    the longest is cut (by bytes), or no note so named could ever be written."""
    stem = os.fsencode(name)
    if len(stem) > _TEMP_STEM:  # cut, even within a character: a name is bytes
        name = os.fsdecode(stem[:_TEMP_STEM])
    return {"prefix": f".{name}.", "suffix": TEMP_SUFFIX}


def remove_stale_temps(folders: Iterable[Path | str]) -> list[str]:
    """Remove the temporary files an earlier, killed run left in `folders` (only regular
    files named as vaultbot names them); return the paths removed."""
    removed: list[str] = []
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if _TEMP.match(entry.name) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed.append(entry.path)
    return removed
