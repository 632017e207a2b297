"""Differences of two proportions (percentage-point gaps) with confidence intervals.

WRES indicators 5-8 compare the percentage of white and BME staff reporting an experience;
:func:`difference` gives ``p1 - p2`` (as a fraction) and its confidence interval for every
element of its (vectorised) inputs.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ._roots import bracket_from_outside, chandrupatla, in_chunks
from ._validation import (
    check_choice,
    check_confidence,
    check_counts,
    interval_frame,
    z_value,
)

__all__ = ["DEFAULT_DIFFERENCE_METHOD", "DIFFERENCE_METHODS", "difference", "wilson_interval"]

#: Interval methods accepted by :func:`difference`.
DIFFERENCE_METHODS: tuple[str, ...] = ("scas", "newcombe", "miettinen-nurminen")

#: The interval every difference gets unless a method is named (``docs/methodology.md``).
DEFAULT_DIFFERENCE_METHOD = "scas"

_T_CLIP = 1e12


def wilson_interval(x: np.ndarray, n: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson (1927) score interval for one proportion, without continuity correction.

    Parameters
    ----------
    x, n
        Validated event counts and group sizes (float arrays, ``0 <= x <= n``, ``n > 0``).
    z
        Two-sided standard normal quantile.

    Returns
    -------
    tuple of numpy.ndarray
        Lower and upper limits.

    Notes
    -----
    ``(p + z^2/(2n) -/+ z sqrt(p(1 - p)/n + z^2/(4 n^2))) / (1 + z^2/n)`` with ``p = x/n``.
    The limits are exactly 0 when ``x = 0`` and exactly 1 when ``x = n``.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
    Journal of the American Statistical Association 22(158), 209-212.
    https://doi.org/10.1080/01621459.1927.10502953
    """
    p = x / n
    z2 = z * z
    denom = 1.0 + z2 / n
    centre = (p + z2 / (2.0 * n)) / denom
    half = z * np.sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / denom
    lower = np.where(x == 0, 0.0, np.maximum(centre - half, 0.0))
    upper = np.where(x == n, 1.0, np.minimum(centre + half, 1.0))
    return lower, upper


_NEWTON_STEPS = 60


def _constrained_score(
    p2: np.ndarray,
    delta: np.ndarray,
    x1: np.ndarray,
    n1: np.ndarray,
    x2: np.ndarray,
    n2: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """First and second derivatives in ``p2`` of the log-likelihood with ``p1 = p2 + delta``.

    ``l(p2) = x1 log p1 + (n1 - x1) log(1 - p1) + x2 log p2 + (n2 - x2) log(1 - p2)``; a term
    whose count is 0 is 0 (so a limit at a zero cell stays finite).
    """
    p1 = p2 + delta
    q1 = (1.0 - p2) - delta
    q2 = 1.0 - p2
    terms = ((x1, p1, 1.0), (n1 - x1, q1, -1.0), (x2, p2, 1.0), (n2 - x2, q2, -1.0))
    score = np.zeros_like(p2)
    curvature = np.zeros_like(p2)
    with np.errstate(divide="ignore", invalid="ignore"):
        for count, prob, sign in terms:
            has = count > 0
            score += np.where(has, sign * count / prob, 0.0)
            curvature -= np.where(has, count / (prob * prob), 0.0)
    return score, curvature


def _polish(
    p2: np.ndarray,
    delta: np.ndarray,
    x1: np.ndarray,
    n1: np.ndarray,
    x2: np.ndarray,
    n2: np.ndarray,
) -> np.ndarray:
    """Newton's method on the constrained score equation, from the closed-form root.

    The log-likelihood is concave in ``p2`` on ``(max(0, -delta), min(1, 1 - delta))``, so
    Newton's iteration converges to its maximum; a step that would leave the interval goes
    halfway to the bound instead. A root on a bound is kept when it is the maximum (the
    score there points out of the interval, which needs a zero count at that bound);
    otherwise the iteration starts from ``x2/n2`` (or the interval's midpoint when that is
    not inside it).
    """
    lo = np.maximum(0.0, -delta)
    hi = np.minimum(1.0, 1.0 - delta)
    out = p2.copy()
    edge = (out <= lo) | (out >= hi)
    if edge.any():
        idx = np.flatnonzero(edge)
        at = np.where(out[idx] <= lo[idx], lo[idx], hi[idx])
        score, _ = _constrained_score(at, delta[idx], x1[idx], n1[idx], x2[idx], n2[idx])
        keep = np.where(at == lo[idx], score <= 0, score >= 0)
        start = np.clip(x2[idx] / n2[idx], lo[idx], hi[idx])
        inside = (start > lo[idx]) & (start < hi[idx])
        start = np.where(inside, start, (lo[idx] + hi[idx]) / 2.0)
        out[idx] = np.where(keep, at, start)
        edge[idx] = keep
    active = ~edge & (hi > lo)
    for _ in range(_NEWTON_STEPS):
        if not active.any():
            break
        idx = np.flatnonzero(active)
        cur, low, high = out[idx], lo[idx], hi[idx]
        score, curvature = _constrained_score(cur, delta[idx], x1[idx], n1[idx], x2[idx], n2[idx])
        with np.errstate(divide="ignore", invalid="ignore"):
            step = np.where(curvature < 0, -score / curvature, 0.0)
        step = np.nan_to_num(step, nan=0.0, posinf=0.0, neginf=0.0)
        new = cur + step
        new = np.where(new <= low, (cur + low) / 2.0, new)
        new = np.where(new >= high, (cur + high) / 2.0, new)
        out[idx] = new
        active[idx] = np.abs(new - cur) > 4.0 * np.finfo(float).eps * np.abs(new)
    return out


def difference_constrained_mle(
    delta: np.ndarray, x1: np.ndarray, n1: np.ndarray, x2: np.ndarray, n2: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Maximum-likelihood ``(p1, p2)`` under the constraint ``p1 - p2 = delta``.

    Closed-form (trigonometric) root of the likelihood cubic of Farrington & Manning (1990),
    as used by Miettinen & Nurminen (1985), clipped to the admissible range and then polished
    by Newton's method on the score equation ``dl/dp2 = 0`` (:func:`_polish`). The polish
    matters where a proportion or its complement is below about 1e-6 with groups of 1e6 or
    more: there the cubic's coefficients cancel and the closed form alone is off by enough
    to move the interval (1/1e9 v 1/1e9 gave +/-3.84e-9 instead of +/-4.74e-9).
    """
    p1h = x1 / n1
    p2h = x2 / n2
    th = n2 / n1
    a = 1.0 + th
    b = -(1.0 + th + p1h + th * p2h + delta * (th + 2.0))
    c = delta * delta + delta * (2.0 * p1h + th + 1.0) + p1h + th * p2h
    d = -p1h * delta * (1.0 + delta)
    v = b**3 / (3.0 * a) ** 3 - b * c / (6.0 * a * a) + d / (2.0 * a)
    u = np.sign(v) * np.sqrt(np.maximum(b * b / (3.0 * a) ** 2 - c / (3.0 * a), 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.clip(np.nan_to_num(v / u**3, nan=0.0), -1.0, 1.0)
    w = (np.pi + np.arccos(ratio)) / 3.0
    p1 = 2.0 * u * np.cos(w) - b / (3.0 * a)
    p1 = np.clip(p1, np.maximum(delta, 0.0), np.minimum(1.0 + delta, 1.0))
    p2 = _polish(np.clip(p1 - delta, 0.0, 1.0), delta, x1, n1, x2, n2)
    return p2 + delta, p2


def difference_score_statistic(
    delta: np.ndarray,
    x1: np.ndarray,
    n1: np.ndarray,
    x2: np.ndarray,
    n2: np.ndarray,
    *,
    correction: bool = True,
    skew: float = 0.0,
) -> np.ndarray:
    """Miettinen-Nurminen score statistic for ``H0: p1 - p2 = delta`` (decreasing in delta).

    ``T = (p1_hat - p2_hat - delta) / sqrt(V)``,
    ``V = (p1~(1 - p1~)/n1 + p2~(1 - p2~)/n2) N/(N-1)`` (without the factor if not
    ``correction``). With ``skew = z^2 - 1`` it returns the skewness-corrected
    ``T - skew * mu3 / (6 V^(3/2))``, ``mu3 = p1~(1 - p1~)(1 - 2 p1~)/n1^2 -
    p2~(1 - p2~)(1 - 2 p2~)/n2^2``, whose roots at ``+/- z`` are the SCAS limits (Gart & Nam
    1990 without the factor; Laud 2017). Clipped to +/-1e12.
    """
    p1t, p2t = difference_constrained_mle(delta, x1, n1, x2, n2)
    big_n = n1 + n2
    pq1 = p1t * (1.0 - p1t)
    pq2 = p2t * (1.0 - p2t)
    var = pq1 / n1 + pq2 / n2
    if correction:
        var = var * (big_n / (big_n - 1.0))
    num = x1 / n1 - x2 / n2 - delta
    with np.errstate(divide="ignore", invalid="ignore"):
        sd = np.sqrt(var)
        stat = np.where(num == 0.0, 0.0, num / sd)
        stat = np.nan_to_num(stat, nan=0.0, posinf=_T_CLIP, neginf=-_T_CLIP)
        if skew:
            mu3 = pq1 * (1.0 - 2.0 * p1t) / (n1 * n1) - pq2 * (1.0 - 2.0 * p2t) / (n2 * n2)
            gamma = np.where(mu3 == 0.0, 0.0, mu3 / (6.0 * var * sd))
            stat = stat - skew * np.nan_to_num(gamma, nan=0.0, posinf=0.0, neginf=0.0)
    return np.clip(stat, -_T_CLIP, _T_CLIP)


def _score_limits(
    x1: np.ndarray,
    n1: np.ndarray,
    x2: np.ndarray,
    n2: np.ndarray,
    z: float,
    *,
    correction: bool = True,
    skew: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Score limits, both solved in one vectorised root search: Miettinen-Nurminen, SCAS
    with ``skew``, Gart-Nam with ``skew`` and not ``correction``."""
    est = x1 / n1 - x2 / n2
    lower = np.full(est.size, -1.0)
    upper = np.full(est.size, 1.0)
    need_lower = np.flatnonzero(est > -1.0)
    need_upper = np.flatnonzero(est < 1.0)
    rows = np.concatenate([need_lower, need_upper])
    if rows.size == 0:
        return lower, upper
    k = need_lower.size
    target = np.concatenate([np.full(k, z), np.full(need_upper.size, -z)])
    a1, b1, a2, b2 = x1[rows], n1[rows], x2[rows], n2[rows]
    skew_term = z * z - 1.0 if skew else 0.0

    def objective(delta: np.ndarray, idx: np.ndarray) -> np.ndarray:
        stat = difference_score_statistic(
            delta, a1[idx], b1[idx], a2[idx], b2[idx], correction=correction, skew=skew_term
        )
        return stat - target[idx]

    # lower limit in (-1, est]: f(-1) = +inf (clipped), f(est) = -z; upper in [est, 1).
    # The skewness term moves f(est), so it is evaluated; where f has already crossed there,
    # the limit lies on the other side of the estimate.
    est_rows = est[rows]
    f_est = -target
    if skew:
        f_est = objective(est_rows, np.arange(rows.size))
    is_lower = np.arange(rows.size) < k
    left = np.where(is_lower, f_est <= 0, f_est < 0)
    start = np.where(left, -1.0, est_rows)
    stop = np.where(left, est_rows, 1.0)
    f_start = np.where(left, _T_CLIP - target, f_est)
    f_stop = np.where(left, f_est, -_T_CLIP - target)
    if skew:
        # With a group at 0% or 100% the skewness term can make f cross again near the
        # estimate; there the limit is the crossing nearest the far end (-1 or 1).
        a_edge = (a1 == 0) | (a1 == b1) | (a2 == 0) | (a2 == b2)
        suspect = np.flatnonzero(a_edge)
        if suspect.size:

            def objective_suspect(delta: np.ndarray, idx: np.ndarray) -> np.ndarray:
                return objective(delta, suspect[idx])

            outer = np.where(is_lower[suspect], -1.0, 1.0)
            s_lo, s_hi, s_flo, s_fhi = bracket_from_outside(
                objective_suspect, est_rows[suspect], outer, f_est[suspect]
            )
            start[suspect], stop[suspect] = s_lo, s_hi
            f_start[suspect], f_stop[suspect] = s_flo, s_fhi
    roots = chandrupatla(objective, start, stop, f_start, f_stop)
    lower[need_lower] = roots[:k]
    upper[need_upper] = roots[k:]
    return lower, upper


def difference(
    x1: Any,
    n1: Any,
    x2: Any,
    n2: Any,
    method: str = DEFAULT_DIFFERENCE_METHOD,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Difference of two proportions ``x1/n1 - x2/n2`` with a confidence interval.

    Vectorised like :func:`~wres_analysis.stats.relative_likelihood`. The difference is a
    fraction (0.05 is five percentage points), never rounded.

    Parameters
    ----------
    x1, n1
        Group 1 events and group size (e.g. white staff reporting harassment, white
        respondents).
    x2, n2
        Group 2 events and group size.
    method
        ``"scas"`` (default: skewness-corrected asymptotic score interval), ``"newcombe"``
        (Newcombe's hybrid score interval, method 10) or ``"miettinen-nurminen"`` (score
        interval).
    confidence
        Two-sided confidence level, strictly between 0 and 1.

    Returns
    -------
    pandas.DataFrame
        One row per element with columns ``estimate``, ``lower``, ``upper``, ``method`` and
        ``confidence``; the index of the Series arguments, otherwise a ``RangeIndex``.

    Raises
    ------
    ValueError
        For invalid counts (naming the first offending position), unequal lengths, or a
        ``method`` or ``confidence`` that is not allowed.
    TypeError
        If an argument is not numeric.

    Notes
    -----
    With ``p1 = x1/n1``, ``p2 = x2/n2``, ``D = p1 - p2``:

    * Newcombe (1998, method 10): with Wilson intervals ``(l1, u1)`` and ``(l2, u2)`` for the
      two proportions (no continuity correction),
      ``lower = D - sqrt((p1 - l1)^2 + (u2 - p2)^2)``,
      ``upper = D + sqrt((u1 - p1)^2 + (p2 - l2)^2)``.
    * Miettinen & Nurminen (1985): all ``delta`` with ``|T(delta)| <= z``, where
      ``T(delta) = (p1 - p2 - delta) / sqrt((p1~(1 - p1~)/n1 + p2~(1 - p2~)/n2) N/(N - 1))``
      and ``(p1~, p2~)`` maximise the likelihood under ``p1 - p2 = delta`` (closed-form
      cubic root, Farrington & Manning 1990, polished by Newton's method on the score
      equation so that proportions below 1e-6 in groups of 1e6 or more stay accurate). Both
      limits are found for all strata at once
      by a bracketed Chandrupatla root search on ``(-1, D]`` and ``[D, 1)``.

    * SCAS (Laud 2017; R ``ratesci::scoreci(..., contrast="RD")`` with its defaults): all
      ``delta`` with ``|T(delta) - (z^2 - 1) mu3 / (6 V^(3/2))| <= z``, ``T`` and ``V`` as for
      Miettinen-Nurminen and ``mu3 = p1~(1 - p1~)(1 - 2 p1~)/n1^2 - p2~(1 - p2~)(1 - 2 p2~)/n2^2``
      (the skewness correction of Gart & Nam 1990). Where a group is at 0% or 100% the
      corrected statistic can cross ``+/- z`` again beside the estimate; the limit is the
      crossing nearest ``-1`` (lower) or ``1`` (upper), found by scanning inwards from there.

    All three are defined for every valid table, including zero cells and 100% in a group,
    and stay within ``[-1, 1]``. SCAS is the default: Newcombe's and Miettinen-Nurminen's
    intervals have good two-sided coverage, but with a small group or a rare outcome they lie
    wholly above the true difference more often than below it (3-5% against 0-1.5% at 1%
    rates), and SCAS keeps both tails near 2.5% (``docs/methodology.md``). Checked against
    Newcombe (1998) Table II, SAS PROC FREQ, Gart & Nam (1990), ``ratesci``'s documented values,
    a numerical oracle and ``statsmodels``.

    References
    ----------
    Newcombe, R. G. (1998). Interval estimation for the difference between independent
    proportions: comparison of eleven methods. Statistics in Medicine 17(8), 873-890.
    https://doi.org/10.1002/(SICI)1097-0258(19980430)17:8<873::AID-SIM779>3.0.CO;2-I

    Miettinen, O. & Nurminen, M. (1985). Comparative analysis of two rates. Statistics in
    Medicine 4(2), 213-226. https://doi.org/10.1002/sim.4780040211

    Gart, J. J. & Nam, J. (1990). Approximate interval estimation of the difference in
    binomial parameters: correction for skewness and extension to multiple tables.
    Biometrics 46(3), 637-643. https://doi.org/10.2307/2532084

    Laud, P. J. (2017). Equal-tailed confidence intervals for comparison of rates.
    Pharmaceutical Statistics 16(5), 334-348. https://doi.org/10.1002/pst.1813

    Farrington, C. P. & Manning, G. (1990). Test statistics and sample size formulae for
    comparative binomial trials with null hypothesis of non-zero risk difference or non-unity
    relative risk. Statistics in Medicine 9(12), 1447-1454.
    https://doi.org/10.1002/sim.4780091208

    Examples
    --------
    >>> difference(56, 70, 48, 80, method="newcombe")[["estimate", "lower", "upper"]].round(4)
       estimate   lower   upper
    0       0.2  0.0524  0.3339
    """
    method = check_choice(method, "method", DIFFERENCE_METHODS)
    confidence = check_confidence(confidence)
    a1, b1, a2, b2, index = check_counts(x1, n1, x2, n2)
    z = z_value(confidence)
    p1 = a1 / b1
    p2 = a2 / b2
    estimate = p1 - p2
    if method == "newcombe":
        l1, u1 = wilson_interval(a1, b1, z)
        l2, u2 = wilson_interval(a2, b2, z)
        lower = estimate - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
        upper = estimate + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    else:
        skew = method == "scas"
        lower, upper = in_chunks(lambda *c: _score_limits(*c, z, skew=skew), a1, b1, a2, b2)
    return interval_frame(estimate, lower, upper, method, confidence, index)
