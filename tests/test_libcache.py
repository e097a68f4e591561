"""The library cache: a second read of an unchanged library comes from the cache, and any
change to the library (or a damaged cache) means reading it again, never a wrong answer."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bibexport import libcache
from bibexport.cli import main
from bibexport.dedup import Index, short_fingerprint, words
from bibexport.library import read_library
from bibexport.pipeline import _index_of

from .conftest import EXAMPLE

LIBRARIES = Path(__file__).parent / "data" / "libraries"


def _cache_files() -> list[str]:
    folder = libcache.cache_dir()
    assert folder is not None
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


@pytest.mark.parametrize("name", ["curated.bib", "messy.bib", "library.ris", "library.json"])
def test_cached_read_is_the_same_as_a_fresh_read(tmp_path: Path, name: str) -> None:
    library = tmp_path / name
    shutil.copy(LIBRARIES / name, library)
    fresh = read_library(str(library))
    assert len(_cache_files()) == 1
    cached = libcache.load(str(library), fresh.format)
    assert cached is not None
    assert cached.records == fresh.records
    assert cached.problems == fresh.problems
    assert cached.keys == fresh.keys
    assert cached.title_words == [words(r.title) for r in fresh.records]
    assert cached.shorts == [short_fingerprint(r.title) for r in fresh.records]
    assert read_library(str(library)).records == fresh.records


@pytest.mark.parametrize("name", ["curated.bib", "messy.bib", "library.ris", "library.json"])
def test_the_index_of_a_cached_library_is_the_fresh_one(tmp_path: Path, name: str) -> None:
    """The cache gives each title's words and short title: indexed from them, every table
    holds what indexing the fresh read's records gives, in the same order."""
    library = tmp_path / name
    shutil.copy(LIBRARIES / name, library)
    fresh = read_library(str(library))
    cached = read_library(str(library))
    assert cached.shorts is not None and fresh.shorts is None
    built, expected = _index_of([cached]), Index(fresh.records)
    assert len(built) == len(expected)
    for table in ("_by_id", "_by_title", "_by_thirds", "_by_short"):
        assert getattr(built, table) == getattr(expected, table), table
    assert any(expected._by_short.values())  # the libraries have short titles to index


def test_a_changed_library_is_read_again(tmp_path: Path) -> None:
    library = tmp_path / "refs.bib"
    library.write_text("@article{a, title={First Title}, author={Doe, Jane}, year=2020}\n")
    assert [r.key for r in read_library(str(library)).records] == ["a"]
    stat = library.stat()
    # Same size and mtime, other bytes: only the hash can tell.
    library.write_text("@article{b, title={First Title}, author={Doe, Jane}, year=2020}\n")
    os.utime(library, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert [r.key for r in read_library(str(library)).records] == ["b"]
    with library.open("a") as f:
        f.write("@article{c, title={Second}, author={Roe, Ann}, year=2021}\n")
    assert [r.key for r in read_library(str(library)).records] == ["b", "c"]


def test_a_damaged_cache_is_a_miss(tmp_path: Path) -> None:
    library = tmp_path / "refs.bib"
    shutil.copy(LIBRARIES / "curated.bib", library)
    fresh = read_library(str(library))
    folder = libcache.cache_dir()
    assert folder is not None
    (entry,) = _cache_files()
    path = os.path.join(folder, entry)
    data = Path(path).read_bytes()
    Path(path).write_bytes(data[: len(data) // 2])
    assert libcache.load(str(library), "bibtex") is None
    assert read_library(str(library)).records == fresh.records


def test_messages_name_the_library_as_this_run_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(LIBRARIES / "messy.bib", tmp_path / "refs.bib")
    first = read_library(str(tmp_path / "refs.bib"))
    monkeypatch.chdir(tmp_path)
    again = read_library("refs.bib")
    assert {r.origin.source for r in again.records} == {"refs.bib"}
    assert [str(p) for p in again.problems] == [
        str(p).replace(str(tmp_path / "refs.bib"), "refs.bib") for p in first.problems
    ]


def test_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIBEXPORT_CACHE", "0")
    read_library(str(LIBRARIES / "curated.bib"))
    assert libcache.cache_dir() is None
    monkeypatch.delenv("BIBEXPORT_CACHE")
    assert _cache_files() == []


def test_merge_from_the_cache_skips_the_same_papers(tmp_path: Path) -> None:
    refs = tmp_path / "refs.bib"
    runner = CliRunner()
    first = runner.invoke(main, [str(EXAMPLE), "--select", "1-10", "-o", str(refs)])
    assert first.exit_code == 0, first.output
    library = tmp_path / "lib.bib"
    shutil.copy(refs, library)
    runs = [
        runner.invoke(main, [str(EXAMPLE), "--dedup-against", str(library), "--dry-run"])
        for _ in range(2)
    ]
    assert len(_cache_files()) == 1
    assert runs[0].exit_code == runs[1].exit_code == 0
    assert runs[0].stderr == runs[1].stderr
    assert "would add 15 papers (10 already there)" in runs[1].stderr
