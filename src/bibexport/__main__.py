"""``python -m bibexport``."""

from .cli import run

run()
