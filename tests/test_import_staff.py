"""``wres import staff-in-post`` and ``wres import events`` on hand-built record files.

Every expected count is worked out by hand from the rows written here (who is in post, who
is bank, which assignment is primary), not from the importer.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from wres_analysis.cli import main
from wres_analysis.data import load_dataset
from wres_analysis.importers.dates import financial_year, snapshot_year
from wres_analysis.importers.defaults import read_grade

ORGS = """org_code,org_name,region,org_type
R1A,Alpha Hospitals NHS Trust,London,Acute
"""


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def run(*args: str | Path) -> int:
    return main(["import", *map(str, args), "--quiet"])


# A trust's own export: other headers, other spellings, mapped by MAP.
HEADER = [
    "Staff Number",
    "Trust",
    "Census",
    "Ethnic Group Desc",
    "Occ Group",
    "AfC",
    "Contract",
    "Asg Status",
    "FTE",
    "Main Job",
]
ROWS = [
    # person, org, date, ethnicity, group, band, contract, status, fte, primary
    [
        "1",
        "R1A",
        "31/03/2024",
        "White - British",
        "Admin & Clerical",
        "B5",
        "Perm",
        "Active Assignment",
        "1",
        "Yes",
    ],
    [
        "2",
        "R1A",
        "31/03/2024",
        "Asian or Asian British - Indian",
        "Admin & Clerical",
        "B5",
        "Perm",
        "Active Assignment",
        "1",
        "Yes",
    ],
    [
        "3",
        "R1A",
        "31/03/2024",
        "WB",
        "Nursing",
        "Band 8 - Range A",
        "Perm",
        "Active Assignment",
        "0.6",
        "No",
    ],
    # person 3 again: counted once, on the post marked primary, though the other has more FTE
    [
        "3",
        "R1A",
        "31/03/2024",
        "WB",
        "Nursing",
        "Band 6",
        "Perm",
        "Active Assignment",
        "0.4",
        "Yes",
    ],
    [
        "4",
        "R1A",
        "31/03/2024",
        "Black or Black British - African",
        "Nursing",
        "XR05",
        "Bank",
        "Active Assignment",
        "1",
        "Yes",
    ],
    ["5", "R1A", "31/03/2024", "Not stated", "Nursing", "XR05", "Perm", "Suspended", "1", "Yes"],
    ["6", "R1A", "31/03/2024", "N", "Nursing", "XR05", "Fixed", "Acting Up", "1", "Yes"],
    ["7", "R1A", "31/03/2023", "N", "Nursing", "XR05", "Perm", "Active Assignment", "1", "Yes"],
]
MAP = """\
columns:
  person_id: Staff Number
  org_code: Trust
  snapshot_date: Census
  ethnicity: Ethnic Group Desc
  staff_group: Occ Group
  grade: AfC
  assignment_type: Contract
  status: Asg Status
  fte: FTE
  primary: Main Job
values:
  occupation: {Admin & Clerical: non-clinical, Nursing: clinical}
  grade: {B5: Band 5}
  ethnicity: {WB: A}
exclude:
  assignment_type: [Bank]
"""


@pytest.fixture
def trust(tmp_path: Path) -> Path:
    write_csv(tmp_path / "extract.csv", HEADER, ROWS)
    (tmp_path / "map.yaml").write_text(MAP, encoding="utf-8")
    (tmp_path / "organisations.csv").write_text(ORGS, encoding="utf-8")
    return tmp_path


def test_a_map_reads_other_headers_and_spellings(trust: Path) -> None:
    out = trust / "out"
    code = run(
        "staff-in-post",
        trust / "extract.csv",
        "--map",
        trust / "map.yaml",
        "--organisations",
        trust / "organisations.csv",
        "--out",
        out,
        "--year",
        "2024",
    )
    assert code == 0
    table = pd.read_csv(out / "workforce.csv", dtype=str)
    got = {tuple(r[:5]): int(r[5]) for r in table.itertuples(index=False)}
    # 1 (A, non-clinical Band 5), 2 (H, non-clinical Band 5), 3 counted once on the primary
    # Band 6 post, 4 bank (left out), 5 suspended (not active), 6 acting up (counted), 7 is
    # the 2023 snapshot (another year).
    assert got == {
        ("2024", "R1A", "non-clinical", "Band 5", "A"): 1,
        ("2024", "R1A", "non-clinical", "Band 5", "H"): 1,
        ("2024", "R1A", "clinical", "Band 6", "A"): 1,
        ("2024", "R1A", "clinical", "Band 5", "N"): 1,
    }


def test_the_summary_says_what_was_left_out_and_why(
    trust: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(
        "staff-in-post",
        trust / "extract.csv",
        "--map",
        trust / "map.yaml",
        "--organisations",
        trust / "organisations.csv",
        "--out",
        trust / "out",
        "--year",
        "2024",
    )
    out = capsys.readouterr().out
    assert "Read 8 rows" in out
    assert "1  bank or excluded contract ('Bank')" in out
    assert "1  not an active assignment (status 'Suspended')" in out
    assert "1  out of year" in out
    assert "1  further assignments of a person counted once" in out
    assert "4  people in workforce" in out


def test_without_organisations_a_stub_is_written_and_said(trust: Path, capsys) -> None:
    out = trust / "out"
    assert (
        run("staff-in-post", trust / "extract.csv", "--map", trust / "map.yaml", "--out", out) == 0
    )
    stub = pd.read_csv(out / "organisations.csv", dtype=str, keep_default_na=False)
    assert stub.to_dict("records") == [
        {"org_code": "R1A", "org_name": "R1A", "region": "", "org_type": ""}
    ]
    assert "organisations.csv is a stub" in capsys.readouterr().out


def test_group_detail_writes_white_bme_unknown(trust: Path) -> None:
    out = trust / "out"
    assert (
        run(
            "staff-in-post",
            trust / "extract.csv",
            "--map",
            trust / "map.yaml",
            "--organisations",
            trust / "organisations.csv",
            "--out",
            out,
            "--ethnicity-detail",
            "group",
        )
        == 0
    )
    table = pd.read_csv(out / "workforce.csv")
    totals = table.groupby(["year", "ethnicity"])["headcount"].sum().to_dict()
    assert totals == {(2023, "BME"): 1, (2024, "White"): 2, (2024, "BME"): 2}


def test_an_event_import_counts_people_against_the_staff(trust: Path) -> None:
    staff = trust / "out"
    assert (
        run(
            "staff-in-post",
            trust / "extract.csv",
            "--map",
            trust / "map.yaml",
            "--organisations",
            trust / "organisations.csv",
            "--out",
            staff,
            "--ethnicity-detail",
            "group",
        )
        == 0
    )
    cases = write_csv(
        trust / "cases.csv",
        ["Person", "Org Code", "Ethnicity", "Stage", "Date Opened"],
        [
            ["1", "R1A", "A", "Formal", "2023-05-01"],
            ["1", "R1A", "A", "Formal", "2024-01-10"],  # the same person again: counted once
            ["2", "R1A", "H", "Informal", "2023-06-01"],  # informal: left out by the map
            ["6", "R1A", "N", "Formal", "2024-04-01"],  # report year 2025: not imported
        ],
    )
    (trust / "cases.yaml").write_text(
        "columns: {person_id: Person}\ninclude: {stage: [Formal]}\n", encoding="utf-8"
    )
    code = run(
        "events",
        cases,
        "--kind",
        "disciplinary",
        "--map",
        trust / "cases.yaml",
        "--staff",
        staff,
        "--out",
        staff,
        "--year",
        "2024",
        "--ethnicity-detail",
        "group",
    )
    assert code == 0
    table = pd.read_csv(staff / "disciplinary.csv")
    rows = {r.ethnicity: (r.headcount, r.entered_process) for r in table.itertuples()}
    assert rows == {"White": (2, 1), "BME": (2, 0), "Unknown": (0, 0)}


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        ("Band 8A", "Band 8a"),
        ("Band 8 - Range C", "Band 8c"),
        ("8a", "Band 8a"),
        ("XR05", "Band 5"),
        ("Apprentice/Band 1", "Band 1"),
        ("band 9", "Band 9"),
        ("Very Senior Manager", "VSM"),
        ("Band 8", None),
        ("XR08", None),
        ("Band 10", None),
    ],
)
def test_band_spellings(text: str, grade: str | None) -> None:
    assert read_grade(text) == grade


def test_dates_read_to_report_years() -> None:
    assert snapshot_year("2024-03-31") == 2024
    assert snapshot_year("202403") == 2024
    assert snapshot_year("31/03/2024") == 2024
    assert isinstance(snapshot_year("2024-04-30"), str)  # not a 31 March snapshot
    assert financial_year("2023-04-01") == 2024
    assert financial_year("31/03/2024") == 2024
    assert financial_year("2024-04-01") == 2025
    assert isinstance(financial_year("03/31/2024"), str)  # month-first is not read


def test_the_output_passes_validate(trust: Path) -> None:
    """The importer's tables load with the contract's loader (the other tables from the
    small dataset of the other tests)."""
    from tests.conftest import SMALL_TABLES

    out = trust / "out"
    out.mkdir()
    for name, text in SMALL_TABLES.items():
        if name not in ("workforce", "board"):
            (out / f"{name}.csv").write_text(text, encoding="utf-8")
    (out / "board.csv").write_text(SMALL_TABLES["board"], encoding="utf-8")
    assert (
        run(
            "staff-in-post",
            trust / "extract.csv",
            "--map",
            trust / "map.yaml",
            "--out",
            out,
            "--year",
            "2024",
        )
        == 0
    )
    dataset = load_dataset(out)
    assert int(dataset["workforce"]["headcount"].sum()) == 4
