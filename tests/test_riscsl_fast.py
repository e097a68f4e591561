"""The RIS and CSL writers' fast paths against the general paths they shortcut, on nasty text:
TeX, braces, math, quotes, backslashes, control characters, CJK, combining marks, odd spacing."""

from __future__ import annotations

import json
import os

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bibexport.formats import ByPerson, WriteOptions, csljson, ris
from bibexport.model import Paper, Person
from bibexport.text import (
    _SCANNED,
    _piece_pattern,
    _scanned_text,
    _ScannedTexts,
    plain_paragraphs,
    plain_text,
)

from .papers import make_paper
from .test_plain_text import TEXISH

EXAMPLES = int(os.environ.get("BIBEXPORT_HYPOTHESIS_EXAMPLES", "1500"))

# Any character (controls, format characters, private use, CJK, combining marks...), and the
# ones that JSON, RIS and TeX treat specially, often.
NASTY = st.text(
    alphabet=st.one_of(
        st.characters(exclude_categories=("Cs",)),
        st.sampled_from("\"\\{}$%&#_~^`'- \n\t\r\x00\x1f\x7f\u00a0\u2028\u200b\u0301é漢\ue000"),
    ),
    max_size=40,
)
TEXT = st.one_of(TEXISH, NASTY)


@settings(max_examples=EXAMPLES, deadline=None)
@given(TEXT)
@example('a "quoted" \\ word')
@example("one\n\ntwo \x01 three\x1f")
@example("$x$ \\emph{a} ``b'' \u2028 c")
def test_plain_strings_encode_as_the_encoder_does(text: str) -> None:
    for plain in (plain_text(text), plain_paragraphs(text)):
        assert csljson._plain_string(plain) == json.encoder.encode_basestring(plain)


_PEOPLE = [
    Person(given="Ada", family="Lovelace"),
    Person(literal="others"),
    Person(literal="OpenAI"),
    Person(given="Hal", family="Daumé", suffix="III"),
    Person(given="Laurens", family="Maaten", particle="van der"),
]


def _person(parts: tuple[str, str, str, str, str]) -> Person:
    given, family, particle, suffix, literal = parts
    return Person(given=given, family=family, particle=particle, suffix=suffix, literal=literal)


PERSONS = st.lists(
    st.one_of(
        st.sampled_from(_PEOPLE),  # the same objects again: what ByPerson remembers
        st.tuples(TEXT, TEXT, TEXT, TEXT, st.sampled_from(["", "", "others", "X {\\'e}"])).map(
            _person
        ),
    ),
    max_size=8,
)


@settings(max_examples=EXAMPLES // 3, deadline=None)
@given(PERSONS)
def test_each_is_a_call_per_person(persons: list[Person]) -> None:
    for make in (ris._author_line, csljson._name_json):
        memo, fresh = ByPerson(make), ByPerson(make)
        for _ in range(2):  # first made, then remembered
            assert memo.each(persons) == list(map(fresh, persons)) == list(map(make, persons))


def _items(paper: Paper) -> str:
    """The JSON item as json.dumps writes csl_item, indented as an element of the array."""
    text = json.dumps([csljson.csl_item(paper)], ensure_ascii=False, indent=2)
    return text[2:-2]


@settings(max_examples=EXAMPLES // 3, deadline=None)
@given(title=TEXT, abstract=TEXT, authors=PERSONS)
@example(title='"q" \\', abstract='a\n\nb "c"\n\n\\d', authors=_PEOPLE)
def test_records_are_what_the_general_writers_write(
    title: str, abstract: str, authors: list[Person]
) -> None:
    paper = make_paper(title=title, abstract=abstract, authors=tuple(authors))
    assert csljson.Writer(WriteOptions()).render(paper)[0] == _items(paper)
    fields = [(tag, ris._values(tag, values, paper)) for tag, values in ris.TAGS]
    general = "".join(f"{tag}  - {v}\n" for tag, values in fields for v in values) + "ER  - \n"
    assert ris.Writer(WriteOptions()).render(paper)[0] == general


@settings(max_examples=EXAMPLES, deadline=None)
@given(TEXT)
@example("$n$ \\% -- ``x'' {\\em y} \\'\u00e9 {a}\\}")
def test_scanned_pieces_are_remembered_as_made(text: str) -> None:
    found = _piece_pattern().split(text)[1::2]
    fresh = _ScannedTexts()
    for _ in range(2):  # made, then remembered
        assert [fresh[f] for f in found] == [_SCANNED[f] for f in found]
        assert [fresh[f] for f in found] == list(map(_scanned_text, found))


def test_scanned_pieces_are_bounded() -> None:
    full = _ScannedTexts({str(i): None for i in range(1 << 16)})
    assert full["$n$"] == _scanned_text("$n$") == "n"
    assert len(full) == 1
