"""The shortcuts of plain_text for short text with an accent and no TeX (names, titles), of
_printable for short text, and of the RIS and CSL writers for a name of two parts, against the
general paths they shortcut."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bibexport.formats.csljson import _name_json, _pretty, csl_name
from bibexport.formats.ris import _author_line, _line, ris_name
from bibexport.model import Person
from bibexport.text import (
    _LONG,
    _as_it_is,
    _decoded_line,
    _printable,
    collapse_space,
    one_line,
    plain_text,
)

from .test_ris7_fast import PART

# What a name or title holds, and what plain text must treat with care: TeX's specials and
# ligatures, accents precomposed and combining, Hangul jamo, NBSP, the soft hyphen, controls,
# characters past the BMP, and surrogates.
_NASTY = (
    "aZé ß-'`?!.\\{}$~^&%#_@\"\u00a0\u00ad\t\n\x7f\x85\u0301\u0308\u0338\u1100\u1161\u11a8"
    "\u212b\u2014\u03b1\u0130\uff21\U0001d4aa\ud800\u200b\u2028"
)
_TEXT = st.text(st.sampled_from(_NASTY), max_size=_LONG + 8) | st.text(max_size=_LONG + 8)


def _reference(text: str) -> str:
    """plain_text as it was: the ASCII shortcut, else the decoding path."""
    if text.isascii() and "\\" not in text and "$" not in text and _as_it_is(text):
        return text
    decoded, printable = _decoded_line.__wrapped__(text)
    if (
        "  " not in decoded
        and decoded[:1] != " "
        and decoded[-1:] != " "
        and (printable or decoded.isprintable())
    ):
        return decoded
    return collapse_space(decoded)


@settings(max_examples=1500, deadline=None)
@given(_TEXT)
@example("Özgür")
@example("Jérôme  Béthune")
@example(" Barış")
@example("Trần ")
@example("Hélène--Marie")
@example("d'Ar\u00e7on''s")
@example("Ba\u0301lazy")
@example("\u1100\u1161")
@example("Zo\u00eb\u00a0Smith")
@example("Zo\u00eb\u00adSmith")
@example("Ω{x}")
@example("Ω~x")
@example("Ω`x'")
@example("Ω\\'e")
@example("Ω$x$")
@example("é%ü&ö#_^")
@example("é" * (_LONG - 1))
@example("é" * _LONG)
@example("\ud800é")
def test_plain_text_is_what_it_was(text: str) -> None:
    assert plain_text.__wrapped__(text) == _reference(text)


@settings(max_examples=1500, deadline=None)
@given(_TEXT)
@example("é\x85")
@example("é\u2028")
@example("é\ud800")
@example("é" * (_LONG - 1) + "\x7f")
@example("é" * _LONG + "\x7f")
def test_printable_is_isprintable_at_every_length(text: str) -> None:
    assert _printable(text) == text.isprintable()


# Names of a family and a given part alone (the writers' shortcut), with accents, quotes,
# backslashes, TeX that decodes to nothing, surrounding spaces; now and then a particle or a
# suffix, which the shortcut leaves to the general path.
_ACCENTED = st.text(st.sampled_from("aZéøłç -.'\"\\\u0301\u00a0\t"), max_size=10)
_TWO_PARTS = st.builds(
    Person,
    given=st.one_of(_ACCENTED, PART),
    family=st.one_of(_ACCENTED, PART),
    particle=st.sampled_from(["", "", "", "", "{}", "van"]),
    suffix=st.sampled_from(["", "", "", "", " ", "Jr"]),
)


@settings(max_examples=800, deadline=None)
@given(_TWO_PARTS)
@example(Person(given="Özgür", family="Müller"))
@example(Person(given="Ann", family=" Lée "))
@example(Person(given="Ann", family="{}"))
@example(Person(given="{}", family="Lée"))
@example(Person(given='A"nn', family="Lée"))
@example(Person(given="Ann", family="L\\ée"))
@example(Person(given="\u0301x", family="Lée"))
@example(Person(given="Zoë", family="Lee", particle="{}"))
def test_two_part_names_write_as_the_general_path(person: Person) -> None:
    assert _author_line(person) == _line("AU", one_line(ris_name(person)))
    general = csl_name(person)
    assert _name_json(person) == (_pretty(general, 3) if general else "")
