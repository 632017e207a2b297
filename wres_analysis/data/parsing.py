"""Turn text cells into typed values, vectorised, with a reason for every value that fails.

Each parser returns the parsed Series and a Series of messages that is empty ("") where the
value was fine, so the validator can report every bad cell with its row.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from wres_analysis.contract import SEX_NOT_KNOWN, YEAR_RANGE
from wres_analysis.data.ethnicity import Reading, read_ethnicity

__all__ = [
    "FLAG_SPELLINGS",
    "SEX_SPELLINGS",
    "parse_choice",
    "parse_count",
    "parse_date",
    "parse_ethnicity",
    "parse_flag",
    "parse_sex",
    "parse_year",
]

_SEPARATOR = "[,\u00a0\u202f ]"
#: "1,234", "1 234" (a space, or the no-break spaces some locales use), "1,234.0".
_THOUSANDS = rf"^\d{{1,3}}(?:{_SEPARATOR}\d{{3}})+(?:\.0+)?$"
#: What spreadsheets put where a value is missing or suppressed: "n/a", "-", "*", "[c]".
_MISSING = r"(?i)n/?a|-+|\*+|\.\.|x|null|none|nil|unknown|suppressed|\[\w+\]"
#: Excel's error values: "#N/A", "#DIV/0!", "#REF!", "#VALUE!".
_SHEET_ERROR = r"#[A-Z0-9/]+[!?]?"
_WHOLE = r"^\d+(?:\.0+)?$"


def _quote(values: pd.Series) -> pd.Series:
    return '"' + values.str.slice(0, 40) + '"'


def parse_count(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Non-negative whole numbers; "1,234" and "1 234" (thousands separators) are read as 1234."""
    s = text.str.strip()
    s = s.where(~s.str.fullmatch(_THOUSANDS), s.str.replace(_SEPARATOR, "", regex=True))
    ok = s.str.fullmatch(_WHOLE)
    values = pd.Series(np.zeros(len(s), dtype="int64"), index=s.index)
    if ok.any():
        values[ok] = s[ok].str.replace(r"\.0+$", "", regex=True).astype("int64")
    messages = pd.Series("", index=s.index, dtype=object)
    bad = ~ok
    if bad.any():
        b = s[bad]
        shown = _quote(text[bad].str.strip())
        why = np.select(
            [
                b == "",
                b.str.fullmatch(_SHEET_ERROR),
                b.str.fullmatch(_MISSING),
                b.str.fullmatch(r"-\s*[\d,.]+"),
                b.str.fullmatch(r"-?[\d,.]+\s*%"),
                b.str.fullmatch(r"[\d,]*\.\d+|[\d,]+\.\d*"),
            ],
            [
                "is empty; expected a whole number of 0 or more",
                shown + " is a spreadsheet error, not a number; expected a whole number of 0 or "
                "more (fix the formula, or paste values)",
                shown + " marks a missing or suppressed value; expected the count itself (a "
                "whole number of 0 or more): the report applies its own suppression",
                shown + " is negative; expected a whole number of 0 or more",
                shown + " is a percentage; expected a count (a whole number of 0 or more)",
                shown + " is not a whole number; expected a count (a whole number of 0 or more)",
            ],
            default=shown + " is not a number; expected a whole number of 0 or more",
        )
        messages[bad] = why
    return values, messages


def parse_year(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """A WRES report year: four digits within the contract's range (see contract.YEAR_RANGE)."""
    s = text.str.strip().str.replace(r"\.0+$", "", regex=True)
    digits = s.str.fullmatch(r"\d{4}")
    values = pd.Series(np.zeros(len(s), dtype="int64"), index=s.index)
    if digits.any():
        values[digits] = s[digits].astype("int64")
    low, high = YEAR_RANGE
    ok = digits & values.between(low, high)
    messages = pd.Series("", index=s.index, dtype=object)
    messages[~ok] = (
        _quote(text[~ok].str.strip())
        + f" is not a year; expected the WRES report year as four digits ({low}-{high}), e.g. 2024"
    )
    messages[~ok & (s == "")] = "is empty; expected the WRES report year, e.g. 2024"
    return values, messages


def parse_choice(text: pd.Series, allowed: Sequence[str]) -> tuple[pd.Series, pd.Series]:
    """One of ``allowed``, ignoring case and surrounding spaces; stored in canonical spelling."""
    lookup = {a.lower(): a for a in allowed}
    key = text.str.strip().str.lower()
    values = key.map(lookup)
    bad = values.isna()
    messages = pd.Series("", index=text.index, dtype=object)
    if bad.any():
        listing = ", ".join(allowed)
        messages[bad] = (
            _quote(text[bad].str.strip()) + f" is not allowed; expected one of: {listing}"
        )
        messages[bad & (key == "")] = f"is empty; expected one of: {listing}"
    return values.fillna("").astype(object), messages


def parse_date(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """A calendar date written ``YYYY-MM-DD`` (what a spreadsheet's date cell is read as),
    kept as that text."""
    s = text.str.strip().str.replace(r"[ T]00:00:00$", "", regex=True)
    parsed = pd.to_datetime(s, format="%Y-%m-%d", errors="coerce")
    bad = parsed.isna()
    messages = pd.Series("", index=text.index, dtype=object)
    if bad.any():
        messages[bad] = _quote(text[bad].str.strip()) + (
            " is not a date; expected a date written YYYY-MM-DD, e.g. 2025-03-31"
        )
        messages[bad & (s == "")] = "is empty; expected a date written YYYY-MM-DD"
    return s.where(~bad, "").astype(object), messages


#: The spellings of a yes/no flag (lower case), as booleans.
FLAG_SPELLINGS: dict[str, bool] = {
    "yes": True,
    "y": True,
    "true": True,
    "1": True,
    "no": False,
    "n": False,
    "false": False,
    "0": False,
}


def parse_flag(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """yes/no (also y/n, true/false, 1/0) as booleans (:data:`FLAG_SPELLINGS`)."""
    key = text.str.strip().str.lower()
    values = key.map(FLAG_SPELLINGS)
    bad = values.isna()
    messages = pd.Series("", index=text.index, dtype=object)
    messages[bad] = _quote(text[bad].str.strip()) + " is not allowed; expected yes or no"
    return values.fillna(False).astype(bool), messages


def parse_ethnicity(
    text: pd.Series,
) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series, pd.Series]:
    """Ethnicity in any spelling :func:`~wres_analysis.data.ethnicity.read_ethnicity` reads.

    Returns the canonical value (codes kept, local ones too, so detailed-group breakdowns stay
    possible), the national code (``""`` when only a group was given), the White/BME/Unknown
    group, the detailed group (:attr:`~wres_analysis.data.ethnicity.Reading.detail`), and for
    each refused cell why (a phrase to follow the quoted value; ``""`` where the value was
    read). Each distinct value is read once.
    """
    given = text.str.strip()
    distinct = pd.unique(given)
    readings = {value: read_ethnicity(value) for value in distinct}
    values, codes, groups, details, messages = {}, {}, {}, {}, {}
    for value, reading in readings.items():
        if isinstance(reading, Reading):
            values[value], codes[value], groups[value], details[value] = (
                reading.ethnicity,
                reading.code,
                reading.group,
                reading.detail,
            )
            messages[value] = ""
        else:
            values[value] = codes[value] = groups[value] = details[value] = ""
            messages[value] = reading
    return (
        given.map(values).astype(object),
        given.map(codes).astype(object),
        given.map(groups).astype(object),
        given.map(details).astype(object),
        given.map(messages).astype(object),
    )


#: Spellings of the ``sex`` column (lower case) and the value each is stored as; any other
#: value, and a blank, is stored as :data:`~wres_analysis.contract.SEX_NOT_KNOWN`.
SEX_SPELLINGS: dict[str, str] = {
    "female": "female",
    "f": "female",
    "woman": "female",
    "women": "female",
    "male": "male",
    "m": "male",
    "man": "male",
    "men": "male",
}


def parse_sex(text: pd.Series) -> pd.Series:
    """The optional ``sex`` column: female or male (:data:`SEX_SPELLINGS`, any case), every
    other value and a blank not known. Never refused: sex is recorded in many ways, and
    what is not female or male is counted as not known, never dropped."""
    read = {v: SEX_SPELLINGS.get(str(v).strip().lower(), SEX_NOT_KNOWN) for v in pd.unique(text)}
    return text.map(read).astype(object)
