"""Classifying relative likelihoods: the non-adverse range and interval-based significance."""

from __future__ import annotations

from numbers import Real
from typing import Any

import numpy as np
import pandas as pd

from wres_analysis.contract import NON_ADVERSE_RANGE

from ._validation import as_float_array, broadcast

__all__ = ["NON_ADVERSE_LABELS", "RATIO_DECIMALS", "is_significant", "non_adverse"]

#: Labels returned by :func:`non_adverse`, in order.
NON_ADVERSE_LABELS: tuple[str, ...] = ("below", "within", "above")

#: Decimal places a relative likelihood is published with (the report's text, tables and
#: alt text), and so the precision :func:`non_adverse` classifies at by default.
RATIO_DECIMALS = 2


def _check_bound(value: Any, name: str) -> float:
    if isinstance(value, bool | np.bool_) or not isinstance(value, Real):
        raise TypeError(f"`{name}` must be a number; got {value!r}")
    out = float(value)
    if not np.isfinite(out):
        raise ValueError(f"`{name}` must be finite; got {out!r}")
    return out


def _check_decimals(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer):
        raise TypeError(f"`decimals` must be a whole number or None; got {value!r}")
    if not 0 <= int(value) <= 15:
        raise ValueError(f"`decimals` must be between 0 and 15; got {value!r}")
    return int(value)


def _as_published(values: np.ndarray, places: int) -> np.ndarray:
    """Each finite value rounded as ``f"{value:.{places}f}"`` writes it, read back as a float.

    Python's formatting rounds the exact binary value correctly (half to even only on exact
    ties), which ``numpy.round``'s scale-and-round does not always reproduce, so the label
    is decided on the very digits the reader is shown.
    """
    out = values.copy()
    finite = np.isfinite(values)
    out[finite] = [float(f"{v:.{places}f}") for v in values[finite]]
    return out


def non_adverse(
    estimate: Any,
    lower: float = NON_ADVERSE_RANGE[0],
    upper: float = NON_ADVERSE_RANGE[1],
    *,
    decimals: int | None = RATIO_DECIMALS,
) -> pd.Series:
    """Place relative likelihoods against the WRES non-adverse range.

    Parameters
    ----------
    estimate
        Relative likelihoods: scalar, sequence, NumPy array or pandas Series (e.g. the
        ``estimate`` column of :func:`~wres_analysis.stats.relative_likelihood`).
    lower, upper
        The range, inclusive at both ends; default 0.80 and 1.25. Must satisfy
        ``0 < lower < upper``.
    decimals
        Classify each estimate as published, rounded to this many decimal places (default
        :data:`RATIO_DECIMALS`, 2, the precision every sentence and table shows); ``None``
        compares the unrounded floating-point values.

    Returns
    -------
    pandas.Series
        Categorical with categories ``"below"``, ``"within"``, ``"above"`` (in that order),
        named ``non_adverse``, with the index of a Series input or a ``RangeIndex``. A missing
        estimate (``NaN``, e.g. no events in either group) is missing in the result.

    Raises
    ------
    ValueError
        If ``lower``/``upper`` are not finite with ``0 < lower < upper``, or ``decimals`` is
        outside 0 to 15.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    With ``r`` the estimate rounded to ``decimals`` places (``f"{estimate:.2f}"`` by default):
    ``"below"`` if ``r < lower``, ``"within"`` if ``lower <= r <= upper``, ``"above"`` if
    ``r > upper`` (``0`` is below and ``inf`` above).

    Why the published value: a ratio computed in floating point misses an exact boundary by
    a rounding error, e.g. ``(2/3) / (5/6)`` is ``0.7999999999999999`` although the ratio is
    exactly 4/5, and a reader shown "0.80" must not read that it is below a range that starts
    at 0.80. Classifying the shown digits makes the label agree with the number printed
    beside it, and places every table whose exact ratio is 4/5 or 5/4 within the range. A
    value that rounds onto a boundary (shown as 0.80 or 1.25) is within.
    The comparison of the rounded value with the bounds is exact for bounds with at most
    ``decimals`` places (both are the floats nearest to decimals of that precision).

    The range 0.80 to
    1.25 is the four-fifths rule of the 1978 US Uniform Guidelines on Employee Selection
    Procedures and its inverse, adopted for WRES indicator 3 in "A fair experience for all"
    (NHS England, 2019). This classifies the point estimate only; pair it with
    :func:`is_significant` (or the interval) before calling a trust an outlier.

    References
    ----------
    NHS England (2019). A fair experience for all: closing the ethnicity gap in rates of
    disciplinary action across the NHS workforce.

    Equal Employment Opportunity Commission et al. (1978). Uniform Guidelines on Employee
    Selection Procedures, 29 CFR 1607.4(D).

    Examples
    --------
    >>> non_adverse([0.5, 0.8, 1.25, 2.0]).tolist()
    ['below', 'within', 'within', 'above']
    >>> non_adverse([(2 / 3) / (5 / 6), 1.2549, 1.2551]).tolist()
    ['within', 'within', 'above']
    """
    low = _check_bound(lower, "lower")
    high = _check_bound(upper, "upper")
    if not 0.0 < low < high:
        raise ValueError(
            f"`lower` and `upper` must satisfy 0 < lower < upper; got lower={low!r}, upper={high!r}"
        )
    places = _check_decimals(decimals)
    (values,), index = broadcast({"estimate": as_float_array(estimate, "estimate")})
    if places is not None:
        values = _as_published(values, places)
    codes = np.where(values < low, 0, np.where(values > high, 2, 1))
    codes = np.where(np.isnan(values), -1, codes)
    cat = pd.Categorical.from_codes(codes, categories=list(NON_ADVERSE_LABELS))
    return pd.Series(cat, index=index, name="non_adverse")


def is_significant(lower: Any, upper: Any, null: float = 1.0) -> pd.Series:
    """Flag intervals that exclude the null value.

    Parameters
    ----------
    lower, upper
        Interval limits (scalars, sequences, arrays or Series of equal length), e.g. the
        ``lower`` and ``upper`` columns of an interval frame.
    null
        The value of no difference: 1 for relative likelihoods (default), 0 for differences.

    Returns
    -------
    pandas.Series
        Boolean, named ``significant``: True where ``lower > null`` or ``upper < null``. An
        interval with a missing limit is not significant (False).

    Raises
    ------
    ValueError
        If a ``lower`` exceeds its ``upper`` (naming the position), or lengths differ.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    A two-sided test at level ``1 - confidence`` rejects ``H0: parameter = null`` exactly when
    the interval excludes ``null``; for the score intervals this is the score test itself
    (Miettinen & Nurminen 1985). With many organisations, use the funnel plot's
    Benjamini-Hochberg flags (:func:`~wres_analysis.stats.funnel_points`) rather than counting
    intervals that exclude 1.

    References
    ----------
    Miettinen, O. & Nurminen, M. (1985). Comparative analysis of two rates. Statistics in
    Medicine 4(2), 213-226. https://doi.org/10.1002/sim.4780040211

    Examples
    --------
    >>> is_significant([1.2, 0.5], [3.0, 1.5]).tolist()
    [True, False]
    """
    null_value = _check_bound(null, "null")
    (low, high), index = broadcast(
        {"lower": as_float_array(lower, "lower"), "upper": as_float_array(upper, "upper")}
    )
    with np.errstate(invalid="ignore"):
        bad = low > high
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"`lower` must not exceed `upper`; got lower={low[pos]!r}, upper={high[pos]!r} "
            f"at position {pos}"
        )
    with np.errstate(invalid="ignore"):
        flag = (low > null_value) | (high < null_value)
    return pd.Series(flag, index=index, name="significant", dtype=bool)
