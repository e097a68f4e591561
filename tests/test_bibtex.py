"""BibTeX output read back by the real readers: bibtexparser 2, pybtex and the bibtex program."""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bibexport.formats import WriteOptions, get_format
from bibexport.formats.bibtex import Writer, bibtex_name
from bibexport.model import Origin, Paper, Person, Venue
from bibexport.pipeline import Target, convert
from bibexport.text import collapse_space, tex_to_text

from .conftest import EXAMPLE, require_program

ICLR = Venue(
    short="ICLR",
    year=2023,
    container_title="The Eleventh International Conference on Learning Representations",
    publisher="OpenReview.net",
)
KEYS = (
    "gal2023image yang2023divide han2023rarity chalumeau2023neuroevolution bakshi2023subquadratic "
    "paul2023unmasking trivedi2023closer wang2023unicorn jiang2023sequential lu2023unified "
    "meng2023mass wang2023programmatically ren2023depth wen2023canary pimentel2023usefulness "
    "zadaianchuk2023unsupervised sun2023smart chiang2023loss liu2023sparsity liao2023equiformer "
    "whittington2023disentanglement bruce2023learning lanthaler2023nonlinear li2023continual "
    "sariyildiz2023no"
).split()


@pytest.fixture(scope="module")
def example_bib(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bib") / "refs.bib"
    convert([str(EXAMPLE)], [Target(str(out), get_format("bibtex"))])
    return out


def write(paper: Paper, unicode: bool = False) -> str:
    writer = Writer(WriteOptions(unicode=unicode))
    return writer.begin() + writer.entry(paper) + writer.end()


def test_example_keys_in_order(example_bib: Path) -> None:
    import bibtexparser

    library = bibtexparser.parse_string(example_bib.read_text(encoding="utf-8"))
    assert library.failed_blocks == []
    assert [e.key for e in library.entries] == KEYS


def test_example_is_pure_ascii(example_bib: Path) -> None:
    assert example_bib.read_bytes().isascii()


def test_example_fields_read_back_by_bibtexparser(example_bib: Path) -> None:
    import bibtexparser

    entries = {e.key: e for e in bibtexparser.parse_string(example_bib.read_text()).entries}
    gal = entries["gal2023image"]
    assert gal.entry_type == "inproceedings"
    assert [f.key for f in gal.fields] == [
        "author",
        "title",
        "booktitle",
        "year",
        "publisher",
        "abstract",
        "keywords",
    ]
    assert gal["booktitle"] == ICLR.container_title
    assert gal["publisher"] == "OpenReview.net"
    assert gal["year"] == "2023"
    assert gal["keywords"] == "ICLR 2023, Notable-top-25\\%"
    assert entries["yang2023divide"]["author"].startswith("Yang, Jianfei and Peng, Xiangyu")
    assert "Pierrot, Thomas" in entries["chalumeau2023neuroevolution"]["author"]
    assert "Kazemi, Hamid" in entries["wen2023canary"]["author"]
    assert "Ma, Shuang" in entries["sun2023smart"]["author"]
    assert "Chiang, Ping-yeh" in entries["chiang2023loss"]["author"]
    assert "Andonian, Alex J" in entries["meng2023mass"]["author"]
    assert "Thiagarajan, Jayaraman J." in entries["trivedi2023closer"]["author"]
    assert 'Kleindessner, Matth{\\"a}us' in entries["zadaianchuk2023unsupervised"]["author"]
    assert entries["wang2023unicorn"]["title"].startswith("{UNICORN}: A Unified")
    assert entries["sun2023smart"]["title"] == (
        "{SMART}: Self-supervised Multi-task {pretrAining} with {contRol} Transformers"
    )
    assert entries["liao2023equiformer"]["title"].endswith("for {3D} Atomistic Graphs")
    assert "$3$-$5$" in gal["abstract"]
    assert "\\textit{divide-to-adapt}" in entries["yang2023divide"]["abstract"]


def test_example_read_back_by_pybtex(example_bib: Path) -> None:
    from pybtex.database import parse_file

    data = parse_file(str(example_bib), bib_format="bibtex")
    assert list(data.entries) == KEYS
    maccé = data.entries["chalumeau2023neuroevolution"].persons["author"][3]
    assert (maccé.first_names, maccé.last_names) == (["Valentin"], ["Mac{\\'e}"])
    names = [str(p) for e in data.entries.values() for p in e.persons["author"]]
    assert len(names) == 124  # every "Authors:" name of the listing


def test_example_with_the_real_bibtex(example_bib: Path, tmp_path: Path) -> None:
    bibtex = require_program("bibtex")
    (tmp_path / "refs.bib").write_bytes(example_bib.read_bytes())
    (tmp_path / "doc.aux").write_text("\\citation{*}\n\\bibstyle{plain}\n\\bibdata{refs}\n")
    run = subprocess.run([bibtex, "doc"], cwd=tmp_path, capture_output=True, text=True)
    log = (tmp_path / "doc.blg").read_text()
    assert run.returncode == 0, run.stdout + log
    assert "Warning" not in log and "error" not in log.lower(), log
    bbl = (tmp_path / "doc.bbl").read_text()
    assert bbl.count("\\bibitem{") == 25
    assert "Jianfei Yang" in bbl and "Thomas Pierrot" in bbl
    assert 'Matth{\\"a}us Kleindessner' in bbl
    assert "{UNICORN}: A unified backdoor trigger inversion framework" in bbl


@pytest.mark.parametrize(
    ("person", "bibtex"),
    [
        pytest.param(
            Person("Laurens", "Maaten", particle="van der"), "van der Maaten, Laurens", id="von"
        ),
        pytest.param(Person("Hal", "Daumé", suffix="III"), "Daum{\\'e}, III, Hal", id="suffix"),
        pytest.param(Person(literal="OpenAI"), "{OpenAI}", id="literal"),
        pytest.param(Person(literal="others"), "others", id="others"),
        pytest.param(Person("", "Prabhat"), "Prabhat", id="single"),
        pytest.param(Person("Łukasz", "Kaiser"), "Kaiser, {\\L}ukasz", id="special-char"),
        pytest.param(Person("danah", "boyd"), "{boyd}, danah", id="lower-family"),
        pytest.param(Person("Ann", "Smith And Jones"), "Smith {And} Jones, Ann", id="and-word"),
    ],
)
def test_bibtex_names(person: Person, bibtex: str) -> None:
    assert bibtex_name(person, ascii_only=True) == bibtex


def test_unicode_mode_writes_utf8() -> None:
    paper = Paper("Título", (Person("Matthäus", "Kleindessner"),), ICLR, Origin("t", 1), key="k")
    out = write(paper, unicode=True)
    assert "Kleindessner, Matthäus" in out and "Título" in out


def test_untexable_characters_warn_once_at_the_first() -> None:
    writer = Writer(WriteOptions())
    writer.entry(Paper("中文", (Person("三", "张"),), ICLR, Origin("l.txt", 7), key="k"))
    writer.entry(Paper("Phạm Thị Ảnh", (), ICLR, Origin("l.txt", 9), key="j"))
    writer.end()
    (problem,) = writer.problems
    assert str(problem).startswith("l.txt:7: no TeX form for Ả 三 中 张 文: kept as UTF-8")


def test_journal_is_an_article() -> None:
    tmlr = Venue(
        "TMLR",
        2023,
        entry_type="article",
        container_title="Transactions on Machine Learning Research",
    )
    out = write(Paper("T", (Person("A", "B"),), tmlr, Origin("t", 1), key="k"))
    assert (
        out.startswith("@article{k,\n")
        and "  journal = {Transactions on Machine Learning Research},\n" in out
    )


# -- round trips through the real readers --------------------------------------------------

TEXT = (
    st.text(
        alphabet=st.characters(categories=("L", "N", "P", "S", "Zs"), exclude_characters="\\{}$`"),
        max_size=50,
    )
    .map(collapse_space)
    .filter(lambda s: "--" not in s and "''" not in s and "?`" not in s)
)
WORD = (
    st.text(alphabet=st.characters(categories=("Lu", "Ll", "Lo")), min_size=1, max_size=10)
    .map(lambda w: unicodedata.normalize("NFC", w))  # names are NFC once normalised
    .filter(lambda w: w.lower() != "and" and w[0].isupper())
)


@st.composite
def people(draw: st.DrawFn) -> Person:
    given = " ".join(draw(st.lists(WORD, max_size=2)))
    family = draw(WORD)
    particle = draw(st.sampled_from(["", "van", "van der", "de la", "von"]))
    suffix = draw(st.sampled_from(["", "", "Jr.", "III"]))
    return Person(given=given, family=family, particle=particle, suffix=suffix)


@settings(max_examples=150, deadline=None)
@given(
    title=TEXT,
    abstract=TEXT,
    authors=st.lists(people(), min_size=1, max_size=4),
    unicode=st.booleans(),
)
def test_any_paper_survives_bibtexparser_and_pybtex(
    title: str, abstract: str, authors: list[Person], unicode: bool
) -> None:
    import bibtexparser
    from pybtex.database import parse_string

    paper = Paper(title, tuple(authors), ICLR, Origin("t", 1), abstract=abstract, key="k2023x")
    text = write(paper, unicode=unicode)

    (entry,) = bibtexparser.parse_string(text).entries
    fields = {f.key: f.value for f in entry.fields}
    assert tex_to_text(fields.get("title", "")) == title
    assert tex_to_text(fields.get("abstract", "")) == abstract

    (parsed,) = parse_string(text, "bibtex").entries.values()
    assert tex_to_text(parsed.fields.get("title", "")) == title
    for person, back in zip(authors, parsed.persons["author"], strict=True):
        assert tex_to_text(" ".join(back.first_names + back.middle_names)) == person.given
        assert tex_to_text(" ".join(back.prelast_names)) == person.particle
        assert tex_to_text(" ".join(back.last_names)) == person.family
        assert tex_to_text(" ".join(back.lineage_names)) == person.suffix
