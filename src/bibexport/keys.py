"""Citation keys: the Scholar convention by default, JabRef-style patterns, collision suffixes.

Keys are folded to ASCII (unidecode) because BibTeX, biber and LaTeX all choke on anything else
somewhere, and they are unique case-insensitively because BibTeX compares them that way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Protocol

from ._dataclass import dataclass
from ._lazy import lazy
from .errors import BibexportError
from .model import PAPER_AS_WRITTEN, Origin, Paper, Person, Venue, new_paper
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
_MARKER = lazy(globals(), "_MARKER", r"\[([^\[\]]+)\]")
_LITERAL_OK = lazy(globals(), "_LITERAL_OK", r"[A-Za-z0-9_:.+/-]*")


class KeyPatternError(BibexportError, ValueError):
    """A --key-pattern that uses an unknown marker or modifier, or unsafe literal text."""


def fold(text: str) -> str:
    """ASCII letters and digits only: ``Sarıyıldız`` -> ``Sariyildiz``, TeX markup dropped."""
    if text.isascii() and not ("\\" in text or "{" in text or "}" in text or "$" in text):
        return "".join(_ALNUM.findall(text))  # as in title_words: the rest would change nothing
    return "".join(_ALNUM.findall(_to_ascii(_TEX_COMMAND.sub("", strip_invisible(text)))))


@lru_cache(maxsize=1 << 16)  # a name recurs across papers: folded once
def _fold_name(name: str) -> str:
    return fold(name)


def title_words(title: str) -> list[str]:
    """Maximal runs of letters and digits after folding, so hyphens split words."""
    return _ALNUM.findall(_folded_title(title))


def _folded_title(title: str) -> str:
    """The title as :func:`title_words` cuts it into words: TeX commands out, folded to ASCII."""
    # Every match of _TEX_COMMAND holds one of these characters; four ``in`` tests (each a scan
    # in C) cost less than a regex search that finds nothing, as in most titles.
    if not ("\\" in title or "{" in title or "}" in title or "$" in title):
        if title.isascii():  # nothing invisible (no such character is ASCII), nothing to fold
            return title
        return _to_ascii(strip_invisible(title))
    return _to_ascii(_TEX_COMMAND.sub(" ", strip_invisible(title)))


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _to_ascii(text: str) -> str:
    """``unidecode(text)``, faster: it transliterates character by character, so only the
    runs that are not ASCII go through it (and a run seen before is not looked up again)."""
    if text.isascii():
        return text
    return _NON_ASCII.sub(_ascii_run, text)


def _ascii_run(m: re.Match[str]) -> str:
    return _unidecode_run(m.group())


@lru_cache(maxsize=8192)
def _unidecode_run(text: str) -> str:
    from unidecode import unidecode

    return str(unidecode(text))


def _significant(words: list[str], skip: frozenset[str]) -> list[str]:
    return [w for w in words if w.lower() not in skip]


def _last_name(person: Person) -> str:
    """Family name without particles, as JabRef's [auth] and DBLP use it."""
    return _fold_name(person.literal or person.family)


def _capitalise(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def scholar_title_word(title: str) -> str:
    """First word after Scholar's leading function words (``No``, ``Can``, ``Does`` stay).

    The words of :func:`title_words`, looked for one at a time: the first or second is nearly
    always the one, and the rest of the title need not be cut into words (every paper's key;
    tests/test_paper3_fast.py checks it against the list of them all).
    """
    rest = title
    while True:  # most titles: the word is among the first that are their own runs
        word, space, rest = rest.partition(" ")
        if not (word.isascii() and word.isalnum()):
            break  # a word with other characters than _ALNUM's: the general way
        if word.lower() not in SCHOLAR_SKIP:
            # Each word before it, and it, is a whole run of _ALNUM's characters between
            # spaces (or the title's start and end), and nothing folding or dropping TeX does
            # changes those words or the spaces between them: they are the title's first words.
            return word
        if not space:
            break
    if not title.isascii() and not ("\\" in title or "{" in title or "}" in title or "$" in title):
        # Folding changes no ASCII character and reads runs of the others alone, so a word
        # the title holds before any of them, and followed by an ASCII character, is a word
        # of the folded title too: the word looked for is most often found so, in the first
        # words, without folding the title (unidecode and two regex passes over the text).
        m = _ALNUM.search(title)
        while m is not None and title[: m.end() + 1].isascii():
            if m.group().lower() not in SCHOLAR_SKIP:
                return m.group()
            m = _ALNUM.search(title, m.end())
    text = _folded_title(title)
    m = _ALNUM.search(text)
    if m is None:
        return ""
    first = word = m.group()
    while word.lower() in SCHOLAR_SKIP:
        m = _ALNUM.search(text, m.end())
        if m is None:
            return first
        word = m.group()
    return word


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
# Compiled when a pattern has a marker of no other name (_lazy), not in every run.
_AUTHORS_N = lazy(globals(), "_AUTHORS_N", r"authors(\d+)")
_AUTH_N = lazy(globals(), "_AUTH_N", r"auth(\d+)")
_PARAMETRISED = (
    (_AUTHORS_N, lambda p, n: _authors_n(p, n)),
    (_AUTH_N, lambda p, n: _first_author(p)[:n]),
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
    family = ""
    for person in paper.authors:  # _authors(paper)[0], without the list of them all
        if person.literal != "others":
            family = _fold_name(person.literal or person.family)  # _last_name(person), inline
            break
    # paper.venue.year: Paper.year, without the property's call (every paper's key)
    return f"{family}{paper.venue.year or ''}{scholar_title_word(paper.title)}".lower()


def collision_suffix(n: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa: the suffixes Better BibTeX and JabRef append."""
    letters = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("a") + rem) + letters
    return letters


# --- presets: the keys other tools would give ----------------------------------------------
#
# Each preset reproduces one tool's *default* key for a paper, so a merge into a library that
# tool keeps gets keys that look like the rest. Where a tool's rule would produce a key that is
# not plain ASCII (OpenReview writes TeX into keys, JabRef keeps letters its table misses),
# the preset folds it with unidecode: a key LaTeX cannot cite is worse than a near miss.

# Better BibTeX's default skipWords preference, for shorttitle/title. Source:
# retorquere/zotero-better-bibtex, the skipWords default in its preferences (documented at
# https://retorque.re/zotero-better-bibtex/installation/preferences/hidden-preferences/).
BBT_SKIP_WORDS = frozenset(
    """a ab aboard about above across after against al along amid among an and anti around as
    at before behind below beneath beside besides between beyond but by d da das de del dell
    dello dei degli della delle dem den der des despite die do down du during ein eine einem
    einen einer eines el en et except for from gli i il in inside into is l la las le les like
    lo los near nor of off on onto or over past per plus round save since so some sur than the
    through to toward towards un una unas under underneath une unlike uno unos until up upon
    versus via von while with within without yet zu zum""".split()
)
# citekeyUnsafeChars default (removed, with whitespace, from the finished key).
_BBT_UNSAFE = lazy(globals(), "_BBT_UNSAFE", r"""[\\"#%'(),={}~\s\ufffd]""")
_BBT_MARKUP = lazy(globals(), "_BBT_MARKUP", r"</?(?:i|b|sc|nc|code|span[^>]*)>|\"", re.IGNORECASE)
# compromise (BBT's tokeniser) splits words at spaces and dashes; BBT glues back only the
# parts an ASCII hyphen joined ("Text-to-Image" is one word), so other dashes split words.
_BBT_SPLIT = lazy(globals(), "_BBT_SPLIT", r"[\s\u2013\u2014]+")
_BBT_DASHES = {"\u2500", "\uff0d", "\u2015"}  # Pd, plus the pseudo-dashes BBT adds (#1880)


def _bbt_nopunct(word: str) -> str:
    """BBT's ``nopunct(word, '')``: dashes and Unicode punctuation (Ps Pe Pi Pf Po) go."""
    import unicodedata

    return "".join(
        c
        for c in word
        if c not in _BBT_DASHES
        and unicodedata.category(c) not in ("Pd", "Ps", "Pe", "Pi", "Pf", "Po")
    )


def bbt_title_words(title: str) -> list[str]:
    """Better BibTeX's ``titleWords(title, {skipWords, nopunct, transliterate})``.

    Markup and double quotes go, ``/`` and ``:`` split words, one-letter words (not digits)
    and skip words are dropped, the rest transliterated to ASCII.
    """
    from unidecode import unidecode

    text = _TEX_COMMAND.sub("", strip_invisible(title))
    text = re.sub(r"[/:]", " ", _BBT_MARKUP.sub("", text))
    words = []
    for token in _BBT_SPLIT.split(text):
        word = _bbt_nopunct(token)
        if not word or (len(word) == 1 and not word.isdigit()):
            continue
        word = unidecode(word)
        if word and word.lower() not in BBT_SKIP_WORDS:
            words.append(word)
    return words


def _family_with_particle(person: Person) -> str:
    """The family name as Zotero and the Anthology store it: ``van der Maaten``."""
    return person.literal or person.full_family


def bbt_key(paper: Paper) -> str:
    """``auth.lower + shorttitle(3,3) + year``: ``galImageWorthOne2023``.

    Source: the citekeyFormat default and ``$shorttitle``/``$auth`` in
    retorquere/zotero-better-bibtex content/key-manager/formatter.ts. shorttitle(3,3) takes
    the first three title words and upper-cases the first letter of each, leaving the rest as
    written (``UNICORN`` stays); ``auth`` is Zotero's last name, particle included. The whole
    key is then folded to ASCII (citekeyFold) and stripped of unsafe characters and spaces,
    so a hyphen in a name stays (``cohen-orImage...``).
    """
    from unidecode import unidecode

    authors = _authors(paper)
    auth = _family_with_particle(authors[0]).lower() if authors else ""
    short = "".join(w[:1].upper() + w[1:] for w in bbt_title_words(paper.title)[:3])
    key = unidecode(f"{auth}{short}{paper.year or ''}")
    return _BBT_UNSAFE.sub("", key)


# JabRef's CitationKeyGenerator: DEFAULT_UNWANTED_CHARACTERS and DISALLOWED_CHARACTERS are
# removed from every field's text, then StringUtil.replaceSpecialCharacters (ä -> ae, é -> e).
_JABREF_REMOVE = lazy(globals(), "_JABREF_REMOVE", r"[-`\u02b9:!;?^{}(),=\\\"#%~'\s]")
_JABREF_SPECIAL = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


def jabref_key(paper: Paper) -> str:
    """JabRef's default pattern ``[auth][year]``: ``Gal2023``.

    Source: JabRef/jabref CitationKeyGenerator.java (unwanted characters, key suffixes) and the
    default pattern documented at https://docs.jabref.org/setup/citationkeypatterns. [auth] is
    the first author's last name without the von part, case kept; umlauts become ae/oe/ue as in
    JabRef's character table, and what that table lacks is folded with unidecode.
    """
    from unidecode import unidecode

    authors = _authors(paper)
    auth = (authors[0].literal or authors[0].family) if authors else ""
    auth = _TEX_COMMAND.sub("", strip_invisible(auth))
    auth = unidecode(_JABREF_REMOVE.sub("", auth).translate(_JABREF_SPECIAL))
    return _JABREF_REMOVE.sub("", auth) + str(paper.year or "")


# The ACL Anthology's stop words: the English list of the stop-words package at the version the
# Anthology pins (stop-words==2018.7.23 in acl-org/acl-anthology python/pyproject.toml), each
# word slugified and split at hyphens as python/acl_anthology/text/stopwords.py does.
ACL_STOP_WORDS = frozenset(
    """a about above after again against all am an and any are aren as at be because been before
    being below between both but by can cannot could couldn d did didn do does doesn doing don
    down during each few for from further had hadn has hasn have haven having he her here hers
    herself him himself his how i if in into is isn it its itself let ll m me more most mustn my
    myself no nor not of off on once only or other ought our ours ourselves out over own re s
    same shan she should shouldn so some such t than that the their theirs them themselves then
    there these they this those through to too under until up ve very was wasn we were weren
    what when where which while who whom why with won would wouldn you your yours yourself
    yourselves""".split()
)
_SLUG_ENTITY = lazy(globals(), "_SLUG_ENTITY", r"&(\w+);|&#(\d+);|&#[xX]([\da-fA-F]+);")


def slugify(text: str) -> str:
    """python-slugify's ``slugify(text)`` with the unidecode backend, as ACL Anthology calls it.

    An ASCII apostrophe becomes a hyphen (``What's`` -> ``what-s``), the text is folded and
    lower-cased, commas between digits go, every other run of non-alphanumerics is one hyphen.
    """
    import unicodedata
    from html.entities import name2codepoint

    from unidecode import unidecode

    def entity(m: re.Match[str]) -> str:
        if m.group(1):
            code = name2codepoint.get(m.group(1))
            return chr(code) if code is not None else m.group(0)
        return chr(int(m.group(2))) if m.group(2) else chr(int(m.group(3), 16))

    text = re.sub(r"'+", "-", text)
    text = unidecode(unicodedata.normalize("NFKD", text))
    text = unicodedata.normalize("NFKD", _SLUG_ENTITY.sub(entity, text)).lower()
    text = re.sub(r"'+", "", text)
    text = re.sub(r"(?<=\d),(?=\d)", "", text)
    text = re.sub(r"[^-a-zA-Z0-9]+", "-", text)
    return re.sub(r"-{2,}", "-", text).strip("-")


def acl_parts(paper: Paper) -> tuple[str, list[str]]:
    """The ACL Anthology's key and the title words it appends, in order, when the key is taken.

    Source: BibkeyIndex.generate_bibkey in acl-org/acl-anthology
    python/acl_anthology/collections/bibkeys.py: one or two authors' slugified last names
    joined by ``-``, else the first one's and ``-etal``; the year; the first title word that is
    not a stop word (``gal-etal-2023-image``).
    """
    authors = _authors(paper)
    if not authors:
        names = "nn"
    elif len(authors) > 2:
        names = f"{slugify(_family_with_particle(authors[0]))}-etal"
    else:
        names = "-".join(slugify(_family_with_particle(a)) for a in authors)
    title = _TEX_COMMAND.sub("", strip_invisible(paper.title))
    slugs = slugify(title).split("-")
    words = [w for w in slugs if w not in ACL_STOP_WORDS]
    if not words:
        words = [*slugs, "0"]
    return f"{names}-{paper.year or ''}-{words[0]}", words[1:]


def acl_key(paper: Paper) -> str:
    """``gal-etal-2023-image``: see :func:`acl_parts`."""
    return acl_parts(paper)[0]


# --- ML Anthology (https://mlanthology.org) ------------------------------------------------
#
# Source: rbnyng/mlanthology adapters/common.py: make_bibtex_key, first_content_word,
# normalize_text, _strip_latex, parse_author_name, resolve_bibtex_collisions. Keys are
# ``{lastname}{year}{venue}-{first_content_word}`` (``gal2023iclr-image``), the venue being
# the lower-cased short name every adapter passes in (VENUE_MAP in common.py, ``venue.lower()``
# in adapters/openreview.py and adapters/pmlr.py, "neurips" in adapters/neurips.py, "acl",
# "emnlp", "naacl" in the ACL Anthology adapter).

# first_content_word's stopwords, verbatim.
MLANTHOLOGY_STOP_WORDS = frozenset(
    """a an the on in at of for to and or with by from is are was were be been being do does did
    can could will would shall should may might must have has had not no nor but yet so if then
    than that this these those it its as into through about above below between under over
    after before during without toward towards how what when where which who whom why""".split()
)
# parse_author_name's _NAME_PARTICLES: lower-case only, matched case-sensitively.
MLANTHOLOGY_PARTICLES = frozenset(
    "van von de del della der den di du das dos do da le la el al bin ibn ten ter het".split()
)
_MLA_TOKEN = lazy(globals(), "_MLA_TOKEN", r"[a-zA-Z0-9]+(?:-[a-zA-Z0-9]+)*")


def _mla_normalize(text: str) -> str:
    """normalize_text: NFKD, then drop what is not ASCII (``ı``, ``ł``, ``ø`` go, they do not
    decompose); unidecode only when nothing at all is left."""
    import unicodedata

    result = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    if not result.strip() and text.strip():
        from unidecode import unidecode

        result = unidecode(text)
    return result


def _mla_strip_latex(text: str) -> str:
    """_strip_latex: ``\\cmd{x}`` -> ``x`` (repeatedly), bare commands and ``$ { }`` removed."""
    prev = None
    while prev != text:
        prev = text
        text = re.sub(r"\\[a-zA-Z]+\{([^}]*)\}", r"\1", text)
    text = re.sub(r"\\[a-zA-Z]+", "", text)
    return re.sub(r"[${}]", "", text)


def mlanthology_word(title: str) -> str:
    """first_content_word: the first token (hyphenated compounds whole, hyphens then dropped:
    ``Text-to-Image`` -> ``texttoimage``) of two or more characters, not a stop word, with a
    letter in it; else the first token with a letter; else ``paper``."""
    from html import unescape

    tokens = _MLA_TOKEN.findall(_mla_strip_latex(_mla_normalize(unescape(title))))
    slugs = [re.sub(r"[^a-z0-9]", "", t.lower()) for t in tokens]
    for slug in slugs:
        if len(slug) >= 2 and slug not in MLANTHOLOGY_STOP_WORDS and re.search("[a-z]", slug):
            return slug
    return next((slug for slug in slugs if re.search("[a-z]", slug)), "paper")


def mlanthology_family(person: Person) -> str:
    """The family name ML Anthology keys on: parse_author_name of the name as one string.

    OpenReview (ICLR, TMLR) and NeurIPS give names as strings, which parse_author_name splits:
    the last word, or from a lower-case particle on (``van der Maaten``); ``Van Roy`` gives
    ``Roy``, and a suffix, being the last word, is the family name (``Smith Jr.`` -> ``Jr.``).
    A person with no given name (a library's family name alone) is taken as written.
    """
    if not person.literal and not person.given:
        return person.full_family
    name = person.literal or " ".join(
        p for p in (person.given, person.particle, person.family, person.suffix) if p
    )
    parts = name.split()
    if len(parts) <= 1:
        return name.strip()
    start = len(parts) - 1
    for i in range(1, len(parts) - 1):
        if parts[i] in MLANTHOLOGY_PARTICLES:
            start = i
            break
    return " ".join(parts[start:])


def mlanthology_venue(venue: Venue) -> str:
    """``ICLR`` -> ``iclr``, ``NeurIPS`` -> ``neurips``: VENUE_MAP is the short name lower-cased
    for every venue bibexport knows. Anything but ASCII letters, digits and ``-`` is dropped,
    so an unknown venue written with spaces still makes a key."""
    return re.sub(r"[^a-z0-9-]", "", _mla_normalize(venue.short).lower())


def mlanthology_key(paper: Paper) -> str:
    """``gal2023iclr-image``: make_bibtex_key in rbnyng/mlanthology adapters/common.py.

    The first author's family name (see :func:`mlanthology_family`) folded by normalize_text,
    lower-cased, with everything but a-z removed (``Cohen-Or`` -> ``cohenor``, ``O'Neil`` ->
    ``oneil``, ``Sarıyıldız`` -> ``saryldz``); the year; the venue; ``-``; the title word of
    :func:`mlanthology_word`.
    """
    authors = _authors(paper)
    family = mlanthology_family(authors[0]) if authors else ""
    last = re.sub(r"[^a-z]", "", _mla_normalize(family).lower())
    venue = mlanthology_venue(paper.venue)
    return f"{last}{paper.year or ''}{venue}-{mlanthology_word(paper.title)}"


def openreview_key(paper: Paper) -> str:
    """``gal2023an``: what OpenReview's BibTeX export calls a paper.

    Source: generate_bibtex in openreview/openreview-py openreview/tools.py: the last
    space-separated word of the first author's name, lower-cased, the year, and the title's
    first space-separated word, lower-cased, with everything but ASCII letters removed (no stop
    words skipped: ``An`` -> ``an``, ``UNIFIED-IO:`` -> ``unifiedio``). OpenReview turns
    non-ASCII letters in the name into TeX (``m{\\"u}ller``); here they are folded instead, and
    only letters, digits and ``. + / _ : -`` are kept, so the key can be cited.
    """
    from unidecode import unidecode

    authors = _authors(paper)
    last = ""
    if authors:
        person = authors[0]
        name = person.literal or " ".join(
            p for p in (person.given, person.particle, person.family, person.suffix) if p
        )
        last = name.split(" ")[-1].lower()
    last = re.sub(r"[^a-z0-9.+/_:-]", "", unidecode(last).lower())
    words = paper.title.split(" ")
    first = re.sub("[^a-zA-Z]", "", words[0].lower()) if words else ""
    return f"{last}{paper.year or ''}{first}"


@dataclass(frozen=True, slots=True)
class Preset:
    """One tool's default key convention (``--keys NAME``)."""

    name: str
    key: Callable[[Paper], str]
    example: str  # paper #1 of the example listing, for --help and the docs
    tool: str
    # How collisions are settled (see KeyAssigner): "letters" appends a, b, ...; "acl" more
    # title words, then -2, -3; "mlanthology" -a, -b, ...
    collisions: str = "letters"


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset("scholar", scholar_key, "gal2023image", "Google Scholar"),
        Preset("bbt", bbt_key, "galImageWorthOne2023", "Better BibTeX for Zotero"),
        Preset("jabref", jabref_key, "Gal2023", "JabRef"),
        Preset("anthology", mlanthology_key, "gal2023iclr-image", "ML Anthology", "mlanthology"),
        Preset("acl", acl_key, "gal-etal-2023-image", "ACL Anthology", "acl"),
        Preset("openreview", openreview_key, "gal2023an", "OpenReview"),
    )
}
AUTO = "auto"  # --keys auto: follow the libraries' convention (see ConventionVotes)


def get_preset(name: str) -> Preset:
    preset = PRESETS.get(name.lower())
    if preset is None:
        known = ", ".join([*PRESETS, AUTO])
        raise KeyPatternError(f"unknown --keys preset {name!r}; known: {known}")
    return preset


_SUFFIX = lazy(globals(), "_SUFFIX", r"[a-z]{0,2}")
_ACL_TAIL = lazy(globals(), "_ACL_TAIL", r"[a-z0-9]*")
_MLA_COLLISION_END = lazy(globals(), "_MLA_COLLISION_END", r"-[a-z]{1,2}$")
_MLA_VENUE = lazy(globals(), "_MLA_VENUE", r"[a-z][a-z0-9-]*")
_MLA_PARTS = lazy(
    globals(), "_MLA_PARTS", r"([a-z]*[0-9]+)[a-z0-9-]*-([a-z0-9]+)"
)  # name+year, venue, word


def _squash(key: str) -> str:
    """A key's letters and digits: TeX (``m{\\"u}ller``), hyphens and dots do not count."""
    return fold(key)


def reproduces(preset: str, existing: str, expected: str, year: int | None) -> bool:
    """Whether ``existing`` is the key ``preset`` gives a record, a collision suffix aside.

    Letters and digits are compared (a library's names are folded, so ``cohen-or`` and
    ``cohenor`` are one name); case tells the conventions apart where it can: Scholar,
    OpenReview and both Anthologies' keys are lower case, JabRef's start with a capital, BBT's
    title words are capitalised as BBT would. An ML Anthology key is matched whole, with any
    venue in it: a library record's venue is not known (``gal2023iclr-image`` against the
    expected ``gal2023-image``), and its hyphen tells it from Scholar's ``gal2023image``.
    """
    if preset == "anthology":
        parts = _MLA_PARTS.fullmatch(expected)
        if not parts:
            return False
        head, word = parts.groups()
        if not existing.startswith(head):
            return False
        rest = existing[len(head) :]  # venue-word, perhaps with -a: no regex built per record
        for tail in (rest, _MLA_COLLISION_END.sub("", rest)):
            if tail.endswith("-" + word) and _MLA_VENUE.fullmatch(tail[: -len(word) - 1]):
                return True
        return False
    have, want = _squash(existing), _squash(expected)
    if not want:
        return False
    if preset == "bbt":
        return have.startswith(want) and bool(_SUFFIX.fullmatch(have[len(want) :]))
    have_lower = have.lower()
    if not have_lower.startswith(want.lower()):
        return False
    rest = have_lower[len(want) :]
    if preset == "jabref":
        return existing[:1].isupper() and bool(_SUFFIX.fullmatch(rest))
    if existing != existing.lower():
        return False
    if preset == "acl":
        return f"-{year}-" in existing and bool(_ACL_TAIL.fullmatch(rest))
    return bool(_SUFFIX.fullmatch(rest))


class LibraryRecord(Protocol):
    """What ConventionVotes reads of a records.Record (keys.py imports no reader)."""

    @property
    def key(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def families(self) -> tuple[str, ...]: ...
    @property
    def year(self) -> int | None: ...


class ConventionVotes:
    """``--keys auto``: which preset a library's keys follow, counted record by record.

    Each record's own authors, year and title give each preset's key; a preset scores when it
    reproduces the record's existing key (collision suffixes ignored). A large library is
    sampled evenly (SAMPLE records at most), since computing every preset's key per record costs
    several times what reading it does, and a convention shows in any thousand of its keys.
    """

    MIN_KEYS = 3  # fewer reproduced keys than this is no convention, just chance
    SAMPLE = 500  # records looked at per library, at most (0.3 ms each)

    def __init__(self) -> None:
        self.sources: list[str] = []
        self.records = 0  # records in the libraries
        self.considered = 0  # records looked at that have a key, an author, a year and a title
        self.sampled = False
        self.scores = dict.fromkeys(PRESETS, 0)

    def add_library(self, source: str, records: Sequence[LibraryRecord]) -> None:
        """One library's records (families: authors' family names, as records.Record has them)."""
        self.sources.append(source)
        self.records += len(records)
        step = -(-len(records) // self.SAMPLE) or 1
        self.sampled = self.sampled or step > 1
        for record in records[::step]:
            self.add(source, record.key, record.title, record.families, record.year)

    def add(
        self, source: str, key: str, title: str, families: tuple[str, ...], year: int | None
    ) -> None:
        """One record, by its parts."""
        if not (key and title and families and year):
            return
        self.considered += 1
        view = Paper(
            title=title,
            authors=tuple(Person(family=f) for f in families),
            venue=Venue(short="", year=year),
            origin=Origin(source, 0),
        )
        for name, preset in PRESETS.items():
            if reproduces(name, key, preset.key(view), year):
                self.scores[name] += 1

    def verdict(self) -> tuple[str, str]:
        """The preset to use and the note that says why, for stderr.

        The winner must reproduce at least half the keys and at least MIN_KEYS of them, and
        beat every other preset; otherwise (mixed, unknown or tiny libraries) Scholar's.
        """
        if not self.sources:
            return "scholar", "keys: auto: no library to follow; scholar convention"
        where = ", ".join(self.sources)
        if not self.considered:
            return "scholar", f"keys: no keys to follow in {where}; scholar convention"
        best = max(self.scores.values())
        leaders = [name for name, score in self.scores.items() if score == best]
        name = "scholar" if "scholar" in leaders else leaders[0]  # a tie with it: the default
        counted = f"{best} of {self.considered} keys in {where}"
        if self.sampled:
            counted = f"{best} of {self.considered} keys sampled from {self.records:,} in {where}"
        tied = len(leaders) > 1 and name != "scholar"
        if tied or best < self.MIN_KEYS or 2 * best < self.considered:
            return "scholar", f"keys: no clear convention ({name}: {counted}); scholar convention"
        return name, f"keys: {name} convention ({counted})"


class KeyAssigner:
    """Gives each paper a key no earlier paper (or the user's library) holds.

    State is the set of taken keys and a counter per base, so a run is linear in papers.
    """

    def __init__(
        self, pattern: str | None = None, taken: Iterable[str] = (), preset: str | None = None
    ) -> None:
        chosen = get_preset(preset) if preset and not pattern else None
        self._make: Callable[[Paper], str] = (
            KeyPattern.compile(pattern) if pattern else chosen.key if chosen else scholar_key
        )
        # The ACL Anthology settles collisions with more title words, then -2, -3 (bibkeys.py);
        # ML Anthology with -a, -b, ... (resolve_bibtex_collisions in adapters/common.py; after
        # -z it would go on to -{, so here -aa follows as for the letter presets).
        self._collisions = chosen.collisions if chosen else "letters"
        self._taken = {k.casefold() for k in taken}
        self._next: dict[str, int] = {}

    def reserve(self, key: str) -> None:
        self._taken.add(key.casefold())

    def base(self, paper: Paper) -> str:
        return self._make(paper) or "paper"

    def prepare(self, paper: Paper) -> str | tuple[str, list[str]]:
        """What :meth:`assign` needs of a paper (no state: a worker process can find it)."""
        if self._collisions == "acl":
            return acl_parts(paper)
        return self._make(paper) or "paper"  # self.base(paper), inline: every paper's

    def assign(self, paper: Paper) -> str:
        return self.assign_prepared(self.prepare(paper))

    def assign_prepared(self, prepared: str | tuple[str, list[str]]) -> str:
        """The key for a paper :meth:`prepare` saw; unique among those assigned so far."""
        if isinstance(prepared, tuple):
            key, words = prepared[0], list(prepared[1])
            return self._assign_acl(key, words)
        base = prepared
        folded = base.casefold()  # once, not four times: every paper of a run comes here
        taken = self._taken
        if folded not in taken:  # most keys: the base is free, and so has no count yet
            self._next[folded] = 0  # (a base is counted only once it is taken)
            taken.add(folded)
            return base
        n = self._next.get(folded, 0)
        sep = "-" if self._collisions == "mlanthology" else ""
        key = base
        while key.casefold() in self._taken:
            n += 1
            key = base + sep + collision_suffix(n)
        self._next[folded] = n
        self._taken.add(key.casefold())
        return key

    def _assign_acl(self, key: str, words: list[str]) -> str:
        while key.casefold() in self._taken:
            if words:
                key = f"{key}-{words.pop(0)}"
            elif m := re.search(r"-([0-9]+)$", key):
                key = f"{key[: m.start()]}-{int(m.group(1)) + 1}"
            else:
                key = f"{key}-2"
        self._taken.add(key.casefold())
        return key


def with_key(paper: Paper, key: str) -> Paper:
    """``dataclasses.replace(paper, key=key)`` at a fraction of the cost: replace() goes
    through the frozen dataclass's ``__init__``, which sets each field the slow way."""
    if not PAPER_AS_WRITTEN:  # Paper has other fields than these: the safe way
        return replace(paper, key=key)
    return new_paper(
        *(paper.title, paper.authors, paper.venue, paper.origin, paper.abstract),
        *(paper.number, paper.track, key, paper.keywords),
    )
