"""--dedup-against zotero.sqlite: what is skipped, what the user reads, the database untouched."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from bibexport.cli import main
from bibexport.errors import InputError
from bibexport.library import read_library
from bibexport.zotero import sqlite_uri

from .conftest import EXAMPLE
from .zotero_db import Item, build, build_bbt, example_items


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file of the folder with its bytes and modification time in nanoseconds."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


@pytest.fixture
def zotero(tmp_path: Path) -> Path:
    """A Zotero data folder (with Better BibTeX) under a name URIs find awkward."""
    folder = tmp_path / "Zotero data? #1 é"
    folder.mkdir()
    build_bbt(folder / "better-bibtex.sqlite", {"PREP4444": "chalumeau2022neuroevolution"})
    return build(folder / "zotero.sqlite", example_items())


def test_papers_in_zotero_are_skipped_and_named_by_citation_key(
    zotero: Path, tmp_path: Path
) -> None:
    before = snapshot(zotero.parent)
    out = tmp_path / "new.bib"
    code, _, stderr = run(str(EXAMPLE), "-o", str(out), "--dedup-against", str(zotero))
    assert code == 0
    assert (
        "skipped #1 'An Image is Worth One Word: Personalizing Text-to-Image Generation using "
        f"Textual Inversion': gal2023textual ({zotero}:item ABCD1234), same title and first "
        "author" in stderr
    )
    assert (
        "skipped #4 'Neuroevolution is a Competitive Alternative to Reinforcement Learning for "
        f"Skill Discovery': chalumeau2022neuroevolution ({zotero}:item PREP4444), preprint of"
        in stderr
    )
    assert (
        f"GRUP8888 ({zotero}:item GRUP8888), same title and first author" in stderr
    )  # group library
    assert f"wrote 22 papers to {out} (3 already there)" in stderr
    text = out.read_text()
    assert "Divide to Adapt" in text  # in the trash: not in the library
    assert "Unmasking the Lottery Ticket" in text  # an RSS feed's item: not the user's
    assert "Rarity Score" in text  # only an attachment had its title
    assert "An Image is Worth One Word" not in text
    # Zotero's files are as they were, to the byte and the nanosecond, and nothing was added
    # beside them (no -journal, -wal or -shm file).
    assert snapshot(zotero.parent) == before


def test_reader_records(zotero: Path) -> None:
    library = read_library(str(zotero))
    assert library.format == "zotero"
    by_item = {str(r.origin).rsplit(" ", 1)[1]: r for r in library.records}
    assert sorted(by_item) == ["ABCD1234", "GRUP8888", "JOUR5555", "PREP4444"]
    paper = by_item["ABCD1234"]
    assert paper.entry_type == "inproceedings" and paper.year == 2023
    assert paper.families[:2] == ("gal", "alaluf")
    assert paper.ids == {"openreview:NAQvF08TcyG"}
    assert not paper.preprint
    assert by_item["PREP4444"].preprint and by_item["PREP4444"].ids == {"arxiv:2210.03516"}
    article = by_item["JOUR5555"]
    assert (article.key, article.title, article.year) == ("JOUR5555", "Deep learning", 2015)
    assert article.ids == {"doi:10.1038/nature14539"}
    assert by_item["GRUP8888"].families == ("wang", "purdueuniversity")
    # The citation keys the user cites are taken; Zotero's item keys are not citation keys.
    assert library.keys == {"gal2023textual", "chalumeau2022neuroevolution"}


def test_zotero_4_tables_and_no_better_bibtex(tmp_path: Path) -> None:
    db = build(tmp_path / "zotero.sqlite", example_items(), legacy=True)
    library = read_library(str(db))
    keys = sorted(r.key for r in library.records)
    assert keys == ["GRUP8888", "JOUR5555", "PREP4444", "gal2023textual"]
    assert library.problems == []


def test_found_by_its_header_whatever_its_name(tmp_path: Path) -> None:
    db = build(tmp_path / "zotero.sqlite.bak", [Item("AAAA0001", "book", {"title": "X"})])
    assert read_library(str(db)).records[0].key == "AAAA0001"


def test_read_while_zotero_holds_its_exclusive_lock(zotero: Path, tmp_path: Path) -> None:
    zotero_app = sqlite3.connect(zotero, isolation_level=None)
    zotero_app.execute("BEGIN EXCLUSIVE")
    zotero_app.execute("UPDATE items SET version = version + 1")  # a write under way
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            sqlite3.connect(zotero, timeout=0).execute("SELECT 1 FROM items").fetchall()
        out = tmp_path / "new.bib"
        code, _, stderr = run(str(EXAMPLE), "-o", str(out), "--dedup-against", str(zotero))
        assert code == 0
        assert "(3 already there)" in stderr
    finally:
        zotero_app.execute("ROLLBACK")
        zotero_app.close()


def test_the_uri_keeps_awkward_characters_in_the_path() -> None:
    uri = sqlite_uri("/home/a b/Zotero?#%é/zotero.sqlite")
    assert uri == ("file:/home/a%20b/Zotero%3F%23%25%C3%A9/zotero.sqlite?mode=ro&immutable=1")


def test_changes_still_in_the_wal_file_are_a_warning(zotero: Path, tmp_path: Path) -> None:
    (zotero.parent / "zotero.sqlite-wal").write_bytes(b"\0" * 32)
    code, _, stderr = run(
        str(EXAMPLE), "-o", str(tmp_path / "n.bib"), "--dedup-against", str(zotero)
    )
    assert code == 0
    assert (
        f"warning: {zotero}: zotero.sqlite-wal is not empty, and changes Zotero keeps there"
        in stderr
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"@article{a, title={x}}\n", "not a Zotero database (not an SQLite file)"),
        (
            b"SQLite format 3\x00" + b"\xff" * 200,
            "cannot read the Zotero database: file is not a database",
        ),
        (None, "not a Zotero database (no itemData, itemDataValues, items table)"),
    ],
)
def test_not_a_zotero_database_is_one_line(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "zotero.sqlite"
    if content is None:
        other = sqlite3.connect(path)
        other.execute("CREATE TABLE notes (x)")
        other.commit()
        other.close()
    else:
        path.write_bytes(content)
    code, stdout, stderr = run(
        str(EXAMPLE), "-o", str(tmp_path / "n.bib"), "--dedup-against", str(path)
    )
    assert code == 1 and stdout == ""
    assert stderr == f"bibexport: {path}: {message}\n"
    assert not (tmp_path / "n.bib").exists()


def test_missing_database_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "zotero.sqlite"
    with pytest.raises(InputError, match="no such file"):
        read_library(str(path))


def test_unreadable_better_bibtex_database_is_a_warning(tmp_path: Path) -> None:
    db = build(tmp_path / "zotero.sqlite", example_items())
    (tmp_path / "better-bibtex.sqlite").write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    library = read_library(str(db))
    assert [str(p) for p in library.problems] == [
        f"{tmp_path / 'better-bibtex.sqlite'}: Better BibTeX's citation keys not read: "
        "file is not a database"
    ]
    assert "chalumeau2022neuroevolution" not in library.keys
    assert os.path.getsize(db) > 0
