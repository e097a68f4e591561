"""The table of TeX spellings shipped in _tex_chars.py is what the spelling rules give.

char_to_tex takes a listed character's spelling from the table, without building pylatexenc's
decoder (about 30 ms of every run with an accented name): every entry must be what
spell_char, which reads each candidate back through that decoder, works out live.
"""

from __future__ import annotations

import subprocess
import sys

from bibexport._tex_chars import TABLE, listed
from bibexport.text import char_to_tex, spell_char, to_bibtex, untexable


def test_every_listed_character_is_in_the_table_with_its_live_spelling() -> None:
    live = {ch: spell_char(ch) for ch in listed()}
    assert live == TABLE
    assert len(TABLE) > 700
    assert TABLE["é"] == "{\\'e}" and TABLE["–"] == "--" and TABLE["ễ"] == "{\\~{\\^e}}"


def test_characters_outside_the_table_are_spelled_live() -> None:
    assert "Ж" not in TABLE
    assert char_to_tex("Ж") == spell_char("Ж") is not None
    assert "中" not in TABLE
    assert char_to_tex("中") is None  # no TeX form: stays UTF-8


def _fresh_interpreter(code: str) -> list[str]:
    """The lines ``code`` prints in a new Python, whose caches are empty."""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return run.stdout.split("\n")


def test_a_run_with_listed_characters_never_builds_the_decoder() -> None:
    """The point of the table: ASCII BibTeX of accented names and dashes without pylatexenc's
    decoder (checked in a fresh interpreter, whose caches are empty)."""
    code = (
        "import sys\n"
        "from bibexport.text import to_bibtex, _decoder\n"
        "print(to_bibtex('Jürgen Schmidhuber – Nguyễn Đinh Ångström'))\n"
        "print(_decoder.cache_info().currsize)\n"
    )
    out = _fresh_interpreter(code)
    assert out[0] == to_bibtex("Jürgen Schmidhuber – Nguyễn Đinh Ångström")
    assert out[0].isascii()
    assert out[1] == "0"


def test_every_code_point_of_the_no_form_ranges_has_no_tex_form() -> None:
    """char_to_tex answers None for NO_FORM without asking the rules, which would build
    pylatexenc's encoder: the rules must agree on every code point, assigned or not."""
    from bibexport._tex_chars import NO_FORM, has_no_form

    for start, end in NO_FORM:
        for code in range(start, end):
            ch = chr(code)
            assert ch not in TABLE and has_no_form(ch)
            assert spell_char(ch) is None, hex(code)
    assert not has_no_form("é") and not has_no_form("\u2fff") and not has_no_form("\ua000")
    assert char_to_tex("中") is None and char_to_tex("～") is None and char_to_tex("한") is None


def test_greek_math_and_cjk_never_build_the_decoder() -> None:
    """What ML abstracts hold beyond Latin letters: Greek, math operators, arrows, ℓ, ﬁ, CJK."""
    code = (
        "from bibexport.text import to_bibtex, untexable, _decoder, _encoder\n"
        "text = 'α λ ≤ → ∞ − ∼ ℓ ﬁ ˆ 中文 ～'\n"
        "print(to_bibtex(text), sorted(untexable(text)))\n"
        "print(_decoder.cache_info().currsize, _encoder.cache_info().currsize)\n"
    )
    out = _fresh_interpreter(code)
    text = "α λ ≤ → ∞ − ∼ ℓ ﬁ ˆ 中文 ～"
    assert out[0] == f"{to_bibtex(text)} {sorted(untexable(text))}"
    assert out[1] == "0 0"
