"""Funnel-plot tables for a relative-likelihood indicator across organisations."""

from __future__ import annotations

import numpy as np
import pandas as pd

from wres_analysis.disclosure import DisclosureRule, withheld_rows
from wres_analysis.indicators.declarations import declared
from wres_analysis.indicators.frame import COUNT_COLUMNS
from wres_analysis.indicators.levels import NATIONAL_CODE
from wres_analysis.indicators.summaries import select
from wres_analysis.stats import funnel_limits, funnel_points, rank_intervals

__all__ = [
    "ADJUSTED_LABEL",
    "CHANCE_LABEL",
    "FUNNEL_MIN_ORGANISATIONS",
    "empty_funnel_tables",
    "funnel_tables",
]

#: The fewest organisations with an informative point (people in both groups, a standard
#: error above 0) a funnel plot compares: with one, the organisation is the target itself.
FUNNEL_MIN_ORGANISATIONS = 2


#: How :func:`funnel_tables` labels the two sets of limits when they differ.
ADJUSTED_LABEL = "with overdispersion"
CHANCE_LABEL = "chance alone"


#: The indicator table's columns naming a row's cells (besides the area code), which
#: funnel points carry after their own columns.
_CELL_COLUMNS = ("year", "level", "indicator", "breakdown", "years_pooled", "ethnic_group", "sex")


def funnel_tables(
    table: pd.DataFrame,
    indicator: str,
    year: int,
    *,
    overdispersion: bool = True,
    confidence: float = 0.95,
    overdispersion_method: str = "consistent",
    rule: DisclosureRule | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every organisation's relative likelihood against the national one, and limit curves.

    The target is the national crude ratio of the same indicator and year (the headline
    value), the limits are at :data:`~wres_analysis.stats.funnel.FUNNEL_LEVELS` (95% and
    99.8%) with Spiegelhalter's overdispersion adjustment
    (see :func:`wres_analysis.stats.funnel_points`). Organisations with no one in either
    group are left out (they have no ratio at any precision). An organisation whose point
    carries no information (standard error 0, e.g. both groups at 100%) is kept in
    ``points`` but never flagged (see :func:`~wres_analysis.stats.funnel_points`), and the
    limit curves span only the points with a positive standard error.

    Raises
    ------
    ValueError
        When there is no funnel to draw: fewer than :data:`FUNNEL_MIN_ORGANISATIONS`
        organisations with an informative point, or no national ratio to centre on (no one,
        or no events, in a group nationally).

    Returns
    -------
    points
        One row per organisation: ``area_code, area_name``, ``estimate`` (the ratio as
        plotted: ``exp(log_estimate)``, the adjusted-log value where a cell is zero),
        ``relative_likelihood`` (the crude ratio, which may be 0 or infinite), the counts,
        then the columns of :func:`~wres_analysis.stats.funnel_points`, then ``rank``,
        ``rank_lower``, ``rank_upper`` and ``ranked_of``: the organisation's rank by its crude
        ratio (1 = highest) with its rank interval at ``confidence``, among the
        organisations whose ratio is defined (:func:`~wres_analysis.stats.rank_intervals`).
        ``confidence`` is also the level of the interval of ``tau2``. With a disclosure
        ``rule`` only the organisations whose figure it publishes are ranked (the others'
        ranks are missing): a published rank counts the organisations above it, so ranks
        among all would place each withheld figure between two published ones. Last,
        the indicator table's columns naming the point's cells (year, level, indicator,
        breakdown, and ``years_pooled``, ``ethnic_group``, ``sex`` where it has them), so
        disclosure control finds the cells secondary suppression withholds.
    limits
        Limit curves over the organisations' range of precision, from
        :func:`~wres_analysis.stats.funnel_limits`. Where the overdispersion adjustment
        widens them (``tau2 > 0``) both sets are given, told apart by a ``limit`` label
        ("95% (with overdispersion)", "95% (chance alone)"): the first answer "is this
        organisation unusual among organisations?", the second "does it differ from England
        by more than chance?".
    """
    rows = select(table, indicator=indicator, measure="relative_likelihood", year=year)
    national = rows[rows["area_code"] == NATIONAL_CODE]
    organisations = rows[(rows["level"] == "organisation")]
    organisations = organisations[
        (organisations["white_total"] > 0) & (organisations["group_total"] > 0)
    ].reset_index(drop=True)
    if organisations.empty:
        raise ValueError(f"no organisation has indicator {indicator} in {year}")
    white = (
        organisations["white_count"].astype("int64"),
        organisations["white_total"].astype("int64"),
    )
    bme = (
        organisations["group_count"].astype("int64"),
        organisations["group_total"].astype("int64"),
    )
    # Group 1 is the numerator, as in the headline: the group the declaration names first.
    first, second = (bme, white) if declared(indicator).first == "BME" else (white, bme)
    target = float(national["estimate"].iloc[0]) if len(national) else None
    if target is not None and not (np.isfinite(target) and target > 0):
        raise ValueError(
            f"the national relative likelihood of indicator {indicator} in {year} is not a "
            f"positive number ({target}): a funnel has no target"
        )
    points = funnel_points(
        *first,
        *second,
        target=target,
        overdispersion=overdispersion,
        overdispersion_method=overdispersion_method,
        tau2_confidence=confidence,
    )
    keep = organisations[
        ["area_code", "area_name", "white_count", "white_total", "group_count", "group_total"]
    ]
    points = pd.concat([keep, points.drop(columns="estimate")], axis=1)
    # The plotted ratio: the adjusted-log value where a cell is zero, so that an organisation
    # with no BME staff entering the process still sits on the log scale.
    points.insert(2, "estimate", np.exp(points["log_estimate"].to_numpy()))
    points.insert(3, "relative_likelihood", organisations["estimate"].to_numpy())
    published = (
        ~withheld_rows(organisations, rule, counts=COUNT_COLUMNS, level_column=None)
        if rule is not None
        else np.ones(len(organisations), dtype=bool)
    )
    ranks = (
        rank_intervals(
            *(counts[published] for counts in (*first, *second)), confidence=confidence
        )
        if published.any()
        else None
    )
    for column in ("rank", "rank_lower", "rank_upper", "ranked_of"):
        values = np.full(len(points), np.nan)
        if ranks is not None:
            values[published] = ranks[column].to_numpy(dtype=float)
        points[column] = values
    # the columns naming each point's cells, last: disclosure control finds the cells
    # secondary suppression withholds by them (the chart leaves those points off)
    named = [c for c in _CELL_COLUMNS if c in organisations and c not in points]
    points = points.assign(**{c: organisations[c].to_numpy() for c in named})
    informative = int(points["z"].notna().sum())
    if informative < FUNNEL_MIN_ORGANISATIONS:
        raise ValueError(
            f"{informative} organisation(s) have an informative point for indicator "
            f"{indicator} in {year}; a funnel needs at least {FUNNEL_MIN_ORGANISATIONS}"
        )
    se = points["se"].to_numpy(dtype=float)
    se = se[np.isfinite(se) & (se > 0)]
    grid = np.geomspace(se.min() * 0.9, se.max() * 1.1, 200)
    target_value, tau2 = float(points["target"].iloc[0]), float(points["tau2"].iloc[0])
    limits = funnel_limits(grid, target_value, tau2)
    if tau2 > 0:
        chance = funnel_limits(grid, target_value, 0.0)
        limits = pd.concat(
            [_labelled(limits, ADJUSTED_LABEL), _labelled(chance, CHANCE_LABEL)],
            ignore_index=True,
        )
    return points, limits


def _labelled(limits: pd.DataFrame, what: str) -> pd.DataFrame:
    """``limits`` with a ``limit`` label such as ``"95% (chance alone)"``."""
    labels = [f"{level * 100:.10g}% ({what})" for level in limits["level"]]
    return limits.assign(limit=labels)


def empty_funnel_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """A funnel with no organisations: the columns of :func:`funnel_tables`' ``points`` and
    ``limits`` and no rows, for a year with no funnel to draw (the readings then say so)."""
    none = np.zeros(0, dtype="int64")
    points = funnel_points(none, none, none, none, target=1.0)
    keep = pd.DataFrame(
        {c: pd.Series(dtype=object if c.startswith("area") else "int64") for c in
         ["area_code", "area_name", "white_count", "white_total", "group_count", "group_total"]}
    )
    points = pd.concat([keep, points.drop(columns="estimate")], axis=1)
    points.insert(2, "estimate", pd.Series(dtype=float))
    points.insert(3, "relative_likelihood", pd.Series(dtype=float))
    for column in ("rank", "rank_lower", "rank_upper", "ranked_of"):
        points[column] = pd.Series(dtype=float)
    limits = funnel_limits(np.ones(1), 1.0).iloc[:0]
    return points, limits
