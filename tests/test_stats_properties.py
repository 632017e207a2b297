"""Property tests (hypothesis) for the interval functions."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from wres_analysis.stats import DIFFERENCE_METHODS, RATIO_METHODS, difference, relative_likelihood

SETTINGS = settings(max_examples=60, deadline=None)


@st.composite
def tables(draw: st.DrawFn, max_n: int = 300) -> tuple[int, int, int, int]:
    n1 = draw(st.integers(1, max_n))
    n2 = draw(st.integers(1, max_n))
    return draw(st.integers(0, n1)), n1, draw(st.integers(0, n2)), n2


@st.composite
def table_arrays(draw: st.DrawFn) -> tuple[np.ndarray, ...]:
    rows = draw(st.lists(tables(), min_size=1, max_size=25))
    return tuple(np.array(col) for col in zip(*rows, strict=True))


def _rel_le(a: np.ndarray, b: np.ndarray, rel: float = 1e-9) -> np.ndarray:
    """a <= b up to a relative tolerance (and exactly for infinities)."""
    with np.errstate(invalid="ignore"):
        return (a <= b) | np.isclose(a, b, rtol=rel, atol=1e-12)


@SETTINGS
@given(table_arrays(), st.sampled_from(RATIO_METHODS))
def test_ratio_interval_ordered_contains_estimate_and_no_stray_nan(data, method) -> None:
    x1, n1, x2, n2 = data
    got = relative_likelihood(x1, n1, x2, n2, method=method)
    both_zero = (x1 == 0) & (x2 == 0)
    assert not got["lower"].isna().any() and not got["upper"].isna().any()
    assert (got["estimate"].isna().to_numpy() == both_zero).all()
    assert (got["lower"] >= 0).all()
    assert _rel_le(got["lower"].to_numpy(), got["upper"].to_numpy()).all()
    est = got["estimate"].to_numpy()
    check = ~both_zero
    if method == "adjusted-log":  # centred on the adjusted ratio, finite even at 0 and inf
        check &= (x1 > 0) & (x2 > 0)
    assert _rel_le(got["lower"].to_numpy()[check], est[check]).all()
    assert _rel_le(est[check], got["upper"].to_numpy()[check]).all()


@SETTINGS
@given(table_arrays(), st.sampled_from(DIFFERENCE_METHODS))
def test_difference_interval_ordered_contains_estimate_and_no_nan(data, method) -> None:
    x1, n1, x2, n2 = data
    got = difference(x1, n1, x2, n2, method=method)
    assert not got[["estimate", "lower", "upper"]].isna().any().any()
    lower, est, upper = (got[c].to_numpy() for c in ("lower", "estimate", "upper"))
    assert (lower >= -1).all() and (upper <= 1).all()
    assert (lower <= est + 1e-12).all() and (est <= upper + 1e-12).all()


@SETTINGS
@given(table_arrays(), st.sampled_from(RATIO_METHODS))
def test_swapping_groups_inverts_ratio_interval(data, method) -> None:
    x1, n1, x2, n2 = data
    forward = relative_likelihood(x1, n1, x2, n2, method=method)
    backward = relative_likelihood(x2, n2, x1, n1, method=method)
    with np.errstate(divide="ignore"):
        np.testing.assert_allclose(backward["lower"], 1 / forward["upper"], rtol=1e-8)
        np.testing.assert_allclose(backward["upper"], 1 / forward["lower"], rtol=1e-8)
        np.testing.assert_allclose(backward["estimate"], 1 / forward["estimate"], rtol=1e-12)


@SETTINGS
@given(table_arrays(), st.sampled_from(DIFFERENCE_METHODS))
def test_swapping_groups_negates_difference_interval(data, method) -> None:
    x1, n1, x2, n2 = data
    forward = difference(x1, n1, x2, n2, method=method)
    backward = difference(x2, n2, x1, n1, method=method)
    np.testing.assert_allclose(backward["lower"], -forward["upper"], atol=1e-9)
    np.testing.assert_allclose(backward["upper"], -forward["lower"], atol=1e-9)


@SETTINGS
@given(table_arrays(), st.integers(2, 20),
       st.sampled_from(["katz", "koopman", "miettinen-nurminen", "scas"]))
def test_ratio_intervals_narrow_as_counts_scale_up(data, k, method) -> None:
    x1, n1, x2, n2 = data
    small = relative_likelihood(x1, n1, x2, n2, method=method)
    large = relative_likelihood(k * x1, k * n1, k * x2, k * n2, method=method)
    # same estimate, interval nested inside the smaller sample's interval
    np.testing.assert_allclose(large["estimate"], small["estimate"], rtol=1e-12)
    assert _rel_le(small["lower"].to_numpy(), large["lower"].to_numpy(), 1e-8).all()
    assert _rel_le(large["upper"].to_numpy(), small["upper"].to_numpy(), 1e-8).all()


@SETTINGS
@given(table_arrays(), st.integers(2, 20))
def test_adjusted_log_narrows_when_counts_are_positive(data, k) -> None:
    x1, n1, x2, n2 = data
    keep = (x1 > 0) & (x2 > 0)
    if not keep.any():
        return
    x1, n1, x2, n2 = x1[keep], n1[keep], x2[keep], n2[keep]
    small = relative_likelihood(x1, n1, x2, n2, method="adjusted-log")
    large = relative_likelihood(k * x1, k * n1, k * x2, k * n2, method="adjusted-log")
    width_small = np.log(small["upper"]) - np.log(small["lower"])
    width_large = np.log(large["upper"]) - np.log(large["lower"])
    assert (width_large <= width_small + 1e-12).all()


@SETTINGS
@given(table_arrays(), st.integers(2, 20), st.sampled_from(DIFFERENCE_METHODS))
def test_difference_intervals_narrow_as_counts_scale_up(data, k, method) -> None:
    x1, n1, x2, n2 = data
    small = difference(x1, n1, x2, n2, method=method)
    large = difference(k * x1, k * n1, k * x2, k * n2, method=method)
    assert (large["lower"] >= small["lower"] - 1e-9).all()
    assert (large["upper"] <= small["upper"] + 1e-9).all()


@SETTINGS
@given(table_arrays())
def test_vectorised_equals_elementwise(data) -> None:
    x1, n1, x2, n2 = data
    whole = relative_likelihood(x1, n1, x2, n2)
    for i in range(min(len(x1), 5)):
        one = relative_likelihood(x1[i], n1[i], x2[i], n2[i]).iloc[0]
        for column in ("estimate", "lower", "upper"):
            np.testing.assert_allclose(whole[column].iloc[i], one[column], rtol=1e-10)
