"""The venue table: what a listing header's venue and year turn into in the exported entry."""

from __future__ import annotations

import pytest

from bibexport.model import Venue
from bibexport.venues import (
    VENUES,
    VenueSpec,
    known_venues,
    ordinal_suffix,
    ordinal_words,
    resolve,
)

PMLR = "Proceedings of Machine Learning Research"
PMLR_ISSN = "2640-3498"
ACL = "Association for Computational Linguistics"
ACM = "Association for Computing Machinery"
IJCAI_ORG = "International Joint Conferences on Artificial Intelligence Organization"


def pmlr(short: str, year: int, title: str, volume: str) -> Venue:
    return Venue(
        short=short,
        year=year,
        container_title=title,
        publisher="PMLR",
        volume=volume,
        series=PMLR,
        issn=PMLR_ISSN,
    )


RESOLVED = [
    # ICLR: ordinal = year - 2012, in words, from the Tenth (2022) on.
    pytest.param(
        "ICLR",
        2023,
        Venue(
            short="ICLR",
            year=2023,
            container_title="The Eleventh International Conference on Learning Representations",
            publisher="OpenReview.net",
        ),
        id="iclr-2023",
    ),
    pytest.param(
        "ICLR",
        2022,
        Venue(
            short="ICLR",
            year=2022,
            container_title="The Tenth International Conference on Learning Representations",
            publisher="OpenReview.net",
        ),
        id="iclr-2022",
    ),
    pytest.param(
        "ICLR",
        2024,
        Venue(
            short="ICLR",
            year=2024,
            container_title="The Twelfth International Conference on Learning Representations",
            publisher="OpenReview.net",
        ),
        id="iclr-2024",
    ),
    pytest.param(
        "ICLR",
        2025,
        Venue(
            short="ICLR",
            year=2025,
            container_title="The Thirteenth International Conference on Learning Representations",
            publisher="OpenReview.net",
        ),
        id="iclr-2025",
    ),
    pytest.param(
        "ICLR",
        2020,
        Venue(
            short="ICLR",
            year=2020,
            container_title="8th International Conference on Learning Representations",
            publisher="OpenReview.net",
        ),
        id="iclr-2020-dblp-numeral",
    ),
    pytest.param(
        "ICLR",
        2015,
        Venue(
            short="ICLR",
            year=2015,
            container_title="International Conference on Learning Representations",
        ),
        id="iclr-2015-before-checked-years-name-only",
    ),
    # NeurIPS: volume = year - 1987; the publisher changed over time.
    pytest.param(
        "NeurIPS",
        2023,
        Venue(
            short="NeurIPS",
            year=2023,
            container_title="Advances in Neural Information Processing Systems",
            publisher="Curran Associates, Inc.",
            volume="36",
        ),
        id="neurips-2023",
    ),
    pytest.param(
        "NIPS",
        2017,
        Venue(
            short="NeurIPS",
            year=2017,
            container_title="Advances in Neural Information Processing Systems",
            publisher="Curran Associates, Inc.",
            volume="30",
        ),
        id="nips-alias-2017",
    ),
    pytest.param(
        "NeurIPS",
        2006,
        Venue(
            short="NeurIPS",
            year=2006,
            container_title="Advances in Neural Information Processing Systems",
            publisher="MIT Press",
            volume="19",
        ),
        id="neurips-2006-mit-press",
    ),
    pytest.param(
        "NeurIPS",
        1990,
        Venue(
            short="NeurIPS",
            year=1990,
            container_title="Advances in Neural Information Processing Systems",
            volume="3",
        ),
        id="neurips-1990-unchecked-publisher-left-out",
    ),
    # ICML: PMLR volume per year, ordinal = year - 1983.
    pytest.param(
        "ICML",
        2023,
        pmlr(
            "ICML",
            2023,
            "Proceedings of the 40th International Conference on Machine Learning",
            "202",
        ),
        id="icml-2023",
    ),
    pytest.param(
        "ICML",
        2019,
        pmlr(
            "ICML",
            2019,
            "Proceedings of the 36th International Conference on Machine Learning",
            "97",
        ),
        id="icml-2019",
    ),
    pytest.param(
        "ICML",
        2024,
        pmlr(
            "ICML",
            2024,
            "Proceedings of the 41st International Conference on Machine Learning",
            "235",
        ),
        id="icml-2024",
    ),
    pytest.param(
        "ICML",
        2026,
        pmlr(
            "ICML", 2026, "Proceedings of the 43rd International Conference on Machine Learning", ""
        ),
        id="icml-2026-volume-unknown",
    ),
    # Computer vision.
    pytest.param(
        "CVPR",
        2023,
        Venue(
            short="CVPR",
            year=2023,
            container_title="Proceedings of the IEEE/CVF Conference on Computer Vision and "
            "Pattern Recognition (CVPR)",
            publisher="IEEE",
        ),
        id="cvpr-2023",
    ),
    pytest.param(
        "ICCV",
        2023,
        Venue(
            short="ICCV",
            year=2023,
            container_title="Proceedings of the IEEE/CVF International Conference on Computer "
            "Vision (ICCV)",
            publisher="IEEE",
        ),
        id="iccv-2023",
    ),
    pytest.param(
        "ECCV",
        2022,
        Venue(
            short="ECCV",
            year=2022,
            container_title="Computer Vision \u2013 ECCV 2022",
            publisher="Springer Nature Switzerland",
            series="Lecture Notes in Computer Science",
        ),
        id="eccv-2022",
    ),
    pytest.param(
        "ECCV",
        2020,
        Venue(
            short="ECCV",
            year=2020,
            container_title="Computer Vision \u2013 ECCV 2020",
            publisher="Springer International Publishing",
            series="Lecture Notes in Computer Science",
        ),
        id="eccv-2020",
    ),
    # ACL Anthology.
    pytest.param(
        "ACL",
        2023,
        Venue(
            short="ACL",
            year=2023,
            container_title="Proceedings of the 61st Annual Meeting of the Association for "
            "Computational Linguistics (Volume 1: Long Papers)",
            publisher=ACL,
        ),
        id="acl-2023",
    ),
    pytest.param(
        "ACL",
        2021,
        Venue(
            short="ACL",
            year=2021,
            container_title="Proceedings of the 59th Annual Meeting of the Association for "
            "Computational Linguistics and the 11th International Joint Conference on Natural "
            "Language Processing (Volume 1: Long Papers)",
            publisher=ACL,
        ),
        id="acl-2021-joint-ijcnlp",
    ),
    pytest.param(
        "ACL",
        2020,
        Venue(
            short="ACL",
            year=2020,
            container_title="Proceedings of the 58th Annual Meeting of the Association for "
            "Computational Linguistics",
            publisher=ACL,
        ),
        id="acl-2020",
    ),
    pytest.param(
        "EMNLP",
        2023,
        Venue(
            short="EMNLP",
            year=2023,
            container_title="Proceedings of the 2023 Conference on Empirical Methods in Natural "
            "Language Processing",
            publisher=ACL,
        ),
        id="emnlp-2023",
    ),
    pytest.param(
        "EMNLP",
        2020,
        Venue(
            short="EMNLP",
            year=2020,
            container_title="Proceedings of the 2020 Conference on Empirical Methods in Natural "
            "Language Processing (EMNLP)",
            publisher=ACL,
        ),
        id="emnlp-2020",
    ),
    pytest.param(
        "EMNLP",
        2019,
        Venue(
            short="EMNLP",
            year=2019,
            container_title="Proceedings of the 2019 Conference on Empirical Methods in Natural "
            "Language Processing and the 9th International Joint Conference on Natural Language "
            "Processing (EMNLP-IJCNLP)",
            publisher=ACL,
        ),
        id="emnlp-2019-ijcnlp",
    ),
    pytest.param(
        "NAACL",
        2024,
        Venue(
            short="NAACL",
            year=2024,
            container_title="Proceedings of the 2024 Conference of the North American Chapter of "
            "the Association for Computational Linguistics: Human Language Technologies "
            "(Volume 1: Long Papers)",
            publisher=ACL,
        ),
        id="naacl-2024",
    ),
    pytest.param(
        "NAACL",
        2025,
        Venue(
            short="NAACL",
            year=2025,
            container_title="Proceedings of the 2025 Conference of the Nations of the Americas "
            "Chapter of the Association for Computational Linguistics: Human Language "
            "Technologies (Volume 1: Long Papers)",
            publisher=ACL,
        ),
        id="naacl-2025-renamed-chapter",
    ),
    pytest.param(
        "NAACL",
        2022,
        Venue(
            short="NAACL",
            year=2022,
            container_title="Proceedings of the 2022 Conference of the North American Chapter of "
            "the Association for Computational Linguistics: Human Language Technologies",
            publisher=ACL,
        ),
        id="naacl-2022",
    ),
    pytest.param(
        "NAACL",
        2019,
        Venue(
            short="NAACL",
            year=2019,
            container_title="Proceedings of the 2019 Conference of the North American Chapter of "
            "the Association for Computational Linguistics: Human Language Technologies, "
            "Volume 1 (Long and Short Papers)",
            publisher=ACL,
        ),
        id="naacl-2019",
    ),
    # AI conferences.
    pytest.param(
        "AAAI",
        2023,
        Venue(
            short="AAAI",
            year=2023,
            container_title="Proceedings of the AAAI Conference on Artificial Intelligence",
            publisher="AAAI Press",
            volume="37",
        ),
        id="aaai-2023",
    ),
    pytest.param(
        "AAAI",
        2010,
        Venue(
            short="AAAI",
            year=2010,
            container_title="Proceedings of the AAAI Conference on Artificial Intelligence",
            publisher="AAAI Press",
            volume="24",
        ),
        id="aaai-2010",
    ),
    pytest.param(
        "IJCAI",
        2023,
        Venue(
            short="IJCAI",
            year=2023,
            container_title="Proceedings of the Thirty-Second International Joint Conference on "
            "Artificial Intelligence, IJCAI-23",
            publisher=IJCAI_ORG,
        ),
        id="ijcai-2023",
    ),
    pytest.param(
        "IJCAI",
        2017,
        Venue(
            short="IJCAI",
            year=2017,
            container_title="Proceedings of the Twenty-Sixth International Joint Conference on "
            "Artificial Intelligence, IJCAI-17",
            publisher=IJCAI_ORG,
        ),
        id="ijcai-2017",
    ),
    pytest.param(
        "IJCAI",
        2025,
        Venue(
            short="IJCAI",
            year=2025,
            container_title="Proceedings of the Thirty-Fourth International Joint Conference on "
            "Artificial Intelligence, IJCAI-25",
            publisher=IJCAI_ORG,
        ),
        id="ijcai-2025",
    ),
    # PMLR conferences, each with its own ordinal style.
    pytest.param(
        "AISTATS",
        2023,
        pmlr(
            "AISTATS",
            2023,
            "Proceedings of The 26th International Conference on Artificial Intelligence and "
            "Statistics",
            "206",
        ),
        id="aistats-2023",
    ),
    pytest.param(
        "AISTATS",
        2020,
        pmlr(
            "AISTATS",
            2020,
            "Proceedings of the Twenty Third International Conference on Artificial Intelligence "
            "and Statistics",
            "108",
        ),
        id="aistats-2020-spelled-out",
    ),
    pytest.param(
        "UAI",
        2023,
        pmlr(
            "UAI",
            2023,
            "Proceedings of the Thirty-Ninth Conference on Uncertainty in Artificial Intelligence",
            "216",
        ),
        id="uai-2023",
    ),
    pytest.param(
        "UAI",
        2025,
        pmlr(
            "UAI",
            2025,
            "Proceedings of the Forty-first Conference on Uncertainty in Artificial Intelligence",
            "286",
        ),
        id="uai-2025-lowercase-tail",
    ),
    pytest.param(
        "UAI",
        2020,
        pmlr(
            "UAI",
            2020,
            "Proceedings of the 36th Conference on Uncertainty in Artificial Intelligence (UAI)",
            "124",
        ),
        id="uai-2020-numeral",
    ),
    pytest.param(
        "COLT",
        2023,
        pmlr("COLT", 2023, "Proceedings of Thirty Sixth Conference on Learning Theory", "195"),
        id="colt-2023-unhyphenated",
    ),
    pytest.param(
        "COLT",
        2019,
        pmlr("COLT", 2019, "Proceedings of the Thirty-Second Conference on Learning Theory", "99"),
        id="colt-2019",
    ),
    pytest.param(
        "CoRL",
        2023,
        pmlr("CoRL", 2023, "Proceedings of The 7th Conference on Robot Learning", "229"),
        id="corl-2023",
    ),
    pytest.param(
        "CoRL",
        2021,
        pmlr("CoRL", 2021, "Proceedings of the 5th Conference on Robot Learning", "164"),
        id="corl-2021",
    ),
    pytest.param(
        "CoRL",
        2020,
        pmlr("CoRL", 2020, "Proceedings of the 2020 Conference on Robot Learning", "155"),
        id="corl-2020",
    ),
    # ACM.
    pytest.param(
        "KDD",
        2023,
        Venue(
            short="KDD",
            year=2023,
            container_title="Proceedings of the 29th ACM SIGKDD Conference on Knowledge Discovery "
            "and Data Mining",
            publisher=ACM,
            series="KDD '23",
        ),
        id="kdd-2023",
    ),
    pytest.param(
        "KDD",
        2021,
        Venue(
            short="KDD",
            year=2021,
            container_title="Proceedings of the 27th ACM SIGKDD Conference on Knowledge Discovery "
            "& Data Mining",
            publisher=ACM,
            series="KDD '21",
        ),
        id="kdd-2021",
    ),
    pytest.param(
        "WWW",
        2023,
        Venue(
            short="WWW",
            year=2023,
            container_title="Proceedings of the ACM Web Conference 2023",
            publisher=ACM,
            series="WWW '23",
        ),
        id="www-2023",
    ),
    pytest.param(
        "WWW",
        2021,
        Venue(
            short="WWW",
            year=2021,
            container_title="Proceedings of the Web Conference 2021",
            publisher=ACM,
            series="WWW '21",
        ),
        id="www-2021",
    ),
    pytest.param(
        "WWW",
        2025,
        Venue(
            short="WWW",
            year=2025,
            container_title="Proceedings of the ACM on Web Conference 2025",
            publisher=ACM,
            series="WWW '25",
        ),
        id="www-2025",
    ),
    # Journals.
    pytest.param(
        "TMLR",
        2023,
        Venue(
            short="TMLR",
            year=2023,
            entry_type="article",
            container_title="Transactions on Machine Learning Research",
            issn="2835-8856",
        ),
        id="tmlr-2023",
    ),
    pytest.param(
        "JMLR",
        2023,
        Venue(
            short="JMLR",
            year=2023,
            entry_type="article",
            container_title="Journal of Machine Learning Research",
            volume="24",
            issn="1533-7928",
        ),
        id="jmlr-2023",
    ),
    pytest.param(
        "JMLR",
        2000,
        Venue(
            short="JMLR",
            year=2000,
            entry_type="article",
            container_title="Journal of Machine Learning Research",
            volume="1",
            issn="1533-7928",
        ),
        id="jmlr-2000-first-volume",
    ),
]


@pytest.mark.parametrize(("name", "year", "expected"), RESOLVED)
def test_resolve(name: str, year: int, expected: Venue) -> None:
    assert resolve(name, year) == expected


@pytest.mark.parametrize(
    "spelling",
    [
        pytest.param("iclr", id="lower"),
        pytest.param("Iclr", id="title"),
        pytest.param("ICLR", id="upper"),
        pytest.param(" ICLR ", id="padded"),
    ],
)
def test_lookup_ignores_case_and_padding(spelling: str) -> None:
    venue = resolve(spelling, 2023)
    assert venue.short == "ICLR"
    assert venue.known
    assert venue.container_title == (
        "The Eleventh International Conference on Learning Representations"
    )


@pytest.mark.parametrize(
    ("alias", "short"),
    [
        pytest.param("NIPS", "NeurIPS", id="nips"),
        pytest.param("nips", "NeurIPS", id="nips-lower"),
        pytest.param("NEURIPS", "NeurIPS", id="neurips-upper"),
        pytest.param("corl", "CoRL", id="corl-lower"),
        pytest.param("SIGKDD", "KDD", id="sigkdd"),
        pytest.param("TheWebConf", "WWW", id="thewebconf"),
    ],
)
def test_aliases_resolve_to_the_canonical_venue(alias: str, short: str) -> None:
    venue = resolve(alias, 2023)
    assert venue.known
    assert venue.short == short
    assert venue.container_title == resolve(short, 2023).container_title


@pytest.mark.parametrize(
    ("name", "year"),
    [
        pytest.param("MLSys", 2023, id="with-year"),
        pytest.param("SIGGRAPH Asia", None, id="without-year"),
    ],
)
def test_unknown_venue_keeps_its_name(name: str, year: int | None) -> None:
    assert resolve(name, year) == Venue(short=name, year=year, container_title=name, known=False)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param(
            "ICLR",
            Venue(
                short="ICLR",
                year=None,
                container_title="International Conference on Learning Representations",
                publisher="OpenReview.net",
            ),
            id="iclr-ordinal-dropped",
        ),
        pytest.param(
            "NeurIPS",
            Venue(
                short="NeurIPS",
                year=None,
                container_title="Advances in Neural Information Processing Systems",
                publisher="Curran Associates, Inc.",
            ),
            id="neurips-no-volume",
        ),
        pytest.param(
            "ICML",
            Venue(
                short="ICML",
                year=None,
                container_title="International Conference on Machine Learning",
                publisher="PMLR",
                series=PMLR,
                issn=PMLR_ISSN,
            ),
            id="icml-series-kept",
        ),
        pytest.param(
            "CVPR",
            Venue(
                short="CVPR",
                year=None,
                container_title="Proceedings of the IEEE/CVF Conference on Computer Vision and "
                "Pattern Recognition (CVPR)",
                publisher="IEEE",
            ),
            id="cvpr-title-has-no-year",
        ),
        pytest.param(
            "KDD",
            Venue(
                short="KDD",
                year=None,
                container_title="ACM SIGKDD Conference on Knowledge Discovery and Data Mining",
                publisher=ACM,
            ),
            id="kdd-yearly-series-dropped",
        ),
        pytest.param(
            "JMLR",
            Venue(
                short="JMLR",
                year=None,
                entry_type="article",
                container_title="Journal of Machine Learning Research",
                issn="1533-7928",
            ),
            id="jmlr-no-volume",
        ),
    ],
)
def test_year_none_fills_only_year_free_fields(name: str, expected: Venue) -> None:
    assert resolve(name, None) == expected


@pytest.mark.parametrize(
    ("n", "words"),
    [
        pytest.param(1, "First", id="1"),
        pytest.param(2, "Second", id="2"),
        pytest.param(3, "Third", id="3"),
        pytest.param(5, "Fifth", id="5"),
        pytest.param(8, "Eighth", id="8"),
        pytest.param(9, "Ninth", id="9"),
        pytest.param(10, "Tenth", id="10"),
        pytest.param(11, "Eleventh", id="11"),
        pytest.param(12, "Twelfth", id="12"),
        pytest.param(13, "Thirteenth", id="13"),
        pytest.param(19, "Nineteenth", id="19"),
        pytest.param(20, "Twentieth", id="20"),
        pytest.param(21, "Twenty-First", id="21"),
        pytest.param(32, "Thirty-Second", id="32"),
        pytest.param(39, "Thirty-Ninth", id="39"),
        pytest.param(40, "Fortieth", id="40"),
        pytest.param(41, "Forty-First", id="41"),
        pytest.param(53, "Fifty-Third", id="53"),
        pytest.param(99, "Ninety-Ninth", id="99"),
        pytest.param(100, "One Hundredth", id="100"),
        pytest.param(111, "One Hundred Eleventh", id="111"),
    ],
)
def test_ordinal_words(n: int, words: str) -> None:
    assert ordinal_words(n) == words


def test_ordinal_words_are_distinct_and_capitalised_up_to_100() -> None:
    spelled = [ordinal_words(n) for n in range(1, 101)]
    assert len(set(spelled)) == 100
    for words in spelled:
        parts = words.replace("-", " ").split(" ")
        assert all(part[:1].isupper() and part[1:].islower() for part in parts), words


@pytest.mark.parametrize("n", [0, -1, 1000])
def test_ordinal_words_outside_range_is_an_error(n: int) -> None:
    with pytest.raises(ValueError):
        ordinal_words(n)


@pytest.mark.parametrize(
    ("n", "text"),
    [
        pytest.param(1, "1st", id="1"),
        pytest.param(2, "2nd", id="2"),
        pytest.param(3, "3rd", id="3"),
        pytest.param(4, "4th", id="4"),
        pytest.param(11, "11th", id="11"),
        pytest.param(12, "12th", id="12"),
        pytest.param(13, "13th", id="13"),
        pytest.param(21, "21st", id="21"),
        pytest.param(22, "22nd", id="22"),
        pytest.param(23, "23rd", id="23"),
        pytest.param(40, "40th", id="40"),
        pytest.param(61, "61st", id="61"),
        pytest.param(62, "62nd", id="62"),
        pytest.param(63, "63rd", id="63"),
        pytest.param(101, "101st", id="101"),
        pytest.param(111, "111th", id="111"),
        pytest.param(112, "112th", id="112"),
        pytest.param(113, "113th", id="113"),
    ],
)
def test_ordinal_suffix(n: int, text: str) -> None:
    assert ordinal_suffix(n) == text


def test_known_venues_lists_every_table_row_and_each_resolves() -> None:
    listed = known_venues()
    assert [short for short, _ in listed] == [spec.short for spec in VENUES]
    for short, pattern in listed:
        assert resolve(short, 2023).known
        assert pattern
        assert "{" not in pattern


def test_known_venues_explains_the_ordinal_arithmetic() -> None:
    patterns = dict(known_venues())
    assert patterns["ICLR"] == (
        "The <Nth in words> International Conference on Learning Representations (N = year - 2012)"
    )
    assert patterns["NeurIPS"] == "Advances in Neural Information Processing Systems"


@pytest.mark.parametrize("spec", [pytest.param(spec, id=spec.short) for spec in VENUES])
def test_every_row_renders_plain_titles_for_every_year(spec: VenueSpec) -> None:
    """No TeX braces or leftover placeholders reach the writers, in any year a row covers."""
    starts = [era.start for era in spec.eras]
    assert starts == sorted(starts)
    for year in range(starts[0], 2031):
        venue = resolve(spec.short, year)
        for text in (venue.container_title, venue.publisher, venue.series):
            assert not set(text) & set("{}\\"), (year, text)
        assert venue.container_title
