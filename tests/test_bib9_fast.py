"""The BibTeX writer's fast paths of round 9 (issue 7, speed) give what the general paths give.

``_encode_text`` replaces, in a long text, the few characters the ASCII codec's handler has
written as ASCII TeX before (``text._MET``), each everywhere at once, before the codec's pass:
the properties compare it with ``_encode_chars`` (one character at a time) on long text full of
characters with and without a TeX form, lone surrogates and astral characters, with the table
of met characters empty, filled by earlier texts, or filled on purpose with characters the text
holds (and others), and check that the table holds only characters the handler writes as ASCII,
as the handler writes them. Set ``BIBEXPORT_BIB9_EXAMPLES`` to run them at length.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bibexport import text as text_module
from bibexport.text import _LONG, _TEXT_TABLE, _encode_chars, _encode_text, to_bibtex
from tests.test_bibtex3_fast import _WIDE, TEXT
from tests.test_bibtex_fast import scanned_bibtex

EXAMPLES = int(os.environ.get("BIBEXPORT_BIB9_EXAMPLES", "300"))

# Characters of abstracts (with an ASCII TeX form), ones without (kept as UTF-8), and the wide
# characters of test_bibtex3_fast.
_CHARS = [*"—–×’“”é±≤∼ΩÖłß漢字", "\u00a0", "\u0301", *_WIDE]
LONG_TEXT = (
    st.lists(st.one_of(TEXT, st.sampled_from(_CHARS)), min_size=1, max_size=12)
    .map("".join)
    .map(lambda text: text if len(text) >= _LONG else text + " plain words" * 12)
)


@pytest.fixture(autouse=True)
def _fresh_met() -> Iterator[None]:
    """Each test starts from an empty table and leaves the module's table as it found it."""
    saved = dict(text_module._MET)
    text_module._MET.clear()
    yield
    text_module._MET.clear()
    text_module._MET.update(saved)


def _check_met() -> None:
    met = text_module._MET
    assert len(met) <= text_module._MET_MAX
    for ch, tex in met.items():
        assert tex.isascii() and tex == _TEXT_TABLE[ord(ch)]


@settings(max_examples=EXAMPLES, deadline=None)
@given(texts=st.lists(LONG_TEXT, min_size=1, max_size=4), planted=st.lists(st.sampled_from(_CHARS)))
@example(texts=["a — b × c " * 20], planted=[])
@example(texts=["a — b × c " * 20, "é漢— " * 40], planted=["—"])
@example(texts=["\ud800 — " * 30, "x\U0001f600×" * 50], planted=["×", "—"])
def test_long_text_encoded_per_character(texts: list[str], planted: list[str]) -> None:
    for ch in planted:  # as if met before: only characters written as ASCII are ever there
        if len(text_module._MET) < text_module._MET_MAX and _TEXT_TABLE[ord(ch)].isascii():
            text_module._MET[ch] = _TEXT_TABLE[ord(ch)]
    for text in texts * 2:  # again, with what the first ones taught the table
        assert _encode_text(text) == _encode_chars(text, True)
        _check_met()


@settings(max_examples=EXAMPLES, deadline=None)
@given(texts=st.lists(LONG_TEXT, min_size=1, max_size=3), ascii_only=st.booleans())
@example(texts=["x — $\\alpha × β$ \\'é 50\\% {\\em y} — " * 8], ascii_only=True)
def test_long_text_to_bibtex_as_the_token_scanner(texts: list[str], ascii_only: bool) -> None:
    for text in texts * 2:
        assert to_bibtex(text, ascii_only=ascii_only) == scanned_bibtex(text, ascii_only, False)
        _check_met()
