"""Shell completion through the group, and colour only where it belongs (NO_COLOR, ttys)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.shell_completion import ShellComplete
from click.testing import CliRunner

import bibexport.cli
from bibexport.cli import main

from .test_cli import listing, run


def complete(args: list[str], incomplete: str) -> list[tuple[str, str]]:
    comp = ShellComplete(main, {}, "bibexport", "_BIBEXPORT_COMPLETE")
    return [(item.type, item.value) for item in comp.get_completions(args, incomplete)]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_script_is_printed(shell: str) -> None:
    result = CliRunner().invoke(
        main, [], env={"_BIBEXPORT_COMPLETE": f"{shell}_source"}, prog_name="bibexport"
    )
    assert result.exit_code == 0
    assert "_BIBEXPORT_COMPLETE" in result.stdout and "bibexport" in result.stdout


def test_completion_script_from_the_real_program() -> None:
    env = {**os.environ, "_BIBEXPORT_COMPLETE": "bash_source"}
    done = subprocess.run(
        [sys.executable, "-m", "bibexport"], capture_output=True, text=True, env=env, check=True
    )
    assert "complete -o nosort -F _bibexport_completion bibexport" in done.stdout


def test_bash_completes_an_option_through_the_environment() -> None:
    env = {
        "_BIBEXPORT_COMPLETE": "bash_complete",
        "COMP_WORDS": "bibexport --uni",
        "COMP_CWORD": "1",
    }
    result = CliRunner().invoke(main, [], env=env, prog_name="bibexport")
    assert result.exit_code == 0 and result.stdout == "plain,--unicode\n"


def test_first_word_options_of_convert_and_of_the_group() -> None:
    assert complete([], "--uni") == [("plain", "--unicode")]
    assert ("plain", "--select") in complete([], "--sel")
    assert ("plain", "--version") in complete([], "--")
    assert ("plain", "--help") in complete([], "--")


def test_first_word_files_and_command_names() -> None:
    assert complete([], "") == [
        ("file", ""),
        ("plain", "config"),
        ("plain", "convert"),
        ("plain", "formats"),
        ("plain", "venues"),
    ]
    assert complete([], "ven") == [("file", "ven"), ("plain", "venues")]


def test_after_a_listing_convert_options_and_files() -> None:
    assert ("plain", "--select") in complete(["l.txt"], "--sel")
    assert complete(["l.txt"], "pa") == [("file", "pa")]
    assert complete(["l.txt", "-o"], "") == [("file", "")]
    assert complete(["l.txt", "--dedup-against"], "") == [("file", "")]
    assert complete(["l.txt", "-f"], "r") == [("plain", "ris")]
    assert complete(["convert", "l.txt", "--format"], "csl") == [
        ("plain", "csl-json"),
        ("plain", "csl-yaml"),
    ]


def test_subcommand_options() -> None:
    assert [v for _, v in complete(["venues"], "--")] == [
        "--json",
        "--config",
        "--no-config",
        "--help",
    ]
    assert complete(["config", "--format"], "bib") == [("plain", "bibtex"), ("plain", "biblatex")]
    assert complete(["venues", "--config"], "") == [("file", "")]


def test_completion_ignores_a_broken_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "bibexport.toml").write_text("nonsense = 1\n")
    monkeypatch.chdir(tmp_path)
    assert complete(["l.txt"], "--uni") == [("plain", "--unicode")]


UNKNOWN = "FOOCONF.2021\n#1 T [PDF]\nAuthors: Ann Li\n"


def test_warnings_are_plain_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    code, _, stderr = run(listing(tmp_path, UNKNOWN))
    assert code == 0 and "bibexport: warning: " in stderr and "\x1b" not in stderr


@pytest.mark.parametrize(("no_color", "coloured"), [(None, True), ("", True), ("1", False)])
def test_warning_colour_on_a_terminal_unless_no_color(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_color: str | None, coloured: bool
) -> None:
    monkeypatch.setattr(bibexport.cli, "_stderr_is_tty", lambda: True)
    if no_color is not None:
        monkeypatch.setenv("NO_COLOR", no_color)
    result = CliRunner().invoke(main, [listing(tmp_path, UNKNOWN)])
    assert result.exit_code == 0
    if coloured:
        assert "bibexport: \x1b[33m\x1b[1mwarning:\x1b[0m " in result.stderr
    else:
        assert "bibexport: warning: " in result.stderr and "\x1b" not in result.stderr
    assert "\x1b" not in result.stdout


def test_version_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    code, stdout, _ = run("--version")
    assert code == 0 and stdout.startswith("bibexport, version ")
