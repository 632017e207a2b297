"""non_adverse and is_significant."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wres_analysis.stats import is_significant, non_adverse


def test_non_adverse_bounds_are_inclusive() -> None:
    got = non_adverse([0.0, 0.7999, 0.8, 1.0, 1.25, 1.2501, np.inf])
    assert got.tolist() == ["below", "below", "within", "within", "within", "above", "above"]
    assert list(got.cat.categories) == ["below", "within", "above"]


def test_non_adverse_missing_and_index() -> None:
    got = non_adverse(pd.Series([np.nan, 2.0], index=["RXA", "RXB"]))
    assert list(got.index) == ["RXA", "RXB"]
    assert pd.isna(got["RXA"]) and got["RXB"] == "above"


def test_non_adverse_custom_range_and_errors() -> None:
    assert non_adverse(1.1, lower=0.9, upper=1.1).tolist() == ["within"]
    with pytest.raises(ValueError, match="0 < lower < upper"):
        non_adverse(1.0, lower=1.25, upper=0.8)
    with pytest.raises(TypeError, match="`lower` must be a number"):
        non_adverse(1.0, lower="0.8")


def test_is_significant() -> None:
    got = is_significant([1.01, 0.5, 0.0, 0.2, np.nan], [3.0, 1.5, np.inf, 0.99, 2.0])
    assert got.tolist() == [True, False, False, True, False]
    assert got.dtype == bool and got.name == "significant"


def test_is_significant_for_differences_and_boundaries() -> None:
    # the interval must exclude the null strictly: a limit equal to it is not significant
    got = is_significant([0.01, -0.2, 0.0], [0.3, -0.01, 0.2], null=0.0)
    assert got.tolist() == [True, True, False]


def test_is_significant_rejects_reversed_interval() -> None:
    with pytest.raises(ValueError, match=r"`lower` must not exceed `upper`.*position 1"):
        is_significant([0.5, 2.0], [1.5, 1.0])
