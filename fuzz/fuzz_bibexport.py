#!/usr/bin/env python3
"""Long-running fuzzing of the listing reader and every writer, with hypothesis.

    python fuzz/fuzz_bibexport.py --minutes 60

Two properties, run in turns until the time is up:
1. any bytes given to the listing reader give papers or an InputError, never another exception;
2. any paper (random titles, abstracts, names, with TeX specials, accents, CJK, controls)
   written in every format and read back by the real readers (bibtexparser 2 and pybtex for
   BibTeX, rispy for RIS, json + the CSL schema for CSL-JSON, PyYAML for CSL-YAML) comes back
   as written: one entry, the same key, title, abstract and authors.
It prints how many inputs each property ran, and stops at the first failure with the input.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bibexport.errors import InputError
from bibexport.formats import FORMATS, WriteOptions
from bibexport.formats.listing import ListingReader
from bibexport.model import Origin, Paper, Person, Venue
from bibexport.text import one_line, plain_paragraphs, plain_text, tex_to_text

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "tests/data/csl-data.json").read_text())
VENUE = Venue("ICLR", 2023, container_title="The Eleventh International Conference")
LINES = st.sampled_from(
    ["ICLR.2023 - Poster", "Total: 1,234", "#1 T [PDF]", "#2 U [Copy]", "Authors: A B ; C D", ""]
)
TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=80
)
WORD = st.text(st.characters(categories=("Lu", "Ll", "Lo")), min_size=1, max_size=8).map(
    lambda w: unicodedata.normalize("NFC", w)
)
counts = {"listing": 0, "formats": 0}


@st.composite
def people(draw: st.DrawFn) -> Person:
    return Person(
        given=" ".join(draw(st.lists(WORD, max_size=2))),
        family=draw(WORD.filter(lambda w: w.lower() != "and" and w[0].isupper())),
        particle=draw(st.sampled_from(["", "van", "de la", "von der"])),
        suffix=draw(st.sampled_from(["", "Jr.", "III"])),
    )


@settings(max_examples=2000, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.one_of(TEXT, LINES), max_size=15), st.binary(max_size=40))
def listing_property(lines: list[str], noise: bytes) -> None:
    counts["listing"] += 1
    with tempfile.NamedTemporaryFile(suffix=".txt") as f:
        f.write("\n".join(lines).encode("utf-8") + noise)
        f.flush()
        try:
            entries = list(ListingReader(f.name).entries())
        except InputError as exc:
            assert "\n" not in str(exc)
        else:
            assert entries


@settings(max_examples=500, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(TEXT, TEXT, st.lists(people(), min_size=1, max_size=3))
def formats_property(title: str, abstract: str, authors: list[Person]) -> None:
    counts["formats"] += 1
    paper = Paper(title, tuple(authors), VENUE, Origin("f", 1), abstract=abstract, key="k2023a")
    for fmt in FORMATS:
        writer = fmt.writer(WriteOptions())
        text = writer.begin() + writer.entry(paper) + writer.end()
        READ_BACK[fmt.name](text, paper)


def _bibtex(text: str, paper: Paper) -> None:
    import bibtexparser
    from pybtex.database import parse_string

    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks and [e.key for e in library.entries] == [paper.key]
    (entry,) = parse_string(text, "bibtex").entries.values()
    assert len(entry.persons["author"]) == len(paper.authors)
    fields = {f.key: f.value for f in library.entries[0].fields}
    # The title reads back as the listing meant it, decoded once or twice: reading TeX quotes
    # (`...') can take a second pass when a command sits between them (`{\\textexclamdown}'),
    # while a second pass would drop escaped braces ("\\{}" is written
    # \\textbraceleft{}\\textbraceright{}, which reads back as "{}").
    decoded = tex_to_text(fields.get("title", ""))
    assert plain_text(paper.title) in (one_line(decoded), plain_text(decoded))


def _ris(text: str, paper: Paper) -> None:
    import rispy

    (record,) = rispy.loads(text)
    assert record.get("title", "") == plain_text(paper.title)
    assert len(record["authors"]) == len(paper.authors)
    assert record.get("abstract", "") == " ".join(plain_paragraphs(paper.abstract).split())


def _csl(item: dict[str, object], paper: Paper) -> None:
    import jsonschema

    jsonschema.validate([item], SCHEMA)
    assert item["id"] == paper.key and item.get("title", "") == plain_text(paper.title)
    assert item.get("abstract", "") == plain_paragraphs(paper.abstract)


def _csl_json(text: str, paper: Paper) -> None:
    (item,) = json.loads(text)
    _csl(item, paper)


def _csl_yaml(text: str, paper: Paper) -> None:
    import yaml

    (item,) = yaml.safe_load(text)["references"]
    _csl(item, paper)


READ_BACK = {
    "bibtex": _bibtex,
    "biblatex": _bibtex,
    "ris": _ris,
    "csl-json": _csl_json,
    "csl-yaml": _csl_yaml,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=1.0)
    args = parser.parse_args()
    stop = time.monotonic() + 60 * args.minutes
    rounds = 0
    while time.monotonic() < stop:
        listing_property()
        formats_property()
        rounds += 1
        print(
            f"round {rounds}: {counts['listing']:,} listings, {counts['formats']:,} papers "
            "in every format, no failure",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
