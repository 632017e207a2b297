"""Detailed ethnic groups and sex in the demo tables, drawn within the White and BME counts.

The tables are first drawn with White, BME and Unknown rows (calibrated to the published
national figures: see :mod:`.calibration`). This module then splits each White row by sex and
each BME row by sex and by the 2001 census's groups (Mixed, Asian, Black, Other), keeping
every row's White and BME totals, numerators included: every BME-vs-White figure, and so the
calibration, is exactly what it was before the split.

The split's parameters are the generator's own illustrative assumptions (no published WRES
figure by detailed group or sex is bundled with the package): the group mix of BME staff by
region and occupation, the share of women by occupation, and each group's and each sex's odds
of the indicator's outcome relative to the BME (or White) average, chosen so that the
differences between groups have the direction commonly reported (e.g. Black staff least
likely to believe their organisation offers equal opportunities, and most likely to enter
the disciplinary process). They are not estimates of anything.

To keep the tables small, a small row is not split: a row of fewer than :data:`SEX_SPLIT`
people is given one sex, a BME part of fewer than :data:`GROUP_SPLIT` people one group
(drawn with the same probabilities), so counts stay right in expectation. The workforce
records each part's NHS ethnic category code (one code per part, drawn within its group), so
the national workforce can be shown by the sixteen categories; the other tables record the
group names (``White``, ``Mixed``, ``Asian``, ``Black``, ``Other``, ``Unknown``).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from wres_analysis.contract import COMPARED_GROUPS, DETAILED_GROUPS

__all__ = ["GROUP_SPLIT", "SEX_SPLIT", "split_board_sex", "split_table"]

#: Rows of fewer people than this are given one sex rather than split by sex.
SEX_SPLIT = 40
#: BME parts of fewer people than this are given one group rather than split by group.
GROUP_SPLIT = 200
_SEXES = ("female", "male")

#: Share of BME staff in each group (Mixed, Asian, Black, Other) by region; illustrative.
_GROUP_MIX: dict[str, tuple[float, ...]] = {
    "London": (0.09, 0.38, 0.40, 0.13),
    "Midlands": (0.10, 0.52, 0.26, 0.12),
    "North West": (0.12, 0.52, 0.21, 0.15),
    "North East and Yorkshire": (0.12, 0.55, 0.18, 0.15),
}
_DEFAULT_MIX = (0.11, 0.47, 0.29, 0.13)
#: Medical and dental staff: more Asian doctors than the workforce as a whole.
_MEDICAL_MIX = (0.07, 0.62, 0.16, 0.15)
#: Share of women by occupation (and on boards); illustrative.
_FEMALE: dict[str, float] = {
    "clinical": 0.84,
    "non-clinical": 0.74,
    "medical and dental": 0.48,
    "": 0.77,
}
#: NHS ethnic category codes within each group, with their relative frequency.
_CODE_MIX: dict[str, tuple[float, ...]] = {
    "White": (0.78, 0.03, 0.19),
    "Mixed": (0.30, 0.20, 0.30, 0.20),
    "Asian": (0.45, 0.14, 0.05, 0.36),
    "Black": (0.20, 0.72, 0.08),
    "Other": (0.15, 0.85),
}
#: Each group's odds of the outcome relative to BME staff as a whole (Mixed, Asian, Black,
#: Other), and women's and men's relative to their group's, by table (and survey indicator).
_GROUP_ODDS: dict[str, tuple[float, ...]] = {
    "recruitment": (1.10, 0.98, 0.85, 0.95),
    "disciplinary": (0.90, 0.75, 1.45, 1.00),
    "training": (1.05, 1.00, 0.95, 1.00),
    "5": (1.05, 0.90, 1.15, 0.95),
    "6": (1.05, 0.95, 1.10, 0.95),
    "7": (1.10, 1.10, 0.75, 1.00),
    "8": (0.95, 0.90, 1.30, 1.00),
}
_SEX_ODDS: dict[str, tuple[float, float]] = {
    "recruitment": (1.05, 0.92),
    "disciplinary": (0.75, 1.70),
    "training": (1.05, 0.90),
    "5": (0.95, 1.15),
    "6": (1.0, 1.0),
    "7": (0.98, 1.05),
    "8": (1.0, 1.1),
}


def _pick(rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    """One category per row of ``probabilities`` (rows sum to 1)."""
    cumulative = probabilities.cumsum(axis=1)
    u = rng.uniform(size=(len(probabilities), 1))
    return np.minimum((u > cumulative).sum(axis=1), probabilities.shape[1] - 1)


def _split(
    n: np.ndarray, probabilities: np.ndarray, threshold: int, rng: np.random.Generator
) -> np.ndarray:
    """``n`` split into ``probabilities``' categories: multinomially where ``n >=
    threshold``, else all into one category drawn with the same probabilities."""
    parts = rng.multinomial(n, probabilities)
    small = n < threshold
    if small.any():
        chosen = _pick(rng, probabilities[small])
        one = np.zeros_like(parts[small])
        one[np.arange(small.sum()), chosen] = n[small]
        parts[small] = one
    return parts


def _allocate(k: np.ndarray, n: np.ndarray, weights: np.ndarray, rng: np.random.Generator):
    """``k`` events of each row shared among its parts of sizes ``n`` (rows x parts) with odds
    ``weights``: multinomial on ``n x weights``, then any part given more than its size
    passes the excess to the parts with room (so every row still has ``k`` events)."""
    mass = n * weights
    total = mass.sum(axis=1, keepdims=True)
    p = np.divide(mass, total, out=np.full_like(mass, 1.0 / mass.shape[1]), where=total > 0)
    out = rng.multinomial(k, p)
    for row in np.flatnonzero((out > n).any(axis=1)):
        excess = int((out[row] - n[row]).clip(min=0).sum())
        out[row] = np.minimum(out[row], n[row])
        for part in np.argsort(-(n[row] - out[row]), kind="stable"):
            moved = min(excess, int(n[row, part] - out[row, part]))
            out[row, part] += moved
            excess -= moved
    return out


def _mixes(frame: pd.DataFrame, regions: Mapping[str, str]) -> np.ndarray:
    """Each row's group mix of its BME people (Mixed, Asian, Black, Other)."""
    region = frame["org_code"].map(regions).to_numpy()
    mix = np.array([_GROUP_MIX.get(r, _DEFAULT_MIX) for r in region], dtype=float)
    if "occupation" in frame:
        mix[frame["occupation"].to_numpy() == "medical and dental"] = _MEDICAL_MIX
    return mix


def _codes(group: str, size: int, rng: np.random.Generator) -> np.ndarray:
    weights = np.array(_CODE_MIX[group])
    letters = np.array(list(DETAILED_GROUPS[group]))
    return letters[_pick(rng, np.tile(weights / weights.sum(), (size, 1)))]


def split_table(
    frame: pd.DataFrame,
    denominator: str,
    numerator: str | None,
    odds: str,
    regions: Mapping[str, str],
    rng: np.random.Generator,
    *,
    codes: bool = False,
) -> pd.DataFrame:
    """``frame`` (rows of White, BME and Unknown) with its White rows split by sex and its
    BME rows by sex and group, numerators shared with the odds named ``odds``; a ``sex``
    column added (blank for Unknown ethnicity).

    With ``codes`` each part's ``ethnicity`` is an NHS ethnic category code drawn within its
    group (the Unknown rows get Z or 99); otherwise the group's name.
    """
    white = frame[frame["ethnicity"] == "White"].reset_index(drop=True)
    bme = frame[frame["ethnicity"] == "BME"].reset_index(drop=True)
    unknown = frame[frame["ethnicity"] == "Unknown"].reset_index(drop=True)
    parts = []

    def female_share(rows: pd.DataFrame) -> np.ndarray:
        occupation = rows["occupation"] if "occupation" in rows else pd.Series("", index=rows.index)
        return occupation.map(_FEMALE).to_numpy(dtype=float)

    sex_odds = np.array(_SEX_ODDS[odds])
    # White: by sex
    pf = female_share(white)
    n = _split(white[denominator].to_numpy(), np.column_stack([pf, 1 - pf]), SEX_SPLIT, rng)
    k = None
    if numerator is not None:
        k = _allocate(white[numerator].to_numpy(), n, np.tile(sex_odds, (len(white), 1)), rng)
    for s, sex in enumerate(_SEXES):
        part = white.assign(sex=sex, **{denominator: n[:, s]})
        if k is not None:
            part[numerator] = k[:, s]
        part["ethnicity"] = _codes("White", len(part), rng) if codes else "White"
        parts.append(part)
    # BME: by sex, then by group within each sex
    pf = female_share(bme)
    by_sex = _split(bme[denominator].to_numpy(), np.column_stack([pf, 1 - pf]), SEX_SPLIT, rng)
    mix = _mixes(bme, regions)
    cells = np.concatenate([_split(by_sex[:, s], mix, GROUP_SPLIT, rng) for s in (0, 1)], axis=1)
    if numerator is not None:
        weights = np.outer(sex_odds, _GROUP_ODDS[odds]).reshape(-1)
        k = _allocate(bme[numerator].to_numpy(), cells, np.tile(weights, (len(bme), 1)), rng)
    for s, sex in enumerate(_SEXES):
        for g, group in enumerate(COMPARED_GROUPS):
            column = s * len(COMPARED_GROUPS) + g
            part = bme.assign(sex=sex, **{denominator: cells[:, column]})
            if numerator is not None:
                part[numerator] = k[:, column]
            part["ethnicity"] = _codes(group, len(part), rng) if codes else group
            parts.append(part)
    unknown = unknown.assign(sex="")
    if codes:
        unknown["ethnicity"] = np.where(rng.uniform(size=len(unknown)) < 0.6, "Z", "99")
    parts.append(unknown)
    out = pd.concat(parts, ignore_index=True)
    return out[out[denominator] > 0].reset_index(drop=True)


def split_board_sex(board: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Board rows (by ethnic category code) split by sex, about 45% of members women."""
    n = board["headcount"].to_numpy()
    women = rng.binomial(n, 0.45)
    parts = [
        board.assign(sex="female", headcount=women),
        board.assign(sex="male", headcount=n - women),
    ]
    out = pd.concat(parts, ignore_index=True)
    return out[out["headcount"] > 0].reset_index(drop=True)
