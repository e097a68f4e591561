"""One root exception, typed subclasses, and ``path:line: message`` text for the CLI to print."""

from __future__ import annotations

from ._dataclass import dataclass


class BibexportError(Exception):
    """Root of every error bibexport raises on purpose; the CLI turns it into exit status 1."""


class InputError(BibexportError, ValueError):
    """Bad input, located: ``source`` is a path (or ``<stdin>``), ``line`` is 1-based or None."""

    def __init__(self, message: str, source: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line

    def __str__(self) -> str:
        return format_location(self.source, self.line, self.message)

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str | None, int | None]]:
        """Whole through pickle: an error raised in a worker process (pipeline.py) reaches the
        user with its file and line, as it would have without workers."""
        return type(self), (self.message, self.source, self.line)


class UnknownFormatError(BibexportError, LookupError):
    """A format name or file suffix no writer is registered for."""


class OutputError(BibexportError, OSError):
    """The output could not be written; the previous file, if any, is untouched."""


@dataclass(frozen=True, slots=True)
class Problem:
    """A warning about the input that does not stop the run."""

    message: str
    source: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        return format_location(self.source, self.line, self.message)


def format_location(source: str | None, line: int | None, message: str) -> str:
    if source is None:
        return message
    if line is None:
        return f"{source}: {message}"
    return f"{source}:{line}: {message}"
