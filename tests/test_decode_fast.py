"""The fast paths of decoding (listing text -> plain text) against the general paths they
shortcut: math islands read from _tex_math's tables against pylatexenc itself."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from bibexport import _tex_math
from bibexport._tex_math import ARGUMENTS, STYLES, SYMBOLS
from bibexport.text import _pylatexenc_to_text, math_text, plain_text

# --- math islands without pylatexenc --------------------------------------------------------


def test_the_shipped_math_tables_are_what_pylatexenc_gives_now() -> None:
    """_tex_math.py is generated from pylatexenc's own specs: regenerating it changes nothing."""
    assert _tex_math._source() == Path(_tex_math.__file__).read_text(encoding="utf-8")
    assert SYMBOLS["alpha"] == "\u03b1" and SYMBOLS["ell"] == "\u2113" and SYMBOLS["log"] == "log"
    assert ARGUMENTS["mathcal"] == "script" and ARGUMENTS["sqrt"] == "sqrt"


def test_every_symbol_decodes_as_pylatexenc_decodes_it() -> None:
    for name, text in SYMBOLS.items():
        tex = f"$x\\{name}{{}}y$"
        assert _pylatexenc_to_text(tex) == math_text(tex) == f"x{text}y", name


def test_every_argument_command_decodes_as_pylatexenc_decodes_it() -> None:
    for name in ARGUMENTS:
        for tex in (f"$\\{name}{{Ab1 z}}$", f"$\\{name} q$", f"$a\\{name}{{\\alpha x}}b$"):
            assert math_text(tex) == _pylatexenc_to_text(tex), tex


def test_the_math_alphabets_map_what_pylatexenc_maps() -> None:
    from pylatexenc.latex2text import fmt_math_text_style

    every = "".join(map(chr, range(0x3000)))
    for style, table in STYLES.items():
        assert every.translate(table) == fmt_math_text_style(every, style), style


def test_the_math_of_real_titles_needs_no_pylatexenc() -> None:
    titles = {
        "$\\alpha$": "\u03b1",
        "$\\epsilon$": "\u03f5",
        "$\\ell_1$": "\u2113_1",
        "$\\mathrm{SE}(3)$": "SE(3)",
        "$\\mathcal{O}(\\sqrt{T})$": "\U0001d4aa(\u221a(T))",
        "$O(n \\log n)$": "O(n log n)",
        "$\\beta$": "\u03b2",
        "$\\mathrm{se}(3)$": "se(3)",
        "$o(n \\log n)$": "o(n log n)",
    }
    for tex, text in titles.items():
        assert math_text(tex) == _pylatexenc_to_text(tex) == text


def test_islands_outside_the_tables_are_left_to_pylatexenc() -> None:
    for tex in (
        "$\\foo$",
        "$\\boldsymbol{x}$",
        "$\\sqrt[3]{x}$",
        "$a\\,b$",
        "$a~b$",
        "$a--b$",
        "$a\tb$",
        "$a\\alpha\nb$",
        "$\\mathcal$",
        "$\\mathcal\\alpha$",
        "${a$",
        "$a}$",
        "$$a$$",
        "$\\frac{1}{2}$",
        "$\\alpha\u00e9$",
    ):
        assert math_text(tex) is None, tex


def _fresh_interpreter(code: str) -> list[str]:
    """The lines ``code`` prints in a new Python, whose caches are empty."""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return run.stdout.split("\n")


def _plain_in_fresh_interpreter(texts: list[str]) -> tuple[str, str]:
    """``repr`` of the texts' plain_text in a new Python, and the pylatexenc modules that
    Python imported for them (printed as a sorted list)."""
    code = (
        "import sys\n"
        "from bibexport.text import plain_text\n"
        f"print([plain_text(t) for t in {texts!r}])\n"
        "print(sorted(name for name in sys.modules if name.startswith('pylatexenc')))\n"
    )
    out = _fresh_interpreter(code)
    return out[0], out[1]


def test_titles_with_simple_math_never_import_pylatexenc() -> None:
    """The point of the tables: a worker process that meets these titles (paper_match_parts
    reads every title as plain text) imports no pylatexenc."""
    titles = [
        "$\\ell_1$-Regularized $\\mathcal{O}(\\sqrt{T})$ Regret in $O(n \\log n)$ Time",
        "$\\mathrm{SE}(3)$-Equivariant $\\alpha$-Stable $\\epsilon$-Optimal $\\beta$-VAE",
    ]
    plain, imported = _plain_in_fresh_interpreter(titles)
    assert plain == repr([plain_text(t) for t in titles])
    assert imported == "[]"


# --- text islands without pylatexenc ----------------------------------------------------------

# The words an old-style font switch or a text style holds: letters, digits, spaces, what
# pylatexenc passes through or reads specially (quotes, ligatures, specials), and non-ASCII.
_WORDS = st.lists(
    st.sampled_from([*"aZ09 .,;:-?!\"()/\t\n'`~%&#_^", "--", "\u00e9", "\u4e2d", "\u00a0"]),
    max_size=8,
).map("".join)


@settings(max_examples=2000, deadline=None)
@given(
    st.sampled_from(["em", "bf", "it", "sc", "rm", "tt", "sl", "sf", "cal", "emph", "bfx"]),
    st.sampled_from(["", " ", "  ", "\t", "\n"]),
    _WORDS,
)
@example("em", " ", "not")
@example("bf", "  ", "A")
@example("em", " ", "not ")
def test_font_switches_decode_as_pylatexenc_decodes_them(name: str, gap: str, words: str) -> None:
    """``{\\em not}`` (the generated listings' one switch) and its kin, read without pylatexenc
    where the words are plain, as pylatexenc reads them."""
    from bibexport.text import _island_text

    tex = f"{{\\{name}{gap}{words}}}"
    assert _island_text.__wrapped__(tex) == _pylatexenc_to_text(tex), tex


def test_escaped_specials_decode_as_pylatexenc_decodes_them() -> None:
    """What the encoder writes for "~", "^", a backslash, a brace, and a "$" or "%" before a
    letter (``\\$N``), each read back as pylatexenc (taught _decoder's words) reads it."""
    from bibexport.text import _island_text

    islands = [f"\\text{word}{{}}" for word in ("asciitilde", "asciicircum", "backslash")]
    islands += ["\\textbraceleft{}", "\\textbraceright{}", "\\textbraceleft", "\\textasciitilde"]
    islands += [f"\\{c}{letter}" for c in "%&#_$" for letter in "aZ9\u00e9 "]
    for tex in islands:
        assert _island_text.__wrapped__(tex) == _pylatexenc_to_text(tex), tex


def test_the_generated_listings_texts_never_import_pylatexenc() -> None:
    """What ../shared/tools/gen_listing.py writes (``{\\em not}``, a "~" the listing means as
    a tilde, an abstract cut off inside its math) reads as plain text in a process that never
    imports pylatexenc: 60 M instructions, ~30 ms of each worker's CPU time on a run to RIS or
    CSL-JSON."""
    texts = [
        "Notably, we find that EquiTune is {\\em not} sensitive to the choice of hyperparameters.",
        "Each component of AJEFG contributes to the final performance (Table~5).",
        "Results on real-world data with $N \\approx...",
        "It reduces the number of kernel evaluations by $\\textbf{3x}$ and memory by 40\\%.",
        "Using only $3$-$5$ examples of a concept, we learn new ``words'' in the embedding space.",
    ]
    plain, imported = _plain_in_fresh_interpreter(texts)
    assert plain == repr([plain_text(t) for t in texts])
    assert imported == "[]"


# What math islands are made of: the tables' commands, commands not in them, letters, digits,
# operators, braces, sub- and superscripts, spaces, and what pylatexenc reads specially.
_COMMANDS = [*sorted(SYMBOLS)[::7], "alpha", "ell", "log", "epsilon", "times", "quad", "prime"]
_READABLE = st.one_of(
    st.sampled_from([f"\\{name}{end}" for name in _COMMANDS for end in ("", " ", "{}")]),
    st.sampled_from([f"\\{name}{arg}" for name in ARGUMENTS for arg in ("", " x", "{}", "{T}")]),
    st.sampled_from(list("abnxyzOTRk0123456789")),
    st.sampled_from(list("+-=<>()[]/|,.;:!?*'^_\"@")),
    st.sampled_from(["{}", "^", "_", " ", "  ", "\u03b1", "\u00e9", "e\u0301", "\u4e2d", "\u00b2"]),
)
# Balanced groups of readable pieces, which the tables read: most such islands take the fast
# path, so that the comparison is not only of islands left to pylatexenc.
_GROUPED = st.recursive(
    _READABLE, lambda inner: st.lists(inner, max_size=4).map(lambda p: "{" + "".join(p) + "}")
)
_PIECES = st.one_of(
    _GROUPED,
    st.sampled_from([f"\\{name}" for name in _COMMANDS]),
    st.sampled_from([f"\\{name}" for name in ARGUMENTS]),
    st.sampled_from(["\\foo", "\\boldsymbol", "\\frac", "\\,", "\\;", "\\\\", "\\{", "\\ "]),
    st.sampled_from(list("abnxyzOTRk0123456789")),
    st.sampled_from(list("+-=<>()[]/|,.;:!?*'^_\"@#")),
    st.sampled_from(["{", "}", "{}", "^{", "_{", " ", "  "]),
    st.sampled_from(["~", "&", "%", "`", "--", "''", "\t", "\n", "\u00a0", "\u2003"]),
    st.sampled_from(["\u03b1", "\u00e9", "e\u0301", "\u4e2d", "\u00b2", "\u2113"]),
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_PIECES, max_size=12))
@example(["\\mathcal", "{", "O", "}", "(", "\\sqrt", "{", "T", " ", "\\log", " ", "T", "}", ")"])
@example(["\\log", "  ", "n"])
@example(["\\alpha", " ", "\\beta", " ", "b"])
@example(["{", "a", "}", " ", "{", "b", "}", " "])
@example(["\\mathrm", " ", "a", " ", "b"])
@example(["\\sqrt", " ", "[", "3", "]", "{", "x", "}"])
def test_math_islands_decode_as_pylatexenc_decodes_them(pieces: list[str]) -> None:
    tex = "$" + "".join(pieces) + "$"
    fast = math_text(tex)
    event("tables" if fast is not None else "pylatexenc")
    if fast is not None:
        assert fast == _pylatexenc_to_text(tex)


@settings(max_examples=2500, deadline=None)
@given(st.lists(_GROUPED, max_size=10))
def test_readable_math_islands_decode_as_pylatexenc_decodes_them(pieces: list[str]) -> None:
    test_math_islands_decode_as_pylatexenc_decodes_them.hypothesis.inner_test(pieces)  # type: ignore[attr-defined]


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=8))
def test_math_islands_of_listing_text_decode_as_before(pieces: list[str]) -> None:
    """The island the encoder writes for listing math, as _island_text reads it."""
    from bibexport.text import _island_text, to_bibtex

    tex = to_bibtex("$" + "".join(pieces) + "$", ascii_only=False)
    if tex.startswith("$") and tex.endswith("$") and tex.count("$") == 2:
        assert _island_text.__wrapped__(tex) == _island_text_by_pylatexenc(tex)


def _island_text_by_pylatexenc(tex: str) -> str:
    """_island_text as it was before the tables: every math island with a backslash or brace
    went to pylatexenc."""
    from bibexport.text import _TEX_LEFT

    if not _TEX_LEFT.search(tex.strip("$")):
        return tex.strip("$")
    return _pylatexenc_to_text(tex)


# --- plain text without decoding --------------------------------------------------------------

# Text made of what decoding acts on: TeX, ligatures, quotes, spaces, controls, non-ASCII.
_TEXT = st.lists(
    st.one_of(
        st.sampled_from(list("aZ09 .,;:-'`?!\"\\{}$~&%#_^@\t\n\x00\x1b\x7f")),
        st.sampled_from(["\u00a0", "\u00e9", "e\u0301", "\u4e2d", "\u0085", "\u2028", "\ud800"]),
        st.sampled_from(["--", "''", "``", "  ", "$n$", "\\%", "\\'e", "{\\em x}", "\\alpha"]),
        st.text(max_size=3),
    ),
    max_size=15,
).map("".join)


@settings(max_examples=3000, deadline=None)
@given(_TEXT)
@example("plain words")
@example(" leading")
@example("trailing ")
@example("a--b")
@example("a''b")
@example("tab\there")
def test_plain_text_is_what_decoding_gives(text: str) -> None:
    """The ASCII shortcut of plain_text gives what the decoding path gives."""
    from bibexport.text import _decoded_line, _nfc_line, collapse_space

    expected = _nfc_line_by_isprintable(_decoded_line.__wrapped__(text)[0], collapse_space)
    assert plain_text.__wrapped__(text) == expected
    assert _nfc_line(_decoded_line.__wrapped__(text)[0]) == expected


def _nfc_line_by_isprintable(text: str, collapse_space: Callable[[str], str]) -> str:
    """_nfc_line as it was, with ``str.isprintable``."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return collapse_space(text)


@settings(max_examples=3000, deadline=None)
@given(st.text(max_size=40))
@example("\ud800x")
@example("abc\x7f")
def test_printable_is_isprintable(text: str) -> None:
    from bibexport.text import _printable

    assert _printable(text) == text.isprintable()
