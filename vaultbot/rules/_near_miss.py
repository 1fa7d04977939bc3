"""Whether a link target that resolves to nothing is a slip for an existing note's name.

A character ratio is not enough: `Money` is one letter from `Monkey`, `Liver` from `Sliver`,
`Divergence` shares most of its letters with `Convergence`, and `2023-01-05.png` with
`2023-01-06.png`. A name is a near miss of another only when:

- both have the same words (split at spaces, `_`, `-` and punctuation), all equal but one;
- their digits are the same (a date or a number names another file);
- the one word that differs is a plural or singular of the other (`model`/`models`), or a
  typo of it: one letter added, dropped, changed or two swapped, in a word of at least
  `TYPO_MIN_LENGTH` letters, keeping its first and its last two letters (`launched` is not
  `launcher`), where the word written is no word of the vault's note names (`Silver` is a
  word of `Cryptographic Silver Bullet`, so it is not a typo of `Sliver`);
- neither word is the other with a negation prefix (`classical`/`nonclassical`).

Or both have the same words, one with a leading "the" (`the_role_of_sleep`/`role_of_sleep`),
in names of at least two words besides it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container

#: A typo needs words at least this long: one letter changes a short word into another word.
TYPO_MIN_LENGTH = 6
_WORD = re.compile(r"[^\W_]+")
_DIGITS = re.compile(r"\d+")
_NEGATIONS = ("non", "un", "in", "im", "il", "ir", "dis", "anti", "a")
#: Scripts written without spaces between words, where one character is a word (or a
#: syllable that makes one): Han, kana, Thai, Lao, Myanmar, Khmer. A word of them is no
#: typo of another that differs by a character.
_UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3005-\u3007\u3021-\u3029"
    "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\uff66-\uff9f\U00020000-\U0003134f]"
)


def words(name: str) -> list[str]:
    """The words of a note name, lower-cased and NFC-normalised."""
    return _WORD.findall(unicodedata.normalize("NFC", name).lower())


def has_digits(name: str) -> bool:
    return _DIGITS.search(name) is not None


def digits(name: str) -> str:
    """The digits of `name`, in order. A near miss has the same numbers as its candidate, so
    the same digits (folding a name keeps them), which narrows the search for candidates."""
    if name.isascii():  # the same, at C speed: the folded names of the vault are sorted by it
        return name.encode().translate(None, _ASCII_NOT_DIGITS).decode()
    return "".join(_DIGITS.findall(name))


_ASCII_NOT_DIGITS = bytes(c for c in range(128) if not chr(c).isdigit())


def numbers_of(name: str) -> list[str]:
    """The numbers of `name`, in order: `Chapter 1.1` has two, `Chapter 11` one."""
    return _DIGITS.findall(name)


def near_miss(target: str, candidate: str, vocabulary: Container[str] = frozenset()) -> bool:
    """Whether `target` (a link's note name) is a slip for `candidate` (an existing name);
    `vocabulary`: the words of the vault's note names, which are words, not typos."""
    if numbers_of(target) != numbers_of(candidate):
        return False
    a, b = words(target), words(candidate)
    if len(a) != len(b):
        return _the_dropped(a, b) or _the_dropped(b, a)
    differ = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(differ) == 1 and _same_word(*differ[0], vocabulary)


def _the_dropped(longer: list[str], shorter: list[str]) -> bool:
    """`the_role_of_sleep` for `role_of_sleep`: a pipeline's names of one topic, with and
    without a leading "the" (and only "the": `a_b_testing` is no `b_testing`)."""
    return len(longer) == len(shorter) + 1 >= 3 and longer[0] == "the" and longer[1:] == shorter


def _same_word(a: str, b: str, vocabulary: Container[str]) -> bool:
    short, long_ = sorted((a, b), key=len)
    if _negated(short, long_):
        return False
    if long_ in (short + "s", short + "es"):
        return True  # plural and singular name one topic
    return (
        len(short) >= TYPO_MIN_LENGTH
        and a[0] == b[0]
        and a[-2:] == b[-2:]
        and a not in vocabulary
        and _spelled(a, b)
        and _osa_distance(a, b) == 1
    )


def _spelled(a: str, b: str) -> bool:
    """Whether `a` and `b` are words of an alphabet, where one letter more or less is a
    slip: not of a script without spaces, whose characters are words, and not differing in
    a numeral (`第一章`/`第二章`, `Ⅳ`/`Ⅴ`: the ASCII digits are weighed before)."""
    if _UNSPACED.search(a) or _UNSPACED.search(b):
        return False
    return not any(char.isnumeric() for char in set(a) ^ set(b))


def _negated(short: str, long_: str) -> bool:
    return any(long_ == prefix + short for prefix in _NEGATIONS)


def _osa_distance(a: str, b: str) -> int:
    from rapidfuzz.distance import OSA  # imported when a typo is first weighed

    return int(OSA.distance(a, b))
