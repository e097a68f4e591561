"""Writing BibTeX (and biblatex): braced values, ``von Last, Jr, First`` names, protection."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from ..errors import Problem
from ..model import Origin, Paper, Person, Venue
from ..text import _encode_chars, to_bibtex, untexable
from . import KEY_PLACEHOLDER, ByPerson, Rendered, WriteOptions

INDENT = "  "
_NONE: frozenset[str] = frozenset()
# A venue's entry opening, rows (with the year) and their characters with no TeX form.
_VenueParts = tuple[str, str, frozenset[str]]


def _bibtex_name(person: Person, ascii_only: bool) -> str:
    """``van der Maaten, Laurens``, ``Daum{\\'e}, III, Hal``, ``{OpenAI}``: what BibTeX reads."""
    if person.literal == "others":
        return "others"
    if person.literal:
        return "{" + _part(person.literal, ascii_only) + "}"
    family = _family(person.family, ascii_only)
    last = f"{_part(person.particle, ascii_only)} {family}" if person.particle else family
    if person.suffix:
        return f"{last}, {_part(person.suffix, ascii_only)}, {_part(person.given, ascii_only)}"
    if person.given:
        return f"{last}, {_part(person.given, ascii_only)}"
    return last


def _family(text: str, ascii_only: bool) -> str:
    """A family name as written: a family name that starts lower case, or has a lower-case
    word inside ("Van den Broeck", "Schroeder de Witt", "Soler i Bou"), is braced: BibTeX
    would read those words as "von"."""
    family = _part(text, ascii_only)
    later = () if text.isalpha() else text.split()[1:]  # most are one word
    if family[:1].islower() or any(w[:1].islower() for w in later):
        return "{" + family + "}"
    return family


# :func:`_bibtex_name`, remembered. The writer asks _author, which calls the function itself:
# the writer remembers each person by identity (ByPerson), so that this cache, which hashes the
# person (Python code over every field: ~3,000 instructions), would only find a person the
# writer has met before as another object.
bibtex_name = lru_cache(maxsize=1 << 16)(_bibtex_name)


def _author(person: Person, ascii_only: bool) -> str:
    """:func:`bibtex_name`, without its cache lookup, which hashes the person in Python; the
    common name (a given and a family name, nothing else) from its parts, each remembered."""
    return _AUTHORS[ascii_only](person)


class _NameParts(dict[str, str]):
    """Given names (:func:`_part`) or family names (:func:`_family`) as written, by their
    text: the same names recur across authors (``Wei``, ``Wang``), who are other persons."""

    def __init__(self, write: Callable[[str, bool], str], ascii_only: bool) -> None:
        super().__init__()
        self.write = write
        self.ascii_only = ascii_only

    def __missing__(self, text: str) -> str:
        if len(self) >= 1 << 16:  # bounded, for a listing of a million papers
            self.clear()
        written = self[text] = self.write(text, self.ascii_only)
        return written


def _author_function(ascii_only: bool) -> Callable[[Person], str]:
    """:func:`_author` for one mode, a function of the person alone: the writer's ByPerson
    calls it for each new author, and Python calls a Python function from Python code
    without the new interpreter frame in C that a ``partial`` cost."""
    givens, families = _NameParts(_part, ascii_only), _NameParts(_family, ascii_only)

    def author(person: Person) -> str:
        if person.particle or person.suffix or person.literal:
            return _bibtex_name(person, ascii_only)
        # Most authors: a given and a family name, each looked up as written (_bibtex_name's
        # parts, by their text), where testing them cost ~5,000 instructions an author.
        family = families[person.family]
        given = person.given
        return f"{family}, {givens[given]}" if given else family

    return author


@lru_cache(maxsize=1024)
def _value(text: str, ascii_only: bool) -> str:
    """A venue's fields and the keywords: the same few values on every paper of a listing."""
    return to_bibtex(text, ascii_only=ascii_only)


def _row(name: str, value: str) -> str:
    """One field as written, or nothing for an empty value."""
    return f"{INDENT}{name} = {{{value}}},\n" if value else ""


# A character a token of to_bibtex starts with, a newline (to_bibtex's "@" rule), or a comma.
_NAME_TEX = re.compile(r"[$\\{}&%#_~^\n,]").search


def _part(text: str, ascii_only: bool) -> str:
    """A name part: commas and the word "and" braced, since BibTeX splits names on them."""
    if text.isascii() and text.isalpha():  # most are one word of ASCII letters: as they are
        return "{" + text + "}" if text.lower() == "and" else text
    return _odd_part(text, ascii_only)


@lru_cache(maxsize=1 << 14)
def _odd_part(text: str, ascii_only: bool) -> str:
    """:func:`_part` of any other text (accented, hyphenated, initials), remembered: such
    parts recur across authors (``Dupré``, ``Zhi-Qin``, ``J.``), and encoding one (a regex
    and a Python call per accented letter) costs several times the lookup."""
    if _NAME_TEX(text) is None:
        # Nothing TeX reads specially ("Frédéric", "Ramón Araújo", "J.-P."): to_bibtex would
        # only encode the characters; with no comma, newline or "and" in them, that is all.
        encoded = _encode_chars(text, ascii_only)
        if "," not in encoded and "\n" not in encoded and "and" not in encoded.lower():
            return encoded
    encoded = to_bibtex(text, ascii_only=ascii_only).replace(",", "{,}")
    return " ".join("{" + w + "}" if w.lower() == "and" else w for w in encoded.split(" "))


# By mode (ascii_only).
_AUTHORS = {ascii_only: _author_function(ascii_only) for ascii_only in (False, True)}


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
        # As given: JabRef compares the name, it does not decode TeX.
        self._group_row = (
            f"{INDENT}groups = {{{options.jabref_group}}},\n" if options.jabref_group else ""
        )
        self._venues: dict[Venue, _VenueParts] = {}
        self._last_venue: Venue | None = None
        self._last_parts: _VenueParts = ("", "", _NONE)
        self._last_keywords: tuple[str, ...] | None = None
        self._keywords_row = ""
        # Each author as written, by the Person's identity (as RIS and CSL remember theirs):
        # cheaper than _author's lookups or bibtex_name's cache, which hashes the person.
        self._names = ByPerson(_AUTHORS[self.ascii_only])
        self._share = options.plain_too

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

    def _venue_parts(self, venue: Venue) -> _VenueParts:
        """The entry's opening (``@inproceedings{``), the venue's rows with the year between
        them, and their characters with no TeX form: written once per venue, since every paper
        of a listing has the same."""
        parts = self._venues.get(venue)
        if parts is None:
            a = self.ascii_only
            container = "journal" if venue.is_journal else "booktitle"
            # biblatex's data model has no issn on @inproceedings (biber
            # --validate-datamodel warns): there it is the series' ISSN, which the series
            # field already names.
            issn = venue.issn if venue.is_journal or not self.biblatex else ""
            rows = [_row(container, _value(venue.container_title, a))]
            if self.biblatex and not venue.is_journal and venue.short:
                rows.append(_row("eventtitle", _value(venue.event_title, a)))
            rows += [
                _row("volume", _value(venue.volume, a)),
                _row("series", _value(venue.series, a)),
                _row("date" if self.biblatex else "year", str(venue.year or "")),
                _row("publisher", _value(venue.publisher, a)),
                _row("issn", _value(issn, a)),
            ]
            middle = "".join(rows)
            chars = _untexable(middle) if a else _NONE
            parts = self._venues[venue] = (f"@{venue.entry_type}{{", middle, chars)
        self._last_venue, self._last_parts = venue, parts
        return parts

    def entry(self, paper: Paper) -> str:
        return self.place(self.render(paper), paper.origin)

    def render(self, paper: Paper) -> Rendered:
        """The entry without the blank line before it, and its characters with no TeX form."""
        a = self.ascii_only
        venue = paper.venue
        # The papers of a listing share one venue and one keywords tuple: no hash per paper.
        head, middle, venue_chars = (
            self._last_parts if venue is self._last_venue else self._venue_parts(venue)
        )
        keywords = paper.keywords
        if keywords != self._last_keywords:
            self._keywords_row = _row("keywords", _value(", ".join(keywords), a))
            self._last_keywords = keywords
        keywords_row = self._keywords_row
        authors = " and ".join(self._names.each(paper.authors))
        title = to_bibtex(paper.title, ascii_only=a, protect=True)
        abstract = to_bibtex(paper.abstract, ascii_only=a, share=self._share)
        chars = _NONE
        if a and not (
            authors.isascii() and title.isascii() and abstract.isascii() and keywords_row.isascii()
        ):
            # Only the values can hold what has no TeX form: the rest of the entry is ASCII.
            # Each value that is not ASCII is searched on its own (most often the authors
            # alone: ~100 characters, where the four joined were ~1,500, each put in a set).
            values = (authors, title, abstract, keywords_row)
            chars = venue_chars.union(*[untexable(v) for v in values if not v.isascii()])
        elif venue_chars:
            chars = venue_chars
        author_row = f"{INDENT}author = {{{authors}}},\n" if authors else ""
        title_row = f"{INDENT}title = {{{title}}},\n" if title else ""
        abstract_row = f"{INDENT}abstract = {{{abstract}}},\n" if abstract else ""
        return (
            f"{head}{paper.key},\n{author_row}{title_row}{middle}{abstract_row}{keywords_row}"
            f"{self._group_row}}}\n"
        ), chars

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

    def cut(self, text: str) -> list[str]:
        """``text`` cut where :meth:`with_key` puts the key: ``key_text(key).join(cut(text))``
        is ``with_key(text, key)``, so a worker cuts and the main process only joins."""
        return text.split(KEY_PLACEHOLDER, 1)

    def key_text(self, key: str) -> str:
        return key


def _untexable(text: str) -> frozenset[str]:
    return frozenset(untexable(text)) if not text.isascii() else _NONE
