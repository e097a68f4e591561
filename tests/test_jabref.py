"""Merging into a JabRef library, and --jabref-group: what JabRef will show, nothing rewritten."""

from __future__ import annotations

import shutil
from pathlib import Path

import bibtexparser
import pytest
from click.testing import CliRunner

from bibexport.cli import main
from bibexport.jabref import group_tree, static_group_line

from .conftest import DATA, EXAMPLE

JABREF5 = DATA / "libraries" / "jabref5.bib"
META = b"@Comment{jabref-meta: databaseType:bibtex;}"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def jabref(tmp_path: Path) -> Path:
    path = tmp_path / "library.bib"
    shutil.copyfile(JABREF5, path)
    return path


def added_part(before: bytes, after: bytes) -> bytes:
    """What a merge put in: the file must be ``before`` with one run of bytes inserted just
    before JabRef's metadata blocks, which stay last."""
    meta = before.index(META)
    assert after.startswith(before[:meta])
    assert after.endswith(before[meta:])
    return after[meta : len(after) - len(before) + meta]


def entries(path: Path) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_file(str(path))
    assert not library.failed_blocks
    return {e.key: {f.key: f.value for f in e.fields} for e in library.entries}


def test_merge_with_a_group_the_library_defines(jabref: Path) -> None:
    before = jabref.read_bytes()
    old = entries(jabref)
    code, _, stderr = run(str(EXAMPLE), "-o", str(jabref), "--jabref-group", "Reading")
    assert code == 0
    added = added_part(before, jabref.read_bytes()).decode()
    assert added.count("@inproceedings{") == 24  # #1 is Gal2023
    assert added.count("  groups = {Reading},\n") == 24
    assert f"{jabref}: new entries have groups = {{Reading}} (JabRef static group 'Reading')" in (
        stderr
    )
    after = entries(jabref)
    for key, fields in old.items():
        assert after[key] == fields  # the user's entries, their groups and JabRef fields
    new = {k: v for k, v in after.items() if k not in old}
    assert len(new) == 24 and all(v["groups"] == "Reading" for v in new.values())
    assert group_tree(jabref.read_bytes()) == group_tree(before)


def test_a_group_the_tree_lacks_is_said_and_the_tree_left_alone(jabref: Path) -> None:
    before = jabref.read_bytes()
    code, _, stderr = run(str(EXAMPLE), "-o", str(jabref), "--jabref-group", "ICLR 2023 notable")
    assert code == 0
    added = added_part(before, jabref.read_bytes()).decode()
    assert added.count("  groups = {ICLR 2023 notable},\n") == 24
    assert "jabref-meta" not in added
    assert (
        f"bibexport: {jabref}: new entries have groups = {{ICLR 2023 notable}}, but the file's "
        "JabRef group tree has no group 'ICLR 2023 notable', and bibexport leaves the tree as "
        "it is: in JabRef, add a static group named 'ICLR 2023 notable' (Groups, Add subgroup) "
        "and it lists them\n"
    ) in stderr


def test_a_keyword_group_of_that_name_is_no_static_group(jabref: Path) -> None:
    code, _, stderr = run(str(EXAMPLE), "-o", str(jabref), "--jabref-group", "ICLR")
    assert code == 0
    assert "but 'ICLR' is a JabRef KeywordGroup there, not a static group" in stderr


def test_a_new_file_gets_the_group_tree(tmp_path: Path) -> None:
    out = tmp_path / "new.bib"
    code, _, stderr = run(str(EXAMPLE), "-o", str(out), "--jabref-group", "ICLR 2023")
    assert code == 0
    text = out.read_text()
    assert text.endswith(
        "}\n\n@Comment{jabref-meta: grouping:\n0 AllEntriesGroup:;\n"
        "1 StaticGroup:ICLR 2023\\;0\\;1\\;\\;\\;\\;;\n}\n"
    )
    assert group_tree(out.read_bytes()) == {"ICLR 2023": "StaticGroup"}
    assert all(v["groups"] == "ICLR 2023" for v in entries(out).values())
    assert "its group tree defines the JabRef static group 'ICLR 2023'" in stderr


def test_a_library_without_a_group_tree_gets_one_after_its_last_byte(tmp_path: Path) -> None:
    lib = tmp_path / "refs.bib"
    lib.write_bytes(JABREF5.read_bytes().split(b"\n@Comment{jabref-meta: grouping:")[0].rstrip())
    before = lib.read_bytes()  # entries, then databaseType, and no newline at the end
    code, _, _ = run(str(EXAMPLE), "-o", str(lib), "--jabref-group", "new")
    assert code == 0
    after = lib.read_bytes()
    added_part(before, after[: -len(b"\n\n" + static_block("new"))])
    assert after.endswith(META + b"\n\n" + static_block("new"))


def static_block(name: str) -> bytes:
    return (
        "@Comment{jabref-meta: grouping:\n0 AllEntriesGroup:;\n"
        f"{static_group_line(name)}\n}}\n".encode()
    )


def test_group_lines_are_escaped_as_jabref_writes_them() -> None:
    # As in a file JabRef saved: 1 StaticGroup:segmentation\;0\;1\;\;\;\;;
    assert static_group_line("segmentation") == r"1 StaticGroup:segmentation\;0\;1\;\;\;\;;"
    # A name's ; and \ are escaped by the group serialiser, then again by the metadata's.
    line = static_group_line("A;B\\C")
    assert line == r"1 StaticGroup:A\\\;B\\\\C\;0\;1\;\;\;\;;"
    block = b"@Comment{jabref-meta: grouping:\n0 AllEntriesGroup:;\n" + line.encode() + b"\n}\n"
    assert group_tree(block) == {"A;B\\C": "StaticGroup"}


def test_merging_nothing_new_leaves_the_library_and_says_nothing_of_groups(jabref: Path) -> None:
    assert run(str(EXAMPLE), "-o", str(jabref), "--jabref-group", "x")[0] == 0
    once = jabref.read_bytes()
    code, _, stderr = run(str(EXAMPLE), "-o", str(jabref), "--jabref-group", "x")
    assert code == 0 and jabref.read_bytes() == once
    assert "groups = {x}" not in stderr


def test_stdout_gets_the_field_and_no_tree() -> None:
    code, stdout, stderr = run(str(EXAMPLE), "--jabref-group", "Reading")
    assert code == 0
    assert stdout.count("  groups = {Reading},\n") == 25 and "jabref-meta" not in stdout
    assert "create the static group 'Reading' in JabRef" in stderr


def test_other_formats_have_no_groups_field(tmp_path: Path) -> None:
    ris, bib = tmp_path / "a.ris", tmp_path / "a.bib"
    code, _, _ = run(str(EXAMPLE), "-o", str(ris), "-o", str(bib), "--jabref-group", "R")
    assert code == 0 and "groups" not in ris.read_text() and "groups = {R}" in bib.read_text()
    code, _, stderr = run(str(EXAMPLE), "-o", str(tmp_path / "b.ris"), "--jabref-group", "R")
    assert code == 1
    assert stderr == (
        "bibexport: --jabref-group needs a BibTeX or biblatex output (JabRef reads those)\n"
    )
    assert not (tmp_path / "b.ris").exists()


@pytest.mark.parametrize(
    ("name", "why"),
    [("a, b", "a comma separates group names"), (" x", "without spaces"), ("{x", "braces")],
)
def test_names_jabref_cannot_keep_are_refused(tmp_path: Path, name: str, why: str) -> None:
    out = tmp_path / "new.bib"
    code, _, stderr = run(str(EXAMPLE), "-o", str(out), "--jabref-group", name)
    assert code == 1 and why in stderr and stderr.count("\n") == 1
    assert not out.exists()


def test_dry_run_writes_no_tree_and_claims_none(tmp_path: Path) -> None:
    out = tmp_path / "new.bib"
    code, _, stderr = run(str(EXAMPLE), "-o", str(out), "--jabref-group", "R", "--dry-run")
    assert code == 0 and not out.exists()
    assert "group tree" not in stderr and "would add 25 papers" in stderr
