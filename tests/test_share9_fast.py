"""An abstract's scan, shared by its BibTeX and its plain text (issue 7, ninth round).

When a run writes BibTeX and a plain-text format (RIS, CSL-JSON, CSL-YAML), the BibTeX writer
encodes each abstract from the scan plain_text reads (``to_bibtex(..., share=True)``) and
leaves the scan for it. Both must be what each gives on its own: the encoding against
to_bibtex without sharing, the plain text against a fresh process's, and whole runs of three
formats against runs of each format alone.
BIBEXPORT_HYPOTHESIS_EXAMPLES=50000 runs more cases.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bibexport import text as T
from bibexport.formats import FORMATS, WriteOptions, get_format
from bibexport.pipeline import Options, Target, convert

from .conftest import EXAMPLE, LISTINGS
from .papers import make_paper
from .test_abs5_fast import _EXAMPLES, EXAMPLES, MIXED

# The plain text as it is made without a shared scan, in a fresh state.
_CACHES = (T._decoded_line, T.plain_text, T.plain_paragraphs)


def _fresh() -> None:
    for cache in _CACHES:
        cache.cache_clear()
    T._SHARED_SCANS.clear()


def _plain_alone(text: str) -> tuple[str, str]:
    _fresh()
    return T.plain_text(text), T.plain_paragraphs(text)


@settings(max_examples=EXAMPLES, deadline=None)
@given(MIXED, st.booleans())
@example("Given $n$ points (Table~3), a \\emph{single} step: 25% of words. " * 3, True)
@example("{\\em not} sensitive, with $N \\approx... and \\url{http://a.io/x_y}. " * 3, False)
def test_bibtex_from_the_shared_scan_is_bibtex(text: str, ascii_only: bool) -> None:
    assert T.to_bibtex(text, ascii_only=ascii_only, share=True) == T.to_bibtex(
        text, ascii_only=ascii_only
    )


@pytest.mark.parametrize("text", _EXAMPLES)
@pytest.mark.parametrize("ascii_only", [True, False])
def test_bibtex_from_the_shared_scan_is_bibtex_on_examples(text: str, ascii_only: bool) -> None:
    assert T.to_bibtex(text, ascii_only=ascii_only, share=True) == T.to_bibtex(
        text, ascii_only=ascii_only
    )


@settings(max_examples=EXAMPLES, deadline=None)
@given(MIXED)
def test_plain_text_from_the_shared_scan_is_plain_text(text: str) -> None:
    alone = _plain_alone(text)
    _fresh()
    T.to_bibtex(text, share=True)  # leaves the scan, which plain_text takes
    assert (T.plain_text(text), T.plain_paragraphs(text)) == alone
    assert text not in T._SHARED_SCANS


@pytest.mark.parametrize("text", _EXAMPLES)
def test_plain_text_from_the_shared_scan_is_plain_text_on_examples(text: str) -> None:
    test_plain_text_from_the_shared_scan_is_plain_text.hypothesis.inner_test(text)  # type: ignore[attr-defined]


def test_only_a_run_with_plain_text_keeps_scans() -> None:
    """BibTeX alone keeps nothing for plain text that is never asked for; with RIS, each
    abstract's scan is kept from its BibTeX to its RIS, and no longer."""
    text = "Given $n$ points (Table~3), a \\emph{single} step: 25% of them -- or more. " * 2
    _fresh()
    bibtex = get_format("bibtex")
    bibtex.writer(WriteOptions()).render(make_paper(abstract=text))
    assert not T._SHARED_SCANS
    bibtex.writer(WriteOptions(plain_too=True)).render(make_paper(abstract=text))
    assert list(T._SHARED_SCANS) == [text]
    get_format("ris").writer(WriteOptions()).render(make_paper(abstract=text))
    assert not T._SHARED_SCANS


def test_the_shared_scans_are_bounded() -> None:
    _fresh()
    for n in range(5000):
        T.to_bibtex(f"{n} $x$ " + _EXAMPLES[2], share=True)
    assert 5000 - (1 << 12) <= len(T._SHARED_SCANS) <= 1 << 12


def test_which_formats_write_plain_text() -> None:
    assert {f.name for f in FORMATS if f.plain_text} == {"ris", "csl-json", "csl-yaml"}


def _tex_listing(path: Path) -> Path:
    """The example's header and papers, each abstract made TeX-heavy from the examples that
    trip the scan (math, ligatures, quotes, accents, controls, escaped specials)."""
    text = EXAMPLE.read_text(encoding="utf-8")
    out, n = [], 0
    for line in text.split("\n"):
        if line.startswith("#") and not line.startswith("# "):
            n += 1
        out.append(line)
        if line.startswith("Authors:"):
            abstract = _EXAMPLES[n % len(_EXAMPLES)].replace("\n", " ").replace("\x1b", "")
            out.append(abstract.replace("@", "at"))
    path.write_text("\n".join(out), encoding="utf-8")
    return path


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("unicode", [None, True])
def test_three_formats_at_once_write_what_each_writes_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str, unicode: bool | None
) -> None:
    monkeypatch.setenv("BIBEXPORT_JOBS", jobs)
    monkeypatch.setenv("BIBEXPORT_PARALLEL_BYTES", "0")
    listings = [_tex_listing(tmp_path / "tex.txt"), LISTINGS / "hostile.txt", EXAMPLE]
    names = [("bibtex", "bib"), ("ris", "ris"), ("csl-json", "json"), ("csl-yaml", "yaml")]
    options = Options(unicode=unicode, strict=False)

    def outputs(which: list[tuple[str, str]], folder: str) -> list[bytes]:
        (tmp_path / folder).mkdir()
        targets = [Target(str(tmp_path / folder / f"o.{s}"), get_format(f)) for f, s in which]
        _fresh()
        convert([str(p) for p in listings], targets, options)
        return [Path(t.path).read_bytes() for t in targets]

    together = outputs(names, "together")
    alone = [outputs([name], name[0])[0] for name in names]
    assert together == alone
    # The TeX listing's abstracts are there, in BibTeX as TeX, in RIS as plain text.
    assert b"a \\emph{single} step: 25\\% of" in together[0]
    assert b"a single step: 25% of" in together[1]
