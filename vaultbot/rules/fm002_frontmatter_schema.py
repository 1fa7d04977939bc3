"""FM002 frontmatter-schema: front matter that lacks a configured key or has a wrong shape."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

import re2

from vaultbot import frontmatter
from vaultbot.errors import ConfigError
from vaultbot.note import Note
from vaultbot.rules.base import Finding, Option, Rule
from vaultbot.vault import Vault, matches_glob


@dataclass(frozen=True)
class Schema:
    """One `[[…schemas]]` entry: the keys notes under `folder` must have, and their shapes."""

    folder: str  # a folder (prefix) or a glob; "" = every note
    required: tuple[str, ...]
    patterns: tuple[tuple[str, Any], ...]  # key -> a compiled RE2 pattern

    def applies_to(self, rel: str) -> bool:
        return not self.folder or matches_glob(rel, self.folder)

    @property
    def label(self) -> str:
        return f"schema for '{self.folder}'" if self.folder else "schema for every note"


_SCHEMA_KEYS = {"folder", "required", "patterns"}


def parse_schemas(value: Any, where: str) -> tuple[Schema, ...]:
    """The `schemas` option as Schema objects; raise ConfigError naming the bad key."""

    if not isinstance(value, list):
        raise ConfigError(f"{where}: must be a list of tables ([[{where}]])")
    schemas: list[Schema] = []
    for i, entry in enumerate(value):
        at = f"{where}[{i}]"
        if not isinstance(entry, dict):
            raise ConfigError(f"{at}: must be a table with folder, required and patterns")
        unknown = sorted(set(entry) - _SCHEMA_KEYS)
        if unknown:
            raise ConfigError(
                f"{at}: unknown key '{unknown[0]}' (known: folder, patterns, required)"
            )
        folder = entry.get("folder", "")
        if not isinstance(folder, str):
            raise ConfigError(f"{at}.folder: must be a string (a folder or a glob)")
        required = entry.get("required", [])
        if not isinstance(required, list) or not all(isinstance(k, str) and k for k in required):
            raise ConfigError(f"{at}.required: must be a list of key names")
        patterns = entry.get("patterns", {})
        if not isinstance(patterns, dict):
            raise ConfigError(f"{at}.patterns: must be a table of key = regular expression")
        compiled: list[tuple[str, Any]] = []
        for key, pattern in patterns.items():
            if not isinstance(pattern, str):
                raise ConfigError(f"{at}.patterns.{key}: must be a regular expression string")
            compiled.append((key, _compile(pattern, f"{at}.patterns.{key}")))
        schemas.append(Schema(folder.strip().strip("/"), tuple(required), tuple(compiled)))
    return tuple(schemas)


def _compile(pattern: str, where: str) -> Any:
    """A user's pattern on RE2, whose matching time is linear in the text (no catastrophic
    backtracking: `^(a+)+$` stays fast); raise ConfigError for what RE2 does not support."""
    options = re2.Options()
    options.log_errors = False
    try:
        return re2.compile(pattern, options=options)
    except re2.error as exc:
        reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else exc
        raise ConfigError(
            f"{where}: invalid regular expression {pattern!r} ({reason}; patterns run on RE2: "
            "no backreferences or lookaround)"
        ) from None


class FrontmatterSchema(Rule):
    """Front matter that lacks a configured key, or whose value has the wrong shape.

    ## What it does
    Checks notes against the schemas configured for their folder:

    ```toml
    [[tool.vaultbot.rules.frontmatter-schema.schemas]]
    folder = "videos"                   # a folder, or a glob such as "*/videos"; "" = all
    required = ["title", "videoId"]
    patterns = { videoId = "^[A-Za-z0-9_-]{11}$" }
    ```

    Every schema whose folder holds the note applies. A required key must be present with a
    value (not empty); a key with a pattern must match it (a search: anchor it with `^…$`
    to match the whole value). Values that are not text are matched in their YAML spelling
    (`true`, `12`, `2024-01-31`); each item of a list must match. With no schema configured
    the rule reports nothing. Front matter that is not valid YAML is `frontmatter-invalid`'s.
    Patterns run on RE2, in time linear in the value (no backreferences or lookaround).
    An invalid schema (a bad regular expression, a wrong type) stops the run with an error
    naming the key.

    ## Why is this bad?
    Pipelines and templates rely on these keys: a note without `videoId` gets no timestamp
    links, a malformed `videoId` links to the wrong video, and queries skip such notes.

    ## Example
    ```markdown
    ---
    title: Progress towards AGI
    videoId: Wo95ob_s_NI&t=5
    ---
    ```

    ## Fix safety
    None: the missing or right value is not something a tool can know.
    """

    code, name, severity = "FM002", "frontmatter-schema", "error"
    #: `parse_schemas` checks the value, to the key of each schema's field.
    spec: ClassVar[dict[str, Option]] = {"schemas": Option([], "a list of tables", lambda _: True)}

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self.schemas = parse_schemas(self.options["schemas"], f"rules.{self.name}.schemas")

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        schemas = [s for s in self.schemas if s.applies_to(note.rel)]
        if not schemas or note.frontmatter_unclosed:
            return
        fm = note.frontmatter
        if fm is None:
            requiring = [s for s in schemas if s.required]
            if requiring:
                keys = ", ".join(sorted({k for s in requiring for k in s.required}))
                start, end = note.line_span(1)
                message = f"Note has no front matter; required: {keys} ({requiring[0].label})"
                yield self.finding(start, end, message)
            return
        loaded = frontmatter.load(note.frontmatter_text)
        meta = {} if loaded.data is None else loaded.data
        if loaded.error is not None or not isinstance(meta, dict):
            return
        yield from self._required(note, meta, schemas)
        yield from self._patterns(note, meta, schemas)

    def _required(
        self, note: Note, meta: dict[Any, Any], schemas: list[Schema]
    ) -> Iterator[Finding]:
        seen: set[str] = set()
        for schema in schemas:
            for key in schema.required:
                if key in seen:
                    continue
                seen.add(key)
                if key not in meta:
                    start, end = note.line_span(1)
                    message = f"Front matter lacks required key '{key}' ({schema.label})"
                    yield self.finding(start, end, message)
                elif meta[key] is None or meta[key] in ("", [], {}):
                    start, end = _key_span(note, key)
                    message = f"Front matter key '{key}' is empty ({schema.label})"
                    yield self.finding(start, end, message)

    def _patterns(
        self, note: Note, meta: dict[Any, Any], schemas: list[Schema]
    ) -> Iterator[Finding]:
        for schema in schemas:
            for key, pattern in schema.patterns:
                value = meta.get(key)
                if value is None:
                    continue
                problem = _mismatch(value, pattern)
                if problem is not None:
                    start, end = _key_span(note, key)
                    message = f"Front matter '{key}' {problem} ({schema.label})"
                    yield self.finding(start, end, message)


def _yaml_spelling(value: Any) -> str | None:
    """A scalar as written in YAML, or None for a mapping or list."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


def _mismatch(value: Any, pattern: Any) -> str | None:
    """Why `value` does not match `pattern`, or None when it does."""
    items = value if isinstance(value, list) else [value]
    for item in items:
        if item is None:
            continue
        text = _yaml_spelling(item)
        if text is None:
            return f"holds a {type(item).__name__}, not text matching '{pattern.pattern}'"
        if pattern.search(text) is None:
            return f"value '{text}' does not match '{pattern.pattern}'"
    return None


def _key_span(note: Note, key: str) -> tuple[int, int]:
    """The line of a top-level front-matter key (the opening `---` when not found)."""
    fm = note.frontmatter
    if fm is not None:
        quoted = re.escape(key)
        m = re.search(rf"^(?:{quoted}|\"{quoted}\"|'{quoted}')[ \t]*:", note.frontmatter_text, re.M)
        if m is not None:
            return note.line_span(note.line_of(fm.content_start + m.start()))
    return note.line_span(1)
