"""Ranks of organisations' relative likelihoods with rank intervals: how sure a place in the
order is, given each organisation's own sampling error."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ._validation import check_confidence, check_counts
from .ratio import _ratio_estimate

__all__ = ["RANK_DRAWS", "RANK_SEED", "rank_intervals"]

#: Monte Carlo draws behind every rank interval: the interval ends are quantiles of this many
#: simulated ranks, so they move by a place or so between seeds, not more.
RANK_DRAWS = 4000

#: The seed of the simulation, so a report's rank intervals are the same on every build.
RANK_SEED = 20261201


def rank_intervals(
    x1: Any,
    n1: Any,
    x2: Any,
    n2: Any,
    *,
    confidence: float = 0.95,
    draws: int = RANK_DRAWS,
    seed: int = RANK_SEED,
) -> pd.DataFrame:
    """Each organisation's rank by relative likelihood ``(x1/n1)/(x2/n2)`` (1 = highest) and
    a rank interval at ``confidence``.

    Parameters
    ----------
    x1, n1, x2, n2
        Per-organisation counts (group 1 is the numerator), as for
        :func:`~wres_analysis.stats.relative_likelihood`.
    confidence
        Level of the rank intervals.
    draws, seed
        Monte Carlo draws and the random seed (fixed by default: the same counts give the
        same intervals on every run).

    Returns
    -------
    pandas.DataFrame
        One row per organisation, in input order: ``ratio`` (the crude ratio: 0, finite or
        infinite; NaN when both groups have no events), ``ranked`` (True when the ratio is
        defined), ``rank`` (among the ranked, ties sharing their best place), ``rank_lower``,
        ``rank_upper`` (the interval) and ``ranked_of`` (how many organisations are ranked).
        Unranked rows have missing ranks.

    Notes
    -----
    *Point rank.* The crude ratio itself is ranked, never a zero-cell-adjusted value, so an
    organisation where no one in group 1 had the event (ratio 0) ranks at the bottom and one
    where no one in group 2 had it (ratio infinite) at the top. Organisations whose ratio is
    undefined (no events in either group) are neither ranked nor counted in "of N".

    *Rank interval* (Goldstein & Spiegelhalter 1996; Marshall & Spiegelhalter 1998): the
    interval of ranks an organisation would take if its and every other organisation's rates
    were redrawn from their uncertainty. Each draw takes each group's rate from its Jeffreys
    distribution ``Beta(x + 1/2, n - x + 1/2)`` independently for every organisation, forms
    every ranked organisation's ratio and ranks them (1 = highest); an organisation's interval
    is the ``(1 - confidence)/2`` and ``(1 + confidence)/2`` quantiles of its ``draws``
    simulated ranks (lower quantile rounded down, upper up). The Jeffreys distribution is
    used rather than a plug-in parametric bootstrap ``Bin(n, x/n)`` because the bootstrap
    makes a group with no events certain to have none in every draw, so a small organisation
    with a ratio of 0 would get the spurious interval "last to last"; with the Jeffreys
    distribution its interval shows how little a zero count at its size says. With hundreds
    of organisations and rare events the intervals are wide: a rank is only as certain as
    its interval says.

    References
    ----------
    Goldstein, H. & Spiegelhalter, D. J. (1996). League tables and their limitations:
    statistical issues in comparisons of institutional performance. Journal of the Royal
    Statistical Society A 159(3), 385-443. https://doi.org/10.2307/2983325

    Marshall, E. C. & Spiegelhalter, D. J. (1998). Reliability of league tables of in vitro
    fertilisation clinics: retrospective analysis of live birth rates. BMJ 316, 1701-1704.
    https://doi.org/10.1136/bmj.316.7146.1701

    Brown, L. D., Cai, T. T. & DasGupta, A. (2001). Interval estimation for a binomial
    proportion. Statistical Science 16(2), 101-133 (the Jeffreys distribution).

    Examples
    --------
    >>> out = rank_intervals([10, 1, 0], [100, 100, 100], [5, 5, 0], [100, 100, 100])
    >>> out[["ranked", "rank", "ranked_of"]].to_dict("list")
    {'ranked': [True, True, False], 'rank': [1.0, 2.0, nan], 'ranked_of': [2, 2, 2]}
    """
    level = check_confidence(confidence)
    if isinstance(draws, bool) or not isinstance(draws, int | np.integer) or draws < 2:
        raise ValueError(f"`draws` must be a whole number of at least 2; got {draws!r}")
    a1, b1, a2, b2, _ = check_counts(x1, n1, x2, n2)
    if np.any((b1 == 0) | (b2 == 0)):
        raise ValueError("every organisation needs at least one person in each group")
    ratio = _ratio_estimate(a1, b1, a2, b2)
    ranked = ~np.isnan(ratio)
    count = int(ranked.sum())
    out = pd.DataFrame(
        {
            "ratio": ratio,
            "ranked": ranked,
            "rank": np.nan,
            "rank_lower": np.nan,
            "rank_upper": np.nan,
            "ranked_of": count,
        }
    )
    if count == 0:
        return out
    positions = np.flatnonzero(ranked)
    # descending order with ties at their best place ("min"), infinities first, zeros last
    out.loc[positions, "rank"] = (
        pd.Series(ratio[positions]).rank(ascending=False, method="min").to_numpy()
    )
    rng = np.random.default_rng(seed)
    k = positions.size
    p1 = rng.beta(a1[positions] + 0.5, b1[positions] - a1[positions] + 0.5, size=(draws, k))
    p2 = rng.beta(a2[positions] + 0.5, b2[positions] - a2[positions] + 0.5, size=(draws, k))
    log_ratio = np.log(p1) - np.log(p2)
    # rank 1 = highest: the position of each organisation in the descending order of its draw
    order = np.argsort(-log_ratio, axis=1, kind="stable")
    ranks = np.empty_like(order)
    rows = np.arange(draws)[:, None]
    ranks[rows, order] = np.arange(1, k + 1)
    alpha = 1.0 - level
    low = np.floor(np.quantile(ranks, alpha / 2, axis=0, method="lower"))
    high = np.ceil(np.quantile(ranks, 1 - alpha / 2, axis=0, method="higher"))
    out.loc[positions, "rank_lower"] = low
    out.loc[positions, "rank_upper"] = high
    return out
