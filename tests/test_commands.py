"""bibexport as a group: convert by default, and the venues, formats and config commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import EXAMPLE, GOLDEN
from .test_cli import run

GOLDEN_BIB = (GOLDEN / f"{EXAMPLE.stem}.bibtex").read_text()


def test_convert_is_the_default_and_can_be_named(tmp_path: Path) -> None:
    code, implicit, _ = run(str(EXAMPLE), "-q")
    assert code == 0 and implicit == GOLDEN_BIB
    code, explicit, _ = run("convert", str(EXAMPLE), "-q")
    assert code == 0 and explicit == GOLDEN_BIB
    code, options_first, _ = run("-q", "--unicode", str(EXAMPLE))
    assert code == 0 and "Kleindessner, Matthäus" in options_first


def test_a_listing_named_like_a_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("venues").write_text(EXAMPLE.read_text())
    code, stdout, _ = run("./venues", "-q")
    assert code == 0 and stdout == GOLDEN_BIB
    code, stdout, _ = run("convert", "venues", "-q")
    assert code == 0 and stdout == GOLDEN_BIB
    code, stdout, _ = run("venues")
    assert code == 0 and stdout.startswith("VENUE ")


def test_help_shows_convert_usage_options_commands_and_examples() -> None:
    for flag in ("--help", "-h"):
        code, stdout, _ = run(flag)
        assert code == 0
        assert stdout.startswith(
            "Usage: bibexport [OPTIONS] LISTING...\n       bibexport COMMAND [ARGS]...\n"
        )
        for text in ("--select NUMBERS", "--config FILE", "--version", "Commands:", "Examples:"):
            assert text in stdout
        for command in ("convert", "venues", "formats", "config"):
            assert f"\n  {command} " in stdout


def test_no_arguments_shows_the_help() -> None:
    code, _, stderr = run()
    assert code == 2 and "Usage: bibexport [OPTIONS] LISTING..." in stderr


def test_version_still_works() -> None:
    for args in (["--version"], ["convert", "--version"]):
        code, stdout, _ = run(*args)
        assert code == 0 and stdout.startswith("bibexport, version ")


def test_subcommand_help() -> None:
    code, stdout, _ = run("venues", "-h")
    assert code == 0 and stdout.startswith("Usage: bibexport venues [OPTIONS]")
    code, stdout, _ = run("convert", "--help")
    assert code == 0 and "Usage: bibexport convert [OPTIONS] LISTING..." in stdout


def test_venues_plain_text() -> None:
    code, stdout, stderr = run("venues", "--no-config")
    assert code == 0 and stderr == ""
    lines = stdout.splitlines()
    assert lines[0].split() == ["VENUE", "ALIASES", "SINCE", "TYPE", "PUBLISHER", "TITLE"]
    neurips = next(line for line in lines if line.startswith("NeurIPS "))
    assert neurips.split("  ")[0] == "NeurIPS"
    assert "NIPS" in neurips and "Curran Associates, Inc." in neurips
    # every column starts at the same place on every line
    title_at = lines[0].index("TITLE")
    assert all(len(line) <= title_at or line[title_at - 2 : title_at] == "  " for line in lines)
    assert any("(N = year - 2012)" in line for line in lines)


def test_venues_json() -> None:
    code, stdout, _ = run("venues", "--json", "--no-config")
    assert code == 0
    rows = json.loads(stdout)
    tmlr = next(r for r in rows if r["short"] == "TMLR")
    assert tmlr["entry_type"] == "article" and tmlr["issn"] == "2835-8856"
    assert {r["source"] for r in rows} == {"built-in"}


def test_formats_plain_and_json() -> None:
    code, stdout, _ = run("formats")
    assert code == 0
    lines = stdout.splitlines()
    assert lines[0].split() == ["FORMAT", "EXTENSIONS", "MERGE", "NOTES"]
    assert lines[1].split()[:3] == ["bibtex", ".bib", "yes"]
    assert any(line.split()[:4] == ["csl-yaml", ".yaml", ".yml", "no"] for line in lines)
    code, stdout, _ = run("formats", "--json")
    rows = json.loads(stdout)
    assert [r["name"] for r in rows] == ["bibtex", "biblatex", "ris", "csl-json", "csl-yaml"]
    assert rows[1]["extensions"] == [] and rows[1]["mergeable"] is True


def test_help_is_fast_enough() -> None:
    """`bibexport --help` imports nothing heavy: no pipeline, names, unidecode or tomllib."""
    code = (
        "import sys\n"
        "from bibexport.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = {'bibexport.pipeline', 'bibexport.names', 'unidecode', 'tomllib',"
        " 'bibexport.venues'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ
    )
    assert done.stdout.splitlines()[-1] == "[]"


def test_a_command_name_after_an_option_gets_a_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, stderr = run("--no-config", "venues")
    assert code == 1
    assert stderr == (
        "bibexport: venues: no such file"
        " (for the venues command, give it first: bibexport venues ...)\n"
    )
