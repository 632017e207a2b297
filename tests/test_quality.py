"""Data-quality tables on the small fixture dataset."""

from __future__ import annotations

from pathlib import Path

from wres_analysis.data import load_dataset
from wres_analysis.quality import (
    coverage,
    missing_tables,
    unknown_ethnicity_by_year,
    validation_findings,
)


def test_missing_tables_lists_gaps_inside_reported_years(small_dataset: Path) -> None:
    text = (small_dataset / "training.csv").read_text().splitlines()
    kept = [line for line in text if ",R1B," not in line]
    (small_dataset / "training.csv").write_text("\n".join(kept) + "\n")
    dataset = load_dataset(small_dataset)
    gaps = missing_tables(dataset)
    assert gaps[["year", "org_code", "missing_table"]].values.tolist() == [
        [2024, "R1B", "training"]
    ]
    assert gaps["org_name"].iloc[0] == "Beta Community NHS Trust"
    cover = coverage(dataset).set_index("table")
    assert cover.loc["training", "organisations"] == 1
    assert cover.loc["recruitment", "organisations"] == 2


def test_unknown_ethnicity_is_counted(small_dataset: Path) -> None:
    table = unknown_ethnicity_by_year(load_dataset(small_dataset)).set_index("table")
    assert table.loc["workforce", "unknown"] == 40
    assert table.loc["workforce", "pct_unknown"] == 100 * 40 / (3316 + 40)
    assert table.loc["recruitment", "unknown"] == 0


def test_findings_record_ignored_files_and_encoding(small_dataset: Path) -> None:
    (small_dataset / "README.md").write_text("notes")
    text = (small_dataset / "organisations.csv").read_text().replace("Alpha", "Caf\u00e9")
    (small_dataset / "organisations.csv").write_bytes(text.encode("cp1252"))
    findings = validation_findings(load_dataset(small_dataset))
    messages = dict(zip(findings["file"], findings["finding"], strict=True))
    assert "Windows-1252" in messages["organisations.csv"]
    assert "ignored" in messages["README.md"]
