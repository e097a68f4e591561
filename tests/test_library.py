"""Reading existing libraries: what a user's .bib, RIS or CSL-JSON file turns into.

The .bib reader is checked against bibtexparser 2 (the reference) entry by entry; the
differences that are on purpose are listed in ``DIFFERENCES`` and checked to be those only.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bibexport import library
from bibexport.errors import InputError
from bibexport.keys import fold
from bibexport.library import last_part, read_library, split_people
from bibexport.records import Record, ids_in_text, normalise_id
from bibexport.text import collapse_space, tex_to_text

LIBRARIES = Path(__file__).parent / "data" / "libraries"
GEN_SAMPLE = LIBRARIES / "gen_sample.bib"  # gen_bib.py -m 400 --seed 7 --listing-n 2000
MESSY = LIBRARIES / "messy.bib"
PAIRS = LIBRARIES / "pairs.bib"

# Where this reader and bibtexparser 2 part ways on purpose (see library.py):
DIFFERENCES = """
- A line starting with % is a comment here (as for biber and JabRef); bibtexparser, like
  BibTeX, reads an entry in it. Its key still counts as taken.
- An entry without a key (@article{, ...}) is a problem here; bibtexparser reads key "".
- "#" joins values (booktitle = procof # icml); bibtexparser leaves the expression as it is.
- In names, \\~ is an accent (Pe\\~{n}a); bibtexparser splits the word there. A name that
  starts with a command right after "and" (and \\L{}ukasz) keeps its first letter here.
- "and others" is no author here; bibtexparser gives a person "others".
- A field given twice keeps its last value; bibtexparser fails the entry.
- A key used twice is a problem here, and both entries are read; bibtexparser fails the
  second entry.
"""
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|2\d\d\d)(?!\d)")
_TILDE_ACCENT = re.compile(r"\\~(\{(?:[^{}]|\{[^{}]*\})*\}|[A-Za-z])")


def _line_of(path: Path, marker: str) -> int:
    """1-based line of the first line containing ``marker``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if marker in line:
            return number
    raise AssertionError(f"{marker!r} not in {path}")


# --- bibtexparser, the reference ---------------------------------------------------------------


def _reference_families(authors: str) -> tuple[str, ...]:
    """bibtexparser's name splitting, decoded and folded as the reader promises."""
    from bibtexparser.middlewares.names import parse_single_name_into_parts

    out = []
    for name in split_people(authors):  # compared with bibtexparser's own below
        if name.strip().lower() == "others":
            continue
        protected = _TILDE_ACCENT.sub(r"{\\~\1}", name)  # an accent, in braces for bibtexparser
        last = parse_single_name_into_parts(protected, strict=False).last
        folded = fold(tex_to_text(" ".join(last))).lower()
        if folded:
            out.append(folded)
    return tuple(out)


def _reference(path: Path) -> list[tuple[str, str, str | None, tuple[str, ...], int | None]]:
    """(key, type, title, families, year) per entry bibtexparser reads, in file order."""
    import bibtexparser

    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    out = []
    for entry in bibtexparser.parse_string(text).entries:
        if lines[entry.start_line].lstrip().startswith("%") or not entry.key:
            continue  # see DIFFERENCES
        fields = {f.key.lower(): str(f.value) for f in entry.fields}
        title = fields.get("title")
        if title is not None:
            title = None if "#" in title else collapse_space(tex_to_text(title))
        year_text = fields.get("year") or fields.get("date") or ""
        year = _YEAR.search(year_text)
        out.append(
            (
                entry.key,
                entry.entry_type.lower(),
                title,
                _reference_families(fields.get("author", "")),
                int(year.group(1)) if year else None,
            )
        )
    return out


@pytest.mark.parametrize("path", [GEN_SAMPLE, MESSY, PAIRS], ids=lambda p: p.name)
def test_reads_every_entry_as_bibtexparser_does(path: Path) -> None:
    expected = _reference(path)
    got, seen = [], set()
    for r in read_library(str(path)).records:
        if r.key not in seen:  # bibtexparser fails an entry whose key was used before
            got.append((r.key, r.entry_type, r.title, r.families, r.year))
            seen.add(r.key)
    assert len(got) == len(expected) > 10
    for mine, theirs in zip(got, expected, strict=True):
        if theirs[2] is None:  # a title bibtexparser leaves unjoined: compare the rest
            mine = (*mine[:2], None, *mine[3:])
        assert mine == theirs


def test_splits_people_as_bibtexparser_does() -> None:
    """Except where a name starts with a command right after "and" (see DIFFERENCES)."""
    import bibtexparser
    from bibtexparser.middlewares.names import split_multiple_persons_names

    compared = 0
    for path in (GEN_SAMPLE, MESSY, PAIRS):
        for entry in bibtexparser.parse_string(path.read_text(encoding="utf-8")).entries:
            authors = {f.key.lower(): f.value for f in entry.fields}.get("author")
            if not authors or re.search(r"\band\s+\\", authors):
                continue
            theirs = [" ".join(n.split()) for n in split_multiple_persons_names(authors)]
            assert split_people(authors) == theirs
            compared += 1
    assert compared > 300


def test_the_careful_scanner_reads_what_the_fast_pattern_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every entry the one-match pattern reads is read the same field by field."""
    fast = {p: read_library(str(p)) for p in (GEN_SAMPLE, MESSY)}
    slow_blocks = re.compile(
        r"^[ \t]*%[^\n]*|@(?P<kind>\w*)[ \t]*(?P<open>[{(])(?P<key>(?!))?", re.MULTILINE | re.ASCII
    )
    monkeypatch.setattr(library, "_block_pattern", lambda: slow_blocks)
    for path, expected in fast.items():
        slow = read_library(str(path))
        assert slow.records == expected.records
        assert slow.keys == expected.keys
        assert [str(p) for p in slow.problems] == [str(p) for p in expected.problems]


# --- what a user sees in a messy library --------------------------------------------------------


@pytest.fixture(scope="module")
def messy() -> library.Library:
    return read_library(str(MESSY))


def test_broken_entries_are_reported_with_their_line_and_the_rest_is_read(
    messy: library.Library,
) -> None:
    problems = {(p.line, p.message) for p in messy.problems}
    assert (
        _line_of(MESSY, "@misc{broken2021,"),
        "entry 'broken2021' is not closed (a '}' is missing); skipped",
    ) in problems
    line = _line_of(MESSY, "@article{missing_equals2020,")
    assert (
        line,
        f"entry 'missing_equals2020' is not valid BibTeX: expected '=' after 'title' on line "
        f"{line + 1}, found '{{Missing Equals}},'; skipped",
    ) in problems
    assert (
        _line_of(MESSY, "@article{unclosed_at_end,"),
        "entry 'unclosed_at_end' is not closed (a '}' is missing); skipped",
    ) in problems
    assert (
        _line_of(MESSY, "@article{,"),
        "entry has no key: expected '@article{key,' but found ','; skipped",
    ) in problems
    assert all(p.source == str(MESSY) for p in messy.problems)
    # the entry right after each broken one is read
    keys = [r.key for r in messy.records]
    assert keys[keys.index("vaswani2017attention") + 1] == "maaten2008visualizing"
    assert "biblatex2023" in keys and "macro_title2012" in keys


def test_keys_include_broken_and_commented_out_entries(messy: library.Library) -> None:
    """A new key must not clash with any key BibTeX could see in the file."""
    assert {"broken2021", "missing_equals2020", "unclosed_at_end", "commented2020"} <= messy.keys
    assert "commented2020" not in {r.key for r in messy.records}
    assert not {"NIPS", "nips", "iclr", "procof"} & messy.keys  # @string names are no keys
    assert "jabref-meta" not in " ".join(messy.keys)


def test_a_key_used_twice_is_reported(messy: library.Library) -> None:
    second = _line_of(MESSY, "A Second Entry with a Key Already Used") - 1
    assert any(
        p.line == second and p.message == "key 'gal2022image' is used by an earlier entry too"
        for p in messy.problems
    )
    assert [r.origin.line for r in messy.records if r.key == "gal2022image"] == [
        _line_of(MESSY, "@article{gal2022image,"),
        second,
    ]


def _record(lib: library.Library, key: str) -> Record:
    return next(r for r in lib.records if r.key == key)


@pytest.mark.parametrize(
    ("key", "title", "families", "year"),
    [
        pytest.param(
            "kleindessner2019fair",
            "Fair k-Center Clustering for Data Summarization",
            ("kleindessner", "awasthi", "morgenstern"),
            2019,
            id="accents-braces-bare-year",
        ),
        pytest.param(
            "vaswani2017attention",
            "Attention Is All You Need",
            ("vaswani", "shazeer", "parmar", "uszkoreit", "jones", "gomez", "kaiser", "polosukhin"),
            2017,
            id="bibdesk-capitalised-fields-double-braces",
        ),
        pytest.param(
            "maaten2008visualizing",
            "Visualizing Data using t-SNE",
            ("maaten", "hinton"),
            2008,
            id="quoted-values-von-part",
        ),
        pytest.param(
            "biblatex2023", "A biblatex Entry with a Date", ("doe",), 2023, id="date-and-others"
        ),
        pytest.param(
            "concat2018", "Deep Learning for Everyone", ("smith", "ng"), 2018, id="concatenation"
        ),
        pytest.param("paren2020", "Parentheses (really) Work", ("muller",), 2020, id="parentheses"),
        pytest.param(
            "DBLP:journals/corr/abs-2305-00001",
            "Cross-Lingual Transfer with CoRR Preprints",
            ("garcia", "cherubin", "kierkegard"),
            2023,
            id="dblp-accents",
        ),
        pytest.param(
            "escaped_doi2019",
            "Escapes in Identifiers: 50% Off & More",
            ("oneil",),
            2019,
            id="escaped-percent",
        ),
        pytest.param(
            "deep2015",
            "Deep Nesting of Braces",
            ("vangool", "theopenaiteam"),
            2015,
            id="deep-braces-braced-names",
        ),
        pytest.param("macro_title2012", "Macro Titles Exist", ("lee",), 2012, id="macro-title"),
        pytest.param(
            "unicode2016",
            "Über Maße und Gewichte",
            ("kleindessner", "kaiser", "ming"),
            2016,
            id="raw-utf8",
        ),
    ],
)
def test_titles_names_and_years_read_as_a_user_means_them(
    messy: library.Library, key: str, title: str, families: tuple[str, ...], year: int
) -> None:
    record = _record(messy, key)
    assert (record.title, record.families, record.year) == (title, families, year)


def test_string_macros_and_hash_joins_are_resolved() -> None:
    reader = library._BibReader("x.bib")
    reader.feed('@string{procof = "Proceedings of the "}\n@string{icml = {ICML}}\n')
    reader.feed('@string{p = procof # icml # " 2020"}\n')
    assert reader.macros["p"] == "Proceedings of the ICML 2020"
    assert (
        reader._value('procof # {Tenth } # "Conference"') == "Proceedings of the Tenth Conference"
    )
    assert reader._value("undefined") == "undefined"  # as bibtexparser keeps it
    assert reader._value("2021") == "2021"


@pytest.mark.parametrize(
    ("key", "ids", "preprint"),
    [
        ("gal2022image", {"arxiv:2208.01618"}, True),  # Scholar: journal = {arXiv preprint ...}
        ("biblatex2023", {"openreview:NAQvF08TcyG"}, False),
        ("DBLP:journals/corr/abs-2305-00001", {"arxiv:2305.00001"}, True),  # CoRR, eprinttype
        (
            "zotero_arxiv_2023",
            {"arxiv:2105.05233", "doi:10.48550/arxiv.2105.05233"},
            True,
        ),  # publisher = {arXiv}, arXiv's DOI
        ("escaped_doi2019", {"doi:10.1038/abc_123"}, False),
        ("oldarxiv2001", {"arxiv:cs/0101001"}, True),
        ("vaswani2017attention", set(), False),
    ],
)
def test_identifiers_and_preprints(
    messy: library.Library, key: str, ids: set[str], preprint: bool
) -> None:
    record = _record(messy, key)
    assert (set(record.ids), record.preprint) == (ids, preprint)


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("doi", "https://doi.org/10.1145/3442188.3445922", "doi:10.1145/3442188.3445922"),
        ("doi", "doi:10.1000/ABC%2Fdef.", "doi:10.1000/abc/def"),
        ("doi", "not a doi", ""),
        ("arxiv", "arXiv:2301.01234v3", "arxiv:2301.01234"),
        ("arxiv", "math.AG/0601001", "arxiv:math.ag/0601001"),
        ("arxiv", "https://arxiv.org/pdf/2301.01234v2.pdf", "arxiv:2301.01234"),
        ("openreview", "https://openreview.net/pdf?id=NAQvF08TcyG", "openreview:NAQvF08TcyG"),
        ("openreview", "NAQvF08TcyG", "openreview:NAQvF08TcyG"),
    ],
)
def test_identifiers_are_normalised(kind: str, value: str, expected: str) -> None:
    assert normalise_id(kind, value) == expected


def test_identifiers_are_found_in_urls_and_notes() -> None:
    found: set[str] = set()
    ids_in_text(
        r"See \url{https://arxiv.org/abs/2208.01618v2} and https://dx.doi.org/10.1000/a\_b, "
        "also https://openreview.net/forum?id=ryGs6iA5Km&noteId=x",
        found,
    )
    assert found == {"arxiv:2208.01618", "doi:10.1000/a_b", "openreview:ryGs6iA5Km"}


# --- RIS and CSL-JSON ---------------------------------------------------------------------------


def test_ris_records() -> None:
    lib = read_library(str(LIBRARIES / "library.ris"))
    assert lib.format == "ris"
    got = [(r.key, r.entry_type, r.title, r.families, r.year, set(r.ids)) for r in lib.records]
    assert got == [
        (
            "gal2023image",
            "inproceedings",
            "An Image is Worth One Word: Personalizing Text-to-Image Generation using "
            "Textual Inversion",
            ("gal", "alaluf", "cohenor"),
            2023,
            {"openreview:NAQvF08TcyG"},
        ),
        (
            "dhariwal2021diffusion",  # Zotero's "Citation Key:" note
            "misc",
            "Diffusion Models Beat GANs on Image Synthesis",
            ("dhariwal", "nichol"),
            2021,
            {"arxiv:2105.05233", "doi:10.48550/arxiv.2105.05233"},
        ),
        ("", "article", "Visualizing Data using t-SNE", ("maaten", "hinton"), 2008, set()),
        ("", "article", "A Record Whose ER Line Is Missing", ("nobody",), 2020, set()),
        (
            "",
            "incollection",
            "Kernel Methods",
            ("scholkopf",),
            2002,
            {"doi:10.7551/mitpress/4175.003.0005"},
        ),
    ]
    assert lib.records[1].preprint
    missing_er = _line_of(LIBRARIES / "library.ris", "A Record Whose ER Line Is Missing") - 1
    assert [(p.line, p.message) for p in lib.problems] == [
        (missing_er, "record has no ER line; it ends where the next begins")
    ]
    assert lib.keys == {"gal2023image", "dhariwal2021diffusion"}


def test_csl_json_records() -> None:
    path = LIBRARIES / "library.json"
    lib = read_library(str(path))
    assert lib.format == "csl-json"
    got = [(r.key, r.entry_type, r.title, r.families, r.year) for r in lib.records]
    assert got == [
        (
            "gal2023image",
            "inproceedings",
            "An Image is Worth One Word: Personalizing Text-to-Image Generation using "
            "Textual Inversion",
            ("gal", "alaluf", "cohenor"),
            2023,
        ),
        (
            "dhariwal2021diffusion",  # citation-key wins over a Zotero URI id
            "misc",
            "Diffusion Models Beat GANs on Image Synthesis",  # rich-text <i> dropped
            ("dhariwal", "nichol"),
            2021,
        ),
        ("3", "article", "Visualizing Data using t-SNE", ("maaten", "hinton"), 2008),
        ("openai2023gpt4", "techreport", "GPT-4 Technical Report", ("openai",), 2023),
    ]
    assert lib.records[1].preprint and "arxiv:2105.05233" in lib.records[1].ids
    assert [r.origin.line for r in lib.records] == [2, 15, 26, 38]
    assert [(p.line, p.message) for p in lib.problems] == [
        (_line_of(path, '"not an item"'), "item is not an object; skipped")
    ]


# --- files that cannot be read, and odd encodings -----------------------------------------------


def test_latin1_bib_is_read_with_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "old.bib"
    path.write_bytes(
        b"@article{mueller2001,\n  author = {M\xfcller, J\xf6rg},\n"
        b"  title = {\xdcber Ma\xdfe},\n  year = 2001,\n}\n"
    )
    lib = read_library(str(path))
    assert [(r.title, r.families) for r in lib.records] == [("Über Maße", ("muller",))]
    assert len(lib.problems) == 1
    assert lib.problems[0].line == 1
    assert lib.problems[0].message == (
        "not UTF-8 (byte 0xdc); such text is read as Latin-1, so check accented names"
    )


def test_utf8_bom_and_utf16_files(tmp_path: Path) -> None:
    entry = "@misc{k,\n  title = {Ünïcödé},\n  author = {Ødegård, Jannik},\n}\n"
    for name, data in [
        ("bom.bib", b"\xef\xbb\xbf" + entry.encode("utf-8")),
        ("utf16.bib", entry.encode("utf-16")),
    ]:
        (tmp_path / name).write_bytes(data)
        lib = read_library(str(tmp_path / name))
        assert [(r.key, r.title, r.families) for r in lib.records] == [
            ("k", "Ünïcödé", ("odegard",))
        ]
        assert lib.problems == []


@pytest.mark.parametrize(
    ("name", "data", "line", "message"),
    [
        ("bin.bib", b"@misc{a,\n title = {x}}\n\x00\x01", 3, "not a text file (NUL byte"),
        ("bad.json", b'[\n  {"id": "a",\n   "title": }\n]', 3, "not valid JSON: Expecting value"),
        ("object.json", b'{"items": []}', 1, "CSL-JSON must be an array of items"),
        ("bad.ris", b"TY  - JOUR\nTI  - \xff\nER  - \n", 2, "invalid UTF-8 at byte 17 (0xff)"),
    ],
)
def test_unreadable_files_raise_input_error_with_file_and_line(
    tmp_path: Path, name: str, data: bytes, line: int, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        read_library(str(path))
    assert (caught.value.source, caught.value.line) == (str(path), line)
    assert caught.value.message.startswith(message)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_library(str(tmp_path / "none.bib"))
    with pytest.raises(InputError, match="is a directory"):
        read_library(str(tmp_path))


def test_empty_files_are_empty_libraries(tmp_path: Path) -> None:
    for name, data in [("e.bib", b""), ("e.ris", b""), ("e.json", b"[]")]:
        (tmp_path / name).write_bytes(data)
        lib = read_library(str(tmp_path / name))
        assert (lib.records, lib.problems, lib.keys) == ([], [], set())


def test_format_from_suffix_or_content(tmp_path: Path) -> None:
    (tmp_path / "lib.txt").write_text(json.dumps([{"id": "x", "title": "T"}]))
    (tmp_path / "refs.txt").write_text("TY  - JOUR\nTI  - T\nER  - \n")
    (tmp_path / "refs.bibtex").write_text("@misc{x, title = {T}}\n")
    assert read_library(str(tmp_path / "lib.txt")).format == "csl-json"
    assert read_library(str(tmp_path / "refs.txt")).format == "ris"
    assert read_library(str(tmp_path / "refs.bibtex")).format == "bibtex"


def test_large_pieces_keep_line_numbers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file is read in pieces that end before a line starting with @: lines still count."""
    monkeypatch.setattr(library, "_CHUNK", 64)
    text = "".join(
        f"@misc{{k{i},\n  title = {{Title {i}}},\n\n  year = {2000 + i},\n}}\n\n" for i in range(40)
    )
    path = tmp_path / "many.bib"
    path.write_text(text)
    lib = read_library(str(path))
    assert [(r.key, r.origin.line, r.year) for r in lib.records] == [
        (f"k{i}", 1 + 6 * i, 2000 + i) for i in range(40)
    ]


# --- the fast paths give what the project's decoders give ---------------------------------------

_TEX_PIECES = st.sampled_from(
    [
        "a",
        "B",
        "c d",
        " ",
        "-",
        "--",
        "---",
        "'",
        "''",
        "`",
        "``",
        "~",
        "{",
        "}",
        "{}",
        "{X}",
        "{Multi-Modal}",
        '\\"a',
        '{\\"o}',
        "\\'{e}",
        "\\c{c}",
        "{\\ss}",
        "\\o{}",
        "\\&",
        "\\%",
        "$k$",
        "$\\alpha$",
        "\\emph{x}",
        "\\textit{De Novo}",
        "é",
        "?",
        "!",
        ":",
        "é-",
        "-é",
        "'s",
        "\n",
        "\\~n",
        "{\\~{n}}",
        "{-}",
        "{'}",
        "{`}",
        "{-x}",
        "{x'}",
        "{{a} b}",
        "{\\`\\CYRE}",
        "{\\'\\i}",
        "{\\em x}",
        "\\CYRZH",
        "\\.I",
        "{\\c{S}}",
        "\\v{s}",
        "{\\aa}",
        "\\L{}",
        "\\~{\\^{e}}",
        "{\\c c}",
        "\\u{g}",
        "\\ss{}",
        "{\\o}",
        "\\'\\i",
        "\\`{a}",
        "\\\\",
        "\\u{\\d{a}}",
        '\\emph{\\"a}',
        "{\\DJ}",
        "\\v ",
        "\u00a0",
        "\\%a",
        "\\_",
        "$x^{2}$",
        "$x_{ij}$",
        "$",
        "{K}$",
        "\\$",
        "``x''",
        "`x'",
        '``y"',
        "\\%{A}",
        "\\&{b}",
    ]
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(_TEX_PIECES, max_size=10).map("".join))
@example("\\${K}${X} {X}")  # an escaped \$ and one math $: no math pairs to split on
def test_plain_text_of_a_value_is_tex_to_text(tex: str) -> None:
    assert library.decoded(tex) == tex_to_text(tex)
    assert library.plain(tex) == collapse_space(tex_to_text(tex))


_NAME_PIECES = st.sampled_from(
    [
        "Anne",
        "Marie",
        "J.",
        "van",
        "der",
        "de",
        "la",
        "Von",
        "O'Neil",
        "Jean-Luc",
        "{Van Gool}",
        'M{\\"u}ller',
        '{\\"O}zt{\\"u}rk',
        "\\L{}ukasz",
        "Pe\\~{n}a",
        "{\\c{S}}ahin",
        "{\\o}rsted",
        "d'Alembert",
        "Jr",
        "III",
        "李",
    ]
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(_NAME_PIECES, min_size=1, max_size=4),
    st.sampled_from(["first-last", "last-first", "last-jr-first"]),
)
def test_family_names_follow_bibtexs_rules(words: list[str], form: str) -> None:
    """The quick and the word-by-word paths give bibtexparser's Last part (\\~ aside)."""
    from bibtexparser.middlewares.names import parse_single_name_into_parts

    if form == "first-last":
        name = " ".join(words)
    elif form == "last-first":
        name = f"{words[-1]}, {' '.join(words[:-1])}".rstrip(", ")
    else:
        name = f"{words[-1]}, Jr, {' '.join(words[:-1])}"
    protected = _TILDE_ACCENT.sub(r"{\\~\1}", name)
    theirs = parse_single_name_into_parts(protected, strict=False).last
    assert [_TILDE_ACCENT.sub(r"{\\~\1}", w) for w in last_part(name)] == theirs
    expected = fold(tex_to_text(" ".join(last_part(name)))).lower()
    assert library._Families()(name) == ((expected,) if expected else ())
