"""A worker's fast paths per paper give what the general paths give (issue 7, speed).

``listing._abstract`` reads the abstract of a paper read at once line by line, where
_PAPER_AT_ONCE's last group took it (a regex over each of its characters) and a split cut it:
the property compares both on generated text (lines starting or ending with a space or "#",
blank lines, none, non-ASCII, carriage returns, a last line without its line feed).

The BibTeX writer remembers each name part that is not one word of ASCII letters
(``bibtex._odd_part``) and asks for each new author's name without the cache that hashed the
person (``bibtex._bibtex_name``): the properties compare both, asked twice in either
mode, with the uncached functions.

``keys.scholar_title_word`` looks for the key's title word in a title that is not ASCII before
folding it, in the words before its first character that is not: the property compares it
with the first significant word of the folded title (accents, dashes, invisible characters,
Greek, function words, digits, punctuation). Set ``BIBEXPORT_WORK6_EXAMPLES`` to run them at length.
"""

from __future__ import annotations

import os
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bibexport import keys
from bibexport.formats import bibtex
from bibexport.formats.listing import _abstract
from bibexport.model import Person
from tests.test_bibtex_fast import NAME_PART

EXAMPLES = int(os.environ.get("BIBEXPORT_WORK6_EXAMPLES", "300"))

# The abstract as _PAPER_AT_ONCE took it, before the pattern stopped at its end.
_ABSTRACT = re.compile(r"((?:[^# \n][^\n]*(?<! )\n|\n)*)")
_text = st.text(alphabet="ab #é—×\u2028\r\n", max_size=40)
_lines = st.lists(st.text(alphabet="ab #é—\r", max_size=8), max_size=6).map(
    lambda lines: "".join(x + "\n" for x in lines)
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.text(alphabet="a\n—", max_size=6), st.one_of(_text, _lines), st.one_of(_text, _lines))
def test_abstract_is_what_the_pattern_took(before: str, abstract: str, after: str) -> None:
    text = before + abstract + after
    m = _ABSTRACT.match(text, len(before))
    assert m is not None
    lines = m[1].split("\n")
    lines.pop()  # after the last line feed
    assert _abstract(text, len(before)) == (lines, m.end())


def test_abstract_common_shapes() -> None:
    text = "x\nAbstract — one line.\n\n#2 Next"
    assert _abstract(text, 2) == (["Abstract — one line.", ""], 24)
    assert _abstract("a\n\nb\n\n\n", 0) == (["a", "", "b", "", ""], 7)
    assert _abstract("a \nb\n", 0) == ([], 0)
    assert _abstract("a\n b\n", 0) == (["a"], 2)
    assert _abstract("a\nb", 0) == (["a"], 2)
    assert _abstract("", 0) == ([], 0)


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


def _scholar_word_reference(title: str) -> str:
    words = keys.title_words(title)
    return next((w for w in words if w.lower() not in keys.SCHOLAR_SKIP), words[0] if words else "")


_title_word = st.one_of(
    st.sampled_from(["the", "A", "of", "On", "how", "Deep", "GAN", "x2", "is", "What"]),
    st.text(alphabet="abAZ09éÖßα\u00ad\u200bœ—’-:", min_size=1, max_size=6),
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(_title_word, max_size=6), st.sampled_from([" ", "  ", "-", " — ", "\u00ad", ": "]))
def test_scholar_title_word_before_folding(words: list[str], sep: str) -> None:
    title = sep.join(words)
    assert keys.scholar_title_word(title) == _scholar_word_reference(title)
