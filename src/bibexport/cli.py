"""The command line: a thin click layer over :func:`bibexport.pipeline.convert`.

The only module that imports click, and the one place a BibexportError becomes exit status 1.
``bibexport`` is a group whose default command is ``convert``: ``bibexport LISTING...`` is
``bibexport convert LISTING...``, and ``venues``, ``formats`` and ``config`` are subcommands.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

# Importing click and the modules below, and defining the commands, makes some hundred
# thousand objects, none of them garbage, all alive until the process ends: the cyclic
# collector, run every few hundred new objects, would walk them again and again (12 M
# instructions, a twentieth of a run's start before its workers fork). It is held off while
# they are made, and they are then frozen out of its reach (at the end of this module), as
# the workers' fork and the exit below do with what is alive then.
_COLLECTING = gc.isenabled()
gc.disable()

import click  # noqa: E402

from . import __version__  # noqa: E402
from .errors import BibexportError, Problem  # noqa: E402
from .formats import format_names  # noqa: E402
from .keys import AUTO, PRESETS  # noqa: E402
from .progress import Progress  # noqa: E402

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

    from .config import Config, Setting
    from .pipeline import Summary
    from .selection import Selection
    from .venues import VenueSpec

EPILOG = """\b
Examples:
  bibexport listing.txt -o refs.bib
  bibexport page1.txt page2.txt --unicode > refs.bib
  bibexport listing.txt --key-pattern '[auth:lower][year][veryshorttitle:lower]'
  bibexport listing.txt -o zotero.bib --keys bbt --keymap keys.csv
  bibexport listing.txt --select 1,4,10-12 -o refs.bib
  bibexport listing.txt --match 'diffusion|score-based' --author 'Yang Song'
  bibexport venues      (also: formats, config; see 'bibexport COMMAND -h')
"""

HELP_NAMES = ["-h", "--help"]
CONVERT = "convert"
_CONFIG = "bibexport.config"  # ctx.meta key: the Config in force, or None

# At exit Python runs a full cyclic collection, walking every object still alive: the
# modules' functions, classes and tables (click's and the standard library's too), some
# hundred thousand, 7% of a small run's instructions, to free nothing a run needs freed (the
# outputs are closed and renamed by then). Frozen, they are out of its reach; registered at
# import, the freeze runs only when the process ends, so a caller in the same process (the
# tests) keeps a collector that frees its garbage meanwhile.
atexit.register(gc.freeze)


def run() -> None:
    """The ``bibexport`` command (the console script, and ``python -m bibexport``).

    :func:`main`, then, after a run that went well, out of the process once it is all said
    and done, rather than through the interpreter's teardown, which frees every object one by
    one and takes every module apart: 7-10 ms of a small run (a twentieth of it) and 10-25 ms
    of a 10,000-paper one, with nothing of ours left to write (the outputs are renamed and
    closed by then). What Python's exit would still do that matters is done first: the
    ``atexit`` functions, stdout and stderr flushed. A failed run, another thread still
    running or a flush that fails (a closed pipe) leave by Python's own exit, as before.
    """
    try:
        main(prog_name="bibexport")
    except SystemExit as done:
        if done.code in (0, None):
            _leave()
        raise


def _leave() -> None:
    """Exit with status 0 now, if nothing is left that Python's exit would do for us."""
    import threading

    if threading.active_count() > 1:
        return  # Python waits for other threads (non-daemon ones) before it exits
    try:
        atexit._run_exitfuncs()
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except BaseException:  # Python's exit reports it, and sets the status, as it always did
        return
    os._exit(0)


def _size(paths: Sequence[str]) -> int:
    """Characters to read in all, for the time-left estimate (0 when unknown, e.g. stdin)."""
    try:
        return sum(os.path.getsize(p) for p in paths if p != "-")
    except OSError:
        return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _stderr_is_tty() -> bool:
    return sys.stderr.isatty()


def _colour() -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set to anything (no-color.org)."""
    return not os.environ.get("NO_COLOR") and _stderr_is_tty()


def _warn(problem: Problem) -> None:
    if _colour():
        label = click.style("warning:", fg="yellow", bold=True)
        click.echo(f"bibexport: {label} {problem}", err=True, color=True)
    else:
        click.echo(f"bibexport: warning: {problem}", err=True)


class _Fail(click.ClickException):
    """An error found before the command runs (a bad config file): one line, exit 1."""

    def show(self, file: Any = None) -> None:
        click.echo(f"bibexport: {self.message}", err=True)


class _Main(click.Group):
    """A group that runs ``convert`` when the first argument is not a command name.

    ``bibexport refs.txt`` converts; ``bibexport venues`` lists venues; a listing file named
    like a command is given as ``./venues`` (or ``bibexport convert venues``).
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in HELP_NAMES:
            args = [CONVERT, *args]
        return super().parse_args(ctx, args)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The convert command's help, which is the main job, then the other commands."""
        convert = self.commands[CONVERT]
        sub = click.Context(convert, info_name=ctx.info_name, help_option_names=HELP_NAMES)
        formatter.write_usage(ctx.command_path, " ".join(convert.collect_usage_pieces(sub)))
        formatter.write_usage(ctx.command_path, "COMMAND [ARGS]...", prefix="       ")
        convert.format_help_text(sub, formatter)
        convert.format_options(sub, formatter)
        self.format_commands(ctx, formatter)
        convert.format_epilog(sub, formatter)

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[CompletionItem]:
        """At the first word: convert's options too, or files besides the command names."""
        from click.shell_completion import CompletionItem

        items = super().shell_complete(ctx, incomplete)
        convert = self.commands[CONVERT]
        if incomplete.startswith("-"):
            sub = convert.make_context(CONVERT, [], parent=ctx, resilient_parsing=True)
            seen = {item.value for item in items}
            items += [i for i in convert.shell_complete(sub, incomplete) if i.value not in seen]
            return items
        return [CompletionItem(incomplete, type="file"), *items]


class _Configured(click.Command):
    """A command whose option defaults come from the config file (click's ``default_map``)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not ctx.resilient_parsing:  # not while completing: a broken file must not break it
            opts, _, _ = self.make_parser(ctx).parse_args(args=list(args))
            eager = {p.name for p in self.get_params(ctx) if p.is_eager}  # --help, --version
            if not any(opts.get(name) is True for name in eager):
                path = opts.get("config")
                config = _load_config(
                    path if isinstance(path, str) else None, opts.get("no_config") is True
                )
                ctx.meta[_CONFIG] = config
                if config is not None:
                    names = {p.name for p in self.params}
                    ctx.default_map = {k: v for k, v in config.values.items() if k in names}
        return super().parse_args(ctx, args)


def _load_config(path: str | None, no_config: bool) -> Config | None:
    from ._configfile import choose

    try:
        chosen = choose(path, no_config, os.environ, os.getcwd())
        if chosen is None:
            return None
        from .config import load

        return load(*chosen[:2], _settings, chosen[2])
    except BibexportError as exc:
        raise _Fail(str(exc)) from None


def _settings() -> list[Setting]:
    """What a config file may set: every convert option but the ones about config and help."""
    from .config import Setting

    rows = []
    for p in convert_command.params:
        if not isinstance(p, click.Option) or p.is_eager or p.name in ("config", "no_config"):
            continue
        assert p.name is not None
        key = next(o for o in p.opts if o.startswith("--"))[2:]
        negative = next((o[2:] for o in p.secondary_opts if o.startswith("--")), "")
        path = isinstance(p.type, click.Path) or p.name == "outputs"
        if p.is_flag:
            rows.append(Setting(p.name, key, "flag", negative=negative))
        elif p.multiple:
            rows.append(Setting(p.name, key, "list", path=path))
        elif isinstance(p.type, click.Choice):
            choices = tuple(str(c).lower() for c in p.type.choices)
            rows.append(Setting(p.name, key, "choice", choices=choices))
        elif isinstance(p.type, click.IntRange):
            low, high = p.type.min, p.type.max
            rows.append(Setting(p.name, key, "int", low=low, high=high))
        elif p.type is click.INT:
            rows.append(Setting(p.name, key, "int"))
        else:
            rows.append(Setting(p.name, key, "text", path=path))
    return rows


def _config_options(f: Any) -> Any:
    f = click.option(
        "--no-config", is_flag=True, help="Read no config file (nor $BIBEXPORT_CONFIG)."
    )(f)
    return click.option(
        "--config",
        type=click.Path(dir_okay=False),
        metavar="FILE",
        help="Settings from FILE (TOML) instead of the nearest pyproject.toml/bibexport.toml.",
    )(f)


@click.group(
    "bibexport",
    cls=_Main,
    context_settings={"help_option_names": HELP_NAMES},
    epilog=EPILOG,
)
def main() -> None:
    """Turn papers.cool listings into BibTeX with clean names, real venues and stable keys."""


@main.command(
    CONVERT,
    cls=_Configured,
    epilog=EPILOG,
    context_settings={"help_option_names": HELP_NAMES},
    short_help="Convert listings (the default command: 'bibexport LISTING...').",
)
@click.argument(
    "listings", nargs=-1, required=True, metavar="LISTING...", type=click.Path(allow_dash=True)
)
@click.option(
    "-o",
    "--output",
    "outputs",
    multiple=True,
    type=click.Path(dir_okay=False, allow_dash=True),
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
    help="Skip papers already in LIB (.bib, .ris, CSL .json, Zotero's zotero.sqlite); LIB is "
    "never written. Repeatable.",
)
@click.option(
    "--skip-possible", is_flag=True, help="Skip possible duplicates too, not only certain ones."
)
@click.option("--dry-run", is_flag=True, help="Write nothing; report what would be added.")
@click.option(
    "--jabref-group",
    metavar="NAME",
    help="New BibTeX entries join JabRef's static group NAME (groups = {NAME}).",
)
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
@click.option(
    "--select",
    multiple=True,
    metavar="NUMBERS",
    help="Only these listing numbers: '1,4,10-12' in every listing, 'FILE:1-3' in FILE only."
    " Repeatable.",
)
@click.option(
    "--match",
    metavar="REGEX",
    help="Only papers whose title or abstract matches (Python regex, any case).",
)
@click.option(
    "--author",
    "authors",
    multiple=True,
    metavar="NAME",
    help="Only papers by NAME (full or family name; accents and case ignored). Repeatable: any.",
)
@_config_options
@click.version_option(__version__, "--version", prog_name="bibexport")
def convert_command(
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
    jabref_group: str | None,
    report_path: str | None,
    strict: bool,
    quiet: bool,
    debug: bool,
    select: Sequence[str],
    match: str | None,
    authors: Sequence[str],
    config: str | None,
    no_config: bool,
) -> None:
    """Turn papers.cool listings into BibTeX with clean names, real venues and stable keys.

    LISTING is a listing file copied from papers.cool ('-' reads stdin); several files are
    one batch with keys unique across them. A listing named like a command (venues, formats,
    config, convert) is given as ./venues. Defaults for every option can come from
    [tool.bibexport] in pyproject.toml or from bibexport.toml: see 'bibexport config'.
    """
    import signal  # here, not at the top: its enums are 1% of ``bibexport --help``

    from .normalise import VenueOverride
    from .pipeline import Options, Target, convert, write_keymap, write_report

    signal.signal(signal.SIGTERM, _interrupt)  # so a kill mid-write cleans up like Ctrl-C
    progress = Progress(_size(listings))
    progress.enabled = progress.enabled and not quiet
    try:
        selection = _selection(select, match, authors)
        targets = [Target.for_path(path, format_name) for path in outputs or ["-"]]
        if keymap_path is not None:
            _check_keymap(keymap_path, [*outputs, *dedup_against])
        for option, side in (("--keymap", keymap_path), ("--report", report_path)):
            if side is not None:
                _check_side_file(option, side)
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
            jabref_group=jabref_group,
            selection=selection,
            venues=_config_venues(),
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
        click.echo(f"bibexport: {exc}{_command_hint(exc, listings)}", err=True)
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


def _command_hint(exc: BibexportError, listings: Sequence[str]) -> str:
    """``bibexport --quiet venues``: a missing listing named like a command was meant as one."""
    source = getattr(exc, "source", None)
    named = isinstance(source, str) and source in main.commands and source in listings
    if named and isinstance(source, str) and not os.path.exists(source):
        return f" (for the {source} command, give it first: bibexport {source} ...)"
    return ""


def _config_venues() -> tuple[VenueSpec, ...]:
    config: Config | None = click.get_current_context().meta.get(_CONFIG)
    return config.venues if config is not None else ()


def _selection(
    select: Sequence[str], match: str | None, authors: Sequence[str]
) -> Selection | None:
    """``Selection.parse``, which is None when nothing is asked for: then without importing
    selection.py, whose classes and patterns are a fiftieth of a small run's start-up."""
    if not select and match is None and not authors:
        return None
    from .selection import Selection

    return Selection.parse(select, match, authors)


def _check_keymap(path: str, libraries: Sequence[str]) -> None:
    """--keymap names a file of its own: a slip (``--keymap refs.bib``) must not eat a library."""
    if path == "-":
        raise BibexportError("--keymap needs a file name, not '-'")
    real = os.path.realpath(path)
    if any(lib != "-" and os.path.realpath(lib) == real for lib in libraries):
        raise BibexportError(f"--keymap {path} would overwrite a library or output; name a .csv")


def _check_side_file(option: str, path: str) -> None:
    """--keymap and --report are written after the outputs: a folder that is not there must
    stop the run before anything is written, not after the library has changed."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise BibexportError(f"{option} {path}: the folder {folder} does not exist")
    if os.path.isdir(path):
        raise BibexportError(f"{option} {path}: is a folder; give a file name")


def _papers(n: int) -> str:
    return "1 paper" if n == 1 else f"{n} papers"


def _print_summary(summary: Summary, dry_run: bool) -> None:
    for skipped in summary.skipped:
        click.echo(f"bibexport: skipped {skipped.describe()}", err=True)
    for possible in summary.possible:
        click.echo(f"bibexport: added, but possibly a duplicate: {possible.describe()}", err=True)
    there = f" ({len(summary.skipped)} already there)" if summary.skipped else ""
    if dry_run:
        click.echo(f"bibexport: --dry-run: would add {_papers(summary.papers)}{there}", err=True)
    for path in summary.written:
        verb = "added" if path in summary.merged else "wrote"
        click.echo(f"bibexport: {verb} {_papers(summary.papers)} to {path}{there}", err=True)


def _table(rows: Sequence[Sequence[str]]) -> None:
    """Plain columns, two spaces apart; the last column is not padded."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        click.echo("  ".join([*cells, row[-1]]).rstrip())


def _json(data: object) -> None:
    import json

    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@main.command(
    "venues",
    cls=_Configured,
    context_settings={"help_option_names": HELP_NAMES},
    short_help="The venue table, with a config file's venues.",
)
@click.option("--json", "as_json", is_flag=True, help="As a JSON array of objects.")
@_config_options
def venues_command(as_json: bool, config: str | None, no_config: bool) -> None:
    """The venue table: what a listing's venue and year become in the entry.

    Shows each venue's short name, aliases, first year with a checked title, entry type,
    publisher and proceedings (or journal) title, with a config file's venues in place.
    In titles, <N>th is the edition: the year minus the number shown.
    """
    from .venues import venue_rows

    found: Config | None = click.get_current_context().meta.get(_CONFIG)
    rows = venue_rows(found.venues if found else (), found.path if found else "")
    if as_json:
        _json(rows)
        return
    table = [["VENUE", "ALIASES", "SINCE", "TYPE", "PUBLISHER", "TITLE"]]
    for row in rows:
        aliases = row["aliases"]
        assert isinstance(aliases, list)
        table.append(
            [
                str(row["short"]),
                ", ".join(aliases) or "-",
                str(row["since"] or "-"),
                str(row["entry_type"]),
                str(row["publisher"]) or "-",
                str(row["title"]),
            ]
        )
    _table(table)
    if found is not None and found.venues:
        names = ", ".join(spec.short for spec in found.venues)
        click.echo(f"\nFrom {found.path}: {names}")


@main.command(
    "formats",
    context_settings={"help_option_names": HELP_NAMES},
    short_help="The output formats, their extensions, and which can be added to.",
)
@click.option("--json", "as_json", is_flag=True, help="As a JSON array of objects.")
def formats_command(as_json: bool) -> None:
    """The output formats: name for --format, file extensions, and whether bibexport can add
    to an existing file of that format (otherwise it needs --overwrite)."""
    from .append import MERGEABLE
    from .formats import FORMATS

    rows = [
        {
            "name": f.name,
            "extensions": list(f.suffixes),
            "mergeable": f.name in MERGEABLE,
            "notes": f.description + ("; the default on stdout" if i == 0 else ""),
        }
        for i, f in enumerate(FORMATS)
    ]
    if as_json:
        _json(rows)
        return
    table = [["FORMAT", "EXTENSIONS", "MERGE", "NOTES"]]
    for row in rows:
        extensions = row["extensions"]
        assert isinstance(extensions, list)
        table.append(
            [
                str(row["name"]),
                " ".join(extensions) or "(--format only)",
                "yes" if row["mergeable"] else "no",
                str(row["notes"]),
            ]
        )
    _table(table)


@main.command(
    "config",
    cls=_Configured,
    context_settings={"help_option_names": HELP_NAMES},
    short_help="The settings in force, and where each comes from.",
)
def config_command(**values: object) -> None:
    """The settings a conversion would use here, and where each comes from: the default, the
    config file (and its line), or the command line. Takes every convert option, so
    'bibexport config --unicode' shows what that run would do.

    \b
    The config file is, first found:
      --config FILE, or --no-config for none
      $BIBEXPORT_CONFIG
      the nearest folder, from here up, with a bibexport.toml (its top level)
      or a pyproject.toml ([tool.bibexport]); bibexport.toml wins in a folder with both
    """
    from ._configfile import ENV
    from .config import _toml

    ctx = click.get_current_context()
    found: Config | None = ctx.meta.get(_CONFIG)
    if found is None:
        why = "--no-config" if values.get("no_config") else f"none found from {os.getcwd()} up"
        click.echo(f"config file: none ({why})")
    else:
        how = {
            "--config": "given with --config",
            ENV: f"from ${ENV}",
            "found": f"found from {os.getcwd()}",
        }
        table = f" {found.table}" if found.table else ""
        click.echo(f"config file: {found.path}{table} ({how[found.how]})")
        for note in found.notes:
            click.echo(f"note: {note}")
    click.echo()
    rows = [["SETTING", "VALUE", "FROM"]]
    for setting in _settings():
        value = values.get(setting.name)
        source = ctx.get_parameter_source(setting.name)
        if source is click.core.ParameterSource.COMMANDLINE:
            origin = "command line"
        elif source is click.core.ParameterSource.DEFAULT_MAP and found is not None:
            origin = found.where(setting.name)
        elif source is click.core.ParameterSource.ENVIRONMENT:
            origin = "environment"
        else:
            origin = "default"
        shown = (
            "(not set)"
            if value is None
            else _toml(list(value) if isinstance(value, tuple) else value)
        )
        rows.append([setting.key, shown, origin])
    _table(rows)
    if found is not None:
        for spec in found.venues:
            line = found.venue_lines.get(spec.short)
            place = f"{found.path}:{line}" if line else found.path
            click.echo(f"venue {spec.short}: {place}")


config_command.params[:0] = [p for p in convert_command.params if not isinstance(p, click.Argument)]

gc.freeze()
if _COLLECTING:
    gc.enable()
