"""A progress line on stderr for long runs: papers done, papers/s, time left.

Shown only when stderr is a terminal and the run has taken over a second, so pipes, files and CI
logs never see it.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Call :meth:`update` per paper; it redraws at most ten times a second."""

    DELAY = 1.0
    INTERVAL = 0.1

    def __init__(self, total_chars: int, stream: TextIO | None = None) -> None:
        self.total = total_chars
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty()
        self.start = time.monotonic()
        self._next = self.start + self.DELAY
        self._shown = False

    def update(self, papers: int, chars_done: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now < self._next:
            return
        self._next = now + self.INTERVAL
        elapsed = now - self.start
        rate = papers / elapsed if elapsed > 0 else 0.0
        line = f"bibexport: {papers:,} papers, {rate:,.0f}/s"
        if self.total and chars_done:
            left = elapsed * (self.total - chars_done) / chars_done
            line += f", {max(left, 0):.0f} s left"
        self.stream.write("\r" + line + "\x1b[K")
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        """Erase the line so the summary that follows starts clean."""
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False
