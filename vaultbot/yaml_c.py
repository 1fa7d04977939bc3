"""Front matter read at C speed: libyaml (through PyYAML's compiled parser) builds the node
tree, and vaultbot turns it into values the way ruamel.yaml's safe loader (YAML 1.2) does.

Only what both readings surely agree on is answered here; everything else raises `Defer` and is
left to ruamel, which also gives every error its exact position:
- any parse error, several documents, a tag, an alias, a merge key or a duplicate key;
- a plain scalar YAML 1.1 and 1.2 could read differently (`yes`, `0x1F`, `1:20`, `1e3`, ...):
  plain scalars are read here only as strings that start with a letter (or hold a letter no
  number has, as `12 Angry Men` or `-VeZp2d7mDs`), `null`, `true`,
  `false`, decimal whole numbers, simple decimals and `YYYY-MM-DD` dates.
Tests compare this with ruamel on every front-matter block of every corpus and on generated
blocks (tests/test_frontmatter_c.py).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

try:  # PyYAML built with libyaml; without it this module answers nothing
    from yaml import MappingNode, ScalarNode, SequenceNode, YAMLError
    from yaml._yaml import CParser
except ImportError:  # pragma: no cover - depends on the installed wheel
    CParser = None


class Defer(Exception):
    """The block is not surely read the same by both: ask ruamel."""


AVAILABLE = CParser is not None

_PLAIN, _QUOTED = "vaultbot:plain", "vaultbot:quoted"  # what the resolver below marks
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\.[0-9]+")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
#: Plain words either YAML version may read as something else than a string.
_AMBIGUOUS_WORDS = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}
#: Where a plain scalar starting with one of these is a number, date or null in some version.
_SPECIAL_START = frozenset("0123456789+-.~<=")
#: ...unless it holds a character no number, time or date spelling has (and, if it has no
#: space, no `.`, as in `-.inf`).
_NUMBER_LIKE = re.compile(r"[0-9a-fA-FxXoObBtTzZ_:.+\- \t]*")
#: A tag (`!x`, `!!str`, or the non-specific `!`), which libyaml does not always report.
_TAG = re.compile(r"(?:^|[\s\[{,])!")


def _plain(value: str) -> Any:
    if value in _NULLS:
        return None
    if value in _BOOLS:
        return _BOOLS[value]
    if value.lower() in _AMBIGUOUS_WORDS or value in ("<<", "="):  # merge and value keys
        raise Defer
    if value[0] not in _SPECIAL_START:
        return value
    if _INT.fullmatch(value):
        return int(value)
    if _FLOAT.fullmatch(value):
        return float(value)
    date = _DATE.fullmatch(value)
    if date is not None:
        try:
            return datetime.date(*(int(part) for part in date.groups()))
        except ValueError:
            raise Defer from None
    if not _NUMBER_LIKE.fullmatch(value) and (" " in value or "." not in value):
        return value  # `12 Angry Men`, `-VeZp2d7mDs` (a video id); not `.inf` or `-.NaN`
    raise Defer


def _value(node: Any, seen: set[int] | None) -> Any:
    """The node's value; `seen`: the ids of the nodes read so far, to tell an alias (the same
    node twice), or None when the block has no `*` and so no alias."""
    if seen is not None:
        if id(node) in seen:
            raise Defer
        seen.add(id(node))
    kind = type(node)
    if kind is ScalarNode:
        return _scalar(node)
    if node.tag != _PLAIN:
        raise Defer
    # A scalar (most nodes) is read here without the alias check when there is no alias.
    if kind is SequenceNode:
        if seen is None:
            return [
                _scalar(item) if type(item) is ScalarNode else _value(item, None)
                for item in node.value
            ]
        return [_value(item, seen) for item in node.value]
    if kind is MappingNode:
        data: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if seen is None and type(key_node) is ScalarNode:
                key = _scalar(key_node)
            else:
                key = _value(key_node, seen)
            if isinstance(key, (list, dict)) or key in data:
                raise Defer
            if seen is None and type(value_node) is ScalarNode:
                data[key] = _scalar(value_node)
            else:
                data[key] = _value(value_node, seen)
        return data
    raise Defer  # pragma: no cover - libyaml builds no other node


def _scalar(node: Any) -> Any:
    """A scalar node's value (see `_plain`); quoted ones are strings."""
    tag = node.tag
    if tag == _PLAIN and not node.style:
        value = node.value
        if value and value[0] not in _SPECIAL_START and value.lower() not in _AMBIGUOUS_WORDS:
            return value  # a word (what `_plain` would answer, in one step)
        return _plain(value)
    if tag == _QUOTED:
        return node.value
    raise Defer


if CParser is not None:

    class _Composer(CParser):  # type: ignore[misc, valid-type]
        """libyaml's composer, with every implicit tag left for `_value` to decide."""

        def resolve(self, kind: Any, value: Any, implicit: tuple[bool, bool]) -> str:
            if kind is ScalarNode and not implicit[0]:
                return _QUOTED if implicit[1] else "vaultbot:other"
            return _PLAIN

        def descend_resolver(self, *args: Any) -> None:
            pass

        def ascend_resolver(self, *args: Any) -> None:
            pass


def load(text: str) -> Any:
    """The block's value as ruamel's safe loader reads it; raise Defer when unsure."""
    if CParser is None or ("!" in text and _TAG.search(text)):
        raise Defer
    composer = _Composer(text)
    try:
        node = composer.get_single_node()
    except YAMLError:
        raise Defer from None
    finally:
        composer.dispose()
    return None if node is None else _value(node, set() if "*" in text else None)
