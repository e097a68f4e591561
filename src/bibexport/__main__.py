"""``python -m bibexport``."""

from .cli import main

main(prog_name="bibexport")
