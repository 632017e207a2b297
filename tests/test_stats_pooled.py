"""pooled_relative_likelihood: Mantel-Haenszel with Greenland-Robins interval, crude ratio."""

from __future__ import annotations

import math

import numpy as np
import pytest

from wres_analysis.stats import pooled_relative_likelihood, relative_likelihood

Z95 = 1.959963984540054


def test_single_stratum_reduces_to_katz() -> None:
    # one stratum: RR_MH is the ratio, and the Greenland-Robins variance is the Katz variance
    pooled = pooled_relative_likelihood([30], [200], [12], [150]).iloc[0]
    katz = relative_likelihood(30, 200, 12, 150, method="katz").iloc[0]
    for column in ("estimate", "lower", "upper"):
        assert pooled[column] == pytest.approx(katz[column], rel=1e-12)


def test_simpsons_paradox_mh_sees_no_difference() -> None:
    # within each trust the two groups fare identically; group 2 applies mostly where
    # appointment rates are low, so the crude ratio shows a spurious gap
    x1, n1 = [80, 10], [200, 200]
    x2, n2 = [20, 40], [50, 800]
    result = pooled_relative_likelihood(x1, n1, x2, n2, method=("mantel-haenszel", "crude"))
    mh, crude = result.iloc[0], result.iloc[1]
    assert mh["estimate"] == pytest.approx(1.0, rel=1e-12)
    assert mh["lower"] < 1 < mh["upper"]
    assert crude["estimate"] == pytest.approx((90 / 400) / (60 / 850), rel=1e-12)
    assert crude["lower"] > 1  # the national headline would "find" a gap


def test_crude_row_uses_requested_interval_on_summed_counts() -> None:
    x1, n1, x2, n2 = [5, 9, 1], [40, 60, 12], [3, 2, 4], [30, 25, 50]
    result = pooled_relative_likelihood(x1, n1, x2, n2, method="crude", crude_interval="koopman")
    expected = relative_likelihood(15, 112, 9, 105, method="koopman").iloc[0]
    assert list(result["method"]) == ["crude"]
    for column in ("estimate", "lower", "upper"):
        assert result.iloc[0][column] == pytest.approx(expected[column], rel=1e-12)


def test_greenland_robins_formula_by_hand() -> None:
    x1, n1, x2, n2 = np.array([4, 0, 7]), np.array([20, 15, 30]), np.array([2, 3, 1]), np.array(
        [25, 15, 10])
    big_n = n1 + n2
    r = sum(x1 * n2 / big_n)
    s = sum(x2 * n1 / big_n)
    p = sum((n1 * n2 * (x1 + x2) - x1 * x2 * big_n) / big_n**2)
    est, se = r / s, math.sqrt(p / (r * s))
    got = pooled_relative_likelihood(x1, n1, x2, n2).iloc[0]
    assert got["estimate"] == pytest.approx(est, rel=1e-12)
    assert got["lower"] == pytest.approx(est * math.exp(-Z95 * se), rel=1e-12)
    assert got["upper"] == pytest.approx(est * math.exp(Z95 * se), rel=1e-12)


def test_order_of_strata_does_not_matter_and_shape() -> None:
    a = pooled_relative_likelihood([4, 9], [20, 30], [2, 5], [25, 40])
    b = pooled_relative_likelihood([9, 4], [30, 20], [5, 2], [40, 25])
    assert a["estimate"].iloc[0] == pytest.approx(b["estimate"].iloc[0], rel=1e-14)
    assert list(a.columns) == ["estimate", "lower", "upper", "method", "confidence"]
    assert list(a.index) == [0]


def test_zero_sums() -> None:
    none = pooled_relative_likelihood([0, 0], [5, 6], [0, 0], [7, 8]).iloc[0]
    assert math.isnan(none["estimate"]) and none["lower"] == 0 and none["upper"] == math.inf
    zero = pooled_relative_likelihood([0, 0], [5, 6], [1, 0], [7, 8]).iloc[0]
    assert zero["estimate"] == 0 and zero["lower"] == 0 and zero["upper"] == math.inf


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="`method` must be one of"):
        pooled_relative_likelihood([1], [2], [1], [2], method="peto")
    with pytest.raises(ValueError, match="`method` must be one of"):
        pooled_relative_likelihood([1], [2], [1], [2], method=[])
    with pytest.raises(ValueError, match="`crude_interval` must be one of"):
        pooled_relative_likelihood([1], [2], [1], [2], crude_interval="exact")
    with pytest.raises(ValueError, match="at least one stratum"):
        pooled_relative_likelihood([], [], [], [])
    with pytest.raises(ValueError, match=r"`n1` must be positive.*position 1"):
        pooled_relative_likelihood([1, 0], [2, 0], [1, 1], [2, 2])
