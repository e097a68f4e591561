"""Config files as a user meets them: which file, what wins, and one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import EXAMPLE
from .test_cli import run

ONE = "ICLR.2023 - Oral\n#1 Learning Things [PDF]\nAuthors: Ann Li\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder with a listing in a subfolder; the test runs in the subfolder."""
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "l.txt").write_text(ONE)
    monkeypatch.chdir(tmp_path / "notes")
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_pyproject_settings_are_found_upward_and_used(project: Path) -> None:
    write(
        project / "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.bibexport]\nformat = "ris"\nkey_pattern = "[auth][year]"\n',
    )
    code, stdout, _ = run("l.txt", "-q")
    assert code == 0 and stdout.startswith("TY  - CONF\n") and "Citation Key: Li2023\n" in stdout


def test_the_command_line_wins(project: Path) -> None:
    write(project / "bibexport.toml", 'format = "ris"\nunicode = false\n')
    code, stdout, _ = run("l.txt", "-q", "--format", "bibtex")
    assert code == 0 and stdout.startswith("@inproceedings{li2023learning,")


def test_bibexport_toml_top_level_and_wins_over_pyproject(project: Path) -> None:
    write(project / "pyproject.toml", '[tool.bibexport]\nformat = "csl-json"\n')
    write(project / "bibexport.toml", 'format = "ris"\n')
    code, stdout, _ = run("l.txt", "-q")
    assert code == 0 and stdout.startswith("TY  - CONF")
    code, stdout, _ = run("config")
    note = f"note: {project / 'pyproject.toml'} has [tool.bibexport] too; bibexport.toml wins"
    assert note in stdout


def test_the_search_stops_at_the_first_pyproject(project: Path) -> None:
    write(project / "bibexport.toml", 'format = "ris"\n')
    write(project / "notes" / "pyproject.toml", '[project]\nname = "notes"\n')
    code, stdout, _ = run("l.txt", "-q")
    assert code == 0 and stdout.startswith("@inproceedings")
    _, stdout, _ = run("config")
    assert "pyproject.toml has no [tool.bibexport] table (the search stops at it)" in stdout


def test_relative_paths_are_relative_to_the_config_file(project: Path) -> None:
    write(project / "bibexport.toml", 'output = "refs.bib"\ndedup-against = ["lib.bib"]\n')
    write(project / "lib.bib", "")
    _, stdout, _ = run("config")
    row = next(line for line in stdout.splitlines() if line.startswith("dedup-against "))
    assert row.split()[1:] == [f'["{project / "lib.bib"}"]', f"{project / 'bibexport.toml'}:2"]
    code, _, stderr = run("l.txt")
    assert code == 0 and f"wrote 1 paper to {project / 'refs.bib'}" in stderr
    assert (project / "refs.bib").read_text().startswith("@inproceedings{li2023learning,")
    assert not (project / "notes" / "refs.bib").exists()


def test_config_command_says_where_each_setting_comes_from(project: Path) -> None:
    write(project / "bibexport.toml", '# settings\nformat = "ris"\n\nunicode = true\n')
    code, stdout, _ = run("config", "--format", "bibtex", "--strict")
    assert code == 0
    config = project / "bibexport.toml"
    assert stdout.startswith(f"config file: {config} (found from {project / 'notes'})\n")
    rows = {line.split()[0]: line.split(None, 2)[1:] for line in stdout.splitlines()[2:]}
    assert rows["format"] == ['"bibtex"', "command line"]
    assert rows["unicode"] == ["true", f"{config}:4"]
    assert rows["strict"] == ["true", "command line"]
    assert rows["overwrite"] == ["false", "default"]
    assert rows["key-pattern"] == ["(not", "set)  default"]


def test_env_var_and_config_option_and_no_config(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(project / "bibexport.toml", 'format = "ris"\n')
    other = write(project / "other.toml", 'format = "csl-json"\n')
    monkeypatch.setenv("BIBEXPORT_CONFIG", str(other))
    code, stdout, _ = run("l.txt", "-q")
    assert code == 0 and stdout.startswith("[")
    _, stdout, _ = run("config")
    assert stdout.startswith(f"config file: {other} (from $BIBEXPORT_CONFIG)")
    assert f'"csl-json"  {other}:1 ($BIBEXPORT_CONFIG)' in stdout
    monkeypatch.delenv("BIBEXPORT_CONFIG")
    code, stdout, _ = run("l.txt", "-q", "--config", str(other))
    assert code == 0 and stdout.startswith("[")
    code, stdout, _ = run("l.txt", "-q", "--no-config")
    assert code == 0 and stdout.startswith("@inproceedings")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('formt = "ris"\n', "bibexport.toml:1: unknown setting 'formt'; did you mean 'format'?"),
        ('config = "x.toml"\n', "bibexport.toml:1: config is for the command line only, not for"),
        ('\nunicode = "yes"\n', 'bibexport.toml:2: unicode = "yes": expected true or false'),
        ('format = "bibtext"\n', 'bibexport.toml:1: format = "bibtext": expected one of bibtex,'),
        ("year = 1800\n", "bibexport.toml:1: year = 1800: expected a number from 1900 to 2100"),
        ("select = [1, 2]\n", "bibexport.toml:1: select = [1, 2]: expected a list of strings"),
        ("format = \n", "bibexport.toml: not valid TOML: Invalid value (at line 1, column 10)"),
        ("[venues.X]\npublisher = 'p'\n", "bibexport.toml:1: venues.X: a new venue needs a title"),
        (
            "[venues.ICLR]\ntitel = 'p'\n",
            "bibexport.toml:2: venues.ICLR: unknown key 'titel'; known: title, publisher,",
        ),
        (
            "[venues.X]\ntitle = 'The {nth} X'\n",
            "bibexport.toml:2: venues.X.title uses an ordinal; give ordinal_base",
        ),
        (
            "[venues.X]\ntitle = 'X'\naliases = ['nips']\n",
            "bibexport.toml:3: venues.X: alias 'nips' is already the table's NeurIPS",
        ),
    ],
)
def test_bad_config_is_one_line_exit_1_and_writes_nothing(
    project: Path, text: str, message: str
) -> None:
    write(project / "bibexport.toml", text)
    for args in (["l.txt", "-o", "out.bib"], ["config"], ["venues"]):
        code, stdout, stderr = run(*args)
        assert code == 1 and stdout == ""
        assert stderr.startswith(f"bibexport: {project}/{message}")
        assert stderr.count("\n") == 1
    assert not (project / "notes" / "out.bib").exists()


def test_missing_config_file_is_an_error(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, stderr = run("l.txt", "--config", "nope.toml")
    assert (code, stderr) == (1, "bibexport: nope.toml: no such config file\n")
    monkeypatch.setenv("BIBEXPORT_CONFIG", "nope.toml")
    code, _, stderr = run("l.txt")
    assert (code, stderr) == (
        1,
        "bibexport: nope.toml (from $BIBEXPORT_CONFIG): no such config file\n",
    )
    write(project / "pyproject.toml", "[project]\n")
    code, _, stderr = run("l.txt", "--config", "../pyproject.toml")
    assert stderr == "bibexport: ../pyproject.toml: has no [tool.bibexport] table\n"


def test_a_broken_config_does_not_break_help(project: Path) -> None:
    write(project / "bibexport.toml", "nonsense = 1\n")
    for args in (["--help"], ["convert", "--help"], ["--version"], ["formats"]):
        assert run(*args)[0] == 0


def test_config_venues_add_and_replace_table_rows(project: Path) -> None:
    write(
        project / "pyproject.toml",
        "[tool.bibexport.venues.FOOCONF]\n"
        'title = "Proceedings of the {nth} Foo Conference"\n'
        "ordinal_base = 2000\n"
        'publisher = "Foo Press"\n'
        'aliases = ["FC"]\n'
        "\n"
        "[tool.bibexport.venues.nips]\n"
        'publisher = "NeurIPS Foundation"\n'
        "\n"
        "[tool.bibexport.venues.MLSYS]\n"
        'title = "Proceedings of Machine Learning and Systems"\n',
    )
    write(project / "notes" / "f.txt", "FC.2023 - Oral\n#1 T [PDF]\nAuthors: Ann Li\n")
    code, stdout, stderr = run("f.txt")
    assert code == 0 and "warning" not in stderr
    assert "booktitle = {Proceedings of the 23rd Foo Conference}," in stdout
    assert "publisher = {Foo Press}," in stdout
    write(project / "notes" / "n.txt", "NIPS.2023 - Oral\n#1 T [PDF]\nAuthors: Ann Li\n")
    code, stdout, _ = run("n.txt", "-q")
    assert "booktitle = {Advances in Neural Information Processing Systems}," in stdout
    assert "publisher = {NeurIPS Foundation}," in stdout and "volume = {36}," in stdout
    code, stdout, _ = run("venues")
    neurips = [line for line in stdout.splitlines() if line.startswith("NeurIPS ")]
    assert len(neurips) == 1 and "NeurIPS Foundation" in neurips[0]
    foo = next(line for line in stdout.splitlines() if line.startswith("FOOCONF "))
    assert foo.split()[:5] == ["FOOCONF", "FC", "2001", "inproceedings", "Foo"]
    assert foo.endswith("Proceedings of the <N>th Foo Conference (N = year - 2000)")
    config = project / "pyproject.toml"
    mlsys = next(line for line in stdout.splitlines() if line.startswith("MLSYS "))
    assert mlsys.split()[:5] == ["MLSYS", "-", "-", "inproceedings", "-"]
    assert stdout.endswith(f"From {config}: FOOCONF, NeurIPS, MLSYS\n")
    code, stdout, _ = run("venues", "--no-config")
    assert "FOOCONF" not in stdout and "NeurIPS Foundation" not in stdout
    _, stdout, _ = run("config")
    assert f"venue FOOCONF: {config}:1\nvenue NeurIPS: {config}:7\n" in stdout


def test_example_still_matches_the_golden_file_without_config(tmp_path: Path) -> None:
    code, stdout, _ = run(str(EXAMPLE), "-q", "--no-config")
    assert code == 0 and stdout.startswith("@inproceedings{gal2023image,")
