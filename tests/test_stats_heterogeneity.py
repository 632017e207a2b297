"""Cochran's Q across strata (stats.ratio_heterogeneity) against a published value."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import chi2

from wres_analysis.stats import ratio_heterogeneity

#: metafor's dat.bcg (Colditz et al. 1994): BCG vaccine trials, columns tpos, tneg, cpos, cneg.
BCG = np.array(
    [
        [4, 119, 11, 128],
        [6, 300, 29, 274],
        [3, 228, 11, 209],
        [62, 13536, 248, 12619],
        [33, 5036, 47, 5761],
        [180, 1361, 372, 1079],
        [8, 2537, 10, 619],
        [505, 87886, 499, 87892],
        [29, 7470, 45, 7232],
        [17, 1699, 65, 1600],
        [186, 50448, 141, 27197],
        [5, 2493, 3, 2338],
        [27, 16886, 29, 17825],
    ]
)


def test_bcg_trials_match_metafor() -> None:
    """Viechtbauer (2010), J Stat Softw 36(3): log relative risks of dat.bcg, fixed-effects
    model: "Test for Heterogeneity: Q(df = 12) = 152.2330, p-val < .0001", I^2 = 92.12%."""
    tpos, tneg, cpos, cneg = BCG.T
    result = ratio_heterogeneity(tpos, tpos + tneg, cpos, cpos + cneg)
    assert result.q == pytest.approx(152.2330, abs=5e-5)
    assert result.df == 12 and result.strata == 13 and result.corrected == 0
    assert result.i_squared == pytest.approx(0.9212, abs=5e-5)
    assert result.p_value == pytest.approx(chi2.sf(152.2330, 12), rel=1e-4)


def test_equal_ratios_give_q_zero_and_zero_cells_are_corrected() -> None:
    same = ratio_heterogeneity([10, 20, 40], [100, 200, 400], [5, 10, 20], [100, 200, 400])
    assert same.q == pytest.approx(0.0, abs=1e-12) and same.i_squared == 0.0
    # a stratum with no events in group 1 gets 1/2 in each cell (metafor's default); one with
    # no events at all is left out
    sparse = ratio_heterogeneity([0, 20, 0], [50, 200, 40], [5, 10, 0], [100, 200, 30])
    assert sparse.strata == 2 and sparse.corrected == 1 and sparse.df == 1
    y = np.log(0.5 / 51) - np.log(5.5 / 101), np.log(20 / 200) - np.log(10 / 200)
    v = (1 / 0.5 - 1 / 51 + 1 / 5.5 - 1 / 101), (1 / 20 - 1 / 200 + 1 / 10 - 1 / 200)
    w = 1 / np.array(v)
    mean = (w * y).sum() / w.sum()
    assert sparse.q == pytest.approx(float((w * (np.array(y) - mean) ** 2).sum()), rel=1e-12)
