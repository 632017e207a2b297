"""Plain-English readings of indicator values, as the report's sentences.

Numbers are rounded only here, where text is written: two decimals for relative likelihoods,
one for percentages and percentage points.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from wres_analysis.indicators.declarations import INDICATORS, Indicator, declared
from wres_analysis.text.formatting import digits, format_value, interval_text

__all__ = [
    "CLEAR_VERDICTS",
    "HEADLINES",
    "HeadlineSpec",
    "change_phrase",
    "interval_phrase",
    "pooled_phrase",
    "reading",
    "zero_or_infinite_phrase",
]


@dataclass(frozen=True)
class HeadlineSpec:
    """Which row of the indicator table headlines an indicator, and how to say it."""

    indicator: str
    title: str
    measure: str
    breakdown: str
    sentence: str

    @classmethod
    def of(cls, indicator: Indicator) -> HeadlineSpec:
        """The headline of a declared indicator."""
        return cls(
            indicator.id,
            indicator.title,
            indicator.headline_measure,
            indicator.headline_breakdown,
            indicator.headline,
        )


#: The nine indicators' headlines, in order, from their declarations.
HEADLINES: tuple[HeadlineSpec, ...] = tuple(HeadlineSpec.of(item) for item in INDICATORS.values())


def _format(value: float, measure: str) -> str:
    return format_value(value, measure, missing="not defined")


def _mid_sentence(group: str) -> str:
    """A group as named inside a sentence: ``"white"``, ``"BME"``."""
    return group.lower() if group == "White" else group


def zero_or_infinite_phrase(indicator: str | Indicator, estimate: float) -> str | None:
    """What happened, in words, when a relative likelihood is 0 or infinite; else None.

    A ratio of 0 means no one in the group named first had the outcome, an infinite ratio
    that no one in the other group had it; "0.00 times as likely" or "inf times as likely"
    would hide that. The people and the outcome are read from the indicator's declared
    ``statement`` ("White applicants were {value} times as likely as BME applicants to be
    appointed from shortlisting"), e.g. "None of the BME applicants went on to be appointed
    from shortlisting (white applicants did), so the relative likelihood has no finite
    value".
    """
    item = declared(indicator)
    if item.kind != "relative_likelihood" or pd.isna(estimate):
        return None
    if estimate != 0 and estimate != float("inf"):
        return None
    head, tail = item.statement.split(" times as likely as ", 1)
    people = head.split(" ", 1)[1].split(" were ", 1)[0]
    action = tail.split(" to ", 1)[1]
    first = _mid_sentence(item.first)
    second = "BME" if item.first == "White" else "white"
    none, some = (first, second) if estimate == 0 else (second, first)
    value = "is 0" if estimate == 0 else "has no finite value"
    return (
        f"None of the {none} {people} went on to {action} ({some} {people} did), so the "
        f"relative likelihood {value}"
    )


def pooled_phrase(row: pd.Series) -> str:
    """', pooled over 2023 and 2024 (person-years)' for a row whose counts span two report
    years (``years_pooled`` 2, see :func:`wres_analysis.indicators.compute.pooled_years`);
    '' for a one-year row."""
    years = row.get("years_pooled", 1)
    if pd.isna(years) or int(years) < 2:
        return ""
    year = int(row["year"])
    return f", pooled over {year - int(years) + 1} and {year} (person-years)"


def interval_phrase(row: pd.Series) -> str:
    """'(95% CI 1.52 to 1.58)' at the row's own ``confidence``, or '' when there is no
    interval."""
    text = interval_text(row["lower"], row["upper"], row["measure"], row["confidence"], units=True)
    return f"({text})" if text else ""


#: Verdicts of a change that its interval supports (see wres_analysis.indicators.changes).
CLEAR_VERDICTS = ("improved", "worsened", "increased", "decreased")


def change_phrase(
    current: float,
    previous: float | None,
    previous_year: int | None,
    measure: str,
    verdict: str | None,
) -> str:
    """How the value moved since ``previous_year``, said only as far as ``verdict`` (the
    change's tested verdict) supports it.

    With a clear verdict (``improved``, ``worsened``, ``increased``, ``decreased``): "up
    from 1.54 in 2022" or "down from ...", and for a gap of the same sign both years "wider
    than" or "narrower than"; "slightly" when the two values look the same at the shown
    precision. With any other verdict: "no clear change from 1.54 in 2022" (the interval of
    the change includes no change). Nothing when there is no earlier value or no verdict (no
    comparable earlier year).
    """
    if previous is None or pd.isna(previous) or pd.isna(current) or verdict is None:
        return ""
    shown = _format(previous, measure)
    if verdict not in CLEAR_VERDICTS:
        return f"no clear change from {shown} in {previous_year}"
    places = digits(measure)
    slightly = "slightly " if round(current, places) == round(previous, places) else ""
    if measure == "difference_pp" and current * previous > 0:
        wider = abs(current) > abs(previous)
        return f"{slightly}{'wider' if wider else 'narrower'} than {shown} in {previous_year}"
    direction = "up" if current > previous else "down"
    return f"{slightly}{direction} from {shown} in {previous_year}"


def _value(context: pd.DataFrame, measure: str, breakdown: str | None = None) -> float:
    rows = context[context["measure"] == measure]
    if breakdown is not None:
        rows = rows[rows["breakdown"] == breakdown]
    return float(rows["estimate"].iloc[0]) if len(rows) else float("nan")


def reading(
    spec: HeadlineSpec,
    context: pd.DataFrame,
    previous_context: pd.DataFrame | None,
    year: int,
    verdict: str | None = None,
) -> str:
    """One sentence stating the indicator's value, interval and change since the year before.

    ``context`` holds one area's rows of the indicator for ``year`` (all measures and
    breakdowns); ``previous_context`` the same for the latest earlier year, or None;
    ``verdict`` the tested verdict of the change between them
    (:func:`wres_analysis.indicators.changes.change_between`): the sentence says the value
    went up or down only when the verdict is clear, and "no clear change" otherwise.
    """
    row = context[(context["measure"] == spec.measure) & (context["breakdown"] == spec.breakdown)]
    if row.empty:
        return f"No value for indicator {spec.indicator} in {year}."
    row = row.iloc[0]
    fields = {
        "value": _format(row["estimate"], spec.measure),
        "ci": interval_phrase(row),
        "bme": _format(_value(context, "pct_bme", spec.breakdown), "pct_bme"),
        "white": _format(_value(context, "pct_white", spec.breakdown), "pct_white"),
        "board": _format(_value(context, "pct_bme", "voting board members"), "pct_bme"),
        "staff": _format(_value(context, "pct_bme", "workforce"), "pct_bme"),
    }
    instead = zero_or_infinite_phrase(spec.indicator, row["estimate"])
    sentence = spec.sentence if instead is None else f"{instead} {{ci}}"
    text = sentence.format(**fields).replace("  ", " ").rstrip() + pooled_phrase(row)
    if previous_context is not None and not previous_context.empty:
        before = previous_context[
            (previous_context["measure"] == spec.measure)
            & (previous_context["breakdown"] == spec.breakdown)
        ]
        if not before.empty:
            change = change_phrase(
                row["estimate"],
                before["estimate"].iloc[0],
                int(before["year"].iloc[0]),
                spec.measure,
                verdict,
            )
            if change:
                text = f"{text}, {change}"
    return f"{text}."
