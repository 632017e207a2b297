"""The bad-input corpus (issue 6): files as they arrive from spreadsheets, for every table.

Each broken file is generated from ``SMALL_TABLES``. It is either read as a user would expect
(a BOM, a title row above the header, ``Headcount `` with a trailing space, " 1 234 ") or
makes ``wres validate`` exit 1 with a message naming the file, the row (where a row is at
fault) and the column - and never prints a traceback. The per-problem tests of
``test_data_validation.py`` are not repeated here; this file sweeps the breakages across the
seven tables, adds the workbook, encoding and oversized-file cases, and checks that ``wres
build`` on bad data writes nothing.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from tests.conftest import SMALL_TABLES, write_tables
from wres_analysis.cli import main
from wres_analysis.contract import TABLES
from wres_analysis.data import DataValidationError, Limits, load_dataset

ROOT = Path(__file__).resolve().parents[1]
NAMES = list(SMALL_TABLES)


# --- the tables as header + records, and ways to write them back ---------------------------


@dataclass(frozen=True)
class Grid:
    """One table of ``SMALL_TABLES`` as cells, to break and write back as CSV text."""

    name: str
    header: list[str]
    records: list[list[str]]

    @classmethod
    def of(cls, name: str) -> Grid:
        rows = list(csv.reader(io.StringIO(SMALL_TABLES[name])))
        return cls(name, rows[0], rows[1:])

    @property
    def spec(self):
        return TABLES[self.name]

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    def index(self, column: str) -> int:
        return self.header.index(column)

    def set(self, record: int, column: str, value: str) -> Grid:
        """A copy with record ``record`` (0 = the first, spreadsheet row 2) changed."""
        records = [list(r) for r in self.records]
        records[record][self.index(column)] = value
        return Grid(self.name, self.header, records)

    def text(self, *, sep: str = ",", newline: str = "\n") -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=sep, lineterminator=newline)
        writer.writerow(self.header)
        writer.writerows(self.records)
        return buffer.getvalue()

    def count(self) -> str:
        """The count column most natural to break: a ratio's numerator, else the first."""
        return self.spec.ratios[0][0] if self.spec.ratios else self.spec.counts[0]

    def denominator(self) -> str:
        return self.spec.ratios[0][1] if self.spec.ratios else self.spec.counts[0]

    def label(self) -> str:
        """A column that identifies a row and is not a count (where a totals word goes)."""
        return self.spec.columns[0]


@dataclass(frozen=True)
class Read:
    """Expect exit 0; ``check`` (optional) looks at the loaded dataset."""

    check: Callable[[object], None] | None = None


@dataclass(frozen=True)
class Refused:
    """Expect exit 1 and a line naming ``file``, ``row`` and ``column`` containing each phrase."""

    file: str
    row: int | None
    column: str | None
    phrases: tuple[str, ...]


Files = dict[str, bytes]
Case = Callable[[Grid], tuple[Files, Read | Refused] | None]


def _csv(grid: Grid, text: str, encoding: str = "utf-8") -> Files:
    return {grid.file: text.encode(encoding)}


# --- read as a user expects -----------------------------------------------------------------


def renamed_columns_that_normalise(g: Grid) -> tuple[Files, Read]:
    styles = [
        lambda c: c.upper() + " ",  # "HEADCOUNT "
        lambda c: c.replace("_", "-").title(),  # "Org-Code"
        lambda c: " " + c.replace("_", " ").capitalize(),  # " Org code"
        lambda c: "".join(w.title() for w in c.split("_")),  # "OrgCode"
    ]
    header = [styles[i % len(styles)](c) for i, c in enumerate(g.header)]
    return _csv(g, Grid(g.name, header, g.records).text()), Read(_same_table(g))


def title_rows_above_the_header(g: Grid) -> tuple[Files, Read]:
    title = f"WRES {g.name.title()} 2024\nSource: ESR extract at 31 March 2024,,\n\n"
    return _csv(g, title + g.text()), Read(_same_table(g))


def blank_lines_between_records(g: Grid) -> tuple[Files, Read]:
    lines = g.text().splitlines()
    text = "\n".join(lines[:2] + [""] + lines[2:] + ["", ",,", ""]) + "\n"
    return _csv(g, text), Read(_same_table(g))


def bom_and_windows_line_endings(g: Grid) -> tuple[Files, Read]:
    return _csv(g, "\ufeff" + g.text(newline="\r\n")), Read(_same_table(g))


def windows_1252_text(g: Grid) -> tuple[Files, Read]:
    header = [*g.header, "Notes"]
    records = [[*r, "Café – réorganisé"] for r in g.records]
    text = Grid(g.name, header, records).text()

    def check(dataset) -> None:
        assert set(dataset[g.name]["notes"]) == {"Café – réorganisé"}
        assert any("Windows-1252" in n.message for n in dataset.notes)

    return _csv(g, text, "cp1252"), Read(check)


def numbers_as_text_with_spaces(g: Grid) -> tuple[Files, Read] | None:
    if not g.spec.counts:
        return None
    column = g.denominator()
    broken = g.set(0, column, " 1 234 ").set(1, column, "1,234 ").set(2, column, "1234\t")

    def check(dataset) -> None:
        assert list(dataset[g.name][column][:3]) == [1234, 1234, 1234]

    return _csv(g, broken.text()), Read(check)


def empty_columns_left_by_excel(g: Grid) -> tuple[Files, Read]:
    text = "".join(f",{line},,\n" for line in g.text().splitlines())
    return _csv(g, text), Read(_same_table(g))


def semicolon_separated(g: Grid) -> tuple[Files, Read]:
    return _csv(g, g.text(sep=";")), Read(_same_table(g))


def _same_table(g: Grid) -> Callable[[object], None]:
    """Check that the table loaded equals the one loaded from the unbroken file."""

    def check(dataset) -> None:
        expected = _reference()[g.name]
        pd.testing.assert_frame_equal(dataset[g.name][list(expected.columns)], expected)

    return check


@functools.cache
def _reference():
    """``SMALL_TABLES`` loaded as written (once per test process)."""
    with tempfile.TemporaryDirectory() as folder:
        return load_dataset(write_tables(Path(folder), SMALL_TABLES))


# --- refused with file, row and column --------------------------------------------------------


def column_renamed_beyond_recognition(g: Grid) -> tuple[Files, Refused]:
    last = g.header[-1]
    header = [*g.header[:-1], "staff"]
    return _csv(g, Grid(g.name, header, g.records).text()), Refused(
        g.file, None, last, ("is missing", '"staff"', "found:")
    )


def misspelt_column(g: Grid) -> tuple[Files, Refused]:
    last = g.header[-1]
    typo = last[:2] + last[3:]  # "headcount" -> "hedcount"
    header = [*g.header[:-1], typo.title()]
    return _csv(g, Grid(g.name, header, g.records).text()), Refused(
        g.file, None, last, ("is missing", f'did you mean "{typo.title()}"')
    )


def missing_column(g: Grid) -> tuple[Files, Refused]:
    drop = g.index("org_code")
    header = [c for i, c in enumerate(g.header) if i != drop]
    records = [[v for i, v in enumerate(r) if i != drop] for r in g.records]
    return _csv(g, Grid(g.name, header, records).text()), Refused(
        g.file, None, "org_code", ("is missing",)
    )


def column_twice(g: Grid) -> tuple[Files, Refused]:
    column = g.header[-1]
    header = [*g.header, column.upper()]
    records = [[*r, r[-1]] for r in g.records]
    return _csv(g, Grid(g.name, header, records).text()), Refused(
        g.file, None, column, ("appears more than once",)
    )


def _bad_cell(g: Grid, record: int) -> tuple[Grid, str, str]:
    """``g`` with one bad cell in ``record``: the column at fault and the phrase expected."""
    if g.spec.counts:
        return g.set(record, g.count(), "lots"), g.count(), "not a number"
    return g.set(record, "region", "Atlantis"), "region", "expected one of"


def title_row_and_bad_cell(g: Grid) -> tuple[Files, Refused]:
    broken, column, phrase = _bad_cell(g, 1)
    # title (row 1), header (row 2), record 0 (row 3), record 1 (row 4)
    return _csv(g, f"{g.name.title()} 2024,,,\n" + broken.text()), Refused(
        g.file, 4, column, (phrase,)
    )


def blank_line_and_bad_cell(g: Grid) -> tuple[Files, Refused]:
    broken, column, phrase = _bad_cell(g, 1)
    lines = broken.text().splitlines()
    text = "\n".join([lines[0], lines[1], "", *lines[2:]]) + "\n"
    return _csv(g, text), Refused(g.file, 4, column, (phrase,))  # the blank line is row 3


def totals_row_at_the_bottom(g: Grid) -> tuple[Files, Refused]:
    cells = [""] * len(g.header)
    cells[0] = "Grand Total"
    for column in g.spec.counts:
        cells[g.index(column)] = "99999"
    text = g.text() + ",".join(cells) + "\n"
    return _csv(g, text), Refused(
        g.file, len(g.records) + 2, g.label(), ("looks like a totals row", "remove it")
    )


def unlabelled_sum_row(g: Grid) -> tuple[Files, Refused] | None:
    if not g.spec.counts:
        return None
    cells = [""] * len(g.header)
    for column in g.spec.counts:
        cells[g.index(column)] = "99999"
    return _csv(g, g.text() + ",".join(cells) + "\n"), Refused(
        g.file, len(g.records) + 2, "org_code", ("looks like a totals row",)
    )


def ethnicity_total_rows(g: Grid) -> tuple[Files, Refused] | None:
    if "ethnicity" not in g.header:
        return None
    last = len(g.records) - 1
    return _csv(g, g.set(last, "ethnicity", "Total").text()), Refused(
        g.file, last + 2, "ethnicity", ("looks like a totals row",)
    )


def note_below_the_table(g: Grid) -> tuple[Files, Refused]:
    text = g.text() + "\nSource: ESR data warehouse; figures are provisional\n"
    return _csv(g, text), Refused(g.file, len(g.records) + 3, g.header[0], ("looks like a note",))


def _count_case(value: str, phrase: str) -> Case:
    def case(g: Grid) -> tuple[Files, Refused] | None:
        if not g.spec.counts:
            return None
        return _csv(g, g.set(0, g.count(), value).text()), Refused(
            g.file, 2, g.count(), (f'"{value.strip()}"', phrase)
        )

    case.__name__ = f"count {value!r}"
    return case


def count_above_denominator(g: Grid) -> tuple[Files, Refused] | None:
    if not g.spec.ratios:
        return None
    numerator, denominator = g.spec.ratios[0]
    above = str(int(g.records[0][g.index(denominator)]) + 1)
    return _csv(g, g.set(0, numerator, above).text()), Refused(
        g.file, 2, numerator, (f"more than {denominator}",)
    )


def duplicated_row(g: Grid) -> tuple[Files, Refused]:
    records = [*g.records, list(g.records[0])]
    return _csv(g, Grid(g.name, g.header, records).text()), Refused(
        g.file, len(records) + 1, None, ("repeats the key", "of row 2")
    )


def unknown_code(g: Grid) -> tuple[Files, Refused]:
    if g.name == "organisations":
        return _csv(g, g.set(0, "org_type", "Hospice").text()), Refused(
            g.file, 2, "org_type", ('"Hospice"', "expected one of")
        )
    return _csv(g, g.set(0, "org_code", "R9Z").text()), Refused(
        g.file, 2, "org_code", ('"R9Z"', "not an org_code listed")
    )


def unknown_ethnic_code(g: Grid) -> tuple[Files, Refused] | None:
    if "ethnicity" not in g.header:
        return None
    return _csv(g, g.set(0, "ethnicity", "Q").text()), Refused(
        g.file, 2, "ethnicity", ('"Q"', "not an ethnicity")
    )


def unknown_choice(g: Grid) -> tuple[Files, Refused] | None:
    column = next((c for c in g.header if c in g.spec.choices and c != "org_type"), None)
    if column is None:
        return None
    return _csv(g, g.set(0, column, "other").text()), Refused(
        g.file, 2, column, ('"other"', "expected")
    )


def too_many_cells_in_a_row(g: Grid) -> tuple[Files, Refused]:
    lines = g.text().splitlines()
    lines[2] += ",Alpha, Beta"
    return _csv(g, "\n".join(lines) + "\n"), Refused(
        g.file, 3, None, ("cells where the header has", "double quotes")
    )


def empty_file(g: Grid) -> tuple[Files, Refused]:
    return {g.file: b""}, Refused(g.file, None, None, ("is empty",))


def blank_file(g: Grid) -> tuple[Files, Refused]:
    return {g.file: b"\r\n  \n\n"}, Refused(g.file, None, None, ("is empty",))


def header_only(g: Grid) -> tuple[Files, Refused]:
    return _csv(g, ",".join(g.header) + "\n"), Refused(g.file, None, None, ("has no records",))


def title_but_no_header(g: Grid) -> tuple[Files, Refused]:
    text = f"{g.name.title()} 2024\nTo be completed by 31 May\n"
    return _csv(g, text), Refused(
        g.file, None, None, ("has no header row", "expected a row with " + g.header[0])
    )


def binary_file_named_csv(g: Grid) -> tuple[Files, Refused]:
    data = bytes(range(256)) * 8 + b"\x00" * 64
    return {g.file: data}, Refused(g.file, None, None, ("is not a text CSV file",))


def workbook_named_csv(g: Grid) -> tuple[Files, Refused]:
    workbook = Workbook()
    workbook.active.append(g.header)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return {g.file: buffer.getvalue()}, Refused(
        g.file, None, None, ("is not a text CSV file", "XLSX workbook", "must be named .xlsx")
    )


def utf16_text(g: Grid) -> tuple[Files, Refused]:
    return {g.file: g.text(sep="\t").encode("utf-16")}, Refused(
        g.file, None, None, ("UTF-16", "CSV UTF-8")
    )


def neither_utf8_nor_windows_1252(g: Grid) -> tuple[Files, Refused]:
    # 0x81 and 0x8d are undefined in Windows-1252 and invalid as UTF-8 here.
    data = g.text().encode() + b"2024,\x81\x8d,x,y,z,1\n"
    return {g.file: data}, Refused(g.file, None, None, ("is not UTF-8 or Windows-1252",))


READ_CASES: list[Case] = [
    renamed_columns_that_normalise,
    title_rows_above_the_header,
    blank_lines_between_records,
    bom_and_windows_line_endings,
    windows_1252_text,
    numbers_as_text_with_spaces,
    empty_columns_left_by_excel,
    semicolon_separated,
]
REFUSED_CASES: list[Case] = [
    column_renamed_beyond_recognition,
    misspelt_column,
    missing_column,
    column_twice,
    title_row_and_bad_cell,
    blank_line_and_bad_cell,
    totals_row_at_the_bottom,
    unlabelled_sum_row,
    ethnicity_total_rows,
    note_below_the_table,
    _count_case("45%", "is a percentage"),
    _count_case("-3", "is negative"),
    _count_case("12.5", "is not a whole number"),
    _count_case("n/a", "missing or suppressed"),
    _count_case("#REF!", "spreadsheet error"),
    count_above_denominator,
    duplicated_row,
    unknown_code,
    unknown_ethnic_code,
    unknown_choice,
    too_many_cells_in_a_row,
    empty_file,
    blank_file,
    header_only,
    title_but_no_header,
    binary_file_named_csv,
    workbook_named_csv,
    utf16_text,
    neither_utf8_nor_windows_1252,
]


def _params(cases: list[Case]) -> list:
    params = []
    for case in cases:
        for name in NAMES:
            if case(Grid.of(name)) is not None:
                params.append(pytest.param(case, name, id=f"{name}-{case.__name__}"))
    return params


def _dataset(tmp_path: Path, files: Files) -> Path:
    folder = write_tables(tmp_path / "data", SMALL_TABLES)
    for file, data in files.items():
        (folder / file).write_bytes(data)
    return folder


def _where(file: str, row: int | None, column: str | None) -> str:
    parts = [file]
    if row is not None:
        parts.append(f"row {row}")
    if column is not None:
        parts.append(f"column {column!r}")
    return ", ".join(parts) + ":"


def _assert_refused(argv: list[str], expected: Refused, capsys: pytest.CaptureFixture[str]) -> str:
    code = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert code == 1, out
    where = _where(expected.file, expected.row, expected.column)
    lines = [line for line in err.splitlines() if where in line]
    assert lines, f"no line names {where!r}:\n{err}"
    assert any(all(p in line for p in expected.phrases) for line in lines), (
        f"no line at {where!r} says {expected.phrases}:\n{err}"
    )
    return err


@pytest.mark.parametrize(("case", "name"), _params(READ_CASES))
def test_spreadsheet_habits_are_read(
    case: Case, name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files, expected = case(Grid.of(name))
    folder = _dataset(tmp_path, files)
    code = main(["validate", str(folder)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert code == 0, err
    assert isinstance(expected, Read)
    if expected.check:
        expected.check(load_dataset(folder))


@pytest.mark.parametrize(("case", "name"), _params(REFUSED_CASES))
def test_broken_files_are_refused_naming_file_row_and_column(
    case: Case, name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files, expected = case(Grid.of(name))
    assert isinstance(expected, Refused)
    _assert_refused(["validate", str(_dataset(tmp_path, files))], expected, capsys)


def test_a_problem_row_is_reported_once_not_per_cell(tmp_path: Path) -> None:
    """A totals row with a text "year" gives one problem, not one per column it breaks."""
    g = Grid.of("workforce")
    files, _ = totals_row_at_the_bottom(g)
    with pytest.raises(DataValidationError) as caught:
        load_dataset(_dataset(tmp_path, files))
    assert [(p.row, p.column) for p in caught.value.problems] == [(len(g.records) + 2, "year")]


# --- workbooks ---------------------------------------------------------------------------------


def _workbook(path: Path, sheets: dict[str, list[list[object]]], merge: bool = False) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if merge:
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=4)
    workbook.save(path)
    return path


def _typed(cell: str) -> object:
    """A cell as Excel stores it: numbers as numbers, text as text."""
    return int(cell) if cell.isdigit() else cell


def _sheet(g: Grid) -> list[list[object]]:
    return [g.header, *[[_typed(c) for c in r] for r in g.records]]


@pytest.mark.parametrize("name", NAMES)
def test_workbook_sheet_under_another_name(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheets = {("Sheet1" if n == name else n): _sheet(Grid.of(n)) for n in NAMES}
    path = _workbook(tmp_path / "wres.xlsx", sheets)
    err = _assert_refused(
        ["validate", str(path)],
        Refused(str(path), None, None, (f"table {name!r} is missing", "'Sheet1'")),
        capsys,
    )
    assert f"sheet 'Sheet1' of wres.xlsx has the columns of {name!r}: rename it" in err


@pytest.mark.parametrize("name", NAMES)
def test_workbook_with_merged_title_rows(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A merged title in A1:D1 and a blank row 2 above the header (row 3): read, and a bad
    cell in the second record is reported at row 5, as Excel shows it."""
    title = [[f"WRES {name} 2024"], []]
    sheets = {n: title + _sheet(Grid.of(n)) for n in NAMES}
    path = _workbook(tmp_path / "wres.xlsx", sheets, merge=True)
    assert main(["validate", str(path)]) == 0, capsys.readouterr().err
    broken, column, phrase = _bad_cell(Grid.of(name), 1)
    sheets[name] = title + _sheet(broken)
    _workbook(path, sheets, merge=True)
    _assert_refused(
        ["validate", str(path)],
        Refused(f"wres.xlsx [sheet {name!r}]", 5, column, (phrase,)),
        capsys,
    )


def test_workbook_sheet_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheets = {n: _sheet(Grid.of(n)) for n in NAMES}
    sheets["board"] = []
    sheets["training"] = [["Training 2024"], ["to follow"]]
    path = _workbook(tmp_path / "wres.xlsx", sheets)
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "wres.xlsx [sheet 'board']: is empty" in err
    assert "wres.xlsx [sheet 'training']: has no header row" in err


def test_damaged_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_tables(tmp_path / "data", {k: v for k, v in SMALL_TABLES.items()})
    (folder / "extra.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    _assert_refused(
        ["validate", str(folder)],
        Refused("extra.xlsx", None, None, ("is not a readable XLSX workbook",)),
        capsys,
    )


def test_csv_under_another_name_is_pointed_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tables = {k: v for k, v in SMALL_TABLES.items() if k != "workforce"}
    folder = write_tables(tmp_path / "data", tables)
    (folder / "Workforce March 2024.csv").write_text(SMALL_TABLES["workforce"])
    _assert_refused(
        ["validate", str(folder)],
        Refused(
            str(folder),
            None,
            None,
            ("'workforce' is missing", "Workforce March 2024.csv has the columns of 'workforce'"),
        ),
        capsys,
    )


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=2000) | st.text(max_size=400).map(str.encode))
def test_any_bytes_give_an_exit_code_never_a_traceback(
    data: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_tables(tmp_path / "fuzz", SMALL_TABLES)
    (folder / "workforce.csv").write_bytes(SMALL_TABLES["workforce"].encode()[:60] + data)
    assert main(["validate", str(folder)]) in (0, 1)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err


# --- files far larger than any real table ------------------------------------------------------


def test_file_of_gigabytes_is_refused_before_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_tables(tmp_path / "data", SMALL_TABLES)
    with (folder / "workforce.csv").open("r+b") as handle:
        handle.truncate(int(2.1 * 1024**3))  # sparse: no disk space used, nothing to read
    _assert_refused(
        ["validate", str(folder)],
        Refused("workforce.csv", None, None, ("is 2.1 GB", "the largest CSV file", "200,000")),
        capsys,
    )


def test_row_limit_applies_to_every_format(tmp_path: Path) -> None:
    folder = write_tables(tmp_path / "data", SMALL_TABLES)
    pd.read_csv(folder / "board.csv").to_parquet(folder / "board.parquet")
    (folder / "board.csv").unlink()
    with pytest.raises(DataValidationError) as caught:
        load_dataset(folder, limits=Limits(max_rows=3))
    messages = {p.file: p.message for p in caught.value.problems}
    assert messages["workforce.csv"].startswith("has more than 3 rows; the largest table")
    assert messages["board.parquet"].startswith("has 4 rows; the largest table")


LARGE_ROWS = 4_000_000
#: Peak resident memory allowed for refusing the large file, in MiB. Python, pandas and
#: pyarrow alone take about 150; refusing it typically peaks at 237-265 MiB, but one run under
#: `make test -n 2` measured 600 MiB (allocator variance); reading the file whole takes about
#: 4 GB. A bound of 1 GiB still shows that memory does not grow with the file.
LARGE_PEAK_MIB = 1024

_MEASURE = textwrap.dedent(
    """
    import json, resource, sys, time
    from wres_analysis.data import DataValidationError, load_dataset

    def peak_mib():
        # VmHWM: this process's own peak. ru_maxrss also counts the parent's peak, which
        # Linux carries across fork and exec (a pytest worker that built reports: 1.3 GB).
        try:
            with open("/proc/self/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            pass
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    started = time.perf_counter()
    try:
        load_dataset(sys.argv[1])
        problems = []
    except DataValidationError as exc:
        problems = [str(p) for p in exc.problems]
    print(json.dumps({
        "seconds": time.perf_counter() - started,
        "peak_mib": peak_mib(),
        "problems": problems,
    }))
    """
)


def _write_large_workforce(path: Path, rows: int) -> None:
    """A valid-looking workforce.csv of ``rows`` records, written in blocks."""
    grades = ["Band 5", "Band 6", "Band 7", "Band 8a", "VSM"]
    block = "".join(
        f"{2015 + y},R1A,clinical,{grade},{code},{(y * 37 + i) % 900}\n"
        for y in range(10)
        for i, (grade, code) in enumerate(
            (g, c) for g in grades for c in ("A", "B", "C", "H", "J", "M", "N", "Z", "99", "S")
        )
    )
    per_block = block.count("\n")
    with path.open("w", encoding="utf-8") as handle:
        handle.write("year,org_code,occupation,grade,ethnicity,headcount\n")
        for _ in range(rows // per_block):
            handle.write(block)


def test_millions_of_rows_are_refused_in_bounded_memory(tmp_path: Path) -> None:
    """A workforce.csv of 4 million rows (~150 MB, far beyond any real table) is refused while
    it is read in chunks: the loader's peak memory stays far below what reading it whole
    takes (about 4 GB), and the message names the file and the limit."""
    folder = write_tables(tmp_path / "data", SMALL_TABLES)
    started = time.perf_counter()
    _write_large_workforce(folder / "workforce.csv", LARGE_ROWS)
    written = time.perf_counter() - started
    size = (folder / "workforce.csv").stat().st_size
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(folder)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    measured = json.loads(result.stdout)
    print(
        f"\nlarge file: {LARGE_ROWS:,} rows, {size / 1024**2:.0f} MiB, written in "
        f"{written:.1f} s, refused in {measured['seconds']:.1f} s, "
        f"peak RSS {measured['peak_mib']:.0f} MiB"
    )
    assert measured["problems"] == [
        f"workforce.csv: has more than {Limits().max_rows:,} rows; the largest table this tool "
        f"reads has {Limits().max_rows:,} rows (real WRES tables have at most about 200,000 "
        "rows): check that this is the right file, or split it by year"
    ]
    assert measured["peak_mib"] < LARGE_PEAK_MIB
    assert measured["seconds"] < 60


# --- wres build -----------------------------------------------------------------------------


def test_build_on_bad_data_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files, _ = totals_row_at_the_bottom(Grid.of("workforce"))
    bad = _dataset(tmp_path, files)
    out = tmp_path / "site" / "out"
    out.parent.mkdir()
    code = main(
        [
            "build",
            str(ROOT / "params" / "national.yaml"),
            "--data",
            str(bad),
            "--output-dir",
            str(out),
            "--quiet",
        ]
    )
    captured = capsys.readouterr()
    assert code == 1
    assert "looks like a totals row" in captured.err
    assert "Traceback" not in captured.out + captured.err
    assert not out.exists()
    assert [p.name for p in out.parent.iterdir()] == []
