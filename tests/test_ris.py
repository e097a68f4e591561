"""RIS: every record, author and keyword reads back; no value can start a tag or a record."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import rispy
from hypothesis import given, settings
from hypothesis import strategies as st

from bibexport.formats import WriteOptions, get_format
from bibexport.formats.ris import Writer
from bibexport.model import Paper, Person
from bibexport.pipeline import Target, convert

from .conftest import EXAMPLE
from .papers import ICML, TMLR, expected_text, make_paper

# A tag line as Zotero's RIS translator recognises one (RIS.js, risFormat).
TAG_LINE = re.compile(r"^([A-Z][A-Z0-9]) {1,2}-(?: (.*))?$")


def paper(**fields: Any) -> Paper:
    return make_paper(**{"abstract": "An abstract.", **fields})


def write(papers: list[Paper]) -> str:
    writer = Writer(WriteOptions())
    return writer.begin() + "".join(map(writer.entry, papers)) + writer.end()


def expected_author(person: Person) -> str:
    """The RIS name form: ``Family, Given[, Suffix]`` with the particle in the family."""
    if person.literal:
        return person.literal
    return ", ".join(p for p in (person.full_family, person.given, person.suffix) if p)


def citation_keys(record: dict[str, Any]) -> list[str]:
    extra: list[str] = record["unknown_tag"]["M2"]
    return [line.removeprefix("Citation Key: ") for line in extra]


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("example") / "example.ris"
    convert([str(EXAMPLE)], [Target(str(path), get_format("ris"))])
    return path


# --- the example listing ---------------------------------------------------------------------


def test_example_reads_back_record_by_record(example: Path, example_papers: list[Paper]) -> None:
    records = rispy.load(example, encoding="utf-8")
    assert len(records) == len(example_papers) == 25
    for record, source in zip(records, example_papers, strict=True):
        assert record["type_of_reference"] == "CONF"
        assert record["title"] == expected_text(source.title)
        assert record["authors"] == [expected_author(a) for a in source.authors]
        assert record["year"] == "2023"
        assert record["date"] == "2023///"
        assert record["secondary_title"] == "ICLR 2023"  # T2: Zotero's conference name
        assert record["custom3"] == source.venue.container_title  # C3: proceedings title
        assert record["unknown_tag"]["BT"] == [source.venue.container_title]
        assert record["publisher"] == "OpenReview.net"
        assert record["keywords"] == ["ICLR 2023", "Notable-top-25%"]
        assert record["abstract"] == expected_text(source.abstract)
        assert citation_keys(record) == [source.key]


def test_example_file_is_utf8_with_crlf(example: Path) -> None:
    data = example.read_bytes()
    assert data.startswith(b"TY  - CONF\r\n")  # no BOM: Zotero reads valid UTF-8 as UTF-8
    assert data.count(b"\n") == data.count(b"\r\n")
    assert data.endswith(b"ER  - \r\n")
    text = data.decode("utf-8")
    assert "Macé" in text
    assert "\r\n\r\nTY  - CONF\r\n" in text  # records separated by a blank line
    for line in text.split("\r\n"):
        assert line == "" or TAG_LINE.match(line), line


# --- mapping ---------------------------------------------------------------------------------


def test_names_keep_particles_and_suffixes() -> None:
    authors = (
        Person(given="Laurens", family="Maaten", particle="van der"),
        Person(given="Hal", family="Daum\\'e", suffix="III"),
        Person(literal="OpenAI"),
        Person(family="Plato"),
        Person(literal="others"),  # "et al.": not an author
    )
    [record] = rispy.loads(write([paper(authors=authors)]))
    assert record["authors"] == [
        "van der Maaten, Laurens",
        "Daumé, Hal, III",
        "OpenAI",
        "Plato",
    ]


def test_journal_article() -> None:
    [record] = rispy.loads(write([paper(venue=TMLR, keywords=("TMLR 2023",))]))
    assert record["type_of_reference"] == "JOUR"
    assert record["secondary_title"] == "Transactions on Machine Learning Research"
    assert record["issn"] == "2835-8856"
    assert "custom3" not in record
    assert "BT" not in record["unknown_tag"]


def test_proceedings_series_volume_and_no_issn() -> None:
    text = write([paper(venue=ICML)])
    tags = [line[:2] for line in text.splitlines()]
    assert " ".join(tags) == "TY TI AU T2 T3 AB C3 BT DA PY VL PB KW M2 ER"
    [record] = rispy.loads(text)
    assert record["tertiary_title"] == "Proceedings of Machine Learning Research"
    assert record["volume"] == "202"
    assert "issn" not in record  # Zotero would file a CONF record's SN as an ISBN


def test_hostile_values_stay_in_their_field() -> None:
    hostile = paper(
        title="Title\r\nER  - \r\nTY  - JOUR",
        abstract="Intro.\n\nER  - \nTY  - BOOK\nTI  - Injected\x00\x1b\x7f\x85\u2028end",
        authors=(Person(given="A\nER  - ", family="B"),),
        keywords=("x\nKW  - y",),
    )
    text = write([hostile, paper(key="second")])
    records = rispy.loads(text)
    assert len(records) == 2
    assert [r["type_of_reference"] for r in records] == ["CONF", "CONF"]
    first = records[0]
    assert first["title"] == "Title ER - TY - JOUR"
    assert first["abstract"] == "Intro. ER - TY - BOOK TI - Injected end"
    assert first["authors"] == ["B, A ER -"]
    assert first["keywords"] == ["x KW - y"]
    assert citation_keys(records[1]) == ["second"]
    lines = text.split("\n")
    assert sum(line.startswith("ER  - ") for line in lines) == 2
    assert sum(line.startswith("TY  - ") for line in lines) == 2
    for line in lines:
        assert line == "" or TAG_LINE.match(line), line
    assert not {c for c in text if unicodedata.category(c) == "Cc"} - {"\n"}


# --- arbitrary text survives a real reader ---------------------------------------------------

CHARS = st.text(
    alphabet=st.one_of(
        st.characters(exclude_categories=("Cs",)),  # any Unicode: accents, CJK, controls
        st.sampled_from("{}\\$%&#_~^ \n\r\tréüøß漢字"),
    ),
    max_size=10,
)
# Text with RIS tag lines mixed in, as an attacker would write them.
TEXT = st.lists(
    st.one_of(CHARS, st.sampled_from(["\nER  - ", "\r\nTY  - JOUR", "\nTI  - x", "  - "])),
    max_size=5,
).map("".join)


@settings(max_examples=100, deadline=None)
@given(title=TEXT, abstract=TEXT, family=TEXT, given_name=TEXT, keyword=TEXT)
def test_any_text_reads_back_as_written(
    title: str, abstract: str, family: str, given_name: str, keyword: str
) -> None:
    person = Person(given=given_name, family=family)
    papers = [
        paper(title=title, abstract=abstract, authors=(person,), keywords=(keyword,), key=k)
        for k in ("a", "b")
    ]
    text = write(papers)
    records = rispy.loads(text)
    assert len(records) == 2
    for record, key in zip(records, ("a", "b"), strict=True):
        assert record["type_of_reference"] == "CONF"
        assert record.get("title", "") == expected_text(title)
        assert record.get("abstract", "") == expected_text(abstract)
        name = ", ".join(p for p in (expected_text(family), expected_text(given_name)) if p)
        assert record.get("authors", []) == ([name] if name else [])
        assert record.get("keywords", []) == [k for k in [expected_text(keyword)] if k]
        assert citation_keys(record) == [key]
    for line in text.split("\n"):
        assert line == "" or TAG_LINE.match(line), line
