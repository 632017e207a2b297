"""Changes between years (MOVER) and trends over years, against published values and
independent derivations."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy.stats import norm

from wres_analysis.stats import (
    difference,
    difference_change,
    proportion,
    ratio_change,
    relative_likelihood,
    weighted_trend,
)

# Newcombe (1998) Table II, method 10 (the shared reference vectors): MOVER on two Wilson
# intervals is Newcombe's hybrid score interval, so these are published values for it.
NEWCOMBE_TABLE_II = [
    ((56, 70, 48, 80), (0.0524, 0.3339)),
    ((6, 7, 2, 7), (0.0582, 0.8062)),
    ((0, 10, 0, 20), (-0.1611, 0.2775)),
    ((10, 10, 0, 20), (0.6791, 1.0000)),
]


@pytest.mark.parametrize(("table", "expected"), NEWCOMBE_TABLE_II)
def test_mover_of_two_wilson_intervals_is_newcombes_published_interval(
    table: tuple[int, int, int, int], expected: tuple[float, float]
) -> None:
    x1, n1, x0, n0 = table
    later, earlier = proportion(x1, n1), proportion(x0, n0)
    got = difference_change(
        later.estimate, later.lower, later.upper, earlier.estimate, earlier.lower, earlier.upper
    )
    assert got["estimate"].iloc[0] == pytest.approx(x1 / n1 - x0 / n0)
    assert (round(got["lower"].iloc[0], 4), round(got["upper"].iloc[0], 4)) == expected


def test_difference_change_with_a_fixed_earlier_value_is_the_later_interval_shifted() -> None:
    # Zou & Donner (2008): with no uncertainty on one side the MOVER limits are the other
    # side's own limits.
    got = difference_change([3.1, -14.0], [2.8, -14.4], [3.5, -13.7], [2.0, -10.0],
                            [2.0, -10.0], [2.0, -10.0])
    np.testing.assert_allclose(got["lower"], [0.8, -4.4], atol=1e-12)
    np.testing.assert_allclose(got["upper"], [1.5, -3.7], atol=1e-12)


def test_difference_change_of_symmetric_intervals_is_the_wald_interval() -> None:
    # Two Wald intervals: MOVER reduces to estimate +/- z sqrt(se1^2 + se0^2).
    z = norm.ppf(0.975)
    se1, se0 = 0.4, 0.3
    got = difference_change(5.0, 5 - z * se1, 5 + z * se1, 4.0, 4 - z * se0, 4 + z * se0)
    half = z * math.hypot(se1, se0)
    assert got["lower"].iloc[0] == pytest.approx(1.0 - half, abs=1e-12)
    assert got["upper"].iloc[0] == pytest.approx(1.0 + half, abs=1e-12)


def test_difference_of_two_gaps_matches_the_statistical_review() -> None:
    # The review (shared/reviews/statistics-2026-12.md, section 3.5) computed these
    # independently from the demo national gaps 2024 -> 2025 with Newcombe-MOVER.
    cases = [
        ((3.064885, 2.826544, 3.303720), (3.019382, 2.775076, 3.264261), (0.05, -0.30, 0.39)),
        ((4.955354, 4.727562, 5.183718), (4.701226, 4.466709, 4.936403), (0.25, -0.07, 0.58)),
        ((-14.031708, -14.293120, -13.770065), (-14.411604, -14.679457, -14.143494),
         (0.38, 0.01, 0.75)),
    ]
    for later, earlier, expected in cases:
        got = difference_change(*later, *earlier).iloc[0]
        assert (round(got.estimate, 2), round(got.lower, 2), round(got.upper, 2)) == expected


def test_ratio_change_matches_the_statistical_review() -> None:
    # MOVER on the log MN limits, computed independently by the review (section 3.5).
    got = ratio_change(1.140070, 1.103152, 1.178219, 1.138706, 1.100786, 1.177926).iloc[0]
    assert (round(got.estimate, 4), round(got.lower, 4), round(got.upper, 4)) == (
        1.0012, 0.9550, 1.0496
    )
    got = ratio_change(1.590014, 1.579541, 1.600560, 1.610185, 1.598188, 1.622281).iloc[0]
    assert (round(got.estimate, 4), round(got.lower, 4), round(got.upper, 4)) == (
        0.9875, 0.9777, 0.9974
    )


def test_ratio_change_with_a_fixed_earlier_value_is_the_later_interval_divided() -> None:
    later = relative_likelihood(30, 200, 20, 300)
    got = ratio_change(later.estimate, later.lower, later.upper, 1.25, 1.25, 1.25).iloc[0]
    assert got.estimate == pytest.approx(later.estimate.iloc[0] / 1.25, rel=1e-12)
    assert got.lower == pytest.approx(later.lower.iloc[0] / 1.25, rel=1e-12)
    assert got.upper == pytest.approx(later.upper.iloc[0] / 1.25, rel=1e-12)


def test_ratio_change_is_the_log_scale_difference_change() -> None:
    # Independent route: difference_change on the logs, exponentiated; and swapping the
    # years inverts the interval.
    rng = np.random.default_rng(7)
    est = np.exp(rng.normal(0.3, 0.4, size=(2, 50)))
    low = est * np.exp(-rng.uniform(0.05, 0.6, size=est.shape))
    high = est * np.exp(rng.uniform(0.05, 0.6, size=est.shape))
    got = ratio_change(est[1], low[1], high[1], est[0], low[0], high[0])
    logs = difference_change(*np.log([est[1], low[1], high[1], est[0], low[0], high[0]]))
    np.testing.assert_allclose(got["lower"], np.exp(logs["lower"]), rtol=1e-12)
    np.testing.assert_allclose(got["upper"], np.exp(logs["upper"]), rtol=1e-12)
    swapped = ratio_change(est[0], low[0], high[0], est[1], low[1], high[1])
    np.testing.assert_allclose(swapped["lower"], 1 / got["upper"], rtol=1e-12)
    np.testing.assert_allclose(swapped["upper"], 1 / got["lower"], rtol=1e-12)


def test_ratio_change_of_a_zero_or_infinite_ratio_is_unbounded() -> None:
    zero = relative_likelihood(0, 86, 1, 523)  # RR 0: no finite log
    got = ratio_change(zero.estimate, zero.lower, zero.upper, 1.2, 0.8, 1.8).iloc[0]
    assert (got.estimate, got.lower, got.upper) == (0.0, 0.0, math.inf)
    got = ratio_change(2.0, 1.5, 2.5, math.inf, 0.9, math.inf).iloc[0]
    assert (got.estimate, got.lower, got.upper) == (0.0, 0.0, math.inf)
    got = ratio_change(2.0, 1.5, 2.5, math.nan, math.nan, math.nan).iloc[0]
    assert math.isnan(got.estimate) and math.isnan(got.lower) and math.isnan(got.upper)
    # a limit at 0 or infinity (Katz with a zero count) leaves that side unbounded only
    got = ratio_change(2.0, 0.0, 2.5, 1.0, 0.9, 1.1).iloc[0]
    assert got.lower == 0.0 and math.isfinite(got.upper)


def test_change_rejects_an_interval_that_misses_its_estimate() -> None:
    with pytest.raises(ValueError, match="must contain its estimate.*position 1"):
        difference_change([1, 2], [0, 3], [2, 4], [1, 1], [0, 0], [2, 2])
    with pytest.raises(ValueError, match="lower0 must be 0 or more"):
        ratio_change(1.0, 0.5, 2.0, 1.0, -0.5, 2.0)


def test_mover_coverage_of_a_change_in_a_share_is_near_nominal() -> None:
    # Exact enumeration (no simulation): Newcombe-MOVER's coverage of p1 - p0 for two
    # binomials of 40 and 60 at p = 0.3 and 0.4 is within a percentage point of 95%.
    n1, n0, p1, p0 = 40, 60, 0.3, 0.4
    from scipy.stats import binom

    x1, x0 = np.meshgrid(np.arange(n1 + 1), np.arange(n0 + 1), indexing="ij")
    a, b = proportion(x1.ravel(), n1), proportion(x0.ravel(), n0)
    got = difference_change(a.estimate, a.lower, a.upper, b.estimate, b.lower, b.upper)
    covered = ((got["lower"] <= p1 - p0) & (got["upper"] >= p1 - p0)).to_numpy()
    weight = (binom.pmf(x1, n1, p1) * binom.pmf(x0, n0, p0)).ravel()
    assert abs(weight[covered].sum() - 0.95) < 0.01
    # and it is the library's own Newcombe interval, table by table
    direct = difference(x1.ravel(), n1, x0.ravel(), n0, method="newcombe")
    np.testing.assert_allclose(got["lower"], direct["lower"], atol=1e-12)


def _wald(estimate: np.ndarray, se: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    return estimate - z * se, estimate + z * se


def test_trend_without_excess_scatter_is_fixed_effect_weighted_regression() -> None:
    # Points on a line (no residual scatter): the slope is exact and var(b) = 1/S, S the
    # weighted sum of squares of the years about their weighted mean, computed by hand.
    z = norm.ppf(0.975)
    years = np.arange(2016, 2022, dtype=float)
    se = np.array([0.5, 0.4, 0.3, 0.6, 0.2, 0.3])
    values = 2.0 + 0.25 * (years - 2016)
    low, high = _wald(values, se, z)
    got = weighted_trend(np.zeros(6), years, values, low, high).iloc[0]
    w = 1 / se**2
    xbar = (w * years).sum() / w.sum()
    half = z / math.sqrt((w * (years - xbar) ** 2).sum())
    assert got.estimate == pytest.approx(0.25, rel=1e-12)
    assert (got.lower, got.upper) == pytest.approx((0.25 - half, 0.25 + half), rel=1e-12)
    assert (got.first_year, got.last_year, got.years) == (2016, 2021, 6)


def test_trend_with_excess_scatter_matches_statsmodels_wls() -> None:
    # Scatter well beyond the sampling error: the interval is statsmodels' WLS interval
    # (residual variance scaled, t with k - 2 degrees of freedom).
    z = norm.ppf(0.975)
    years = np.arange(2016, 2026, dtype=float)
    rng = np.random.default_rng(3)
    se = rng.uniform(0.02, 0.05, years.size)
    values = 0.4 - 0.01 * (years - 2016) + rng.normal(0, 0.2, years.size)
    low, high = _wald(values, se, z)
    got = weighted_trend(np.zeros(years.size), years, values, low, high).iloc[0]
    fit = sm.WLS(values, sm.add_constant(years), weights=1 / se**2).fit()
    assert got.estimate == pytest.approx(fit.params[1], rel=1e-9)
    expected = fit.conf_int(alpha=0.05)[1]
    assert (got.lower, got.upper) == pytest.approx(tuple(expected), rel=1e-9)


def test_trend_on_the_log_scale_is_a_ratio_per_year_and_groups_fit_separately() -> None:
    z = norm.ppf(0.975)
    years = np.tile(np.arange(2019, 2025, dtype=float), 2)
    group = np.repeat(["A", "B"], 6)
    ratio = np.where(group == "A", 1.5 * 0.9 ** (years - 2019), 1.2)
    log_se = np.full(years.size, 0.1)
    low, high = np.exp(np.log(ratio) - z * log_se), np.exp(np.log(ratio) + z * log_se)
    got = weighted_trend(group, years, ratio, low, high, log=True)
    assert list(got.index) == ["A", "B"]
    assert got.loc["A", "estimate"] == pytest.approx(0.9, rel=1e-12)
    assert got.loc["B", "estimate"] == pytest.approx(1.0, rel=1e-12)
    assert got.loc["B", "lower"] < 1 < got.loc["B", "upper"]


def test_trend_leaves_out_unusable_years_and_short_series() -> None:
    years = np.array([2019, 2020, 2021, 2022, 2019, 2020])
    group = np.array([1, 1, 1, 1, 2, 2])
    values = np.array([1.0, 2.0, np.nan, 3.0, 1.0, 2.0])
    low = values - 0.5
    high = np.array([1.5, 2.5, np.nan, np.inf, 1.5, 2.5])  # 2022 unbounded: no weight
    got = weighted_trend(group, years, values, low, high)
    assert got.empty  # group 1 keeps two usable years, group 2 has two
    high[3] = 3.5
    got = weighted_trend(group, years, values, low, high)
    assert list(got.index) == [1] and got.loc[1, "years"] == 3
    with pytest.raises(ValueError, match="min_years"):
        weighted_trend(group, years, values, low, high, min_years=2)


def test_trend_frame_has_the_interval_columns() -> None:
    got = weighted_trend([0, 0, 0], [1, 2, 3], [1.0, 2.0, 3.0], [0.5, 1.5, 2.5],
                         [1.5, 2.5, 3.5], confidence=0.9)
    assert list(got.columns[:5]) == ["estimate", "lower", "upper", "method", "confidence"]
    assert got["confidence"].iloc[0] == 0.9
    assert isinstance(got, pd.DataFrame)
