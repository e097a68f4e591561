"""Listing text -> plain text, the scan of issue 7's fifth round: against the code it replaces.

``text._scan`` finds an abstract's pieces and ligatures with ``bytes.translate`` and
``bytes.find`` rather than ``_piece_pattern().split``, and tells whether the plain text
between them is all "safe" (printable, NFC as it stands, composing with nothing), so that
``_decoded_line`` skips NFC normalisation and ``plain_text`` the printable check. Each
shortcut is tested against the split, and plain_text, plain_paragraphs and _decoded_line against
the code as it was (copied here), on text made to trip them: TeX, controls, combining marks,
Hangul jamo, characters NFC replaces, NBSP, soft hyphens, astral characters.
BIBEXPORT_HYPOTHESIS_EXAMPLES=50000 runs more cases.
"""

from __future__ import annotations

import os
import re
import unicodedata
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bibexport import text as T

EXAMPLES = int(os.environ.get("BIBEXPORT_HYPOTHESIS_EXAMPLES", "400"))

# --- the code as it was (c38b0c0), on the primitives it shares with the new -----------------


def _old_decoded(text: str) -> str:
    parts = None if "`" in text else T._piece_pattern().split(text)
    if not (T._NEEDS_DECODING.search(text) if parts is None else _old_reads_as_tex(parts)):
        return unicodedata.normalize("NFC", text)
    decoded = _old_decoded_by_pieces(text, parts)
    if decoded is None:
        decoded = T.tex_to_text(T.to_bibtex(text, ascii_only=False))
    return decoded


def _old_decoded_by_pieces(text: str, parts: list[str | Any] | None = None) -> str | None:
    if "@" in text and T._LINE_START_AT.search(text):
        return None
    if parts is None:
        if "`" in text:
            quoted = T._quoted(text)
            if quoted is None:
                return None
            text = quoted
        parts = T._piece_pattern().split(text)
    if len(parts) == 1:
        return T._nfc(text)
    found = parts[1::2]
    if _old_display_math_or_escaped_brace(text, parts, found):
        return None
    parts[1::2] = map(T._SCANNED.__getitem__, found)
    if None in parts:
        return None
    return T._nfc("".join(parts))


def _old_reads_as_tex(parts: list[str | Any]) -> bool:
    return any(found[0] in "\\{}$~-'" or "{" in found for found in parts[1::2])


def _old_display_math_or_escaped_brace(
    text: str, parts: list[str | Any], found: list[str | Any]
) -> bool:
    if "" in parts[2:-1:2]:
        return "$$" in text or "\\{" in text or "\\}" in text
    return any("$$" in piece or "\\{" in piece or "\\}" in piece for piece in found)


def _old_nfc_line(text: str) -> str:
    if "  " not in text and text[:1] != " " and text[-1:] != " " and text.isprintable():
        return text
    return T.collapse_space(text)


def _old_plain_text(text: str) -> str:
    if text.isascii() and "\\" not in text and "$" not in text and T._as_it_is(text):
        return text
    return _old_nfc_line(_old_decoded(text))


def _old_plain_paragraphs(text: str) -> str:
    decoded = _old_decoded(text)
    if "\n" not in decoded:
        return _old_plain_text(text)
    paragraphs = map(T.one_line, re.split(r"\n\s*\n", decoded))
    return "\n\n".join(p for p in paragraphs if p)


# --- nasty text, long enough for the scan (T._LONG characters) ------------------------------

_NASTY = [
    *"aZz09 .,;:()/-+=<>*|!?'\"`@\n\t\r\x00\x1b\x7f\x85\u00a0\u00ad\u2028\u200b\ufeff",
    *"é×łΩ漢—“”ϵ≈√𝒪\U0001d400\ue000\u0301\u0338\u0345e\u1100\u1161\u11a8\u0b47\u0b3e",
    *"\u2126\u212b\u2000\u0340\u0958\u0344\u2329\uf900\u00c5A\u030a",
    *"\\{}$&%#_~^",
    *["  ", "\n\n", "\n@", "--", "---", "----", "''", "'''", "``", "`a'", "``b''", '``c"'],
    *["?`", "!`", "?``", "!```", "-'", "\u00a0 ", " \u00a0"],
    *["$x$", "$n$", "$3$", "$n \\times n$", "$\\Omega(n^2)$", "$\\mathcal{O}(\\sqrt{T})$"],
    *["$a}$", "${a$", "$\\input x$", "$$x$$", "$a--b$", "$`x'$", "$\\$$", "$\\textbf{3x}$"],
    *["$a\nb$", "$a\n\nb$", "$\u0301$", "$\u00a0$", "$ x $", "$x\\$"],
    *["\\emph{single}", "\\emph", "\\textit{a-b}", "\\textbf{$3$}", "\\textit{50%}", "\\em "],
    *["{\\em not}", "{\\it x}", "{x}", "{{x}}", "{{{{x}}}}", "{a~b}", "{`q'}", "{\\'e}", "{}"],
    *["\\'e", "\\'", "\\'{e}", '\\"o', "\\`", "\\^", "\\~", "\\u", "\\v ", "\\c{c}", "\\t"],
    *["\\'\u00e9", "\\v\u0161", "\\u{\u0131}", "\\'\u0301", "\\~{}", "\\^{}", "{\u0301}"],
    *["\\%", "\\&", "\\#", "\\_", "\\$", "\\\\", "\\{", "\\}", "\\ ", "\\,", "\\-", "\\@"],
    *["\\ours", "\\eg", "\\input{x}", "\\LaTeX ", "\\ldots", "\\alpha2", "\\textasciitilde{}x"],
    *["\\url{http://a.io/a_b%c#d}", "\\url{x", "\\href{http://a.io}{site}", "\\cite{k}"],
    *["50%", "R&D", "#1", "a_b", "~3", "x^2", "%a", "%{x}", "~{x}", "$5", "$a", "&{y}"],
]
_PLAIN = "We study the problem of learning with state-of-the-art models and show that it works. "


def _long(parts: list[str]) -> str:
    """The tokens, with plain sentences between some, padded to the scan's length."""
    text = "".join(parts)
    return (
        text + _PLAIN * (1 + (T._LONG - len(text)) // len(_PLAIN)) if len(text) < T._LONG else text
    )


NASTY = st.lists(st.sampled_from([*_NASTY, _PLAIN]), max_size=60).map(_long)
ANY = st.lists(
    st.one_of(st.characters(exclude_categories=("Cs",)), st.sampled_from(_NASTY)),
    min_size=T._LONG // 2,
    max_size=200,
).map(_long)
MIXED = st.one_of(NASTY, ANY, st.lists(st.sampled_from(_NASTY), max_size=20).map("".join))

_EXAMPLES = [
    "Given $n$ points (Table~3), a \\emph{single} step: 25% of ``words'' -- or `this'. " * 2,
    "An abstract with no TeX at all - only hyphens, and 'quotes', and a?b!c. " * 3,
    "Plain text, then a combining mark after a piece: $x$\u0301 and \\emph{e}\u0301. " * 3,
    "Hangul after a piece: {\u1100}\u1161 and \u1100$x$\u1161, NFC replaces \u2126 here. " * 3,
    "A control char \x1b and NBSP\u00a0and soft\u00adhyphen, and U+2028\u2028there. " * 3,
    "Double  spaces, and a piece decoding to nothing {} between  spaces {}  here. " * 3,
    " Leading and trailing spaces, $x$ and \\% and ~ at the edges ~" * 3,
    "Paragraphs: $k$ and $K$.\n\n  Second   \\emph{one} --\n here.\n\n\n" * 3,
    "Dashes only where a piece is: $a--b$ and \\textit{a--b} and {--} x-y-z " * 3,
    "`a %' and ``b $x$\" and \\`x' and ?`` and !``` and `` '' " * 3,
    "Astral \U0001d4aa and private \ue000 and CJK \u6f22\u5b57 and $\\mathcal{O}(n)$ " * 3,
    "\\'\u00e9 and \\v\u0161 and \\u{\u0131} and \\'\u0301 and a\\\\}b and $a$$b$ " * 3,
    "@ at a line start\n@article and email a@b.c with $x$ " * 3,
    "x" * 127 + "$",
    "x" * 128 + "--",
    "-" * 200,
    "'" * 200,
    "\u2014" * 200,
]


# --- the scan ---------------------------------------------------------------------------------


@settings(max_examples=EXAMPLES, deadline=None)
@given(MIXED)
def test_the_scan_is_the_split(text: str) -> None:
    parts, safe = T._scan(text)
    assert parts == T._piece_pattern().split(text)
    if safe:  # every character between the pieces and ligatures is safe
        assert all(map(T._safe_char, "".join(parts[::2])))


@pytest.mark.parametrize("text", _EXAMPLES)
def test_the_scan_is_the_split_on_examples(text: str) -> None:
    parts, safe = T._scan(text)
    assert parts == T._piece_pattern().split(text)
    assert not safe or all(map(T._safe_char, "".join(parts[::2])))


def test_the_marks_are_what_the_scan_is_told() -> None:
    """Every byte a piece or ligature starts with is marked, and every one whose safety a
    byte does not tell: Latin-1's printable characters are all safe; "-" alone differs."""
    for b in range(256):
        ch = chr(b)
        marked = T._SCAN_MARKS_DASH[b] == 36
        assert marked == (ch in T._SCAN_STARTS or not T._safe_char(ch))
        assert T._SCAN_MARKS[b] == (45 if ch == "-" else T._SCAN_MARKS_DASH[b])
        assert T._SCAN_MARKS_DASH[b] in (36, b)
    # No piece or ligature starts with any other character (every branch starts with one).
    tails = ["", "-", "'", "`", "``", "{x}", "a", "\\", "$", "$x$", "}", "\u0301"]
    match = T._piece_pattern().match
    for cp in [*range(0x100), 0x2014, 0x0301, 0x1161, 0x1D4AA]:
        ch = chr(cp)
        if ch not in T._SCAN_STARTS:
            assert all(match(ch + ch + tail) is None for tail in tails), hex(cp)
    # and where one starts, the text holds what _SCAN_STARTS says
    for ch, start in T._SCAN_STARTS.items():
        for tail in tails:
            found = match(ch + tail)
            assert found is None or found.group().startswith(start)


def test_safe_characters_compose_with_nothing() -> None:
    """Exhaustively: a safe character is printable, NFC, a starter, and the second of no
    canonical decomposition (NFC never joins it to what precedes it); so text made of safe
    characters alone, whatever the order, is NFC."""
    seconds = {0x1161 + i for i in range(21)} | {0x11A8 + i for i in range(27)}  # Hangul V, T
    for cp in range(0x110000):
        parts = unicodedata.decomposition(chr(cp)).split()
        if parts and not parts[0].startswith("<") and len(parts) == 2:
            seconds.add(int(parts[1], 16))
    for cp in range(0x110000):
        ch = chr(cp)
        if T._safe_char(ch):
            assert cp not in seconds, hex(cp)
            assert ch.isprintable() and unicodedata.combining(ch) == 0, hex(cp)
            assert unicodedata.normalize("NFC", ch) == ch, hex(cp)
    assert all(T._safe_char(chr(b)) for b in range(0xA1, 0x100) if b != 0xAD)
    assert all(T._safe_char(chr(b)) for b in range(0x20, 0x7F))


# --- plain text as it was ---------------------------------------------------------------------


def _fresh() -> None:
    T.plain_text.cache_clear()
    T.plain_paragraphs.cache_clear()
    T._decoded_line.cache_clear()


@settings(max_examples=EXAMPLES, deadline=None)
@given(MIXED)
def test_plain_text_is_as_it_was(text: str) -> None:
    _fresh()
    assert T._decoded_line(text)[0] == _old_decoded(text)
    assert T.plain_text(text) == _old_plain_text(text)
    assert T.plain_paragraphs(text) == _old_plain_paragraphs(text)
    _fresh()  # asked the other way round: the paragraphs first (CSL alone)
    assert T.plain_paragraphs(text) == _old_plain_paragraphs(text)
    assert T.plain_text(text) == _old_plain_text(text)


@pytest.mark.parametrize("text", _EXAMPLES)
def test_plain_text_is_as_it_was_on_examples(text: str) -> None:
    _fresh()
    assert T._decoded_line(text)[0] == _old_decoded(text)
    assert T.plain_text(text) == _old_plain_text(text)
    assert T.plain_paragraphs(text) == _old_plain_paragraphs(text)


@settings(max_examples=EXAMPLES, deadline=None)
@given(MIXED)
def test_a_printable_decoding_is_one_nfc_line(text: str) -> None:
    """What _decoded_line says is printable is, and is NFC as it stands."""
    decoded, printable = T._decoded_line.__wrapped__(text)
    if printable:
        assert decoded.isprintable()
        assert unicodedata.is_normalized("NFC", decoded)


@settings(max_examples=EXAMPLES, deadline=None)
@given(NASTY)
@example("%{x} and ^{y} and &a and #_ -- '' -'" * 5)
@example("\\\\{x} $a$$b$ {a}\\}" * 9)
def test_reading_the_scan_is_as_it_was(text: str) -> None:
    text = text.replace("`", "")
    parts = T._piece_pattern().split(text)
    assert T._reads_as_tex(parts) == _old_reads_as_tex(parts)
    found = parts[1::2]
    assert T._display_math_or_escaped_brace(
        text, parts, found
    ) == _old_display_math_or_escaped_brace(text, parts, found)
    decoded = T._decoded_by_pieces(text, list(parts))
    assert (None if decoded is None else decoded[0]) == _old_decoded_by_pieces(text, list(parts))
