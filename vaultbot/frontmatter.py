"""Front matter parsing with ruamel.yaml (safe loader), memoised per distinct block.

Many notes share identical front matter (`tags: [x]`), so each distinct text is parsed once
per process.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class YamlResult:
    data: Any = None
    #: (message, line, column) of the YAML error, 0-based within the block, or None.
    error: tuple[str, int, int] | None = None
    #: The block is valid YAML but was not read: it uses aliases (see `find_alias`).
    refused: bool = False


@functools.cache
def _ruamel() -> Any:
    """ruamel's safe loader, imported on first use: most blocks never need it.

    A timestamp that is not on the calendar (`created: 2023-02-29`, a month 13, hour 25),
    typed by hand, is kept as the text it is instead of failing the whole block: js-yaml (and
    so Obsidian) reads such a block and keeps every property, so it is no YAML error. So is
    a lone `=`."""
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import SafeConstructor

    class Constructor(SafeConstructor):  # type: ignore[misc]
        def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
            try:
                return super().construct_yaml_timestamp(node, values)
            except ValueError:  # matched the pattern, but no such date or time
                return self.construct_scalar(node)

    Constructor.add_constructor("tag:yaml.org,2002:timestamp", Constructor.construct_yaml_timestamp)
    # A lone `=` (`operator: =`) is YAML 1.1's value key to ruamel, which then has no
    # constructor for it; js-yaml reads the text.
    Constructor.add_constructor("tag:yaml.org,2002:value", SafeConstructor.construct_yaml_str)
    yaml = YAML(typ="safe", pure=True)
    yaml.Constructor = Constructor
    return yaml


# The common case, `key: plain words`, `key: [plain words, more words]` and `key:` followed by
# `  - plain words` items, where a value may also be a `YYYY-MM-DD` date, is read without
# ruamel (whose pure-Python parser dominates a check run otherwise) or libyaml (whose import
# alone costs more than reading a person's 6,000 blocks here). A line outside this subset
# sends the whole block on; tests compare both with ruamel on every real block.
# (Values are stripped in code: `[ ]+(.*?)[ ]*` would rescan a run of spaces from each of them.)
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?:([ ].*))?")
_ITEM = re.compile(r"([ ]*)-([ ].*)")
# A plain value: a letter then these characters, or a digit then these characters with a word
# after a space somewhere (`2024 review`), checked in two linear steps.
_PLAIN_TAIL = re.compile(r"[A-Za-z0-9 _./()',&+?!-]*")
_WORD_AFTER_SPACE = re.compile(r" [A-Za-z]")
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_NOT_STRINGS = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}


# An ID-like token (a YouTube videoId) may start with a digit, `_` or `-`: a string as long as
# it holds a letter no number spelling has (not e, and no 0x/0o/0b prefix).
_ID = re.compile(r"[0-9_-][A-Za-z0-9_-]*")
_NON_NUMERIC_LETTER = re.compile(r"[A-DF-Za-df-z]")


def _plain_shape(value: str) -> bool:
    if not value or _PLAIN_TAIL.fullmatch(value, 1) is None:
        return False
    if value[0] in _ASCII_LETTERS:
        return True
    return value[0].isdecimal() and _WORD_AFTER_SPACE.search(value) is not None


def _plain(value: str) -> bool:
    if _ID.fullmatch(value):
        return (
            _NON_NUMERIC_LETTER.search(value) is not None
            and value[:2].lower() not in ("0x", "0o", "0b")
            and not value.startswith("-")
        )
    return _plain_shape(value) and value.lower() not in _NOT_STRINGS and not value.endswith(":")


_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def _scalar(value: str) -> str | datetime.date | None:
    """What YAML reads in a plain value of the subset: the words as written, or the date a
    `YYYY-MM-DD` value spells; None for any other value (and a day not on the calendar,
    which ruamel is left to read as text)."""
    if _plain(value):
        return value
    date = _DATE.fullmatch(value)
    if date is None:
        return None
    try:
        return datetime.date(*(int(part) for part in date.groups()))
    except ValueError:
        return None


def _flow_items(inside: str) -> list[Any] | None:
    """The values of a one-line flow list (`[a, b]`, given without its brackets) when each is
    in the subset (no bracket, brace, quote, `:` or `#`: nothing nests), else None."""
    items = [item.strip(" ") for item in inside.split(",")]
    if items == [""]:
        return []  # `[]`, `[ ]`
    values = [_scalar(item) for item in items]
    return None if None in values else values


def _load_simple(text: str) -> dict[str, Any] | None:
    """The block as YAML reads it, when it is in the simple subset; else None."""
    data: dict[str, Any] = {}
    key: str | None = None
    indent: str | None = None  # of the current key's items: all must line up
    for line in text.split("\n"):
        if not line.strip():
            continue
        m = _KEY.fullmatch(line)
        if m is not None:
            key, value = m.group(1), m.group(2)
            value = None if value is None else value.strip(" ")
            if key in data or key.lower() in _NOT_STRINGS:
                return None
            if value is None:
                data[key] = None  # items may follow
            elif len(value) > 1 and value[0] == "[" and value[-1] == "]":
                data[key] = _flow_items(value[1:-1])
            else:
                data[key] = _scalar(value)
            if value is not None and data[key] is None:
                return None
            indent = None
            continue
        m = _ITEM.fullmatch(line)
        item = None if m is None else _scalar(m.group(2).strip(" "))
        if m is None or key is None or item is None:
            return None
        items = data[key]
        if items is None:
            items = data[key] = []
            indent = m.group(1)
        elif not isinstance(items, list) or m.group(1) != indent:
            return None
        items.append(item)
    return data


@functools.lru_cache(maxsize=8192)
def load(text: str) -> YamlResult:
    """Parse one front-matter block (without its `---` lines)."""
    if "\t" not in text and "\r" not in text:
        simple = _load_simple(text)
        if simple is not None:
            return YamlResult(data=simple)
        from vaultbot import yaml_c  # imports PyYAML: not needed for the simple blocks

        with contextlib.suppress(yaml_c.Defer):
            return YamlResult(data=yaml_c.load(text))
    return load_with_ruamel(text)


def find_alias(text: str) -> tuple[str, int, int] | None:
    """(message, line, column) of the first alias (`*name`) of a block, else None.

    Obsidian properties never use anchors and aliases, and a few nested ones expand to
    billions of values ("billion laughs"): such a block is refused, not expanded. The parser's
    events are read without building anything, in time linear in the block."""
    if "*" not in text:
        return None
    from ruamel.yaml.events import AliasEvent

    try:
        for event in _ruamel().parse(text):
            if isinstance(event, AliasEvent):
                mark = event.start_mark
                message = (
                    f"it uses the YAML alias '*{event.anchor}' (Obsidian properties have no "
                    "anchors or aliases; vaultbot does not expand them)"
                )
                return message, mark.line, mark.column
    except Exception:  # invalid YAML: `load_with_ruamel` reports it
        return None
    return None


#: ruamel's scanner error for a tab where a token starts.
_TAB_TOKEN = "found character '\\t' that cannot start any token"
#: A run of blanks holding a tab, after text on its line (not indentation).
_SEPARATING_TABS = re.compile(r"(?<=[^ \t\n])[ \t]*\t[ \t]*")


def load_with_ruamel(text: str) -> YamlResult:
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    alias = find_alias(text)
    if alias is not None:
        return YamlResult(error=alias, refused=True)
    try:
        return YamlResult(data=_ruamel().load(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        line, col = (mark.line, mark.column) if mark is not None else (0, 0)
        if problem == _TAB_TOKEN and _separating(text, line, col):
            return _load_untabbed(text)
        return YamlResult(error=(problem, line, col))
    except YAMLError as exc:
        return YamlResult(error=(" ".join(str(exc).split()[:20]), 0, 0))
    except Exception as exc:  # ruamel raises plain errors on some malformed input
        return YamlResult(error=(f"{type(exc).__name__}: {exc}", 0, 0))


def _separating(text: str, line: int, col: int) -> bool:
    """The tab at (`line`, `col`) follows text on its line: `key:\tvalue`, `-\titem`,
    `value\t# comment`. YAML allows tabs there and js-yaml (so Obsidian) reads them; ruamel's
    scanner refuses them. Tabs in indentation are an error in js-yaml too."""
    lines = text.split("\n")
    row = lines[line] if line < len(lines) else ""
    return col < len(row) and row[col] == "\t" and bool(row[:col].strip(" \t"))


def _load_untabbed(text: str) -> YamlResult:
    """The block read with every tab after text made a space (one pass, so linear): where a
    token starts that is what YAML means; inside a value (rare) a tab becomes a space. The
    lengths stay, so an error left is at its place in the block as written."""
    return load_with_ruamel(_SEPARATING_TABS.sub(lambda m: " " * len(m.group()), text))
