"""Which config file a run reads (config.py reads it): apart from config.py so that a run
with none, the common case, does not import the reader (its dataclasses are most of the
cost of importing it, before the worker processes start)."""

from __future__ import annotations

import os
from collections.abc import Mapping

ENV = "BIBEXPORT_CONFIG"
PYPROJECT = "pyproject.toml"
OWN = "bibexport.toml"


def locate(start: str) -> tuple[str, list[str]] | None:
    """The config file for a run started in ``start``, and notes (a file passed over)."""
    folder = os.path.abspath(start)
    while True:
        own, project = os.path.join(folder, OWN), os.path.join(folder, PYPROJECT)
        if os.path.isfile(own):
            notes = []
            if os.path.isfile(project) and _has_tool_table(project):
                notes.append(f"{_show(project)} has [tool.bibexport] too; {OWN} wins")
            return own, notes
        if os.path.isfile(project):
            return project, []
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _has_tool_table(path: str) -> bool:
    from .config import _header

    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return any(_header(line) == "tool.bibexport" for line in f)
    except OSError:
        return False


def _show(path: str) -> str:
    """A path as short as it is clear: relative below the current folder, else absolute."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def choose(
    config: str | None, no_config: bool, environ: Mapping[str, str], cwd: str
) -> tuple[str, str, list[str]] | None:
    """(path, how, notes) of the file to read, or None."""
    if no_config:
        return None
    if config:
        return config, "--config", []
    if environ.get(ENV):
        return environ[ENV], ENV, []
    found = locate(cwd)
    if found is None:
        return None
    path, notes = found
    return _show(path), "found", notes
