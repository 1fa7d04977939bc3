"""The vault profile (DESIGN.md §9): is the vault an LLM pipeline's output, or a person's notes?

A *generated* vault's notes carry the signals a pipeline leaves: a fixed header line
(`From: [[channel | Name]]`), a `videoId` or a generator's key in front matter, yt-timestamp
anchors. A *personal* vault's do not, and there a link to a note not yet written is a plan,
not a defect. The profile is configured (`profile = "generated" | "personal"`) or, with
`"auto"` (the default), detected from the share of notes bearing signals, in a vault of any
size: a person's new vault of a few notes bears none, a pipeline's bears them in all notes
but its index and channel pages. A vault without notes is personal (nothing in it is a
pipeline's). Rules whose truth differs between the two (LK001, ED001, MD001) read it from the
vault, and weigh a note's own signals too (`note_signals`), since a personal vault may hold
a folder of generated notes; there the header alone is no signal, as a person's mail and
quote notes open with `From: [[…]]` too.
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass

from vaultbot.note import Note, as_read
from vaultbot.vault import Vault

PROFILES = ("auto", "generated", "personal")
#: At most this many notes, spread evenly over the vault, are read to detect the profile ...
SAMPLE = 200
#: ... each only this far ...
HEAD_BYTES = 4096
#: ... and the vault is generated when at least this share of them bear generator signals.
GENERATED_SHARE = 0.5

#: Front-matter keys a generator writes (`videoId: …`, `generator: …`).
_GENERATOR_KEY = re.compile(r"^(?:videoId|generator|generated[-_]by)[ \t]*:", re.M | re.I)
#: The fixed header line generated notes open with.
_HEADER = re.compile(r"^From:[ \t]*\[\[", re.M)
_ANCHOR = 'class="yt-timestamp"'


@dataclass(frozen=True)
class Profile:
    """The profile in force, and how it was chosen (for the summary line)."""

    name: str  # "generated" | "personal"
    how: str  # "configured" | "detected: 3 of 200 sampled notes bear generator signals"

    def describe(self) -> str:
        return f"{self.name} vault ({self.how})"


def text_signals(text: str, header: bool = True) -> bool:
    """Whether the head of a note carries a generator's signals (with `header`, the fixed
    header line counts as one)."""
    head = text[:HEAD_BYTES]
    body_from = 0
    if head.startswith("---"):
        close = head.find("\n---", 3)
        front = head[: close if close != -1 else len(head)]
        if _GENERATOR_KEY.search(front):
            return True
        body_from = close + 4 if close != -1 else len(head)
    if _ANCHOR in head:
        return True
    return header and _HEADER.match(head[body_from:].lstrip()) is not None


def note_signals(note: Note, vault: Vault) -> bool:
    """Whether this note bears a generator's signals (once per note). In a personal vault a
    `From: [[…]]` header alone is not one: a person's mail, quote and source notes open so
    too. A generator's key or a yt-timestamp anchor is, in any vault."""
    if vault.profile.name == "generated":
        return note.memo(_note_signals)
    return note.memo(_keyed_note_signals)


def persons_note(note: Note, vault: Vault) -> bool:
    """Whether the note is a person's: in a vault that is not generated, and bearing no
    generator signals of its own."""
    return vault.profile.name != "generated" and not note_signals(note, vault)


def _note_signals(note: Note) -> bool:
    return text_signals(note.text) or _ANCHOR in note.text


def _keyed_note_signals(note: Note) -> bool:
    return text_signals(note.text, header=False) or _ANCHOR in note.text


def detect(vault: Vault) -> Profile:
    """The profile from the share of sampled notes that bear generator signals, however few
    the notes: a small vault is judged by them like a large one (a person's new vault of
    eight notes is theirs, and its links are plans)."""
    notes = vault.notes
    if not notes:
        return Profile("personal", "detected: no notes to sample")
    step = max(1, len(notes) // SAMPLE)
    sample = notes[::step][:SAMPLE]
    bearing = sum(text_signals(_head(vault, rel)) for rel in sample)
    how = f"detected: {bearing} of {len(sample)} sampled notes bear generator signals"
    generated = bearing >= GENERATED_SHARE * len(sample)
    return Profile("generated" if generated else "personal", how)


def _head(vault: Vault, rel: str) -> str:
    """The first HEAD_BYTES of a note as text ("" when it is not a regular file or cannot
    be read: other rules report that)."""
    data = vault.contents.get(rel)
    if data is None:
        path = vault.root / rel
        try:
            if not stat.S_ISREG(path.stat().st_mode):
                return ""  # a FIFO or a device would block or never end
            with path.open("rb") as handle:
                data = handle.read(HEAD_BYTES)
        except OSError:
            return ""
    return as_read(data[:HEAD_BYTES].decode("utf-8", "replace").lstrip("\ufeff"))


def choose(vault: Vault, setting: str) -> Profile:
    """The profile for `setting` ("auto" detects it)."""
    if setting == "auto":
        return detect(vault)
    return Profile(setting, "configured")
