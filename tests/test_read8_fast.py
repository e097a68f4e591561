"""The worker's per-paper fast paths (issue 7, speed, round 8) give what the general paths give.

``names._mixed_words`` reads a name of three words or more whose words need no case repair and
hold no particle, suffix, agnomen or organisation word, without ``_parse_plain``'s steps: the
properties compare it, and ``_plain_words`` through it, with the general rules
(``parse_name`` with its fast paths switched off) on generated names, most of them of that
shape, and ``names._is_agnomen`` with ``_fold``'s answer. Set ``BIBEXPORT_NAMES_EXAMPLES=20000``
to run them at length.

``keys.scholar_title_word`` takes the title's first words split at single spaces while each is
a run of ASCII letters and digits: the property compares it with the first significant word of
``keys.title_words`` on titles whose first words are such, or nearly (TeX, accents, invisible
characters, letters and digits outside ASCII right next to them).

``names.parse_names`` is told when a paper's names come from a tidy entry (read at once from
lines with no flaw) and then looks only for commas, semicolons, brackets and CJK script:
generated listings (tests/test_listing_at_once.py's) check that such names are what it takes
them for, and that it reads them as ``parse_name`` does, with the reader's flaw search done
both ways (by kind of flaw, and line by line).

``dedup.match_parts_of`` cuts an ASCII title into words once, and its head before the colon
from that cut: the property compares it with the way it takes for other titles (each cut
again) on generated titles.

``ListingEntry.abstract`` returns an abstract of one line as it is: the property compares it
with the general way (a copy of it as it was) on generated lines.
"""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bibexport import dedup, keys, names
from bibexport.formats import listing
from bibexport.formats.listing import ListingEntry, ListingReader
from bibexport.model import Origin
from bibexport.names import parse_name, parse_names
from bibexport.text import collapse_space
from tests.test_listing_at_once import _listing
from tests.test_names_fast import EXAMPLES, _initial, _inner_capital, _word, parse_general
from tests.test_read4_fast import entries_whole_and_in_parts, parse_each
from tests.test_work6_fast import _scholar_word_reference

# Words that need no repair (mixed case: "Cicero", "LeCun", "Jean-Pierre"), initials, and any
# other word now and then: most names drawn take the fast path, the rest must decline it.
_mixed = st.one_of(
    st.sampled_from(["Cicero", "Nogueira", "Puigcerver", "Wei", "Dupré", "Ørsted", "Łukasz",
                     "Jean-Pierre", "O'Brien", "D'Amour", "McDonald", "Neto.", "Júnior", "Filho",
                     "Jr.", "Iii", "De", "Van", "Al", "El", "Ai", "Lab", "The", "Nguyễn", "Le",
                     "Σίσυφος", "ΣΊσος", "Xu", "Ǆemal", "ǅemal", "İlker", "Kai2", "3D", "X.",
                     "Q", "CA", "JB", "ABCD", "A.J.", "J.-P.", "Mc", "Y", "Dos", "Ten", "Sá"]),
    _inner_capital,
    _initial,
)  # fmt: skip
_long_word = st.one_of(_mixed, _mixed, _mixed, _word)
_three_or_more = st.lists(_long_word, min_size=3, max_size=5).map(" ".join)


def _plain(name: str) -> bool:
    """Whether parse_names would hand ``name`` to _plain_words (see names._plain_names)."""
    return names._plain_names([name]) != names._NOT_PLAIN and name.count(" ") >= 2


@settings(max_examples=EXAMPLES, deadline=None)
@given(_three_or_more)
def test_mixed_words_is_the_general_rules_or_declines(name: str) -> None:
    if not _plain(name):
        return
    lowered = name.lower()
    if not names._PLAIN_WORD_STOPS.isdisjoint(lowered.split(" ")):
        return  # _plain_words does not ask _mixed_words about it
    person = names._mixed_words(name)
    if person is not None:
        assert person == parse_general(name)
        assert person == names._parse_plain(name, name.split(" "))


@settings(max_examples=EXAMPLES, deadline=None)
@given(_three_or_more, st.booleans())
def test_plain_words_is_parse_name(name: str, cjk: bool) -> None:
    if not _plain(name):
        return
    cjk = cjk or names._plain_names([name]) == names._PLAIN_CJK
    person = names._plain_words(name, cjk)
    if person is not None:  # None: an organisation or CJK, which parse_name keeps whole
        assert person == parse_name.__wrapped__(name) == parse_general(name)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(_three_or_more, min_size=1, max_size=5))
def test_parse_names_of_long_names_is_parse_name_of_each(raw: list[str]) -> None:
    names._PERSONS.clear()
    expected = tuple(p for p in map(parse_name.__wrapped__, raw) if p is not None)
    assert names.parse_names(raw) == expected


@pytest.mark.parametrize(
    "name",
    ["Cicero Nogueira Puigcerver", "Charles L. Isbell", "Bradley CA Brown", "Zhi-Qin John Xu",
     "Mohamed Amine Seddik", "Kilian Q. Weinberger", "Thị Minh Huỳnh", "Jean-Pierre O'Brien Sá"],
)  # fmt: skip
def test_common_long_names_take_the_mixed_path(name: str) -> None:
    assert names._PLAIN_WORD_STOPS.isdisjoint(name.lower().split(" "))
    person = names._mixed_words(name)
    assert person is not None
    assert person == parse_general(name)


@pytest.mark.parametrize(
    "name",
    ["A. H. Castro Neto.", "Paulo Castro Júnior", "Ana Castro FILHO", "JEAN PAUL SMITH",
     "Jean paul Smith", "jean Paul Smith", "Jean Paul smith", "Jean PAUL Smith", "Y. X Smith",
     "J. K. ROWLING", "Paulo Castro Fílho"],
)  # fmt: skip
def test_names_needing_repair_or_an_agnomen_decline_the_mixed_path(name: str) -> None:
    assert names._mixed_words(name) is None
    assert names._plain_words(name, False) == parse_general(name)


# Title words the key's fast path takes, Scholar's skipped words, and words it must leave to the
# general way (TeX, accents and invisible characters next to a word, non-ASCII letters and digits).
_key_word = st.one_of(
    st.sampled_from(["On", "the", "A", "an", "of", "How", "Deep", "GANs", "3D", "x2", "No"]),
    st.sampled_from(["On\\emph{X}", "the{}", "\\textit{De}", "$x$", "Ｇan", "x²", "Ōn", "é",
                     "On\u200b", "the\u00ad", "A-B", "What's", "(a)", "", "Ǆ", "ﬁne", "İt"]),
    st.text(alphabet="aZ9 é\\{}$\u200b", max_size=4),
)  # fmt: skip


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(_key_word, max_size=6), st.sampled_from(["", " ", "\t", "  "]))
def test_scholar_title_word_of_first_runs(words: list[str], lead: str) -> None:
    title = lead + " ".join(words)
    assert keys.scholar_title_word(title) == _scholar_word_reference(title)


class _LineByLine(listing._Flaws):
    """The reader's flaw search as it goes when a block holds many kinds of flaw."""

    def __init__(self, text: str, data: bytes | None) -> None:
        super().__init__(text, None)


def _tidy_authors(path: Path, size: int) -> list[list[str]]:
    """The authors of each entry the reader calls tidy, whole file and in parts."""
    entries = entries_whole_and_in_parts(path, size)
    return [e.authors for e in entries if e.tidy_title and e.authors]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=_listing(), size=st.sampled_from([80, 400, 1 << 18]), line_by_line=st.booleans())
def test_tidy_names_read_as_any(tmp_path: Path, data: bytes, size: int, line_by_line: bool) -> None:
    path = tmp_path / "l.txt"
    path.write_bytes(data)
    flaws = _LineByLine if line_by_line else listing._Flaws
    with mock.patch.object(listing, "_Flaws", flaws):
        found = _tidy_authors(path, size)
    for raw in found:
        for name in raw:  # what _plain_names takes a tidy entry's names for
            assert name
            assert collapse_space(name) == name
            assert name.strip(" ;") == name
        names._PERSONS.clear()
        assert parse_names(raw, True) == parse_each(raw)


@pytest.mark.parametrize(
    "authors",
    ["A B ; C D", "Wei Song, Qi Ma", "A (B) ; C", "\u5c71\u7530 \u592a\u90ce ; Wei Song",
     "Caf\u00e9 Dupr\u00e9 ; Et Al", "Smith et al. ; The Lab ; Meta AI", "A ; ; B", "; A B",
     "A,B ; C", "Thi Minh Hu\u1ef3nh ; \u0130lker \u00c7elik", "O'NEIL SMITH ; a b c"],
)  # fmt: skip
def test_tidy_names_of_odd_lines(tmp_path: Path, authors: str) -> None:
    path = tmp_path / "l.txt"
    path.write_text(
        f"ICLR.2023 - Poster\n\n#1 A Title [PDF] [Copy] [Kimi]\n\nAuthors: {authors}\n\nText.\n",
        encoding="utf-8",
    )
    (entry,) = ListingReader(str(path)).entries()
    assert entry.tidy_title
    assert entry.authors
    names._PERSONS.clear()
    assert parse_names(entry.authors, True) == parse_each(entry.authors)


def _abstract_reference(lines: list[str]) -> str:
    """ListingEntry.abstract before its one-line path, word for word."""
    end = len(lines)
    while end and not lines[end - 1]:
        end -= 1
    if "" not in lines[:end]:
        return " ".join(lines[:end])
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n\n".join(" ".join(p) for p in paragraphs if p)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(st.sampled_from(["", "", "One line.", "x", " ", "Two  spaces"]), max_size=4))
def test_abstract_of_one_line_is_the_general_way(lines: list[str]) -> None:
    entry = ListingEntry(1, "T", Origin("x", 1), None, lines)
    assert entry.abstract == _abstract_reference(lines)


_title_piece = st.sampled_from(
    ["On", "the", "GNNs", "3D", "x2", ":", ": ", " :", "::", "-", "  ", " ", "\t", "A", "é",
     "Ｇan", "x²", "ﬁ", "Σ", "İ", "K", "\u212a", "'", "$x$", "\\emph{a}", "", "Data", "Set"]
)  # fmt: skip


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(_title_piece, max_size=16).map(" ".join), st.integers(2019, 2024))
def test_match_parts_of_an_ascii_title_cut_once(title: str, year: int) -> None:
    families = ("song", "ma")
    parts = dedup.match_parts_of(title, families, year)
    assert parts == dedup.match_parts_of(title, families, year, dedup.words(title))
    assert parts[6] == "".join(dedup._short(title))


# Agnomens spelt every way folding reads as one, and words that are nearly one.
_agnomen_letter = st.sampled_from(
    ["f", "i", "l", "h", "o", "n", "e", "t", "j", "u", "r", "s", "b", "í", "ó", "ú", "é", "ǰ",
     "\u0301", "\u030c", ".", ",", "đ", "d", "k", "ä", "-", "ﬁ", "İ", "Ñ"]
)  # fmt: skip
_agnomen_like = st.one_of(
    st.sampled_from(["filho", "Fílho.", "NETO,", "Júnior", "júnior", "ǰunior", "JUNİOR",
                     "Sobrínho", "néto", "Neto\u0301", "ﬁlho", "Schütt", "Dupré", ".neto,",
                     "netó.", "Kärkkäinen", "sobrinho-", "juníor"]),
    st.lists(_agnomen_letter, min_size=1, max_size=9).map("".join),
)  # fmt: skip


@settings(max_examples=EXAMPLES, deadline=None)
@given(_agnomen_like)
def test_is_agnomen_is_fold_in_agnomens(word: str) -> None:
    low = word.lower()
    assert names._is_agnomen(low) == (names._fold(low) in names.AGNOMENS)
    assert names._is_agnomen(low) == (names._fold(word) in names.AGNOMENS)
