"""A worker's fast paths per paper give what the general paths give (issue 7, speed).

``listing._abstract_lines`` cuts the abstract _PAPER_AT_ONCE took out of the block without
slicing and splitting all of it when it is one line: the property compares it with the split
it replaces on generated abstracts (lines, blank lines, none, non-ASCII, stray line feeds
before and after the span). Set ``BIBEXPORT_WORK6_EXAMPLES`` to run them at length.
"""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from bibexport.formats.listing import _abstract_lines

EXAMPLES = int(os.environ.get("BIBEXPORT_WORK6_EXAMPLES", "300"))

_line = st.text(alphabet="ab #é—×\u2028\r", max_size=12)
# What _PAPER_AT_ONCE's abstract group holds: lines, each ending in a line feed, or nothing.
_abstract = st.lists(_line, max_size=5).map(lambda lines: "".join(x + "\n" for x in lines))
_around = st.text(alphabet="a\n—", max_size=6)


@settings(max_examples=EXAMPLES, deadline=None)
@given(_around, _abstract, _around)
def test_abstract_lines_are_the_split(before: str, abstract: str, after: str) -> None:
    text = before + abstract + after
    start, end = len(before), len(before) + len(abstract)
    lines = text[start:end].split("\n")
    lines.pop()
    assert _abstract_lines(text, start, end) == lines


def test_abstract_lines_common_shapes() -> None:
    text = "x\nAbstract — one line.\n\n#2"
    assert _abstract_lines(text, 2, 24) == ["Abstract — one line.", ""]
    assert _abstract_lines(text, 2, 23) == ["Abstract — one line."]
    assert _abstract_lines(text, 2, 2) == []
    assert _abstract_lines("a\n\nb\n\n\n", 0, 7) == ["a", "", "b", "", ""]
    assert _abstract_lines("\n\n", 0, 2) == ["", ""]
