"""Citation keys: the Scholar convention by default, JabRef-style patterns, collision suffixes.

Keys are folded to ASCII (unidecode) because BibTeX, biber and LaTeX all choke on anything else
somewhere, and they are unique case-insensitively because BibTeX compares them that way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .errors import BibexportError
from .model import Paper, Person
from .text import strip_invisible

# Leading words Google Scholar skips when it builds a key ("On the Convergence" -> convergence).
SCHOLAR_SKIP = frozenset(
    "a an the on of in for to and or is are do how what why when with at by from as via".split()
)
# JabRef's documented function words, for [shorttitle], [veryshorttitle] and [title].
JABREF_FUNCTION_WORDS = frozenset(
    """a an the above about across against along among around at before behind below beneath
    beside between beyond by down during except for from in inside into like near of off on
    onto since to toward through under until up upon with within without and but nor or so
    yet""".split()
)
DEFAULT_PATTERN = "[auth:lower][year][veryshorttitle:lower]"  # documented equivalent of scholar
_TEX_COMMAND = re.compile(r"\\[A-Za-z]+|\\.|[{}$]")
_ALNUM = re.compile(r"[A-Za-z0-9]+")
_MARKER = re.compile(r"\[([^\[\]]+)\]")
_LITERAL_OK = re.compile(r"[A-Za-z0-9_:.+/-]*")


class KeyPatternError(BibexportError, ValueError):
    """A --key-pattern that uses an unknown marker or modifier, or unsafe literal text."""


def fold(text: str) -> str:
    """ASCII letters and digits only: ``Sarıyıldız`` -> ``Sariyildiz``, TeX markup dropped."""
    from unidecode import unidecode

    return "".join(_ALNUM.findall(unidecode(_TEX_COMMAND.sub("", strip_invisible(text)))))


def title_words(title: str) -> list[str]:
    """Maximal runs of letters and digits after folding, so hyphens split words."""
    from unidecode import unidecode

    return _ALNUM.findall(unidecode(_TEX_COMMAND.sub(" ", strip_invisible(title))))


def _significant(words: list[str], skip: frozenset[str]) -> list[str]:
    return [w for w in words if w.lower() not in skip]


def _last_name(person: Person) -> str:
    """Family name without particles, as JabRef's [auth] and DBLP use it."""
    return fold(person.literal or person.family)


def _capitalise(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def scholar_title_word(title: str) -> str:
    """First word after Scholar's leading function words (``No``, ``Can``, ``Does`` stay)."""
    words = title_words(title)
    for i, word in enumerate(words):
        if word.lower() not in SCHOLAR_SKIP:
            return words[i]
    return words[0] if words else ""


def _authors(paper: Paper) -> list[Person]:
    return [a for a in paper.authors if a.literal != "others"]


def _auth_etal(paper: Paper) -> str:
    names = [_last_name(a) for a in _authors(paper)]
    if len(names) > 2:
        return names[0] + "EtAl"
    return "".join(names)


def _authors_n(paper: Paper, n: int) -> str:
    names = [_last_name(a) for a in _authors(paper)]
    return "".join(names[:n]) + ("EtAl" if len(names) > n else "")


def _title(paper: Paper) -> str:
    words = title_words(paper.title)
    return "".join(
        _capitalise(w) if i == 0 or w.lower() not in JABREF_FUNCTION_WORDS else w.lower()
        for i, w in enumerate(words)
    )


def _first_author(paper: Paper) -> str:
    authors = _authors(paper)
    return _last_name(authors[0]) if authors else ""


# Markers: name -> value from the paper. Parametrised ones (authN, authorsN) are matched below.
MARKERS: dict[str, Callable[[Paper], str]] = {
    "auth": _first_author,
    "authEtAl": _auth_etal,
    "authors": lambda p: "".join(_last_name(a) for a in _authors(p)),
    "authorLast": lambda p: _last_name(_authors(p)[-1]) if _authors(p) else "",
    "year": lambda p: str(p.year or ""),
    "shortyear": lambda p: str(p.year or "")[-2:],
    "title": _title,
    "camel": lambda p: "".join(_capitalise(w) for w in title_words(p.title)),
    "shorttitle": lambda p: "".join(
        _capitalise(w) for w in _significant(title_words(p.title), JABREF_FUNCTION_WORDS)[:3]
    ),
    "veryshorttitle": lambda p: "".join(
        _capitalise(w) for w in _significant(title_words(p.title), JABREF_FUNCTION_WORDS)[:1]
    ),
    "venue": lambda p: fold(p.venue.short),
}
MODIFIERS: dict[str, Callable[[str], str]] = {
    "lower": str.lower,
    "upper": str.upper,
    "capitalize": _capitalise,
}
_PARAMETRISED = (
    (re.compile(r"authors(\d+)"), lambda p, n: _authors_n(p, n)),
    (re.compile(r"auth(\d+)"), lambda p, n: _first_author(p)[:n]),
)


@dataclass(frozen=True, slots=True)
class KeyPattern:
    """A compiled JabRef-style pattern: literal text and markers with modifiers."""

    parts: tuple[Callable[[Paper], str], ...]

    @classmethod
    def compile(cls, pattern: str) -> KeyPattern:
        parts: list[Callable[[Paper], str]] = []
        pos = 0
        for m in _MARKER.finditer(pattern):
            parts.append(_literal(pattern[pos : m.start()]))
            parts.append(_marker(m.group(1)))
            pos = m.end()
        parts.append(_literal(pattern[pos:]))
        if not _MARKER.search(pattern):
            raise KeyPatternError(f"key pattern {pattern!r} has no [marker]; try {DEFAULT_PATTERN}")
        return cls(tuple(parts))

    def __call__(self, paper: Paper) -> str:
        return "".join(part(paper) for part in self.parts)


def _literal(text: str) -> Callable[[Paper], str]:
    if not _LITERAL_OK.fullmatch(text):
        raise KeyPatternError(
            f"key pattern text {text!r} may only hold letters, digits and _ : . + / -"
        )
    return lambda _paper: text


def _marker(spec: str) -> Callable[[Paper], str]:
    name, *modifiers = spec.split(":")
    value: Callable[[Paper], str] | None = MARKERS.get(name)
    if value is None:
        for regex, make in _PARAMETRISED:
            if m := regex.fullmatch(name):
                n = int(m.group(1))
                value = _bind(make, n)
                break
    if value is None:
        known = ", ".join(f"[{k}]" for k in [*MARKERS, "authN", "authorsN"])
        raise KeyPatternError(f"unknown key pattern marker [{name}]; known: {known}")
    funcs = []
    for mod in modifiers:
        if mod not in MODIFIERS:
            raise KeyPatternError(
                f"unknown modifier :{mod} in [{spec}]; known: "
                + ", ".join(":" + k for k in MODIFIERS)
            )
        funcs.append(MODIFIERS[mod])
    base = value

    def apply(paper: Paper) -> str:
        text = base(paper)
        for func in funcs:
            text = func(text)
        return text

    return apply


def _bind(make: Callable[[Paper, int], str], n: int) -> Callable[[Paper], str]:
    return lambda paper: make(paper, n)


def scholar_key(paper: Paper) -> str:
    """``gal2023image``: first author's family name, year, first significant title word."""
    authors = _authors(paper)
    family = _last_name(authors[0]) if authors else ""
    return f"{family}{paper.year or ''}{scholar_title_word(paper.title)}".lower()


def collision_suffix(n: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa: the suffixes Better BibTeX and JabRef append."""
    letters = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("a") + rem) + letters
    return letters


class KeyAssigner:
    """Gives each paper a key no earlier paper (or the user's library) holds.

    State is the set of taken keys and a counter per base, so a run is linear in papers.
    """

    def __init__(self, pattern: str | None = None, taken: Iterable[str] = ()) -> None:
        self._make: Callable[[Paper], str] = KeyPattern.compile(pattern) if pattern else scholar_key
        self._taken = {k.casefold() for k in taken}
        self._next: dict[str, int] = {}

    def reserve(self, key: str) -> None:
        self._taken.add(key.casefold())

    def base(self, paper: Paper) -> str:
        return self._make(paper) or "paper"

    def assign(self, paper: Paper) -> str:
        base = self.base(paper)
        key = base
        n = self._next.get(base.casefold(), 0)
        while key.casefold() in self._taken:
            n += 1
            key = base + collision_suffix(n)
        self._next[base.casefold()] = n
        self._taken.add(key.casefold())
        return key
