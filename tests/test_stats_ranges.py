"""Ranges with evidence (stats.ranges): the evidence label against independent one-sided
tests, and the share within the range under equality against brute-force enumeration."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binom, norm

from wres_analysis.stats import (
    equivalence_confidence,
    non_adverse,
    prob_within_if_equal,
    range_evidence,
    relative_likelihood,
)


def test_equivalence_level_is_one_minus_two_alpha() -> None:
    assert equivalence_confidence(0.95) == pytest.approx(0.90)
    assert equivalence_confidence(0.99) == pytest.approx(0.98)
    with pytest.raises(ValueError, match="above 0.5"):
        equivalence_confidence(0.4)


def test_labels_follow_the_printed_interval() -> None:
    # a lower limit printed as 1.25 touches the (inclusive) range: not clearly above
    labels = range_evidence(
        [1.2549, 1.2551, 0.5, 0.5], [2.0, 2.0, 0.8049, 0.7949], [1.3] * 4, [1.9] * 4, 0.8, 1.25
    )
    assert labels.tolist() == ["cannot tell", "clearly above", "cannot tell", "clearly below"]
    # unrounded on request
    unrounded = range_evidence([1.2549], [2.0], [1.3], [1.9], 0.8, 1.25, decimals=None)
    assert unrounded.tolist() == ["clearly above"]
    # missing limits stay missing; the range is the one given, never a fixed 0.80-1.25
    assert range_evidence([np.nan], [1.0], [0.9], [1.0], 0.8, 1.25).isna().all()
    assert range_evidence([0.95], [1.05], [0.96], [1.04], 0.97, 1.03).tolist() == [
        "cannot tell"
    ]


def test_shown_within_is_two_one_sided_tests() -> None:
    """For Katz's interval the one-sided tests have a closed form: with y = log RR and its
    standard error s, H0: RR <= L is rejected at alpha when (y - log L)/s > z_(1-alpha), and
    H0: RR >= U when (log U - y)/s > z_(1-alpha). "shown within" must be both rejected."""
    rng = np.random.default_rng(7)
    n1 = rng.integers(50, 3000, 400)
    n2 = rng.integers(50, 3000, 400)
    x1 = rng.binomial(n1, rng.uniform(0.05, 0.6, 400))
    x2 = rng.binomial(n2, rng.uniform(0.05, 0.6, 400))
    keep = (x1 > 0) & (x2 > 0)
    x1, n1, x2, n2 = x1[keep], n1[keep], x2[keep], n2[keep]
    alpha = 0.05
    wide = relative_likelihood(x1, n1, x2, n2, method="katz", confidence=1 - alpha)
    narrow = relative_likelihood(x1, n1, x2, n2, method="katz", confidence=1 - 2 * alpha)
    labels = range_evidence(
        wide["lower"], wide["upper"], narrow["lower"], narrow["upper"], 0.8, 1.25, decimals=None
    ).to_numpy()
    y = np.log((x1 / n1) / (x2 / n2))
    s = np.sqrt(1 / x1 - 1 / n1 + 1 / x2 - 1 / n2)
    z = norm.ppf(1 - alpha)
    within = ((y - np.log(0.8)) / s > z) & ((np.log(1.25) - y) / s > z)
    assert ((labels == "shown within") == within).all()
    above = (y - np.log(1.25)) / s > norm.ppf(1 - alpha / 2)
    below = (np.log(0.8) - y) / s > norm.ppf(1 - alpha / 2)
    assert ((labels == "clearly above") == above).all()
    assert ((labels == "clearly below") == below).all()
    assert {"shown within", "clearly above", "cannot tell"} <= set(labels)


def _brute_force(n1: int, n2: int, rate: float, low: float, high: float, decimals) -> float:
    """Every (x1, x2) pair, labelled by non_adverse, weighted by the two binomials."""
    x1, x2 = np.meshgrid(np.arange(n1 + 1), np.arange(n2 + 1), indexing="ij")
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (x1 / n1) / (x2 / n2)
    labels = non_adverse(ratio.ravel(), low, high, decimals=decimals).to_numpy()
    weight = np.outer(
        binom.pmf(np.arange(n1 + 1), n1, rate), binom.pmf(np.arange(n2 + 1), n2, rate)
    )
    return float(weight.ravel()[labels == "within"].sum())


@pytest.mark.parametrize(
    ("n1", "n2", "rate", "decimals"),
    [
        (40, 53, 0.1, 2),  # 3/40 v 5/53 is exactly 0.795: a rounding tie at the boundary
        (30, 30, 0.3, 2),
        (60, 17, 0.5, 2),
        (5, 50, 0.2, 2),
        (1, 1, 0.5, 2),
        (200, 150, 0.4, 2),
        (50, 60, 0.05, None),
        (57, 43, 0.6, 1),
    ],
)
def test_share_within_under_equality_matches_brute_force(n1, n2, rate, decimals) -> None:
    ours = prob_within_if_equal([n1], [n2], rate, 0.8, 1.25, decimals=decimals)[0]
    assert ours == pytest.approx(_brute_force(n1, n2, rate, 0.8, 1.25, decimals), abs=1e-12)


def test_share_within_under_equality_uses_the_range_given() -> None:
    n1, n2 = [300, 80], [3000, 900]
    wide = prob_within_if_equal(n1, n2, 0.2, 0.5, 2.0)
    narrow = prob_within_if_equal(n1, n2, 0.2, 0.9, 1.1)
    assert (wide > narrow).all()
    assert narrow[0] == pytest.approx(_brute_force(300, 3000, 0.2, 0.9, 1.1, 2), abs=1e-10)
    with pytest.raises(ValueError, match="rate"):
        prob_within_if_equal(n1, n2, 0.0, 0.8, 1.25)
