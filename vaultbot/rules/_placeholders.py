"""Template and prompt variables left as link targets (`[[article_link]]`, `[[{{title}}]]`)."""

from __future__ import annotations

import functools
import re

#: Words template and prompt variables are made of (`article_link`, `other_topics_and_links`).
#: A target is a placeholder only when it does not resolve, is written as one identifier
#: (`snake_case` or `UPPER_CASE`, two words at least), uses only these words, and names a slot.
PLACEHOLDER_SLOTS = frozenset({
    "article", "articles", "backlink", "backlinks", "concept", "concepts", "entity",
    "keyword", "keywords", "link", "links", "name", "names", "note", "notes", "page",
    "pages", "placeholder", "ref", "reference", "references", "slug", "target", "targets",
    "title", "titles", "topic", "topics", "url", "urls",
})  # fmt: skip
PLACEHOLDER_WORDS = PLACEHOLDER_SLOTS | frozenset({
    "a", "additional", "an", "and", "another", "any", "example", "existing", "file",
    "first", "here", "id", "insert", "internal", "main", "more", "my", "new", "next", "of",
    "or", "other", "previous", "primary", "related", "relevant", "sample", "second",
    "similar", "some", "sub", "subtopic", "text", "the", "third", "this", "to", "your",
})  # fmt: skip
_IDENTIFIER = re.compile(r"[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+")
#: `{{title}}`, `{% … %}`, Templater's `<% … %>`, `${topic}`: template syntax, never a name.
#: (opening, closing, characters at least between them), looked up with `str.find`: a regular
#: expression such as `\{\{.*\}\}` would rescan the rest of the target from every `{{`.
_TEMPLATE_SYNTAX = (("{{", "}}", 0), ("{%", "%}", 0), ("<%", "%>", 0), ("${", "}", 1))
#: A folder whose name ends in `template`/`templates` (`Templates`, `_templates`,
#: `Meta/Note Template`): its notes are templates, whatever the settings name.
_TEMPLATE_FOLDER = re.compile(r"(?:^|/)[^/]*templates?/", re.I)
#: `{topic}`, `<note name>`: a placeholder when the words inside are placeholder words.
_WRAPPERS = (("{", "}"), ("<", ">"))
_WORDS = re.compile(r"[\w -]+")


@functools.lru_cache(maxsize=2**14)
def is_placeholder(target: str) -> bool:
    """True when a link target is a template or prompt variable rather than a note name
    (the latest 16,384 targets remembered, a few MB: a vault's notes link to the same
    targets again and again; on the real-density vault half the lookups are repeats)."""
    if has_template_syntax(target):
        return True
    words = _wrapped_words(target)
    if words is not None:
        return _placeholder_words(re.split(r"[\s_-]+", words.lower()))
    if not _IDENTIFIER.fullmatch(target) or not (target.islower() or target.isupper()):
        return False
    return _placeholder_words(target.lower().split("_"))


def has_template_syntax(target: str) -> bool:
    """`{{date}}`, `<% tp.date.now() %>`: template syntax, never a note's name."""
    if "{" not in target and "%" not in target:
        return False  # every opening holds one of them: most names are done here
    for opening, closing, between in _TEMPLATE_SYNTAX:
        start = target.find(opening)
        if start != -1 and target.find(closing, start + len(opening) + between) != -1:
            return True
    return False


def in_template_folder(rel: str) -> bool:
    """Whether the note at vault path `rel` lies in a folder named as a template folder:
    there template syntax is meant, even when no setting names the folder (a vault checked
    out without `.obsidian/`, templates kept for another plugin)."""
    return _TEMPLATE_FOLDER.search(rel) is not None


def _wrapped_words(target: str) -> str | None:
    """The words inside `{words}` or `<words>` (spaces around them dropped), else None."""
    if len(target) < 3 or (target[0], target[-1]) not in _WRAPPERS:
        return None
    inner = target[1:-1].strip()
    return inner if inner and _WORDS.fullmatch(inner) else None


def _placeholder_words(words: list[str]) -> bool:
    return all(w in PLACEHOLDER_WORDS or w.isdigit() for w in words) and any(
        w in PLACEHOLDER_SLOTS for w in words
    )
