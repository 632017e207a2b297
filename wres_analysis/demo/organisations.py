"""The fictional organisations of the demo data: codes, names, regions, types, sizes, history.

The organisations do not depend on the data seed: every demo dataset has the same trusts, so a
trust code in an example or a test means the same trust whatever the seed. Codes look like NHS
trust codes (``R`` and two characters) and may coincide with real codes; the names are
invented, and the ``note`` column says the organisations are synthetic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from wres_analysis.contract import ORG_TYPES, REGIONS

from .icbs import ICBS

__all__ = [
    "MERGERS",
    "ORGANISATION_SEED",
    "SYNTHETIC_NOTE",
    "TableGap",
    "Merger",
    "organisation_profiles",
    "table_gaps",
]

#: Seed of the organisation list (independent of the data seed).
ORGANISATION_SEED = 20150401

SYNTHETIC_NOTE = "SYNTHETIC demo data: not official statistics"

_ACUTE, _SPECIALIST, _AMBULANCE, _COMMUNITY, _MENTAL, _COMBINED = ORG_TYPES

#: Trusts per region and type, in ORG_TYPES order (216 trusts before the mergers below).
_COUNTS: dict[str, tuple[int, ...]] = {
    "East of England": (13, 2, 1, 3, 4, 2),
    "London": (17, 5, 1, 3, 8, 1),
    "Midlands": (21, 3, 2, 3, 8, 3),
    "North East and Yorkshire": (20, 2, 2, 1, 8, 1),
    "North West": (19, 2, 1, 2, 6, 2),
    "South East": (16, 1, 2, 4, 6, 1),
    "South West": (10, 1, 1, 0, 5, 3),
}

#: Headcount at 31 March 2016 by type: (median, spread of its logarithm, lowest, highest).
_SIZES: dict[str, tuple[float, float, int, int]] = {
    _ACUTE: (6400, 0.5, 1900, 17500),
    _SPECIALIST: (2600, 0.55, 700, 7000),
    _AMBULANCE: (4300, 0.3, 2500, 7000),
    _COMMUNITY: (1300, 0.9, 250, 5000),
    _MENTAL: (3300, 0.45, 900, 8000),
    _COMBINED: (5200, 0.35, 2500, 9000),
}

_ROOTS = (
    "Alder", "Ambles", "Ashcombe", "Barrow", "Birch", "Blackmere", "Bram", "Broad", "Calder",
    "Cran", "Dale", "Dunhol", "Eastmere", "Elder", "Elm", "Fair", "Farrow", "Fen", "Fox",
    "Garth", "Glen", "Gorse", "Green", "Hallow", "Harl", "Hazel", "Heath", "Hollin", "Holt",
    "Kestle", "Lark", "Linden", "Lyn", "Marl", "Meadow", "Merrow", "Moor", "Nether", "Northen",
    "Oaken", "Orch", "Pell", "Quen", "Raven", "Redd", "Rook", "Rowan", "Sallow", "Sedge",
    "South", "Stan", "Stour", "Swan", "Tarn", "Thorn", "Wester", "Whin", "Willow", "Wren", "Yarrow",
)  # fmt: skip
_ENDINGS = (
    "bourne", "bridge", "brook", "bury", "by", "combe", "dale", "den", "field", "ford", "gate",
    "ham", "holme", "hurst", "ley", "mere", "minster", "stead", "stow", "thorpe", "ton", "well",
    "wick", "worth",
)  # fmt: skip

_NAME_FORMS: dict[str, tuple[str, ...]] = {
    _ACUTE: (
        "{0} Hospitals NHS Foundation Trust",
        "{0} University Hospitals NHS Trust",
        "{0} and {1} Hospitals NHS Trust",
        "{0} General Hospital NHS Foundation Trust",
        "{0} Teaching Hospitals NHS Foundation Trust",
    ),
    _SPECIALIST: (
        "{0} Children's Hospital NHS Foundation Trust",
        "{0} Heart and Lung Hospital NHS Foundation Trust",
        "{0} Orthopaedic Hospital NHS Foundation Trust",
        "{0} Eye Hospital NHS Foundation Trust",
        "{0} Cancer Centre NHS Foundation Trust",
        "{0} Women's Hospital NHS Foundation Trust",
    ),
    _AMBULANCE: ("{0} Ambulance Service NHS Trust", "{0} Ambulance Service NHS Foundation Trust"),
    _COMMUNITY: ("{0} Community Health Services NHS Trust", "{0} Community Healthcare NHS Trust"),
    _MENTAL: (
        "{0} Mental Health NHS Foundation Trust",
        "{0} Partnership NHS Foundation Trust",
        "{0} Mental Health and Learning Disability NHS Trust",
    ),
    _COMBINED: ("{0} Health and Care NHS Foundation Trust", "{0} Integrated Care NHS Trust"),
}


@dataclass(frozen=True)
class Merger:
    """Organisations that stop reporting after ``last_year``, and what takes them over.

    ``successor`` is the index (in the profile order before mergers are applied) of an existing
    trust that absorbs them, or None when a new trust formed from them starts the next year.
    """

    region: str
    org_type: str
    members: int
    last_year: int
    successor_type: str | None = None


#: The demo's changes of organisation: two acute trusts merge into a new one (from 2020), two
#: mental health trusts merge into a new one (from 2022), and a community trust is absorbed by
#: an acute trust (from 2018). A new community trust also starts reporting in 2019.
MERGERS: tuple[Merger, ...] = (
    Merger("Midlands", _ACUTE, 2, 2019),
    Merger("North East and Yorkshire", _MENTAL, 2, 2021),
    Merger("South East", _COMMUNITY, 1, 2017, successor_type=_ACUTE),
)
_NEW_TRUST = ("North West", _COMMUNITY, 2019)


@dataclass(frozen=True)
class TableGap:
    """One table missing for one organisation and year (a trust that did not submit it)."""

    org_code: str
    year: int
    table: str


def _place_names(rng: np.random.Generator, count: int) -> list[str]:
    """Return ``count`` distinct invented place names in a fixed random order."""
    names = sorted({root + end for root in _ROOTS for end in _ENDINGS})
    picks = rng.choice(len(names), size=count, replace=False)
    return [names[i] for i in picks]


def _codes(rng: np.random.Generator, count: int) -> list[str]:
    """Return ``count`` distinct three-character codes shaped like NHS trust codes."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    codes = sorted("R" + a + b for a in alphabet for b in alphabet)
    picks = rng.choice(len(codes), size=count, replace=False)
    return [codes[i] for i in picks]


def organisation_profiles() -> pd.DataFrame:
    """Return every demo organisation with what the generator needs to know about it.

    Returns
    -------
    pandas.DataFrame
        One row per organisation that ever reports: ``org_code, org_name, region, org_type,
        icb_code, icb_name`` (the contract columns; ICB codes are placeholders,
        :mod:`wres_analysis.demo.icbs`), ``first_year, last_year`` (the report years it reports),
        ``size_2016`` (its headcount at 31 March 2016, or the headcount its predecessors would
        have had, for a trust formed later), ``absorbs`` (the code of a trust it takes over, or
        "") and ``absorbed_from`` (the first year it includes that trust).

    Notes
    -----
    Sizes are drawn from a log-normal distribution per type and clipped to the type's range;
    the generator rescales them year by year to the national headcount, so only their relative
    sizes matter here.
    """
    rng = np.random.default_rng(ORGANISATION_SEED)
    rows: list[dict[str, object]] = []
    for region in REGIONS:
        for org_type, count in zip(ORG_TYPES, _COUNTS[region], strict=True):
            median, spread, low, high = _SIZES[org_type]
            sizes = np.clip(median * np.exp(spread * rng.standard_normal(count)), low, high)
            for size in sizes:
                rows.append({"region": region, "org_type": org_type, "size_2016": float(size)})
    frame = pd.DataFrame(rows)
    frame["first_year"] = 2016
    frame["last_year"] = 2025
    frame["absorbs"] = ""
    frame["absorbed_from"] = 0
    frame["merged_from"] = None
    new_rows: list[dict[str, object]] = []
    for merger in MERGERS:
        candidates = frame.index[
            (frame["region"] == merger.region)
            & (frame["org_type"] == merger.org_type)
            & (frame["last_year"] == 2025)
        ]
        members = list(candidates[: merger.members])
        frame.loc[members, "last_year"] = merger.last_year
        combined = float(frame.loc[members, "size_2016"].sum())
        if merger.successor_type is None:
            new_rows.append(
                {"region": merger.region, "org_type": merger.org_type, "size_2016": combined,
                 "first_year": merger.last_year + 1, "last_year": 2025, "absorbs": "",
                 "absorbed_from": 0, "merged_from": tuple(members)}
            )  # fmt: skip
        else:
            host = frame.index[
                (frame["region"] == merger.region) & (frame["org_type"] == merger.successor_type)
            ][0]
            frame.loc[host, "absorbs"] = f"#{members[0]}"
            frame.loc[host, "absorbed_from"] = merger.last_year + 1
    region, org_type, first_year = _NEW_TRUST
    new_rows.append(
        {"region": region, "org_type": org_type, "size_2016": _SIZES[org_type][0],
         "first_year": first_year, "last_year": 2025, "absorbs": "", "absorbed_from": 0,
         "merged_from": None}
    )  # fmt: skip
    frame = pd.concat([frame, pd.DataFrame(new_rows)], ignore_index=True)
    codes = _codes(rng, len(frame))
    places = _place_names(rng, 2 * len(frame))
    names = []
    for i, row in enumerate(frame.itertuples()):
        forms = _NAME_FORMS[row.org_type]
        if isinstance(row.merged_from, tuple):
            first, second = (places[j] for j in row.merged_from)
            names.append(f"{first} and {second}" + forms[0].removeprefix("{0}"))
        else:
            form = forms[int(rng.integers(len(forms)))]
            names.append(form.format(places[i], places[len(frame) + i]))
    frame["org_code"] = codes
    frame["org_name"] = names
    frame["absorbs"] = [codes[int(a[1:])] if a else "" for a in frame["absorbs"]]
    frame["icb_code"] = _icb_codes(frame)
    frame["icb_name"] = frame["icb_code"].map({code: name for code, name, _ in ICBS})
    columns = ["org_code", "org_name", "region", "org_type", "icb_code", "icb_name",
               "first_year", "last_year", "size_2016", "absorbs", "absorbed_from"]  # fmt: skip
    return frame[columns].sort_values("org_code", ignore_index=True)


def _icb_codes(frame: pd.DataFrame) -> list[str]:
    """Each organisation's ICB, one of its region's: the region's trusts in a fixed random
    order dealt to its ICBs in turn, so every ICB has trusts (at least two: the South West
    has 20 for 7); a trust formed by a merger is in its first predecessor's ICB.

    Drawn from a generator of its own, so the other draws of the organisation list are the
    same with or without ICBs.
    """
    rng = np.random.default_rng(ORGANISATION_SEED + 2)
    chosen: dict[int, str] = {}
    for region in REGIONS:
        icbs = [code for code, _, r in ICBS if r == region]
        members = [
            i for i in frame.index[frame["region"] == region]
            if not isinstance(frame.at[i, "merged_from"], tuple)
        ]
        for turn, i in enumerate(rng.permutation(members)):
            chosen[int(i)] = icbs[turn % len(icbs)]
    for i in frame.index:
        merged = frame.at[i, "merged_from"]
        if isinstance(merged, tuple):
            chosen[int(i)] = chosen[int(merged[0])]
    return [chosen[int(i)] for i in frame.index]


def table_gaps(profiles: pd.DataFrame) -> tuple[TableGap, ...]:
    """Return the org-years that miss one table (the demo's incomplete submissions).

    Five trusts that report in every year each miss one of the five per-trust indicator
    tables in one year; their other tables for that year are present.
    """
    rng = np.random.default_rng(ORGANISATION_SEED + 1)
    steady = profiles[(profiles["first_year"] == 2016) & (profiles["last_year"] == 2025)]
    tables = ("recruitment", "disciplinary", "training", "staff_survey", "board")
    picks = rng.choice(len(steady), size=len(tables), replace=False)
    years = rng.integers(2017, 2025, size=len(tables))
    return tuple(
        TableGap(str(steady["org_code"].iloc[int(i)]), int(year), table)
        for i, year, table in zip(picks, years, tables, strict=True)
    )
