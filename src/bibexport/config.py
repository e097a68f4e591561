"""Settings from a file: ``[tool.bibexport]`` in pyproject.toml, or a ``bibexport.toml``.

Which file: ``--config FILE``, else ``$BIBEXPORT_CONFIG``, else the nearest folder, from the
current one up to the root, holding a ``bibexport.toml`` or a ``pyproject.toml``; the search
stops at the first such folder. When a folder holds both, ``bibexport.toml`` is used (as ruff
does with ruff.toml). Keys are the command's long option names; ``venues.<NAME>`` tables add
to or replace rows of the venue table. No click here: the CLI describes its options as
:class:`Setting` rows, and gets back values to use as click's ``default_map``.
"""

from __future__ import annotations

import os
import re
import string
from collections.abc import Callable, Sequence
from dataclasses import field, replace
from typing import TYPE_CHECKING

from ._configfile import ENV, PYPROJECT  # which file to read: found there (_configfile)
from ._dataclass import dataclass
from .errors import InputError

if TYPE_CHECKING:
    from .venues import VenueSpec


@dataclass(frozen=True, slots=True)
class Setting:
    """One option a config file may set, described without click."""

    name: str  # the parameter's name, the default_map key: "format_name"
    key: str  # the long option name without dashes: "format"
    kind: str  # "flag" (true/false), "int", "text", "choice" or "list" (of text)
    choices: tuple[str, ...] = ()
    low: int | None = None
    high: int | None = None
    path: bool = False  # relative values are relative to the config file's folder
    negative: str = ""  # "ascii": the same setting, inverted ("unicode")


@dataclass(frozen=True, slots=True)
class Config:
    """A config file, read and checked: values by parameter name, and where each was."""

    path: str
    how: str  # "--config", "BIBEXPORT_CONFIG" or "found"
    table: str  # "[tool.bibexport]", or "" for a bibexport.toml's top level
    values: dict[str, object] = field(default_factory=dict)
    lines: dict[str, int | None] = field(default_factory=dict)
    venues: tuple[VenueSpec, ...] = ()
    venue_lines: dict[str, int | None] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def where(self, name: str) -> str:
        """``pyproject.toml:12``: where a value came from, for ``bibexport config``."""
        line = self.lines.get(name)
        place = f"{self.path}:{line}" if line else self.path
        return f"{place} (${ENV})" if self.how == ENV else place


def load(
    path: str,
    how: str,
    settings: Sequence[Setting] | Callable[[], Sequence[Setting]],
    notes: Sequence[str] = (),
) -> Config:
    """Read and check one config file; every problem is a one-line InputError naming it.

    ``settings`` may be given as a function that makes them: a pyproject.toml without a
    ``[tool.bibexport]`` table, the common file, then needs none made."""
    import tomllib

    where = f"{path} (from ${ENV})" if how == ENV else path
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise InputError("no such config file", where) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a config file", where) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", where) from None
    text = raw.decode("utf-8", errors="replace")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", where) from None
    is_project = os.path.basename(path) == PYPROJECT
    table: object = data
    prefix = ""
    if is_project:
        tool = data.get("tool")
        table = tool.get("bibexport") if isinstance(tool, dict) else None
        prefix = "tool.bibexport"
        if table is None:
            if how == "found":
                note = f"{path} has no [tool.bibexport] table (the search stops at it): no settings"
                return Config(path, how, "", notes=(*notes, note))
            raise InputError("has no [tool.bibexport] table", where)
        if not isinstance(table, dict):
            line = _find(text, "tool", "bibexport")
            raise InputError("tool.bibexport must be a table", where, line)
    assert isinstance(table, dict)
    reader = _Reader(path, where, text, prefix, settings() if callable(settings) else settings)
    values, lines = reader.settings(table)
    venues, venue_lines = reader.venues(table.get("venues", {}))
    return Config(
        path,
        how,
        f"[{prefix}]" if prefix else "",
        values,
        lines,
        venues,
        venue_lines,
        tuple(notes),
    )


def _header(line: str) -> str | None:
    """``[ tool . "bibexport" ]`` -> ``tool.bibexport``; None if not a table header."""
    s = line.strip()
    if not s.startswith("[") or s.startswith("[["):
        return None
    end = s.find("]")
    return re.sub(r"[\s\"']", "", s[1:end]) if end > 0 else None


def _find(text: str, table: str, key: str) -> int | None:
    """The line of ``key =`` in ``[table]`` ("" for the top level): good enough for messages."""
    current = ""
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for number, line in enumerate(text.splitlines(), 1):
        header = _header(line)
        if header is not None:
            current = header
            if current == f"{table}.{key}".lstrip("."):
                return number
            continue
        if current == table and pattern.match(line):
            return number
    return None


_VENUE_KEYS = {
    "title": "text",
    "publisher": "text",
    "entry_type": "text",
    "aliases": "list",
    "series": "text",
    "issn": "text",
    "ordinal_base": "int",
}
_PLACEHOLDERS = {"year", "yy", "nth", "words", "words_first", "words_spaced"}
_ORDINALS = _PLACEHOLDERS - {"year", "yy"}


class _Reader:
    def __init__(
        self, path: str, where: str, text: str, prefix: str, settings: Sequence[Setting]
    ) -> None:
        self.path = path
        self.where = where
        self.text = text
        self.prefix = prefix
        self.by_key: dict[str, tuple[Setting, bool]] = {}
        for s in settings:
            self.by_key[s.key] = (s, False)
            if s.negative:
                self.by_key[s.negative] = (s, True)

    def fail(self, message: str, table: str, key: str) -> InputError:
        return InputError(message, self.where, _find(self.text, table, key))

    def settings(self, table: dict[str, object]) -> tuple[dict[str, object], dict[str, int | None]]:
        values: dict[str, object] = {}
        lines: dict[str, int | None] = {}
        for key, value in table.items():
            if key == "venues":
                continue
            found = self.by_key.get(key.replace("_", "-"))
            if found is None:
                raise self.fail(self._unknown(key), self.prefix, key)
            setting, inverted = found
            if setting.name in values:
                raise self.fail(f"{key}: {setting.key} is set twice", self.prefix, key)
            checked = self._check(setting, key, value)
            values[setting.name] = (not checked) if inverted else checked
            lines[setting.name] = _find(self.text, self.prefix, key)
        return values, lines

    def _unknown(self, key: str) -> str:
        import difflib

        if key.replace("_", "-") in ("config", "no-config", "help", "version"):
            return f"{key} is for the command line only, not for a config file"

        known = sorted({*self.by_key, "venues"})
        close = difflib.get_close_matches(key.replace("_", "-"), known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(known)}"
        return f"unknown setting {key!r}{hint}"

    def _check(self, setting: Setting, key: str, value: object) -> object:
        def bad(expected: str) -> InputError:
            shown = _toml(value)
            return self.fail(f"{key} = {shown}: expected {expected}", self.prefix, key)

        kind = setting.kind
        if kind == "flag":
            if not isinstance(value, bool):
                raise bad("true or false")
            return value
        if kind == "int":
            if not isinstance(value, int) or isinstance(value, bool):
                raise bad("a whole number")
            if (setting.low is not None and value < setting.low) or (
                setting.high is not None and value > setting.high
            ):
                raise bad(f"a number from {setting.low} to {setting.high}")
            return value
        if kind == "choice":
            if not isinstance(value, str) or value.lower() not in setting.choices:
                raise bad(f"one of {', '.join(setting.choices)}")
            return value.lower()
        if kind == "list":
            items = [value] if isinstance(value, str) else value
            if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
                raise bad("a list of strings")
            return [self._path(v) if setting.path else v for v in items]
        if not isinstance(value, str):
            raise bad("a string")
        return self._path(value) if setting.path else value

    def _path(self, value: str) -> str:
        if value == "-":
            return value
        value = os.path.expanduser(value)
        if os.path.isabs(value):
            return value
        return os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(self.path)), value))

    def venues(self, table: object) -> tuple[tuple[VenueSpec, ...], dict[str, int | None]]:
        if not isinstance(table, dict):
            raise self.fail("venues must be a table of [venues.NAME] tables", self.prefix, "venues")
        specs = []
        lines = {}
        for name, row in table.items():
            where = f"{self.prefix}.venues".lstrip(".")
            if not isinstance(row, dict):
                raise self.fail(f"venues.{name} must be a table", where, name)
            spec = self._venue(name, row, f"{where}.{name}")
            specs.append(spec)
            lines[spec.short] = _find(self.text, where, name)
        return tuple(specs), lines

    def _venue(self, name: str, row: dict[str, object], table: str) -> VenueSpec:
        from .venues import Era, VenueSpec, builtin

        for key, value in row.items():
            kind = _VENUE_KEYS.get(key)
            if kind is None:
                raise self.fail(
                    f"venues.{name}: unknown key {key!r}; known: {', '.join(_VENUE_KEYS)}",
                    table,
                    key,
                )
            ok = (
                isinstance(value, str)
                if kind == "text"
                else isinstance(value, list) and all(isinstance(v, str) for v in value)
                if kind == "list"
                else isinstance(value, int) and not isinstance(value, bool)
            )
            if not ok:
                expected = {"text": "a string", "list": "a list of strings", "int": "a number"}
                raise self.fail(
                    f"venues.{name}.{key} = {_toml(value)}: expected {expected[kind]}", table, key
                )
        entry_type = row.get("entry_type")
        if entry_type is not None and entry_type not in ("inproceedings", "article"):
            raise self.fail(
                f"venues.{name}.entry_type = {_toml(entry_type)}: expected 'inproceedings' or"
                " 'article'",
                table,
                "entry_type",
            )
        base = builtin(name)
        title = row.get("title")
        assert title is None or isinstance(title, str)
        if base is None and title is None:
            raise self.fail(
                f"venues.{name}: a new venue needs a title (the proceedings or journal title)",
                self.prefix + ".venues" if self.prefix else "venues",
                name,
            )
        ordinal_base = row.get("ordinal_base", base.ordinal_base if base else 0)
        assert isinstance(ordinal_base, int)
        fields: set[str] = set()
        if title is not None:
            try:
                fields = {f for _, f, _, _ in string.Formatter().parse(title) if f is not None}
            except ValueError as exc:
                raise self.fail(f"venues.{name}.title: {exc}", table, "title") from None
            unknown = fields - _PLACEHOLDERS
            if unknown:
                raise self.fail(
                    f"venues.{name}.title: unknown placeholder {{{sorted(unknown)[0]}}}; known: "
                    + ", ".join(f"{{{p}}}" for p in sorted(_PLACEHOLDERS)),
                    table,
                    "title",
                )
            if fields & _ORDINALS and "ordinal_base" not in row and base is None:
                raise self.fail(
                    f"venues.{name}.title uses an ordinal; give ordinal_base (the year before"
                    " the first edition)",
                    table,
                    "title",
                )
        publisher = row.get("publisher")
        assert publisher is None or isinstance(publisher, str)
        aliases = row.get("aliases", [])
        assert isinstance(aliases, list)
        if base is not None:
            eras = base.eras
            if title is not None:
                start = ordinal_base + 1 if title and fields & _ORDINALS else 1
                eras = (Era(start, title, publisher or base.eras[-1].publisher),)
            elif publisher is not None:
                eras = tuple(replace(e, publisher=publisher) for e in base.eras)
            spec = replace(
                base,
                eras=eras,
                generic=title if title and not fields else base.generic,
                aliases=tuple(dict.fromkeys([*base.aliases, *aliases])),
                ordinal_base=ordinal_base,
            )
        else:
            assert title is not None
            start = ordinal_base + 1 if fields & _ORDINALS else 1
            spec = VenueSpec(
                short=name,
                generic=title if not fields else name,
                eras=(Era(start, title, publisher or ""),),
                aliases=tuple(aliases),
                ordinal_base=ordinal_base,
            )
        changes = {k: row[k] for k in ("series", "issn", "entry_type") if k in row}
        for alias in aliases:
            other = builtin(alias)
            if other is not None and other is not base:
                raise self.fail(
                    f"venues.{name}: alias {alias!r} is already the table's {other.short}",
                    table,
                    "aliases",
                )
        return replace(spec, **changes)  # type: ignore[arg-type]


def _toml(value: object) -> str:
    """A value as it was written, near enough: true, 3, 'text', [...]."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        import json

        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{...}"
    return str(value)
