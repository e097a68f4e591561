"""Round 7's RIS and CSL author shortcuts against the general paths they replace, on nasty
name parts: TeX that decodes to nothing or to combining marks, controls, odd spacing, NBSP."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bibexport.formats.csljson import _name_json, _pretty, csl_name
from bibexport.formats.ris import _author_line, _line, ris_name
from bibexport.model import Person
from bibexport.text import one_line, plain_text

from .test_plain_text import TEXISH

_NASTY = "aZ .,'\"\\{}$~`-\t\n\x00\x1f\u00a0\u200b\u0301\u0308é漢\ue000"
# Parts that plain_text may empty ("{}", " ", "\\relax"), or start with a combining mark (which
# would follow the ", " that ris_name puts between parts), or hold what one_line rewrites.
PART = st.one_of(
    st.sampled_from(["", "", "{}", " ", "\\relax", "\u0301", "\u0301e", "a\u00a0b", "Jr", "van"]),
    st.text(alphabet=st.sampled_from([*_NASTY]), max_size=10),
    TEXISH,
    st.text(max_size=8),
)
PERSON = st.builds(
    Person,
    given=PART,
    family=PART,
    particle=PART,
    suffix=PART,
    literal=st.one_of(st.just(""), st.just(""), st.just("others"), PART),
)


@settings(max_examples=600, deadline=None)
@given(PERSON)
@example(Person(given="\u0301x", family="Lee"))
@example(Person(given="", family="{}", suffix="III"))
@example(Person(given="Ann", family="{}", suffix="{}"))
@example(Person(given="{}", family="", suffix="Jr"))
@example(Person(given="a  b", family="\tc\n", suffix=" "))
@example(Person(literal="{}"))
@example(Person(given="Ann", family="Lee", particle="{}", suffix=" "))
def test_author_lines_are_what_the_general_path_writes(person: Person) -> None:
    assert _author_line(person) == _line("AU", one_line(ris_name(person)))
    general = csl_name(person)
    assert _name_json(person) == (_pretty(general, 3) if general else "")


def test_an_empty_part_is_its_own_plain_text() -> None:
    """ris_name and _name_json skip plain_text for an empty part (most suffixes, particles)."""
    assert plain_text("") == ""
