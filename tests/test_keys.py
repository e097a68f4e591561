"""Citation keys: the Scholar default, collisions, and JabRef-style patterns."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from unidecode import unidecode

from bibexport import keys
from bibexport.keys import KeyAssigner, KeyPatternError, collision_suffix, scholar_key, with_key
from bibexport.model import Origin, Paper, Person, Venue
from bibexport.text import strip_invisible

VENUE = Venue(short="ICLR", year=2023, container_title="X")


def paper(title: str, *families: str, particle: str = "") -> Paper:
    authors = tuple(Person(given="G", family=f, particle=particle) for f in families)
    return Paper(title=title, authors=authors, venue=VENUE, origin=Origin("t", 1))


@pytest.mark.parametrize(
    ("title", "family", "key"),
    [
        pytest.param("On the Convergence of Adam", "Reddi", "reddi2023convergence", id="on-the"),
        pytest.param("Do ImageNet Classifiers Generalize", "Recht", "recht2023imagenet", id="do"),
        pytest.param("When Does Label Smoothing Help", "Muller", "muller2023does", id="when-does"),
        pytest.param("Mass-Editing Memory in a Transformer", "Meng", "meng2023mass", id="hyphen"),
        pytest.param("UNIFIED-IO: A Unified Model", "Lu", "lu2023unified", id="caps-hyphen"),
        pytest.param("No Reason for No Supervision", "Sarıyıldız", "sariyildiz2023no", id="no"),
        pytest.param("Can Transformers Reason", "A", "a2023can", id="can"),
        pytest.param("Towards Robust Models", "A", "a2023towards", id="towards"),
        pytest.param("Beyond Accuracy", "A", "a2023beyond", id="beyond"),
        pytest.param("How to Train Your MAML", "Antoniou", "antoniou2023train", id="how-to"),
        pytest.param("What's Encoded in a Mask?", "Paul", "paul2023s", id="apostrophe"),
        pytest.param("$\\alpha$-Divergence Bounds", "Li", "li2023divergence", id="math-skipped"),
        pytest.param("Über Mäuse", "Müßig", "mussig2023uber", id="fold"),
        pytest.param("3D Atomistic Graphs", "Liao", "liao20233d", id="digit"),
    ],
)
def test_scholar_key(title: str, family: str, key: str) -> None:
    assert scholar_key(paper(title, family)) == key


def test_family_without_particle() -> None:
    assert scholar_key(paper("Visualizing Data using t-SNE", "Maaten", particle="van der")) == (
        "maaten2023visualizing"
    )


def test_collisions_get_letters_in_order_case_insensitively() -> None:
    keys = KeyAssigner(taken=["Smith2023Learning"])
    got = [keys.assign(paper("Learning Things", "Smith")) for _ in range(3)]
    assert got == ["smith2023learninga", "smith2023learningb", "smith2023learningc"]


def test_collision_suffixes_run_past_z() -> None:
    assert [collision_suffix(n) for n in (1, 2, 26, 27, 28, 52, 53, 702, 703)] == [
        "a",
        "b",
        "z",
        "aa",
        "ab",
        "az",
        "ba",
        "zz",
        "aaa",
    ]


def test_first_paper_keeps_the_plain_key() -> None:
    keys = KeyAssigner()
    assert keys.assign(paper("Learning", "Li")) == "li2023learning"
    assert keys.assign(paper("Learning", "Li")) == "li2023learninga"
    assert keys.assign(paper("Other", "Li")) == "li2023other"


def test_suffixed_key_never_collides_with_a_natural_one() -> None:
    keys = KeyAssigner()
    assert keys.assign(paper("Learning", "Li")) == "li2023learning"
    assert keys.assign(paper("Learning", "Li")) == "li2023learninga"
    assert keys.assign(paper("Learninga", "Li")) == "li2023learningaa"


TITLE = "An Awesome Paper on JabRef"


@pytest.mark.parametrize(
    ("pattern", "families", "key"),
    [
        pytest.param("[auth][year]", ("Gal",), "Gal2023", id="auth-year"),
        pytest.param(
            "[auth:lower][year][veryshorttitle:lower]",
            ("Gal",),
            "gal2023awesome",
            id="default-like",
        ),
        pytest.param("[authEtAl]", ("Gal", "Alaluf"), "GalAlaluf", id="etal-two"),
        pytest.param("[authEtAl]", ("Gal", "Alaluf", "Atzmon"), "GalEtAl", id="etal-three"),
        pytest.param("[authors2]", ("Gal", "Alaluf", "Atzmon"), "GalAlalufEtAl", id="authors2"),
        pytest.param("[authors]", ("Gal", "Alaluf"), "GalAlaluf", id="authors"),
        pytest.param("[auth3]", ("Chalumeau",), "Cha", id="authN"),
        pytest.param("[auth:upper][shortyear]", ("Gal",), "GAL23", id="upper-shortyear"),
        pytest.param("[title]", ("Gal",), "AnAwesomePaperonJabref", id="title"),
        pytest.param("[shorttitle]", ("Gal",), "AwesomePaperJabref", id="shorttitle"),
        pytest.param("[veryshorttitle]", ("Gal",), "Awesome", id="veryshorttitle"),
        pytest.param("[camel]", ("Gal",), "AnAwesomePaperOnJabref", id="camel"),
        pytest.param(
            "[venue:lower]-[auth:capitalize]", ("GAL",), "iclr-Gal", id="venue-capitalize"
        ),
    ],
)
def test_key_patterns(pattern: str, families: tuple[str, ...], key: str) -> None:
    assert KeyAssigner(pattern).assign(paper(TITLE, *families)) == key


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        pytest.param("[nosuch]", "unknown key pattern marker [nosuch]", id="marker"),
        pytest.param("[auth:bold]", "unknown modifier :bold", id="modifier"),
        pytest.param("key{[auth]}", "may only hold", id="unsafe-literal"),
        pytest.param("plain", "has no [marker]", id="no-marker"),
    ],
)
def test_bad_patterns_are_errors(pattern: str, message: str) -> None:
    with pytest.raises(KeyPatternError, match=message.replace("[", r"\[").replace("]", r"\]")):
        KeyAssigner(pattern)


def test_with_key_is_replace() -> None:
    p = Paper(
        title="T",
        authors=(Person(given="A", family="B"),),
        venue=VENUE,
        origin=Origin("t", 3),
        abstract="abstract",
        number=7,
        track="Oral",
        key="old",
        keywords=("k",),
    )
    assert with_key(p, "new") == replace(p, key="new")
    assert with_key(p, "new") is not p and p.key == "old"


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("aZ 9-ßüøıłαβ中文Æ\u00e9\u0301\u200b{}\\$é")))
def test_folding_only_the_runs_that_are_not_ascii_is_unidecode(text: str) -> None:
    """fold and title_words give unidecode's answer though it sees only the non-ASCII runs."""
    assert keys._to_ascii(text) == unidecode(text)
    plain = strip_invisible(text)
    folded = "".join(keys._ALNUM.findall(unidecode(keys._TEX_COMMAND.sub("", plain))))
    assert keys.fold(text) == keys._fold_name(text) == folded
    words = keys._ALNUM.findall(unidecode(keys._TEX_COMMAND.sub(" ", plain)))
    assert keys.title_words(text) == words
