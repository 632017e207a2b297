"""Sentences for the chapters beyond the headline: range counts, funnels, Model Employer,
boards, and the infographic's tiles. Rounding happens here, where text is written."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from wres_analysis.disclosure import DisclosureRule, withheld_rows
from wres_analysis.indicators.compute import SENIOR_BREAKDOWN
from wres_analysis.indicators.declarations import NON_ADVERSE_RANGE
from wres_analysis.indicators.frame import COUNT_COLUMNS
from wres_analysis.indicators.funnel import FUNNEL_MIN_ORGANISATIONS
from wres_analysis.indicators.summaries import select
from wres_analysis.stats._validation import z_value
from wres_analysis.stats.funnel import FUNNEL_FDR, FUNNEL_LEVELS, outlier_column
from wres_analysis.text.formatting import confidence_text, interval_text, percent_text, range_text
from wres_analysis.text.headline import HEADLINES, change_phrase

__all__ = [
    "funnel_not_computed",
    "funnel_reading",
    "infographic_tiles",
    "parity_reading",
    "senior_parity_reading",
    "range_reading",
    "senior_gap_reading",
    "withheld_text",
]

_ORGANISATIONS = "organisations"


def _summary_confidence(summary: pd.DataFrame, confidence: float | None) -> float:
    """The level of the intervals behind a range summary: given, recorded by
    :func:`range_summary`, or the summary's ``confidence`` column."""
    if confidence is not None:
        return float(confidence)
    if summary.attrs.get("confidence") is not None:
        return float(summary.attrs["confidence"])
    if "confidence" in summary.columns:
        levels = summary["confidence"].dropna().unique()
        if len(levels) == 1:
            return float(levels[0])
    raise ValueError(
        "the summary does not record its intervals' confidence level: pass `confidence`"
    )


def range_reading(
    summary: pd.DataFrame,
    year: int,
    *,
    confidence: float | None = None,
    non_adverse: tuple[float, float] | None = None,
) -> str:
    """How many organisations were below, within and above the non-adverse range in ``year``
    and for how many of those outside it the interval excludes 1.

    ``confidence`` is the level of the intervals the summary counted as significant and
    ``non_adverse`` the range it classified by; each defaults to what :func:`range_summary`
    recorded on the summary (the indicator table's ``confidence``, the range it was given),
    and the range otherwise to the declared :data:`NON_ADVERSE_RANGE`.

    Raises
    ------
    ValueError
        When the confidence level is neither given nor recorded on the summary.
    """
    rows = summary[summary["year"] == year].set_index("category")
    if rows.empty:
        return f"No organisation reported in {year}."
    defined = int(rows.loc[["below", "within", "above"], _ORGANISATIONS].sum())
    above, within, below = (int(rows.loc[c, _ORGANISATIONS]) for c in ("above", "within", "below"))
    clear = int(rows.loc[["below", "above"], "significant"].sum())
    undefined = int(rows.loc["not defined", _ORGANISATIONS])
    if not defined:
        return f"No organisation had a defined relative likelihood in {year}."
    level = confidence_text(_summary_confidence(summary, confidence))
    band = non_adverse or summary.attrs.get("non_adverse") or NON_ADVERSE_RANGE

    def share(count: int) -> str:
        return f"{100 * count / defined:.0f}%"

    text = (
        f"In {year}, {above} of {defined} organisations ({share(above)}) were above the "
        f"non-adverse range of {range_text(band)}, {within} ({share(within)}) within it and "
        f"{below} ({share(below)}) below it. For {clear} of the {above + below} outside the "
        f"range the {level} interval excludes 1; for the rest the difference from equal "
        f"treatment could be chance."
    )
    if undefined:
        text += (
            f" {undefined} organisation{'s' if undefined != 1 else ''} had no defined relative "
            f"likelihood (no one, or no events, in a group)."
        )
    withheld = int(rows.loc["withheld", _ORGANISATIONS]) if "withheld" in rows.index else 0
    if withheld:
        text += f" {withheld_text(withheld)}"
    return text


def withheld_text(count: int) -> str:
    """Why ``count`` organisations are left out of counts of organisations by reading."""
    many = count != 1
    return (
        f"{count} organisation{'s' if many else ''} whose figure disclosure control withholds "
        f"{'are' if many else 'is'} not counted by {'their' if many else 'its'} reading, "
        f"which the counts would otherwise give away."
    )


def funnel_reading(
    points: pd.DataFrame,
    *,
    levels: Sequence[float] = FUNNEL_LEVELS,
    rule: DisclosureRule | None = None,
) -> str:
    """How many organisations lie outside the funnel's limits, and how many remain flagged
    after the Benjamini-Hochberg false-discovery-rate correction; for a funnel with no
    organisations (none can be drawn), :func:`funnel_not_computed`.

    ``levels`` are the limits ``points`` was computed with (:func:`funnel_points`' default,
    :data:`~wres_analysis.stats.funnel.FUNNEL_LEVELS`): the narrowest and the widest are
    described.

    With a disclosure ``rule``, the counts are of the organisations whose figure it publishes
    (those the chart shows): an organisation it withholds is tested and counts in the limits,
    but a count of flags that included it would give its flag away (the chart shows where the
    others lie). None counts every organisation.
    """
    ordered = sorted(float(level) for level in levels)
    inner, outer = ordered[0], ordered[-1]
    if not len(points):
        return funnel_not_computed()
    hidden = (
        withheld_rows(points, rule, counts=[c for c in COUNT_COLUMNS if c in points],
                      level_column=None)
        if rule is not None
        else np.zeros(len(points), dtype=bool)
    )
    everyone = points
    points = points[~hidden]
    total = len(points)
    left_off = (
        f" {int(hidden.sum())} organisation{'s' if hidden.sum() != 1 else ''} whose figure "
        f"disclosure control withholds {'are' if hidden.sum() != 1 else 'is'} tested and "
        f"counted in the limits, but not in these counts."
        if hidden.any()
        else ""
    )
    if not total:
        return (
            f"Every organisation's figure is withheld by disclosure control, so the funnel's "
            f"outliers are not counted.{left_off}"
        )
    outside = points[outlier_column(outer)]
    above_outer = int((outside & (points["z_adjusted"] > 0)).sum())
    below_outer = int((outside & (points["z_adjusted"] < 0)).sum())
    flagged = int(points["bh_flag"].sum())
    tau = everyone["tau2"].iloc[0]
    spread = _tau2_text(everyone)
    adjustment = (
        "after widening the limits for overdispersion (real variation between organisations "
        f"beyond chance: {spread})"
        if tau > 0
        else "(no overdispersion beyond chance was found)"
    )
    narrow = ""
    if inner != outer:
        outside_inner = int(points[outlier_column(inner)].sum())
        narrow = f"{outside_inner} lie outside the {percent_text(inner)} limits and "
    text = (
        f"Of {total} organisations, {narrow}{above_outer + below_outer} "
        f"{'outside' if narrow else 'lie outside'} the {percent_text(outer)} limits "
        f"({above_outer} above, {below_outer} below) {adjustment}. Allowing for the number of "
        f"organisations compared, {flagged} {'remains' if flagged == 1 else 'remain'} flagged "
        f"at a {percent_text(FUNNEL_FDR)} false discovery rate (Benjamini-Hochberg)."
    )
    if tau > 0 and "z" in points:
        chance = int((points["z"].abs() > z_value(outer)).sum())
        text += (
            f" Against chance alone (the lighter limits: does an organisation differ from "
            f"England?), {chance} lie outside the {percent_text(outer)} limits."
        )
    if "test" in points:
        exact = int((points["test"] == "exact mid-p").sum())
        if exact:
            text += (
                f" {exact} organisation{'s' if exact != 1 else ''} with few expected events "
                f"{'are' if exact != 1 else 'is'} tested exactly (conditional binomial, mid-p) "
                f"instead of by the normal approximation."
            )
    return text + left_off


def _tau2_text(points: pd.DataFrame) -> str:
    """'a variance of 0.079 on the log scale, 95% interval 0.031 to 0.125' from the points'
    ``tau2`` and, where present, its interval."""
    tau = float(points["tau2"].iloc[0])
    text = f"a variance of {tau:.3f} on the log scale"
    if "tau2_lower" in points and pd.notna(points["tau2_lower"].iloc[0]):
        low, high = float(points["tau2_lower"].iloc[0]), float(points["tau2_upper"].iloc[0])
        level = percent_text(float(points["tau2_confidence"].iloc[0]))
        text += f", {level} interval {low:.3f} to {high:.3f}"
    return text


def funnel_not_computed() -> str:
    """Why there is no funnel plot: said wherever one cannot be computed."""
    return (
        f"No funnel plot can be drawn for this year: it compares at least "
        f"{FUNNEL_MIN_ORGANISATIONS} organisations that have people in both groups with a "
        f"national figure, and these data have too few organisations, or no events in a group "
        f"nationally."
    )


def senior_gap_reading(table: pd.DataFrame, year: int, *, area_code: str = "ENG") -> str:
    """The BME share at Band 8a and above against the whole workforce in ``year``."""
    shares = select(table, indicator="1", measure="pct_bme", year=year, area_code=area_code)
    shares = shares.set_index("breakdown")["estimate"]
    if SENIOR_BREAKDOWN not in shares or "all staff" not in shares:
        return f"No Band 8a and above figures for {year}."
    senior, staff = shares[SENIOR_BREAKDOWN], shares["all staff"]
    return (
        f"At Band 8a and above (including very senior managers), {senior:.1f}% of staff were BME "
        f"against {staff:.1f}% of the whole workforce: a gap of {senior - staff:+.1f} percentage "
        f"points."
    )


def parity_reading(
    trajectory: pd.DataFrame,
    year: int,
    *,
    subject: str | None = None,
    senior: str = "Band 8a and above",
) -> str:
    """Where the senior BME share stands against the Model Employer line to parity, for
    England or, with ``subject``, for one organisation: the representation ratio with its
    interval, the trajectory's ratio and share that year, and whether the interval shows the
    share behind or ahead of the trajectory (see
    :func:`~wres_analysis.indicators.model_employer_trajectory`); ``senior`` names the level
    the trajectory is of."""
    if trajectory.empty:
        whose = f" for {subject}" if subject else ""
        return (
            f"No {senior} share{whose} in any year (not reported, or withheld by disclosure "
            f"control because a count is small), so there is no line to parity to compare "
            f"with."
        )
    row = trajectory[trajectory["year"] == year]
    if row.empty or pd.isna(row["actual_pct"].iloc[0]):
        return (
            f"No {senior} share for {year} to compare with the trajectory (not "
            f"reported, or withheld by disclosure control because a count is small)."
        )
    row = row.iloc[0]
    last = trajectory.iloc[-1]
    whose = f" for {subject}" if subject else ""
    position = "ahead of" if row["gap_pp"] >= 0 else "behind"
    text = (
        f"Parity{whose} by {int(last['year'])} means a {senior} BME share equal to "
        f"the whole workforce's: a representation ratio (senior share / workforce share) of 1. "
        f"On a straight line from {_ratio_text(trajectory.iloc[0]['ratio'])} in "
        f"{int(trajectory['year'].iloc[0])}, the ratio in {year} would be "
        f"{_ratio_text(row['target_ratio'])}, a senior share of {row['target_pct']:.1f}% against a "
        f"workforce share of {row['workforce_pct']:.1f}%; it was {row['actual_pct']:.1f}%, "
        f"{abs(row['gap_pp']):.1f} percentage points {position} the trajectory"
    )
    if pd.notna(row.get("ratio")) and pd.notna(row.get("ratio_lower")):
        ci = interval_text(
            row["ratio_lower"], row["ratio_upper"], "relative_likelihood", row["confidence"]
        )
        if row["ratio_upper"] < row["target_ratio"]:
            verdict = "clearly behind the trajectory"
        elif row["ratio_lower"] > row["target_ratio"]:
            verdict = "clearly ahead of the trajectory"
        else:
            verdict = "not clearly off the trajectory either way"
        text += f" (a ratio of {_ratio_text(row['ratio'])}, {ci}: {verdict})"
    return text + "."


def senior_parity_reading(parity: pd.DataFrame, year: int) -> str:
    """The senior levels' BME shares in ``year`` against the whole workforce's, for clinical
    and non-clinical staff together and each (``parity`` from
    :func:`~wres_analysis.indicators.senior.senior_parity`), each with its interval; a gap is
    called clear only when the share's interval excludes the workforce share."""
    rows = parity[parity["year"] == year]
    if rows.empty:
        return f"No senior grades were reported for {year}."
    sentences = []
    for senior, part in rows.groupby("senior", sort=False):
        both = part.iloc[0]
        ci = interval_text(both["lower"], both["upper"], "pct_bme", both["confidence"])
        clear = both["upper"] < both["workforce_pct"] or both["lower"] > both["workforce_pct"]
        side = "below" if both["gap_pp"] < 0 else "above"
        groups = "; ".join(
            f"{row.staff_group} staff {row.pct_bme:.1f}%" for row in part.iloc[1:].itertuples()
        )
        sentences.append(
            f"At {senior}, {both['pct_bme']:.1f}% of staff of known ethnicity were BME ({ci}) "
            f"against {both['workforce_pct']:.1f}% of the whole workforce: "
            f"{abs(both['gap_pp']):.1f} percentage points {side} parity"
            + (", a clear gap" if clear else ", not clearly different")
            + (f" ({groups})" if groups else "")
            + "."
        )
    return " ".join(sentences)


def _ratio_text(value: float) -> str:
    """A representation ratio as text (two decimals)."""
    return f"{float(value):.2f}"


def infographic_tiles(headline: pd.DataFrame) -> pd.DataFrame:
    """The headline table as the infographic's tiles: ``indicator, title, value_text,
    caption, change_text``."""
    specs = {s.indicator: s for s in HEADLINES}
    records = []
    for row in headline.itertuples():
        measure = specs[row.indicator].measure
        if measure == "relative_likelihood":
            value = f"{row.estimate:.2f}"
        elif measure == "difference_pp":
            value = f"{row.estimate:+.1f} pp"
        else:
            value = f"{row.estimate:.1f}%"
        previous_year = None if pd.isna(row.previous_year) else int(row.previous_year)
        change = change_phrase(
            row.estimate, row.previous_estimate, previous_year, measure, row.verdict
        )
        change = change.replace(" percentage points", " pp")  # a tile has room for a short line
        records.append(
            {
                "indicator": row.indicator,
                "title": row.title,
                "value_text": value,
                "caption": row.reading.split(" (")[0].split(":")[0].rstrip("."),
                "change_text": change.capitalize() if change else "No earlier year",
            }
        )
    return pd.DataFrame.from_records(
        records, columns=["indicator", "title", "value_text", "caption", "change_text"]
    )
