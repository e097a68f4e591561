"""The serial start of a run (issue 7): dataclass methods compiled ahead (bibexport._dataclass)
are the methods ``dataclasses.dataclass`` makes, and what a typical run no longer imports or
compiles behaves as before when it is needed."""

from __future__ import annotations

import dataclasses
import json
import pickle
import re
import subprocess
import sys
from pathlib import Path
from types import CodeType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bibexport import _dataclass
from bibexport._dataclass_code import CODES
from bibexport.model import Origin, Paper, Person, Venue

_IMPORT_ALL = (
    "import importlib, pkgutil, bibexport\n"
    "for info in pkgutil.walk_packages(bibexport.__path__, 'bibexport.'):\n"
    "    if info.name not in ('bibexport.__main__', 'bibexport._dataclass_code'):\n"
    "        importlib.import_module(info.name)\n"
)


def _run(code: str) -> Any:
    """What ``code`` prints in a fresh process, as JSON, less objects' addresses."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(re.sub(r" at 0x[0-9a-f]+", "", out.stdout))


@pytest.mark.skipif(
    sys.version_info[:2] != (3, 11),
    reason="the table holds the texts Python 3.11's dataclasses write; another Python's are "
    "compiled as dataclasses compiles them (test_a_text_not_in_the_table_is_compiled)",
)
def test_the_table_is_current() -> None:
    """Every method of every class of the package is served from the table, and the table
    holds nothing else (else: ``bibexport._dataclass.write_table()``)."""
    made, missed = _run(
        _IMPORT_ALL + "import json, bibexport._dataclass as d\n"
        "print(json.dumps([sorted(set(d.made)), d.missed]))"
    )
    assert missed == []
    assert made == sorted(CODES)
    assert len(made) > 100


def _shape(code: CodeType) -> tuple[Any, ...]:
    """A code object less where it was written (file, lines)."""
    consts = tuple(_shape(c) if isinstance(c, CodeType) else (type(c), c) for c in code.co_consts)
    return (
        code.co_code, consts, code.co_names, code.co_varnames, code.co_freevars,
        code.co_cellvars, code.co_argcount, code.co_posonlyargcount, code.co_kwonlyargcount,
        code.co_flags, code.co_name, code.co_qualname, code.co_stacksize,
        code.co_exceptiontable,
    )  # fmt: skip


@pytest.mark.parametrize("txt", sorted(CODES))
def test_table_code_is_the_texts(txt: str) -> None:
    """What the table holds for a text is what dataclasses' exec of it compiles."""
    namespace: dict[str, Any] = {}
    exec(compile(txt, "<string>", "exec", dont_inherit=True), {}, namespace)
    assert _shape(CODES[txt]) == _shape(namespace["__create_fn__"].__code__)


# What a class is, less where its methods' code was written: run once with the table and once
# with an empty one (every method exec'd by dataclasses, as before).
_FINGERPRINT = (
    _IMPORT_ALL
    + """
import dataclasses, inspect, json, sys, types
def shape(code):
    consts = [shape(c) if isinstance(c, types.CodeType) else repr(c) for c in code.co_consts]
    return [code.co_code.hex(), consts, code.co_names, code.co_varnames, code.co_freevars,
            code.co_name, code.co_qualname, code.co_argcount, code.co_kwonlyargcount,
            code.co_flags]
def method(fn):
    if not isinstance(fn, types.FunctionType):
        return repr(fn)
    inner = getattr(fn, "__wrapped__", None)
    return [fn.__name__, fn.__qualname__, fn.__module__, fn.__globals__ is vars(sys.modules[
            fn.__module__]) if fn.__module__ in sys.modules else None, repr(fn.__defaults__),
            repr(fn.__kwdefaults__), repr(fn.__annotations__), shape(fn.__code__),
            [repr(c.cell_contents) for c in fn.__closure__ or ()],
            method(inner) if inner else None]
out = {}
for name, module in sorted(sys.modules.items()):
    if not name.startswith("bibexport") or module is None:
        continue
    for cls in vars(module).values():
        if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == name:
            out[cls.__qualname__] = [
                repr(cls.__dataclass_params__), repr(dataclasses.fields(cls)),
                repr(getattr(cls, "__slots__", None)), repr(getattr(cls, "__match_args__", None)),
                str(inspect.signature(cls)), repr(cls.__mro__), cls.__doc__,
                {k: method(v) for k, v in sorted(vars(cls).items())
                 if isinstance(v, types.FunctionType) or k.startswith("__")
                 and k not in ("__doc__", "__dataclass_fields__", "__dataclass_params__")}]
print(json.dumps(out, sort_keys=True))
"""
)
_EMPTY_TABLE = (
    "import sys, types\n"
    "m = types.ModuleType('bibexport._dataclass_code'); m.CODES = {}\n"
    "sys.modules[m.__name__] = m\n"
)


def test_classes_are_as_dataclasses_makes_them() -> None:
    served = _run(_FINGERPRINT)
    execd = _run(_EMPTY_TABLE + _FINGERPRINT)
    assert len(served) >= 23
    assert served.keys() == execd.keys()
    for name in served:
        assert served[name] == execd[name], name


def test_a_text_not_in_the_table_is_compiled() -> None:
    """A class the table does not know is made by exec, as dataclasses does."""

    @_dataclass.dataclass(frozen=True, slots=True)
    class Unknown:
        a_field_nobody_has: int
        other: str = "x"

    assert any("a_field_nobody_has" in txt for txt in _dataclass.missed)
    u = Unknown(1)
    assert repr(u).endswith(".<locals>.Unknown(a_field_nobody_has=1, other='x')")
    assert u == Unknown(1, "x") and hash(u) == hash(Unknown(1))
    with pytest.raises(dataclasses.FrozenInstanceError):
        u.other = "y"  # type: ignore[misc]


def _twin(cls: type) -> type:
    """``cls`` made again by dataclasses itself, from its fields."""
    specs = []
    for f in dataclasses.fields(cls):
        if f.default_factory is not dataclasses.MISSING:
            specs.append((f.name, f.type, dataclasses.field(default_factory=f.default_factory)))
        elif f.default is not dataclasses.MISSING:
            specs.append((f.name, f.type, dataclasses.field(default=f.default)))
        else:
            specs.append((f.name, f.type))
    made = dataclasses.make_dataclass(cls.__name__, specs, frozen=True, slots=True)
    made.__qualname__ = cls.__qualname__
    return made


_TWINS = {cls: _twin(cls) for cls in (Origin, Person, Venue, Paper)}
_TEXT = st.text(st.sampled_from("aZé {}\\'\"\x00\n"), max_size=4)
_PERSONS = st.builds(Person, _TEXT, _TEXT, _TEXT, _TEXT, _TEXT)


def _values(cls: type) -> st.SearchStrategy[tuple[Any, ...]]:
    if cls is Origin:
        return st.tuples(_TEXT, st.integers(-2, 2))
    if cls is Person:
        return st.tuples(_TEXT, _TEXT, _TEXT, _TEXT, _TEXT)
    if cls is Venue:
        return st.tuples(_TEXT, st.none() | st.integers(1999, 2001), _TEXT, _TEXT, st.booleans())
    return st.tuples(
        _TEXT,
        st.lists(_PERSONS, max_size=2).map(tuple),
        st.builds(Venue, _TEXT, st.none() | st.just(2023)),
        st.builds(Origin, _TEXT, st.integers(1, 3)),
        _TEXT,
        st.none() | st.integers(0, 3),
    )


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_model_behaves_as_dataclasses_makes_it(data: st.DataObject) -> None:
    """Equality, hash, repr, immutability and pickling of the model, against the same classes
    made by dataclasses itself."""
    cls = data.draw(st.sampled_from(sorted(_TWINS, key=lambda c: c.__name__)))
    twin = _TWINS[cls]
    a, b = data.draw(_values(cls)), data.draw(_values(cls))
    ours, theirs = cls(*a), twin(*a)
    ours_b, theirs_b = cls(*b), twin(*b)
    assert repr(ours) == repr(theirs)
    assert hash(ours) == hash(theirs)
    assert (ours == ours_b) == (theirs == theirs_b) == (a == b)
    assert (ours != theirs) and (ours.__eq__(theirs) is NotImplemented)
    assert dataclasses.astuple(ours) == dataclasses.astuple(theirs)
    copy = pickle.loads(pickle.dumps(ours))
    assert copy == ours and type(copy) is cls and hash(copy) == hash(ours)
    name = data.draw(st.sampled_from([f.name for f in dataclasses.fields(cls)]))
    for obj in (ours, theirs):
        with pytest.raises(dataclasses.FrozenInstanceError, match=f"field {name!r}"):
            setattr(obj, name, 1)
        with pytest.raises(dataclasses.FrozenInstanceError, match=f"field {name!r}"):
            delattr(obj, name)
    changed = dataclasses.replace(ours, **{name: getattr(ours_b, name)})
    assert repr(changed) == repr(dataclasses.replace(theirs, **{name: getattr(theirs_b, name)}))


# Patterns a conversion to BibTeX does not use (a JabRef library's blocks, non-ASCII words,
# the authN markers, math, mixed quotes) stay uncompiled through a run; HEADER and TOTAL
# until the listing's header is read (after a big run's workers have started).
_UNUSED = (
    ("bibexport.append", "_BLOCK_START"),
    ("bibexport.dedup", "_WORD"),
    ("bibexport.keys", "_AUTHORS_N"),
    ("bibexport.keys", "_AUTH_N"),
    ("bibexport.text", "_INLINE_MATH"),
    ("bibexport.text", "_DISPLAY_MATH"),
    ("bibexport.text", "_MIXED_QUOTES"),
)


def test_a_run_leaves_them_uncompiled(tmp_path: Path) -> None:
    listing = Path(__file__).parents[1] / "examples" / "iclr2023-notable-top25-page1.txt"
    code = (
        "import json, sys\n"
        "from bibexport import cli\n"
        "from bibexport._lazy import _Lazy\n"
        "import bibexport.formats.listing as listing\n"
        "before = [isinstance(vars(listing)[n], _Lazy) for n in ('HEADER', 'TOTAL')]\n"
        f"try:\n    cli.main([{str(listing)!r}, '-q', '--no-config', '-o', "
        f"{str(tmp_path / 'out.bib')!r}], prog_name='bibexport')\n"
        "except SystemExit as e:\n    assert not e.code, e.code\n"
        f"print(json.dumps([before, [isinstance(vars(sys.modules[m])[n], _Lazy) for m, n in "
        f"{_UNUSED!r}]]))"
    )
    before, after = _run(code)
    assert before == [True, True]
    assert after == [True] * len(_UNUSED)


@pytest.mark.parametrize("enabled", [True, False])
def test_importing_the_cli_leaves_the_collector_as_it_was(enabled: bool) -> None:
    """cli.py holds the cyclic collector off while it imports, then freezes what it made."""
    code = (
        "import gc, json\n"
        f"{'gc.enable()' if enabled else 'gc.disable()'}\n"
        "frozen = gc.get_freeze_count()\n"
        "import bibexport.cli\n"
        "print(json.dumps([gc.isenabled(), gc.get_freeze_count() > frozen + 10000]))"
    )
    assert _run(code) == [enabled, True]
