"""Picking papers: ``--select`` listing numbers, ``--match`` a regex, ``--author`` a name.

Filters AND together. ``--select`` is a union of specs: ``1,4,10-12`` applies to every listing,
``FILE:1-3`` only to the listing given as FILE. A selected number that no listing has is an
error, and so is a filter that keeps no paper: a user who asked for papers gets them or a reason.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import field

from ._dataclass import dataclass
from .errors import InputError
from .model import Paper, Person

_RANGE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$")


@dataclass(frozen=True, slots=True)
class NumberSpec:
    """One ``--select`` value: its text as given, the numbers, and the listing it is for."""

    text: str
    numbers: frozenset[int]
    listing: str | None = None  # None: every listing


def parse_numbers(text: str) -> NumberSpec:
    """``1,4,10-12`` or ``page2.txt:1-3`` -> a NumberSpec; anything else is a one-line error."""
    listing, sep, spec = text.rpartition(":")
    if not sep:
        listing, spec = "", text
    numbers: set[int] = set()
    for part in spec.split(","):
        m = _RANGE.match(part)
        if not m:
            raise InputError(
                f"--select {text}: {part.strip()!r} is not a number or a range like 10-12"
                if part.strip()
                else f"--select {text}: give numbers like 1,4,10-12"
            )
        low, high = int(m.group(1)), int(m.group(2) or m.group(1))
        if high < low:
            raise InputError(f"--select {text}: the range {part.strip()} runs backwards")
        if high - low > 1_000_000:
            raise InputError(f"--select {text}: the range {part.strip()} is too long")
        numbers.update(range(low, high + 1))
    return NumberSpec(text, frozenset(numbers), listing or None)


def fold(text: str) -> str:
    """``Matthäus  KLEINDESSNER`` -> ``matthaus kleindessner``: ASCII, caseless, one space."""
    from unidecode import unidecode

    return " ".join(unidecode(text).casefold().split())


@functools.lru_cache(maxsize=65536)
def _name_forms(person: Person) -> frozenset[str]:
    if person.literal:
        return frozenset({fold(person.literal)})
    forms = {fold(person.display()), fold(person.family), fold(person.full_family)}
    if person.given:
        forms.add(fold(f"{person.full_family}, {person.given}"))
    return frozenset(forms - {""})


@dataclass(frozen=True, slots=True)
class Selection:
    """What to export; build with :meth:`parse` so bad input fails before any file is read."""

    numbers: tuple[NumberSpec, ...] = ()
    match: str | None = None
    authors: tuple[str, ...] = ()
    _pattern: re.Pattern[str] | None = field(default=None, repr=False, compare=False)
    _names: frozenset[str] = field(default=frozenset(), repr=False, compare=False)

    @classmethod
    def parse(
        cls, select: Sequence[str] = (), match: str | None = None, authors: Sequence[str] = ()
    ) -> Selection | None:
        """None when nothing is asked for: every paper is exported."""
        if not select and match is None and not authors:
            return None
        pattern = None
        if match is not None:
            try:
                pattern = re.compile(match, re.IGNORECASE)
            except re.error as exc:
                raise InputError(f"--match {match!r}: not a regular expression: {exc}") from None
        names = frozenset(fold(a) for a in authors)
        if "" in names:
            raise InputError("--author: give a name, e.g. --author 'Yann LeCun' or --author lecun")
        specs = tuple(parse_numbers(s) for s in select)
        return cls(specs, match, tuple(authors), pattern, names)

    def describe(self) -> str:
        """The filters as the user gave them, for messages."""
        parts = [f"--select {s.text}" for s in self.numbers]
        if self.match is not None:
            parts.append(f"--match {self.match!r}")
        parts += [f"--author {a!r}" for a in self.authors]
        return " ".join(parts)

    def for_listing(self, source: str, path: str) -> ListingFilter:
        """The filter for one listing; ``path`` is as given on the command line."""
        own = [s for s in self.numbers if s.listing is not None and _same(s.listing, path)]
        shared = [s for s in self.numbers if s.listing is None]
        return ListingFilter(self, source, path, shared, own)

    def check_listings(self, paths: Sequence[str]) -> None:
        """``FILE:1-3`` must name a listing being read."""
        for spec in self.numbers:
            if spec.listing is not None and not any(_same(spec.listing, p) for p in paths):
                raise InputError(
                    f"--select {spec.text}: {spec.listing} is not one of the listings given"
                )

    def keeps_text(self, paper: Paper) -> bool:
        if self._pattern is not None and not (
            self._pattern.search(paper.title) or self._pattern.search(paper.abstract)
        ):
            return False
        return not self._names or any(self._names & _name_forms(p) for p in paper.authors)


def _same(a: str, b: str) -> bool:
    if a == b:
        return True
    if "-" in (a, b):
        return False
    return os.path.normpath(os.path.abspath(a)) == os.path.normpath(os.path.abspath(b))


class ListingFilter:
    """Applies a Selection to one listing's papers and remembers which numbers it saw."""

    def __init__(
        self,
        selection: Selection,
        source: str,
        path: str,
        shared: Sequence[NumberSpec],
        own: Sequence[NumberSpec],
    ) -> None:
        self.selection = selection
        self.source = source
        self.path = path
        self.shared = shared
        self.own = own
        self.by_number = bool(selection.numbers)
        self.wanted = frozenset().union(*(s.numbers for s in (*shared, *own)))
        self.seen: set[int] = set()
        self.total: int | None = None  # the listing's "Total: N", when it has one
        self.read = 0
        self.kept = 0  # papers that passed every filter, before duplicates are skipped

    def keeps_number(self, number: int | None) -> bool:
        """First, before the paper is normalised: most papers stop here."""
        self.read += 1
        if number is not None:
            self.seen.add(number)
        return not self.by_number or number in self.wanted

    def keeps(self, paper: Paper) -> bool:
        """Then the normalised paper: ``--match`` and ``--author``."""
        if not self.selection.keeps_text(paper):
            return False
        self.kept += 1
        return True

    def count(self, kept: bool) -> bool:
        """A verdict of :meth:`Selection.keeps_text` reached in a worker process, counted as
        :meth:`keeps` counts its own."""
        if kept:
            self.kept += 1
        return kept

    def check_own(self) -> None:
        """Every number a ``FILE:`` spec names is in that listing."""
        for spec in self.own:
            _check(spec, [self])


def _span(numbers: Iterable[int]) -> str:
    """``{1, 2, 3, 7}`` -> ``#1-#3, #7``."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(f"#{a}" if a == b else f"#{a}-#{b}" for a, b in runs)


def _has(seen: set[int]) -> str:
    if not seen:
        return "no numbered papers"
    low, high = min(seen), max(seen)
    return f"#{low}" if low == high else f"#{low}-#{high}"


def _check(spec: NumberSpec, filters: Sequence[ListingFilter]) -> None:
    seen = set().union(*(f.seen for f in filters))
    missing = spec.numbers - seen
    if not missing:
        return
    papers = "paper" if len(missing) == 1 else "papers"
    where = ", ".join(f.source for f in filters)
    if len(filters) == 1:
        has = f"the listing has {_has(filters[0].seen)}"
        total = filters[0].total
        if total is not None and filters[0].read < total:
            has += f"; the page had loaded {filters[0].read} of its {total:,} papers when copied"
    else:
        has = "the listings have " + ", ".join(_has(f.seen) for f in filters)
    raise InputError(f"--select {spec.text}: no {papers} {_span(missing)} ({has})", where)


def check_all(selection: Selection, filters: Sequence[ListingFilter]) -> None:
    """After the last listing: shared numbers exist somewhere, and something was kept."""
    for spec in selection.numbers:
        if spec.listing is None:
            _check(spec, filters)
    if not any(f.kept for f in filters):
        read = sum(f.read for f in filters)
        raise InputError(
            f"no paper matches {selection.describe()} ({read} papers read); nothing was written"
        )
