"""TeX <-> Unicode: escaping, protection, hostile TeX, and exact round trips."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bibexport.text import FORBIDDEN_WORDS, collapse_space, tex_to_text, to_bibtex


@pytest.mark.parametrize(
    ("title", "bibtex"),
    [
        pytest.param("UNICORN: A Unified Backdoor", "{UNICORN}: A Unified Backdoor", id="acronym"),
        pytest.param(
            "SMART: Self-supervised Multi-task pretrAining with contRol Transformers",
            "{SMART}: Self-supervised Multi-task {pretrAining} with {contRol} Transformers",
            id="inner-capitals",
        ),
        pytest.param("for 3D Atomistic Graphs", "for {3D} Atomistic Graphs", id="3d"),
        pytest.param("Learning of PDEs with", "Learning of {PDEs} with", id="plural-acronym"),
        pytest.param("GPT-J and k-NN", "{GPT-J} and {k-NN}", id="hyphenated"),
        pytest.param("SE(3) iPhone QM9 T5", "{SE}(3) {iPhone} {QM9} {T5}", id="mixed"),
        pytest.param("Text-to-Image Mass-Editing", "Text-to-Image Mass-Editing", id="title-case"),
        pytest.param("Rarity Score : A New", "Rarity Score : A New", id="kept-spacing"),
        pytest.param("Ökonomie ÖKO", '{\\"O}konomie {{\\"O}KO}', id="unicode-capitals"),
        pytest.param(
            "Bounds for $\\mathcal{O}(n)$ SGD", "Bounds for $\\mathcal{O}(n)$ {SGD}", id="math"
        ),
        pytest.param("Already {Braced} Word", "Already {Braced} Word", id="braced"),
    ],
)
def test_title_protection(title: str, bibtex: str) -> None:
    assert to_bibtex(title, protect=True) == bibtex


@pytest.mark.parametrize(
    ("text", "bibtex"),
    [
        pytest.param("R&D 50% #1 a_b", "R\\&D 50\\% \\#1 a\\_b", id="specials"),
        pytest.param("a ~ b ^ c", "a \\textasciitilde{} b \\textasciicircum{} c", id="tilde-caret"),
        pytest.param("costs $5 and $6", "costs $5 and $6", id="dollar-pair-is-math"),
        pytest.param("costs $5", "costs \\$5", id="lone-dollar"),
        pytest.param("by 7.0\\% on", "by 7.0\\% on", id="escaped-kept"),
        pytest.param("\\textit{divide-to-adapt}", "\\textit{divide-to-adapt}", id="textit"),
        pytest.param("{\\it modular}", "{\\it modular}", id="it"),
        pytest.param("$3$-$5$ images", "$3$-$5$ images", id="math-kept"),
        pytest.param("see \\url{https://x.io/a_b#c}", "see \\url{https://x.io/a_b\\#c}", id="url"),
        pytest.param(
            "we propose \\ours, a", "we propose \\textbackslash{}ours, a", id="unknown-macro"
        ),
        pytest.param("a } b { c", "a \\textbraceright{} b \\textbraceleft{} c", id="unbalanced"),
        pytest.param("a \\{ b", "a \\textbraceleft{} b", id="escaped-brace"),
        pytest.param("trailing \\", "trailing \\textbackslash{}", id="trailing-backslash"),
        pytest.param("x\n\n@misc{y", "x\n\n{@}misc\\textbraceleft{}y", id="at-line-start"),
        pytest.param("Matthäus Łukasz", 'Matth{\\"a}us {\\L}ukasz', id="accents"),
        pytest.param(
            "Nguyễn ř ø ß ı", "Nguy{\\~{\\^e}}n {\\v{r}} {\\o} {\\ss} {\\i}", id="letters"
        ),
        pytest.param("“q” – —", "``q'' -- ---", id="quotes-dashes"),
        pytest.param("中文", "中文", id="cjk-kept"),
    ],
)
def test_escaping(text: str, bibtex: str) -> None:
    assert to_bibtex(text) == bibtex


def test_unicode_mode_keeps_utf8_but_escapes() -> None:
    assert to_bibtex("Matthäus & Łukasz", ascii_only=False) == "Matthäus \\& Łukasz"


@pytest.mark.parametrize(
    "hostile",
    [
        "\\input{/etc/passwd}",
        "\\immediate\\write18{rm -rf ~}",
        "\\def\\x{y}\\x",
        "$\\input{secret}$",
        "\\csname input\\endcsname{f}",
        "\\catcode`\\@=11",
        "\\openout1=x.tex",
        "\\usepackage{shellesc}",
    ],
)
def test_hostile_tex_becomes_text(hostile: str) -> None:
    out = to_bibtex(hostile)
    words = {m.group(1) for m in re.finditer(r"\\(?:([A-Za-z]+)|.)", out) if m.group(1)}
    assert not words & FORBIDDEN_WORDS, out


@pytest.mark.parametrize(
    ("tex", "text"),
    [
        pytest.param("$3$-$5$", "3-5", id="math"),
        pytest.param("\\textit{divide-to-adapt}", "divide-to-adapt", id="textit"),
        pytest.param("\\url{https://progport.github.io}", "https://progport.github.io", id="url"),
        pytest.param('new ``words" here', "new “words” here", id="mixed-quotes"),
        pytest.param("``words''", "“words”", id="tex-quotes"),
        pytest.param("7.0\\%", "7.0%", id="percent"),
        pytest.param("$n \\times n$", "n × n", id="times"),
        pytest.param("Nguy{\\~{\\^e}}n", "Nguyễn", id="stacked"),
        pytest.param("{\\L}ukasz", "Łukasz", id="L"),
        pytest.param("a \\textasciicircum{} b", "a ^ b", id="caret"),
    ],
)
def test_tex_to_text(tex: str, text: str) -> None:
    assert tex_to_text(tex) == text


def test_collapse_space_handles_tabs_nbsp_and_invisibles() -> None:
    assert collapse_space(" a\t\u00a0b\u200b c\u00ad\n") == "a b c"


# Plain text as a listing holds it, without TeX: any letters (accents, CJK, Greek), digits
# and the characters BibTeX and TeX treat specially. TeX ligatures ("--", "``", "''") are TeX,
# not plain text, so they are left out of this strategy (they are tested above).
PLAIN = (
    st.text(
        alphabet=st.characters(
            categories=("L", "N", "P", "S", "Zs"),
            exclude_characters="\\{}$`\u00a0",
        ),
        max_size=60,
    )
    .map(collapse_space)
    .filter(lambda s: "--" not in s and "''" not in s and "?`" not in s)
)


@settings(max_examples=400, deadline=None)
@given(PLAIN)
def test_plain_text_round_trips_exactly_through_ascii_bibtex(text: str) -> None:
    assert tex_to_text(to_bibtex(text, protect=True)) == text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_text_gives_balanced_bibtex_without_forbidden_commands(text: str) -> None:
    out = to_bibtex(text, protect=True)
    depth = 0
    for c in out:  # as BibTeX counts: backslashes do not escape braces
        depth += {"{": 1, "}": -1}.get(c, 0)
        assert depth >= 0, out
    assert depth == 0, out
    words = {m.group(1) for m in re.finditer(r"\\(?:([A-Za-z]+)|.)", out, re.S) if m.group(1)}
    assert not words & FORBIDDEN_WORDS


# The one-pass encoder must write exactly what the token scanner writes, wherever it answers.
_PIECES = [*"ab AZ$\\{}&%#_~^@\n-`'é×ł漢", "\\emph", "\\url", '\\"', "$x$", "\\input"]
_TEXISH = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)


@settings(max_examples=3000)
@given(text=_TEXISH, ascii_only=st.booleans(), protect=st.booleans())
def test_fast_encoder_agrees_with_token_scanner(text: str, ascii_only: bool, protect: bool) -> None:
    from bibexport.text import _to_bibtex_split, _to_bibtex_tokens

    fast = _to_bibtex_split(text, ascii_only, protect)
    if fast is not None:
        assert fast == _to_bibtex_tokens(text, ascii_only, protect)


def test_fast_encoder_answers_for_ordinary_abstracts() -> None:
    from bibexport.text import _to_bibtex_split

    abstract = (
        r"Given $n$ points, we need $\Omega(n^2)$ time (Table~3); a \emph{single} step, 25% of 9×."
    )
    assert _to_bibtex_split(abstract, True, False) == (
        r"Given $n$ points, we need $\Omega(n^2)$ time (Table\textasciitilde{}3); "
        r"a \emph{single} step, 25\% of 9{\texttimes}."
    )


def test_private_use_characters_in_the_text_survive_decoding() -> None:
    """Islands are stood in for by a private-use character: one the text holds is not it."""
    assert tex_to_text("\ue000 \\emph{x} -- \ue001") == "\ue000 x \u2013 \ue001"
