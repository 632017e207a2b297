"""Generate the seven demo tables from a seed.

Every table draws from its own random stream (``numpy.random.default_rng([seed, stream])``),
so changing how one table is drawn does not change the others, and the same seed always gives
the same tables.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wres_analysis.contract import (
    COMPARED_GROUPS,
    ETHNIC_CODES,
    ETHNIC_GROUPS,
    GRADES_AFC,
    GRADES_MEDICAL,
    OCCUPATIONS,
    TABLES,
)

from .board import generate_board
from .calibration import DEMO_YEARS, regional_targets, yearly_targets
from .detail import split_board_sex, split_table
from .jobs import JOB_TABLES, job_mixes, split_jobs
from .likelihoods import generate_disciplinary, generate_recruitment, generate_training
from .organisations import SYNTHETIC_NOTE, organisation_profiles, table_gaps
from .survey import generate_staff_survey
from .workforce import generate_workforce

__all__ = ["DEFAULT_SEED", "GENERATOR_VERSION", "NATIONAL_STAFF", "generate_demo_tables"]

#: The seed of the bundled demo dataset (the year the WRES began).
DEFAULT_SEED = 2015

#: Version of the generating method: bump it whenever the same seed would give other data.
GENERATOR_VERSION = "1.4"

#: Expected national headcount at 31 March of each report year (the published reports imply
#: about 1.3 million in 2016 rising to about 1.6 million by 2023).
NATIONAL_STAFF: dict[int, float] = dict(
    zip(DEMO_YEARS, (1.30e6, 1.32e6, 1.34e6, 1.37e6, 1.42e6, 1.48e6, 1.53e6, 1.58e6, 1.61e6,
                     1.63e6), strict=True)
)  # fmt: skip

_STREAMS = ("panel", "workforce", "recruitment", "disciplinary", "training", "survey", "board",
            "detail", "jobs")  # fmt: skip

#: Sort order of the values that have a natural order in the contract.
_ORDER: dict[str, dict[str, int]] = {
    "occupation": {v: i for i, v in enumerate(OCCUPATIONS)},
    "grade": {v: i for i, v in enumerate(GRADES_AFC + GRADES_MEDICAL)},
    "ethnicity": {
        v: i for i, v in enumerate((*ETHNIC_GROUPS, *COMPARED_GROUPS, *ETHNIC_CODES))
    },
    "sex": {"female": 0, "male": 1, "": 2},
}


def _rng(seed: int, stream: str) -> np.random.Generator:
    """The random generator of one part of the dataset."""
    return np.random.default_rng([seed, _STREAMS.index(stream)])


def _panel(profiles: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """One row per organisation and report year it reports, with its expected headcount.

    Each trust grows at its own steady rate (about 1% a year either side of the national
    trend) with a little year-to-year noise; a trust that absorbs another adds the absorbed
    trust's staff from the year after the merger. Sizes are then rescaled so each year's
    national headcount is :data:`NATIONAL_STAFF`.
    """
    growth = dict(
        zip(profiles["org_code"], 0.012 * rng.standard_normal(len(profiles)), strict=True)
    )
    size = dict(zip(profiles["org_code"], profiles["size_2016"], strict=True))
    rows = []
    for org in profiles.itertuples():
        for year in range(org.first_year, org.last_year + 1):
            staff = org.size_2016
            if org.absorbs and year >= org.absorbed_from:
                staff += size[org.absorbs]
            staff *= np.exp(growth[org.org_code] * (year - 2016) + 0.01 * rng.standard_normal())
            rows.append((year, org.org_code, org.region, org.org_type, staff))
    panel = pd.DataFrame(rows, columns=["year", "org_code", "region", "org_type", "staff"])
    scale = panel["year"].map(NATIONAL_STAFF) / panel.groupby("year")["staff"].transform("sum")
    panel["staff"] = panel["staff"] * scale
    return panel.sort_values(["year", "org_code"], ignore_index=True)


def _with_groups(panel: pd.DataFrame, workforce: pd.DataFrame) -> pd.DataFrame:
    """Add the White, BME and Unknown headcounts of each org-year (0 where none)."""
    totals = workforce.pivot_table(
        index=["year", "org_code"], columns="ethnicity", values="headcount", aggfunc="sum"
    )
    totals = totals.reindex(columns=list(ETHNIC_GROUPS)).fillna(0).astype(np.int64)
    totals.columns = list(totals.columns)
    return panel.merge(totals.reset_index(), on=["year", "org_code"], how="left", validate="1:1")


def _regional_rl(targets: pd.DataFrame) -> dict[tuple[str, int], float]:
    """Indicator 2 by region and year: published for 2022-2024, derived for other years.

    In a year without published regional values each region keeps half its mean published
    log-distance from the national value (``national x exp(0.5 x mean log(regional /
    national))``), so regions differ in the same direction but by less than when published.
    """
    regional = regional_targets()
    column = "rl_appointed_from_shortlisting_white_vs_bme"
    national = targets[targets["measure"] == column]
    national = dict(zip(national["year"].astype(int), national["target"], strict=True))
    published = {
        (r, int(y)): float(v)
        for r, y, v in zip(
            regional["region"], regional["report_year"], regional[column], strict=True
        )
    }
    filled = dict(published)
    for region in sorted(regional["region"].unique()):
        logs = [np.log(v / national[y]) for (r, y), v in published.items() if r == region]
        for year in DEMO_YEARS:
            filled.setdefault((region, year), national[year] * float(np.exp(0.5 * np.mean(logs))))
    return filled


def _finish(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Give a table its contract columns, integer counts, sorted rows and ``synthetic``."""
    spec = TABLES[name]
    extra = [c for c in spec.optional if c in frame]
    extra += ["note"] if name == "organisations" else []
    out = frame[list(spec.columns) + extra].copy()
    for column in spec.counts + (("year",) if "year" in spec.columns else ()):
        out[column] = out[column].astype(np.int64)
    if name == "staff_survey":
        out["indicator"] = out["indicator"].astype(np.int64)
    out["synthetic"] = "yes"

    def order(column: pd.Series) -> pd.Series:
        ranks = _ORDER.get(str(column.name))
        return column.map(ranks) if ranks else column

    key = [*spec.key, *(c for c in spec.optional if c in out)]
    out = out.sort_values(key, key=order, kind="mergesort", ignore_index=True)
    return out.astype({c: "str" for c in out.columns if out[c].dtype == object})


def generate_demo_tables(
    seed: int = DEFAULT_SEED, *, detail: bool = True
) -> dict[str, pd.DataFrame]:
    """Generate the SYNTHETIC demo dataset: the seven tables of the data contract.

    Parameters
    ----------
    seed
        Random seed; the same seed always gives the same tables.
    detail
        Split the White and BME rows by sex and the BME rows by detailed ethnic group
        (:mod:`.detail`), with a ``sex`` column in every table of people, and the process
        tables' rows by occupation group and grade (:mod:`.jobs`), with ``occupation`` and
        ``grade`` columns; False gives the tables as first drawn (White, BME and Unknown
        rows; the board by ethnic category code), each BME-vs-White figure the same either
        way.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``organisations, workforce, recruitment, disciplinary, training, staff_survey, board``,
        each with exactly the contract columns and a final ``synthetic`` column saying ``yes``
        (``organisations`` also has a ``note`` column before it).

    Notes
    -----
    About 215 fictional trusts in every NHS England region and trust type report for 2016-2025
    (a few merge or start part-way; five miss one table in one year). National % BME staff,
    the national relative likelihoods of indicators 2-4 and the board's % BME are calibrated
    to the published national figures (``targets.csv``) every year, the spread of trust-level
    ratios of indicators 2 and 3 to the published shares of trusts, and the staff survey to
    the published 2019 and 2023 rates. The data are not real and must never be read as
    official statistics.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"`seed` must be a non-negative integer, got {seed!r}")
    seed = int(seed)
    targets = yearly_targets()

    def target(measure: str) -> dict[int, float]:
        rows = targets[targets["measure"] == measure]
        return dict(zip(rows["year"].astype(int), rows["target"], strict=True))

    profiles = organisation_profiles()
    panel = _panel(profiles, _rng(seed, "panel"))
    workforce = generate_workforce(panel, target("pct_bme_workforce"), _rng(seed, "workforce"))
    panel = _with_groups(panel, workforce)
    gaps = table_gaps(profiles)

    def present(table: str) -> pd.DataFrame:
        missing = {(g.org_code, g.year) for g in gaps if g.table == table}
        keep = [
            (c, y) not in missing for c, y in zip(panel["org_code"], panel["year"], strict=True)
        ]
        return panel[keep].reset_index(drop=True)

    tables = {
        "organisations": profiles.assign(note=SYNTHETIC_NOTE),
        "workforce": workforce,
        "recruitment": generate_recruitment(
            present("recruitment"),
            target("rl_appointed_from_shortlisting_white_vs_bme"),
            target("pct_trusts_white_more_likely_appointed"),
            _regional_rl(targets),
            _rng(seed, "recruitment"),
        ),
        "disciplinary": generate_disciplinary(
            present("disciplinary"),
            target("rl_entering_disciplinary_bme_vs_white"),
            target("pct_trusts_rl_disciplinary_above_1.25"),
            _rng(seed, "disciplinary"),
        ),
        "training": generate_training(
            present("training"),
            target("rl_accessing_training_white_vs_bme"),
            _rng(seed, "training"),
        ),
        "staff_survey": generate_staff_survey(present("staff_survey"), _rng(seed, "survey")),
        "board": generate_board(
            present("board"), target("pct_bme_board_members"), _rng(seed, "board")
        ),
    }
    if detail:
        tables = _with_jobs(
            _detailed(tables, profiles, _rng(seed, "detail")), workforce, _rng(seed, "jobs")
        )
    return {name: _finish(frame, name) for name, frame in tables.items()}


#: Each table of people: its denominator, its numerator and whose odds share it.
_SPLITS: dict[str, tuple[str, str | None]] = {
    "workforce": ("headcount", None),
    "recruitment": ("shortlisted", "appointed"),
    "disciplinary": ("headcount", "entered_process"),
    "training": ("headcount", "accessed_training"),
}


def _detailed(
    tables: dict[str, pd.DataFrame], profiles: pd.DataFrame, rng: np.random.Generator
) -> dict[str, pd.DataFrame]:
    """The tables with detailed ethnic groups and sex (:func:`.detail.split_table`)."""
    regions = dict(zip(profiles["org_code"], profiles["region"], strict=True))
    out = dict(tables)
    for name, (denominator, numerator) in _SPLITS.items():
        odds = name if numerator is not None else "training"
        out[name] = split_table(
            tables[name], denominator, numerator, odds, regions, rng, codes=name == "workforce"
        )
    survey = tables["staff_survey"]
    out["staff_survey"] = pd.concat(
        [
            split_table(part, "respondents", "count", str(number), regions, rng)
            for number, part in survey.groupby("indicator", sort=True)
        ],
        ignore_index=True,
    )
    out["board"] = split_board_sex(tables["board"], rng)
    return out


def _with_jobs(
    tables: dict[str, pd.DataFrame], workforce: pd.DataFrame, rng: np.random.Generator
) -> dict[str, pd.DataFrame]:
    """The process tables with occupation and grade (:func:`.jobs.split_jobs`), in the
    proportions of ``workforce`` (White, BME and Unknown rows)."""
    out = dict(tables)
    mixes = job_mixes(workforce)
    for name, (denominator, numerator) in JOB_TABLES.items():
        if name == "staff_survey":
            out[name] = pd.concat(
                [
                    split_jobs(part, denominator, numerator, str(number), mixes, rng)
                    for number, part in tables[name].groupby("indicator", sort=True)
                ],
                ignore_index=True,
            )
        else:
            out[name] = split_jobs(tables[name], denominator, numerator, name, mixes, rng)
    return out
