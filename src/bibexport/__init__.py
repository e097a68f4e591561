"""bibexport: conference paper listings -> BibTeX, biblatex, RIS and CSL-JSON.

The public API: the frozen model, :func:`convert`, and the errors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

from .errors import BibexportError, InputError, OutputError, Problem, UnknownFormatError
from .model import Origin, Paper, Person, Venue

if TYPE_CHECKING:
    from .pipeline import convert


def __getattr__(name: str) -> Any:
    """``convert`` imports the pipeline only when used, so ``--help`` stays fast."""
    if name == "convert":
        from .pipeline import convert

        return convert
    raise AttributeError(name)


__all__ = [
    "BibexportError",
    "InputError",
    "Origin",
    "OutputError",
    "Paper",
    "Person",
    "Problem",
    "UnknownFormatError",
    "Venue",
    "__version__",
    "convert",
]
