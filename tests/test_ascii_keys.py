"""The ASCII fast paths of the name and heading keys (`bytes.translate`) give what the general
paths (regular expressions, NFC) give, for every ASCII text."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from vaultbot.rules._near_miss import digits
from vaultbot.rules.lk001_link_target_missing import fold
from vaultbot.rules.lk003_link_heading_missing import heading_key

ASCII = st.text(st.characters(max_codepoint=127), max_size=40)


@settings(max_examples=1000, deadline=None)
@given(ASCII)
def test_fold(name: str) -> None:
    assert fold(name) == re.sub(r"(?:[^\w+]|_)+", "", unicodedata.normalize("NFC", name).lower())


@settings(max_examples=1000, deadline=None)
@given(ASCII)
def test_heading_key(text: str) -> None:
    assert heading_key(text) == re.sub(r"[\W_]+", "", unicodedata.normalize("NFC", text)).casefold()


@settings(max_examples=1000, deadline=None)
@given(ASCII)
def test_digits(name: str) -> None:
    assert digits(name) == "".join(re.findall(r"\d+", name))


def test_beyond_ascii_the_general_path_is_taken() -> None:
    assert fold("Café_Noir+") == "cafénoir+"
    assert fold("C++ Notes_v2 (draft).md") == "c++notesv2draftmd"
    assert heading_key("Ⅻ Cafe\u0301!") == "ⅻcafé"
    assert digits("Week ٣ and 4") == "٣4"


#: Path pieces where folding a name alone and folding all names joined could part: Greek
#: capital sigma (lower-cased by its neighbours), combining marks at a name's start, `.md`
#: in any case, lone surrogates (undecodable bytes of a file name), `+`, `_` and dots.
PIECES = st.sampled_from(["Σ", "ΑΣ", "\u0301", "e\u0301", ".md", ".MD", ".mD", "\udcff", "+",
                          "_", ".", " ", "a", "Z", "9", "٣", "İ", "ß", "ﬁ", "."])  # fmt: skip
NAMES = st.lists(PIECES | st.characters(exclude_characters="\0/"), min_size=1, max_size=6).map(
    "".join
)
PATHS = st.lists(NAMES, min_size=1, max_size=3).map("/".join)


@settings(max_examples=500, deadline=None)
@given(st.lists(PATHS, max_size=12, unique=True))
def test_the_joined_stems_fold_and_split_as_each_name_does(paths: list[str]) -> None:
    from pathlib import Path

    from vaultbot.rules import lk001_link_target_missing as lk001
    from vaultbot.rules._near_miss import words
    from vaultbot.vault import Vault

    vault = Vault.from_files(Path("."), paths)
    stems = [lk001._stem(rel) for rel in vault.by_path.values()]
    joined = lk001._joined_stems(vault)
    assert (joined.split("\0") if vault.by_path else []) == stems
    assert (lk001.fold_joined(joined) if vault.by_path else []) == [lk001.fold(s) for s in stems]
    assert lk001._vocabulary(vault) == frozenset(w for stem in stems for w in words(stem))
