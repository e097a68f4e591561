"""Reading listings: header, Total, papers, tags, authors, abstracts, and messy copies."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bibexport.errors import InputError
from bibexport.formats.listing import ListingReader, strip_tags

from .conftest import EXAMPLE


def read(tmp_path: Path, text: str | bytes, name: str = "l.txt") -> ListingReader:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", newline="")
    else:
        path.write_bytes(text)
    reader = ListingReader(str(path))
    reader.entries_list = list(reader.entries())  # type: ignore[attr-defined]
    return reader


def test_example_listing() -> None:
    reader = ListingReader(str(EXAMPLE))
    entries = list(reader.entries())
    assert reader.header is not None
    assert (reader.header.venue, reader.header.year, reader.header.track) == (
        "ICLR",
        2023,
        "Notable-top-25%",
    )
    assert reader.total == 280
    assert len(entries) == 25
    assert [e.number for e in entries] == list(range(1, 26))
    first = entries[0]
    assert first.title.startswith("An Image is Worth One Word: Personalizing")
    assert first.title.endswith("Textual Inversion")
    assert first.authors == [
        "Rinon Gal",
        "Yuval Alaluf",
        "Yuval Atzmon",
        "Or Patashnik",
        "Amit Bermano",
        "Gal Chechik",
        "Daniel Cohen-Or",
    ]
    assert first.abstract.startswith("Text-to-image models offer")
    assert first.abstract.endswith("new words will be available.")
    assert first.origin.line == 5
    assert (
        entries[2].title
        == "Rarity Score : A New Metric to Evaluate the Uncommonness of Synthesized Images"
    )
    assert reader.problems == []


@pytest.mark.parametrize(
    ("line", "title"),
    [
        pytest.param("T [PDF5] [Copy] [Kimi8]", "T", id="counters"),
        pytest.param("T [PDF] [Copy] [Kimi]", "T", id="no-counters"),
        pytest.param("T [PDF1] [Copy] [Kimi2] [REL]", "T", id="rel"),
        pytest.param("Masked [MASK] Models [PDF] [Copy]", "Masked [MASK] Models", id="inner"),
        pytest.param(
            "Learning with [MASK] [PDF] [Copy]", "Learning with [MASK]", id="trailing-real"
        ),
        pytest.param("A title", "A title", id="no-tags"),
    ],
)
def test_strip_tags(line: str, title: str) -> None:
    assert strip_tags(line) == title


HEADER = "ICLR.2023 - Poster\n\nTotal: 5,357\n\n"


def test_total_with_thousands_separator(tmp_path: Path) -> None:
    reader = read(tmp_path, HEADER + "#1 T [PDF]\n\nAuthors: A B\n\nAbstract.\n")
    assert reader.total == 5357


def test_header_without_track(tmp_path: Path) -> None:
    reader = read(tmp_path, "NeurIPS.2022\n#1 T [PDF]\nAuthors: A B\nText\n")
    assert reader.header is not None
    assert (reader.header.venue, reader.header.year, reader.header.track) == ("NeurIPS", 2022, "")


def test_messy_copy_crlf_bom_tabs_nbsp_no_blank_lines(tmp_path: Path) -> None:
    text = (
        "\ufeffICLR.2023 - Poster  \r\n"
        "#1\tA\u00a0Title   [PDF2] [Copy]\r\n"
        "Authors:\tAda  Lovelace ;\u00a0Alan Turing \r\n"
        "First line of the abstract\r\n"
        "continues here.\r\n"
        "\r\n"
        "Second paragraph with # and $x$ and https://x.org/a_b.\r\n"
        "#2 Next [PDF]\r\n"
        "Authors: Grace Hopper\r\n"
    )
    reader = read(tmp_path, text.encode("utf-8"))
    first, second = reader.entries_list  # type: ignore[attr-defined]
    assert first.title == "A Title"
    assert first.authors == ["Ada Lovelace", "Alan Turing"]
    assert first.abstract == (
        "First line of the abstract continues here.\n\n"
        "Second paragraph with # and $x$ and https://x.org/a_b."
    )
    assert second.title == "Next"
    assert second.abstract == ""


def test_hash_line_inside_abstract_is_text(tmp_path: Path) -> None:
    text = HEADER + "#1 T [PDF]\n\nAuthors: A B\n\nWe rank\n#2 in the benchmark.\n\nMore.\n"
    reader = read(tmp_path, text)
    (entry,) = reader.entries_list  # type: ignore[attr-defined]
    assert entry.abstract == "We rank #2 in the benchmark.\n\nMore."


def test_hash_line_followed_by_authors_is_a_paper(tmp_path: Path) -> None:
    text = HEADER + "#1 T\n\nAuthors: A B\n\nAbs.\n\n#2 U\n\nAuthors: C D\n\nAbs 2.\n"
    reader = read(tmp_path, text)
    assert [e.title for e in reader.entries_list] == ["T", "U"]  # type: ignore[attr-defined]


def test_commas_separate_authors_only_without_semicolons(tmp_path: Path) -> None:
    text = (
        HEADER
        + "#1 T [PDF]\nAuthors: Ada Lovelace, Alan Turing\nx\n#2 U [PDF]\nAuthors: A B ; C D\n"
    )
    reader = read(tmp_path, text)
    first, second = reader.entries_list  # type: ignore[attr-defined]
    assert first.authors == ["Ada Lovelace", "Alan Turing"]
    assert second.authors == ["A B", "C D"]


def test_missing_authors_is_a_warning_with_the_line(tmp_path: Path) -> None:
    reader = read(tmp_path, HEADER + "#1 T [PDF]\n\nJust an abstract.\n")
    (entry,) = reader.entries_list  # type: ignore[attr-defined]
    assert entry.authors is None
    assert entry.abstract == "Just an abstract."
    assert [str(p) for p in reader.problems] == [
        f"{tmp_path / 'l.txt'}:5: paper #1 has no 'Authors:' line; it is kept without authors"
    ]


def test_numbering_out_of_order_warns(tmp_path: Path) -> None:
    text = HEADER + "#2 T [PDF]\nAuthors: A B\n#1 U [PDF]\nAuthors: C D\n"
    reader = read(tmp_path, text)
    assert any("#1 follows #2" in str(p) for p in reader.problems)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"", "l.txt:1: the file is empty", id="empty"),
        pytest.param(b"\n\n  \n", "l.txt:1: the file holds only blank lines", id="blank"),
        pytest.param(
            b"ICLR.2023 - Poster\n\nTotal: 3\n", "l.txt:1: a header but no papers", id="no-papers"
        ),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00", "l.txt:1: not a text file", id="binary"),
        pytest.param(
            "ICLR.2023\n#1 Caf\u00e9 [PDF]\n".encode("latin-1"),
            "l.txt:2: invalid UTF-8 at byte 16 (0xe9)",
            id="latin-1",
        ),
        pytest.param(
            b"Hello there, this is not a listing\n", "l.txt:1: expected a header", id="header"
        ),
    ],
)
def test_bad_input_names_file_and_line(tmp_path: Path, content: bytes, message: str) -> None:
    with pytest.raises(InputError) as info:
        read(tmp_path, content)
    assert str(info.value).startswith(f"{tmp_path}/{message}")


def test_utf16_with_bom_is_decoded(tmp_path: Path) -> None:
    text = "ICLR.2023 - Poster\n#1 Café [PDF]\nAuthors: Matthäus K\n"
    reader = read(tmp_path, text.encode("utf-16"))
    (entry,) = reader.entries_list  # type: ignore[attr-defined]
    assert entry.title == "Café"
    assert entry.authors == ["Matthäus K"]


def test_other_encoding_on_request(tmp_path: Path) -> None:
    path = tmp_path / "l.txt"
    path.write_bytes("ICLR.2023\n#1 Café [PDF]\nAuthors: A B\n".encode("latin-1"))
    (entry,) = ListingReader(str(path), encoding="latin-1").entries()
    assert entry.title == "Café"


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        list(ListingReader(str(tmp_path / "nope.txt")).entries())
    with pytest.raises(InputError, match="is a directory"):
        list(ListingReader(str(tmp_path)).entries())


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=40),
            st.sampled_from(
                ["ICLR.2023 - Poster", "Total: 1,234", "#1 T [PDF]", "#2 U", "Authors: A B ; C", ""]
            ),
        ),
        max_size=12,
    )
)
def test_any_text_gives_papers_or_an_input_error(tmp_path: Path, lines: list[str]) -> None:
    path = tmp_path / "fuzz.txt"
    path.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass"))
    try:
        entries = list(ListingReader(str(path)).entries())
    except InputError as exc:
        assert exc.source == str(path) and "\n" not in str(exc)
    else:
        assert entries and all(e.number >= 0 for e in entries)


def test_empty_title_is_a_warning_with_the_line(tmp_path: Path) -> None:
    reader = read(tmp_path, "ICLR.2023\n#1 [PDF] [Copy]\nAuthors: Ann Li\nText.\n")
    (entry,) = reader.entries_list  # type: ignore[attr-defined]
    assert entry.title == ""
    assert [str(p) for p in reader.problems] == [
        f"{tmp_path / 'l.txt'}:2: paper #1 has no title; it is kept with an empty title"
    ]
