"""Wilson interval for one proportion, against Newcombe (1998) Table I."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wres_analysis.stats.proportion import proportion

# Newcombe RG (1998) Stat Med 17:857-872, Table I, method 3 (Wilson score, no correction).
NEWCOMBE_1998 = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
]


@pytest.mark.parametrize(("x", "n", "lower", "upper"), NEWCOMBE_1998)
def test_wilson_matches_newcombe_table_1(x: int, n: int, lower: float, upper: float) -> None:
    result = proportion(x, n)
    assert result["lower"].iloc[0] == pytest.approx(lower, abs=5e-5)
    assert result["upper"].iloc[0] == pytest.approx(upper, abs=5e-5)
    assert result["estimate"].iloc[0] == pytest.approx(x / n)


def test_vectorised_and_keeps_series_index() -> None:
    x = pd.Series([0, 5, 10], index=["a", "b", "c"])
    result = proportion(x, [10, 10, 10], confidence=0.9)
    assert list(result.index) == ["a", "b", "c"]
    assert result.loc["a", "lower"] == 0 and result.loc["c", "upper"] == 1
    assert (result["lower"] <= result["estimate"]).all()
    assert (result["estimate"] <= result["upper"]).all()
    assert set(result["confidence"]) == {0.9}


def test_matches_scipy_wilson() -> None:
    from scipy.stats import binomtest

    for x, n in [(3, 17), (40, 41), (500, 1234)]:
        ci = binomtest(x, n).proportion_ci(confidence_level=0.95, method="wilson")
        ours = proportion(x, n).iloc[0]
        assert ours["lower"] == pytest.approx(ci.low, abs=1e-12)
        assert ours["upper"] == pytest.approx(ci.high, abs=1e-12)


def test_zero_denominator_is_nan_and_bad_input_raises() -> None:
    assert np.isnan(proportion(0, 0)[["estimate", "lower", "upper"]].to_numpy()).all()
    with pytest.raises(ValueError, match="x must not exceed n"):
        proportion([1, 5], [2, 4])
    with pytest.raises(ValueError, match="position 1"):
        proportion([1, 2.5], [3, 3])
    with pytest.raises(ValueError, match="confidence"):
        proportion(1, 2, confidence=95)
