"""Atomic output: the user's file is replaced whole or not at all."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bibexport.errors import OutputError
from bibexport.output import AtomicOutput
from bibexport.pipeline import Options, Target, convert

from .conftest import EXAMPLE

ORIGINAL = "@misc{mine,\n  title = {Mine},\n}\n"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_permissions_of_the_old_file_are_kept(tmp_path: Path) -> None:
    out = tmp_path / "refs.bib"
    out.write_text(ORIGINAL)
    out.chmod(0o640)
    convert([str(EXAMPLE)], [Target.for_path(str(out))], Options(overwrite=True))
    assert out.stat().st_mode & 0o777 == 0o640
    assert out.read_text().startswith("@inproceedings{gal2023image,")


def test_a_symlink_is_kept_and_its_target_updated(tmp_path: Path) -> None:
    real = tmp_path / "library" / "refs.bib"
    real.parent.mkdir()
    real.write_text(ORIGINAL)
    link = tmp_path / "refs.bib"
    link.symlink_to(real)
    convert([str(EXAMPLE)], [Target.for_path(str(link))], Options(overwrite=True))
    assert link.is_symlink()
    assert real.read_text().startswith("@inproceedings{gal2023image,")
    assert leftovers(real.parent) == []


@pytest.mark.skipif(sys.platform != "linux", reason="Linux starts writeback on this advice")
def test_a_big_output_goes_to_disk_as_it_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every few MB, the kernel is asked to start writing what the file holds so far (the
    fsync at the end then waits less); the range asked for is what was written since the
    last time, the bytes are all there, and a file system that refuses the advice is no
    error."""
    from bibexport import output

    monkeypatch.setattr(output, "_WRITEBACK", 1000)
    asked: list[tuple[int, int]] = []

    def advise(fd: int, offset: int, length: int, advice: int) -> None:
        assert advice == os.POSIX_FADV_DONTNEED
        assert os.fstat(fd).st_size >= offset + length  # written, not only buffered
        asked.append((offset, length))
        raise OSError(errno.EINVAL, "not here")

    monkeypatch.setattr(output.os, "posix_fadvise", advise)
    chunks = [bytes([65 + i % 26]) * 700 for i in range(10)]
    out = AtomicOutput(str(tmp_path / "big.bib"))
    for chunk in chunks:
        out.write_bytes(chunk)
    out.commit()
    assert (tmp_path / "big.bib").read_bytes() == b"".join(chunks)
    assert asked == [(0, 1400), (1400, 1400), (2800, 1400), (4200, 1400), (5600, 1400)]


def test_a_failing_write_leaves_the_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "refs.bib"
    out.write_text(ORIGINAL)

    def full_disk(self: AtomicOutput, text: str) -> None:
        raise OutputError(f"{self.path}: write failed: {os.strerror(errno.ENOSPC)}")

    monkeypatch.setattr(AtomicOutput, "write", full_disk)
    with pytest.raises(OutputError, match="No space left on device"):
        convert([str(EXAMPLE)], [Target.for_path(str(out))], Options(overwrite=True))
    assert out.read_text() == ORIGINAL
    assert leftovers(tmp_path) == []


def test_a_failing_rename_leaves_the_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "refs.bib"
    out.write_text(ORIGINAL)

    def failing_replace(src: str, dst: str) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OutputError, match="write failed"):
        convert([str(EXAMPLE)], [Target.for_path(str(out))], Options(overwrite=True))
    assert out.read_text() == ORIGINAL
    assert leftovers(tmp_path) == []


def test_outputs_are_replaced_all_or_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three outputs: the disk fills up as the last one is written out (a delayed allocation
    fails at fsync). None of the old files is replaced, and no temp file is left; the error
    names the output that failed. Once the disk has room, all three are."""
    outs = [tmp_path / "refs.bib", tmp_path / "refs.ris", tmp_path / "refs.json"]
    for out in outs:
        out.write_text(ORIGINAL)
    targets = [Target.for_path(str(out)) for out in outs]
    real_fsync = os.fsync
    synced: list[int] = []

    def fsync(fd: int) -> None:
        if os.path.basename(os.readlink(f"/proc/self/fd/{fd}")).startswith(".refs.json"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        synced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OutputError, match=r"refs\.json: write failed: No space left"):
        convert([str(EXAMPLE)], targets, Options(overwrite=True))
    assert [out.read_text() for out in outs] == [ORIGINAL] * 3
    assert len(synced) == 2  # the other two were written out, and still not put in place
    assert leftovers(tmp_path) == []
    monkeypatch.setattr(os, "fsync", real_fsync)
    convert([str(EXAMPLE)], targets, Options(overwrite=True))
    assert all(out.read_text() != ORIGINAL for out in outs)
    assert leftovers(tmp_path) == []


SLOW_RENAME = """
import os, sys, time
real_replace = os.replace
def slow_replace(src, dst):
    open(sys.argv[1] + ".ready", "w").close()
    time.sleep(30)
    real_replace(src, dst)
os.replace = slow_replace
from bibexport.cli import main
main(prog_name="bibexport", args=[sys.argv[2], "-o", sys.argv[1], "--overwrite", "-q"])
"""


@pytest.mark.parametrize(
    "sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=lambda s: s.name
)
def test_killed_between_temp_write_and_rename(tmp_path: Path, sig: signal.Signals) -> None:
    out = tmp_path / "refs.bib"
    out.write_text(ORIGINAL)
    proc = subprocess.Popen([sys.executable, "-c", SLOW_RENAME, str(out), str(EXAMPLE)])
    ready = Path(str(out) + ".ready")
    deadline = time.monotonic() + 20
    while not ready.exists():
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    proc.send_signal(sig)
    assert proc.wait(timeout=10) != 0
    assert out.read_text() == ORIGINAL
    if sig != signal.SIGKILL:  # a clean interrupt also removes its temp file
        assert leftovers(tmp_path) == []


def test_the_temp_file_is_new_and_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Made beside the target, readable by its owner alone until the commit gives it the
    target's permissions; a file already there under the name drawn is never opened, and
    a folder where no name can be had is a one-line error."""
    out = tmp_path / "refs.bib"
    taken = tmp_path / f".refs.bib.{'00' * 6}.tmp"
    taken.write_text("someone else's")
    draws = iter([bytes(6), bytes(6), b"\x01" * 6])
    monkeypatch.setattr(os, "urandom", lambda n: next(draws))
    output = AtomicOutput(str(out))
    temp = tmp_path / f".refs.bib.{'01' * 6}.tmp"
    assert temp.exists() and temp.stat().st_mode & 0o777 == 0o600
    output.write("hello\n")
    output.commit()
    assert out.read_text() == "hello\n" and not temp.exists()
    assert taken.read_text() == "someone else's"
    monkeypatch.setattr(os, "urandom", lambda n: bytes(n))
    with pytest.raises(OutputError, match=r"refs\.bib: cannot write in .*: no free temp file name"):
        AtomicOutput(str(out))


@settings(max_examples=300, deadline=None)
@given(text=st.text(), newline=st.sampled_from(["\n", "\r\n", "\r"]))
def test_encode_writes_what_a_text_stream_writes(text: str, newline: str) -> None:
    """Line feeds are translated in the bytes, after encoding (here and in the workers,
    parallel._encoded): the bytes a text stream with that newline writes, or its error."""
    import io

    from bibexport.parallel import _encoded

    stream = io.BytesIO()
    wrapper = io.TextIOWrapper(stream, encoding="utf-8", newline=newline)
    try:
        wrapper.write(text)
        wrapper.flush()
    except UnicodeEncodeError as error:
        with pytest.raises(UnicodeEncodeError) as ours:
            AtomicOutput.encode(_Stub(newline), text)  # type: ignore[arg-type]
        assert ours.value.args[2:4] == error.args[2:4]  # the same character, where it is
        with pytest.raises(UnicodeEncodeError):
            _encoded([[text]], newline)
        return
    assert AtomicOutput.encode(_Stub(newline), text) == stream.getvalue()  # type: ignore[arg-type]
    assert _encoded([[text, text[:3]]], newline) == [
        (stream.getvalue(), text[:3].replace("\n", newline).encode())
    ]


class _Stub:
    """What AtomicOutput.encode reads of its output."""

    def __init__(self, newline: str) -> None:
        self._newline = newline
        self._translate = newline != "\n"
