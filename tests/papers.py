"""Papers and venues for writer tests, and what a plain-text reader must get back."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from typing import Any

from bibexport.model import Origin, Paper, Person, Venue
from bibexport.text import collapse_space, tex_to_text, to_bibtex

ICLR = Venue(
    short="ICLR",
    year=2023,
    container_title="The Eleventh International Conference on Learning Representations",
    publisher="OpenReview.net",
)
TMLR = Venue(
    short="TMLR",
    year=2023,
    container_title="Transactions on Machine Learning Research",
    issn="2835-8856",
    entry_type="article",
)
ICML = Venue(
    short="ICML",
    year=2023,
    container_title="Proceedings of the 40th International Conference on Machine Learning",
    publisher="PMLR",
    volume="202",
    series="Proceedings of Machine Learning Research",
    issn="2640-3498",
)


def make_paper(**fields: Any) -> Paper:
    """A plain ICLR paper, with ``fields`` replaced."""
    base = Paper(
        title="A Title",
        authors=(Person(given="Ada", family="Lovelace"),),
        venue=ICLR,
        origin=Origin("t.txt", 1),
        abstract="",
        key="k2023x",
        keywords=("ICLR 2023",),
    )
    return replace(base, **fields)


def expected_text(listing_text: str) -> str:
    """What a plain-text reader must get for listing text: its TeX read back, on one line."""
    text = tex_to_text(to_bibtex(listing_text, ascii_only=False))
    return collapse_space("".join(" " if unicodedata.category(c) == "Cc" else c for c in text))
