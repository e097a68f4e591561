"""Writing CSL-JSON and CSL-YAML, for pandoc, citeproc and Zotero: plain Unicode, not TeX, so
that readers which know nothing of LaTeX show the titles and names the BibTeX output means."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from ..errors import Problem
from ..model import Origin, Paper, Person, Venue
from ..text import plain_paragraphs, plain_text
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

_encode_string = json.encoder.encode_basestring  # the C encoder; keeps non-ASCII as it is

# BibTeX entry type (Venue.entry_type) -> CSL item type.
CSL_TYPES: dict[str, str] = {"inproceedings": "paper-conference", "article": "article-journal"}

# Person parts -> CSL name-object keys, in the order written.
NAME_PARTS: tuple[tuple[str, Callable[[Person], str]], ...] = (
    ("family", lambda p: p.family),
    ("given", lambda p: p.given),
    ("non-dropping-particle", lambda p: p.particle),
    ("suffix", lambda p: p.suffix),
)


def csl_name(person: Person) -> dict[str, str] | None:
    """A CSL name object; None for ``others``.

    CSL has no "et al." marker: a style adds "et al." itself when it shortens a list, and a
    ``{"literal": "others"}`` author would be printed as a person named "others". So the
    ``others`` that BibTeX writes for a listing's "et al." is left out of the CSL author list.
    """
    if person.literal == "others":
        return None
    if person.literal:
        return {"literal": plain_text(person.literal)}
    if is_plain_name(person):  # most authors: plain_text would change nothing
        return {"family": person.family, "given": person.given}
    parts = ((key, plain_text(part(person))) for key, part in NAME_PARTS)
    return {key: value for key, value in parts if value}


def _authors(paper: Paper) -> list[dict[str, str]]:
    return [name for name in map(csl_name, paper.authors) if name]


def _issued(paper: Paper) -> dict[str, list[list[int]]] | None:
    return {"date-parts": [[paper.year]]} if paper.year else None


def _event_title(venue: Venue) -> str:
    """The event (``ICLR 2023``), apart from the proceedings; a journal has no event."""
    return "" if venue.is_journal or not venue.short else plain_text(venue.event_title)


def _keyword(paper: Paper) -> str:
    """CSL's keyword is one string; ", " is what Zotero and citeproc-js split it on."""
    return ", ".join(k for k in map(plain_text, paper.keywords) if k)


# The CSL item, variable by variable in the order written. Empty values are left out, except
# for the two the CSL schema requires.
CSL_FIELDS: tuple[tuple[str, Callable[[Paper], Any]], ...] = (
    ("id", lambda p: p.key),
    ("citation-key", lambda p: p.key),
    ("type", lambda p: CSL_TYPES[p.venue.entry_type]),
    ("title", lambda p: plain_text(p.title)),
    ("author", _authors),
    ("issued", _issued),
    ("container-title", lambda p: plain_text(p.venue.container_title)),
    ("collection-title", lambda p: plain_text(p.venue.series)),
    ("event-title", lambda p: _event_title(p.venue)),
    ("publisher", lambda p: plain_text(p.venue.publisher)),
    ("volume", lambda p: plain_text(p.venue.volume)),
    ("ISSN", lambda p: plain_text(p.venue.issn)),
    ("abstract", lambda p: plain_paragraphs(p.abstract)),
    ("keyword", _keyword),
)
_REQUIRED = frozenset({"id", "type"})


def csl_item(paper: Paper) -> dict[str, Any]:
    """One paper as a CSL item (CSL-YAML writes it; CSL-JSON writes the same variables in the
    same order, see _json_text, and the tests hold the two to each other)."""
    values = ((key, field(paper)) for key, field in CSL_FIELDS)
    return {key: value for key, value in values if value or key in _REQUIRED}


def _authors_json(paper: Paper) -> str:
    """The author list as :func:`_pretty` writes it inside an item: names indented at level 3."""
    names = _NAME_JSON.each(paper.authors)
    if "" in names:  # ``others`` writes no name
        names = [name for name in names if name]
    if not names:
        return ""
    return _Raw(_AUTHORS_OPEN + _AUTHORS_SEPARATOR.join(names) + _AUTHORS_CLOSE)


_AUTHORS_OPEN = "[\n" + "  " * 3
_AUTHORS_SEPARATOR = ",\n" + "  " * 3
_AUTHORS_CLOSE = "\n" + "  " * 2 + "]"


class _Raw(str):
    """JSON text already indented, placed by :func:`_pretty` as it is."""


class Writer:
    """CSL-JSON (an array) by default; ``yaml=True`` writes pandoc's CSL-YAML document.

    Both stream, holding nothing back but whether an item was written yet: the opening of the
    list goes out with the first item, so that a run without papers still gives an empty list.
    """

    def __init__(self, options: WriteOptions, yaml: bool = False) -> None:
        self.yaml = yaml
        self.problems: list[Problem] = []
        self._count = 1 if options.appending and not yaml else 0
        self._appending = options.appending

    def begin(self) -> str:
        return "---\n" if self.yaml else ""

    def entry(self, paper: Paper) -> str:
        return self.place(self.render(paper), paper.origin)

    def render(self, paper: Paper) -> Rendered:
        """The item without what comes before it (the list's opening, or a comma)."""
        text = _yaml_element(csl_item(paper)) if self.yaml else _json_text(paper)
        return text, _NONE

    def render_cut(self, paper: Paper) -> Cut | None:
        """``cut(render(paper)[0])`` for a paper keyed with the placeholder, the piece after
        the keys as the texts around the abstract and the abstract (formats.Cut); None where
        the item is only rendered whole."""
        parts = None if self.yaml or paper.key is not KEY_PLACEHOLDER else _parts(paper)
        if parts is None:
            return None
        before_key, before_citation_key, head, abstract, end = parts
        return [before_key, before_citation_key, (head, abstract, end)], _NONE

    def place(self, rendered: Rendered, origin: Origin) -> str:
        self._count += 1
        if self.yaml:
            return ("references:\n" if self._count == 1 else "") + rendered[0]
        return ("[\n" if self._count == 1 else ",\n") + rendered[0]

    def with_key(self, text: str, key: str) -> str:
        """``id`` and ``citation-key`` are the item's first two variables, before any listing
        text; YAML may quote a key (``'true'``, ``'2023'``), JSON writes every key as it is."""
        return text.replace(KEY_PLACEHOLDER, _yaml_scalar(key) if self.yaml else key, 2)

    def cut(self, text: str) -> list[str]:
        """``text`` cut where :meth:`with_key` puts the key (see bibtex.Writer.cut)."""
        return text.split(KEY_PLACEHOLDER, 2)

    def key_text(self, key: str) -> str:
        """The key as :meth:`with_key` writes it: YAML may quote it."""
        return _yaml_scalar(key) if self.yaml else key

    def end(self) -> str:
        if self.yaml:
            # pandoc reads a .yaml bibliography as a YAML metadata block: "---" to "...".
            return "...\n" if self._count else "references: []\n...\n"
        if self._appending:
            return ""  # the existing file's closing bracket follows
        return "\n]\n" if self._count else "[]\n"


# Variables that come from the paper itself; the rest from its venue (year included) and keywords.
_PAPER_VARIABLES = frozenset({"id", "citation-key", "title", "author", "abstract"})


def _json_text(paper: Paper) -> str:
    """``json.dumps(csl_item(paper), indent=2)`` indented by 2 more (an element of the file's
    array), with what the venue decides written once per venue and each author once."""
    parts = _parts(paper)
    if parts is not None:
        before_key, before_citation_key, head, abstract, end = parts
        key = paper.key
        # Letters and digits need no escaping, nor the placeholder every worker's paper has.
        if key is not KEY_PLACEHOLDER and not key.isalnum():
            key = _encode_string(key)[1:-1]
        return "".join([before_key, key, before_citation_key, key, head, abstract, end])
    _, members = _VENUE_PARTS(paper.venue, paper.keywords)
    written = [member if isinstance(member, str) else member(paper) for member in members]
    return "  {\n    " + ",\n    ".join([m for m in written if m]) + "\n  }"


def _parts(paper: Paper) -> tuple[str, str, str, str, str] | None:
    """The item of a paper with a key, a title, authors and an abstract (most papers), as the
    text before the key, the text between its two keys, the text from there to the abstract
    (title and authors), the abstract and the text after it; None for any other paper
    (_json_text writes it from _venue_json's members, each left out when empty).

    The venue's text around those values is written once per venue (_venue_parts), and the
    values go between its pieces, with no function called per variable."""
    slots, _ = _VENUE_PARTS(paper.venue, paper.keywords)
    title, abstract = plain_text(paper.title), plain_paragraphs(paper.abstract)
    names = _NAME_JSON.each(paper.authors)
    if "" in names:  # ``others`` writes no name
        names = [name for name in names if name]
    if not (paper.key and title and abstract and names):
        return None
    # What _plain_string tests, inline, the quotes left to the slots.
    if '"' in title or "\\" in title or "\n" in title:
        title = _encode_string(title)[1:-1]
    if '"' in abstract or "\\" in abstract or "\n" in abstract:
        abstract = _encode_string(abstract)[1:-1]
    before_key, before_citation_key, before_title, before_authors, before_abstract, end = slots
    authors = _AUTHORS_SEPARATOR.join(names)
    head = "".join([before_title, title, before_authors, authors, before_abstract])
    return before_key, before_citation_key, head, abstract, end


# Per variable from the paper, in CSL_FIELDS order: what _json_text writes before and after its
# value when the value is there (the strings' quotes, the author list's brackets).
_SLOTS: tuple[tuple[str, str, str], ...] = (
    ("id", '"id": "', '"'),
    ("citation-key", '"citation-key": "', '"'),
    ("title", '"title": "', '"'),
    ("author", '"author": ' + _AUTHORS_OPEN, _AUTHORS_CLOSE),
    ("abstract", '"abstract": "', '"'),
)


@lru_cache(maxsize=64)
def _venue_parts(
    venue: Venue, keywords: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[str | Callable[[Paper], str], ...]]:
    """The item's text for a paper of this venue and keywords with all five variables of
    _SLOTS, cut where their values go (six pieces); and _venue_json's members, for the
    others."""
    members = _venue_json(venue, keywords)
    values = [(_PAPER_JSON[name], head, tail) for name, head, tail in _SLOTS]
    return cut_template(members, values, "  {\n    ", ",\n    ", "\n  }"), members


_VENUE_PARTS = ByVenue(_venue_parts)


def _venue_json(
    venue: Venue, keywords: tuple[str, ...]
) -> tuple[str | Callable[[Paper], str], ...]:
    """Per variable of CSL_FIELDS written, its JSON member for any paper of this venue and
    keywords, or the function that writes it for a paper ("" when it is left out)."""
    probe = Paper(title="", authors=(), venue=venue, origin=Origin("", 0), keywords=keywords)
    out: list[str | Callable[[Paper], str]] = []
    for key, field in CSL_FIELDS:
        if key in _PAPER_VARIABLES:
            out.append(_PAPER_JSON[key])
        elif member := _member(key, field, probe):
            out.append(member)
    return tuple(out)


def _member(key: str, field: Callable[[Paper], Any], paper: Paper) -> str:
    """``"key": value`` as :func:`_pretty` writes it inside an item; "" when it is left out."""
    value = field(paper)
    if value or key in _REQUIRED:
        return f"{_encode_string(key)}: {_pretty(value, 2)}"
    return ""


def _string_member(key: str, field: Callable[[Paper], str]) -> Callable[[Paper], str]:
    """``partial(_member, key, field)`` for a field whose value is a string."""
    head = f"{_encode_string(key)}: "
    required = key in _REQUIRED
    encode = _plain_string if key in _PLAIN_VARIABLES else _encode_string

    def member(paper: Paper) -> str:
        value = field(paper)
        return head + encode(value) if value or required else ""

    return member


# Variables whose value is plain text (plain_text, plain_paragraphs), not the key.
_PLAIN_VARIABLES = frozenset({"title", "abstract"})


def _plain_string(text: str) -> str:
    """``_encode_string(text)`` for plain text: the encoder escapes only control characters,
    ``"`` and ``\\``, and plain text holds no control character but the newlines between
    paragraphs. Most titles and abstracts hold none of the three: three searches at C speed
    then cost a tenth of the encoder's two passes over an abstract."""
    if '"' in text or "\\" in text or "\n" in text:
        return _encode_string(text)
    return '"' + text + '"'


def _raw_member(key: str, field: Callable[[Paper], str]) -> Callable[[Paper], str]:
    """``partial(_member, key, field)`` for a field that writes its own JSON ("": none)."""
    head = f"{_encode_string(key)}: "
    return lambda paper: head + value if (value := field(paper)) else ""


# The variables that come from the paper, each member written with less work than _member does
# (its key encoded once, no type tests). The tests hold them to CSL_FIELDS.
_PAPER_JSON: dict[str, Callable[[Paper], str]] = {
    key: _raw_member(key, _authors_json) if key == "author" else _string_member(key, field)
    for key, field in CSL_FIELDS
    if key in _PAPER_VARIABLES
}


def _name_json(person: Person) -> str:
    """One author as the JSON writer indents it (authors recur across a venue's papers):
    ``_pretty(csl_name(person), 3)``, whose values are all plain strings, without its type
    tests."""
    if is_plain_name(person):  # most authors: letters, which _plain_string writes as they are
        # One f-string is one join; chained "+" made a string per step, a copy of the last.
        return (
            f"{_PLAIN_NAME_OPEN}{person.family}{_PLAIN_NAME_GIVEN}{person.given}{_PLAIN_NAME_CLOSE}"
        )
    # csl_name, unrolled (names with accents, hyphens, initials: two in five).
    if person.literal:
        if person.literal == "others":
            return ""
        literal = _NAME_HEADS["literal"] + _plain_string(plain_text(person.literal))
        return _NAME_OPEN + literal + _NAME_CLOSE  # even when empty, as csl_name keeps it
    family, given = person.family, person.given
    if family and given and not (person.particle or person.suffix):
        # A family and a given name (all but a few names that are not plain: accents, hyphens,
        # initials): the loop below, unrolled. Plain text is one line, so of what the encoder
        # escapes only '"' and "\\" can be there, searched for in both names at once.
        family, given = plain_text(family), plain_text(given)
        both = family + given
        if family and given and '"' not in both and "\\" not in both:
            return f"{_PLAIN_NAME_OPEN}{family}{_PLAIN_NAME_GIVEN}{given}{_PLAIN_NAME_CLOSE}"
    # An empty part is left out without asking plain_text (most particles and suffixes).
    parts = (
        (_FAMILY_HEAD, person.family),
        (_GIVEN_HEAD, person.given),
        (_PARTICLE_HEAD, person.particle),
        (_SUFFIX_HEAD, person.suffix),
    )
    members: list[str] = []
    for head, part in parts:
        if part and (value := plain_text(part)):
            members.append(head + _plain_string(value))
    if not members:  # csl_name's {}: the author is left out
        return ""
    return f"{_NAME_OPEN}{_NAME_SEPARATOR.join(members)}{_NAME_CLOSE}"


# Each name-object key, encoded once.
_NAME_HEADS = {key: f"{_encode_string(key)}: " for key in ("literal", *dict(NAME_PARTS))}
_FAMILY_HEAD, _GIVEN_HEAD, _PARTICLE_HEAD, _SUFFIX_HEAD = (
    _NAME_HEADS[key] for key in ("family", "given", "non-dropping-particle", "suffix")
)


_NAME_JSON = ByPerson(_name_json)
_NAME_OPEN = "{\n" + "  " * 4
_NAME_SEPARATOR = ",\n" + "  " * 4
_NAME_CLOSE = "\n" + "  " * 3 + "}"
# _name_json of a plain name, around its family and given names.
_PLAIN_NAME_OPEN = _NAME_OPEN + _NAME_HEADS["family"] + '"'
_PLAIN_NAME_GIVEN = '"' + _NAME_SEPARATOR + _NAME_HEADS["given"] + '"'
_PLAIN_NAME_CLOSE = '"' + _NAME_CLOSE


def _pretty(value: Any, level: int) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)`` at ``level``, without the stdlib's
    pure-Python indenting encoder, which cost more than everything else in a CSL run."""
    if isinstance(value, str):
        return value if isinstance(value, _Raw) else _encode_string(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = "\n" + "  " * (level + 1)
        body = ("," + inner).join(
            f"{_encode_string(k)}: {_pretty(v, level + 1)}" for k, v in value.items()
        )
        return "{" + inner + body + "\n" + "  " * level + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        inner = "\n" + "  " * (level + 1)
        body = ("," + inner).join(_pretty(v, level + 1) for v in value)
        return "[" + inner + body + "\n" + "  " * level + "]"
    return json.dumps(value)


_NONE: frozenset[str] = frozenset()


def _yaml_element(item: dict[str, Any]) -> str:
    """One element of the ``references`` list; PyYAML picks quoting that reads back exactly."""
    import yaml  # only CSL-YAML needs PyYAML; keeps ``bibexport --help`` fast

    text: str = yaml.safe_dump([item], allow_unicode=True, sort_keys=False)
    return text


_PLAIN_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
# What YAML 1.1 reads as a boolean or null, not a string (PyYAML's resolver); a key like these
# is quoted. Every other key of letters, digits and "_" starting with a letter is plain.
_YAML_WORDS = frozenset(
    "y Y yes Yes YES n N no No NO true True TRUE false False FALSE on On ON off Off OFF "
    "null Null NULL".split()
)


def _yaml_scalar(key: str) -> str:
    """The key as :func:`_yaml_element` writes it as a value: PyYAML decides, unless it is
    plainly plain (most keys), which saves a dump per paper."""
    if _PLAIN_KEY.fullmatch(key) and key not in _YAML_WORDS:
        return key
    return _yaml_scalar_dumped(key)


@lru_cache(maxsize=1024)
def _yaml_scalar_dumped(key: str) -> str:
    text = _yaml_element({"id": key})
    assert text.startswith("- id: ") and text.endswith("\n"), text
    return text[len("- id: ") : -1]
