"""Patterns compiled on first use, with a cheap test in front, match what the eager ones did
(issue 7, start-up). Set ``BIBEXPORT_LAZY_EXAMPLES=20000`` to run them at length."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from bibexport import names
from bibexport._lazy import _Lazy, lazy
from bibexport.errors import InputError

EXAMPLES = int(os.environ.get("BIBEXPORT_LAZY_EXAMPLES", "500"))

# Names in every script, weighted towards the edges of the CJK ranges and the U+1100 cut.
_EDGES = [
    "\u10ff", "\u1100", "\u11ff", "\u1200", "\u303f", "\u3040", "\u30ff", "\u3100", "\u33ff",
    "\u3400", "\u9fff", "\ua000", "\uabff", "\uac00", "\ud7af", "\ud7b0", "\uf8ff", "\uf900",
    "\ufaff", "\ufb00", "\U0001ffff", "\U00020000", "\U0002fa1f", "\U0002fa20", "\U0010ffff",
]  # fmt: skip
_CHARS = st.one_of(
    st.sampled_from(_EDGES),
    st.characters(codec="utf-8"),
    st.characters(min_codepoint=0x1000, max_codepoint=0x32000),  # CJK's astral ranges too
    st.sampled_from("AaZzéÄßĳŁ Ωжễ李김のー{}\\$~-'"),
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.text(_CHARS, max_size=12))
def test_has_cjk_is_the_cjk_search(name: str) -> None:
    assert names._has_cjk(name) == (re.search(names._CJK, name) is not None)


_EAGER = re.compile(names._CJK)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(st.text(_CHARS, min_size=1, max_size=8), min_size=1, max_size=3))
def test_parse_name_reads_as_with_the_eager_pattern(words: list[str]) -> None:
    name = " ".join(words)
    names.parse_name.cache_clear()
    lazy = names.parse_name(name)
    with mock.patch.object(names, "_has_cjk", lambda n: _EAGER.search(n) is not None):
        names.parse_name.cache_clear()
        eager = names.parse_name(name)
    names.parse_name.cache_clear()
    assert lazy == eager


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["1", "1,4,10-12", "x.txt:1-3", "", " "]), max_size=2),
    st.one_of(st.none(), st.sampled_from(["", "diffusion", "(?i)x"])),
    st.lists(st.sampled_from(["Yang Song", "", "Müller"]), max_size=2),
)
def test_cli_selection_is_selection_parse(
    select: list[str], match: str | None, authors: list[str]
) -> None:
    """The CLI imports selection.py only when something is selected; what it passes on is
    what ``Selection.parse`` makes."""
    from bibexport.cli import _selection
    from bibexport.selection import Selection

    def outcome(parse: Callable[..., object]) -> object:
        try:
            return parse(select, match, authors)
        except InputError as exc:
            return str(exc)

    assert outcome(_selection) == outcome(Selection.parse)


def _lazy_patterns() -> list[tuple[ModuleType, str]]:
    """Every ``NAME = lazy(globals(), "NAME", ...)`` of bibexport's modules, read from their
    source: the stand-in, or the pattern that took its place."""
    from bibexport import append, dedup, keys, records, text
    from bibexport.formats import listing

    found = []
    for module in (append, dedup, keys, listing, names, records, text):
        source = Path(str(module.__file__)).read_text(encoding="utf-8")
        for m in re.finditer(r'^(\w+) = lazy\(\s*globals\(\),\s*"(\w+)"', source, re.M):
            assert m.group(1) == m.group(2), f"{module.__name__}: {m.group(1)} binds {m.group(2)}"
            found.append((module, m.group(1)))
    return found


_LAZY = _lazy_patterns()


def test_some_patterns_are_lazy() -> None:
    """A fresh process that imports everything a conversion does but uses nothing has every
    stand-in in place (else this file tests nothing)."""
    code = (
        "import bibexport.cli, bibexport.pipeline, bibexport.dedup, bibexport.records\n"
        "from bibexport._lazy import _Lazy\n"
        "import sys\n"
        "print(sum(isinstance(v, _Lazy) for m in list(sys.modules.values())"
        " if m and m.__name__.startswith('bibexport') for v in vars(m).values()))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(out.stdout) == len(_LAZY) >= 30


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.sampled_from(_LAZY), st.text(_CHARS, max_size=40))
def test_lazy_pattern_is_the_pattern(where: tuple[ModuleType, str], sample: str) -> None:
    """A stand-in answers as ``re.compile`` of its pattern would, and after its first use the
    namespace holds the compiled pattern itself."""
    module, name = where
    value = vars(module)[name]
    if isinstance(value, _Lazy):
        assert value._name == name and value._globals is vars(module)
        pattern, flags = value._pattern, value._flags
    else:
        assert isinstance(value, re.Pattern)
        pattern, flags = value.pattern, value.flags
    eager = re.compile(pattern, flags)
    namespace: dict[str, Any] = {}
    namespace[name] = stand_in = lazy(namespace, name, pattern, flags)
    probe: Any = sample if isinstance(pattern, str) else sample.encode("utf-8", "surrogatepass")
    assert [m.span() for m in stand_in.finditer(probe)] == [m.span() for m in eager.finditer(probe)]
    assert stand_in.findall(probe) == eager.findall(probe)
    assert namespace[name] is not stand_in
    assert isinstance(namespace[name], re.Pattern)
    assert (namespace[name].pattern, namespace[name].flags) == (eager.pattern, eager.flags)


_PATH_PARTS = st.sampled_from(["", "/", "//", ".", "..", "refs", ".bib", "x.bib", "a.", "a..b"])


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(st.one_of(_PATH_PARTS, st.text(st.sampled_from("./ab\\é~ "), max_size=6))))
def test_suffix_is_pathlibs(pieces: list[str]) -> None:
    """formats' suffix of a path, without pathlib, is ``PurePath(path).suffix``."""
    from pathlib import PurePath

    from bibexport.formats import _suffix

    path = "".join(pieces)
    assert _suffix(path) == PurePath(path).suffix
