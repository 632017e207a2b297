"""Rank intervals (stats.ranks): ranks of the crude ratio, undefined ratios left out, and
intervals that behave as a rank interval must."""

from __future__ import annotations

import numpy as np

from wres_analysis.stats import rank_intervals


def test_zero_ranks_last_infinity_first_and_undefined_is_not_ranked() -> None:
    out = rank_intervals(
        [0, 10, 5, 0, 3], [10, 100, 100, 50, 100], [8, 5, 5, 0, 0], [2000, 100, 100, 60, 100]
    )
    assert out["ranked"].tolist() == [True, True, True, False, True]
    assert out["ranked_of"].iloc[0] == 4
    # ratio infinite (3/100 v 0/100) is 1st, ratio 0 (0/10 v 8/2000) last
    assert out["rank"].tolist()[:3] == [4.0, 2.0, 3.0] and out["rank"].iloc[4] == 1.0
    assert np.isnan(out.loc[3, ["rank", "rank_lower", "rank_upper"]].astype(float)).all()


def test_intervals_are_narrow_for_precise_and_wide_for_noisy_figures() -> None:
    # three huge organisations with clearly different ratios: the ranks are certain
    big = rank_intervals([3000, 2000, 1000], [10**5] * 3, [1000] * 3, [10**5] * 3)
    assert big["rank_lower"].tolist() == big["rank"].tolist() == big["rank_upper"].tolist()
    # twenty identical small organisations: any order is as likely, so each interval spans
    # nearly all twenty places
    same = rank_intervals([2] * 20, [40] * 20, [20] * 20, [400] * 20)
    assert (same["rank_lower"] <= 2).all() and (same["rank_upper"] >= 19).all()
    assert (same["rank"] == 1).all()  # tied: all share the best place


def test_intervals_are_seeded_and_contain_the_rank_for_a_clear_order() -> None:
    rng = np.random.default_rng(3)
    n1 = rng.integers(100, 2000, 60)
    n2 = rng.integers(500, 5000, 60)
    x1 = rng.binomial(n1, 0.1 * np.linspace(0.5, 2, 60))
    x2 = rng.binomial(n2, 0.1)
    one = rank_intervals(x1, n1, x2, n2)
    two = rank_intervals(x1, n1, x2, n2)
    assert one.equals(two)
    assert (one["rank_lower"] <= one["rank_upper"]).all()
    inside = (one["rank_lower"] <= one["rank"]) & (one["rank"] <= one["rank_upper"])
    assert inside.mean() > 0.95
    wider = rank_intervals(x1, n1, x2, n2, confidence=0.99)
    widths = one["rank_upper"] - one["rank_lower"]
    assert ((wider["rank_upper"] - wider["rank_lower"]) >= widths).mean() > 0.95
