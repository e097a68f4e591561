"""The example listing in every format, compared byte for byte with reviewed golden files."""

from __future__ import annotations

from pathlib import Path

import pytest

from bibexport.formats import FORMATS
from bibexport.pipeline import Target, convert

from .conftest import EXAMPLE, GOLDEN


@pytest.mark.parametrize("fmt", [pytest.param(f, id=f.name) for f in FORMATS])
def test_example_matches_golden(fmt, tmp_path: Path, update_golden: bool) -> None:
    out = tmp_path / f"out.{fmt.name}"
    convert([str(EXAMPLE)], [Target(str(out), fmt)])
    golden = GOLDEN / f"{EXAMPLE.stem}.{fmt.name}"
    produced = out.read_bytes()
    if update_golden:
        golden.write_bytes(produced)
    if not golden.exists():
        pytest.fail(f"no golden file {golden.name}; run pytest --update-golden and review it")
    assert produced == golden.read_bytes()


def test_examples_refs_bib_is_what_bibexport_makes() -> None:
    """The README promises examples/refs.bib is the output for the example listing."""
    examples = Path(__file__).parent.parent / "examples"
    golden = GOLDEN / f"{EXAMPLE.stem}.bibtex"
    assert (examples / "refs.bib").read_bytes() == golden.read_bytes()
    assert (examples / EXAMPLE.name).read_bytes() == EXAMPLE.read_bytes()
