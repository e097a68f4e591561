"""Adding entries to a library the user already has: where they go, and one writer at a time.

The existing bytes are never rewritten: new entries go after the last entry (before JabRef's
trailing ``@Comment{jabref-meta: ...}`` blocks, which JabRef wants last; inside a CSL-JSON
array, before its closing bracket).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
from collections.abc import Iterator

from ._dataclass import dataclass
from ._lazy import lazy
from .errors import OutputError
from .output import resolve_target

# JabRef keeps its metadata in @Comment blocks at the end of the file; new entries go before.
# Compiled when a library has them (_lazy), not in every run.
_BLOCK_START = lazy(globals(), "_BLOCK_START", rb"^[ \t]*@(\w+)\s*[{(]\s*(jabref-meta:)?", re.M)
MERGEABLE = frozenset({"bibtex", "biblatex", "ris", "csl-json"})


@dataclass(frozen=True, slots=True)
class Existing:
    """An output file that exists: ``prefix`` + new entries + ``suffix`` is the merged file."""

    path: str
    data: bytes
    prefix: bytes
    suffix: bytes
    newline: str
    empty: bool  # no entries yet: new entries start the file's list themselves


def read_existing(path: str, format_name: str) -> Existing:
    """Read an output that exists, for appending; an error if its format cannot be appended to."""
    if format_name not in MERGEABLE:
        raise OutputError(
            f"{path} exists; {format_name} files cannot be merged into, give --overwrite to "
            "replace it or another file name"
        )
    try:
        with open(resolve_target(path), "rb") as f:
            data = f.read()
    except OSError as exc:
        raise OutputError(f"{path}: cannot read: {exc.strerror}") from None
    newline = "\r\n" if b"\r\n" in data[:65536] else "\n"
    if format_name == "csl-json":
        return _split_json(path, data, newline)
    prefix, suffix = data, b""
    if format_name in ("bibtex", "biblatex") and (start := _jabref_meta_tail(data)) is not None:
        prefix, suffix = data[:start], newline.encode() + data[start:]
    if prefix and not prefix.endswith(b"\n"):
        prefix += newline.encode()  # appended after the last byte; nothing before it changes
    return Existing(path, data, prefix, suffix, newline, empty=not prefix.strip())


def _jabref_meta_tail(data: bytes) -> int | None:
    """Where the run of ``@Comment{jabref-meta: ...}`` blocks ending the file starts, if any."""
    first = data.find(b"jabref-meta:")
    if first < 0:
        return None  # most libraries: found at C speed, not by listing every block
    start = None
    for m in reversed(list(_BLOCK_START.finditer(data, data.rfind(b"\n", 0, first) + 1))):
        if m.group(1).lower() != b"comment" or not m.group(2):
            break
        start = m.start()
    return start


def _split_json(path: str, data: bytes, newline: str) -> Existing:
    """``[ ...items... ]``: new items go between the last item and the closing bracket."""
    close = data.rstrip().rfind(b"]")
    head = data[:close].rstrip() if close >= 0 else b""
    if close < 0 or not data.lstrip().startswith(b"["):
        raise OutputError(f"{path} exists but is not a CSL-JSON array; give --overwrite")
    if head.endswith(b"["):  # an empty array: nothing to keep
        return Existing(path, data, b"", b"", newline, empty=True)
    return Existing(path, data, head, newline.encode() + data[close:], newline, empty=False)


@contextlib.contextmanager
def folder_lock(folder: str) -> Iterator[None]:
    """Hold an exclusive lock on an output's folder while reading, merging and renaming, so
    two bibexport runs merging into the same library queue instead of losing papers."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except FileNotFoundError:
        yield  # the output's folder is missing: writing will say so
        return
    except OSError as exc:
        raise OutputError(f"{folder}: cannot open the folder: {exc.strerror}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
