"""The BibTeX writer's fast paths per paper give what the general paths give (issue 7, speed).

Each new author's name is written from its given and family name, each remembered by its text
(``bibtex._author_function``), where it was tested and written per person: the property writes
persons whose parts recur (as other persons, and as the same person met again) with a writer,
in either mode, and compares each with the reference name of tests.test_bibtex_fast (the old
``bibtex_name``, through the reference name parts).

``Writer.render`` searches each value that is not ASCII on its own for characters with no TeX
form, where it searched the four values joined: the property compares its notes with what the
whole entry holds (CJK and Vietnamese letters in names, titles, abstracts, keywords and the
venue, in either mode). Set ``BIBEXPORT_BIB8_EXAMPLES`` to run them at length.
"""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from bibexport.formats import WriteOptions
from bibexport.formats.bibtex import Writer
from bibexport.model import Origin, Paper, Person, Venue
from bibexport.text import untexable
from tests.test_bibtex_fast import NAME_PART, _name_reference

EXAMPLES = int(os.environ.get("BIBEXPORT_BIB8_EXAMPLES", "300"))

_PERSON = st.builds(
    Person,
    given=st.one_of(NAME_PART, st.sampled_from(["", "Wei", "and"])),
    family=st.one_of(NAME_PART, st.sampled_from(["", "Wang", "de la Cruz", "van", "Éa"])),
    particle=st.sampled_from(["", "", "", "van der", "and"]),
    suffix=st.sampled_from(["", "", "", "Jr", "and"]),
    literal=st.sampled_from(["", "", "", "", "others", "OpenAI", "R&D, and Co"]),
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    st.lists(_PERSON, min_size=1, max_size=6),
    st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=8),
    st.booleans(),
)
def test_authors_written_from_remembered_parts_are_bibtex_names(
    persons: list[Person], mixes: list[tuple[int, int]], unicode: bool
) -> None:
    # Other persons with the same parts: one's given name with another's family name.
    for g, f in mixes:
        a, b = persons[g % len(persons)], persons[f % len(persons)]
        persons.append(Person(given=a.given, family=b.family, particle=b.particle))
    for mode in (unicode, not unicode, unicode):
        writer = Writer(WriteOptions(unicode=mode))
        ascii_only = not mode
        for _ in range(2):  # each person again: remembered by the writer
            written = writer._names.each(persons)
            assert written == [_name_reference(p, ascii_only) for p in persons]


def test_common_authors() -> None:
    writer = Writer(WriteOptions())
    persons = [
        Person(given="Wei", family="Wang"),
        Person(given="Frédéric", family="Dupré"),
        Person(given="", family="Sukarno"),
        Person(given="and", family="And"),
        Person(given="Zhi-Qin", family="de Witt"),
        Person(given="Wei", family="van"),
    ]
    assert writer._names.each(persons) == [
        "Wang, Wei",
        "Dupr{\\'e}, Fr{\\'e}d{\\'e}ric",
        "Sukarno",
        "{And}, {and}",
        "{de Witt}, Zhi-Qin",
        "{van}, Wei",
    ]


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    st.lists(st.sampled_from(["Wei", "中文", "Nguyễn", "ơ", "Ann"]), min_size=2, max_size=8),
    st.sampled_from(["", "Titles – 中", "ứ $ư$", "Plain"]),
    st.sampled_from(["", "An abstract — ơ", "中" * 200, "x $\\alpha$ ∀"]),
    st.sampled_from([(), ("中",), ("Oral",)]),
    st.sampled_from(["", "Revue – 中"]),
)
def test_characters_without_tex_form_are_those_of_the_whole_entry(
    names: list[str], title: str, abstract: str, keywords: tuple[str, ...], container: str
) -> None:
    """The notes of render (each value that is not ASCII searched on its own) are what the
    whole entry, searched at once, holds with no TeX form."""
    pairs = zip(names[::2], names[1::2], strict=False)
    authors = tuple(Person(given=g, family=f) for g, f in pairs)
    venue = Venue("ICLR", 2023, container_title=container)
    paper = Paper(
        title=title,
        authors=authors,
        venue=venue,
        origin=Origin("x.txt", 1),
        abstract=abstract,
        key="k",
        keywords=keywords,
    )
    for unicode in (False, True):
        text, notes = Writer(WriteOptions(unicode=unicode)).render(paper)
        assert notes == (frozenset() if unicode else frozenset(untexable(text)))
