"""biblatex for biber: read back by bibtexparser, accepted by biber's datamodel validation, and
the same papers, keys, titles, names and years as every other format."""

from __future__ import annotations

import json
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import bibtexparser
import pytest
import rispy
import yaml
from bibtexparser.library import Library
from bibtexparser.middlewares import (
    LatexDecodingMiddleware,
    NameParts,
    SeparateCoAuthors,
    SplitNameParts,
)

from bibexport.formats import FORMATS, WriteOptions, get_format
from bibexport.formats.bibtex import Writer
from bibexport.model import Origin, Paper, Person, Venue
from bibexport.pipeline import Target, convert

from .conftest import EXAMPLE, require_program
from .papers import ICLR, ICML, TMLR, expected_text

NAMES = (
    Person(given="Laurens", family="Maaten", particle="van der"),
    Person(given="Hal", family="Daumé", suffix="III"),
    Person(literal="OpenAI"),
    Person(given="Jean-Pierre", family="Fontaine", particle="de la"),
    Person(literal="others"),
)


def paper(**fields: Any) -> Paper:
    base = Paper(
        title="A {BERT} Study of $\\alpha$-Things with 100% Gains",
        authors=NAMES,
        venue=ICLR,
        origin=Origin("t.txt", 1),
        abstract="Abstract with 50% and a_b and x~y and \\textit{this}.",
        key="maaten2023study",
        keywords=("ICLR 2023", "Oral"),
    )
    return replace(base, **fields)


def write_biblatex(papers: list[Paper], path: Path) -> Path:
    writer = Writer(WriteOptions(), biblatex=True)
    text = writer.begin() + "".join(map(writer.entry, papers)) + writer.end()
    path.write_text(text, encoding="utf-8")
    return path


def parse_bib(path: Path) -> Library:
    library = bibtexparser.parse_file(
        str(path),
        append_middleware=[
            LatexDecodingMiddleware(keep_math_mode=False),
            SeparateCoAuthors(),
            SplitNameParts(),
        ],
    )
    assert not library.failed_blocks
    return library


def bib_name(parts: NameParts) -> tuple[str, str, str, str]:
    """(given, particle, family, suffix) of a name bibtexparser split."""
    return (" ".join(parts.first), " ".join(parts.von), " ".join(parts.last), " ".join(parts.jr))


def model_name(person: Person) -> tuple[str, str, str, str]:
    if person.literal:
        return ("", "", person.literal, "")
    return (person.given, person.particle, person.family, person.suffix)


def biber_validate(bib: Path) -> str:
    """biber's datamodel validation of ``bib``; its log, which must hold no warning or error."""
    biber = require_program("biber")
    result = subprocess.run(
        [biber, "--tool", "--validate-datamodel", "--output-file", "checked.bib", bib.name],
        cwd=bib.parent,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    log = bib.with_name(bib.name + ".blg").read_text(encoding="utf-8")
    assert result.returncode == 0, result.stdout + result.stderr
    return log


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example listing converted once into every registered format, by format name."""
    out = tmp_path_factory.mktemp("example")
    paths = {fmt.name: out / f"example-{fmt.name}.out" for fmt in FORMATS}
    convert([str(EXAMPLE)], [Target(str(p), get_format(name)) for name, p in paths.items()])
    return paths


# --- the example listing ---------------------------------------------------------------------


def test_example_reads_back(example: dict[str, Path], example_papers: list[Paper]) -> None:
    entries = parse_bib(example["biblatex"]).entries
    assert len(entries) == len(example_papers) == 25
    for entry, source in zip(entries, example_papers, strict=True):
        assert entry.key == source.key
        assert entry.entry_type == "inproceedings"
        assert entry["title"] == expected_text(source.title)
        assert [bib_name(n) for n in entry["author"]] == list(map(model_name, source.authors))
        assert entry["date"] == "2023"
        assert "year" not in entry.fields_dict
        assert entry["eventtitle"] == "ICLR 2023"
        assert entry["booktitle"] == source.venue.container_title
        assert entry["publisher"] == "OpenReview.net"


def test_example_is_utf8(example: dict[str, Path]) -> None:
    text = example["biblatex"].read_text(encoding="utf-8")
    assert "Macé, Valentin" in text  # the BibTeX file has Mac{\'e}: biber reads UTF-8 directly
    assert "Mac{\\'e}" in example["bibtex"].read_text(encoding="ascii")


def test_example_passes_biber_validation(example: dict[str, Path], tmp_path: Path) -> None:
    bib = tmp_path / "example.bib"
    bib.write_bytes(example["biblatex"].read_bytes())
    log = biber_validate(bib)
    assert "WARN" not in log and "ERROR" not in log, log
    assert "Datamodel validation complete" in log


# --- names, venues and biber -----------------------------------------------------------------


def test_names_read_back_with_particles_and_suffixes(tmp_path: Path) -> None:
    [entry] = parse_bib(write_biblatex([paper()], tmp_path / "names.bib")).entries
    assert [bib_name(n) for n in entry["author"]] == [
        ("Laurens", "van der", "Maaten", ""),
        ("Hal", "", "Daumé", "III"),
        ("", "", "OpenAI", ""),
        ("Jean-Pierre", "de la", "Fontaine", ""),
        ("", "", "others", ""),  # BibTeX's "et al."
    ]
    assert entry["title"] == "A BERT Study of α-Things with 100% Gains"


@pytest.mark.parametrize("venue", [ICLR, TMLR], ids=["conference", "journal"])
def test_biber_accepts_names_tex_and_venues(venue: Venue, tmp_path: Path) -> None:
    bib = write_biblatex([paper(venue=venue), paper(key="other", venue=venue)], tmp_path / "t.bib")
    log = biber_validate(bib)
    assert "WARN" not in log and "ERROR" not in log, log


def test_biber_accepts_a_proceedings_series_issn(tmp_path: Path) -> None:
    log = biber_validate(write_biblatex([paper(venue=ICML)], tmp_path / "t.bib"))
    assert "WARN" not in log, log


# --- the same papers in every format ---------------------------------------------------------


def ris_name(value: str) -> tuple[str, str]:
    """RIS ``Family, Given[, Suffix]`` -> (given, family with its particle)."""
    family, _, rest = value.partition(", ")
    return (rest.split(", ")[0], family)


def test_every_format_has_the_same_papers(example: dict[str, Path]) -> None:
    bib = {name: parse_bib(example[name]).entries for name in ("bibtex", "biblatex")}
    ris = rispy.load(example["ris"], encoding="utf-8")
    csl = json.loads(example["csl-json"].read_text(encoding="utf-8"))
    csl_yaml = yaml.safe_load(example["csl-yaml"].read_text(encoding="utf-8"))["references"]

    keys = [e.key for e in bib["bibtex"]]
    assert len(keys) == 25
    assert [e.key for e in bib["biblatex"]] == keys
    assert [r["unknown_tag"]["M2"] for r in ris] == [[f"Citation Key: {k}"] for k in keys]
    assert [i["id"] for i in csl] == [i["id"] for i in csl_yaml] == keys

    titles = [i["title"] for i in csl]
    assert [e["title"] for e in bib["bibtex"]] == titles
    assert [e["title"] for e in bib["biblatex"]] == titles
    assert [r["title"] for r in ris] == titles
    assert [i["title"] for i in csl_yaml] == titles

    csl_names = [
        [(a.get("given", ""), a.get("non-dropping-particle", ""), a["family"]) for a in i["author"]]
        for i in csl
    ]
    for entries in bib.values():
        assert [[bib_name(n)[:3] for n in e["author"]] for e in entries] == csl_names
    assert [[ris_name(a) for a in r["authors"]] for r in ris] == [
        [(given, f"{particle} {family}".strip()) for given, particle, family in names]
        for names in csl_names
    ]

    assert {e["year"] for e in bib["bibtex"]} == {e["date"] for e in bib["biblatex"]} == {"2023"}
    assert {r["year"] for r in ris} == {"2023"}
    assert {i["issued"]["date-parts"][0][0] for i in csl + csl_yaml} == {2023}
