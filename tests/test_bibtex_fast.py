"""The BibTeX encoder's fast paths against the general paths they shortcut, on nasty text.

``to_bibtex`` answers most text from one ``split`` (:func:`_to_bibtex_split`); the token scanner
(``_to_bibtex_tokens``) is the reference, and the one-pass ``re.sub`` encoder it replaced says
where it must answer. Name parts of ASCII letters skip the encoder altogether.
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bibexport.formats import WriteOptions
from bibexport.formats.bibtex import Writer, _author, _part, bibtex_name
from bibexport.model import Origin, Paper, Person, Venue
from bibexport.text import (
    _ESCAPES,
    _FAST_PIECES,
    _FAST_TOKEN,
    _control,
    _encode_chars,
    _math_tex,
    _to_bibtex_split,
    _to_bibtex_tokens,
    to_bibtex,
    untexable,
)

# Pieces that meet at every boundary the encoders care about: TeX commands (safe, forbidden,
# accents, \url), braces and escaped braces, math, BibTeX's specials, "@" after a line break,
# accents, CJK, control characters, odd spaces, lone surrogates, words whose case matters.
_PIECES = [
    *"ab AZ$\\{}&%#_~^@\n\t\r\x00\x1b-`'’é×ł漢Ö\u0301\u00a0\u2014\ud800",
    "\\emph",
    "\\emph{",
    "\\url",
    "\\url{",
    "http://x.io/a_b%20#c",
    '\\"',
    "\\'",
    "\\H",
    "\\v",
    "\\c",
    "\\~",
    "\\%",
    "\\{",
    "\\}",
    "\\\\",
    "\\$",
    "$x$",
    "$$x$$",
    "$\\mathcal{O}(n)$",
    "$é$",
    "$\\input$",
    "$a{$",
    "\\input",
    "\\ours",
    "\\textit{",
    "{\\it ",
    " and ",
    "iPhone",
    "GPT-J",
    "T5",
    "3D",
    "Ökonomie",
    "ÖKO",
    "De Novo",
    "\n\n",
    "\n @",
]
TEXISH = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)
ANY_TEXT = st.text(max_size=60)
TEXT = st.one_of(TEXISH, ANY_TEXT)


class _Tangled(Exception):
    pass


def _one_pass_reference(text: str, ascii_only: bool) -> str | None:
    """The one-pass ``re.sub`` encoder that the split encoder replaced (as it was, but for
    math that is not ASCII after encoding, which it left to the scanner): the split encoder
    must answer wherever it did."""
    depth = 0

    def token(m: re.Match[str]) -> str:
        nonlocal depth
        s = m.group()
        c = s[0]
        if c == "\\":
            tex, end = _control(text, m.start())
            if end == m.end():
                return tex
            rest = s[1:]
            if end != m.start() + 1 or rest in ("$", "{", "}", "\\"):
                raise _Tangled
            return tex + _ESCAPES.get(rest, rest)
        if c == "$":
            if len(s) == 1:
                return r"\$"
            math = _math_tex(s, ascii_only)
            if math is None or (ascii_only and not math.isascii()):
                raise _Tangled
            return math
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth < 0:
                raise _Tangled
        else:
            return _ESCAPES[c]
        return s

    try:
        result = _FAST_TOKEN.sub(token, text)
    except _Tangled:
        return None
    return None if depth else _encode_chars(result, ascii_only)


def _url_before_brace_token(text: str) -> bool:
    """A ``\\url`` followed by a token that holds a "}" (math, or an escaped brace ``\\}``):
    _url leaves such text to the scanner, since that "}" may be the one that ends it."""
    pieces = _FAST_PIECES.split(text)[1::2]
    at = pieces.index("\\url") if "\\url" in pieces else len(pieces)
    return any(p != "}" and "}" in p for p in pieces[at:])


def _line_start_at(text: str) -> str:
    return re.sub(r"(\n[ \t]*)@", r"\1{@}", text) if "\n" in text else text


def scanned_bibtex(text: str, ascii_only: bool, protect: bool) -> str:
    """What ``to_bibtex`` must write: the token scanner's output, with an "@" that starts a
    line braced (bibtexparser would read it as a new entry)."""
    return _line_start_at(_to_bibtex_tokens(text, ascii_only, protect))


@settings(max_examples=6000, deadline=None)
@given(text=TEXT, ascii_only=st.booleans(), protect=st.booleans())
@example(text="\\url{a}b", ascii_only=True, protect=False)
@example(text="\\'é \\H{ł} \\v", ascii_only=True, protect=True)
@example(text="{\\it iPhone} T5 $x$ GPT-J}", ascii_only=True, protect=True)
@example(text="\\url{$\\mathcal{O}(n)$}", ascii_only=False, protect=False)
@example(text="\\url{\\}}", ascii_only=False, protect=False)  # found by hypothesis
def test_split_encoder_agrees_with_the_token_scanner(
    text: str, ascii_only: bool, protect: bool
) -> None:
    split = _to_bibtex_split(text, ascii_only, protect)
    scanned = _to_bibtex_tokens(text, ascii_only, protect)
    if split is not None:
        assert split == scanned
    if not protect:
        one_pass = _one_pass_reference(text, ascii_only)
        # It answers wherever the old path did, but where a token after a \url holds a "}"
        # (math, or "\}": it may end the argument, so _url leaves that text to the scanner).
        assert one_pass is None or split == one_pass or _url_before_brace_token(text)
    # And to_bibtex, whichever path answers, writes what the scanner writes.
    assert to_bibtex(text, ascii_only=ascii_only, protect=protect) == _line_start_at(scanned)


def _part_reference(text: str, ascii_only: bool) -> str:
    """``_part`` as it was before its shortcut for one word of ASCII letters."""
    encoded = to_bibtex(text, ascii_only=ascii_only).replace(",", "{,}")
    return " ".join("{" + w + "}" if w.lower() == "and" else w for w in encoded.split(" "))


NAME_PART = st.one_of(
    st.sampled_from(["and", "AND", "And", "anD", "Andrea", "Sung-Ju", "J.", "Ng", "O'Neil", "Ö"]),
    st.text(alphabet=st.sampled_from([*"aAzZ -.,'é\u0130ıÅß\\{}$~%@漢\u0301\u00a0"]), max_size=12),
    st.text(max_size=10),
)


@settings(max_examples=4000, deadline=None)
@given(text=NAME_PART, ascii_only=st.booleans())
def test_name_part_shortcut_agrees_with_the_general_encoding(text: str, ascii_only: bool) -> None:
    assert _part(text, ascii_only) == _part_reference(text, ascii_only)


def _name_reference(person: Person, ascii_only: bool) -> str:
    """``bibtex_name`` as it was, through the reference name parts."""
    if person.literal == "others":
        return "others"
    if person.literal:
        return "{" + _part_reference(person.literal, ascii_only) + "}"
    family = _part_reference(person.family, ascii_only)
    if family[:1].islower() or any(w[:1].islower() for w in person.family.split()[1:]):
        family = "{" + family + "}"
    last = f"{_part_reference(person.particle, ascii_only)} {family}" if person.particle else family
    given = _part_reference(person.given, ascii_only)
    if person.suffix:
        return f"{last}, {_part_reference(person.suffix, ascii_only)}, {given}"
    return f"{last}, {given}" if person.given else last


@settings(max_examples=4000, deadline=None)
@given(
    person=st.builds(
        Person,
        given=NAME_PART,
        family=NAME_PART,
        particle=st.sampled_from(["", "van der", "de", "and"]),
        suffix=st.sampled_from(["", "Jr", "III", "and"]),
        literal=st.sampled_from(["", "", "", "others", "OpenAI", "R&D, and Co"]),
    ),
    ascii_only=st.booleans(),
)
@example(person=Person(given="A", family="Broeck\tvan"), ascii_only=True)
def test_bibtex_name_agrees_with_the_general_path(person: Person, ascii_only: bool) -> None:
    bibtex_name.cache_clear()
    assert bibtex_name(person, ascii_only) == _name_reference(person, ascii_only)
    assert _author(person, ascii_only) == bibtex_name(person, ascii_only)


@settings(max_examples=3000, deadline=None)
@given(
    person=st.builds(
        Person,
        given=st.sampled_from(["", "Ana", "and", "AND", "Li", "É", "Ng Wei", "J.", "x"]),
        family=st.sampled_from(["", "Smith", "and", "And", "de", "van Dam", "Ölz", "McDo", "X"]),
        particle=st.sampled_from(["", "", "van"]),
        suffix=st.sampled_from(["", "", "Jr"]),
        literal=st.sampled_from(["", "", "", "others", "OpenAI"]),
    ),
    ascii_only=st.booleans(),
)
def test_common_author_shortcut_agrees_with_bibtex_name(person: Person, ascii_only: bool) -> None:
    bibtex_name.cache_clear()
    assert _author(person, ascii_only) == bibtex_name(person, ascii_only)


@settings(max_examples=4000, deadline=None)
@given(text=st.one_of(TEXT, st.text(alphabet=st.sampled_from([*"aZ5 -'’\t\u00a0_.ǅÖ漢:("]))))
def test_title_words_protected_run_by_run_as_by_one_substitution(text: str) -> None:
    from bibexport.text import _PROTECTED, _WORD, _protected

    assert _protected(text) == _WORD.sub(lambda m: _PROTECTED[m.group()], text)


# --- Writer.render: entries written from per-venue, per-keywords and per-person parts --------


def _reference_render(
    paper: Paper, ascii_only: bool, biblatex: bool, group: str | None
) -> tuple[str, frozenset[str]]:
    """``Writer.render`` as it was: every row written per paper, the whole entry searched for
    characters with no TeX form."""

    def row(name: str, value: str) -> str:
        return f"  {name} = {{{value}}},\n" if value else ""

    def value(text: str) -> str:
        return to_bibtex(text, ascii_only=ascii_only)

    venue = paper.venue
    issn = venue.issn if venue.is_journal or not biblatex else ""
    before = [row("journal" if venue.is_journal else "booktitle", value(venue.container_title))]
    if biblatex and not venue.is_journal and venue.short:
        before.append(row("eventtitle", value(venue.event_title)))
    before += [row("volume", value(venue.volume)), row("series", value(venue.series))]
    after = [row("publisher", value(venue.publisher)), row("issn", value(issn))]
    body = "".join(
        [
            row("author", " and ".join([bibtex_name(p, ascii_only) for p in paper.authors])),
            row("title", to_bibtex(paper.title, ascii_only=ascii_only, protect=True)),
            *before,
            row("date" if biblatex else "year", str(paper.year or "")),
            *after,
            row("abstract", value(paper.abstract)),
            row("keywords", value(", ".join(paper.keywords))),
        ]
    )
    chars = frozenset(untexable(body)) if ascii_only and not body.isascii() else frozenset()
    if group:
        body += f"  groups = {{{group}}},\n"
    return f"@{venue.entry_type}{{{paper.key},\n{body}}}\n", chars


# Persons drawn from a few, so that papers share Person objects (as a listing's papers do) and
# equal persons also come as distinct objects; likewise venues and keywords.
_PEOPLE = [
    Person(given=g, family=f, particle=p, suffix=s, literal=lit)
    for g, f, p, s, lit in [
        ("Ana", "Smith", "", "", ""),
        ("Jürgen", "Schmidhuber", "", "", ""),
        ("Laurens", "Maaten", "van der", "", ""),
        ("Hal", "Daumé", "", "III", ""),
        ("", "", "", "", "OpenAI"),
        ("", "", "", "", "others"),
        ("Wei", "中文", "", "", ""),
        ("and", "And", "", "", ""),
        ("A{", "B$x$", "", "", ""),
        ("", "", "", "", ""),
        ("Ζήνων", "λ\\input", "", "", ""),
    ]
]
PEOPLE = st.one_of(
    st.sampled_from(_PEOPLE),
    st.sampled_from(_PEOPLE).map(
        lambda p: Person(p.given, p.family, p.particle, p.suffix, p.literal)
    ),
    st.builds(Person, given=NAME_PART, family=NAME_PART),
)
VENUES = st.builds(
    Venue,
    short=st.sampled_from(["ICLR", "", "Jé"]),
    year=st.sampled_from([2023, None]),
    entry_type=st.sampled_from(["inproceedings", "article"]),
    container_title=st.one_of(st.sampled_from(["", "Proc. of ICLR", "Revue – 中"]), TEXISH),
    publisher=st.sampled_from(["", "OpenReview.net", "Müller & Söhne"]),
    volume=st.sampled_from(["", "12"]),
    series=st.sampled_from(["", "PMLR"]),
    issn=st.sampled_from(["", "2640-3498"]),
)
_KEYWORDS = [(), ("NeurIPS 2019", "Poster"), ("Oral",), ("中", "é & $x$")]
KEYWORDS = st.one_of(
    st.sampled_from(_KEYWORDS),
    st.lists(TEXT, max_size=3).map(tuple),  # type: ignore[arg-type]
)
PAPERS = st.builds(
    Paper,
    title=TEXT,
    authors=st.lists(PEOPLE, max_size=5).map(tuple),
    venue=st.one_of(st.just(Venue("ICLR", 2023, container_title="ICLR")), VENUES),
    origin=st.just(Origin("x.txt", 1)),
    abstract=st.one_of(st.just(""), TEXT),
    key=st.sampled_from(["KEYPLACEHOLDER", "smith2023a", ""]),
    keywords=KEYWORDS,
)


@settings(max_examples=1500, deadline=None)
@given(
    papers=st.lists(PAPERS, min_size=1, max_size=8),
    unicode=st.sampled_from([None, True, False]),
    biblatex=st.booleans(),
    group=st.sampled_from([None, "", "My Group", "ü{x}"]),
)
def test_render_agrees_with_the_entry_written_row_by_row(
    papers: list[Paper], unicode: bool | None, biblatex: bool, group: str | None
) -> None:
    writer = Writer(WriteOptions(unicode=unicode, jabref_group=group), biblatex=biblatex)
    ascii_only = writer.ascii_only
    for paper in [*papers, *papers]:  # again, with every venue, keyword list, person seen
        assert writer.render(paper) == _reference_render(paper, ascii_only, biblatex, group)


ASCII_TEXT = st.one_of(
    TEXISH.map(lambda t: t.encode("ascii", "replace").decode()),
    st.text(alphabet=st.characters(max_codepoint=127), max_size=80),
    st.text(alphabet=st.sampled_from([*"a $\\{}&%#_~^\n@x"]), max_size=40),
)


@settings(max_examples=6000, deadline=None)
@given(text=ASCII_TEXT)
@example(text="\\")
@example(text="a$")
@example(text="$$x$$$y$ \\ab\\% {}~^")
def test_ascii_pieces_are_the_regex_split(text: str) -> None:
    from bibexport.text import _FAST_PIECES, _ascii_pieces

    assert _ascii_pieces(text) == _FAST_PIECES.split(text)
