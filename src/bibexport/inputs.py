"""Opening input files as numbered text lines: BOMs, encodings, binary files, clear errors.

Reading is line by line from a binary stream, so a listing of any size streams, and a decoding
error can name its line and byte offset.
"""

from __future__ import annotations

import codecs
import io
import os
import sys
from collections.abc import Generator, Iterable, Iterator
from typing import BinaryIO

from .errors import InputError

STDIN = "-"
_SNIFF = 8192
# Lines of text read at once (read_blocks): the number of lines before them, their text, and
# the UTF-8 bytes it was decoded from (None if it was not, or not all at once).
Block = tuple[int, str, bytes | None]


def display_name(path: str) -> str:
    return "<stdin>" if path == STDIN else path


def open_input(path: str, kind: str = "listing") -> BinaryIO:
    """A file (or stdin) opened for reading bytes; a one-line InputError if it cannot be."""
    name = display_name(path)
    if path == STDIN:
        return sys.stdin.buffer
    try:
        if os.path.isdir(path):
            raise InputError(f"is a directory, not a {kind} file", name)
        return open(path, "rb")
    except FileNotFoundError:
        raise InputError("no such file", name) from None
    except PermissionError:
        raise InputError("permission denied", name) from None
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), name) from None


def read_blocks(path: str, encoding: str | None = None) -> Iterator[Block]:
    """The text of a file or ``-`` (stdin) in blocks of whole lines (:data:`Block`). Every
    line of a block ends with a line feed, the last one too (one is added at the end of a
    file without it); a line may keep a carriage return before it.

    UTF-8 (with or without BOM) unless ``encoding`` says otherwise; UTF-16 with a BOM is
    recognised. NUL bytes mean the file is not text. The lines before a fault come in a
    block of their own, then the error: a reader of the lines sees exactly those.
    """
    name = display_name(path)
    stream = open_input(path)
    try:
        head = stream.read(_SNIFF)
        if not head:
            raise InputError("the file is empty; copy a listing from papers.cool into it", name, 1)
        if encoding is None and head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = "utf-16"
        if encoding is None and b"\x00" in head:
            offset = head.index(b"\x00")
            raise InputError(f"not a text file (NUL byte at offset {offset})", name, 1)
        rest: BinaryIO = io.BufferedReader(_Chain(head, stream), 1 << 16)
        if encoding is None or codecs.lookup(encoding).name == "utf-8":
            yield from utf8_blocks(rest, name)
        else:
            yield from _decoded_blocks(rest, name, encoding)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}", name) from None
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def utf8_blocks(stream: BinaryIO, name: str, number: int = 0, offset: int = 0) -> Iterator[Block]:
    """:func:`read_blocks` for UTF-8, decoded a megabyte at a time; a block that fails is
    read again line by line, which finds the line and byte of the fault. ``number`` and
    ``offset`` say where in its file the stream starts (lines before it, and bytes), for a
    listing read in parts."""
    # The last block's text: its lines are counted only when another block follows (a part
    # of a listing, read by a worker, is one block: counting it was a pass over it for nothing).
    before = ""
    while data := stream.read(1 << 20):
        number += before.count("\n")
        if not data.endswith(b"\n"):
            data += stream.readline()  # the rest of the block's last line
        if number == 0 and data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
            offset = len(codecs.BOM_UTF8)
        try:
            # NUL is looked for in the bytes (U+0000 is the only character whose UTF-8 holds a
            # zero byte): in a text that is not all Latin-1, two or four bytes a character,
            # the search for a zero stops at the zero high byte of every ASCII character.
            text = "\x00" if b"\x00" in data else data.decode("utf-8")
        except UnicodeDecodeError:
            text = "\x00"  # the slow path below says where
        if text == "\x00":
            text = yield from _lines_before_fault(io.BytesIO(data), name, number, offset)
        if not text.endswith("\n"):
            text += "\n"  # only at the end of the file
        yield number, text, data
        before = text
        offset += len(data)


def _lines_before_fault(
    lines: Iterable[bytes], name: str, before: int, offset: int
) -> Generator[Block, None, str]:
    """The block of lines before the first bad one, then its error. (Each line holds its line
    end, so a block that fails has a line that fails; were there none, all is returned.)"""
    good: list[str] = []
    try:
        for number, raw in enumerate(lines, start=before + 1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"invalid UTF-8 at byte {offset + exc.start} (0x{raw[exc.start]:02x}); "
                    "if the file is in another encoding, give it with --encoding (e.g. latin-1)",
                    name,
                    number,
                ) from None
            if "\x00" in text:
                raise InputError("not a text file (NUL byte)", name, number)
            offset += len(raw)
            good.append(text.rstrip("\r\n"))
    except InputError:
        if good:
            yield before, "\n".join(good) + "\n", None
        raise
    return "\n".join(good) + "\n"


def _decoded_blocks(stream: BinaryIO, name: str, encoding: str) -> Iterator[Block]:
    """:func:`read_blocks` for another encoding (where CR, CR LF and LF all end a line)."""
    wrapper = io.TextIOWrapper(stream, encoding=encoding, newline=None)
    number, before = 0, 0
    block: list[str] = []
    try:
        for number, text in enumerate(wrapper, start=1):
            if number == 1:
                text = text.lstrip("\ufeff")
            block.append(text.rstrip("\r\n"))
            if len(block) == 1 << 12:
                yield before, "\n".join(block) + "\n", None
                before, block = number, []
    except UnicodeDecodeError as exc:
        if block:
            yield before, "\n".join(block) + "\n", None
        raise InputError(f"cannot decode as {encoding}: {exc.reason}", name, number + 1) from None
    finally:
        wrapper.detach()
    if block:
        yield before, "\n".join(block) + "\n", None


class _Chain(io.RawIOBase):
    """The sniffed head followed by the rest of the stream, readable line by line."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = head
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
