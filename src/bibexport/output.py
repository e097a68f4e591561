"""Writing outputs atomically: a temp file beside the target, fsync, rename over it.

Until :meth:`AtomicOutput.commit`, the target is untouched; on any failure the temp file is
removed and the user's file is exactly as it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Sequence
from types import TracebackType
from typing import BinaryIO

from .errors import OutputError

STDOUT = "-"
# Bytes held before a write to the file: outputs are written a part of the listing at a time.
_BUFFER = 1 << 16
# Bytes written between two requests to the kernel to start writing them to disk (see
# AtomicOutput.write_bytes).
_WRITEBACK = 4 << 20


def resolve_target(path: str) -> str:
    """The file a write really replaces: through symlinks, so the link itself is kept."""
    return os.path.realpath(path) if os.path.islink(path) else path


class AtomicOutput:
    """A text file that appears at ``path`` only on commit (``-`` is stdout, also all at once).

    UTF-8, each line feed written as ``newline``, as a text stream would write it; but the file
    underneath is binary, so that text already encoded so (:meth:`encode`, by a worker
    process) is written as it is, without being decoded and encoded again.
    """

    def __init__(self, path: str, newline: str = "\n") -> None:
        self.path = path
        self._newline = newline
        self._translate = newline != "\n"
        self._temp: str | None = None
        self.stream: BinaryIO
        if path == STDOUT:
            import tempfile

            # Held back until the run succeeds; large outputs spill to a temp file.
            self._spool = tempfile.SpooledTemporaryFile(max_size=1 << 23)  # noqa: SIM115
            self.stream = self._spool  # type: ignore[assignment]
            return
        target = resolve_target(path)
        folder = os.path.dirname(os.path.abspath(target))
        if not os.path.isdir(folder):
            raise OutputError(f"{path}: the folder {folder} does not exist")
        if os.path.isdir(target):
            raise OutputError(f"{path}: is a directory; give a file name")
        try:
            fd, self._temp = _temp_file(folder, f".{os.path.basename(target)}.")
        except OSError as exc:
            raise OutputError(f"{path}: cannot write in {folder}: {exc.strerror}") from None
        self._target = target
        self.stream = open(fd, "wb", buffering=_BUFFER)  # noqa: SIM115
        self._written = 0  # bytes written to the file
        self._sent = 0  # of which the kernel was asked to start writing out

    def encode(self, text: str) -> bytes:
        """``text`` as :meth:`write` writes it: what ``io.TextIOWrapper(encoding="utf-8",
        newline=newline)`` writes (line feeds translated, then encoded, strictly)."""
        if self._translate:  # in the bytes: the same bytes, cheaper (see parallel._encoded)
            try:
                return text.encode("utf-8").replace(b"\n", self._newline.encode())
            except UnicodeEncodeError:  # raised again, where a text stream finds it
                return text.replace("\n", self._newline).encode("utf-8")
        return text.encode("utf-8")

    def write_bytes(self, data: bytes) -> None:
        """Bytes written exactly as they are: an existing library's, or :meth:`encode`'s."""
        try:
            self.stream.write(data)
            if self._temp is not None:
                self._written += len(data)
                if self._written - self._sent >= _WRITEBACK:
                    self._write_back()
        except OSError as exc:
            raise OutputError(f"{self.path}: write failed: {exc.strerror}") from None

    def _write_back(self) -> None:
        """Start writing what the file holds so far to disk, without waiting for it.

        The fsync at :meth:`commit` must otherwise write the whole file while the user waits,
        after the last paper; started as the run goes, the disk works while the papers are
        converted (10,000 papers' BibTeX, 15 MB: commit 35-54 ms -> 15-23 ms; three formats
        100-132 -> 54-91 ms). Linux starts that writeback for POSIX_FADV_DONTNEED, and keeps
        the pages (they are not written yet); the fsync still waits for all of it, and reports
        any error of it.
        """
        if _FADV_DONTNEED is None:
            return
        self.stream.flush()
        start, self._sent = self._sent, self._written
        with contextlib.suppress(OSError):  # advice: a file system may not take it
            os.posix_fadvise(self.stream.fileno(), start, self._sent - start, _FADV_DONTNEED)

    def write(self, text: str) -> None:
        self.write_bytes(self.encode(text))

    def commit(self) -> None:
        commit_all([self])

    def _sync(self) -> None:
        """The temp file written out, closed, and given the old file's permissions."""
        assert self._temp is not None, "commit() after abort()"
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()
        os.chmod(self._temp, _mode_for(self._target))

    def _replace(self) -> str:
        """The target replaced by the temp file; the folder to sync."""
        assert self._temp is not None, "commit() after abort()"
        os.replace(self._temp, self._target)
        self._temp = None
        return os.path.dirname(os.path.abspath(self._target))

    def _to_stdout(self) -> None:
        import shutil

        self._spool.seek(0)
        sys.stdout.flush()
        shutil.copyfileobj(self._spool, sys.stdout.buffer, 1 << 16)
        sys.stdout.buffer.flush()
        self.stream.close()

    def abort(self) -> None:
        """Forget the output; the target keeps its old content (or stays absent)."""
        if self._temp is not None:
            self.stream.close()
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._temp)
            self._temp = None

    def __enter__(self) -> AtomicOutput:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if kind is None:
            self.commit()
        else:
            self.abort()


def commit_all(outputs: Sequence[AtomicOutput]) -> None:
    """Every output committed, or none: each file is written out (fsync) before any replaces
    its target, so a disk that fills up or fails at the last moment leaves every old file as
    it was. Then the files are renamed, each folder is synced once, and what goes to stdout
    is written last."""
    files = [out for out in outputs if out.path != STDOUT]
    folders: dict[str, None] = {}
    for phase in (AtomicOutput._sync, AtomicOutput._replace):  # all written out, then renamed
        for out in files:
            try:
                folder = phase(out)
            except OSError as exc:
                for each in files:
                    each.abort()
                raise OutputError(f"{out.path}: write failed: {exc.strerror}") from None
            except BaseException:  # an interrupt mid-commit: old files stay, temps go
                for each in files:
                    each.abort()
                raise
            if folder:
                folders[folder] = None
    for folder in folders:
        _fsync_folder(folder)
    for out in outputs:
        if out.path == STDOUT:
            out._to_stdout()


# Linux only: elsewhere, the fsync at commit writes the whole file, as it always did.
_FADV_DONTNEED: int | None = (
    getattr(os, "POSIX_FADV_DONTNEED", None) if sys.platform == "linux" else None
)


# What tempfile.mkstemp does, without importing tempfile: it brings shutil, random, bz2 and
# lzma with it, ~6 ms of every run's start-up (the temp file is made before the first paper).
_TEMP_FLAGS = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
_TEMP_FLAGS |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def _temp_file(folder: str, prefix: str) -> tuple[int, str]:
    """A new file ``folder/prefix<random>.tmp``, readable and writable by its owner only, as
    ``tempfile.mkstemp`` makes it; an existing name is never opened (O_EXCL)."""
    for _ in range(100):
        path = os.path.join(folder, f"{prefix}{os.urandom(6).hex()}.tmp")
        try:
            return os.open(path, _TEMP_FLAGS, 0o600), path
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temp file name")


def _mode_for(target: str) -> int:
    """The old file's permissions, or what a plain open() would give under the umask."""
    try:
        return os.stat(target).st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_folder(folder: str) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
