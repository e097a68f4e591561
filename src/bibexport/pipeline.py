"""convert(): read listing -> normalise -> keys -> write. The only place the order lives.

Papers stream through one at a time: every output is written as each paper passes, and what
stays in memory per paper is its key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from .errors import InputError, OutputError, Problem
from .formats import Format, WriteOptions, get_format
from .formats.listing import ListingReader
from .keys import KeyAssigner
from .model import Paper
from .normalise import VenueOverride, normalise, resolve_venue
from .output import STDOUT, AtomicOutput


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


@dataclass(slots=True)
class Summary:
    papers: int = 0
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    written: list[str] = field(default_factory=list)  # files created or replaced


Report = Callable[[Problem], None]
Tick = Callable[[int, int], None]  # (papers done, characters of input read)


def read_papers(
    listings: Sequence[str],
    options: Options,
    report: Report,
    summary: Summary,
    tick: Tick | None = None,
) -> Iterator[Paper]:
    """Every listing in order, normalised, as one batch."""
    chars_before = 0
    for path in listings:
        reader = ListingReader(path, options.encoding)
        venue = None
        for entry in reader.entries():
            if venue is None:
                venue, problems = resolve_venue(reader.header, options.venue, reader.source)
                for problem in problems:
                    report(problem)
            track = reader.header.track if reader.header else ""
            for problem in reader.problems:
                report(problem)
            reader.problems.clear()
            if tick is not None:
                tick(summary.papers, chars_before + reader.chars_read)
            yield normalise(entry, venue, track)
        chars_before += reader.chars_read
        for problem in reader.problems:
            report(problem)
        if reader.total is not None and reader.count < reader.total:
            summary.notes.append(
                f"{reader.source}: {reader.count} of {reader.total:,} papers "
                "(a copied listing holds the papers the page had loaded)"
            )


def convert(
    listings: Sequence[str],
    targets: Sequence[Target],
    options: Options = Options(),
    report: Report | None = None,
    tick: Tick | None = None,
) -> Summary:
    """Convert listings into every target in one pass; all outputs appear, or none changes."""
    summary = Summary()

    def collect(problem: Problem) -> None:
        if options.strict:
            raise InputError(f"{problem.message} (--strict)", problem.source, problem.line)
        summary.problems.append(problem)
        if report is not None:
            report(problem)

    keys = KeyAssigner(options.key_pattern)
    write_options = WriteOptions(unicode=options.unicode)
    writers = [t.format.writer(write_options) for t in targets]
    outputs: list[AtomicOutput] = []
    try:
        for target in targets:
            outputs.append(AtomicOutput(target.path, target.format.newline))
        for writer, out in zip(writers, outputs, strict=True):
            out.write(writer.begin())
        for paper in read_papers(listings, options, collect, summary, tick):
            paper = replace(paper, key=keys.assign(paper))
            summary.papers += 1
            for writer, out in zip(writers, outputs, strict=True):
                out.write(writer.entry(paper))
                for problem in writer.problems:
                    collect(problem)
                writer.problems.clear()
        for writer, out in zip(writers, outputs, strict=True):
            out.write(writer.end())
            for problem in writer.problems:
                collect(problem)
    except BaseException:
        for out in outputs:
            out.abort()
        raise
    changed = []
    for out in outputs:  # decide for every output before replacing any
        if options.overwrite or not out.exists():
            changed.append(out)
        elif out.same_as_existing():
            out.abort()
            summary.notes.append(f"{out.path} is already up to date")
        else:
            for other in outputs:
                other.abort()
            raise OutputError(
                f"{out.path} exists and differs; bibexport does not replace a file you have "
                "without --overwrite"
            )
    try:
        for out in changed:
            out.commit()
            if out.path != STDOUT:
                summary.written.append(out.path)
    except BaseException:
        for out in outputs:
            out.abort()
        raise
    return summary
