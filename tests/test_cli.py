"""The command line as a user meets it: exit status, messages on stderr, files written or not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bibexport.cli import main

from .conftest import EXAMPLE, GOLDEN


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def listing(tmp_path: Path, text: str, name: str = "l.txt") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_example_to_file_matches_golden(tmp_path: Path) -> None:
    out = tmp_path / "refs.bib"
    code, stdout, stderr = run(str(EXAMPLE), "-o", str(out))
    assert code == 0
    assert stdout == ""
    assert f"{EXAMPLE}: 25 of 280 papers" in stderr
    assert f"wrote 25 papers to {out}" in stderr
    assert out.read_bytes() == (GOLDEN / f"{EXAMPLE.stem}.bibtex").read_bytes()


def test_stdout_and_stdin(tmp_path: Path) -> None:
    code, stdout, _ = run("-", input=EXAMPLE.read_text())
    assert code == 0
    assert stdout.encode() == (GOLDEN / f"{EXAMPLE.stem}.bibtex").read_bytes()


# The command as installed (cli.run): what Python's exit would do must still be done when the
# run leaves early (its atexit functions, stdout flushed), and a failed run exits as before.
_BUFFERED = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
_RUN = """
import atexit, sys
atexit.register(lambda: print("atexit ran", file=sys.stderr))
sys.stdout.write("% held in stdout's buffer\\n")  # as a caller's print() would leave it
sys.argv = ["bibexport", *sys.argv[1:]]
from bibexport.cli import run
run()
"""


def test_the_command_leaves_with_its_output_written_and_atexit_run(tmp_path: Path) -> None:
    out = tmp_path / "refs.bib"
    done = subprocess.run(
        [sys.executable, "-c", _RUN, str(EXAMPLE), "-o", str(out)],
        capture_output=True,
        check=False,
        env=_BUFFERED,
    )
    assert done.returncode == 0
    assert done.stdout == b"% held in stdout's buffer\n"
    assert out.read_bytes() == (GOLDEN / f"{EXAMPLE.stem}.bibtex").read_bytes()
    assert done.stderr.decode().endswith(f"wrote 25 papers to {out}\natexit ran\n")
    # To stdout: every byte of it.
    done = subprocess.run(
        [sys.executable, "-c", _RUN, str(EXAMPLE)], capture_output=True, check=False, env=_BUFFERED
    )
    assert done.returncode == 0
    golden = (GOLDEN / f"{EXAMPLE.stem}.bibtex").read_bytes()
    assert done.stdout == b"% held in stdout's buffer\n" + golden


def test_a_failed_command_exits_as_before(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _RUN, str(tmp_path / "missing.txt")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("bibexport: ")
    assert "Traceback" not in done.stderr
    assert done.stderr.endswith("atexit ran\n")


def test_python_dash_m_and_help() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bibexport", "--help"], capture_output=True, text=True, check=True
    )
    assert "Usage: bibexport [OPTIONS] LISTING..." in done.stdout
    for option in (
        "--output",
        "--format",
        "--unicode",
        "--venue",
        "--year",
        "--booktitle",
        "--key-pattern",
        "--encoding",
        "--overwrite",
        "--quiet",
        "--debug",
        "--version",
    ):
        assert option in done.stdout


def test_several_listings_are_one_batch(tmp_path: Path) -> None:
    a = listing(tmp_path, "ICLR.2023 - Oral\n#1 Learning Things [PDF]\nAuthors: Ann Li\n", "a.txt")
    b = listing(tmp_path, "ICLR.2023 - Poster\n#1 Learning Stuff [PDF]\nAuthors: Bo Li\n", "b.txt")
    code, stdout, _ = run(a, b)
    assert code == 0
    assert "@inproceedings{li2023learning," in stdout
    assert "@inproceedings{li2023learninga," in stdout
    assert "keywords = {ICLR 2023, Oral}" in stdout and "keywords = {ICLR 2023, Poster}" in stdout


def test_overrides_and_unknown_venue(tmp_path: Path) -> None:
    path = listing(tmp_path, "FOOCONF.2021 - Talk\n#1 T [PDF]\nAuthors: Ann Li\n")
    code, stdout, stderr = run(path)
    assert code == 0
    assert f"bibexport: warning: {path}:1: unknown venue 'FOOCONF'" in stderr
    assert "booktitle = {FOOCONF}," in stdout
    code, stdout, stderr = run(path, "--venue", "icml", "--year", "2023")
    assert "warning" not in stderr
    assert (
        "booktitle = {Proceedings of the 40th International Conference on Machine Learning},"
        in stdout
    )
    assert "year = {2023}," in stdout
    code, stdout, _ = run(path, "--booktitle", "Proceedings of Foo")
    assert "booktitle = {Proceedings of Foo}," in stdout


def test_key_pattern_option(tmp_path: Path) -> None:
    code, stdout, _ = run(str(EXAMPLE), "--key-pattern", "[auth][year]", "-q")
    assert code == 0
    assert "@inproceedings{Gal2023," in stdout
    assert "@inproceedings{Wang2023," in stdout and "@inproceedings{Wang2023a," in stdout


def test_unicode_option(tmp_path: Path) -> None:
    code, stdout, _ = run(str(EXAMPLE), "--unicode", "-q")
    assert code == 0 and "Kleindessner, Matthäus" in stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["missing.txt"], "bibexport: missing.txt: no such file\n", id="missing"),
        pytest.param(["{tmp}"], "bibexport: {tmp}: is a directory, not a listing file\n", id="dir"),
        pytest.param(["{empty}"], "bibexport: {empty}:1: the file is empty", id="empty"),
        pytest.param(
            ["{ex}", "-o", "{tmp}/no/such/dir/r.bib"],
            "bibexport: {tmp}/no/such/dir/r.bib: the folder",
            id="no-folder",
        ),
        pytest.param(
            ["{ex}", "-o", "{tmp}/r.xyz"], "bibexport: cannot tell the format of", id="suffix"
        ),
        pytest.param(
            ["{ex}", "--key-pattern", "[nope]"],
            "bibexport: unknown key pattern marker [nope]",
            id="pattern",
        ),
    ],
)
def test_errors_are_one_line_exit_1_no_traceback(
    tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "empty.txt").write_text("")
    subs = {"{tmp}": str(tmp_path), "{empty}": str(tmp_path / "empty.txt"), "{ex}": str(EXAMPLE)}
    for old, new in subs.items():
        args = [a.replace(old, new) for a in args]
        message = message.replace(old, new)
    code, _, stderr = run(*args)
    assert code == 1
    assert stderr.startswith(message)
    assert stderr.count("\n") == 1
    assert "Traceback" not in stderr
    assert list(tmp_path.glob("*.tmp")) == [] and list(tmp_path.glob(".*.tmp")) == []


def test_existing_output_is_merged_into_never_replaced(tmp_path: Path) -> None:
    out = tmp_path / "refs.bib"
    out.write_text("@misc{mine, title = {Mine}}")  # no final newline
    code, _, stderr = run(str(EXAMPLE), "-o", str(out))
    assert code == 0 and f"added 25 papers to {out}" in stderr
    merged = out.read_text()
    assert merged.startswith("@misc{mine, title = {Mine}}\n\n@inproceedings{gal2023image,\n")
    assert merged.count("@inproceedings{") == 25
    code, _, _ = run(str(EXAMPLE), "-o", str(out), "--overwrite")
    assert code == 0 and out.read_text().startswith("@inproceedings{gal2023image,")


def test_running_twice_changes_nothing_the_second_time(tmp_path: Path) -> None:
    out = tmp_path / "refs.bib"
    assert run(str(EXAMPLE), "-o", str(out))[0] == 0
    before = out.stat().st_mtime_ns
    code, _, stderr = run(str(EXAMPLE), "-o", str(out))
    assert code == 0 and f"{out}: nothing new, left as it was" in stderr
    assert "skipped #1 'An Image is Worth One Word" in stderr
    assert out.stat().st_mtime_ns == before


def test_bad_input_writes_nothing(tmp_path: Path) -> None:
    good = listing(tmp_path, "ICLR.2023\n#1 T [PDF]\nAuthors: A B\n", "good.txt")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ICLR.2023\n#1 T [PDF]\nAuthors: Caf\xe9\n")
    out = tmp_path / "refs.bib"
    code, _, stderr = run(good, str(bad), "-o", str(out))
    assert code == 1
    assert stderr == (
        f"bibexport: {bad}:3: invalid UTF-8 at byte 33 (0xe9); "
        "if the file is in another encoding, give it with --encoding (e.g. latin-1)\n"
    )
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.txt", "good.txt"]


def test_quiet_silences_notes_and_warnings(tmp_path: Path) -> None:
    path = listing(tmp_path, "FOOCONF.2021\n#1 T [PDF]\n\nNo authors here.\n")
    code, _, stderr = run(path, "-q", "-o", str(tmp_path / "r.bib"))
    assert code == 0 and stderr == ""


def test_version() -> None:
    code, stdout, _ = run("--version")
    assert code == 0 and stdout.startswith("bibexport, version ")


def test_strict_turns_warnings_into_errors_and_writes_nothing(tmp_path: Path) -> None:
    path = listing(tmp_path, "ICLR.2023\n#1 T [PDF]\n\nNo authors here.\n")
    out = tmp_path / "r.bib"
    code, _, stderr = run(path, "--strict", "-o", str(out))
    assert code == 1
    assert stderr == (
        f"bibexport: {path}:2: paper #1 has no 'Authors:' line; it is kept without authors"
        " (--strict)\n"
    )
    assert not out.exists()


def test_no_header_needs_venue_and_year(tmp_path: Path) -> None:
    path = listing(tmp_path, "#1 A Title [PDF]\nAuthors: Ann Li\n")
    code, _, stderr = run(path)
    assert code == 1
    assert stderr == (
        f"bibexport: {path}:1: no header line like 'ICLR.2023 - Poster'; "
        "add one or give --venue and --year\n"
    )
    code, stdout, _ = run(path, "--venue", "ICLR", "--year", "2023")
    assert code == 0 and "booktitle = {The Eleventh International Conference" in stdout


def test_a_50_mb_single_line_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("ICLR.2023\n#1 T [PDF]\nAuthors: Ann Li\n" + "word " * 10_000_000 + "\n")
    out = tmp_path / "r.bib"
    code, _, _ = run(str(path), "-o", str(out), "-q")
    assert code == 0 and out.stat().st_size > 50_000_000


def test_control_characters_never_reach_the_output(tmp_path: Path) -> None:
    path = listing(
        tmp_path, "ICLR.2023\n#1 A\x1b[31mRed\x07 Title [PDF]\nAuthors: Ann\x01 Li\nX\x0cY\n"
    )
    code, stdout, _ = run(path, "-q")
    assert code == 0
    assert "title = {A [{31mRed} Title}," in stdout
    assert all(c in "\n" or c.isprintable() for c in stdout)


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["missing.txt", "--debug"])
    assert result.exit_code == 1
    assert isinstance(result.exception, Exception)
    assert "no such file" in str(result.exception)


def test_an_output_folder_that_cannot_be_written(tmp_path: Path) -> None:
    code, _, stderr = run(str(EXAMPLE), "-o", "/proc/refs.bib")
    assert code == 1
    assert stderr.startswith("bibexport: /proc/refs.bib: cannot write in /proc:")


@pytest.mark.parametrize("option", ["--keymap", "--report"])
def test_side_file_in_a_missing_folder_stops_the_run_before_any_output(
    tmp_path: Path, option: str
) -> None:
    """--keymap and --report are written last: their folder is checked first, so a typo in
    it cannot leave a library merged into while the run reports failure."""
    library = tmp_path / "refs.bib"
    code, _, _ = run(str(EXAMPLE), "--select", "1-3", "-o", str(library))
    assert code == 0
    before = library.read_bytes()
    side = tmp_path / "no-such-folder" / "side.csv"
    code, _, stderr = run(str(EXAMPLE), "-o", str(library), option, str(side))
    assert code == 1
    assert stderr == (f"bibexport: {option} {side}: the folder {side.parent} does not exist\n")
    assert library.read_bytes() == before


def test_one_paper_is_one_paper(tmp_path: Path) -> None:
    out = tmp_path / "one.bib"
    code, _, stderr = run(str(EXAMPLE), "--select", "2", "-o", str(out))
    assert code == 0 and stderr.endswith(f"bibexport: wrote 1 paper to {out}\n")
