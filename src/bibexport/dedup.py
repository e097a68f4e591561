"""Which papers a library already holds: title fingerprints, the index, the matching rules.

A paper is compared with the library's entries by these rules, in this order; the first that
holds decides.

1. **Same identifier.** The same DOI, arXiv id or OpenReview id means the same paper, whatever
   the titles or entry types. arXiv versions do not count (``2208.01618v2`` is
   ``2208.01618``), and arXiv's own DOI (``10.48550/arXiv.2208.01618``) is its arXiv id.
2. **Same title and a shared author.** Titles are compared with TeX decoded, braces dropped,
   accents and case folded and everything but letters and digits removed, so
   ``{{Attention}} Is All You Need`` equals ``Attention is all you need.`` and ``Data Set``
   equals ``Dataset``. One family name must be shared: ``Kleindessner, Matth{\\"a}us``
   shares ``kleindessner`` with ``Matthäus Kleindessner``, and a family name of four letters
   or more may start or end the other (``Gool`` and ``Van Gool``). The years must be at most
   one apart, or one of them unknown. The reason given is ``preprint of`` when the library's
   entry is an arXiv (CoRR, bioRxiv...) preprint, which may then be from any earlier year;
   otherwise ``same title and first author`` or ``same title and an author``. When the
   library holds both the venue version and the preprint, the venue version is named.

Those are certain duplicates. These are *possible* duplicates, reported and still added
unless ``--skip-possible`` is given:

3. **Same title, years apart**: rule 2 but for the years (a journal version under the same
   title, or a wrong year). Rules 4 and 5 need a shared author and close years, as rule 2.
4. **Title differs in one word**: both titles have at least four words, and one word is
   added, removed, or replaced by another form of it (``Generator`` and ``Generation``,
   ``Toward`` and ``Towards``, ``Network`` and ``Networks``) or by the same word with a
   one-letter typo (five letters or more). Never when that word has a digit (``EquiformerV2``
   and ``Equiformer``, ``Llama 2`` and ``Llama 3``), is a comparative (``Fast`` and
   ``Faster``), or is a negation added or removed (``not``, ``no``, ``without``...).
5. **Same short title**: one title is the other's part before its first colon (``DreamBooth``
   and ``DreamBooth: Fine Tuning Text-to-Image Diffusion Models...``), with the same first
   author.

So titles that only share a beginning are new papers (``Fast R-CNN`` and ``Faster R-CNN:
Towards Real-Time Object Detection...``), and so are equal titles without a shared author.
Every rule is answered from dictionaries (by identifier, by fingerprint, by each two thirds of
a title's words, by short title), so a lookup costs the same however large the library is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import chain
from typing import TypeVar

from ._dataclass import dataclass
from ._lazy import lazy
from .model import Origin, Paper
from .records import Record, _new_record, fold_plain, ids_in_text, normalise_id
from .text import plain_text

# Reasons, as the user reads them after "already in the library as KEY:".
SAME_DOI = "same DOI"
SAME_ARXIV = "same arXiv id"
SAME_OPENREVIEW = "same OpenReview id"
SAME_TITLE_FIRST_AUTHOR = "same title and first author"
SAME_TITLE_AUTHOR = "same title and an author"
PREPRINT_OF = "preprint of"
SAME_TITLE_YEARS_APART = "same title and an author, years apart"
ONE_WORD_APART = "title differs in one word"
SAME_SHORT_TITLE = "same short title"

ID_REASONS = {"doi": SAME_DOI, "arxiv": SAME_ARXIV, "openreview": SAME_OPENREVIEW}
# Certain title matches, best first: the library's venue version before its preprint.
_TITLE_RANK = {SAME_TITLE_FIRST_AUTHOR: 0, SAME_TITLE_AUTHOR: 1, PREPRINT_OF: 2}

NEAR_MIN_WORDS = 4  # below this, one word is too much of a title to call the rest a match
_NEGATIONS = frozenset("not no non without never nor none un anti beyond versus vs".split())
_COMPARATIVES = frozenset({"er", "r", "est", "st"})  # fast/faster: a new claim, not a typo
_WORD = lazy(globals(), "_WORD", r"[a-z0-9]+")  # for non-ASCII folds only: rare
_BARE_TEX_SPECIAL = lazy(globals(), "_BARE_TEX_SPECIAL", r"(?<!\\)([%&])")
_DIGIT = lazy(globals(), "_DIGIT", r"\d")

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Match:
    """A library entry a paper duplicates, and why; ``certain`` False: possibly."""

    record: Record
    reason: str
    certain: bool


def words(text: str) -> tuple[str, ...]:
    """Plain text -> its words folded to lower-case ASCII letters and digits."""
    folded = fold_text(text)
    if folded.isascii():  # as unidecode leaves every text: _WORD's runs, split at C speed
        return tuple(_cut(folded).split())
    return tuple(_WORD.findall(folded))


# words() of the titles rule 4 compares, kept: a title that shares two thirds and an author
# with one paper's does with others', and a paper's title is a candidate's for the papers
# after it. For the 100k benchmark listing, 45,259 calls for 20,290 titles: 22,374 answered
# from here (16,973 with 4,096 kept, 24,842 with 16,384), for about 6 MB.
_rule4_words = lru_cache(maxsize=1 << 13)(words)


def _cut(folded: str) -> str:
    """Folded ASCII text with a space for each character _WORD does not take: each character
    stays where it was, so a slice of it is cut as that slice of the text would be."""
    return folded.encode("ascii").translate(_NOT_WORD).decode("ascii")


# Every byte but those _WORD takes -> a space: words() cuts folded ASCII text into _WORD's runs
# with bytes.translate and str.split, at half the cost of _WORD.findall (every paper's title,
# and its head before a colon; tests/test_match_keys_fast.py checks that both ways agree).
_NOT_WORD = bytes(c if 0x61 <= c <= 0x7A or 0x30 <= c <= 0x39 else 0x20 for c in range(256))


def fold_text(text: str) -> str:
    """Lower-case ASCII: ``Matthäus`` -> ``matthaus``, ``α`` -> ``a``."""
    if not text.isascii():
        text = _NON_ASCII.sub(_ascii, text)  # unidecode is slow per character: only these
    return text.lower()


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _ascii(m: re.Match[str]) -> str:
    return _unidecode(m.group())


@lru_cache(maxsize=8192)
def _unidecode(text: str) -> str:
    from unidecode import unidecode

    return str(unidecode(text))


def title_words(title: str) -> tuple[str, ...]:
    """A title in TeX (BibTeX, or listing text) -> its folded words, TeX decoded.

    A bare ``%`` or ``&`` is taken as the character it is in a listing, not as TeX's comment
    or alignment, which would lose the words after it.
    """
    from .library import decoded  # the TeX reader: only imported when a library is read

    if "%" in title or "&" in title:
        title = _BARE_TEX_SPECIAL.sub(r"\\\1", title)
    return words(decoded(title))


def title_fingerprint(title: str) -> str:
    """``{{Attention}} Is All You {N}eed.`` -> ``attentionisallyouneed``.

    TeX decoded, braces dropped, folded to ASCII, case-folded, only letters and digits: two
    spellings of one title have one fingerprint, and word breaks do not count (``Data Set``
    and ``Dataset``).
    """
    return "".join(title_words(title))


def _short(text: str) -> tuple[str, ...]:
    """The words before a title's first colon, if there is one and something follows it."""
    head, colon, tail = text.partition(":")
    if not colon:
        return ()
    head_words = words(head)
    return head_words if head_words and words(tail) else ()


def short_fingerprint(title: str) -> str:
    """The fingerprint of a title's words before its colon (see :func:`_short`), or ""."""
    return "".join(_short(title)) if ":" in title else ""


@lru_cache(maxsize=1 << 16)  # names recur across papers, and folding is unidecode's slow path
def family(name: str) -> str:
    return fold_plain(name).lower()


def paper_families(paper: Paper) -> tuple[str, ...]:
    """The authors' family names, folded as the library's are (``others`` left out)."""
    out = []
    for person in paper.authors:
        if person.literal == "others":
            continue
        folded = family(person.literal or person.family)
        if folded:
            out.append(folded)
    return tuple(out)


def paper_fingerprint_parts(paper: Paper) -> tuple[str, tuple[str, ...], int | None]:
    """What matching a paper starts from: its title, family names and year.

    The title is plain text rather than its fingerprint, because the possible-duplicate
    rules need its words and its colon; :meth:`Index.match` takes it as it is.
    """
    return plain_text(paper.title), paper_families(paper), paper.year


# What the index needs of a paper to match it and to add it, computed once per paper (by a
# worker process, when there are workers: the main process, which matches every paper in
# turn, then only looks keys up). A plain tuple, so that it pickles in C.
MatchParts = tuple[
    str,  # the title, plain text (a Record's title)
    tuple[str, ...],  # the authors' family names, folded (paper_families)
    int | None,  # the year
    str,  # the title's fingerprint; "" when it has no words (nothing to match)
    tuple[int, ...],  # _thirds keys to look up: for sizes n - 1, n, n + 1 (of 4 words or more)
    # _thirds keys to index the paper by: size n, a slice of those above; () in those the
    # main process makes of what parallel.py's workers send (Index.add_parts slices them off)
    tuple[int, ...],
    str,  # the fingerprint of the title's part before its colon (_short), or ""
]


def match_parts_of(
    title: str,
    families: tuple[str, ...],
    year: int | None,
    title_words: tuple[str, ...] | None = None,
) -> MatchParts:
    """:data:`MatchParts` of a title (plain text), folded family names and a year.

    The ``_thirds`` keys are ``hash()`` values: they hold only in processes that share this
    one's hash seed (forked ones do, as parallel.py's workers are).
    """
    cut = None  # the title as words() cuts it, when that leaves each character in its place
    if title_words is None:
        if title.isascii():  # words(title), keeping the cut for the colon's head below
            cut = _cut(title.lower())
            title_words = tuple(cut.split())
        else:
            title_words = words(title)
    if not title_words:
        return title, families, year, "", (), (), ""
    n = len(title_words)
    look: tuple[int, ...] = ()
    own: tuple[int, ...] = ()
    # Titles of sizes n - 1, n and n + 1, as far as they have NEAR_MIN_WORDS: a title of
    # fewer words is one word from none (one_word_apart), so it looks nothing up.
    if n > NEAR_MIN_WORDS:
        own, look = _near_thirds(title_words, n)
    elif n == NEAR_MIN_WORDS:
        own = _thirds(title_words, n)
        look = own + _thirds(title_words, n + 1)
    short = ""
    if ":" in title:
        # _short(title), from the words at hand: a colon splits no word, and folding goes run
        # by run of non-ASCII characters, so the title's words are its head's and its tail's.
        colon = title.index(":")
        head = cut[:colon].split() if cut is not None else words(title[:colon])
        if head and len(head) < n:
            short = "".join(head)
    return title, families, year, "".join(title_words), look, own, short


def _near_thirds(w: tuple[str, ...], n: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """``own = _thirds(w, n)`` and ``look = _thirds(w, n - 1) + own + _thirds(w, n + 1)`` for
    the ``n`` words ``w`` (``n`` > NEAR_MIN_WORDS): the same keys, in one call rather than
    three (every paper's).

    The three sizes cut the title at nearly the same places, so their nine keys take six or
    seven slices of it, not fifteen: each case below names the slices ``_thirds`` would take
    for the sizes n - 1, n and n + 1 (written out: a tuple slice costs about as much as
    hashing it). tests/test_paper3_fast.py checks the keys against ``_thirds``.
    """
    k, r = divmod(n, 3)
    shorter_size, longer_size = n - 1, n + 1
    if r == 0:  # cut at k and 2k; n - 1 at k - 1 and 2k - 1; n + 1 at k and 2k
        first, middle, last = w[:k], w[k : 2 * k], w[2 * k :]
        head, inner = w[: k - 1], w[k - 1 : 2 * k - 1]
        tail = w[2 * k - 1 :]
        shorter = (
            hash((shorter_size, head, inner)),
            hash((shorter_size, head, None, last)),
            hash((shorter_size, middle, last)),
        )
        longer = (
            hash((longer_size, first, middle)),
            hash((longer_size, first, None, tail)),
            hash((longer_size, inner, tail)),
        )
    elif r == 1:  # cut at k and 2k; n - 1 at k and 2k; n + 1 at k and 2k + 1
        first, middle, last = w[:k], w[k : 2 * k], w[2 * k :]
        tail = w[2 * k + 1 :]
        shorter = (
            hash((shorter_size, first, middle)),
            hash((shorter_size, first, None, tail)),
            hash((shorter_size, w[k + 1 : 2 * k + 1], tail)),
        )
        longer = (
            hash((longer_size, first, w[k : 2 * k + 1])),
            hash((longer_size, first, None, last)),
            hash((longer_size, w[k - 1 : 2 * k], last)),
        )
    else:  # cut at k and 2k + 1; n - 1 at k and 2k; n + 1 at k + 1 and 2k + 2
        first, middle, last = w[:k], w[k : 2 * k + 1], w[2 * k + 1 :]
        head = w[: k + 1]
        shorter = (
            hash((shorter_size, first, w[k : 2 * k])),
            hash((shorter_size, first, None, last)),
            hash((shorter_size, w[k + 1 : 2 * k + 1], last)),
        )
        longer = (
            hash((longer_size, head, w[k + 1 : 2 * k + 2])),
            hash((longer_size, head, None, last)),
            hash((longer_size, middle, last)),
        )
    own = hash((n, first, middle)), hash((n, first, None, last)), hash((n, middle, last))
    return own, shorter + own + longer


def paper_match_parts(paper: Paper) -> MatchParts:
    """:data:`MatchParts` of a paper: for :meth:`Index.match_parts` and :meth:`Index.add_paper`."""
    # paper.venue.year: Paper.year, without the property's call (every paper's)
    return match_parts_of(plain_text(paper.title), paper_families(paper), paper.venue.year)


_NO_IDS: frozenset[str] = frozenset()


def record_for_paper(
    paper: Paper, parts: tuple[str, tuple[str, ...], int | None] | MatchParts | None = None
) -> Record:
    """A paper as a Record, for :meth:`Index.add`: to find papers listed twice. ``parts`` are
    its :func:`paper_fingerprint_parts` (or :func:`paper_match_parts`), when the caller has
    them already."""
    title, families, year = (parts or paper_fingerprint_parts(paper))[:3]
    return _new_record(
        paper.key, paper.venue.entry_type, title, families, year, _NO_IDS, paper.origin, False
    )


def _same_family(a: str, b: str) -> bool:
    """``gool`` and ``vangool``, ``garcia`` and ``garciaperez``: one name ends or starts the
    other (family names with particles or second surnames, written in full or not)."""
    if a == b:
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 4 and (long.endswith(short) or long.startswith(short))


class _Cut(dict[str, str]):
    """A family name -> its first (or last) four letters, cut once per name: the author test
    looks them up in C (``map``) for every candidate record, and names recur across papers."""

    def __init__(self, cut: slice) -> None:
        super().__init__()
        self.cut = cut

    def __missing__(self, name: str) -> str:
        part = self[name] = name[self.cut]
        return part


_HEAD = _Cut(slice(4)).__getitem__
_TAIL = _Cut(slice(-4, None)).__getitem__


class _Names:
    """The family names of an index's records, by their first and by their last four letters:
    the names a paper's may share one with (see :class:`_Authors`) are then looked up once per
    paper, rather than cut out of every candidate record's names."""

    __slots__ = ("by_head", "by_tail", "known", "near_of", "pending")

    def __init__(self) -> None:
        self.known: set[str] = set()
        self.by_head: dict[str, list[str]] = {}
        self.by_tail: dict[str, list[str]] = {}
        # Each record's names, as it is indexed: taken in when a paper is next compared with
        # records (flush), many records' at once, in C (most papers bring no new name).
        self.pending: list[tuple[str, ...]] = []
        self.near_of = _NearOf(self.known, self.by_head, self.by_tail)

    def flush(self) -> None:
        """Take in the pending records' names. Those not known yet (most often none: one set
        difference in C, over the pending names alone) join their head's and tail's groups.
        What is cached as near a name of those groups is dropped: it is near the new one too.
        Nothing is cached before the first paper is compared, when a library's names all
        arrive at once; each new name's groups are walked only once something is."""
        pending = self.pending
        fresh = set(chain.from_iterable(pending)).difference(self.known)
        pending.clear()
        if not fresh:
            return
        self.known.update(fresh)
        by_head, by_tail, near_of = self.by_head, self.by_tail, self.near_of
        for name in fresh:
            heads = by_head.setdefault(_HEAD(name), [])
            tails = by_tail.setdefault(_TAIL(name), [])
            if near_of:
                for other in chain(heads, tails):
                    near_of.pop(other, None)
            heads.append(name)
            tails.append(name)


class _NearOf(dict[str, tuple[str, ...]]):
    """A family name -> the known names with its head or its tail, kept for known names.
    (It holds _Names' tables, not _Names, which holds it: no cycle for the collector.)"""

    def __init__(
        self, known: set[str], by_head: dict[str, list[str]], by_tail: dict[str, list[str]]
    ) -> None:
        super().__init__()
        self.known, self.by_head, self.by_tail = known, by_head, by_tail

    def __missing__(self, name: str) -> tuple[str, ...]:
        near = (*self.by_head.get(_HEAD(name), ()), *self.by_tail.get(_TAIL(name), ()))
        if name in self.known:  # what a name not known is near changes when it becomes known
            self[name] = near
        return near


class _Authors:
    """A paper's family names, prepared to be compared with many records' quickly."""

    __slots__ = ("exact", "families", "near")

    def __init__(self, families: tuple[str, ...], names: _Names) -> None:
        """``families`` folded by :func:`family`, none empty (as :func:`paper_families`);
        ``names`` those of every record the paper will be compared with."""
        self.families = families
        if names.pending:
            names.flush()
        self.exact = exact = frozenset(families)
        # Where one name starts or ends another, their first (or last) four letters agree (a
        # name of fewer letters is its own head and tail here: that only lets through what
        # ``exact`` has let through already). So the records' names that may share one with
        # ours are those with a head or tail of ours: ``near``, a superset of the names that do.
        self.near = exact.union(*map(names.near_of.__getitem__, families))

    def shared(self, theirs: Sequence[str]) -> bool:
        """One family name in common (:func:`_same_family`). Most records share none: two
        tests in C say so for them."""
        if not self.exact.isdisjoint(theirs):
            return True
        if self.near.isdisjoint(theirs):
            return False
        return self.affix(theirs)

    def affix(self, theirs: Sequence[str]) -> bool:
        """:meth:`shared` for names none of which is one of ours, where one is ``near`` ours:
        whether it starts or ends one of ours, or one of ours it."""
        near = self.near
        for name in theirs:
            if name in near:
                for ours in self.families:
                    if _same_family(name, ours):
                        return True
        return False


def _first_shared(ours: Sequence[str], theirs: Sequence[str]) -> bool:
    return bool(ours and theirs) and _same_family(ours[0], theirs[0])


def _years_close(record: Record, year: int | None) -> bool:
    """At most a year apart; a preprint may be from any year before the paper's, or one after."""
    if year is None or record.year is None:
        return True
    if record.preprint:
        return record.year <= year + 1
    return abs(record.year - year) <= 1


def _similar_words(a: str, b: str) -> bool:
    """Two forms of one word (generation/generator, toward/towards) or a one-letter typo."""
    if _DIGIT.search(a) or _DIGIT.search(b):
        return False  # EquiformerV2, Llama 2 / 3, ResNet-50: other papers
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if long.startswith(short):
        ending = long[len(short) :]
        return len(short) >= 3 and len(ending) <= 3 and ending not in _COMPARATIVES
    stem = 0
    while stem < len(short) and short[stem] == long[stem]:
        stem += 1
    if stem >= 4 and len(short) - stem <= 3 and len(long) - stem <= 3:
        return True
    return len(short) >= 5 and _one_edit(short, long)


def _one_edit(a: str, b: str) -> bool:
    """One letter inserted, deleted, replaced, or two neighbours swapped (len(a) <= len(b))."""
    if len(b) - len(a) > 1:
        return False
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) < len(b):
        return a[i:] == b[i + 1 :]
    if a[i + 1 :] == b[i + 1 :]:
        return True
    return a[i : i + 2] == b[i + 1 : i + 2] + b[i : i + 1] and a[i + 2 :] == b[i + 2 :]


def one_word_apart(a: Sequence[str], b: Sequence[str]) -> bool:
    """Rule 4 on two titles' words (see the module docstring)."""
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    if len(longer) - len(shorter) > 1 or len(shorter) < NEAR_MIN_WORDS:
        return False
    prefix = 0
    while prefix < len(shorter) and shorter[prefix] == longer[prefix]:
        prefix += 1
    suffix = 0
    while suffix < len(shorter) - prefix and shorter[-1 - suffix] == longer[-1 - suffix]:
        suffix += 1
    if len(shorter) == len(longer):  # one word replaced
        return prefix + suffix == len(shorter) - 1 and _similar_words(
            shorter[prefix], longer[prefix]
        )
    if prefix + suffix != len(shorter):  # not one word added
        return False
    added = longer[prefix]
    return added not in _NEGATIONS and not _DIGIT.search(added)


def _thirds(title_words: tuple[str, ...], n: int) -> tuple[int, int, int]:
    """Keys of a title of ``n`` words: each two of its three thirds, with ``n``.

    One word changed, added or removed leaves two thirds intact, so a title one word away
    shares a key with this one whichever word it was. ``title_words`` may be a word longer or
    shorter than ``n`` (a query for a title one word away): the thirds after the changed word
    are then taken shifted, from the end.
    """
    a, b = n // 3, 2 * n // 3
    shift = len(title_words) - n
    first, last = title_words[:a], title_words[b + shift :]
    return (
        hash((n, first, title_words[a:b])),
        hash((n, first, None, last)),
        hash((n, title_words[a + shift : b + shift], last)),
    )


def _put(table: dict[T, Record | list[Record]], key: T, record: Record) -> None:
    """One record per key is the rule, so a list only where keys collide (less memory)."""
    held = table.setdefault(key, record)
    if held is not record:
        if isinstance(held, list):
            held.append(record)
        else:
            table[key] = [held, record]


def _get(table: dict[T, Record | list[Record]], key: T) -> Iterator[Record]:
    held = table.get(key)
    if held is None:
        return iter(())
    return iter(held) if isinstance(held, list) else iter((held,))


def _ids(ids: Iterable[str]) -> Iterator[str]:
    """Identifiers as given (``doi:...``, ``arxiv:...``, or a URL) in the normalised form."""
    for given in ids:
        kind, colon, value = given.partition(":")
        if colon and kind in ID_REASONS:
            normalised = normalise_id(kind, value)
            if normalised:
                yield normalised
                continue
        found: set[str] = set()
        ids_in_text(given, found)
        yield from sorted(found)


class Index:
    """The records of a library, looked up by identifier, title and title halves."""

    def __init__(self, records: Sequence[Record] = ()) -> None:
        self._by_id: dict[str, Record] = {}
        self._by_title: dict[str, Record | list[Record]] = {}
        self._by_thirds: dict[int, Record | list[Record]] = {}
        self._by_short: dict[str, Record | list[Record]] = {}
        self._names = _Names()  # every record's, for _Authors
        self._pending_names = self._names.pending
        self._size = 0
        self.extend(records)

    def __len__(self) -> int:
        return self._size

    def extend(
        self,
        records: Sequence[Record],
        title_words: Sequence[tuple[str, ...]] | None = None,
        shorts: Sequence[str] | None = None,
    ) -> None:
        """Index many records (a whole library). A cached library holds each title's words and
        short-title fingerprint: given, they are not worked out again (for 100,000 entries at
        the start of every merge, that was a third of the indexing)."""
        if title_words is None:
            title_words = [words(r.title) for r in records]
        if shorts is None:
            shorts = [short_fingerprint(r.title) for r in records]
        by_id, put, names = self._by_id, self._put, self._names
        pending = names.pending
        for record, title, short in zip(records, title_words, shorts, strict=True):
            if record.ids:
                for i in record.ids:
                    by_id.setdefault(i, record)
            if title:
                pending.append(record.families)
                n = len(title)
                put(record, "".join(title), _thirds(title, n) if n >= NEAR_MIN_WORDS else (), short)
        self._size += len(records)

    def add(self, record: Record) -> None:
        """Index one more record (a library entry, or a paper read before: see record_for_paper)."""
        self.extend((record,))

    def add_paper(self, paper: Paper, parts: MatchParts) -> None:
        """Index a paper of this run (with its key) by its :func:`paper_match_parts`: as
        ``add(record_for_paper(paper))``, with nothing computed again."""
        self.add_parts(paper.key, paper.venue.entry_type, paper.origin, parts)

    def add_parts(self, key: str, entry_type: str, origin: Origin, parts: MatchParts) -> None:
        """:meth:`add_paper` for a paper of this run by its key, type and origin (a paper
        worker processes did is never made whole in the main process)."""
        title, families, year, fingerprint, look, _, short = parts
        self._size += 1
        if not fingerprint:
            return
        # The paper's own _thirds keys, sliced off those it looks up (match_parts_of: size n's
        # keys follow n - 1's when there are three sizes, and come first when there are two):
        # workers do not send them apart (parallel.PackedParts).
        own = look[3:6] if len(look) == 9 else look[:3]
        record = _new_record(key, entry_type, title, families, year, _NO_IDS, origin, False)
        self._pending_names.append(families)
        # self._put(record, fingerprint, own, short), inlined: once per paper of a run
        by_title = self._by_title
        if by_title.setdefault(fingerprint, record) is not record:
            _put(by_title, fingerprint, record)
        if own:
            by_thirds = self._by_thirds
            for third in own:
                if by_thirds.setdefault(third, record) is not record:
                    _put(by_thirds, third, record)
        if short:
            _put(self._by_short, short, record)

    def _put(self, record: Record, fingerprint: str, thirds: tuple[int, ...], short: str) -> None:
        """Index a record with words in its title, by their fingerprint, ``_thirds`` keys (of
        its own size) and short title's fingerprint (or ""). :func:`_put`, inlined."""
        by_title = self._by_title
        held = by_title.setdefault(fingerprint, record)
        if held is not record:
            _put(by_title, fingerprint, record)
        if thirds:
            by_thirds = self._by_thirds
            for key in thirds:
                held = by_thirds.setdefault(key, record)
                if held is not record:
                    _put(by_thirds, key, record)
        if short:
            _put(self._by_short, short, record)

    def match(
        self,
        title: str,
        families: Sequence[str],
        year: int | None,
        ids: Iterable[str] = (),
    ) -> Match | None:
        """The library entry this paper duplicates, certainly or possibly; None if it is new.

        ``title`` is plain text (:func:`paper_fingerprint_parts` gives it); ``families`` are
        the authors' family names in order; ``ids`` are identifiers (``doi:10....``,
        ``arxiv:2301.01234``, ``openreview:...`` or URLs).
        """
        for i in _ids(ids):
            record = self._by_id.get(i)
            if record is not None:
                return Match(record, ID_REASONS[i.partition(":")[0]], True)
        folded = tuple(f for f in (family(name) for name in families) if f)
        return self.match_parts(match_parts_of(title, folded, year))

    def match_parts(self, parts: MatchParts) -> Match | None:
        """:meth:`match` for a paper with no identifiers, by its :func:`paper_match_parts`."""
        title, families, year, fingerprint, look, _, short = parts
        if not fingerprint:
            return None
        ours: _Authors | None = None  # made only for a paper with candidates: most have none
        held = self._by_title.get(fingerprint)
        if held is not None:
            ours = _Authors(families, self._names)
            best: tuple[int, Record, str] | None = None
            apart: Record | None = None
            for record in held if isinstance(held, list) else (held,):
                if not ours.shared(record.families):
                    continue
                if not _years_close(record, year):
                    apart = apart or record
                    continue
                reason = self._title_reason(record, ours)
                rank = _TITLE_RANK[reason]
                if best is None or rank < best[0]:
                    best = (rank, record, reason)
            if best is not None:
                return Match(best[1], best[2], True)
            if apart is not None:
                return Match(apart, SAME_TITLE_YEARS_APART, False)
        # The possible duplicates. Most papers have none: one look at the tables says so.
        by_thirds = self._by_thirds
        if look and not by_thirds.keys().isdisjoint(look):
            ours = ours or _Authors(families, self._names)
            exact, near = ours.exact, ours.near
            title_words: tuple[str, ...] | None = None  # most papers find no candidate's authors
            for key in look:
                held = by_thirds.get(key)
                if held is None:
                    continue
                # Most candidates share no author (a title's thirds recur across papers): the
                # author test comes first, ours.shared(theirs) inlined (282,686 candidates for
                # the 100k benchmark listing's papers, 88% without an author in common). Its
                # first test, near.isdisjoint, looks each name up in C: cutting every name's
                # head and tail instead cost 4,000 instructions a candidate.
                for record in held if isinstance(held, list) else (held,):
                    theirs = record.families
                    if near.isdisjoint(theirs) or (
                        exact.isdisjoint(theirs) and not ours.affix(theirs)
                    ):
                        continue
                    if not _years_close(record, year):
                        continue
                    if title_words is None:
                        title_words = _rule4_words(title)
                    if one_word_apart(title_words, _rule4_words(record.title)):
                        return Match(record, ONE_WORD_APART, False)
        # A short title says less, so it takes the first author too, not any author: this
        # title as another's short title, then this title's short title as another's title
        # (each looked at here first: most papers have neither).
        if fingerprint in self._by_short:
            found = self._short_match(self._by_short, fingerprint, families, year)
            if found is not None:
                return found
        if short and short in self._by_title:
            return self._short_match(self._by_title, short, families, year)
        return None

    @staticmethod
    def _short_match(
        table: dict[str, Record | list[Record]],
        text: str,
        families: tuple[str, ...],
        year: int | None,
    ) -> Match | None:
        for record in _get(table, text):
            if _first_shared(families, record.families) and _years_close(record, year):
                return Match(record, SAME_SHORT_TITLE, False)
        return None

    @staticmethod
    def _title_reason(record: Record, ours: _Authors) -> str:
        if record.preprint:
            return PREPRINT_OF
        if _first_shared(ours.families, record.families):
            return SAME_TITLE_FIRST_AUTHOR
        return SAME_TITLE_AUTHOR
