"""The CSL-JSON item and the RIS record of a paper with a key, a title, authors and an abstract
are the venue's text around those values, joined in one call (csljson._venue_parts,
ris._venue_parts), and ByPerson looks its persons up by id alone. Here each is checked
against the code it replaced (copied below, as it was) and against the general writers
(``json.dumps(csl_item(paper))``, ris.TAGS), on papers that take every path: names with
particles, suffixes, literals, ``others``, non-ASCII and control characters; TeX, quotes and
backslashes in titles and abstracts; empty titles, abstracts and author lists; keys that YAML
would quote or that one_line would change; venues and keywords that change from paper to paper.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Generic, TypeVar

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bibexport.formats import KEY_PLACEHOLDER, ByPerson, WriteOptions, csljson, ris
from bibexport.model import Paper, Person, Venue

from .papers import ICLR, ICML, TMLR, make_paper

EXAMPLES = int(os.environ.get("BIBEXPORT_HYPOTHESIS_EXAMPLES", "1500")) // 5

T = TypeVar("T")


# --- the code the fast paths replaced, as it was ---------------------------------------------


def old_json_text(paper: Paper) -> str:
    members = [
        member if isinstance(member, str) else member(paper)
        for member in csljson._venue_json(paper.venue, paper.keywords)
    ]
    return "  {\n    " + ",\n    ".join([m for m in members if m]) + "\n  }"


def old_ris_render(paper: Paper) -> str:
    template = ris._venue_template(paper.venue, paper.keywords)
    return "".join([part if isinstance(part, str) else part(paper) for part in template])


class OldByPerson(Generic[T]):
    def __init__(self, make: Callable[[Person], T]) -> None:
        self._make = make
        self._held: dict[int, tuple[Person, T]] = {}

    def _add(self, person: Person) -> T:
        if len(self._held) >= 1 << 16:
            self._held.clear()
        made = self._make(person)
        self._held[id(person)] = (person, made)
        return made

    def each(self, persons: Iterable[Person]) -> list[T]:
        get = self._held.get
        return [
            known[1]
            if (known := get(id(person))) is not None and known[0] is person
            else self._add(person)
            for person in persons
        ]


# --- the general writers ------------------------------------------------------------------


def dumped_item(paper: Paper) -> str:
    """``json.dumps(csl_item(paper), indent=2)``, indented by 2 more (see _json_text)."""
    text = json.dumps(csljson.csl_item(paper), ensure_ascii=False, indent=2)
    return "\n".join("  " + line for line in text.split("\n"))


def tagged_record(paper: Paper) -> str:
    fields = [(tag, ris._values(tag, values, paper)) for tag, values in ris.TAGS]
    return "".join(f"{tag}  - {v}\n" for tag, values in fields for v in values) + "ER  - \n"


# --- papers ---------------------------------------------------------------------------------

NASTY = st.text(
    alphabet=st.one_of(
        st.characters(exclude_categories=("Cs",)),
        st.sampled_from("\"\\{}$%&#_~^`'- \n\t\r\x00\x1f\x7f\u00a0\u2028\u200b\u0301é漢"),
    ),
    max_size=30,
)
TEXISH = st.lists(
    st.sampled_from(
        [
            *("Deep", " ", "nets", "--", "''", "``", '"', "\\", "\n", "\n\n", "\t", "\x00"),
            *("$n$", "$\\alpha$", "\\emph{x}", "{\\'e}", "\\%", "~", "{", "}", "é", "漢", "\u2028"),
        ]
    ),
    max_size=16,
).map("".join)
TEXT = st.one_of(st.just(""), st.sampled_from(["A Title", "Plain words"]), TEXISH, NASTY)

_SHARED = [
    Person(given="Ada", family="Lovelace"),
    Person(given="Alan", family="Turing"),
    Person(literal="others"),
    Person(literal="OpenAI"),
    Person(literal='The "Q" \\ Team'),
    Person(given="Hal", family="Daumé", suffix="III"),
    Person(given="Laurens", family="Maaten", particle="van der"),
    Person(given="Zoë", family="Ng"),
    Person(given="", family="Plato"),
    Person(given="Solo", family=""),
]
WORD = st.one_of(st.sampled_from(["", "Ada", "Jean-Luc", "O'Neil", "Zoë", "{\\'E}mile"]), NASTY)
FRESH = st.builds(
    Person,
    given=WORD,
    family=WORD,
    particle=st.sampled_from(["", "", "van der", "de", "{\\'e}"]),
    suffix=st.sampled_from(["", "", "Jr.", "III", 'J"r']),
    literal=st.sampled_from(["", "", "", "others", "OpenAI", "X {\\'e}", "a\x00b", "{}", " "]),
)
PERSONS = st.lists(st.one_of(st.sampled_from(_SHARED), FRESH), max_size=7).map(tuple)

KEYS = st.one_of(
    st.sampled_from([KEY_PLACEHOLDER, "k2023x", "true", "2023", "x:y-z_1"]),
    st.sampled_from(["", "a b", "a  b", " a", "a ", "é", 'q"']),
    st.sampled_from(["x\\y", "x\x00", "tab\there", "\u2028", "x\u0301", "ü"]),
    NASTY,
)

VENUES = st.sampled_from(
    [
        ICLR,
        TMLR,
        ICML,
        Venue(short="", year=None),
        Venue(short="NIPS", year=None, container_title='A "quoted" \\ {\\em venue}'),
        Venue(short="J", year=1999, entry_type="article", container_title="J. $x$ é"),
    ]
)
KEYWORDS = st.sampled_from([(), ("ICLR 2023",), ("a", 'b "$x$"'), ("", "Oral")])


@st.composite
def papers(draw: st.DrawFn) -> Paper:
    keywords = draw(KEYWORDS)
    return make_paper(
        title=draw(TEXT),
        abstract=draw(TEXT),
        authors=draw(PERSONS),
        key=draw(KEYS),
        venue=draw(VENUES),
        # Equal keywords in another tuple, now and then: the writers' last-venue memo is by
        # identity, and must give the same text as a new tuple would.
        keywords=tuple(list(keywords)) if draw(st.booleans()) else keywords,
    )


PAPER = make_paper(
    title='A "quoted" \\ title $x$',
    abstract='one "two"\n\nthree \\ four',
    authors=tuple(_SHARED),
    key=KEY_PLACEHOLDER,
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(papers(), min_size=1, max_size=4))
@example([PAPER, replace(PAPER, venue=TMLR), replace(PAPER, abstract=""), PAPER])
@example([replace(PAPER, authors=(Person(literal="others"),)), replace(PAPER, title="")])
@example([replace(PAPER, authors=(Person(literal="{}"), Person(), Person(family="{}")))])
@example([replace(PAPER, key=""), replace(PAPER, key="a b"), replace(PAPER, key="x\x00")])
def test_csl_items_are_what_the_old_and_general_writers_write(batch: list[Paper]) -> None:
    writer = csljson.Writer(WriteOptions())
    for paper in batch:
        text = writer.render(paper)[0]
        assert text == old_json_text(paper)
        assert text == dumped_item(paper)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(papers(), min_size=1, max_size=4))
@example([PAPER, replace(PAPER, venue=TMLR), replace(PAPER, abstract=""), PAPER])
@example([replace(PAPER, authors=()), replace(PAPER, title="", key="k")])
@example([replace(PAPER, key=""), replace(PAPER, key="a b"), replace(PAPER, key="a\x1fb")])
def test_ris_records_are_what_the_old_and_general_writers_write(batch: list[Paper]) -> None:
    writer = ris.Writer(WriteOptions())
    for paper in batch:
        text = writer.render(paper)[0]
        assert text == old_ris_render(paper)
        assert text == tagged_record(paper)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(PERSONS, max_size=6))
def test_each_is_what_the_old_lookup_gave(batches: list[tuple[Person, ...]]) -> None:
    for make in (ris._author_line, csljson._name_json):
        new, old = ByPerson(make), OldByPerson(make)
        for persons in [*batches, *batches]:  # first made, then remembered
            assert new.each(persons) == old.each(persons) == list(map(make, persons))
            assert [new(person) for person in persons] == new.each(persons)


def test_each_makes_none_again() -> None:
    calls: list[Person] = []
    memo = ByPerson(lambda person: calls.append(person))
    persons = _SHARED[:3]
    assert memo.each(persons) == memo.each(persons) == [None] * 3
    assert calls == persons * 2


def test_ids_of_dropped_persons_are_not_mistaken() -> None:
    """Persons made and dropped one after another often get the same id: the table holds each
    person it remembers, so none is freed, and no new person can be taken for an old one."""
    memo = ByPerson(lambda person: person.family)
    for i in range(3000):
        assert memo.each([Person(given="A", family=f"F{i}")]) == [f"F{i}"]
        assert memo(Person(given="B", family=f"G{i}")) == f"G{i}"


def test_the_table_is_bounded() -> None:
    memo = ByPerson(lambda person: person.family)
    kept = Person(given="K", family="Kept")
    memo(kept)
    for i in range((1 << 16) + 10):
        memo(Person(family=str(i)))
    assert len(memo._held) <= 1 << 16
    assert len(memo._made) == len(memo._held)
    assert memo.each([kept, kept]) == ["Kept", "Kept"]  # made again after the table was cleared
