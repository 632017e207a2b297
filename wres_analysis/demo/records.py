"""The SYNTHETIC record-level demo: ESR-like staff in post and event files that import back
to the aggregate demo tables exactly.

``wres demo-data DIR --record-level`` writes, for a few organisations (every report year):

- ``records/staff-in-post.csv``: one row per assignment, in the ESR-like layout of
  ``docs/importing.md`` (``Unique Nhs Identifier``, ``Tm Year Month``, ``Ethnic Origin`` as
  code and description, ``Staff Group``, ``Pay Band`` in several spellings, ``Asg Type Of
  Contract``, ``Status``, ``Contracted Wte``, ...), with the rows every rule must leave out:
  second assignments, bank contracts and inactive assignments; and the board members (flagged,
  non-executives without a pay band);
- ``records/recruitment.csv``, ``records/disciplinary.csv``, ``records/training.csv``: one row
  per application, case or course, with rows the maps leave out (not shortlisted, informal
  cases, mandatory training) and people with several cases or courses;
- one map file per importer (``records/*.yaml``); and ``organisations.csv`` and
  ``staff_survey.csv`` as aggregate tables (survey results are published aggregated).

Each aggregate row becomes exactly its count of people, so importing the records gives the
aggregate demo tables of those organisations byte for byte (``tests/test_import_demo.py``).
Every record says ``Synthetic: yes``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from wres_analysis.contract import ETHNIC_DESCRIPTIONS, GRADES_AFC

from .generate import DEFAULT_SEED, generate_demo_tables
from .organisations import table_gaps

__all__ = ["RECORD_ORGANISATIONS", "record_level_tables", "write_record_level"]

#: How many organisations the record-level demo holds by default: the smallest that report
#: every table every year, with every indicator defined (a national record-level demo would
#: be some 100 million rows).
RECORD_ORGANISATIONS = 3

_CLINICAL_GROUPS = (
    "Nursing and Midwifery Registered",
    "Additional Clinical Services",
    "Allied Health Professionals",
    "Healthcare Scientists",
    "Professional, Scientific and Technical",
)
_NON_CLINICAL_GROUPS = ("Administrative and Clerical", "Estates and Ancillary")
_MEDICAL_ROLES = {
    "Consultant": ("Consultant",),
    "Non-consultant career grade": ("Specialty Doctor", "Associate Specialist"),
    "Trainee": ("Specialty Registrar", "Foundation Year 1", "Core Training"),
    "Other": ("Trust Grade Doctor", "Clinical Fellow"),
}
#: Spellings of ethnicity in the records, by WRES group (codes, descriptions, both, local).
_ETHNICITY = {
    "White": (
        "A White - British",
        "A",
        "White - British",
        "B White - Irish",
        "CA",
        "C White - Any other White background",
    ),
    "BME": (
        "H Asian or Asian British - Indian",
        "N Black or Black British - African",
        "J",
        "M Black or Black British - Caribbean",
        "LH",
        "R Other Ethnic Groups - Chinese",
        "Mixed - White and Asian",
        "S Other Ethnic Groups - Any other ethnic group",
    ),
    "Unknown": ("Z Not Stated", "99", "", "Not known"),
}

STAFF_MAP = """\
# Map for the SYNTHETIC record-level demo's staff in post (wres import staff-in-post --map).
# The headers are the importer's defaults, so only the ethnicity detail is set: the demo's
# workforce table holds White/BME/Unknown, its board table the ethnic category codes.
ethnicity_detail:
  workforce: group
  board: code
"""
RECRUITMENT_MAP = """\
# Map for the SYNTHETIC record-level demo's applications (wres import events --kind recruitment).
columns:
  date: Shortlisting Date
ethnicity_detail: group
"""
DISCIPLINARY_MAP = """\
# Map for the SYNTHETIC record-level demo's case log (wres import events --kind disciplinary).
# Only formal disciplinary cases count (indicator 3).
columns:
  person_id: Unique Nhs Identifier
  date: Date Opened
  category: Case Type
  stage: Stage
include:
  category: [Disciplinary]
  stage: [Formal]
ethnicity_detail: group
"""
TRAINING_MAP = """\
# Map for the SYNTHETIC record-level demo's training log (wres import events --kind training).
# Mandatory and statutory courses are flagged and left out (indicator 4 counts non-mandatory
# training and CPD).
columns:
  date: Completion Date
  course: Course Title
  mandatory: Mandatory
ethnicity_detail: group
"""
MAPS = {
    "staff-in-post.yaml": STAFF_MAP,
    "recruitment.yaml": RECRUITMENT_MAP,
    "disciplinary.yaml": DISCIPLINARY_MAP,
    "training.yaml": TRAINING_MAP,
}


def _pick(rng: np.random.Generator, options: tuple[str, ...], n: int) -> np.ndarray:
    return np.asarray(options, dtype=object)[rng.integers(0, len(options), n)]


def _spell_ethnicity(groups: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    out = np.empty(len(groups), dtype=object)
    for group, options in _ETHNICITY.items():
        here = groups == group
        out[here] = _pick(rng, options, int(here.sum()))
    return out


def _spell_code(codes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A board member's ethnic category: the code alone, or code and description."""
    described = np.array([f"{c} {ETHNIC_DESCRIPTIONS[c]}" for c in codes], dtype=object)
    return np.where(rng.random(len(codes)) < 0.5, codes.astype(object), described)


def _spell_band(grades: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Agenda for Change grades as ESR-like exports write them."""
    out = grades.astype(object).copy()
    u = rng.random(len(grades))
    for grade in GRADES_AFC:
        here = grades == grade
        if grade == "VSM":
            out[here] = "Very Senior Manager"
        elif grade.startswith("Band 8"):
            letter = grade[-1]
            out[here] = np.where(
                u[here] < 0.5, f"Band 8{letter.upper()}", f"Band 8 - Range {letter.upper()}"
            )
        elif grade == "Band 1":
            out[here] = np.where(u[here] < 0.5, "Band 1", "Apprentice/Band 1")
        else:
            number = grade.split()[1]
            out[here] = np.where(u[here] < 0.3, f"XR0{number}", grade) if number != "9" else grade
    return out


def _financial_dates(years: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A date in the financial year ending 31 March of each report year (ISO text)."""
    start = pd.to_datetime(pd.Series(years - 1).astype(str) + "-04-01")
    offset = pd.to_timedelta(rng.integers(0, 365, len(years)), unit="D")
    return (start + offset).dt.strftime("%Y-%m-%d").to_numpy()


def _expand(frame: pd.DataFrame, count: str) -> pd.DataFrame:
    return frame.loc[frame.index.repeat(frame[count].to_numpy())].reset_index(drop=True)


def _staff(workforce: pd.DataFrame, board: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    people = _expand(workforce, "headcount")
    n = len(people)
    seq = people.groupby(["year", "org_code"]).cumcount().to_numpy()
    ids = (
        people["org_code"]
        .str.cat(people["year"].astype(str))
        .str.cat(pd.Series(seq).map("{:06d}".format))
    )
    occupation = people["occupation"].to_numpy()
    grade = people["grade"].to_numpy()
    group = np.where(
        occupation == "medical and dental",
        "Medical and Dental",
        np.where(
            occupation == "non-clinical",
            _pick(rng, _NON_CLINICAL_GROUPS, n),
            _pick(rng, _CLINICAL_GROUPS, n),
        ),
    )
    medical = occupation == "medical and dental"
    band = np.where(medical, "Medical", _spell_band(grade, rng))
    role = np.full(n, "", dtype=object)
    for medical_grade, roles in _MEDICAL_ROLES.items():
        here = medical & (grade == medical_grade)
        role[here] = _pick(rng, roles, int(here.sum()))
    records = pd.DataFrame(
        {
            "Unique Nhs Identifier": ids,
            "Organisation Code": people["org_code"],
            "Tm Year Month": people["year"].astype(str) + "03",
            "Ethnic Origin": _spell_ethnicity(people["ethnicity"].to_numpy(), rng),
            "Staff Group": group,
            "Pay Band": band,
            "Job Role": role,
            "Assignment Number": ids + "-1",
            "Asg Type Of Contract": _pick(rng, ("Permanent", "Permanent", "Fixed Term Temp"), n),
            "Status": _pick(
                rng, ("Active Assignment",) * 8 + ("Internal Secondment", "Acting Up"), n
            ),
            "Contracted Wte": np.round(rng.uniform(0.4, 1.0, n), 2),
            "Primary Assignment": "Y",
            "Board Member": "N",
            "Board Voting": "",
            "Board Executive": "",
        }
    )
    # Second assignments (a lower-FTE post, not primary): counted once, on the primary.
    second = records.sample(frac=0.03, random_state=rng.integers(2**31)).copy()
    second["Assignment Number"] = second["Unique Nhs Identifier"] + "-2"
    second["Primary Assignment"] = "N"
    second["Contracted Wte"] = 0.2
    # Bank-only workers and inactive assignments of people not in post: left out.
    bank = records.sample(frac=0.04, random_state=rng.integers(2**31)).copy()
    bank["Unique Nhs Identifier"] = "B" + bank["Unique Nhs Identifier"]
    bank["Assignment Number"] = bank["Unique Nhs Identifier"] + "-1"
    bank["Asg Type Of Contract"] = "Bank"
    inactive = records.sample(frac=0.01, random_state=rng.integers(2**31)).copy()
    inactive["Unique Nhs Identifier"] = "X" + inactive["Unique Nhs Identifier"]
    inactive["Assignment Number"] = inactive["Unique Nhs Identifier"] + "-1"
    inactive["Status"] = "Inactive Assignment"
    members = _expand(board, "headcount")
    seq = members.groupby(["year", "org_code"]).cumcount()
    board_ids = "D" + members["org_code"] + members["year"].astype(str) + seq.map("{:03d}".format)
    board_records = pd.DataFrame(
        {
            "Unique Nhs Identifier": board_ids,
            "Organisation Code": members["org_code"],
            "Tm Year Month": members["year"].astype(str) + "03",
            "Ethnic Origin": _spell_code(members["ethnicity"].to_numpy(), rng),
            "Staff Group": "",
            "Pay Band": "",
            "Job Role": "",
            "Assignment Number": board_ids + "-1",
            "Asg Type Of Contract": "",
            "Status": "Active Assignment",
            "Contracted Wte": "",
            "Primary Assignment": "Y",
            "Board Member": "Y",
            "Board Voting": members["voting"].map({"yes": "Y", "no": "N"}),
            "Board Executive": members["executive"].map({"yes": "Y", "no": "N"}),
        }
    )
    out = pd.concat([records, second, bank, inactive, board_records], ignore_index=True)
    out = out.sample(frac=1.0, random_state=rng.integers(2**31)).reset_index(drop=True)
    return out.assign(Synthetic="yes")


def _recruitment(table: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    shortlisted = _expand(table, "shortlisted")
    rank = shortlisted.groupby(["year", "org_code", "ethnicity"]).cumcount()
    appointed = rank < shortlisted["appointed"]
    rejected = _expand(table.assign(k=table["shortlisted"] // 2), "k")
    rows = pd.concat(
        [shortlisted.assign(s="Y", a=np.where(appointed, "Y", "N")), rejected.assign(s="N", a="N")],
        ignore_index=True,
    )
    out = pd.DataFrame(
        {
            "Application Id": [f"APP{i:08d}" for i in range(len(rows))],
            "Organisation Code": rows["org_code"],
            "Shortlisting Date": _financial_dates(rows["year"].to_numpy(), rng),
            "Ethnic Origin": _spell_ethnicity(rows["ethnicity"].to_numpy(), rng),
            "Shortlisted": rows["s"],
            "Appointed": rows["a"],
        }
    )
    return (
        out.sample(frac=1.0, random_state=rng.integers(2**31))
        .reset_index(drop=True)
        .assign(Synthetic="yes")
    )


def _people_events(
    table: pd.DataFrame, count: str, prefix: str, rng: np.random.Generator
) -> pd.DataFrame:
    """One row per person counted, repeated 1-3 times (people, not events, are counted)."""
    people = _expand(table, count)
    people["person"] = (
        prefix
        + people["org_code"]
        + people["year"].astype(str)
        + people.groupby(["year", "org_code"]).cumcount().map("{:06d}".format)
    )
    repeats = rng.integers(1, 4, len(people))
    return people.loc[people.index.repeat(repeats)].reset_index(drop=True)


def _disciplinary(table: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    formal = _people_events(table, "entered_process", "C", rng).assign(t="Disciplinary", s="Formal")
    informal = _people_events(table.assign(k=table["entered_process"]), "k", "I", rng)
    informal = informal.assign(t="Disciplinary", s="Informal")
    grievance = _people_events(table.assign(k=table["entered_process"] // 2), "k", "G", rng)
    grievance = grievance.assign(t="Grievance", s="Formal")
    rows = pd.concat([formal, informal, grievance], ignore_index=True)
    out = pd.DataFrame(
        {
            "Case Id": [f"CASE{i:07d}" for i in range(len(rows))],
            "Unique Nhs Identifier": rows["person"],
            "Organisation Code": rows["org_code"],
            "Ethnic Origin": _spell_ethnicity(rows["ethnicity"].to_numpy(), rng),
            "Case Type": rows["t"],
            "Stage": rows["s"],
            "Date Opened": _financial_dates(rows["year"].to_numpy(), rng),
        }
    )
    return _consistent(out, rng)


def _training(table: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    courses = _people_events(table, "accessed_training", "T", rng).assign(m="N")
    mandatory = _people_events(table.assign(k=table["headcount"] // 4), "k", "M", rng)
    rows = pd.concat([courses, mandatory.assign(m="Y")], ignore_index=True)
    titles = np.where(
        rows["m"] == "Y",
        _pick(rng, ("Fire Safety", "Information Governance", "Basic Life Support"), len(rows)),
        _pick(
            rng,
            (
                "Leadership Programme",
                "Clinical Skills Update",
                "Coaching Skills",
                "Quality Improvement",
            ),
            len(rows),
        ),
    )
    out = pd.DataFrame(
        {
            "Unique Nhs Identifier": rows["person"],
            "Organisation Code": rows["org_code"],
            "Ethnic Origin": _spell_ethnicity(rows["ethnicity"].to_numpy(), rng),
            "Course Title": titles,
            "Mandatory": rows["m"],
            "Completion Date": _financial_dates(rows["year"].to_numpy(), rng),
        }
    )
    return _consistent(out, rng)


def _consistent(out: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """One ethnicity spelling per person (a person's rows agree), rows shuffled."""
    first = out.groupby("Unique Nhs Identifier")["Ethnic Origin"].transform("first")
    out = out.assign(**{"Ethnic Origin": first})
    return (
        out.sample(frac=1.0, random_state=rng.integers(2**31))
        .reset_index(drop=True)
        .assign(Synthetic="yes")
    )


def default_organisations(tables: dict[str, pd.DataFrame]) -> list[str]:
    """The :data:`RECORD_ORGANISATIONS` smallest organisations that report every table in
    every year, with White and BME people counted in every indicator's numerator each year
    above the range the default disclosure rule suppresses, so that every relative
    likelihood is defined and every organisation can be shown on the report's funnel charts
    (a smaller trust's report is built too, but with its points withheld)."""
    from wres_analysis.disclosure import DisclosureRule

    from .organisations import organisation_profiles

    above = DisclosureRule().max_count
    profiles = organisation_profiles()
    gaps = {g.org_code for g in table_gaps(profiles)}
    workforce = tables["workforce"]
    years = workforce["year"].nunique()
    sizes = workforce.groupby("org_code").agg(n=("headcount", "sum"), y=("year", "nunique"))
    steady = set(sizes[(sizes["y"] == years) & ~sizes.index.isin(gaps)].index)
    for name, count in (
        ("recruitment", "appointed"),
        ("disciplinary", "entered_process"),
        ("training", "accessed_training"),
    ):
        frame = tables[name]
        compared = frame[frame["ethnicity"].isin(["White", "BME"])]
        cells = compared[compared[count] > above].groupby("org_code").size()
        steady &= set(cells[cells == 2 * years].index)
    ranked = sizes.loc[sorted(steady)].sort_values("n")
    return sorted(ranked.index[:RECORD_ORGANISATIONS])


def record_level_tables(
    seed: int = DEFAULT_SEED, organisations: list[str] | None = None
) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    """(the aggregate demo tables of the chosen organisations, the record-level files)."""
    tables = generate_demo_tables(seed, detail=False)
    codes = organisations or default_organisations(tables)
    unknown = sorted(set(codes) - set(tables["organisations"]["org_code"]))
    if unknown:
        raise ValueError(f"not organisations of the demo: {', '.join(unknown)}")
    subset = {
        name: frame[frame["org_code"].isin(codes)].reset_index(drop=True)
        for name, frame in tables.items()
    }
    rng = np.random.default_rng([seed, 99])
    records = {
        "staff-in-post": _staff(subset["workforce"], subset["board"], rng),
        "recruitment": _recruitment(subset["recruitment"], rng),
        "disciplinary": _disciplinary(subset["disciplinary"], rng),
        "training": _training(subset["training"], rng),
    }
    return subset, records


def write_record_level(
    out_dir: Path, seed: int = DEFAULT_SEED, organisations: list[str] | None = None
) -> Path:
    """Write the record-level demo into ``out_dir`` (see the module docstring)."""
    subset, records = record_level_tables(seed, organisations)
    out_dir = Path(out_dir)
    folder = out_dir / "records"
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in records.items():
        frame.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n", encoding="utf-8")
    for name, text in MAPS.items():
        (folder / name).write_text(text, encoding="utf-8", newline="\n")
    for name in ("organisations", "staff_survey"):
        subset[name].to_csv(out_dir / f"{name}.csv", index=False, lineterminator="\n")
    codes = ", ".join(sorted(subset["organisations"]["org_code"]))
    (out_dir / "README.md").write_text(
        _README.format(codes=codes, seed=seed), encoding="utf-8", newline="\n"
    )
    return out_dir


_README = """\
# SYNTHETIC RECORD-LEVEL WRES DEMO DATA: NOT REAL, NOT OFFICIAL STATISTICS

Every record in this folder is **synthetic**: fictional people in fictional organisations
({codes}), drawn at random (seed {seed}) so that importing them gives the aggregate demo
tables of those organisations exactly. Every record says `Synthetic: yes`.

`records/` holds one row per assignment (`staff-in-post.csv`, ESR-like), application
(`recruitment.csv`), case (`disciplinary.csv`) and course (`training.csv`), and a map file for
each importer. `organisations.csv` and `staff_survey.csv` are the aggregate tables (survey
results are published aggregated). Import them into this folder, then validate:

```bash
cd records
wres import staff-in-post staff-in-post.csv --map staff-in-post.yaml --out ..
wres import events recruitment.csv --kind recruitment --map recruitment.yaml --out ..
wres import events disciplinary.csv --kind disciplinary --map disciplinary.yaml \\
    --staff .. --out ..
wres import events training.csv --kind training --map training.yaml --staff .. --out ..
cd ..
wres validate .
```
"""
