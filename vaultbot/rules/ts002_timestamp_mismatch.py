"""TS002 timestamp-mismatch: `data-t` and the label of an anchor name different instants."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from vaultbot import timestamps
from vaultbot.note import Note
from vaultbot.rules.base import Edit, Finding, Fix, Option, Rule, choice
from vaultbot.rules.ts007_timestamp_out_of_range import video_end
from vaultbot.timestamps import Anchor, Time, format_seconds
from vaultbot.vault import Vault


@dataclass(frozen=True)
class Evidence:
    """How well an instant fits the rest of the note."""

    supported: str | None = None  # why it fits, when it clearly does
    refuted: str | None = None  # why it does not, when it clearly does not
    hinted: str | None = None  # why it may fit: a stamp near it, elsewhere in the note

    def beats(self, other: Evidence) -> bool:
        """This reading is clearly supported and the other clearly refuted."""
        return (
            bool(self.supported)
            and not self.refuted
            and bool(other.refuted)
            and not other.supported
        )

    def hints_over(self, other: Evidence) -> bool:
        """This reading may fit and the other clearly does not (nothing speaks for it)."""
        return (
            bool(self.hinted)
            and not self.refuted
            and bool(other.refuted)
            and not other.supported
            and not other.hinted
        )


#: An instant this close to another timestamp of the note fits it ...
NEAR = 60
#: ... and one at least this far from every other timestamp does not.
FAR = 240
#: A range spans at most this long when its ends are read right.
RANGE_SPAN = 600
#: Two sides at most this far apart land the reader where the text promised, give or take a
#: sentence: a warning, not an error.
CLOSE = 30


class TimestampMismatch(Rule):
    """`data-t` and the label of a timestamp anchor name different instants.

    ## What it does
    Compares the instant the button seeks to (`data-t`) with the label the reader sees. Both
    must be times (see `timestamp-malformed`). A two-field value counts as the same instant
    when either reading of it (`MM:SS` or the site's `H:MM`) matches.

    Then it weighs the evidence in the note for each reading, using only the timestamps whose
    two sides agree: the range partner (a range end lies a little after its start), the
    neighbours in the text (a reading within a minute of the agreeing timestamp just before or
    just after the anchor is supported), and all the others (four minutes or more from every
    one of them refutes a reading). A stamp elsewhere in the note within a minute of a
    reading only hints at it: notes jump about the video, so such a stamp may be another
    passage; and one at the very same instant supports nothing (a label copied from another
    anchor lies 0 s from it). The message says which evidence decided. A run of anchors that
    are all off by the same amount (say, exactly one hour) is reported as such: both readings
    are then self-consistent, and vaultbot does not guess.

    Sides at most 30 s apart (`data-t="00:12:27"`, label `[00:12:35]`) are a `warning`: a
    reader who clicks lands where the text promised, give or take a sentence. Farther apart,
    an `error`.

    ## Why is this bad?
    The site seeks to `data-t`, while readers see and cite the label: one of them is wrong,
    and a reader who clicks lands somewhere else than the text promises.

    ## Example
    ```markdown
    ... replace his job in about five years <a class="yt-timestamp" data-t="00:35:45">[01:35:45]</a>.
    ```

    ## Fix safety
    Safe only when one reading is clearly supported and the other clearly refuted: the wrong
    side is set to the right one, as `HH:MM:SS`. A reading past the video's end (front
    matter `duration`, else four hours) is refuted and never supported, so no safe fix moves
    a time outside the video. Unsafe when the one reading is only hinted at (a stamp near it
    elsewhere in the note) and the other refuted. Otherwise no fix; the option
    `prefer = "label"` or `prefer = "data-t"` offers an unsafe fix that trusts that side.
    """

    code, name, severity = "TS002", "timestamp-mismatch", "error"
    spec: ClassVar[dict[str, Option]] = {"prefer": choice(None, "label", "data-t")}

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        found = timestamps.anchors(note)
        mismatched = [a for a in found if a.disagrees]
        if not mismatched:
            return
        agreed = _Instants([a.instant for a in found if not a.disagrees and a.instant])
        neighbours = _neighbours(found)
        partners = _range_partners(note)
        runs = _shifted_runs(found)
        end = video_end(note)
        for anchor in mismatched:
            assert anchor.data_t is not None and anchor.label is not None
            message = f"Timestamp data-t {anchor.data_t} but label [{anchor.label}]"
            apart = abs(anchor.label.seconds - anchor.data_t.site_seconds)
            severity = "warning" if apart <= CLOSE else None
            if severity:
                message += f", {apart} s apart"
            run = runs[anchor]
            if run > 1:
                message += (
                    f"; one of {run} consecutive anchors off by the same amount: both readings "
                    "are self-consistent, so no safe fix"
                )
                yield self.finding(
                    anchor.start, anchor.end, message, self._preferred(anchor), severity=severity
                )
                continue
            around = neighbours[anchor]
            partner = partners.get(anchor)
            label = _weigh(anchor.label.seconds, agreed, around, partner, end)
            data_t = _weigh(anchor.data_t.site_seconds, agreed, around, partner, end)
            if label.beats(data_t):
                message += (
                    f"; the label fits ({label.supported}), data-t does not ({data_t.refuted})"
                )
                yield self.finding(
                    anchor.start, anchor.end, message, _set_data_t(anchor), severity=severity
                )
            elif data_t.beats(label):
                message += (
                    f"; data-t fits ({data_t.supported}), the label does not ({label.refuted})"
                )
                yield self.finding(
                    anchor.start, anchor.end, message, _set_label(anchor), severity=severity
                )
            elif label.hints_over(data_t):
                message += (
                    f"; the label may fit ({label.hinted}), data-t does not ({data_t.refuted})"
                )
                fix = _set_data_t(anchor, "unsafe")
                yield self.finding(anchor.start, anchor.end, message, fix, severity=severity)
            elif data_t.hints_over(label):
                message += (
                    f"; data-t may fit ({data_t.hinted}), the label does not ({label.refuted})"
                )
                fix = _set_label(anchor, "unsafe")
                yield self.finding(anchor.start, anchor.end, message, fix, severity=severity)
            else:
                message += "; the note does not show which is right" + _doubts(label, data_t)
                yield self.finding(
                    anchor.start, anchor.end, message, self._preferred(anchor), severity=severity
                )

    def _preferred(self, anchor: Anchor) -> Fix | None:
        prefer = self.options.get("prefer")
        if prefer == "label":
            return _set_data_t(anchor, "unsafe")
        if prefer == "data-t":
            return _set_label(anchor, "unsafe")
        return None


def _set_data_t(anchor: Anchor, applicability: str = "safe") -> Fix:
    assert anchor.label is not None
    value = anchor.label.canonical
    edit = Edit(anchor.data_t_start, anchor.data_t_end, value)
    return Fix(applicability, (edit,), f"Set data-t to the label, {value}")


def _set_label(anchor: Anchor, applicability: str = "safe") -> Fix:
    assert anchor.data_t is not None
    value = format_seconds(anchor.data_t.site_seconds)
    edit = Edit(anchor.label_start, anchor.label_end, value)
    return Fix(applicability, (edit,), f"Set the label to data-t, {value}")


def _range_partners(note: Note) -> dict[Anchor, tuple[Anchor, bool]]:
    """Each range end's partner, and whether the anchor is the range's start."""
    partners: dict[Anchor, tuple[Anchor, bool]] = {}
    for rng in timestamps.ranges(note):
        partners[rng.first] = (rng.second, True)
        partners[rng.second] = (rng.first, False)
    return partners


def _neighbours(found: list[Anchor]) -> dict[Anchor, tuple[Time, ...]]:
    """For each mismatched anchor, the instants of the agreeing anchors just before and just
    after it in the text (one pass each way)."""
    before: dict[Anchor, Time | None] = {}
    last: Time | None = None
    for a in found:
        if a.disagrees:
            before[a] = last
        elif a.instant is not None:
            last = a.instant
    result: dict[Anchor, tuple[Time, ...]] = {}
    following: Time | None = None
    for a in reversed(found):
        if a.disagrees:
            result[a] = tuple(t for t in (before[a], following) if t is not None)
        elif a.instant is not None:
            following = a.instant
    return result


def _shifted_runs(found: list[Anchor]) -> dict[Anchor, int]:
    """For each mismatched anchor, the length of the run of consecutive anchors off by the
    same amount as it (in one pass: a long run is not walked once per anchor)."""

    def offset(a: Anchor) -> int | None:
        if not a.disagrees:
            return None
        assert a.label is not None and a.data_t is not None
        return a.label.seconds - a.data_t.site_seconds

    runs: dict[Anchor, int] = {}
    for shift, group in itertools.groupby(found, key=offset):
        members = list(group)
        if shift is not None:
            runs.update(dict.fromkeys(members, len(members)))
    return runs


class _Instants:
    """The instants of the agreeing timestamps, for nearest-neighbour look-ups in log time.

    For each distinct number of seconds the first such timestamp in the note stands for it, and
    of two equally near ones the earlier in the note wins (as a scan in text order would)."""

    def __init__(self, instants: list[Time]) -> None:
        first: dict[int, tuple[int, Time]] = {}
        for index, time in enumerate(instants):
            first.setdefault(time.seconds, (index, time))
        self.seconds = sorted(first)
        self.first = first

    def nearest(self, instant: int) -> Time | None:
        i = bisect.bisect_left(self.seconds, instant)
        near = [self.seconds[j] for j in (i - 1, i) if 0 <= j < len(self.seconds)]
        if not near:
            return None
        best = min(near, key=lambda s: (abs(s - instant), self.first[s][0]))
        return self.first[best][1]


def _weigh(
    instant: int,
    agreed: _Instants,
    around: tuple[Time, ...],
    partner: tuple[Anchor, bool] | None,
    end: tuple[int, str],
) -> Evidence:
    """Evidence for reading an anchor as `instant`, from the video's length and the
    timestamps that agree: its range partner, its neighbours in the text (`around`), and
    all of them."""
    if instant > end[0]:
        return Evidence(refuted=f"past the video's end, {end[1]}")
    if partner is not None and not partner[0].disagrees and partner[0].instant is not None:
        other, is_start = partner
        assert other.instant is not None
        span = other.instant.seconds - instant if is_start else instant - other.instant.seconds
        where = f"range {'end' if is_start else 'start'} [{other.instant}]"
        if 0 <= span <= RANGE_SPAN:
            return Evidence(supported=f"{_duration(span)} from its {where}")
        return Evidence(
            refuted=f"{_duration(abs(span))} {'before' if span < 0 else 'from'} its {where}"
        )
    if around:
        beside = min(around, key=lambda t: abs(t.seconds - instant))
        gap = abs(beside.seconds - instant)
        if gap <= NEAR:
            return Evidence(supported=f"{_duration(gap)} from the neighbouring [{beside}]")
    nearest = agreed.nearest(instant)  # the anchor disagrees: it is not among them
    if nearest is None:
        return Evidence()
    gap = abs(nearest.seconds - instant)
    if 0 < gap <= NEAR:
        return Evidence(hinted=f"{_duration(gap)} from [{nearest}], elsewhere in the note")
    if gap >= FAR:
        return Evidence(refuted=f"{_duration(gap)} from any other timestamp")
    return Evidence()


def _doubts(label: Evidence, data_t: Evidence) -> str:
    """What speaks against each reading, when anything does."""
    parts = [
        f"{side} {evidence.refuted}"
        for side, evidence in (("the label", label), ("data-t", data_t))
        if evidence.refuted
    ]
    return f" ({'; '.join(parts)})" if parts else ""


def _duration(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h"
