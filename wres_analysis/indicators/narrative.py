"""Plain-English readings of indicator values, as the report's sentences.

Numbers are rounded only here, where text is written: two decimals for relative likelihoods,
one for percentages and percentage points.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["HEADLINES", "HeadlineSpec", "change_phrase", "interval_phrase", "reading"]


@dataclass(frozen=True)
class HeadlineSpec:
    """Which row of the indicator table headlines an indicator, and how to say it."""

    indicator: str
    title: str
    measure: str
    breakdown: str
    sentence: str


HEADLINES: tuple[HeadlineSpec, ...] = (
    HeadlineSpec(
        "1",
        "BME share of the workforce",
        "pct_bme",
        "all staff",
        "{value} of staff of known ethnicity were BME {ci}",
    ),
    HeadlineSpec(
        "2",
        "Appointment from shortlisting",
        "relative_likelihood",
        "appointed from shortlisting",
        "White applicants were {value} times as likely as BME applicants to be "
        "appointed from shortlisting {ci}",
    ),
    HeadlineSpec(
        "3",
        "Entering the formal disciplinary process",
        "relative_likelihood",
        "entering the formal disciplinary process",
        "BME staff were {value} times as likely as white staff to enter the formal "
        "disciplinary process {ci}",
    ),
    HeadlineSpec(
        "4",
        "Non-mandatory training and CPD",
        "relative_likelihood",
        "accessing non-mandatory training and CPD",
        "White staff were {value} times as likely as BME staff to access "
        "non-mandatory training and CPD {ci}",
    ),
    HeadlineSpec(
        "5",
        "Harassment from patients and the public",
        "difference_pp",
        "harassment, bullying or abuse from patients, relatives or the public",
        "{bme} of BME staff and {white} of white staff experienced harassment, "
        "bullying or abuse from patients, relatives or the public: a gap of {value} "
        "{ci}",
    ),
    HeadlineSpec(
        "6",
        "Harassment from staff",
        "difference_pp",
        "harassment, bullying or abuse from staff",
        "{bme} of BME staff and {white} of white staff experienced harassment, "
        "bullying or abuse from other staff: a gap of {value} {ci}",
    ),
    HeadlineSpec(
        "7",
        "Equal opportunities for progression",
        "difference_pp",
        "believing the organisation provides equal opportunities for career progression",
        "{bme} of BME staff and {white} of white staff believed their organisation "
        "provides equal opportunities for career progression or promotion: a gap of "
        "{value} {ci}",
    ),
    HeadlineSpec(
        "8",
        "Discrimination from managers or colleagues",
        "difference_pp",
        "discrimination at work from a manager or colleagues",
        "{bme} of BME staff and {white} of white staff personally experienced "
        "discrimination at work from a manager or colleagues: a gap of {value} {ci}",
    ),
    HeadlineSpec(
        "9",
        "Voting board members vs the workforce",
        "difference_pp",
        "voting board minus workforce",
        "BME people were {board} of voting board members against {staff} of the "
        "workforce: a difference of {value} {ci}",
    ),
)


def _format(value: float, measure: str) -> str:
    if pd.isna(value):
        return "not defined"
    if measure == "relative_likelihood":
        return f"{value:.2f}"
    if measure == "difference_pp":
        return f"{value:+.1f} percentage points"
    return f"{value:.1f}%"


def interval_phrase(row: pd.Series) -> str:
    """'(95% CI 1.52 to 1.58)', or '' when there is no interval."""
    if pd.isna(row["lower"]) or pd.isna(row["upper"]):
        return ""
    digits = 2 if row["measure"] == "relative_likelihood" else 1
    unit = (
        ""
        if row["measure"] == "relative_likelihood"
        else ("%" if row["measure"].startswith("pct") else "")
    )
    level = f"{row['confidence'] * 100:g}%"
    return f"({level} CI {row['lower']:.{digits}f}{unit} to {row['upper']:.{digits}f}{unit})"


def change_phrase(
    current: float, previous: float | None, previous_year: int | None, measure: str
) -> str:
    """'up from 1.54 in 2022', 'down from ...', 'unchanged from ...' at the shown precision;
    for a gap of the same sign both years, 'narrower than' or 'wider than'."""
    if previous is None or pd.isna(previous) or pd.isna(current):
        return ""
    shown = _format(previous, measure)
    digits = 2 if measure == "relative_likelihood" else 1
    if round(current, digits) == round(previous, digits):
        return f"unchanged from {previous_year}"
    if measure == "difference_pp" and current * previous > 0:
        wider = abs(current) > abs(previous)
        return f"{'wider' if wider else 'narrower'} than {shown} in {previous_year}"
    direction = "up" if current > previous else "down"
    return f"{direction} from {shown} in {previous_year}"


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
) -> str:
    """One sentence stating the indicator's value, interval and change since the year before.

    ``context`` holds one area's rows of the indicator for ``year`` (all measures and
    breakdowns); ``previous_context`` the same for the latest earlier year, or None.
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
    text = spec.sentence.format(**fields).replace("  ", " ").rstrip()
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
            )
            if change:
                text = f"{text}, {change}"
    return f"{text}."
