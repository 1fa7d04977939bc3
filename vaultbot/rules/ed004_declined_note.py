"""ED004 declined-note: a note that is only the model's account that it had nothing to write."""

from __future__ import annotations

import re
from collections.abc import Iterator

from vaultbot.note import HEADER_LINE, HEADER_LINES, Note
from vaultbot.profile import text_signals
from vaultbot.rules.base import Finding, Fix, Rule, delete_lines
from vaultbot.vault import Vault

#: Longer bodies hold content, whatever their first sentence says.
MAX_BODY = 800

_SOURCE = r"(?:transcript|video|source material|source|text|recording|content provided)"
#: A sentence in which the model says it found nothing to write about.
_DECLINE = re.compile(
    r"\b(?:there\s+(?:is|was|are)|there's)\s+(?:no|not\s+(?:any|enough))\s+"
    r"(?:relevant\s+|specific\s+|such\s+)?(?:information|content|mention|details?|discussion|"
    r"data|material)\b.*\b" + _SOURCE + r"\b"
    r"|\bthere\s+is\s+nothing\b.*\b" + _SOURCE + r"\b"
    r"|\b(?:provided|given|supplied)\s+" + _SOURCE + r"\s+(?:does\s+not|doesn't|did\s+not)\s+"
    r"(?:contain|include|mention|discuss|cover|provide|address|offer)\b"
    r"|\bis\s+not\s+(?:discussed|mentioned|covered|addressed)\s+in\s+the\s+(?:provided\s+|given\s+)?"
    + _SOURCE
    + r"\b"
    r"|\b(?:cannot|can't|unable\s+to|could\s+not)\s+(?:create|write|generate|produce)\b.*"
    r"\b(?:article|note|summary)\b"
    # "I'm sorry, but the transcript you provided does not contain …"
    r"|\b(?:the|this)\s+" + _SOURCE + r"\s+(?:you\s+(?:provided|gave|shared|supplied)|"
    r"(?:that\s+)?(?:was\s+|you\s+)?(?:provided|given|supplied))\s+(?:does\s+not|doesn['’]t|"
    r"did\s+not)\s+(?:contain|include|mention|discuss|cover|provide|address|offer)\b"
    # "I couldn't find any information about X in the provided text."
    r"|\b(?:could(?:n['’]t|\s+not)|cannot|can['’]t|(?:was|am)\s+unable\s+to)\s+find\s+"
    r"(?:any\s+)?(?:relevant\s+|specific\s+)?(?:information|content|mention|details?|data)\b.*"
    r"\b(?:in|within)\s+the\s+(?:provided\s+|given\s+|supplied\s+)?" + _SOURCE + r"\b"
    # A refusal: "I'm sorry, but I can't help with that request."
    r"|\bi(?:['’]m|\s+am)\s+sorry,?\s+but\s+i\s+(?:can(?:['’]|no)?t|am\s+unable\s+to|"
    r"won['’]t)\s+(?:help|assist|comply|fulfil+)\b",
    re.I,
)
#: A sentence describing the empty source ("The transcript consists solely of music").
_EMPTY_SOURCE = re.compile(
    r"^\W*the\s+" + _SOURCE + r"\s+(?:only\s+|solely\s+|merely\s+)?"
    r"(?:consists|contains|holds|includes|is|has)\b",
    re.I,
)
_MARKUP = re.compile(r"<a\b[^>]*>.*?</a>|<[^>]+>|%%.*?%%", re.S)
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def declined_lines(note: Note) -> tuple[int, int] | None:
    """The body lines (first, last) of a note that only declines, else None (once per note)."""
    return note.memo(_declined_lines)


def _declined_lines(note: Note) -> tuple[int, int] | None:
    if note.body_start >= len(note.text) or len(note.text) - note.body_start > 4 * MAX_BODY:
        return None
    if (
        note.video_id is None
        and not HEADER_LINES.search(note.text, note.body_start)
        and not text_signals(note.text, header=False)  # a generator's key
    ):
        return None  # only a pipeline writes such a note; a person's note is not judged
    numbers = range(note.line_of(note.body_start), note.line_count + 1)
    lines = [
        n
        for n in numbers
        if note.line_text(n).strip()
        and not HEADER_LINE.match(note.line_text(n))
        and not _HEADING.match(note.line_text(n))
    ]
    if not lines or not all(note.is_prose(note.line_span(n)[0]) for n in lines):
        return None
    body = " ".join(note.line_text(n).strip() for n in lines)
    if len(body) > MAX_BODY or "[[" in body:
        return None
    sentences = [s for s in _SENTENCE_END.split(_MARKUP.sub("", body)) if s.strip()]
    if not sentences or not _DECLINE.search(sentences[0]):
        return None
    if all(_DECLINE.search(s) or _EMPTY_SOURCE.search(s) for s in sentences):
        return lines[0], lines[-1]
    return None


class DeclinedNote(Rule):
    """A note whose body is only the model declining: it had nothing to write.

    ## What it does
    Fires on a note whose body (after the front matter and a fixed header line such as
    `From: [[channel]]`) is nothing but sentences in which the model says that the source
    holds nothing on the topic ("There is no information in the provided transcript about
    …", "The provided transcript does not contain …", "… is not discussed in the provided
    transcript", "I couldn't find any information about … in the provided text") and
    sentences describing the empty source ("The transcript consists solely of music and
    applause."), or a refusal ("I'm sorry, but I can't help with that request."). A body that
    goes on with content, or holds a wikilink, is a note, and does not fire. Only a note a
    pipeline wrote (a `videoId` or a generator's key in front matter, a fixed header line)
    is judged.

    ## Why is this bad?
    The note has no content, yet it exists: links to it look like links to a real topic,
    search and the graph show it, and readers who follow a link find an apology.

    ## Example
    ```markdown
    ---
    title: Swag unboxing
    videoId: abcdefghijk
    ---

    From: [[somechannel]] <br/>
    There is no information in the provided transcript about "Swag unboxing".
    ```

    ## Fix safety
    Unsafe: the fix deletes the declining text and leaves an empty note (front matter and
    header kept), which Obsidian shows as a note not yet written. Whether to delete the note,
    write it, or unlink it is the user's call.
    """

    code, name, severity = "ED004", "declined-note", "warning"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        found = declined_lines(note)
        if found is None:
            return
        first, last = found
        start, end = note.line_span(first)[0], note.line_span(last)[1]
        fix = Fix("unsafe", (delete_lines(note, first, last),), "Delete the declining text")
        yield self.finding(start, end, "The note is only the model declining to write it", fix)
