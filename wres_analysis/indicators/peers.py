"""A peer group: organisations a trust chooses to compare itself with, pooled.

The organisations of ``peer_group`` (``params/organisation.yaml``) are summed like a region:
every indicator of the group is computed from the group's summed counts, at level
``peer_group`` with area code :data:`PEER_CODE`. Its funnel plot places each peer against
the group's own pooled ratio (the target), with limits from the peers alone, so a trust sees
whether it is unusual among the organisations it chose, not only against England.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pandas as pd

from wres_analysis.contract import PEER_GROUP_COLUMN
from wres_analysis.data import Dataset
from wres_analysis.indicators.compute import compute_indicators
from wres_analysis.indicators.funnel import funnel_tables
from wres_analysis.indicators.levels import NATIONAL_CODE

__all__ = [
    "PEER_CODE",
    "PEER_LEVEL",
    "peer_funnel_tables",
    "peer_group_indicators",
    "peer_groups",
    "peer_name",
]

#: The level and area code of a peer group's rows.
PEER_LEVEL = "peer_group"
PEER_CODE = "PEER"


def peer_name(codes: Sequence[str]) -> str:
    """The peer group's area name: how many organisations it pools."""
    return f"Peer group ({len(codes)} organisation{'s' if len(codes) != 1 else ''})"


def peer_groups(
    organisations: pd.DataFrame, codes: Sequence[str], listed: Sequence[str] = ()
) -> dict[str, tuple[str, ...]]:
    """Each of the organisations ``codes``' peer group (codes, as the group is pooled): the
    parameters' ``listed`` codes for every one where given; otherwise, where
    ``organisations`` has a ``peer_group`` column, the organisations sharing its value
    (sorted, itself included); else none (``()``)."""
    if listed:
        return {code: tuple(listed) for code in codes}
    if PEER_GROUP_COLUMN not in organisations:
        return {code: () for code in codes}
    group = dict(zip(organisations["org_code"], organisations[PEER_GROUP_COLUMN], strict=True))
    members: dict[str, list[str]] = {}
    for code, value in sorted(group.items()):
        if value:
            members.setdefault(value, []).append(code)
    return {code: tuple(members.get(group.get(code, ""), ())) for code in codes}


def _members(dataset: Dataset, codes: Sequence[str]) -> Dataset:
    chosen = set(codes)
    tables = {
        name: frame[frame["org_code"].isin(chosen)].reset_index(drop=True)
        for name, frame in dataset.tables.items()
    }
    return replace(dataset, tables=tables)


def peer_group_indicators(
    dataset: Dataset, codes: Sequence[str], **settings: Any
) -> pd.DataFrame:
    """Every indicator of the organisations ``codes`` pooled (their counts summed), every
    year, as rows of the indicator table at level :data:`PEER_LEVEL`, area :data:`PEER_CODE`
    (``settings`` as for :func:`~wres_analysis.indicators.compute_indicators`)."""
    if not codes:
        raise ValueError("a peer group needs at least one organisation code")
    table = compute_indicators(_members(dataset, codes), levels=("national",), **settings)
    return table.assign(level=PEER_LEVEL, area_code=PEER_CODE, area_name=peer_name(codes))


def peer_funnel_tables(
    table: pd.DataFrame,
    peers: pd.DataFrame,
    codes: Sequence[str],
    indicator: str,
    year: int,
    **options: Any,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The funnel plot of the peer group: each peer organisation's point (from ``table``'s
    organisation rows) against the group's pooled ratio (``peers``, from
    :func:`peer_group_indicators`) as the target, limits from the peers alone
    (:func:`~wres_analysis.indicators.funnel_tables`, ``options`` as there). Raises as it
    does (too few peers with a ratio, no pooled ratio)."""
    members = table[(table["level"] == "organisation") & table["area_code"].isin(set(codes))]
    target = peers.assign(area_code=NATIONAL_CODE)  # the funnel's target is its ENG row
    return funnel_tables(pd.concat([members, target], ignore_index=True), indicator, year,
                         **options)
