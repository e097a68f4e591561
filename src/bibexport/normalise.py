"""Listing entries -> Papers: names split and case-repaired, titles tidied, the venue resolved."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from ._dataclass import dataclass
from .errors import Problem
from .formats.listing import Header, ListingEntry
from .model import Paper, Person, Venue, new_paper
from .names import parse_names
from .text import collapse_space

if TYPE_CHECKING:
    from .venues import VenueSpec


@dataclass(frozen=True, slots=True)
class VenueOverride:
    """``--venue``, ``--year`` and ``--booktitle``: they win over the listing's header."""

    venue: str | None = None
    year: int | None = None
    booktitle: str | None = None


def resolve_venue(
    header: Header | None,
    override: VenueOverride,
    source: str,
    extra: Sequence[VenueSpec] = (),
) -> tuple[Venue, list[Problem]]:
    """The venue for every paper of one listing, with a warning if the table does not know it."""
    from .venues import resolve

    name = override.venue or (header.venue if header else None)
    year = override.year or (header.year if header else None)
    line = header.origin.line if header else None
    problems = []
    if name is None:
        if override.booktitle is None:
            from .errors import InputError

            raise InputError(
                "no header line like 'ICLR.2023 - Poster'; add one or give --venue and --year",
                source,
                1,
            )
        name = ""
    venue = resolve(name, year, extra) if name else Venue(short="", year=year, known=False)
    if override.booktitle:
        venue = replace(venue, container_title=override.booktitle, known=True)
    elif not venue.known:
        problems.append(
            Problem(
                f"unknown venue {name!r}: its name is used as the booktitle as written "
                "(give --booktitle for the real proceedings title)",
                source,
                line,
            )
        )
    if year is None:
        problems.append(Problem("no year in the header; give --year", source, line))
    return venue, problems


def normalise_authors(raw: list[str] | None) -> tuple[Person, ...]:
    """Each name parsed; empty ones dropped (names.parse_names: a paper's names at once)."""
    if not raw:
        return ()
    return parse_names(raw)


def normalise(entry: ListingEntry, venue: Venue, track: str, key: str = "") -> Paper:
    """One listing entry -> a Paper. The track goes to keywords, never into the booktitle.
    ``key``: the paper's, if known (a worker's placeholder: parallel._Columns.add)."""
    raw = entry.authors
    return new_paper(  # Paper(...), cheaper: this runs for every paper
        entry.title if entry.tidy_title else collapse_space(entry.title),
        parse_names(raw, entry.tidy_title) if raw else (),  # normalise_authors, inline
        venue,
        entry.origin,  # frozen: shared, not copied
        entry.abstract,
        entry.number,
        track,
        key,
        _keywords(venue, track),
    )


# The last venue and track _keywords saw, and their keywords: a listing's papers share them.
# The venue itself is held (not its id), so that it is the same object, not another at its place.
_last_keywords: tuple[Venue | None, str, tuple[str, ...]] = (None, "", ())


def _keywords(venue: Venue, track: str) -> tuple[str, ...]:
    """The event (``ICLR 2023``) and the track, those that are not empty."""
    global _last_keywords
    last_venue, last_track, keywords = _last_keywords
    if venue is not last_venue or track != last_track:
        keywords = tuple(filter(None, (venue.event_title if venue.short else "", track)))
        _last_keywords = venue, track, keywords
    return keywords
