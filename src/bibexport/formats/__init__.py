"""The format registry: one row per output format, looked up by name, then by file suffix.

Writer modules are imported only when used, so ``bibexport --help`` stays fast. A new format
is one module with a ``Writer`` class and one row in :data:`FORMATS`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import field
from typing import Generic, Protocol, TypeVar

from .._dataclass import dataclass
from ..errors import Problem, UnknownFormatError
from ..model import Origin, Paper, Person, Venue

# A paper's text without its framing (the gap or comma before it), and what the writer notes
# about it for later (BibTeX: the characters with no TeX form, for one warning at the end).
Rendered = tuple[str, frozenset[str]]
# A rendered text cut where the key goes (Writer.cut), with the writer's notes (Rendered's),
# where one piece is kept as the three texts it is joined from: the text before a long value
# of the paper's (its abstract), the value, and the text after it. A worker encodes those
# apart: the value once for every writer that writes it as it is (RIS and CSL-JSON write the
# same plain abstract), and the rest, most often ASCII, as a copy, where a whole record with
# one accent in it is encoded character by character.
Piece = str | tuple[str, str, str]
Cut = tuple[list[Piece], frozenset[str]]

# The key a paper is rendered with when its real key is not known yet: a worker process renders
# papers while the main process still decides their keys (pipeline.py), and the writer's
# ``with_key`` puts the key in. Letters only, so that every format writes it as it is (no
# escaping, no quoting in YAML); each writer replaces it only where the key goes (before or
# after all listing text), so a listing that contains these letters is left alone.
KEY_PLACEHOLDER = "QqbibexportkeyplaceholderQq"


T = TypeVar("T")


class ByPerson(Generic[T]):
    """What a writer makes of an author, remembered by the Person's identity.

    A venue's papers share Person objects (names.parse_name caches them), and looking one up
    by identity costs a fraction of hashing it, which runs Python code over every field, per
    author of every paper. The table holds every person it has an entry for, so no other
    object can take that id while the entry is there: an entry found by id is the person's,
    with no test. It is bounded, for a listing of a million papers.
    """

    __slots__ = ("_held", "_made", "_make")

    def __init__(self, make: Callable[[Person], T]) -> None:
        self._make = make
        self._made: dict[int, T] = {}  # by id(person)
        self._held: list[Person] = []  # each person of _made, kept alive so its id stays its

    def __call__(self, person: Person) -> T:
        made = self._made.get(id(person))
        return self._add(person) if made is None else made

    def _add(self, person: Person) -> T:
        if len(self._held) >= 1 << 16:
            self._made.clear()
            self._held.clear()
        made = self._make(person)
        self._made[id(person)] = made
        self._held.append(person)
        return made

    def each(self, persons: Sequence[Person]) -> list[T]:
        """``list(map(self, persons))``, the lookups inline: a writer asks for every author of
        every paper, and a call per author cost more than the lookup itself."""
        get = self._made.get
        return [
            made if (made := get(id(person))) is not None else self._add(person)
            for person in persons
        ]


class ByVenue(Generic[T]):
    """What a writer makes of a venue and its keywords, for the pair asked for last.

    A listing's papers share one Venue and one keywords tuple, so identity tells the pair
    is the same, where a lookup would hash the venue (Python code, per paper). ``make`` is
    asked again only when the pair changes (a cached function: listings alternate rarely).
    """

    __slots__ = ("_last", "_make")

    def __init__(self, make: Callable[[Venue, tuple[str, ...]], T]) -> None:
        self._make = make
        self._last: tuple[Venue, tuple[str, ...], T] | None = None

    def __call__(self, venue: Venue, keywords: tuple[str, ...]) -> T:
        last = self._last
        if last is None or venue is not last[0] or keywords is not last[1]:
            last = self._last = (venue, keywords, self._make(venue, keywords))
        return last[2]


# A writer's text for any paper of a venue: the text the venue decides, between the functions
# that write the paper's own values (RIS rows, CSL variables).
Template = tuple[str | Callable[[Paper], str], ...]


def cut_template(
    template: Template,
    values: Sequence[tuple[Callable[[Paper], str], str, str]],
    start: str = "",
    between: str = "",
    end: str = "",
) -> tuple[str, ...]:
    """``template`` as text for a paper with every value, cut where the values go: per
    function of the template, in order, ``values`` holds it and the text written before and
    after its value. Parts are joined with ``between``, in ``start`` and ``end``; the writer
    joins the pieces around the values (one piece more than there are values)."""
    each = iter(values)
    pieces = [start]
    for i, part in enumerate(template):
        if i:
            pieces[-1] += between
        if isinstance(part, str):
            pieces[-1] += part
        else:
            function, head, tail = next(each)
            assert part is function, (part, function)
            pieces[-1] += head
            pieces.append(tail)
    pieces[-1] += end
    assert len(pieces) == len(values) + 1
    return tuple(pieces)


def is_plain_name(person: Person) -> bool:
    """Whether the person is a given and a family name of ASCII letters alone (most authors),
    which every writer's plain text (plain_text, one_line, JSON) keeps as they are."""
    given, family = person.given, person.family
    return (
        given.isalpha()
        and family.isalpha()
        and given.isascii()
        and family.isascii()
        and not (person.particle or person.suffix or person.literal)
    )


@dataclass(frozen=True, slots=True)
class WriteOptions:
    """``unicode=None`` means the format's own default (ASCII for BibTeX, UTF-8 elsewhere)."""

    unicode: bool | None = None
    appending: bool = False  # entries follow existing ones in a file the user already has
    jabref_group: str | None = None  # BibTeX/biblatex: new entries get groups = {NAME}
    # Another output of the run writes the papers' text as plain text (Format.plain_text): a
    # speed hint, never a change of what is written (see text.to_bibtex's ``share``).
    plain_too: bool = False


class Writer(Protocol):
    """Streams one output: ``begin()``, ``entry()`` per paper, ``end()``; returns text.

    ``entry()`` is ``place(render(paper), paper.origin)``: ``render`` reads no writer state, so
    a worker process can run it (on a paper keyed with :data:`KEY_PLACEHOLDER`, which
    ``with_key`` then swaps for the key), while ``place`` adds what depends on the papers
    before, in order, in the process that writes. ``with_key(text, key)`` is
    ``key_text(key).join(cut(text))``: a worker cuts, the main process joins; and ``place``
    returns what goes before the text, then the text, so ``place(("", notes), origin)`` is what
    goes before it.

    A writer may also have ``render_cut(paper) -> Cut | None``: ``cut`` of ``render``'s text
    and ``render``'s notes, for a paper keyed with the placeholder, one piece as the three
    texts that join into it (:data:`Cut`); None where it renders the paper only whole.
    Workers use it where a writer has it.
    """

    problems: list[Problem]

    def begin(self) -> str: ...

    def entry(self, paper: Paper) -> str: ...

    def render(self, paper: Paper) -> Rendered: ...

    def place(self, rendered: Rendered, origin: Origin) -> str: ...

    def with_key(self, text: str, key: str) -> str: ...

    def cut(self, text: str) -> list[str]: ...

    def key_text(self, key: str) -> str: ...

    def end(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    suffixes: tuple[str, ...]
    module: str  # relative to this package
    description: str
    newline: str = "\n"  # RIS wants CRLF
    plain_text: bool = False  # writes listing text as plain Unicode (text.plain_text), not TeX
    options: dict[str, object] = field(default_factory=dict)

    def writer(self, options: WriteOptions) -> Writer:
        module = importlib.import_module(f".{self.module}", __name__)
        writer: Writer = module.Writer(options, **self.options)
        return writer


FORMATS: tuple[Format, ...] = (
    Format("bibtex", (".bib",), "bibtex", "BibTeX for bibtex and natbib (ASCII by default)"),
    Format(
        "biblatex", (), "bibtex", "biblatex for biber (UTF-8, date)", options={"biblatex": True}
    ),
    Format(
        "ris",
        (".ris",),
        "ris",
        "RIS for Zotero, EndNote, Mendeley, JabRef",
        newline="\r\n",
        plain_text=True,
    ),
    Format(
        "csl-json", (".json",), "csljson", "CSL-JSON for pandoc, Zotero, citeproc", plain_text=True
    ),
    Format(
        "csl-yaml",
        (".yaml", ".yml"),
        "csljson",
        "CSL-YAML for pandoc",
        options={"yaml": True},
        plain_text=True,
    ),
)


def format_names() -> list[str]:
    return [f.name for f in FORMATS]


def get_format(name: str | None = None, path: str | None = None) -> Format:
    """By ``name`` if given, else by the suffix of ``path``; else an error listing them all."""
    if name is not None:
        for fmt in FORMATS:
            if fmt.name == name.lower():
                return fmt
        raise UnknownFormatError(f"unknown format {name!r}; known formats: {_known()}")
    if path is not None:
        suffix = _suffix(path).lower()
        for fmt in FORMATS:
            if suffix in fmt.suffixes:
                return fmt
        raise UnknownFormatError(
            f"cannot tell the format of {path!r} from its extension; give --format ({_known()})"
        )
    return FORMATS[0]


def _suffix(path: str) -> str:
    """``PurePath(path).suffix`` (``.bib``; ``""`` for ``.bashrc`` or ``refs.``) without
    importing pathlib, which with urllib and ipaddress is 4% of a small run's start-up. Its
    rules (POSIX paths, as ``fcntl`` in append.py makes them): the name is the last part other
    than ``.``, the suffix its last dot on (not the name's first character, nor its last)."""
    parts = [part for part in path.split("/") if part and part != "."]  # POSIX: see append.py
    name = parts[-1] if parts else ""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def _known() -> str:
    return ", ".join(f"{f.name} ({' '.join(f.suffixes)})" for f in FORMATS)


__all__: Sequence[str] = (
    "FORMATS",
    "KEY_PLACEHOLDER",
    "Cut",
    "Format",
    "Piece",
    "Rendered",
    "WriteOptions",
    "Writer",
    "get_format",
)
