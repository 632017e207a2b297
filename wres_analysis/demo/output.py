"""Write the demo dataset to a folder: one CSV per table and a README that says it is synthetic.

The files are byte-identical for the same seed: UTF-8 without a byte-order mark, ``\\n`` line
endings, rows sorted by their key columns, whole numbers written as whole numbers, and nothing
that depends on the clock or the machine.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from wres_analysis.contract import TABLES

from .calibration import SURVEY_BREAK_YEAR, published_targets, yearly_targets
from .detail import GROUP_SPLIT, SEX_SPLIT
from .generate import DEFAULT_SEED, GENERATOR_VERSION, generate_demo_tables
from .jobs import JOB_SPLIT
from .organisations import MERGERS, organisation_profiles, table_gaps
from .summary import national_figures

__all__ = ["readme_text", "write_demo_dataset", "write_tables"]


#: The demo's optional action-plan table, shipped in this package as written.
ACTIONS_FILE = "actions.csv"


def write_tables(tables: dict[str, pd.DataFrame], out_dir: Path) -> None:
    """Write each table to ``<out_dir>/<name>.csv`` (UTF-8, ``\\n``, no index)."""
    for name, frame in tables.items():
        frame.to_csv(out_dir / f"{name}.csv", index=False, lineterminator="\n", encoding="utf-8")


def _calibration_table(tables: dict[str, pd.DataFrame]) -> str:
    """Markdown table: each calibrated measure's published value, target and demo value."""
    targets = yearly_targets()
    published = published_targets()
    demo = national_figures(tables)
    extra = published[~published["measure"].isin(targets["measure"])]
    extra = extra.rename(columns={"report_year": "year", "value": "target"})[
        ["measure", "year", "target"]
    ]
    targets = pd.concat([targets, extra], ignore_index=True)
    merged = targets.merge(demo, on=["measure", "year"], how="left")
    lines = [
        "| measure | year | published | target | demo |",
        "|---|---|---|---|---|",
    ]
    for row in merged.itertuples():
        match = published[
            (published["measure"] == row.measure) & (published["report_year"] == row.year)
        ]
        shown = f"{match['value'].iloc[0]:g}" if len(match) else ""
        lines.append(
            f"| {row.measure} | {row.year} | {shown} | {row.target:.2f} | {row.value:.2f} |"
        )
    return "\n".join(lines)


def readme_text(tables: dict[str, pd.DataFrame], seed: int) -> str:
    """Return the README of a demo dataset folder (deterministic: no dates, no paths)."""
    profiles = organisation_profiles()
    names = dict(zip(profiles["org_code"], profiles["org_name"], strict=True))
    stopped = profiles[profiles["last_year"] < profiles["last_year"].max()]
    started = profiles[profiles["first_year"] > profiles["first_year"].min()]
    changes = [
        f"- {code} {names[code]} reports for the last time in {last}"
        for code, last in zip(stopped["org_code"], stopped["last_year"], strict=True)
    ] + [
        f"- {code} {names[code]} reports for the first time in {first}"
        for code, first in zip(started["org_code"], started["first_year"], strict=True)
    ]
    absorbing = profiles[profiles["absorbs"] != ""]
    changes += [
        f"- {code} {names[code]} includes the staff of {absorbed} from {year}"
        for code, absorbed, year in zip(
            absorbing["org_code"], absorbing["absorbs"], absorbing["absorbed_from"], strict=True
        )
    ]
    gaps = [f"- {g.org_code}, {g.year}: no `{g.table}` rows" for g in table_gaps(profiles)]
    counts = "\n".join(f"| `{name}.csv` | {len(frame):,} |" for name, frame in tables.items())
    actions = (Path(__file__).parent / ACTIONS_FILE).read_text(encoding="utf-8").splitlines()
    planned = sorted({line.split(",", 1)[0] for line in actions[1:] if line})
    counts += (
        f"\n| `{ACTIONS_FILE}` | {len(actions) - 1:,} (optional table: SYNTHETIC action plans "
        f"of {', '.join(planned)}) |"
    )
    years = tables["workforce"]["year"]
    return f"""# SYNTHETIC WRES DEMO DATA: NOT REAL, NOT OFFICIAL STATISTICS

> **Every number in this folder is SYNTHETIC.** The organisations are fictional and the counts
> were drawn at random. They are calibrated so that national headline figures land near the
> figures published in NHS England's WRES reports, but they are **not real data**, describe
> **no real trust**, and must never be quoted, published or used for decisions. Every table
> carries a `synthetic` column saying `yes`, so reports built from it carry a synthetic-data
> banner.

## How the data were made

- Generator: `wres_analysis.demo`, generator version **{GENERATOR_VERSION}**, seed **{seed}**
  (the default seed is {DEFAULT_SEED}). `wres demo-data OUT_DIR --seed {seed}` writes
  byte-identical files.
- {len(tables["organisations"])} fictional organisations in all seven NHS England regions and
  all six trust types, reporting in WRES report years {years.min()}-{years.max()}. Names are
  invented; codes are shaped like NHS trust codes and may coincide with real codes, but they do
  not refer to real organisations.
- Each organisation is placed in one of England's 42 integrated care boards (`icb_code`,
  `icb_name`), within its region: the ICBs' names and regions are the real ones (from 1 July
  2022); their codes `Q01`-`Q42` are placeholders, not ODS codes, and the fictional trusts
  were dealt to their region's ICBs at random.
- `year` is the WRES report year: the workforce and board at 31 March of that year
  (indicators 1 and 9), the financial year ending then (indicators 2-4), and the NHS Staff
  Survey of the autumn before (indicators 5-8).
- Ethnicity is recorded as NHS Data Dictionary ethnic category codes (A-S, Z, 99) in
  `workforce` and `board`, and as the 2001 census's groups (White, Mixed, Asian, Black,
  Other) or Unknown in the other tables, so both forms are exercised. Every table of people
  has a `sex` column (female, male; empty where ethnicity is unknown).

## Files

| file | rows |
|---|---|
{counts}

The columns are those of the data contract (`docs/data-contract.md`), plus `synthetic`
(every table) and `note` (`organisations`); `organisations` also has the contract's optional
`icb_code` and `icb_name`, and the process tables its optional `occupation` and `grade`.

## Calibration to published national figures

Targets come from the published national WRES figures bundled with the generator
(`wres_analysis/demo/targets.csv`, with sources). Years without a published value are filled:
linearly between published years; beyond them, shares continue the line through the two
nearest published years and relative likelihoods stay at the nearest published value. The
2018 share of trusts above 1.25 for indicator 3 is derived from the published counts (135 of
231 trusts). Trust shares count only trusts whose ratio is defined (both groups have at least
one case). National relative likelihoods come from summed national counts; shares of BME are
of staff or board members of known ethnicity.

{_calibration_table(tables)}

Regional indicator 2 values are solved to the published 2022-2024 regional figures (other
years: each region half as far from the national value as in those years), and the staff
survey rates to the published 2019 and 2023 figures; the survey values of other years are
the generator's assumptions.

## Detailed ethnic groups and sex

The tables are first drawn with White, BME and Unknown rows and calibrated as above; each
White row is then split by sex, and each BME row by sex and by detailed group, numerators
included, within the row's counts, so every BME-vs-White figure (and the calibration) is
exactly as before the split. **The differences between groups and between women and men are
illustrative, not calibrated: no published WRES figure by detailed group or by sex is bundled
with the generator**, so none is followed. The generator's assumptions, chosen so the
differences have the direction commonly reported: BME staff are about 47% Asian, 29% Black,
13% Other and 11% Mixed (more Black staff in London, more Asian doctors); about 84% of
clinical, 74% of non-clinical and 48% of medical staff are women; Black staff are less likely
than Asian or Mixed staff to believe their organisation provides equal opportunities
(indicator 7) and more likely to enter the disciplinary process (indicator 3) and to
experience discrimination (indicator 8); men enter the disciplinary process more often than
women. To keep the files small, a row of fewer than {SEX_SPLIT} people is given one sex and a
BME part of fewer than {GROUP_SPLIT} people one group (drawn with the same probabilities), and
each part of the workforce carries one ethnic category code drawn within its group: the
national figures are right in expectation, a small trust's detailed figures are lumpier than
real ones.

## Occupation and band in the process tables

`recruitment`, `disciplinary`, `training` and `staff_survey` carry the optional `occupation`
and `grade` columns. After the split by sex and group, each of their rows is split among six
job cells (clinical Bands 1-4, 5-7 and 8a-VSM; non-clinical Bands 1-4 and 5-VSM; medical and
dental) in the proportions of its trust's workforce of that year and ethnic group, numerators
included, within the row's counts: every figure by ethnic group and sex (and the calibration)
is exactly as before the split. Each part carries one grade drawn within its cell (for
recruitment, the post's). **The differences between occupations and bands are illustrative,
not calibrated: no published WRES figure by occupation or band is bundled with the
generator**, so none is followed. The generator's assumptions, chosen so the differences have
the direction commonly reported: white applicants' advantage in appointment from shortlisting
is widest at the senior bands, as is white staff's in access to non-mandatory training; BME
staff's excess in the formal disciplinary process is largest in Bands 1-4; clinical staff
experience more harassment from patients and the public than non-clinical staff; BME staff in
the lower bands are the least likely to believe their organisation provides equal
opportunities for career progression. A row of fewer than {JOB_SPLIT} people is given one cell
(drawn with the same probabilities), so a small trust's figures by band are lumpier than real
ones.

**Break in series:** indicator 7 (equal opportunities for career progression or promotion)
changed its question basis with the 2021 staff survey, so from report year
{SURVEY_BREAK_YEAR} it follows a new, much lower series (BME about 44% instead of about 70%).
Do not compare indicator 7 across {SURVEY_BREAK_YEAR - 1} and {SURVEY_BREAK_YEAR}.

## Built-in features for testing analyses

- Organisation changes: two acute trusts merge into a new trust, two mental health trusts
  merge into a new trust, a community trust is absorbed by an acute trust, and a new
  community trust starts reporting ({len(MERGERS)} mergers and one new trust):
{chr(10).join("  " + line for line in changes)}
- Incomplete submissions (one table missing for one organisation in one year; its other
  tables are present):
{chr(10).join("  " + line for line in gaps)}
- Unknown ethnicity is 2-5% of staff nationally; small trusts often have no BME staff
  entering the disciplinary process in a year; London is far more ethnically diverse than
  the South West; BME staff are more represented in bands 2-6 and the medical grades than at
  band 8a and above and on boards.
- Survey respondents are about 36-54% of staff; about 1% of staff enter the formal
  disciplinary process a year; about 50-70% access non-mandatory training.

Table key columns: {"; ".join(f"`{n}`: {', '.join(s.key)}" for n, s in TABLES.items())}.
"""


def write_demo_dataset(out_dir: Path, seed: int = DEFAULT_SEED) -> Path:
    """Write the SYNTHETIC demo dataset into ``out_dir`` and return the folder.

    Parameters
    ----------
    out_dir
        Folder to write into (created if missing); existing table files are replaced.
    seed
        Random seed; the same seed writes byte-identical files.

    Returns
    -------
    pathlib.Path
        ``out_dir``, holding ``<table>.csv`` for the seven contract tables, the optional
        ``actions.csv`` (two fictional trusts' action plans) and ``README.md``.
    """
    out_dir = Path(out_dir)
    tables = generate_demo_tables(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_tables(tables, out_dir)
    # an optional table: two fictional trusts' action plans (SYNTHETIC), shipped as written
    (out_dir / ACTIONS_FILE).write_bytes((Path(__file__).parent / ACTIONS_FILE).read_bytes())
    (out_dir / "README.md").write_text(readme_text(tables, seed), encoding="utf-8", newline="\n")
    return out_dir
