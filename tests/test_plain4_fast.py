"""The plain-text path's fast paths for RIS and CSL, against the paths they shortcut.

The scan of the plain text matches math with its loop unrolled (``_MATH``): its splits are
checked against the pattern with the loop as it was, on text full of dollars, backslashes,
newlines and braces. Authors whose given and family names are ASCII letters alone skip
``plain_text`` and ``one_line`` in RIS, and ``plain_text`` and ``_plain_string`` in CSL: their
lines and name objects are checked against the general path on names that come close (accents,
TeX, spaces, quotes, a particle, a suffix, a literal).
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bibexport import text
from bibexport.formats import is_plain_name
from bibexport.formats.csljson import NAME_PARTS, _name_json, _pretty, csl_name
from bibexport.formats.ris import _author_line, _line, ris_name
from bibexport.model import Person
from bibexport.text import one_line, plain_text

# The math branch as it was before its loop was unrolled.
_OLD_MATH = r"\$(?:[^$\\\n]|\\.|\n(?!\n))+\$"
_OLD_PATTERN = re.compile(
    f"({text._PIECE.replace(text._MATH, _OLD_MATH, 1)}|{text._LIGATURE})", re.DOTALL
)

_TEX = st.lists(
    st.sampled_from(
        [*"ab Z$$$\\\\{}&%#_~^-'`?!@\n\n\t\x00é—\u00a0\U0001d4aa\ud800", "\\emph{", "\\\\$"]
    ),
    max_size=24,
).map("".join)


def test_the_old_math_branch_is_replaced() -> None:
    assert _OLD_PATTERN.pattern != text._piece_pattern().pattern
    assert _OLD_MATH not in text._piece_pattern().pattern


@settings(max_examples=400)
@given(_TEX)
@example("$a\\$b$")
@example("$a\\$b\n\n$c$")
@example("$$x$$ $\n$ $\n\n$ $\\")
def test_unrolled_math_splits_as_before(value: str) -> None:
    assert text._piece_pattern().split(value) == _OLD_PATTERN.split(value)


_NAME = st.one_of(
    st.sampled_from(["", "Ann", "Li", "Zhi-Qin", "José", "O'Neil", "van", "Jr", "A B", "x"]),
    st.text(alphabet="abcXYZé -'\\{}$~.\"\n\t\x00", max_size=8),
)


@st.composite
def _persons(draw: st.DrawFn) -> Person:
    plain = draw(st.booleans())
    if plain:  # most drawn names take the fast path
        letters = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCXYZ", min_size=1, max_size=9)
        return Person(given=draw(letters), family=draw(letters))
    return Person(
        given=draw(_NAME),
        family=draw(_NAME),
        particle=draw(st.sampled_from(["", "", "van der", "de"])),
        suffix=draw(st.sampled_from(["", "", "Jr", "III"])),
        literal=draw(st.sampled_from(["", "", "", "", "OpenAI", "others"])),
    )


def _csl_name_general(person: Person) -> dict[str, str] | None:
    """csl_name without its fast path."""
    if person.literal == "others":
        return None
    if person.literal:
        return {"literal": plain_text(person.literal)}
    parts = ((key, plain_text(part(person))) for key, part in NAME_PARTS)
    return {key: value for key, value in parts if value}


@settings(max_examples=300)
@given(_persons())
@example(Person(given="Ann", family="Lee"))
@example(Person(given="Ann", family=""))
@example(Person(given="", family="Lee"))
@example(Person(given="Ann", family="Lee", suffix="Jr"))
@example(Person(given="Ann", family="Lee", particle="van"))
@example(Person(given="Ann", family="Lee", literal="others"))
@example(Person(given="José", family="Lee"))
@example(Person(given="Ann", family="Lee\u0301"))
def test_plain_names_write_as_the_general_path(person: Person) -> None:
    assert _author_line(person) == _line("AU", one_line(ris_name(person)))
    general = _csl_name_general(person)
    assert csl_name(person) == general
    assert _name_json(person) == (_pretty(general, 3) if general else "")
    if is_plain_name(person):
        assert list(general or ()) == ["family", "given"]
