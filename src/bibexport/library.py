"""Reading the user's existing library (.bib, .ris, CSL-JSON) into small records, fast.

Only what matching needs is decoded: title, authors' family names, year, identifiers, and
whether the entry is a preprint. Broken entries become problems with their line; the rest
is read. The .bib reader gives the keys, types, titles, family names and years bibtexparser 2
gives (with its names split by BibTeX's rules and TeX decoded by text.tex_to_text), except
where BibTeX itself is followed instead, on purpose:

- A line whose first character (after spaces) is ``%`` is a comment (as for biber and JabRef), even
  ``%@misc{old, ...}``; BibTeX and bibtexparser would read that entry. Its key still counts
  as taken, so no new entry gets it.
- ``#`` joins values (``booktitle = procof # icml``); bibtexparser keeps the expression.
- ``\\~`` in a name is an accent (``Pe\\~{n}a``), where bibtexparser splits the word; and a
  name that starts with a command right after "and" (``and \\L{}ukasz Kaiser``) keeps its
  first letter, which bibtexparser's splitter drops.
- ``and others`` is not an author.
- An entry without a key (``@article{,``) is a problem, not an entry with key "".
- A key used twice is a problem and both entries are read; bibtexparser fails the second.
  A field given twice keeps its last value; bibtexparser fails the entry.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import field
from functools import lru_cache
from typing import Any

from ._dataclass import dataclass
from .errors import InputError, Problem
from .inputs import open_input
from .keys import fold
from .model import Origin
from .names import ET_AL, is_organisation, parse_name
from .records import (
    _GROUP_TEXT,
    Record,
    _new_record,
    fold_plain,
    ids_in_text,
    normalise_id,
)
from .text import (  # tex_to_text's first step: ``words" and `words' become quotes
    _MIXED_QUOTES,
    _SINGLE_QUOTES,
    collapse_space,
    tex_to_text,
)


@dataclass(slots=True)
class Library:
    """A read library: records in file order, problems met on the way, every entry key."""

    path: str
    format: str  # "bibtex" | "ris" | "csl-json" | "zotero"
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)  # entry keys, broken entries' included
    # words(record.title) per record, when the library came from the cache: indexing skips them
    title_words: list[tuple[str, ...]] | None = None
    shorts: list[str] | None = None  # and their short titles' (dedup.short_fingerprint)


# --- TeX -> Unicode ---------------------------------------------------------------------------


# A brace group around plain words ({COCO-Based}, {Sparse}) changes nothing in the text, but
# text.tex_to_text hands each distinct one to pylatexenc (0.5 ms) once: in a library of braced
# acronyms and {{whole titles}} that is most of the reading time. So such groups are unwrapped
# first: not when the group is an argument (after a letter of a command, or an accent), nor
# when its edges could form a ligature with the neighbours (--, '', ?`).
_INNER = r"[^\\{}$%&#^_\"]"
_EDGE = r"[^\\{}$%&#^_\"`'\-]"
_PLAIN_GROUP = re.compile(  # the literal "{" first lets the regex engine skip to each brace
    rf"\{{(?<!\\\{{)({_EDGE}(?:{_INNER}*{_EDGE})?)\}}(?!`)"
)
_BRACES_ONLY = re.compile(r"[^{}]+")
_ENDS_WITH_COMMAND = re.compile(r"\\(?:[A-Za-z]+|.)\s*$", re.DOTALL)
_ACCENT_FIRST = re.compile(r"\\(?:['`^\"~=.]|[uvHcdbrkt](?![A-Za-z]))")


def _joins_ligature(tex: str) -> bool:
    """Would dropping the braces join a ligature (-{}-, -{-}, '{'}, ?{`}) TeX keeps apart?"""
    if not ("-" in tex or "'" in tex or "`" in tex):
        return False
    apart = tex.replace("{", "\0").replace("}", "\0")
    while "\0\0" in apart:
        apart = apart.replace("\0\0", "\0")
    return any(pair in apart for pair in ("-\0-", "'\0'", "`\0`", "?\0`", "!\0`"))


def _balanced(tex: str) -> bool:
    """Braces pair up in order, ``\\{`` and ``\\}`` aside."""
    if "\\{" in tex or "\\}" in tex:
        tex = tex.replace("\\\\", "").replace("\\{", "").replace("\\}", "")
    if tex.count("{") != tex.count("}"):
        return False
    braces = _BRACES_ONLY.sub("", tex)
    while "{}" in braces:
        braces = braces.replace("{}", "")
    return not braces


def _plain_group(m: re.Match[str]) -> str:
    if _COMMAND_BEFORE.search(m.string, max(m.start() - 40, 0), m.start()):
        return m.group()  # an argument (\emph{x}, \v {ab}): the braces say what it is
    return m.group(1)


def _unwrap(tex: str) -> str:
    """The TeX with its plain brace groups gone (see above); tex_to_text reads the same."""
    if not ("\\" in tex or "$" in tex or "%" in tex or "&" in tex or _joins_ligature(tex)):
        return tex.replace("{", "").replace("}", "")  # no commands: every group is plain
    for _ in range(3):  # {{Self-Supervised} Learning}: innermost first
        unwrapped = _PLAIN_GROUP.sub(_plain_group, tex)
        if unwrapped == tex:
            break
        tex = unwrapped
    if (
        tex[:1] == "{"
        and tex[-1:] == "}"
        and not _ACCENT_FIRST.match(tex, 1)  # {\`\CYRE} is one letter; unbraced, two
        and _ENDS_WITH_COMMAND.search(tex, 0, len(tex) - 1) is None  # {a\v }: no argument
        and "\\{" not in tex
        and "\\}" not in tex
    ):
        braces = _BRACES_ONLY.sub("", tex[1:-1])  # does the first brace close at the end?
        while "{}" in braces:
            braces = braces.replace("{}", "")
        if not braces:
            tex = tex[1:-1]  # a whole value in braces (BibDesk, {{Title}}): no neighbours
    return tex


def plain(tex: str) -> str:
    """A field value as one line of plain text: TeX decoded, whitespace collapsed."""
    text = decoded(tex)
    if text.isascii() and text.isprintable() and "  " not in text:
        return text.strip()  # what collapse_space gives, without its regex and NFC
    return collapse_space(text)


def decoded(tex: str) -> str:
    """``text.tex_to_text``, with its work skipped where it would change nothing."""
    if not (
        "\\" in tex
        or "{" in tex
        or "}" in tex
        or "-" in tex
        or "'" in tex
        or "$" in tex
        or "~" in tex
        or "`" in tex
    ):
        return tex if tex.isascii() else unicodedata.normalize("NFC", tex)  # as tex_to_text
    if ("{" in tex or "}" in tex) and not _balanced(tex):
        return tex_to_text(tex)  # unbalanced: pylatexenc's to cope with, whichever way it does
    if "`" in tex:  # quotes first, on the raw text with its braces, as tex_to_text does
        if "$" in tex or "?`" in tex or "!`" in tex:
            return tex_to_text(tex)  # in math a backtick is no quote; ?` and !` are ¿ and ¡
        quoted = _SINGLE_QUOTES.sub("\u2018\\1\u2019", _MIXED_QUOTES.sub("\u201c\\1\u201d", tex))
        quoted = quoted.replace("``", "\u201c")  # its ligature, wherever it stands
        if "`" in quoted:
            return tex_to_text(tex)  # a backtick left alone: an accent, or {`}
        tex = quoted  # no backtick left, so tex_to_text will not pair quotes again
    if "$" in tex:  # math is its own world: plain groups go only outside it
        # Only where every $ opens or closes math (an escaped \$ does neither).
        if "{" in tex and "$$" not in tex and tex.count("$") % 2 == 0 and "\\$" not in tex:
            pieces = _MATH.split(tex)
            pieces[::2] = [_PLAIN_GROUP.sub(_plain_group, text) for text in pieces[::2]]
            tex = "".join(pieces)
        return tex_to_text(tex)
    if "\\" in tex:
        tex = _ACCENTED.sub(_accented, tex)  # the accents of names: {\"u}, \'{e}, {\c{S}}
        if "\\" in tex:
            tex = _ACCENTED.sub(_accented, tex)  # \~{\^e}: the inner one first
    if "{" in tex:
        tex = _unwrap(tex)
    checked = _SIMPLE_ESCAPE.sub("", tex) if "\\" in tex else tex
    if (
        "\\" in checked
        or "{" in checked
        or "}" in checked
        or "$" in checked
        or "%" in checked  # a comment to pylatexenc
        or "&" in checked  # an alignment tab
    ):
        return tex_to_text(tex)
    # What is left is plain runs for text.tex_to_text: escapes, ligatures and ties as it reads them.
    if checked is not tex:
        tex = _SIMPLE_ESCAPE.sub(_GROUP_TEXT, tex)
    if "--" in tex:
        tex = tex.replace("---", "\u2014").replace("--", "\u2013")
    if "''" in tex:
        tex = tex.replace("''", "\u201d")
    if "~" in tex:
        tex = tex.replace("~", " ")
    if tex.isascii():
        return tex
    return unicodedata.normalize("NFC", tex.replace("\u00a0", " "))


_SIMPLE_ESCAPE = re.compile(r"\\([%&#_$])(?![A-Za-z])")
_MATH = re.compile(r"(\$[^$]*\$)")


# A TeX accent on a letter, or a special letter, is one character: decoded here rather than
# by pylatexenc (0.5 ms for each new spelling), the same as text.tex_to_text decodes it. Not
# after a backtick, which text.tex_to_text reads together with quotes, nor in math.
ACCENTS = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "d": "\u0323",
    "b": "\u0331",
    "r": "\u030a",
    "k": "\u0328",
}
SPECIAL_LETTERS = {
    "ss": "ß",
    "o": "ø",
    "O": "Ø",
    "l": "ł",
    "L": "Ł",
    "aa": "å",
    "AA": "Å",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "i": "ı",
    "j": "ȷ",
    "dj": "đ",
    "DJ": "Đ",
    "dh": "ð",
    "DH": "Ð",
    "th": "þ",
    "TH": "Þ",
    "ng": "ŋ",
    "NG": "Ŋ",
}
_BASE = r"(?:\\[ij](?![A-Za-z])|[^\W\d_])"
_SYMBOL = r"\\['^\"~=.]"
_LETTER = r"\\[uvHcdbrk]"
_NAMED = "|".join(sorted(SPECIAL_LETTERS, key=len, reverse=True))
_ACCENTED = re.compile(
    "|".join(  # the forms as pylatexenc reads them; anything else stays for tex_to_text
        [
            rf"(?<!\\)\{{{_SYMBOL}\s*(?:{_BASE}|\{{{_BASE}\}})\}}",  # {\"a} {\"{a}}
            rf"(?<!\\)\{{{_LETTER}(?:\{{{_BASE}\}}|\s+{_BASE})\}}",  # {\c{c}} {\c c}
            rf"(?<![\\{{]){_SYMBOL}(?:\{{{_BASE}\}}|[^\W\d_])",  # \"{a} \"a (not \'\i)
            rf"(?<![\\{{]){_LETTER}\{{{_BASE}\}}",  # \c{c}
            rf"(?<!\\)(?<!\\.)\{{\\(?:{_NAMED})\}}",  # {\ss}, not accented: \'{\i}
            rf"(?<![\\{{])(?<!\\.)\\(?:{_NAMED})\{{\}}",  # \ss{}, not accented: \'\i{}
        ]
    )
)


_ACCENT_BEFORE = re.compile(r"\\(?:[uvHcdbrkt]|['`^\"~=.])\s*$")
# A command that takes what follows as its argument: a control word (spaces after it are
# eaten), or an accent; not \% or \& and the like, which take nothing.
_COMMAND_BEFORE = re.compile(r"(?:\\[A-Za-z]+\s*|\\['`^\"~=.])$")


@lru_cache(maxsize=4096)
def _accent_text(tex: str) -> str:
    """One accented or special letter, as matched by _ACCENTED: ``{\\c{S}}`` -> ``Ş``."""
    if tex[0] == "{" and tex[-1] == "}":
        tex = tex[1:-1]
    command = tex[1:].rstrip("{}")
    if command in SPECIAL_LETTERS:
        return SPECIAL_LETTERS[command]
    base = tex[2:].strip(" \t\n{}")
    if base[0] == "\\":
        base = base[1]  # \'\i: the accent takes the dot's place
    return unicodedata.normalize("NFC", base + ACCENTS[tex[1]])


def _accented(m: re.Match[str]) -> str:
    start = max(m.start() - 40, 0)
    if _ACCENT_BEFORE.search(m.string, start, m.start()):
        return m.group()  # an accent on an accent (\v \"a): pylatexenc's own way, unchanged
    if _COMMAND_BEFORE.search(m.string, start, m.start()):
        # an argument (\u{\d{a}}), or after a command name that a letter would lengthen
        # (\CYRZH\"a): in braces, as the TeX was
        return "{" + _accent_text(m.group()) + "}"
    return _accent_text(m.group())


# --- BibTeX names -----------------------------------------------------------------------------
# BibTeX's own rules (as bibtexparser 2 implements them): "and" at brace level 0 separates
# people; "First von Last", "von Last, First" or "von Last, Jr, First"; "von" words start in
# lower case. Only the Last part is kept: the family name without its particle.

_AND = re.compile(r"[ \t\r\n]+and[ \t\r\n]+", re.IGNORECASE)
_AND_OR_BRACE = re.compile(r"\\.|[{}]|[ \t\r\n]+and(?=[ \t\r\n])", re.IGNORECASE | re.DOTALL)
_NAME_SPACE = frozenset(" ~\r\n\t")
_NAME_TOKEN = re.compile(r",|[^ ~\r\n\t,]+")
_TEX_NAME_TOKEN = re.compile(r",|(?:\\.|[^ ~\r\n\t,\\])+", re.DOTALL)  # \~ is no space
_NAME_SPACES = re.compile(r"[ \t\r\n]+")


def split_people(names: str) -> list[str]:
    """``A and B and {C and D}`` -> ``["A", "B", "{C and D}"]``."""
    if "\n" in names or "\t" in names or "\r" in names or "  " in names:
        # DBLP's "and\n        ": the same names, one spelling (str.split's whitespace is
        # BibTeX's in ASCII text, bar control characters nobody writes)
        names = " ".join(names.split()) if names.isascii() else _NAME_SPACES.sub(" ", names)
    names = names.strip(" ")
    if not names:
        return []
    people = names.split(" and ")
    if " AND " in names or " And " in names:
        people = _AND.split(names)
    if "\\" in names and _escapes_space_or_brace(names):
        return _split_people_exactly(names)
    if "{" in names:
        for p in people:
            if p.count("{") != p.count("}"):
                return _split_people_exactly(names)  # an "and" inside braces: {Barnes and Noble}
    return people


def _escapes_space_or_brace(text: str) -> bool:
    return (
        "\\ " in text
        or "\\{" in text
        or "\\}" in text
        or "\\\t" in text
        or "\\\n" in text
        or "\\\r" in text
    )


def _split_people_exactly(names: str) -> list[str]:
    people: list[str] = []
    depth = start = 0
    for m in _AND_OR_BRACE.finditer(names):
        token = m.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth = max(depth - 1, 0)
        elif token[0] != "\\" and depth == 0:
            end = m.end()
            while end < len(names) and names[end] in " \t\r\n":
                end += 1
            if end < len(names):
                people.append(names[start : m.start()])
                start = end
    people.append(names[start:])
    return people


def _plain_case(word: str) -> int:
    """1 upper, 0 lower, -1 caseless: the word's first letter (BibTeX's "von" test)."""
    for c in word:
        if c.isalpha():
            return 1 if c.isupper() else 0
    return -1


def _tex_case(word: str) -> int:
    """The same for a word with TeX, as bibtexparser reads it: ``{\\"O}zt{\\"u}rk`` is upper."""
    level = 0
    bracestart = controlseq = specialchar = False
    i, n = 0, len(word)
    while i < n:
        c = word[i]
        i += 1
        if c == "\\" and i < n:
            escaped = word[i]
            i += 1
            if bracestart:
                bracestart = False
                controlseq = escaped.isalpha()
                specialchar = True
            elif escaped.isalpha():
                return 1 if escaped.isupper() else 0
            continue
        if c == "{":
            level += 1
            bracestart, controlseq, specialchar = True, False, False
            continue
        bracestart = False
        if c == "}":
            level = max(level - 1, 0)
            controlseq = specialchar = False
        elif level:
            if controlseq:
                controlseq = c.isalpha()
            elif specialchar and c.isalpha():
                return 1 if c.isupper() else 0
        elif c.isalpha():
            return 1 if c.isupper() else 0
    return -1


def last_part(name: str) -> list[str]:
    """The words of a name's Last part (family name without "von"), still in TeX."""
    tex = "{" in name or "\\" in name
    if tex and (_escapes_space_or_brace(name) or name.endswith("\\")):
        return _last_of(*_name_sections_tex(name))
    sections: list[list[str]] = [[]]
    cases: list[list[int]] = [[]]
    case = _tex_case if tex else _plain_case
    for token in (_TEX_NAME_TOKEN if tex else _NAME_TOKEN).findall(name):
        if token == ",":
            if len(sections) < 3:
                sections.append([])
                cases.append([])
        elif tex and token.count("{") != token.count("}"):
            return _last_of(*_name_sections_tex(name))  # braces around a space or comma
        else:
            sections[-1].append(token)
            cases[-1].append(case(token))
    return _last_of(sections, cases)


def _last_of(sections: list[list[str]], cases: list[list[int]]) -> list[str]:
    if len(sections) > 1 and not sections[-1]:
        sections.pop()
        cases.pop()
    words, word_cases = sections[0], cases[0]
    if len(sections) == 1:
        if len(words) <= 2:
            return words[-1:]
        if 0 not in word_cases:
            return words[-1:]
        last_lower = len(word_cases) - 1 - word_cases[::-1].index(0)
        return words[min(last_lower, len(words) - 2) + 1 :]
    if len(words) <= 1:
        return words
    lower = [i for i, c in enumerate(word_cases[:-1]) if c == 0]
    return words[lower[-1] + 1 :] if lower else words


def _name_sections_tex(name: str) -> tuple[list[list[str]], list[list[int]]]:
    """Words and their case (1 upper, 0 lower, -1 none) in up to three comma sections.

    A port of bibtexparser's lenient scanner: ``{\\"O}zt{\\"u}rk`` is upper case, a braced
    ``{van Gogh}`` is one caseless word; but ``\\~`` is an accent here, as in BibTeX.
    """
    sections: list[list[str]] = [[]]
    cases: list[list[int]] = [[]]
    word: list[str] = []
    case = -1
    level = 0
    bracestart = controlseq = specialchar = False
    i, n = 0, len(name)
    while i < n:
        char = name[i]
        i += 1
        if char == "\\":
            # \~ is an accent, not a tie (bibtexparser splits the word there: not followed)
            if i < n and name[i] not in " \r\n\t":
                escaped = name[i]
                i += 1
                if bracestart:
                    bracestart = False
                    controlseq = escaped.isalpha()
                    specialchar = True
                elif case == -1 and escaped.isalpha():
                    case = 1 if escaped.isupper() else 0
                word.append(char + escaped)
                continue
            if i < n:  # a backslash before whitespace stays; the whitespace splits words
                word.append(char)
                char = name[i]
                i += 1
        if char == "{":
            level += 1
            word.append(char)
            bracestart, controlseq, specialchar = True, False, False
            continue
        bracestart = False
        if char == "}":
            if level:
                level -= 1
            else:
                word.insert(0, "{")
            controlseq = specialchar = False
            word.append(char)
            continue
        if level:
            if controlseq:
                controlseq = char.isalpha()
            elif specialchar and case == -1 and char.isalpha():
                case = 1 if char.isupper() else 0
            word.append(char)
            continue
        if char == "," or char in _NAME_SPACE:
            if word:
                sections[-1].append("".join(word))
                cases[-1].append(case)
                word, case = [], -1
                controlseq = specialchar = False
            if char == "," and len(sections) < 3:
                sections.append([])
                cases.append([])
            continue
        word.append(char)
        if case == -1 and char.isalpha():
            case = 1 if char.isupper() else 0
    if level:
        word.extend("}" * level)
    if word:
        sections[-1].append("".join(word))
        cases[-1].append(case)
    return sections, cases


class _Families:
    """Raw BibTeX author field -> folded family names.

    Memoised twice, since people recur across a library and family names even more: by the
    whole name, then by its Last part, so a new person with a known family name costs little.
    """

    _LIMIT = 300_000

    def __init__(self) -> None:
        self._people: dict[str, str] = {}
        self._lasts: dict[str, str] = {}

    def __call__(self, authors: str) -> tuple[str, ...]:
        people = self._people
        out = []
        for person in split_people(authors):
            family = people.get(person)
            if family is None:
                family = self._family(person)
                if len(people) < self._LIMIT:
                    people[person] = family
            if family:
                out.append(family)
        return tuple(out)

    def _family(self, person: str) -> str:
        last = _quick_last(person)
        if last is None:
            if person.strip().lower() == "others":
                return ""  # "and others": the list was cut, it is no one's name
            last = " ".join(last_part(person))
        folded = self._lasts.get(last)
        if folded is None:
            folded = fold_plain(decoded(last)).lower()
            if len(self._lasts) < self._LIMIT:
                self._lasts[last] = folded
        return folded


def _quick_last(person: str) -> str | None:
    """The Last part when no "von" part can be in play, else None (then ask last_part).

    ``Last, First``, ``First Last`` and names whose words all start with a capital letter
    (``Nilesh J. Mishra``, ``Van Gool, Luc``): the same answer as last_part, without its
    word-by-word scan.
    """
    if "~" in person or ("\\" in person and _escapes_space_or_brace(person)):
        return None
    comma = person.find(",")
    words = (person[:comma] if comma >= 0 else person).split(" ")
    if "" in words:
        words = [w for w in words if w]
    if not words or ("{" in person and any(w.count("{") != w.count("}") for w in words)):
        return None
    if comma >= 0:
        if len(words) == 1 or all(w[0].isupper() for w in words[:-1]):
            return " ".join(words)
        return None
    if len(words) > 2 and not all(w[0].isupper() for w in words[:-1]):
        return None
    last = words[-1]
    return None if last.lower() == "others" else last


def person_family(name: str) -> str:
    """A name as RIS or a CSL literal writes it (``Last, First`` or ``First Last``), folded."""
    person = parse_name(name)
    if person is None or person.literal == "others":
        return ""
    if person.literal:
        return fold(person.literal).lower()
    return fold(person.family).lower()


# --- identifiers --------------------------------------------------------------------------------

# Where a preprint says it is one: journal = {arXiv preprint ...}, {CoRR}, publisher = {arXiv}.
_PREPRINT_VENUE = re.compile(r"\b(?:arxiv|corr|preprint|biorxiv|medrxiv|ssrn|chemrxiv)\b", re.I)
PREPRINT_TYPES = frozenset(
    "misc article unpublished online preprint electronic techreport report www".split()
)


def _with_arxiv_doi(ids: set[str]) -> frozenset[str]:
    """arXiv's own DOI (10.48550/arXiv.2301.01234) names the same preprint as its id."""
    for i in list(ids):
        if i.startswith("doi:10.48550/arxiv."):
            ids.add("arxiv:" + i[len("doi:10.48550/arxiv.") :].split("v")[0])
    return frozenset(ids) if ids else _NO_IDS


_NO_IDS: frozenset[str] = frozenset()


def is_preprint(entry_type: str, venue: str, ids: frozenset[str], other: Iterable[str]) -> bool:
    """A preprint: a preprint-like type, and the venue (or, lacking one, a note) says so."""
    if entry_type not in PREPRINT_TYPES:
        return False
    if venue:
        return _PREPRINT_VENUE.search(venue) is not None
    return any(i.startswith("arxiv:") for i in ids) or any(
        _PREPRINT_VENUE.search(text) for text in other if text
    )


_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|2\d\d\d)(?!\d)")


def parse_year(*values: str | None) -> int | None:
    """The first plausible four-digit year in the first value that has one."""
    for value in values:
        if value:
            if len(value) == 4 and value.isdigit() and "1500" <= value <= "2999":
                return int(value)
            m = _YEAR.search(value)
            if m:
                return int(m.group(1))
    return None


# --- reading files ------------------------------------------------------------------------------

_CHUNK = 1 << 22
_SNIFF = 8192


def _open(path: str) -> Any:
    return open_input(path, "library")


def _nul_error(path: str, data: bytes, before: bytes = b"") -> InputError:
    offset = data.index(b"\x00")
    line = before.count(b"\n") + data.count(b"\n", 0, offset) + 1
    return InputError(f"not a text file (NUL byte at offset {len(before) + offset})", path, line)


def _read_text(path: str) -> str:
    """A whole RIS or JSON file as text: UTF-8 (BOM or not) or UTF-16 with a BOM."""
    with _open(path) as stream:
        data: bytes = stream.read()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    if b"\x00" in data:
        raise _nul_error(path, data)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"invalid UTF-8 at byte {exc.start} (0x{data[exc.start]:02x}); save the file as UTF-8",
            path,
            line,
        ) from None


def _latin1_chunks(path: str) -> Iterator[str]:
    """The file's bytes in large pieces, each byte one character (Latin-1).

    Scanning bytes as Latin-1 keeps one byte a character (half or a quarter of the memory of
    decoded text) and lets the patterns use byte ranges, which the regex engine tests faster;
    only the values kept are decoded from UTF-8 (see :meth:`_BibReader._text`).
    """
    with _open(path) as stream:
        data: bytes = stream.read(_CHUNK)
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            yield (data + stream.read()).decode("utf-16").encode("utf-8").decode("latin-1")
            return
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
        offset = 0
        while data:
            if b"\x00" in data:
                stream.seek(0)
                raise _nul_error(path, data, stream.read(offset))
            offset += len(data)
            yield data.decode("latin-1")
            data = stream.read(_CHUNK)


# --- the BibTeX scanner -------------------------------------------------------------------------
# CPython's regular expressions cost several nanoseconds a character and the interpreter
# about a microsecond a step, so each entry is read by one match of one pattern: unwanted
# fields are skipped inside it, the wanted ones land in named groups. Values are balanced
# braces (to a fixed depth) or quotes; a line starting with ``@type{`` ends any value still
# open, as in bibtexparser, so an entry that never closes costs only itself. What the pattern
# cannot match (deeper braces, errors) goes to a careful scanner that also says what is wrong.
# The text scanned is the file's bytes as Latin-1 (see _latin1_chunks), hence re.ASCII: the
# bytes of a UTF-8 character are never spaces or word characters.

WANTED = (
    "title",
    "author",
    "year",
    "date",
    "doi",
    "eprint",
    "archiveprefix",
    "eprinttype",
    "url",
    "journal",
    "journaltitle",
    "booktitle",
    "howpublished",
    "note",
    "publisher",
)
_WANTED = frozenset(WANTED)
_BLOCK_START = r"@\w*[ \t]*[{(]"
_NEWLINE_OK = rf"\n(?![ \t]*{_BLOCK_START})"
_DEPTH = 4
# Byte ranges match faster than a negated set: [^{}\n] and [^"{}\n], or with newlines.
_RUN = r"[\x00-\x09\x0b-z|~-\xff]++"
_QUOTED_RUN = r"[\x00-\x09\x0b-!#-z|~-\xff]++"
_RUN_LINES = r"[\x00-z|~-\xff]++"
_QUOTED_RUN_LINES = r"[\x00-!#-z|~-\xff]++"
_BARE_WORD = r"[^\s,{}\"#=()@]+"


def _group_body(guarded: bool) -> str:
    """The inside of a ``{...}`` group nested up to _DEPTH levels; ``\\{`` is no brace.

    ``guarded``: a line that starts a block ends the group (bibtexparser's recovery rule). The
    fast entry pattern goes without, for speed: the end position of its search keeps it from
    running past such a line instead.
    """
    atom = rf"{_RUN}|(?<=\\)[{{}}]|{_NEWLINE_OK}" if guarded else rf"{_RUN_LINES}|(?<=\\)[{{}}]"
    body = f"(?:{atom})*+"
    for _ in range(_DEPTH):
        body = rf"(?:{atom}|\{{{body}\}})*+"
    return body


def _value_pattern(guarded: bool) -> str:
    """A field value: ``{...}``, ``"..."`` or a word, or several joined by ``#``."""
    body = _group_body(guarded)
    if guarded:
        quoted = rf'(?:{_QUOTED_RUN}|(?<=\\)["{{}}]|\{{{body}\}}|{_NEWLINE_OK})*+'
    else:
        quoted = rf'(?:{_QUOTED_RUN_LINES}|(?<=\\)["{{}}]|\{{{body}\}})*+'
    part = rf'\{{{body}\}}|"{quoted}"|{_BARE_WORD}'
    return rf"(?:{part})(?:\s*+\#\s*+(?:{part}))*+"


_BODY = _group_body(guarded=True)
_VALUE = _value_pattern(guarded=True)
_NAME = r"[^=,{}\"\s@()#]+"
_A = re.ASCII


@lru_cache(maxsize=4)
def _entry_pattern(close: str, guarded: bool = True) -> re.Pattern[str]:
    """``key, field = value, ... }`` in one match; a wanted field's value in its own group.

    A field given twice keeps its last value here (the group's last match), and so does the
    careful scanner, so both agree.
    """
    c = re.escape(close)
    value = _value_pattern(guarded)
    wanted = "|".join(rf"(?i:{name})\s*+=\s*+(?P<{name}>{value})" for name in WANTED)
    return re.compile(
        rf"\s*+(?P<key>[^,{{}}\"=\s{c}]++)[ \t]*+,"
        rf"(?:\s*+(?:{wanted}|{_NAME}\s*+=\s*+{value})\s*+(?:,|(?={c})))*+\s*+{c}",
        _A,
    )


@lru_cache(maxsize=1)
def _block_pattern() -> re.Pattern[str]:
    """The next block start (or % comment line) and, for a ``{`` entry, the whole entry.

    A block starts at "@type{" anywhere outside a block, as in BibTeX and bibtexparser; but a
    line whose first character (after spaces) is "%" is a comment, as for biber and JabRef.
    Searched only up to the next line that starts a block (see _BibReader.feed).
    """
    entry = _entry_pattern("}", guarded=False).pattern
    return re.compile(
        rf"^[ \t]*%[^\n]*|@(?P<kind>\w*)[ \t]*(?P<open>[{{(])(?:(?<=\{{){entry})?",
        re.MULTILINE | _A,
    )


_KEY = {c: re.compile(rf"([^,{{}}\"=\n{re.escape(c)}]*)([,{re.escape(c)}])", _A) for c in "})"}
_STRING = {
    c: re.compile(rf"\s*({_NAME})\s*=\s*+(?P<value>{_VALUE})\s*+{re.escape(c)}", _A) for c in "})"
}
_SKIP_BLOCK = {
    "}": re.compile(rf"{_BODY}\}}", _A),
    ")": re.compile(rf"(?:[^(){{}}\n]++|\{{{_BODY}\}}|{_NEWLINE_OK})*+\)", _A),
}
_COMMENTED_KEY = re.compile(r"[ \t]*%+[ \t]*@\w+[ \t]*[{(][ \t]*([^,\s{}()\"=]+)[ \t]*,", _A)
_NEXT_BLOCK = re.compile(rf"^[ \t]*(?={_BLOCK_START})", re.MULTILINE | _A)
_CUT = re.compile(_BLOCK_START, _A)
_PART_MARK = re.compile(rf'(?<!\\)[{{}}"]|\n(?=[ \t]*{_BLOCK_START})', _A)
_SPACE = re.compile(r"\s*", _A)
_SLOW_NAME = re.compile(rf"\s*({_NAME})?\s*", _A)
_BARE = re.compile(_BARE_WORD, _A)
_SPECIAL_BLOCKS = frozenset({"comment", "preamble", "string"})


class _Broken(Exception):
    """A block that cannot be read: why, and where reading can resume."""

    def __init__(self, reason: str, resume: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.resume = resume


_INDENTED_BLOCK = re.compile(rf"\n[ \t]+{_BLOCK_START}", _A)


def _next_line_block(text: str, pos: int, indented: bool) -> int:
    """Where the next line that starts a block begins, after ``pos`` (or the end of text).

    ``indented``: the text has blocks after spaces at a line's start, which a plain search
    for a newline and an "@" would miss.
    """
    if indented:
        m = _NEXT_BLOCK.search(text, pos + 1)
        return m.start() if m else len(text)
    at = text.find("\n@", pos)
    while at >= 0 and _CUT.match(text, at + 1) is None:
        at = text.find("\n@", at + 2)
    return at + 1 if at >= 0 else len(text)


def _next_block(text: str, pos: int) -> int:
    """Where reading resumes after a broken block: the next line that starts a block."""
    m = _NEXT_BLOCK.search(text, text.rfind("\n", 0, pos) + 1)
    return m.start() if m else len(text)


def _at_next_block(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    return pos >= len(text) or (
        _CUT.match(text, pos) is not None and not text[line_start:pos].strip()
    )


def _skip_space(text: str, pos: int) -> int:
    m = _SPACE.match(text, pos)
    return m.end() if m else pos


class _BibReader:
    """Reads .bib text piece by piece; each piece holds whole blocks (see :func:`_pieces`)."""

    def __init__(self, path: str) -> None:
        self.library = Library(path, "bibtex")
        self.source = path
        self.macros: dict[str, str] = {}
        self.families = _Families()
        self.types: dict[str, str] = {}
        self.line = 1
        self.block_start = 0
        self.latin1 = False

    def feed(self, text: str) -> None:
        pos = counted = 0
        search = _block_pattern().search
        records = self.library.records
        indented = _INDENTED_BLOCK.search(text) is not None
        limit = -1
        while True:
            if limit <= pos:
                limit = _next_line_block(text, pos, indented)
            m = search(text, pos, limit)
            if m is None:
                if limit >= len(text):
                    break
                pos = limit
                continue
            self.line += text.count("\n", counted, m.start())
            counted = self.block_start = m.start()
            kind = m.group("kind")
            if kind is None:  # a % comment line
                commented = _COMMENTED_KEY.match(m.group(0))
                if commented:  # BibTeX would still read it, so its key is taken
                    self.library.keys.add(self._text(commented.group(1)))
                pos = m.end()
                continue
            kind = kind.lower()
            if m.group("key") is not None and kind not in _SPECIAL_BLOCKS:
                records.append(self._record(m.group("key"), kind, m.group(*WANTED)))
                pos = m.end()
                continue
            start = m.end("open")
            close = "}" if m.group("open") == "{" else ")"
            try:
                if kind in ("comment", "preamble"):
                    pos = self._skip_block(text, start, close)
                elif kind == "string":
                    pos = self._string(text, start, close)
                else:
                    pos = self._entry(text, start, kind, close)
            except _Broken as broken:
                self.problem(broken.reason)
                pos = max(broken.resume, start)
        self.line += text.count("\n", counted)

    def problem(self, message: str) -> None:
        self.library.problems.append(Problem(message, self.source, self.line))

    def _text(self, latin1: str) -> str:
        """Scanned text back to what the file says: UTF-8, or Latin-1 where it is not UTF-8."""
        if latin1.isascii():
            return latin1
        data = latin1.encode("latin-1")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            if not self.latin1:
                self.latin1 = True
                self.problem(
                    f"not UTF-8 (byte 0x{data[exc.start]:02x}); such text is read as Latin-1, "
                    "so check accented names"
                )
            return latin1

    def _skip_block(self, text: str, pos: int, close: str) -> int:
        m = _SKIP_BLOCK[close].match(text, pos)
        if m is None:
            raise _Broken(
                f"@comment or @preamble is not closed (a {close!r} is missing); skipped",
                _next_block(text, pos),
            )
        return m.end()

    def _string(self, text: str, pos: int, close: str) -> int:
        m = _STRING[close].match(text, pos)
        if m is None:
            raise _Broken(
                "@string is not valid BibTeX (expected @string{name = value}); skipped",
                _next_block(text, pos),
            )
        self.macros[m.group(1).lower()] = self._concatenate(m.group("value"))
        return m.end()

    def _entry(self, text: str, pos: int, kind: str, close: str) -> int:
        """The careful way: field by field, for what the fast pattern did not match."""
        if close == ")" and (m := _entry_pattern(")").match(text, pos)) is not None:
            self.library.records.append(self._record(m.group("key"), kind, m.group(*WANTED)))
            return m.end()
        km = _KEY[close].match(text, pos)
        key = self._text(km.group(1).strip()) if km else ""
        if km is None or not key or any(c.isspace() for c in key):
            found = self._text(text[pos : pos + 30].split("\n")[0])
            raise _Broken(
                f"entry has no key: expected '@{kind}{{key,' but found {found!r}; skipped",
                _next_block(text, pos),
            )
        fields: dict[str, str] = {}
        end = km.end()
        if km.group(2) == ",":
            try:
                end = self._fields(text, end, close, fields)
            except _Broken as broken:
                self.library.keys.add(key)  # the key is still taken
                raise _Broken(f"entry {key!r} {broken.reason}; skipped", broken.resume) from None
        raw = tuple(fields.get(name) for name in WANTED)
        self.library.records.append(self._record(km.group(1).strip(), kind, raw))
        return end

    def _fields(self, text: str, pos: int, close: str, fields: dict[str, str]) -> int:
        while True:
            m = _SLOW_NAME.match(text, pos)
            assert m is not None  # everything in it is optional
            name, pos = m.group(1), m.end()
            if not name:
                if text.startswith(close, pos):
                    return pos + 1
                raise self._expected("a field name", text, pos)
            if not text.startswith("=", pos):
                raise self._expected(f"'=' after {name!r}", text, pos)
            start = pos = pos + 1
            while True:
                pos = _skip_space(text, pos)
                if text.startswith(("{", '"'), pos):
                    pos = self._part_end(text, pos)
                elif (bare := _BARE.match(text, pos)) is not None:
                    pos = bare.end()
                else:
                    raise self._expected(f"a value for {name!r}", text, pos)
                end = pos
                pos = _skip_space(text, pos)
                if not text.startswith("#", pos):
                    break
                pos += 1
            if name.lower() in _WANTED:
                fields[name.lower()] = text[start:end].strip()
            if text.startswith(close, pos):
                return pos + 1
            if not text.startswith(",", pos):
                raise self._expected(f"',' or {close!r} after the value of {name!r}", text, pos)
            pos += 1

    def _part_end(self, text: str, pos: int) -> int:
        """Index just past the ``{...}`` or ``"..."`` starting at ``pos``."""
        quoted = text[pos] == '"'
        depth = 0 if quoted else 1
        missing = "a closing quote" if quoted else "a '}'"
        for m in _PART_MARK.finditer(text, pos + 1):
            c = m.group()
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0 and not quoted:
                    return m.end()
                depth = max(depth, 0)
            elif c == '"':
                if quoted and depth == 0:
                    return m.end()
            else:
                raise _Broken(f"is not closed ({missing} is missing)", m.end())
        raise _Broken(f"is not closed ({missing} is missing)", len(text))

    def _expected(self, what: str, text: str, pos: int) -> _Broken:
        if _at_next_block(text, pos):
            return _Broken("is not closed (a '}' is missing)", _next_block(text, pos))
        line = self.line + text.count("\n", self.block_start, pos)
        found = self._text(text[pos : pos + 20].split("\n")[0])
        return _Broken(
            f"is not valid BibTeX: expected {what} on line {line}, found {found!r}",
            _next_block(text, pos),
        )

    def _value(self, raw: str) -> str:
        """A field's value as written -> its text: delimiters off, macros and ``#`` resolved."""
        if "#" in raw:
            value = self._concatenate(raw)
        elif raw[0] in '{"':
            value = raw[1:-1]
        else:
            value = self._bare(raw)
        return value if value.isascii() else self._text(value)

    def _bare(self, word: str) -> str:
        """A number stays; a macro becomes its text (an undefined one stays, as in bibtexparser)."""
        return word if word.isdigit() else self.macros.get(word.lower(), word)

    def _concatenate(self, value: str) -> str:
        """``"Proc. of " # icml`` -> the joined text, which is what BibTeX makes of ``#``."""
        out: list[str] = []
        pos, n = 0, len(value)
        while pos < n:
            c = value[pos]
            if c in '{"':
                end = self._part_end(value, pos)
                out.append(value[pos + 1 : end - 1])
                pos = end
            elif (m := _BARE.match(value, pos)) is not None:
                out.append(self._bare(m.group()))
                pos = m.end()
            else:  # spaces and "#"
                pos += 1
        return "".join(out)

    def _record(self, key: str, kind: str, raw: tuple[str | None, ...]) -> Record:
        keys = self.library.keys
        if not key.isascii():
            key = self._text(key)
        if key in keys:
            self.problem(f"key {key!r} is used by an earlier entry too")
        keys.add(key)
        entry_type = self.types.get(kind)
        if entry_type is None:
            entry_type = self.types[kind] = sys.intern(kind)
        value = self._value
        title, author, year, date, doi, eprint, archiveprefix, eprinttype, url, journal = raw[:10]
        journaltitle, booktitle, howpublished, note, publisher = raw[10:]
        ids: set[str] = set()
        if doi:
            ids.add(normalise_id("doi", value(doi)))
        if eprint:
            prefix = value(archiveprefix or eprinttype or "arxiv")
            if prefix.strip().lower() == "arxiv":
                ids.add(normalise_id("arxiv", value(eprint)))
        for text in (url, howpublished, note, journal):
            if text:
                ids_in_text(value(text), ids)
        ids.discard("")
        frozen = _with_arxiv_doi(ids) if ids else _NO_IDS
        preprint = False
        if entry_type in PREPRINT_TYPES:
            venue = journal or journaltitle or booktitle
            other = (howpublished, publisher, note, archiveprefix, eprinttype)
            preprint = is_preprint(
                entry_type, value(venue) if venue else "", frozen, [value(v) for v in other if v]
            )
        return _new_record(
            key,
            entry_type,
            plain(value(title)) if title else "",
            self.families(value(author)) if author else (),
            parse_year(value(year) if year else None, value(date) if date else None),
            frozen,
            Origin(self.source, self.line),
            preprint,
        )


def _pieces(chunks: Iterable[str]) -> Iterator[str]:
    """Whole blocks at a time: each piece ends just before a line that starts a block.

    No block runs past such a line (bibtexparser's recovery rule, kept here), so pieces can be
    read one by one and the file is never in memory as a whole.
    """
    pending = ""
    for chunk in chunks:
        pending += chunk
        cut = len(pending)
        while (cut := pending.rfind("\n@", 0, cut)) >= 0:
            if _CUT.match(pending, cut + 1):
                break
        if cut > 0:
            yield pending[: cut + 1]
            pending = pending[cut + 1 :]
    if pending:
        yield pending


def read_bibtex(path: str) -> Library:
    """A .bib file: UTF-8, or Latin-1 (with a problem saying so) where it is not UTF-8."""
    reader = _BibReader(path)
    for piece in _pieces(_latin1_chunks(path)):
        reader.feed(piece)
    return reader.library


# --- RIS --------------------------------------------------------------------------------------

RIS_TYPES = {
    "JOUR": "article",
    "JFULL": "article",
    "EJOUR": "article",
    "MGZN": "article",
    "NEWS": "article",
    "INPR": "article",
    "CONF": "inproceedings",
    "CPAPER": "inproceedings",
    "BOOK": "book",
    "EBOOK": "book",
    "EDBOOK": "book",
    "CHAP": "incollection",
    "ECHAP": "incollection",
    "THES": "phdthesis",
    "RPRT": "techreport",
    "UNPB": "unpublished",
    "MANSCPT": "unpublished",
    "GEN": "misc",
    "ELEC": "misc",
    "WEB": "misc",
    "DATA": "misc",
    "COMP": "misc",
}
_RIS_LINE = re.compile(r"([A-Z][A-Z0-9])  -(?: (.*))?$")
_CITATION_KEY = re.compile(r"Citation Key:\s*(\S+)", re.IGNORECASE)
_RIS_TITLE = ("TI", "T1", "CT", "BT")
_RIS_AUTHORS = ("AU", "A1")
_RIS_YEAR = ("PY", "Y1", "DA", "Y2")
_RIS_URL = ("UR", "L1", "L2", "LK")
_RIS_NOTES = ("N1", "M1", "M2", "M3", "AN", "NV")
_RIS_VENUE = ("T2", "JO", "JF", "J2", "JA")


def _ris_record(tags: Mapping[str, list[str]], line: int, source: str) -> Record:
    def first(names: Iterable[str]) -> str:
        return next((tags[n][0] for n in names if tags.get(n)), "")

    def every(names: Iterable[str]) -> Iterator[str]:
        return (v for n in names for v in tags.get(n, ()))

    entry_type = RIS_TYPES.get(first(("TY",)).strip().upper(), "misc")
    key = first(("ID",))
    if not key:
        key = next((m.group(1) for v in every(_RIS_NOTES) if (m := _CITATION_KEY.search(v))), "")
    ids: set[str] = {normalise_id("doi", v) for v in every(("DO",))}
    for value in every((*_RIS_URL, *_RIS_NOTES)):
        ids_in_text(value, ids)
    ids.discard("")
    frozen = _with_arxiv_doi(ids)
    families = tuple(f for f in (person_family(a) for a in every(_RIS_AUTHORS)) if f)
    venue = first(_RIS_VENUE)
    return Record(
        key=key.strip(),
        entry_type=entry_type,
        title=collapse_space(first(_RIS_TITLE)),
        families=families,
        year=parse_year(*every(_RIS_YEAR)),
        ids=frozen,
        origin=Origin(source, line),
        preprint=is_preprint(entry_type, venue, frozen, every(("PB", *_RIS_NOTES))),
    )


def read_ris(path: str) -> Library:
    """RIS: ``TY  -`` starts a record, ``ER  -`` ends it; lines without a tag continue one."""
    library = Library(path, "ris")
    tags: dict[str, list[str]] | None = None
    last: list[str] | None = None
    start = 0
    for number, line in enumerate(_read_text(path).splitlines(), start=1):
        m = _RIS_LINE.match(line.rstrip())
        if m is None:
            if line.strip() and last is not None:
                last[-1] += " " + line.strip()
            elif line.strip() and tags is None:
                library.problems.append(Problem("text outside a TY..ER record", path, number))
            continue
        tag, value = m.group(1), (m.group(2) or "").strip()
        if tag == "TY":
            if tags is not None:
                library.problems.append(
                    Problem("record has no ER line; it ends where the next begins", path, start)
                )
                _add(library, _ris_record(tags, start, path))
            tags, start = {}, number
        elif tags is None:
            library.problems.append(Problem(f"{tag} line outside a TY..ER record", path, number))
            last = None
            continue
        if tag == "ER":
            _add(library, _ris_record(tags, start, path))
            tags, last = None, None
            continue
        last = tags.setdefault(tag, [])
        last.append(value)
    if tags is not None:
        library.problems.append(Problem("record has no ER line", path, start))
        _add(library, _ris_record(tags, start, path))
    return library


def _add(library: Library, record: Record) -> None:
    if record.key:
        if record.key in library.keys:
            library.problems.append(
                Problem(
                    f"key {record.key!r} is used by an earlier record too",
                    library.path,
                    record.origin.line,
                )
            )
        library.keys.add(record.key)
    library.records.append(record)


# --- CSL-JSON ---------------------------------------------------------------------------------

CSL_TYPES = {
    "paper-conference": "inproceedings",
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "article": "misc",  # CSL's "article" is a preprint or working paper
    "chapter": "incollection",
    "book": "book",
    "thesis": "phdthesis",
    "report": "techreport",
    "manuscript": "unpublished",
    "webpage": "misc",
    "post-weblog": "misc",
    "dataset": "misc",
    "software": "misc",
}
_HTML_TAG = re.compile(r"</?(?:i|b|sup|sub|sc|span)\b[^>]*>", re.IGNORECASE)


def _csl_text(value: object) -> str:
    return str(value) if isinstance(value, (str, int, float)) else ""


def _csl_family(person: object) -> str:
    if not isinstance(person, dict):
        return ""
    if family := _csl_text(person.get("family")):
        return fold(family).lower()
    literal = _csl_text(person.get("literal"))
    if literal and literal.lower() not in ET_AL:
        return fold(literal).lower() if is_organisation(literal) else person_family(literal)
    return ""


def _csl_year(issued: object) -> int | None:
    if isinstance(issued, dict):
        parts = issued.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            try:
                return int(parts[0][0])
            except (TypeError, ValueError):
                pass
        return parse_year(_csl_text(issued.get("raw")), _csl_text(issued.get("literal")))
    return parse_year(_csl_text(issued))


def _csl_record(item: Mapping[str, Any], line: int, source: str) -> Record:
    entry_type = CSL_TYPES.get(_csl_text(item.get("type")), "misc")
    ids: set[str] = set()
    if doi := _csl_text(item.get("DOI")):
        ids.add(normalise_id("doi", doi))
    for name in ("URL", "number", "note", "archive_location", "container-title"):
        ids_in_text(_csl_text(item.get(name)), ids)
    ids.discard("")
    frozen = _with_arxiv_doi(ids)
    authors = item.get("author")
    families = tuple(
        f for f in (_csl_family(a) for a in (authors if isinstance(authors, list) else ())) if f
    )
    key = _csl_text(item.get("citation-key")) or _csl_text(item.get("id"))
    return Record(
        key=key,
        entry_type=entry_type,
        title=collapse_space(_HTML_TAG.sub("", _csl_text(item.get("title")))),
        families=families,
        year=_csl_year(item.get("issued")),
        ids=frozen,
        origin=Origin(source, line),
        preprint=is_preprint(
            entry_type,
            _csl_text(item.get("container-title")),
            frozen,
            (_csl_text(item.get(n)) for n in ("publisher", "archive", "genre", "number")),
        ),
    )


def read_csl_json(path: str) -> Library:
    """CSL-JSON: an array of items, each reported at the line where it starts."""
    library = Library(path, "csl-json")
    text = _read_text(path)
    decoder = json.JSONDecoder()
    try:
        json.loads(text)  # every syntax error, with its line, before anything is read
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", path, exc.lineno) from None
    pos = _skip_space(text, 0)
    if not text.startswith("[", pos):
        raise InputError("CSL-JSON must be an array of items ([{...}, ...])", path, 1)
    line, counted = 1, 0
    pos = _skip_space(text, pos + 1)
    while not text.startswith("]", pos):
        line += text.count("\n", counted, pos)
        counted = pos
        item, pos = decoder.raw_decode(text, pos)
        if isinstance(item, dict):
            _add(library, _csl_record(item, line, path))
        else:
            library.problems.append(Problem("item is not an object; skipped", path, line))
        pos = _skip_space(text, pos)
        if text.startswith(",", pos):
            pos = _skip_space(text, pos + 1)
    return library


# --- by file name -------------------------------------------------------------------------------


def read_zotero(path: str) -> Library:
    """Zotero's zotero.sqlite (see :mod:`bibexport.zotero`; imported only when used)."""
    from .zotero import read_zotero as read

    return read(path)


READERS: dict[str, Callable[[str], Library]] = {
    "bibtex": read_bibtex,
    "ris": read_ris,
    "csl-json": read_csl_json,
    "zotero": read_zotero,
}
SUFFIXES = {
    ".bib": "bibtex",
    ".bibtex": "bibtex",
    ".biblatex": "bibtex",
    ".ris": "ris",
    ".json": "csl-json",
    ".csl": "csl-json",
    ".csljson": "csl-json",
    ".sqlite": "zotero",
}


def library_format(path: str) -> str:
    """The format a file name says; an unknown suffix is sniffed from the first characters."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    with _open(path) as stream:
        raw = stream.read(_SNIFF)
    if raw.startswith(b"SQLite format 3\x00"):
        return "zotero"  # zotero.sqlite.bak, or a copy under another name
    head = raw.decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    if head.startswith("["):
        return "csl-json"
    if re.match(r"TY  -", head):
        return "ris"
    return "bibtex"


def read_library(path: str, format: str | None = None) -> Library:
    """Read an existing library; its problems are collected, never fatal.

    Raises InputError only when the file cannot be read as a library at all: missing, not
    text, undecodable (RIS, JSON), or JSON that does not parse.
    """
    name = format or library_format(path)
    if name not in READERS:
        raise InputError(f"unknown library format {name!r}; known: {', '.join(READERS)}", path)
    if name not in CACHED:
        return READERS[name](path)
    from . import libcache

    library: Library | None = libcache.load(path, name)
    if library is None:
        library = READERS[name](path)
        libcache.store(path, name, library)
    return library


# Text libraries are worth caching (parsing is most of a merge); Zotero's database is not:
# it is read through SQLite's index, and changes whenever Zotero runs.
CACHED = frozenset({"bibtex", "ris", "csl-json"})
