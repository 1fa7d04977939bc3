"""TS009 timestamp-fake-link: a Markdown link posing as a timestamp anchor."""

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
    Finds Markdown links whose text is a time and whose target does not seek there in the
    note's video: a fragment of the note itself that names a time (`#t=00:48:21`,
    `#t00:48:21`, `#00:48:21`) or nothing (`#`, `#t`), or a YouTube address of no video
    (`watch?v=00:48:21`, `watch?v=example`), or of a video at no instant or another one.
    They are reported here, as the timestamp defect they are, and not by
    `link-heading-missing` as a heading `t=00:48:21` that does not exist. A link to a
    heading (`[00:10](#timeline)`) and a YouTube link that seeks to its text (in the note's
    video or in another one it cites) are not reported.

    ## Why is this bad?
    Obsidian and the site read `#t=00:48:21` as a heading of the note: clicking does nothing
    (or scrolls nowhere), while the text promises a jump in the video. An address whose
    video id is a time or a placeholder opens no video at all.

    ## Example
    ```markdown
    Dopamine baselines recover slowly [00:48:21](#t=00:48:21).
    ```

    ## Fix safety
    Safe in a note with a `videoId`, when the target names the link text's instant or no
    instant at all (`#`, `watch?v=example`): the link becomes the canonical anchor
    `<a class="yt-timestamp" data-t="00:48:21">[00:48:21]</a>`. Unsafe when the target is
    another real-looking video (`watch?v=dQw4w9WgXcQ`): the anchor seeks in the note's video
    instead, which may not be what the writer meant. Without a video, or when the text and
    the target name different instants (or the target's time does not parse), there is no
    fix: nothing to seek in, or no telling which instant was meant.
    """

    code, name, severity = "TS009", "timestamp-fake-link", "warning"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        for link in timestamps.fake_links(note):
            label = link.label
            fix = None
            agrees = link.seek is None or (label is not None and label.seconds == link.seek)
            if note.video_id is not None and label is not None and agrees and not link.unreadable:
                edit = Edit(link.start, link.end, canonical_anchor(label.seconds))
                applicability = "unsafe" if link.foreign else "safe"
                fix = Fix(applicability, (edit,), "Replace the link with a timestamp anchor")
            message = f"Markdown link to '{link.destination}' instead of a timestamp anchor"
            yield self.finding(link.start, link.end, message, fix)
