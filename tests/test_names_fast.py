"""The fast paths of ``bibexport.names`` give what the general rules give (issue 7, speed).

``parse_name`` reads most names with ``_parse_plain`` and falls back to ``_parse_words``;
``repair_case`` and ``is_organisation`` handle their common case before the general steps. The
properties below compare each with the slow way on generated names: ``parse_name`` with
``_parse_plain`` switched off, and copies of ``repair_case`` and ``is_organisation`` as they were
before the speed-up. Set ``BIBEXPORT_NAMES_EXAMPLES=20000`` to run them at length.
"""

from __future__ import annotations

import os
import re
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bibexport import names
from bibexport.model import Person
from bibexport.names import (
    AGNOMENS,
    APOSTROPHE_PREFIXES,
    ARTICLE_PARTICLES,
    CAPITALISED_PARTICLES,
    CONNECTORS,
    EAST_ASIAN_FAMILY_NAMES,
    ORGANISATION_WORDS,
    ORGANISATION_WORDS_EXACT,
    PARTICLES,
    SUFFIXES,
    is_organisation,
    parse_name,
    repair_case,
)

EXAMPLES = int(os.environ.get("BIBEXPORT_NAMES_EXAMPLES", "500"))


# --- the slow ways ---------------------------------------------------------------------------


def parse_general(raw: str) -> Person | None:
    """``parse_name`` without its fast paths (and without its cache)."""
    with (
        mock.patch.object(names, "_parse_plain", lambda name, words: None),
        mock.patch.object(names, "_parse_two_words", lambda name, lowered, space: None),
    ):
        return parse_name.__wrapped__(raw)


def parse_without_two_words(raw: str) -> Person | None:
    """``parse_name`` without ``_parse_two_words`` (and without its cache)."""
    with mock.patch.object(names, "_parse_two_words", lambda name, lowered, space: None):
        return parse_name.__wrapped__(raw)


_SEGMENT = re.compile(r"([-'’‐])")
_DOTTED_INITIALS = re.compile(r"(?:[^\W\d_]\.-?)+")


def repair_case_reference(word: str, *, initials_ok: bool = False) -> str:
    """``repair_case`` before the speed-up, word for word."""
    letters = [c for c in word if c.isalpha()]
    if not letters or not (word.isupper() or word.islower()):
        return word
    if len(letters) == 1 or _DOTTED_INITIALS.fullmatch(word):
        return word.upper()
    if initials_ok and word.isupper() and len(letters) == 2 and letters[1] not in "AEIOUYNR":
        return word
    parts = _SEGMENT.split(word)
    out: list[str] = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(part)
            continue
        after_apostrophe = i >= 2 and parts[i - 1] in "'’"
        lower = after_apostrophe and parts[i - 2].lower() not in APOSTROPHE_PREFIXES
        low = part.lower()
        if lower:
            out.append(low)
        elif len(low) > 3 and low.startswith("mc") and low[2].isalpha():
            out.append("Mc" + low[2].upper() + low[3:])
        else:
            out.append(low[:1].upper() + low[1:])
    return "".join(out)


def is_organisation_reference(name: str) -> bool:
    """``is_organisation`` before the speed-up, word for word."""
    words = name.split()
    if len(words) < 2:
        return False
    if words[0].lower() == "the":
        return True
    return any(
        w.lower().strip(",()") in ORGANISATION_WORDS or w in ORGANISATION_WORDS_EXACT for w in words
    )


# --- generated names -------------------------------------------------------------------------

_LOWER = "abcdefghijklmnopqrstuvwxyzéèüöäåøłıçğşñđươăệ"
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZÉÜÖÄÅØŁİÇŞÑĐƯƠĂỆ"
_letters_lower = st.text(alphabet=_LOWER, min_size=1, max_size=7)
_capitalised = st.builds(lambda first, rest: first + rest, st.sampled_from(_UPPER), _letters_lower)
_inner_capital = st.builds(  # McCallum, DeVries, LeCun
    lambda a, b: a + b, _capitalised, _capitalised
)


def _cased(word: str) -> st.SearchStrategy[str]:
    """The word as written, lower-cased, capitalised and shouted."""
    return st.sampled_from([word, word.lower(), word[:1].upper() + word[1:].lower(), word.upper()])


def _special(words: frozenset[str] | set[str] | list[str]) -> st.SearchStrategy[str]:
    return st.sampled_from(sorted(words)).flatmap(_cased)


_plain_word = st.one_of(
    _capitalised,
    _capitalised.map(str.upper),
    _capitalised.map(str.lower),
    _inner_capital,
)
_joined = st.one_of(  # Jean-Pierre, O'Brien, Dell'Orletta, Prud'hommeaux, McDonald
    st.builds(lambda a, sep, b: a + sep + b, _plain_word, st.sampled_from("-'’‐"), _plain_word),
    st.builds(lambda a, b: a + "'" + b, _special(APOSTROPHE_PREFIXES), _plain_word),
    _plain_word.map(lambda w: "mc" + w).flatmap(_cased),
)
_initial = st.one_of(
    st.sampled_from(_UPPER + _LOWER),
    st.sampled_from(_UPPER + _LOWER).map(lambda c: c + "."),
    st.sampled_from(["A.J.", "J.-P.", "a.j.m.", "AJ", "CA", "TJ", "LI", "YU", "JB", "A.J"]),
)
_word = st.one_of(
    _plain_word,
    _plain_word,
    _plain_word,
    _joined,
    _initial,
    _special(PARTICLES),
    _special(CAPITALISED_PARTICLES | ARTICLE_PARTICLES),
    _special(CONNECTORS),
    _special(AGNOMENS | {"Júnior.", "NETO,", "filho."}),
    _special([*SUFFIXES, *SUFFIXES.values(), "Jr.,"]),
    _special(EAST_ASIAN_FAMILY_NAMES | {"Nguyễn", "Lê", "Văn", "Đặng", "Trần"}),
    _special(ORGANISATION_WORDS | ORGANISATION_WORDS_EXACT | {"The", "Ai"}),
    st.sampled_from(["", ",", ";", "-", "'", "123", "(Lab)", "Müller-Lüdenscheidt", "ǅemal"]),
)
_separator = st.sampled_from([" ", " ", " ", " ", " ", "  ", ", ", " ; ", "\t", "\u00a0", "\u200b"])


@st.composite
def _spaced_words(draw: st.DrawFn, word: st.SearchStrategy[str], most: int) -> str:
    """One to ``most`` words, mostly joined by single spaces, sometimes by commas or odd spaces."""
    words = draw(st.lists(word, min_size=1, max_size=most))
    out = words[0]
    for each in words[1:]:
        out += draw(_separator) + each
    return out


def raw_names() -> st.SearchStrategy[str]:
    return _spaced_words(_word, 5)


# --- the properties --------------------------------------------------------------------------


@settings(max_examples=EXAMPLES, deadline=None)
@given(raw_names())
def test_fast_path_agrees_with_the_general_rules(raw: str) -> None:
    assert parse_name.__wrapped__(raw) == parse_general(raw)


_odd_word = st.one_of(  # what else a listing may hold: CJK, accents, brackets, controls
    st.sampled_from(["张磊", "山田", "太郎", "김철수", "Đặng", "(Meta)", "AI,", "O'NEIL", "Team",
                     "the", "THE", "et", "al.", "al", "Ǆemal", "İlker", "ß", "ﬁ", "x\u0301", "\x85",
                     "\u2028", "A\x1fB", "Lab)", "(", "ǈ", "ΣΊΣΥΦΟΣ", "ΌΣΟΣ"]),
    st.text(max_size=5),
)  # fmt: skip


@st.composite
def two_word_names(draw: st.DrawFn) -> str:
    """Two words (sometimes three, or odd spaces around them): the shape _parse_two_words takes."""
    words = draw(st.lists(st.one_of(_word, _odd_word), min_size=2, max_size=3))
    separators = st.sampled_from([" ", " ", " ", "  ", "\t", "\u00a0", " ; ", ", ", "\u200b "])
    out = draw(st.sampled_from(["", " ", ";", "\u200b"])) + words[0]
    for word in words[1:]:
        out += draw(separators) + word
    return out + draw(st.sampled_from(["", " ", ",", " ;"]))


@settings(max_examples=EXAMPLES, deadline=None)
@given(two_word_names())
def test_two_word_path_agrees_with_the_general_rules(raw: str) -> None:
    assert parse_name.__wrapped__(raw) == parse_general(raw) == parse_without_two_words(raw)


@pytest.mark.parametrize(
    "name",
    ["Rinon Gal", "JIANFEI YANG", "hamid kazemi", "Aäron Oord", "AJ Piergiovanni", "o'brien smith"],
)
def test_two_word_names_take_the_two_word_path(name: str) -> None:
    person = names._parse_two_words(name, name.lower(), name.index(" "))
    assert person is not None
    assert person == parse_general(name)


@pytest.mark.parametrize(
    "name", ["Meta AI", "The Consortium", "山田 太郎", "Smith (Lab)", "Google Research"]
)
def test_two_word_path_declines_organisations_and_cjk(name: str) -> None:
    assert names._parse_two_words(name, name.lower(), name.index(" ")) is None


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(_word, min_size=1, max_size=5))
def test_parse_plain_is_parse_words_or_declines(words: list[str]) -> None:
    name = " ".join(words)
    if "," in name or is_organisation(name):
        return  # parse_name never asks _parse_plain about these
    person = names._parse_plain(name, list(words))
    if person is not None:
        assert person == names._parse_words(list(words))


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.one_of(_word, _joined, st.text(max_size=6)), st.booleans())
def test_repair_case_is_unchanged(word: str, initials_ok: bool) -> None:
    assert repair_case(word, initials_ok=initials_ok) == repair_case_reference(
        word, initials_ok=initials_ok
    )


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.one_of(_word, _joined, st.text(max_size=8)))
def test_letter_count_counts_letters(word: str) -> None:
    assert names._letter_count(word) == len([c for c in word if c.isalpha()])


# Organisation words (and look-alikes) often enough to meet each spelling.
_organisation_word = st.one_of(
    _plain_word,
    st.sampled_from(["AI", "Ai", "ai", "AI,", "(AI)", "The", "the", "THE", "Lab", "(Lab)",
                     "Lab,", "LAB", "Inc.", "Research", "Meta", "Wei", "DeepMind", "OpenAI"]),
)  # fmt: skip


def organisation_like() -> st.SearchStrategy[str]:
    return _spaced_words(_organisation_word, 4)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.one_of(raw_names(), organisation_like(), st.text(max_size=12)))
def test_is_organisation_is_unchanged(name: str) -> None:
    assert is_organisation(name) == is_organisation_reference(name)


# --- which names take the fast path ----------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["Rinon Gal", "Andrew Gordon Wilson", "JIANFEI YANG", "hamid kazemi", "Maxime P Smith",
     "Zhi-Qin John Xu", "Yann LeCun", "AJ Piergiovanni", "Bradley CA Brown", "Quoc V. Le",
     "Prabhat", "Aäron Oord"],
)  # fmt: skip
def test_common_names_take_the_fast_path(name: str) -> None:
    person = names._parse_plain(name, name.split(" "))
    assert person is not None
    assert person == names._parse_words(name.split(" "))


@pytest.mark.parametrize(
    "name",
    ["Hado van Hasselt", "Hal Daumé III", "A. H. Castro Neto", "Benjamin Van Roy",
     "Ayoub El Hanchi", "Manuel Montes y Gómez", "Guy Van den Broeck", "Thanh Van Le",
     "Christian Schroeder de Witt", "Laurens VAN DER MAATEN"],
)  # fmt: skip
def test_names_with_particles_suffixes_or_agnomens_take_the_general_path(name: str) -> None:
    assert names._parse_plain(name, name.split(" ")) is None
