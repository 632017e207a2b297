"""non_adverse and is_significant."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from wres_analysis.indicators.summaries import range_summary
from wres_analysis.stats import is_significant, non_adverse, relative_likelihood
from wres_analysis.text.formatting import format_value


def test_non_adverse_bounds_are_inclusive() -> None:
    got = non_adverse([0.0, 0.7949, 0.8, 1.0, 1.25, 1.2551, np.inf])
    assert got.tolist() == ["below", "below", "within", "within", "within", "above", "above"]
    assert list(got.cat.categories) == ["below", "within", "above"]


def test_non_adverse_unrounded_compares_the_floats() -> None:
    got = non_adverse([0.7999, 0.8, 1.25, 1.2501], decimals=None)
    assert got.tolist() == ["below", "within", "within", "above"]


def test_exact_boundary_ratio_is_within() -> None:
    # (2/3) / (5/6) is exactly 4/5 but evaluates to 0.7999999999999999 in floating point
    estimate = relative_likelihood(2, 3, 5, 6)["estimate"]
    assert estimate.iloc[0] < 0.8  # the rounding error the classification must not see
    assert non_adverse(estimate).tolist() == ["within"]


def test_every_table_with_exact_ratio_four_fifths_or_five_quarters_is_within() -> None:
    boundaries = {Fraction(4, 5), Fraction(5, 4)}
    x1, n1, x2, n2 = [], [], [], []
    for a in range(1, 31):
        for b in range(a, 31):
            for c in range(1, 31):
                for d in range(c, 31):
                    if Fraction(a, b) / Fraction(c, d) in boundaries:
                        x1.append(a), n1.append(b), x2.append(c), n2.append(d)
    estimate = relative_likelihood(x1, n1, x2, n2)["estimate"]
    assert len(estimate) > 1000
    assert (non_adverse(estimate) == "within").all()
    # the same tables compared as raw floats are the defect being guarded against
    assert (non_adverse(estimate, decimals=None) != "within").sum() > 0


def _label_of_printed(text: str) -> str:
    """The label a reader would give the printed value, with exact decimal arithmetic."""
    if text == "inf":
        return "above"
    shown = Fraction(text)
    if shown < Fraction("0.80"):
        return "below"
    return "above" if shown > Fraction("1.25") else "within"


def test_label_agrees_with_the_value_as_printed() -> None:
    rng = np.random.default_rng(11)
    near = np.concatenate(
        [
            0.8 + rng.uniform(-0.006, 0.006, 2000),
            1.25 + rng.uniform(-0.006, 0.006, 2000),
            np.array([0.795, 0.7949999999, 0.805, 1.245, 1.255, 1.2550000001, 0.0, np.inf]),
            np.nextafter(0.8, 0) - np.arange(5) * 1e-17,
        ]
    )
    labels = non_adverse(near).tolist()
    printed = [format_value(v, "relative_likelihood") for v in near]
    assert labels == [_label_of_printed(t) for t in printed]


def test_range_summary_counts_the_exact_boundary_as_within() -> None:
    estimate = float(relative_likelihood(2, 3, 5, 6)["estimate"].iloc[0])
    rows = pd.DataFrame(
        {
            "indicator": "3",
            "measure": "relative_likelihood",
            "breakdown": "entering the formal disciplinary process",
            "level": "organisation",
            "year": 2025,
            "area_code": ["RA1", "RA2"],
            "estimate": [estimate, 1.0 / estimate],
            "lower": [0.3, 0.5],
            "upper": [2.0, 3.0],
            "confidence": 0.95,
        }
    )
    summary = range_summary(rows, "3").set_index("category")["organisations"]
    assert summary.to_dict() == {"below": 0, "within": 2, "above": 0, "not defined": 0}


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
    with pytest.raises(TypeError, match="`decimals` must be a whole number"):
        non_adverse(1.0, decimals=2.0)
    with pytest.raises(ValueError, match="`decimals` must be between"):
        non_adverse(1.0, decimals=-1)


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
