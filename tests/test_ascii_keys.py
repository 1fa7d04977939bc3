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
