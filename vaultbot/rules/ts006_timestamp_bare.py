"""TS006 timestamp-bare: a `[HH:MM:SS]` label with no anchor, in a note about a video."""

from __future__ import annotations

import bisect
from collections.abc import Iterator

from vaultbot import links, timestamps
from vaultbot.note import Note
from vaultbot.rules._anchor_text import canonical_anchor
from vaultbot.rules.base import Edit, Finding, Fix, Rule
from vaultbot.timestamps import Anchor, BareList
from vaultbot.vault import Vault


class TimestampBare(Rule):
    """A `[HH:MM:SS]` label with no anchor, in a note about a video.

    ## What it does
    In notes whose front matter has a `videoId`, finds timestamp labels written as plain text
    (`[00:12:10]`), outside links, code and comments; also short labels (`[07:25]`, minutes
    and seconds) and several labels in one pair of brackets (`[00:00:33, 00:01:54]`), which
    are reported once per pair of brackets.

    ## Why is this bad?
    Readers cannot click them: the site only seeks for `yt-timestamp` anchors. A census found
    59,371 bare labels in one generated vault.

    ## Example
    ```markdown
    The guest returns to the point later [00:12:10].
    ```

    ## Fix safety
    Safe: the label is wrapped in the canonical anchor, `data-t` taken from the label (a short
    label read as minutes and seconds, as readers read it); a list of labels becomes a list of
    anchors separated by commas. No fix for a label inside a wikilink (an anchor in an alias is
    broken markup) or one followed by `</a>` (the remains of a broken anchor, which
    timestamp-corrupt reports): wrapping it would leave `</a></a>`.
    """

    code, name, severity = "TS006", "timestamp-bare", "warning"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        if note.video_id is None:
            return
        wrappable = _Wrappable(note)
        for anchor in timestamps.anchors(note):
            label = anchor.label
            if not anchor.is_bare or label is None:
                continue
            edit = Edit(anchor.start, anchor.end, canonical_anchor(label.seconds))
            fix = Fix("safe", (edit,), "Wrap the label in a timestamp anchor")
            message = f"Timestamp label [{label}] has no anchor"
            yield self.finding(anchor.start, anchor.end, message, wrappable(anchor, fix))
        for bare in timestamps.bare_lists(note):
            anchors = ", ".join(canonical_anchor(t.seconds) for t in bare.times)
            fix = Fix("safe", (Edit(bare.start, bare.end, anchors),), "Write one anchor each")
            fix = wrappable(bare, fix)
            labels = ", ".join(map(str, bare.times))
            message = f"Timestamp labels [{labels}] have no anchors"
            yield self.finding(bare.start, bare.end, message, fix)


class _Wrappable:
    """Whether a bare label can safely become an anchor: not inside a wikilink (an anchor in
    an alias is broken markup) and not the remains of a broken anchor (`[00:26:55]</a>`:
    wrapping it leaves `</a></a>`; timestamp-corrupt reports that tag)."""

    def __init__(self, note: Note) -> None:
        self.note = note
        self.starts: list[int] | None = None  # of the wikilinks, found on first use
        self.ends: list[int] = []

    def __call__(self, span: Anchor | BareList, fix: Fix) -> Fix | None:
        start, end = span.start, span.end
        if self.note.text.startswith("</a>", end):
            return None
        if self.starts is None:  # the note's links, parsed once for all rules
            spans = sorted(
                (link.start, link.end)
                for link in links.all_links(self.note)
                if link.kind in ("wikilink", "embed")
            )
            self.starts = [s for s, _ in spans]
            self.ends = [e for _, e in spans]
        i = bisect.bisect_right(self.starts, start) - 1
        return None if i >= 0 and self.ends[i] > start else fix
