"""TS009 timestamp-fake-link: a Markdown link to `#t=…` posing as a timestamp anchor."""

from __future__ import annotations

from collections.abc import Iterator

from vaultbot import timestamps
from vaultbot.note import Note
from vaultbot.rules._anchor_text import canonical_anchor
from vaultbot.rules.base import Edit, Finding, Fix, Rule
from vaultbot.vault import Vault


class TimestampFakeLink(Rule):
    """A Markdown link `[00:48:21](#t=00:48:21)` where a timestamp anchor was meant.

    ## What it does
    Finds Markdown links whose text is a time and whose target is a `#t=` fragment of the
    note itself. They are reported here, as the timestamp defect they are, and not by
    `link-heading-missing` as a heading `t=00:48:21` that does not exist.

    ## Why is this bad?
    Obsidian and the site read `#t=00:48:21` as a heading of the note: clicking does nothing
    (or scrolls nowhere), while the text promises a jump in the video.

    ## Example
    ```markdown
    Dopamine baselines recover slowly [00:48:21](#t=00:48:21).
    ```

    ## Fix safety
    Safe in a note with a `videoId`, when the link text and the fragment name the same
    instant: the link becomes the canonical anchor `<a class="yt-timestamp"
    data-t="00:48:21">[00:48:21]</a>`. Without a video, or when the two disagree, there is
    no fix: nothing to seek in, or no telling which instant was meant.
    """

    code, name, severity = "TS009", "timestamp-fake-link", "warning"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        for link in timestamps.fake_links(note):
            target = timestamps.parse_time(link.target)
            label = link.label
            fix = None
            same = label is not None and target is not None and label.seconds == target.seconds
            if note.video_id is not None and same:
                assert label is not None
                edit = Edit(link.start, link.end, canonical_anchor(label.seconds))
                fix = Fix("safe", (edit,), "Replace the link with a timestamp anchor")
            message = f"Markdown link to '#t={link.target}' instead of a timestamp anchor"
            yield self.finding(link.start, link.end, message, fix)
