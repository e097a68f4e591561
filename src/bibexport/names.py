"""Author strings -> Person: splitting into given/family, particles, suffixes, case repair.

Case is repaired only where a part was clearly damaged (all capitals or all lower case), since
mixed case (``LeCun``, ``Ping-yeh``) is how people write their own names.
"""

from __future__ import annotations

import re

from .model import Person
from .text import collapse_space

# Lower-case words that belong to the family name when they stand before it.
PARTICLES = frozenset(
    """van von der den de del della dello dei degli delle di da das dos du la le les lo zu zur
    ter ten vom am im bin ibn al el af av auf d' dall' y""".split()
)
# Sets of particles that run together in one family name ("van der", "de la", "von der").
SUFFIXES = {"jr": "Jr.", "jr.": "Jr.", "sr": "Sr.", "sr.": "Sr.", "ii": "II", "iii": "III"}
SUFFIXES |= {"iv": "IV"}
_ORGANISATION = re.compile(
    r"^(the\s)|\b(team|consortium|collaboration|group|project|initiative|inc\.?|ltd\.?|"
    r"corporation|laboratory|lab|institute|university|foundation|community)$",
    re.IGNORECASE,
)
ET_AL = frozenset({"others", "et al.", "et al", "et. al.", "and others"})
_SEGMENT = re.compile(r"([-'’])")


def _is_lower(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return bool(letters) and all(c.islower() for c in letters)


def _is_upper(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _capitalise_segment(segment: str) -> str:
    low = segment.lower()
    if len(low) > 3 and low.startswith("mc") and low[2].isalpha():
        return "Mc" + low[2].upper() + low[3:]
    return low[:1].upper() + low[1:]


def repair_case(word: str, *, initials_ok: bool = False) -> str:
    """``PIERROT`` -> ``Pierrot``, ``jean-pierre`` -> ``Jean-Pierre``; mixed case is kept.

    ``initials_ok`` keeps two capitals that cannot be a syllable (``AJ``) in a name that is
    not shouted as a whole: they are initials, not a damaged name.
    """
    letters = [c for c in word if c.isalpha()]
    if not letters or not (_is_upper(word) or _is_lower(word)):
        return word
    if len(letters) == 1:
        return word.upper()
    if initials_ok and _is_upper(word) and len(letters) == 2 and letters[1] not in "AEIOUYNR":
        return word  # "AJ", "TJ": initials; "LI", "YU", "AN" are names
    return "".join(
        part if part in "-'’" else _capitalise_segment(part) for part in _SEGMENT.split(word)
    )


def is_organisation(name: str) -> bool:
    return bool(_ORGANISATION.search(name))


def parse_name(raw: str) -> Person | None:
    """One author as written in a listing (or ``Family, Given``) -> Person; None if empty."""
    name = collapse_space(raw).strip(" ,;")
    if not name:
        return None
    if name.lower() in ET_AL:
        return Person(literal="others")
    if "," in name:
        return _parse_inverted(name)
    if is_organisation(name):
        return Person(literal=name)
    return _parse_words(name.split(" "))


def _parse_inverted(name: str) -> Person:
    """``Family, Given`` or ``Family, Suffix, Given`` (BibTeX's forms)."""
    parts = [p.strip() for p in name.split(",")]
    family_words = parts[0].split()
    suffix = ""
    if len(parts) >= 3:
        suffix, given = parts[1], " ".join(parts[2:])
    else:
        given = parts[1]
        if given.lower() in SUFFIXES:  # "Daumé III, Hal" style mistakes aside: "King, Jr."
            suffix, given = given, ""
    whole = f"{given} {parts[0]}"
    shouted, quiet = _is_upper(whole), _is_lower(whole)
    particle_words: list[str] = []
    while len(family_words) > 1 and _is_particle(family_words[0], shouted or quiet):
        particle_words.append(family_words.pop(0).lower())
    return Person(
        given=_repair_words(given.split(), shouted),
        family=_repair_words(family_words, shouted),
        particle=" ".join(particle_words),
        suffix=SUFFIXES.get(suffix.lower(), suffix),
    )


def _is_particle(word: str, damaged: bool) -> bool:
    return word.lower() in PARTICLES and (_is_lower(word) or damaged)


def _repair_words(words: list[str], shouted: bool) -> str:
    return " ".join(repair_case(w, initials_ok=not shouted) for w in words)


def _parse_words(words: list[str]) -> Person:
    """``Given [particles] Family [Suffix]``: the last word is the family name."""
    whole = " ".join(words)
    shouted, quiet = _is_upper(whole), _is_lower(whole)
    suffix = ""
    if len(words) > 2 and words[-1].lower() in SUFFIXES:
        suffix = SUFFIXES[words.pop().lower()]
        words[-1] = words[-1].rstrip(",")
    if len(words) == 1:
        return Person(family=repair_case(words[0], initials_ok=False), suffix=suffix)
    family = words[-1]
    rest = words[:-1]
    particle_words: list[str] = []
    while len(rest) > 1 and _is_particle(rest[-1], shouted or quiet):
        particle_words.insert(0, rest.pop().lower())
    return Person(
        given=_repair_words(rest, shouted),
        family=repair_case(family, initials_ok=False),
        particle=" ".join(particle_words),
        suffix=suffix,
    )


def split_authors(line: str) -> list[str]:
    """The ``Authors:`` value -> raw names: `` ; `` separates, ``,`` only when there is no ``;``."""
    sep = ";" if ";" in line else ","
    return [part for part in (p.strip() for p in line.split(sep)) if part]
