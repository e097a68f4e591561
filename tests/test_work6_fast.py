"""A worker's fast paths per paper give what the general paths give (issue 7, speed).

``listing._abstract_lines`` cuts the abstract _PAPER_AT_ONCE took out of the block without
slicing and splitting all of it when it is one line: the property compares it with the split
it replaces on generated abstracts (lines, blank lines, none, non-ASCII, stray line feeds
before and after the span).

The BibTeX writer remembers each name part that is not one word of ASCII letters
(``bibtex._odd_part``) and asks for each new author's name without the cache that hashed the
person (``bibtex._bibtex_name``): the properties compare both, asked twice in either
mode, with the uncached functions. Set ``BIBEXPORT_WORK6_EXAMPLES`` to run them at length.
"""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from bibexport.formats import bibtex
from bibexport.formats.listing import _abstract_lines
from bibexport.model import Person
from tests.test_bibtex_fast import NAME_PART

EXAMPLES = int(os.environ.get("BIBEXPORT_WORK6_EXAMPLES", "300"))

_line = st.text(alphabet="ab #é—×\u2028\r", max_size=12)
# What _PAPER_AT_ONCE's abstract group holds: lines, each ending in a line feed, or nothing.
_abstract = st.lists(_line, max_size=5).map(lambda lines: "".join(x + "\n" for x in lines))
_around = st.text(alphabet="a\n—", max_size=6)


@settings(max_examples=EXAMPLES, deadline=None)
@given(_around, _abstract, _around)
def test_abstract_lines_are_the_split(before: str, abstract: str, after: str) -> None:
    text = before + abstract + after
    start, end = len(before), len(before) + len(abstract)
    lines = text[start:end].split("\n")
    lines.pop()
    assert _abstract_lines(text, start, end) == lines


def test_abstract_lines_common_shapes() -> None:
    text = "x\nAbstract — one line.\n\n#2"
    assert _abstract_lines(text, 2, 24) == ["Abstract — one line.", ""]
    assert _abstract_lines(text, 2, 23) == ["Abstract — one line."]
    assert _abstract_lines(text, 2, 2) == []
    assert _abstract_lines("a\n\nb\n\n\n", 0, 7) == ["a", "", "b", "", ""]
    assert _abstract_lines("\n\n", 0, 2) == ["", ""]


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(NAME_PART, min_size=1, max_size=4))
def test_remembered_name_parts_are_the_parts(texts: list[str]) -> None:
    for ascii_only in (True, False, True):
        for text in texts:
            assert bibtex._part(text, ascii_only) == bibtex._odd_part.__wrapped__(text, ascii_only)


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    st.builds(
        Person,
        given=NAME_PART,
        family=NAME_PART,
        particle=st.sampled_from(["", "van der", "and"]),
        suffix=st.sampled_from(["", "Jr", "and"]),
        literal=st.sampled_from(["", "", "", "others", "OpenAI", "R&D, and Co"]),
    ),
    st.booleans(),
)
def test_authors_are_bibtex_names(person: Person, ascii_only: bool) -> None:
    bibtex.bibtex_name.cache_clear()
    for _ in range(2):
        assert bibtex._author(person, ascii_only) == bibtex.bibtex_name(person, ascii_only)
        assert bibtex._bibtex_name(person, not ascii_only) == bibtex.bibtex_name(
            person, not ascii_only
        )
