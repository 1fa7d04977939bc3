"""The canonical text of a timestamp anchor, as the timestamp rules' fixes write it."""

from __future__ import annotations

from vaultbot.timestamps import format_seconds


def canonical_anchor(seconds: int) -> str:
    value = format_seconds(seconds)
    return f'<a class="yt-timestamp" data-t="{value}">[{value}]</a>'
