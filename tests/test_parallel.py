"""Worker processes (bibexport.parallel) change how fast, never what: every output, warning,
note and error is the same as when one process does it all.

The suite as a whole can run through the workers too: ``BIBEXPORT_JOBS=2
BIBEXPORT_PARALLEL_BYTES=0 pytest``. These tests do it for the cases most likely to differ.
"""

from __future__ import annotations

import os
import pickle
import re
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bibexport import parallel
from bibexport import pipeline as pipeline_module
from bibexport.errors import InputError
from bibexport.formats import FORMATS, KEY_PLACEHOLDER, WriteOptions, get_format
from bibexport.formats import listing as listing_module
from bibexport.normalise import VenueOverride
from bibexport.pipeline import Options, Summary, Target, _jobs, convert
from bibexport.selection import Selection

from .conftest import DATA, EXAMPLE, LISTINGS

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")

HOSTILE = LISTINGS / "hostile.txt"
DEFAULT = Options()


def big_listing(path: Path, copies: int) -> Path:
    """The example's 25 papers ``copies`` times, renumbered, each copy's titles its own (so the
    keys collide and get suffixes), plus one exact repeat (a duplicate to skip)."""
    text = EXAMPLE.read_text(encoding="utf-8")
    header, _, body = text.partition("\n#1 ")
    blocks = re.split(r"\n(?=#\d+ )", "#1 " + body)
    out = [header.rstrip("\n") + "\n"]
    n = 0
    for copy in range(copies):
        for block in blocks:
            n += 1
            _, _, rest = block.partition(" ")
            title, nl, tail = rest.partition("\n")
            suffix = f" (part {copy})" if copy else ""
            title = re.sub(r"(\s*\[(PDF|Copy|Kimi)\d*\])+\s*$", "", title) + suffix
            out.append(f"\n#{n} {title} [PDF] [Copy]{nl}{tail.rstrip()}\n")
    n += 1
    first = blocks[0].partition(" ")[2]
    out.append(f"\n#{n} {first.rstrip()}\n")
    path.write_text("".join(out), encoding="utf-8")
    return path


def run(
    monkeypatch: pytest.MonkeyPatch,
    workers: bool,
    listings: list[Path],
    outputs: list[tuple[Path, str]],
    options: Options = DEFAULT,
    existing: dict[Path, bytes] | None = None,
    part_bytes: int = 700,
) -> tuple[list[bytes | None], list[str], Summary]:
    """One conversion, with or without workers: the outputs' bytes, the warnings as reported
    (in order), and the summary."""
    monkeypatch.setenv("BIBEXPORT_JOBS", "2" if workers else "1")
    monkeypatch.setenv("BIBEXPORT_PARALLEL_BYTES", "0")
    monkeypatch.setattr(parallel, "BATCH", 7)  # many batches, even from a small listing
    # and many parts (a few papers each) when the workers read the listing file themselves
    monkeypatch.setattr(listing_module, "PART_BYTES", part_bytes)
    for path in [p for p, _ in outputs]:
        path.unlink(missing_ok=True)
    for path, data in (existing or {}).items():
        path.write_bytes(data)
    seen: list[str] = []
    summary = convert(
        [str(p) for p in listings],
        [Target(str(p), get_format(f)) for p, f in outputs],
        options,
        report=lambda problem: seen.append(str(problem)),
    )
    texts = [p.read_bytes() if p.exists() else None for p, _ in outputs]
    return texts, seen, summary


def same_both_ways(
    monkeypatch: pytest.MonkeyPatch,
    listings: list[Path],
    outputs: list[tuple[Path, str]],
    options: Options = DEFAULT,
    existing: dict[Path, bytes] | None = None,
) -> Summary:
    alone = run(monkeypatch, False, listings, outputs, options, existing)
    shared = run(monkeypatch, True, listings, outputs, options, existing)
    assert shared[0] == alone[0]
    assert shared[1] == alone[1]
    a, b = alone[2], shared[2]
    assert (b.papers, b.notes, b.problems, b.written, b.merged) == (
        a.papers,
        a.notes,
        a.problems,
        a.written,
        a.merged,
    )
    assert (b.skipped, b.possible, b.keymap) == (a.skipped, a.possible, a.keymap)
    return b


def test_workers_are_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The tests below compare something: the workers really ran, in other processes."""
    started: list[int] = []
    real = parallel.Workers.__init__
    real_add = parallel._Columns.add
    marks = tmp_path / "marks"
    marks.mkdir()

    def spy(self: parallel.Workers, *args: object, **kwargs: object) -> None:
        real(self, *args, **kwargs)  # type: ignore[arg-type]
        started.append(len(self.pool.workers))

    def add(self: parallel._Columns, *args: Any) -> list[bool]:  # in a worker: forked after
        (marks / str(os.getpid())).touch()
        return real_add(self, *args)

    monkeypatch.setattr(parallel.Workers, "__init__", spy)
    monkeypatch.setattr(parallel._Columns, "add", add)
    run(monkeypatch, True, [EXAMPLE], [(tmp_path / "a.bib", "bibtex")])
    assert started == [2]
    ran = {int(mark.name) for mark in marks.iterdir()}
    assert ran and os.getpid() not in ran
    for pid in ran:  # and gone once the run is over, waited for (no zombie left)
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


LISTING_FILES = [EXAMPLE, HOSTILE, *sorted(p for p in LISTINGS.glob("*.txt"))]


@pytest.mark.parametrize("listing", sorted(set(LISTING_FILES)), ids=lambda p: p.name)
@pytest.mark.parametrize("fmt", [f.name for f in FORMATS])
@pytest.mark.parametrize("unicode", [None, True])
def test_every_listing_every_format(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, listing: Path, fmt: str, unicode: bool | None
) -> None:
    same_both_ways(
        monkeypatch, [listing], [(tmp_path / f"out.{fmt}", fmt)], Options(unicode=unicode)
    )


ALL = [("a.bib", "bibtex"), ("b.bib", "biblatex"), ("c.ris", "ris")]
ALL += [("d.json", "csl-json"), ("e.yaml", "csl-yaml")]


def outputs_in(tmp_path: Path) -> list[tuple[Path, str]]:
    return [(tmp_path / name, fmt) for name, fmt in ALL]


def test_many_batches_all_formats_at_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    listing = big_listing(tmp_path / "big.txt", 6)
    summary = same_both_ways(
        monkeypatch, [listing, EXAMPLE, HOSTILE], outputs_in(tmp_path), Options(keymap=True)
    )
    assert summary.papers > 150 and summary.skipped  # keys collided, duplicates were skipped


@pytest.mark.parametrize(
    "options",
    [
        Options(keys="acl"),
        Options(keys="anthology"),
        Options(keys="bbt"),
        Options(key_pattern="[auth:lower]:[year]"),  # a colon, which YAML leaves plain here
        Options(key_pattern="No[year]"),  # the first paper's key is No2023, then No2023a...
        Options(key_pattern="[year]"),  # 2023: YAML quotes it, or it would read a number
        Options(jabref_group="Reading list"),
        Options(strict=False, skip_possible=True),
        Options(venue=VenueOverride(venue="NotAVenue", year=2024)),  # a warning per listing
        Options(dry_run=True),
        Options(selection=Selection.parse(match="diffusion|graph")),
        Options(selection=Selection.parse(authors=["Yuval Alaluf"])),
        Options(selection=Selection.parse(select=["3-30,60"], match="learn")),
    ],
    ids=[
        "acl",
        "anthology",
        "bbt",
        "colon",
        "no",
        "year",
        "jabref-group",
        "skip-possible",
        "unknown-venue",
        "dry-run",
        "match",
        "author",
        "select-match",
    ],
)
def test_options(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, options: Options) -> None:
    listing = big_listing(tmp_path / "big.txt", 3)
    outputs = outputs_in(tmp_path)
    if options.jabref_group:
        outputs = outputs[:2]
    same_both_ways(monkeypatch, [listing, HOSTILE], outputs, replace(options, keymap=True))


def test_merging_into_existing_outputs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Existing outputs are merged into: their papers skipped, their keys not reused."""
    first = tmp_path / "first"
    first.mkdir()
    outputs = [(p, f) for p, f in outputs_in(first) if f != "csl-yaml"]  # YAML: not merged
    run(monkeypatch, False, [EXAMPLE], outputs)
    existing = {p: p.read_bytes() for p, _ in outputs}
    listing = big_listing(tmp_path / "big.txt", 3)
    summary = same_both_ways(monkeypatch, [listing], outputs, Options(keymap=True), existing)
    assert summary.skipped and summary.merged
    library = DATA / "libraries" / "curated.bib"
    same_both_ways(
        monkeypatch, [listing], outputs, Options(dedup_against=(str(library),)), existing
    )


@pytest.mark.parametrize("workers", [False, True])
def test_strict_stops_at_the_same_warning(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, workers: bool
) -> None:
    """A warning deep in the listing (numbering out of order), after batches went out."""
    listing = big_listing(tmp_path / "big.txt", 4)
    with listing.open("a", encoding="utf-8") as f:
        f.write("\n#3 Out of order [PDF]\n\nAuthors: Ada Lovelace\n\nAn abstract.\n")
    out = tmp_path / "out.bib"
    with pytest.raises(InputError) as caught:
        run(monkeypatch, workers, [listing], [(out, "bibtex")], Options(strict=True))
    assert not out.exists()
    with pytest.raises(InputError) as again:
        run(monkeypatch, not workers, [listing], [(out, "bibtex")], Options(strict=True))
    assert str(caught.value) == str(again.value)
    assert "numbering out of order (--strict)" in str(caught.value)


def test_a_selection_that_keeps_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Counted only once the workers' verdicts are in: raised, and the same, both ways."""
    options = Options(selection=Selection.parse(match="no such title anywhere"))
    errors = []
    for workers in (False, True):
        with pytest.raises(InputError) as caught:
            run(monkeypatch, workers, [EXAMPLE], [(tmp_path / "o.bib", "bibtex")], options)
        errors.append(str(caught.value))
    assert errors[0] == errors[1] and "no paper matches" in errors[0]


def test_an_error_in_a_worker_is_the_same_one_line_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """An InputError raised in a worker reaches the user whole (file and line), and nothing is
    written. The workers are forked after the patch, so they run it."""

    def broken(entry, venue, track, *key):  # type: ignore[no-untyped-def]
        if entry.number == 17:
            raise InputError(f"paper #{entry.number} is bad", entry.origin.source, 42)
        return real(entry, venue, track, *key)

    real = parallel.normalise
    monkeypatch.setattr(parallel, "normalise", broken)
    out = tmp_path / "out.bib"
    with pytest.raises(InputError) as caught:
        run(monkeypatch, True, [EXAMPLE], [(out, "bibtex")], Options(), {out: b"% mine\n"})
    assert str(caught.value) == f"{EXAMPLE}:42: paper #17 is bad"
    assert out.read_text() == "% mine\n"
    assert sorted(os.listdir(tmp_path)) == ["out.bib"]


def test_input_error_pickles_whole() -> None:
    error = pickle.loads(pickle.dumps(InputError("bad", "l.txt", 3)))
    assert (error.message, error.source, error.line, str(error)) == (
        "bad",
        "l.txt",
        3,
        "l.txt:3: bad",
    )


@pytest.mark.parametrize("fmt", [f.name for f in FORMATS])
@pytest.mark.parametrize(
    "key", ["smith2023deep", "true", "No", "null", "2023", "1e3", "a:b", "x-y.z/w+1", "_k", "Y"]
)
def test_with_key_is_rendering_with_the_key(example_papers: list, fmt: str, key: str) -> None:
    """Rendering with the placeholder and putting the key in is rendering with the key, for
    keys YAML quotes too; and a title holding the placeholder's letters keeps them."""
    for paper in example_papers[:3]:
        paper = replace(paper, title=paper.title + " " + KEY_PLACEHOLDER, key=key)
        writer = get_format(fmt).writer(WriteOptions())
        text, notes = writer.render(replace(paper, key=KEY_PLACEHOLDER))
        assert (writer.with_key(text, key), notes) == writer.render(paper)


def test_small_runs_start_no_workers(tmp_path: Path) -> None:
    """Below the threshold, by default, one process: the pool is not even imported."""
    script = (
        "import sys\n"
        "from bibexport.pipeline import convert, Target\n"
        f"convert([{str(EXAMPLE)!r}], [Target.for_path({str(tmp_path / 'o.bib')!r})])\n"
        "assert 'bibexport.pool' not in sys.modules, 'imported'\n"
        "assert 'multiprocessing' not in sys.modules, 'imported'\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("BIBEXPORT_")}
    env["BIBEXPORT_CACHE_DIR"] = str(tmp_path)
    subprocess.run([sys.executable, "-c", script], check=True, env=env)


def test_jobs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    small, big = tmp_path / "small.txt", tmp_path / "big.txt"
    small.write_bytes(b"x" * 100)
    big.write_bytes(b"x" * 3_000_000)
    monkeypatch.delenv("BIBEXPORT_PARALLEL_BYTES", raising=False)
    monkeypatch.setenv("BIBEXPORT_JOBS", "4")
    assert _jobs([str(small)]) == 1
    assert _jobs([str(big)]) == 4
    assert _jobs([str(small), "-"]) == 1
    monkeypatch.setenv("BIBEXPORT_JOBS", "1")
    assert _jobs([str(big)]) == 1
    monkeypatch.setenv("BIBEXPORT_JOBS", "many")
    with pytest.raises(InputError, match="BIBEXPORT_JOBS"):
        _jobs([str(big)])


INTERRUPTED = """
import os, sys, time
from bibexport import parallel
from bibexport import pipeline as pipeline_module
def mark():
    open(os.path.join(sys.argv[1], f"worker.{os.getpid()}"), "w").close()
    time.sleep(0.05)
real, real_part = parallel._work, parallel._work_part
def slow(work):  # a batch of entries (a selection, stdin)
    mark()
    return real(work)
def slow_part(work):  # a part of a listing file
    mark()
    return real_part(work)
parallel._work, parallel._work_part = slow, slow_part
from bibexport.cli import main
main(prog_name="bibexport", args=[sys.argv[2], "-o", sys.argv[3], "--overwrite", "-q"])
"""


@pytest.mark.parametrize(
    ("sig", "whom"),
    [
        (signal.SIGTERM, "main"),
        (signal.SIGINT, "main"),
        (signal.SIGKILL, "main"),
        (signal.SIGINT, "group"),  # Ctrl-C: the terminal signals every process of the group
        (signal.SIGTERM, "group"),
        (signal.SIGKILL, "worker"),  # the OOM killer
    ],
    ids=lambda v: v.name if isinstance(v, signal.Signals) else v,
)
def test_interrupted_mid_run(tmp_path: Path, sig: signal.Signals, whom: str) -> None:
    """A kill while the workers work: the output is as it was, no temp file, no worker left;
    and no hang, whoever was killed."""
    listing = big_listing(tmp_path / "big.txt", 8)
    marks = tmp_path / "marks"
    marks.mkdir()
    out = tmp_path / "refs.bib"
    out.write_text("% mine\n")
    env = {**os.environ, "BIBEXPORT_JOBS": "2", "BIBEXPORT_PARALLEL_BYTES": "0"}
    proc = subprocess.Popen(
        [sys.executable, "-c", INTERRUPTED, str(marks), str(listing), str(out)],
        env=env,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 20
    while len(os.listdir(marks)) < 2:
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    if whom == "main":
        proc.send_signal(sig)
    elif whom == "group":
        os.killpg(proc.pid, sig)
    else:
        os.kill(int(sorted(os.listdir(marks))[0].split(".")[1]), sig)
    _, stderr = proc.communicate(timeout=15)
    assert proc.returncode != 0
    assert out.read_text() == "% mine\n"
    if whom == "worker":
        assert stderr.decode().startswith("bibexport: a worker process ended unexpectedly")
    elif sig != signal.SIGKILL:
        assert b"Traceback" not in stderr
        assert stderr.decode().strip() == "bibexport: interrupted; no output was changed"
    if sig != signal.SIGKILL or whom == "worker":
        assert sorted(os.listdir(tmp_path)) == ["big.txt", "marks", "refs.bib"]
    workers = [int(name.split(".")[1]) for name in os.listdir(marks)]
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in workers):
        assert time.monotonic() < deadline, "a worker outlived its main process"
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_no_workers_to_be_had(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A fork that fails (no memory, no processes left) leaves the run to this process."""

    def refuse(self: parallel.Workers, *args: object) -> None:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    alone = run(monkeypatch, False, [EXAMPLE], outputs_in(tmp_path))
    monkeypatch.setattr(parallel.Workers, "__init__", refuse)
    assert run(monkeypatch, True, [EXAMPLE], outputs_in(tmp_path))[:2] == alone[:2]


def test_warnings_across_parts_are_as_one_process_gives_them(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Workers read a listing file in parts: numbering out of order where one part ends and
    the next begins, papers without authors or title, a "#N" line inside an abstract and a
    Total the listing falls short of are reported as one process reports them, in order."""
    numbers = [1, 2, 3, 3, 5, 4, 7, 8, 8, 1, 11, 12, 13, 14, 15, 2, 17, 18, 19, 20]
    lines = ["ICLR.2023 - Poster", "Total: 1,000", ""]
    for i, n in enumerate(numbers):
        lines.append(f"#{n} Paper number {i} on Graph Learning [PDF] [Copy] [Kimi]")
        lines.append("")
        if i % 4 != 1:
            lines.append(f"Authors: Ada Lovelace ; Alan Turing{i}")
            lines.append("")
        lines.append(f"An abstract for paper {i}; it is long enough to fill a line or two.")
        if i % 5 == 2:
            lines.append(f"#{n + 40} is a footnote, not a paper")
            lines.append("and the abstract goes on.")
        lines.append("")
    listing = tmp_path / "parts.txt"
    listing.write_text("\n".join(lines), encoding="utf-8")
    for size in (1, 200, 700):
        out = tmp_path / "out.bib"
        alone = run(monkeypatch, False, [listing], [(out, "bibtex")])
        shared = run(monkeypatch, True, [listing], [(out, "bibtex")], part_bytes=size)
        assert shared[0] == alone[0]
        assert shared[1] == alone[1]
        assert shared[2].notes == alone[2].notes
    assert any("follows #8: numbering out of order" in w for w in alone[1])
    assert any("no 'Authors:' line" in w for w in alone[1])
    assert any("20 of 1,000 papers" in n for n in alone[2].notes)


def _die(work: object) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_worker_that_died_before_more_work_is_sent_is_one_line(tmp_path: Path) -> None:
    """The pool breaks when a worker dies; what is sent to it after that fails at once, and
    must be the same one-line error as a batch lost with the worker, not a traceback."""
    from bibexport.keys import KeyAssigner

    workers = parallel.Workers(2, [], None, KeyAssigner(None))
    lost = pytest.raises(parallel.WorkerError, match="worker process ended unexpectedly")
    with workers:
        with lost:
            workers.pool.result(workers.pool.submit(_die, None))
        deadline = time.monotonic() + 20
        while not workers.pool.broken:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        with lost:
            workers.pool.submit(_die, None)


def test_the_collector_comes_back_after_the_index_is_let_go(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Back on, the collector's first collection walks every object made while it was off and
    still alive: the run's index (a record per paper) is let go before, so a big run does not
    pay a walk over all its papers (1 s for 100,000) to free nothing."""
    import gc

    from bibexport.records import Record

    n = 600
    papers = "".join(
        f"#{i} Study {i} of Learning Thing {i % 97} [PDF] [Copy] [Kimi]\n\n"
        f"Authors: Ada Lovelace{i} ; Alan Turing{i % 13}\n\nAn abstract {i}.\n\n"
        for i in range(1, n + 1)
    )
    listing = tmp_path / "big.txt"
    listing.write_text(f"ICLR.2023 - Poster\n\nTotal: {n}\n\n{papers}", encoding="utf-8")
    records: list[int] = []
    real = gc.enable

    def spy() -> None:
        records.append(sum(isinstance(o, Record) for o in gc.get_objects(0)))
        real()

    monkeypatch.setattr(gc, "enable", spy)
    _, _, summary = run(monkeypatch, True, [listing], [(tmp_path / "a.bib", "bibtex")])
    assert summary.papers == n
    assert records == [0]


def test_the_garbage_collector_is_back_after_a_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The main process holds the cyclic collector off while it takes the workers' results; a
    program that calls convert() gets it back, after a run that went well and one that failed
    (and keeps it off if it had it off)."""
    import gc

    seen: list[bool] = []
    real = pipeline_module._Outputs.placer

    def spy(self: pipeline_module._Outputs, *args: Any) -> Any:
        seen.append(gc.isenabled())  # once per part (or batch) of results
        return real(self, *args)

    monkeypatch.setattr(pipeline_module._Outputs, "placer", spy)
    assert gc.isenabled()
    run(monkeypatch, True, [EXAMPLE], [(tmp_path / "a.bib", "bibtex")])
    assert seen and not any(seen)  # off while the results came in
    assert gc.isenabled()

    def broken(entry, venue, track, *key):  # type: ignore[no-untyped-def]
        raise InputError("bad", entry.origin.source, 1)

    monkeypatch.setattr(parallel, "normalise", broken)
    with pytest.raises(InputError):
        run(monkeypatch, True, [EXAMPLE], [(tmp_path / "b.bib", "bibtex")])
    assert gc.isenabled()
    gc.disable()
    try:
        monkeypatch.undo()
        run(monkeypatch, True, [EXAMPLE], [(tmp_path / "c.bib", "bibtex")])
        assert not gc.isenabled()
    finally:
        gc.enable()
