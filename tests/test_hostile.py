"""Hostile listings: nothing breaks out of its field, and compiling runs no dangerous TeX."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from bibexport.formats import get_format
from bibexport.pipeline import Target, convert
from bibexport.text import FORBIDDEN_WORDS

from .conftest import LISTINGS, require_program

HOSTILE = LISTINGS / "hostile.txt"


def hostile_bib(tmp_path: Path, unicode: bool = False) -> Path:
    from bibexport.pipeline import Options

    out = tmp_path / "refs.bib"
    convert([str(HOSTILE)], [Target(str(out), get_format("bibtex"))], Options(unicode=unicode))
    return out


def test_two_entries_and_nothing_injected(tmp_path: Path) -> None:
    import bibtexparser
    from pybtex.database import parse_file

    out = hostile_bib(tmp_path)
    library = bibtexparser.parse_string(out.read_text())
    assert library.failed_blocks == []
    assert [e.key for e in library.entries] == ["robert2023etc", "mallory2023second"]
    assert list(parse_file(str(out)).entries) == ["robert2023etc", "mallory2023second"]
    assert not any(block.__class__.__name__ == "ExplicitComment" for block in library.blocks)


def test_no_forbidden_control_word_reaches_the_file(tmp_path: Path) -> None:
    text = hostile_bib(tmp_path).read_text()
    words = {m.group(1) for m in re.finditer(r"\\(?:([A-Za-z]+)|.)", text, re.S) if m.group(1)}
    assert not words & FORBIDDEN_WORDS


def test_compiling_with_the_real_bibtex_and_latex_runs_nothing(tmp_path: Path) -> None:
    bibtex = require_program("bibtex")
    hostile_bib(tmp_path)
    (tmp_path / "doc.aux").write_text("\\citation{*}\n\\bibstyle{plain}\n\\bibdata{refs}\n")
    run = subprocess.run([bibtex, "doc"], cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout
    blg = (tmp_path / "doc.blg").read_text()
    assert "error" not in blg.lower(), blg
    bbl = (tmp_path / "doc.bbl").read_text()
    assert bbl.count("\\bibitem{") == 2
    assert "\\textbackslash{}input" in bbl
    assert not re.search(r"(?<!textbackslash\{\})\\(input|write18|immediate|openout)\b", bbl)
    assert not (tmp_path / "pwned").exists() and not (tmp_path / "pwned.tex").exists()
