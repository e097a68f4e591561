"""The fast paths of reading a listing's papers give what the general paths give (issue 7, speed).

``names.parse_names`` reads a paper's authors at once, looking at all its names together before
reading any, and reads names of two words inline: the properties below compare it with
``parse_name`` of each name on generated author lists (odd spaces, commas, brackets, CJK and
Vietnamese script, organisations, "et al.", controls, empty names). Set
``BIBEXPORT_NAMES_EXAMPLES=20000`` to run them at length.

The listing reader tells normalise which titles are their own collapse_space (a paper read at
once): generated listings (tests/test_listing_at_once.py's) check that it tells the truth.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bibexport import names
from bibexport.errors import InputError
from bibexport.formats.listing import ListingEntry, ListingReader, split_listing
from bibexport.model import Person, Venue
from bibexport.names import parse_name, parse_names
from bibexport.normalise import normalise
from bibexport.text import collapse_space
from tests.test_listing_at_once import _listing
from tests.test_names_fast import EXAMPLES, _odd_word, _word, raw_names, two_word_names


def parse_each(raw: list[str]) -> tuple[Person, ...]:
    """What normalise_authors gave before parse_names: ``parse_name`` of each, uncached."""
    return tuple(p for p in map(parse_name.__wrapped__, raw) if p is not None)


_name = st.one_of(
    st.lists(_word, min_size=2, max_size=2).map(" ".join),  # the common shape
    st.lists(_word, min_size=1, max_size=4).map(" ".join),
    two_word_names(),
    raw_names(),
    _odd_word,
    st.lists(st.one_of(_word, _odd_word), min_size=2, max_size=3).map(" ".join),
    st.sampled_from(["", " ", "et al.", "Et Al", "and others", "OTHERS", "The Lab", "Meta AI"]),
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(_name, min_size=1, max_size=6))
def test_parse_names_is_parse_name_of_each(raw: list[str]) -> None:
    names._PERSONS.clear()
    assert parse_names(raw) == parse_each(raw)
    assert parse_names(raw) == parse_each(raw)  # now each from what it has read before


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(st.lists(_name, min_size=1, max_size=4), min_size=2, max_size=4))
def test_a_name_read_with_other_names_reads_the_same(papers: list[list[str]]) -> None:
    """A name first read in one paper's company is read as it would be in another's."""
    names._PERSONS.clear()
    for raw in papers:
        assert parse_names(raw) == parse_each(raw)


@pytest.mark.parametrize(
    "raw",
    [
        ["Frédéric Dupré", "Cicero dos Santos", "Qi Ma", "Brian Cook III"],
        ["Wei Song", "山田 太郎", "Đặng Văn Lâm"],  # CJK and Vietnamese in one paper
        ["Nguyễn Văn An", "Thanh Van Le", "Xiao Di Wang"],  # at or above U+1000, no CJK
        ["Bret Alder", "Mohammed Al", "Smith et al.", "et al"],
        ["the Lab", "Jane THE", "DeepMind Team", "Meta Ai", "Wei Ai", "\u212aai Lab"],
        ["x\u0301 Smith", "A\u00a0B", "A  B", " A B", "A B ", "", "A;B", "A, B", "A (B)"],
        ["İlker Çelik", "ΣΊΣΥΦΟΣ ΌΣΟΣ", "ǅemal Ǆemal", "JIANFEI YANG", "hamid kazemi"],
        ["Prabhat", "OpenAI", "others", "O'NEIL", "AJ Piergiovanni", "o'brien smith"],
    ],
)
def test_parse_names_on_odd_papers(raw: list[str]) -> None:
    names._PERSONS.clear()
    assert parse_names(raw) == parse_each(raw)
    for name in raw:
        assert parse_names([name]) == parse_each([name])


def test_a_name_is_one_person_wherever_it_recurs() -> None:
    """The writers look persons up by identity (formats.ByPerson): one object per name."""
    first = parse_names(["Wei Song", "Cicero dos Santos", "Prabhat"])
    again = parse_names(["Prabhat", "Cicero dos Santos", "Wei Song"])
    assert [id(p) for p in first] == [id(p) for p in reversed(again)]


# --- titles read at once ---------------------------------------------------------------------


def entries_whole_and_in_parts(path: Path, size: int) -> list[ListingEntry]:
    """Each paper of the listing, as the reader of the whole file reads it and then as the
    readers of its parts (of ``size`` bytes) do."""
    said: list[ListingEntry] = []
    readers = [ListingReader(str(path))]
    found = split_listing(str(path), size)
    if found is not None:
        readers += [ListingReader.for_part(part) for part in found[1]]
    for reader in readers:
        with contextlib.suppress(InputError):  # the papers before the error are read
            said += reader.entries()
    return said


def _titles(path: Path, size: int) -> list[tuple[str, bool]]:
    """Each paper's title, and whether the reader says it is its own collapse_space."""
    return [(e.title, e.tidy_title) for e in entries_whole_and_in_parts(path, size)]


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=_listing(), size=st.sampled_from([80, 400, 1 << 18]))
def test_a_tidy_title_is_its_own_collapse_space(tmp_path: Path, data: bytes, size: int) -> None:
    """normalise takes a title the reader calls tidy as it is, where it collapsed it before."""
    path = tmp_path / "l.txt"
    path.write_bytes(data)
    for title, tidy in _titles(path, size):
        if tidy:
            assert collapse_space(title) == title


def test_usual_titles_are_tidy(tmp_path: Path) -> None:
    path = tmp_path / "l.txt"
    path.write_text(
        "ICLR.2023 - Poster\n\n#1 Caf\u00e9 $O(n^2)$ \u2014 [MASK] [PDF] [Copy] [Kimi3]\n\n"
        "Authors: A B ; C D\n\nAn abstract.\n\n#2 Cafe\u0301 [PDF] [Copy] [Kimi]\n\n"
        "Authors: E F\n\nAnother.\n",
        encoding="utf-8",
    )
    entries = list(ListingReader(str(path)).entries())
    assert [e.tidy_title for e in entries] == [True, False]
    venue = Venue("ICLR", 2023)
    for entry in entries:
        assert normalise(entry, venue, "Poster") == normalise(
            replace(entry, tidy_title=False), venue, "Poster"
        )
