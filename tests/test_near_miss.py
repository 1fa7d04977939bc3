"""Near-miss link targets: which unresolved names are slips for an existing note (issue 9, §4).

Each pair is (link target, existing note name, expected answer), in the shapes seen in real
vaults: fuzzy relinks that were another topic must be refused, true slips accepted.
"""

from __future__ import annotations

import pytest
from conftest import VaultFactory, check_json

from vaultbot.cli import main
from vaultbot.rules._near_miss import near_miss

PAIRS = [
    # Another topic, one letter away: never a relink.
    ("Money", "Monkey", False),
    ("Liver", "Sliver", False),
    ("Non-classical Logic", "Classical Logic", False),
    ("Nonclassical Logic", "Classical Logic", False),
    ("Improper Integral Divergence", "Improper Integral Convergence", False),
    ("Atypical Antipsychotics", "Typical Antipsychotics", False),
    ("Unsupervised Learning", "Supervised Learning", False),
    ("Group Theory", "Ring Theory", False),
    ("Bayes Theorem", "Bayes' Theorem Proof", False),
    # A letter changed at a word's end makes another word, not a typo.
    ("launched", "Launcher", False),
    ("FastAI", "FastAPI", False),
    ("Timelines", "TimelineJS", False),
    ("finger", "fingerd", False),
    ("Russian", "Russia", False),
    # Dated and numbered files: a digit names another file.
    ("Drawing 2023-01-05 10.42.31.excalidraw", "Drawing 2023-01-06 10.42.31.excalidraw", False),
    ("Pasted image 20230105104231.png", "Pasted image 20230105104232.png", False),
    ("2023-01-05", "2023-01-15", False),
    ("Lecture 3", "Lecture 8", False),
    ("Chapter 12 Summary", "Chapter 1 Summary", False),
    # A numeral that is no ASCII digit names another file too: chapter one is not chapter
    # two, in Chinese and Japanese course notes, nor in Roman numerals.
    ("线性代数第一章笔记", "线性代数第二章笔记", False),
    ("数据结构与算法第三讲总结", "数据结构与算法第二讲总结", False),
    ("Übungsblatt Ⅳ Lösungen", "Übungsblatt Ⅴ Lösungen", False),
    # In scripts written without spaces one character is a word: 上篇 and 下篇 (the first
    # and second volumes), 入门 and 出门 are other topics, never typos of each other.
    ("操作系统原理上篇复习", "操作系统原理下篇复习", False),
    ("機械学習上巻まとめ", "機械学習下巻まとめ", False),
    # A typo in a word of an alphabet is still one, accents and all.
    ("Übersetzngstheorie Grundlagen", "Übersetzungstheorie Grundlagen", True),
    ("Wahrscheinlichkeitstheorie", "Wahrscheinlichkeitsheorie", True),
    # Slips for the existing note.
    ("artifical general intelligence", "artificial general intelligence", True),
    ("Large Language Model", "Large Language Models", True),
    ("reinforcment_learning", "reinforcement_learning", True),
    ("Transformer Architecure", "Transformer Architecture", True),
    ("Lecture 3 Sumary", "Lecture 3 Summary", True),
    ("neural netowrk", "neural network", True),
    # A leading "the" added or dropped: one topic's two names; only "the", and not alone.
    ("role_of_sleep_in_memory", "the_role_of_sleep_in_memory", True),
    ("The Impact of Light on Mood", "Impact of Light on Mood", True),
    ("A B Testing", "B Testing", False),
    ("The Office", "Office", False),
    ("the_role_of_sleep", "the_role_of_sleeping_pills", False),
]


@pytest.mark.parametrize(("target", "candidate", "expected"), PAIRS)
def test_near_miss_pairs(target: str, candidate: str, expected: bool) -> None:
    assert near_miss(target, candidate) is expected


def test_a_word_of_the_vaults_note_names_is_no_typo() -> None:
    vocabulary = frozenset({"cryptographic", "silver", "bullet", "algorithm"})
    assert not near_miss("Silver", "Sliver", vocabulary)
    assert near_miss("Silver", "Sliver")  # one swap, were "silver" not a word of the vault
    assert near_miss("Kuskal's Algorithm", "Kruskal's Algorithm", vocabulary)


def test_fuzzy_relink_refuses_another_topic(make_vault: VaultFactory) -> None:
    # A generated vault (the notes carry videoId), fixed with --unsafe-fixes: the slip is
    # relinked, the other topics and the dated embed are left alone.
    head = "---\nvideoId: abcdefghijk\n---\nFrom: [[channel | C]]\n\n"
    vault = make_vault(
        {
            "Monkey.md": head + "x\n",
            "Classical Logic.md": head + "x\n",
            "reinforcement_learning.md": head + "x\n",
            "Drawing 2023-01-06.png": "",
            "n.md": head
            + "[[Money]] and [[Non-classical Logic]] and [[reinforcment_learning]].\n\n"
            + "![[Drawing 2023-01-05.png]]\n",
        }
    )
    assert main(["fix", "--unsafe-fixes", str(vault)]) == 1
    text = (vault / "n.md").read_text()
    assert "[[Money]]" in text and "[[Non-classical Logic]]" in text
    assert "[[reinforcement_learning|reinforcment_learning]]" in text
    assert "![[Drawing 2023-01-05.png]]" in text
    remaining = {f["message"] for f in check_json(vault)[1]["findings"]}
    assert any("Money" in m for m in remaining)


def test_the_typo_search_keeps_to_names_with_the_targets_digits() -> None:
    """A personal vault of 50,000 numbered attachments took 7 ms per link to a gone number:
    every attachment started with the target's letter and was weighed. Names with other
    digits are never a near miss, so only those with the same digits are weighed now, and
    the answers are those of weighing every name of that letter. The first questions are
    answered by a scan of every name, the later ones by the index: both give those files."""
    import random

    from rapidfuzz.distance import OSA

    from vaultbot.rules import lk001_link_target_missing as lk001

    rng = random.Random(5)
    stems = ["Pasted image 2023010510423", "Lecture ", "Chapter 1", "v1 2", "v12", "Note ٣", "a"]
    names = sorted({f"{rng.choice(stems)}{rng.randrange(40)}{rng.choice(['', 's', 'x', ' b'])}"
                    for _ in range(3000)})  # fmt: skip
    # Every third name also in a folder, right after it: files that share a folded name.
    rels = [
        rel for i, n in enumerate(names) for rel in [f"{n}.md", f"Old/{n}.md"][: 1 + (i % 3 == 0)]
    ]
    folded = [lk001.fold(lk001._stem(rel)) for rel in rels]
    scanned = lk001._FoldedIndex(folded, rels)
    indexed = lk001._FoldedIndex(folded, rels)
    indexed._index()
    targets = [lk001.fold(f"{rng.choice(stems)}{rng.randrange(60)}{rng.choice(['', 'e', 's'])}")
               for _ in range(400)]  # fmt: skip
    for key in filter(None, targets):
        typos = sorted(
            rel
            for name, rel in zip(folded, rels, strict=True)
            if name[:1] == key[0]
            and lk001.digits(name) == lk001.digits(key)
            and abs(len(name) - len(key)) <= 1
            and OSA.distance(key, name) <= 1
        )
        weighed = indexed._alike(key)[0]
        assert all(lk001.digits(name) == lk001.digits(key) for name in weighed)
        scanned.questions = 0  # every question a scan
        scanned.typo_cache.clear()
        for index in (scanned, indexed):
            assert sorted(index.typos(key)) == typos
            named = [rel for name, rel in zip(folded, rels, strict=True) if name == key]
            assert sorted(index.named(key)) == sorted(named)
    assert not scanned.files and scanned.questions == 2
