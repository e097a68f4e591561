"""The command line: a thin click layer over :func:`bibexport.pipeline.convert`.

The only module that imports click, and the one place a BibexportError becomes exit status 1.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from . import __version__
from .errors import BibexportError, Problem
from .formats import format_names
from .keys import AUTO, PRESETS
from .progress import Progress

if TYPE_CHECKING:
    from .pipeline import Summary

EPILOG = """\b
Examples:
  bibexport listing.txt -o refs.bib
  bibexport page1.txt page2.txt --unicode > refs.bib
  bibexport listing.txt --key-pattern '[auth:lower][year][veryshorttitle:lower]'
  bibexport listing.txt -o zotero.bib --keys bbt --keymap keys.csv
"""


def _size(paths: Sequence[str]) -> int:
    """Characters to read in all, for the time-left estimate (0 when unknown, e.g. stdin)."""
    try:
        return sum(os.path.getsize(p) for p in paths if p != "-")
    except OSError:
        return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _warn(problem: Problem) -> None:
    click.echo(f"bibexport: warning: {problem}", err=True)


@click.command(epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("listings", nargs=-1, required=True, metavar="LISTING...")
@click.option(
    "-o",
    "--output",
    "outputs",
    multiple=True,
    metavar="FILE",
    help="Write here (atomically); '-' or none: stdout. The extension picks the format.",
)
@click.option(
    "-f",
    "--format",
    "format_name",
    type=click.Choice(format_names(), case_sensitive=False),
    help="Output format, whatever the extension says.",
)
@click.option(
    "--unicode/--ascii",
    default=None,
    help="BibTeX text as UTF-8, or as pure ASCII with TeX accents (BibTeX's default).",
)
@click.option("--venue", metavar="NAME", help="Venue, instead of the listing header's.")
@click.option("--year", type=click.IntRange(1900, 2100), help="Year, instead of the header's.")
@click.option("--booktitle", metavar="TEXT", help="Proceedings title, instead of the table's.")
@click.option(
    "--key-pattern",
    metavar="PATTERN",
    help="JabRef-style key pattern, e.g. '[auth:lower][year][veryshorttitle:lower]'.",
)
@click.option(
    "--keys",
    "keys_preset",
    type=click.Choice([*PRESETS, AUTO], case_sensitive=False),
    help="Key convention: "
    + ", ".join(f"{p.name} ({p.example})" for p in PRESETS.values())
    + ", or auto: follow the library's (the default when merging or deduplicating).",
)
@click.option(
    "--keymap",
    "keymap_path",
    type=click.Path(dir_okay=False),
    metavar="FILE.csv",
    help="Write number,title,key,status of every paper, new or already there, as CSV.",
)
@click.option("--encoding", metavar="NAME", help="Encoding of the listings (default UTF-8).")
@click.option(
    "--overwrite",
    is_flag=True,
    help="Replace an existing output file instead of merging into it.",
)
@click.option(
    "--dedup-against",
    "dedup_against",
    multiple=True,
    type=click.Path(dir_okay=False),
    metavar="LIB",
    help="Skip papers already in LIB (.bib, .ris, CSL .json); LIB is never written. Repeatable.",
)
@click.option(
    "--skip-possible", is_flag=True, help="Skip possible duplicates too, not only certain ones."
)
@click.option("--dry-run", is_flag=True, help="Write nothing; report what would be added.")
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False),
    metavar="FILE.json",
    help="Write what was added and skipped, and why, as JSON.",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors (nothing is written).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr; no progress line.")
@click.option("--debug", is_flag=True, help="Show a traceback on errors.")
@click.version_option(__version__, "--version", prog_name="bibexport")
def main(
    listings: Sequence[str],
    outputs: Sequence[str],
    format_name: str | None,
    unicode: bool | None,
    venue: str | None,
    year: int | None,
    booktitle: str | None,
    key_pattern: str | None,
    keys_preset: str | None,
    keymap_path: str | None,
    encoding: str | None,
    overwrite: bool,
    dedup_against: Sequence[str],
    skip_possible: bool,
    dry_run: bool,
    report_path: str | None,
    strict: bool,
    quiet: bool,
    debug: bool,
) -> None:
    """Turn papers.cool listings into BibTeX with clean names, real venues and stable keys.

    LISTING is a listing file copied from papers.cool ('-' reads stdin); several files are
    one batch with keys unique across them.
    """
    from .normalise import VenueOverride
    from .pipeline import Options, Target, convert, write_keymap, write_report

    signal.signal(signal.SIGTERM, _interrupt)  # so a kill mid-write cleans up like Ctrl-C
    progress = Progress(_size(listings))
    progress.enabled = progress.enabled and not quiet
    try:
        targets = [Target.for_path(path, format_name) for path in outputs or ["-"]]
        if keymap_path is not None:
            _check_keymap(keymap_path, [*outputs, *dedup_against])
        options = Options(
            unicode=unicode,
            key_pattern=key_pattern,
            venue=VenueOverride(venue=venue, year=year, booktitle=booktitle),
            encoding=encoding,
            overwrite=overwrite,
            dedup_against=tuple(dedup_against),
            skip_possible=skip_possible,
            dry_run=dry_run,
            strict=strict,
            keys=keys_preset,
            keymap=keymap_path is not None,
        )
        summary = convert(
            listings, targets, options, report=None if quiet else _warn, tick=progress.update
        )
        if report_path:
            write_report(report_path, summary)
        if keymap_path is not None:
            write_keymap(keymap_path, summary)
    except BibexportError as exc:
        progress.close()
        if debug:
            raise
        click.echo(f"bibexport: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("bibexport: interrupted; no output was changed", err=True)
        sys.exit(130)
    except BrokenPipeError:  # `bibexport l.txt | head`: the reader left, nothing to report
        sys.stderr.close()
        sys.exit(1)
    progress.close()
    if not quiet:
        for note in summary.notes:
            click.echo(f"bibexport: {note}", err=True)
        _print_summary(summary, dry_run)


def _check_keymap(path: str, libraries: Sequence[str]) -> None:
    """--keymap names a file of its own: a slip (``--keymap refs.bib``) must not eat a library."""
    if path == "-":
        raise BibexportError("--keymap needs a file name, not '-'")
    real = os.path.realpath(path)
    if any(lib != "-" and os.path.realpath(lib) == real for lib in libraries):
        raise BibexportError(f"--keymap {path} would overwrite a library or output; name a .csv")


def _print_summary(summary: Summary, dry_run: bool) -> None:
    for skipped in summary.skipped:
        click.echo(f"bibexport: skipped {skipped.describe()}", err=True)
    for possible in summary.possible:
        click.echo(f"bibexport: added, but possibly a duplicate: {possible.describe()}", err=True)
    there = f" ({len(summary.skipped)} already there)" if summary.skipped else ""
    if dry_run:
        click.echo(f"bibexport: --dry-run: would add {summary.papers} papers{there}", err=True)
    for path in summary.written:
        verb = "added" if path in summary.merged else "wrote"
        click.echo(f"bibexport: {verb} {summary.papers} papers to {path}{there}", err=True)
