"""difference: Newcombe and Miettinen-Nurminen intervals against independent computations."""

from __future__ import annotations

import math
from decimal import Decimal, localcontext

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import brentq, minimize_scalar
from scipy.stats import binomtest

from wres_analysis.stats import DIFFERENCE_METHODS, difference, wilson_interval

Z95 = 1.959963984540054


def _oracle_mn_statistic(delta: float, x1: int, n1: int, x2: int, n2: int) -> float:
    """MN score statistic with the constrained MLE found numerically."""
    lo, hi = max(0.0, delta), min(1.0, 1.0 + delta)

    def negloglik(p1: float) -> float:
        p2, tiny = p1 - delta, 1e-300
        return -(
            x1 * math.log(max(p1, tiny))
            + (n1 - x1) * math.log(max(1 - p1, tiny))
            + x2 * math.log(max(p2, tiny))
            + (n2 - x2) * math.log(max(1 - p2, tiny))
        )

    opt = minimize_scalar(negloglik, bounds=(lo, hi), method="bounded", options={"xatol": 1e-14})
    p1 = min((opt.x, lo, hi), key=negloglik)
    p2 = p1 - delta
    big_n = n1 + n2
    var = (p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2) * big_n / (big_n - 1)
    num = x1 / n1 - x2 / n2 - delta
    if num == 0:
        return 0.0
    return num / math.sqrt(var) if var > 0 else math.copysign(math.inf, num)


def _oracle_mn_interval(x1: int, n1: int, x2: int, n2: int) -> tuple[float, float]:
    est = x1 / n1 - x2 / n2
    low = -1.0 if est == -1 else brentq(
        lambda d: _oracle_mn_statistic(d, x1, n1, x2, n2) - Z95, -1 + 1e-12, est, xtol=1e-14
    )
    high = 1.0 if est == 1 else brentq(
        lambda d: _oracle_mn_statistic(d, x1, n1, x2, n2) + Z95, est, 1 - 1e-12, xtol=1e-14
    )
    return low, high


@pytest.mark.parametrize(
    "table",
    [(56, 70, 48, 80), (6, 7, 2, 7), (0, 10, 0, 20), (10, 10, 0, 20), (3, 9, 9, 9),
     (0, 40, 5, 6), (1, 300, 2, 25), (12, 12, 30, 31)],
)
def test_mn_difference_matches_numerical_oracle(table: tuple[int, ...]) -> None:
    expected = _oracle_mn_interval(*table)
    got = difference(*table, method="miettinen-nurminen").iloc[0]
    assert got["lower"] == pytest.approx(expected[0], abs=1e-7)
    assert got["upper"] == pytest.approx(expected[1], abs=1e-7)


def test_mn_difference_extremes() -> None:
    got = difference([0, 7], [5, 7], [5, 0], [5, 9], method="miettinen-nurminen")
    assert got.loc[0, "estimate"] == -1 and got.loc[0, "lower"] == -1
    assert -1 < got.loc[0, "upper"] < 0
    assert got.loc[1, "estimate"] == 1 and got.loc[1, "upper"] == 1
    assert 0 < got.loc[1, "lower"] < 1


@pytest.mark.parametrize(("x", "n"), [(0, 20), (1, 29), (81, 263), (20, 20), (7, 7)])
def test_wilson_matches_scipy(x: int, n: int) -> None:
    ci = binomtest(x, n).proportion_ci(confidence_level=0.95, method="wilson")
    low, high = wilson_interval(np.array([float(x)]), np.array([float(n)]), Z95)
    assert low[0] == pytest.approx(ci.low, abs=1e-12)
    assert high[0] == pytest.approx(ci.high, abs=1e-12)


def test_newcombe_formula_from_wilson_limits() -> None:
    x1, n1, x2, n2 = 33, 90, 15, 70
    ci1 = binomtest(x1, n1).proportion_ci(method="wilson")
    ci2 = binomtest(x2, n2).proportion_ci(method="wilson")
    p1, p2 = x1 / n1, x2 / n2
    got = difference(x1, n1, x2, n2, method="newcombe").iloc[0]
    assert got["estimate"] == pytest.approx(p1 - p2, abs=1e-15)
    assert got["lower"] == pytest.approx(
        p1 - p2 - math.hypot(p1 - ci1.low, ci2.high - p2), abs=1e-12)
    assert got["upper"] == pytest.approx(
        p1 - p2 + math.hypot(ci1.high - p1, p2 - ci2.low), abs=1e-12)


def test_frame_and_validation() -> None:
    x1 = pd.Series([3, 4], index=["a", "b"])
    got = difference(x1, 10, 2, 10, method="miettinen-nurminen", confidence=0.9)
    assert list(got.columns) == ["estimate", "lower", "upper", "method", "confidence"]
    assert list(got.index) == ["a", "b"]
    assert (got["confidence"] == 0.9).all()
    with pytest.raises(ValueError, match="`method` must be one of"):
        difference(1, 2, 1, 2, method="wald")
    with pytest.raises(ValueError, match=r"`x1` must not exceed `n1`.*position 1"):
        difference([1, 3], [2, 2], 1, 2)
    with pytest.raises(ValueError, match=r"`n2` must be positive"):
        difference(0, 2, 0, 0)


@pytest.mark.parametrize("method", DIFFERENCE_METHODS)
def test_interval_stays_in_range(method: str) -> None:
    got = difference([0, 50, 0, 1], [50, 50, 1, 1], [50, 0, 1, 0], [50, 50, 1, 1], method=method)
    assert (got["lower"] >= -1).all() and (got["upper"] <= 1).all()
    assert (got["lower"] <= got["estimate"]).all() and (got["estimate"] <= got["upper"]).all()


def _decimal_mn_upper(x1: int, n1: int, x2: int, n2: int) -> Decimal:
    """Upper Miettinen-Nurminen limit in 60-digit decimal arithmetic, by nested bisection.

    Inner: the constrained MLE ``p2`` is the root of the score
    ``x1/p1 - (n1-x1)/(1-p1) + x2/p2 - (n2-x2)/(1-p2)`` with ``p1 = p2 + delta`` (decreasing
    in ``p2``). Outer: the ``delta`` above the estimate where ``T(delta) = -z``.
    """
    z = Decimal(Z95)
    big_n = Decimal(n1 + n2)

    def mle(delta: Decimal) -> Decimal:
        lo, hi = max(Decimal(0), -delta), min(Decimal(1), 1 - delta)
        for _ in range(240):
            mid = (lo + hi) / 2
            p1 = mid + delta
            score = x1 / p1 - (n1 - x1) / (1 - p1) + x2 / mid - (n2 - x2) / (1 - mid)
            lo, hi = (mid, hi) if score > 0 else (lo, mid)
        return (lo + hi) / 2

    def statistic(delta: Decimal) -> Decimal:
        p2 = mle(delta)
        p1 = p2 + delta
        var = (p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2) * big_n / (big_n - 1)
        return (Decimal(x1) / n1 - Decimal(x2) / n2 - delta) / var.sqrt()

    est = Decimal(x1) / n1 - Decimal(x2) / n2
    lo, hi = est, est + Decimal("1e-6")
    assert statistic(hi) < -z
    for _ in range(80):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if statistic(mid) > -z else (lo, mid)
    return (lo + hi) / 2


def test_mn_difference_at_tiny_proportions_with_huge_groups() -> None:
    with localcontext() as ctx:
        ctx.prec = 60
        expected = float(_decimal_mn_upper(1, 10**9, 1, 10**9))
    assert expected == pytest.approx(4.737e-9, rel=1e-3)  # the value the review reports
    got = difference(1, 10**9, 1, 10**9, method="miettinen-nurminen").iloc[0]
    assert got["upper"] == pytest.approx(expected, rel=1e-3)
    assert got["lower"] == pytest.approx(-expected, rel=1e-3)  # equal tables: symmetric


def test_mn_difference_upper_limit_with_a_zero_cell_in_a_huge_group() -> None:
    with localcontext() as ctx:
        ctx.prec = 60
        expected = float(_decimal_mn_upper(5, 10**9, 0, 10**6))
    assert expected == pytest.approx(1.1706e-8, rel=1e-3)  # the value the review reports
    got = difference(5, 10**9, 0, 10**6, method="miettinen-nurminen").iloc[0]
    assert got["upper"] == pytest.approx(expected, rel=1e-3)
