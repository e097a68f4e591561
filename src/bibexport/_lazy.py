"""Regular expressions compiled at their first use (issue 7, start-up).

A module-level pattern that only some runs use (a library's identifiers, a key preset, a
rare listing line) costs its compile in every run, each worth tens of thousands of
instructions: together a few percent of a small run. ``lazy`` stands in for ``re.compile``:
the first method called on the stand-in compiles the pattern and puts it in the module's
globals in the stand-in's place, so later uses in that module are plain Pattern calls.
"""

from __future__ import annotations

import re
from typing import Any, AnyStr, cast


class _Lazy:
    __slots__ = ("_compiled", "_flags", "_globals", "_name", "_pattern")

    def __init__(self, where: dict[str, Any], name: str, pattern: str | bytes, flags: int) -> None:
        self._globals = where
        self._name = name
        self._pattern = pattern
        self._flags = flags
        self._compiled: re.Pattern[Any] | None = None

    def __getattr__(self, attr: str) -> Any:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self._pattern, self._flags)
            self._globals[self._name] = compiled
        return getattr(compiled, attr)


def lazy(where: dict[str, Any], name: str, pattern: AnyStr, flags: int = 0) -> re.Pattern[AnyStr]:
    """``re.compile(pattern, flags)``, done when first used; ``where[name]`` (the caller's
    ``globals()`` and the name the result is bound to) then becomes the compiled pattern."""
    return cast("re.Pattern[AnyStr]", _Lazy(where, name, pattern, flags))
