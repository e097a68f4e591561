"""A cache of read libraries, so a 100,000-entry ``.bib`` is parsed once, not on every run.

What is cached is what :func:`bibexport.library.read_library` returns: the records matching
needs, the problems met and every key. An entry is used only when the library's size, mtime
and SHA-256 hash all still agree, and only by the bibexport version that wrote it; anything
else (a missing, stale, truncated or foreign cache file) is a miss, never an error. The cache
lives in ``$BIBEXPORT_CACHE_DIR``, else ``$XDG_CACHE_HOME/bibexport``, else
``~/.cache/bibexport``; ``BIBEXPORT_CACHE=0`` turns it off. It holds no whole entries, only
titles as plain text, folded family names, years, identifiers and keys.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import tempfile
from typing import Any

from . import __version__
from .errors import Problem
from .model import Origin

# Bump when Record, the readers' output or this layout change: old entries then just miss.
LAYOUT = 4
_MAGIC = b"bibexport-library-cache\n"


def cache_dir() -> str | None:
    """Where cached libraries go; None when caching is off."""
    if os.environ.get("BIBEXPORT_CACHE", "").strip().lower() in ("0", "no", "off", "false"):
        return None
    if folder := os.environ.get("BIBEXPORT_CACHE_DIR"):
        return folder
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "bibexport")


def _entry_path(folder: str, path: str, format: str) -> str:
    name = hashlib.blake2b(f"{os.path.realpath(path)}\0{format}".encode(), digest_size=16)
    return os.path.join(folder, name.hexdigest() + ".cache")


def _fingerprint(path: str) -> tuple[int, int, str] | None:
    """(size, mtime in ns, SHA-256 of the bytes), or None if the file cannot be read.

    SHA-256 rather than BLAKE2b: CPUs with SHA instructions (most x86 and ARM of recent
    years) hash a 90 MB library in a third of the time."""
    try:
        with open(path, "rb") as f:
            stat = os.fstat(f.fileno())
            digest = hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns, digest


def _header(format: str, fingerprint: tuple[int, int, str]) -> tuple[Any, ...]:
    return (LAYOUT, __version__, format, *fingerprint)


def load(path: str, format: str) -> Any | None:
    """The cached ``Library`` for ``path``, or None (no cache, stale, or unreadable)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(_entry_path(folder, path, format), "rb") as f:
            data = f.read()  # marshal.load(f) would read a few bytes at a time: slow
        if not data.startswith(_MAGIC):
            return None
        start = len(_MAGIC) + 4
        end = start + int.from_bytes(data[len(_MAGIC) : start], "big")
        header = marshal.loads(data[start:end])
        stat = os.stat(path)
        # Size and mtime first: a changed library is told apart without hashing it.
        if header[:5] != (LAYOUT, __version__, format, stat.st_size, stat.st_mtime_ns):
            return None
        fingerprint = _fingerprint(path)
        if fingerprint is None or header != _header(format, fingerprint):
            return None
        payload = marshal.loads(memoryview(data)[end:])
        return _library(path, format, payload)
    except (OSError, EOFError, ValueError, TypeError, IndexError):
        return None


def store(path: str, format: str, library: Any) -> None:
    """Cache ``library`` (just read from ``path``); a cache that cannot be written is skipped.

    The fingerprint is taken after reading: if the library changed meanwhile, the next run's
    check fails and it is read again.
    """
    folder = cache_dir()
    if folder is None:
        return
    fingerprint = _fingerprint(path)
    if fingerprint is None:
        return
    with contextlib.suppress(OSError, ValueError):
        os.makedirs(folder, mode=0o700, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
        try:
            with os.fdopen(fd, "wb") as f:
                header = marshal.dumps(_header(format, fingerprint))
                f.write(_MAGIC + len(header).to_bytes(4, "big") + header)
                marshal.dump(_payload(library), f)
            os.replace(temp, _entry_path(folder, path, format))
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise


def _payload(library: Any) -> tuple[Any, ...]:
    sources: dict[str | None, int] = {}
    records = []
    for r in library.records:
        source = sources.setdefault(r.origin.source, len(sources))
        records.append(
            (r.key, r.entry_type, r.title, r.families, r.year, r.ids, source, r.origin.line)
            + ((True,) if r.preprint else ())
        )
    problems = [(p.message, p.source, p.line) for p in library.problems]
    # What the index is built from, cached too: working it out costs more than reading it.
    from .dedup import short_fingerprint, words

    title_words = [words(r.title) for r in library.records]
    shorts = [short_fingerprint(r.title) for r in library.records]
    return library.path, tuple(sources), records, problems, library.keys, title_words, shorts


def _library(path: str, format: str, payload: tuple[Any, ...]) -> Any:
    from .library import Library
    from .records import _new_record

    # Messages name the library as this run does ("refs.bib", not the path of an earlier run).
    stored, sources, records, problems, keys, title_words, shorts = payload
    sources = [path if source == stored else source for source in sources]
    library = Library(path, format)
    append = library.records.append
    for key, entry_type, title, families, year, ids, source, line, *preprint in records:
        origin = Origin(sources[source], line)
        append(_new_record(key, entry_type, title, families, year, ids, origin, bool(preprint)))
    library.problems = [
        Problem(message, path if source == stored else source, line)
        for message, source, line in problems
    ]
    library.keys = set(keys)
    if not len(title_words) == len(shorts) == len(library.records):
        raise ValueError("cache: one title per record")
    library.title_words = title_words
    library.shorts = shorts
    return library
