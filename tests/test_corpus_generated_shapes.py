"""Issue 9's shapes of LLM debris and noise, counted on the real generated vaults of
`../shared/corpora/tubegraph-more/` (three folders of the public tubegraph site), each against an
independent count written here with plain regular expressions over the note files (nothing of
`vaultbot` is used for it); and the Zettelkasten, a human vault, where these rules find nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from corpus_helpers import corpus_vault, run_check

pytestmark = pytest.mark.slow

FOLDERS = ("amiteshanand", "hubermanlab", "lennyspodcast")
RULES = "ED001,ED003,ED004,LK002,LK003,MD002,TS004,TS005,TS006,TS008,TS009"

_TIME = r"\d{1,2}:\d{2}(?::\d{2})?"
_TAG = r'<a class="yt-timestamp" data-t="([^"]*)">'
#: An anchor not wrapped in a Markdown link `[00:06:02](<a …>…</a>)` (that is TS005's).
_FREE_TAG = r"(?<!\d\]\()" + _TAG
_ANCHOR = _TAG + r"(\[?)[^<]*</a>"
_GROUP = re.compile(r"(?<!\[)\[(" + _ANCHOR + r"(?:[ \t]*[,;][ \t]*" + _ANCHOR + r")*)\](?![(\]])")


def _label_brackets(text: str) -> int:
    """TS008: anchors whose label has no brackets of its own, plus the first and last anchor
    of each bracketed group (or the one anchor) whose labels do."""
    unbracketed = len(re.findall(_FREE_TAG + r"(?!\[)[^<]*\d[^<]*</a>", text))
    outer = 0
    for group in _GROUP.finditer(text):
        anchors = re.findall(_ANCHOR, group.group(1))
        ends = {0, len(anchors) - 1}
        outer += sum(1 for i in ends if anchors[i][1] == "[")
    return unbracketed + outer


def _declined(text: str) -> int:
    """ED004: a short body (header line aside) that says the transcript holds nothing."""
    body = text.split("\n---", 2)[-1] if text.startswith("---") else text
    body = "\n".join(line for line in body.splitlines()[1:] if not line.startswith("From: "))
    words = re.sub(r"<[^>]+>", "", body).strip()
    said = re.search(r"provided transcript|the transcript (?:only|consists)", words, re.I)
    return int(bool(said) and len(words) < 600 and "[[" not in words)


#: Per shape: (which findings, how to count the shape in a note's text).
Finding = dict[str, Any]
SHAPES: dict[str, tuple[Callable[[Finding], bool], Callable[[str], int]]] = {
    "declined note": (lambda f: f["code"] == "ED004", _declined),
    "anchor wrapped in a link whose ( never closes": (
        lambda f: f["code"] == "TS005" and "never closes" in f["message"],
        lambda t: len(re.findall(r"\[" + _TIME + r"\]\(" + _ANCHOR + r"(?!\))", t)),
    ),
    "label brackets": (lambda f: f["code"] == "TS008", _label_brackets),
    "fake timestamp link": (
        lambda f: f["code"] == "TS009",
        # to a time fragment or a bare `#`; or to a YouTube address that does not seek in a
        # real video (`watch?v=00:00:38`, `watch?v=example#t=…`, an id with no `&t=`)
        lambda t: (
            len(re.findall(r"\[" + _TIME + r"\]\(#(?:t=?)?[\d:]*\)", t))
            + len(
                re.findall(
                    r"\[" + _TIME + r"\]\(https?://(?:www\.)?youtube\.com/watch\?v="
                    r"(?![\w-]{11}&t=\d)[^)\s]*\)",
                    t,
                )
            )
        ),
    ),
    "multi-time bare label": (
        lambda f: f["code"] == "TS006" and "have no anchors" in f["message"],
        lambda t: len(
            re.findall(r"(?<![\[>\w])\[" + _TIME + r"(?:, *" + _TIME + r")+\](?![(\]])", t)
        ),
    ),
    "bare MM:SS label": (
        lambda f: f["code"] == "TS006" and re.match(r"Timestamp label \[\d+:\d+\] ", f["message"]),
        lambda t: len(re.findall(r"(?<![\[>\w])\[\d{1,2}:\d{2}\](?![(\]\w])", t)),
    ),
    "timestamp alias in parentheses": (
        lambda f: f["code"] == "LK002" and "used as the alias" in f["message"],
        lambda t: len(re.findall(r"\[\[[^\]|]*\|\s*[(\[]?\s*" + _TIME + r"\s*[)\]]?\s*\]\]", t)),
    ),
    "MM:SS data-t (seeks wrong)": (
        lambda f: f["code"] == "TS004" and f["severity"] == "warning",
        lambda t: len(re.findall(r'(?<!\d\]\()<a class="yt-timestamp" data-t="\d{1,2}:\d{2}"', t)),
    ),
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, list[Finding]]]:
    result = {}
    for folder in FOLDERS:
        vault = corpus_vault(f"tubegraph-more/{folder}")
        out = tmp_path_factory.mktemp(folder) / "report.json"
        _, report = run_check(vault, out, "--select", RULES)
        result[folder] = (vault, report["findings"])
    return result


@pytest.mark.parametrize("shape", list(SHAPES))
def test_shape_counts_agree_with_an_independent_count(
    runs: dict[str, tuple[Path, list[Finding]]], shape: str
) -> None:
    which, count = SHAPES[shape]
    total = 0
    for folder, (vault, findings) in runs.items():
        expected = Counter(
            {p.name: n for p in vault.glob("*.md") if (n := count(p.read_text("utf-8")))}
        )
        found = Counter(f["path"] for f in findings if which(f))
        assert found == expected, f"{shape} in {folder}"
        total += sum(found.values())
    assert total, f"the corpora hold '{shape}'"


def test_no_fake_link_is_a_missing_heading(runs: dict[str, tuple[Path, list[Finding]]]) -> None:
    for _, findings in runs.values():
        assert not [f for f in findings if f["code"] == "LK003" and "'t" in f["message"]]


def test_human_vault_has_none_of_these(tmp_path: Path) -> None:
    """The Zettelkasten is written by a person: no editorial line, declined note, label
    brackets, fake link or broken callout in a list from these rules."""
    vault = corpus_vault("zettelkasten")
    _, report = run_check(vault, tmp_path / "report.json", "--select", "ED,MD002,TS008,TS009")
    assert report["findings"] == []
