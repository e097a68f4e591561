"""Text between Unicode and TeX: BibTeX-safe encoding, title protection, TeX to plain text.

Listing text is Unicode that may carry TeX (``$3$-$5$``, ``\\textit{...}``, ``7.0\\%``). The
BibTeX writer keeps that TeX where it is harmless and escapes everything else, so that no value
can unbalance braces, end its field early, or make LaTeX read or write a file. The plain-text
writers (RIS, CSL) read the same text back through :func:`tex_to_text`.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterator
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from ._lazy import lazy

if TYPE_CHECKING:
    from pylatexenc.latex2text import LatexNodes2Text
    from pylatexenc.latexencode import UnicodeToLatexEncoder

# Characters that mean nothing visible and break keys, sorting and matching.
_INVISIBLE = re.compile("[\u00ad\u200b\u200e\u200f\u2060\ufeff\u202a-\u202e\u2066-\u2069]")


_CONTROL_CHARS = lazy(globals(), "_CONTROL_CHARS", r"[\x00-\x1f\x7f-\x9f]")


def strip_invisible(text: str) -> str:
    """Drop zero-width spaces, soft hyphens and bidi controls."""
    return _INVISIBLE.sub("", text)


def collapse_space(text: str) -> str:
    """One ASCII space for any run of whitespace (NBSP and tabs included); NFC; trimmed.

    Control characters (escape, bell, NUL...) become spaces too: copied from a web page they
    mean nothing, and in a .bib they would reach LaTeX as invalid characters.
    """
    if text.isprintable():
        # Printable text has no space but " " and nothing invisible (those are all format
        # characters, which are not printable): most lines need no work at all.
        if "  " not in text and text[:1] != " " and text[-1:] != " ":
            if text.isascii() or unicodedata.is_normalized("NFC", text):
                return text
            return unicodedata.normalize("NFC", text)
    else:
        text = _CONTROL_CHARS.sub(" ", text)
    if text.isascii():
        return " ".join(text.split())  # str.split() knows every Unicode space, at C speed
    text = " ".join(strip_invisible(text).split())
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


# --- Unicode -> TeX ------------------------------------------------------------------------

# Letters that are their own TeX control word (no base letter plus accent).
_LETTERS = {
    "ı": r"\i",
    "ȷ": r"\j",
    "ł": r"\l",
    "Ł": r"\L",
    "ø": r"\o",
    "Ø": r"\O",
    "ß": r"\ss",
    "ẞ": r"\SS",
    "æ": r"\ae",
    "Æ": r"\AE",
    "œ": r"\oe",
    "Œ": r"\OE",
    "å": r"\aa",
    "Å": r"\AA",
    "đ": r"\dj",
    "Đ": r"\DJ",
    "ð": r"\dh",
    "Ð": r"\DH",
    "þ": r"\th",
    "Þ": r"\TH",
    "ŋ": r"\ng",
    "Ŋ": r"\NG",
}
# Combining marks -> TeX accent commands. Symbol accents take the letter bare (``\"a``),
# letter accents need it braced (``\v{r}``).
_ACCENTS = {
    "\u0300": "\\`",
    "\u0301": "\\'",
    "\u0302": "\\^",
    "\u0303": "\\~",
    "\u0304": "\\=",
    "\u0306": "\\u",
    "\u0307": "\\.",
    "\u0308": '\\"',
    "\u030a": "\\r",
    "\u030b": "\\H",
    "\u030c": "\\v",
    "\u0323": "\\d",
    "\u0327": "\\c",
    "\u0328": "\\k",
    "\u0331": "\\b",
}
# Punctuation with an ASCII TeX spelling that every reader decodes back to the same character.
_PUNCTUATION = {
    "\u2018": "`",
    "\u2019": r"\textquoteright{}",  # a bare ' reads back as ASCII ', not as ’
    "\u201c": "``",
    "\u201d": "''",
    "\u2013": "--",
    "\u2014": "---",
    "\u2026": r"\ldots{}",
    "\u00a0": "~",
}


_ABOVE = frozenset("\u0300\u0301\u0302\u0303\u0304\u0306\u0307\u0308\u030a\u030b\u030c")


def _accented(ch: str) -> str | None:
    """``ễ`` -> ``\\~{\\^e}`` (innermost accent first), or None without a TeX form."""
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    if not marks or not base.isascii() or not base.isalpha():
        return None
    if any(m not in _ACCENTS for m in marks):
        return None
    if base in "ij" and marks[0] in _ABOVE:
        base = "\\" + base  # dotless i/j under an accent above
    tex = base
    for i, mark in enumerate(marks):
        cmd = _ACCENTS[mark]
        if i == 0 and cmd[1].isalpha() is False and not base.startswith("\\"):
            tex = f"{cmd}{tex}"
        else:
            tex = f"{cmd}{{{tex}}}"
    return tex


@cache
def char_to_tex(ch: str) -> str | None:
    """A TeX spelling of one non-ASCII character, braced as a BibTeX special character.

    The ``{\\"a}`` form (brace, backslash first) is what BibTeX's ``purify$`` and
    ``change.case$`` treat as one letter, so sorting and abbreviation stay right. A spelling
    is used only if it reads back as the same character, so encoding never loses text.

    The Latin letters and punctuation of names and titles come from a table worked out by
    :func:`spell_char` ahead of time (_tex_chars.py): reading a spelling back needs
    pylatexenc's decoder, which costs a run (and each worker process) about 30 ms to build.
    """
    from ._tex_chars import TABLE, has_no_form

    if ch in TABLE:
        return TABLE[ch]
    if has_no_form(ch):  # CJK and the like
        return None
    return spell_char(ch)


def spell_char(ch: str) -> str | None:
    """:func:`char_to_tex` worked out: the first candidate spelling that reads back as ``ch``."""
    for tex in _candidates(ch):
        if tex_to_text(tex) == ch:
            return tex
    return None


def _candidates(ch: str) -> Iterator[str]:
    if ch in _PUNCTUATION:
        yield _PUNCTUATION[ch]
    if ch in _LETTERS:
        yield "{" + _LETTERS[ch] + "}"
    accented = _accented(ch)
    if accented is not None:
        yield "{" + accented + "}"
    encoded: str = _encoder().unicode_to_latex(ch)
    if encoded != ch:
        yield "{" + encoded + "}" if encoded.startswith("\\") else encoded


@cache
def _encoder() -> UnicodeToLatexEncoder:
    from pylatexenc.latexencode import UnicodeToLatexEncoder

    return UnicodeToLatexEncoder(
        non_ascii_only=True, unknown_char_policy="keep", unknown_char_warning=False
    )


# Control words kept as written: accents, letters, text styles, symbols, URLs. Anything else
# (``\input``, ``\write``, ``\def``, an author's private ``\ours``) is written as visible text.
SAFE_WORDS = frozenset(
    """i j l L o O ss SS ae AE oe OE aa AA dh DH th TH ng NG dj DJ
    u v H c d b r k t
    textit textbf textsc textsf textrm texttt textup textsl textmd textnormal emph underline
    it bf em sc sf rm tt sl mathrm mathbf mathit mathsf mathtt mathcal mathbb boldsymbol
    ldots dots cdots textendash textemdash textquoteleft textquoteright textquotedblleft
    textquotedblright textbackslash textasciitilde textasciicircum textbar textless textgreater
    textdegree texttimes textellipsis textregistered texttrademark textcopyright textsuperscript
    textsubscript S P copyright dag ddag pounds euro LaTeX TeX BibTeX url href mbox ensuremath
    nobreakspace""".split()
)
# ``\{`` and ``\}`` are not here: BibTeX counts braces without looking at backslashes, so an
# escaped brace would unbalance the field; they become ``\textbraceleft{}`` instead.
SAFE_SYMBOLS = frozenset("'`^\"~=.%&#_$, ;:!/-@\\")
_ACCENT_COMMANDS = frozenset("'`^\"~=.uvHcdbrkt")
_BRACE_WORDS = {"{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
# Never allowed, not even inside math: they read, write or redefine.
FORBIDDEN_WORDS = frozenset(
    """input include InputIfFileExists write immediate openout openin read readline closeout
    closein catcode def edef gdef xdef let futurelet csname endcsname expandafter
    newcommand renewcommand providecommand DeclareRobustCommand usepackage RequirePackage
    documentclass special write18 ShellEscape directlua luaexec newwrite newread loop jobname
    lowercase uppercase scantokens everyjob everypar output afterassignment""".split()
)
_ESCAPES = {
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL = lazy(globals(), "_SPECIAL", r"[\\${}&%#_~^]")
_BRACE_OR_ESCAPE = lazy(globals(), "_BRACE_OR_ESCAPE", r"\\.|[{}]", re.DOTALL)
_LINE_START_AT = lazy(globals(), "_LINE_START_AT", r"(\n[ \t]*)@")
_CONTROL = re.compile(r"\\(?:([A-Za-z]+)|(.))", re.DOTALL)
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


def _needs_protection(word: str) -> bool:
    """A capital after the first character of any hyphen part, or a capital with a digit."""
    # re.split(r"[-'’]", word), without the regex: compiled on the first title word, and
    # looked up in re's cache on every other.
    for part in word.replace("'", "-").replace("’", "-").split("-"):
        if any(c.isupper() for c in part[1:]):
            return True
    return any(c.isdigit() for c in word) and any(c.isupper() for c in word)


def _match_braces(text: str) -> set[int]:
    """Positions of ``{``/``}`` that pair up; escaped braces (``\\{``) are not braces."""
    stack: list[int] = []
    paired: set[int] = set()
    for m in _BRACE_OR_ESCAPE.finditer(text):
        c = m.group(0)
        if c == "{":
            stack.append(m.start())
        elif c == "}" and stack:
            paired.add(stack.pop())
            paired.add(m.start())
    return paired


def _math_end(text: str, start: int) -> int | None:
    """Index just past the ``$``/``$$`` closing the math that opens at ``start``, if any."""
    pattern = _DISPLAY_MATH if text.startswith("$$", start) else _INLINE_MATH
    m = pattern.match(text, start)
    return m.end() if m else None


# Math runs to the next unescaped "$" (or "$$"), never across a paragraph break or empty.
_INLINE_MATH = lazy(globals(), "_INLINE_MATH", r"\$(?:[^$\\\n]|\\.|\n(?!\n))+\$", re.DOTALL)
_DISPLAY_MATH = lazy(globals(), "_DISPLAY_MATH", r"\$\$(?:[^$\\\n]|\\.|\n(?!\n))+\$\$", re.DOTALL)


def _safe_math(body: str) -> bool:
    """Math is kept verbatim only if its braces balance as BibTeX counts them (backslashes
    ignored) and it runs nothing that reads, writes or redefines."""
    if "{" in body or "}" in body:
        depth = 0
        for c in body:
            depth += {"{": 1, "}": -1}.get(c, 0)
            if depth < 0:
                return False
        if depth:
            return False
    return "\\" not in body or not any(
        m.group(1) in FORBIDDEN_WORDS for m in _CONTROL.finditer(body) if m.group(1)
    )


class _TexTable(dict[int, str]):
    """``str.translate`` table filled on first sight of each character."""

    def __init__(self, math: bool) -> None:
        super().__init__()
        self.math = math

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch.isascii():
            tex = ch
        elif self.math:
            encoded = _encoder().unicode_to_latex(ch)
            tex = encoded.replace(r"\ensuremath", "") if encoded != ch else ch
        else:
            tex = char_to_tex(ch) or ch
        self[code] = tex
        return tex


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_TEXT_TABLE = _TexTable(math=False)
_MATH_TABLE = _TexTable(math=True)


def _encode_chars(text: str, ascii_only: bool, *, math: bool = False) -> str:
    if not ascii_only or text.isascii():
        return text
    table = _MATH_TABLE if math else _TEXT_TABLE
    return _NON_ASCII.sub(lambda m: table[ord(m.group())], text)


# From about this many characters (abstracts), finding the non-ASCII ones or the tokens in C
# and calling Python per find (_encode_text, _utf8_pieces) beats a regex that tests each
# character; for shorter text (names, titles) the regex is cheaper.
_LONG = 128


def _tex_for_run(error: UnicodeError) -> tuple[str, int]:
    """The ``bibexport.tex`` encoding error handler: a run of non-ASCII characters as TeX.
    A character with no TeX form comes back as itself, which is not ASCII, so the encoder
    raises, and :func:`_encode_text` leaves the text to :func:`_encode_chars`."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    run = error.object[error.start : error.end]
    table = _TEXT_TABLE
    tex = "".join([table[ord(c)] for c in run]) if len(run) > 1 else table[ord(run)]
    if len(_MET) < _MET_MAX:
        for c in run[: _MET_MAX - len(_MET)]:  # at most that many new ones
            if table[ord(c)].isascii():
                _MET[c] = table[ord(c)]
    return tex, error.end


# The first few characters the handler wrote as ASCII TeX: a listing's abstracts hold the
# same few (dashes, ``×``). Each is replaced in C in a long text that holds it, before the
# encoder's pass and the handler's calls (a Python call, an exception object and its
# attributes per run: ~10,000 instructions for a dash; a replace costs about half that).
_MET: dict[str, str] = {}
_MET_MAX = 8


codecs.register_error("bibexport.tex", _tex_for_run)


def _encode_text(text: str) -> str:
    """``_encode_chars(text, True)``, with the non-ASCII characters found by the ASCII encoder
    (in C, at a nanosecond a character) rather than by ``_NON_ASCII``, which tests each
    character (~10 ns: most of the cost of encoding a long abstract with a dash in it). The
    handler is called once per run of them, as ``sub`` called Python once per character."""
    if text.isascii():
        return text
    if len(text) < _LONG:  # a name, a title: the codec's call costs more than the scan
        return _encode_chars(text, True)
    for ch, tex in _MET.items():  # each is encoded per character: replacing it is the same
        if ch in text:
            text = text.replace(ch, tex)
            if text.isascii():
                return text
    try:
        return text.encode("ascii", "bibexport.tex").decode("ascii")
    except UnicodeEncodeError:  # a character with no TeX form (CJK...): kept as UTF-8
        return _encode_chars(text, True)


def _control(text: str, i: int) -> tuple[str, int]:
    """The TeX to write for the control sequence at ``i``, and where scanning resumes."""
    m = _CONTROL.match(text, i)
    if m is None:  # a backslash ending the text
        return r"\textbackslash{}", i + 1
    word, symbol = m.group(1), m.group(2)
    if word == "url":
        close = text.find("}", m.end())
        arg = text[m.end() + 1 : close]
        if text.startswith("{", m.end()) and close > 0 and not set(arg) & set("{\\"):
            return "\\url{" + re.sub(r"([%#])", r"\\\1", arg) + "}", close + 1
    if (word or symbol) in _ACCENT_COMMANDS and not text[m.end() : m.end() + 1].isascii():
        # An accent on a character that is itself encoded ("\H¡") means nothing in TeX and
        # would read back differently in ASCII and Unicode output: it stays visible text.
        return r"\textbackslash{}", i + 1
    if (word and word in SAFE_WORDS) or (symbol and symbol in SAFE_SYMBOLS):
        return m.group(0), m.end()
    if symbol in _BRACE_WORDS:
        return _BRACE_WORDS[symbol], m.end()
    return r"\textbackslash{}", i + 1


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    """Split listing text into ("tex", kept verbatim), ("text", to encode), ("open"/"close")."""
    paired = _match_braces(text) if "{" in text else set()
    i, n, start = 0, len(text), 0

    def flush(upto: int) -> Iterator[tuple[str, str]]:
        if upto > start:
            yield "text", text[start:upto]

    while i < n:
        m = _SPECIAL.search(text, i)  # jump over plain text in C, not a character at a time
        if m is None:
            break
        i = m.start()
        c = text[i]
        if c == "\\":
            yield from flush(i)
            tex, i = _control(text, i)
            start = i
            yield "tex", tex
        elif c == "$":
            yield from flush(i)
            end = _math_end(text, i)
            if end is not None and _safe_math(text[i:end].strip("$")):
                yield "math", text[i:end]
                i = start = end
            else:
                yield "tex", r"\$"
                i = start = i + 1
        elif c in "{}":
            yield from flush(i)
            if i in paired:
                yield ("open" if c == "{" else "close"), c
            else:
                yield "tex", _BRACE_WORDS[c]
            i = start = i + 1
        else:
            yield from flush(i)
            yield "tex", _ESCAPES[c]
            i = start = i + 1
    yield from flush(n)


def _protect_word(raw: str) -> str:
    tail = raw[1:]
    if tail == tail.lower():  # no capital after the first letter: only "T5"-like words
        protect = raw[0].isupper() and not tail.isalpha() and _needs_protection(raw)
    else:
        protect = _needs_protection(raw)
    return "{" + raw + "}" if protect else raw


class _ProtectedWords(dict[str, str]):
    """Each title word as written, braced or not: titles share most of their words, so a word
    is judged once, and ``re.sub`` asks a dict rather than the rules."""

    def __missing__(self, word: str) -> str:
        if len(self) >= 1 << 16:  # bounded, for a listing of a million papers
            self.clear()
        self[word] = protected = _protect_word(word)
        return protected


_PROTECTED = _ProtectedWords()


def _protect_words(text: str, ascii_only: bool) -> str:
    # Encoding is per character, so braces added around words do not change it.
    return _encode_chars(_protected(text), ascii_only)


_WORDS = re.compile(f"({_WORD.pattern})")


class _ProtectedChunks(dict[str, str]):
    """Each run of a title between spaces (``Segmentation:``, ``GNNs``, ``(3D)``) with its
    words protected. No word spans a space, so a title is its runs, each looked up: a dict
    lookup per run instead of a regex over the title's letters (~5 us a title)."""

    def __missing__(self, chunk: str) -> str:
        if len(self) >= 1 << 16:  # bounded, as the words are
            self.clear()
        pieces = _WORDS.split(chunk)  # between, word, between, ..., between
        pieces[1::2] = map(_PROTECTED.__getitem__, pieces[1::2])
        self[chunk] = protected = "".join(pieces)
        return protected


_PROTECTED_CHUNKS = _ProtectedChunks()


def _protected(text: str) -> str:
    """``_WORD.sub`` with each word protected as :func:`_protect_word` says."""
    return " ".join(map(_PROTECTED_CHUNKS.__getitem__, text.split(" ")))


def to_bibtex(
    text: str, *, ascii_only: bool = True, protect: bool = False, share: bool = False
) -> str:
    """Listing text -> a BibTeX field value that is balanced and harmless to compile.

    ``protect`` braces words whose case a style must not change (titles). ``ascii_only`` writes
    non-ASCII letters as BibTeX special characters; characters with no TeX form stay UTF-8.
    ``share``: the text's plain form is asked for next (RIS or CSL-JSON written in the same
    run), so a long text is encoded from the scan :func:`plain_text` reads, which is kept for
    it (see :func:`_to_bibtex_by_pieces`). The same value either way.
    """
    result = None
    if share and len(text) >= _LONG and not protect:  # an abstract
        result = _to_bibtex_by_pieces(text, ascii_only)
    if result is None:
        result = _to_bibtex_split(text, ascii_only, protect)
    if result is None:  # rare: see _to_bibtex_split
        result = _to_bibtex_tokens(text, ascii_only, protect)
    # bibtexparser starts a new entry at an "@" that begins a line, even inside a value.
    return _LINE_START_AT.sub(r"\1{@}", result) if "\n" in result else result


# One pass over math, control sequences, braces and the characters BibTeX or LaTeX treat
# specially. Every branch starts with a literal, so the regex engine skips plain text in C.
_FAST_TOKEN = re.compile(
    r"\$\$(?:[^$\\\n]++|\\.|\n(?!\n))++\$\$|\$(?:[^$\\\n]++|\\.|\n(?!\n))++\$|\$"
    r"|\\(?:[A-Za-z]+|.)?|\{|\}|&|%|#|_|~|\^",
    re.DOTALL,
)


# The same tokens, captured: ``split`` cuts the text into plain, token, plain, ..., plain in
# C, and a dict answers for the tokens that recur (``\\%``, ``$n$``, ``\\emph``), where
# ``re.sub`` would call Python for each.
_FAST_PIECES = re.compile(f"({_FAST_TOKEN.pattern})", re.DOTALL)
# Per (ascii_only, protect): a token's TeX where it does not depend on the text around it.
_KNOWN_TOKENS: dict[tuple[bool, bool], dict[str, str]] = {
    (ascii_only, protect): {} for ascii_only in (False, True) for protect in (False, True)
}


def _to_bibtex_split(text: str, ascii_only: bool, protect: bool) -> str | None:
    """What the token scanner (:func:`_to_bibtex_tokens`) writes, from one ``split`` of the
    text and a dict lookup per recurring token; None for the rare text left to the scanner:
    unsafe math, braces that do not all pair up, a shown backslash before ``$``, a brace or a
    backslash, math holding the "}" that ends a ``\\url``'s argument, and, with ``protect``,
    any shown backslash (the scanner reads what follows it into the next word)."""
    if text.isascii():
        parts = _ascii_pieces(text)
    else:
        parts = _FAST_PIECES.split(text) if len(text) < _LONG else _utf8_pieces(text)
    n = len(parts)
    if n == 1:  # nothing TeX or BibTeX reads specially: names, most titles
        plain = _protected(text) if protect else text
        return (
            _encode_text(plain)
            if ascii_only and len(plain) >= _LONG
            else _encode_chars(plain, ascii_only)
        )
    known = _KNOWN_TOKENS[ascii_only, protect]
    depth = 0
    if protect:
        parts[0] = _protected(parts[0])
    i = 1
    while i < n:
        token = parts[i]
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth < 0:
                return None  # a "}" that closes nothing
        elif token == "\\url":
            closed = _url(parts, i)
            if closed is None:
                return None
            i = closed
        else:
            tex = known.get(token)
            if tex is None:
                tex = _token_tex(token, parts[i + 1][:1], ascii_only, protect)
                if tex is None:
                    return None
            parts[i] = tex
        if protect and depth == 0:  # the scanner protects the words outside braces only
            parts[i + 1] = _protected(parts[i + 1])
        i += 2
    if depth:
        return None  # a "{" never closed: the scanner writes the unpaired ones as text
    if ascii_only and not text.isascii():
        # What the tokens wrote is ASCII; only the plain parts that are not need encoding
        # (most parts of a long abstract are ASCII: no call for those).
        parts[::2] = [p if p.isascii() else _encode_text(p) for p in parts[::2]]
    return "".join(parts)


# Each character a token can start with, as "$"; every other byte as it is.
_AS_DOLLAR = bytes(36 if chr(b) in "$\\{}&%#_~^" else b for b in range(256))
_TOKEN_AT = _FAST_TOKEN.match


def _ascii_pieces(text: str) -> list[str]:
    """``_FAST_PIECES.split`` of ASCII text, with the tokens found by ``bytes.find`` (memchr)
    rather than by the regex engine, which tests each character of the text against the set
    of first characters (most of an abstract's cost). Every token starts with one of those
    characters and one starts at each of them, so the next token is the one that starts at
    the next of them: what ``split``'s search finds."""
    find = text.encode("ascii").translate(_AS_DOLLAR).find
    i = find(36)
    if i < 0:
        return [text]
    parts = []
    end = 0
    while i >= 0:
        parts.append(text[end:i])
        if text[i] in "$\\":
            m = _TOKEN_AT(text, i)
            if m is None:  # never: a token starts at each of those characters
                return _FAST_PIECES.split(text)
            end = m.end()
        else:  # a brace or an escaped character: the token is that one character
            end = i + 1
        parts.append(text[i:end])
        i = find(36, end)
    parts.append(text[end:])
    return parts


# _FAST_TOKEN over UTF-8: the same tokens, as bytes. Math runs over the bytes of a character
# one at a time (none of them is "$", a backslash or a newline), and a backslash takes the
# whole character after it, lead byte and continuation bytes, as "." takes it in the text.
_UTF8_TOKEN_AT = re.compile(
    _FAST_TOKEN.pattern.replace(r"|.)?", r"|[\x00-\x7f]|[\xc0-\xff][\x80-\xbf]*)?").encode(),
    re.DOTALL,
).match


def _utf8_pieces(text: str) -> list[str]:
    """:func:`_ascii_pieces` for text that is not ASCII (dashes, ×, accented names: 45% of
    abstracts), on its UTF-8 bytes, where every byte of a non-ASCII character is above 0x7f,
    so never one a token starts with, and each token ends where a character does. Each piece
    is decoded back from its bytes: cheaper than ``_FAST_PIECES.split``, whose search tests
    every character (most of a long abstract's cost)."""
    try:
        data = text.encode()
    except UnicodeEncodeError:  # a lone surrogate
        return _FAST_PIECES.split(text)
    find = data.translate(_AS_DOLLAR).find
    i = find(36)
    if i < 0:
        return [text]
    parts = []
    end = 0
    token_at = _UTF8_TOKEN_AT
    while i >= 0:
        parts.append(data[end:i].decode())
        if data[i] in b"$\\":
            m = token_at(data, i)
            if m is None:  # never: a token starts at each of those characters
                return _FAST_PIECES.split(text)
            end = m.end()
        else:
            end = i + 1
        parts.append(data[i:end].decode())
        i = find(36, end)
    parts.append(data[end:].decode())
    return parts


_URL_ESCAPE = re.compile(r"([%#])")


def _url(parts: list[str], i: int) -> int | None:
    """``\\url`` at ``parts[i]`` as :func:`_control` writes it: with its argument (up to the
    first "}", if it holds no "{" or backslash) taken in, and the parts it spans emptied.
    Returns the index of the "}" that closes it, or ``i`` for a bare ``\\url``; None where
    a "}" is inside a token before it (math, or an escaped ``\\}``: the split and the scanner
    would cut the text apart), which leaves the text to the scanner.
    The argument is written as it is, not encoded: the scanner writes it as TeX."""
    parts[i] = "\\url"
    if parts[i + 1] or i + 2 >= len(parts) or parts[i + 2] != "{":
        return i
    for k in range(i + 4, len(parts), 2):
        token = parts[k]
        if token == "}":
            break
        if "}" in token:
            return None
        if "{" in token or "\\" in token:
            return i  # not an argument _control takes: a bare \url, then the brace
    else:
        return i  # no "}" after it
    parts[i] = "\\url{" + _URL_ESCAPE.sub(r"\\\1", "".join(parts[i + 3 : k])) + "}"
    parts[i + 1 : k + 1] = [""] * (k - i)
    return k


def _token_tex(token: str, after: str, ascii_only: bool, protect: bool) -> str | None:
    """The TeX for one token (not a brace or ``\\url``) followed by the character ``after``
    (or none); None where the split cannot vouch for the scanner's reading. Kept in
    ``_KNOWN_TOKENS`` unless ``after`` matters: an accent command's TeX depends on whether it
    is ASCII."""
    c = token[0]
    if c == "\\":
        # The token is the whole control sequence, so _control reads just as far here, and
        # looks at most one character past it (for accents, as said above).
        tex, end = _control(token + after, 0)
        if end != len(token):
            rest = token[1:]
            if end != 1 or rest in ("$", "{", "}", "\\") or protect:
                # With protect, the scanner reads the rest as text: part of the next word.
                return None
            # A command LaTeX must not run (\\input, \\ours): the backslash shown, the rest
            # read on as listing text, so encoded.
            tex = _encode_chars(tex + _ESCAPES.get(rest, rest), ascii_only)
        if token[1:] in _ACCENT_COMMANDS:
            return tex
    elif c == "$":
        math = r"\$" if len(token) == 1 else _math_tex(token, ascii_only)
        if math is None:
            return None
        tex = math
    else:
        tex = _ESCAPES[c]
    known = _KNOWN_TOKENS[ascii_only, protect]
    if len(known) >= 1 << 16:  # bounded, as the title words are
        known.clear()
    known[token] = tex
    return tex


@lru_cache(maxsize=8192)  # $n$, $k$, $\\mathcal{O}(n)$: math recurs across abstracts
def _math_tex(math: str, ascii_only: bool) -> str | None:
    """Safe math as written, its characters encoded as math; None for unsafe math."""
    if not _safe_math(math.strip("$")):
        return None
    return _encode_chars(math, ascii_only, math=True)


def _to_bibtex_tokens(text: str, ascii_only: bool, protect: bool) -> str:
    out: list[str] = []
    depth = 0
    for kind, value in _tokens(text):
        if kind == "text":
            if protect and depth == 0:
                out.append(_protect_words(value, ascii_only))
            else:
                out.append(_encode_chars(value, ascii_only))
        elif kind == "math":
            out.append(_encode_chars(value, ascii_only, math=True))
        else:
            if kind == "open":
                depth += 1
            elif kind == "close":
                depth -= 1
            out.append(value)
    return "".join(out)


def untexable(text: str) -> set[str]:
    """Characters that stay UTF-8 even in ASCII mode (CJK and the like): worth one warning."""
    if text.isascii():
        return set()
    return {ch for ch in set(text) if not ch.isascii() and char_to_tex(ch) is None}


# --- TeX -> Unicode ------------------------------------------------------------------------


@cache
def _decoder() -> tuple[LatexNodes2Text, object]:
    """pylatexenc, taught the macros whose defaults lose text (``\\url``) or differ (``^``)."""
    from pylatexenc import latexwalker
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db
    from pylatexenc.macrospec import MacroSpec

    walker_db = latexwalker.get_default_latex_context_db()
    walker_db.add_context_category(
        "bibexport", prepend=True, macros=[MacroSpec("url", "{"), MacroSpec("href", "{{")]
    )
    db = get_default_latex_context_db()
    db.add_context_category(
        "bibexport",
        prepend=True,
        macros=[
            MacroTextSpec("url", simplify_repl="%(1)s"),
            MacroTextSpec("href", simplify_repl="%(2)s (%(1)s)"),
            MacroTextSpec("textasciicircum", simplify_repl="^"),
            MacroTextSpec("textasciitilde", simplify_repl="~"),
            MacroTextSpec("textbackslash", simplify_repl="\\"),
            MacroTextSpec("ldots", simplify_repl="\u2026"),
            MacroTextSpec("textbraceleft", simplify_repl="{"),
            MacroTextSpec("textbraceright", simplify_repl="}"),
        ],
    )
    return LatexNodes2Text(latex_context=db, math_mode="text"), walker_db


# ``words" (TeX open quote, ASCII close quote), common in abstracts typed for OpenReview.
_MIXED_QUOTES = lazy(globals(), "_MIXED_QUOTES", r'``([^`"\\]*)"')
_SINGLE_QUOTES = re.compile(r"`(?<![`\\]`)([^`'\\\n]+)'(?!')")  # `rarity score' -> ‘rarity score’


def tex_to_text(tex: str) -> str:
    """TeX (as we or anyone write it in a .bib) -> plain Unicode text, NFC.

    Math keeps a readable form (``$n \\times n$`` -> ``n × n``) rather than disappearing.
    """
    if not any(c in tex for c in "\\{}$~`'-"):
        return unicodedata.normalize("NFC", tex)
    if "`" in tex:
        tex = _MIXED_QUOTES.sub("\u201c\\1\u201d", tex)
        tex = _SINGLE_QUOTES.sub("\u2018\\1\u2019", tex)
    text = _islands_to_text(tex)
    if text is None:
        text = _pylatexenc_to_text(tex)
    return unicodedata.normalize("NFC", text.replace("\u00a0", " "))


# Up to two levels of nested braces, enough for what BibTeX files hold ({\~{\^e}}, {{\"O}KO}).
_GROUP = r"\{[^{}]*(?:\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}[^{}]*)*\}"
# TeX "islands" in otherwise plain text: math, a control word with its braced arguments (or the
# spaces TeX eats after it), a control symbol with its letter or group, a group, a tie.
_ISLAND = re.compile(
    r"\$\$[^$]*\$\$|\$[^$]*\$"
    rf"|\\[A-Za-z]+(?:(?:{_GROUP})+|[ \t]*)"
    rf"|\\[^A-Za-z](?:{_GROUP}|[A-Za-z])?"
    rf"|{_GROUP}|~"
)
_TEX_LEFT = lazy(globals(), "_TEX_LEFT", r"[\\{}$]")
_LIGATURES: tuple[tuple[str, str], ...] = (
    ("---", "\u2014"),
    ("--", "\u2013"),
    ("``", "\u201c"),
    ("''", "\u201d"),
)
_LIGATURES += (("?`", "\u00bf"), ("!`", "\u00a1"))


def _islands_to_text(tex: str) -> str | None:
    """Plain runs by string replacement, each TeX island by pylatexenc (cached): long abstracts
    decode in microseconds instead of milliseconds. None when the TeX is too tangled for this
    (a brace or backslash left in a plain run), so the caller decodes the whole text."""
    # A private-use character the text does not hold stands for each island meanwhile.
    stand_in = next(c for c in map(chr, range(0xE000, 0xF900)) if c not in tex)
    islands: list[str] = []

    def stash(m: re.Match[str]) -> str:
        islands.append(m.group())
        return stand_in

    plain = _ISLAND.sub(stash, tex)
    if _TEX_LEFT.search(plain):
        return None
    plain = _ligatures(plain)  # a stashed island splits a run: no ligature spans it
    if not islands:
        return plain
    runs = plain.split(stand_in)
    out = [runs[0]]
    for island, run in zip(islands, runs[1:], strict=True):
        out.append(_island_text(island))
        out.append(run)
    return "".join(out)


def _ligatures(text: str) -> str:
    for ligature, char in _LIGATURES:
        if ligature in text:
            text = text.replace(ligature, char)
    return text


@lru_cache(maxsize=65536)
def _island_text(tex: str) -> str:
    if tex in _SIMPLE_ISLANDS:
        return _SIMPLE_ISLANDS[tex]
    if tex[0] == "$" and not _TEX_LEFT.search(tex.strip("$")):
        return tex.strip("$")  # $3$, $n$, $k=5$: the math reads as it is written
    styled = _STYLED.fullmatch(tex) or _SWITCHED.fullmatch(tex)
    if styled and "--" not in tex:
        return styled.group(1)  # \emph{single}, \url{https://...}: no pylatexenc (0.5 ms)
    if len(tex) == 3 and tex[1] in "%&#_$" and tex[2].isascii() and tex[2].isalpha():
        return tex[1:]  # \$N, \%a: a "$" or "%" before a letter, as the encoder escapes it
    if tex[0] == "$":
        text = math_text(tex)
        if text is not None:
            return text
    return _pylatexenc_to_text(tex)


_SIMPLE_ISLANDS = {"\\" + c: c for c in "%&#_$"} | {"~": "\u00a0"}
# What the encoder writes for a "~", "^", backslash or brace it cannot leave as it is: the
# words _decoder teaches pylatexenc, read back without it (a listing with one such character
# would otherwise cost each worker process pylatexenc's import and decoder: 60 M instructions).
_SIMPLE_ISLANDS |= {
    "\\textasciitilde{}": "~",
    "\\textasciicircum{}": "^",
    "\\textbackslash{}": "\\",
    "\\textbraceleft{}": "{",
    "\\textbraceright{}": "}",
}
# A text style or URL around words with nothing pylatexenc reads as TeX (ligatures, quotes,
# specials): pylatexenc writes the words as they are.
_STYLED = re.compile(
    r"\\(?:textit|textbf|textsc|textrm|textsl|textnormal|emph|underline|url)"
    r"\{([^\\{}$%&#_^~`']*)\}"
)
# An old-style font switch in a group around such words (``{\em not}``, ``{\bf FIFA}``): the
# words, less the spaces the switch eats after it.
_SWITCHED = re.compile(
    r"\{\\(?:em|bf|it|sc|rm|tt|sl|sf)[ \t]+"
    r"([^\\{}$%&#_^~`'\s](?:[^\\{}$%&#_^~`'\s]| )*)\}"
)


def math_text(tex: str) -> str | None:
    """What pylatexenc makes of a math island (``$\\mathcal{O}(\\sqrt{T})$`` -> ``𝒪(√(T))``)
    whose commands _tex_math lists, without pylatexenc: a title with math would otherwise cost
    every worker process pylatexenc's import and decoder (50 ms). None for any other island:
    display math, a command not listed or not read here (``\\sqrt[3]``, ``\\,``), what
    pylatexenc reads as a special (``~``, ``&``, ``--``, quotes, a comment), whitespace other
    than spaces (which pylatexenc keeps in places TeX does not), unbalanced braces."""
    body = tex[1:-1]
    if len(tex) < 3 or tex[0] != "$" or tex[-1] != "$" or _MATH_UNREAD.search(body):
        return None
    try:
        text, _ = _math_nodes(body, 0, nested=False)
    except _Unread:
        return None
    return text.strip()  # as pylatexenc strips the text of a math node


_MATH_UNREAD = lazy(globals(), "_MATH_UNREAD", r"[$%&~#`]|--|''|[^\S ]")


_MATH_CHARS_END = lazy(globals(), "_MATH_CHARS_END", r"[\\{}]")


class _Unread(Exception):
    """An island :func:`math_text` leaves to pylatexenc."""


def _math_nodes(body: str, at: int, nested: bool) -> tuple[str, int]:
    """The text of the nodes from ``at`` to the end of the group (``nested``) or of the math,
    as LatexNodes2Text writes them in math (its spacing "based on source" there): a chars node
    of spaces alone writes nothing, and the spaces after a command without arguments are
    written when characters follow it. Returns the text and where the group ends."""
    from ._tex_math import ARGUMENTS, STYLES, SYMBOLS

    out: list[str] = []
    spaces_after = ""  # after a command without arguments: written before characters next
    end = len(body)
    while at < end:
        ch = body[at]
        if ch == "}":
            if not nested:
                raise _Unread
            return "".join(out), at + 1
        if ch == "{":
            text, at = _math_nodes(body, at + 1, nested=True)
            out.append(text)
            spaces_after = ""
        elif ch == "\\":
            name_end = at + 1
            while name_end < end and body[name_end].isalpha():  # pylatexenc's command names
                name_end += 1
            name = body[at + 1 : name_end]
            at = name_end
            while at < end and body[at] == " ":
                at += 1
            if name in SYMBOLS:
                out.append(SYMBOLS[name])
                spaces_after = body[name_end:at]
                continue
            kind = ARGUMENTS.get(name)  # None for a control symbol too (name "")
            if kind is None:
                raise _Unread
            text, at = _math_argument(body, at)
            if kind == "sqrt":
                text = "\u221a(" + text + ")"
            elif kind:
                text = text.translate(STYLES[kind])
            out.append(text)
            spaces_after = ""
        else:
            found = _MATH_CHARS_END.search(body, at)
            chars_end = found.start() if found else end
            chars = body[at:chars_end]
            out.append(spaces_after + chars if chars.strip() else spaces_after)
            spaces_after = ""
            at = chars_end
    if nested:
        raise _Unread
    return "".join(out), at


def _math_argument(body: str, at: int) -> tuple[str, int]:
    """A command's argument: a group, or one letter or digit (where pylatexenc's parser would
    take a command, a special or an optional argument, the island is left to it)."""
    if at < len(body):
        if body[at] == "{":
            return _math_nodes(body, at + 1, nested=True)
        if body[at].isascii() and body[at].isalnum():
            return body[at], at + 1
    raise _Unread


def _pylatexenc_to_text(tex: str) -> str:
    decoder, walker_db = _decoder()
    try:
        text: str = decoder.latex_to_text(tex, latex_context=walker_db, tolerant_parsing=True)
    except Exception:  # pylatexenc raises many types on odd input; plain text is still owed
        text = tex
    return text


# --- listing text -> plain text (RIS, CSL) ----------------------------------------------------

_PARAGRAPH_BREAK = lazy(globals(), "_PARAGRAPH_BREAK", r"\n\s*\n")


# Text without these reads the same as TeX as it does as plain text, so it needs no decoding.
# (Every branch starts with a literal, so that the regex engine skips plain text in C.)
_NEEDS_DECODING = lazy(globals(), "_NEEDS_DECODING", r"\\|\{|\}|\$|~|`|--|''|\?`|!`")


@lru_cache(maxsize=4096)  # names and venues recur, and each paper's text is asked for per format
def plain_text(text: str) -> str:
    """Listing text as one line of plain Unicode: ``$3$-$5$`` -> ``3-5``, ``25%`` stays.

    The text goes through :func:`to_bibtex` first, so that what the listing means literally
    (``%``, ``~``, ``#``, a stray ``$`` or brace) is escaped before TeX is read back, and the
    plain text says what the BibTeX output says.
    """
    if text.isascii():
        if "\\" not in text and "$" not in text and _as_it_is(text):
            return text  # most titles and names: no TeX, no ligature, nothing to collapse
    elif len(text) < _LONG and _NEEDS_DECODING.search(text) is None:
        # A name or title with an accent but no TeX (a fifth of titles; most names that are
        # not plain): what _decoded_line gives it, at a fifth of its cost. Without a match,
        # no piece the scan finds reads as TeX (_reads_as_tex: each starts with, or holds, a
        # character the search finds; each ligature is one it finds), and a short text is
        # never known safe (_scan), so _decoded_line gives (NFC, False).
        return _nfc_line(unicodedata.normalize("NFC", text))
    decoded, printable = _decoded_line(text)
    return _nfc_line(decoded, printable=printable)


def _as_it_is(text: str) -> bool:
    """Whether ASCII text is its own plain text: no character that TeX or :func:`one_line`
    would change (a control, a backslash, brace, ``$``, ``~`` or backtick), no ``--`` or
    ``''`` ligature, no space to collapse. One ``bytes.translate`` (C, no Unicode lookups)
    does the work of _NEEDS_DECODING's scan, NFC's check and ``isprintable``."""
    return (
        not text.encode("ascii").translate(None, _AS_IT_IS)
        and "--" not in text
        and "''" not in text
        and "  " not in text
        and text[:1] != " "
        and text[-1:] != " "
    )


# The ASCII characters that plain text keeps as they are, wherever they are.
_AS_IT_IS = bytes(b for b in range(0x20, 0x7F) if chr(b) not in "\\{}$~`")


@lru_cache(maxsize=64)
def plain_paragraphs(text: str) -> str:
    """Like :func:`plain_text`, but an abstract's blank lines stay: they separate paragraphs."""
    decoded, printable = _decoded_line(text)
    if printable or "\n" not in decoded:  # one paragraph (most abstracts): RIS's line, cached
        return plain_text(text)
    paragraphs = map(one_line, _PARAGRAPH_BREAK.split(decoded))
    return "\n\n".join(p for p in paragraphs if p)


def one_line(text: str) -> str:
    """No control characters and no line breaks, which would end a RIS line or confuse YAML."""
    return collapse_space(text)  # which makes every control character a space


def _nfc_line(text: str, *, printable: bool = False) -> str:
    """:func:`one_line` for text already NFC (all that _decoded_line gives): what collapse_space
    checks first, but for NFC, which costs microseconds on an abstract. ``printable``: the
    caller knows the text is (the scan of _decoded_line saw every character of it)."""
    if (
        "  " not in text
        and text[:1] != " "
        and text[-1:] != " "
        and (printable or _printable(text))
    ):
        return text
    return collapse_space(text)


def _printable(text: str) -> bool:
    """``text.isprintable()``, the ASCII characters (most of an abstract) tested by
    ``bytes.translate``, which costs a third of the Unicode lookup per character."""
    if text.isascii():
        return not text.encode("ascii").translate(None, _PRINTABLE_ASCII)
    if len(text) < _LONG:  # a name or title: the three calls below cost ten lookups of it
        return text.isprintable()
    rest = text.encode("utf-8", "surrogatepass").translate(None, _PRINTABLE_ASCII)
    return rest.decode("utf-8", "surrogatepass").isprintable()


_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))


# RIS asks for a paper's text on one line, CSL with its paragraphs: in a worker, a whole part
# (a few hundred texts) apart.
@lru_cache(maxsize=1024)
def _decoded_line(text: str) -> tuple[str, bool]:
    """Listing text as plain Unicode text, NFC, its line breaks kept; and whether it is known
    to be printable (so one line, NFC as it stands): where the scan saw only printable
    characters that NFC leaves alone and compose with nothing, and every piece decodes to such
    characters."""
    # Text with a backtick is scanned after its quotes are read; any other is scanned once
    # here, and the scan tells whether it needs decoding at all (see _reads_as_tex).
    # (A backtick is one of what _NEEDS_DECODING finds.) A scan the BibTeX writer made of the
    # text is taken out (_decoded_by_pieces may write into it): for text with a backtick, it
    # serves where reading the quotes changes nothing (``words'', whose quotes the scan finds
    # as ligatures), which _decoded_by_pieces would otherwise find out before its own scan.
    shared = _SHARED_SCANS.pop(text, None) if _SHARED_SCANS else None
    if "`" in text:
        parts, safe = shared if shared is not None and _quoted(text) == text else (None, False)
    else:
        parts, safe = _scan(text) if shared is None else shared
        if not _reads_as_tex(parts):
            return (text, True) if safe else (unicodedata.normalize("NFC", text), False)
    decoded = _decoded_by_pieces(text, parts, safe)
    if decoded is None:
        return tex_to_text(to_bibtex(text, ascii_only=False)), False
    return decoded


# --- the same, a piece at a time ----------------------------------------------------------
#
# ``tex_to_text(to_bibtex(text))`` makes three passes over the whole text (encode, split into
# TeX islands, decode each), most of it over plain words. Where the listing's TeX sits in
# pieces that the encoder writes on their own and the decoder reads as one island each, the
# plain runs between them pass through both unchanged (but for ligatures), so each piece is
# encoded and decoded once, cached, however many abstracts hold it ($n$, \%, \emph{...}).
# A piece starts at every character either pass acts on; it takes in what the island pattern
# would take after it (a control word's groups or spaces, a control symbol's letter or group).
_SYMBOL_ARG = rf"(?:{_GROUP}|[A-Za-z])?"


@cache  # compiled on first use: a run that writes BibTeX alone never needs it
def _piece_pattern() -> re.Pattern[str]:
    """A piece or a ligature of the plain text: one scan finds both. (One group, whose every
    branch starts with a literal: two groups would cost the regex engine its fast skip.)"""
    return re.compile(f"({_PIECE}|{_LIGATURE})", re.DOTALL)


# Math, as the encoder finds it: ``\$(?:[^$\\\n]|\\.|\n(?!\n))+\$``, its loop unrolled, so
# that a run of plain characters is one repeat, not one alternation per character (the units
# start with different characters, none a "$": the match is the same, and there is one).
_MATH = r"\$(?!\$)[^$\\\n]*(?:(?:\\.|\n(?!\n))[^$\\\n]*)*\$"
_PIECE = (
    # Every branch starts with a literal, so that the regex engine skips plain text in C.
    _MATH
    # An accent command before a non-ASCII character: the encoder writes the backslash as text,
    # so the piece takes in the character that decides it.
    + r"|\\(?:[uvHcdbrkt]|['`^\"~=.])[^\x00-\x7f]"
    rf"|\\[A-Za-z]+(?:(?:{_GROUP})+|[ \t]*)"  # control word (written as it is, or not)
    rf"|\\[^A-Za-z]{_SYMBOL_ARG}"  # control symbol: \%, \'e, \'{e}
    + "".join(rf"|\{c}{_SYMBOL_ARG}" for c in "&%#_$")  # written \&, \%, \#, \_, \$
    + "".join(rf"|\{c}(?:{_GROUP})*" for c in "~^")  # written \textasciitilde{} etc.
    + rf"|{_GROUP}"
    # A backslash ending the text, and a brace no group takes: unpaired, or nested too deep
    # for the island pattern (which then would take it into the island before it).
    + r"|\\|\{|\}"
)
# The ligatures _ligatures replaces, as it replaces them: "---" before "--", and "?`" not where
# "``" is replaced first (the backtick after it). No ligature character starts a piece, so a
# ligature never hides a piece from the scan, nor a piece a ligature of the plain text.
_LIGATURE = r"---?|``|''|\?`(?!`)|!`(?!`)"
_LIGATURE_CHARS = dict(_LIGATURES)


def _scan(text: str) -> tuple[list[str | Any], bool]:
    """``_piece_pattern().split(text)``, and whether every character between what it finds is
    safe (:data:`_SAFE_CHARS`: printable, NFC as it stands, composing with nothing).

    ``split``'s search tests each character of an abstract against the pattern's first
    characters (about 45 instructions a character, most of its cost). Here ``bytes.translate``
    marks, in C, the characters a piece or ligature can start with (every branch starts with
    one), and those whose safety the byte does not tell (controls, NBSP, the soft hyphen, and
    every character past Latin-1, which the codec writes as "?"); ``bytes.find`` goes from mark
    to mark, and the pattern is tried only there. A match starts at no other character, so the
    next match is the one at the next mark where there is one: what ``split`` finds. On the
    10k listing this costs 20% fewer instructions than ``split`` (about the same CPU time: the
    Python loop runs once a piece); the gain is what it tells besides (_decoded_line)."""
    if len(text) < _LONG:  # a title: the codec's call costs more than the scan
        return _piece_pattern().split(text), False
    marks = _SCAN_MARKS_DASH if "--" in text else _SCAN_MARKS  # hyphens (8 an abstract)
    find = text.encode("latin-1", "replace").translate(marks).find
    match = _piece_pattern().match
    parts: list[str | Any] = []
    append = parts.append
    end = 0
    safe = True
    i = find(36)
    while i >= 0:
        ch = text[i]
        start = _SCAN_STARTS.get(ch)
        if start is None:
            if not _SAFE_CHARS[ch]:
                safe = False
        elif not start or text.startswith(start, i):
            found = match(text, i)
            if found is not None:
                append(text[end:i])
                end = found.end()
                append(text[i:end])
                i = find(36, end)
                continue
        i = find(36, i + 1)
    append(text[end:])
    return parts, safe


# An abstract's scan, made for its BibTeX (to_bibtex with ``share``) and kept until its plain
# text is asked for (RIS, CSL-JSON): a worker renders a part writer by writer, so that is a
# part's papers later (a few hundred); :func:`_decoded_line` takes it out.
_SHARED_SCANS: dict[str, tuple[list[str | Any], bool]] = {}


def _to_bibtex_by_pieces(text: str, ascii_only: bool) -> str | None:
    """``to_bibtex(text, ascii_only=ascii_only)`` for an abstract, from the scan its plain text
    is read from (:func:`_scan`), or None where the pieces cannot vouch for it.

    The encoder writes each piece as it writes it alone, and the plain runs between them as
    they are (but for their non-ASCII characters, each on its own, in ASCII output): the
    reasoning of :func:`_decoded_by_pieces`, whose limits hold here too (no display math, no
    escaped brace, no brace or backslash outside a piece). A ligature is plain text to the
    encoder. ``@`` at the start of a line is braced by to_bibtex, after this.

    The scan is kept for the plain text (:data:`_SHARED_SCANS`)."""
    parts, safe = _scan(text)
    if len(_SHARED_SCANS) >= 1 << 12:  # bounded: texts whose plain form was not asked for
        _SHARED_SCANS.clear()
    _SHARED_SCANS[text] = (parts, safe)  # read, never written, here
    if len(parts) == 1:
        return None  # to_bibtex's own path for text with nothing TeX reads: no pieces to join
    found = parts[1::2]
    if _display_math_or_escaped_brace(text, parts, found):
        return None
    pieces = list(map(_PIECE_TEX[ascii_only].__getitem__, found))
    if None in pieces:
        return None
    written = parts.copy()
    written[1::2] = pieces
    if ascii_only and not text.isascii():
        written[::2] = [p if p.isascii() else _encode_text(p) for p in written[::2]]
    return "".join(written)


class _PieceTex(dict[str, "str | None"]):
    """A piece as the encoder writes it alone (None: a piece the encoder's split leaves to its
    scanner, such as a brace no group takes), by piece, per ``ascii_only``."""

    def __init__(self, ascii_only: bool) -> None:
        super().__init__()
        self.ascii_only = ascii_only

    def __missing__(self, found: str) -> str | None:
        if len(self) >= 1 << 16:  # bounded, as _SCANNED is
            self.clear()
        if found in _LIGATURE_CHARS:
            tex: str | None = found  # plain text to the encoder
        else:
            tex = _to_bibtex_split(found, self.ascii_only, False)
        self[found] = tex
        return tex


_PIECE_TEX = {ascii_only: _PieceTex(ascii_only) for ascii_only in (False, True)}


# What a piece or a ligature starts with, and what the text holds there wherever one does:
# a piece starts at each of its first characters, a ligature at a hyphen or a quote (7 in an
# abstract) only where its second character follows, and the pattern is tried only there.
_SCAN_STARTS = dict.fromkeys("$\\{}&%#_~^", "") | {
    "-": "--",
    "'": "''",
    "`": "``",
    "?": "?`",
    "!": "!`",
}
# Each byte _scan stops at, as "$": a character a piece or a ligature starts with, a control,
# NBSP and the soft hyphen (not printable), and the "?" the codec writes for any character it
# cannot (every one past Latin-1, whose safety _SAFE_CHARS tells). Latin-1's printable
# characters are safe, every one.
_SCAN_MARKS_DASH = bytes(
    36 if chr(b) in _SCAN_STARTS or not chr(b).isprintable() else b for b in range(256)
)
# The same for text with no "--", where no hyphen starts a ligature: the scan passes them in C.
_SCAN_MARKS = _SCAN_MARKS_DASH[:45] + b"-" + _SCAN_MARKS_DASH[46:]


def _safe_char(ch: str) -> bool:
    """Printable, NFC as it stands, and a starter that composes with no character before it
    (so that text made of such characters is NFC, whatever it is joined to): not a mark
    (combining class, or a vowel sign NFC composes after a consonant), not Hangul jamo (the
    vowels and finals that compose into a syllable), not a character NFC replaces."""
    return (
        ch.isprintable()
        and unicodedata.combining(ch) == 0
        and unicodedata.category(ch)[0] != "M"
        and not "\u1100" <= ch <= "\u11ff"
        and unicodedata.is_normalized("NFC", ch)
    )


class _SafeChars(dict[str, bool]):
    """:func:`_safe_char` by character, remembered (at most one entry a code point)."""

    def __missing__(self, ch: str) -> bool:
        safe = self[ch] = _safe_char(ch)
        return safe


_SAFE_CHARS = _SafeChars()


class _SafePieces(dict[str, bool]):
    """Whether what the scan found decodes to safe characters alone, by what it found."""

    def __missing__(self, found: str) -> bool:
        if len(self) >= 1 << 16:  # bounded, as _SCANNED is
            self.clear()
        text = _SCANNED[found]
        safe = self[found] = text is not None and all(map(_SAFE_CHARS.__getitem__, text))
        return safe


_SAFE_PIECES = _SafePieces()


def _decoded_by_pieces(
    text: str, parts: list[str | Any] | None = None, safe: bool = False
) -> tuple[str, bool] | None:
    """``tex_to_text(to_bibtex(text, ascii_only=False))`` for most listing text, and whether it
    is known printable and NFC; None for text this cannot vouch for (display math, escaped
    braces, an ``@`` starting a line, quotes around TeX, a piece the encoder does not write as
    one island, a brace in no group).

    Every brace is in a piece, and every piece is balanced, so the encoder pairs them all and
    writes each piece as it writes it alone (what it does to a character looks one character
    ahead at most, and a piece takes that character in where it matters). A piece takes in all
    the island pattern would after it, so islands end where pieces do.

    ``parts`` is the scan of the text (plain, piece or ligature, plain, ..., plain), where the
    caller has it: never for text with a backtick, whose quotes are read before the scan.
    ``safe`` says the scan saw only safe characters (:data:`_SAFE_CHARS`) between the pieces;
    then where every piece decodes to safe characters, the text joined is NFC (every character
    is a starter that composes with nothing) and needs no normalising.
    """
    if "@" in text and _LINE_START_AT.search(text):
        return None
    if parts is None:
        if "`" in text:
            quoted = _quoted(text)
            if quoted is None:
                return None
            text = quoted  # each quote stands for one character: no "$$" or "\{" made or lost
        parts, safe = _scan(text)
    if len(parts) == 1:
        return (text, True) if safe else (_nfc(text), False)
    found = parts[1::2]
    if _display_math_or_escaped_brace(text, parts, found):
        return None
    parts[1::2] = map(_SCANNED.__getitem__, found)
    if safe and all(map(_SAFE_PIECES.__getitem__, found)):  # so none is None
        return "".join(parts), True
    if None in parts:
        return None  # a piece the encoder does not write as one island
    return _nfc("".join(parts)), False


def _reads_as_tex(parts: list[str | Any]) -> bool:
    """``_NEEDS_DECODING.search(text)`` from the scan of a text without backticks: a piece holds
    every backslash, brace, ``$`` and ``~``, and begins with one of them unless it takes a group
    (``%{x}``); a ``--`` or ``''`` is a ligature of the scan, or in a piece that begins with a
    backslash or ``$`` or takes a group. A scan finds a ligature only where the text has one."""
    return any(map(_READS_AS_TEX.__getitem__, parts[1::2]))


_TEX_STARTS = frozenset("\\{}$~-'")


class _ReadsAsTex(dict[str, bool]):
    """Whether what the scan found reads as TeX (see _reads_as_tex), by what it found: the
    same pieces recur, and ``map`` over a dict asks Python for none of them."""

    def __missing__(self, found: str) -> bool:
        if len(self) >= 1 << 16:  # bounded, as _SCANNED is
            self.clear()
        tex = self[found] = found[0] in _TEX_STARTS or "{" in found
        return tex


_READS_AS_TEX = _ReadsAsTex()


def _display_math_or_escaped_brace(
    text: str, parts: list[str | Any], found: list[str | Any]
) -> bool:
    """Whether the text holds ``$$``, ``\\{`` or ``\\}``, which the pieces are not read for.

    Every ``$``, backslash and brace is in a piece, so each of these lies in one piece, or
    across two with no plain text between them: the pieces alone are searched, the whole text
    only where two meet (rare), since a two-character search of an abstract costs microseconds."""
    if "" in parts[2:-1:2]:
        return "$$" in text or "\\{" in text or "\\}" in text
    pieces = " ".join(found)  # three searches in C: a space between pieces makes none of them
    return "$$" in pieces or "\\{" in pieces or "\\}" in pieces


def _scanned_text(found: str) -> str | None:
    """A ligature's character, or a piece decoded (None: not one island)."""
    return _LIGATURE_CHARS.get(found) or _piece_text(found)


class _ScannedTexts(dict[str, "str | None"]):
    """:func:`_scanned_text` by what the scan found, remembered in a dict: the same pieces
    recur across abstracts ($n$, \\%), and a dict answers them without a Python call each."""

    def __missing__(self, found: str) -> str | None:
        if len(self) >= 1 << 16:  # bounded, for a listing of a million papers
            self.clear()
        text = self[found] = _scanned_text(found)
        return text


_SCANNED = _ScannedTexts()


def _nfc(decoded: str) -> str:
    if "\u00a0" in decoded:
        decoded = decoded.replace("\u00a0", " ")
    return unicodedata.normalize("NFC", decoded)


# Characters the encoder writes with a backslash, which no quote pattern reads across.
_QUOTE_BLOCKERS = lazy(globals(), "_QUOTE_BLOCKERS", r"[$&%#_~^]")


def _quoted(text: str) -> str | None:
    """The quotes :func:`tex_to_text` reads in the encoded text, read in the listing text; None
    where the two could differ: a quote that holds a character the encoder writes as a control
    symbol (``\\%``: no quote spans a backslash), or a backtick after a backslash."""
    if "\\`" in text:
        return None
    for pattern, quote in ((_MIXED_QUOTES, "\u201c\\1\u201d"), (_SINGLE_QUOTES, "\u2018\\1\u2019")):
        if (pattern is _MIXED_QUOTES and '"' not in text) or pattern.search(text) is None:
            continue  # ``words'' (most quotes): one fast scan, not three
        if any(_QUOTE_BLOCKERS.search(m.group()) for m in pattern.finditer(text)):
            return None
        text = pattern.sub(quote, text)
    return text


@lru_cache(maxsize=65536)
def _piece_text(piece: str) -> str | None:
    """A piece decoded, or None unless the encoder writes it as one TeX island."""
    if piece in ("{", "}"):
        return None
    tex = to_bibtex(piece, ascii_only=False)
    island = _ISLAND.match(tex)
    return _island_text(tex) if island and island.end() == len(tex) else None
