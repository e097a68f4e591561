"""Merging into libraries users already have: what is skipped, what is added, what is kept."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from bibexport.cli import main

from .conftest import DATA, EXAMPLE

CURATED = DATA / "libraries" / "curated.bib"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stderr


def library(tmp_path: Path, name: str = "refs.bib") -> Path:
    path = tmp_path / name
    shutil.copyfile(CURATED, path)
    return path


def test_merge_keeps_every_existing_byte_and_appends_before_jabref_meta(tmp_path: Path) -> None:
    lib = library(tmp_path)
    before = lib.read_bytes()
    code, stderr = run(str(EXAMPLE), "-o", str(lib))
    assert code == 0
    after = lib.read_bytes()
    meta = before.index(b"@Comment{jabref-meta:")
    assert after.startswith(before[:meta])  # everything up to JabRef's metadata, unchanged
    assert after.endswith(before[meta:])  # ... which stays last, unchanged
    added = after[meta : len(after) - len(before) + meta].decode()
    assert added.count("@inproceedings{") == 23
    assert "gal2023image" not in added and "zadaianchuk2023unsupervised" not in added
    assert "@inproceedings{liao2023equiformer," in added  # EquiformerV2 is another paper
    assert f"added 23 papers to {lib} (2 already there)" in stderr
    assert (
        f"skipped #1 'An Image is Worth One Word: Personalizing Text-to-Image Generation using "
        f"Textual Inversion': gal2022image ({lib}:8), preprint of" in stderr
    )
    assert f"Zadaianchuk2023 ({lib}:15), same title and first author" in stderr
    assert f"warning: {lib}:23:" in stderr  # the broken entry is reported with its line


def test_merging_twice_changes_nothing(tmp_path: Path) -> None:
    lib = library(tmp_path)
    assert run(str(EXAMPLE), "-o", str(lib))[0] == 0
    once = lib.read_bytes()
    code, stderr = run(str(EXAMPLE), "-o", str(lib))
    assert code == 0 and lib.read_bytes() == once
    assert "nothing new, left as it was" in stderr


def test_dedup_against_never_writes_the_library_and_reserves_its_keys(tmp_path: Path) -> None:
    lib = library(tmp_path, "mine.bib")
    lib.write_text(lib.read_text() + "\n@misc{yang2023divide, title = {Unrelated}, year = 2001}\n")
    before = lib.read_bytes()
    out = tmp_path / "new.bib"
    code, _ = run(str(EXAMPLE), "-o", str(out), "--dedup-against", str(lib))
    assert code == 0 and lib.read_bytes() == before
    text = out.read_text()
    assert text.count("@inproceedings{") == 23
    assert "@inproceedings{yang2023divide," not in text
    assert "@inproceedings{yang2023dividea," in text  # the user's key is taken


def test_papers_listed_twice_come_out_once(tmp_path: Path) -> None:
    page2 = tmp_path / "page2.txt"
    page2.write_text(EXAMPLE.read_text().replace("Notable-top-25%", "Poster"))
    out = tmp_path / "refs.bib"
    code, stderr = run(str(EXAMPLE), str(page2), "-o", str(out))
    assert code == 0
    assert out.read_text().count("@inproceedings{") == 25
    assert "skipped #1 'An Image is Worth One Word" in stderr
    assert f"gal2023image ({EXAMPLE}:5)" in stderr


def test_report_and_dry_run(tmp_path: Path) -> None:
    lib = library(tmp_path)
    before = lib.read_bytes()
    report = tmp_path / "report.json"
    code, stderr = run(str(EXAMPLE), "-o", str(lib), "--dry-run", "--report", str(report))
    assert code == 0 and lib.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["refs.bib", "report.json"]
    assert "--dry-run: would add 23 papers (2 already there)" in stderr
    data = json.loads(report.read_text())
    assert data["added"] == 23 and data["written"] == []
    assert [s["existing_key"] for s in data["skipped"]] == ["gal2022image", "Zadaianchuk2023"]
    assert data["skipped"][0] == {
        "number": 1,
        "title": "An Image is Worth One Word: Personalizing Text-to-Image Generation using "
        "Textual Inversion",
        "listing": f"{EXAMPLE}:5",
        "existing_key": "gal2022image",
        "existing": f"{lib}:8",
        "reason": "preprint of",
    }


def test_csl_json_and_ris_outputs_merge_the_same_way(tmp_path: Path) -> None:
    import rispy

    json_out, ris_out = tmp_path / "refs.json", tmp_path / "refs.ris"
    first = tmp_path / "first.txt"
    lines = EXAMPLE.read_text().split("\n#3 ")[0]  # papers 1 and 2 only
    first.write_text(lines + "\n")
    assert run(str(first), "-o", str(json_out), "-o", str(ris_out))[0] == 0
    json_before, ris_before = json_out.read_bytes(), ris_out.read_bytes()
    code, stderr = run(str(EXAMPLE), "-o", str(json_out), "-o", str(ris_out))
    assert code == 0 and "(2 already there)" in stderr
    items = json.loads(json_out.read_text())
    assert [i["id"] for i in items][:3] == ["gal2023image", "yang2023divide", "han2023rarity"]
    assert len(items) == 25
    assert json_out.read_bytes()[: len(json_before) - 3] == json_before[:-3]  # all but "\n]\n"
    assert ris_out.read_bytes().startswith(ris_before)
    assert len(rispy.loads(ris_out.read_text())) == 25


MERGE = """
import sys
from bibexport.cli import main
main(prog_name="bibexport", args=[sys.argv[1], "-o", sys.argv[2], "-q"])
"""


def test_parallel_merges_into_one_library_lose_nothing(tmp_path: Path) -> None:
    lib = library(tmp_path)
    text = EXAMPLE.read_text()
    head, *papers = text.split("\n#")
    halves = [tmp_path / "a.txt", tmp_path / "b.txt"]
    halves[0].write_text(head + "".join("\n#" + p for p in papers[:13]))
    halves[1].write_text(head + "".join("\n#" + p for p in papers[13:]))
    procs = [subprocess.Popen([sys.executable, "-c", MERGE, str(h), str(lib)]) for h in halves * 2]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0, 0]
    merged = lib.read_text()
    entries = [line for line in merged.splitlines() if line.startswith("@inproceedings{")]
    assert len(entries) == 2 + 23 and len(set(entries)) == 25  # the library's 2 and 23 new
    assert merged.startswith(
        CURATED.read_text()[: CURATED.read_text().index("@Comment{jabref-meta")]
    )
