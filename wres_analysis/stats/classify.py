"""Classifying relative likelihoods: the non-adverse range and interval-based significance."""

from __future__ import annotations

from numbers import Real
from typing import Any

import numpy as np
import pandas as pd

from wres_analysis.contract import NON_ADVERSE_RANGE

from ._validation import as_float_array, broadcast

__all__ = ["NON_ADVERSE_LABELS", "is_significant", "non_adverse"]

#: Labels returned by :func:`non_adverse`, in order.
NON_ADVERSE_LABELS: tuple[str, ...] = ("below", "within", "above")


def _check_bound(value: Any, name: str) -> float:
    if isinstance(value, bool | np.bool_) or not isinstance(value, Real):
        raise TypeError(f"`{name}` must be a number; got {value!r}")
    out = float(value)
    if not np.isfinite(out):
        raise ValueError(f"`{name}` must be finite; got {out!r}")
    return out


def non_adverse(
    estimate: Any,
    lower: float = NON_ADVERSE_RANGE[0],
    upper: float = NON_ADVERSE_RANGE[1],
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

    Returns
    -------
    pandas.Series
        Categorical with categories ``"below"``, ``"within"``, ``"above"`` (in that order),
        named ``non_adverse``, with the index of a Series input or a ``RangeIndex``. A missing
        estimate (``NaN``, e.g. no events in either group) is missing in the result.

    Raises
    ------
    ValueError
        If ``lower``/``upper`` are not finite with ``0 < lower < upper``.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    ``"below"`` if ``estimate < lower``, ``"within"`` if ``lower <= estimate <= upper``,
    ``"above"`` if ``estimate > upper`` (``0`` is below and ``inf`` above). The range 0.80 to
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
    """
    low = _check_bound(lower, "lower")
    high = _check_bound(upper, "upper")
    if not 0.0 < low < high:
        raise ValueError(
            f"`lower` and `upper` must satisfy 0 < lower < upper; got lower={low!r}, upper={high!r}"
        )
    (values,), index = broadcast({"estimate": as_float_array(estimate, "estimate")})
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
