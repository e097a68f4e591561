"""``python -m bibexport``."""

from .cli import main

main()
