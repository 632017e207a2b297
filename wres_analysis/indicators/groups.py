"""The breakdowns beside BME with White: the 2001 census's detailed ethnic groups, sex, and
for indicators 2-8 occupation group and band cluster.

:func:`~wres_analysis.indicators.compute_indicators` with ``breakdowns`` computes them for
every indicator at every level; this module picks what a chapter shows of them, and computes
the national workforce's sixteen ethnic categories (indicator 1 by NHS ethnic category code).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from wres_analysis.contract import (
    COMPARED_GROUPS,
    DETAILED_GROUP_NAMES,
    ETHNIC_CODES,
    OCCUPATIONS,
    detailed_group_of,
)
from wres_analysis.data import Dataset
from wres_analysis.indicators.compute import JOB_INDICATORS, job_breakdown_mask
from wres_analysis.indicators.declarations import declared
from wres_analysis.indicators.frame import ALL_SEXES, GROUP_ORDER, HEADLINE_GROUP
from wres_analysis.indicators.summaries import select
from wres_analysis.stats.proportion import proportion

__all__ = [
    "BREAKDOWN_KINDS",
    "CATEGORY_COLUMNS",
    "JOB_KINDS",
    "breakdown_kinds",
    "GROUP_TREND_COLUMNS",
    "breakdown_rows",
    "ethnic_category_shares",
    "ethnic_group_trends",
    "shown_breakdowns",
]

#: What a breakdown splits: ``ethnic_group`` (Mixed, Asian, Black, Other, each with White)
#: or ``sex`` (BME with White among women, and among men).
BREAKDOWN_KINDS = ("ethnic_group", "sex")
#: What a job breakdown of indicators 2-8 splits: ``occupation`` (BME with White among
#: clinical, non-clinical, and medical and dental staff) or ``band`` (within each band
#: cluster), where the indicator's table records them.
JOB_KINDS = ("occupation", "band")
#: Columns of :func:`ethnic_category_shares`.
CATEGORY_COLUMNS = (
    "level",
    "year",
    "code",
    "category",
    "ethnic_group",
    "headcount",
    "known",
    "estimate",
    "lower",
    "upper",
)
#: Columns of :func:`ethnic_group_trends`.
GROUP_TREND_COLUMNS = (
    "level",
    "year",
    "ethnic_group",
    "headcount",
    "known",
    "estimate",
    "lower",
    "upper",
    "confidence",
)
_SENIOR = ("all staff", "Band 8a and above", "Band 8a and above minus all staff")
_BOARD = ("voting board members", "executive board members", "voting board minus workforce")


def shown_breakdowns(indicator: str) -> tuple[str, ...] | None:
    """The indicator's breakdowns a chapter's breakdown table shows (None: its only one):
    for indicator 1 all staff, Band 8a and above and the gap between them; for 9 the voting
    and executive boards and the voting board minus the workforce."""
    number = declared(indicator).id
    if number == "1":
        return _SENIOR
    if number == "9":
        return _BOARD
    return None


def breakdown_kinds(indicator: str) -> tuple[str, ...]:
    """The breakdowns a chapter shows of ``indicator``: :data:`BREAKDOWN_KINDS`, and for
    indicators 2-8 also :data:`JOB_KINDS`."""
    number = declared(indicator).id
    return BREAKDOWN_KINDS + (JOB_KINDS if number in JOB_INDICATORS else ())


def breakdown_rows(
    headline: pd.DataFrame,
    breakdowns: pd.DataFrame,
    indicator: str,
    year: int,
    *,
    by: str,
    level: str,
    area_code: str,
    clusters: Sequence[str] = (),
) -> pd.DataFrame:
    """One area's rows of ``indicator`` in ``year``: BME with White among everyone, then
    each detailed group (``by="ethnic_group"``), each sex (``by="sex"``), each occupation
    group (``by="occupation"``) or each band cluster (``by="band"``, in the order of
    ``clusters``, the labels of the clusters in force), in that order; for indicators 1 and
    9 only the breakdowns of :func:`shown_breakdowns`.

    ``headline`` is the indicator table of BME with White among everyone, ``breakdowns``
    the rows of the detailed groups, sexes, occupations and band clusters (the chapter
    inputs' two tables).
    """
    kinds = breakdown_kinds(indicator)
    if by not in kinds:
        raise ValueError(f"by must be one of {kinds} for indicator {indicator}, got {by!r}")
    number = declared(indicator).id
    chosen = {"indicator": number, "year": year, "level": level, "area_code": area_code}
    shown = shown_breakdowns(number)
    if shown is not None:
        chosen["breakdown"] = shown
    rows = [select(headline, **chosen)]
    if len(breakdowns):
        other = select(breakdowns, **chosen)
        job = job_breakdown_mask(other)
        if by == "ethnic_group":
            other = other[(other["sex"] == ALL_SEXES) & ~job]
        elif by == "sex":
            other = other[(other["sex"] != ALL_SEXES) & (other["ethnic_group"] == HEADLINE_GROUP)]
        else:
            occupation = other["breakdown"].isin(OCCUPATIONS).to_numpy()
            other = other[job & (occupation if by == "occupation" else ~occupation)]
        rows.append(other)
    out = pd.concat(rows, ignore_index=True)
    order = {group: i for i, group in enumerate(GROUP_ORDER)}
    sexes = {ALL_SEXES: 0, "female": 1, "male": 2}
    labels = shown or (
        (declared(number).headline_breakdown, *OCCUPATIONS, *clusters)
        if by in JOB_KINDS
        else ()
    )
    breakdown_order = {b: i for i, b in enumerate(labels)}
    return (
        out.assign(
            _b=out["breakdown"].map(breakdown_order).fillna(0),
            _g=out["ethnic_group"].map(order),
            _s=out["sex"].map(sexes),
        )
        .sort_values(["_b", "_g", "_s", "measure"], kind="stable")
        .drop(columns=["_b", "_g", "_s"])
        .reset_index(drop=True)
    )


def ethnic_category_shares(
    dataset: Dataset, year: int, *, confidence: float = 0.95
) -> pd.DataFrame:
    """The national workforce of ``year`` by NHS ethnic category (the sixteen codes A-S):
    each category's headcount and its share of staff of known ethnicity, with a Wilson
    interval (:func:`~wres_analysis.stats.proportion.proportion`), nationally only.

    A category's share is its headcount over every member of staff of known ethnicity
    (White or BME). Rows of the workforce table that give only a group (``White``, ``BME``,
    ``Asian``) have no category: where any staff of known ethnicity are recorded so, the
    table is empty (the shares would be undercounts), and the chapter says why.
    """
    staff = dataset["workforce"]
    staff = staff[(staff["year"] == year) & (staff["ethnic_group"] != "Unknown")]
    codes = staff["ethnic_code"] if "ethnic_code" in staff else pd.Series("", index=staff.index)
    if staff.empty or (codes == "").any():
        return pd.DataFrame(columns=list(CATEGORY_COLUMNS))
    counts = staff.groupby(codes, sort=False)["headcount"].sum()
    known = int(staff["headcount"].sum())
    listed = [code for code in ETHNIC_CODES if detailed_group_of(code) is not None]
    headcount = counts.reindex(listed, fill_value=0).astype("int64")
    interval = proportion(headcount.to_numpy(), [known] * len(listed), confidence=confidence)
    return pd.DataFrame(
        {
            "level": "national",
            "year": year,
            "code": listed,
            "category": [ETHNIC_CODES[c][0] for c in listed],
            "ethnic_group": [DETAILED_GROUP_NAMES[str(detailed_group_of(c))] for c in listed],
            "headcount": headcount.to_numpy(),
            "known": known,
            "estimate": 100 * interval["estimate"].to_numpy(),
            "lower": 100 * interval["lower"].to_numpy(),
            "upper": 100 * interval["upper"].to_numpy(),
        }
    )


def ethnic_group_trends(dataset: Dataset, *, confidence: float = 0.95) -> pd.DataFrame:
    """Indicator 1 nationally by detailed ethnic group over the years: in every report year
    of ``dataset``, the share of staff of known ethnicity who are BME and who are Mixed,
    Asian, Black and Other (2001-census groups), each with a Wilson interval
    (:func:`~wres_analysis.stats.proportion.proportion`), nationally only.

    A group's share is its headcount over every member of staff of known ethnicity (White or
    BME), as for the report year's detailed rows. A year whose workforce records some BME
    staff only as ``BME`` has BME's row and no detailed groups (they would be undercounts).
    """
    staff = dataset["workforce"]
    staff = staff[staff["ethnic_group"] != "Unknown"]
    detail = staff["ethnic_detail"] if "ethnic_detail" in staff else staff["ethnic_group"]
    counts = staff.groupby([staff["year"], detail.rename("group")])["headcount"].sum()
    table = counts.unstack("group", fill_value=0)
    known = table.sum(axis=1)
    bme = known - table.get("White", 0)
    rows = [pd.DataFrame({"year": table.index, "ethnic_group": HEADLINE_GROUP,
                          "headcount": bme.to_numpy(), "known": known.to_numpy()})]  # fmt: skip
    unspecified = table["BME"] if "BME" in table else pd.Series(0, index=table.index)
    complete = (unspecified == 0).to_numpy()
    for group in COMPARED_GROUPS:
        count = table[group] if group in table else pd.Series(0, index=table.index)
        rows.append(
            pd.DataFrame(
                {
                    "year": table.index[complete],
                    "ethnic_group": group,
                    "headcount": count.to_numpy()[complete],
                    "known": known.to_numpy()[complete],
                }
            )
        )
    out = pd.concat(rows, ignore_index=True)
    out = out[out["known"] > 0].reset_index(drop=True)
    interval = proportion(out["headcount"].to_numpy(), out["known"].to_numpy(),
                          confidence=confidence)  # fmt: skip
    out = out.assign(
        level="national",
        headcount=out["headcount"].astype("int64"),
        known=out["known"].astype("int64"),
        estimate=100 * interval["estimate"].to_numpy(),
        lower=100 * interval["lower"].to_numpy(),
        upper=100 * interval["upper"].to_numpy(),
        confidence=confidence,
    )
    order = {group: i for i, group in enumerate(GROUP_ORDER)}
    out = out.sort_values(["year", "ethnic_group"], key=lambda c: c.map(order) if
                          c.name == "ethnic_group" else c, kind="stable")  # fmt: skip
    return out[list(GROUP_TREND_COLUMNS)].reset_index(drop=True)
