"""Reading a Zotero library (``zotero.sqlite``) into the same records the .bib reader makes.

Zotero keeps an exclusive lock on its database while it runs, so the file is opened with
SQLite's ``immutable=1`` (and ``mode=ro``): SQLite then takes no lock at all, writes nothing
(no journal, no -shm file) and cannot be blocked by Zotero. The price: a change Zotero has not
yet moved from ``zotero.sqlite-wal`` into the database file is not seen, and that is said.

Better BibTeX's citation keys come from ``better-bibtex.sqlite`` beside the database (table
``citationkey``), from Zotero's own ``citationKey`` field, or from a ``Citation Key: ...`` line
in Extra, in that order; an item without one is named by its Zotero item key (``ABCD1234``).

The schema is read as Zotero 5, 6 and 7 write it (``fieldsCombined``, ``itemTypesCombined``,
``creators`` with the names in it); Zotero 4's ``fields``, ``itemTypes`` and ``creatorData``
work too. A type-specific field is also known by its base field (``proceedingsTitle`` is a
``publicationTitle``, ``caseName`` a ``title``, ``repository`` a ``publisher``), through
``baseFieldMappings``, so the code asks for the base names only.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from urllib.parse import quote

from ._dataclass import dataclass
from .errors import InputError, Problem
from .inputs import open_input
from .keys import fold
from .library import Library, _with_arxiv_doi, is_preprint, parse_year, person_family
from .model import Origin
from .names import is_organisation
from .records import Record, ids_in_text, normalise_id
from .text import collapse_space

SQLITE_MAGIC = b"SQLite format 3\x00"
BBT_DATABASE = "better-bibtex.sqlite"
# Zotero's own kinds of item that are no reference: a paper's notes, PDFs and highlights.
SKIPPED_TYPES = frozenset({"note", "attachment", "annotation"})
ZOTERO_TYPES = {
    "conferencePaper": "inproceedings",
    "journalArticle": "article",
    "magazineArticle": "article",
    "newspaperArticle": "article",
    "preprint": "misc",
    "book": "book",
    "bookSection": "incollection",
    "thesis": "phdthesis",
    "report": "techreport",
    "manuscript": "unpublished",
}
_CITATION_KEY = re.compile(r"^\s*(?:Citation Key|bibtex)\s*:\s*(\S+)\s*$", re.I | re.M)
_HTML_TAG = re.compile(r"</?(?:i|b|sup|sub|sc|span)\b[^>]*>", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ItemOrigin(Origin):
    """Where a Zotero item is: the database and the item key, as ``zotero.sqlite:item ABCD1234``
    (``line`` is 0: a database has no lines)."""

    item: str = ""

    def __str__(self) -> str:
        return f"{self.source}:item {self.item}"


def is_sqlite(path: str) -> bool:
    """Does the file start with SQLite's magic header? (False for stdin and unreadable files.)"""
    if path == "-":
        return False
    try:
        with open(path, "rb") as f:
            return f.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def sqlite_uri(path: str) -> str:
    """A ``file:`` URI opening ``path`` read-only and immutable: no lock taken, nothing written.

    The path is percent-encoded, so spaces, ``?``, ``#``, ``%`` and non-ASCII names stay part
    of the path instead of starting the query string or the fragment.
    """
    return f"file:{quote(os.path.abspath(path), safe='/')}?mode=ro&immutable=1"


def _connect(path: str) -> sqlite3.Connection:
    return sqlite3.connect(sqlite_uri(path), uri=True)


def read_zotero(path: str) -> Library:
    """Every regular item of a Zotero database (not in the trash, not a note, attachment or
    annotation, not an RSS feed item) as a Record; an InputError for a file that is no Zotero
    database, naming the file."""
    open_input(path, "library").close()  # missing, a folder, unreadable: the usual one-line errors
    if not is_sqlite(path):
        raise InputError("not a Zotero database (not an SQLite file)", path)
    library = Library(path, "zotero")
    try:
        db = _connect(path)
    except sqlite3.Error as exc:
        raise InputError(f"cannot open the Zotero database: {exc}", path) from None
    try:
        _read(db, path, library)
    except sqlite3.Error as exc:
        # immutable reading trusts the file not to change: a page Zotero rewrote meanwhile
        # reads as damage, and the next run, after the write, reads the database whole.
        again = " (if Zotero was saving just then, run again)" if "malformed" in str(exc) else ""
        raise InputError(f"cannot read the Zotero database: {exc}{again}", path) from None
    finally:
        db.close()
    _warn_unmerged_changes(path, library)
    return library


def _warn_unmerged_changes(path: str, library: Library) -> None:
    """Zotero's newest changes may still sit in the -wal file, which immutable reading skips."""
    try:
        pending = os.path.getsize(path + "-wal") > 0
    except OSError:
        return
    if pending:
        library.problems.append(
            Problem(
                f"{os.path.basename(path)}-wal is not empty, and changes Zotero keeps there "
                "until it writes them into the database are not read: items added in the last "
                "minutes may be missed (closing Zotero writes them)",
                path,
            )
        )


def _tables(db: sqlite3.Connection) -> set[str]:
    return {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _first_filled(db: sqlite3.Connection, tables: set[str], *names: str) -> str | None:
    """The first of ``names`` that exists and has rows (Zotero fills the *Combined tables at
    startup; a database from before them, or never started, has only the plain ones)."""
    present = [n for n in names if n in tables]
    for name in present:
        if db.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone():
            return name
    return present[0] if present else None


def _read(db: sqlite3.Connection, path: str, library: Library) -> None:
    tables = _tables(db)
    fields_table = _first_filled(db, tables, "fieldsCombined", "fields")
    types_table = _first_filled(db, tables, "itemTypesCombined", "itemTypes")
    needed = {"items", "itemData", "itemDataValues"}
    if fields_table is None or types_table is None or not needed <= tables:
        missing = sorted(needed - tables) or ["fields", "itemTypes"]
        raise InputError(f"not a Zotero database (no {', '.join(missing)} table)", path)

    type_names = dict(db.execute(f'SELECT itemTypeID, typeName FROM "{types_table}"'))
    field_names = dict(db.execute(f'SELECT fieldID, fieldName FROM "{fields_table}"'))
    base_names: dict[tuple[int, int], str] = {}
    mappings = _first_filled(db, tables, "baseFieldMappingsCombined", "baseFieldMappings")
    if mappings is not None:
        for type_id, base_id, field_id in db.execute(
            f'SELECT itemTypeID, baseFieldID, fieldID FROM "{mappings}"'
        ):
            if base_id in field_names:
                base_names[type_id, field_id] = field_names[base_id]

    hidden: set[int] = set()
    for table in ("deletedItems", "feedItems"):  # the trash, and RSS feeds' items
        if table in tables:
            hidden.update(i for (i,) in db.execute(f'SELECT itemID FROM "{table}"'))

    items: dict[int, tuple[int, str, int | None]] = {}  # itemID -> (type, item key, libraryID)
    for item_id, type_id, key, library_id in db.execute(
        "SELECT itemID, itemTypeID, key, libraryID FROM items ORDER BY itemID"
    ):
        if item_id not in hidden and type_names.get(type_id, "") not in SKIPPED_TYPES:
            items[item_id] = (type_id, key, library_id)

    values: dict[int, dict[str, str]] = defaultdict(dict)
    for item_id, field_id, value in db.execute(
        "SELECT d.itemID, d.fieldID, v.value FROM itemData d "
        "JOIN itemDataValues v ON v.valueID = d.valueID"
    ):
        if item_id not in items or value is None:
            continue
        fields = values[item_id]
        name = field_names.get(field_id)
        if name:
            fields[name] = str(value)
        base = base_names.get((items[item_id][0], field_id))
        if base:
            fields.setdefault(base, str(value))

    creators = _creators(db, tables, items)
    citation_keys = _bbt_keys(path, library)
    for item_id, (type_id, item_key, library_id) in items.items():
        type_name = type_names.get(type_id, "")
        fields = values.get(item_id, {})
        key = (
            citation_keys.get((library_id, item_key))
            or citation_keys.get((None, item_key))
            or fields.get("citationKey", "").strip()
            or _extra_key(fields.get("extra", ""))
        )
        record = _record(path, type_name, item_key, key, fields, creators.get(item_id, []))
        if key:
            if key in library.keys:
                library.problems.append(
                    Problem(f"item {item_key}: citation key {key!r} is used by another item", path)
                )
            library.keys.add(key)  # a new entry must not take a key the user cites already
        library.records.append(record)


def _creators(
    db: sqlite3.Connection, tables: set[str], items: dict[int, tuple[int, str, int | None]]
) -> dict[int, list[tuple[str, str, int, str]]]:
    """itemID -> [(firstName, lastName, fieldMode, creatorType)] in the item's order."""
    if "itemCreators" not in tables or "creators" not in tables:
        return {}
    columns = {row[1] for row in db.execute('PRAGMA table_info("creators")')}
    if "lastName" in columns:  # Zotero 5+: the names are in creators
        names, joins = "c", ""
    elif "creatorData" in tables:  # Zotero 4: in creatorData
        names, joins = "cd", " JOIN creatorData cd ON cd.creatorDataID = c.creatorDataID"
    else:
        return {}
    kind = "'author'"
    if "creatorTypes" in tables:
        kind = "ct.creatorType"
        joins += " LEFT JOIN creatorTypes ct ON ct.creatorTypeID = ic.creatorTypeID"
    query = (
        f"SELECT ic.itemID, {names}.firstName, {names}.lastName, {names}.fieldMode, {kind} "
        f"FROM itemCreators ic JOIN creators c ON c.creatorID = ic.creatorID{joins} "
        "ORDER BY ic.itemID, ic.orderIndex"
    )
    found: dict[int, list[tuple[str, str, int, str]]] = defaultdict(list)
    for item_id, first, last, mode, creator_type in db.execute(query):
        if item_id in items:
            found[item_id].append((first or "", last or "", int(mode or 0), creator_type or ""))
    return found


def _family(first: str, last: str, mode: int) -> str:
    """A creator's folded family name; ``fieldMode`` 1 is one field (an organisation, or a
    whole name typed into one box)."""
    if mode == 1 or not first:
        name = last.strip()
        if not name:
            return ""
        return fold(name).lower() if is_organisation(name) else person_family(name)
    return fold(last).lower()


def _record(
    path: str,
    type_name: str,
    item_key: str,
    key: str,
    fields: dict[str, str],
    creators: list[tuple[str, str, int, str]],
) -> Record:
    entry_type = ZOTERO_TYPES.get(type_name, "misc")
    ids: set[str] = set()
    if doi := fields.get("DOI", ""):
        ids.add(normalise_id("doi", doi))
    for name in ("url", "extra", "archiveID", "number"):
        if text := fields.get(name, ""):
            ids_in_text(text, ids)
    ids.discard("")
    frozen = _with_arxiv_doi(ids)
    authors = [c for c in creators if c[3] == "author"] or creators
    families = tuple(
        f for f in (_family(first, last, mode) for first, last, mode, _ in authors) if f
    )
    title = collapse_space(_HTML_TAG.sub("", fields.get("title", "")))
    preprint = type_name == "preprint" or is_preprint(
        entry_type,
        fields.get("publicationTitle", ""),
        frozen,
        _present(fields, ("publisher", "number", "extra")),
    )
    return Record(
        key=key or item_key,
        entry_type=entry_type,
        title=title,
        families=families,
        year=parse_year(fields.get("date")),
        ids=frozen,
        origin=ItemOrigin(path, 0, item_key),
        preprint=preprint,
    )


def _present(fields: dict[str, str], names: Iterable[str]) -> list[str]:
    return [fields[n] for n in names if fields.get(n)]


def _extra_key(extra: str) -> str:
    """``Citation Key: gal2023image`` (or the older ``bibtex: ...``) on a line of Extra."""
    m = _CITATION_KEY.search(extra) if extra else None
    return m.group(1) if m else ""


def _bbt_keys(path: str, library: Library) -> dict[tuple[int | None, str], str]:
    """(libraryID, item key) -> Better BibTeX citation key, from better-bibtex.sqlite beside
    the database (opened immutable as well); {} if there is none. A BBT database that cannot
    be read is a warning: the keys then come from Extra, or are Zotero's item keys."""
    bbt = os.path.join(os.path.dirname(os.path.abspath(path)), BBT_DATABASE)
    if not os.path.isfile(bbt):
        return {}
    keys: dict[tuple[int | None, str], str] = {}
    try:
        db = _connect(bbt)
        try:
            if "citationkey" not in _tables(db):
                raise sqlite3.DatabaseError("no citationkey table (Better BibTeX before 6?)")
            columns = {row[1] for row in db.execute('PRAGMA table_info("citationkey")')}
            library_column = "libraryID" if "libraryID" in columns else "NULL"
            for library_id, item_key, citation_key in db.execute(
                f"SELECT {library_column}, itemKey, citationKey FROM citationkey"
            ):
                if item_key and citation_key:
                    keys[library_id, item_key] = citation_key
        finally:
            db.close()
    except sqlite3.Error as exc:
        library.problems.append(Problem(f"Better BibTeX's citation keys not read: {exc}", bbt))
    return keys
