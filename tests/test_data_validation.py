"""``wres validate`` and ``load_dataset``: every problem kind names the file, row and column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import SMALL_TABLES, write_tables
from wres_analysis.cli import main
from wres_analysis.data import DataValidationError, load_dataset


def _replace(table: str, old: str, new: str) -> dict[str, str]:
    text = SMALL_TABLES[table]
    if old not in text:
        raise AssertionError(f"fixture text {old!r} not in {table}")
    return {**SMALL_TABLES, table: text.replace(old, new, 1)}


# Each case: the tables, then what the message must name: file, row, column, and a phrase.
CASES = {
    "missing table": (
        {k: v for k, v in SMALL_TABLES.items() if k != "training"},
        ("data", None, None, "table 'training' is missing"),
    ),
    "missing column": (
        _replace("recruitment", "shortlisted,appointed", "shortlisted,hired"),
        ("recruitment.csv", None, "appointed", "is missing"),
    ),
    "non-integer count": (
        _replace("workforce", "Band 5,BME,800", "Band 5,BME,800.5"),
        ("workforce.csv", 3, "headcount", "not a whole number"),
    ),
    "text count": (
        _replace("workforce", "Band 5,BME,800", "Band 5,BME,lots"),
        ("workforce.csv", 3, "headcount", "not a number"),
    ),
    "negative count": (
        _replace("training", "R1B,BME,20,11", "R1B,BME,20,-11"),
        ("training.csv", 5, "accessed_training", "negative"),
    ),
    "percentage instead of count": (
        _replace("training", "R1B,BME,20,11", "R1B,BME,20,55%"),
        ("training.csv", 5, "accessed_training", "percentage"),
    ),
    "appointed above shortlisted": (
        _replace("recruitment", "R1B,BME,15,2", "R1B,BME,15,20"),
        ("recruitment.csv", 5, "appointed", "more than shortlisted"),
    ),
    "entered above headcount": (
        _replace("disciplinary", "R1A,BME,1150,11", "R1A,BME,10,11"),
        ("disciplinary.csv", 3, "entered_process", "more than headcount"),
    ),
    "survey count above respondents": (
        _replace("staff_survey", "R1B,5,BME,10,3", "R1B,5,BME,10,30"),
        ("staff_survey.csv", 7, "count", "more than respondents"),
    ),
    "duplicate key": (
        {**SMALL_TABLES, "recruitment": SMALL_TABLES["recruitment"] + "2024,R1A,white,5,1\n"},
        ("recruitment.csv", 6, None, "repeats the key"),
    ),
    "org_code not in organisations": (
        _replace("board", "R1B,White", "R9Z,White"),
        ("board.csv", 5, "org_code", "not an org_code listed"),
    ),
    "unknown region": (
        _replace("organisations", "London", "Londinium"),
        ("organisations.csv", 2, "region", "expected one of"),
    ),
    "unknown org_type": (
        _replace("organisations", ",Community\n", ",Hospice\n"),
        ("organisations.csv", 3, "org_type", "expected one of"),
    ),
    "unknown grade": (
        _replace("workforce", "Band 8a,White", "Band 10,White"),
        ("workforce.csv", 4, "grade", "expected one of"),
    ),
    "grade of the wrong occupation": (
        _replace("workforce", "medical and dental,Consultant,White", "clinical,Consultant,White"),
        ("workforce.csv", 8, "grade", "not a grade for clinical staff"),
    ),
    "unknown occupation": (
        _replace("workforce", "non-clinical,Band 3,BME", "admin,Band 3,BME"),
        ("workforce.csv", 7, "occupation", "expected one of"),
    ),
    "unknown indicator": (
        _replace("staff_survey", "2024,R1A,7,BME", "2024,R1A,9,BME"),
        ("staff_survey.csv", 5, "indicator", "expected one of: 5, 6, 7, 8"),
    ),
    "unknown ethnicity": (
        _replace("disciplinary", "R1B,BME", "R1B,Martian"),
        ("disciplinary.csv", 5, "ethnicity", "not an ethnicity"),
    ),
    "year that is not a year": (
        _replace("training", "2024,R1A,White", "24/25,R1A,White"),
        ("training.csv", 2, "year", "not a year"),
    ),
    "board flag not yes/no": (
        _replace("board", "R1A,White,yes,yes", "R1A,White,maybe,yes"),
        ("board.csv", 2, "voting", "expected yes or no"),
    ),
    "empty table": (
        {**SMALL_TABLES, "training": "year,org_code,ethnicity,headcount,accessed_training\n"},
        ("training.csv", None, None, "has no records"),
    ),
    "empty file": (
        {**SMALL_TABLES, "training": ""},
        ("training.csv", None, None, "is empty"),
    ),
}


def _expected_text(file: str, row: int | None, column: str | None) -> str:
    parts = [file]
    if row is not None:
        parts.append(f"row {row}")
    if column is not None:
        parts.append(f"column {column!r}")
    return ", ".join(parts)


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_problem_kind_is_reported_with_file_row_and_column(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tables, (file, row, column, phrase) = CASES[case]
    folder = write_tables(tmp_path / "data", tables)

    assert main(["validate", str(folder)]) == 1

    err = capsys.readouterr().err
    matching = [line for line in err.splitlines() if _expected_text(file, row, column) in line]
    assert matching, f"no line names {_expected_text(file, row, column)!r}:\n{err}"
    assert any(phrase in line for line in matching), err
    assert "Traceback" not in err


def test_unreadable_binary_file_is_a_problem(tmp_path: Path, capsys) -> None:
    folder = write_tables(tmp_path / "data", SMALL_TABLES)
    (folder / "board.csv").write_bytes(b"\x00\x01\x02PK\x03\x04binary")
    assert main(["validate", str(folder)]) == 1
    assert "board.csv: is not a text CSV file" in capsys.readouterr().err


def test_all_problems_are_collected_in_one_pass(tmp_path: Path) -> None:
    tables = _replace("workforce", "Band 5,BME,800", "Band 5,BME,-1")
    tables = {**tables, "recruitment": tables["recruitment"].replace("R1B,BME,15,2", "R1B,BME,1,2")}
    folder = write_tables(tmp_path / "data", tables)
    with pytest.raises(DataValidationError) as caught:
        load_dataset(folder)
    files = {p.file for p in caught.value.problems}
    assert files == {"workforce.csv", "recruitment.csv"}


def test_problem_listing_is_capped_but_everything_counted(tmp_path: Path) -> None:
    rows = "".join(f"2024,R1A,clinical,Band 5,White,-{i}\n" for i in range(1, 60))
    header = "year,org_code,occupation,grade,ethnicity,headcount\n"
    folder = write_tables(tmp_path / "data", {**SMALL_TABLES, "workforce": header + rows})
    with pytest.raises(DataValidationError) as caught:
        load_dataset(folder, max_problems=200)
    text = str(caught.value)
    assert "row 11, column 'headcount'" in text  # the first ten bad rows are listed
    assert "row 12, column 'headcount'" not in text
    assert "49 more rows with the same problem" in text


def test_valid_dataset_summary_and_exit_zero(small_dataset: Path, capsys) -> None:
    assert main(["validate", str(small_dataset)]) == 0
    out = capsys.readouterr().out
    assert "Organisations: 2; report years 2024-2024" in out
    # 40 Unknown of 3,000 + 40 ... workforce headcount: unknown share is shown, not dropped
    assert "workforce" in out and "No problems found" in out


def test_typed_tables_keep_unknown_ethnicity_and_codes(small_dataset: Path) -> None:
    dataset = load_dataset(small_dataset)
    workforce = dataset["workforce"]
    assert workforce["headcount"].dtype == "int64"
    assert workforce["year"].dtype == "int64"
    assert int(workforce.loc[workforce["ethnic_group"] == "Unknown", "headcount"].sum()) == 40
    board = dataset["board"]
    assert list(board["ethnicity"]) == ["White", "H", "A", "White"]
    assert list(board["ethnic_group"]) == ["White", "BME", "White", "White"]
    assert board["voting"].dtype == bool
    unknown = dataset.unknown_ethnicity().set_index("table")
    assert unknown.loc["workforce", "unknown"] == 40
    assert unknown.loc["workforce", "total"] == workforce["headcount"].sum()


def test_spreadsheet_habits_are_read_as_a_user_expects(tmp_path: Path) -> None:
    tables = dict(SMALL_TABLES)
    tables["workforce"] = (
        tables["workforce"]
        .replace("Band 5,White,1200", ' band 5 , WHITE ,"1,200"')
        .replace("Org_code", "org_code")
    )
    tables["organisations"] = tables["organisations"].replace(
        "org_code,org_name", "Org Code ,Org-Name"
    )
    folder = write_tables(tmp_path / "data", tables)
    # UTF-8 BOM, Windows line endings and a blank line in one file
    board = "\ufeff" + SMALL_TABLES["board"].replace("\n", "\r\n") + "\r\n"
    (folder / "board.csv").write_bytes(board.encode("utf-8"))
    dataset = load_dataset(folder)
    row = dataset["workforce"].iloc[0]
    assert (row["grade"], row["ethnicity"], row["headcount"]) == ("Band 5", "White", 1200)
    assert list(dataset["organisations"].columns[:2]) == ["org_code", "org_name"]
    assert len(dataset["board"]) == 4


def test_windows_1252_text_is_read(tmp_path: Path) -> None:
    folder = write_tables(tmp_path / "data", SMALL_TABLES)
    text = SMALL_TABLES["organisations"].replace("Alpha", "Sainte-H\u00e9l\u00e8ne")
    (folder / "organisations.csv").write_bytes(text.encode("cp1252"))
    dataset = load_dataset(folder)
    assert dataset["organisations"]["org_name"].iloc[0].startswith("Sainte-H\u00e9l\u00e8ne")


def test_xlsx_workbook_and_parquet_are_read(tmp_path: Path, small_dataset: Path) -> None:
    workbook = tmp_path / "wres.xlsx"
    frames = {name: pd.read_csv(small_dataset / f"{name}.csv", dtype=str) for name in SMALL_TABLES}
    with pd.ExcelWriter(workbook) as writer:
        for name, frame in frames.items():
            frame.to_excel(
                writer, sheet_name=name.title() if name == "board" else name, index=False
            )
    from_xlsx = load_dataset(workbook)
    from_csv = load_dataset(small_dataset)
    for name in SMALL_TABLES:
        pd.testing.assert_frame_equal(from_xlsx[name], from_csv[name], check_dtype=False)

    folder = tmp_path / "parquet"
    folder.mkdir()
    for name, frame in frames.items():
        typed = frame.copy()
        for column in ("headcount", "shortlisted", "appointed", "year"):
            if column in typed:
                typed[column] = typed[column].astype("int64")
        typed.to_parquet(folder / f"{name}.parquet")
    from_parquet = load_dataset(folder)
    pd.testing.assert_frame_equal(from_parquet["workforce"], from_csv["workforce"])


def test_xlsx_problem_names_the_sheet_and_row(tmp_path: Path, small_dataset: Path) -> None:
    workbook = tmp_path / "wres.xlsx"
    with pd.ExcelWriter(workbook) as writer:
        for name in SMALL_TABLES:
            frame = pd.read_csv(small_dataset / f"{name}.csv", dtype=str)
            if name == "recruitment":
                frame.loc[2, "appointed"] = "999"
            frame.to_excel(writer, sheet_name=name, index=False)
    with pytest.raises(DataValidationError) as caught:
        load_dataset(workbook)
    (problem,) = caught.value.problems
    assert (problem.file, problem.row, problem.column) == (
        "wres.xlsx [sheet 'recruitment']",
        4,
        "appointed",
    )


def test_same_table_twice_is_a_problem(small_dataset: Path) -> None:
    pd.read_csv(small_dataset / "training.csv").to_parquet(small_dataset / "training.parquet")
    with pytest.raises(DataValidationError, match="gives table 'training' again"):
        load_dataset(small_dataset)


def test_fingerprint_changes_with_content(small_dataset: Path) -> None:
    before = load_dataset(small_dataset).fingerprint
    text = (small_dataset / "training.csv").read_text().replace("600", "601")
    (small_dataset / "training.csv").write_text(text)
    assert load_dataset(small_dataset).fingerprint != before


def test_synthetic_flag_is_read(small_dataset: Path) -> None:
    assert not load_dataset(small_dataset).is_synthetic
    orgs = SMALL_TABLES["organisations"].replace("org_type\n", "org_type,synthetic\n")
    orgs = orgs.replace("Acute\n", "Acute,yes\n").replace("Community\n", "Community,yes\n")
    (small_dataset / "organisations.csv").write_text(orgs)
    assert load_dataset(small_dataset).is_synthetic


def test_data_contract_doc_names_every_table_column_and_allowed_value() -> None:
    from wres_analysis.contract import ETHNIC_CODES, ETHNIC_DESCRIPTIONS, TABLES
    from wres_analysis.data.validate import ETHNICITY_DERIVED

    doc = (Path(__file__).resolve().parents[1] / "docs" / "data-contract.md").read_text()
    for spec in TABLES.values():
        assert f"### `{spec.name}`" in doc
        for column in spec.columns:
            assert f"`{column}`" in doc, column
        for allowed in spec.choices.values():
            for value in allowed:
                assert value in doc, value
    for code in ETHNIC_CODES:
        assert f"`{code}`" in doc, code
    for code, description in ETHNIC_DESCRIPTIONS.items():
        assert f"{code} {description}" in " ".join(doc.split()), description
    for column in ETHNICITY_DERIVED:
        assert f"`{column}`" in doc, column
    for refused in ("X", "T", "NA", "NK", "NS", "NO"):
        assert f"`{refused}`" in doc, refused


def test_up_to_drops_later_years(small_dataset: Path) -> None:
    text = (small_dataset / "training.csv").read_text()
    later = "".join(line.replace("2024,", "2025,", 1) + "\n" for line in text.splitlines()[1:])
    (small_dataset / "training.csv").write_text(text + later)
    dataset = load_dataset(small_dataset)
    assert dataset.years == [2024, 2025]
    earlier = dataset.up_to(2024)
    assert earlier.years == [2024]
    assert len(earlier["training"]) == len(dataset["training"]) // 2
    assert earlier["organisations"].equals(dataset["organisations"])
