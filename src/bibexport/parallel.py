"""Normalising and rendering papers in worker processes, for listings of thousands of papers.

Per paper, reading, names and the output formats cost about twice what the rest does, and
none of it depends on the papers before: worker processes do it, while the main process
matches duplicates, assigns keys and writes, all in listing order, as it does alone
(pipeline.py). A listing file is cut into parts that each start with a paper
(listing.split_listing), and each worker reads its part itself; a listing from stdin, in
another encoding, or with a ``--select``, is read by the main process and sent as entries.
Workers render each paper with :data:`KEY_PLACEHOLDER` as its key; the writer's ``with_key``
puts the real one in. The output is the same bytes either way, and so are the warnings.

Workers are forked, so they start with the writers, the selection and the key maker as the
main process has them, and nothing but parts of listings (or entries) and results crosses
between the processes. Only a few batches are in flight at a time, so that a big listing is
never held in memory whole.
"""

from __future__ import annotations

import gc
import signal
import struct
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from itertools import accumulate, chain, repeat
from types import TracebackType
from typing import TYPE_CHECKING, Any, cast

from .dedup import MatchParts, paper_match_parts
from .formats import KEY_PLACEHOLDER, Cut, Piece, Writer
from .formats.listing import Part
from .normalise import normalise
from .pool import Pool
from .pool import WorkerError as WorkerError  # where the pipeline and its tests look

if TYPE_CHECKING:
    from .errors import Problem
    from .formats.listing import ListingEntry, ListingReader
    from .keys import KeyAssigner
    from .model import Paper, Venue
    from .selection import ListingFilter, Selection

# Papers per batch: enough that a batch's round trip costs little beside its work, few enough
# that the first results come back soon and the workers stay busy to the end.
BATCH = 200
# Batches in flight: the reader stays this far ahead of the writer, no further. Far enough
# that the workers keep converting while this process indexes a big library at the first
# paper (a cached 100,000-entry library takes it a second or two, a few thousand papers'
# work), and near enough that memory stays bounded: about 12 MB of listing, and their results.
AHEAD = 48

Prepared = str | tuple[str, list[str]]  # KeyAssigner.prepare
# A part's (or a batch's) papers, as a list per field rather than a tuple per paper: fewer
# objects to pickle in the worker and to make again here. Per paper: its title, number and
# line; what matching it needs (its title's fingerprint and _thirds keys among them: the main
# process only looks them up); what its key is made of; per writer, its text cut where the
# key goes (Writer.cut), each piece encoded as that writer's output holds it (UTF-8, its
# newlines: AtomicOutput.encode), so that the main process joins them around the key and
# writes them as they are; per writer, the writer's notes on it; and the listing's warnings
# about it, for the papers that have any (when a worker read it). The _thirds keys are hash()
# values, the same here as in the main process because the workers are forked (they share
# its hash seed). A part whose text cannot be encoded (a lone surrogate) comes with its cut
# texts unencoded instead, in ``raw``: the main process encodes them, and fails, as it
# would have without workers.
Columns = tuple[
    list[str],  # titles
    "list[int | None]",  # numbers
    list[int],  # lines
    list[MatchParts],
    list[Prepared],
    list[list[tuple[bytes, ...]]],  # per writer, per paper: its text, cut and encoded
    list[list[frozenset[str]]],  # per writer, per paper: the writer's notes (Rendered)
    "dict[int, list[Problem]]",  # warnings, by the paper's place in the columns
    "list[list[list[str]]] | None",  # raw: per writer, per paper, its text cut (see above)
]
# Column 3 as a worker sends it: MatchParts' fields as columns, the main process zipping them
# into a tuple per paper (:func:`_unpacked`). The ``_thirds`` keys, 64-bit hash() values, go
# as one array of int64 per part (each paper's own keys left out: Index.add_parts slices them
# off those to look up), with how many each paper has (0, 6 or 9, one byte each): pickled one
# by one, each cost ~250 instructions to unpickle here, most of a paper's unpickling.
PackedParts = tuple[
    "tuple[str, ...]",  # plain titles
    "tuple[tuple[str, ...], ...]",  # families
    "tuple[int | None, ...]",  # years
    "tuple[str, ...]",  # fingerprints
    bytes,  # every paper's _thirds keys to look up, in turn (int64, struct "q")
    bytes,  # how many each paper has
    "tuple[str, ...]",  # short-title fingerprints
]
Packed = tuple[  # Columns as a worker sends them
    list[str],
    "list[int | None]",
    list[int],
    PackedParts,
    list[Prepared],
    list[list[tuple[bytes, ...]]],
    list[list[frozenset[str]]],
    "dict[int, list[Problem]]",
    "list[list[list[str]]] | None",
]
# What the main process gets per part or batch: the papers' venue and listing, their
# columns, and which of them to add (those the selection's filter keeps; None: all).
Done = tuple["Venue", str, Columns, "list[int] | None"]
# Listing entries cross as tuples of str and int, which pickle in C: pickling the
# dataclasses (Paper, Person, ListingEntry) cost the main process more than they saved.
Sent = tuple[int, str, int, "list[str] | None", list[str]]  # number, title, line, authors, abstract
Batch = tuple["Venue", str, str, list[Sent]]  # venue, track, source and entries
# Or a part of a listing file, which the worker reads itself (listing.split_listing): the main
# process then neither reads those papers nor sends them.
PartWork = tuple["Venue", str, "Part"]
# What the main process gives: a listing's entry, or a part for a worker to read, with its
# venue and track, and the filter its papers must pass (an entry) or the reader of the
# listing's head, which counts the papers the workers read (a part).
Item = tuple["ListingEntry | Part", "Venue", str, "ListingFilter | ListingReader | None"]

# What every worker needs, set in the main process just before the workers are forked: they
# inherit it, so it is never pickled.
_writers: Sequence[Writer] = ()
_newlines: Sequence[str] = ()  # per writer, the newline its output is written with
_selection: Selection | None = None
_keys: KeyAssigner | None = None


class Workers:
    """Forked worker processes (:class:`~bibexport.pool.Pool`), ended on leaving the ``with``
    block: they finish after a run that went well, and are killed after one that did not (an
    error, Ctrl-C, SIGTERM)."""

    def __init__(
        self,
        jobs: int,
        writers: Sequence[Writer],
        selection: Selection | None,
        keys: KeyAssigner,
        newlines: Sequence[str] | None = None,
    ) -> None:
        """``newlines``: each writer's output's newline (AtomicOutput's); none given, ``\\n``."""
        global _writers, _newlines, _selection, _keys
        newlines = ["\n"] * len(writers) if newlines is None else newlines
        _writers, _newlines, _selection, _keys = writers, newlines, selection, keys
        self.limit = max(AHEAD, 3 * jobs)
        # Forked now rather than at the first part: what this process does until then (the
        # listing's head, its venue, the first part's bytes) the workers never need, and
        # they start up meanwhile. Everything alive now is frozen out of the cyclic
        # collector's reach first: the workers' collections (and this process's) would walk
        # the modules' objects again and again, and touching them copies their pages.
        gc.freeze()
        self.pool = Pool(jobs, _start)

    def __enter__(self) -> Workers:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        global _writers, _newlines, _selection, _keys
        _writers, _newlines, _selection, _keys = (), (), None, None  # the workers have copies
        if kind is None:
            self.pool.close(wait=False)  # see reap()
        else:
            self.pool.kill()

    def reap(self) -> None:
        """Wait for the workers' exits, once the run is done with them: a worker leaving
        frees its memory, ~5 ms (more on a busy machine) that the commit need not wait for."""
        self.pool.reap()

    def papers(self, items: Iterator[Item]) -> Iterator[Done]:
        """The papers of ``items`` that their filter keeps, in order, a part (or batch) at a
        time."""
        pending: deque[tuple[int, Callable[[Any], Done]]] = deque()
        batch: list[Sent] = []
        current: tuple[Venue, str, str, ListingFilter | None] | None = None
        submit, result = self.pool.submit, self.pool.result

        def send() -> None:
            assert current is not None
            work: Batch = (current[0], current[1], current[2], batch[:])
            keep = current[3]
            # What reads the results holds the venue and source only, not the batch: the pool
            # holds it, pickled, until a worker takes it.
            pending.append((submit(_work, work), partial(_results, current[0], current[2], keep)))
            batch.clear()

        for item, venue, track, keep in items:
            if isinstance(item, Part):
                if batch:
                    send()
                current = None
                head = cast("ListingReader", keep)
                ticket = submit(_work_part, (venue, track, item))
                pending.append((ticket, partial(_part_results, venue, item.first, head)))
            else:
                wanted = cast("ListingFilter | None", keep)
                if current is None or current[0] is not venue or current[3] is not wanted:
                    if batch:
                        send()
                    current = (venue, track, item.origin.source, wanted)
                batch.append(
                    (item.number, item.title, item.origin.line, item.authors, item.abstract_lines)
                )
                if len(batch) < BATCH:
                    continue
                send()
            while len(pending) > self.limit:
                ticket, results = pending.popleft()
                yield results(result(ticket))
        if batch:
            send()
        while pending:
            ticket, results = pending.popleft()
            yield results(result(ticket))


def _results(
    venue: Venue, source: str, keep: ListingFilter | None, results: tuple[list[bool], Packed]
) -> Done:
    """One batch's papers, those the filter keeps."""
    selected, sent = results
    columns = _columns(sent)
    if keep is None:
        return venue, source, columns, None
    rows: list[int] = []
    row = 0
    for kept in selected:  # the filter counts every entry, in order, kept by the worker or not
        if keep.count(kept):
            assert kept
            rows.append(row)
        row += kept
    return venue, source, columns, rows


def _part_results(venue: Venue, first_part: bool, head: ListingReader, sent: Packed) -> Done:
    """One part's papers, with the warnings the reader gave; the numbering is checked across
    parts here, as the reader of the whole file checks it from one paper to the next. (Given
    whether the part is the listing's first, not the part: its bytes are let go once the pool
    has them pickled.)"""
    from .formats.listing import out_of_order

    columns = _columns(sent)
    numbers = columns[1]
    head.count += len(numbers)
    if numbers:
        first, last = numbers[0], numbers[-1]
        assert first is not None and last is not None
        if not first_part and first <= head.last_number:
            line = columns[2][0]
            problem = out_of_order(first, head.last_number, head.source, line)
            columns[7].setdefault(0, []).insert(0, problem)
        head.last_number = last
    return venue, head.source, columns, None


def _start() -> None:
    """In each worker as it starts. Ctrl-C goes to every process of the terminal's group: the
    main process alone handles it (it ends the workers and removes its temp files), so workers
    ignore it; and SIGTERM, which ends them, ends them without the traceback that the CLI's
    handler (KeyboardInterrupt) would print. (Both are held back until then: see pool.Pool.)"""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _keep_memory()


# glibc's mallopt parameters (malloc.h).
_M_TRIM_THRESHOLD, _M_TOP_PAD, _M_MMAP_THRESHOLD = -1, -2, -3


def _keep_memory() -> None:
    """Let a worker's malloc keep the memory it frees, where the C library is glibc.

    A worker's tasks each take a few MB and free them (a part's text decoded, its results
    encoded and pickled: 1.3 MB a part for three formats), and glibc gave big blocks their own
    mappings and trimmed its heap, so every part faulted its pages in again: 32,000 faults per
    10,000 papers to three formats, where a fault costs 5-15 µs of system time on a shared
    machine. Kept (blocks up to 32 MB from the heap, 64 MB free before it is trimmed), the
    workers fault 18,000 pages, and a worker's memory stays at its peak, a few tens of MB, until
    it leaves. Elsewhere nothing is done. (ctypes is imported here, in each worker as it
    starts, the workers in parallel: never in the main process, whose start-up it would slow.)"""
    try:
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
    except (ImportError, OSError, AttributeError):  # not glibc, or no ctypes
        return
    mallopt(_M_MMAP_THRESHOLD, 32 << 20)
    mallopt(_M_TRIM_THRESHOLD, 64 << 20)
    mallopt(_M_TOP_PAD, 16 << 20)


class _Columns:
    """:data:`Columns` as they are filled, a part (or batch) at a time.

    Each step runs over all the part's papers before the next one starts (normalise them all,
    then render them all with one writer, then the next writer, ...), rather than a paper
    through every step: the same instructions, but each step's code and tables stay hot in
    the CPU's caches, and a 10k listing's work took 15-25% less CPU time that way (1.54-1.58 s
    against 1.80-2.06 s, in one process; callgrind: 793 against 794 M for 987 papers).
    """

    def __init__(self) -> None:
        self.titles: list[str] = []
        self.numbers: list[int | None] = []
        self.lines: list[int] = []
        self.parts: list[MatchParts] = []
        self.prepared: list[Prepared] = []
        self.cuts: list[list[Sequence[Piece]]] = [[] for _ in _writers]
        self.notes: list[list[frozenset[str]]] = [[] for _ in _writers]
        self.problems: dict[int, list[Problem]] = {}

    def add(self, entries: Sequence[ListingEntry], venue: Venue, track: str) -> list[bool]:
        """The entries' papers, normalised, rendered and prepared, step by step; per entry,
        whether the selection keeps it (those it drops are left out of the columns)."""
        assert _keys is not None
        # Made with the placeholder for their key, which the writers render: nothing else here
        # reads a paper's key (matching and key making do not), and a copy with the key put in
        # (keys.with_key) was one more Paper per paper.
        papers = [normalise(entry, venue, track, KEY_PLACEHOLDER) for entry in entries]
        if _selection is None:
            kept = [True] * len(papers)
        else:
            kept = list(map(_selection.keeps_text, papers))
            entries = [entry for entry, keep in zip(entries, kept, strict=True) if keep]
            papers = [paper for paper, keep in zip(papers, kept, strict=True) if keep]
        for writer, cuts, notes in zip(_writers, self.cuts, self.notes, strict=True):
            render, cut = writer.render, writer.cut
            render_cut: Callable[[Paper], Cut | None] | None = getattr(writer, "render_cut", None)
            if render_cut is None:
                for paper in papers:
                    text, noted = render(paper)
                    cuts.append(cut(text))
                    notes.append(noted)
                continue
            for paper in papers:
                got = render_cut(paper)
                if got is None:  # a paper the writer renders only whole
                    text, noted = render(paper)
                    cuts.append(cut(text))
                    notes.append(noted)
                else:
                    cuts.append(got[0])
                    notes.append(got[1])
        self.titles += [paper.title for paper in papers]
        self.numbers += [paper.number for paper in papers]
        self.lines += [entry.origin.line for entry in entries]
        self.parts += map(paper_match_parts, papers)
        self.prepared += map(_keys.prepare, papers)
        return kept

    def done(self) -> Packed:
        shared: dict[int, tuple[str, bytes]] = {}  # see _encoded
        try:
            encoded = [
                _encoded(cuts, newline, shared)
                for cuts, newline in zip(self.cuts, _newlines, strict=True)
            ]
        except UnicodeEncodeError:  # the main process fails on it, where it would have
            raw = [[[_joined(piece) for piece in pieces] for pieces in cuts] for cuts in self.cuts]
            return (*self._fields(), [[] for _ in _writers], self.notes, self.problems, raw)
        return (*self._fields(), encoded, self.notes, self.problems, None)

    def _fields(
        self,
    ) -> tuple[list[str], list[int | None], list[int], PackedParts, list[Prepared]]:
        return self.titles, self.numbers, self.lines, _packed(self.parts), self.prepared


def _packed(parts: list[MatchParts]) -> PackedParts:
    """:data:`PackedParts` of a part's papers, in C but for a call or two."""
    if not parts:
        return (), (), (), (), b"", b"", ()
    titles, families, years, fingerprints, looks, _, shorts = zip(*parts, strict=True)
    flat = list(chain.from_iterable(looks))
    keys = struct.pack(f"{len(flat)}q", *flat)  # array("q", ...) takes twice as long
    return titles, families, years, fingerprints, keys, bytes(map(len, looks)), shorts


def _unpacked(packed: PackedParts) -> list[MatchParts]:
    """What :func:`_packed` was given, but each paper's own ``_thirds`` keys: ``()`` (see
    :data:`PackedParts`). Each step runs in C over the part's papers."""
    titles, families, years, fingerprints, keys, sizes, shorts = packed
    flat = struct.unpack(f"{len(keys) // 8}q", keys)
    ends = list(accumulate(sizes))
    looks = map(flat.__getitem__, map(slice, [0, *ends], ends))  # a tuple's slices: tuples
    return list(zip(titles, families, years, fingerprints, looks, repeat(()), shorts))


def _columns(sent: Packed) -> Columns:
    """The columns a worker sent, as the main process uses them."""
    return (*sent[:3], _unpacked(sent[3]), *sent[4:])


def _encoded(
    cuts: list[Sequence[Piece]], newline: str, shared: dict[int, tuple[str, bytes]] | None = None
) -> list[tuple[bytes, ...]]:
    """Each paper's cut text as AtomicOutput.encode gives it for an output with ``newline``.

    A piece kept as three texts (formats.Cut) is encoded text by text, and the bytes joined;
    its long middle text (an abstract) once for all the part's writers: ``shared`` holds its
    bytes by the text's identity, with the text (alive, so its id is its own, while ``cuts``
    are)."""
    memo: dict[int, tuple[str, bytes]] = {} if shared is None else shared

    def three(piece: Any) -> bytes:  # a tuple[str, str, str] Piece
        before, value, after = piece
        known = memo.get(id(value))
        if known is None:
            known = memo[id(value)] = (value, value.encode())
        return b"".join((before.encode(), known[1], after.encode()))

    if newline == "\n":
        return [
            tuple([p.encode() if p.__class__ is str else three(p) for p in pieces])
            for pieces in cuts
        ]
    # Replaced in the bytes, not the text: the same bytes (a line feed is one byte in UTF-8,
    # and no other character's bytes hold it), at a third of the cost for text that is not
    # ASCII (the replace scans one byte a character, not two or four).
    nl = newline.encode()
    return [
        tuple([(p.encode() if p.__class__ is str else three(p)).replace(b"\n", nl) for p in pieces])
        for pieces in cuts
    ]


def _joined(piece: Piece) -> str:
    return piece if isinstance(piece, str) else "".join(piece)


def _work(work: Batch) -> tuple[list[bool], Packed]:
    """A batch of one listing's entries -> per entry, whether the selection keeps it, and the
    columns of those it keeps (see :func:`_results`)."""
    from .formats.listing import ListingEntry
    from .model import Origin

    venue, track, source, entries = work
    columns = _Columns()
    selected = columns.add(
        [
            ListingEntry(number, title, Origin(source, line), authors, abstract)
            for number, title, line, authors, abstract in entries
        ],
        venue,
        track,
    )
    return selected, columns.done()


def _work_part(work: PartWork) -> Packed:
    """A part of a listing file, read here -> its papers' columns (see :func:`_part_results`)."""
    from .formats.listing import ListingReader

    venue, track, part = work
    reader = ListingReader.for_part(part)
    columns = _Columns()
    problems = columns.problems
    entries: list[ListingEntry] = []
    for row, entry in enumerate(reader.entries()):  # read whole first: see _Columns
        entries.append(entry)
        if reader.problems:
            problems[row] = reader.problems[:]
            reader.problems.clear()
    kept = columns.add(entries, venue, track)
    assert all(kept)  # parts are read only when there is no selection
    return columns.done()
