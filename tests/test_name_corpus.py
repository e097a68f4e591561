"""Every name in the corpus of real names, parsed and round-tripped through BibTeX readers.

``tests/data/names/corpus.tsv`` holds real author names with the split a bibliographic record
gives them. The exact-match rate per category is printed (``pytest -s``); particle, suffix and
case-repair rows must all be right, and the whole corpus at least 99.7%.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from bibexport.formats.bibtex import bibtex_name
from bibexport.model import Person
from bibexport.names import parse_name
from bibexport.text import tex_to_text

CORPUS = Path(__file__).parent / "data" / "names" / "corpus.tsv"
# Categories where one wrong row is a bug, not a hard case.
STRICT = frozenset({"particle", "suffix", "case-upper", "case-lower", "mc", "apostrophe"})
OVERALL_MINIMUM = 0.997


@dataclass(frozen=True)
class Row:
    raw: str
    expected: Person
    category: str
    source: str


def load() -> list[Row]:
    lines = (line for line in CORPUS.read_text(encoding="utf-8").splitlines() if line)
    reader = csv.DictReader(
        (line for line in lines if not line.startswith("#")),
        delimiter="\t",
        quoting=csv.QUOTE_NONE,
        escapechar="\\",
    )
    return [
        Row(
            raw=r["raw"],
            expected=Person(r["given"], r["family"], r["particle"], r["suffix"], r["literal"]),
            category=r["category"],
            source=r["source"],
        )
        for r in reader
    ]


ROWS = load()


def _parts(person: Person | None) -> tuple[str, ...]:
    if person is None:
        return ("<none>",)
    return (person.given, person.family, person.particle, person.suffix, person.literal)


def test_corpus_is_well_formed() -> None:
    assert len(ROWS) >= 300
    assert all(row.source and row.category for row in ROWS)
    assert len({row.raw for row in ROWS}) == len(ROWS), "duplicate raw names"


def test_exact_match_rate() -> None:
    total: Counter[str] = Counter()
    right: Counter[str] = Counter()
    wrong: list[str] = []
    for row in ROWS:
        got = parse_name(row.raw)
        total[row.category] += 1
        if _parts(got) == _parts(row.expected):
            right[row.category] += 1
        else:
            wrong.append(
                f"  {row.category:22} {row.raw!r}: got {_parts(got)}, want {_parts(row.expected)}"
            )
    print(f"\n{'category':22} {'right':>6} {'rows':>6} {'rate':>8}")
    for category in sorted(total):
        rate = right[category] / total[category]
        print(f"{category:22} {right[category]:6} {total[category]:6} {rate:8.1%}")
    overall = sum(right.values()) / sum(total.values())
    print(f"{'overall':22} {sum(right.values()):6} {sum(total.values()):6} {overall:8.2%}")
    if wrong:
        print("wrong:\n" + "\n".join(wrong))
    strict_wrong = [w for w in wrong if w.split()[0] in STRICT]
    assert not strict_wrong, "particle, suffix and case rows must all be right:\n" + "\n".join(
        strict_wrong
    )
    assert overall >= OVERALL_MINIMUM, f"overall {overall:.2%} < {OVERALL_MINIMUM:.1%}"


# --- round trips through BibTeX readers ------------------------------------------------------


def _people() -> Iterator[object]:
    for row in ROWS:
        for ascii_only in (True, False):
            mode = "ascii" if ascii_only else "unicode"
            yield pytest.param(row.expected, ascii_only, id=f"{row.category}-{mode}-{row.raw}")


def _text(parts: list[str]) -> str:
    """A name part as a reader returns it -> plain text: TeX decoded, protecting braces gone."""
    return tex_to_text(" ".join(parts)).strip()


def _read_back(given: str, particle: str, family: str, suffix: str) -> tuple[str, ...]:
    return (given, family, particle, suffix)


def _expected(person: Person) -> tuple[str, ...]:
    if person.literal:
        return ("", person.literal, "", "")
    return (person.given, person.family, person.particle, person.suffix)


@pytest.mark.parametrize(("person", "ascii_only"), list(_people()))
def test_bibtex_name_reads_back_in_pybtex(person: Person, ascii_only: bool) -> None:
    from pybtex.database import Person as PybtexPerson

    written = bibtex_name(person, ascii_only)
    read = PybtexPerson(written)
    got = _read_back(
        _text(read.first_names + read.middle_names),
        _text(read.prelast_names),
        _text(read.last_names),
        _text(read.lineage_names),
    )
    assert got == _expected(person), written


@pytest.mark.parametrize(("person", "ascii_only"), list(_people()))
def test_bibtex_name_reads_back_in_bibtexparser(person: Person, ascii_only: bool) -> None:
    import bibtexparser
    from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts

    written = bibtex_name(person, ascii_only)
    library = bibtexparser.parse_string(
        f"@misc{{key,\n  author = {{{written}}}\n}}\n",
        append_middleware=[SeparateCoAuthors(), SplitNameParts()],
    )
    assert not library.failed_blocks, written
    (name,) = library.entries[0]["author"]
    got = _read_back(_text(name.first), _text(name.von), _text(name.last), _text(name.jr))
    assert got == _expected(person), written


def _corpus_people() -> Iterator[object]:
    for row in ROWS:
        yield pytest.param(row.expected, id=f"{row.category}-{row.raw}")


@pytest.mark.parametrize("person", list(_corpus_people()))
def test_ris_name_reads_back_in_rispy(person: Person) -> None:
    """RIS has one family field, so the particle travels inside it, as Zotero keeps it."""
    import rispy

    from bibexport.formats.ris import ris_name

    record = f"TY  - CONF\r\nAU  - {ris_name(person)}\r\nER  - \r\n"
    (author,) = rispy.loads(record)[0]["authors"]
    if person.literal:
        assert author == person.literal
        return
    parts = [p.strip() for p in author.split(",")]
    family, given, suffix = [*parts, "", ""][:3]
    if not person.full_family:  # a given name alone is written as the only field
        family, given = "", family
    assert (given, family, suffix) == (person.given, person.full_family, person.suffix)


@cache
def _csl_validator() -> Any:
    import json

    import jsonschema

    schema = json.loads((Path(__file__).parent / "data" / "csl-data.json").read_text())
    return jsonschema.Draft7Validator(schema)


@pytest.mark.parametrize("person", list(_corpus_people()))
def test_csl_name_is_valid_and_reads_back(person: Person) -> None:
    import json

    from bibexport.formats.csljson import csl_name

    name = csl_name(person)
    assert name is not None
    _csl_validator().validate([{"id": "x", "type": "paper-conference", "author": [name]}])
    back = json.loads(json.dumps(name, ensure_ascii=False))
    if person.literal:
        assert back == {"literal": person.literal}
        return
    assert (
        back.get("given", ""),
        back.get("family", ""),
        back.get("non-dropping-particle", ""),
        back.get("suffix", ""),
    ) == (person.given, person.family, person.particle, person.suffix)
