"""The frozen records every stage reads: Person, Origin, Venue, Paper. No I/O here.

The vocabulary is CSL's (given/family/particle/suffix, container-title, event-title), so the
CSL writer is nearly the identity and every other format converts to and from one shape.
"""

from __future__ import annotations

from dataclasses import field
from typing import Any

from ._dataclass import dataclass


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a record came from, so every message can point at it (line is 1-based)."""

    source: str
    line: int

    def __str__(self) -> str:
        return f"{self.source}:{self.line}"


@dataclass(frozen=True, slots=True)
class Person:
    """One author. ``literal`` is set instead of the parts for organisations (``OpenAI``).

    ``particle`` is CSL's non-dropping particle (``van der`` in ``van der Maaten``): BibTeX's
    "von" part, which sorts with the family name in most styles.
    """

    given: str = ""
    family: str = ""
    particle: str = ""
    suffix: str = ""
    literal: str = ""

    @property
    def full_family(self) -> str:
        """Family name with its particle, as printed: ``van der Maaten``."""
        return f"{self.particle} {self.family}".strip()

    def display(self) -> str:
        """The name in reading order, for messages: ``Laurens van der Maaten``."""
        if self.literal:
            return self.literal
        name = " ".join(p for p in (self.given, self.particle, self.family) if p)
        return f"{name}, {self.suffix}" if self.suffix else name


@dataclass(frozen=True, slots=True)
class Venue:
    """A resolved venue: the proceedings (or journal) a paper appeared in."""

    short: str  # as the listing names it, upper-cased when known: "ICLR"
    year: int | None
    entry_type: str = "inproceedings"  # BibTeX type: "inproceedings" or "article"
    container_title: str = ""  # booktitle for proceedings, journal for articles
    publisher: str = ""
    volume: str = ""
    series: str = ""
    issn: str = ""
    known: bool = True

    @property
    def is_journal(self) -> bool:
        return self.entry_type == "article"

    @property
    def event_title(self) -> str:
        """``ICLR 2023``: the event, distinct from the proceedings title."""
        return f"{self.short} {self.year}" if self.year else self.short


@dataclass(frozen=True, slots=True)
class Paper:
    """One paper. Text fields hold listing text: Unicode, possibly with TeX in it."""

    title: str
    authors: tuple[Person, ...]
    venue: Venue
    origin: Origin
    abstract: str = ""
    number: int | None = None  # the listing's "#N"
    track: str = ""  # "Notable-top-25%": a keyword, never part of the booktitle
    key: str = ""
    keywords: tuple[str, ...] = field(default=())

    @property
    def year(self) -> int | None:
        return self.venue.year


# A frozen dataclass's __init__ sets each field through object.__setattr__, which costs more
# than the rest of making a paper: the per-paper paths (normalise, keys.with_key) make them the
# cheaper ways below. Only while Paper has exactly these fields (PAPER_AS_WRITTEN).
_PAPER_FIELDS: tuple[str, ...] = (
    *("title", "authors", "venue", "origin", "abstract"),
    *("number", "track", "key", "keywords"),
)
PAPER_AS_WRITTEN = tuple(Paper.__dataclass_fields__) == _PAPER_FIELDS


# The same for Person and Origin: a name's parse (names.parse_name, once per distinct author of
# a listing) and the listing reader (once per paper) make these, and the frozen __init__ cost
# more than the rest of making a two-word name's Person.
_PERSON_FIELDS: tuple[str, ...] = ("given", "family", "particle", "suffix", "literal")
PERSON_AS_WRITTEN = tuple(Person.__dataclass_fields__) == _PERSON_FIELDS
ORIGIN_AS_WRITTEN = tuple(Origin.__dataclass_fields__) == ("source", "line")


def _twin(cls: type) -> type | None:
    """A plain class with ``cls``'s slots, or None if Python will not let one of its objects
    become a ``cls``.

    Setting a frozen object's slot means calling the slot's ``__set__`` through a method
    wrapper, which packs and unpacks a tuple of its arguments: ~1,000 instructions a field. An
    object of the twin has its slots set by plain assignment (a few dozen instructions each,
    specialised by the interpreter), and then becomes a ``cls`` by ``__class__`` assignment,
    which Python allows between classes of one layout (same slots, same base). It is then a
    ``cls`` in every way (type, equality, hash, pickle: tests/test_model_fast.py), at half the
    cost of the ``__set__`` calls for a Person and a third for a Paper
    (tests/test_paper3_fast.py).
    """
    twin = type(f"_{cls.__name__}Twin", (), {"__slots__": cls.__dict__["__slots__"]})
    try:
        probe = twin()
        probe.__class__ = cls
    except TypeError:
        return None
    return twin


_PersonTwin = _twin(Person) if PERSON_AS_WRITTEN else None
_OriginTwin = _twin(Origin) if ORIGIN_AS_WRITTEN else None
_PaperTwin = _twin(Paper) if PAPER_AS_WRITTEN else None


def new_person(given: str, family: str) -> Person:
    """``Person(given, family)`` (no particle, suffix or literal) at a fraction of the cost."""
    if _PersonTwin is None:  # Person has other fields than these: the safe way
        return Person(given, family)
    person: Any = _PersonTwin()
    person.given = given
    person.family = family
    person.particle = ""
    person.suffix = ""
    person.literal = ""
    person.__class__ = Person
    return person  # type: ignore[no-any-return]


def new_origin(source: str, line: int) -> Origin:
    """``Origin(source, line)`` at a fraction of the cost (see new_person)."""
    if _OriginTwin is None:  # Origin has other fields than these: the safe way
        return Origin(source, line)
    origin: Any = _OriginTwin()
    origin.source = source
    origin.line = line
    origin.__class__ = Origin
    return origin  # type: ignore[no-any-return]


def new_paper(
    title: str,
    authors: tuple[Person, ...],
    venue: Venue,
    origin: Origin,
    abstract: str,
    number: int | None,
    track: str,
    key: str,
    keywords: tuple[str, ...],
) -> Paper:
    """``Paper(...)`` with every field given, at a fraction of the cost (see _twin)."""
    if _PaperTwin is None:  # Paper has other fields than these: the safe way
        return Paper(title, authors, venue, origin, abstract, number, track, key, keywords)
    paper: Any = _PaperTwin()
    paper.title = title
    paper.authors = authors
    paper.venue = venue
    paper.origin = origin
    paper.abstract = abstract
    paper.number = number
    paper.track = track
    paper.key = key
    paper.keywords = keywords
    paper.__class__ = Paper
    return paper  # type: ignore[no-any-return]
