"""``new_person``, ``new_origin`` and ``new_paper`` make what the dataclasses' own ``__init__``
makes (issue 7, speed): equal, with the same hash, repr and pickle, on any text. Set
``BIBEXPORT_MODEL_EXAMPLES=20000`` to run them at length."""

from __future__ import annotations

import copy
import os
import pickle

from hypothesis import given, settings
from hypothesis import strategies as st

from bibexport.model import Origin, Paper, Person, Venue, new_origin, new_paper, new_person

EXAMPLES = int(os.environ.get("BIBEXPORT_MODEL_EXAMPLES", "300"))

# Any text: TeX, braces, accents, CJK, control characters, surrogates' neighbours.
TEXT = st.text(
    st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(list("{}\\$%&~^_ \t\n\u00a0\u200b\u0301")),
    ),
    max_size=20,
)


def _same(fast: object, slow: object) -> None:
    assert fast == slow
    assert type(fast) is type(slow)
    assert hash(fast) == hash(slow)
    assert repr(fast) == repr(slow)
    assert pickle.loads(pickle.dumps(fast, -1)) == slow
    assert pickle.dumps(fast, -1) == pickle.dumps(slow, -1)
    assert copy.copy(fast) == slow


@settings(max_examples=EXAMPLES, deadline=None)
@given(TEXT, TEXT)
def test_new_person_is_person(given_name: str, family: str) -> None:
    fast, slow = new_person(given_name, family), Person(given_name, family)
    _same(fast, slow)
    assert fast.full_family == slow.full_family
    assert fast.display() == slow.display()


@settings(max_examples=EXAMPLES, deadline=None)
@given(TEXT, st.integers(min_value=-(2**40), max_value=2**40))
def test_new_origin_is_origin(source: str, line: int) -> None:
    fast, slow = new_origin(source, line), Origin(source, line)
    _same(fast, slow)
    assert str(fast) == str(slow)


@settings(max_examples=EXAMPLES // 3, deadline=None)
@given(TEXT, TEXT, TEXT, st.one_of(st.none(), st.integers()), st.lists(TEXT, max_size=3))
def test_new_paper_is_paper(
    title: str, name: str, abstract: str, number: int | None, keywords: list[str]
) -> None:
    venue = Venue("ICLR", 2023)
    origin = Origin("x.txt", 3)
    authors = (new_person(name, title), Person(literal=name))
    args = (title, authors, venue, origin, abstract, number, name, title, tuple(keywords))
    _same(new_paper(*args), Paper(*args))


def test_fast_constructors_match_the_fields() -> None:
    """The fast ways are only taken while the records have exactly the fields they set."""
    from bibexport import model

    assert model.PERSON_AS_WRITTEN
    assert model.ORIGIN_AS_WRITTEN
    assert model.PAPER_AS_WRITTEN
