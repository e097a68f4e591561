"""Listing venue names (ICLR, NIPS, ...) to the proceedings or journal their papers appear in.

Kept as one data table, each row checked against the venue's own BibTeX, so that adding or fixing
a venue is editing a row, and nothing is looked up over the network.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import field

from bibexport.model import Venue

from ._dataclass import dataclass

_UNITS = (
    "",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
    "Thirteen",
    "Fourteen",
    "Fifteen",
    "Sixteen",
    "Seventeen",
    "Eighteen",
    "Nineteen",
)
_UNIT_ORDINALS = (
    "",
    "First",
    "Second",
    "Third",
    "Fourth",
    "Fifth",
    "Sixth",
    "Seventh",
    "Eighth",
    "Ninth",
    "Tenth",
    "Eleventh",
    "Twelfth",
    "Thirteenth",
    "Fourteenth",
    "Fifteenth",
    "Sixteenth",
    "Seventeenth",
    "Eighteenth",
    "Nineteenth",
)
_TENS = ("", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety")
_TEN_ORDINALS = (
    "",
    "",
    "Twentieth",
    "Thirtieth",
    "Fortieth",
    "Fiftieth",
    "Sixtieth",
    "Seventieth",
    "Eightieth",
    "Ninetieth",
)


_SUFFIXES = {1: "st", 2: "nd", 3: "rd"}


def _below_hundred(n: int) -> str:
    if n < 20:
        return _UNIT_ORDINALS[n]
    tens, units = divmod(n, 10)
    return f"{_TENS[tens]}-{_UNIT_ORDINALS[units]}" if units else _TEN_ORDINALS[tens]


def ordinal_words(n: int) -> str:
    """``32`` -> ``Thirty-Second``: proceedings titles spell the edition out, capitalised."""
    if not 1 <= n <= 999:
        raise ValueError(f"ordinal_words covers 1..999, not {n}")
    hundreds, rest = divmod(n, 100)
    if not hundreds:
        return _below_hundred(rest)
    head = f"{_UNITS[hundreds]} Hundred"
    return f"{head} {_below_hundred(rest)}" if rest else f"{head}th"


def ordinal_suffix(n: int) -> str:
    """``63`` -> ``63rd``; 11-13 of every hundred take ``th`` (``111th``), as English does."""
    if n < 0:
        raise ValueError(f"no ordinal for {n}")
    suffix = "th" if n % 100 in (11, 12, 13) else _SUFFIXES.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass(frozen=True, slots=True)
class Era:
    """One title form and publisher, in force from ``start`` until the next era's start.

    Title placeholders: ``{year}`` 2023, ``{yy}`` 23, ``{nth}`` 40th, ``{words}`` Thirty-Second,
    ``{words_first}`` Forty-first, ``{words_spaced}`` Thirty Sixth. The ordinal is
    ``year - VenueSpec.ordinal_base``.
    """

    start: int
    title: str
    publisher: str


@dataclass(frozen=True, slots=True)
class VenueSpec:
    """One venue. Before the first era a year gets ``generic`` and its volume: nothing unchecked."""

    short: str  # the spelling shown to users: "NeurIPS"
    generic: str  # a title that is true of every year
    eras: tuple[Era, ...]  # sorted by start
    aliases: tuple[str, ...] = ()
    ordinal_base: int = 0
    volume_base: int | None = None  # volume = year - volume_base, from volume_since on
    volume_since: int = 0
    volumes: Mapping[int, str] = field(default_factory=dict)  # per-year volume (PMLR)
    series: str = ""  # may use {yy}: ACM writes "KDD '23"
    issn: str = ""
    entry_type: str = "inproceedings"


_PMLR = "Proceedings of Machine Learning Research"
_PMLR_ISSN = "2640-3498"  # every PMLR _config.yml: issn 2640-3498
_ACM = "Association for Computing Machinery"
_ACL_PUB = "Association for Computational Linguistics"

VENUES: tuple[VenueSpec, ...] = (
    # OpenReview BibTeX 2022-: "The Eleventh International Conference on Learning
    # Representations" (2023), Tenth (2022), Thirteenth (2025); DBLP conf/iclr: publisher
    # OpenReview.net, and "8th International Conference on Learning Representations" for 2020.
    VenueSpec(
        short="ICLR",
        generic="International Conference on Learning Representations",
        eras=(
            Era(
                2018, "{nth} International Conference on Learning Representations", "OpenReview.net"
            ),
            Era(
                2022,
                "The {words} International Conference on Learning Representations",
                "OpenReview.net",
            ),
        ),
        ordinal_base=2012,
    ),
    # proceedings.neurips.cc BibTeX: booktitle "Advances in Neural Information Processing
    # Systems", volume 32 (2019) .. 38 (2025); publisher MIT Press for 1999 and 2006 (vol 12, 19),
    # Curran Associates, Inc. from 2007 (vol 20).
    VenueSpec(
        short="NeurIPS",
        aliases=("NIPS",),
        generic="Advances in Neural Information Processing Systems",
        eras=(
            Era(1999, "Advances in Neural Information Processing Systems", "MIT Press"),
            Era(
                2007, "Advances in Neural Information Processing Systems", "Curran Associates, Inc."
            ),
        ),
        volume_base=1987,
        volume_since=1988,
    ),
    # github.com/mlresearch/v{70,80,97,119,139,162,202,235,267}/_config.yml (PMLR).
    VenueSpec(
        short="ICML",
        generic="International Conference on Machine Learning",
        eras=(
            Era(
                2017,
                "Proceedings of the {nth} International Conference on Machine Learning",
                "PMLR",
            ),
        ),
        ordinal_base=1983,
        volumes={
            2017: "70",
            2018: "80",
            2019: "97",
            2020: "119",
            2021: "139",
            2022: "162",
            2023: "202",
            2024: "235",
            2025: "267",
        },
        series=_PMLR,
        issn=_PMLR_ISSN,
    ),
    # CVF open access BibTeX (Name_2023_CVPR): no publisher; DBLP conf/cvpr/2023: publisher IEEE.
    VenueSpec(
        short="CVPR",
        generic="IEEE/CVF Conference on Computer Vision and Pattern Recognition",
        eras=(
            Era(
                2019,
                "Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition"
                " (CVPR)",
                "IEEE",
            ),
        ),
    ),
    # CVF open access BibTeX (Name_2023_ICCV, Name_2019_ICCV); DBLP conf/iccv/2023: IEEE.
    VenueSpec(
        short="ICCV",
        generic="IEEE/CVF International Conference on Computer Vision",
        eras=(
            Era(
                2019,
                "Proceedings of the IEEE/CVF International Conference on Computer Vision (ICCV)",
                "IEEE",
            ),
        ),
    ),
    # Springer chapter BibTeX: booktitle "Computer Vision -- ECCV 2022" (TeX en dash),
    # publisher "Springer International Publishing" (2020), "Springer Nature Switzerland"
    # (2022, 2024); DBLP: series Lecture Notes in Computer Science (volume is per part: left out).
    VenueSpec(
        short="ECCV",
        generic="European Conference on Computer Vision",
        eras=(
            Era(2018, "Computer Vision \u2013 ECCV {year}", "Springer International Publishing"),
            Era(2022, "Computer Vision \u2013 ECCV {year}", "Springer Nature Switzerland"),
        ),
        series="Lecture Notes in Computer Science",
    ),
    # ACL Anthology BibTeX 2020 (58th), 2021 (59th + IJCNLP), 2022-2025 (60th-63rd, Volume 1).
    VenueSpec(
        short="ACL",
        generic="Annual Meeting of the Association for Computational Linguistics",
        eras=(
            Era(
                2020,
                "Proceedings of the {nth} Annual Meeting of the Association for Computational"
                " Linguistics",
                _ACL_PUB,
            ),
            Era(
                2021,
                "Proceedings of the {nth} Annual Meeting of the Association for Computational"
                " Linguistics and the 11th International Joint Conference on Natural Language"
                " Processing (Volume 1: Long Papers)",
                _ACL_PUB,
            ),
            Era(
                2022,
                "Proceedings of the {nth} Annual Meeting of the Association for Computational"
                " Linguistics (Volume 1: Long Papers)",
                _ACL_PUB,
            ),
        ),
        ordinal_base=1962,
    ),
    # ACL Anthology BibTeX: 2019 (EMNLP-IJCNLP), 2020 "(EMNLP)", 2021-2024 plain.
    VenueSpec(
        short="EMNLP",
        generic="Conference on Empirical Methods in Natural Language Processing",
        eras=(
            Era(
                2019,
                "Proceedings of the {year} Conference on Empirical Methods in Natural Language"
                " Processing and the 9th International Joint Conference on Natural Language"
                " Processing (EMNLP-IJCNLP)",
                _ACL_PUB,
            ),
            Era(
                2020,
                "Proceedings of the {year} Conference on Empirical Methods in Natural Language"
                " Processing (EMNLP)",
                _ACL_PUB,
            ),
            Era(
                2021,
                "Proceedings of the {year} Conference on Empirical Methods in Natural Language"
                " Processing",
                _ACL_PUB,
            ),
        ),
    ),
    # ACL Anthology BibTeX: 2019 (Volume 1 (Long and Short Papers)), 2021-2022 plain,
    # 2024 (Volume 1: Long Papers), 2025 renamed "Nations of the Americas Chapter".
    VenueSpec(
        short="NAACL",
        generic="Conference of the North American Chapter of the Association for Computational"
        " Linguistics: Human Language Technologies",
        eras=(
            Era(
                2019,
                "Proceedings of the {year} Conference of the North American Chapter of the"
                " Association for Computational Linguistics: Human Language Technologies,"
                " Volume 1 (Long and Short Papers)",
                _ACL_PUB,
            ),
            Era(
                2021,
                "Proceedings of the {year} Conference of the North American Chapter of the"
                " Association for Computational Linguistics: Human Language Technologies",
                _ACL_PUB,
            ),
            Era(
                2024,
                "Proceedings of the {year} Conference of the North American Chapter of the"
                " Association for Computational Linguistics: Human Language Technologies"
                " (Volume 1: Long Papers)",
                _ACL_PUB,
            ),
            Era(
                2025,
                "Proceedings of the {year} Conference of the Nations of the Americas Chapter of"
                " the Association for Computational Linguistics: Human Language Technologies"
                " (Volume 1: Long Papers)",
                _ACL_PUB,
            ),
        ),
    ),
    # ojs.aaai.org BibTeX: journal "Proceedings of the AAAI Conference on Artificial
    # Intelligence", volume 37 for 2023 (DOIs aaai.v24 = 2010, v26 = 2012, v32 = 2018);
    # DBLP conf/aaai/2023: publisher AAAI Press.
    VenueSpec(
        short="AAAI",
        generic="Proceedings of the AAAI Conference on Artificial Intelligence",
        eras=(
            Era(
                2010, "Proceedings of the AAAI Conference on Artificial Intelligence", "AAAI Press"
            ),
        ),
        volume_base=1986,
        volume_since=2010,
    ),
    # ijcai.org BibTeX: "Proceedings of the Thirty-Second International Joint Conference on
    # Artificial Intelligence, {IJCAI-23}", publisher International Joint Conferences on
    # Artificial Intelligence Organization; same form 2017 (Twenty-Sixth) .. 2025 (Thirty-Fourth).
    VenueSpec(
        short="IJCAI",
        generic="International Joint Conference on Artificial Intelligence",
        eras=(
            Era(
                2017,
                "Proceedings of the {words} International Joint Conference on Artificial"
                " Intelligence, IJCAI-{yy}",
                "International Joint Conferences on Artificial Intelligence Organization",
            ),
        ),
        ordinal_base=1991,
    ),
    # mlresearch/v{108,130,151,206,238,258}/_config.yml: "the Twenty Third" (2020), then
    # "Proceedings of The 24th .. 28th International Conference on ..." (2021-2025).
    VenueSpec(
        short="AISTATS",
        generic="International Conference on Artificial Intelligence and Statistics",
        eras=(
            Era(
                2020,
                "Proceedings of the {words_spaced} International Conference on Artificial"
                " Intelligence and Statistics",
                "PMLR",
            ),
            Era(
                2021,
                "Proceedings of The {nth} International Conference on Artificial Intelligence"
                " and Statistics",
                "PMLR",
            ),
        ),
        ordinal_base=1997,
        volumes={2020: "108", 2021: "130", 2022: "151", 2023: "206", 2024: "238", 2025: "258"},
        series=_PMLR,
        issn=_PMLR_ISSN,
    ),
    # PMLR paper pages and BibTeX: v124 "the 36th ... (UAI)" (2020), v161/v180/v216/v244
    # "Thirty-Seventh" .. "Fortieth" (2021-2024), v286 "Forty-first" (2025).
    VenueSpec(
        short="UAI",
        generic="Conference on Uncertainty in Artificial Intelligence",
        eras=(
            Era(
                2020,
                "Proceedings of the {nth} Conference on Uncertainty in Artificial Intelligence"
                " (UAI)",
                "PMLR",
            ),
            Era(
                2021,
                "Proceedings of the {words} Conference on Uncertainty in Artificial Intelligence",
                "PMLR",
            ),
            Era(
                2025,
                "Proceedings of the {words_first} Conference on Uncertainty in Artificial"
                " Intelligence",
                "PMLR",
            ),
        ),
        ordinal_base=1984,
        volumes={2020: "124", 2021: "161", 2022: "180", 2023: "216", 2024: "244", 2025: "286"},
        series=_PMLR,
        issn=_PMLR_ISSN,
    ),
    # PMLR BibTeX: v99 "the Thirty-Second" (2019); v125/v134/v178/v195/v247/v291
    # "Proceedings of Thirty Third .. Thirty Eighth Conference on Learning Theory" (2020-2025).
    VenueSpec(
        short="COLT",
        generic="Conference on Learning Theory",
        eras=(
            Era(2019, "Proceedings of the {words} Conference on Learning Theory", "PMLR"),
            Era(2020, "Proceedings of {words_spaced} Conference on Learning Theory", "PMLR"),
        ),
        ordinal_base=1987,
        volumes={
            2019: "99",
            2020: "125",
            2021: "134",
            2022: "178",
            2023: "195",
            2024: "247",
            2025: "291",
        },
        series=_PMLR,
        issn=_PMLR_ISSN,
    ),
    # PMLR BibTeX: v155 "the 2020 Conference" (2020), v164 "the 5th" (2021), v205/v229/v270/v305
    # "Proceedings of The 6th .. 9th Conference on Robot Learning" (2022-2025).
    VenueSpec(
        short="CoRL",
        generic="Conference on Robot Learning",
        eras=(
            Era(2020, "Proceedings of the {year} Conference on Robot Learning", "PMLR"),
            Era(2021, "Proceedings of the {nth} Conference on Robot Learning", "PMLR"),
            Era(2022, "Proceedings of The {nth} Conference on Robot Learning", "PMLR"),
        ),
        ordinal_base=2016,
        volumes={2020: "155", 2021: "164", 2022: "205", 2023: "229", 2024: "270", 2025: "305"},
        series=_PMLR,
        issn=_PMLR_ISSN,
    ),
    # ACM DL BibTeX (doi 10.1145/3580305.*): "Proceedings of the 29th ACM SIGKDD Conference on
    # Knowledge Discovery and Data Mining", publisher Association for Computing Machinery,
    # series "KDD '23"; 26th (2020) "International ... &", 27th (2021) "&", 28th-30th "and".
    VenueSpec(
        short="KDD",
        aliases=("SIGKDD",),
        generic="ACM SIGKDD Conference on Knowledge Discovery and Data Mining",
        eras=(
            Era(
                2020,
                "Proceedings of the {nth} ACM SIGKDD International Conference on Knowledge"
                " Discovery & Data Mining",
                _ACM,
            ),
            Era(
                2021,
                "Proceedings of the {nth} ACM SIGKDD Conference on Knowledge Discovery & Data"
                " Mining",
                _ACM,
            ),
            Era(
                2022,
                "Proceedings of the {nth} ACM SIGKDD Conference on Knowledge Discovery and Data"
                " Mining",
                _ACM,
            ),
        ),
        ordinal_base=1994,
        series="KDD '{yy}",
    ),
    # ACM DL BibTeX: "Proceedings of the Web Conference 2021", "Proceedings of the ACM Web
    # Conference 2022/2023/2024", "Proceedings of the ACM on Web Conference 2025"; series "WWW '23".
    VenueSpec(
        short="WWW",
        aliases=("TheWebConf", "WebConf"),
        generic="The Web Conference",
        eras=(
            Era(2021, "Proceedings of the Web Conference {year}", _ACM),
            Era(2022, "Proceedings of the ACM Web Conference {year}", _ACM),
            Era(2025, "Proceedings of the ACM on Web Conference {year}", _ACM),
        ),
        series="WWW '{yy}",
    ),
    # OpenReview TMLR BibTeX: @article, journal "Transactions on Machine Learning Research",
    # issn 2835-8856; no volume, no publisher.
    VenueSpec(
        short="TMLR",
        generic="Transactions on Machine Learning Research",
        eras=(Era(2022, "Transactions on Machine Learning Research", ""),),
        issn="2835-8856",
        entry_type="article",
    ),
    # jmlr.org BibTeX (JMLR:v24:...): @article, journal "Journal of Machine Learning Research",
    # volume 24 for 2023, no publisher; ISSN 1533-7928 is the online one jmlr.org pages carry.
    VenueSpec(
        short="JMLR",
        generic="Journal of Machine Learning Research",
        eras=(Era(2000, "Journal of Machine Learning Research", ""),),
        volume_base=1999,
        volume_since=2000,
        issn="1533-7928",
        entry_type="article",
    ),
)


def _key(name: str) -> str:
    return name.strip().casefold()


def _index(specs: tuple[VenueSpec, ...]) -> dict[str, VenueSpec]:
    index: dict[str, VenueSpec] = {}
    for spec in specs:
        for name in (spec.short, *spec.aliases):
            if _key(name) in index:
                raise ValueError(f"venue name {name!r} appears twice in the table")
            index[_key(name)] = spec
    return index


_BY_NAME = _index(VENUES)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _fill(template: str, year: int, ordinal_base: int) -> str:
    """Render one template; ordinals are computed only when the template asks for them."""
    wanted = _fields(template)
    values: dict[str, str] = {"year": str(year), "yy": f"{year % 100:02d}"}
    if wanted & {"nth", "words", "words_first", "words_spaced"}:
        n = year - ordinal_base
        words = ordinal_words(n)
        values |= {
            "nth": ordinal_suffix(n),
            "words": words,
            "words_first": words[0] + words[1:].lower(),
            "words_spaced": words.replace("-", " "),
        }
    return template.format(**values)


def _era(spec: VenueSpec, year: int) -> Era | None:
    current = None
    for era in spec.eras:
        if era.start <= year:
            current = era
    return current


def _volume(spec: VenueSpec, year: int) -> str:
    if year in spec.volumes:
        return spec.volumes[year]
    if spec.volume_base is not None and year >= spec.volume_since:
        return str(year - spec.volume_base)
    return ""


def with_extra(extra: Sequence[VenueSpec] = ()) -> dict[str, VenueSpec]:
    """The name index with ``extra`` venues (from a config file) added; an extra venue whose
    short name or alias is a table venue's name replaces that venue under all its names."""
    if not extra:
        return _BY_NAME
    index = dict(_BY_NAME)
    for spec in extra:
        for name in (spec.short, *spec.aliases):
            old = index.get(_key(name))
            if old is not None:
                index = {k: v for k, v in index.items() if v is not old}
        for name in (spec.short, *spec.aliases):
            index[_key(name)] = spec
    return index


def builtin(name: str) -> VenueSpec | None:
    """The table's venue called ``name`` (short name or alias, any case)."""
    return _BY_NAME.get(_key(name))


def resolve(name: str, year: int | None, extra: Sequence[VenueSpec] = ()) -> Venue:
    """The proceedings a listing's ``NAME.YEAR`` header points to.

    Unknown names come back as written with ``known=False`` so the caller can warn and still
    export. With no year, only year-free fields are filled (the current publisher, series).
    ``extra`` venues (a config file's) are looked up first.
    """
    spec = with_extra(extra).get(_key(name))
    if spec is None:
        return Venue(short=name, year=year, container_title=name, known=False)
    if year is None:
        latest = spec.eras[-1]
        title = latest.title if not _fields(latest.title) else spec.generic
        series = spec.series if not _fields(spec.series) else ""
        return Venue(
            short=spec.short,
            year=None,
            entry_type=spec.entry_type,
            container_title=title,
            publisher=latest.publisher,
            series=series,
            issn=spec.issn,
        )
    era = _era(spec, year)
    if era is None:
        return Venue(
            short=spec.short,
            year=year,
            entry_type=spec.entry_type,
            container_title=spec.generic,
            volume=_volume(spec, year),
        )
    return Venue(
        short=spec.short,
        year=year,
        entry_type=spec.entry_type,
        container_title=_fill(era.title, year, spec.ordinal_base),
        publisher=era.publisher,
        volume=_volume(spec, year),
        series=_fill(spec.series, year, spec.ordinal_base),
        issn=spec.issn,
    )


_PATTERN_TOKENS = {
    "year": "<year>",
    "yy": "<yy>",
    "nth": "<N>th",
    "words": "<Nth in words>",
    "words_first": "<Nth in words>",
    "words_spaced": "<Nth in words>",
}


def _pattern(spec: VenueSpec) -> str:
    template = spec.eras[-1].title
    pattern = template.format(**_PATTERN_TOKENS)
    if _fields(template) & {"nth", "words", "words_first", "words_spaced"}:
        pattern += f" (N = year - {spec.ordinal_base})"
    return pattern


def known_venues() -> list[tuple[str, str]]:
    """(short name, current title pattern), in table order."""
    return [(spec.short, _pattern(spec)) for spec in VENUES]


def venue_rows(extra: Sequence[VenueSpec] = (), source: str = "") -> list[dict[str, object]]:
    """``bibexport venues``: the table, a config file's venues in place of those they replace
    and new ones last; ``source`` says where the extra ones came from."""
    index = with_extra(extra)
    specs: list[tuple[VenueSpec, str]] = []
    for spec in VENUES:
        current = index.get(_key(spec.short))
        if current is spec:
            specs.append((spec, "built-in"))
        elif current is not None and current in extra and (current, source) not in specs:
            specs.append((current, source))
    specs += [(spec, source) for spec in extra if (spec, source) not in specs]
    return [
        {
            "short": spec.short,
            "aliases": list(spec.aliases),
            "since": spec.eras[0].start if spec.eras and spec.eras[0].start > 1 else None,
            "entry_type": spec.entry_type,
            "title": _pattern(spec),
            "publisher": spec.eras[-1].publisher if spec.eras else "",
            "series": spec.series,
            "issn": spec.issn,
            "source": where,
        }
        for spec, where in specs
    ]
