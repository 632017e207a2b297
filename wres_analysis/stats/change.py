"""Changes between years: intervals for the change of an indicator, and a trend over years.

A WRES reading that says a value went "up" or "down", or a gap got "wider" or "narrower",
makes a claim about two years' figures, each with its own sampling error. The functions here
give that claim its interval, built from the two years' own intervals by the method of
variance estimates recovery (MOVER), so the change inherits the interval method in force for
the figures themselves (Miettinen-Nurminen, Koopman, Wilson, Newcombe, ...):

- :func:`difference_change` - the difference of two independently estimated quantities
  (two percentage-point gaps, two shares), MOVER on the natural scale;
- :func:`ratio_change` - the ratio of two relative likelihoods, MOVER on the log scale;
- :func:`weighted_trend` - a trend over several years: inverse-variance weighted least
  squares of the value (or its log) on the year, weights recovered from the intervals.

All are vectorised over NumPy arrays and return the package's interval frame
(``estimate, lower, upper, method, confidence``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.special import stdtrit

from ._validation import check_confidence, interval_frame, z_value

__all__ = ["difference_change", "ratio_change", "weighted_trend"]


def _arrays(*values: Any) -> list[np.ndarray]:
    arrays = [np.atleast_1d(np.asarray(v, dtype="float64")) for v in values]
    return list(np.broadcast_arrays(*arrays))


def _check_limits(estimate: np.ndarray, lower: np.ndarray, upper: np.ndarray, which: str) -> None:
    """A defined estimate must lie inside its own interval (NaN anywhere is allowed)."""
    known = ~(np.isnan(estimate) | np.isnan(lower) | np.isnan(upper))
    bad = known & ((lower > estimate) | (upper < estimate))
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"the {which} interval must contain its estimate; got estimate {estimate[first]!r} "
            f"with limits ({lower[first]!r}, {upper[first]!r}) at position {first}"
        )


def _mover(
    d1: np.ndarray,
    l1: np.ndarray,
    u1: np.ndarray,
    d0: np.ndarray,
    l0: np.ndarray,
    u0: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """MOVER limits for ``d1 - d0`` from the two independent intervals."""
    estimate = d1 - d0
    with np.errstate(invalid="ignore"):
        lower = estimate - np.sqrt((d1 - l1) ** 2 + (u0 - d0) ** 2)
        upper = estimate + np.sqrt((u1 - d1) ** 2 + (d0 - l0) ** 2)
    return estimate, lower, upper


def difference_change(
    estimate1: Any,
    lower1: Any,
    upper1: Any,
    estimate0: Any,
    lower0: Any,
    upper0: Any,
    *,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """The change ``estimate1 - estimate0`` between two years, with its MOVER interval.

    For a percentage-point gap (indicators 5-9) or a share (indicator 1): year 1 is the later
    year, year 0 the earlier one, each given with its own interval at level ``confidence``.

    Notes
    -----
    Method of variance estimates recovery (Zou & Donner 2008, equation 5; Newcombe's
    "square-and-add"): with ``D = d1 - d0`` for independent estimates,

    ``lower = D - sqrt((d1 - l1)^2 + (u0 - d0)^2)``,
    ``upper = D + sqrt((u1 - d1)^2 + (d0 - l0)^2)``.

    Each year's variance is recovered from the side of its interval towards the limit being
    built, so the change keeps the asymmetry of score intervals near 0% or 100%. Applied to two
    Wilson intervals this is exactly Newcombe's (1998) hybrid score interval (method 10) for
    a difference of two proportions; applied to two Newcombe gap intervals it is the
    Newcombe-style interval for a difference of two differences (Zou & Donner 2008,
    section 3.2). When one year's interval has no width the result is the other year's
    interval shifted by the fixed value. The years are treated as independent samples; for a
    staff census (the same people in both years) this is an approximation, usually on the
    wide side.

    References
    ----------
    Zou, G. Y. & Donner, A. (2008). Construction of confidence limits about effect measures:
    a general approach. Statistics in Medicine 27(10), 1693-1702.
    https://doi.org/10.1002/sim.3095

    Newcombe, R. G. (1998). Interval estimation for the difference between independent
    proportions: comparison of eleven methods. Statistics in Medicine 17(8), 873-890.

    Examples
    --------
    Two Wilson intervals give Newcombe's interval for 56/70 - 48/80 (Newcombe 1998, Table II):

    >>> from wres_analysis.stats import proportion
    >>> a, b = proportion(56, 70), proportion(48, 80)
    >>> difference_change(a.estimate, a.lower, a.upper, b.estimate, b.lower, b.upper)[
    ...     ["estimate", "lower", "upper"]].round(4)
       estimate   lower   upper
    0       0.2  0.0524  0.3339
    """
    confidence = check_confidence(confidence)
    d1, l1, u1, d0, l0, u0 = _arrays(estimate1, lower1, upper1, estimate0, lower0, upper0)
    _check_limits(d1, l1, u1, "later year's")
    _check_limits(d0, l0, u0, "earlier year's")
    estimate, lower, upper = _mover(d1, l1, u1, d0, l0, u0)
    return interval_frame(estimate, lower, upper, "mover", confidence, pd.RangeIndex(d1.size))


def ratio_change(
    estimate1: Any,
    lower1: Any,
    upper1: Any,
    estimate0: Any,
    lower0: Any,
    upper0: Any,
    *,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """The ratio ``estimate1 / estimate0`` of two years' relative likelihoods, with its
    MOVER interval on the log scale.

    Notes
    -----
    :func:`difference_change` applied to ``log`` of the estimates and limits (Zou & Donner
    2008, section 3.3: a ratio of two independent ratios by MOVER on the log scale), then
    exponentiated:

    ``log L = log(r1/r0) - sqrt((log r1 - log l1)^2 + (log u0 - log r0)^2)``,
    ``log U = log(r1/r0) + sqrt((log u1 - log r1)^2 + (log r0 - log l0)^2)``.

    A ratio of 1 is no change. A year whose relative likelihood is 0 or infinite (no events in
    one group) has no finite log and says nothing about the size of the change: the change is
    then the ratio of the estimates (0, infinite or undefined) with the interval
    ``(0, inf)``. A limit of 0 or infinity in either year gives an unbounded limit of the
    change, as it should.

    References
    ----------
    Zou, G. Y. & Donner, A. (2008). Construction of confidence limits about effect measures:
    a general approach. Statistics in Medicine 27(10), 1693-1702.
    https://doi.org/10.1002/sim.3095
    """
    confidence = check_confidence(confidence)
    r1, l1, u1, r0, l0, u0 = _arrays(estimate1, lower1, upper1, estimate0, lower0, upper0)
    _check_limits(r1, l1, u1, "later year's")
    _check_limits(r0, l0, u0, "earlier year's")
    for name, values in (("lower1", l1), ("lower0", l0)):
        negative = values < 0
        if negative.any():
            first = int(np.flatnonzero(negative)[0])
            raise ValueError(
                f"{name} must be 0 or more for a ratio; got {values[first]!r} at position {first}"
            )
    finite = (r1 > 0) & (r1 < np.inf) & (r0 > 0) & (r0 < np.inf)
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = [np.log(v) for v in (r1, l1, u1, r0, l0, u0)]
        log_est, log_low, log_high = _mover(*logs)
        estimate = np.where(finite, np.exp(log_est), r1 / r0)
    lower = np.where(finite, np.exp(log_low), 0.0)
    upper = np.where(finite, np.exp(log_high), np.inf)
    unknown = np.isnan(r1) | np.isnan(r0)
    lower = np.where(unknown, np.nan, lower)
    upper = np.where(unknown, np.nan, upper)
    return interval_frame(estimate, lower, upper, "mover", confidence, pd.RangeIndex(r1.size))


def weighted_trend(
    group: Any,
    year: Any,
    estimate: Any,
    lower: Any,
    upper: Any,
    *,
    log: bool = False,
    confidence: float = 0.95,
    min_years: int = 3,
) -> pd.DataFrame:
    """The linear trend per year of each group's series, with its confidence interval.

    Parameters
    ----------
    group
        A label per row (e.g. an integer code for area, indicator, measure and breakdown);
        each group is fitted separately, all at once.
    year, estimate, lower, upper
        Each row's year, value and interval at level ``confidence``.
    log
        Fit ``log(estimate)`` (relative likelihoods): the trend is then a ratio per year,
        ``exp(slope)``, and 1 is no trend. Otherwise the trend is in the value's own units
        per year and 0 is no trend.
    confidence
        The level of the rows' intervals, and of the trend's.
    min_years
        Fewest usable years a trend needs (at least 3, so that the scatter about the line can
        be estimated).

    Returns
    -------
    pandas.DataFrame
        One row per group with at least ``min_years`` usable years, indexed by the group
        label: ``estimate, lower, upper, method, confidence`` and ``first_year``,
        ``last_year``, ``years`` (the usable years).

    Notes
    -----
    Inverse-variance weighted least squares (fixed-effect meta-regression on year; Hedges &
    Olkin 1985, chapter 8; Borenstein et al. 2009, chapter 20), with each year's standard
    error recovered from its interval, ``s_i = (g(u_i) - g(l_i)) / (2 z)`` with ``g`` the log
    or the identity, weight ``w_i = 1 / s_i^2``:

    ``b = sum w (x - xbar)(y - ybar) / S``, ``S = sum w (x - xbar)^2`` (weighted means).

    Sampling error alone gives ``var(b) = 1 / S``. Real year-to-year variation around the
    line (common with national figures whose sampling error is tiny) is allowed for by the
    multiplicative dispersion ``phi = sum w r^2 / (k - 2)`` of the ``k`` residuals (a
    multiplicative variance model, as compared by Thompson & Sharp 1999), floored at 1 so the
    interval is never narrower than sampling error alone allows: ``var(b) = max(1, phi) / S``,
    and the interval is ``b +/- t_{k-2} sqrt(var(b))`` when ``phi > 1``,
    ``b +/- z sqrt(var(b))`` otherwise. A year whose value or interval is not finite, or whose
    interval has no width, is not used.
    Consecutive years of a staff census share people, so the test is approximate.

    References
    ----------
    Hedges, L. V. & Olkin, I. (1985). Statistical Methods for Meta-Analysis. Academic Press.

    Borenstein, M., Hedges, L. V., Higgins, J. P. T. & Rothstein, H. R. (2009). Introduction
    to Meta-Analysis, chapter 20 (meta-regression). Wiley.

    Thompson, S. G. & Sharp, S. J. (1999). Explaining heterogeneity in meta-analysis: a
    comparison of methods. Statistics in Medicine 18(20), 2693-2708.
    https://doi.org/10.1002/(SICI)1097-0258(19991030)18:20<2693::AID-SIM235>3.0.CO;2-V
    """
    confidence = check_confidence(confidence)
    if int(min_years) != min_years or min_years < 3:
        raise ValueError(f"min_years must be a whole number of 3 or more, got {min_years!r}")
    labels = pd.Index(np.atleast_1d(np.asarray(group)))
    x, y, low, high = _arrays(year, estimate, lower, upper)
    if len(labels) != x.size:
        raise ValueError(f"group has {len(labels)} labels for {x.size} rows")
    z = z_value(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        if log:
            y, low, high = np.log(y), np.log(low), np.log(high)
        se = (high - low) / (2.0 * z)
        w = 1.0 / (se * se)
    usable = np.isfinite(x) & np.isfinite(y) & np.isfinite(se) & (se > 0)
    codes, uniques = pd.factorize(labels)
    codes, x, y, w = codes[usable], x[usable], y[usable], w[usable]
    size = len(uniques)

    def total(values: np.ndarray) -> np.ndarray:
        return np.bincount(codes, weights=values, minlength=size)

    count = np.bincount(codes, minlength=size)
    sw = total(w)
    with np.errstate(divide="ignore", invalid="ignore"):
        xbar = total(w * x) / sw
        ybar = total(w * y) / sw
        dx = x - xbar[codes]
        dy = y - ybar[codes]
        sxx = total(w * dx * dx)
        slope = total(w * dx * dy) / sxx
        residual = dy - slope[codes] * dx
        phi = total(w * residual * residual) / (count - 2)
    dispersion = np.maximum(phi, 1.0)
    df = np.maximum(count - 2, 1)
    critical = np.where(phi > 1.0, stdtrit(df, 0.5 + confidence / 2.0), z)
    with np.errstate(divide="ignore", invalid="ignore"):
        half = critical * np.sqrt(dispersion / sxx)
    first = pd.Series(x).groupby(codes).min().reindex(range(size)).to_numpy()
    last = pd.Series(x).groupby(codes).max().reindex(range(size)).to_numpy()
    keep = (count >= min_years) & (sxx > 0)
    index = pd.Index(uniques[keep], name=labels.name)
    low_t, high_t = slope - half, slope + half
    if log:
        with np.errstate(over="ignore"):
            slope, low_t, high_t = np.exp(slope), np.exp(low_t), np.exp(high_t)
    frame = interval_frame(
        slope[keep], low_t[keep], high_t[keep], "weighted-least-squares", confidence, index
    )
    frame["first_year"] = first[keep].astype("int64")
    frame["last_year"] = last[keep].astype("int64")
    frame["years"] = count[keep].astype("int64")
    return frame
