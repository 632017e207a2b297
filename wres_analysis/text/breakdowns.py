"""What the report says about the breakdowns beside BME with White: the 2001 census's
detailed ethnic groups (Mixed, Asian, Black, Other, each with White), sex (BME with White
among women, and among men), and for indicators 2-8 occupation group and band cluster (BME
with White within each)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from wres_analysis.contract import COMPARED_GROUPS, DETAILED_GROUP_NAMES, OCCUPATIONS
from wres_analysis.disclosure import DisclosureRule
from wres_analysis.indicators.declarations import declared
from wres_analysis.text.formatting import format_value, interval_text, listed, mid_sentence

__all__ = [
    "breakdown_label",
    "job_label",
    "categories_absent",
    "categories_title",
    "group_trends_absent",
    "group_trends_title",
    "breakdown_readings",
    "breakdown_title",
    "breakdowns_absent",
]

_SEX_LABELS = {"female": "Women", "male": "Men"}


def breakdown_label(group: str, sex: str) -> str:
    """A row's comparison in words: ``"BME vs White"``, ``"Black or Black British vs
    White"``, ``"Women: BME vs White"``."""
    name = DETAILED_GROUP_NAMES.get(group, group)
    if sex in _SEX_LABELS:
        return f"{_SEX_LABELS[sex]}: {name} vs White"
    return f"{name} vs White"


def job_label(breakdown: str, headline: str) -> str:
    """A job breakdown's row in words: ``"Clinical staff"``, ``"Bands 5-7"``; the
    indicator's ``headline`` breakdown (everyone) is ``"Everyone"``."""
    if breakdown == headline:
        return "Everyone"
    if breakdown in OCCUPATIONS:
        return f"{breakdown[0].upper()}{breakdown[1:]} staff"
    return breakdown


def breakdown_title(
    indicator: str, by: str, year: int, area: str, clusters: Sequence[str] = ()
) -> str:
    """The title of a chapter's breakdown table (``clusters``: the band clusters' labels,
    for ``by="band"``)."""
    item = declared(indicator)
    if by == "ethnic_group":
        what = f"by ethnic group ({listed(list(COMPARED_GROUPS))} and BME, each vs White)"
    elif by == "occupation":
        what = f"by occupation group (BME vs White among {listed(list(OCCUPATIONS))} staff)"
    elif by == "band":
        what = f"by band (BME vs White within each of {listed(list(clusters))})"
    else:
        what = "by sex (BME vs White among women, and among men)"
    return f"Indicator {item.id}, {mid_sentence(item.title)}: {what}, {area}, {year}"


def breakdowns_absent(indicator: str, by: str) -> str:
    """Why a chapter shows no breakdown of ``by`` for ``indicator``: its table does not say
    which group (or which sex, occupation group or band) people are."""
    table = declared(indicator).table
    if by in ("occupation", "band"):
        column, what = ("occupation", "occupation group") if by == "occupation" else (
            "grade", "band"
        )
        return (
            f"No figures by {what} are shown for indicator {declared(indicator).id}: the "
            f"`{table}` table has no `{column}` column (an optional column, with the "
            "`workforce` table's values; see the data contract)."
        )
    if by == "ethnic_group":
        return (
            f"No detailed ethnic groups are shown for indicator {declared(indicator).id}: the "
            f"`{table}` table records some BME people only as BME, not by group, so a group's "
            "figure would leave them out. Recording everyone's NHS ethnic category code (or "
            f"2001-census group: {listed(list(COMPARED_GROUPS))}) gives the comparisons."
        )
    return (
        f"No figures by sex are shown for indicator {declared(indicator).id}: the `{table}` "
        "table does not record anyone's sex as female or male (its optional `sex` column is "
        "absent or says not known)."
    )


def breakdown_readings(
    rows: pd.DataFrame,
    withheld: pd.Series,
    indicator: str,
    rule: DisclosureRule,
    confidence: float,
    by: str = "ethnic_group",
) -> list[str]:
    """One sentence per comparison in ``rows`` (a chapter's breakdown table): the
    indicator's headline value with its interval, "too few people to report" where
    disclosure control withholds it, "not defined" where a group has no one in it.

    ``withheld`` is True for the rows disclosure control withholds (aligned with ``rows``);
    ``confidence`` is the intervals' level; ``by`` the breakdown (``occupation`` and
    ``band`` rows are named by their occupation group or band cluster).
    """
    item = declared(indicator)
    chosen = rows["measure"] == item.headline_measure
    if by not in ("occupation", "band"):
        chosen &= rows["breakdown"] == item.headline_breakdown
    lines = []
    for index, row in rows[chosen].iterrows():
        label = breakdown_label(str(row["ethnic_group"]), str(row["sex"]))
        if by in ("occupation", "band"):
            label = f"{job_label(str(row['breakdown']), item.headline_breakdown)}: {label}"
        if bool(withheld.loc[index]):
            lines.append(
                f"{label}: too few people to report (a count behind it is between "
                f"{rule.min_count} and {rule.max_count}; withheld by disclosure control)."
            )
            continue
        if pd.isna(row["estimate"]):
            lines.append(f"{label}: not defined (no one in a group compared).")
            continue
        value = format_value(row["estimate"], item.headline_measure)
        interval = interval_text(
            row["lower"], row["upper"], item.headline_measure, confidence, units=True
        )
        lines.append(f"{label}: {value}" + (f" ({interval})." if interval else "."))
    return lines


def categories_title(year: int) -> str:
    """The title of the national workforce's table by ethnic category."""
    return (
        f"Indicator 1 by NHS ethnic category: % of staff of known ethnicity in each of the "
        f"sixteen categories, England, {year}"
    )


def categories_absent() -> str:
    """Why the national workforce is not shown by ethnic category."""
    return (
        "The workforce is not shown by the sixteen NHS ethnic categories: the `workforce` "
        "table records some staff of known ethnicity by group (White, BME, Asian, ...) rather "
        "than by ethnic category code, so a category's share would leave them out."
    )


def group_trends_title(first: int, last: int) -> str:
    """The title of the national workforce's table by detailed ethnic group over the years."""
    return (
        f"Indicator 1 by ethnic group over time: % of staff of known ethnicity who are BME and "
        f"in each of {listed(list(COMPARED_GROUPS))}, England, {first}-{last}"
    )


def group_trends_absent() -> str:
    """Why the national workforce is not shown by detailed ethnic group over the years."""
    return (
        "The workforce is not shown by ethnic group over time: in every year the `workforce` "
        "table records some BME staff only as BME, not by group, so a group's share would "
        "leave them out."
    )
