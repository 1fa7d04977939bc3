"""The shape every rule has: code, name, severity, docs (the docstring), options, check()."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from vaultbot.errors import ConfigError
from vaultbot.note import Note
from vaultbot.severity import SEVERITIES as SEVERITIES  # re-exported
from vaultbot.vault import Vault


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
    #: New notes the fix creates, as (vault-relative path, text); never overwrites a file.
    creates: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Finding:
    """A problem a rule found in a note; offsets are character offsets into the note text."""

    rule: Rule
    start: int
    end: int
    message: str
    fix: Fix | None = None
    severity: str | None = None  # overrides the rule's default when set


@dataclass(frozen=True)
class Option:
    """One rule option, declared: its default, the values it takes (in words, for the error
    message) and the test a configured value must pass."""

    default: Any
    expected: str
    accepts: Callable[[Any], bool]


def choice(default: Any, *values: str) -> Option:
    return Option(default, "one of " + ", ".join(f'"{v}"' for v in values), values.__contains__)


def integer(default: int, low: int, high: int) -> Option:
    def accepts(value: Any) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high

    return Option(default, f"a whole number from {low} to {high}", accepts)


def text(
    default: str, expected: str = "a string", test: Callable[[str], bool] | None = None
) -> Option:
    def accepts(value: Any) -> bool:
        return isinstance(value, str) and (test is None or test(value))

    return Option(default, expected, accepts)


class Rule:
    """Base class: subclasses set `code`, `name`, `severity`, write docs in the docstring."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[str] = "error"
    #: Per-rule options: config may set exactly these keys, to values each Option accepts.
    spec: ClassVar[dict[str, Option]] = {}
    #: The options' defaults (derived from `spec`).
    defaults: ClassVar[dict[str, Any]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.defaults = {key: option.default for key, option in cls.spec.items()}

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        """Raise ConfigError naming the key of an unknown option or a value it does not take."""
        for key, value in (options or {}).items():
            option = self.spec.get(key)
            if option is None:
                raise ConfigError(f"unknown option 'rules.{self.name}.{key}'")
            if not option.accepts(value):
                raise ConfigError(
                    f"'rules.{self.name}.{key}' must be {option.expected}, not {value!r}"
                )
        self.options: dict[str, Any] = {**self.defaults, **(options or {})}

    @classmethod
    def docs(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        return cls.docs().split("\n", 1)[0]

    @classmethod
    def fixability(cls) -> str:
        """What fixes the rule offers, as its "Fix safety" section opens: `safe`, `unsafe`,
        `none`, or `varies` (safe in some cases, unsafe or absent in others)."""
        section = cls.docs().partition("## Fix safety")[2].strip()
        first = re.split(r"(?<=[.:])\s", section, maxsplit=1)[0].lower()
        if first.startswith("none"):
            return "none"
        if re.match(r"(?:in|when|if|where)\b", first):
            return "varies"  # safe only under a condition ("In a note bearing …, … is safe:")
        if first.startswith("safe:") or re.search(r"\bis safe:", first):
            return "safe"
        if first.startswith("unsafe") or re.search(r"\bis unsafe:", first):
            return "unsafe"
        return "varies"

    def check(self, note: Note, vault: Vault) -> Iterator[Finding]:
        raise NotImplementedError

    def finding(
        self, start: int, end: int, message: str, fix: Fix | None = None, **kw: Any
    ) -> Finding:
        return Finding(self, start, end, message, fix, **kw)

    def __repr__(self) -> str:
        return f"<{self.code} {self.name}>"


_TRAILING_BREAKS = re.compile(r"(?:\r?\n[ \t]*)+$")


def delete_lines(note: Note, first: int, last: int | None = None) -> Edit:
    """An edit deleting lines first..last and one blank line beside them, so that no double
    blank line (nor a leading or trailing blank line) is left behind."""
    last = first if last is None else last
    count = note.line_count - note.text.endswith("\n")  # a final line break ends a line
    blank = lambda n: 1 <= n <= count and note.is_blank(n)  # noqa: E731
    body_first = note.line_of(note.body_start) if note.body_start < len(note.text) else 1
    start = note.line_starts[first - 1]
    end = note.line_starts[last] if last < count else len(note.text)
    at_top = first == body_first or all(blank(n) for n in range(body_first, first))
    at_bottom = last == count or all(blank(n) for n in range(last + 1, count + 1))
    if blank(last + 1) and (blank(first - 1) or at_top):
        end = note.line_starts[last + 1] if last + 1 < count else len(note.text)
    elif at_bottom and blank(first - 1) and first - 1 >= body_first:
        start = note.line_starts[first - 2]
        if last == count:  # keep the text's final line break where there was one
            end = len(note.text)
    text = note.text
    if end == len(text) and not text.endswith("\n") and start > note.body_start:
        # The note ends without a line break: take the break (and blank lines) before, so
        # that it still does.
        m = _TRAILING_BREAKS.search(text, note.body_start, start)
        start = m.start() if m is not None else start
    return Edit(start, end, "")
