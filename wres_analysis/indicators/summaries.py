"""Summaries the report chapters show: headlines, non-adverse range counts, Model Employer."""

from __future__ import annotations

import numpy as np
import pandas as pd

from wres_analysis.disclosure import DisclosureRule, withheld_rows
from wres_analysis.indicators.changes import change_between
from wres_analysis.indicators.compute import SENIOR_BREAKDOWN
from wres_analysis.indicators.declarations import INDICATORS, NON_ADVERSE_RANGE
from wres_analysis.indicators.frame import COUNT_COLUMNS
from wres_analysis.indicators.levels import NATIONAL_CODE
from wres_analysis.indicators.senior import senior_shares
from wres_analysis.stats import is_significant, non_adverse, relative_likelihood
from wres_analysis.text.headline import HEADLINES, reading

__all__ = [
    "HEADLINE_COLUMNS",
    "headline_table",
    "model_employer_trajectory",
    "organisations_without_bme_board_member",
    "range_summary",
    "select",
]

HEADLINE_COLUMNS = (
    "indicator",
    "title",
    "measure",
    "breakdown",
    "year",
    "estimate",
    "lower",
    "upper",
    "previous_year",
    "previous_estimate",
    "change",
    "verdict",
    "reading",
)


def select(
    table: pd.DataFrame,
    *,
    indicator: str | tuple[str, ...] | None = None,
    measure: str | tuple[str, ...] | None = None,
    breakdown: str | tuple[str, ...] | None = None,
    level: str | None = None,
    year: int | None = None,
    area_code: str | None = None,
    ethnic_group: str | tuple[str, ...] | None = None,
    sex: str | tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """The rows of an indicator table matching every argument given (None matches all; a
    tuple matches any of its values), in the table's order."""
    mask = pd.Series(True, index=table.index)
    for column, value in (
        ("indicator", indicator),
        ("measure", measure),
        ("breakdown", breakdown),
        ("level", level),
        ("year", year),
        ("area_code", area_code),
        ("ethnic_group", ethnic_group),
        ("sex", sex),
    ):
        if isinstance(value, tuple):
            mask &= table[column].isin(value)
        elif value is not None:
            mask &= table[column] == value
    return table.loc[mask]


def headline_table(table: pd.DataFrame, year: int) -> pd.DataFrame:
    """One row per indicator: the national value for ``year`` with its interval, the latest
    earlier year's value (of the same series, when the indicator declares a break), the
    change, its tested ``verdict`` (:func:`~wres_analysis.indicators.changes.change_between`;
    None without an earlier year) and a plain-English reading that follows the verdict.

    Indicators 5-8 are headlined by the BME minus White gap in percentage points and 9 by the
    voting board's BME share minus the workforce's; the readings quote the underlying
    percentages.
    """
    national = select(table, level="national", area_code=NATIONAL_CODE)
    records = []
    for spec in HEADLINES:
        rows = select(
            national, indicator=spec.indicator, measure=spec.measure, breakdown=spec.breakdown
        )
        current = rows[rows["year"] == year]
        if current.empty:
            continue
        start = INDICATORS[spec.indicator].series_break
        first = start if start is not None and year >= start else -1
        earlier = rows[(rows["year"] < year) & (rows["year"] >= first) & rows["estimate"].notna()]
        previous = earlier.loc[earlier["year"].idxmax()] if not earlier.empty else None
        row = current.iloc[0]
        verdict = (
            change_between(spec.indicator, spec.measure, row, previous)["verdict"]
            if previous is not None
            else None
        )
        context = select(national, indicator=spec.indicator, year=year)
        previous_context = (
            select(national, indicator=spec.indicator, year=int(previous["year"]))
            if previous is not None
            else None
        )
        records.append(
            {
                "indicator": spec.indicator,
                "title": spec.title,
                "measure": spec.measure,
                "breakdown": spec.breakdown,
                "year": year,
                "estimate": row["estimate"],
                "lower": row["lower"],
                "upper": row["upper"],
                "previous_year": int(previous["year"]) if previous is not None else pd.NA,
                "previous_estimate": previous["estimate"] if previous is not None else np.nan,
                "change": row["estimate"] - previous["estimate"]
                if previous is not None
                else np.nan,
                "verdict": verdict,
                "reading": reading(spec, context, previous_context, year, verdict),
            }
        )
    out = pd.DataFrame.from_records(records, columns=list(HEADLINE_COLUMNS))
    out["previous_year"] = out["previous_year"].astype("Int64")
    return out


def range_summary(
    table: pd.DataFrame,
    indicator: str,
    *,
    level: str = "organisation",
    lower: float = NON_ADVERSE_RANGE[0],
    upper: float = NON_ADVERSE_RANGE[1],
    rule: DisclosureRule | None = None,
) -> pd.DataFrame:
    """Organisations below, within and above the non-adverse range each year.

    Returns columns ``year, indicator, category, organisations, share`` (share in % of the
    organisations with a defined relative likelihood) and ``significant``: how many of
    them have an interval that excludes 1, so a reader can see how many placements could be
    chance. "not defined" counts organisations where a group had no one in it or no events
    in either group.

    With a disclosure ``rule`` (a report's), an organisation whose figure the rule withholds
    is counted only under "withheld" (share missing), never by its category: the published
    tables withhold its figure, and counts by category that included it would give its
    category away by subtraction. None counts every organisation by its category.

    The summary's ``attrs`` record what its sentences need to say: ``non_adverse``, the
    range ``(lower, upper)``, and ``confidence``, the level of the intervals counted as
    significant (the rows' ``confidence``, or None when they hold none or several).
    """
    rows = select(table, indicator=indicator, measure="relative_likelihood", level=level)
    category = non_adverse(rows["estimate"].to_numpy(), lower=lower, upper=upper)
    category = category.astype(object).fillna("not defined").to_numpy()
    significant = is_significant(rows["lower"].to_numpy(), rows["upper"].to_numpy()).to_numpy()
    order = ["below", "within", "above", "not defined"]
    if rule is not None:
        withheld = withheld_rows(rows, rule, counts=COUNT_COLUMNS, level_column=None)
        category = np.where(withheld, "withheld", category)
        significant = significant & ~withheld
        order.append("withheld")
    frame = pd.DataFrame(
        {"year": rows["year"].to_numpy(), "category": category, "significant": significant}
    )
    counts = (
        frame.groupby(["year", "category"])
        .agg(organisations=("category", "size"), significant=("significant", "sum"))
        .reindex(
            pd.MultiIndex.from_product(
                [sorted(frame["year"].unique()), order], names=["year", "category"]
            ),
            fill_value=0,
        )
        .reset_index()
    )
    unplaced = counts["category"].isin(["not defined", "withheld"])
    defined = counts[~unplaced].groupby("year")["organisations"].sum()
    counts["share"] = np.where(
        unplaced,
        np.nan,
        100 * counts["organisations"] / counts["year"].map(defined).replace(0, np.nan),
    )
    counts.insert(1, "indicator", indicator)
    out = counts[["year", "indicator", "category", "organisations", "share", "significant"]]
    levels = rows["confidence"].dropna().unique() if "confidence" in rows else []
    out.attrs["confidence"] = float(levels[0]) if len(levels) == 1 else None
    out.attrs["non_adverse"] = (float(lower), float(upper))
    return out


#: The columns of :func:`model_employer_trajectory`.
TRAJECTORY_COLUMNS = (
    "year", "target_pct", "actual_pct", "workforce_pct", "gap_pp", "target_ratio",
    "ratio", "ratio_lower", "ratio_upper", "confidence",
)


def model_employer_trajectory(
    table: pd.DataFrame,
    *,
    area_code: str = NATIONAL_CODE,
    baseline_year: int | None = 2018,
    target_year: int = 2028,
    method: str = "miettinen-nurminen",
    confidence: float | None = None,
    senior: str = SENIOR_BREAKDOWN,
) -> pd.DataFrame:
    """The Model Employer trajectory: the representation ratio at Band 8a and above (or
    another ``senior`` level: ``"Band 8c and above"``, the EDI Improvement Plan's senior
    leadership, or a staff group's, ``"clinical: Band 8c and above"``; see
    :mod:`wres_analysis.indicators.senior`) on a straight line from ``baseline_year`` to
    parity (a ratio of 1) in ``target_year``, and where each year stands against it.

    Model Employer (NHS England, January 2019) set the goal of BME representation at senior
    levels matching the workforce within ten years; band-level trajectories are not
    published, so the line to parity by 2028 from the 2018 baseline is this project's
    documented assumption (see the primer). The line is drawn for the **representation
    ratio** ``r = senior share / whole-workforce share`` of the same year, from its baseline
    value to 1, so a year's target depends only on the baseline and that year's workforce
    share (``target_pct = target_ratio x workforce_pct``): the target a report states for a
    past year does not move when later years are added. Years after the data's last use its
    last workforce share (a projection). ``baseline_year=None`` starts from 2018 when the data
    have it and from the earliest year otherwise.

    The ratio's interval: senior staff are part of the workforce, so the two shares are not
    independent. With ``f`` the senior share of staff of known ethnicity,
    ``r = rho / (f rho + 1 - f)`` where ``rho`` is the ratio of the senior share to the share
    among all other staff, two independent groups; ``r`` increases with ``rho``, so the
    interval of ``rho`` (:func:`~wres_analysis.stats.relative_likelihood` with ``method`` at
    ``confidence``, by default the table's) maps to an interval of ``r``. It shows how far
    a small organisation's ratio is known.

    Returns
    -------
    pandas.DataFrame
        ``year, target_pct, actual_pct, workforce_pct, gap_pp`` (actual minus target;
        negative: behind the trajectory), ``target_ratio``, ``ratio``, ``ratio_lower``,
        ``ratio_upper``, missing where a share is missing (not reported, or withheld), and the
        interval's ``confidence``. With ``baseline_year=None`` and no share in any year
        (a small organisation whose senior BME count is withheld every year), no rows: there
        is no line to draw.
    """
    shares = select(table, indicator="1", measure="pct_bme", area_code=area_code)
    if not (shares["breakdown"] == senior).any():  # a level summed from the grade rows
        shares = pd.concat([shares, senior_shares(table, area_code=area_code)])
    label = senior
    senior_rows = shares[shares["breakdown"] == label].set_index("year")
    staff_rows = shares[shares["breakdown"] == "all staff"].set_index("year")
    senior, staff = senior_rows["estimate"], staff_rows["estimate"]
    if baseline_year is None:
        if senior.dropna().empty:  # withheld (small counts) or not reported in every year
            return pd.DataFrame(columns=TRAJECTORY_COLUMNS)
        baseline_year = 2018 if 2018 in senior.dropna().index else int(senior.dropna().index.min())
    if target_year <= baseline_year:
        raise ValueError(
            f"target_year must be after baseline_year, got {target_year} <= {baseline_year}"
        )
    if baseline_year not in senior.index or pd.isna(senior.get(baseline_year)):
        raise ValueError(
            f"no {label} share for baseline_year {baseline_year} in {area_code}; "
            f"years available: {sorted(senior.dropna().index)}"
        )
    ratio = _representation_ratio(senior_rows, staff_rows, method, confidence)
    start = float(ratio.loc[baseline_year, "ratio"])
    years = np.arange(baseline_year, target_year + 1)
    target_ratio = start + (1.0 - start) * (years - baseline_year) / (target_year - baseline_year)
    out = pd.DataFrame({"year": years, "target_ratio": target_ratio})
    out["actual_pct"] = out["year"].map(senior)
    out["workforce_pct"] = out["year"].map(staff)
    known = staff.dropna()
    latest = float(known.loc[known.index.max()]) if len(known) else float("nan")
    basis = out["workforce_pct"].where(out["year"] <= known.index.max(), latest)
    out["target_pct"] = out["target_ratio"] * basis
    out["gap_pp"] = out["actual_pct"] - out["target_pct"]
    for column in ("ratio", "ratio_lower", "ratio_upper"):
        out[column] = out["year"].map(ratio[column])
    out["confidence"] = ratio.attrs["confidence"]
    return out[list(TRAJECTORY_COLUMNS)]


def _representation_ratio(
    senior: pd.DataFrame, staff: pd.DataFrame, method: str, confidence: float | None
) -> pd.DataFrame:
    """Each year's senior share / workforce share with its interval (see
    :func:`model_employer_trajectory`); missing where a share is missing."""
    both = senior.merge(
        staff, left_index=True, right_index=True, how="inner", suffixes=("_s", "_w")
    )
    both = both[both["estimate_s"].notna() & both["estimate_w"].notna()]
    out = pd.DataFrame(
        np.nan, index=senior.index, columns=["ratio", "ratio_lower", "ratio_upper"]
    )
    known = senior["confidence"].dropna()
    level = confidence if confidence is not None else (
        float(known.iloc[0]) if len(known) else 0.95
    )
    out.attrs["confidence"] = level
    if both.empty:
        return out
    s_bme = both["group_count_s"].astype(float).to_numpy()
    s_known = s_bme + both["white_count_s"].astype(float).to_numpy()
    w_bme = both["group_count_w"].astype(float).to_numpy()
    w_known = w_bme + both["white_count_w"].astype(float).to_numpy()
    rest_bme, rest_known = w_bme - s_bme, w_known - s_known
    usable = (s_known > 0) & (rest_known > 0) & (w_bme > 0)
    f = np.where(w_known > 0, s_known / np.where(w_known > 0, w_known, 1), np.nan)
    point = (s_bme / np.where(s_known > 0, s_known, 1)) / (
        w_bme / np.where(w_known > 0, w_known, 1)
    )
    lower = np.full(len(both), np.nan)
    upper = np.full(len(both), np.nan)
    if usable.any():
        rho = relative_likelihood(
            s_bme[usable].astype("int64"), s_known[usable].astype("int64"),
            rest_bme[usable].astype("int64"), rest_known[usable].astype("int64"),
            method=method, confidence=level,
        )
        share = f[usable]
        with np.errstate(invalid="ignore", over="ignore"):
            for bound, values in (("lower", lower), ("upper", upper)):
                r = rho[bound].to_numpy(dtype=float)
                values[usable] = np.where(
                    np.isinf(r), 1.0 / share, r / (share * r + 1.0 - share)
                )
    out.loc[both.index, "ratio"] = np.where(w_bme > 0, point, np.nan)
    out.loc[both.index, "ratio_lower"] = lower
    out.loc[both.index, "ratio_upper"] = upper
    return out


def organisations_without_bme_board_member(
    board: pd.DataFrame, organisations: pd.DataFrame, year: int
) -> pd.DataFrame:
    """Organisations whose board had no BME member in ``year`` (Unknown ethnicity aside),
    counted by region: ``region, organisations, without_bme, pct_without_bme``."""
    rows = board[board["year"] == year]
    bme = rows[rows["ethnic_group"] == "BME"].groupby("org_code")["headcount"].sum()
    reporting = pd.Series(sorted(set(rows["org_code"])), name="org_code")
    frame = organisations.set_index("org_code").loc[reporting, ["region"]].reset_index()
    frame["without_bme"] = frame["org_code"].map(bme).fillna(0).eq(0)
    out = (
        frame.groupby("region")
        .agg(organisations=("org_code", "size"), without_bme=("without_bme", "sum"))
        .reset_index()
    )
    total = pd.DataFrame(
        {
            "region": ["England"],
            "organisations": [len(frame)],
            "without_bme": [int(frame["without_bme"].sum())],
        }
    )
    out = pd.concat([out, total], ignore_index=True)
    out["pct_without_bme"] = 100 * out["without_bme"] / out["organisations"]
    return out
