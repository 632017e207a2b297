"""Cross-check against statsmodels ``confint_proportions_2indep`` on a grid of counts.

statsmodels' ratio score interval is wrong when a group is at 100% (``x1 = n1`` or
``x2 = n2``; see test_stats_ratio.py for those tables against a numerical oracle), so the
score comparison covers the other tables. Its difference score interval has an open bug and is
not used.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest

from wres_analysis.stats import difference, relative_likelihood

statsmodels_proportion = pytest.importorskip("statsmodels.stats.proportion")


def _grid() -> np.ndarray:
    rows = []
    for n1, n2 in [(5, 7), (20, 13), (63, 40), (400, 35)]:
        xs1 = sorted({0, 1, 2, n1 // 3, n1 - 1, n1})
        xs2 = sorted({0, 1, 3, n2 // 2, n2 - 1, n2})
        rows += [(x1, n1, x2, n2) for x1, x2 in itertools.product(xs1, xs2)]
    return np.array(rows)


GRID = _grid()

# (our method, function, statsmodels compare, statsmodels method, options, tables to compare)
CASES = {
    "katz": ("ratio", "log", {}, lambda x1, n1, x2, n2: (x1 > 0) & (x2 > 0)),
    "adjusted-log": ("ratio", "log-adjusted", {}, lambda x1, n1, x2, n2: (x1 + x2) > 0),
    "koopman": ("ratio", "score", {"correction": False},
                lambda x1, n1, x2, n2: (x1 < n1) & (x2 < n2) & ((x1 + x2) > 0)),
    "miettinen-nurminen": ("ratio", "score", {"correction": True},
                           lambda x1, n1, x2, n2: (x1 < n1) & (x2 < n2) & ((x1 + x2) > 0)),
    "newcombe": ("diff", "newcomb", {}, lambda x1, n1, x2, n2: np.ones(x1.shape, bool)),
}


@pytest.mark.parametrize("method", list(CASES))
def test_matches_statsmodels(method: str) -> None:
    compare, sm_method, options, select = CASES[method]
    x1, n1, x2, n2 = GRID.T
    func = relative_likelihood if compare == "ratio" else difference
    ours = func(x1, n1, x2, n2, method=method)[["lower", "upper"]].to_numpy()
    chosen = np.flatnonzero(select(x1, n1, x2, n2))
    assert chosen.size > 40
    for i in chosen:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            low, upp = statsmodels_proportion.confint_proportions_2indep(
                x1[i], n1[i], x2[i], n2[i], compare=compare, method=sm_method, **options
            )
        np.testing.assert_allclose(
            ours[i], [low, upp], rtol=1e-6, atol=1e-9, err_msg=f"table {tuple(GRID[i])}"
        )
