"""Reading papers.cool listings: a ``VENUE.YEAR - TRACK`` header, then ``#N Title`` papers.

The reader streams: it yields each paper as soon as the next one starts, and keeps nothing
else, so a listing of any size costs the memory of one paper.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..errors import InputError, Problem
from ..inputs import display_name, read_lines
from ..model import Origin
from ..text import collapse_space

HEADER = re.compile(
    r"^(?P<venue>[A-Za-z][\w&+-]*?)(?:[.\s](?P<year>(?:19|20)\d\d))?"
    r"(?:\s*[-\u2013\u2014]\s*(?P<track>.*))?$"
)
TOTAL = re.compile(r"^Total\s*:\s*(?P<total>\d[\d,.\u202f\u00a0 ]*)$", re.IGNORECASE)
PAPER = re.compile(r"^#(?P<number>\d+)\s+(?P<title>.*)$")
AUTHORS = re.compile(r"^Authors?\s*:\s*(?P<authors>.*)$", re.IGNORECASE)
TAG = re.compile(r"\s*\[(?P<name>[A-Za-z][A-Za-z ]*?)\d*\]\s*$")
# The site's buttons; a trailing run of tags is stripped from its first known one on, so a
# title that really ends in brackets ("... [MASK]") keeps them.
KNOWN_TAGS = frozenset({"pdf", "copy", "kimi", "rel", "related", "html", "code", "star", "bib"})


@dataclass(frozen=True, slots=True)
class Header:
    venue: str
    year: int | None
    track: str
    origin: Origin
    total: int | None = None


@dataclass(slots=True)
class ListingEntry:
    """One paper as the listing gives it, before names and venue are normalised."""

    number: int
    title: str
    origin: Origin
    authors: list[str] | None = None  # None: the paper has no Authors line
    abstract_lines: list[str] = field(default_factory=list)

    @property
    def abstract(self) -> str:
        """Paragraphs joined by a blank line; wrapped lines within one by a space."""
        paragraphs: list[list[str]] = [[]]
        for line in self.abstract_lines:
            if line:
                paragraphs[-1].append(line)
            elif paragraphs[-1]:
                paragraphs.append([])
        return "\n\n".join(" ".join(p) for p in paragraphs if p)


def strip_tags(title: str) -> str:
    """``Title [PDF5] [Copy] [Kimi8]`` -> ``Title``."""
    tags: list[tuple[int, str]] = []
    end = len(title)
    while m := _last_tag(title, end):
        tags.append((m.start(), m.group("name").strip().lower()))
        end = m.start()
    for start, name in reversed(tags):  # leftmost first
        if name in KNOWN_TAGS:
            return title[:start].rstrip()
    return title.rstrip()


def _last_tag(title: str, end: int) -> re.Match[str] | None:
    """``TAG.search(title, 0, end)``, found from the end: a search from the start would try
    every bracket and space of the title before reaching the tags at its end."""
    close = len(title[:end].rstrip())
    if not close or title[close - 1] != "]":
        return None
    bracket = title.rfind("[", 0, close)
    if bracket < 0:
        return None
    return TAG.match(title, len(title[:bracket].rstrip()), end)


def parse_header(text: str, origin: Origin) -> Header | None:
    m = HEADER.match(text)
    if not m:
        return None
    year = m.group("year")
    return Header(
        venue=m.group("venue"),
        year=int(year) if year else None,
        track=collapse_space(m.group("track") or ""),
        origin=origin,
    )


class ListingReader:
    """Reads one listing file. ``header`` is set once the first paper is reached."""

    def __init__(self, path: str, encoding: str | None = None) -> None:
        self.path = path
        self.source = display_name(path)
        self.encoding = encoding
        self.header: Header | None = None
        self.total: int | None = None
        self.count = 0
        self.chars_read = 0  # for a progress line; characters, close enough to bytes
        self.problems: list[Problem] = []

    def warn(self, message: str, line: int | None) -> None:
        self.problems.append(Problem(message, self.source, line))

    def entries(self) -> Iterator[ListingEntry]:
        lines = read_lines(self.path, self.encoding)
        current: ListingEntry | None = None
        pending: list[tuple[int, str]] = []  # a "#N ..." line waiting for proof it is a paper
        previous_number = 0
        seen_content = False
        for number, raw in lines:
            self.chars_read += len(raw) + 1
            line = collapse_space(raw)
            if pending:
                # A "#N" line inside an abstract is a paper only if an Authors line follows.
                if not line:
                    pending.append((number, line))
                    continue
                head_number, head = pending[0]
                if line[0] in "Aa" and AUTHORS.match(line):
                    if current is not None:
                        yield self._finish(current)
                    current = self._start(head_number, head, previous_number)
                    previous_number = current.number
                elif current is not None:
                    current.abstract_lines.extend(text for _, text in pending)
                pending = []
            if not seen_content:
                if not line:
                    continue
                seen_content = True
                if not PAPER.match(line):
                    self.header = parse_header(line, Origin(self.source, number))
                    if self.header is None:
                        raise InputError(
                            f"expected a header like 'ICLR.2023 - Poster', found {line[:60]!r}",
                            self.source,
                            number,
                        )
                    continue
            if current is None and (m := TOTAL.match(line)):
                self.total = int(re.sub(r"\D", "", m.group("total")))
                continue
            if line[:1] == "#" and PAPER.match(line):
                if current is None or TAG.search(line):
                    if current is not None:
                        yield self._finish(current)
                    current = self._start(number, line, previous_number)
                    previous_number = current.number
                else:
                    pending = [(number, line)]
                continue
            if current is None:
                if line:
                    raise InputError(
                        f"expected a paper line like '#1 Title', found {line[:60]!r}",
                        self.source,
                        number,
                    )
                continue
            if (
                line[:1] in ("A", "a")
                and (m := AUTHORS.match(line))
                and current.authors is None
                and not current.abstract_lines
            ):
                from ..names import split_authors

                current.authors = split_authors(m.group("authors"))
                continue
            if line or current.abstract_lines:
                current.abstract_lines.append(line)
        if pending and current is not None:
            current.abstract_lines.extend(text for _, text in pending)
        if current is not None:
            yield self._finish(current)
        if not seen_content:
            raise InputError("the file holds only blank lines", self.source, 1)
        if self.count == 0:
            raise InputError(
                "a header but no papers: expected lines like '#1 Title' after it",
                self.source,
                self.header.origin.line if self.header else 1,
            )

    def _start(self, number: int, line: str, previous: int) -> ListingEntry:
        m = PAPER.match(line)
        assert m is not None
        n = int(m.group("number"))
        if n <= previous:
            self.warn(f"paper #{n} follows #{previous}: numbering out of order", number)
        return ListingEntry(
            number=n, title=strip_tags(m.group("title")), origin=Origin(self.source, number)
        )

    def _finish(self, entry: ListingEntry) -> ListingEntry:
        self.count += 1
        if not entry.title:
            self.warn(
                f"paper #{entry.number} has no title; it is kept with an empty title",
                entry.origin.line,
            )
        if entry.authors is None:
            self.warn(
                f"paper #{entry.number} has no 'Authors:' line; it is kept without authors",
                entry.origin.line,
            )
        return entry
