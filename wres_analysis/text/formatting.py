"""How numbers are written in the report's text: values, levels, intervals and ranges.

The one home for these rules, so that a table's reading, a chart's alt text and a chapter's
introduction round and word the same value the same way: two decimals for relative
likelihoods, one for percentages and percentage points, and a level such as 0.95 as "95%".
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from wres_analysis.stats.classify import RATIO_DECIMALS

__all__ = [
    "confidence_text",
    "digits",
    "format_value",
    "interval_cell",
    "interval_text",
    "number_text",
    "listed",
    "mid_sentence",
    "percent_text",
    "range_text",
]


def digits(measure: str) -> int:
    """Decimal places a ``measure`` is shown with: 2 for relative likelihoods
    (:data:`~wres_analysis.stats.classify.RATIO_DECIMALS`, the precision they are classified
    against the non-adverse range at), else 1."""
    return RATIO_DECIMALS if measure == "relative_likelihood" else 1


def _missing(value: Any) -> bool:
    return value is None or bool(pd.isna(value))


def format_value(value: Any, measure: str, *, missing: str = "not defined") -> str:
    """A value of ``measure`` as text: ``"1.52"``, ``"+3.4 percentage points"``, ``"22.1%"``.

    A relative likelihood above 0 that would round to ``0.00`` is ``"less than 0.01"``: a
    printed 0.00 reads as "no one had the outcome", which is not what happened.

    ``missing`` is written for a missing value: the headline sentences say "not defined" (a
    relative likelihood with no one in a group), the charts' alt text "not available".
    """
    if _missing(value):
        return missing
    if measure == "relative_likelihood":
        smallest = 10.0**-RATIO_DECIMALS
        if 0 < value < smallest / 2:  # would print as 0.00, which says no one had the outcome
            return f"less than {smallest:.{RATIO_DECIMALS}f}"
        return f"{value:.{RATIO_DECIMALS}f}"
    if measure == "difference_pp":
        return f"{value:+.1f} percentage points"
    return f"{value:.1f}%"


def percent_text(level: float) -> str:
    """A level as a percentage with no needless digits: 0.95 -> ``"95%"``, 0.998 -> ``"99.8%"``."""
    return f"{float(level) * 100:g}%"


def confidence_text(confidence: Any, *, default: float | None = None) -> str:
    """A confidence level as ``"95%"``; a missing level is ``default``, or an error without one.

    Raises
    ------
    ValueError
        When ``confidence`` is missing and no ``default`` is given.
    """
    if _missing(confidence):
        if default is None:
            raise ValueError("the confidence level is missing and no default was given")
        confidence = default
    return percent_text(float(confidence))


def interval_text(
    lower: Any, upper: Any, measure: str, confidence: Any, *, units: bool = False
) -> str:
    """``"95% CI 1.52 to 1.58"`` (``units=True`` adds ``%`` to percentages), or ``""`` when
    either end is missing. The level is written from ``confidence``, never assumed. An
    infinite limit is said in words, ``"95% CI from 0.81; the upper limit is unbounded"``,
    never printed as ``inf``."""
    if _missing(lower) or _missing(upper):
        return ""
    places = digits(measure)
    unit = "%" if units and measure.startswith("pct") else ""
    level = confidence_text(confidence)
    low, high = float(lower), float(upper)
    if math.isinf(low) and math.isinf(high):
        return f"{level} CI unbounded at both ends"
    if math.isinf(high):
        return f"{level} CI from {low:.{places}f}{unit}; the upper limit is unbounded"
    if math.isinf(low):
        return f"{level} CI up to {high:.{places}f}{unit}; the lower limit is unbounded"
    return f"{level} CI {low:.{places}f}{unit} to {high:.{places}f}{unit}"


def range_text(band: tuple[float, float]) -> str:
    """A range of relative likelihoods as ``"0.80 to 1.25"``."""
    low, high = band
    return f"{low:.2f} to {high:.2f}"


def listed(items: list[str] | tuple[str, ...]) -> str:
    """Items as a reader lists them: ``"2"``, ``"2 and 3"``, ``"2, 3 and 4"``."""
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def mid_sentence(text: str) -> str:
    """``text`` as it reads inside a sentence: its first word's capital lowered ("Relative
    likelihood" -> "relative likelihood"), unless that word is an abbreviation in capitals
    ("BME share of the workforce", "VSM") or starts with no letter ("% of White staff")."""
    first = text.split(" ", 1)[0]
    if (len(first) > 1 and first.isupper()) or not first[:1].isalpha():
        return text
    return text[:1].lower() + text[1:]


def number_text(value: Any, places: int, *, thousands: bool = False) -> str:
    """A number to ``places`` decimals, never ``"-0.00"``: a value that rounds to zero is
    written without a sign (a table reading "-0.0" says the figure is below zero when it
    is not). ``thousands`` adds separators (``"1,234"``)."""
    text = f"{float(value):{',' if thousands else ''}.{places}f}"
    if text.startswith("-") and not any(ch in "123456789" for ch in text):
        text = text[1:]
    return text


def interval_cell(
    estimate: Any,
    lower: Any,
    upper: Any,
    measure: str,
    *,
    missing: str = "",
    withheld: str | None = None,
) -> str:
    """A value with its interval as a table cell: ``"1.59 (1.58 to 1.60)"``, ``"28.6 (28.5 to
    28.7)"``; the unit is in the column's header.

    A value disclosure control withheld (any of the three is the text ``withheld``, the
    rule's symbol) is that symbol; a missing value is ``missing``; a value without an
    interval is the value alone; an unbounded limit is written "unbounded"."""
    values = (estimate, lower, upper)
    if withheld is not None and any(isinstance(v, str) and v == withheld for v in values):
        return withheld
    if any(isinstance(v, str) for v in values):  # text other than the symbol: shown as is
        return " ".join(str(v) for v in values if isinstance(v, str))
    if _missing(estimate):
        return missing
    places = digits(measure)

    def shown(value: float) -> str:
        if math.isinf(value):
            return "unbounded"
        if measure == "relative_likelihood" and 0 < value < 10.0**-places / 2:
            return f"less than {10.0**-places:.{places}f}"
        return number_text(value, places)

    head = shown(float(estimate))
    if _missing(lower) or _missing(upper):
        return head
    return f"{head} ({shown(float(lower))} to {shown(float(upper))})"
