"""Indicator 9 of the demo: board members by ethnic category code, voting and executive status.

The board table is the one demo table that records ethnicity as NHS Data Dictionary ethnic
category codes (A-S, Z, 99) rather than the three WRES groups, so that readers of the demo
exercise both forms the data contract allows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from .calibration import bisect_increasing

__all__ = ["generate_board"]

#: Codes within each group and their relative frequency on boards.
_CODES: dict[str, tuple[tuple[str, ...], tuple[float, ...]]] = {
    "White": (("A", "B", "C"), (0.84, 0.04, 0.12)),
    "BME": (
        ("D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S"),
        (3, 2, 4, 4, 25, 8, 3, 8, 8, 15, 3, 3, 14),
    ),
    "Unknown": (("Z", "99"), (0.6, 0.4)),
}
#: Share of board members whose ethnicity is not recorded.
_UNKNOWN_SHARE = 0.02
#: Log-odds gap between the trust's BME staff share and its board's (before calibration).
_BOARD_GAP = -1.1


def _seats(n_orgs: int, rng: np.random.Generator) -> np.ndarray:
    """Usual seats per trust: voting exec, voting non-exec, non-voting exec and non-exec."""
    return np.column_stack(
        [
            rng.integers(5, 8, n_orgs),
            rng.integers(6, 9, n_orgs),
            rng.integers(1, 4, n_orgs),
            rng.integers(0, 3, n_orgs),
        ]
    )


def generate_board(
    panel: pd.DataFrame, targets: dict[int, float], rng: np.random.Generator
) -> pd.DataFrame:
    """Draw the board table for every org-year of ``panel``.

    Parameters
    ----------
    panel
        One row per org-year with ``year, org_code, White, BME`` (workforce headcounts).
    targets
        National % BME among board members of known ethnicity, by year (percent).
    rng
        The random generator of this table.

    Returns
    -------
    pandas.DataFrame
        ``year, org_code, ethnicity, voting, executive, headcount`` with ethnic category codes.

    Notes
    -----
    Each member is BME with probability ``expit(logit(trust's BME staff share) - 1.1 + 0.3
    [non-executive] + trust + shift[year])`` (boards far less diverse than their staff), decided
    by comparing a uniform number drawn once with that probability; the shift is found by
    bisection so the national BME share of board members lands on its target.
    """
    codes = panel["org_code"].to_numpy()
    unique = np.unique(codes)
    org_index = np.searchsorted(unique, codes)
    seats = _seats(len(unique), rng)[org_index]
    seats = np.maximum(
        seats + rng.integers(-1, 2, seats.shape) * (rng.uniform(size=seats.shape) < 0.3), 0
    )
    seats[:, :2] = np.maximum(seats[:, :2], 1)
    trust_effect = 0.4 * rng.standard_normal(len(unique))[org_index]
    share = panel["BME"].to_numpy() / np.maximum(panel["White"] + panel["BME"], 1).to_numpy()
    base = logit(np.clip(share, 0.01, 0.95)) + _BOARD_GAP + trust_effect

    kinds = ((True, True), (True, False), (False, True), (False, False))  # (voting, executive)
    member_row = np.concatenate([np.repeat(np.arange(len(panel)), seats[:, k]) for k in range(4)])
    member_kind = np.concatenate([np.full(seats[:, k].sum(), k) for k in range(4)])
    non_exec = np.isin(member_kind, (1, 3))
    log_odds = base[member_row] + 0.3 * non_exec
    unknown = rng.uniform(size=len(member_row)) < _UNKNOWN_SHARE
    draw = rng.uniform(size=len(member_row))
    member_year = panel["year"].to_numpy()[member_row]

    is_bme = np.zeros(len(member_row), dtype=bool)
    for year, target in targets.items():
        m = (member_year == year) & ~unknown

        def bme_share(s: float, m: np.ndarray = m) -> float:
            return float(np.mean(draw[m] < expit(log_odds[m] + s)))

        shift = bisect_increasing(bme_share, target / 100, -2.0, 2.0, iterations=30)
        is_bme[m] = draw[m] < expit(log_odds[m] + shift)

    group = np.where(unknown, "Unknown", np.where(is_bme, "BME", "White"))
    ethnicity = np.empty(len(member_row), dtype=object)
    for name, (values, weights) in _CODES.items():
        m = group == name
        p = np.array(weights, dtype=float) / sum(weights)
        ethnicity[m] = rng.choice(values, size=int(m.sum()), p=p)
    members = pd.DataFrame(
        {
            "year": member_year,
            "org_code": codes[member_row],
            "ethnicity": ethnicity.astype(str),
            "voting": [("yes" if kinds[k][0] else "no") for k in member_kind],
            "executive": [("yes" if kinds[k][1] else "no") for k in member_kind],
        }
    )
    keys = ["year", "org_code", "ethnicity", "voting", "executive"]
    return members.groupby(keys, sort=True).size().rename("headcount").reset_index()
