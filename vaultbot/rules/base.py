"""The shape every rule has: code, name, severity, docs (the docstring), options, check()."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from vaultbot.note import Note
from vaultbot.vault import Vault

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Edit:
    """Replace text[start:end] (character offsets of the note text) with `content`."""

    start: int
    end: int
    content: str


@dataclass(frozen=True)
class Fix:
    applicability: str  # "safe" | "unsafe"
    edits: tuple[Edit, ...]
    title: str = ""


@dataclass(frozen=True)
class Finding:
    """A problem a rule found in a note; offsets are character offsets into the note text."""

    rule: Rule
    start: int
    end: int
    message: str
    fix: Fix | None = None
    severity: str | None = None  # overrides the rule's default when set


class Rule:
    """Base class: subclasses set `code`, `name`, `severity`, write docs in the docstring."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[str] = "error"
    #: Per-rule options and their defaults; config may set exactly these keys.
    defaults: ClassVar[dict[str, Any]] = {}

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        self.options: dict[str, Any] = {**self.defaults, **(options or {})}

    @classmethod
    def docs(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        return cls.docs().split("\n", 1)[0]

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        raise NotImplementedError

    def finding(
        self, start: int, end: int, message: str, fix: Fix | None = None, **kw: Any
    ) -> Finding:
        return Finding(self, start, end, message, fix, **kw)

    def __repr__(self) -> str:
        return f"<{self.code} {self.name}>"
