"""Matching papers against a library: what counts as already there, possibly there, or new."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bibexport import dedup
from bibexport.dedup import (
    Index,
    Match,
    one_word_apart,
    paper_fingerprint_parts,
    paper_match_parts,
    record_for_paper,
    title_fingerprint,
    title_words,
)
from bibexport.library import read_library
from bibexport.model import Origin, Paper, Venue
from bibexport.names import parse_name
from bibexport.records import Record
from bibexport.text import to_bibtex

PAIRS = Path(__file__).parent / "data" / "libraries" / "pairs.bib"


@pytest.fixture(scope="module")
def index() -> Index:
    return Index(read_library(str(PAIRS)).records)


def paper(title: str, authors: str, year: int | None, venue: str = "ICLR") -> Paper:
    people = tuple(p for p in (parse_name(a) for a in authors.split(";")) if p is not None)
    return Paper(
        title=title,
        authors=people,
        venue=Venue(short=venue, year=year),
        origin=Origin("listing.txt", 1),
    )


def lookup(index: Index, p: Paper, ids: tuple[str, ...] = ()) -> tuple[str, str, bool] | None:
    title, families, year = paper_fingerprint_parts(p)
    found = index.match(title, families, year, ids)
    if not ids:  # the pipeline's way, by parts computed once per paper: the same answer
        assert index.match_parts(paper_match_parts(p)) == found
    return None if found is None else (found.record.key, found.reason, found.certain)


GAL = "Rinon Gal ; Yuval Alaluf ; Yuval Atzmon ; Or Patashnik ; Amit Bermano ; Gal Chechik"


@pytest.mark.parametrize(
    ("title", "authors", "year", "expected"),
    [
        pytest.param(
            "An Image is Worth One Word: Personalizing Text-to-Image Generation using Textual "
            "Inversion",
            GAL,
            2023,
            ("gal2022image", "preprint of", True),
            id="scholar-arxiv-preprint-of-iclr-paper",
        ),
        pytest.param(
            "Fair $k$-Center Clustering for Data Summarization",
            "Matthäus Kleindessner ; Pranjal Awasthi ; Jamie Morgenstern",
            2019,
            ("kleindessner2019fair", "same title and first author", True),
            id="tex-accents-vs-unicode",
        ),
        pytest.param(
            "Fair k-center clustering for data summarization.",
            "Jamie Morgenstern ; MATTHAUS KLEINDESSNER",
            2020,
            ("kleindessner2019fair", "same title and an author", True),
            id="other-first-author-case-and-a-year-later",
        ),
        pytest.param(
            "Hough Forests for Object Detection, Tracking, and Action Recognition",
            "Luc Van Gool",
            2011,
            ("vangool2012", "same title and an author", True),
            id="family-name-with-particle-written-apart",
        ),
        pytest.param(
            "Attention Is All You Need",
            "Ashish Vaswani ; Noam Shazeer",
            2017,
            ("vaswani2017attention", "preprint of", True),
            id="arxiv-misc-same-year",
        ),
    ],
)
def test_same_paper_in_another_form_is_already_there(
    index: Index, title: str, authors: str, year: int, expected: tuple[str, str, bool]
) -> None:
    assert lookup(index, paper(title, authors, year)) == expected


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        (("doi:10.1145/3442188.3445922",), ("bender2021parrots", "same DOI", True)),
        (("https://doi.org/10.1145/3442188.3445922",), ("bender2021parrots", "same DOI", True)),
        (("arxiv:1706.03762v7",), ("vaswani2017attention", "same arXiv id", True)),
        (("https://arxiv.org/pdf/2208.01618.pdf",), ("gal2022image", "same arXiv id", True)),
        (
            ("openreview:ryGs6iA5Km",),
            ("DBLP:conf/iclr/XuHLJ19", "same OpenReview id", True),
        ),
    ],
)
def test_same_identifier_is_the_same_paper_whatever_the_title(
    index: Index, ids: tuple[str, ...], expected: tuple[str, str, bool]
) -> None:
    unrelated = paper("A Completely Different Title About Something Else", "Nobody Known", 1999)
    assert lookup(index, unrelated, ids) == expected


@pytest.mark.parametrize(
    ("title", "authors", "year"),
    [
        pytest.param(
            "EquiformerV2: Improved Equivariant Transformer for Scaling to Higher-Degree "
            "Representations",
            "Yi-Lun Liao ; Brandon Wood ; Abhishek Das ; Tess Smidt",
            2024,
            id="equiformerv2-vs-equiformer",
        ),
        pytest.param(
            "EquiformerV2: Equivariant Graph Attention Transformer",
            "Yi-Lun Liao ; Tess Smidt",
            2023,
            id="a-suffix-on-a-word-is-another-paper",
        ),
        pytest.param(
            "Faster R-CNN: Towards Real-Time Object Detection with Region Proposal Networks",
            "Shaoqing Ren ; Kaiming He ; Ross Girshick ; Jian Sun",
            2015,
            id="faster-rcnn-vs-fast-rcnn",
        ),
        pytest.param("Faster R-CNN", "Ross Girshick", 2015, id="faster-vs-fast-short"),
        pytest.param(
            "Mass-Editing Memory in a Transformer",
            "Kevin Meng ; Arnab Sen Sharma ; Alex Andonian ; Yonatan Belinkov ; David Bau",
            2023,
            id="memit-vs-rome",
        ),
        pytest.param(
            "Deep Learning",
            "Ian Goodfellow ; Yoshua Bengio Smith",
            2016,
            id="same-title-no-shared-author",
        ),
        pytest.param(
            "Llama 3: Open Foundation and Fine-Tuned Chat Models",
            "Hugo Touvron ; Louis Martin",
            2024,
            id="a-version-number-differs",
        ),
        pytest.param(
            "Adam: A Method for Stochastic Optimization",
            "Someone Else",
            2015,
            id="same-title-different-people",
        ),
    ],
)
def test_near_misses_are_new_papers(index: Index, title: str, authors: str, year: int) -> None:
    assert lookup(index, paper(title, authors, year)) is None


@pytest.mark.parametrize(
    ("title", "authors", "year", "expected"),
    [
        pytest.param(
            "A Style-Based Generation Architecture for Generative Adversarial Networks",
            "Tero Karras ; Samuli Laine",
            2019,
            ("karras2019style", "title differs in one word", False),
            id="generation-vs-generator",
        ),
        pytest.param(
            "Towards Principled Evaluation of Sparse Attention Models",
            "André F. T. Martins",
            2020,
            ("toward2020", "title differs in one word", False),
            id="towards-vs-toward",
        ),
        pytest.param(
            "Toward Principled Evaluation of Sparse Attention",
            "André Martins",
            2021,
            ("toward2020", "title differs in one word", False),
            id="a-word-dropped",
        ),
        pytest.param(
            "DreamBooth: Fine Tuning Text-to-Image Diffusion Models for Subject-Driven Generation",
            "Nataniel Ruiz ; Yuanzhen Li",
            2023,
            ("ruiz2022dreambooth", "same short title", False),
            id="short-title",
        ),
        pytest.param(
            "Adam: A Method for Stochastic Optimization",
            "Diederik P. Kingma ; Jimmy Ba",
            2019,
            ("kingma2015adam", "same title and an author, years apart", False),
            id="years-apart",
        ),
    ],
)
def test_possible_duplicates_are_reported_not_certain(
    index: Index, title: str, authors: str, year: int, expected: tuple[str, str, bool]
) -> None:
    assert lookup(index, paper(title, authors, year)) == expected


def test_a_possible_duplicate_needs_a_shared_author(index: Index) -> None:
    title = "A Style-Based Generation Architecture for Generative Adversarial Networks"
    assert lookup(index, paper(title, "Someone Else", 2019)) is None


def test_a_short_title_needs_the_same_first_author(index: Index) -> None:
    title = "DreamBooth: Fine Tuning Text-to-Image Diffusion Models for Subject-Driven Generation"
    assert lookup(index, paper(title, "Varun Jampani ; Nataniel Ruiz", 2023)) is None


def test_the_venue_version_wins_over_its_preprint() -> None:
    def record(key: str, preprint: bool) -> Record:
        return Record(
            key, "misc", "Same Title Here", ("gal",), 2022, frozenset(), Origin("x", 1), preprint
        )

    index = Index([record("arxiv_first", True), record("venue_second", False)])
    found = index.match("Same Title Here", ["gal"], 2023)
    assert found == Match(record("venue_second", False), "same title and first author", True)


def test_a_preprint_may_be_years_older_but_not_newer() -> None:
    preprint = Record("p", "misc", "T U V W", ("gal",), 2019, frozenset(), Origin("x", 1), True)
    index = Index([preprint])
    assert index.match("T U V W", ["gal"], 2023) == Match(preprint, "preprint of", True)
    later = index.match("T U V W", ["gal"], 2017)
    assert later is not None and not later.certain


def test_papers_listed_twice_are_caught_with_add() -> None:
    """Overlapping listing pages: the second copy of a paper matches the first."""
    first = paper(
        "Neural Ordinary Differential Equations",
        "Ricky T. Q. Chen ; David Duvenaud",
        2018,
        venue="NeurIPS",
    )
    again = paper("NEURAL ORDINARY DIFFERENTIAL EQUATIONS", "RICKY CHEN ; David Duvenaud", 2018)
    index = Index()
    assert lookup(index, first) is None
    index.add(record_for_paper(first))
    assert len(index) == 1
    assert lookup(index, again) == ("", "same title and first author", True)


def test_papers_listed_twice_are_caught_with_add_paper() -> None:
    """add_paper, by the parts matching computed, indexes a paper as add(record_for_paper)."""
    first = paper("Neural Ordinary Differential Equations: A Study", "Ricky Chen", 2018)
    first = Paper(first.title, first.authors, first.venue, first.origin, key="chen2018neural")
    by_record, by_parts = Index(), Index()
    by_record.add(record_for_paper(first))
    by_parts.add_paper(first, paper_match_parts(first))
    assert len(by_parts) == 1
    for again in (
        paper("NEURAL ORDINARY DIFFERENTIAL EQUATIONS: A Study", "Ricky Chen", 2018),
        paper("Neural Ordinary Differential Equation: A Study", "Ricky Chen", 2018),
        paper("Neural Ordinary Differential Equations", "Ricky Chen", 2018),
    ):
        found = by_parts.match_parts(paper_match_parts(again))
        assert found is not None and found.record == record_for_paper(first)
        assert found == by_record.match_parts(paper_match_parts(again))


def test_paper_fingerprint_parts() -> None:
    p = paper("Using only $3$-$5$ {Images}", "Laurens van der Maaten ; OpenAI ; others", 2023)
    assert paper_fingerprint_parts(p) == ("Using only 3-5 Images", ("maaten", "openai"), 2023)
    assert title_fingerprint(p.title) == "usingonly35images"


@pytest.mark.parametrize("n", range(7))
def test_paper_match_parts(n: int) -> None:
    """The lookups of a title of n words: its own _thirds keys are what add() indexes by."""
    title = " ".join(["Short:", *(f"w{i}" for i in range(1, n))]) if n else ""
    p = paper(title, "Ada Lovelace ; others", 2023)
    text, families, year, fingerprint, look, own, short = paper_match_parts(p)
    assert (text, families, year) == paper_fingerprint_parts(p)
    title_words = dedup.words(text)
    assert fingerprint == "".join(title_words)
    sizes = [k for k in (n - 1, n, n + 1) if k >= dedup.NEAR_MIN_WORDS and n >= 4]
    assert look == tuple(key for k in sizes for key in dedup._thirds(title_words, k))
    assert own == (dedup._thirds(title_words, n) if n >= 4 else ())
    assert short == ("short" if n >= 2 else "")


def test_match_parts_decides_as_match() -> None:
    """Papers listed twice, or nearly: the pipeline's path (paper_match_parts, match_parts,
    add_paper) and the plain one (match, add(record_for_paper)) decide alike, paper by paper."""
    rng = random.Random(3)
    vocabulary = ["deep", "learning", "graph", "networks", "for", "the", "vision", "not", "2"]
    people = ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Kurt Van Gool", "Gool"]
    plain, parts = Index(), Index()
    decided = set()
    for i in range(3000):
        words = rng.choices(vocabulary, k=rng.randrange(1, 8))
        if rng.random() < 0.2:
            words.insert(rng.randrange(len(words) + 1), "model:")
        authors = " ; ".join(rng.sample(people, rng.randrange(0, 3)))
        year = rng.choice([2019, 2020, 2021, 2023, None])
        p = paper(" ".join(words), authors, year)
        p = Paper(p.title, p.authors, p.venue, Origin("listing.txt", i), key=f"k{i}")
        found = plain.match(*paper_fingerprint_parts(p))
        assert parts.match_parts(paper_match_parts(p)) == found
        decided.add(None if found is None else found.reason)
        if found is None or not found.certain:
            plain.add(record_for_paper(p))
            parts.add_paper(p, paper_match_parts(p))
    assert len(decided) == 6  # new, and every reason but "preprint of" (no preprints here)


@pytest.mark.parametrize(
    ("a", "b", "close"),
    [
        ("deep residual learning for image recognition", "deep residual learning for image", True),
        ("a style based generator architecture", "a style based generation architecture", True),
        ("learning to see in the dark", "learnng to see in the dark", True),  # typo
        ("learning to see in the dark", "learning not to see in the dark", False),
        ("fast methods for sparse graphs", "faster methods for sparse graphs", False),
        ("llama 2 open foundation models", "llama 3 open foundation models", False),
        ("image models for generation tasks", "video models for generation tasks", False),
        (
            "supervised learning of visual features",
            "unsupervised learning of visual features",
            False,
        ),
        ("fast r cnn", "faster r cnn", False),  # three words: too short to call close
        ("a b c d e", "a b x y e", False),  # two words changed
    ],
)
def test_one_word_apart(a: str, b: str, close: bool) -> None:
    assert one_word_apart(a.split(), b.split()) is close
    assert one_word_apart(b.split(), a.split()) is close


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from("abcdefgh"), min_size=4, max_size=14),
    st.data(),
)
def test_a_title_one_word_away_shares_a_key(title: list[str], data: st.DataObject) -> None:
    """Whatever word changes, is added or removed, the lookup finds the title's bucket."""
    edit = data.draw(st.sampled_from(["replace", "add", "remove"]))
    i = data.draw(st.integers(0, len(title) - (edit != "add")))
    near = list(title)
    if edit == "replace":
        near[i] = "z"
    elif edit == "add":
        near.insert(i, "z")
    else:
        del near[i]
    stored = set(dedup._thirds(tuple(title), len(title)))
    sizes = (len(near) - 1, len(near), len(near) + 1)
    looked_up = {key for n in sizes for key in dedup._thirds(tuple(near), n)}
    assert stored & looked_up


def test_matching_cost_does_not_grow_with_the_library(monkeypatch: pytest.MonkeyPatch) -> None:
    """Candidates come from dictionaries: a bigger library means no more comparisons."""
    rng = random.Random(7)
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocabulary = sorted({"".join(rng.choices(letters, k=7)) for _ in range(3000)})

    def titled(n: int) -> list[Record]:
        return [
            Record(
                f"k{i}",
                "misc",
                " ".join(rng.sample(vocabulary, 8)),
                (f"a{i}",),
                2020,
                frozenset(),
                Origin("x", i),
            )
            for i in range(n)
        ]

    compared = 0
    original = dedup.one_word_apart

    def counting(a: object, b: object) -> bool:
        nonlocal compared
        compared += 1
        return original(a, b)  # type: ignore[arg-type]

    monkeypatch.setattr(dedup, "one_word_apart", counting)
    for size in (1_000, 20_000):
        records = titled(size)
        index = Index(records)
        compared = 0
        for record in records[:200]:
            near = " ".join(w for i, w in enumerate(record.title.split()) if i != 3)
            found = index.match(near, record.families, 2020)
            assert found is not None and found.record is record and not found.certain
        assert compared <= 200 * 2  # the near title's own record, and a rare collision


# --- fingerprints ---------------------------------------------------------------------------

_TITLE_TEXT = st.text(
    alphabet=st.characters(
        whitelist_categories=("Lu", "Ll", "Nd", "Zs"), whitelist_characters="-:,.?!'()&%"
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(_TITLE_TEXT)
def test_fingerprint_is_the_same_for_tex_and_for_protected_titles(title: str) -> None:
    fingerprint = title_fingerprint(title)
    assert title_fingerprint(to_bibtex(title, ascii_only=True)) == fingerprint
    assert title_fingerprint(to_bibtex(title, ascii_only=True, protect=True)) == fingerprint
    assert title_fingerprint("{" + to_bibtex(title, ascii_only=True) + "}") == fingerprint


def test_fingerprint_examples() -> None:
    assert title_fingerprint("{{Attention}} Is All You {N}eed.") == "attentionisallyouneed"
    assert title_fingerprint(r"Matth{\"a}us' Data Set") == title_fingerprint("Matthäus Dataset")
    assert title_words("Text-to-Image: α-Nets") == ("text", "to", "image", "a", "nets")


# --- the author test ------------------------------------------------------------------------

_FAMILY = st.text(alphabet="abcdeghnz", min_size=1, max_size=8)


@settings(max_examples=500, deadline=None)
@given(st.lists(_FAMILY, min_size=1, max_size=5), st.lists(_FAMILY, max_size=5))
def test_shared_author_is_any_pair_of_the_same_family(ours: list[str], theirs: list[str]) -> None:
    """The test answers as its rule says, whatever its shortcuts (names shorter than four
    letters, heads and tails that agree without one name starting or ending the other)."""
    expected = any(dedup._same_family(a, b) for a in ours for b in theirs)
    names = dedup._Names()  # theirs are an indexed record's: known before any paper's test
    names.pending.append(tuple(theirs))
    assert dedup._Authors(tuple(ours), names).shared(tuple(theirs)) is expected


# Names of which some start or end others, and names that share only their first or last four
# letters ("chenwang" and "chenxi", "chang" and "zhang").
_AFFIXED = st.sampled_from(
    "gool vangool goolsby garcia garciaperez perez chen chenwang chenxi wang huang chang "
    "zhang li wu wuhan".split()
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.lists(st.one_of(_AFFIXED, _FAMILY), min_size=1, max_size=3), st.booleans()),
        max_size=12,
    )
)
def test_the_author_test_knows_every_name_indexed_so_far(
    steps: list[tuple[list[str], bool]],
) -> None:
    """Papers matched and added in turn, as a run does: each one word from a record's title
    is matched by any pair of the same family, whatever names came before it and after the
    names it was compared with (the index's own names and what each is near: see _Names)."""
    index = Index()
    added: list[tuple[int, tuple[str, ...]]] = []
    for i, (families, add_first) in enumerate(steps):
        ours = tuple(families)
        if add_first:
            index.add_parts(f"a{i}", "inproceedings", Origin("x", 1), _near_parts(i, ours, ""))
            added.append((i, ours))
        for j, theirs in added:  # only the record of title j is one word from this one
            match = index.match_parts(_near_parts(j, ours, "sparse "))
            expected = any(dedup._same_family(a, b) for a in ours for b in theirs)
            assert (match is not None and match.record.key == f"a{j}") is expected, (j, ours)


def _near_parts(i: int, families: tuple[str, ...], word: str) -> dedup.MatchParts:
    """Title ``i``, with a word added or not: titles of two ``i`` are two words apart."""
    return dedup.match_parts_of(f"learning {word}graphs number{i} from data", families, 2022)


@pytest.mark.parametrize(
    ("listed", "held", "found"),
    [
        ("Luc Gool", "Luc Van Gool", True),  # one name ends the other
        ("Ana Garcia", "Ana Garcia-Perez", True),  # one name starts the other
        ("Mei Chen", "Mei Chenwang", True),  # four letters are enough
        ("Wei Zhang", "Wei Chang", False),  # the same last four letters, other names
        ("Li Wu", "Li Wuhan", False),  # a name under four letters must be the whole name
    ],
)
def test_a_title_one_word_apart_needs_a_family_name_in_common(
    listed: str, held: str, found: bool
) -> None:
    index = Index()
    index.add(record_for_paper(paper("Learning Sparse Graphs From Noisy Data", held, 2022)))
    near = paper("Learning Sparse Graph From Noisy Data", f"{listed}; Someone Else", 2022)
    match = index.match_parts(paper_match_parts(near))
    if found:
        assert match is not None and match.reason == dedup.ONE_WORD_APART
    else:
        assert match is None
