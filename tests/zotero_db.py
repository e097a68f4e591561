"""A small Zotero database built the way Zotero lays it out, for the reader's tests.

The tables and columns are those of Zotero's resource/schema/system.sql and userdata.sql
(Zotero 5 and later: ``fieldsCombined``, ``itemTypesCombined``, ``baseFieldMappingsCombined``,
names in ``creators``); ``legacy=True`` builds only the plain ``fields``/``itemTypes`` tables.
Field and type ids are Zotero's where system.sql gives them; the reader goes by name anyway.
Dates are stored as Zotero stores them: ``2023-00-00 2023`` (SQL date, then the typed text).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

SCHEMA = """
CREATE TABLE version (schema TEXT PRIMARY KEY, version INT NOT NULL);
CREATE TABLE libraries (libraryID INTEGER PRIMARY KEY, type TEXT NOT NULL,
    editable INT NOT NULL, filesEditable INT NOT NULL, version INT NOT NULL DEFAULT 0,
    storageVersion INT NOT NULL DEFAULT 0, lastSync INT NOT NULL DEFAULT 0,
    archived INT NOT NULL DEFAULT 0);
CREATE TABLE itemTypes (itemTypeID INTEGER PRIMARY KEY, typeName TEXT,
    templateItemTypeID INT, display INT DEFAULT 1);
CREATE TABLE fields (fieldID INTEGER PRIMARY KEY, fieldName TEXT, fieldFormatID INT);
CREATE TABLE baseFieldMappings (itemTypeID INT, baseFieldID INT, fieldID INT,
    PRIMARY KEY (itemTypeID, baseFieldID, fieldID));
CREATE TABLE creatorTypes (creatorTypeID INTEGER PRIMARY KEY, creatorType TEXT);
CREATE TABLE items (itemID INTEGER PRIMARY KEY, itemTypeID INT NOT NULL,
    dateAdded TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    dateModified TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    clientDateModified TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    libraryID INT NOT NULL, key TEXT NOT NULL, version INT NOT NULL DEFAULT 0,
    synced INT NOT NULL DEFAULT 0, UNIQUE (libraryID, key));
CREATE TABLE itemDataValues (valueID INTEGER PRIMARY KEY, value UNIQUE);
CREATE TABLE itemData (itemID INT, fieldID INT, valueID, PRIMARY KEY (itemID, fieldID));
CREATE TABLE itemNotes (itemID INTEGER PRIMARY KEY, parentItemID INT, note TEXT, title TEXT);
CREATE TABLE itemAttachments (itemID INTEGER PRIMARY KEY, parentItemID INT, linkMode INT,
    contentType TEXT, charsetID INT, path TEXT, syncState INT DEFAULT 0,
    storageModTime INT, storageHash TEXT);
CREATE TABLE creators (creatorID INTEGER PRIMARY KEY, firstName TEXT, lastName TEXT,
    fieldMode INT, UNIQUE (lastName, firstName, fieldMode));
CREATE TABLE itemCreators (itemID INT NOT NULL, creatorID INT NOT NULL,
    creatorTypeID INT NOT NULL DEFAULT 1, orderIndex INT NOT NULL DEFAULT 0,
    PRIMARY KEY (itemID, creatorID, creatorTypeID, orderIndex), UNIQUE (itemID, orderIndex));
CREATE TABLE deletedItems (itemID INTEGER PRIMARY KEY,
    dateDeleted DEFAULT CURRENT_TIMESTAMP NOT NULL);
CREATE TABLE feedItems (itemID INTEGER PRIMARY KEY, guid TEXT NOT NULL UNIQUE,
    readTime TIMESTAMP, translatedTime TIMESTAMP);
"""
COMBINED = """
CREATE TABLE itemTypesCombined (itemTypeID INT NOT NULL, typeName TEXT NOT NULL,
    display INT DEFAULT 1 NOT NULL, custom INT NOT NULL, PRIMARY KEY (itemTypeID));
CREATE TABLE fieldsCombined (fieldID INT NOT NULL, fieldName TEXT NOT NULL, label TEXT,
    fieldFormatID INT, custom INT NOT NULL, PRIMARY KEY (fieldID));
CREATE TABLE baseFieldMappingsCombined (itemTypeID INT, baseFieldID INT, fieldID INT,
    PRIMARY KEY (itemTypeID, baseFieldID, fieldID));
"""
ITEM_TYPES = {
    "note": 1,
    "book": 2,
    "journalArticle": 4,
    "attachment": 14,
    "conferencePaper": 33,
    "preprint": 37,
    "annotation": 38,
}
FIELDS = {
    "url": 1,
    "number": 60,
    "publisher": 8,
    "publicationTitle": 12,
    "date": 14,
    "extra": 22,
    "DOI": 26,
    "conferenceName": 84,
    "title": 110,
    "proceedingsTitle": 114,
    "repository": 127,
    "archiveID": 128,
    "citationKey": 129,
}
# (itemType, base field, type-specific field), as Zotero's schema maps them
BASE_MAPPINGS = [
    ("conferencePaper", "publicationTitle", "proceedingsTitle"),
    ("preprint", "publisher", "repository"),
    ("preprint", "number", "archiveID"),
]
CREATOR_TYPES = {"author": 1, "contributor": 2, "editor": 3}


@dataclass
class Item:
    key: str
    type: str
    fields: dict[str, str] = field(default_factory=dict)
    creators: list[tuple[str, str]] = field(
        default_factory=list
    )  # (first, last); first "" = one field
    deleted: bool = False
    feed: bool = False
    library: int = 1
    editors: list[tuple[str, str]] = field(default_factory=list)


def build(path: Path, items: list[Item], legacy: bool = False) -> Path:
    """Write a Zotero database holding ``items`` at ``path``."""
    db = sqlite3.connect(path)
    db.executescript(SCHEMA)
    if not legacy:
        db.executescript(COMBINED)
    db.execute("INSERT INTO version VALUES ('userdata', 120)")
    db.execute(
        "INSERT INTO libraries (libraryID, type, editable, filesEditable) VALUES (1, 'user', 1, 1)"
    )
    db.execute(
        "INSERT INTO libraries (libraryID, type, editable, filesEditable) VALUES (2, 'feed', 0, 0)"
    )
    db.execute(
        "INSERT INTO libraries (libraryID, type, editable, filesEditable) VALUES (3, 'group', 1, 1)"
    )
    for name, type_id in ITEM_TYPES.items():
        db.execute("INSERT INTO itemTypes VALUES (?, ?, NULL, 1)", (type_id, name))
        if not legacy:
            db.execute("INSERT INTO itemTypesCombined VALUES (?, ?, 1, 0)", (type_id, name))
    for name, field_id in FIELDS.items():
        db.execute("INSERT INTO fields VALUES (?, ?, NULL)", (field_id, name))
        if not legacy:
            db.execute("INSERT INTO fieldsCombined VALUES (?, ?, NULL, NULL, 0)", (field_id, name))
    for type_name, base, specific in BASE_MAPPINGS:
        row = (ITEM_TYPES[type_name], FIELDS[base], FIELDS[specific])
        db.execute("INSERT INTO baseFieldMappings VALUES (?, ?, ?)", row)
        if not legacy:
            db.execute("INSERT INTO baseFieldMappingsCombined VALUES (?, ?, ?)", row)
    for name, type_id in CREATOR_TYPES.items():
        db.execute("INSERT INTO creatorTypes VALUES (?, ?)", (type_id, name))
    for item_id, item in enumerate(items, start=1):
        db.execute(
            "INSERT INTO items (itemID, itemTypeID, libraryID, key) VALUES (?, ?, ?, ?)",
            (item_id, ITEM_TYPES[item.type], 2 if item.feed else item.library, item.key),
        )
        for name, value in item.fields.items():
            db.execute("INSERT OR IGNORE INTO itemDataValues (value) VALUES (?)", (value,))
            (value_id,) = db.execute(
                "SELECT valueID FROM itemDataValues WHERE value = ?", (value,)
            ).fetchone()
            db.execute("INSERT INTO itemData VALUES (?, ?, ?)", (item_id, FIELDS[name], value_id))
        people = [(p, "author") for p in item.creators] + [(p, "editor") for p in item.editors]
        for order, ((first, last), kind) in enumerate(people):
            mode = 0 if first else 1
            db.execute(
                "INSERT OR IGNORE INTO creators (firstName, lastName, fieldMode) VALUES (?, ?, ?)",
                (first, last, mode),
            )
            (creator_id,) = db.execute(
                "SELECT creatorID FROM creators WHERE firstName = ? AND lastName = ? "
                "AND fieldMode = ?",
                (first, last, mode),
            ).fetchone()
            db.execute(
                "INSERT INTO itemCreators VALUES (?, ?, ?, ?)",
                (item_id, creator_id, CREATOR_TYPES[kind], order),
            )
        if item.deleted:
            db.execute("INSERT INTO deletedItems (itemID) VALUES (?)", (item_id,))
        if item.feed:
            db.execute("INSERT INTO feedItems (itemID, guid) VALUES (?, ?)", (item_id, item.key))
        if item.type == "note":
            db.execute("INSERT INTO itemNotes VALUES (?, NULL, ?, ?)", (item_id, "<p>x</p>", "x"))
        if item.type == "attachment":
            db.execute(
                "INSERT INTO itemAttachments (itemID, linkMode, contentType, path) "
                "VALUES (?, 0, 'application/pdf', 'storage:paper.pdf')",
                (item_id,),
            )
    db.commit()
    db.close()
    return path


def build_bbt(path: Path, keys: dict[str, str], library: int = 1) -> Path:
    """Better BibTeX's better-bibtex.sqlite with its ``citationkey`` table: item key -> key."""
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE citationkey (itemID NOT NULL PRIMARY KEY, itemKey NOT NULL, "
        "libraryID NOT NULL, citationKey NOT NULL, pinned CHECK (pinned in (0, 1)), lastPinned)"
    )
    for item_id, (item_key, citation_key) in enumerate(keys.items(), start=1):
        db.execute(
            "INSERT INTO citationkey VALUES (?, ?, ?, ?, 0, NULL)",
            (item_id, item_key, library, citation_key),
        )
    db.commit()
    db.close()
    return path


GAL = [
    ("Rinon", "Gal"),
    ("Yuval", "Alaluf"),
    ("Yuval", "Atzmon"),
    ("Or", "Patashnik"),
    ("Amit H.", "Bermano"),
    ("Gal", "Chechik"),
    ("Daniel", "Cohen-Or"),
]
TEXTUAL_INVERSION = (
    "An Image is Worth One Word: Personalizing Text-to-Image Generation using Textual Inversion"
)


def example_items() -> list[Item]:
    """A user's library with some of the example listing's papers in several guises."""
    return [
        Item(  # #1 of the listing, as a conference paper with a pinned BBT key in Extra
            "ABCD1234",
            "conferencePaper",
            {
                "title": TEXTUAL_INVERSION,
                "date": "2023-00-00 2023",
                "proceedingsTitle": "The Eleventh International Conference on Learning "
                "Representations",
                "conferenceName": "ICLR 2023",
                "url": "https://openreview.net/forum?id=NAQvF08TcyG",
                "extra": "Citation Key: gal2023textual\ntex.ids: gal2023image",
            },
            GAL,
        ),
        Item(  # #2, in the trash: not in the library any more
            "DELE7777",
            "conferencePaper",
            {
                "title": "Divide to Adapt: Mitigating Confirmation Bias for Domain Adaptation "
                "of Black-Box Predictors",
                "date": "2023",
            },
            [("Jianfei", "Yang"), ("Xiangyu", "Peng")],
            deleted=True,
        ),
        Item("NOTE0001", "note", {"title": "Rarity Score : A New Metric to Evaluate"}),
        Item(  # an attachment titled like #3: a PDF, not a reference
            "ATTA0001",
            "attachment",
            {
                "title": "Rarity Score : A New Metric to Evaluate the Uncommonness of "
                "Synthesized Images",
                "url": "https://arxiv.org/abs/2206.08549",
            },
        ),
        Item(  # #4 as its arXiv preprint (Zotero 7's preprint type), key from BBT's database
            "PREP4444",
            "preprint",
            {
                "title": "Neuroevolution is a Competitive Alternative to Reinforcement "
                "Learning for Skill Discovery",
                "date": "2022-10-06 2022-10-06",
                "repository": "arXiv",
                "archiveID": "arXiv:2210.03516",
                "url": "http://arxiv.org/abs/2210.03516",
            },
            [("Felix", "Chalumeau"), ("Raphael", "Boige"), ("Bryan", "Lim")],
        ),
        Item(  # #6 seen in an RSS feed: not the user's library
            "FEED6666",
            "journalArticle",
            {
                "title": "Unmasking the Lottery Ticket Hypothesis: What's Encoded in a "
                "Winning Ticket's Mask?",
                "date": "2023",
            },
            [("Mansheej", "Paul")],
            feed=True,
        ),
        Item(  # a journal article known by its DOI, not in the listing
            "JOUR5555",
            "journalArticle",
            {
                "title": "Deep <i>learning</i>",
                "publicationTitle": "Nature",
                "date": "2015-05-28 2015-05-28",
                "DOI": "10.1038/nature14539",
            },
            [("Yann", "LeCun"), ("Yoshua", "Bengio"), ("Geoffrey", "Hinton")],
        ),
        Item(  # #8 in a group library, with an organisation as one-field author
            "GRUP8888",
            "conferencePaper",
            {
                "title": "UNICORN: A Unified Backdoor Trigger Inversion Framework",
                "date": "2023-05-01 May 1, 2023",
            },
            [("Zhenting", "Wang"), ("", "Purdue University")],
            library=3,
        ),
    ]
