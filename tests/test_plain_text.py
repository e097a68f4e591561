"""Listing text -> plain text (RIS, CSL): the piece-at-a-time decoder against the general one.

``text._decoded`` reads most listing text a piece of TeX at a time (``_decoded_by_pieces``) and
leaves the rest to ``tex_to_text(to_bibtex(text))``. Wherever the fast reader answers, it must
answer exactly what the general one does. BIBEXPORT_HYPOTHESIS_EXAMPLES=50000 runs more cases.
"""

from __future__ import annotations

import os
import re
import unicodedata
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bibexport import text as text_module
from bibexport.text import (
    _LIGATURE_CHARS,
    _LIGATURES,
    _NEEDS_DECODING,
    _PIECE,
    _decoded_line,
    _display_math_or_escaped_brace,
    _island_text,
    _ligatures,
    _nfc_line,
    _piece_pattern,
    _pylatexenc_to_text,
    _reads_as_tex,
    one_line,
    plain_paragraphs,
    plain_text,
    tex_to_text,
    to_bibtex,
)

EXAMPLES = int(os.environ.get("BIBEXPORT_HYPOTHESIS_EXAMPLES", "1500"))


def _decoded(text: str) -> str:
    """The plain text alone (_decoded_line also says whether it is known printable)."""
    return _decoded_line(text)[0]


def _decoded_by_pieces(text: str, parts: list[Any] | None = None) -> str | None:
    """The text alone, as :func:`_decoded` (``text._decoded_by_pieces`` also says whether
    it is known printable)."""
    found = text_module._decoded_by_pieces(text, parts)
    return None if found is None else found[0]


def general(text: str) -> str:
    return tex_to_text(to_bibtex(text, ascii_only=False))


# What listings hold, and what trips encoders and decoders up: math (safe, unsafe, unclosed,
# display), control words known and unknown with their groups and spaces, accents before ASCII
# and non-ASCII letters, escaped and unescaped specials, braces paired, unpaired and nested too
# deep, quotes of every kind, ligatures, URLs, line and paragraph breaks, NBSP, "@" at a line
# start, combining marks, private-use characters.
_TEX = [
    *"aZz09 .,;:()/-+=<>*|!?'\"`@\n\t\u00a0é×łΩ漢\u0301\ue000",
    *"\\{}$&%#_~^",
    *["  ", "\n\n", "\n@", "--", "---", "''", "``", "`a'", "``b''", '``c"', "?`", "!`"],
    *["$x$", "$n$", "$3$", "$n \\times n$", "$\\Omega(n^2)$", "$\\mathcal{O}(\\sqrt{T})$"],
    *["$a}$", "${a$", "$\\input x$", "$$x$$", "$a--b$", "$`x'$", "$\\$$", "$\\textbf{3x}$"],
    *["\\emph{single}", "\\emph", "\\textit{a-b}", "\\textbf{$3$}", "\\textit{50%}", "\\em "],
    *["{\\em not}", "{\\it x}", "{x}", "{{x}}", "{{{{x}}}}", "{a~b}", "{`q'}", "{\\'e}"],
    *["\\'e", "\\'", "\\'{e}", '\\"o', "\\`", "\\^", "\\~", "\\u", "\\v ", "\\c{c}", "\\t"],
    *["\\%", "\\&", "\\#", "\\_", "\\$", "\\\\", "\\{", "\\}", "\\ ", "\\,", "\\-", "\\@"],
    *["\\ours", "\\eg", "\\input{x}", "\\def", "\\LaTeX ", "\\ldots", "\\alpha2"],
    *["\\textasciitilde", "\\textasciitilde{}x"],
    *["\\url{http://a.io/a_b%c#d}", "\\url{x", "\\href{http://a.io}{site}", "\\cite{k}"],
    *["50%", "R&D", "#1", "a_b", "~3", "x^2", "%a", "%{x}", "~{x}", "$5", "$a"],
    *["----", "'''", "?``", "!``", "?```", "-'", "^{x}", "&{y}", "_{$}", "#{\\\\}", "%{~}"],
]
TEXISH = st.lists(st.sampled_from(_TEX), max_size=24).map("".join)


@settings(max_examples=EXAMPLES, deadline=None)
@given(TEXISH)
@example("Given $n$ points (Table~3), a \\emph{single} step: 25% of ``words'' -- or `this'.")
@example("\\'\u00e9 and \\v\u0161 and \\u{\u0131}")
@example("{\\em x}{\\em y} and \\textit{a}{b} and {{{{deep}}}}")
@example("`a %' and ``b $x$\" and \\`x'")
def test_piece_decoder_agrees_with_the_general_one(text: str) -> None:
    fast = _decoded_by_pieces(text) if _NEEDS_DECODING.search(text) else None  # as _decoded
    if fast is not None:
        assert fast == general(text)


@settings(max_examples=EXAMPLES // 3, deadline=None)
@given(TEXISH)
def test_plain_text_is_the_general_decoding(text: str) -> None:
    from bibexport.text import one_line

    expected = general(text) if _NEEDS_DECODING.search(text) else unicodedata.normalize("NFC", text)
    assert _decoded(text) == expected
    assert plain_text(text) == one_line(expected)


@pytest.mark.parametrize(
    "text",
    [
        "Given $n$ points, we need $\\Omega(n^2)$ time (Table~3); a \\emph{single} step, 25%.",
        "New ``words'' in the embedding, a `rarity score', {\\em not} $\\epsilon$-close.",
        "An abstract with no TeX at all -- only a dash, and 'quotes'.",
        "Two paragraphs: $k$ and $K$.\n\nThe second one, with \\textit{fine-tuning-to-adapt}.",
    ],
)
def test_ordinary_listing_text_is_read_a_piece_at_a_time(text: str) -> None:
    """The fast reader answers for what abstracts usually hold (else it only costs time)."""
    assert _decoded_by_pieces(text) == general(text)


def test_paragraphs_survive() -> None:
    text = "First $n$ paragraph.\n\n  Second   \\emph{one} --\n here."
    assert plain_paragraphs(text) == "First n paragraph.\n\nSecond one \u2013 here."


# A text style (or URL) around words is read without pylatexenc: as pylatexenc reads it?
_STYLES = [
    *["textit", "textbf", "textsc", "textrm", "textsl", "textnormal", "emph", "underline"],
    *["url", "texttt", "href", "mbox"],
]
_WORDS = st.lists(
    st.sampled_from(
        [*"aZ09 .,;:!?\"@()/+=*<>|-'`~&%#_^\n\t\u00a0é×Ω漢\u0301", "<<", ",,", "--", "''", "?`"]
    ),
    max_size=20,
).map("".join)


@settings(max_examples=EXAMPLES // 3, deadline=None)
@given(style=st.sampled_from(_STYLES), words=_WORDS)
def test_styled_words_read_as_pylatexenc_reads_them(style: str, words: str) -> None:
    island = f"\\{style}{{{words}}}"
    assert _island_text(island) == _pylatexenc_to_text(island)


# --- the one scan: pieces and ligatures found together -------------------------------------
#
# _decoded scans a text once for pieces and ligatures, where it scanned for pieces, replaced
# ligatures run by run, and searched the text for what needs decoding and for "$$", "\{" and
# "\}": each shortcut against the passes it replaces, on the same nasty text.

_OLD_PIECES = re.compile(f"({_PIECE})", re.DOTALL)


@settings(max_examples=EXAMPLES, deadline=None)
@given(TEXISH)
@example("a---b----c-----d ''' ?`` !``` ?`x !` `` -- $x$--$y$ \\-- {--}")
def test_one_scan_finds_the_pieces_and_ligatures_of_two(text: str) -> None:
    old = _OLD_PIECES.split(text)
    new = _piece_pattern().split(text)
    # The same pieces, and between them the same plain text once its ligatures are read.
    assert [f for f in new[1::2] if f not in _LIGATURE_CHARS] == old[1::2]
    runs = "".join(_LIGATURE_CHARS.get(f, f) if i % 2 else f for i, f in enumerate(new))
    assert runs == "".join(_ligatures(p) if i % 2 == 0 else p for i, p in enumerate(old))
    assert dict(_LIGATURES) == _LIGATURE_CHARS


@settings(max_examples=EXAMPLES, deadline=None)
@given(TEXISH)
@example("%{x} and ^{y} and &a and #_ -- '' -'")
@example("\\\\{x} $a$$b$ {a}\\}")
def test_the_scan_tells_what_needs_decoding(text: str) -> None:
    text = text.replace("`", "")  # _decoded scans text with backticks after reading quotes
    parts = _piece_pattern().split(text)
    assert _reads_as_tex(parts) == bool(_NEEDS_DECODING.search(text))
    assert _display_math_or_escaped_brace(text, parts, parts[1::2]) == (
        "$$" in text or "\\{" in text or "\\}" in text
    )


@settings(max_examples=EXAMPLES, deadline=None)
@given(TEXISH)
def test_the_scan_given_decodes_as_the_scan_made(text: str) -> None:
    text = text.replace("`", "")
    given_scan = _decoded_by_pieces(text, _piece_pattern().split(text))
    assert given_scan == _decoded_by_pieces(text)
    if given_scan is not None and _NEEDS_DECODING.search(text):  # as _decoded asks
        assert given_scan == general(text)


_ANY = st.text(
    alphabet=st.one_of(
        st.characters(exclude_categories=("Cs",)),
        st.sampled_from(" \n\t\r\u00a0\u2028\u200b\u0301e\u00e9\u1100\u1161\u11a8"),
    ),
    max_size=30,
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(_ANY)
@example(" a")
@example("a\u00a0 b")
@example("e\u0301")
def test_one_line_of_nfc_text_skips_only_the_nfc_check(text: str) -> None:
    nfc = unicodedata.normalize("NFC", text)
    assert _nfc_line(nfc) == one_line(nfc)


@settings(max_examples=EXAMPLES // 3, deadline=None)
@given(TEXISH)
def test_one_paragraph_is_the_plain_line(text: str) -> None:
    split = map(one_line, re.split(r"\n\s*\n", _decoded(text)))
    assert plain_paragraphs(text) == "\n\n".join(p for p in split if p)
