"""Indicator 1 nationally by detailed ethnic group over the years: one line per group."""

from __future__ import annotations

import numpy as np
import pandas as pd

from wres_analysis.charts.common import (
    Chart,
    NothingToDrawError,
    errors,
    figure,
    finish,
    fmt,
    fmt_interval,
    interval_note,
    legend,
    require,
)
from wres_analysis.charts.style import group_style
from wres_analysis.contract import DETAILED_GROUP_NAMES

__all__ = ["group_trend_chart"]

_MEASURE = "pct_bme"  # each group's share, in %


def group_trend_chart(
    trends: pd.DataFrame,
    *,
    title: str | None = None,
    source: str | None = None,
    synthetic: bool = False,
) -> Chart:
    """Line chart of the national workforce's share of staff of known ethnicity in BME and in
    each detailed group (Mixed, Asian, Black, Other) by report year, with intervals.

    Parameters
    ----------
    trends
        :func:`~wres_analysis.indicators.ethnic_group_trends`: ``year, ethnic_group,
        estimate, lower, upper, confidence``.
    title, source, synthetic
        As for :func:`~wres_analysis.charts.trends.trend_chart`.

    Returns
    -------
    Chart
        Alt text gives each group's first and last share, with the last one's interval.

    Raises
    ------
    NothingToDrawError
        When ``trends`` has no rows.
    """
    require(trends, ("year", "ethnic_group", "estimate", "lower", "upper"), "trends")
    if trends.empty:
        raise NothingToDrawError("no years of the workforce by ethnic group to draw")
    years = sorted(int(y) for y in trends["year"].unique())
    title = title or f"Staff of known ethnicity by ethnic group, England, {years[0]}-{years[-1]}"
    fig, ax = figure(title, "Report year", "% of staff of known ethnicity", (8.0, 4.8), synthetic)
    groups = list(dict.fromkeys(trends["ethnic_group"]))
    offsets = np.linspace(-0.12, 0.12, len(groups)) if len(groups) > 1 else [0.0]
    sentences = []
    for position, group in enumerate(groups):
        rows = trends[trends["ethnic_group"] == group].sort_values("year")
        name = DETAILED_GROUP_NAMES.get(group, group)
        ax.errorbar(
            rows["year"].to_numpy(dtype=float) + offsets[position],
            rows["estimate"],
            yerr=errors(rows),
            capsize=2,
            linewidth=1.5,
            label=name,
            **group_style(group, position),
        )
        first, last = rows.iloc[0], rows.iloc[-1]
        sentences.append(
            f"{name}: {fmt(first['estimate'], _MEASURE)} in {int(first['year'])}, "
            f"{fmt(last['estimate'], _MEASURE)} in {int(last['year'])} "
            f"({fmt_interval(last, _MEASURE)})."
        )
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_ylim(bottom=0)
    legend(ax)
    finish(fig, interval_note(trends), source=source, synthetic=synthetic)
    alt = (
        "Line chart of the percentage of staff of known ethnicity who are BME and who are in "
        f"each detailed ethnic group, England, by report year {years[0]} to {years[-1]}. "
        + " ".join(sentences)
    )
    return Chart(fig, title, alt)
