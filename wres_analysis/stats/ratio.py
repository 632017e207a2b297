"""Relative likelihoods (ratios of two proportions) with confidence intervals.

WRES indicators 2, 3 and 4 are relative likelihoods: the proportion of group 1 with an outcome
divided by the proportion of group 2 with it. :func:`relative_likelihood` gives the estimate and
a confidence interval for every element of its (vectorised) inputs.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ._roots import bracket_decreasing, bracket_from_outside, chandrupatla, in_chunks
from ._validation import (
    check_choice,
    check_confidence,
    check_counts,
    interval_frame,
    z_value,
)

__all__ = ["DEFAULT_RATIO_METHOD", "RATIO_METHODS", "relative_likelihood"]

#: Interval methods accepted by :func:`relative_likelihood`.
RATIO_METHODS: tuple[str, ...] = (
    "scas",
    "miettinen-nurminen",
    "koopman",
    "katz",
    "adjusted-log",
)

#: The interval every relative likelihood gets unless a method is named (see
#: ``docs/methodology.md``, "The default is SCAS").
DEFAULT_RATIO_METHOD = "scas"

#: Score statistics are clipped to this magnitude (they are infinite where the constrained
#: variance vanishes); the limits solve ``|T| = z`` with ``z`` of order 1, so this is harmless.
_T_CLIP = 1e12

#: Root-finding tolerance on log(theta): limits are accurate to about 1e-11 relative.
_XTOL = 1e-11

#: How far from the estimate, in log(theta), the outside-in scan for SCAS limits starts.
_SCAN_WIDTH = 40.0


def _ratio_estimate(x1: np.ndarray, n1: np.ndarray, x2: np.ndarray, n2: np.ndarray) -> np.ndarray:
    """``(x1/n1) / (x2/n2)``: 0 if ``x1 = 0``, ``inf`` if ``x2 = 0``, NaN if both are 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return (x1 / n1) / (x2 / n2)


def ratio_constrained_mle(
    theta: np.ndarray, x1: np.ndarray, n1: np.ndarray, x2: np.ndarray, n2: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Maximum-likelihood ``(p1, p2)`` under the constraint ``p1 = theta * p2``.

    ``p2`` is the smaller root of ``N theta p^2 - (n1 theta + x1 + n2 + x2 theta) p + (x1 + x2)``
    (Miettinen & Nurminen 1985; Farrington & Manning 1990), computed in the cancellation-free
    form ``2c / (-b + sqrt(b^2 - 4ac))``.
    """
    big_n = n1 + n2
    a = big_n * theta
    b = -(n1 * theta + x1 + n2 + x2 * theta)
    c = x1 + x2
    disc = np.maximum(b * b - 4.0 * a * c, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        p2 = 2.0 * c / (-b + np.sqrt(disc))
    p2 = np.clip(np.nan_to_num(p2, nan=0.0), 0.0, 1.0)
    p1 = np.clip(theta * p2, 0.0, 1.0)
    return p1, p2


def _ratio_score_kernel(theta: np.ndarray, q: dict[str, np.ndarray]) -> np.ndarray:
    """Score statistic from precomputed per-stratum quantities (see :func:`_kernel_inputs`),
    minus ``q["skew"]`` times the skewness term (SCAS) when ``q`` carries one."""
    # -B = theta (n1 + x2) + (x1 + n2) > 0 and B^2 - 4AC with A = N theta, C = x1 + x2
    minus_b = theta * q["k1"] + q["k2"]
    root = minus_b * minus_b - 4.0 * q["big_n"] * theta * q["s"]
    np.maximum(root, 0.0, out=root)
    np.sqrt(root, out=root)
    root += minus_b
    p2 = 2.0 * q["s"] / root
    np.minimum(p2, 1.0, out=p2)
    p1 = theta * p2
    np.minimum(p1, 1.0, out=p1)
    pq1 = p1 * (1.0 - p1)
    pq2 = p2 * (1.0 - p2)
    theta2 = theta * theta
    var = pq1 * q["inv_n1"] + theta2 * pq2 * q["inv_n2"]
    var *= q["corr"]
    num = q["p1"] - theta * q["p2"]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        sd = np.sqrt(var)
        stat = num / sd
        stat[num == 0.0] = 0.0
        if "skew" in q:
            # third central moment of p1_hat - theta p2_hat under (p1~, p2~)
            mu3 = pq1 * (1.0 - 2.0 * p1) * q["inv_n1_sq"]
            mu3 -= theta2 * theta * pq2 * (1.0 - 2.0 * p2) * q["inv_n2_sq"]
            gamma = mu3 / (6.0 * var * sd)
            gamma[(mu3 == 0.0) | ~np.isfinite(gamma)] = 0.0
            gamma *= q["skew"]
            stat -= gamma
    return np.clip(stat, -_T_CLIP, _T_CLIP, out=stat)


def _kernel_inputs(
    x1: np.ndarray,
    n1: np.ndarray,
    x2: np.ndarray,
    n2: np.ndarray,
    *,
    correction: bool,
    skew: float = 0.0,
) -> dict[str, np.ndarray]:
    big_n = n1 + n2
    q = {
        "k1": n1 + x2,
        "k2": x1 + n2,
        "big_n": big_n,
        "s": x1 + x2,
        "inv_n1": 1.0 / n1,
        "inv_n2": 1.0 / n2,
        "corr": big_n / (big_n - 1.0) if correction else np.ones_like(big_n),
        "p1": x1 / n1,
        "p2": x2 / n2,
    }
    if skew:
        q["skew"] = np.full_like(big_n, skew)
        q["inv_n1_sq"] = q["inv_n1"] ** 2
        q["inv_n2_sq"] = q["inv_n2"] ** 2
    return q


def ratio_score_statistic(
    theta: np.ndarray,
    x1: np.ndarray,
    n1: np.ndarray,
    x2: np.ndarray,
    n2: np.ndarray,
    *,
    correction: bool,
    skew: float = 0.0,
) -> np.ndarray:
    """Score statistic for ``H0: p1 / p2 = theta`` (decreasing in ``theta``).

    ``T = (p1_hat - theta p2_hat) / sqrt(V)`` with
    ``V = p1~(1 - p1~)/n1 + theta^2 p2~(1 - p2~)/n2``, times ``N/(N-1)`` if ``correction``
    (Miettinen-Nurminen) and without it (Koopman); ``(p1~, p2~)`` as in
    :func:`ratio_constrained_mle`. With ``skew = z^2 - 1`` it returns the skewness-corrected
    ``T - skew * mu3 / (6 V^(3/2))`` whose roots at ``+/- z`` are the SCAS limits
    (``mu3 = p1~(1 - p1~)(1 - 2 p1~)/n1^2 - theta^3 p2~(1 - p2~)(1 - 2 p2~)/n2^2``, Gart & Nam
    1988; Laud 2017). Clipped to +/-1e12 (infinite where ``V = 0``).
    """
    arrays = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (theta, x1, n1, x2, n2)))
    q = _kernel_inputs(*arrays[1:], correction=correction, skew=skew)
    return _ratio_score_kernel(arrays[0].copy(), q)


def _score_limits(
    x1: np.ndarray,
    n1: np.ndarray,
    x2: np.ndarray,
    n2: np.ndarray,
    z: float,
    *,
    correction: bool,
    skew: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper score limits for every stratum, solved together in log-ratio space.

    ``skew`` solves the skewness-corrected statistic (SCAS with ``correction``; Gart & Nam
    1988 without it) instead of the plain score statistic.
    """
    size = x1.size
    lower = np.zeros(size)
    upper = np.full(size, np.inf)
    need_lower = np.flatnonzero(x1 > 0)
    need_upper = np.flatnonzero(x2 > 0)
    rows = np.concatenate([need_lower, need_upper])
    if rows.size == 0:
        return lower, upper
    target = np.concatenate([np.full(need_lower.size, z), np.full(need_upper.size, -z)])
    a1, b1, a2, b2 = x1[rows], n1[rows], x2[rows], n2[rows]
    q_all = _kernel_inputs(a1, b1, a2, b2, correction=correction, skew=z * z - 1.0 if skew else 0.0)
    q_all["target"] = target

    def objective(u: np.ndarray, idx: np.ndarray) -> np.ndarray:
        q = q_all if idx.size == rows.size else {k: v[idx] for k, v in q_all.items()}
        stat = _ratio_score_kernel(np.exp(u), q)
        stat -= q["target"]
        return stat

    all_rows = np.arange(rows.size)
    is_lower = np.arange(rows.size) < need_lower.size
    sign = np.where(is_lower, 1.0, -1.0)
    # first guess: the adjusted-log limit (x + 0.5, n + 0.5), pushed 20% further out; finite
    # for every stratum and usually just outside the score limit
    c1, m1, c2, m2 = a1 + 0.5, b1 + 0.5, a2 + 0.5, b2 + 0.5
    centre = np.log(c1 / m1) - np.log(c2 / m2)
    se = np.sqrt(1.0 / c1 - 1.0 / m1 + 1.0 / c2 - 1.0 / m2)
    guess = centre - sign * 1.2 * z * se
    f_guess = objective(guess, all_rows)
    # the other end: the estimate itself, where T = 0 exactly (f = -target), when finite;
    # the skewness term moves f there, so it is evaluated
    with np.errstate(divide="ignore"):
        u_hat = np.log(a1 / b1) - np.log(a2 / b2)
    f_hat = -target
    if skew:
        finite = np.flatnonzero(np.isfinite(u_hat))
        f_hat = f_hat.copy()
        f_hat[finite] = objective(u_hat[finite], finite)
    outside = np.where(is_lower, f_guess > 0, f_guess < 0)
    inside = np.where(is_lower, f_hat < 0, f_hat > 0)
    quick = outside & inside & np.isfinite(u_hat) & (sign * (u_hat - guess) > 0)
    lo = np.where(is_lower, guess, u_hat)
    hi = np.where(is_lower, u_hat, guess)
    f_lo = np.where(is_lower, f_guess, f_hat)
    f_hi = np.where(is_lower, f_hat, f_guess)
    found = quick.copy()
    slow = np.flatnonzero(~quick)
    if slow.size:

        def objective_slow(u: np.ndarray, idx: np.ndarray) -> np.ndarray:
            return objective(u, slow[idx])

        s_lo, s_hi, s_flo, s_fhi, s_found = bracket_decreasing(
            objective_slow, guess[slow], step=np.maximum(se[slow], 0.05), f0=f_guess[slow]
        )
        lo[slow], hi[slow], f_lo[slow], f_hi[slow] = s_lo, s_hi, s_flo, s_fhi
        found[slow] = s_found
    roots = np.full(rows.size, np.nan)
    ok = np.flatnonzero(found)
    if ok.size:

        def objective_ok(u: np.ndarray, idx: np.ndarray) -> np.ndarray:
            return objective(u, ok[idx])

        with np.errstate(divide="ignore", invalid="ignore"):
            t0 = f_lo[ok] / (f_lo[ok] - f_hi[ok])
        roots[ok] = chandrupatla(
            objective_ok, lo[ok], hi[ok], f_lo[ok], f_hi[ok], t0=t0, xatol=_XTOL, xrtol=_XTOL
        )
    # not bracketed within exp(+/-700): the limit is beyond double range
    roots[~found] = np.where(f_lo[~found] > 0, np.inf, -np.inf)
    if skew:
        # With a group at 100% the skewness term can make f cross again near the estimate;
        # the limit is the crossing nearest the far end (the scan from outside finds it).
        suspect = np.flatnonzero(np.isfinite(u_hat) & ((a1 == b1) | (a2 == b2)))
        if suspect.size:

            def objective_suspect(u: np.ndarray, idx: np.ndarray) -> np.ndarray:
                return objective(u, suspect[idx])

            outer = u_hat[suspect] - sign[suspect] * _SCAN_WIDTH
            s_lo, s_hi, s_flo, s_fhi = bracket_from_outside(
                objective_suspect, u_hat[suspect], outer, f_hat[suspect]
            )
            roots[suspect] = chandrupatla(
                objective_suspect, s_lo, s_hi, s_flo, s_fhi, xatol=_XTOL, xrtol=_XTOL
            )
    limits = np.exp(roots)
    lower[need_lower] = limits[: need_lower.size]
    upper[need_upper] = limits[need_lower.size :]
    return lower, upper


def _log_limits(log_centre: np.ndarray, se: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(invalid="ignore", over="ignore"):
        return np.exp(log_centre - z * se), np.exp(log_centre + z * se)


def relative_likelihood(
    x1: Any,
    n1: Any,
    x2: Any,
    n2: Any,
    method: str = DEFAULT_RATIO_METHOD,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Relative likelihood ``(x1/n1) / (x2/n2)`` with a confidence interval.

    Vectorised: every argument is a scalar, sequence, NumPy array or pandas Series (of equal
    lengths, or length 1 to broadcast), and the result has one row per element.

    Parameters
    ----------
    x1, n1
        Group 1 (the numerator) events and group size, e.g. white applicants appointed and
        white applicants shortlisted for WRES indicator 2.
    x2, n2
        Group 2 (the denominator) events and group size.
    method
        Interval method: ``"scas"`` (default, skewness-corrected asymptotic score interval),
        ``"miettinen-nurminen"`` (score interval with the ``N/(N-1)`` variance factor),
        ``"koopman"`` (asymptotic score interval), ``"katz"`` (log interval) or
        ``"adjusted-log"`` (log interval with 0.5 added to each ``x`` and ``n``).
    confidence
        Two-sided confidence level, strictly between 0 and 1.

    Returns
    -------
    pandas.DataFrame
        One row per element with columns ``estimate`` (the ratio, never rounded), ``lower``
        and ``upper`` (the interval), ``method`` and ``confidence``. The index is that of the
        Series arguments, otherwise a ``RangeIndex``.

    Raises
    ------
    ValueError
        If a count is missing, negative, not a whole number, if ``x > n`` or ``n = 0`` (naming
        the first offending position), if the lengths differ, or if ``method`` or
        ``confidence`` is not allowed.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    With ``p1 = x1/n1``, ``p2 = x2/n2``, ``theta = p1/p2`` and ``z`` the normal quantile:

    * Katz (Katz et al. 1978):
      ``exp(log(theta) +/- z sqrt(1/x1 - 1/n1 + 1/x2 - 1/n2))``. Undefined when ``x1 = 0`` or
      ``x2 = 0``; there the interval is the uninformative ``(0, inf)``, as in R
      ``contingencytables::Katz_log_CI_2x2`` (so ``lower = 0`` when ``x1 = 0`` and
      ``upper = inf`` when ``x2 = 0`` hold, as for the score methods). When ``x1 = n1`` and
      ``x2 = n2`` the variance is 0 and the interval collapses to the point 1.
    * Adjusted log (Fagerland, Lydersen & Laake 2015, section 4.7): the Katz formula with
      ``x + 0.5`` and ``n + 0.5`` in place of ``x`` and ``n``, centred on the adjusted ratio;
      the reported ``estimate`` is still the unadjusted ratio. It is finite for every table,
      so with one zero count the interval need not contain the estimate (0 or ``inf``).
    * Koopman (1984) and Miettinen & Nurminen (1985) score intervals: all ``theta`` with
      ``|T(theta)| <= z``, where ``T(theta) = (p1 - theta p2) / sqrt(V)``,
      ``V = p1~(1 - p1~)/n1 + theta^2 p2~(1 - p2~)/n2`` and ``(p1~, p2~)`` is the
      maximum-likelihood estimate under ``p1 = theta p2`` (closed form: ``p2~`` is the smaller
      root of ``N theta p^2 - (n1 theta + x1 + n2 + x2 theta) p + (x1 + x2) = 0``,
      ``N = n1 + n2``). Miettinen-Nurminen multiplies ``V`` by ``N/(N-1)``. Both limits are
      found together for all strata by a bracketed, vectorised Chandrupatla root search in
      ``log(theta)``, to about 1e-13 relative. ``lower = 0`` exactly when ``x1 = 0`` and
      ``upper = inf`` exactly when ``x2 = 0``; the intervals stay correct when ``x1 = n1`` or
      ``x2 = n2`` (where ``statsmodels`` 0.14-0.15 ``confint_proportions_2indep(...,
      compare="ratio", method="score")`` is wrong).
    * SCAS (Laud 2017; R ``ratesci::scoreci(..., contrast="RR")`` with its defaults
      ``skew = TRUE, bcf = TRUE``): all ``theta`` with
      ``|T(theta) - (z^2 - 1) gamma(theta)| <= z``, where ``T`` is the Miettinen-Nurminen
      statistic (``V`` with the ``N/(N-1)`` factor) and ``gamma = mu3 / (6 V^(3/2))`` its
      skewness correction (Gart & Nam 1988), with
      ``mu3 = p1~(1 - p1~)(1 - 2 p1~)/n1^2 - theta^3 p2~(1 - p2~)(1 - 2 p2~)/n2^2``, the third
      central moment of ``p1_hat - theta p2_hat`` at the constrained MLE. Solved like the score
      intervals. Where a group is at 100% the corrected statistic can cross ``+/- z`` a second
      time beside the estimate (and, with a zero cell, beyond it); the limit is the crossing
      nearest the far end, found by scanning inwards from there. Zero cells give ``lower = 0``
      or ``upper = inf`` as for the score intervals.

    For every method, ``x1 = x2 = 0`` gives ``estimate = NaN`` and the interval ``(0, inf)``:
    the data say nothing about the ratio.

    The default is SCAS. Miettinen-Nurminen has close to nominal *two-sided* coverage at WRES
    sizes, but at rare outcomes (indicator 3: about 1%, 300 v 3,000 staff) its interval lies
    wholly above the true ratio 3-4% of the time and wholly below it 0-1.5% (nominal 2.5% each),
    so "group 1 more likely, statistically clear" is too easy. SCAS keeps each tail near 2.5%
    at no cost in two-sided coverage (``docs/methodology.md``, exact coverage study). The
    estimate is the ratio of the observed proportions for every method (``ratesci`` reports a
    skewness-corrected point estimate instead). Checked against the published values in
    ``shared/reference/ci_test_vectors.csv``, Gart & Nam (1988) and ``ratesci``'s documented
    values, a numerical oracle and ``statsmodels``.

    References
    ----------
    Katz, D., Baptista, J., Azen, S. P. & Pike, M. C. (1978). Obtaining confidence intervals for
    the risk ratio in cohort studies. Biometrics 34(3), 469-474. https://doi.org/10.2307/2530610

    Koopman, P. A. R. (1984). Confidence intervals for the ratio of two binomial proportions.
    Biometrics 40(2), 513-517. https://doi.org/10.2307/2531405

    Miettinen, O. & Nurminen, M. (1985). Comparative analysis of two rates. Statistics in
    Medicine 4(2), 213-226. https://doi.org/10.1002/sim.4780040211

    Gart, J. J. & Nam, J. (1988). Approximate interval estimation of the ratio of binomial
    parameters: a review and corrections for skewness. Biometrics 44(2), 323-338.
    https://doi.org/10.2307/2531848

    Laud, P. J. (2017). Equal-tailed confidence intervals for comparison of rates.
    Pharmaceutical Statistics 16(5), 334-348. https://doi.org/10.1002/pst.1813 (corrigendum
    2018, 17(3), 290-293).

    Fagerland, M. W., Lydersen, S. & Laake, P. (2015). Recommended confidence intervals for two
    independent binomial proportions. Statistical Methods in Medical Research 24(2), 224-254.
    https://doi.org/10.1177/0962280211415469

    Examples
    --------
    >>> relative_likelihood(7, 34, 1, 34, method="koopman")[["estimate", "lower", "upper"]]
       estimate     lower      upper
    0       7.0  1.220853  42.575718
    """
    method = check_choice(method, "method", RATIO_METHODS)
    confidence = check_confidence(confidence)
    a1, b1, a2, b2, index = check_counts(x1, n1, x2, n2)
    z = z_value(confidence)
    estimate = _ratio_estimate(a1, b1, a2, b2)
    if method in ("scas", "miettinen-nurminen", "koopman"):
        correction = method != "koopman"
        skew = method == "scas"
        lower, upper = in_chunks(
            lambda *c: _score_limits(*c, z, correction=correction, skew=skew), a1, b1, a2, b2
        )
    elif method == "katz":
        with np.errstate(divide="ignore", invalid="ignore"):
            se = np.sqrt(1.0 / a1 - 1.0 / b1 + 1.0 / a2 - 1.0 / b2)
            lower, upper = _log_limits(np.log(estimate), se, z)
        undefined = (a1 == 0) | (a2 == 0)
        lower = np.where(undefined, 0.0, lower)
        upper = np.where(undefined, np.inf, upper)
    else:  # adjusted-log
        c1, m1, c2, m2 = a1 + 0.5, b1 + 0.5, a2 + 0.5, b2 + 0.5
        se = np.sqrt(1.0 / c1 - 1.0 / m1 + 1.0 / c2 - 1.0 / m2)
        lower, upper = _log_limits(np.log(c1 / m1) - np.log(c2 / m2), se, z)
    both_zero = (a1 == 0) & (a2 == 0)
    lower = np.where(both_zero, 0.0, lower)
    upper = np.where(both_zero, np.inf, upper)
    return interval_frame(estimate, lower, upper, method, confidence, index)
