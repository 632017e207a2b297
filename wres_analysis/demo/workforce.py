"""Indicator 1 of the demo: headcount by organisation, occupation, grade and ethnicity.

Each trust gets an occupation mix and a grade mix around its type's typical shape, and a BME
share that depends on its region, its type, its own character and the grade (higher in bands
2-6 and the medical grades, lower at band 8a and above: the gap the Model Employer strategy
set out to close). A national shift per year is then solved so that the share of BME staff
among staff of known ethnicity lands on the published national figure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from wres_analysis.contract import GRADES_AFC, GRADES_MEDICAL, GRADES_SENIOR, ORG_TYPES, REGIONS

from .calibration import bisect_increasing

__all__ = ["CELLS", "generate_workforce"]

#: The (occupation, grade) cells of the workforce table, in contract order.
CELLS: tuple[tuple[str, str], ...] = (
    *(("clinical", g) for g in GRADES_AFC),
    *(("non-clinical", g) for g in GRADES_AFC),
    *(("medical and dental", g) for g in GRADES_MEDICAL),
)

#: Share of staff of known ethnicity who are BME, by region, at 31 March 2016 (before the
#: national shift, which moves every region together).
_REGION_BME = dict(zip(REGIONS, (0.16, 0.40, 0.17, 0.085, 0.10, 0.13, 0.065), strict=True))
#: Log-odds offset of BME staff by trust type (ambulance services are the least diverse).
_TYPE_BME = dict(zip(ORG_TYPES, (0.0, 0.1, -1.0, -0.2, 0.15, -0.3), strict=True))
#: Occupation mix (clinical, non-clinical, medical and dental) by trust type.
_OCCUPATION_MIX = dict(
    zip(
        ORG_TYPES,
        (
            (0.55, 0.31, 0.14),
            (0.55, 0.30, 0.15),
            (0.70, 0.29, 0.01),
            (0.62, 0.36, 0.02),
            (0.60, 0.34, 0.06),
            (0.60, 0.33, 0.07),
        ),
        strict=True,
    )
)
# fmt: off
#: Grade mix within each occupation (bands 1-9 and VSM; then the medical grades).
_GRADE_MIX = {
    "clinical": (0.002, 0.10, 0.08, 0.05, 0.30, 0.24, 0.15, 0.05, 0.015, 0.006, 0.003, 0.001,
                 0.0005),
    "non-clinical": (0.03, 0.25, 0.22, 0.17, 0.10, 0.08, 0.07, 0.04, 0.02, 0.01, 0.006, 0.003,
                     0.003),
    "medical and dental": (0.40, 0.12, 0.40, 0.08),
}
#: Log-odds offset of BME staff by grade (the same order as _GRADE_MIX).
_GRADE_BME = {
    "clinical": (0.0, 0.1, -0.1, -0.2, 0.6, 0.25, -0.2, -0.5, -0.7, -0.9, -1.0, -1.1, -1.2),
    "non-clinical": (0.3, 0.2, 0.0, -0.1, -0.1, -0.2, -0.3, -0.5, -0.7, -0.9, -1.0, -1.1, -1.2),
    "medical and dental": (1.0, 1.8, 1.3, 1.5),
}
# fmt: on
#: Share by which the senior grades' gap narrows each year after 2016.
_SENIOR_CLOSURE_PER_YEAR = 0.03


def _cell_vectors() -> tuple[np.ndarray, np.ndarray]:
    """Return, per cell, its grade's log-odds offset and whether it is a senior grade."""
    occupations = ("clinical", "non-clinical", "medical and dental")
    offsets = np.concatenate([_GRADE_BME[o] for o in occupations])
    senior = np.array([o != "medical and dental" and g in GRADES_SENIOR for o, g in CELLS])
    return offsets, senior


def _cell_mix(org_types: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Return each organisation's share of staff in each cell (rows sum to 1)."""
    occupations = ("clinical", "non-clinical", "medical and dental")
    mixes = np.empty((len(org_types), len(CELLS)))
    for i, org_type in enumerate(org_types):
        occ = rng.dirichlet(200 * np.array(_OCCUPATION_MIX[org_type]))
        parts = [
            occ[k] * rng.dirichlet(300 * np.array(_GRADE_MIX[o])) for k, o in enumerate(occupations)
        ]
        mixes[i] = np.concatenate(parts)
    return mixes


def generate_workforce(
    panel: pd.DataFrame, targets: dict[int, float], rng: np.random.Generator
) -> pd.DataFrame:
    """Draw the workforce table for every organisation-year of ``panel``.

    Parameters
    ----------
    panel
        One row per organisation and report year with ``year, org_code, region, org_type,
        staff`` (the expected headcount).
    targets
        National % BME staff (of known ethnicity) by year, in percent.
    rng
        The random generator of this table.

    Returns
    -------
    pandas.DataFrame
        ``year, org_code, occupation, grade, ethnicity, headcount``, rows with headcount > 0.

    Notes
    -----
    Expected headcounts are ``staff x occupation share x grade share``; the realised headcount
    of a cell is Poisson, its Unknown part binomial with the trust's unknown-recording rate
    (2-5% nationally, falling over time) and its BME part binomial with
    ``expit(region + type + trust + grade + shift[year])``. The shift is solved on expected
    counts; with about 1.4 million staff the realised national share differs from it by a few
    hundredths of a percentage point.
    """
    grade_offset, senior = _cell_vectors()
    orgs = panel[["org_code", "region", "org_type"]].drop_duplicates("org_code")
    org_pos = {code: i for i, code in enumerate(orgs["org_code"])}
    mixes = _cell_mix(orgs["org_type"].to_numpy(), rng)
    pairs = zip(orgs["region"], orgs["org_type"], strict=True)
    base = np.array([logit(_REGION_BME[r]) + _TYPE_BME[t] for r, t in pairs])
    base = base + 0.35 * rng.standard_normal(len(orgs))
    slope = 0.02 * rng.standard_normal(len(orgs))
    unknown_base = rng.beta(3, 80, len(orgs))  # mean about 3.6%

    rows = panel["org_code"].map(org_pos).to_numpy()
    years = panel["year"].to_numpy()
    since = years - years.min()
    expected = panel["staff"].to_numpy()[:, None] * mixes[rows]
    closure = np.clip(1 - _SENIOR_CLOSURE_PER_YEAR * since, 0, 1)
    offsets = grade_offset[None, :] * np.where(senior[None, :], closure[:, None], 1.0)
    log_odds = base[rows, None] + slope[rows, None] * since[:, None] + offsets
    unknown = np.clip(unknown_base[rows] * (1.15 - 0.035 * since), 0.002, 0.2)[:, None]

    shift = np.zeros(len(panel))
    for year, target in targets.items():
        mask = years == year
        known = expected[mask] * (1 - unknown[mask])

        def share(s: float, known: np.ndarray = known, mask: np.ndarray = mask) -> float:
            return float((known * expit(log_odds[mask] + s)).sum() / known.sum())

        shift[mask] = bisect_increasing(share, target / 100, -2.0, 2.0)
    p_bme = expit(log_odds + shift[:, None])

    headcount = rng.poisson(expected)
    n_unknown = rng.binomial(headcount, unknown)
    n_bme = rng.binomial(headcount - n_unknown, p_bme)
    n_white = headcount - n_unknown - n_bme

    n_rows, n_cells = headcount.shape
    frame = pd.DataFrame(
        {
            "year": np.repeat(years, n_cells * 3),
            "org_code": np.repeat(panel["org_code"].to_numpy(), n_cells * 3),
            "occupation": np.tile(np.repeat([o for o, _ in CELLS], 3), n_rows),
            "grade": np.tile(np.repeat([g for _, g in CELLS], 3), n_rows),
            "ethnicity": np.tile(["White", "BME", "Unknown"], n_rows * n_cells),
            "headcount": np.stack([n_white, n_bme, n_unknown], axis=2).reshape(-1),
        }
    )
    return frame[frame["headcount"] > 0].reset_index(drop=True)
