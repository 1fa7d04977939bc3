"""The simple-YAML fast path reads exactly what ruamel reads, or steps aside."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from vaultbot.frontmatter import _load_simple, load, load_with_ruamel

WORDS = st.sampled_from(
    ["a", "tags", "title", "Security", "it's", "x-y", "on", "Yes", "null", "true", "a.b",
     "(c)", "2024", "a: b", "a #b", "-", "~", "'q'", '"q"', "[x]", "{y}", "a/b", "é", "*a",
     "&a", "!t", "%p", "@a", "`b`", "a,b", "x:", "N", "25 Years at Google", "2001-12-14 21:59:43",
     "1 2", "1e3", "12 Angry Men", "a, b, and c", "Q&A", "C++", "Why?", "Hello!", "0x1F a",
     "3.5 Sonnet", "a - b", "a -b", "x !y", "a ? b", "Q: A", "7E7PG-6i7As", "_OeIIAGY5Q8", "1e5",
     "12e3abc", "0x1Fg", "0b101z", "0o17q", "1_000", "-abc", "9kAjm6L_-hi", "41UiAXf1cVj",
     "123", "1e-5", "-1e5", "4_x", "00:01", "2024-01-31", "2023-02-29", "2024-13-01",
     "0000-01-01", "2024-1-31", "2024-01-31x", "", " ", "a  b", "[]", "[a, b]"]
)  # fmt: skip
#: What stands between the items of a flow list, and around them.
SEPARATORS = st.sampled_from([", ", ",", " , ", ",  ", ",,", ", ,"])
LINES = st.one_of(
    st.builds(lambda k, v: f"{k}: {v}", WORDS, WORDS),
    st.builds(lambda k: f"{k}:", WORDS),
    st.builds(lambda k, v: f"{k}: {v}", WORDS, WORDS),
    st.builds(lambda i, v: f"{i}- {v}", st.sampled_from(["", "  ", "    ", " "]), WORDS),
    st.builds(lambda v: f"  {v}", WORDS),
    st.just(""),
    st.just("# comment"),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(LINES, max_size=8))
def test_fast_path_agrees_with_ruamel(lines: list[str]) -> None:
    assert_agrees_with_ruamel(lines)


def assert_agrees_with_ruamel(lines: list[str]) -> None:
    """A block the fast path reads, ruamel reads as valid YAML with the same values."""
    text = "\n".join(lines) + "\n"
    fast = _load_simple(text)
    if fast is not None:
        full = load_with_ruamel(text)
        assert full.error is None
        assert full.data == (fast or None)


#: Values the fast path reads (dates among them), and all the others.
IN_SUBSET = st.sampled_from(
    ["a", "it's", "Q&A", "12 Angry Men", "a.b", "7E7PG-6i7As", "2024-01-31"]
)
VALUES = st.one_of(IN_SUBSET, WORDS)
FLOW_LINES = st.one_of(
    st.builds(
        lambda k, items, sep, pad: f"{k}: [{pad}{sep.join(items)}{pad}]",
        st.sampled_from(["tags", "aliases", "on"]),
        st.lists(VALUES, max_size=4),
        SEPARATORS,
        st.sampled_from(["", " "]),
    ),
    st.builds(lambda k, v: f"{k}: {v}", st.sampled_from(["created", "title"]), VALUES),
    st.builds(lambda i, v: f"{i}- {v}", st.sampled_from(["", "  "]), VALUES),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(FLOW_LINES, min_size=1, max_size=4))
def test_flow_lists_and_dates_agree_with_ruamel(lines: list[str]) -> None:
    assert_agrees_with_ruamel(lines)


def test_common_blocks_take_the_fast_path() -> None:
    assert _load_simple("tags:\n  - security\n  - web\naliases:\n  - SAR\n") == {
        "tags": ["security", "web"],
        "aliases": ["SAR"],
    }
    assert _load_simple("title: Progress towards AGI (part 2)\n") is not None
    assert _load_simple("videoId: Wo95ob_s_NI\n") == {"videoId": "Wo95ob_s_NI"}
    assert _load_simple("tags: [game_theory, regulation]\naliases: [Governance, AI]\n") == {
        "tags": ["game_theory", "regulation"],
        "aliases": ["Governance", "AI"],
    }
    assert _load_simple("created: 2024-01-31\naliases: [2019-01-01]\ntags: []\n") == {
        "created": datetime.date(2024, 1, 31),
        "aliases": [datetime.date(2019, 1, 1)],
        "tags": [],
    }
    assert _load_simple("created: 2023-02-29\n") is None  # no such day: ruamel keeps the text
    assert _load_simple("tags: [a, [b]]\n") is None  # nested: libyaml or ruamel reads it
    assert _load_simple('date: "2025-05-21"\n') is None  # quoted: ruamel reads it
    assert _load_simple("on: x\n") is None  # YAML 1.1 booleans are left to ruamel


def test_errors_still_come_from_ruamel() -> None:
    assert load("a: 1\na: 2\n").error is not None
    assert load("tags:\n  - a\n    - b\n").data == {"tags": ["a - b"]}
