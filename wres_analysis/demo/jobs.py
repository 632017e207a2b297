"""Occupation group and grade in the demo's process tables, drawn within each row's counts.

After the tables are split by sex and detailed group (:mod:`.detail`), each row of
``recruitment``, ``disciplinary``, ``training`` and ``staff_survey`` is split among six job
cells (clinical Bands 1-4, 5-7 and 8a-VSM; non-clinical Bands 1-4 and 5-VSM; medical and
dental), in the proportions of its organisation's workforce of that year and
ethnic group (White, BME or Unknown), numerators included: every row's totals are kept, so
every figure by ethnic group and sex, and the calibration, is exactly what it was before.
Each part records the cell's occupation and one grade drawn within the cell.

The numerators are shared among the cells with odds that are the generator's own
illustrative assumptions (no published WRES figure by occupation or band is bundled with
the package), chosen so the differences have the direction commonly reported: the gap in
appointment from shortlisting widest at the senior bands, BME staff's excess in the
disciplinary process largest in the lower bands, harassment from the public highest among
clinical staff, BME staff's belief in equal opportunities lowest in the lower bands. They
are not estimates of anything.

To keep the tables small, a row of fewer than :data:`JOB_SPLIT` people is given one cell
(drawn with the same probabilities), so counts stay right in expectation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .detail import _allocate, _pick, _split

__all__ = ["JOB_SPLIT", "JOB_TABLES", "job_mixes", "split_jobs"]

#: Rows of fewer people than this are given one job cell rather than split.
JOB_SPLIT = 100

#: The job cells: occupation group, the grades a part of it is given and their weights.
_CELLS: tuple[tuple[str, tuple[str, ...], tuple[float, ...]], ...] = (
    ("clinical", ("Band 1", "Band 2", "Band 3", "Band 4"), (0.02, 0.30, 0.38, 0.30)),
    ("clinical", ("Band 5", "Band 6", "Band 7"), (0.42, 0.36, 0.22)),
    (
        "clinical",
        ("Band 8a", "Band 8b", "Band 8c", "Band 8d", "Band 9", "VSM"),
        (0.45, 0.22, 0.15, 0.08, 0.05, 0.05),
    ),
    ("non-clinical", ("Band 1", "Band 2", "Band 3", "Band 4"), (0.10, 0.30, 0.30, 0.30)),
    (
        "non-clinical",
        ("Band 5", "Band 6", "Band 7", "Band 8a", "Band 8b", "Band 8c", "Band 8d", "Band 9",
         "VSM"),
        (0.30, 0.24, 0.20, 0.10, 0.06, 0.04, 0.02, 0.02, 0.02),
    ),  # fmt: skip
    (
        "medical and dental",
        ("Consultant", "Non-consultant career grade", "Trainee", "Other"),
        (0.40, 0.10, 0.40, 0.10),
    ),
)

#: The process tables: their denominator, numerator and the odds table they use.
JOB_TABLES: dict[str, tuple[str, str]] = {
    "recruitment": ("shortlisted", "appointed"),
    "disciplinary": ("headcount", "entered_process"),
    "training": ("headcount", "accessed_training"),
    "staff_survey": ("respondents", "count"),
}

#: Each cell's odds of the outcome (everyone), and BME people's further odds in it, by table
#: (and survey indicator), in the order of :data:`_CELLS`; illustrative.
_ODDS: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = {
    "recruitment": ((1.10, 1.00, 0.75, 1.15, 0.95, 0.90), (1.08, 1.00, 0.80, 1.05, 0.90, 0.95)),
    "disciplinary": ((1.40, 0.90, 0.55, 1.30, 0.75, 0.70), (1.15, 1.00, 0.85, 1.10, 0.92, 0.90)),
    "training": ((0.85, 1.10, 1.20, 0.75, 1.00, 1.05), (1.00, 1.00, 0.88, 1.00, 0.93, 0.95)),
    "5": ((1.30, 1.25, 0.70, 0.60, 0.45, 0.90), (1.05, 1.05, 1.00, 1.00, 1.00, 1.00)),
    "6": ((1.10, 1.05, 0.85, 0.95, 0.85, 0.90), (1.05, 1.00, 0.97, 1.05, 1.00, 0.95)),
    "7": ((0.95, 1.00, 1.15, 0.95, 1.05, 1.00), (0.90, 1.00, 1.12, 0.92, 1.05, 1.05)),
    "8": ((1.10, 1.00, 0.82, 1.05, 0.88, 0.95), (1.10, 1.00, 0.88, 1.05, 0.95, 1.00)),
}


def _cell_of_workforce(workforce: pd.DataFrame) -> np.ndarray:
    """Each workforce row's job cell (its occupation and grade)."""
    pairs = [(occupation, grade) for occupation, grades, _ in _CELLS for grade in grades]
    cells = [i for i, (_, grades, _) in enumerate(_CELLS) for _ in grades]
    lookup = pd.MultiIndex.from_tuples(pairs)
    found = lookup.get_indexer(pd.MultiIndex.from_arrays(
        [workforce["occupation"].astype(str), workforce["grade"].astype(str)]
    ))  # fmt: skip
    return np.asarray(cells)[found]


def job_mixes(workforce: pd.DataFrame) -> pd.DataFrame:
    """Each organisation-year's share of staff in each cell, by ethnic group (White, BME,
    Unknown), and of all its staff (group ``""``), as rows indexed by ``org_code, year,
    group``; a national mix of each group and of everyone (org_code ``""``) as fallback."""
    frame = workforce.assign(_cell=_cell_of_workforce(workforce))
    parts = []
    for keys in (["org_code", "year", "ethnicity"], ["org_code", "year"], ["ethnicity"], []):
        counts = frame.groupby([*keys, "_cell"])["headcount"].sum() if keys else (
            frame.groupby("_cell")["headcount"].sum()
        )
        table = counts.unstack("_cell", fill_value=0) if keys else counts.to_frame().T
        table = table.reindex(columns=range(len(_CELLS)), fill_value=0)
        table = table.reset_index() if keys else table.reset_index(drop=True)
        for column, value in (("org_code", ""), ("year", 0), ("ethnicity", "")):
            if column not in table:
                table[column] = value
        parts.append(table)
    mixes = pd.concat(parts, ignore_index=True).set_index(["org_code", "year", "ethnicity"])
    values = mixes.to_numpy(dtype=float)
    totals = values.sum(axis=1, keepdims=True)
    return pd.DataFrame(values / np.where(totals > 0, totals, 1), index=mixes.index)


def _row_mixes(frame: pd.DataFrame, mixes: pd.DataFrame) -> np.ndarray:
    """Each row's cell probabilities: its organisation-year's for its ethnic group, else
    for all its staff, else England's for its group, else England's."""
    group = frame["ethnicity"].where(frame["ethnicity"].isin(["White", "Unknown"]), "BME")
    out = np.full((len(frame), len(_CELLS)), np.nan)
    for org, year, grp in (
        (frame["org_code"], frame["year"], group),
        (frame["org_code"], frame["year"], pd.Series("", index=frame.index)),
        (pd.Series("", index=frame.index), pd.Series(0, index=frame.index), group),
        (pd.Series("", index=frame.index), pd.Series(0, index=frame.index),
         pd.Series("", index=frame.index)),
    ):  # fmt: skip
        missing = np.isnan(out[:, 0])
        if not missing.any():
            break
        index = pd.MultiIndex.from_arrays([org[missing], year[missing], grp[missing]])
        found = mixes.reindex(index).to_numpy()
        usable = ~np.isnan(found[:, 0]) & (np.nan_to_num(found).sum(axis=1) > 0)
        rows = np.flatnonzero(missing)[usable]
        out[rows] = found[usable]
    return out


def split_jobs(
    frame: pd.DataFrame,
    denominator: str,
    numerator: str,
    odds: str,
    mixes: pd.DataFrame,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """``frame`` (a process table, split by sex and group) with ``occupation`` and ``grade``
    columns: each row split among the job cells in its organisation's workforce proportions
    (``mixes``: :func:`job_mixes` of the workforce table of White, BME and Unknown rows),
    ``numerator`` shared with the odds named ``odds``; every row's totals kept."""
    frame = frame.reset_index(drop=True)
    probabilities = _row_mixes(frame, mixes)
    n = _split(frame[denominator].to_numpy(), probabilities, JOB_SPLIT, rng)
    base, bme_odds = (np.array(v) for v in _ODDS[odds])
    bme = ~frame["ethnicity"].isin(["White", "Unknown"]).to_numpy()
    weights = np.where(bme[:, None], base * bme_odds, base)
    k = _allocate(frame[numerator].to_numpy(), n, weights, rng)
    parts = []
    for c, (occupation, grades, grade_weights) in enumerate(_CELLS):
        part = frame.assign(**{denominator: n[:, c], numerator: k[:, c]})
        part = part[part[denominator] > 0]
        p = np.array(grade_weights) / sum(grade_weights)
        chosen = _pick(rng, np.tile(p, (len(part), 1)))
        parts.append(part.assign(occupation=occupation, grade=np.array(grades)[chosen]))
    return pd.concat(parts, ignore_index=True)
