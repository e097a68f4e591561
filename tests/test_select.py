"""--select, --match and --author as a user meets them: what is written, and the errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bibexport.errors import InputError
from bibexport.selection import Selection, parse_numbers

from .conftest import EXAMPLE
from .test_cli import listing, run

TWO = "ICLR.2023 - {track}\n#1 {a} [PDF]\nAuthors: Ann Li\n\n#2 {b} [PDF]\nAuthors: Bo Chen\n"


def keys(bibtex: str) -> list[str]:
    return re.findall(r"^@\w+\{([^,]+),", bibtex, re.M)


def test_select_numbers_and_ranges() -> None:
    code, stdout, _ = run(str(EXAMPLE), "--select", "1,4,10-12", "-q")
    assert code == 0
    assert keys(stdout) == [
        "gal2023image",
        "chalumeau2023neuroevolution",
        "lu2023unified",
        "meng2023mass",
        "wang2023programmatically",
    ]


def test_keys_are_assigned_to_selected_papers_only() -> None:
    _, everything, _ = run(str(EXAMPLE), "--key-pattern", "[auth][year]", "-q")
    assert "@inproceedings{Wang2023a," in everything  # #12: a second Wang 2023
    code, stdout, _ = run(str(EXAMPLE), "--select", "12", "--key-pattern", "[auth][year]", "-q")
    assert code == 0 and keys(stdout) == ["Wang2023"]


def test_a_missing_number_is_an_error_and_nothing_is_written(tmp_path: Path) -> None:
    out = tmp_path / "refs.bib"
    code, stdout, stderr = run(str(EXAMPLE), "--select", "3,30", "-o", str(out))
    assert code == 1
    assert stderr == (
        f"bibexport: {EXAMPLE}: --select 3,30: no paper #30 (the listing has #1-#25;"
        " the page had loaded 25 of its 280 papers when copied)\n"
    )
    assert stdout == "" and not out.exists()
    assert list(tmp_path.iterdir()) == []
    code, stdout, stderr = run(str(EXAMPLE), "--select", "20-30")
    assert code == 1 and stdout == ""
    assert ": --select 20-30: no papers #26-#30 (the listing has #1-#25; " in stderr


def test_an_existing_output_is_left_alone_on_a_selection_error(tmp_path: Path) -> None:
    out = tmp_path / "refs.bib"
    out.write_text("@misc{mine, title = {Mine}}\n")
    code, _, _ = run(str(EXAMPLE), "--select", "99", "-o", str(out))
    assert code == 1 and out.read_text() == "@misc{mine, title = {Mine}}\n"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1,a", "bibexport: --select 1,a: 'a' is not a number or a range like 10-12\n"),
        ("5-2", "bibexport: --select 5-2: the range 5-2 runs backwards\n"),
        ("", "bibexport: --select : give numbers like 1,4,10-12\n"),
        ("x.txt:1", "bibexport: --select x.txt:1: x.txt is not one of the listings given\n"),
    ],
)
def test_bad_select_values(value: str, message: str) -> None:
    code, stdout, stderr = run(str(EXAMPLE), "--select", value)
    assert (code, stdout, stderr) == (1, "", message)


def test_several_listings_plain_numbers_apply_to_each(tmp_path: Path) -> None:
    a = listing(tmp_path, TWO.format(track="Oral", a="Alpha", b="Beta"), "a.txt")
    b = listing(tmp_path, TWO.format(track="Poster", a="Gamma", b="Delta"), "b.txt")
    code, stdout, _ = run(a, b, "--select", "2", "-q")
    assert code == 0 and keys(stdout) == ["chen2023beta", "chen2023delta"]


def test_several_listings_file_prefix_picks_one(tmp_path: Path) -> None:
    a = listing(tmp_path, TWO.format(track="Oral", a="Alpha", b="Beta"), "a.txt")
    b = listing(tmp_path, TWO.format(track="Poster", a="Gamma", b="Delta"), "b.txt")
    code, stdout, _ = run(a, b, "--select", f"{b}:1", "--select", f"{a}:2", "-q")
    assert code == 0 and keys(stdout) == ["chen2023beta", "li2023gamma"]
    code, _, stderr = run(a, b, "--select", f"{b}:3")
    assert code == 1
    assert stderr == f"bibexport: {b}: --select {b}:3: no paper #3 (the listing has #1-#2)\n"


def test_several_listings_a_number_none_has(tmp_path: Path) -> None:
    a = listing(tmp_path, TWO.format(track="Oral", a="Alpha", b="Beta"), "a.txt")
    b = listing(tmp_path, "ICLR.2023\n#7 Eta [PDF]\nAuthors: Ed Wu\n", "b.txt")
    code, stdout, _ = run(a, b, "--select", "7", "-q")
    assert code == 0 and keys(stdout) == ["wu2023eta"]  # in one of them is enough
    code, _, stderr = run(a, b, "--select", "3")
    assert code == 1
    assert stderr == (
        f"bibexport: {a}, {b}: --select 3: no paper #3 (the listings have #1-#2, #7)\n"
    )


def test_match_title_or_abstract_any_case() -> None:
    code, stdout, _ = run(str(EXAMPLE), "--match", "KERNEL density", "-q")
    assert code == 0 and keys(stdout) == ["bakshi2023subquadratic"]
    code, stdout, _ = run(str(EXAMPLE), "--match", r"\bVGG16\b", "-q")  # in an abstract only
    assert code == 0 and keys(stdout) == ["han2023rarity"]


def test_bad_regex_is_one_line() -> None:
    code, stdout, stderr = run(str(EXAMPLE), "--match", "(")
    assert (code, stdout) == (1, "")
    assert stderr == (
        "bibexport: --match '(': not a regular expression: "
        "missing ), unterminated subpattern at position 0\n"
    )


@pytest.mark.parametrize(
    "name",
    [
        "Kleindessner",
        "kleindessner",
        "Matthaus Kleindessner",
        "MATTHÄUS KLEINDESSNER",
        "Kleindessner, Matthäus",
    ],
)
def test_author_by_full_or_family_name_folded(name: str) -> None:
    code, stdout, _ = run(str(EXAMPLE), "--author", name, "-q")
    assert code == 0 and keys(stdout) == ["zadaianchuk2023unsupervised"]


def test_author_is_repeatable_any_and_filters_and_together() -> None:
    _, stdout, _ = run(str(EXAMPLE), "--author", "gal", "--author", "kleindessner", "-q")
    assert keys(stdout) == ["gal2023image", "zadaianchuk2023unsupervised"]
    _, stdout, _ = run(str(EXAMPLE), "--author", "wang", "--select", "1-10", "-q")
    assert keys(stdout) == ["yang2023divide", "wang2023unicorn", "jiang2023sequential"]
    _, stdout, _ = run(str(EXAMPLE), "--author", "wang", "--match", "few-shot", "-q")
    assert keys(stdout) == ["jiang2023sequential"]


def test_author_is_a_whole_name_not_a_substring() -> None:
    code, _, stderr = run(str(EXAMPLE), "--author", "Klein")
    assert code == 1
    assert (
        stderr
        == "bibexport: no paper matches --author 'Klein' (25 papers read); nothing was written\n"
    )


def test_nothing_matched_is_an_error_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "r.bib"
    code, stdout, stderr = run(
        str(EXAMPLE), "--match", "quantum gravity", "--select", "1-5", "-o", str(out)
    )
    assert (code, stdout) == (1, "")
    assert stderr == (
        "bibexport: no paper matches --select 1-5 --match 'quantum gravity' (25 papers read);"
        " nothing was written\n"
    )
    assert not out.exists()


def test_warnings_of_unselected_papers_are_not_shown(tmp_path: Path) -> None:
    path = listing(
        tmp_path, "ICLR.2023\n#1 T [PDF]\n\nNo authors here.\n#2 U [PDF]\nAuthors: A B\n"
    )
    code, _, stderr = run(path, "--select", "2", "--strict")
    assert code == 0 and "warning" not in stderr
    code, _, stderr = run(path, "--select", "1", "--strict")
    assert code == 1 and "has no 'Authors:' line" in stderr


def test_selection_merges_into_an_existing_file(tmp_path: Path) -> None:
    out = tmp_path / "refs.bib"
    assert run(str(EXAMPLE), "--select", "1", "-o", str(out), "-q")[0] == 0
    code, _, stderr = run(str(EXAMPLE), "--select", "1,2", "-o", str(out))
    assert code == 0 and f"added 1 paper to {out} (1 already there)" in stderr
    assert keys(out.read_text()) == ["gal2023image", "yang2023divide"]


def test_selection_parse_api() -> None:
    assert Selection.parse() is None
    assert parse_numbers("a:b.txt:3-4").listing == "a:b.txt"
    assert parse_numbers(" 1 , 3 - 4 ").numbers == {1, 3, 4}
    with pytest.raises(InputError, match="--author: give a name"):
        Selection.parse(authors=[" "])
