"""A listing cut into parts for worker processes reads exactly as the whole file does.

Workers each read a part (parallel.py); the main process checks the numbering across parts.
Whatever the file holds, the papers, their lines, their warnings, the header and the total
must be what the whole-file reader gives, and so must the error when the file is bad.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bibexport.errors import InputError
from bibexport.formats.listing import ListingReader, out_of_order, split_listing

from .conftest import EXAMPLE, LISTINGS

Read = tuple[object, ...]


def _entry(reader: ListingReader, entry: object) -> tuple[object, ...]:
    e = entry
    return (e.number, e.title, e.origin.line, e.authors, e.abstract_lines)  # type: ignore[attr-defined]


def read_whole(path: str) -> Read:
    reader = ListingReader(path)
    papers: list[tuple[object, ...]] = []
    try:
        for entry in reader.entries():
            papers.append((*_entry(reader, entry), [str(p) for p in reader.problems]))
            reader.problems.clear()
    except InputError as error:
        return ("error", str(error), papers)
    return (reader.header, reader.total, reader.count, papers)


def read_parts(path: str, size: int) -> Read | None:
    found = split_listing(path, size)
    if found is None:
        return None
    head, parts = found
    papers: list[tuple[object, ...]] = []
    count, last = 0, 0
    try:
        for part in parts:
            reader = ListingReader.for_part(part)
            for i, entry in enumerate(reader.entries()):
                problems = [str(p) for p in reader.problems]
                reader.problems.clear()
                if i == 0 and not part.first and entry.number <= last:
                    problems.insert(
                        0, str(out_of_order(entry.number, last, reader.source, entry.origin.line))
                    )
                last = entry.number
                papers.append((*_entry(reader, entry), problems))
            assert not reader.problems
            count += reader.count
    except InputError as error:
        return ("error", str(error), papers)
    return (head.header, head.total, count, papers)


def agree(path: Path, size: int) -> bool:
    """False if the file was left to the whole-file reader (which is then right by definition)."""
    whole = read_whole(str(path))
    parted = read_parts(str(path), size)
    if parted is None:
        return False
    if whole[0] == "error":
        # The same error. The papers read before it may differ in number (the whole file is
        # decoded a megabyte at a time, parts one by one); nothing is written after an error.
        assert parted[:2] == whole[:2]
        before, other = sorted([parted[2], whole[2]], key=len)  # type: ignore[arg-type]
        assert before == other[: len(before)]
    else:
        assert parted == whole
    return True


def test_real_listings_read_the_same_in_parts() -> None:
    for path in [EXAMPLE, LISTINGS / "hostile.txt"]:
        for size in (1, 300, 4000, 1 << 18):
            assert agree(path, size)


def test_parts_start_at_papers_and_cover_the_file(tmp_path: Path) -> None:
    text = EXAMPLE.read_bytes()
    found = split_listing(str(EXAMPLE), 2000)
    assert found is not None
    head, parts = found
    parts_list = list(parts)
    assert len(parts_list) > 5
    assert head.header is not None and head.header.venue == "ICLR"
    start = parts_list[0].offset
    assert b"".join(p.data for p in parts_list) == text[start:]
    for part in parts_list:
        assert part.data.startswith(b"#")
        assert text[: part.offset].count(b"\n") + 1 == part.line


def test_what_the_head_cannot_settle_is_left_to_the_whole_file_reader(tmp_path: Path) -> None:
    cases = {
        "utf16.txt": "ICLR.2023 - Poster\n\n#1 A [PDF]\n".encode("utf-16"),
        "nul.txt": b"ICLR.2023\x00\n#1 A [PDF]\n",
        "latin1.txt": "ICLR.2023 - Caf\xe9\n#1 A [PDF]\n".encode("latin-1"),
        "noheader.txt": b"not a header line at all!\n#1 A [PDF]\n",
        "nopaper.txt": b"ICLR.2023 - Poster\n\nsome text\n",
        "empty.txt": b"",
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        assert split_listing(str(path)) is None, name
    assert split_listing("-") is None


_LINES = [
    "ICLR.2023 - Poster",
    "NeurIPS 2022",
    "Total: 1,234",
    "",
    "",
    "  ",
    "#1 A Title [PDF] [Copy] [Kimi]",
    "#2 Another [PDF3] [Copy]",
    "#2 Duplicate number [PDF]",
    "#7 Untagged title",
    "#3 Masked [MASK] [PDF]",
    "  #4 Indented [PDF]",
    "#5\tTabbed [PDF]",
    "#0 Zero [PDF]",
    "#6 [PDF]",
    "Authors: A B ; C D",
    "authors: x y",
    "Author: Solo",
    "An abstract line.",
    "#12 is not a paper here",
    "Wrapped line two\u00a0with NBSP",
    "Caf\u00e9 \u0301",
    "\u200bzero width",
    "\x1b[0m control",
]


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lines=st.lists(st.sampled_from(_LINES), max_size=40),
    ending=st.sampled_from(["\n", "\r\n"]),
    final=st.booleans(),
    bom=st.booleans(),
    bad=st.sampled_from([b"", b"\xff", b"\x00"]),
    size=st.sampled_from([1, 20, 80, 400]),
)
def test_any_listing_reads_the_same_in_parts(
    tmp_path: Path,
    lines: list[str],
    ending: str,
    final: bool,
    bom: bool,
    bad: bytes,
    size: int,
) -> None:
    data = ending.join(lines).encode("utf-8") + (ending.encode() if final else b"")
    if bad and lines:
        cut = len(data) // 2
        data = data[:cut] + bad + data[cut:]
    path = tmp_path / "l.txt"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    agree(path, size)
