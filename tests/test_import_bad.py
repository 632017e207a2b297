"""Bad record-level input (issue 12): exit 1, a message naming the file, the row and the
column, and nothing written."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from wres_analysis.cli import main

HEADER = [
    "Unique Nhs Identifier",
    "Organisation Code",
    "Snapshot Date",
    "Ethnic Origin",
    "Staff Group",
    "Pay Band",
    "Asg Type Of Contract",
    "Status",
    "Assignment Number",
]


def good_row(person: str, **changes: str) -> list[str]:
    row = dict(
        zip(
            HEADER,
            [
                person,
                "R1A",
                "2024-03-31",
                "A",
                "Nursing and Midwifery Registered",
                "Band 5",
                "Permanent",
                "Active Assignment",
                f"{person}-1",
            ],
            strict=True,
        )
    )
    row.update(changes)
    return list(row.values())


def write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


BAD = {
    "person in two organisations": (
        [
            good_row("1"),
            good_row("2"),
            good_row("2", **{"Organisation Code": "R1B", "Assignment Number": "2-2"}),
        ],
        3,
        "Unique Nhs Identifier",
        "is in 2 organisations (R1A, R1B)",
    ),
    "a date outside the year": (
        [good_row("1"), good_row("2", **{"Snapshot Date": "2024-04-30"})],
        3,
        "Snapshot Date",
        "is not a 31 March snapshot",
    ),
    "not a date": (
        [good_row("1", **{"Snapshot Date": "March 2024"})],
        2,
        "Snapshot Date",
        "is not a date",
    ),
    "an unmapped staff group": (
        [good_row("1"), good_row("2", **{"Staff Group": "Porters"})],
        3,
        "Staff Group",
        "is not a staff group the importer reads",
    ),
    "an unmapped band": (
        [good_row("1"), good_row("2", **{"Pay Band": "Band 8"})],
        3,
        "Pay Band",
        "is not a band or grade the importer reads",
    ),
    "a duplicate person-assignment": (
        [good_row("1"), good_row("2"), good_row("2")],
        3,
        "Unique Nhs Identifier",
        "has the same assignment 2 times",
    ),
    "an ethnicity not safe to read": (
        [good_row("1", **{"Ethnic Origin": "T"}), good_row("2", **{"Ethnic Origin": "T"})],
        2,
        "Ethnic Origin",
        '"T" (in 2 rows; this is the first)',
    ),
    "an empty person": ([good_row("1"), good_row("")], 3, "Unique Nhs Identifier", "is empty"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_records_exit_1_naming_file_row_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    rows, row, column, message = BAD[case]
    path = write(tmp_path / "extract.csv", rows)
    out = tmp_path / "out"
    code = main(["import", "staff-in-post", str(path), "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert code == 1
    assert f"extract.csv, row {row}, column '{column}': " in err, err
    assert message in err, err
    assert "Traceback" not in err
    assert not out.exists() or not any(out.iterdir())


def test_rows_are_counted_as_a_spreadsheet_counts_them(tmp_path: Path, capsys) -> None:
    """A title row above the header, a blank line and a cell spanning two lines keep the
    spreadsheet's row numbers."""
    path = tmp_path / "extract.csv"
    body = [good_row("1"), good_row("2"), good_row("3", **{"Pay Band": "Band 8"})]
    lines = ["Staff in post at 31 March 2024", ",".join(HEADER)]
    lines += [
        ",".join(body[0]),
        "",
        '"2",R1A,2024-03-31,A,"Nursing and Midwifery\nRegistered",'
        "Band 5,Permanent,Active Assignment,2-1",
        ",".join(body[2]),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["import", "staff-in-post", str(path), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    # Line 2 of the staff group cell sets an unknown group too; the band is on line 7.
    assert "extract.csv, row 7, column 'Pay Band'" in err, err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"name,colour\nfox,red\n", "has no recognisable columns"),
        (b"\x00\x01\x02binary\x00" * 100, "contains binary data"),
        (b"PK\x03\x04rest of a zip", "it is an XLSX workbook or a ZIP archive"),
    ],
    ids=["empty", "no recognisable columns", "binary", "zip named csv"],
)
def test_unreadable_files_exit_1_and_write_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    path = tmp_path / "extract.csv"
    path.write_bytes(content)
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("untouched", encoding="utf-8")
    code = main(["import", "staff-in-post", str(path), "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert code == 1
    assert "extract.csv" in err and message in err, err
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


def test_a_row_with_an_extra_cell_names_its_row(tmp_path: Path, capsys) -> None:
    path = write(tmp_path / "extract.csv", [good_row("1"), good_row("2"), good_row("3") + ["x"]])
    assert main(["import", "staff-in-post", str(path), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "extract.csv, row 4: has 10 cells where the header has 9" in err, err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_map_naming_a_missing_column_is_refused(tmp_path: Path, capsys) -> None:
    path = write(tmp_path / "extract.csv", [good_row("1")])
    (tmp_path / "map.yaml").write_text("columns: {grade: Grade Code}\n", encoding="utf-8")
    code = main(
        [
            "import",
            "staff-in-post",
            str(path),
            "--map",
            str(tmp_path / "map.yaml"),
            "--out",
            str(tmp_path / "out"),
        ]
    )
    assert code == 1
    assert 'has no column "Grade Code", which the map' in capsys.readouterr().err


def test_a_map_with_an_unknown_field_is_refused(tmp_path: Path, capsys) -> None:
    path = write(tmp_path / "extract.csv", [good_row("1")])
    (tmp_path / "map.yaml").write_text("columns: {band: Pay Band}\n", encoding="utf-8")
    code = main(
        [
            "import",
            "staff-in-post",
            str(path),
            "--map",
            str(tmp_path / "map.yaml"),
            "--out",
            str(tmp_path / "out"),
        ]
    )
    assert code == 1
    assert "'band' is not a field of this importer" in capsys.readouterr().err


def test_a_map_entry_the_importer_would_not_use_is_refused(tmp_path: Path, capsys) -> None:
    """exclude: staff_group would otherwise be accepted and do nothing."""
    path = write(tmp_path / "extract.csv", [good_row("1")])
    (tmp_path / "map.yaml").write_text("exclude: {staff_group: [Students]}\n", encoding="utf-8")
    code = main(
        [
            "import",
            "staff-in-post",
            str(path),
            "--map",
            str(tmp_path / "map.yaml"),
            "--out",
            str(tmp_path / "out"),
        ]
    )
    assert code == 1
    assert "exclude: 'staff_group' is not used by this importer" in capsys.readouterr().err


def test_import_without_an_importer_is_a_usage_error(capsys) -> None:
    assert main(["import"]) == 2
    assert main(["import", "events", "x.csv", "--out", "o"]) == 2  # --kind is required
