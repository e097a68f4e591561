"""Opening input files as numbered text lines: BOMs, encodings, binary files, clear errors.

Reading is line by line from a binary stream, so a listing of any size streams, and a decoding
error can name its line and byte offset.
"""

from __future__ import annotations

import codecs
import io
import os
import sys
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from .errors import InputError

STDIN = "-"
_SNIFF = 8192


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


def read_lines(path: str, encoding: str | None = None) -> Iterator[tuple[int, str]]:
    """Yield (1-based line number, text without its line end) for a file or ``-`` (stdin).

    UTF-8 (with or without BOM) unless ``encoding`` says otherwise; UTF-16 with a BOM is
    recognised. NUL bytes mean the file is not text.
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
            yield from utf8_lines(rest, name)
        else:
            yield from _decoded_lines(rest, name, encoding)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}", name) from None
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def utf8_lines(
    stream: BinaryIO, name: str, number: int = 0, offset: int = 0
) -> Iterator[tuple[int, str]]:
    """Lines decoded a megabyte at a time; a block that fails is read again line by line,
    which finds the line and byte of the fault. ``number`` and ``offset`` say where in its
    file the stream starts (lines before it, and bytes), for a listing read in parts."""
    while block := stream.readlines(1 << 20):
        data = b"".join(block)
        if number == 0 and data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
            offset = len(codecs.BOM_UTF8)
            block[0] = block[0][len(codecs.BOM_UTF8) :]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = "\x00"  # the slow path below says where
        if "\x00" in text:
            yield from _utf8_lines_one_by_one(block, name, number, offset)  # raises
            number, offset = number + len(block), offset + len(data)
            continue
        lines = text.split("\n")
        if lines[-1] == "":
            lines.pop()  # the block ended with a line end
        for line in lines:
            number += 1
            yield number, line.rstrip("\r")
        offset += len(data)


def _utf8_lines_one_by_one(
    stream: Iterable[bytes], name: str, before: int, offset: int
) -> Iterator[tuple[int, str]]:
    for number, raw in enumerate(stream, start=before + 1):
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
        yield number, text.rstrip("\r\n")


def _decoded_lines(stream: BinaryIO, name: str, encoding: str) -> Iterator[tuple[int, str]]:
    wrapper = io.TextIOWrapper(stream, encoding=encoding, newline=None)
    number = 0
    try:
        for number, text in enumerate(wrapper, start=1):
            if number == 1:
                text = text.lstrip("\ufeff")
            yield number, text.rstrip("\r\n")
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot decode as {encoding}: {exc.reason}", name, number + 1) from None
    finally:
        wrapper.detach()


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
