"""The fast paths of keys.title_words/fold, dedup.match_parts_of and normalise give what the
general ways give (issue 7, speed), on nasty text: TeX, braces, math, accents, CJK, controls,
invisible characters, colons. Set ``BIBEXPORT_NAMES_EXAMPLES=20000`` to run them at length."""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from bibexport import dedup, keys
from bibexport.formats.listing import ListingEntry
from bibexport.model import Origin, Paper, Venue, new_paper
from bibexport.normalise import normalise
from bibexport.text import strip_invisible

EXAMPLES = int(os.environ.get("BIBEXPORT_NAMES_EXAMPLES", "500"))

_pieces = st.sampled_from(
    ["Attention", "is", "all", "you", "need", "Data", "Set", ":", " ", " ", "-", "{", "}", "$",
     "$x$", "\\emph{Deep}", "\\'e", "\\%", "Matthäus", "Sarıyıldız", "张磊", "ﬁ", "x\u0301",
     "\u200b", "\u00ad", "\t", "\x07", "1", "V2", "'", "~", "--", "``", "&", "α"]
)  # fmt: skip
_titles = st.one_of(
    st.lists(_pieces, max_size=14).map("".join),
    st.text(max_size=30),
    st.lists(st.sampled_from(["a", "bb", "ccc", "Dd", "e1", ":", " "]), max_size=20).map(" ".join),
)


def title_words_reference(title: str) -> list[str]:
    """``keys.title_words`` without its fast path."""
    return keys._ALNUM.findall(keys._to_ascii(keys._TEX_COMMAND.sub(" ", strip_invisible(title))))


def fold_reference(text: str) -> str:
    return "".join(
        keys._ALNUM.findall(keys._to_ascii(keys._TEX_COMMAND.sub("", strip_invisible(text))))
    )


@settings(max_examples=EXAMPLES, deadline=None)
@given(_titles)
def test_title_words_and_fold_are_unchanged(title: str) -> None:
    assert keys.title_words(title) == title_words_reference(title)
    assert keys.fold(title) == fold_reference(title)


def match_parts_reference(title: str) -> dedup.MatchParts:
    """``match_parts_of`` as it was: each size's ``_thirds`` apart, ``_short`` folding again."""
    title_words = dedup.words(title)
    if not title_words:
        return title, (), None, "", (), (), ""
    n = len(title_words)
    look: tuple[int, ...] = ()
    own: tuple[int, ...] = ()
    if n >= dedup.NEAR_MIN_WORDS:
        own = dedup._thirds(title_words, n)
        look = own + dedup._thirds(title_words, n + 1)
        if n > dedup.NEAR_MIN_WORDS:
            look = dedup._thirds(title_words, n - 1) + look
    short = "".join(dedup._short(title)) if ":" in title else ""
    return title, (), None, "".join(title_words), look, own, short


@settings(max_examples=EXAMPLES, deadline=None)
@given(_titles)
def test_match_parts_are_unchanged(title: str) -> None:
    assert dedup.match_parts_of(title, (), None) == match_parts_reference(title)


_venues = st.sampled_from(
    [Venue(short="ICLR", year=2023), Venue(short="", year=2023), Venue(short="X", year=None)]
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(_titles, st.lists(st.text(max_size=12), max_size=3), _venues, st.sampled_from(["", "Oral"]))
def test_normalise_makes_the_paper_paper_makes(
    title: str, authors: list[str], venue: Venue, track: str
) -> None:
    entry = ListingEntry(7, title, Origin("x.txt", 3), authors, ["An", "abstract."])
    paper = normalise(entry, venue, track)
    expected = Paper(
        title=paper.title,
        authors=paper.authors,
        venue=venue,
        origin=entry.origin,
        abstract=entry.abstract,
        number=7,
        track=track,
        keywords=tuple(filter(None, (venue.event_title if venue.short else "", track))),
    )
    assert paper == expected
    assert repr(paper) == repr(expected)
    again = new_paper(*(getattr(paper, f) for f in Paper.__dataclass_fields__))
    assert again == paper and keys.with_key(again, "k") == keys.with_key(paper, "k")


def words_reference(text: str) -> tuple[str, ...]:
    """``dedup.words`` without its fast path."""
    return tuple(dedup._WORD.findall(dedup.fold_text(text)))


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.one_of(_titles, st.text(), st.text(st.characters(max_codepoint=0x17F))))
def test_words_are_unchanged(text: str) -> None:
    assert dedup.words(text) == words_reference(text)
