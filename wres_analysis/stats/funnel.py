"""Funnel plots of relative likelihoods across organisations, with overdispersion.

A funnel plot shows each organisation's relative likelihood against its precision with control
limits around a common target that narrow as precision grows. :func:`funnel_points` gives the
per-organisation table (z-scores, limits at its precision, outlier and false-discovery flags);
:func:`funnel_limits` gives the smooth limit curves to draw.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Real
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from scipy.special import bdtr, ndtr, ndtri
from scipy.stats import false_discovery_control

from ._validation import as_float_array, broadcast, check_counts, z_value

__all__ = [
    "FEW_EXPECTED_EVENTS",
    "FUNNEL_FDR",
    "FUNNEL_LEVELS",
    "FUNNEL_WINSORISE",
    "OVERDISPERSION_METHODS",
    "Overdispersion",
    "benjamini_hochberg",
    "funnel_limits",
    "funnel_overdispersion",
    "funnel_points",
    "outlier_column",
    "winsorised_null_moment",
]

#: Control-limit levels drawn by default: 95% ("warning") and 99.8% ("control").
FUNNEL_LEVELS: tuple[float, ...] = (0.95, 0.998)
#: False discovery rate at which organisations are flagged (Benjamini-Hochberg).
FUNNEL_FDR = 0.05
#: Fraction of z-scores winsorised at each end for the overdispersion estimate (10% and 90%).
FUNNEL_WINSORISE = 0.10
#: How the multiplicative overdispersion ``phi`` is estimated from winsorised z-scores:
#: ``"consistent"`` (the default) divides by the winsorised second moment of a standard normal,
#: so ``phi`` estimates 1 with no overdispersion; ``"funnelplotr"`` does not, as NHS-R
#: FunnelPlotR and Spiegelhalter (2005) (see :func:`funnel_overdispersion`).
OVERDISPERSION_METHODS: tuple[str, ...] = ("consistent", "funnelplotr")
#: Default level of the interval reported for ``tau2`` (percentile bootstrap over
#: organisations); the report passes its own confidence level.
TAU2_CONFIDENCE = 0.95
#: Resamples and seed of that bootstrap: fixed, so the same data give the same interval.
TAU2_RESAMPLES = 2000
TAU2_SEED = 20051185
#: An organisation's test is exact (conditional binomial, mid-p) where the expected number of
#: events in either group, given the events observed, is below this (and events are rare).
FEW_EXPECTED_EVENTS = 5.0
#: ... and where no group's event rate exceeds this: the conditional binomial treats each
#: group's events as Poisson, which holds for rare outcomes (indicator 3), not common ones.
RARE_RATE = 0.10


class Overdispersion(NamedTuple):
    """Spiegelhalter's overdispersion estimates (see :func:`funnel_overdispersion`):
    ``tau2_lower`` and ``tau2_upper`` bound ``tau2`` at ``confidence``."""

    phi: float
    tau2: float
    n: int
    tau2_lower: float = float("nan")
    tau2_upper: float = float("nan")
    method: str = "consistent"
    confidence: float = TAU2_CONFIDENCE


def _level_suffix(level: float) -> str:
    """``0.95 -> "95"``, ``0.998 -> "998"``: the digits of the percentage."""
    text = f"{level * 100:.10g}"
    return text.replace(".", "")


def outlier_column(level: float) -> str:
    """The :func:`funnel_points` column flagging organisations outside the ``level`` limits:
    ``0.95 -> "outlier_95"``, ``0.998 -> "outlier_998"``."""
    return f"outlier_{_level_suffix(level)}"


def _check_levels(levels: Any) -> tuple[float, ...]:
    if isinstance(levels, Real):
        levels = (levels,)
    if not isinstance(levels, Sequence) or len(levels) == 0:
        raise ValueError(
            f"`levels` must be a non-empty sequence of levels in (0, 1); got {levels!r}"
        )
    out = []
    for level in levels:
        if isinstance(level, bool) or not isinstance(level, Real) or not 0 < float(level) < 1:
            raise ValueError(
                f"`levels` must contain numbers strictly between 0 and 1; got {level!r}"
            )
        out.append(float(level))
    return tuple(out)


def _check_fraction(value: Any, name: str, upper: float) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"`{name}` must be a number; got {value!r}")
    out = float(value)
    if not 0.0 <= out < upper:
        raise ValueError(f"`{name}` must be in [0, {upper}); got {out!r}")
    return out


def benjamini_hochberg(p_values: Any, fdr: float = 0.05) -> pd.DataFrame:
    """Benjamini-Hochberg adjusted p-values and discovery flags.

    Parameters
    ----------
    p_values
        p-values (scalar, sequence, array or Series); missing values are ignored (they get a
        missing adjusted value and are never flagged) and do not count towards ``m``.
    fdr
        The false discovery rate to control, in (0, 1).

    Returns
    -------
    pandas.DataFrame
        Columns ``p_value``, ``p_adjusted`` and ``discovery`` (``p_adjusted <= fdr``), with the
        index of a Series input or a ``RangeIndex``.

    Raises
    ------
    ValueError
        If a p-value is outside ``[0, 1]`` or ``fdr`` is outside ``(0, 1)``.

    Notes
    -----
    With the ``m`` p-values sorted, ``p_(1) <= ... <= p_(m)``, the adjusted value of
    ``p_(i)`` is ``min_{j >= i} min(1, m p_(j) / j)``; flagging ``p_adjusted <= fdr`` is the
    step-up procedure that rejects ``H_(1), ..., H_(k)`` for the largest ``k`` with
    ``p_(k) <= k fdr / m``, which controls the false discovery rate at ``fdr`` for
    independent (or positively dependent) tests. Computed by
    ``scipy.stats.false_discovery_control(..., method="bh")``.

    References
    ----------
    Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate: a practical and
    powerful approach to multiple testing. Journal of the Royal Statistical Society B 57(1),
    289-300. https://doi.org/10.1111/j.2517-6161.1995.tb02031.x

    Examples
    --------
    >>> benjamini_hochberg([0.01, 0.04, 0.03, 0.20])["discovery"].tolist()
    [True, False, False, False]
    """
    (p,), index = broadcast({"p_values": as_float_array(p_values, "p_values")})
    q = _check_fraction(fdr, "fdr", 1.0)
    if q == 0.0:
        raise ValueError(f"`fdr` must be in (0, 1); got {q!r}")
    present = ~np.isnan(p)
    if ((p[present] < 0) | (p[present] > 1)).any():
        pos = int(np.flatnonzero(present & ((p < 0) | (p > 1)))[0])
        raise ValueError(f"`p_values` must lie in [0, 1]; got {p[pos]!r} at position {pos}")
    adjusted = np.full(p.size, np.nan)
    if present.any():
        adjusted[present] = false_discovery_control(p[present], method="bh")
    return pd.DataFrame(
        {"p_value": p, "p_adjusted": adjusted, "discovery": present & (adjusted <= q)},
        index=index,
    )


def winsorised_null_moment(winsorise: float) -> float:
    """``E[z_w^2]`` for ``z ~ N(0, 1)`` winsorised at its ``winsorise`` and ``1 - winsorise``
    quantiles: the consistency factor of the winsorised ``phi``.

    With ``c = Phi^-1(1 - a)`` for ``a = winsorise``,
    ``E[z_w^2] = E[z^2; |z| < c] + 2 a c^2 = (1 - 2a) - 2 c phi(c) + 2 a c^2``
    (``E[z^2; |z| < c] = (2 Phi(c) - 1) - 2 c phi(c)``, integrating ``z^2 phi(z)`` by parts).
    0.10 gives 0.6787: the uncorrected ``phi`` is about 0.68 times the dispersion it
    estimates. 0 gives 1 (no winsorising).
    """
    a = _check_fraction(winsorise, "winsorise", 0.5)
    if a == 0.0:
        return 1.0
    c = float(ndtri(1.0 - a))
    density = float(np.exp(-0.5 * c * c) / np.sqrt(2.0 * np.pi))
    return (1.0 - 2.0 * a) - 2.0 * c * density + 2.0 * a * c * c


def _phi_tau2(zz: np.ndarray, ss: np.ndarray, frac: float, factor: float) -> tuple[Any, Any]:
    """``phi`` and ``tau2`` of each row of ``zz`` (organisations along the last axis)."""
    n = zz.shape[-1]
    lo, hi = np.quantile(zz, [frac, 1.0 - frac], axis=-1, keepdims=True)
    zw = np.clip(zz, lo, hi)
    phi = np.sum(zw * zw, axis=-1) / n / factor
    w = 1.0 / (ss * ss)
    denom = np.sum(w, axis=-1) - np.sum(w * w, axis=-1) / np.sum(w, axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        tau2 = np.where(denom > 0, np.maximum(0.0, (n * phi - (n - 1)) / denom), 0.0)
    return phi, tau2


def funnel_overdispersion(
    z: Any,
    se: Any,
    winsorise: float = FUNNEL_WINSORISE,
    method: str = "consistent",
    resamples: int = TAU2_RESAMPLES,
    confidence: float = TAU2_CONFIDENCE,
) -> Overdispersion:
    """Spiegelhalter's multiplicative and additive overdispersion estimates, with an interval
    for the additive one.

    Parameters
    ----------
    z
        z-scores of the organisations against the target (missing values are ignored).
    se
        Their standard errors on the scale of the z-scores (here: log relative likelihood).
    winsorise
        Fraction winsorised at each end, in ``[0, 0.5)``; default 0.10 (10% and 90%).
    method
        ``"consistent"`` (default) or ``"funnelplotr"``
        (:data:`OVERDISPERSION_METHODS`): whether ``phi`` is divided by its expectation with
        no overdispersion, :func:`winsorised_null_moment`.
    resamples
        Bootstrap resamples for the interval of ``tau2`` (default :data:`TAU2_RESAMPLES`);
        0 computes no interval (NaN), for simulations that need only the estimates.
    confidence
        Level of that interval, in (0, 1); default :data:`TAU2_CONFIDENCE`.

    Returns
    -------
    Overdispersion
        ``phi`` (the multiplicative dispersion factor), ``tau2`` (the additive between-
        organisation variance), ``n`` (the number of organisations used), ``tau2_lower`` and
        ``tau2_upper`` (a ``confidence`` percentile bootstrap interval for ``tau2``),
        ``method`` and ``confidence``.

    Notes
    -----
    Following Spiegelhalter (2005) as implemented by NHS-R ``FunnelPlotR``: winsorise ``z`` at
    its ``winsorise`` and ``1 - winsorise`` quantiles (linear interpolation, R's type 7), then
    ``phi = sum(z_w^2) / n`` and, with weights ``w = 1 / se^2``,
    ``tau2 = max(0, (n phi - (n - 1)) / (sum(w) - sum(w^2) / sum(w)))``. ``tau2`` is the
    variance of the true log relative likelihoods around the target; an organisation's
    adjusted z-score is ``(y - log target) / sqrt(se^2 + tau2)``.

    Winsorising shrinks the squares: with no overdispersion (``z ~ N(0, 1)``) the 10%
    winsorised ``sum(z_w^2) / n`` has expectation 0.679, not 1, so FunnelPlotR's ``phi``
    estimates 0.68 times the dispersion, ``tau2`` is biased low (45-85% at WRES sizes, in the
    statistical review of 2026-12) and ordinary organisations are flagged at 99.8% 6-12 times
    as often as 0.2%. The ``"consistent"`` estimate divides ``phi`` by that expectation
    (the consistency factor of a winsorised variance), so that it estimates 1 with no
    overdispersion and ``tau2`` is close to unbiased; winsorising still limits the pull of
    genuine outliers. ``"funnelplotr"`` reproduces FunnelPlotR's published values.

    The interval for ``tau2`` resamples the organisations (``z`` and ``se`` together)
    :data:`TAU2_RESAMPLES` times with a fixed seed, :data:`TAU2_SEED`, recomputes ``tau2``
    each time by the same estimator and takes its ``(1 - confidence) / 2`` and
    ``(1 + confidence) / 2`` points (2.5% and 97.5% at 95%; Efron's percentile
    bootstrap): the same data always give the same interval. With fewer than 2 organisations
    nothing is estimated (``phi`` and the interval are NaN, ``tau2`` is 0).

    References
    ----------
    Spiegelhalter, D. J. (2005). Handling over-dispersion of performance indicators. Quality
    and Safety in Health Care 14(5), 347-351. https://doi.org/10.1136/qshc.2005.013755

    Spiegelhalter, D. J. (2005). Funnel plots for comparing institutional performance.
    Statistics in Medicine 24(8), 1185-1202. https://doi.org/10.1002/sim.1970

    Huber, P. J. & Ronchetti, E. M. (2009). Robust Statistics, 2nd ed., Wiley, section 5.3
    (consistency factors of winsorised scale estimates).

    Efron, B. & Tibshirani, R. J. (1993). An Introduction to the Bootstrap. Chapman & Hall,
    chapter 13 (percentile intervals).
    """
    (zz, ss), _ = broadcast({"z": as_float_array(z, "z"), "se": as_float_array(se, "se")})
    frac = _check_fraction(winsorise, "winsorise", 0.5)
    if method not in OVERDISPERSION_METHODS:
        raise ValueError(
            f"`method` must be one of {', '.join(OVERDISPERSION_METHODS)}; got {method!r}"
        )
    level = _check_fraction(confidence, "confidence", 1.0)
    if level == 0.0:
        raise ValueError(f"`confidence` must be in (0, 1); got {level!r}")
    use = np.isfinite(zz) & np.isfinite(ss) & (ss > 0)
    zz, ss = zz[use], ss[use]
    n = int(zz.size)
    if n < 2:
        return Overdispersion(phi=float("nan"), tau2=0.0, n=n, method=method, confidence=level)
    factor = winsorised_null_moment(frac) if method == "consistent" else 1.0
    phi, tau2 = _phi_tau2(zz, ss, frac, factor)
    low = high = float("nan")
    if resamples:
        rng = np.random.default_rng(TAU2_SEED)
        picks = rng.integers(0, n, size=(int(resamples), n))
        _, resampled = _phi_tau2(zz[picks], ss[picks], frac, factor)
        tail = (1.0 - level) / 2.0
        low, high = np.quantile(resampled, [tail, 1.0 - tail])
    return Overdispersion(
        phi=float(phi),
        tau2=float(tau2),
        n=n,
        tau2_lower=float(low),
        tau2_upper=float(high),
        method=method,
        confidence=level,
    )


def funnel_points(
    x1: Any,
    n1: Any,
    x2: Any,
    n2: Any,
    target: float | None = None,
    overdispersion: bool = True,
    levels: Sequence[float] = FUNNEL_LEVELS,
    winsorise: float = FUNNEL_WINSORISE,
    fdr: float = FUNNEL_FDR,
    overdispersion_method: str = "consistent",
    exact: bool = True,
    tau2_confidence: float = TAU2_CONFIDENCE,
) -> pd.DataFrame:
    """Per-organisation funnel-plot table for relative likelihoods.

    Parameters
    ----------
    x1, n1, x2, n2
        Per-organisation counts, validated as in
        :func:`~wres_analysis.stats.relative_likelihood` (group 1 is the numerator).
    target
        The ratio the limits are centred on; default the national crude ratio
        ``(sum x1 / sum n1) / (sum x2 / sum n2)``.
    overdispersion
        Widen the limits by Spiegelhalter's additive random-effects ``tau2``
        (:func:`funnel_overdispersion`); default True. If False, ``tau2 = 0``.
    levels
        Two-sided control-limit levels; default 0.95 and 0.998.
    winsorise
        Winsorising fraction for the overdispersion estimate; default 0.10.
    fdr
        False discovery rate for the Benjamini-Hochberg flag; default 0.05.
    overdispersion_method
        How ``phi`` is estimated: ``"consistent"`` (default) or ``"funnelplotr"``
        (:data:`OVERDISPERSION_METHODS`, :func:`funnel_overdispersion`).
    exact
        Test organisations with few expected events exactly (conditional binomial, mid-p;
        see Notes); default True. False gives every organisation the normal (Katz) test.
    tau2_confidence
        Level of the interval of ``tau2``; default :data:`TAU2_CONFIDENCE`.

    Returns
    -------
    pandas.DataFrame
        One row per organisation (index of Series input, else ``RangeIndex``) with columns

        * ``estimate``: the relative likelihood ``(x1/n1)/(x2/n2)`` (NaN when both ``x`` are 0);
        * ``log_estimate``, ``se``: the plotted log ratio and its standard error (Katz; the
          adjusted-log values where a cell of the 2x2 table is zero);
        * ``adjusted``: True where the adjusted-log values were used;
        * ``test``: ``"normal"`` or ``"exact mid-p"`` (see Notes);
        * ``z``: the test's z-score against the target, before the overdispersion adjustment:
          ``(log_estimate - log target) / se`` for the normal test, the normal quantile of
          the mid-p lower tail for the exact one;
        * ``z_adjusted``: ``z * se / sqrt(se^2 + tau2)`` (for the normal test
          ``(log_estimate - log target) / sqrt(se^2 + tau2)``);
        * ``lower_<L>``, ``upper_<L>`` for each level (``lower_95``, ``upper_95``,
          ``lower_998``, ``upper_998`` by default): the organisation's control limits on the
          ratio scale: for the normal test at its precision, for the exact test at its
          number of events (see Notes; 0 or ``inf`` where no count could be flagged);
        * ``outlier_<L>``: True where the organisation lies outside those limits (its
          ``log_estimate`` below the lower or above the upper);
        * ``p_value``: two-sided, from ``z_adjusted``;
        * ``p_adjusted``, ``bh_flag``: Benjamini-Hochberg adjusted p-value and
          ``p_adjusted <= fdr`` (:func:`benjamini_hochberg`);
        * ``target``, ``phi``, ``tau2``: constants, to draw :func:`funnel_limits`;
          ``tau2_lower``, ``tau2_upper`` its interval at ``tau2_confidence``, and
          ``overdispersion_method``.

    Raises
    ------
    ValueError
        For invalid counts (naming the first offending organisation) or arguments.

    Notes
    -----
    Works in log-ratio space, where the sampling distribution is close to normal. Each
    organisation's log ratio ``y = log((x1/n1)/(x2/n2))`` has the Katz variance
    ``se^2 = 1/x1 - 1/n1 + 1/x2 - 1/n2``; where any cell of the 2x2 table is zero
    (``x1 = 0``, ``x2 = 0``, ``x1 = n1`` or ``x2 = n2``) the variance is infinite or zero, and
    ``y`` and ``se`` use ``x + 0.5`` and ``n + 0.5`` (the adjusted-log interval's values).
    Organisations with no events in either group have no ratio: their ``z`` and flags are
    missing/False and they do not enter the overdispersion estimate.

    A point with no information is not tested. With both groups at 100% (``x1 = n1`` and
    ``x2 = n2``) the adjusted variance is exactly 0, so a z-score would be infinite and the
    organisation would be flagged on no evidence at all. Wherever ``se`` is 0 or not finite,
    or the ratio is undefined, ``z``, ``z_adjusted``, ``p_value``, ``p_adjusted`` and the
    organisation's limits are missing and its ``outlier_<L>`` and ``bh_flag`` are False; it
    does not enter the overdispersion estimate nor count towards the Benjamini-Hochberg
    ``m``. Its ``estimate``, ``log_estimate`` and ``se`` are still reported as computed.

    The limits at level ``L`` are ``target exp(+/- z_L sqrt(se^2 + tau2))`` with ``z_L`` the
    two-sided normal quantile (1.960 for 95%, 3.090 for 99.8%). Overdispersion follows
    Spiegelhalter (2005) and NHS-R ``FunnelPlotR``: ``tau2`` from 10%-winsorised z-scores
    (see :func:`funnel_overdispersion`, consistency-corrected by default), here in log-ratio
    space. Without overdispersion, outlier flags at 99.8% guard against chance findings among
    ~200 trusts (about 0.4 expected by chance); the Benjamini-Hochberg flag controls the
    expected share of false alarms among the organisations flagged.

    **Few expected events.** The Katz z-score is poor when an organisation expects only a
    few events: with small counts "below the target" is almost never flagged (0.008% against
    0.1% nominal at 99.8% in the statistical review's null simulation) and the +0.5
    correction can put a zero-event organisation on the wrong side of the target. Where the
    expected events of either group, given the ``m = x1 + x2`` observed, are below
    :data:`FEW_EXPECTED_EVENTS` and the events are rare (``m / (n1 + n2)`` at most
    :data:`RARE_RATE`), the organisation is tested exactly instead: under the target, treating
    each group's events as Poisson, ``x1 | m ~ Binomial(m, pi0)`` with
    ``pi0 = n1 target / (n1 target + n2)``, and ``z = Phi^-1(P(X < x1) + P(X = x1) / 2)``
    (the mid-p lower tail, whose two-sided p-value ``2 Phi(-|z|)`` is the mid-p test). The
    overdispersion adjustment then scales it like the normal z, ``z se / sqrt(se^2 + tau2)``.
    Its flags follow that test, and so do its limits: holding its ``m`` events and its
    overdispersion factor fixed, ``lower_<L>`` and ``upper_<L>`` are the plotted ratios at
    which the split of the ``m`` events between the groups starts to be flagged (midway, on
    the log scale, between the last split not flagged and the first flagged). Such a point is
    outside its own limits exactly when it is flagged, which the normal limit curves of
    :func:`funnel_limits` do not promise for it: a chart draws its limits separately.

    References
    ----------
    Spiegelhalter, D. J. (2005). Funnel plots for comparing institutional performance.
    Statistics in Medicine 24(8), 1185-1202. https://doi.org/10.1002/sim.1970

    Spiegelhalter, D. J. (2005). Handling over-dispersion of performance indicators. Quality
    and Safety in Health Care 14(5), 347-351. https://doi.org/10.1136/qshc.2005.013755

    Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate. Journal of the
    Royal Statistical Society B 57(1), 289-300.
    https://doi.org/10.1111/j.2517-6161.1995.tb02031.x

    Lancaster, H. O. (1961). Significance tests in discrete distributions. Journal of the
    American Statistical Association 56(294), 223-234 (the mid-p value).

    Breslow, N. E. & Day, N. E. (1987). Statistical Methods in Cancer Research II, IARC,
    section 2.2 (the conditional binomial test of a ratio of Poisson rates).

    NHS-R Community. FunnelPlotR: funnel plots for comparing institutional performance.
    https://nhs-r-community.github.io/FunnelPlotR/
    """
    a1, b1, a2, b2, index = check_counts(x1, n1, x2, n2)
    levels = _check_levels(levels)
    if target is None:
        total2 = a2.sum()
        if a1.sum() == 0 or total2 == 0:
            raise ValueError(
                "the national crude ratio is 0 or undefined (no events in a group); "
                "pass `target` explicitly"
            )
        target_value = float((a1.sum() / b1.sum()) / (total2 / b2.sum()))
    else:
        if isinstance(target, bool) or not isinstance(target, Real):
            raise TypeError(f"`target` must be a positive number or None; got {target!r}")
        target_value = float(target)
        if not (np.isfinite(target_value) and target_value > 0):
            raise ValueError(f"`target` must be a positive finite number; got {target_value!r}")
    if not isinstance(overdispersion, bool):
        raise TypeError(f"`overdispersion` must be True or False; got {overdispersion!r}")
    if overdispersion_method not in OVERDISPERSION_METHODS:
        raise ValueError(
            f"`overdispersion_method` must be one of {', '.join(OVERDISPERSION_METHODS)}; "
            f"got {overdispersion_method!r}"
        )

    with np.errstate(divide="ignore", invalid="ignore"):
        estimate = (a1 / b1) / (a2 / b2)
    adjusted = (a1 == 0) | (a2 == 0) | (a1 == b1) | (a2 == b2)
    c1 = np.where(adjusted, a1 + 0.5, a1)
    m1 = np.where(adjusted, b1 + 0.5, b1)
    c2 = np.where(adjusted, a2 + 0.5, a2)
    m2 = np.where(adjusted, b2 + 0.5, b2)
    log_est = np.log(c1 / m1) - np.log(c2 / m2)
    se = np.sqrt(1.0 / c1 - 1.0 / m1 + 1.0 / c2 - 1.0 / m2)
    no_ratio = (a1 == 0) & (a2 == 0)
    log_est = np.where(no_ratio, np.nan, log_est)
    # A point is tested only where its standard error carries information: se = 0 (both
    # groups at 100%) would give z = +/-inf, and no ratio gives no z at all.
    informative = ~no_ratio & np.isfinite(se) & (se > 0)
    log_target = np.log(target_value)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(informative, (log_est - log_target) / se, np.nan)
    few = informative & (_few_expected(a1, b1, a2, b2, target_value) if exact else False)
    z = np.where(few, _mid_p_z(a1, b1, a2, b2, target_value), z)

    if overdispersion:
        disp = funnel_overdispersion(
            z, se, winsorise=winsorise, method=overdispersion_method, confidence=tau2_confidence
        )
    else:
        disp = Overdispersion(
            phi=float("nan"), tau2=0.0, n=int(np.isfinite(z).sum()), method=overdispersion_method
        )
    total_se = np.where(informative, np.sqrt(se * se + disp.tau2), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        z_adj = z * se / total_se
    p_value = 2.0 * ndtr(-np.abs(z_adj))
    bh = benjamini_hochberg(p_value, fdr=fdr)

    columns: dict[str, Any] = {
        "estimate": estimate,
        "log_estimate": log_est,
        "se": se,
        "adjusted": adjusted,
        "test": np.where(few, "exact mid-p", "normal"),
        "z": z,
        "z_adjusted": z_adj,
    }
    outliers: dict[str, Any] = {}
    exact_rows = np.flatnonzero(few)
    with np.errstate(divide="ignore", invalid="ignore"):
        shrink = se / total_se  # z_adjusted = z * shrink
    splits = _ExactSplits(a1, b1, a2, b2, target_value, shrink, exact_rows)
    for level in levels:
        suffix = _level_suffix(level)
        zl = z_value(level)
        lower = target_value * np.exp(-zl * total_se)
        upper = target_value * np.exp(zl * total_se)
        lower[exact_rows], upper[exact_rows] = splits.limits(zl)
        columns[f"lower_{suffix}"] = lower
        columns[f"upper_{suffix}"] = upper
        with np.errstate(invalid="ignore"):
            outliers[outlier_column(level)] = np.abs(z_adj) > zl
    columns.update(outliers)
    columns["p_value"] = p_value
    columns["p_adjusted"] = bh["p_adjusted"].to_numpy()
    columns["bh_flag"] = bh["discovery"].to_numpy()
    columns["target"] = np.full(a1.size, target_value)
    columns["phi"] = np.full(a1.size, disp.phi)
    columns["tau2"] = np.full(a1.size, disp.tau2)
    columns["tau2_lower"] = np.full(a1.size, disp.tau2_lower)
    columns["tau2_upper"] = np.full(a1.size, disp.tau2_upper)
    columns["tau2_confidence"] = np.full(a1.size, float(tau2_confidence))
    columns["overdispersion_method"] = np.full(a1.size, overdispersion_method)
    return pd.DataFrame(columns, index=index)


def _few_expected(
    x1: np.ndarray, n1: np.ndarray, x2: np.ndarray, n2: np.ndarray, target: float
) -> np.ndarray:
    """Where an organisation expects few events in a group under ``target`` and its events
    are rare (:data:`FEW_EXPECTED_EVENTS`, :data:`RARE_RATE`)."""
    m = x1 + x2
    pi0 = n1 * target / (n1 * target + n2)
    expected = np.minimum(m * pi0, m * (1.0 - pi0))
    return (m > 0) & (expected < FEW_EXPECTED_EVENTS) & (m <= RARE_RATE * (n1 + n2))


def _mid_p_z(
    x1: np.ndarray, n1: np.ndarray, x2: np.ndarray, n2: np.ndarray, target: float
) -> np.ndarray:
    """``Phi^-1`` of the mid-p lower tail of ``x1`` under ``x1 | m ~ Binomial(m, pi0)``."""
    m = x1 + x2
    pi0 = n1 * target / (n1 * target + n2)
    return _mid_p_lower_z(x1, m, pi0)


def _mid_p_lower_z(x: np.ndarray, m: np.ndarray, pi0: np.ndarray) -> np.ndarray:
    """``Phi^-1(P(X < x) + P(X = x) / 2)`` for ``X ~ Binomial(m, pi0)``, written as
    ``(P(X <= x - 1) + P(X <= x)) / 2`` (no difference of tails to lose precision)."""
    x, m = np.asarray(x).astype(np.int64), np.asarray(m).astype(np.int64)
    below = np.where(x >= 1, bdtr(np.maximum(x - 1, 0), m, pi0), 0.0)
    mid = 0.5 * (below + bdtr(x, m, pi0))
    return ndtri(np.clip(mid, 1e-300, 1.0 - 1e-16))


class _ExactSplits:
    """The exact (mid-p) test's limits of the organisations ``rows``, on the plotted scale.

    With an organisation's events ``m = x1 + x2`` held fixed, every split ``k`` of them
    (``k`` in group 1, ``m - k`` in group 2, within the group sizes) has a plotted ratio (the
    adjusted-log value where a cell is zero, as :func:`funnel_points` plots it) and a mid-p
    z-score, scaled by the organisation's own overdispersion factor
    ``shrink = se / sqrt(se^2 + tau2)``. Both increase with ``k``, so the splits flagged above
    form a top run and those flagged below a bottom run. The upper limit lies midway on the
    log scale between the plotted ratios of the last split not flagged above and the first
    flagged; the lower limit likewise. A point is outside its limits exactly when its test
    flags it. With no split flagged on a side the limit there is unbounded (``inf`` above,
    0 below): no count of events could be flagged. All organisations' splits are laid end to
    end in one array, so each level costs a few vectorised passes.
    """

    def __init__(
        self,
        x1: np.ndarray,
        n1: np.ndarray,
        x2: np.ndarray,
        n2: np.ndarray,
        target: float,
        shrink: np.ndarray,
        rows: np.ndarray,
    ) -> None:
        n1, n2 = n1[rows].astype(np.int64), n2[rows].astype(np.int64)
        m = (x1[rows] + x2[rows]).astype(np.int64)
        first = np.maximum(0, m - n2)
        sizes = np.minimum(m, n1) - first + 1
        self.starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
        self.sizes = sizes
        owner = np.repeat(np.arange(rows.size), sizes)
        k = first[owner] + np.arange(int(sizes.sum())) - self.starts[owner]
        mm, s1, s2 = m[owner], n1[owner], n2[owner]
        pi0 = s1 * target / (s1 * target + s2)
        self.z = _mid_p_lower_z(k, mm, pi0) * shrink[rows][owner]
        other = mm - k
        zero = (k == 0) | (other == 0) | (k == s1) | (other == s2)
        c1, d1 = np.where(zero, k + 0.5, k), np.where(zero, s1 + 0.5, s1)
        c2, d2 = np.where(zero, other + 0.5, other), np.where(zero, s2 + 0.5, s2)
        self.log_ratio = np.log(c1 / d1) - np.log(c2 / d2)

    def limits(self, zl: float) -> tuple[np.ndarray, np.ndarray]:
        """``(lower, upper)`` of every organisation at the two-sided quantile ``zl``."""
        if not self.sizes.size:
            return np.zeros(0), np.zeros(0)
        last = self.starts + self.sizes - 1
        # number of splits not flagged above (a bottom run), flagged below (a bottom run)
        calm = np.add.reduceat((self.z <= zl).astype(np.int64), self.starts)
        low = np.add.reduceat((self.z < -zl).astype(np.int64), self.starts)
        lr = self.log_ratio
        edge = np.log(2.0)  # every split flagged: the limit lies beyond all of them
        top = self.starts + np.clip(calm, 1, self.sizes - 1)
        upper = np.exp(0.5 * (lr[top - 1] + lr[np.minimum(top, last)]))
        upper = np.where(calm == 0, np.exp(lr[self.starts] - edge), upper)
        upper = np.where(calm == self.sizes, np.inf, upper)
        bottom = self.starts + np.clip(low, 1, self.sizes - 1)
        lower = np.exp(0.5 * (lr[bottom - 1] + lr[np.minimum(bottom, last)]))
        lower = np.where(low == self.sizes, np.exp(lr[last] + edge), lower)
        lower = np.where(low == 0, 0.0, lower)
        return lower, upper


def funnel_limits(
    se: Any,
    target: float,
    tau2: float = 0.0,
    levels: Sequence[float] = FUNNEL_LEVELS,
) -> pd.DataFrame:
    """Funnel-plot control limits over a grid of standard errors, for drawing.

    Parameters
    ----------
    se
        Standard errors of the log relative likelihood at which to evaluate the limits
        (positive), e.g. ``numpy.geomspace(points.se.min(), points.se.max(), 200)``.
    target
        The ratio the limits are centred on (e.g. ``points["target"].iloc[0]`` from
        :func:`funnel_points`).
    tau2
        Additive overdispersion variance on the log scale (``points["tau2"].iloc[0]``);
        default 0 (no adjustment).
    levels
        Two-sided levels; default 0.95 and 0.998.

    Returns
    -------
    pandas.DataFrame
        Tidy, one row per grid point and level (``RangeIndex``), with columns ``se``,
        ``precision`` (``1 / se^2``), ``level``, ``lower`` and ``upper`` (ratio scale).

    Raises
    ------
    ValueError
        If ``se`` is not positive and finite, ``target`` not positive, ``tau2`` negative or a
        level outside (0, 1).

    Notes
    -----
    ``lower, upper = target exp(-/+ z_L sqrt(se^2 + tau2))``, the same formula as the
    per-organisation limits of :func:`funnel_points` (Spiegelhalter 2005), so an organisation
    plotted at ``(1/se^2, estimate)`` is outside the curve exactly when it is flagged.

    References
    ----------
    Spiegelhalter, D. J. (2005). Funnel plots for comparing institutional performance.
    Statistics in Medicine 24(8), 1185-1202. https://doi.org/10.1002/sim.1970
    """
    (grid,), _ = broadcast({"se": as_float_array(se, "se")})
    if not (np.isfinite(grid) & (grid > 0)).all():
        pos = int(np.flatnonzero(~(np.isfinite(grid) & (grid > 0)))[0])
        raise ValueError(f"`se` must be positive and finite; got {grid[pos]!r} at position {pos}")
    for name, value in (("target", target), ("tau2", tau2)):
        if isinstance(value, bool) or not isinstance(value, Real):
            raise TypeError(f"`{name}` must be a number; got {value!r}")
    if not (np.isfinite(target) and target > 0):
        raise ValueError(f"`target` must be a positive finite number; got {target!r}")
    if not (np.isfinite(tau2) and tau2 >= 0):
        raise ValueError(f"`tau2` must be a non-negative finite number; got {tau2!r}")
    levels = _check_levels(levels)
    total = np.sqrt(grid * grid + float(tau2))
    frames = []
    for level in levels:
        zl = z_value(level)
        frames.append(
            pd.DataFrame(
                {
                    "se": grid,
                    "precision": 1.0 / (grid * grid),
                    "level": np.full(grid.size, level),
                    "lower": float(target) * np.exp(-zl * total),
                    "upper": float(target) * np.exp(zl * total),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)
