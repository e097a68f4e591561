"""Names: one table row per rule of ``bibexport.names``, a property test, and author splitting."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bibexport.model import Person
from bibexport.names import (
    AGNOMENS,
    ARTICLE_PARTICLES,
    CAPITALISED_PARTICLES,
    ORGANISATION_WORDS,
    PARTICLES,
    PULLING_PARTICLES,
    parse_name,
    repair_case,
    split_authors,
)


def P(given: str = "", family: str = "", particle: str = "", suffix: str = "") -> Person:
    return Person(given=given, family=family, particle=particle, suffix=suffix)


def L(literal: str) -> Person:
    return Person(literal=literal)


CASES = [
    # issue 2 basics
    pytest.param("JIANFEI YANG", P("Jianfei", "Yang"), id="shouted"),
    pytest.param("Thomas PIERROT", P("Thomas", "Pierrot"), id="shouted-family"),
    pytest.param("hamid kazemi", P("Hamid", "Kazemi"), id="lower"),
    pytest.param("shuang ma", P("Shuang", "Ma"), id="lower-two-letter-family"),
    pytest.param("Rinon Gal", P("Rinon", "Gal"), id="plain"),
    pytest.param("Andrew Gordon Wilson", P("Andrew Gordon", "Wilson"), id="middle-name"),
    # lower-case particles
    pytest.param("Hado van Hasselt", P("Hado", "Hasselt", "van"), id="van"),
    pytest.param("Mihaela van der Schaar", P("Mihaela", "Schaar", "van der"), id="van-der"),
    pytest.param("Aäron van den Oord", P("Aäron", "Oord", "van den"), id="van-den"),
    pytest.param("Cicero dos Santos", P("Cicero", "Santos", "dos"), id="dos"),
    pytest.param("Colin de la Higuera", P("Colin", "Higuera", "de la"), id="de-la"),
    pytest.param("Ingrid von Glehn", P("Ingrid", "Glehn", "von"), id="von"),
    pytest.param("Rieks op den Akker", P("Rieks", "Akker", "op den"), id="op-den"),
    pytest.param("Gido M van de Ven", P("Gido M", "Ven", "van de"), id="initial-before-van"),
    pytest.param(
        "Filipe de Avila Belbute-Peres", P("Filipe", "Avila Belbute-Peres", "de"), id="de-two-words"
    ),
    pytest.param(
        "Cicero Nogueira dos Santos", P("Cicero Nogueira", "Santos", "dos"), id="dos-no-pull"
    ),
    pytest.param("Willem Robert van Hage", P("Willem Robert", "Hage", "van"), id="van-no-pull"),
    pytest.param("Chantal van Son", P("Chantal", "Son", "van"), id="van-before-asian-word"),
    # compound family names
    pytest.param("Christian Schroeder de Witt", P("Christian", "Schroeder de Witt"), id="pull-de"),
    pytest.param("Remi Tachet des Combes", P("Remi", "Tachet des Combes"), id="pull-des"),
    pytest.param("Sabine Schulte im Walde", P("Sabine", "Schulte im Walde"), id="pull-im"),
    pytest.param("Haitz Sáez de Ocáriz Borde", P("Haitz", "Sáez de Ocáriz Borde"), id="pull-4"),
    pytest.param("Manuel Montes y Gómez", P("Manuel", "Montes y Gómez"), id="connector-y"),
    pytest.param("Joan Soler i Bou", P("Joan", "Soler i Bou"), id="connector-i"),
    pytest.param("A. H. Castro Neto", P("A. H.", "Castro Neto"), id="agnomen-neto"),
    pytest.param("Pedro Balage Filho", P("Pedro", "Balage Filho"), id="agnomen-filho"),
    pytest.param("Adrià Puigdomènech Badia", P("Adrià Puigdomènech", "Badia"), id="unmarked-two"),
    # capitalised particles stay in the family name
    pytest.param("Benjamin Van Roy", P("Benjamin", "Van Roy"), id="Van"),
    pytest.param("Christopher De Sa", P("Christopher", "De Sa"), id="De"),
    pytest.param("Batiste Le Bars", P("Batiste", "Le Bars"), id="Le"),
    pytest.param("Guy Van den Broeck", P("Guy", "Van den Broeck"), id="Van-den"),
    pytest.param("Fabio De Sousa Ribeiro", P("Fabio", "De Sousa Ribeiro"), id="De-two-words"),
    pytest.param("Stephen A. Della Pietra", P("Stephen A.", "Della Pietra"), id="Della"),
    pytest.param("Greg Ver Steeg", P("Greg", "Ver Steeg"), id="Ver"),
    pytest.param("Ayoub El Hanchi", P("Ayoub", "El Hanchi"), id="El-before-last"),
    pytest.param("Mohamed El Amine Seddik", P("Mohamed El Amine", "Seddik"), id="El-given"),
    pytest.param("Diego De Cao", P("Diego", "De Cao"), id="De-before-asian-word"),
    # Vietnamese, Chinese: no particles
    pytest.param("Quoc V. Le", P("Quoc V.", "Le"), id="quoc-le"),
    pytest.param("Thanh Van Le", P("Thanh Van", "Le"), id="vietnamese-van-middle"),
    pytest.param("Vinh Van Nguyen", P("Vinh Van", "Nguyen"), id="vietnamese-van-nguyen"),
    pytest.param("Vo Nguyen Le Duy", P("Vo Nguyen Le", "Duy"), id="vietnamese-le-middle"),
    pytest.param("Văn Thanh Lê", P("Văn Thanh", "Lê"), id="vietnamese-letters"),
    pytest.param("Xiao Di Wang", P("Xiao Di", "Wang"), id="chinese-di"),
    pytest.param("xiao bin li", P("Xiao Bin", "Li"), id="chinese-bin-lower"),
    # suffixes
    pytest.param("Hal Daumé III", P("Hal", "Daumé", suffix="III"), id="III"),
    pytest.param("Charles L. Isbell Jr.", P("Charles L.", "Isbell", suffix="Jr."), id="Jr"),
    pytest.param("Charles L. Isbell, Jr.", P("Charles L.", "Isbell", suffix="Jr."), id="comma-Jr"),
    pytest.param("Charles L. Isbell jr", P("Charles L.", "Isbell", suffix="Jr."), id="jr-lower"),
    pytest.param("John Smith Sr.", P("John", "Smith", suffix="Sr."), id="Sr"),
    pytest.param("Marcus Kracht II", P("Marcus", "Kracht", suffix="II"), id="II"),
    pytest.param("Henry Ford IV", P("Henry", "Ford", suffix="IV"), id="IV"),
    # written "Family, Given"
    pytest.param("van der Maaten, Laurens", P("Laurens", "Maaten", "van der"), id="inverted-von"),
    pytest.param("Van Roy, Benjamin", P("Benjamin", "Van Roy"), id="inverted-Van"),
    pytest.param("Daumé, III, Hal", P("Hal", "Daumé", suffix="III"), id="inverted-jr"),
    pytest.param("Daumé III, Hal", P("Hal", "Daumé", suffix="III"), id="inverted-suffix-in-last"),
    pytest.param("Isbell, Jr., Charles L.", P("Charles L.", "Isbell", suffix="Jr."), id="inv-3"),
    pytest.param("PIERROT, Thomas", P("Thomas", "Pierrot"), id="inverted-shouted"),
    pytest.param("King, Jr.", P("", "King", suffix="Jr."), id="inverted-only-suffix"),
    # case repair
    pytest.param("jean-pierre dupont", P("Jean-Pierre", "Dupont"), id="hyphen"),
    pytest.param("conor o'brien", P("Conor", "O'Brien"), id="apostrophe-o"),
    pytest.param("alexander d'amour", P("Alexander", "D'Amour"), id="apostrophe-d"),
    pytest.param("emily prud’hommeaux", P("Emily", "Prud’hommeaux"), id="apostrophe-long-prefix"),
    pytest.param("felice dell’orletta", P("Felice", "Dell’Orletta"), id="apostrophe-dell"),
    pytest.param("david mcdonald", P("David", "McDonald"), id="mc"),
    pytest.param("Joao MACHADO", P("Joao", "Machado"), id="mac-not-mc"),
    pytest.param("Tomasz MACIEJEWSKI", P("Tomasz", "Maciejewski"), id="maciejewski"),
    pytest.param("MIHAELA VAN DER SCHAAR", P("Mihaela", "Schaar", "van der"), id="shouted-von"),
    pytest.param("Mihaela VAN DER SCHAAR", P("Mihaela", "Schaar", "van der"), id="shouted-tail"),
    pytest.param("HAL DAUMÉ III", P("Hal", "Daumé", suffix="III"), id="shouted-suffix"),
    pytest.param("hal daumé iii", P("Hal", "Daumé", suffix="III"), id="lower-suffix"),
    pytest.param("Alex J Andonian", P("Alex J", "Andonian"), id="initial"),
    pytest.param("Jayaraman J. Thiagarajan", P("Jayaraman J.", "Thiagarajan"), id="initial-dot"),
    pytest.param("AJ Piergiovanni", P("AJ", "Piergiovanni"), id="initials-AJ"),
    pytest.param("Bradley CA Brown", P("Bradley CA", "Brown"), id="initials-CA"),
    pytest.param("HE Zhang", P("He", "Zhang"), id="shouted-two-letter-given"),
    pytest.param("Raymond T. NG", P("Raymond T.", "Ng"), id="shouted-two-letter-family"),
    pytest.param("Susanne PREUẞ", P("Susanne", "Preuß"), id="capital-sharp-s"),
    pytest.param("Ping-yeh Chiang", P("Ping-yeh", "Chiang"), id="mixed-hyphen-kept"),
    pytest.param("Yann LeCun", P("Yann", "LeCun"), id="mixed-LeCun"),
    pytest.param("Andrew McCallum", P("Andrew", "McCallum"), id="mixed-McCallum"),
    pytest.param("Terrance DeVries", P("Terrance", "DeVries"), id="mixed-DeVries"),
    pytest.param("Jin young Choi", P("Jin Young", "Choi"), id="one-word-lower"),
    # single names, organisations, et al.
    pytest.param("Prabhat", P("", "Prabhat"), id="single"),
    pytest.param("OpenAI", P("", "OpenAI"), id="single-organisation"),
    pytest.param("PRABHAT", P("", "Prabhat"), id="single-shouted"),
    pytest.param("OpenAI Team", L("OpenAI Team"), id="team"),
    pytest.param("The Gene Ontology Consortium", L("The Gene Ontology Consortium"), id="the"),
    pytest.param("Google DeepMind", L("Google DeepMind"), id="deepmind"),
    pytest.param("Meta AI", L("Meta AI"), id="AI"),
    pytest.param("Wei Ai", P("Wei", "Ai"), id="Ai-is-a-name"),
    pytest.param("et al.", L("others"), id="et-al"),
    pytest.param("others", L("others"), id="others"),
    pytest.param("and others", L("others"), id="and-others"),
    # Unicode
    pytest.param("Gülşen Eryiğit", P("Gülşen", "Eryiğit"), id="turkish"),
    pytest.param("Memduh Gökırmak", P("Memduh", "Gökırmak"), id="dotless-i"),
    pytest.param("Grzegorz Chrupała", P("Grzegorz", "Chrupała"), id="polish-l"),
    pytest.param("Ondřej Bojar", P("Ondřej", "Bojar"), id="czech"),
    pytest.param("Lilja Øvrelid", P("Lilja", "Øvrelid"), id="nordic"),
    pytest.param("Sonja Nießen", P("Sonja", "Nießen"), id="sharp-s"),
    pytest.param("Cẩm Tú Nguyễn", P("Cẩm Tú", "Nguyễn"), id="vietnamese-stacked"),
    pytest.param("Ondr\u030cej Bojar", P("Ondřej", "Bojar"), id="nfd-to-nfc"),
    pytest.param("张三", L("张三"), id="chinese"),
    pytest.param("山田太郎", L("山田太郎"), id="japanese"),
    pytest.param("山田 太郎", L("山田 太郎"), id="japanese-space"),
    pytest.param("김철수", L("김철수"), id="korean"),
    pytest.param("山田, 太郎", P("太郎", "山田"), id="cjk-inverted"),
    pytest.param("Rinon\u200b Gal", P("Rinon", "Gal"), id="zero-width-space"),
    pytest.param("\u202aRinon Gal\u202c", P("Rinon", "Gal"), id="bidi"),
    pytest.param("Mihaela van der Scha\u00adar", P("Mihaela", "Schaar", "van der"), id="soft-hy"),
    pytest.param("Benjamin\u00a0Van  Roy", P("Benjamin", "Van Roy"), id="nbsp"),
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_parse_name(raw: str, expected: Person) -> None:
    assert parse_name(raw) == expected


@pytest.mark.parametrize("raw", ["", "  ", " ; ", "\u200b", ","])
def test_empty_name_is_none(raw: str) -> None:
    assert parse_name(raw) is None


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        pytest.param("PIERROT", "Pierrot", id="upper"),
        pytest.param("jean-pierre", "Jean-Pierre", id="hyphen"),
        pytest.param("MCDONALD", "McDonald", id="mc"),
        pytest.param("o'brien", "O'Brien", id="apostrophe"),
        pytest.param("LeCun", "LeCun", id="mixed"),
        pytest.param("j", "J", id="initial"),
        pytest.param("", "", id="empty"),
    ],
)
def test_repair_case(word: str, expected: str) -> None:
    assert repair_case(word) == expected


def test_repair_case_keeps_initials_only_when_allowed() -> None:
    assert repair_case("AJ", initials_ok=True) == "AJ"
    assert repair_case("AJ") == "Aj"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param("Rinon Gal ; Yuval Alaluf", ["Rinon Gal", "Yuval Alaluf"], id="semicolon"),
        pytest.param("Rinon Gal, Yuval Alaluf", ["Rinon Gal", "Yuval Alaluf"], id="comma"),
        pytest.param(
            "Maaten, Laurens van der ; Hinton, Geoffrey",
            ["Maaten, Laurens van der", "Hinton, Geoffrey"],
            id="comma-inside-semicolon",
        ),
        pytest.param(" ; Rinon Gal ;; ", ["Rinon Gal"], id="empties-dropped"),
        pytest.param("", [], id="empty"),
        pytest.param("Prabhat", ["Prabhat"], id="one"),
    ],
)
def test_split_authors(line: str, expected: list[str]) -> None:
    assert split_authors(line) == expected


# --- property: names that are not damaged come back unchanged -------------------------------

_LOWER = "abcdefghijklmnopqrstuvwxyzéèüöäåøłıçğşñ"
_UPPER = "ABCDEFGHIJKLMNOPRSTUVWXYZÉÜÖÄÅØŁÇŞÑ"
# A capital, lower-case letters, and maybe a capital inside (McCallum, DeVries): mixed case.
_RESERVED = {w.lower() for w in PARTICLES | CAPITALISED_PARTICLES | ARTICLE_PARTICLES}
_RESERVED |= AGNOMENS | ORGANISATION_WORDS
_word = st.builds(
    lambda first, rest, inner: first + rest[:2] + inner + rest[2:],
    st.sampled_from(_UPPER),
    st.text(alphabet=_LOWER, min_size=3, max_size=8),
    st.sampled_from(["", "", "", *_UPPER]),
).filter(lambda w: w.lower() not in _RESERVED)
_particle = st.sampled_from(["", "", "van", "van der", "von", "de la", "dos", "du", "ter"])


@given(
    given_words=st.lists(_word, min_size=1, max_size=2),
    particle=_particle,
    family=_word,
)
def test_undamaged_names_come_back_unchanged(
    given_words: list[str], particle: str, family: str
) -> None:
    raw = " ".join(p for p in (*given_words, particle, family) if p)
    if particle.split(" ")[0] in PULLING_PARTICLES and len(given_words) > 1:
        # "Christian Schroeder de Witt": the word before "de" joins a compound family name
        expected = P(" ".join(given_words[:-1]), f"{given_words[-1]} {particle} {family}")
    else:
        expected = P(" ".join(given_words), family, particle)
    assert parse_name(raw) == expected
