"""Writing BibTeX (and biblatex): braced values, ``von Last, Jr, First`` names, protection."""

from __future__ import annotations

from functools import lru_cache

from ..errors import Problem
from ..model import Origin, Paper, Person, Venue
from ..text import to_bibtex, untexable
from . import KEY_PLACEHOLDER, Rendered, WriteOptions

INDENT = "  "


@lru_cache(maxsize=1 << 16)
def bibtex_name(person: Person, ascii_only: bool) -> str:
    """``van der Maaten, Laurens``, ``Daum{\\'e}, III, Hal``, ``{OpenAI}``: what BibTeX reads."""
    if person.literal == "others":
        return "others"
    if person.literal:
        return "{" + _part(person.literal, ascii_only) + "}"
    family = _part(person.family, ascii_only)
    # A family name that starts lower case, or has a lower-case word inside ("Van den Broeck",
    # "Schroeder de Witt", "Soler i Bou"), is braced: BibTeX would read those words as "von".
    later = () if person.family.isalpha() else person.family.split()[1:]  # most are one word
    if family[:1].islower() or any(w[:1].islower() for w in later):
        family = "{" + family + "}"
    last = f"{_part(person.particle, ascii_only)} {family}" if person.particle else family
    if person.suffix:
        return f"{last}, {_part(person.suffix, ascii_only)}, {_part(person.given, ascii_only)}"
    if person.given:
        return f"{last}, {_part(person.given, ascii_only)}"
    return last


def _author(person: Person, ascii_only: bool) -> str:
    """:func:`bibtex_name`, written at once for the common name (a given name and a
    capitalised family name, one word of ASCII letters each), without its cache lookup, which
    hashes the person in Python."""
    given, family = person.given, person.family
    both = given + family
    if (
        both.isalpha()
        and both.isascii()
        and given
        and family[:1].isupper()
        and not (person.particle or person.suffix or person.literal)
        and given.lower() != "and"
        and family.lower() != "and"
    ):
        return f"{family}, {given}"
    return bibtex_name(person, ascii_only)


@lru_cache(maxsize=1024)
def _value(text: str, ascii_only: bool) -> str:
    """A venue's fields and the keywords: the same few values on every paper of a listing."""
    return to_bibtex(text, ascii_only=ascii_only)


def _row(name: str, value: str) -> str:
    """One field as written, or nothing for an empty value."""
    return f"{INDENT}{name} = {{{value}}},\n" if value else ""


def _part(text: str, ascii_only: bool) -> str:
    """A name part: commas and the word "and" braced, since BibTeX splits names on them."""
    if text.isascii() and text.isalpha():  # most are one word of ASCII letters: as they are
        return "{" + text + "}" if text.lower() == "and" else text
    encoded = to_bibtex(text, ascii_only=ascii_only).replace(",", "{,}")
    return " ".join("{" + w + "}" if w.lower() == "and" else w for w in encoded.split(" "))


class Writer:
    """BibTeX by default; ``biblatex=True`` writes ``date``, ``eventtitle`` and UTF-8."""

    def __init__(self, options: WriteOptions, biblatex: bool = False) -> None:
        self.biblatex = biblatex
        unicode = options.unicode if options.unicode is not None else biblatex
        self.ascii_only = not unicode
        self.problems: list[Problem] = []
        self._untexable: set[str] = set()
        self._first_untexable: Origin | None = None
        self._first = not options.appending
        self.jabref_group = options.jabref_group
        self._venues: dict[Venue, tuple[str, str]] = {}
        self._last_venue: Venue | None = None
        self._last_rows = ("", "")

    def begin(self) -> str:
        return ""

    def end(self) -> str:
        if self._untexable:  # one warning for the whole file, pointing at the first case
            shown = " ".join(sorted(self._untexable)[:20])
            self.problems.append(
                Problem(
                    f"no TeX form for {shown}: kept as UTF-8 (a LaTeX with inputenc utf8 reads "
                    "them; or use --unicode with biber)",
                    self._first_untexable.source if self._first_untexable else None,
                    self._first_untexable.line if self._first_untexable else None,
                )
            )
        return ""

    def _venue_rows(self, venue: Venue) -> tuple[str, str]:
        """The venue's rows before the year and after it, encoded and written once per venue:
        every paper of a listing has the same."""
        if venue is self._last_venue:  # the papers of a listing share one: no hash per paper
            return self._last_rows
        rows = self._venues.get(venue)
        if rows is None:
            a = self.ascii_only
            container = "journal" if venue.is_journal else "booktitle"
            # biblatex's data model has no issn on @inproceedings (biber
            # --validate-datamodel warns): there it is the series' ISSN, which the series
            # field already names.
            issn = venue.issn if venue.is_journal or not self.biblatex else ""
            before = [_row(container, _value(venue.container_title, a))]
            if self.biblatex and not venue.is_journal and venue.short:
                before.append(_row("eventtitle", _value(venue.event_title, a)))
            before += [
                _row("volume", _value(venue.volume, a)),
                _row("series", _value(venue.series, a)),
            ]
            after = [_row("publisher", _value(venue.publisher, a)), _row("issn", _value(issn, a))]
            rows = self._venues[venue] = ("".join(before), "".join(after))
        self._last_venue, self._last_rows = venue, rows
        return rows

    def entry(self, paper: Paper) -> str:
        return self.place(self.render(paper), paper.origin)

    def render(self, paper: Paper) -> Rendered:
        """The entry without the blank line before it, and its characters with no TeX form."""
        a = self.ascii_only
        before, after = self._venue_rows(paper.venue)
        body = "".join(
            [
                _row("author", " and ".join([_author(p, a) for p in paper.authors])),
                _row("title", to_bibtex(paper.title, ascii_only=a, protect=True)),
                before,
                _row("date" if self.biblatex else "year", str(paper.year or "")),
                after,
                _row("abstract", to_bibtex(paper.abstract, ascii_only=a)),
                _row("keywords", _value(", ".join(paper.keywords), a)),
            ]
        )
        chars = frozenset(untexable(body)) if self.ascii_only and not body.isascii() else _NONE
        if self.jabref_group:  # as given: JabRef compares the name, it does not decode TeX
            body += f"{INDENT}groups = {{{self.jabref_group}}},\n"
        return f"@{paper.venue.entry_type}{{{paper.key},\n{body}}}\n", chars

    def place(self, rendered: Rendered, origin: Origin) -> str:
        text, chars = rendered
        if chars:
            self._untexable |= chars
            self._first_untexable = self._first_untexable or origin
        gap = "" if self._first else "\n"
        self._first = False
        return gap + text

    def with_key(self, text: str, key: str) -> str:
        """The key is the first thing in the entry, before any listing text."""
        return text.replace(KEY_PLACEHOLDER, key, 1)


_NONE: frozenset[str] = frozenset()
