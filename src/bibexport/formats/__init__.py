"""The format registry: one row per output format, looked up by name, then by file suffix.

Writer modules are imported only when used, so ``bibexport --help`` stays fast. A new format
is one module with a ``Writer`` class and one row in :data:`FORMATS`.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Protocol

from ..errors import Problem, UnknownFormatError
from ..model import Paper


@dataclass(frozen=True, slots=True)
class WriteOptions:
    """``unicode=None`` means the format's own default (ASCII for BibTeX, UTF-8 elsewhere)."""

    unicode: bool | None = None
    appending: bool = False  # entries follow existing ones in a file the user already has
    jabref_group: str | None = None  # BibTeX/biblatex: new entries get groups = {NAME}


class Writer(Protocol):
    """Streams one output: ``begin()``, ``entry()`` per paper, ``end()``; returns text."""

    problems: list[Problem]

    def begin(self) -> str: ...

    def entry(self, paper: Paper) -> str: ...

    def end(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    suffixes: tuple[str, ...]
    module: str  # relative to this package
    description: str
    newline: str = "\n"  # RIS wants CRLF
    options: dict[str, object] = field(default_factory=dict)

    def writer(self, options: WriteOptions) -> Writer:
        module = importlib.import_module(f".{self.module}", __name__)
        writer: Writer = module.Writer(options, **self.options)
        return writer


FORMATS: tuple[Format, ...] = (
    Format("bibtex", (".bib",), "bibtex", "BibTeX for bibtex and natbib (ASCII by default)"),
    Format(
        "biblatex", (), "bibtex", "biblatex for biber (UTF-8, date)", options={"biblatex": True}
    ),
    Format("ris", (".ris",), "ris", "RIS for Zotero, EndNote, Mendeley, JabRef", newline="\r\n"),
    Format("csl-json", (".json",), "csljson", "CSL-JSON for pandoc, Zotero, citeproc"),
    Format("csl-yaml", (".yaml", ".yml"), "csljson", "CSL-YAML for pandoc", options={"yaml": True}),
)


def format_names() -> list[str]:
    return [f.name for f in FORMATS]


def get_format(name: str | None = None, path: str | None = None) -> Format:
    """By ``name`` if given, else by the suffix of ``path``; else an error listing them all."""
    if name is not None:
        for fmt in FORMATS:
            if fmt.name == name.lower():
                return fmt
        raise UnknownFormatError(f"unknown format {name!r}; known formats: {_known()}")
    if path is not None:
        suffix = PurePath(path).suffix.lower()
        for fmt in FORMATS:
            if suffix in fmt.suffixes:
                return fmt
        raise UnknownFormatError(
            f"cannot tell the format of {path!r} from its extension; give --format ({_known()})"
        )
    return FORMATS[0]


def _known() -> str:
    return ", ".join(f"{f.name} ({' '.join(f.suffixes)})" for f in FORMATS)


__all__: Sequence[str] = ("FORMATS", "Format", "WriteOptions", "Writer", "get_format")
