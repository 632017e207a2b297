"""Importing the SYNTHETIC record-level demo gives the aggregate demo tables exactly (issue 12).

The record-level files are written from the aggregate tables one person (application, case,
course) per counted unit, plus rows every rule must leave out (second assignments, bank and
inactive assignments, non-shortlisted applications, informal and grievance cases, mandatory
courses, repeated cases and courses of one person). The oracle is the aggregate demo tables
themselves, generated independently of the importers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from wres_analysis.cli import main
from wres_analysis.data import load_dataset
from wres_analysis.demo.records import record_level_tables

#: Three small organisations (the default ones are larger, so that a report on them shows
#: every funnel point; these keep the test fast).
ORGANISATIONS = ["RHW", "RM8", "RZR"]


@pytest.fixture(scope="module")
def demo() -> tuple[dict, dict]:
    return record_level_tables(organisations=ORGANISATIONS)


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("record-level")
    codes = [arg for code in ORGANISATIONS for arg in ("--organisation", code)]
    assert main(["demo-data", str(folder), "--record-level", *codes]) == 0
    records = folder / "records"
    steps = [
        [
            "staff-in-post",
            str(records / "staff-in-post.csv"),
            "--map",
            str(records / "staff-in-post.yaml"),
        ],
        [
            "events",
            str(records / "recruitment.csv"),
            "--kind",
            "recruitment",
            "--map",
            str(records / "recruitment.yaml"),
        ],
        [
            "events",
            str(records / "disciplinary.csv"),
            "--kind",
            "disciplinary",
            "--map",
            str(records / "disciplinary.yaml"),
            "--staff",
            str(folder),
        ],
        [
            "events",
            str(records / "training.csv"),
            "--kind",
            "training",
            "--map",
            str(records / "training.yaml"),
            "--staff",
            str(folder),
        ],
    ]
    for step in steps:
        assert main(["import", *step, "--out", str(folder), "--quiet"]) == 0, step
    return folder


@pytest.mark.parametrize(
    "table", ["organisations", "workforce", "board", "recruitment", "disciplinary", "training"]
)
def test_importing_the_record_level_demo_reproduces_the_demo_tables(
    imported: Path, demo: tuple[dict, dict], table: str
) -> None:
    subset, _ = demo
    expected = subset[table].to_csv(index=False, lineterminator="\n")
    written = (imported / f"{table}.csv").read_text(encoding="utf-8")
    assert sorted(written.splitlines()) == sorted(expected.splitlines())
    assert written.splitlines()[0] == expected.splitlines()[0]


def test_the_imported_folder_is_a_valid_synthetic_dataset(imported: Path) -> None:
    dataset = load_dataset(imported)
    assert dataset.is_synthetic
    assert set(dataset["workforce"]["org_code"]) == set(dataset["organisations"]["org_code"])


def test_the_records_hold_rows_the_rules_must_leave_out(demo: tuple[dict, dict]) -> None:
    """The demo would reproduce the tables trivially if no row needed a rule."""
    _, records = demo
    staff = records["staff-in-post"]
    assert (staff["Asg Type Of Contract"] == "Bank").any()
    assert (staff["Primary Assignment"] == "N").any()
    assert (staff["Status"] == "Inactive Assignment").any()
    assert (staff["Board Member"] == "Y").any()
    assert staff["Pay Band"].isin(["XR05", "Band 8 - Range A", "Apprentice/Band 1"]).any()
    cases = records["disciplinary"]
    assert cases["Unique Nhs Identifier"].duplicated().any()
    assert (cases["Stage"] == "Informal").any()
    assert (records["training"]["Mandatory"] == "Y").any()
    assert (records["recruitment"]["Shortlisted"] == "N").any()
