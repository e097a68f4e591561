"""Shared fixtures: paths to test data, the --update-golden switch, the real bibtex program."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

# No property test has a deadline: the tests assert behaviour, never speed (benchmarks/ measure
# that), and a shared machine that loses the CPU for a moment made hypothesis's default 200 ms
# per example fail a test that was right (DeadlineExceeded). Each test's own settings still
# choose its number of examples.
settings.register_profile("bibexport", deadline=None)
settings.load_profile("bibexport")

DATA = Path(__file__).parent / "data"
LISTINGS = DATA / "listings"
GOLDEN = DATA / "golden"
EXAMPLE = LISTINGS / "iclr2023-notable-top25-page1.txt"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite golden files from the current output; review them in git diff",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def require_program(name: str) -> str:
    """The program's path; skip without it, except under CI, where its absence fails."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is not installed, and CI must run this test")
        pytest.skip(f"{name} is not installed")
    return path


@pytest.fixture(scope="module")
def example_papers() -> list[Any]:
    """The example listing's papers with their keys, as every writer receives them."""
    from dataclasses import replace

    from bibexport.keys import KeyAssigner
    from bibexport.pipeline import Options, Summary, read_papers

    keys = KeyAssigner()
    papers = read_papers([str(EXAMPLE)], Options(), lambda problem: None, Summary())
    return [replace(p, key=keys.assign(p)) for p in papers]


@pytest.fixture(autouse=True)
def _no_user_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A user's $BIBEXPORT_CONFIG or $NO_COLOR must not change what the tests see, and the
    library cache of one test must not serve another (nor the user's ~/.cache)."""
    monkeypatch.delenv("BIBEXPORT_CONFIG", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("BIBEXPORT_CACHE", raising=False)
    monkeypatch.setenv("BIBEXPORT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
