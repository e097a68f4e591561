"""The BibTeX encoder's fast paths for text that is not ASCII, against the paths they shortcut.

``_utf8_pieces`` finds the tokens of non-ASCII text on its UTF-8 bytes, where
``_FAST_PIECES.split`` searched the text; ``_encode_text`` encodes the plain parts with the
ASCII codec's error handler, where ``_encode_chars`` substituted each character. Both are
checked against those and, through ``to_bibtex``, against the token scanner, on text full of
what could tell them apart: non-ASCII characters of every width next to backslashes, math and
braces, characters with no TeX form, lone surrogates, control characters.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bibexport.text import (
    _FAST_PIECES,
    _encode_chars,
    _encode_text,
    _utf8_pieces,
    to_bibtex,
)
from tests.test_bibtex_fast import scanned_bibtex

# Characters of one, two, three and four UTF-8 bytes, with and without a TeX form, combining
# marks, and ones whose code point holds the byte of a token character (U+0124 "Ĥ", U+245C,
# U+7B7D: 0x24 "$", 0x5C "\", 0x7B "{", 0x7D "}").
_WIDE = [
    *"é×—’\u00a0Ĥ\u245c\u7b7d漢字ÖłǅßΩ\u0301\u0308\u200b\ufeff",
    "\U0001d4aa",  # 𝒪, astral, with a math form
    "\U0001f600",  # an emoji, astral, no TeX form
    "\ud800",  # a lone surrogate: not UTF-8
]
_PIECES = [
    *_WIDE,
    *"ab Z$\\{}&%#_~^@\n\t\r\x00\x1b\x7f\x85",
    "\\emph{",
    "\\url{",
    "http://x.io/a_b%20#c",
    '\\"',
    "\\'",
    "\\H",
    "\\v",
    "\\%",
    "\\{",
    "\\\\",
    "\\$",
    "$x$",
    "$$x$$",
    "$é$",
    "$\\alpha × β$",
    "$a{$",
    "$x\ny$",
    "$$x\n\ny$$",
    "\\input",
    "\\ours",
    "{\\it ",
    "iPhone",
    "Ökonomie",
    "\n\n",
    "\n @",
]
NASTY = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)
TEXT = st.one_of(NASTY, st.text(max_size=60), st.text(st.sampled_from(_PIECES[:40]), max_size=40))


@settings(max_examples=5000, deadline=None)
@given(text=TEXT)
@example(text="é\\")
@example(text="\\é$é$")
@example(text="\\\U0001f600{x}")
@example(text="Ĥ\u245c\u7b7d")
@example(text="a\ud800$x$")
def test_utf8_pieces_are_the_regex_split(text: str) -> None:
    assert _utf8_pieces(text) == _FAST_PIECES.split(text)


@settings(max_examples=5000, deadline=None)
@given(text=TEXT)
@example(text="—×é")
@example(text="a漢b—")
@example(text="\U0001d4aa\U0001f600")
@example(text="\ud800é")
def test_encode_text_is_the_per_character_encoding(text: str) -> None:
    assert _encode_text(text) == _encode_chars(text, True)


@settings(max_examples=5000, deadline=None)
@given(text=TEXT, ascii_only=st.booleans(), protect=st.booleans())
@example(text="x — $\\alpha$ \\'é 50\\% {\\em y}\n@z", ascii_only=True, protect=False)
@example(text="Ökonomie — {GAN}s\n @x", ascii_only=True, protect=True)
def test_non_ascii_text_encoded_as_the_token_scanner_does(
    text: str, ascii_only: bool, protect: bool
) -> None:
    expected = scanned_bibtex(text, ascii_only, protect)
    assert to_bibtex(text, ascii_only=ascii_only, protect=protect) == expected


def _part_reference(text: str, ascii_only: bool) -> str:
    """``_part`` through ``to_bibtex`` alone, without its shortcuts."""
    encoded = to_bibtex(text, ascii_only=ascii_only).replace(",", "{,}")
    return " ".join("{" + w + "}" if w.lower() == "and" else w for w in encoded.split(" "))


NAME_PART = st.one_of(
    st.sampled_from(["Frédéric", "Ramón Araújo", "J.-P.", "Ånd", "ÅND", "Sandra", "Nguyễn"]),
    st.text(
        st.sampled_from([*"aAnNdD .-'é漢Åłǅ\u0301\u00a0\u2028\U0001f600\ud800,\n$\\{~"]),
        max_size=12,
    ),
    st.text(max_size=12),
)


@settings(max_examples=4000, deadline=None)
@given(text=NAME_PART, ascii_only=st.booleans())
@example(text="Ånd", ascii_only=True)
@example(text="é and", ascii_only=False)
def test_name_part_without_tex_is_only_encoded(text: str, ascii_only: bool) -> None:
    from bibexport.formats.bibtex import _part

    assert _part(text, ascii_only) == _part_reference(text, ascii_only)
