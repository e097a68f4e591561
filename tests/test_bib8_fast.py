"""The BibTeX writer's fast paths per paper give what the general paths give (issue 7, speed).

Each new author's name is written from its given and family name, each remembered by its text
(``bibtex._author_function``), where it was tested and written per person: the property writes
persons whose parts recur (as other persons, and as the same person met again) with a writer,
in either mode, and compares each with the reference name of tests.test_bibtex_fast (the old
``bibtex_name``, through the reference name parts). Set ``BIBEXPORT_BIB8_EXAMPLES`` to run
them at length.
"""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from bibexport.formats import WriteOptions
from bibexport.formats.bibtex import Writer
from bibexport.model import Person
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
