"""Reading papers.cool listings: a ``VENUE.YEAR - TRACK`` header, then ``#N Title`` papers.

The reader streams: it yields each paper as soon as the next one starts, and keeps nothing
else, so a listing of any size costs the memory of one paper.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import field
from functools import cache
from typing import BinaryIO

from .._dataclass import dataclass
from .._lazy import lazy
from ..errors import InputError, Problem
from ..inputs import STDIN, Block, display_name, open_input, read_blocks, utf8_blocks
from ..model import Origin, new_origin
from ..text import collapse_space

# The venue and total lines: read by the main process once its workers have started (_lazy).
HEADER = lazy(
    globals(),
    "HEADER",
    r"^(?P<venue>[A-Za-z][\w&+-]*?)(?:[.\s](?P<year>(?:19|20)\d\d))?"
    r"(?:\s*[-\u2013\u2014]\s*(?P<track>.*))?$",
)
TOTAL = lazy(globals(), "TOTAL", r"^Total\s*:\s*(?P<total>\d[\d,.\u202f\u00a0 ]*)$", re.IGNORECASE)
PAPER = re.compile(r"^#(?P<number>\d+)\s+(?P<title>.*)$")
AUTHORS = lazy(globals(), "AUTHORS", r"^Authors?\s*:\s*(?P<authors>.*)$", re.IGNORECASE)
TAG = lazy(globals(), "TAG", r"\s*\[(?P<name>[A-Za-z][A-Za-z ]*?)\d*\]\s*$")
# The site's buttons; a trailing run of tags is stripped from its first known one on, so a
# title that really ends in brackets ("... [MASK]") keeps them.
KNOWN_TAGS = frozenset({"pdf", "copy", "kimi", "rel", "related", "html", "code", "star", "bib"})
# A paper as nearly every one is, from its "#N" line (which ends in a tag) up to the next line
# that starts with "#": the title line, blank lines, "Authors: ...", blank lines, the abstract,
# no line with a space at either end. Read at once (see ListingReader._entries) when no line
# of it holds what collapse_space would change (_Flaws). The pattern takes the paper up to its
# abstract, and _abstract the rest: what ``((?:[^# \n][^\n]*(?<! )\n|\n)*)`` would take.
_PAPER_AT_ONCE = re.compile(r"#([0-9]+) ([^\n]*\])\n\n*Authors: ([^\n]*)(?<! )\n\n*")
# A line where _PAPER_AT_ONCE may match (found after a line feed): the text before it is read
# line by line.
_PAPER_LINE = re.compile(r"#[0-9]+ [^\n]*\]$", re.M)
# The site's tags as nearly every title line ends (strip_tags cuts them off).
_SITE_TAGS = re.compile(r" \[PDF[0-9]*\] \[Copy[0-9]*\] \[Kimi[0-9]*\]")
# Bytes of printable ASCII, and the line feed: what most of a listing is made of.
_PLAIN = bytes(range(0x20, 0x7F)) + b"\n"
# False: read every line one by one, for tests that compare the two ways.
_AT_ONCE = True


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
    # The title is its own collapse_space (normalise need not make it again): a paper read
    # at once, whose lines hold no flaw (_Flaws) and whose title is cut next to a space. So
    # is each author's name, none empty nor with a space or ";" at either end (names.
    # parse_names need not look for what would change them: see _plain_names).
    tidy_title: bool = False

    @property
    def abstract(self) -> str:
        """Paragraphs joined by a blank line; wrapped lines within one by a space."""
        lines = self.abstract_lines
        end = len(lines)
        if end == 1 or (end == 2 and not lines[1]):
            return lines[0]  # one line, as nearly every abstract is (a blank line after it)
        while end and not lines[end - 1]:
            end -= 1
        if "" not in lines[:end]:  # one paragraph, as most are (blank lines only after it)
            return " ".join(lines[:end])
        paragraphs: list[list[str]] = [[]]
        for line in lines:
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
    close = end
    while close and title[close - 1].isspace():
        close -= 1
    if not close or title[close - 1] != "]":
        return None
    start = title.rfind("[", 0, close)
    if start < 0:
        return None
    while start and title[start - 1].isspace():
        start -= 1
    return TAG.match(title, start, end)


def _tagged_title(title: str) -> str | None:
    """``strip_tags(title)`` if ``title`` (from a clean "#N" line) ends in a tag, else None
    (then the line is not always a paper: see _entries)."""
    cut = title.rfind(" [PDF")
    if cut > 0 and title[cut - 1] != "]" and _SITE_TAGS.fullmatch(title, cut):
        return title[:cut]  # no tag before [PDF]: it is the first of the tags
    return strip_tags(title) if _last_tag(title, len(title)) else None


@cache
def _inert(char: str) -> bool:
    """Whether collapse_space leaves ``char`` (not ASCII) as it is wherever it stands, so
    long as every other character of its line is such: printable, and NFC in any company
    (a starter that is its own NFC and that nothing before it composes with; those that can
    be composed with are all below U+0900 or U+1E00 to U+FFFF: tests/test_listing_at_once.py)."""
    code = ord(char)
    return (
        (code < 0x900 or 0x1E00 <= code < 0x10000)
        and char.isprintable()
        and not unicodedata.combining(char)
        and unicodedata.normalize("NFC", char) == char
    )


class _Flaws:
    """Where, in a block of lines, collapse_space would change a line (but for a space at
    either end of a line, which _PAPER_AT_ONCE does not take): two spaces in a row, or a
    character that is not :func:`_inert`. Each kind is looked for from where it was last
    found, so a block is searched once per kind of flaw, and only when there is one: most
    blocks have no flaw at all, and then this costs a translation of their bytes."""

    def __init__(self, text: str, data: bytes | None) -> None:
        self.text = text
        self.kinds: list[str] | None = None  # None: look at each line (see clean)
        self.found: list[int] = []  # per kind, where it is from where it was looked for
        self.next = -1  # the first flaw from where clean last looked on
        if data is not None:
            odd = set(data.translate(None, _PLAIN).decode("utf-8"))
            kinds = ["  ", *(char for char in odd if not _inert(char))]
            if len(kinds) <= 8:
                self.kinds = kinds
                self.found = [-1] * len(kinds)

    def first(self, pos: int) -> int:
        """The position of the first flaw from ``pos`` on (the end of the text if none)."""
        text, found, size = self.text, self.found, len(self.text)
        first = size
        for i, kind in enumerate(self.kinds or ()):
            if found[i] < pos:
                at = text.find(kind, pos)
                found[i] = at if at >= 0 else size
            first = min(first, found[i])
        return first

    def clean(self, start: int, end: int) -> bool:
        """Whether collapse_space returns each line from ``start`` to ``end`` as it is."""
        if self.kinds is not None:
            if self.next < start:
                self.next = self.first(start)
            return self.next >= end
        return all(collapse_space(line) == line for line in self.text[start:end].split("\n"))


def _next_paper_line(text: str, pos: int) -> int:
    """Where the first line after ``pos`` that _PAPER_LINE takes starts (else the end)."""
    at = pos
    while (at := text.find("\n#", at) + 1) > 0:
        if _PAPER_LINE.match(text, at):
            return at
    return len(text)


def _abstract(text: str, start: int) -> tuple[list[str], int]:
    """The lines of the abstract of a paper read at once, and where it ends: what
    ``((?:[^# \\n][^\\n]*(?<! )\\n|\\n)*)`` takes from ``start`` (lines that do not start with
    "#" or a space nor end in one, and blank lines), split at its line feeds. Each line's end is
    found by a ``find`` (memchr), where the regex went over every character of the abstract
    and the split over them again (a UCS-2 abstract: ~13,000 instructions a paper)."""
    lines: list[str] = []
    size = len(text)
    at = start
    while at < size:
        first = text[at]
        if first == "\n":
            lines.append("")
            at += 1
        elif first == "#" or first == " ":
            break
        else:
            line_end = text.find("\n", at)
            if line_end < 0 or text[line_end - 1] == " ":
                break
            lines.append(text[at:line_end])
            at = line_end + 1
    return lines, at


def _split_authors(authors: str) -> list[str]:
    """split_authors(authors) for a clean line (no space at either end, no two in a row)."""
    names = authors.split(" ; ")
    if len(names) > 1 and len(names) == authors.count(";") + 1:
        return names  # each ";" between spaces, and no name is empty or has a space round it
    if ";" not in authors and "," not in authors:
        return names  # one name
    from ..names import split_authors

    return split_authors(authors)


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


def out_of_order(number: int, previous: int, source: str, line: int) -> Problem:
    return Problem(f"paper #{number} follows #{previous}: numbering out of order", source, line)


def _total(m: re.Match[str]) -> int:
    return int(re.sub(r"\D", "", m.group("total")))


@dataclass(frozen=True, slots=True)
class Part:
    """Some papers of a listing, as bytes, for a worker process to read (:func:`split_listing`)."""

    path: str
    data: bytes
    line: int  # the number of its first line in the file
    offset: int  # the file offset of its first byte
    first: bool  # it holds the listing's first paper
    header: Header | None


# About this many bytes per part: a few hundred papers.
PART_BYTES = 1 << 18
_BLOCK = 1 << 20
# A line that starts a paper whatever the lines before it are (see _entries): "#N", a title,
# and one of the site's tags at its end. Parts are cut only before such lines, so each part
# reads as the whole file would read those lines.
_BOUNDARY = rb"^#[0-9]+ [^\n]*\[[A-Za-z][A-Za-z ]*[0-9]*\][ \t\r]*$"


@cache  # compiled on first use: only a run with workers cuts listings into parts
def _boundary() -> re.Pattern[bytes]:
    return re.compile(_BOUNDARY, re.M)


def split_listing(
    path: str, size: int | None = None
) -> tuple[ListingReader, Iterator[Part]] | None:
    """A listing file's head read (a reader with its header and total), and the rest cut into
    parts of about ``size`` bytes (:data:`PART_BYTES`) that each start with a paper, for
    worker processes.

    None, with nothing read for good, when the file is not plain UTF-8 (another encoding, a
    NUL byte, an error in its head) or no paper starts in its first megabyte: the reader of
    the whole file then reads it, and says what is wrong with it, as it always did.
    """
    if path == STDIN or not os.path.isfile(path):
        return None
    stream = open_input(path)
    try:
        found = _read_head(path, stream.read(_BLOCK))
    except BaseException:
        stream.close()
        raise
    if found is None:
        stream.close()
        return None
    reader, rest, line, offset = found
    return reader, _parts(stream, reader, rest, line, offset, size or PART_BYTES)


def _read_head(path: str, block: bytes) -> tuple[ListingReader, bytes, int, int] | None:
    """What :meth:`ListingReader._entries` does with the lines before the first paper: the
    reader, the bytes from the first paper's line on, and that line's number and offset."""
    if not block or block.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    if b"\x00" in block[:8192]:
        return None
    reader = ListingReader(path)
    seen_content = False
    pos, number = 0, 0
    while (end := block.find(b"\n", pos)) >= 0:
        number += 1
        raw_bytes = block[pos:end]
        if number == 1 and raw_bytes.startswith(codecs.BOM_UTF8):
            raw_bytes = raw_bytes[len(codecs.BOM_UTF8) :]
        try:
            raw = raw_bytes.decode("utf-8").rstrip("\r")
        except UnicodeDecodeError:
            return None
        if "\x00" in raw:
            return None
        line = collapse_space(raw)
        if not seen_content and line:
            seen_content = True
            if not PAPER.match(line):
                reader.header = parse_header(line, Origin(reader.source, number))
                if reader.header is None:
                    return None
                line = ""
        if m := TOTAL.match(line):
            reader.total = _total(m)
        elif line[:1] == "#" and PAPER.match(line):
            return reader, block[pos:], number, pos
        elif line:
            return None
        pos = end + 1
    return None


def _parts(
    stream: BinaryIO, reader: ListingReader, buf: bytes, line: int, offset: int, size: int
) -> Iterator[Part]:
    first = True
    # The next part starts at ``start`` in ``buf``: the bytes after a part are not copied
    # again for each part (a 1 MB block cut into four parts was copied two and a half times),
    # only once, with the next block, when a part needs it.
    start = 0
    scanned = 0  # where to look for a cut from: lines before it were looked at already
    try:
        while start < len(buf):
            if len(buf) - start > size:
                m = _boundary().search(buf, max(start + size, scanned))
            else:
                m = None
            if m is None:
                more = stream.read(_BLOCK)
                if more:
                    # the last line may have been cut short
                    scanned = max(buf.rfind(b"\n") + 1 - start, 0)
                    buf = buf[start:] + more
                    start = 0
                    continue
                cut = len(buf)
            else:
                cut = m.start()
            data = buf[start:cut]
            yield Part(reader.path, data, line, offset, first, reader.header)
            line += newlines(data)
            offset += cut - start
            first = False
            start = cut
            scanned = 0
    finally:
        stream.close()


def newlines(data: bytes) -> int:
    """``data.count(b"\\n")`` at a sixth of the cost: bytes.count looks at each byte in turn
    (a 256 KB part of a listing takes a third of a millisecond of the main process), where
    deleting them finds each with memchr."""
    return len(data) - len(data.replace(b"\n", b""))


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
        # For a listing read in parts (split_listing): the number of the last paper the
        # workers read, as the main process learns it, and their papers in ``count``.
        self.last_number = 0
        self._part: Part | None = None

    @classmethod
    def for_part(cls, part: Part) -> ListingReader:
        """A reader of one part of a listing (see :func:`split_listing`), as the whole file's
        reader would read those lines."""
        reader = cls(part.path)
        reader.header = part.header
        reader._part = part
        return reader

    def warn(self, message: str, line: int | None) -> None:
        self.problems.append(Problem(message, self.source, line))

    def entries(self) -> Iterator[ListingEntry]:
        part = self._part
        if part is None:
            return self._entries(read_blocks(self.path, self.encoding), 0, False)
        blocks = utf8_blocks(io.BytesIO(part.data), self.source, part.line - 1, part.offset)
        # The first paper of a part after the first follows one this reader never saw: the
        # caller checks their order (previous None).
        return self._entries(blocks, 0 if part.first else None, True)

    def _entries(
        self,
        blocks: Iterator[Block],
        previous_number: int | None,
        seen_content: bool,
    ) -> Iterator[ListingEntry]:
        """The papers, read line by line, but for papers of the usual shape: _PAPER_AT_ONCE
        reads each of those at once, leaving everything as reading its lines would."""
        from ..names import split_authors

        current: ListingEntry | None = None
        pending: list[tuple[int, str]] = []  # a "#N ..." line waiting for proof it is a paper
        source = self.source
        for number, text, data in blocks:
            if "\r" in text:
                text = text.replace("\r\n", "\n")  # lines lose their \r below anyway
            flaws = _Flaws(text, data)
            pos, size = 0, len(text)
            while pos < size:
                if (
                    _AT_ONCE
                    and text[pos] == "#"
                    and (m := _PAPER_AT_ONCE.match(text, pos))
                    and (title := _tagged_title(m[2])) is not None
                    and flaws.clean(pos, (found := _abstract(text, m.end()))[1])
                ):
                    # What the lines below do with a "#N" line that ends in a tag, and then
                    # with the paper's blank lines, its authors and its abstract.
                    number += 1
                    self.chars_read += m.end(2) + 1 - pos
                    if pending and current is not None:
                        current.abstract_lines.extend(held for _, held in pending)
                    pending = []
                    seen_content = True
                    if current is not None:
                        yield self._finish(current)
                    n = int(m[1])
                    if previous_number is not None and n <= previous_number:
                        self.problems.append(out_of_order(n, previous_number, source, number))
                    previous_number = n
                    abstract, end = found
                    current = ListingEntry(
                        n, title, new_origin(source, number), _split_authors(m[3]), abstract, True
                    )
                    # The lines after the title's: blank ones (one line feed each) up to
                    # "Authors: " (9 characters), its own, blank ones, the abstract's.
                    number += m.start(3) - 10 - m.end(2) + m.end() - m.end(3) + len(abstract)
                    self.chars_read += end - m.end(2) - 1
                    pos = end
                    continue
                stop = _next_paper_line(text, pos) if _AT_ONCE else size
                lines = text[pos:stop].split("\n")
                lines.pop()  # after the last line feed
                pos = stop
                for raw in lines:
                    number += 1
                    raw = raw.rstrip("\r")
                    self.chars_read += len(raw) + 1
                    line = collapse_space(raw)
                    if pending:
                        # A "#N" line inside an abstract is a paper only if an Authors line
                        # follows.
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
                            current.abstract_lines.extend(held for _, held in pending)
                        pending = []
                    if not seen_content:
                        if not line:
                            continue
                        seen_content = True
                        if not PAPER.match(line):
                            self.header = parse_header(line, Origin(source, number))
                            if self.header is None:
                                raise InputError(
                                    "expected a header like 'ICLR.2023 - Poster', "
                                    f"found {line[:60]!r}",
                                    source,
                                    number,
                                )
                            continue
                    if current is None and (m := TOTAL.match(line)):
                        self.total = _total(m)
                        continue
                    if line[:1] == "#" and PAPER.match(line):
                        if current is None or _last_tag(line, len(line)):
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
                                source,
                                number,
                            )
                        continue
                    if (
                        line[:1] in ("A", "a")
                        and (m := AUTHORS.match(line))
                        and current.authors is None
                        and not current.abstract_lines
                    ):
                        current.authors = split_authors(m.group("authors"))
                        continue
                    if line or current.abstract_lines:
                        current.abstract_lines.append(line)
        if pending and current is not None:
            current.abstract_lines.extend(held for _, held in pending)
        if current is not None:
            yield self._finish(current)
        if not seen_content:
            raise InputError("the file holds only blank lines", source, 1)
        if self.count == 0:
            raise InputError(
                "a header but no papers: expected lines like '#1 Title' after it",
                source,
                self.header.origin.line if self.header else 1,
            )

    def _start(self, number: int, line: str, previous: int | None) -> ListingEntry:
        m = PAPER.match(line)
        assert m is not None
        n = int(m.group("number"))
        if previous is not None and n <= previous:
            self.problems.append(out_of_order(n, previous, self.source, number))
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
