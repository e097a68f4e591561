"""The BibTeX encoder's fourth round of shortcuts, against what they replace.

``_FAST_TOKEN``'s math runs are possessive (``++``): a math body is matched a run of plain
characters at a time rather than a character at a time. The match is deterministic (the three
kinds of body step start with different characters, none with "$"), so it finds what the
backtracking pattern found; checked here against a copy of that pattern, on the regex split
and on both piece finders, which now take a one-character token (a brace, an escaped
character) without the regex. ``_needs_protection`` splits a word at hyphens and apostrophes
without ``re.split``. Through ``to_bibtex``, all of it is checked against the token scanner.
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bibexport.text import (
    _FAST_PIECES,
    _ascii_pieces,
    _needs_protection,
    _utf8_pieces,
    to_bibtex,
)
from tests.test_bibtex_fast import scanned_bibtex

# _FAST_TOKEN as it was, with the math bodies matched a character at a time.
_OLD_PIECES = re.compile(
    r"(\$\$(?:[^$\\\n]|\\.|\n(?!\n))+\$\$|\$(?:[^$\\\n]|\\.|\n(?!\n))+\$|\$"
    r"|\\(?:[A-Za-z]+|.)?|\{|\}|&|%|#|_|~|\^)",
    re.DOTALL,
)

_PIECES = [
    *"ab Z$\\{}&%#_~^@\n\t\r\x00é×—漢\u0301\U0001f600",
    "$",
    "$$",
    "\\$",
    "\\\\",
    "\\\n",
    "$x$",
    "$$x$$",
    "$x\ny$",
    "$x\n\ny$",
    "$$x\n\ny$$",
    "$a\\$b$",
    "$$x$ y$$",
    "$\\alpha_{i}^{2}$",
    "$é × β$",
    "$a{$",
    "$}$",
    "\\emph{",
    "\\url{",
    "\\'",
    "\\H",
    "\\%",
    "\\{",
    "\\input",
    "{\\it ",
    "iPhone",
    "GANs",
    "T5",
    "rock'n'Roll",
    "O’Neil",
    "x-Ray",
    "3D-CNN",
    "\n @",
]
NASTY = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)
TEXT = st.one_of(NASTY, st.text(max_size=60), st.text(st.sampled_from(_PIECES[:26]), max_size=40))


@settings(max_examples=3000, deadline=None)
@given(text=TEXT)
@example(text="$a\\$b$ $$x$ y$$ $x\n\ny$")
@example(text="$" + "a" * 200)
@example(text="$$" + "a\\b" * 50 + "$")
@example(text="{}~%\\é$é$")
def test_pieces_are_the_old_regex_split(text: str) -> None:
    old = _OLD_PIECES.split(text)
    assert _FAST_PIECES.split(text) == old
    if text.isascii():
        assert _ascii_pieces(text) == old
    else:
        assert _utf8_pieces(text) == old


def _needs_protection_reference(word: str) -> bool:
    for part in re.split(r"[-'’]", word):
        if any(c.isupper() for c in part[1:]):
            return True
    return any(c.isdigit() for c in word) and any(c.isupper() for c in word)


@settings(max_examples=2000, deadline=None)
@given(word=st.one_of(st.text(st.sampled_from([*"aAzZ09-'’ÖéǅΩ_ "]), max_size=12), st.text()))
@example(word="rock'n'Roll")
@example(word="O’Neil")
@example(word="-A")
def test_needs_protection_is_the_regex_split(word: str) -> None:
    assert _needs_protection(word) == _needs_protection_reference(word)


@settings(max_examples=3000, deadline=None)
@given(text=TEXT, ascii_only=st.booleans(), protect=st.booleans())
@example(text="GANs: $a\\$b$ {T5} x-Ray O’Neil\n@z", ascii_only=True, protect=True)
@example(text="$$x$ y$$ {\\em é} 50\\%", ascii_only=False, protect=False)
def test_to_bibtex_is_the_token_scanner(text: str, ascii_only: bool, protect: bool) -> None:
    expected = scanned_bibtex(text, ascii_only, protect)
    assert to_bibtex(text, ascii_only=ascii_only, protect=protect) == expected
