"""Calibration targets for the demo data, and the solvers that hit them.

The targets are the national headline figures published in the WRES reports (``targets.csv``, a
copy of ``shared/reference/published_national_figures.csv`` with its sources) and the regional
indicator 2 values (``regional_targets.csv``). The reports do not publish every measure every
year, so the demo needs a value for each report year; :func:`yearly_targets` fills the gaps by a
documented rule rather than by hand, so a reader can check every number the generator aims at.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources

import numpy as np
import pandas as pd

__all__ = [
    "CALIBRATED_MEASURES",
    "DEMO_YEARS",
    "SURVEY_ANCHORS",
    "TRUST_SHARE_MEASURES",
    "bisect_increasing",
    "fill_years",
    "published_targets",
    "regional_targets",
    "survey_target",
    "yearly_targets",
]

#: The report years the demo covers.
DEMO_YEARS: tuple[int, ...] = tuple(range(2016, 2026))

#: National measures the demo hits for every year: name -> kind ("share" in percent, or "ratio").
CALIBRATED_MEASURES: dict[str, str] = {
    "pct_bme_workforce": "share",
    "rl_appointed_from_shortlisting_white_vs_bme": "ratio",
    "rl_entering_disciplinary_bme_vs_white": "ratio",
    "rl_accessing_training_white_vs_bme": "ratio",
    "pct_bme_board_members": "share",
}

#: Shares of trusts (percent, over trusts whose ratio is defined) the demo aims near.
TRUST_SHARE_MEASURES: tuple[str, ...] = (
    "pct_trusts_rl_disciplinary_above_1.25",
    "pct_trusts_white_more_likely_appointed",
)

#: 2018's indicator 3 spread is published as 23.8% in range with 135 trusts above 1.25 and 41
#: below 0.80, so 231 trusts in all and 135 / 231 = 58.4% above.
_TRUSTS_2018_ABOVE = 135
_TRUSTS_2018_BELOW = 41
_TRUSTS_2018_IN_RANGE_PCT = 23.8

#: National staff survey rates (percent) by (indicator, group): report year -> value. Values
#: marked published in ``targets.csv`` are copied here; the others are the generator's own
#: assumptions (plausible, not published), so that every year has a value. Indicator 7 changed
#: its question basis with the 2021 survey (report year 2022): its two series are never joined.
SURVEY_ANCHORS: dict[tuple[int, str], dict[int, float]] = {
    (5, "White"): {2016: 28.5, 2019: 28.2, 2023: 26.8, 2025: 26.5},
    (5, "BME"): {2016: 28.6, 2019: 29.8, 2023: 30.0, 2025: 29.5},
    (6, "White"): {2016: 24.5, 2019: 24.0, 2023: 22.0, 2025: 21.5},
    (6, "BME"): {2016: 27.5, 2019: 29.0, 2023: 27.0, 2025: 26.5},
    (7, "White"): {2016: 87.5, 2018: 86.0, 2021: 86.5, 2022: 59.0, 2025: 59.5},
    (7, "BME"): {2016: 73.5, 2019: 69.9, 2021: 70.0, 2022: 44.0, 2025: 45.5},
    (8, "White"): {2016: 6.2, 2019: 6.0, 2023: 6.5, 2025: 6.5},
    (8, "BME"): {2016: 14.0, 2019: 15.0, 2023: 16.5, 2025: 16.5},
}

#: First report year of indicator 7's new question basis (the 2021 survey).
SURVEY_BREAK_YEAR = 2022


def published_targets() -> pd.DataFrame:
    """Return the published national figures bundled with the package.

    Returns
    -------
    pandas.DataFrame
        ``report_year, measure, value, tolerance_note, source``, as published.
    """
    with resources.files(__package__).joinpath("targets.csv").open(encoding="utf-8") as handle:
        return pd.read_csv(handle)


def regional_targets() -> pd.DataFrame:
    """Return the published regional indicator 2 values (2022-2024) bundled with the package."""
    path = resources.files(__package__).joinpath("regional_targets.csv")
    with path.open(encoding="utf-8") as handle:
        return pd.read_csv(handle)


def fill_years(known: dict[int, float], years: tuple[int, ...], kind: str) -> dict[int, float]:
    """Give every year a value from the years that have one.

    Parameters
    ----------
    known
        Published values by year (at least one).
    years
        The years that need a value.
    kind
        ``"share"`` or ``"ratio"``: how to go beyond the published years.

    Returns
    -------
    dict
        Year -> value for every year in ``years``.

    Notes
    -----
    Between two published years the value is interpolated linearly. Beyond the first or last
    published year a share (a percentage that has moved steadily, such as % BME staff)
    continues the straight line through the two nearest published years, while a ratio is held
    at the nearest published value: relative likelihoods have gone up and down, so a trend
    would be invented.
    """
    if kind not in ("share", "ratio"):
        raise ValueError(f"`kind` must be 'share' or 'ratio', got {kind!r}")
    if not known:
        raise ValueError("`known` must hold at least one year")
    xs = np.array(sorted(known), dtype=float)
    ys = np.array([known[int(x)] for x in xs], dtype=float)
    filled: dict[int, float] = {}
    for year in years:
        if xs[0] <= year <= xs[-1]:
            value = float(np.interp(year, xs, ys))
        elif kind == "ratio" or len(xs) == 1:
            value = float(ys[0] if year < xs[0] else ys[-1])
        else:
            (x0, x1), (y0, y1) = (xs[:2], ys[:2]) if year < xs[0] else (xs[-2:], ys[-2:])
            value = float(y0 + (y1 - y0) * (year - x0) / (x1 - x0))
        filled[year] = round(value, 4)
    return filled


def yearly_targets(years: tuple[int, ...] = DEMO_YEARS) -> pd.DataFrame:
    """Return the value the demo aims at for every calibrated measure and year.

    Returns
    -------
    pandas.DataFrame
        ``measure, year, target, published`` (published is True where the value comes straight
        from ``targets.csv``, False where :func:`fill_years` supplied it).

    Notes
    -----
    The trust-share measures are filled the same way with ``kind="ratio"`` (held flat
    beyond the published years). The 2018 share of trusts above 1.25 for indicator 3 is derived
    from its published counts (135 of 231 trusts).
    """
    published = published_targets()
    rows = []
    for measure in (*CALIBRATED_MEASURES, *TRUST_SHARE_MEASURES):
        subset = published[published["measure"] == measure]
        known = {
            int(y): float(v) for y, v in zip(subset["report_year"], subset["value"], strict=True)
        }
        if measure == "pct_trusts_rl_disciplinary_above_1.25":
            total = (_TRUSTS_2018_ABOVE + _TRUSTS_2018_BELOW) / (
                1 - _TRUSTS_2018_IN_RANGE_PCT / 100
            )
            known[2018] = round(100 * _TRUSTS_2018_ABOVE / round(total), 1)
        kind = CALIBRATED_MEASURES.get(measure, "ratio")
        for year, value in fill_years(known, years, kind).items():
            rows.append((measure, year, value, year in known))
    return pd.DataFrame(rows, columns=["measure", "year", "target", "published"])


def survey_target(indicator: int, group: str, year: int) -> float:
    """Return the national staff survey rate (a proportion) the demo aims at.

    Indicator 7 is interpolated only within its own question basis (before or from
    :data:`SURVEY_BREAK_YEAR`), never across the break.
    """
    anchors = SURVEY_ANCHORS[(indicator, group)]
    if indicator == 7:
        after = year >= SURVEY_BREAK_YEAR
        anchors = {y: v for y, v in anchors.items() if (y >= SURVEY_BREAK_YEAR) == after}
    return fill_years(anchors, (year,), "ratio")[year] / 100


def bisect_increasing(
    func: Callable[[float], float], target: float, lo: float, hi: float, iterations: int = 40
) -> float:
    """Find ``x`` in ``[lo, hi]`` with ``func(x)`` closest to ``target`` for a rising ``func``.

    ``func`` may be a step function (sums of rounded counts): bisection still converges to
    the step nearest the target, which is why it is used instead of a smooth root finder.
    The bracket is widened (doubling its width, up to ten times) when the target lies outside.
    """
    for _ in range(10):
        if func(lo) <= target <= func(hi):
            break
        width = hi - lo
        lo, hi = (lo - width, hi) if func(lo) > target else (lo, hi + width)
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        if func(mid) < target:
            lo = mid
        else:
            hi = mid
    return lo if abs(func(lo) - target) <= abs(func(hi) - target) else hi
