"""relative_likelihood: edge cases, input handling and an independent score-interval oracle."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import brentq

from tests.oracles import constrained_ratio_mle
from wres_analysis.stats import RATIO_METHODS, relative_likelihood

Z95 = 1.959963984540054


def _oracle_score_statistic(theta: float, x1: int, n1: int, x2: int, n2: int, mn: bool) -> float:
    """Score statistic with the constrained MLE found numerically (no closed form)."""
    p1, p2 = constrained_ratio_mle(theta, x1, n1, x2, n2)
    var = p1 * (1 - p1) / n1 + theta**2 * p2 * (1 - p2) / n2
    if mn:
        var *= (n1 + n2) / (n1 + n2 - 1)
    return (x1 / n1 - theta * x2 / n2) / math.sqrt(var)


def _oracle_score_interval(x1: int, n1: int, x2: int, n2: int, mn: bool) -> tuple[float, float]:
    """Score interval by scalar root finding on the numerical score statistic."""
    log_est = math.log((x1 / n1) / (x2 / n2))

    def stat(u: float) -> float:
        return _oracle_score_statistic(math.exp(u), x1, n1, x2, n2, mn)

    low = brentq(lambda u: stat(u) - Z95, log_est - 15, log_est - 1e-9, xtol=1e-14)
    high = brentq(lambda u: stat(u) + Z95, log_est + 1e-9, log_est + 15, xtol=1e-14)
    return math.exp(low), math.exp(high)


# boundary tables: 100% in a group (where statsmodels 0.15 is wrong), small and unbalanced groups
BOUNDARY_TABLES = [
    (5, 5, 1, 7),
    (5, 5, 3, 7),
    (20, 20, 12, 13),
    (2, 5, 7, 7),
    (5, 5, 7, 7),
    (1, 1, 1, 1),
    (40, 40, 3, 3),
    (3, 250, 9, 9),
    (1, 2000, 4, 12),
]


@pytest.mark.parametrize("table", BOUNDARY_TABLES)
@pytest.mark.parametrize("method", ["koopman", "miettinen-nurminen"])
def test_score_interval_matches_numerical_oracle(table: tuple[int, ...], method: str) -> None:
    expected = _oracle_score_interval(*table, mn=method == "miettinen-nurminen")
    got = relative_likelihood(*table, method=method).iloc[0]
    assert got["lower"] == pytest.approx(expected[0], rel=1e-7)
    assert got["upper"] == pytest.approx(expected[1], rel=1e-7)


@pytest.mark.parametrize("method", ["koopman", "miettinen-nurminen"])
def test_score_zero_cells(method: str) -> None:
    got = relative_likelihood([0, 4, 0, 0], [10, 10, 10, 3], [3, 0, 0, 2], [9, 9, 9, 2],
                              method=method)
    # x1 = 0: estimate 0, lower exactly 0, upper finite
    assert got.loc[0, "estimate"] == 0 and got.loc[0, "lower"] == 0
    assert 0 < got.loc[0, "upper"] < np.inf
    # x2 = 0: estimate inf, upper inf, lower finite and positive
    assert got.loc[1, "estimate"] == np.inf and got.loc[1, "upper"] == np.inf
    assert 0 < got.loc[1, "lower"] < np.inf
    # 0/0: no estimate, uninformative interval
    assert np.isnan(got.loc[2, "estimate"])
    assert got.loc[2, "lower"] == 0 and got.loc[2, "upper"] == np.inf
    # x1 = 0 and x2 = n2: upper finite, lower 0
    assert got.loc[3, "lower"] == 0 and 0 < got.loc[3, "upper"] < 1


def test_score_upper_limit_for_zero_numerator_solves_score_equation() -> None:
    upper = relative_likelihood(0, 12, 5, 20, method="miettinen-nurminen").loc[0, "upper"]
    assert _oracle_score_statistic(upper, 0, 12, 5, 20, mn=True) == pytest.approx(-Z95, abs=1e-6)


def test_katz_zero_cells_are_uninformative() -> None:
    got = relative_likelihood([0, 3, 0], [5, 5, 5], [2, 0, 0], [6, 6, 6], method="katz")
    assert got["lower"].tolist() == [0.0, 0.0, 0.0]
    assert got["upper"].tolist() == [np.inf, np.inf, np.inf]
    assert got["estimate"].iloc[0] == 0 and got["estimate"].iloc[1] == np.inf
    assert np.isnan(got["estimate"].iloc[2])


def test_katz_formula() -> None:
    x1, n1, x2, n2 = 30, 200, 12, 150
    est = (x1 / n1) / (x2 / n2)
    se = math.sqrt(1 / x1 - 1 / n1 + 1 / x2 - 1 / n2)
    got = relative_likelihood(x1, n1, x2, n2, method="katz", confidence=0.9).iloc[0]
    z90 = 1.6448536269514722
    assert got["lower"] == pytest.approx(est * math.exp(-z90 * se), rel=1e-12)
    assert got["upper"] == pytest.approx(est * math.exp(z90 * se), rel=1e-12)


def test_adjusted_log_reports_unadjusted_estimate() -> None:
    got = relative_likelihood(0, 10, 4, 10, method="adjusted-log").iloc[0]
    assert got["estimate"] == 0
    centre = (0.5 / 10.5) / (4.5 / 10.5)
    se = math.sqrt(1 / 0.5 - 1 / 10.5 + 1 / 4.5 - 1 / 10.5)
    assert got["lower"] == pytest.approx(centre * math.exp(-Z95 * se), rel=1e-12)
    assert got["upper"] == pytest.approx(centre * math.exp(Z95 * se), rel=1e-12)


@pytest.mark.parametrize("method", RATIO_METHODS)
def test_both_zero_gives_nan_and_uninformative_interval(method: str) -> None:
    got = relative_likelihood(0, 4, 0, 9, method=method).iloc[0]
    assert np.isnan(got["estimate"]) and got["lower"] == 0 and got["upper"] == np.inf


@pytest.mark.parametrize("method", RATIO_METHODS)
def test_higher_confidence_gives_wider_interval(method: str) -> None:
    narrow = relative_likelihood(12, 80, 20, 90, method=method, confidence=0.9).iloc[0]
    wide = relative_likelihood(12, 80, 20, 90, method=method, confidence=0.99).iloc[0]
    assert wide["lower"] < narrow["lower"] < narrow["upper"] < wide["upper"]


def test_frame_shape_and_index() -> None:
    x1 = pd.Series([10, 20], index=["RXA", "RXB"])
    n1 = pd.Series([100, 120], index=["RXA", "RXB"])
    got = relative_likelihood(x1, n1, 5, 90)
    assert list(got.columns) == ["estimate", "lower", "upper", "method", "confidence"]
    assert list(got.index) == ["RXA", "RXB"]
    assert (got["method"] == "scas").all() and (got["confidence"] == 0.95).all()
    assert got["estimate"].tolist() == [0.1 / (5 / 90), (20 / 120) / (5 / 90)]
    scalar = relative_likelihood(1, 2, 1, 2)
    assert isinstance(scalar.index, pd.RangeIndex) and len(scalar) == 1
    arrays = relative_likelihood(np.array([1, 2]), [3, 4], np.array([1, 1]), [2, 2])
    assert isinstance(arrays.index, pd.RangeIndex) and len(arrays) == 2


def test_empty_input_gives_empty_frame() -> None:
    got = relative_likelihood([], [], [], [])
    assert got.empty and list(got.columns)[:3] == ["estimate", "lower", "upper"]


def test_inputs_are_not_mutated() -> None:
    x1 = np.array([3, 0, 7])
    n1 = pd.Series([10, 10, 10])
    x2 = [1, 2, 0]
    n2 = np.array([5.0, 5.0, 5.0])
    before = (x1.copy(), n1.copy(), list(x2), n2.copy())
    for method in RATIO_METHODS:
        relative_likelihood(x1, n1, x2, n2, method=method)
    np.testing.assert_array_equal(x1, before[0])
    pd.testing.assert_series_equal(n1, before[1])
    assert x2 == before[2]
    np.testing.assert_array_equal(n2, before[3])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (([1, -1], [2, 2], [1, 1], [2, 2]), r"`x1` must be non-negative.*position 1"),
        (([1, 1], [2, 2], [3, 1], [2, 2]), r"`x2` must not exceed `n2`.*position 0"),
        (([1, 0], [2, 0], [1, 1], [2, 2]), r"`n1` must be positive.*position 1"),
        (([1, 1.5], [2, 2], [1, 1], [2, 2]), r"`x1` must be a whole number.*position 1"),
        (([1, 1], [2, 2], [1, np.nan], [2, 2]), r"`x2` must be finite.*position 1"),
        (([1, 1, 1], [2, 2], [1], [2]), r"equal lengths"),
    ],
)
def test_invalid_counts_raise_value_error(args: tuple, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        relative_likelihood(*args)


def test_error_names_series_label() -> None:
    x1 = pd.Series([1, 9], index=["RXA", "RXB"])
    with pytest.raises(ValueError, match=r"position 1 \(index label 'RXB'\)"):
        relative_likelihood(x1, 5, 1, 5)


def test_misaligned_series_raise() -> None:
    with pytest.raises(ValueError, match="same index"):
        relative_likelihood(pd.Series([1, 2], index=["a", "b"]),
                            pd.Series([3, 3], index=["b", "a"]), 1, 3)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="`method` must be one of"):
        relative_likelihood(1, 2, 1, 2, method="wald")
    with pytest.raises(ValueError, match="`confidence` must be strictly between 0 and 1"):
        relative_likelihood(1, 2, 1, 2, confidence=95)
    with pytest.raises(TypeError, match="`confidence`"):
        relative_likelihood(1, 2, 1, 2, confidence="0.95")
    with pytest.raises(TypeError, match="`x1` must be numeric"):
        relative_likelihood(["a"], [2], [1], [2])
    with pytest.raises(TypeError, match="`n2` must be numeric"):
        relative_likelihood(1, 2, 1, True)
    with pytest.raises(TypeError, match="DataFrame"):
        relative_likelihood(pd.DataFrame({"a": [1]}), 2, 1, 2)


def test_large_counts_are_accurate() -> None:
    # 200,000 vs 150,000 shortlisted: the score interval approaches the Katz interval
    x1, n1, x2, n2 = 40_000, 200_000, 22_500, 150_000
    score = relative_likelihood(x1, n1, x2, n2).iloc[0]
    katz = relative_likelihood(x1, n1, x2, n2, method="katz").iloc[0]
    assert score["lower"] == pytest.approx(katz["lower"], rel=1e-3)
    assert score["upper"] == pytest.approx(katz["upper"], rel=1e-3)
