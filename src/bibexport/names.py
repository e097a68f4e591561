"""Author strings -> Person: splitting into given/family, particles, suffixes, case repair.

A listing gives each author as one string (``Benjamin Van Roy``), and citation formats need the
parts. The rules below were checked against a corpus of real names with their splits from
bibliographic records (``tests/data/names/corpus.tsv``); each says why it exists, and a user can
predict the result from them alone.

How a name is read
------------------

1. ``et al.``, ``others`` and ``and others`` mean "more authors": ``Person(literal="others")``.
2. A name with a comma is already split: ``Family, Given`` or ``Family, Suffix, Given``
   (``van der Maaten, Laurens``; ``Daumé, III, Hal``). ``Given Family, Jr.`` keeps the suffix.
3. A name written in Chinese, Japanese or Korean script (``张磊``, ``山田 太郎``, ``김철수``) is
   kept whole as a literal name: those scripts put the family name first and may or may not
   separate it with a space, so splitting would guess (``山田, 太郎`` is split, by rule 2).
4. An organisation is kept whole as a literal name: two or more words that begin with ``The`` or
   contain an organisation word (``Team``, ``Consortium``, ``Collaboration``, ``Group``,
   ``Project``, ``Lab``, ``Institute``, ``University``, ``Foundation``, ``Research``,
   ``DeepMind``, ``OpenAI``, ``AI``, ...: see ``ORGANISATION_WORDS``). A single word
   (``Prabhat``, ``OpenAI``) is a family name with no given name: both print as written.
5. Otherwise the last word is the family name and the words before it are given names, except:

   * **Suffixes** ``Jr.``, ``Sr.``, ``II``, ``III``, ``IV`` at the end are the suffix
     (``Hal Daumé III``, ``Charles L. Isbell, Jr.``).
   * **Lower-case particles** (``van``, ``van der``, ``de``, ``de la``, ``von``, ``dos``,
     ``du``, ``ter``, ``op den``, ``bin``, ``al``, ...: see ``PARTICLES``) start the family name,
     and everything after them belongs to it (``Aäron van den Oord``, ``Cicero dos Santos``,
     ``Filipe de Avila Belbute-Peres`` -> particle ``de``, family ``Avila Belbute-Peres``).
     The particle is kept apart, as CSL's non-dropping particle and BibTeX's "von" part.
   * **Compound family names**: when ``de``, ``des``, ``del`` or ``im`` follows two or more
     given words, the word before it is part of the family name too, and the whole is the family
     name (``Christian Schroeder de Witt``, ``Remi Tachet des Combes``,
     ``Sabine Schulte im Walde``, ``Haitz Sáez de Ocáriz Borde``). Dutch, German and Portuguese
     particles (``van``, ``von``, ``dos``, ...) never do this, since two given names before them
     are common (``Willem Robert van Hage``, ``Cicero Nogueira dos Santos``).
   * **Capitalised particles** (``Van``, ``De``, ``Del``, ``Della``, ``Di``, ``Da``, ``Dos``,
     ``Le``, ``La``, ``Von``, ``Ver``, ``Ten``, ``Ter``, ...: see ``CAPITALISED_PARTICLES``)
     after the first given name start the family name, which runs to the end and keeps them as
     written (``Benjamin Van Roy`` -> family ``Van Roy``; ``Guy Van den Broeck``;
     ``Christopher De Sa``; ``Batiste Le Bars``). A capitalised particle is the person's own
     spelling of a family name that sorts under V, D or L, so it is not split off.
     ``El``, ``Al``, ``Ben``, ``Bin``, ``Ibn``, ``Abu`` count only right before the last word
     (``Ayoub El Hanchi``), since they also begin given names (``Mohamed El Amine Seddik``).
   * **Vietnamese, Chinese and Korean names** get no particles: if another word of the name is
     a common Vietnamese family name (``Nguyen``, ``Le``, ``Tran``, ``Pham``, ...: see
     ``VIETNAMESE_FAMILY_NAMES``) or the name has Vietnamese letters (``ư``, ``ơ``, ``ă``,
     ``đ``, ...), ``Van``, ``Le``, ``De``, ... are given names (``Thanh Van Le``,
     ``Vinh Van Nguyen``, ``Vo Nguyen Le Duy``; ``Quoc V. Le``); so are they after a given name
     that is a common Chinese or Korean family name (``Xiao Di Wang``; see
     ``EAST_ASIAN_FAMILY_NAMES``), while ``Diego De Cao`` keeps his particle.
   * **Connectors** ``y``, ``i``, ``e`` join two family names (``Manuel Montes y Gómez``,
     ``Joan Soler i Bou``), and Portuguese ``Filho``, ``Neto``, ``Júnior``, ``Sobrinho`` belong
     to the family name before them (``A. H. Castro Neto``).
   * Two family names with nothing to mark them (``Adrià Puigdomènech Badia``) are read as a
     given and a family name, as bibliographic records of such authors do
     (``Badia, Adrià Puigdomènech``).

Case is repaired only in a word written all in capitals or all in lower case: each part between
hyphens, after ``Mc`` and after ``O'``, ``D'``, ``L'``, ``Dell'`` (``APOSTROPHE_PREFIXES``) is
capitalised (``jean-pierre`` -> ``Jean-Pierre``, ``MCDONALD`` -> ``McDonald``,
``o'brien`` -> ``O'Brien``, ``MACHADO`` -> ``Machado``, ``prud'hommeaux`` -> ``Prud'hommeaux``);
particles become lower case
(``VAN DER SCHAAR`` -> ``van der Schaar``), suffixes take their usual form (``III``, ``Jr.``),
and initials stay (``AJ Piergiovanni``, ``Alex J Andonian``, ``Bradley CA Brown``: two capitals
that cannot be a syllable, or up to three capitals after the first given name). Mixed case is
how people write their own names and is never touched (``LeCun``, ``McCallum``, ``DeVries``,
``Ping-yeh Chiang``).
Text is NFC-normalised and invisible characters (zero-width spaces, bidi controls, soft hyphens)
are removed first.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import cache, lru_cache

from ._lazy import lazy
from .model import Person, new_person
from .text import collapse_space

# Lower-case words that belong to the family name when they stand before it ("von" parts).
PARTICLES = frozenset(
    """van von der den de del della dello dei degli delle di da das dos do du des la le les lo
    las los zu zur ter ten te vom vor am im op bin ibn al el af av auf d' dall' aan het
    't""".split()
)
# Particles that, after two or more given words, pull the word before them into a compound
# family name (Spanish, French and German usage: "Sáez de Ocáriz", "Tachet des Combes").
PULLING_PARTICLES = frozenset({"de", "des", "del", "im"})
# Capitalised particles that start a family name written with them ("Van Roy", "De Sa").
CAPITALISED_PARTICLES = frozenset(
    """Van Von Vander Vanden Vom De Del Della Dello Degli Di Da Dos Des Le La Ver Ten Ter Op
    Zu""".split()
)
# Articles that start a family name only right before the last word ("El Hanchi").
ARTICLE_PARTICLES = frozenset({"El", "Al", "Ben", "Bin", "Ibn", "Abu"})
# Words that join two family names into one ("Ortega y Gasset", "Soler i Bou").
CONNECTORS = frozenset({"y", "i", "e"})
# Portuguese agnomens: part of the family name before them, not a suffix ("Castro Neto").
AGNOMENS = frozenset({"filho", "neto", "júnior", "junior", "sobrinho"})
# Suffix spellings -> the form written out.
SUFFIXES = {
    "jr": "Jr.",
    "jr.": "Jr.",
    "sr": "Sr.",
    "sr.": "Sr.",
    "ii": "II",
    "iii": "III",
    "iv": "IV",
}
# Words that make a name of two or more words an organisation (compared case-insensitively).
ORGANISATION_WORDS = frozenset(
    """team consortium collaboration group project initiative inc inc. ltd ltd. llc gmbh
    corporation corp. company laboratory laboratories lab labs institute university foundation
    community committee council association society organization organisation network alliance
    contributors developers research deepmind openai google microsoft nvidia anthropic""".split()
)
# Organisation words that only count in this exact spelling ("Meta AI", not "Wei Ai").
ORGANISATION_WORDS_EXACT = frozenset({"AI"})
# Either kind, lower-cased: a name holding none of these is no organisation.
_ORGANISATION_CUES = ORGANISATION_WORDS | {w.lower() for w in ORGANISATION_WORDS_EXACT}
ET_AL = frozenset({"others", "et al.", "et al", "et. al.", "and others", "et al.."})
# Common Vietnamese family names, ASCII-folded and lower case: a name holding one anywhere has no
# European particles ("Thanh Van Le", "Vinh Van Nguyen", "Vo Nguyen Le Duy").
VIETNAMESE_FAMILY_NAMES = frozenset(
    """nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly dinh truong trinh
    doan luong quach vuong trieu kieu luu""".split()
)
# Common Chinese (pinyin, Cantonese, Wade-Giles) and Korean family names: a given name before a
# particle-like word that is one of these makes the word a syllable of the name ("Xiao Di Wang").
EAST_ASIAN_FAMILY_NAMES = VIETNAMESE_FAMILY_NAMES | frozenset(
    """wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin gao luo zheng
    liang xie song tang han feng deng cao peng zeng xiao tian dong pan yuan cai jiang yu du ye
    cheng wei su lu ding ren yao shen zhong cui tan fan liao shi jin jia xia fu fang zou xiong
    bai meng qin qiu hou yin xue yan duan lei hao gu gong kong mao qian
    wong chan cheung lau leung ng chow lee tse yip kwok tsai hsu hsieh kuo chang chiang chou
    kim park choi jung jeong kang cho yoon jang lim shin seo kwon hwang ahn yoo hong jeon ko
    moon son bae baek nam noh ha kwak sung cha joo woo min ryu""".split()
)
# Letters only Vietnamese uses among Latin scripts (with a horn, breve, stroke or hook above).
_VIETNAMESE_LETTERS = frozenset(
    "ơưăđƠƯĂĐảạấầẩẫậắằẳẵặẻẹếềểễệỉịỏọốồổỗộớờởỡợủụứừửữựỷỵỳỹ"
    "ẢẠẤẦẨẪẬẮẰẲẴẶẺẸẾỀỂỄỆỈỊỎỌỐỒỔỖỘỚỜỞỠỢỦỤỨỪỬỮỰỶỴỲỸ"
)
# Prefixes before an apostrophe after which a name of its own starts: O'Brien, D'Amour,
# Dell'Orletta (but Prud'hommeaux, Sima'an).
APOSTROPHE_PREFIXES = frozenset({"o", "d", "l", "dell", "dall", "nell", "sant"})
_SEGMENT = lazy(globals(), "_SEGMENT", r"([-'’‐])")
_DOTTED_INITIALS = lazy(globals(), "_DOTTED_INITIALS", r"(?:[^\W\d_]\.-?)+")
_APOSTROPHES = "'’"


def _letters(word: str) -> list[str]:
    return [c for c in word if c.isalpha()]


def _letter_count(word: str) -> int:
    """``len(_letters(word))`` without building the list; at C speed for a word of letters."""
    return len(word) if word.isalpha() else sum(map(str.isalpha, word))


def _is_lower(word: str) -> bool:
    return word.islower()  # every cased letter lower case, and at least one: at C speed


def _is_upper(word: str) -> bool:
    return word.isupper()


def _is_initial(word: str) -> bool:
    """``J.``, ``J``, ``A.J.``, ``J.-P.``: a letter or letters each followed by a dot."""
    letters = _letters(word)
    return len(letters) == 1 or (word.endswith(".") and len(word) <= 2 * len(letters) + 1)


def _fold(word: str) -> str:
    """Lower case without accents, for looking words up in the lists above."""
    decomposed = unicodedata.normalize("NFD", word.lower().strip(".,"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("đ", "d")


def _capitalise_segment(segment: str, lower_after_apostrophe: bool) -> str:
    low = segment.lower()
    if lower_after_apostrophe:
        return low  # "Prud'hommeaux", "Sima'an"
    if len(low) > 3 and low.startswith("mc") and low[2].isalpha():
        return "Mc" + low[2].upper() + low[3:]
    return low[:1].upper() + low[1:]


def repair_case(word: str, *, initials_ok: bool = False) -> str:
    """``PIERROT`` -> ``Pierrot``, ``jean-pierre`` -> ``Jean-Pierre``; mixed case is kept.

    ``initials_ok`` keeps two capitals that cannot be a syllable (``AJ``) in a name that is
    not shouted as a whole: they are initials, not a damaged name.
    """
    shouted = word.isupper()
    if not shouted and not word.islower():
        return word  # mixed case (or no cased letter at all): as its bearer writes it
    if word.isalpha():
        # A word of letters only, as most are, is one segment and no dotted initials: the
        # general steps below come down to these three.
        if len(word) == 1:
            return word.upper()
        if initials_ok and shouted and len(word) == 2 and word[1] not in "AEIOUYNR":
            return word
        return _capitalise_segment(word, False)
    letters = _letters(word)
    if not letters:
        return word
    if len(letters) == 1 or _DOTTED_INITIALS.fullmatch(word):
        return word.upper()  # "j" -> "J", "a.j.m." -> "A.J.M."
    if initials_ok and shouted and len(letters) == 2 and letters[1] not in "AEIOUYNR":
        return word  # "AJ", "TJ": initials; "LI", "YU", "AN", "HE" are names
    parts = _SEGMENT.split(word)
    out: list[str] = []
    for i, part in enumerate(parts):
        if i % 2:  # a separator
            out.append(part)
            continue
        after_apostrophe = i >= 2 and parts[i - 1] in _APOSTROPHES
        lower = after_apostrophe and parts[i - 2].lower() not in APOSTROPHE_PREFIXES
        out.append(_capitalise_segment(part, lower))
    return "".join(out)


def is_organisation(name: str) -> bool:
    """Two or more words that begin with ``The`` or hold an organisation word.

    Every author name passes through here, so the words are lower-cased in one call and looked
    up with set operations rather than word by word (lower-casing neither makes nor removes
    white space, so ``name.lower().split()`` are the lower-cased words). The words as written
    are only needed for ``ORGANISATION_WORDS_EXACT``, when one of them matches lower-cased.
    """
    return _is_organisation(name, name.lower())


def _is_organisation(name: str, lowered_name: str) -> bool:
    """``is_organisation`` given ``name.lower()``, which ``parse_name`` has already made."""
    lowered = lowered_name.split()
    if len(lowered) < 2:
        return False
    if lowered[0] == "the":
        return True
    if "," in name or "(" in name or ")" in name:
        lowered = [w.strip(",()") for w in lowered]
    if _ORGANISATION_CUES.isdisjoint(lowered):
        return False  # nearly every name: one set operation
    if not ORGANISATION_WORDS.isdisjoint(lowered):
        return True
    return not ORGANISATION_WORDS_EXACT.isdisjoint(name.split())


_CJK = (
    "[\u3040-\u30ff"  # hiragana, katakana
    "\u3400-\u9fff"  # CJK ideographs
    "\uac00-\ud7af"  # hangul syllables
    "\u1100-\u11ff"  # hangul jamo
    "\uf900-\ufaff"
    "\U00020000-\U0002fa1f]"
)
_CJK_LOW = "\u1100"  # the lowest code point _CJK holds
# _CJK's ranges as code points, for _has_cjk, which does without the regex.
_CJK_RANGES = (
    (0x3040, 0x30FF),
    (0x3400, 0x9FFF),
    (0xAC00, 0xD7AF),
    (0x1100, 0x11FF),
    (0xF900, 0xFAFF),
    (0x20000, 0x2FA1F),
)


@cache  # a name's characters recur across names
def _is_cjk_char(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _CJK_RANGES)


def _has_cjk(name: str) -> bool:
    """``_CJK`` occurs in ``name``; the ``max`` test rules out most names at once.

    Character by character rather than with ``_CJK`` compiled: re walks each of the ~40,000
    code points of its BMP ranges to compile it (~6 ms, 20 M instructions, in each process
    that meets a name with anything at or above U+1100, as every Vietnamese name with
    ``ạ`` or ``ễ`` has), and the few names that get this far are short.
    tests/test_startup_lazy.py checks that it finds what ``_CJK`` finds.
    """
    return max(name, default="") >= _CJK_LOW and any(map(_is_cjk_char, name))


def _is_cjk(name: str) -> bool:
    """Han ideographs, kana or hangul anywhere in the name."""
    return not name.isascii() and _has_cjk(name)


@lru_cache(maxsize=1 << 16)  # authors recur across a venue's papers; Person is immutable
def parse_name(raw: str) -> Person | None:
    """One author as written in a listing (or ``Family, Given``) -> Person; None if empty."""
    name = collapse_space(raw).strip(" ,;")
    if not name:
        return None
    lowered = name.lower()
    if lowered in ET_AL:
        return Person(literal="others")
    space = name.find(" ")
    if space > 0 and name.find(" ", space + 1) < 0:
        person = _parse_two_words(name, lowered, space)  # most names: see its docstring
        if person is not None:
            return person
    if "," in name:
        return _parse_inverted(name)
    if _is_cjk(name) or _is_organisation(name, lowered):
        return Person(literal=name)
    words = name.split(" ")
    person = _parse_plain(name, words)  # most names: see its docstring
    return person if person is not None else _parse_words(words)


# Each distinct name parse_names has met, and its Person: one object per name, which the writers
# look up by identity (formats.ByPerson). Bounded like parse_name's cache.
_PERSONS: dict[str, Person] = {}
_PERSONS_MAX = 1 << 16


def parse_names(raw: Sequence[str], tidy: bool = False) -> tuple[Person, ...]:
    """``parse_name`` of each of one paper's authors, the empty ones dropped.

    Each name is looked up first among those already read. What ``parse_name`` asks of a
    name before it reads it as two words (is it its own collapse_space and strip, does it
    hold a comma, a bracket, CJK script?) is asked of all the paper's names at once
    (_plain_names); then a name of two words (three in four) is read here as
    ``_parse_two_words`` reads it, once it is neither "et al." nor an organisation, and any
    other goes to ``parse_name``. Inline, and with ``partition`` rather than ``find``
    (whose arguments are parsed at a cost of a thousand instructions a call): this runs for
    every author of every paper. tests/test_read4_fast.py checks that it gives what
    ``parse_name`` gives. ``tidy``: see _plain_names (tests/test_read8_fast.py).
    """
    persons = _PERSONS
    if len(persons) >= _PERSONS_MAX:
        persons.clear()
    get = persons.get
    plain = -1  # _plain_names, once a name is not known
    out: list[Person] = []
    for name in raw:
        person = get(name)
        if person is None:
            if plain < 0:
                plain = _plain_names(raw, tidy)
            given, _, family = name.partition(" ")
            if not plain or not family:
                pass  # parse_name reads it
            elif " " in family:
                person = _plain_words(name, plain == _PLAIN_CJK)
            else:
                # name.lower().partition(" "), cheaper: lower-casing is letter by letter
                # but for a final sigma, which ends a word in either case
                low_given = given.lower()
                if (
                    low_given == "the"
                    or low_given in _ORGANISATION_CUES
                    or family.lower() in _TWO_WORD_STOPS
                    or (plain == _PLAIN_CJK and _has_cjk(name))
                ):
                    pass  # parse_name reads it otherwise
                else:
                    if given.isupper() or given.islower():
                        given = repair_case(given, initials_ok=not name.isupper())
                    if family.isupper() or family.islower():
                        family = repair_case(family)
                    person = new_person(given, family)  # Person(given, family), cheaper
            if person is None:
                person = parse_name(name)
                if person is None:
                    continue  # an empty name
            persons[name] = person
        out.append(person)
    return tuple(out)


# The last words, lower-cased, of a name of two words that is not read as one: an organisation
# word, or the end of "et al." (ET_AL, where every name of two words ends in one of these).
_TWO_WORD_STOPS = _ORGANISATION_CUES | {"al", "al.", "al..", "others"}


def _plain_words(name: str, cjk: bool) -> Person | None:
    """``parse_name(name)`` for a name of three words or more that _plain_names passed (``cjk``
    if it may hold CJK script): its steps that can change such a name (none is "et al.",
    which is two words at most); None if it is CJK script or an organisation."""
    if cjk and _has_cjk(name):
        return None
    lowered = name.lower()
    if _PLAIN_WORD_STOPS.isdisjoint(lowered.split(" ")):
        person = _mixed_words(name)
        if person is not None:
            return person
    if _is_organisation(name, lowered):
        return None
    words = name.split(" ")
    person = _parse_plain(name, words)
    return person if person is not None else _parse_words(words)


# What _plain_names says of a paper's names.
_NOT_PLAIN, _PLAIN, _PLAIN_CJK = 0, 1, 2
# The bytes that are not the first byte of a character at or above U+1000 in UTF-8.
_BELOW_U1000 = bytes(range(0xE1))


def _plain_names(raw: Sequence[str], tidy: bool = False) -> int:
    """Whether each name of ``raw`` is its own ``collapse_space(name).strip(" ,;")``
    (printable, NFC, no space at either end or two in a row, no ";" or ",") and holds no
    bracket: _PLAIN, or _PLAIN_CJK if a name may hold CJK script; else _NOT_PLAIN.

    The names are looked at joined by a space, which composes with nothing: the line is NFC
    if and only if each name is, and it holds two spaces in a row, or one at either end, if
    and only if a name does or is empty.

    ``tidy``: the names are a tidy entry's (formats.listing.ListingEntry.tidy_title), cut
    from a line that is its own collapse_space, with no space or ";" at either end, none
    empty: each is its own collapse_space, and only the ";", ",", brackets and CJK script
    are left to look for (the scans for the rest, NFC's above all, cost more than those).
    """
    line = " ".join(raw)
    if not tidy and (not line.isprintable() or "  " in line or line[:1] == " " or line[-1:] == " "):
        return _NOT_PLAIN
    if ";" in line or "," in line or "(" in line or ")" in line:
        return _NOT_PLAIN
    if line.isascii():
        return _PLAIN
    if not tidy and not unicodedata.is_normalized("NFC", line):
        return _NOT_PLAIN
    # Every CJK character is at or above U+1100 (_CJK_LOW): a line without one needs no look.
    return _PLAIN_CJK if line.encode().translate(None, _BELOW_U1000) else _PLAIN


def _parse_two_words(name: str, lowered: str, space: int) -> Person | None:
    """A name of two words, ``Given Family``, as ``parse_name`` reads it; None if it may be
    anything else (a comma, Chinese, Japanese or Korean script, an organisation).

    Two words in three of every four names: this is ``parse_name``'s path for them (those
    tests, then ``_parse_plain``, which has no particle, suffix or agnomen to look for in two
    words) in one call, where a mixed-case word, as most are, needs no repair.
    ``tests/test_names_fast.py`` checks that it gives what the general path gives.

    ``name`` is collapsed and stripped, so ``space`` is its one space between two words.
    """
    if "," in name or "(" in name or ")" in name:
        return None
    if not name.isascii() and _has_cjk(name):
        return None
    if lowered.startswith("the ") or not _ORGANISATION_CUES.isdisjoint(lowered.split(" ")):
        return None  # an organisation, or a name with an organisation word: the general path
    given, family = name[:space], name[space + 1 :]
    if given.isupper() or given.islower():
        given = repair_case(given, initials_ok=not name.isupper())
    if family.isupper() or family.islower():
        family = repair_case(family)
    return new_person(given, family)  # Person(given, family), cheaper


# Words (lower-cased) that between the first and the last word of a name may start its family
# name or join two family names: a name with one takes the general path.
_INSIDE_STOPS = (
    PARTICLES | CONNECTORS | {w.lower() for w in CAPITALISED_PARTICLES | ARTICLE_PARTICLES}
)


def _is_agnomen(low: str) -> bool:
    """``_fold(low) in AGNOMENS`` for a lower-cased word, without _fold's Unicode work (a
    decomposition, and a Python loop over its characters) for most words: folding keeps each
    ASCII character but the dots and commas it strips at either end, so a word with another
    ASCII character than those of AGNOMENS' words is none of them (``Schütt``, ``Dupré``)."""
    if low.isascii():
        return low.strip(".,") in AGNOMENS
    if low.encode("ascii", "ignore").translate(None, _AGNOMEN_CHARACTERS):
        return False
    return _fold(low) in AGNOMENS


# The ASCII characters that may be left of a word that folds into one of AGNOMENS.
_AGNOMEN_CHARACTERS = (
    "".join(sorted({c for w in AGNOMENS for c in w if c.isascii()})).encode() + b".,"
)


# The lower-cased words that keep a name of three words or more off _mixed_words: every word
# that may make it an organisation, start or join its family name, or end it as a suffix or an
# agnomen (what _is_organisation and _parse_plain look for, in any word).
_PLAIN_WORD_STOPS = _ORGANISATION_CUES | _INSIDE_STOPS | SUFFIXES.keys() | AGNOMENS | {"the"}


def _mixed_words(name: str) -> Person | None:
    """``_parse_plain(name, name.split(" "))`` for a name of three words or more that
    _plain_words passed, none of whose words (lower-cased) is in _PLAIN_WORD_STOPS, when no
    word needs its case repaired: the first and last words in mixed case, each word between
    them in mixed case or up to three capitals (initials: "Charles L. Isbell"). The name is
    then its own given names and family name (``Cicero Nogueira Puigcerver``); else None.

    A third of the cost of the general steps (a quarter of a listing's names have three words
    or more, and nearly all of those are so); tests/test_read8_fast.py checks that both agree.
    """
    words = name.split(" ")
    first, last = words[0], words[-1]
    if first.isupper() or first.islower() or last.isupper() or last.islower() or name.isupper():
        return None
    for word in words[1:-1]:
        if word.islower() or (word.isupper() and len(word) > 3):
            return None
    low = last.lower()
    if _is_agnomen(low):
        return None  # "Neto.", "Júnior" spelt otherwise
    return new_person(name[: len(name) - len(last) - 1], last)  # Person(given, family)


def _parse_plain(name: str, words: list[str]) -> Person | None:
    """The common shape, ``Given [Given...] Family``, read without the general rules; else None.

    Most names hold no particle, connector, suffix or agnomen, and for them ``_parse_words``
    does a lot of looking (``_family_start`` tries every inner word against four rules) to
    conclude that the last word is the family name and the others are given names, each
    case-repaired. It reads a name differently only when the last of three or more words is a
    suffix or an agnomen, or an inner word is a particle, connector, capitalised particle or
    article: this rules those out with a few set look-ups on the lower-cased words (a superset
    of what ``_family_start`` matches), then repairs the words with the same helpers. Anything
    else returns None and goes the general way; tests/test_names_fast.py checks that both ways
    agree.

    ``name`` is ``words`` joined by single spaces, with no comma, not an organisation.
    """
    if len(words) > 2:
        last = words[-1].lower()
        if last in SUFFIXES or not _INSIDE_STOPS.isdisjoint([w.lower() for w in words[1:-1]]):
            return None  # "Hal Daumé III", "Guy Van den Broeck", "Manuel Montes y Gómez"
        if _is_agnomen(last):
            return None  # "A. H. Castro Neto"
    if "" in words:
        return None  # empty words are dropped by the general path
    shouted = name.isupper()
    if len(words) == 2:  # most names: one given name, without _repair_words' list and join
        given = repair_case(words[0], initials_ok=not shouted)
    else:
        given = _repair_words(words[:-1], shouted)
    return new_person(given, repair_case(words[-1]))  # Person(given, family), cheaper


def _suffix(word: str) -> str:
    """The written form of a suffix word, or "" if the word is not one."""
    return SUFFIXES.get(word.lower(), "")


def _parse_inverted(name: str) -> Person:
    """``Family, Given``, ``Family, Suffix, Given`` (BibTeX's forms) or ``Given Family, Jr.``."""
    parts = [p.strip() for p in name.split(",")]
    parts = [p for p in parts if p] or [name]
    if len(parts) == 1:
        return _parse_words(parts[0].split())
    if len(parts) == 2 and _suffix(parts[1]):
        person = _parse_words(parts[0].split())  # "Charles L. Isbell, Jr.", "King, Jr."
        return Person(person.given, person.family, person.particle, _suffix(parts[1]))
    family_words = parts[0].split()
    suffix = ""
    if len(parts) >= 3 and _suffix(parts[1]):
        suffix, given = _suffix(parts[1]), " ".join(parts[2:])
    elif len(parts) >= 3 and _suffix(parts[-1]):
        suffix, given = _suffix(parts[-1]), " ".join(parts[1:-1])
    else:
        given = " ".join(parts[1:])
    if not suffix and len(family_words) > 1 and _suffix(family_words[-1]):
        suffix = _suffix(family_words.pop())  # "Daumé III, Hal"
    whole = f"{given} {parts[0]}"
    shouted, quiet = _is_upper(whole), _is_lower(whole)
    particle_words: list[str] = []
    while len(family_words) > 1 and _is_particle(family_words, 0, shouted or quiet):
        particle_words.append(family_words.pop(0).lower())
    return Person(
        given=_repair_words(given.split(), shouted),
        family=_repair_family(family_words, shouted),
        particle=" ".join(particle_words),
        suffix=suffix,
    )


def _is_particle(words: Sequence[str], i: int, damaged: bool) -> bool:
    """A lower-case particle, or one in capitals when the rest of the name is shouted too."""
    word = words[i]
    if word.lower() not in PARTICLES:
        return False
    return _is_lower(word) or damaged or all(_is_upper(w) for w in words[i:])


def _repair_words(words: Sequence[str], shouted: bool) -> str:
    """Given names repaired; up to three capitals after the first word of a name that is not
    shouted as a whole are middle initials ("Bradley CA Brown", "Toni JB Liu").

    A loop rather than a generator: this is on every name's path.
    """
    if not words:
        return ""
    initials_ok = not shouted
    out = [repair_case(words[0], initials_ok=initials_ok)]
    for word in words[1:]:
        initials = initials_ok and _is_upper(word) and _letter_count(word) <= 3
        out.append(word if initials else repair_case(word, initials_ok=initials_ok))
    return " ".join(out)


def _repair_family(words: Sequence[str], shouted: bool) -> str:
    """Family words repaired, except particles and connectors inside it ("Sáez de Ocáriz")."""
    out = []
    for i, word in enumerate(words):
        inner = 0 < i < len(words) - 1
        if inner and (word.lower() in PARTICLES or word.lower() in CONNECTORS):
            out.append(word.lower() if _is_upper(word) or _is_lower(word) else word)
        else:
            out.append(repair_case(word, initials_ok=False))
    return " ".join(out)


def _looks_east_asian(words: Sequence[str], skip: int) -> bool:
    """The word at ``skip`` is a syllable of a Vietnamese, Chinese or Korean name, not a particle.

    So when the name has Vietnamese letters, another word is a Vietnamese family name, or a
    given name before it is a Chinese or Korean family name ("Diego De Cao" keeps its particle).
    """
    for i, word in enumerate(words):
        folded = _fold(word)
        if any(c in _VIETNAMESE_LETTERS for c in word):
            return True
        if i != skip and folded in VIETNAMESE_FAMILY_NAMES:
            return True
        if i < skip and folded in EAST_ASIAN_FAMILY_NAMES:
            return True
    return False


def _family_start(words: Sequence[str], shouted: bool, quiet: bool) -> tuple[int, int]:
    """Where the family name starts, and where its particle ends (== start if none)."""
    damaged = shouted or quiet
    n = len(words)
    for i in range(1, n - 1):
        word = words[i]
        if _is_particle(words, i, damaged):
            # Only a particle written in lower case in a name that is not is sure to be one.
            if not (_is_lower(word) and not quiet) and _looks_east_asian(words, skip=i):
                break
            end = i
            while end < n - 1 and _is_particle(words, end, damaged):
                end += 1
            if word.lower() in PULLING_PARTICLES and i >= 2 and not _is_initial(words[i - 1]):
                return i - 1, i - 1  # "Schroeder de Witt": one compound family name
            return i, end
        if word in CONNECTORS and not damaged and i >= 2 and not _is_initial(words[i - 1]):
            return i - 1, i - 1  # "Montes y Gómez"
        if word in CAPITALISED_PARTICLES and not damaged:
            if _looks_east_asian(words, skip=i):
                break
            return i, i
    if n >= 3 and words[n - 2] in ARTICLE_PARTICLES and not _looks_east_asian(words, n - 2):
        return n - 2, n - 2
    if n >= 3 and _fold(words[-1]) in AGNOMENS and not _is_initial(words[-2]):
        return n - 2, n - 2
    return n - 1, n - 1


def _parse_words(words: list[str]) -> Person:
    """``Given [particles] Family [Suffix]``, by the rules in the module docstring."""
    words = [w for w in words if w]
    whole = " ".join(words)
    shouted, quiet = _is_upper(whole), _is_lower(whole)
    suffix = ""
    if len(words) > 2 and _suffix(words[-1].rstrip(",")):
        suffix = _suffix(words.pop().rstrip(","))
        words[-1] = words[-1].rstrip(",")
    if len(words) == 1:
        return Person(family=repair_case(words[0], initials_ok=False), suffix=suffix)
    start, particle_end = _family_start(words, shouted, quiet)
    return Person(
        given=_repair_words(words[:start], shouted),
        family=_repair_family(words[particle_end:], shouted),
        particle=" ".join(w.lower() for w in words[start:particle_end]),
        suffix=suffix,
    )


def split_authors(line: str) -> list[str]:
    """The ``Authors:`` value -> raw names: `` ; `` separates, ``,`` only when there is no ``;``."""
    sep = ";" if ";" in line else ","
    return [part for part in (p.strip() for p in line.split(sep)) if part]
