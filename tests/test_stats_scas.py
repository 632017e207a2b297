"""SCAS (skewness-corrected asymptotic score) intervals: published values, an independent
brute-force oracle, properties, and the balance of the two tails at indicator-3 sizes.

Published values: Gart & Nam (1988) and (1990) give the skewness-corrected score interval
without the ``N/(N-1)`` factor (reachable here through the solvers' ``correction=False``);
the ``ratesci`` documentation (Laud) gives SCAS itself for 5/56 v 0/29.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import brentq, minimize_scalar
from scipy.stats import binom, norm

from tests.oracles import constrained_ratio_mle
from wres_analysis.stats import difference, relative_likelihood
from wres_analysis.stats.difference import _score_limits as difference_limits
from wres_analysis.stats.ratio import _score_limits as ratio_limits

Z95 = 1.959963984540054


def _arrays(*values: float) -> list[np.ndarray]:
    return [np.array([v], dtype=float) for v in values]


# --- published values ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ((8, 15, 4, 15), (0.806, 6.148)),  # Gart & Nam 1988, skewness-corrected score
        ((6, 10, 6, 20), (0.822, 4.954)),
    ],
)
def test_gart_nam_1988_skewness_corrected_ratio(table, expected) -> None:
    lower, upper = ratio_limits(
        *_arrays(*table), Z95, correction=False, skew=True
    )
    assert round(float(lower[0]), 3) == expected[0]
    assert round(float(upper[0]), 3) == expected[1]


@pytest.mark.parametrize(
    ("table", "expected"),
    [((8, 15, 4, 15), (0.815, 5.336)), ((6, 10, 6, 20), (0.844, 4.594))],
)
def test_gart_nam_1988_uncorrected_score_is_koopman(table, expected) -> None:
    got = relative_likelihood(*table, method="koopman").iloc[0]
    assert (round(got["lower"], 3), round(got["upper"], 3)) == expected


def test_gart_nam_1990_skewness_corrected_difference() -> None:
    # 7/25 v 2/25: skewness-corrected (-0.014, 0.414); without the correction (-0.014, 0.412)
    table = _arrays(7, 25, 2, 25)
    lower, upper = difference_limits(*table, Z95, correction=False, skew=True)
    assert (round(float(lower[0]), 3), round(float(upper[0]), 3)) == (-0.014, 0.414)
    lower, upper = difference_limits(*table, Z95, correction=False, skew=False)
    assert (round(float(lower[0]), 3), round(float(upper[0]), 3)) == (-0.014, 0.412)


def test_ratesci_documented_scas_values() -> None:
    # ratesci README / "Basic contrasts" vignette, 5/56 v 0/29: SCAS difference
    # (-0.0186, 0.1867), Gart-Nam difference (-0.0172, 0.1859), SCAS ratio (0.7696, inf)
    got = difference(5, 56, 0, 29, method="scas").iloc[0]
    assert (round(got["lower"], 4), round(got["upper"], 4)) == (-0.0186, 0.1867)
    lower, upper = difference_limits(
        *_arrays(5, 56, 0, 29), Z95, correction=False, skew=True
    )
    assert (round(float(lower[0]), 4), round(float(upper[0]), 4)) == (-0.0172, 0.1859)
    ratio = relative_likelihood(5, 56, 0, 29, method="scas").iloc[0]
    assert round(ratio["lower"], 4) == 0.7696 and ratio["upper"] == math.inf
    assert ratio["estimate"] == math.inf


def test_scas_is_the_default_ratio_method() -> None:
    got = relative_likelihood(7, 34, 1, 34).iloc[0]
    assert got["method"] == "scas"
    # the independent statistical review's own SCAS implementation (shared/reviews/
    # statistics-2026-12.md, section 0) gives (1.2383, 129.33) for this table
    assert (round(got["lower"], 4), round(got["upper"], 2)) == (1.2383, 129.33)
    # Fagerland et al. (2015)'s example; their published score limits are MN and Koopman
    # (tests/data/ci_test_vectors.csv). SCAS lifts the upper limit far more than the lower:
    # the ratio's sampling distribution is right-skewed with one event in group 2.
    mn = relative_likelihood(7, 34, 1, 34, method="miettinen-nurminen").iloc[0]
    assert round(mn["lower"], 4) == 1.2086 and round(mn["upper"], 4) == 43.0330
    assert mn["lower"] < got["lower"] < 1.05 * mn["lower"]
    assert got["upper"] > 2 * mn["upper"]


# --- independent oracle: numerical constrained MLE, brute-force root scan ---------------------


def _ratio_scas(theta: float, x1: int, n1: int, x2: int, n2: int, z: float) -> float:
    """T - (z^2 - 1) mu3 / (6 V^1.5), written out from Laud (2017) with the numerical MLE."""
    p1, p2 = constrained_ratio_mle(theta, x1, n1, x2, n2)
    lam = (n1 + n2) / (n1 + n2 - 1)
    var = lam * (p1 * (1 - p1) / n1 + theta**2 * p2 * (1 - p2) / n2)
    mu3 = p1 * (1 - p1) * (1 - 2 * p1) / n1**2 - theta**3 * p2 * (1 - p2) * (1 - 2 * p2) / n2**2
    return _corrected(x1 / n1 - theta * x2 / n2, var, mu3, z)


def _corrected(num: float, var: float, mu3: float, z: float) -> float:
    if var <= 0:  # a degenerate point: the statistic is infinite, signed by its numerator
        return math.copysign(1e12, num) if num else 0.0
    return num / math.sqrt(var) - (z * z - 1) * mu3 / (6 * var**1.5)


def _scan_roots(f, lo: float, hi: float, points: int = 1201) -> list[float]:
    grid = np.linspace(lo, hi, points)
    values = np.array([f(u) for u in grid])
    roots = []
    for i in np.flatnonzero(np.sign(values[:-1]) != np.sign(values[1:])):
        roots.append(brentq(f, grid[i], grid[i + 1], xtol=1e-14, rtol=1e-14))
    return roots


def _oracle_ratio_interval(x1, n1, x2, n2, z=Z95) -> tuple[float, float]:
    """Every crossing of +/- z on a fine grid of log(theta), each polished by brentq. The
    skewness term can add a spurious crossing on the far side of the estimate (a zero cell) or
    next to it (a group at 100%); the limit is the crossing nearest the far end, where the
    one-sided test first stops rejecting: the smallest for the lower limit, the largest for
    the upper."""
    p1, p2 = (x1 + 0.5) / (n1 + 0.5), (x2 + 0.5) / (n2 + 0.5)
    centre = math.log(p1 / p2)
    lower, upper = 0.0, math.inf
    if x1 > 0:
        roots = _scan_roots(lambda u: _ratio_scas(math.exp(u), x1, n1, x2, n2, z) - z,
                            centre - 12, centre + 12, points=481)
        lower = math.exp(min(roots))
    if x2 > 0:
        roots = _scan_roots(lambda u: _ratio_scas(math.exp(u), x1, n1, x2, n2, z) + z,
                            centre - 12, centre + 12, points=481)
        upper = math.exp(max(roots))
    return lower, upper


RATIO_TABLES = [
    (8, 15, 4, 15),
    (6, 10, 6, 20),
    (7, 34, 1, 34),
    (5, 56, 0, 29),
    (0, 20, 3, 25),
    (3, 300, 30, 3000),
    (1, 150, 12, 4000),
    (10, 10, 5, 10),  # group 1 at 100%
    (5, 5, 3, 3),  # both at 100%
    (29, 55, 11, 11),
    (1, 1, 0, 1),
    (3, 4, 0, 2),
    (40, 40, 3, 3),
    (1, 2000, 4, 12),
    (1, 1, 12, 12),  # both at 100%: a second crossing beside the estimate
    (30, 30, 999, 1000),
]


@pytest.mark.parametrize("table", RATIO_TABLES)
def test_scas_ratio_matches_brute_force_oracle(table) -> None:
    expected = _oracle_ratio_interval(*table)
    got = relative_likelihood(*table, method="scas").iloc[0]
    assert got["lower"] == pytest.approx(expected[0], rel=1e-7)
    assert got["upper"] == pytest.approx(expected[1], rel=1e-7)


def test_scas_ratio_matches_oracle_at_other_levels() -> None:
    for confidence in (0.5, 0.998):
        z = float(norm.isf((1 - confidence) / 2))
        expected = _oracle_ratio_interval(3, 300, 30, 3000, z)
        got = relative_likelihood(3, 300, 30, 3000, method="scas", confidence=confidence)
        assert got.loc[0, "lower"] == pytest.approx(expected[0], rel=1e-7)
        assert got.loc[0, "upper"] == pytest.approx(expected[1], rel=1e-7)


def _difference_scas(delta: float, x1: int, n1: int, x2: int, n2: int, z: float) -> float:
    lo, hi = max(0.0, -delta), min(1.0, 1.0 - delta)

    def negloglik(p2: float) -> float:
        p1, tiny = p2 + delta, 1e-300
        return -(
            x1 * math.log(max(p1, tiny))
            + (n1 - x1) * math.log(max(1 - p1, tiny))
            + x2 * math.log(max(p2, tiny))
            + (n2 - x2) * math.log(max(1 - p2, tiny))
        )

    opt = minimize_scalar(negloglik, bounds=(lo, hi), method="bounded",
                          options={"xatol": 1e-15})
    p2 = min((opt.x, lo, hi), key=negloglik)
    p1 = p2 + delta
    lam = (n1 + n2) / (n1 + n2 - 1)
    var = lam * (p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    mu3 = p1 * (1 - p1) * (1 - 2 * p1) / n1**2 - p2 * (1 - p2) * (1 - 2 * p2) / n2**2
    return _corrected(x1 / n1 - x2 / n2 - delta, var, mu3, z)


@pytest.mark.parametrize(
    "table",
    [(5, 56, 0, 29), (7, 25, 2, 25), (56, 70, 48, 80), (0, 10, 0, 20), (10, 10, 0, 20),
     (3, 300, 30, 3000), (9, 12, 250, 4000), (1, 1, 0, 1), (3, 3, 5, 5), (0, 1, 0, 1),
     (0, 30, 1, 1000)],
)
def test_scas_difference_matches_brute_force_oracle(table) -> None:
    got = difference(*table, method="scas").iloc[0]
    eps = 1e-9
    estimate = table[0] / table[1] - table[2] / table[3]
    lows = _scan_roots(lambda d: _difference_scas(d, *table, Z95) - Z95, -1 + eps, 1 - eps,
                       points=501)
    highs = _scan_roots(lambda d: _difference_scas(d, *table, Z95) + Z95, -1 + eps, 1 - eps,
                        points=501)
    # as for the ratio: the crossing nearest the far end (-1 or 1) is the limit
    assert got["lower"] == pytest.approx(min(lows) if estimate > -1 else -1.0, abs=1e-8)
    assert got["upper"] == pytest.approx(max(highs) if estimate < 1 else 1.0, abs=1e-8)


# --- properties ------------------------------------------------------------------------------


@pytest.mark.parametrize("func", [relative_likelihood, difference])
def test_scas_nested_in_confidence(func) -> None:
    levels = [0.5, 0.8, 0.9, 0.95, 0.99, 0.998]
    for table in [(3, 300, 30, 3000), (7, 34, 1, 34), (0, 20, 3, 25), (10, 10, 5, 10)]:
        frames = [func(*table, method="scas", confidence=c).iloc[0] for c in levels]
        lowers = [f["lower"] for f in frames]
        uppers = [f["upper"] for f in frames]
        assert lowers == sorted(lowers, reverse=True), table
        assert uppers == sorted(uppers), table


def test_scas_swap_inverts_ratio_and_negates_difference() -> None:
    x1, n1 = [3, 7, 0, 10, 5], [300, 34, 20, 10, 5]
    x2, n2 = [30, 1, 3, 5, 3], [3000, 34, 25, 10, 3]
    forward = relative_likelihood(x1, n1, x2, n2, method="scas")
    backward = relative_likelihood(x2, n2, x1, n1, method="scas")
    with np.errstate(divide="ignore"):
        np.testing.assert_allclose(backward["lower"], 1 / forward["upper"], rtol=1e-9)
        np.testing.assert_allclose(backward["upper"], 1 / forward["lower"], rtol=1e-9)
    forward = difference(x1, n1, x2, n2, method="scas")
    backward = difference(x2, n2, x1, n1, method="scas")
    np.testing.assert_allclose(backward["lower"], -forward["upper"], atol=1e-10)
    np.testing.assert_allclose(backward["upper"], -forward["lower"], atol=1e-10)


def test_scas_zero_cells_and_full_groups() -> None:
    got = relative_likelihood([0, 4, 0, 5, 0], [10, 10, 10, 5, 3], [3, 0, 0, 3, 2],
                              [9, 9, 9, 3, 2], method="scas")
    assert got.loc[0, "estimate"] == 0 and got.loc[0, "lower"] == 0
    assert 0 < got.loc[0, "upper"] < np.inf
    assert got.loc[1, "estimate"] == np.inf and got.loc[1, "upper"] == np.inf
    assert 0 < got.loc[1, "lower"] < np.inf
    assert np.isnan(got.loc[2, "estimate"])
    assert (got.loc[2, "lower"], got.loc[2, "upper"]) == (0.0, np.inf)
    # both groups at 100%: a finite interval around 1
    assert got.loc[3, "lower"] < 1 < got.loc[3, "upper"] < np.inf
    assert got.loc[4, "lower"] == 0 and 0 < got.loc[4, "upper"] < 1
    diff = difference([0, 10, 0, 10], [10, 10, 10, 10], [0, 0, 20, 10], [20, 20, 20, 10],
                      method="scas")
    assert (diff["lower"] >= -1).all() and (diff["upper"] <= 1).all()
    assert diff.loc[0, "lower"] < 0 < diff.loc[0, "upper"]
    assert diff.loc[1, "upper"] == 1.0 and diff.loc[1, "lower"] > 0
    assert diff.loc[2, "lower"] == -1.0 and diff.loc[2, "upper"] < 0
    assert diff.loc[3, "lower"] < 0 < diff.loc[3, "upper"]


@pytest.mark.parametrize("func", [relative_likelihood, difference])
def test_scas_approaches_miettinen_nurminen_as_groups_grow(func) -> None:
    gaps = []
    for k in (1, 10, 100, 1000):
        table = (3 * k, 300 * k, 30 * k, 3000 * k)
        scas = func(*table, method="scas").iloc[0]
        mn = func(*table, method="miettinen-nurminen").iloc[0]
        scale = np.log if func is relative_likelihood else (lambda v: v)
        gaps.append(max(abs(scale(scas[c]) - scale(mn[c])) for c in ("lower", "upper")))
    assert gaps == sorted(gaps, reverse=True)
    assert gaps[-1] < 0.02 * gaps[0]


# --- the point of SCAS: balanced tails at indicator-3 sizes ----------------------------------


def _exact_tails(method: str, n1: int, p1: float, n2: int, p2: float) -> tuple[float, float]:
    """P(interval wholly above the true ratio), P(wholly below), by exact enumeration."""
    x1 = np.arange(binom.ppf(1e-12, n1, p1), binom.isf(1e-12, n1, p1) + 1)
    x2 = np.arange(binom.ppf(1e-12, n2, p2), binom.isf(1e-12, n2, p2) + 1)
    g1, g2 = np.meshgrid(x1, x2, indexing="ij")
    weight = (binom.pmf(g1, n1, p1) * binom.pmf(g2, n2, p2)).ravel()
    ci = relative_likelihood(g1.ravel(), n1, g2.ravel(), n2, method=method)
    truth = p1 / p2
    above = float(weight[ci["lower"].to_numpy() > truth].sum())
    below = float(weight[ci["upper"].to_numpy() < truth].sum())
    return above, below


def test_scas_balances_the_tails_that_miettinen_nurminen_does_not() -> None:
    # 300 BME v 3,000 white staff, 1% entering the disciplinary process, no true difference
    mn_above, mn_below = _exact_tails("miettinen-nurminen", 300, 0.01, 3000, 0.01)
    assert mn_above > 0.032 and mn_below < 0.01  # "more likely" too easy, "less" too hard
    above, below = _exact_tails("scas", 300, 0.01, 3000, 0.01)
    assert 0.018 < above < 0.03 and 0.018 < below < 0.03
