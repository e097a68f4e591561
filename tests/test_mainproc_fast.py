"""The main process's fast path in a run with workers, against the general path it shortcuts.

Workers send each paper's text cut where its key goes (``Writer.cut``) and already encoded
for its output (parallel._encoded); the main process joins the pieces around the key
(``Writer.key_text``) after the writer's framing (``place`` of an empty text) and writes the
bytes through a binary file (AtomicOutput). That must be, byte for byte, what the writer's
``with_key`` and ``place`` give, written through a UTF-8 text stream with the output's
newline, on any text: TeX, braces, math, accents, CJK, control characters, carriage returns,
the placeholder's own letters in the listing.
"""

from __future__ import annotations

import io
import os
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bibexport import parallel
from bibexport.formats import FORMATS, KEY_PLACEHOLDER, WriteOptions, get_format
from bibexport.formats.listing import newlines
from bibexport.model import Origin, Paper, Person, Venue
from bibexport.output import AtomicOutput
from bibexport.pipeline import Options

from .conftest import EXAMPLE
from .test_parallel import outputs_in, run, same_both_ways

NASTY = st.lists(
    st.sampled_from(
        [
            *"abc XYZ019",
            *"{}\\$^_%&#~",
            *"\n\r\t\x00\x07\x1b\x7f\u2028\u0085",
            *"éüßøÆ\u0301\u00a0",
            *"α∑ℓ√𝒪",
            *"深度学习注意力",
            "\\emph{x}",
            "$\\alpha$",
            '\\"a',
            "{\\'e}",
            "\r\n",
            KEY_PLACEHOLDER,
            "Qq",
            "true",
            ": ",
            "- ",
            "'",
            '"',
        ]
    ),
    max_size=30,
).map("".join)
KEYS = st.one_of(
    st.sampled_from(["smith2023deep", "true", "No", "null", "2023", "1e3", "a:b", "_k", "Y"]),
    st.text(st.sampled_from([*"aZ09:-_./+ 'é\n#"]), min_size=1, max_size=12),
)
NEWLINES = st.sampled_from(["\n", "\r\n"])
WRITERS = [(f.name, unicode) for f in FORMATS for unicode in (None, True)]


def text_stream_bytes(texts: list[str], newline: str) -> bytes:
    """What the outputs were written through before: a UTF-8 text stream."""
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8", newline=newline)
    for text in texts:
        stream.write(text)
    stream.flush()
    return raw.getvalue()


def atomic_bytes(texts: list[str], newline: str, encoded: bytes = b"") -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "out")
        with AtomicOutput(path, newline) as out:
            for text in texts:
                out.write(text)
            out.write_bytes(encoded)
        return Path(path).read_bytes()


@given(st.lists(NASTY, max_size=5), NEWLINES)
@settings(max_examples=300, deadline=None)
@example(["a\nb\r\nc\r", "\n"], "\r\n")
def test_atomic_output_writes_what_a_text_stream_writes(texts: list[str], newline: str) -> None:
    expected = text_stream_bytes(texts, newline)
    assert b"".join(AtomicOutput.encode(_out(newline), t) for t in texts) == expected
    assert atomic_bytes(texts, newline) == expected


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_an_unencodable_text_fails_as_in_a_text_stream(newline: str) -> None:
    text = "a\nb\ud800c"
    with pytest.raises(UnicodeEncodeError) as stream_error:
        text_stream_bytes([text], newline)
    with pytest.raises(UnicodeEncodeError) as atomic_error:
        AtomicOutput.encode(_out(newline), text)
    assert atomic_error.value.args[2:4] == stream_error.value.args[2:4]
    assert atomic_error.value.reason == stream_error.value.reason


def _out(newline: str) -> AtomicOutput:
    """An AtomicOutput for its encode() alone (no file behind it)."""
    out = AtomicOutput.__new__(AtomicOutput)
    out._newline = newline
    out._translate = newline != "\n"
    return out


def _paper(title: str, abstract: str, family: str, keywords: tuple[str, ...]) -> Paper:
    venue = Venue("ICLR", 2023, container_title="Proc. ICLR", publisher="OpenReview.net")
    authors = (Person(given="Ada", family=family or "X"), Person(literal="OpenAI"))
    return Paper(
        title or "T",
        authors,
        venue,
        Origin("l.txt", 3),
        abstract,
        number=7,
        track="Oral",
        keywords=keywords,
    )


@pytest.mark.parametrize(("fmt", "unicode"), WRITERS)
@given(
    title=NASTY,
    abstract=NASTY,
    family=NASTY,
    keywords=st.lists(NASTY, max_size=2).map(tuple),
    key=KEYS,
    newline=NEWLINES,
    first=st.booleans(),
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_cut_and_encoded_texts_join_into_what_with_key_and_place_write(
    fmt: str,
    unicode: bool | None,
    title: str,
    abstract: str,
    family: str,
    keywords: tuple[str, ...],
    key: str,
    newline: str,
    first: bool,
) -> None:
    """Worker side (render, cut, _encoded) then main side (place of "", key_text, join) is
    with_key, place and a text stream's write, for a paper whose text holds the
    placeholder's letters, and keys YAML quotes (or that hold a line feed)."""
    paper = _paper(title, abstract, family, keywords)
    options = WriteOptions(unicode=unicode, appending=not first)
    general = get_format(fmt).writer(options)
    fast = get_format(fmt).writer(options)
    text, notes = general.render(replace(paper, key=KEY_PLACEHOLDER))
    assert general.with_key(text, key) == fast.key_text(key).join(fast.cut(text))
    keyed = general.with_key(text, key)
    placed = [general.place((keyed, notes), paper.origin) for _ in range(2)]
    expected = text_stream_bytes(placed, newline)
    fast_text, fast_notes = fast.render(replace(paper, key=KEY_PLACEHOLDER))
    (pieces,) = parallel._encoded([fast.cut(fast_text)], newline)
    render_cut = getattr(fast, "render_cut", None)
    if render_cut is not None:  # RIS and CSL-JSON: what workers use, where it has the paper
        got_cut = render_cut(replace(paper, key=KEY_PLACEHOLDER))
        if got_cut is not None:
            joined = [p if isinstance(p, str) else "".join(p) for p in got_cut[0]]
            assert (joined, got_cut[1]) == (fast.cut(fast_text), fast_notes)
            assert parallel._encoded([got_cut[0]], newline, {}) == [pieces]
    out = _out(newline)
    got = b""
    for _ in range(2):
        gap = fast.place(("", fast_notes), paper.origin)
        got += out.encode(gap) + out.encode(fast.key_text(key)).join(pieces)
    assert got == expected
    assert fast.end() == general.end() and fast.problems == general.problems


LISTING_HEAD = "ICLR 2023\nTotal: 5\n\n"


@st.composite
def listings(draw: st.DrawFn) -> str:
    """A few papers with nasty titles, authors and abstracts (some repeated: duplicates)."""
    papers = []
    one_line = NASTY.filter(lambda t: "\n" not in t and "\r" not in t)
    titles = draw(st.lists(one_line, min_size=1, max_size=4))
    for n, title in enumerate([*titles, *titles[:1]], 1):
        abstract = draw(NASTY).replace("#", "")
        author = draw(st.sampled_from(["Ada Lovelace", "Jürgen Schmidhuber", "李 飞飞", "OpenAI"]))
        papers.append(f"#{n} Paper {title} [PDF] [Copy]\nAuthors: {author}\n{abstract}\n")
    return (LISTING_HEAD + "\n".join(papers)).replace("\x00", "")  # NUL: not a text file


@given(listings())
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_workers_write_what_one_process_writes(tmp_path: Path, listing: str) -> None:
    """End to end, every format at once, new outputs and merged ones (RIS and a BibTeX file
    with CRLF newlines): the same bytes, warnings and summary with workers as without."""
    path = tmp_path / "nasty.txt"
    path.write_bytes(listing.encode("utf-8"))
    with pytest.MonkeyPatch.context() as monkeypatch:
        same_both_ways(monkeypatch, [path, EXAMPLE], outputs_in(tmp_path), Options(keymap=True))
        existing = {
            tmp_path / "a.bib": b"@misc{old,\r\n  title = {Old},\r\n}\r\n",
            tmp_path / "c.ris": b"TY  - GEN\r\nTI  - Old\r\nER  - \r\n",
        }
        outputs = [(p, f) for p, f in outputs_in(tmp_path) if p in existing]
        same_both_ways(monkeypatch, [path, EXAMPLE], outputs, existing=existing)


def test_a_part_that_cannot_be_encoded_is_encoded_by_the_main_process(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A worker that cannot encode a part's texts sends them as they are (Columns' raw): the
    main process then encodes them itself, and writes the same bytes."""
    alone = run(monkeypatch, False, [EXAMPLE], outputs_in(tmp_path))

    def fails(*cuts_newline_shared: object) -> list[tuple[bytes, ...]]:
        raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")

    monkeypatch.setattr(parallel, "_encoded", fails)
    shared = run(monkeypatch, True, [EXAMPLE], outputs_in(tmp_path))
    assert shared[0] == alone[0] and shared[1] == alone[1]


@given(
    st.binary(max_size=300)
    | st.lists(st.sampled_from([b"\n", b"\r\n", b"ab", b"\xe9"])).map(b"".join)
)
@settings(max_examples=500)
def test_newlines_counts_what_bytes_count_counts(data: bytes) -> None:
    """split_listing numbers each part's first line with listing.newlines."""
    assert newlines(data) == data.count(b"\n")
