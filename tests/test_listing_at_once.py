"""Papers read at once (_PAPER_AT_ONCE) read exactly as their lines read one by one.

The listing reader takes a paper of the usual shape in one step when none of its lines holds
anything collapse_space would change. Whatever the listing holds, the papers, their lines,
their warnings (and when they are given), the characters read, the header, the total and
the error must be what reading every line one by one gives, for the whole file and for a
file cut into parts.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bibexport.errors import InputError
from bibexport.formats import listing
from bibexport.formats.listing import ListingReader, _inert, split_listing
from bibexport.inputs import read_blocks

from .conftest import EXAMPLE, LISTINGS

Read = tuple[object, ...]


def _read(entries: Iterator[listing.ListingEntry], reader: ListingReader) -> Read:
    """Everything a reader tells, in the order it tells it."""
    said: list[object] = []
    try:
        for e in entries:
            said.append((e.number, e.title, e.origin, e.authors, e.abstract_lines, e.abstract))
            said.append(([str(p) for p in reader.problems], reader.chars_read, reader.count))
            reader.problems.clear()
    except InputError as error:
        said.append(("error", str(error)))
    return (*said, [str(p) for p in reader.problems], reader.header, reader.total, reader.count)


def _both(read: object) -> tuple[Read, Read]:
    """``read()`` with papers read at once, and with every line read one by one."""
    assert listing._AT_ONCE
    at_once = read()  # type: ignore[operator]
    listing._AT_ONCE = False
    try:
        one_by_one = read()  # type: ignore[operator]
    finally:
        listing._AT_ONCE = True
    return at_once, one_by_one


def _agree(path: Path, encoding: str | None = None, size: int = 400) -> None:
    def whole() -> Read:
        reader = ListingReader(str(path), encoding)
        return _read(reader.entries(), reader)

    fast, slow = _both(whole)
    assert fast == slow

    def parts() -> Read:
        found = split_listing(str(path), size)
        if found is None:
            return ()
        said: list[Read] = []
        for part in found[1]:
            reader = ListingReader.for_part(part)
            said.append(_read(reader.entries(), reader))
        return tuple(said)

    fast, slow = _both(parts)
    assert fast == slow


def test_real_listings_read_the_same_at_once() -> None:
    for path in [EXAMPLE, LISTINGS / "hostile.txt"]:
        _agree(path)
        _agree(path, "latin-1")


# Pieces of titles, names and abstracts: TeX, braces, math, accents (composed, combining,
# and ones NFC changes), CJK, Hangul jamo, Indic signs, spaces of every kind, control
# characters, brackets and tags, and characters that mean something to the reader. Most
# are harmless, so that many papers are read at once, next to ones that are not.
_HARMLESS = [
    "Deep",
    "learning",
    "\\textit{De Novo}",
    "$O(n^2)$",
    "{GAN}s",
    "$\\alpha$-nets",
    "Caf\u00e9",
    "\u00c5",
    "\uac00",
    "\u6771\u4eac",
    "Nguy\u1ec5n",
    "\u0141ukasz",
    "\u2014",
    "\u2019s",
    "[MASK]",
    "]",
    ";",
    ",",
]
_NASTY = [
    "Cafe\u0301",
    "e\u0301\u0323",
    "\u212b",  # Angstrom sign: NFC makes it U+00C5
    "\u0958",  # Devanagari: NFC keeps it decomposed
    "\u0915\u093c",
    "\u0b47\u0b3e",  # Oriya vowel signs that compose
    "\u1100\u1161",  # Hangul jamo that compose
    "\ufb01ne",
    "x\u00a0y",
    "a\tb",
    "\x1b[0m",
    "\u200b",
    "\u00ad",
    "\x85",
    "\u2028",
    "\ud7ff",  # not a character (yet)
    "\U0001d400",
    "\U00011127",
    "[x-y]",
    "[",
    "#",
    "#7",
    "Authors:",
    "Total: 3",
    "",
    " ",
    "  ",
    "\r",
]
_WORD = st.sampled_from(_HARMLESS) | st.sampled_from(_HARMLESS) | st.sampled_from(_NASTY)
_TEXT = st.lists(_WORD, min_size=1, max_size=6).map(" ".join) | st.lists(_WORD, max_size=3).map(
    "".join
)
_TAGS = st.sampled_from(
    [
        " [PDF] [Copy] [Kimi3]",
        " [PDF] [Copy] [Kimi3]",
        " [PDF] [Copy] [Kimi3]",
        " [PDF12] [Copy] [Kimi]",
        " [PDF1] [Copy2] [Kimi1]",
        " [PDF]",
        "",
        " [Rel] [PDF] [Copy] [Kimi]",
        " [MASK] [PDF] [Copy] [Kimi]",
        " [PDF] [Copy] [Kimi] ",
        " [PDF]  [Copy] [Kimi]",
        "[PDF] [Copy] [Kimi]",
        " [PDF\u0663] [Copy] [Kimi]",
        " [x-y]",
        " [Star]",
    ]
)
_NUMBER = st.integers(0, 12).map(str) | st.sampled_from(["1", "2", "3", "007", "\u0663", "1\u0663"])
_SEP = st.sampled_from([" ", " ", " ", " ", "  ", "\t", ""])
_AUTHORS_LINE = st.builds(
    lambda head, names, sep: head + sep.join(names),
    st.sampled_from(
        [
            "Authors: ",
            "Authors: ",
            "Authors: ",
            "Authors: ",
            "authors: ",
            "Author: ",
            "Authors:",
            "Authors:  ",
            " Authors: ",
        ]
    ),
    st.lists(_TEXT, max_size=4),
    st.sampled_from([" ; ", " ; ", " ; ", ";", " ;", ", ", " , "]),
)
_BLANKS = st.lists(st.sampled_from(["", "", "", "", " ", "\t"]), max_size=2)
_ABSTRACT = st.lists(_TEXT | st.sampled_from(["#12 is not a paper here", "#3 X [PDF]"]), max_size=3)


@st.composite
def _paper(draw: st.DrawFn) -> list[str]:
    head = draw(st.sampled_from(["#", "#", "#", "#", " #", "# "]))
    title = f"{head}{draw(_NUMBER)}{draw(_SEP)}{draw(_TEXT)}{draw(_TAGS)}"
    lines = [title, *draw(_BLANKS)]
    if draw(st.integers(0, 5)):
        lines.append(draw(_AUTHORS_LINE))
    lines += draw(_BLANKS)
    lines += draw(_ABSTRACT)
    lines += draw(_BLANKS)
    return lines


@st.composite
def _usual_paper(draw: st.DrawFn) -> list[str]:
    """A paper as the site gives nearly all of them, of harmless words but for one in ten."""
    text = st.lists(st.sampled_from(_HARMLESS), min_size=1, max_size=5).map(" ".join)
    if draw(st.integers(0, 9)) == 0:
        text = _TEXT
    title = f"#{draw(_NUMBER)} {draw(text)}{draw(_TAGS)}"
    authors = "Authors: " + " ; ".join(draw(st.lists(text, min_size=1, max_size=3)))
    abstract = draw(st.lists(text, min_size=1, max_size=2))
    return [title, "", authors, "", *abstract, *draw(st.sampled_from([[""], [], ["", ""]]))]


_HEADERS = st.sampled_from(
    [
        [],
        ["ICLR.2023 - Poster"],
        ["NeurIPS 2022", "", "Total: 1,234"],
        ["", "ICLR.2023", "Total: x"],
    ]
)


@st.composite
def _listing(draw: st.DrawFn) -> bytes:
    lines: list[str] = [*draw(_HEADERS), ""]
    for paper in draw(st.lists(_usual_paper() | _usual_paper() | _paper(), max_size=8)):
        lines += paper
    for at, junk in draw(st.lists(st.tuples(st.integers(0, 60), _TEXT), max_size=3)):
        lines.insert(min(at, len(lines)), junk)
    ending = draw(st.sampled_from(["\n", "\n", "\n", "\n", "\r\n", "\r\r\n"]))
    data = ending.join(lines).encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        data += ending.encode()
    if draw(st.integers(0, 7)) == 0:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\x00", b"\xc3"])) + data[at:]
    if draw(st.integers(0, 5)) == 0:
        data = b"\xef\xbb\xbf" + data
    return data


@settings(
    max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=_listing(), size=st.sampled_from([1, 80, 400, 1 << 18]))
def test_any_listing_reads_the_same_at_once(tmp_path: Path, data: bytes, size: int) -> None:
    path = tmp_path / "l.txt"
    path.write_bytes(data)
    _agree(path, None, size)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=_listing())
def test_any_listing_reads_the_same_at_once_in_another_encoding(
    tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "l.txt"
    path.write_bytes(data)
    _agree(path, "latin-1")


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=_listing())
def test_blocks_hold_the_lines(tmp_path: Path, data: bytes) -> None:
    """read_blocks gives the lines reading the file line by line gave, and the same error."""
    data = b"x\n" + data  # not empty
    path = tmp_path / "l.txt"
    path.write_bytes(data)
    lines: list[tuple[int, str]] = []
    try:
        for number, text, _ in read_blocks(str(path)):
            assert text.endswith("\n")
            for i, line in enumerate(text.split("\n")[:-1], start=number + 1):
                lines.append((i, line.rstrip("\r")))
    except InputError as error:
        if b"\x00" in data:  # the head of a file is looked at for NUL bytes first
            assert error.line == 1 and "NUL byte at offset" in str(error) and not lines
            return
        number, offset = _fault(data)
        assert error.line == number and f"invalid UTF-8 at byte {offset} " in str(error)
        assert lines == _lines(data)[: number - 1]
        return
    assert lines == _lines(data)


def _fault(data: bytes) -> tuple[int, int]:
    """The line and the file offset of the first byte that is not UTF-8."""
    offset = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    for number, raw in enumerate(data[offset:].split(b"\n"), start=1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return number, offset + exc.start
        offset += len(raw) + 1
    raise AssertionError("no fault")


def _lines(data: bytes) -> list[tuple[int, str]]:
    """The lines of ``data`` (the good ones, up to the first bad one), numbered."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    raws = data.split(b"\n")
    if data.endswith(b"\n"):
        raws.pop()
    lines = []
    for number, raw in enumerate(raws, start=1):
        try:
            lines.append((number, raw.decode("utf-8").rstrip("\r")))
        except UnicodeDecodeError:
            break
    return lines


@pytest.mark.parametrize("plane", range(17))
def test_inert_characters_never_change_under_nfc(plane: int) -> None:
    """Every character _inert accepts is NFC, a starter, and nothing composes with it."""
    seconds = set()
    for code in range(plane << 16, (plane + 1) << 16):
        char = chr(code)
        decomposition = unicodedata.decomposition(char)
        if decomposition and not decomposition.startswith("<"):
            parts = decomposition.split()
            if len(parts) == 2 and unicodedata.normalize("NFC", char) == char:
                seconds.add(chr(int(parts[1], 16)))
    if plane == 0:
        seconds |= {chr(c) for c in [*range(0x1161, 0x1176), *range(0x11A8, 0x11C3)]}
        # Printable ASCII is taken as inert without asking _inert.
        assert not {chr(c) for c in range(0x20, 0x7F)} & seconds
    for code in range(plane << 16, (plane + 1) << 16):
        char = chr(code)
        if _inert(char):
            assert char not in seconds, hex(code)
            assert not unicodedata.combining(char)
            assert unicodedata.normalize("NFC", char) == char
            assert char.isprintable()
    _inert.cache_clear()
