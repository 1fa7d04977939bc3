"""Front matter parsing with ruamel.yaml (safe loader), memoised per distinct block.

Many notes share identical front matter (`tags: [x]`), so each distinct text is parsed once
per process.
"""

from __future__ import annotations

import contextlib
import functools
import re
from dataclasses import dataclass
from typing import Any

from vaultbot import yaml_c


@dataclass(frozen=True)
class YamlResult:
    data: Any = None
    #: (message, line, column) of the YAML error, 0-based within the block, or None.
    error: tuple[str, int, int] | None = None


@functools.cache
def _ruamel() -> Any:
    """ruamel's safe loader, imported on first use: most blocks never need it."""
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True)


# The common case, `key: plain words` and `key:` followed by `  - plain words` items, is read
# without ruamel (whose pure-Python parser dominates a check run otherwise). A line outside
# this subset sends the whole block to ruamel; tests compare both on every real block.
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?:[ ]+(.*?))?[ ]*")
_ITEM = re.compile(r"([ ]*)-[ ]+(.*?)[ ]*")
_PLAIN = re.compile(
    r"[A-Za-z][A-Za-z0-9 _./()',&+?!-]*|\d[A-Za-z0-9 _./()',&+?!-]* [A-Za-z][A-Za-z0-9 _./()',&+?!-]*"
)
_NOT_STRINGS = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}


# An ID-like token (a YouTube videoId) may start with a digit, `_` or `-`: a string as long as
# it holds a letter no number spelling has (not e, and no 0x/0o/0b prefix).
_ID = re.compile(r"[0-9_-][A-Za-z0-9_-]*")
_NON_NUMERIC_LETTER = re.compile(r"[A-DF-Za-df-z]")


def _plain(value: str) -> bool:
    if _ID.fullmatch(value):
        return (
            _NON_NUMERIC_LETTER.search(value) is not None
            and value[:2].lower() not in ("0x", "0o", "0b")
            and not value.startswith("-")
        )
    return (
        _PLAIN.fullmatch(value) is not None
        and value.lower() not in _NOT_STRINGS
        and not value.endswith(":")
    )


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
            if (
                key in data
                or key.lower() in _NOT_STRINGS
                or (value is not None and not _plain(value))
            ):
                return None
            data[key], indent = value, None
            continue
        m = _ITEM.fullmatch(line)
        if m is None or key is None or not _plain(m.group(2)):
            return None
        items = data[key]
        if items is None:
            items = data[key] = []
            indent = m.group(1)
        elif not isinstance(items, list) or m.group(1) != indent:
            return None
        items.append(m.group(2))
    return data


@functools.lru_cache(maxsize=8192)
def load(text: str) -> YamlResult:
    """Parse one front-matter block (without its `---` lines)."""
    if "\t" not in text and "\r" not in text:
        simple = _load_simple(text)
        if simple is not None:
            return YamlResult(data=simple)
        with contextlib.suppress(yaml_c.Defer):
            return YamlResult(data=yaml_c.load(text))
    return load_with_ruamel(text)


def load_with_ruamel(text: str) -> YamlResult:
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        return YamlResult(data=_ruamel().load(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        line, col = (mark.line, mark.column) if mark is not None else (0, 0)
        return YamlResult(error=(" ".join(str(problem).split()), line, col))
    except YAMLError as exc:
        return YamlResult(error=(" ".join(str(exc).split()[:20]), 0, 0))
    except Exception as exc:  # ruamel raises plain errors on some malformed input
        return YamlResult(error=(f"{type(exc).__name__}: {exc}", 0, 0))
