"""Senior representation: Model Employer's Band 8a and above and the NHS EDI Improvement
Plan's Band 8c and above, for clinical and non-clinical staff, and the counts of BME staff at
VSM and on boards.

Model Employer (NHS England, 2019) aims for BME representation at every Agenda for Change
band from 8a up to match the workforce by 2028; the EDI Improvement Plan (2023) measures
senior leadership as Band 8c and above against the overall workforce (success metric 2d).
Both are read here from indicator 1's grade rows, which carry each grade's White and BME
headcounts: a senior group's share is its grades' BME headcount over its staff of known
ethnicity, with a Wilson interval (:func:`~wres_analysis.stats.proportion.proportion`), and
it is compared with the **whole workforce's** share (all staff of known ethnicity, medical
and dental included, as Model Employer and the plan compare), not the staff group's own.
Medical and dental grades have no bands and are in neither senior group.
"""

from __future__ import annotations

import pandas as pd

from wres_analysis.contract import GRADES_SENIOR, GRADES_SENIOR_8C
from wres_analysis.indicators.frame import finish, share_rows
from wres_analysis.indicators.levels import NATIONAL_CODE

__all__ = [
    "SENIOR_GROUPS",
    "SENIOR_LEVELS",
    "senior_counts",
    "senior_parity",
    "senior_shares",
    "with_senior_shares",
]

#: Each senior level and its grades (clinical and non-clinical staff).
SENIOR_LEVELS: dict[str, tuple[str, ...]] = {
    "Band 8a and above": GRADES_SENIOR,
    "Band 8c and above": GRADES_SENIOR_8C,
}
#: The staff groups a senior level is read for: both together, then each.
SENIOR_GROUPS: tuple[str, ...] = ("clinical and non-clinical", "clinical", "non-clinical")

_KEYS = ["year", "level", "area_code", "area_name"]


def _breakdown(senior: str, group: str) -> str:
    """The indicator-table breakdown of a senior level in a staff group: the level alone for
    both groups (as indicator 1's ``Band 8a and above``), ``clinical: Band 8c and above``."""
    return senior if group == SENIOR_GROUPS[0] else f"{group}: {senior}"


def _grade_rows(table: pd.DataFrame, area_code: str) -> pd.DataFrame:
    rows = table[
        (table["indicator"] == "1")
        & (table["measure"] == "pct_bme")
        & (table["area_code"] == area_code)
    ]
    for column, value in (("ethnic_group", "BME"), ("sex", "all")):  # where tables have them
        if column in rows:
            rows = rows[rows[column] == value]
    return rows


def senior_shares(table: pd.DataFrame, *, area_code: str = NATIONAL_CODE) -> pd.DataFrame:
    """Indicator 1 rows (``pct_bme``) of each senior level in each staff group of
    ``area_code`` and every year, summed from its grade rows (``clinical: Band 8c``, ...):
    breakdowns ``Band 8c and above``, ``clinical: Band 8a and above``, ... (see
    :data:`SENIOR_LEVELS`, :data:`SENIOR_GROUPS`). Rows as the indicator table's, so they
    can be drawn and compared like indicator 1's own; none where the table has no grade rows
    for the area (grade detail is computed nationally, by region and type of trust, and for
    each organisation in its own report)."""
    rows = _grade_rows(table, area_code)
    parts = []
    for senior, grades in SENIOR_LEVELS.items():
        for group in SENIOR_GROUPS:
            occupations = ("clinical", "non-clinical") if group == SENIOR_GROUPS[0] else (group,)
            names = [f"{o}: {g}" for o in occupations for g in grades]
            chosen = rows[rows["breakdown"].isin(names)]
            if chosen.empty:
                continue
            summed = (
                chosen.groupby(_KEYS, sort=True)[["white_count", "group_count"]]
                .sum()
                .reset_index()
                .assign(breakdown=_breakdown(senior, group))
            )
            parts.append(summed)
    if not parts:
        return finish(share_rows(pd.DataFrame(
            columns=[*_KEYS, "breakdown", "white_count", "group_count"]
        ).astype({"white_count": "int64", "group_count": "int64"}), "1", confidence=0.95))
    known = rows["confidence"].dropna()
    confidence = float(known.iloc[0]) if len(known) else 0.95
    wide = pd.concat(parts, ignore_index=True)
    return finish(share_rows(wide, "1", confidence=confidence))


def senior_parity(table: pd.DataFrame, *, area_code: str = NATIONAL_CODE) -> pd.DataFrame:
    """Each year's senior representation against the whole workforce, for each senior level
    and staff group: ``year, senior, staff_group, pct_bme, lower, upper`` (the senior share
    and its interval at ``confidence``), ``workforce_pct`` (all staff), ``gap_pp`` (senior
    minus workforce, percentage points; negative: under-represented), ``ratio`` (senior
    share / workforce share; 1 is parity), and the senior group's ``bme_count`` and
    ``white_count``."""
    shares = senior_shares(table, area_code=area_code)
    staff = _grade_rows(table, area_code)
    staff = staff[staff["breakdown"] == "all staff"].set_index("year")["estimate"]
    records = []
    for senior in SENIOR_LEVELS:
        for group in SENIOR_GROUPS:
            rows = shares[shares["breakdown"] == _breakdown(senior, group)]
            for row in rows.itertuples(index=False):
                workforce = float(staff.get(row.year, float("nan")))
                records.append(
                    {
                        "year": int(row.year),
                        "senior": senior,
                        "staff_group": group,
                        "pct_bme": row.estimate,
                        "lower": row.lower,
                        "upper": row.upper,
                        "confidence": row.confidence,
                        "workforce_pct": workforce,
                        "gap_pp": row.estimate - workforce,
                        "ratio": row.estimate / workforce if workforce else float("nan"),
                        "bme_count": row.group_count,
                        "white_count": row.white_count,
                    }
                )
    columns = ["year", "senior", "staff_group", "pct_bme", "lower", "upper", "confidence",
               "workforce_pct", "gap_pp", "ratio", "bme_count", "white_count"]  # fmt: skip
    out = pd.DataFrame.from_records(records, columns=columns)
    order = out["staff_group"].map({g: i for i, g in enumerate(SENIOR_GROUPS)})
    return (
        out.assign(_order=order)
        .sort_values(["senior", "_order", "year"], kind="stable", ignore_index=True)
        .drop(columns="_order")
    )


def senior_counts(table: pd.DataFrame, *, area_code: str = NATIONAL_CODE) -> pd.DataFrame:
    """Counts of BME people at the top, by year: ``bme_vsm`` and ``vsm`` (BME and all very
    senior managers of known ethnicity, clinical and non-clinical), ``bme_voting_board`` and
    ``voting_board``, ``bme_board`` and ``board`` (all board members), from indicator 1's VSM
    rows and indicator 9's board rows. Counts of people: national figures only, unless
    disclosure control is applied."""
    grades = _grade_rows(table, area_code)
    vsm = grades[grades["breakdown"].isin(["clinical: VSM", "non-clinical: VSM"])]
    vsm = vsm.groupby("year")[["group_count", "white_count"]].sum()
    board = table[
        (table["indicator"] == "9") & (table["measure"] == "pct_bme")
        & (table["area_code"] == area_code)
    ]
    for column, value in (("ethnic_group", "BME"), ("sex", "all")):
        if column in board:
            board = board[board[column] == value]
    out = pd.DataFrame(
        {"bme_vsm": vsm["group_count"], "vsm": vsm["group_count"] + vsm["white_count"]}
    )
    for breakdown, name in (("voting board members", "voting_board"),
                            ("all board members", "board")):
        rows = board[board["breakdown"] == breakdown].set_index("year")
        out = out.join(
            pd.DataFrame({f"bme_{name}": rows["group_count"],
                          name: rows["group_count"] + rows["white_count"]}),
            how="outer",
        )
    out = out.rename_axis("year").reset_index()
    for column in out.columns:
        out[column] = out[column].astype("Int64")
    return out


def with_senior_shares(table: pd.DataFrame, *, area_code: str = NATIONAL_CODE) -> pd.DataFrame:
    """``table`` with :func:`senior_shares`' rows of ``area_code`` added where the table
    does not have that breakdown already (to draw a senior level's trajectory)."""
    extra = senior_shares(table, area_code=area_code)
    have = table.loc[
        (table["indicator"] == "1") & (table["area_code"] == area_code), "breakdown"
    ].unique()
    extra = extra[~extra["breakdown"].isin(have)]
    return pd.concat([table, extra], ignore_index=True)
