"""Organisations with few expected events are tested exactly (conditional binomial, mid-p);
their limits, and the funnel chart, follow that test, so a point is drawn outside its limits
exactly when it is flagged (issue 11, item 5: the chart drew normal limits for them, so a
point could sit on the other side of a limit from its flag)."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from scipy.stats import norm  # noqa: E402

from wres_analysis.charts import FunnelPanel, funnel_chart, funnel_panels  # noqa: E402
from wres_analysis.data import load_dataset  # noqa: E402
from wres_analysis.demo import generate_demo_tables  # noqa: E402
from wres_analysis.indicators import funnel_tables  # noqa: E402
from wres_analysis.indicators.compute import relative_likelihood_indicator  # noqa: E402
from wres_analysis.stats import funnel_points  # noqa: E402

LEVELS = {"95": 0.95, "998": 0.998}


def _plotted(k: int, n1: int, x2: int, n2: int) -> float:
    """The ratio a funnel plots, by hand: +0.5 to each count where a cell is zero."""
    if k == 0 or x2 == 0 or k == n1 or x2 == n2:
        return ((k + 0.5) / (n1 + 0.5)) / ((x2 + 0.5) / (n2 + 0.5))
    return (k / n1) / (x2 / n2)


def _mid_p_z(k: int, m: int, p: float) -> float:
    """The mid-p lower tail of Binomial(m, p) at k as a normal quantile, summed by hand
    (from the nearer tail, so that neither rounds to 1)."""
    pmf = [math.comb(m, j) * p**j * (1 - p) ** (m - j) for j in range(m + 1)]
    lower, upper = sum(pmf[:k]) + pmf[k] / 2, sum(pmf[k + 1:]) + pmf[k] / 2
    return float(norm.ppf(lower) if lower < upper else norm.isf(upper))


def _check_against_brute_force(row: pd.Series, n1: int, n2: int, m: int, target: float) -> None:
    """Every split of the organisation's m events: the limits lie between the plotted ratios
    of the splits the test flags and those it does not (Breslow & Day's conditional test,
    each split's z scaled as the organisation's by the overdispersion allowance)."""
    shrink = row["se"] / math.sqrt(row["se"] ** 2 + row["tau2"])
    pi0 = n1 * target / (n1 * target + n2)
    splits = range(max(0, m - n2), min(m, n1) + 1)
    for suffix, level in LEVELS.items():
        zl = float(norm.ppf(0.5 + level / 2))
        flagged_above, flagged_below, calm = [], [], []
        for k in splits:
            z = _mid_p_z(k, m, pi0) * shrink
            ratio = _plotted(k, n1, m - k, n2)
            (flagged_above if z > zl else flagged_below if z < -zl else calm).append(ratio)
        upper, lower = row[f"upper_{suffix}"], row[f"lower_{suffix}"]
        assert max(calm) < upper and min(calm) > lower
        if flagged_above:
            assert upper < min(flagged_above)
        else:
            assert upper == math.inf  # no count of events could be flagged above
        if flagged_below:
            assert lower > max(flagged_below)
        else:
            assert lower == 0.0


@pytest.mark.parametrize("overdispersion", [False, True])
def test_exact_limits_match_a_brute_force_split_of_the_events(overdispersion) -> None:
    rng = np.random.default_rng(11)
    size = 60
    n1 = rng.integers(40, 400, size)
    n2 = rng.integers(300, 3000, size)
    x1 = rng.binomial(n1, 0.012)
    x2 = rng.binomial(n2, 0.008)
    x1[:3], x2[:3] = [0, 0, 9], [1, 30, 2]  # RUA-like, a zero far below, one far above
    target = 1.2
    points = funnel_points(x1, n1, x2, n2, target=target, overdispersion=overdispersion)
    exact = points.index[points["test"] == "exact mid-p"]
    assert len(exact) > 20
    if overdispersion:
        assert points["tau2"].iloc[0] >= 0
    for i in exact:
        _check_against_brute_force(
            points.loc[i], int(n1[i]), int(n2[i]), int(x1[i] + x2[i]), target
        )


@pytest.fixture(scope="module")
def disciplinary(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    folder = tmp_path_factory.mktemp("demo")
    for name, frame in generate_demo_tables().items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    return relative_likelihood_indicator(load_dataset(folder), "3")


@pytest.mark.parametrize("year", [2019, 2025])
def test_every_point_is_outside_its_limits_exactly_when_flagged(disciplinary, year) -> None:
    """Demo indicator 3 (rare events): on the old main 6 organisations in 2019 were flagged at
    95% while inside their (normal) limits, or the reverse."""
    points, _ = funnel_tables(disciplinary, "3", year)
    assert (points["test"] == "exact mid-p").sum() > 10
    for suffix in LEVELS:
        outside = (points["estimate"] < points[f"lower_{suffix}"]) | (
            points["estimate"] > points[f"upper_{suffix}"]
        )
        tested = points["z"].notna()
        assert (outside[tested] == points.loc[tested, f"outlier_{suffix}"]).all(), suffix


def _drawn(ax) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The points drawn on ``ax`` by marker (legend label -> (x, y)) and the exact-limit bars."""
    points, bars = {}, np.zeros((0, 2))
    for collection in ax.collections:
        offsets = np.asarray(collection.get_offsets())
        if collection.get_gid() == "exact-limits":
            bars = offsets
        elif collection.get_label() in ("Within limits", "Above the limits", "Below the limits"):
            points[collection.get_label()] = offsets
    return points, bars


def _curve(ax, label: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    lines = [line for line in ax.get_lines() if line.get_label() == label]
    assert lines, label
    x, low = (np.asarray(v, dtype=float) for v in lines[0].get_data())
    index = ax.get_lines().index(lines[0])
    high = np.asarray(ax.get_lines()[index + 1].get_data()[1], dtype=float)
    return x, low, high


def _check_drawing(ax, points: pd.DataFrame) -> None:
    """What a reader sees: each marker agrees with the point's place against the limits drawn
    for it (its own bars if tested exactly, else the widest curve with the allowance)."""
    drawn, bars = _drawn(ax)
    x, low, high = _curve(ax, "99.8% (with overdispersion) limits")
    exact = points[points["test"] == "exact mid-p"]
    exact_x = set(np.round(1 / exact["se"] ** 2, 9))
    checked_exact = 0
    for label, offsets in drawn.items():
        for px, py in offsets:
            if round(px, 9) in exact_x:
                mine = bars[np.isclose(bars[:, 0], px, rtol=0, atol=1e-9)][:, 1]
                row = exact[np.isclose(1 / exact["se"] ** 2, px, rtol=0, atol=1e-9)].iloc[0]
                lower, upper = row["lower_998"], row["upper_998"]
                # the bars drawn are the finite limits: every one of them is on the chart
                for value in (lower, upper):
                    if np.isfinite(value) and value > 0:
                        assert np.isclose(mine, value).any()
                above, below = py > upper, py < lower
                checked_exact += 1
            else:
                top, bottom = np.interp(px, x, high), np.interp(px, x, low)
                above, below = py > top, py < bottom
            expected = "Above the limits" if above else "Below the limits" if below else (
                "Within limits"
            )
            assert label == expected, (px, py)
    assert checked_exact == len(exact)


def test_the_funnel_chart_draws_the_exact_limits_it_flags_by(disciplinary) -> None:
    points, limits = funnel_tables(disciplinary, "3", 2019)
    chart = funnel_chart(points, limits, indicator="3")
    _check_drawing(chart.figure.axes[0], points)
    exact = int((points["test"] == "exact mid-p").sum())
    assert f"{exact} organisations with few expected events are tested exactly" in chart.alt
    assert "short bars" in chart.alt
    footer = [t.get_text() for t in chart.figure.texts if t.get_gid() == "source"][0]
    assert "tested exactly" in " ".join(footer.split())
    panels = funnel_panels([FunnelPanel("3", points, limits)])
    _check_drawing(panels.figure.axes[0], points)
    assert "short bars" in panels.alt


def test_a_funnel_with_no_exact_test_says_nothing_of_it(disciplinary) -> None:
    points, limits = funnel_tables(disciplinary, "3", 2019)
    normal = points[points["test"] == "normal"]
    chart = funnel_chart(normal, limits, indicator="3")
    assert "tested exactly" not in chart.alt
    assert not [c for c in chart.figure.axes[0].collections if c.get_gid() == "exact-limits"]
