"""Writing RIS, the tagged format Zotero, EndNote, Mendeley and JabRef all import: one line per
value, so that titles, names and the citation key arrive in the fields those tools read."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache, partial

from ..errors import Problem
from ..model import Origin, Paper, Person, Venue
from ..text import one_line, plain_text
from . import (
    KEY_PLACEHOLDER,
    ByPerson,
    ByVenue,
    Cut,
    Rendered,
    WriteOptions,
    cut_template,
    is_plain_name,
)

# Tags are chosen by what Zotero's RIS translator does with them (zotero/translators, RIS.js:
# fieldMap, degenerateImportFieldMap, processTag), since Zotero is where most RIS files go:
#   TY CONF -> conferencePaper, TY JOUR -> journalArticle.
#   T2 -> conferenceName for CONF, publicationTitle for JOUR. JO would be read as the journal
#         *abbreviation*, so a journal gets T2 only.
#   C3 -> proceedingsTitle for CONF. BT (same text) -> the fallback publication title; readers
#         without C3 use it (JabRef's RisImporter reads BT as booktitle).
#   T3 -> series, VL -> volume, PB -> publisher, AB -> abstract, KW -> one tag each.
#   SN -> ISSN for JOUR but ISBN for CONF, so a proceedings series' ISSN is not written.
#   DA -> date (YYYY/MM/DD/other), PY -> the date's fallback.
#   M2 -> a line of its own in Extra. "Citation Key: <key>" there is the line Better BibTeX
#         pins a citation key from. No other tag reaches Extra: ID is ignored, N1 makes a note.
#   AU -> a creator split at the first comma: last name before it (particle included), first
#         name after; without a comma, a single-field (organisation) name.
# Zotero reads a file without BOM as UTF-8 when it is valid UTF-8 (translate_firefox.js), so no
# BOM is written. Lines end in CRLF, as the RIS spec and Zotero's own export have them: the
# registry row opens the output with newline="\r\n", so this module writes "\n".

# BibTeX entry type (Venue.entry_type) -> RIS reference type.
RIS_TYPES: dict[str, str] = {"inproceedings": "CONF", "article": "JOUR"}


def ris_name(person: Person) -> str:
    """``van der Maaten, Laurens``, ``Daumé, Hal, III``, ``OpenAI``; "" for ``others``.

    RIS has no "et al." marker, and an author called "others" would be imported as a person,
    so the listing's "et al." is left out.
    """
    if person.literal == "others":
        return ""
    if person.literal:
        return plain_text(person.literal)
    family, given = plain_text(person.full_family), plain_text(person.given)
    if not family:  # a given name alone is the name's only field
        family, given = given, ""
    suffix = person.suffix and plain_text(person.suffix)  # most have none: no cache lookup
    if suffix:
        return f"{family}, {given}, {suffix}"
    return f"{family}, {given}" if given else family


def _conference(paper: Paper, value: str) -> list[str]:
    """C3 and BT name proceedings; a journal article has none (its journal is in T2)."""
    return [] if paper.venue.is_journal else [value]


def _event_title(paper: Paper) -> list[str]:
    """The event (``ICLR 2023``) for CONF, the journal's title for JOUR: what Zotero reads."""
    venue = paper.venue
    if venue.is_journal:
        return [venue.container_title]
    return [venue.event_title] if venue.short else []


# The record, tag by tag in the order written (Zotero's own export order). Each row gives the
# values for one paper; every value becomes one line, empty values none.
TAGS: tuple[tuple[str, Callable[[Paper], Iterable[str]]], ...] = (
    ("TY", lambda p: [RIS_TYPES[p.venue.entry_type]]),
    ("TI", lambda p: [p.title]),
    ("AU", lambda p: map(ris_name, p.authors)),
    ("T2", _event_title),
    ("T3", lambda p: [p.venue.series]),
    ("AB", lambda p: [p.abstract]),
    ("C3", lambda p: _conference(p, p.venue.container_title)),
    ("BT", lambda p: _conference(p, p.venue.container_title)),
    ("DA", lambda p: [f"{p.year}///" if p.year else ""]),
    ("PY", lambda p: [str(p.year or "")]),
    ("VL", lambda p: [p.venue.volume]),
    ("PB", lambda p: [p.venue.publisher]),
    ("SN", lambda p: [p.venue.issn] if p.venue.is_journal else []),
    ("KW", lambda p: p.keywords),
    ("M2", lambda p: [f"Citation Key: {p.key}" if p.key else ""]),
)
# Values already in RIS form, not listing text: kept on one line, but not read as TeX.
_VERBATIM = frozenset({"TY", "AU", "DA", "PY", "M2"})


class Writer:
    """Streams records, a blank line between them: nothing is kept from one paper to the next."""

    def __init__(self, options: WriteOptions) -> None:
        self.problems: list[Problem] = []
        self._first = not options.appending

    def begin(self) -> str:
        return ""

    def end(self) -> str:
        return ""

    def entry(self, paper: Paper) -> str:
        return self.place(self.render(paper), paper.origin)

    def render(self, paper: Paper) -> Rendered:
        """The record without the blank line before it."""
        parts = _parts(paper)
        if parts is not None:
            head, abstract, before_key, end = parts
            return "".join([head, abstract, before_key, paper.key, end]), _NONE
        _, template = _VENUE_PARTS(paper.venue, paper.keywords)
        return "".join([part if isinstance(part, str) else part(paper) for part in template]), _NONE

    def render_cut(self, paper: Paper) -> Cut | None:
        """``cut(render(paper)[0])`` for a paper keyed with the placeholder, the piece before
        the key as the texts around the abstract and the abstract (formats.Cut); None where
        the record is only rendered whole."""
        parts = _parts(paper) if paper.key is KEY_PLACEHOLDER else None
        if parts is None:
            return None
        head, abstract, before_key, end = parts
        return [(head, abstract, before_key), end], _NONE

    def place(self, rendered: Rendered, origin: Origin) -> str:
        gap = "" if self._first else "\n"
        self._first = False
        return gap + rendered[0]

    def with_key(self, text: str, key: str) -> str:
        """The key is in the last line before ER, after all listing text."""
        head, found, tail = text.rpartition(KEY_PLACEHOLDER)
        return head + key + tail if found else text

    def cut(self, text: str) -> list[str]:
        """``text`` cut where :meth:`with_key` puts the key (see bibtex.Writer.cut)."""
        return text.rsplit(KEY_PLACEHOLDER, 1)

    def key_text(self, key: str) -> str:
        return key


_NONE: frozenset[str] = frozenset()


def _parts(paper: Paper) -> tuple[str, str, str, str] | None:
    """The record of a paper with a title, an abstract and a key that one_line keeps as it is
    (most papers), as the text before the abstract, the abstract, the text between it and
    the key, and the text after the key; None for any other paper (Writer.render writes it
    from _venue_template, row by row).

    What the venue decides (type, event, proceedings, year, publisher, keywords) is the same
    on every paper of a listing: written once (_venue_parts), and the paper's own lines go
    between its pieces."""
    slots, _ = _VENUE_PARTS(paper.venue, paper.keywords)
    title, abstract, key = plain_text(paper.title), plain_text(paper.abstract), paper.key
    if not (title and abstract and (key is KEY_PLACEHOLDER or _one_line_key(key))):
        return None
    before_title, before_authors, before_abstract, before_key, end = slots
    authors = _AUTHOR_LINE.each(paper.authors)
    head = "".join([before_title, title, before_authors, *authors, before_abstract])
    return head, abstract, before_key, end


def _values(tag: str, values: Callable[[Paper], Iterable[str]], paper: Paper) -> list[str]:
    """Every value is one line of plain text (newlines and control characters are spaces), so
    no value can start a tag or end the record early."""
    clean = one_line if tag in _VERBATIM else plain_text
    return [value for value in map(clean, values(paper)) if value]


def _text(tag: str, values: Callable[[Paper], Iterable[str]], paper: Paper) -> str:
    return "".join(f"{tag}  - {value}\n" for value in _values(tag, values, paper))


# Tags whose values come from the paper itself; the others from its venue, year and keywords.
_PAPER_TAGS = frozenset({"TI", "AU", "AB", "M2"})


@lru_cache(maxsize=64)
def _venue_template(
    venue: Venue, keywords: tuple[str, ...]
) -> tuple[str | Callable[[Paper], str], ...]:
    """The record for any paper of this venue (which holds the year) and these keywords: the
    text of the rows that do not depend on the paper, joined, between the functions that write
    the rows that do."""
    probe = Paper(title="", authors=(), venue=venue, origin=Origin("", 0), keywords=keywords)
    template: list[str | Callable[[Paper], str]] = []
    for tag, values in TAGS:
        if tag in _PAPER_TAGS:
            template.append(_PAPER_ROWS.get(tag) or partial(_text, tag, values))
        elif template and isinstance(template[-1], str):
            template[-1] += _text(tag, values, probe)
        else:
            template.append(_text(tag, values, probe))
    template.append("ER  - \n")
    return tuple(template)


def _one_line_key(key: str) -> bool:
    """Whether the M2 line holds the key as it is (one_line keeps it): a worker renders every
    paper with KEY_PLACEHOLDER, which Writer.render knows by identity without asking."""
    return key.isascii() and key.isprintable() and " " not in key and bool(key)


# Per tag from the paper, in TAGS order: what Writer.render writes before and after its value
# (a key that one_line keeps as it is; the author lines, whole).
_SLOTS: tuple[tuple[str, str, str], ...] = (
    ("TI", "TI  - ", "\n"),
    ("AU", "", ""),
    ("AB", "AB  - ", "\n"),
    ("M2", "M2  - Citation Key: ", "\n"),
)


@lru_cache(maxsize=64)
def _venue_parts(
    venue: Venue, keywords: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[str | Callable[[Paper], str], ...]]:
    """The record for a paper of this venue and keywords with a title, an abstract and a key,
    cut where they and the author lines go (five pieces); and _venue_template, for the
    others."""
    template = _venue_template(venue, keywords)
    values = [(_PAPER_ROWS[tag], head, tail) for tag, head, tail in _SLOTS]
    return cut_template(template, values), template


_VENUE_PARTS = ByVenue(_venue_parts)


def _line(tag: str, value: str) -> str:
    return f"{tag}  - {value}\n" if value else ""


def _author_line(person: Person) -> str:
    """``_text("AU", ...)`` for one author (authors recur across a venue's papers)."""
    if is_plain_name(person):  # most authors: plain_text and one_line would change nothing
        return f"AU  - {person.family}, {person.given}\n"
    if not (person.particle or person.suffix or person.literal):
        # A family and a given name (all but a few names that are not plain: accents, hyphens,
        # initials): ris_name, unrolled (full_family is the family name, stripped).
        family, given = plain_text(person.family.strip()), plain_text(person.given)
        if family and given:
            return f"AU  - {family}, {given}\n"
    # ris_name joins plain_text's lines (one line each: no control character, no space to
    # collapse, NFC) with ", ", which one_line would keep as it is: its pass cost a third of
    # the line of a name with an accent. The tests hold the two to each other.
    name = ris_name(person)
    return f"AU  - {name}\n" if name else ""


_AUTHOR_LINE = ByPerson(_author_line)


def _author_lines(paper: Paper) -> str:
    return "".join(_AUTHOR_LINE.each(paper.authors))


# The rows that depend on the paper, as _text writes them, with less work per paper.
_PAPER_ROWS: dict[str, Callable[[Paper], str]] = {
    "TI": lambda p: _line("TI", plain_text(p.title)),
    "AU": _author_lines,
    "AB": lambda p: _line("AB", plain_text(p.abstract)),
    "M2": lambda p: _line("M2", one_line(f"Citation Key: {p.key}")) if p.key else "",
}
