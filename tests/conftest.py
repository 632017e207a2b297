"""Shared fixtures: a small valid dataset written as CSV files, and the shared reference folder."""

from __future__ import annotations

from pathlib import Path

import pytest

#: ../shared/reference beside the checkout (absent in some clones: tests using it skip).
SHARED_REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"

#: A tiny dataset that meets the contract: two organisations, one report year.
SMALL_TABLES: dict[str, str] = {
    "organisations": """org_code,org_name,region,org_type
R1A,Alpha Hospitals NHS Trust,London,Acute
R1B,Beta Community NHS Trust,South West,Community
""",
    "workforce": """year,org_code,occupation,grade,ethnicity,headcount
2024,R1A,clinical,Band 5,White,1200
2024,R1A,clinical,Band 5,BME,800
2024,R1A,clinical,Band 8a,White,90
2024,R1A,clinical,Band 8a,BME,30
2024,R1A,non-clinical,Band 3,White,400
2024,R1A,non-clinical,Band 3,BME,200
2024,R1A,medical and dental,Consultant,White,150
2024,R1A,medical and dental,Consultant,BME,120
2024,R1A,clinical,Band 5,Unknown,40
2024,R1B,clinical,Band 5,White,300
2024,R1B,clinical,Band 5,BME,20
2024,R1B,non-clinical,VSM,White,6
""",
    "recruitment": """year,org_code,ethnicity,shortlisted,appointed
2024,R1A,White,900,200
2024,R1A,BME,1100,150
2024,R1B,White,120,30
2024,R1B,BME,15,2
""",
    "disciplinary": """year,org_code,ethnicity,headcount,entered_process
2024,R1A,White,1840,12
2024,R1A,BME,1150,11
2024,R1B,White,306,3
2024,R1B,BME,20,0
""",
    "training": """year,org_code,ethnicity,headcount,accessed_training
2024,R1A,White,1840,1100
2024,R1A,BME,1150,600
2024,R1B,White,306,200
2024,R1B,BME,20,11
""",
    "staff_survey": """year,org_code,indicator,ethnicity,respondents,count
2024,R1A,5,White,800,200
2024,R1A,5,BME,500,150
2024,R1A,7,White,800,440
2024,R1A,7,BME,500,220
2024,R1B,5,White,150,30
2024,R1B,5,BME,10,3
""",
    "board": """year,org_code,ethnicity,voting,executive,headcount
2024,R1A,White,yes,yes,5
2024,R1A,H,yes,no,2
2024,R1A,A,no,yes,1
2024,R1B,White,yes,yes,7
""",
}


def write_tables(folder: Path, tables: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def small_dataset(tmp_path: Path) -> Path:
    """A folder holding a small valid dataset as CSV files."""
    return write_tables(tmp_path / "data", SMALL_TABLES)


def write_small_demo(folder: Path, last_year: int = 2025) -> Path:
    """Six organisations in three regions, report years 2019 to ``last_year``, cut from the
    synthetic demo data: small enough to build reports in seconds, rich enough for trends,
    regions, small counts to suppress and funnels."""
    from wres_analysis.demo import generate_demo_tables

    tables = generate_demo_tables()
    organisations = tables["organisations"]
    chosen = []
    for region in ("London", "South West", "Midlands"):
        codes = organisations.loc[organisations["region"] == region, "org_code"].sort_values()
        chosen.extend(codes.iloc[:2])
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame = frame[frame["org_code"].isin(chosen)]
        if "year" in frame:
            frame = frame[frame["year"].between(2019, last_year)]
        frame.to_csv(folder / f"{name}.csv", index=False)
    return folder
