"""Sum organisation-level counts to the levels the reports publish."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from wres_analysis.contract import ICB_COLUMNS

__all__ = [
    "LEVELS",
    "NATIONAL_CODE",
    "NATIONAL_NAME",
    "organisation_attributes",
    "sum_by_level",
    "with_organisation",
]

#: The levels of every indicator table, from the whole country down to one organisation.
#: ``icb`` (integrated care board) is computed only where ``organisations`` names each
#: organisation's ICB (:data:`~wres_analysis.contract.ICB_COLUMNS`).
LEVELS: tuple[str, ...] = ("national", "region", "icb", "org_type", "organisation")
NATIONAL_CODE = "ENG"
NATIONAL_NAME = "England"


def organisation_attributes(frame: pd.DataFrame) -> list[str]:
    """The organisation columns a level needs that ``frame`` has: ``org_code, org_name,
    region, org_type`` and, where given, ``icb_code, icb_name``."""
    return ["org_code", "org_name", "region", "org_type", *(c for c in ICB_COLUMNS if c in frame)]


def with_organisation(frame: pd.DataFrame, organisations: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with each row's organisation name, region and type (and ICB, where the
    organisations table names it) added, the organisation's code and attributes as categories
    (what every level groups on)."""
    if organisations["org_code"].duplicated().any():
        raise ValueError("organisations must list each org_code once")
    columns = organisation_attributes(organisations)
    position = pd.Index(organisations["org_code"]).get_indexer(frame["org_code"])
    out = frame.drop(columns=[c for c in columns if c != "org_code"], errors="ignore")
    for column in columns:
        codes, values = pd.factorize(organisations[column])
        # an org_code the organisations table does not list has no attributes (missing)
        out[column] = pd.Categorical.from_codes(
            np.where(position >= 0, codes[position], -1), [str(v) for v in values]
        )
    return out


def sum_by_level(
    frame: pd.DataFrame,
    counts: Sequence[str],
    keys: Sequence[str],
    levels: Sequence[str] = LEVELS,
) -> pd.DataFrame:
    """Sum ``counts`` within ``keys`` at each level.

    ``frame`` must already carry ``org_code, org_name, region, org_type`` (see
    :func:`with_organisation`). Returns one row per level, area and key with columns
    ``level, area_code, area_name, *keys, *counts``; regions and trust types are their own
    codes and names, ICBs and organisations their code and name, England is ``ENG``. The
    ``icb`` level is left out when ``frame`` has no ``icb_code`` (a dataset without ICBs).

    The rows are summed once to organisations, and every other level sums those sums (the
    same totals: a sum of sums), so each level groups a table the size of the organisations'
    rather than the input's.
    """
    unknown = set(levels) - set(LEVELS)
    if unknown:
        raise ValueError(f"levels must be drawn from {LEVELS}, got {sorted(unknown)}")
    attributes = organisation_attributes(frame)
    frame = (
        frame[[*attributes, *keys, *counts]]
        .groupby([*attributes, *keys], observed=True, sort=False, dropna=False)[list(counts)]
        .sum()
        .reset_index()
    )
    parts = []
    for level in levels:
        if level == "national":
            whole = np.zeros(len(frame), dtype=np.int8)
            area = pd.DataFrame(
                {
                    "area_code": pd.Categorical.from_codes(whole, [NATIONAL_CODE]),
                    "area_name": pd.Categorical.from_codes(whole, [NATIONAL_NAME]),
                },
                index=frame.index,
            )
        elif level == "organisation":
            area = pd.DataFrame({"area_code": frame["org_code"], "area_name": frame["org_name"]})
        elif level == "icb":
            if "icb_code" not in frame:
                continue
            area = pd.DataFrame({"area_code": frame["icb_code"], "area_name": frame["icb_name"]})
        else:
            area = pd.DataFrame({"area_code": frame[level], "area_name": frame[level]})
        grouped = (
            pd.concat([area, frame[list(keys) + list(counts)]], axis=1)
            .groupby(["area_code", "area_name", *keys], observed=True, sort=True)[list(counts)]
            .sum()
            .reset_index()
        )
        grouped.insert(0, "level", level)
        parts.append(grouped)
    return pd.concat(parts, ignore_index=True)
