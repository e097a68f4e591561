"""The main process's fast paths give what the general ones (or the code before them) gave.

- records._new_record makes a Record through a plain twin of its layout: the same Record as
  its __init__ makes, in every way.
- Index.add_parts slices a paper's own ``_thirds`` keys off those it looks up: the index it
  builds is the one the keys given apart built.
- Workers send MatchParts as columns (parallel._packed); the main process gets each paper's
  MatchParts back (parallel._unpacked), its own keys left to add_parts.
- split_listing cuts a part off its block at an offset, not by copying the rest: the same
  parts as cutting and copying.
- KeyAssigner.assign_prepared looks a base's count up only when the base is taken: the same
  keys as before.
"""

from __future__ import annotations

import dataclasses
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bibexport import dedup, parallel, records
from bibexport.dedup import Index, MatchParts, match_parts_of
from bibexport.formats import listing
from bibexport.formats.listing import Part, newlines, split_listing
from bibexport.keys import KeyAssigner, collision_suffix
from bibexport.model import Origin
from bibexport.records import Record, _new_record

texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
words = st.sampled_from(
    ["Attention", "is", "all", "you", "need", "Deep", "learning", "über", "ÆON", "x2", "a", "of"]
) | st.text(st.characters(whitelist_categories=("Lu", "Ll", "Nd")), min_size=1, max_size=6)
titles = st.lists(words, max_size=14).map(" ".join) | st.builds(
    lambda a, b: f"{a}: {b}",
    st.lists(words, max_size=4).map(" ".join),
    st.lists(words, max_size=8).map(" ".join),
)
families = st.lists(st.sampled_from(["smith", "gool", "vangool", "li", "müller", ""]), max_size=4)
years = st.none() | st.integers(1900, 2100)


@given(
    key=texts,
    entry_type=texts,
    title=texts,
    families=families.map(tuple),
    year=years,
    ids=st.frozensets(texts, max_size=3),
    line=st.integers(0, 10**6),
    preprint=st.booleans(),
)
@settings(max_examples=200)
def test_new_record_is_the_record_init_makes(
    key: str,
    entry_type: str,
    title: str,
    families: tuple[str, ...],
    year: int | None,
    ids: frozenset[str],
    line: int,
    preprint: bool,
) -> None:
    origin = Origin("a.txt", line)
    fields = (key, entry_type, title, families, year, ids, origin, preprint)
    made, expected = _new_record(*fields), Record(*fields)
    assert type(made) is Record
    assert made == expected and hash(made) == hash(expected) and repr(made) == repr(expected)
    assert tuple(getattr(made, f.name) for f in dataclasses.fields(Record)) == fields
    assert pickle.loads(pickle.dumps(made)) == expected
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.key = "other"  # type: ignore[misc]


def test_new_record_without_a_twin_takes_each_slot(monkeypatch: pytest.MonkeyPatch) -> None:
    """Record with other fields than these: each slot's __set__, as before."""
    monkeypatch.setattr(records, "_RecordTwin", None)
    fields = ("k", "article", "T", ("smith",), 2020, frozenset({"doi:1"}), Origin("a", 3), True)
    made = _new_record(*fields)
    assert type(made) is Record and made == Record(*fields)


def _add_parts_before(index: Index, key: str, origin: Origin, parts: MatchParts) -> None:
    """Index.add_parts as it was: the paper's own keys as given in ``parts``."""
    title, families, year, fingerprint, _, own, short = parts
    index._size += 1
    if not fingerprint:
        return
    record = Record(key, "inproceedings", title, families, year, frozenset(), origin, False)
    index._put(record, fingerprint, own, short)


def _table(table: dict[object, Record | list[Record]]) -> dict[object, list[str]]:
    return {k: [r.key for r in (v if isinstance(v, list) else [v])] for k, v in table.items()}


def _tables(index: Index) -> tuple[object, ...]:
    return (
        index._size,
        _table(index._by_title),  # type: ignore[arg-type]
        _table(index._by_thirds),  # type: ignore[arg-type]
        _table(index._by_short),  # type: ignore[arg-type]
    )


@given(st.lists(st.tuples(titles, families, years), max_size=12))
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
def test_add_parts_slices_the_own_keys_as_they_were_given(
    papers: list[tuple[str, list[str], int | None]],
) -> None:
    """Every size of title (0 to 3 words: none; 4: two sizes; more: three), with titles
    repeated and colliding; the own keys match_parts_of gives are the slice add_parts takes,
    and a paper whose own keys come as () (as the workers' do) is indexed the same."""
    before, after, sent = Index(), Index(), Index()
    for i, (title, names, year) in enumerate(papers):
        parts = match_parts_of(title, tuple(names), year)
        look, own = parts[4], parts[5]
        n = len(dedup.words(title))
        assert len(look) == (9 if n > 4 else 6 if n == 4 else 0)
        assert own == (look[3:6] if len(look) == 9 else look[:3])
        origin = Origin("a.txt", i)
        _add_parts_before(before, f"k{i}", origin, parts)
        after.add_parts(f"k{i}", "inproceedings", origin, parts)
        sent.add_parts(f"k{i}", "inproceedings", origin, (*parts[:5], (), parts[6]))
    assert _tables(after) == _tables(before) == _tables(sent)


def _match_parts() -> st.SearchStrategy[MatchParts]:
    made = st.builds(match_parts_of, titles, families.map(tuple), years)
    # and keys of any int64, the extremes among them, in every count the columns may hold
    hashes = st.integers(-(2**63), 2**63 - 1)
    odd = st.builds(
        lambda t, f, y, fp, look, s: (t, f, y, fp, tuple(look), tuple(look[3:6]), s),
        texts,
        families.map(tuple),
        years,
        texts,
        st.sampled_from([0, 6, 9]).flatmap(lambda n: st.lists(hashes, min_size=n, max_size=n)),
        texts,
    )
    return made | odd


@given(st.lists(_match_parts(), max_size=20))
@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
def test_packed_match_parts_come_back_whole_but_their_own_keys(parts: list[MatchParts]) -> None:
    sent = pickle.loads(pickle.dumps(parallel._packed(parts), 4))
    back = parallel._unpacked(sent)
    assert back == [(*p[:5], (), p[6]) for p in parts]
    assert all(type(p) is tuple and type(p[4]) is tuple for p in back)


def _parts_before(
    stream: BinaryIO, reader: listing.ListingReader, buf: bytes, line: int, offset: int, size: int
) -> Iterator[Part]:
    """listing._parts as it was: the rest of the block copied after each part."""
    first = True
    scanned = 0
    try:
        while buf:
            m = listing._boundary().search(buf, max(size, scanned)) if len(buf) > size else None
            if m is None:
                more = stream.read(listing._BLOCK)
                if more:
                    scanned = buf.rfind(b"\n") + 1
                    buf += more
                    continue
                cut = len(buf)
            else:
                cut = m.start()
            data, buf = buf[:cut], buf[cut:]
            yield Part(reader.path, data, line, offset, first, reader.header)
            line += newlines(data)
            offset += cut
            first = False
            scanned = 0
    finally:
        stream.close()


lines = st.sampled_from(
    [
        "#1 A Title [PDF] [Copy] [Kimi]",
        "#22 Another one [PDF] [Kimi2]",
        "#3 Not a boundary [PDF",
        "Authors: A ; B",
        "An abstract line.",
        "",
        "#4 Short [Copy]\r",
        "x" * 40,
        "#x5 no [PDF]",
    ]
)


@given(
    st.lists(lines, min_size=1, max_size=200).map("\n".join),
    st.integers(1, 300),
    st.integers(16, 400),
    st.booleans(),
)
@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_parts_are_cut_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, size: int, block: int, end: bool
) -> None:
    """Small blocks and parts, so that a part spans blocks, a block holds many parts, lines
    are cut short at a block's end, and boundaries fall at a block's first byte."""
    path = tmp_path / "listing.txt"
    path.write_bytes(("#1 First [PDF]\n" + body + ("\n" if end else "")).encode())
    with monkeypatch.context() as patch:  # one example's patches, not the next's
        patch.setattr(listing, "_BLOCK", block)
        found = split_listing(str(path), size)
        assert found is not None
        now = list(found[1])
        patch.setattr(listing, "_parts", _parts_before)
        found = split_listing(str(path), size)
        assert found is not None
        assert now == list(found[1])
    assert b"".join(p.data for p in now) == path.read_bytes()


class _AssignerBefore(KeyAssigner):
    """KeyAssigner.assign_prepared as it was: the base's count looked up before the check."""

    def assign_prepared(self, prepared: str | tuple[str, list[str]]) -> str:
        if isinstance(prepared, tuple):
            return self._assign_acl(prepared[0], list(prepared[1]))
        base = prepared
        folded = base.casefold()
        n = self._next.get(folded, 0)
        if folded not in self._taken:
            self._next[folded] = n
            self._taken.add(folded)
            return base
        sep = "-" if self._collisions == "mlanthology" else ""
        key = base
        while key.casefold() in self._taken:
            n += 1
            key = base + sep + collision_suffix(n)
        self._next[folded] = n
        self._taken.add(key.casefold())
        return key


bases = st.sampled_from(["smith2020", "Smith2020", "smith2020a", "smith2020b", "li2021", "ß", "SS"])


@given(
    st.lists(bases | st.tuples(bases, st.lists(bases, max_size=2)), max_size=30),
    st.lists(bases, max_size=4),
    st.lists(bases, max_size=3),
    st.sampled_from([None, "acl", "anthology", "scholar"]),
)
@settings(max_examples=300)
def test_assign_prepared_gives_the_keys_it_gave(
    prepared: list[str | tuple[str, list[str]]],
    taken: list[str],
    reserved: list[str],
    preset: str | None,
) -> None:
    """Bases taken by the library, reserved, repeated in other cases, and keys that are
    another base's collision suffix (smith2020a), under every collision rule."""
    now, before = (
        KeyAssigner(taken=taken, preset=preset),
        _AssignerBefore(taken=taken, preset=preset),
    )
    for key in reserved:
        now.reserve(key)
        before.reserve(key)
    assert [now.assign_prepared(p) for p in prepared] == [
        before.assign_prepared(p) for p in prepared
    ]
