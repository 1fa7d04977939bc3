"""The libyaml path (vaultbot.yaml_c) reads exactly what ruamel reads, or steps aside.

Compared on every front-matter block of every corpus and on generated blocks: same values of
the same types, and never a value where ruamel reports an error.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from corpus_helpers import CORPORA, corpus_vault
from hypothesis import given, settings
from hypothesis import strategies as st

from vaultbot import yaml_c
from vaultbot.frontmatter import _load_simple, load_with_ruamel
from vaultbot.note import Note

pytestmark = pytest.mark.skipif(not yaml_c.AVAILABLE, reason="PyYAML without libyaml")


def same(a: Any, b: Any) -> bool:
    """Equal values of equal types all the way down (True == 1, but not here)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(
            same(ka, kb) and same(a[ka], b[kb]) for ka, kb in zip(a, b, strict=True)
        )
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def agrees(text: str) -> bool | None:
    """True if both read the block alike, None if the C path stepped aside."""
    try:
        fast = yaml_c.load(text)
    except yaml_c.Defer:
        return None
    full = load_with_ruamel(text)
    assert full.error is None, (text, full.error, fast)
    assert same(full.data, fast), (text, full.data, fast)
    return True


def corpus_blocks(name: str) -> set[str]:
    blocks: set[str] = set()
    corpus_vault("tubegraph-dwarkesh")  # skips (or fails in CI) without the corpora
    for path in (CORPORA / name).rglob("*.md"):
        note = Note(path.name, path.read_text(encoding="utf-8", errors="replace"))
        if note.frontmatter is not None:
            blocks.add(note.frontmatter_text)
    return blocks


@pytest.mark.slow
@pytest.mark.parametrize("name", ["tubegraph-dwarkesh", "tubegraph-more", "zettelkasten"])
def test_every_corpus_block_agrees(name: str) -> None:
    blocks = corpus_blocks(name)
    answered = [text for text in blocks if agrees(text)]
    # The common case is never left to ruamel: flat blocks of plain words take the simpler fast
    # path (tests/test_frontmatter_fast_path.py), most others this one.
    fast = [text for text in blocks if text in answered or _load_simple(text) is not None]
    assert len(fast) >= 0.99 * len(blocks), (len(answered), len(fast), len(blocks))


RICH = """\
title: "Quarterly review: Q3 2024"
aliases:
  - 'Q3 review'
  - Review (Q3)
created: 2024-10-02
updated: 2024-11-15
version: 3
weight: 0.75
draft: false
published: true
owner: null
tags: [docs, review, "team/platform"]
authors:
  - name: Ada Lovelace
    email: ada@example.org
    roles: [editor, reviewer]
  - name: "Grace Hopper"
    roles:
      - author
summary: >
  A folded
  summary.
notes: |
  Line one
  Line two
related: {parent: "[[Index]]", order: 2}
empty:
"""


def test_rich_front_matter_is_read_in_c_and_agrees() -> None:
    assert agrees(RICH) is True
    data = yaml_c.load(RICH)
    assert data["created"] == datetime.date(2024, 10, 2)
    assert data["authors"][0]["roles"] == ["editor", "reviewer"]
    assert data["draft"] is False and data["owner"] is None and data["version"] == 3


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",  # duplicate key: ruamel's error
        "a: &x [1]\nb: *x\n",  # alias
        "<<: {a: 1}\n",  # merge key
        "a: !!str 5\n",  # tag
        "a: ! 5\n",  # non-specific tag
        "a: yes\n",  # YAML 1.1 boolean, a string in 1.2
        "a: 0x1F\n",
        "a: 1:20\n",  # sexagesimal in 1.1
        "a: 1e3\n",
        "a: 2024-02-30\n",  # not a date
        "a: 2001-12-14 21:59:43\n",  # timestamps other than dates
        "a: [1\n",  # a syntax error: ruamel gives its position
        "a: 1\n---\nb: 2\n",  # two documents
        "? [a]\n: b\n",  # a complex key
    ],
)
def test_what_might_differ_is_left_to_ruamel(text: str) -> None:
    with pytest.raises(yaml_c.Defer):
        yaml_c.load(text)


SCALARS = st.sampled_from(
    ["a", "it's", "x-y", "on", "Yes", "null", "Null", "NULL", "true", "True", "FALSE", "tRUE",
     "~", "2024", "-7", "+3", "007", "0", "-0", "1.5", "-0.25", "1.", ".5", "1e3", "1_000",
     "0x1F", "0o17", "0b11", "1:20", "00:01", "2024-01-05", "2024-1-5", "2024-13-01",
     "2001-12-14 21:59:43", "2001-12-14T21:59:43Z", "12 Angry Men", "3.5 Sonnet", "C++",
     "Q&A", "Hello!", "x !y", "a #b", "a: b", "'q'", '"q"', "'it''s'", '"a\\tb"', '"\\u00e9"',
     "[x]", "[a, b]", "{y: 1}", "{}", "[]", "*a", "&a x", "!t x", "é", "中文", "🙂", "%p", "@a",
     "`b`", "a,b", "x:", ".inf", ".NaN", "-.inf", "+.Inf", "-abc", "-VeZp2d7mDs", "12step", "~x",
     "<x>", "=x", "1.5b", "0.5.1", "1_0", "+1:2", "-0x1", "0o7a", "_x", "=", "<<", "| ", "> ", "-", "--", "---"]
)  # fmt: skip
KEYS = st.sampled_from(["a", "b", "title", "tags", "on", "1", "2024-01-01", "x y", '"q"', "~"])


def _block(lines: list[tuple[int, str, str, str]]) -> str:
    out = []
    for depth, kind, key, value in lines:
        pad = "  " * depth
        if kind == "key":
            out.append(f"{pad}{key}: {value}")
        elif kind == "open":
            out.append(f"{pad}{key}:")
        elif kind == "item":
            out.append(f"{pad}- {value}")
        elif kind == "item-key":
            out.append(f"{pad}- {key}: {value}")
        else:
            out.append(f"{pad}{value}")
    return "\n".join(out) + "\n"


LINES = st.lists(
    st.tuples(
        st.integers(0, 2),
        st.sampled_from(["key", "open", "item", "item-key", "raw"]),
        KEYS,
        SCALARS,
    ),
    max_size=10,
)


@settings(max_examples=600, deadline=None)
@given(LINES)
def test_generated_blocks_agree(lines: list[tuple[int, str, str, str]]) -> None:
    agrees(_block(lines))
