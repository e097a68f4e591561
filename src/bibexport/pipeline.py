"""convert(): read listing -> normalise -> dedup -> keys -> write. The only place the order lives.

Papers stream through one at a time: every output is written as each paper passes, and what
stays in memory per paper is its key and fingerprint.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import field, replace
from functools import partial
from typing import TYPE_CHECKING

from ._dataclass import dataclass
from .append import Existing, folder_lock, read_existing
from .errors import InputError, Problem
from .formats import Format, WriteOptions, Writer, get_format
from .formats.listing import ListingEntry, ListingReader, split_listing
from .keys import AUTO, ConventionVotes, KeyAssigner, KeyPatternError, get_preset
from .model import Origin, Paper, Venue, new_origin
from .normalise import VenueOverride, normalise, resolve_venue
from .output import STDOUT, AtomicOutput, commit_all, resolve_target

if TYPE_CHECKING:
    from .dedup import Index, Match
    from .library import Library
    from .parallel import Columns, Done, Item, Workers
    from .selection import ListingFilter, Selection
    from .venues import VenueSpec


@dataclass(frozen=True, slots=True)
class Target:
    """One output: a path (``-`` for stdout) and the format to write there."""

    path: str
    format: Format

    @classmethod
    def for_path(cls, path: str, format_name: str | None = None) -> Target:
        if format_name is None and path == STDOUT:
            return cls(path, get_format())
        return cls(path, get_format(format_name, None if format_name else path))


@dataclass(frozen=True, slots=True)
class Options:
    unicode: bool | None = None
    key_pattern: str | None = None
    venue: VenueOverride = field(default_factory=VenueOverride)
    encoding: str | None = None
    overwrite: bool = False
    strict: bool = False  # warnings are errors: the run stops and nothing is written
    dedup_against: tuple[str, ...] = ()  # libraries to skip papers of; never written
    skip_possible: bool = False  # possible duplicates are skipped too, not only certain ones
    dry_run: bool = False  # decide and report, write nothing
    jabref_group: str | None = None  # BibTeX outputs: new entries join this JabRef group
    selection: Selection | None = None  # --select/--match/--author; None: every paper
    venues: tuple[VenueSpec, ...] = ()  # a config file's venues, added to the table
    # --keys: a keys.PRESETS name or "auto"; None: auto when there is a library, else scholar
    keys: str | None = None
    keymap: bool = False  # collect Summary.keymap (a title per paper) for --keymap


@dataclass(slots=True)
class Summary:
    papers: int = 0
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    written: list[str] = field(default_factory=list)  # files created or replaced
    merged: list[str] = field(default_factory=list)  # of those, the ones merged into
    skipped: list[Skipped] = field(default_factory=list)  # already there: not written
    possible: list[Skipped] = field(default_factory=list)  # written, but may be duplicates
    keymap: list[KeymapRow] = field(default_factory=list)  # Options.keymap: every paper's key


Report = Callable[[Problem], None]
Tick = Callable[[int, int], None]  # (papers done, characters of input read)


def read_papers(
    listings: Sequence[str],
    options: Options,
    report: Report,
    summary: Summary,
    tick: Tick | None = None,
) -> Iterator[Paper]:
    """Every listing in order, normalised, as one batch; only the selected papers, if any.

    A selection that names a missing number, or keeps nothing, raises InputError after the
    listing that shows it, before any output is committed.
    """
    filters: list[ListingFilter] = []
    for entry, venue, track, keep in read_entries(
        listings, options, report, summary, filters, tick
    ):
        paper = normalise(entry, venue, track)
        if keep is None or keep.keeps(paper):
            yield paper
    check_selection(options, filters)


def read_entries(
    listings: Sequence[str],
    options: Options,
    report: Report,
    summary: Summary,
    filters: list[ListingFilter],
    tick: Tick | None = None,
    readers: list[ListingReader] | None = None,
) -> Iterator[tuple[ListingEntry, Venue, str, ListingFilter | None]]:
    """The listings' entries with what normalising them needs (venue, track), and the filter
    their normalised papers must pass (``--match``, ``--author``); those ``--select`` leaves out
    are not yielded. Warnings are reported as the entries are read; each listing's filter is
    appended to ``filters``, for :func:`check_selection` once every paper was filtered.
    Each listing's reader goes into ``readers`` if given, for :func:`count_notes`; if not, its
    note is added to the summary once it is read.
    """
    selection = options.selection
    if selection is not None:
        selection.check_listings(listings)
    chars_before = 0
    for path in listings:
        reader = ListingReader(path, options.encoding)
        keep = selection.for_listing(reader.source, path) if selection is not None else None
        venue = None
        for entry in reader.entries():
            if venue is None:
                venue, problems = resolve_venue(
                    reader.header, options.venue, reader.source, options.venues
                )
                for problem in problems:
                    report(problem)
            track = reader.header.track if reader.header else ""
            wanted = keep is None or keep.keeps_number(entry.number)
            if not wanted:
                _drop_problems_of(reader.problems, entry.origin.line)
            for problem in reader.problems:
                report(problem)
            reader.problems.clear()
            if tick is not None:
                tick(summary.papers, chars_before + reader.chars_read)
            if wanted:
                yield entry, venue, track, keep
        chars_before += reader.chars_read
        if keep is not None:
            keep.total = reader.total
            keep.check_own()
            filters.append(keep)
        for problem in reader.problems:
            report(problem)
        if readers is not None:
            readers.append(reader)
        else:
            count_notes([reader], summary)


def count_notes(readers: Sequence[ListingReader], summary: Summary) -> None:
    """A note for each listing that holds fewer papers than its ``Total:`` line says."""
    for reader in readers:
        if reader.total is not None and reader.count < reader.total:
            summary.notes.append(
                f"{reader.source}: {reader.count} of {reader.total:,} papers "
                "(a copied listing holds the papers the page had loaded)"
            )


def read_parts(
    listings: Sequence[str],
    options: Options,
    report: Report,
    summary: Summary,
    readers: list[ListingReader],
    tick: Tick | None = None,
) -> Iterator[Item]:
    """:func:`read_entries` for worker processes, when nothing is selected: a listing file
    they can read themselves comes as parts of it (listing.split_listing), so that this
    process neither reads nor sends those papers; any other (stdin, another encoding) comes
    as its entries. Each listing's reader goes into ``readers``, for :func:`count_notes` once
    the workers' papers are all in."""
    before = 0
    for path in listings:
        found = split_listing(path) if options.encoding is None else None
        if found is None:
            yield from read_entries([path], options, report, summary, [], tick, readers)
            continue
        head, parts = found
        venue, problems = resolve_venue(head.header, options.venue, head.source, options.venues)
        for problem in problems:
            report(problem)
        track = head.header.track if head.header else ""
        readers.append(head)
        end = 0
        for part in parts:
            end = part.offset + len(part.data)
            if tick is not None:
                tick(summary.papers, before + end)
            yield part, venue, track, head
        before += end


def check_selection(options: Options, filters: Sequence[ListingFilter]) -> None:
    """After the last paper: every number ``--select`` names exists, and a paper was kept."""
    if options.selection is not None:
        from .selection import check_all

        check_all(options.selection, filters)


def _drop_problems_of(problems: list[Problem], line: int) -> None:
    """A paper not selected is not exported: its warnings would only be noise."""
    problems[:] = [p for p in problems if p.line is None or p.line < line]


@dataclass(frozen=True, slots=True)
class Skipped:
    """A paper not written because a library (or the input itself) already holds it."""

    number: int | None  # the paper's, in its listing; not the paper, so no abstract is kept
    title: str
    origin: Origin
    key: str
    where: str  # "refs.bib:12"
    reason: str
    certain: bool

    def describe(self) -> str:
        number = f"#{self.number} " if self.number is not None else ""
        return f"{number}{self.title!r}: {self.key} ({self.where}), {self.reason}"

    def as_json(self) -> dict[str, object]:
        return {
            "number": self.number,
            "title": self.title,
            "listing": str(self.origin),
            "existing_key": self.key,
            "existing": self.where,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class KeymapRow:
    """``--keymap``: the key to cite a paper by, whether it was added now or already there."""

    number: int | None
    title: str
    key: str
    status: str  # "new", "existing" or "possible duplicate"


class _Outputs:
    """Every target's writer and temp file; an existing library gets its bytes first."""

    def __init__(self, targets: Sequence[Target], options: Options, merging: dict[str, Existing]):
        self.targets = targets
        self.merging = merging
        self.dry_run = options.dry_run
        self.writers = []
        self.newlines: list[str] = []  # each output's: an existing file keeps its own
        plain_too = any(t.format.plain_text for t in targets)
        for t in targets:
            existing = merging.get(t.path)
            appending = existing is not None and not existing.empty
            group = options.jabref_group if t.format.name in ("bibtex", "biblatex") else None
            self.writers.append(
                t.format.writer(
                    WriteOptions(
                        unicode=options.unicode,
                        appending=appending,
                        jabref_group=group,
                        plain_too=plain_too,
                    )
                )
            )
            self.newlines.append(existing.newline if existing else t.format.newline)
        self.outputs: list[AtomicOutput] = []
        self.after: dict[str, str] = {}  # path -> text written after everything (JabRef groups)
        # Per output, what a placer's ``place`` wrote since the last :meth:`flush`, and the
        # writer's gaps as encoded for it (a handful of short strings, again and again).
        self._held: list[list[bytes]] = [[] for _ in targets]
        self._gaps: list[dict[str, bytes]] = [{} for _ in targets]
        # Per writer, what a placer uses: the writer, its output (None for a dry run), and
        # those two.
        self._sinks: list[tuple[Writer, AtomicOutput | None, list[bytes], dict[str, bytes]]]
        self._sinks = [(w, None, [], {}) for w in self.writers]

    def open(self) -> None:
        if self.dry_run:
            return
        for target, writer, newline in zip(self.targets, self.writers, self.newlines, strict=True):
            existing = self.merging.get(target.path)
            out = AtomicOutput(target.path, newline)
            self.outputs.append(out)
            if existing is not None:
                out.write_bytes(existing.prefix)
            out.write(writer.begin())
        self._sinks = list(zip(self.writers, self.outputs, self._held, self._gaps, strict=True))

    def entry(self, paper: Paper, collect: Report) -> None:
        for i, writer in enumerate(self.writers):
            text = writer.entry(paper)
            if self.outputs:
                self.outputs[i].write(text)
            for problem in writer.problems:
                collect(problem)
            writer.problems.clear()

    def placer(self, columns: Columns, collect: Report) -> Callable[[str, int, Origin], None]:
        """:meth:`entry` for the papers of a part a worker process rendered (parallel.Columns):
        ``place(key, row, origin)`` writes each writer's framing (``place`` of an empty text
        gives what goes before the text), then the text at ``row`` joined around the key
        (``with_key``), already encoded for its output. Held until :meth:`flush`, which
        writes a part's papers at once. What is the same for every paper of the part (each
        writer's columns, output and methods) is looked up here, once."""
        cuts, notes, raw = columns[5], columns[6], columns[8]
        if raw is not None:
            return partial(self._place_raw, raw, notes, collect)
        sinks = [
            (writer, writer.place, writer.key_text, notes[i], cuts[i], out, held, gaps)
            for i, (writer, out, held, gaps) in enumerate(self._sinks)
        ]

        def place(key: str, row: int, origin: Origin) -> None:
            plain = None  # the key encoded, for the writers that write it as it is (most)
            for writer, framing, key_text, noted, cut, out, held, gaps in sinks:
                gap = framing(("", noted[row]), origin)
                if writer.problems:
                    for problem in writer.problems:
                        collect(problem)
                    writer.problems.clear()
                if out is None:
                    continue
                keyed = key_text(key)
                encoded = gaps.get(gap)
                if encoded is None:
                    encoded = gaps[gap] = out.encode(gap)
                if keyed is not key or "\n" in key:
                    encoded_key = out.encode(keyed)
                else:
                    encoded_key = plain = plain or key.encode()
                pieces = cut[row]
                if len(pieces) == 2:  # the key once (BibTeX's): the pieces are joined at flush
                    held += (encoded, pieces[0], encoded_key, pieces[1])
                else:
                    held += (encoded, encoded_key.join(pieces))

        return place

    def _place_raw(
        self,
        raw: list[list[list[str]]],
        notes: list[list[frozenset[str]]],
        collect: Report,
        key: str,
        row: int,
        origin: Origin,
    ) -> None:
        """:meth:`placer`'s ``place`` for a part whose texts a worker could not encode: as
        :meth:`entry` would, encoding each here fails on the same paper."""
        for i, (writer, out, held, _) in enumerate(self._sinks):
            gap = writer.place(("", notes[i][row]), origin)
            for problem in writer.problems:
                collect(problem)
            writer.problems.clear()
            if out is not None:
                held.append(out.encode(gap + writer.key_text(key).join(raw[i][row])))

    def flush(self) -> None:
        """Write what the placers hold."""
        for out, held in zip(self.outputs, self._held, strict=False):
            if held:
                out.write_bytes(b"".join(held))
                held.clear()

    def close(self, collect: Report) -> None:
        self.flush()
        for i, (target, writer) in enumerate(zip(self.targets, self.writers, strict=True)):
            text = writer.end()
            for problem in writer.problems:
                collect(problem)
            if self.outputs:
                self.outputs[i].write(text)
                existing = self.merging.get(target.path)
                if existing is not None:
                    self.outputs[i].write_bytes(existing.suffix)
                self.outputs[i].write(self.after.get(target.path, ""))

    def abort(self) -> None:
        for out in self.outputs:
            out.abort()


def _read_libraries(
    paths: Sequence[str], collect: Report, votes: ConventionVotes | None = None
) -> tuple[list[Library], set[str]]:
    """The libraries to match against, their problems reported, and every key they hold."""
    from .library import read_library

    libraries: list[Library] = []
    keys: set[str] = set()
    with _no_cycle_collection():
        for path in paths:
            library = read_library(path)
            for problem in library.problems:
                collect(problem)
            if votes is not None:
                votes.add_library(path, library.records)
            keys |= library.keys
            libraries.append(library)
    return libraries, keys


def _index_of(libraries: Sequence[Library]) -> Index:
    from .dedup import Index

    index = Index()
    with _no_cycle_collection():
        for library in libraries:
            index.extend(library.records, library.title_words, library.shorts)
    return index


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Hundreds of thousands of records and index entries, none in a cycle: the cyclic
    collector would walk them all again and again (a third of the load time), and once
    loaded they are frozen out of its reach for the rest of the run."""
    import gc

    with _collector_paused():
        try:
            yield
        finally:
            gc.freeze()


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector held off while the main process takes the workers' results.

    The columns it unpickles and the index records it makes are freed by reference counting
    (no cycles among them), but each collection walks every tracked object alive at the time,
    and the index only grows: for 100,000 papers, 0.86 s of collections (three of them full)
    became 0.19 s. A cycle made meanwhile is collected once the collector is back.
    """
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def convert(
    listings: Sequence[str],
    targets: Sequence[Target],
    options: Options = Options(),  # noqa: B008 (a frozen dataclass: _dataclass.dataclass)
    report: Report | None = None,
    tick: Tick | None = None,
) -> Summary:
    """Convert listings into every target in one pass; all outputs appear, or none changes.

    A target that exists is merged into: papers it (or a ``dedup_against`` library) already
    holds are skipped, new ones are appended, and its existing bytes stay as they were.
    """
    summary = Summary()

    def collect(problem: Problem) -> None:
        if options.strict:
            raise InputError(f"{problem.message} (--strict)", problem.source, problem.line)
        summary.problems.append(problem)
        if report is not None:
            report(problem)

    files = [t.path for t in targets if t.path != STDOUT]
    with contextlib.ExitStack() as locks:
        for folder in sorted({os.path.dirname(os.path.abspath(resolve_target(p))) for p in files}):
            locks.enter_context(folder_lock(folder))
        merging = {
            t.path: read_existing(t.path, t.format.name)
            for t in targets
            if t.path != STDOUT and os.path.exists(t.path) and not options.overwrite
        }
        libraries = [*options.dedup_against, *merging]
        votes = _votes(options, libraries)
        read, taken = _read_libraries(libraries, collect, votes) if libraries else ([], set())
        options = _choose_keys(options, votes, summary)
        _run(listings, targets, options, merging, read, taken, collect, summary, tick)
    return summary


def _votes(options: Options, libraries: Sequence[str]) -> ConventionVotes | None:
    """A tally of the libraries' key conventions, when the keys are to follow them."""
    if options.keys and options.key_pattern:
        raise KeyPatternError("give --keys or --key-pattern, not both: each chooses the keys")
    if options.keys and options.keys.lower() != AUTO:
        get_preset(options.keys)  # an unknown name fails before any library is read
    explicit = options.keys is not None and options.keys.lower() == AUTO
    follow = explicit or (options.keys is None and options.key_pattern is None)
    return ConventionVotes() if follow and (libraries or explicit) else None


def _choose_keys(options: Options, votes: ConventionVotes | None, summary: Summary) -> Options:
    """Resolve ``auto`` (given, or the default beside a library) to a preset, and say which."""
    if votes is None:
        return options
    name, note = votes.verdict()
    summary.notes.append(note)
    return replace(options, keys=name)


def _run(
    listings: Sequence[str],
    targets: Sequence[Target],
    options: Options,
    merging: dict[str, Existing],
    libraries: list[Library],
    taken: set[str],
    collect: Report,
    summary: Summary,
    tick: Tick | None,
) -> None:
    from .dedup import Index, MatchParts, paper_match_parts
    from .keys import with_key

    index: Index | None = None
    keys = KeyAssigner(options.key_pattern, taken=taken, preset=options.keys)
    outputs = _Outputs(targets, options, merging)
    group_notes = _plan_jabref_group(outputs, options.jabref_group) if options.jabref_group else []

    def start() -> Index:
        """The index, made at the first paper rather than before: with workers, the first
        parts of the listing are with them by then, and they work while this process
        indexes."""
        nonlocal index
        if index is None:
            index = _index_of(libraries) if libraries else Index()
            libraries.clear()  # the index holds the records; their title words can go
        return index

    def skipped(match: Match, number: int | None, title: str, origin: Origin) -> bool:
        """A paper the index holds already: noted; True if it is not to be written."""
        where = str(match.record.origin)
        found = Skipped(number, title, origin, match.record.key, where, match.reason, match.certain)
        if match.certain or options.skip_possible:
            summary.skipped.append(found)
            if options.keymap:
                status = "existing" if match.certain else "possible duplicate"
                summary.keymap.append(KeymapRow(number, title, found.key, status))
            return True
        summary.possible.append(found)
        return False

    def add(paper: Paper, parts: MatchParts) -> None:
        """Dedup, key and write one paper."""
        index = start()
        match = index.match_parts(parts)
        if match is not None and skipped(match, paper.number, paper.title, paper.origin):
            return
        paper = with_key(paper, keys.assign(paper))
        if options.keymap:
            status = "possible duplicate" if match is not None else "new"
            summary.keymap.append(KeymapRow(paper.number, paper.title, paper.key, status))
        index.add_paper(paper, parts)
        summary.papers += 1
        outputs.entry(paper, collect)

    def add_part(done: Done) -> None:
        """:func:`add` for the papers of a part (or batch) that worker processes did: no
        Paper is made, and their texts are written as the workers encoded them."""
        venue, source, columns, rows = done
        titles, numbers, lines, parts, prepared = columns[:5]
        problems = columns[7]
        index = start()
        match_parts, add_parts, assign = index.match_parts, index.add_parts, keys.assign_prepared
        entry_type, keymap, place = (
            venue.entry_type,
            options.keymap,
            outputs.placer(columns, collect),
        )
        for row in range(len(titles)) if rows is None else rows:
            if problems and row in problems:
                for problem in problems[row]:
                    collect(problem)
            origin = new_origin(source, lines[row])
            match = match_parts(parts[row])
            if match is not None and skipped(match, numbers[row], titles[row], origin):
                continue
            key = assign(prepared[row])
            if keymap:
                status = "possible duplicate" if match is not None else "new"
                summary.keymap.append(KeymapRow(numbers[row], titles[row], key, status))
            add_parts(key, entry_type, origin, parts[row])
            summary.papers += 1
            place(key, row, origin)
        outputs.flush()

    workers: Workers | None = None
    try:
        outputs.open()
        workers = _workers(
            _jobs(listings), outputs.writers, options.selection, keys, outputs.newlines
        )
        if workers is not None:
            with workers:
                filters: list[ListingFilter] = []
                readers: list[ListingReader] = []
                items: Iterator[Item] = (
                    read_parts(listings, options, collect, summary, readers, tick)
                    if options.selection is None
                    else read_entries(listings, options, collect, summary, filters, tick, readers)
                )
                with _collector_paused():
                    for done in workers.papers(items):
                        add_part(done)
                    # Let go while the collector is off: back on, its first collection would
                    # walk every record and table the run made (1 s for 100,000 papers).
                    index = None
                check_selection(options, filters)
                count_notes(readers, summary)
        else:
            for paper in read_papers(listings, options, collect, summary, tick):
                add(paper, paper_match_parts(paper))
        outputs.close(collect)
    except BaseException:
        outputs.abort()
        if workers is not None:
            workers.reap()
        raise
    if summary.papers and not options.dry_run:  # about new entries written: none, no word
        summary.notes.extend(group_notes)
    try:
        _commit(outputs, options, summary)
    finally:
        if workers is not None:  # their exits waited for only now: the commit need not wait
            workers.reap()


# Worker processes pay when there is this much listing to read: below it (a few thousand
# papers), starting them costs more than they save. BIBEXPORT_PARALLEL_BYTES overrides it
# (the tests set 0, to run small listings through the workers).
PARALLEL_BYTES = 2 << 20


def _workers(
    jobs: int,
    writers: Sequence[Writer],
    selection: Selection | None,
    keys: KeyAssigner,
    newlines: Sequence[str],
) -> Workers | None:
    """Worker processes, when ``jobs`` asks for them and the system can start them (a fork
    can fail for want of memory or processes: then this process does it all, as for small
    listings)."""
    if jobs <= 1:
        return None
    from .parallel import Workers

    try:
        return Workers(jobs, writers, selection, keys, newlines)
    except OSError:
        return None


def _jobs(listings: Sequence[str]) -> int:
    """How many processes may normalise and render papers: 1 means this one alone.

    ``BIBEXPORT_JOBS`` sets it (1: never any workers); by default, the CPUs this process may
    run on, when the listings are big enough to pay for starting workers.
    """
    env = os.environ.get("BIBEXPORT_JOBS", "").strip()
    if env:
        try:
            jobs = int(env)
        except ValueError:
            raise InputError(f"BIBEXPORT_JOBS={env!r}: give a number of processes") from None
    else:
        affinity = getattr(os, "sched_getaffinity", None)
        jobs = len(affinity(0)) if affinity is not None else (os.cpu_count() or 1)
    # Workers are forked (they inherit the writers): no fork, no workers. macOS has fork, but
    # its system libraries are not safe in a forked child.
    if jobs <= 1 or not hasattr(os, "fork") or sys.platform == "darwin":
        return 1
    try:
        threshold = int(os.environ.get("BIBEXPORT_PARALLEL_BYTES", PARALLEL_BYTES))
    except ValueError:
        threshold = PARALLEL_BYTES
    if threshold > 0:
        try:
            size = sum(os.path.getsize(p) for p in listings if p != "-")  # stdin: unknown
        except OSError:  # a listing that is not there fails as it would without workers
            return 1
        if size < threshold:
            return 1
    return jobs


def _plan_jabref_group(outputs: _Outputs, name: str) -> list[str]:
    """--jabref-group: BibTeX writers add groups = {NAME}; each file's group tree is decided
    by :func:`bibexport.jabref.plan_group` (appended to, never edited)."""
    from .jabref import check_group_name, plan_group

    check_group_name(name)
    bib = [t for t in outputs.targets if t.format.name in ("bibtex", "biblatex")]
    if not bib:
        raise InputError("--jabref-group needs a BibTeX or biblatex output (JabRef reads those)")
    notes = []
    for target in bib:
        plan = plan_group(name, target.path, outputs.merging.get(target.path))
        if plan.block:
            outputs.after[target.path] = plan.block
        if plan.note:
            notes.append(plan.note)
    return notes


def _commit(outputs: _Outputs, options: Options, summary: Summary) -> None:
    """Replace every changed output, or none: a merge that adds nothing leaves the file alone."""
    if outputs.dry_run:
        return
    changed: list[tuple[Target, AtomicOutput]] = []
    try:
        for target, out in zip(outputs.targets, outputs.outputs, strict=True):
            if target.path in outputs.merging and summary.papers == 0:
                out.abort()
                summary.notes.append(f"{target.path}: nothing new, left as it was")
            else:
                changed.append((target, out))
        commit_all([out for _, out in changed])
    except BaseException:
        outputs.abort()
        raise
    for target, out in changed:
        if out.path != STDOUT:
            summary.written.append(out.path)
        if target.path in outputs.merging:
            summary.merged.append(target.path)


def write_report(path: str, summary: Summary) -> None:
    """``--report``: what was added, skipped and possibly duplicated, as JSON (atomically)."""
    import json

    report = {
        "added": summary.papers,
        "written": summary.written,
        "skipped": [s.as_json() for s in summary.skipped],
        "possible_duplicates": [s.as_json() for s in summary.possible],
        "warnings": [str(p) for p in summary.problems],
    }
    with AtomicOutput(path) as out:
        out.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")


def write_keymap(path: str, summary: Summary) -> None:
    """``--keymap``: number, title, key and status of every paper, in listing order, as CSV.

    The key is the one to cite: the new entry's, or the library's for a paper already there.
    Written atomically, like every output.
    """
    import csv
    import io

    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["number", "title", "key", "status"])
    for row in summary.keymap:
        writer.writerow(["" if row.number is None else row.number, row.title, row.key, row.status])
    with AtomicOutput(path) as out:
        out.write(text.getvalue())
