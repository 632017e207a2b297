"""Read an ethnicity cell in any spelling the NHS uses, or say why it cannot be read safely.

Exports carry the NHS Data Dictionary ethnic category code (``A``), its description (``White -
British``), both (``A White - British``), a two-character local code whose first character is
the national code (``CA`` English, ``LH`` British Asian: the Data Dictionary lets the second
character be used locally), the WRES group itself (``White``, ``BME``) or one of the five
2001-census groups (``Mixed``, ``Asian``, ``Black``, ``Other``: a process table may record
groups rather than codes). Every one of them is
read here, once, so ``wres validate`` and every importer agree. A value that could mean two
things (``T`` is Traveller in one NHS system and Arab in another; ``NK`` may be "not known" or
a local African code) is refused with a hint, never guessed: a wrong guess would move staff
between the groups every indicator compares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from wres_analysis.contract import (
    DETAILED_GROUP_NAMES,
    DETAILED_GROUPS,
    ETHNIC_CODES,
    ETHNIC_DESCRIPTIONS,
    ETHNIC_GROUPS,
    detailed_group_of,
)

__all__ = ["EXPECTED", "Reading", "national_letters", "read_ethnicity"]


@dataclass(frozen=True)
class Reading:
    """An ethnicity value read: ``ethnicity`` is the canonical value stored in the table (the
    group name, or the code upper-cased, local codes kept), ``code`` the national code (``""``
    when only a group was given) and ``group`` White, BME or Unknown."""

    ethnicity: str
    code: str
    group: str

    @property
    def detail(self) -> str:
        """The detailed group (White, Mixed, Asian, Black, Other), Unknown, or BME when only
        "BME" was given (its detailed group is not known)."""
        if self.code:
            return detailed_group_of(self.code) or "Unknown"
        if self.ethnicity in DETAILED_GROUPS:
            return self.ethnicity
        return self.group


#: What an ethnicity cell may hold, for messages.
EXPECTED = (
    "expected White, BME or Unknown; a 2001-census group (Mixed, Asian, Black, Other); an "
    "NHS ethnic category code (A-H, J-N, P, R, S; Z not "
    "stated; 99 not known), in any case; a two-character local code whose first character is "
    'one of those letters (e.g. CA); or the Data Dictionary description ("White - British", '
    'alone or after its code: "A White - British")'
)
#: How to fix a value the loader will not guess.
MAP_HINT = (
    "to map it, replace it in the ethnicity column with the code it stands for (e.g. with "
    "Find and Replace on that column), or with Unknown if its meaning is not known"
)
#: Values that are not safe to guess, and why.
_AMBIGUOUS: dict[str, str] = {
    "X": 'HES uses X for "not known", other systems for other things: if it means not known '
    "here, replace it with 99 (not known) or Z (not stated)",
    "T": "T means Traveller in one NHS system and Arab in another: replace it with C (or the "
    "local code CL Irish Traveller, CN Gypsy/Romany) if it means Traveller, or S if it means Arab",
    "NA": '"NA" is also written for "not applicable" or "not available": replace it with 99 '
    "(not known) if it means that, or with N if it is a local code for Black or Black British "
    "- African",
    "NK": '"NK" is also written for "not known": replace it with 99 if it means that, or with N '
    "if it is a local code for Black or Black British - African",
    "NS": '"NS" is also written for "not stated": replace it with Z if it means that, or with N '
    "if it is a local code for Black or Black British - African",
    "NO": '"NO" reads as the word "no", and as a local code it would be Black or Black '
    "British - African: replace it with the code it stands for",
}
#: A description's first word that names a group: a code followed by a description starting
#: with a word of another group (``A Asian ...``, ``N Not known``) contradicts itself.
_GROUP_WORDS: dict[str, str] = {
    "white": "ABC",
    "mixed": "DEFG",
    "asian": "HJKL",
    "black": "MNP",
    "chinese": "R",
    "not": "Z9",
    "unknown": "Z9",
    "prefer": "Z9",
    "declined": "Z9",
    "refused": "Z9",
}
_DASHES = re.compile(r"\s*[-\u2010-\u2015\u2212]\s*")
_CODE_AND_TEXT = re.compile(
    r"^(?P<code>[a-z][a-z0-9]?|99)(?:\s*[:.)]\s*|\s+)(?:-\s+)?(?P<text>\S.*)$"
)


def _normal(text: str) -> str:
    """'White – British' -> 'white - british': case, repeated spaces, kind of dash ignored."""
    folded = " ".join(text.casefold().split())
    return _DASHES.sub(" - ", folded).strip()


def national_letters() -> str:
    """The single-letter national codes (A-H, J-N, P, R, S, Z)."""
    return "".join(code for code in ETHNIC_CODES if len(code) == 1)


@cache
def _names() -> dict[str, Reading]:
    """Every whole value read without rules: group names, codes, descriptions, short names."""
    names: dict[str, Reading] = {"": Reading("Unknown", "", "Unknown")}
    for group in ETHNIC_GROUPS:
        names[group.casefold()] = Reading(group, "", group)
    names["bame"] = Reading("BME", "", "BME")  # the older name of the same group
    for detailed, full in DETAILED_GROUP_NAMES.items():
        group = "White" if detailed == "White" else "BME"
        names[detailed.casefold()] = names[_normal(full)] = Reading(detailed, "", group)
    for code, (short, group) in ETHNIC_CODES.items():
        reading = Reading(code, code, group)
        names[code.casefold()] = reading
        names[_normal(short)] = reading
        names[_normal(ETHNIC_DESCRIPTIONS[code])] = reading
    return names


def _local(code: str) -> Reading | str | None:
    """A one- or two-character code: its reading, why it is refused, or None if not a code."""
    upper = code.upper()
    if upper in _AMBIGUOUS:
        return f"is not safe to read: {_AMBIGUOUS[upper]}"
    if upper in ETHNIC_CODES:
        return Reading(upper, upper, ETHNIC_CODES[upper][1])
    if len(upper) == 2 and upper[0] in national_letters() and upper[1].isascii():
        national = upper[0]
        return Reading(upper, national, ETHNIC_CODES[national][1])
    return None


def read_ethnicity(value: str) -> Reading | str:
    """The reading of one ethnicity cell, or why it is refused (a phrase after the value)."""
    key = _normal(value)
    names = _names()
    if key in names:
        return names[key]
    if len(key) <= 2 and key.isalnum():
        local = _local(key)
        if local is not None:
            return local
    found = _CODE_AND_TEXT.match(key)
    if found:
        code, text = found["code"], found["text"]
        reading = _local(code)
        if isinstance(reading, Reading):
            return _with_text(reading, text, value)
        if isinstance(reading, str):
            return reading
    return f"is not an ethnicity; {EXPECTED}; {MAP_HINT}"


def _with_text(reading: Reading, text: str, value: str) -> Reading | str:
    """A code followed by a description: the code's reading, unless the description is
    another category's or starts with a word naming another group."""
    named = _names().get(text)
    if named is not None:
        if named.code == reading.code or (
            not named.code and named.detail in (reading.detail, reading.group)
        ):
            return reading
        what = (
            f"that of {named.code} ({ETHNIC_DESCRIPTIONS[named.code]})"
            if named.code
            else (f"the group {named.ethnicity}")
        )
        return (
            f"is not an ethnicity: code {reading.ethnicity} is "
            f"{ETHNIC_DESCRIPTIONS[reading.code]}, but the description after it is {what}; "
            f"expected a code and its own description; {MAP_HINT}"
        )
    first = text.split()[0].strip(",;:()")
    letters = _GROUP_WORDS.get(first)
    if letters is not None and reading.code[0] not in letters:
        return (
            f"is not an ethnicity: code {reading.ethnicity} is "
            f"{ETHNIC_DESCRIPTIONS[reading.code]}, but the description after it starts with "
            f'"{first}"; expected a code and a description that agree; {MAP_HINT}'
        )
    return reading
