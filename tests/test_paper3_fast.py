"""The worker's per-paper shortcuts of issue 7 (speed, slice "paper3") give what the general
ways give, on nasty input: odd spacing, tabs, CR, BOMs, Unicode and CJK names, particles,
``et al.``, empty authors, very long lines. Set ``BIBEXPORT_PAPER3_EXAMPLES=20000`` to run
them at length."""

from __future__ import annotations

import os
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bibexport import names

EXAMPLES = int(os.environ.get("BIBEXPORT_PAPER3_EXAMPLES", "500"))

_CJK_REGEX = re.compile(names._CJK)


def test_cjk_ranges_are_the_cjk_class() -> None:
    """names._CJK_RANGES, which _has_cjk reads, hold every code point _CJK does, and no other:
    both are unions of ranges, so the code points round each range's ends settle it (and a
    sample of the rest)."""
    ends = {
        end + step for low, high in names._CJK_RANGES for end in (low, high) for step in (-1, 0, 1)
    }
    for code in sorted(ends | set(range(0, 0x110000, 97))):
        char = chr(code)
        assert names._is_cjk_char(char) == (_CJK_REGEX.match(char) is not None), hex(code)
    names._is_cjk_char.cache_clear()


_TEXT = st.text(
    st.one_of(st.characters(codec="utf-8"), st.sampled_from(list("{}\\$ \t\r\n\u00a0\ufeff"))),
    max_size=20,
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(_TEXT, _TEXT, st.integers(min_value=-(2**70), max_value=2**70))
def test_twins_make_the_records_init_makes(given_name: str, family: str, line: int) -> None:
    """new_person, new_origin and new_paper (a _twin's object turned into the record) make
    records that are the ones __init__ makes in all but identity: fields, type, size, being
    tracked by the garbage collector, equality, hash, pickle (tests/test_model_fast.py has
    more)."""
    import gc
    import pickle
    import sys

    from bibexport.model import Origin, Paper, Person, Venue, new_origin, new_paper, new_person

    origin = Origin(family, line)
    person = Person(given_name, family)
    args = (given_name, (person,), Venue("X", None), origin, family, line, "", "", ("k",))
    for fast, slow in (
        (new_person(given_name, family), person),
        (new_origin(family, line), origin),
        (new_paper(*args), Paper(*args)),
    ):
        assert type(fast) is type(slow)
        assert all(getattr(fast, n) == getattr(slow, n) for n in type(slow).__slots__)
        assert sys.getsizeof(fast) == sys.getsizeof(slow)
        assert gc.is_tracked(fast) == gc.is_tracked(slow)
        assert fast == slow and hash(fast) == hash(slow)
        assert pickle.dumps(fast, -1) == pickle.dumps(slow, -1)


def test_twin_refuses_a_class_of_another_layout() -> None:
    """_twin gives None (and new_* then take __init__) where __class__ assignment would fail."""
    from bibexport.model import Person, _twin

    class Other:
        __slots__ = ("a",)

    class Extra(Other):
        __slots__ = ("b",)

    assert _twin(Person) is not None
    assert _twin(Other) is not None
    assert _twin(Extra) is None  # its slots are spread over two classes: no plain twin


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(st.text(st.sampled_from("abcdefgh"), min_size=1, max_size=3), max_size=60))
def test_near_thirds_are_the_three_sizes_thirds(title_words: list[str]) -> None:
    """dedup._near_thirds, which takes each slice once for the three sizes, gives the keys
    _thirds gives for each size apart."""
    from bibexport import dedup

    w = tuple(title_words)
    n = len(w)
    if n <= dedup.NEAR_MIN_WORDS:
        return
    own = dedup._thirds(w, n)
    assert dedup._near_thirds(w, n) == (
        own,
        dedup._thirds(w, n - 1) + own + dedup._thirds(w, n + 1),
    )


_TITLE_PIECES = st.sampled_from(
    ["On", "the", "The", "of", "a", "An", "to", "is", "Attention", "No", "Can", " ", "  ", ":",
     "-", "\t", "{", "}", "$", "$x$", "\\emph{the}", "\\'e", "\\%", "Matthäus", "Sarıyıldız",
     "张磊", "ﬁ", "\u200b", "\u00ad", "—", "“", "1", "V2", "'", "~", "&", "α", "ÉTÉ", "Ōn"]
)  # fmt: skip
_KEY_TITLES = st.one_of(
    st.lists(_TITLE_PIECES, max_size=14).map("".join),
    st.lists(_TITLE_PIECES, max_size=14).map(" ".join),
    st.text(max_size=30),
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(_KEY_TITLES)
def test_scholar_title_word_is_the_first_significant_of_title_words(title: str) -> None:
    """keys.scholar_title_word looks for words one at a time: what the loop over every word of
    title_words found."""
    from bibexport import keys

    words = keys.title_words(title)
    expected = next((w for w in words if w.lower() not in keys.SCHOLAR_SKIP), None)
    if expected is None:
        expected = words[0] if words else ""
    assert keys.scholar_title_word(title) == expected


_BLOCK = 1 << 20


class _SmallReads:
    """A stream whose read(size) gives at most 7 bytes: blocks of a few lines each, so that
    utf8_blocks numbers the lines of many blocks."""

    def __init__(self, data: bytes) -> None:
        import io

        self.stream = io.BytesIO(data)

    def read(self, size: int = -1) -> bytes:
        return self.stream.read(min(size, 7) if size >= 0 else 7)

    def readline(self) -> bytes:
        return self.stream.readline()


def _blocks_reference(data: bytes) -> list[object]:
    """inputs.utf8_blocks as it was, NUL looked for in the decoded text; its blocks, then the
    error's message and line if it raises."""
    import io

    from bibexport import inputs
    from bibexport.errors import InputError

    def blocks(stream: io.BytesIO, name: str, number: int = 0, offset: int = 0):  # type: ignore[no-untyped-def]
        while data := stream.read(_BLOCK):
            if not data.endswith(b"\n"):
                data += stream.readline()
            if number == 0 and data.startswith(b"\xef\xbb\xbf"):
                data = data[3:]
                offset = 3
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = "\x00"
            if "\x00" in text:
                text = yield from inputs._lines_before_fault(io.BytesIO(data), name, number, offset)
            if not text.endswith("\n"):
                text += "\n"
            yield number, text, data
            number += text.count("\n")
            offset += len(data)

    out: list[object] = []
    try:
        out.extend(blocks(_SmallReads(data), "x"))
    except InputError as exc:
        out.append((str(exc), exc.line))
    return out


_BYTES = st.lists(
    st.sampled_from([b"a", b" ", b"\n", b"\r\n", b"\x00", b"\xef\xbb\xbf", b"\xc3\xa9", b"\xe2\x80",
                     b"\xff", b"\xe4\xb8\xad", b"#1 T [PDF]\n", b"Authors: A\n", b"\t"]),
    max_size=30,
).map(b"".join)  # fmt: skip


@settings(max_examples=EXAMPLES, deadline=None)
@given(_BYTES)
def test_utf8_blocks_finds_nul_in_the_bytes_as_in_the_text(data: bytes) -> None:

    from bibexport import inputs
    from bibexport.errors import InputError

    out: list[object] = []
    try:
        out.extend(inputs.utf8_blocks(_SmallReads(data), "x"))
    except InputError as exc:
        out.append((str(exc), exc.line))
    assert out == _blocks_reference(data)
