"""What matching keeps of a library entry, and the identifiers it is matched by.

Apart from library.py (which reads libraries) so that a run with no library to read, the
common case, does not import the readers: matching a listing against itself needs only this.
"""

from __future__ import annotations

import re
from operator import itemgetter
from typing import Any

from ._dataclass import dataclass
from ._lazy import lazy
from .model import Origin, _twin

_GROUP_TEXT = itemgetter(1)  # a C-level callable for re.sub, faster than the template r"\1"


@dataclass(frozen=True, slots=True)
class Record:
    """One entry of the library, reduced to what tells whether a paper is already there."""

    key: str
    entry_type: str  # lower case BibTeX type; RIS and CSL types are mapped to BibTeX's
    title: str  # plain Unicode: TeX decoded, braces dropped, spaces collapsed
    families: tuple[str, ...]  # authors' family names (no "von" part), folded, in order
    year: int | None
    ids: frozenset[str]  # "doi:10.1234/abc", "arxiv:2301.01234", "openreview:NAQvF08TcyG"
    origin: Origin
    preprint: bool = False  # an arXiv (or CoRR, bioRxiv...) preprint, not a venue version


# A plain class of Record's layout (model._twin): its slots are set by plain assignment, and
# the object then becomes a Record. None if Record has other fields than these.
_RECORD_FIELDS = ("key", "entry_type", "title", "families", "year", "ids", "origin", "preprint")
_RecordTwin = _twin(Record) if tuple(Record.__dataclass_fields__) == _RECORD_FIELDS else None


def _new_record(
    key: str,
    entry_type: str,
    title: str,
    families: tuple[str, ...],
    year: int | None,
    ids: frozenset[str],
    origin: Origin,
    preprint: bool,
) -> Record:
    """Record(...) at a fraction of the cost: a frozen dataclass's __init__ sets each field the
    slow way, each slot's ``__set__`` (~1,000 instructions a field, as model._twin says). By
    the twin, a Record costs ~4,500 instructions less: once per paper of a run (the index keeps
    every paper, Index.add_parts) and per entry of a library read."""
    if _RecordTwin is None:  # Record has other fields than these: the safe way
        return Record(key, entry_type, title, families, year, ids, origin, preprint)
    twin: Any = _RecordTwin()
    twin.key = key
    twin.entry_type = entry_type
    twin.title = title
    twin.families = families
    twin.year = year
    twin.ids = ids
    twin.origin = origin
    twin.preprint = preprint
    twin.__class__ = Record
    return twin  # type: ignore[no-any-return]


_ALNUM = re.compile(r"[A-Za-z0-9]+")


def fold_plain(text: str) -> str:
    """keys.fold for text without TeX: ASCII letters and digits only, faster."""
    if not text.isascii():
        from unidecode import unidecode

        text = unidecode(text)
    return "".join(_ALNUM.findall(text))


# --- identifiers --------------------------------------------------------------------------------

_ARXIV_ID = r"(\d{4}\.\d{4,5}|[a-z][a-z.\-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?"
_ARXIV_IN_TEXT = lazy(
    globals(),
    "_ARXIV_IN_TEXT",
    r"(?:arxiv\.org/(?:abs|pdf|html)/|arxiv[:\s]\s*|10\.48550/arxiv\.)" + _ARXIV_ID,
    re.IGNORECASE,
)
_ARXIV_ALONE = lazy(
    globals(), "_ARXIV_ALONE", r"\s*(?:arxiv:\s*)?" + _ARXIV_ID + r"\s*$", re.IGNORECASE
)
_DOI = lazy(globals(), "_DOI", r"\b(10\.\d{4,9}/[^\s\"<>{}]+)", re.IGNORECASE)
_DOI_ALONE = lazy(globals(), "_DOI_ALONE", r"(10\.\d{4,9}/\S+)$")
_DOI_URL = lazy(
    globals(), "_DOI_URL", r"(?:doi\.org/|doi:\s*)(10\.\d{4,9}/[^\s\"<>{}]+)", re.IGNORECASE
)
_OPENREVIEW = lazy(
    globals(),
    "_OPENREVIEW",
    r"openreview\.net/(?:forum|pdf|attachment)\?(?:[^\s\"{}]*?&)?id=([\w-]+)",
    re.IGNORECASE,
)
_TEX_ESCAPE = lazy(globals(), "_TEX_ESCAPE", r"\\([_%#&~$])")
_TRAILING = ".,;:)]}"


def _unescape(value: str) -> str:
    """``10.1000/a\\_b`` -> ``10.1000/a_b``: TeX escapes in identifiers are not part of them."""
    return _TEX_ESCAPE.sub(_GROUP_TEXT, value) if "\\" in value else value


def _clean_doi(doi: str) -> str:
    doi = doi.rstrip(_TRAILING)
    if "%" in doi:
        from urllib.parse import unquote

        doi = unquote(doi)
    return doi.lower()


def normalise_id(kind: str, value: str) -> str:
    """``("doi", "https://doi.org/10.1/ABC")`` -> ``"doi:10.1/abc"``; "" if not one."""
    value = _unescape(value).strip()
    if kind == "doi":
        m = _DOI_ALONE.match(value) or _DOI.search(value)
        return "doi:" + _clean_doi(m.group(1)) if m else ""
    if kind == "arxiv":
        m = _ARXIV_ALONE.match(value) or _ARXIV_IN_TEXT.search(value)
        return "arxiv:" + m.group(1).lower() if m else ""
    if kind == "openreview":
        m = _OPENREVIEW.search(value)
        if m:
            return "openreview:" + m.group(1)
        return "openreview:" + value if re.fullmatch(r"[\w-]{6,}", value) else ""
    return ""


def ids_in_text(text: str, found: set[str]) -> None:
    """Add the identifiers a URL or note mentions: arXiv abs/pdf links, doi.org, OpenReview."""
    low = text.lower()
    if "\\" in text:
        text = _unescape(text)
    if "arxiv" in low or "10.48550" in low:
        found.update("arxiv:" + m.group(1).lower() for m in _ARXIV_IN_TEXT.finditer(text))
    if "doi" in low:
        found.update("doi:" + _clean_doi(m.group(1)) for m in _DOI_URL.finditer(text))
    if "openreview" in low:
        found.update("openreview:" + m.group(1) for m in _OPENREVIEW.finditer(text))
