"""Workbooks are read with python-calamine (issue 12): the same tables and the same problems as
the openpyxl reader it replaces, XLSX and ODS alike, without openpyxl being called."""

from __future__ import annotations

import datetime
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
import pytest
from openpyxl import Workbook

from tests.conftest import SMALL_TABLES
from tests.test_bad_input import NAMES, Grid, _sheet
from wres_analysis.data import DataValidationError, load_dataset, readers


def _save(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def _load(path: Path, engine: str, monkeypatch: pytest.MonkeyPatch):
    with monkeypatch.context() as patch:
        patch.setattr(readers, "WORKBOOK_ENGINE", engine)
        return load_dataset(path)


def _problems(path: Path, engine: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    with pytest.raises(DataValidationError) as caught:
        _load(path, engine, monkeypatch)
    return [str(p) for p in caught.value.problems]


def _habits() -> dict[str, list[list[object]]]:
    """Every table with the habits of hand-made sheets: title and blank rows above the header
    (row 4), an empty column A, headers written another way, text-stored numbers with
    thousands separators, and a date in an extra column."""
    sheets = {}
    for name in NAMES:
        header, *records = _sheet(Grid.of(name))
        header = [c.replace("_", " ").title() + " " for c in header] + ["Extracted"]
        records = [[*r, datetime.datetime(2024, 3, 31)] for r in records]
        sheets[name] = [[None, f"WRES {name} 2024"], [], [None, "Source: ESR"]] + [
            [None, *r] for r in [header, *records]
        ]
    workforce = sheets["workforce"]
    workforce[4][-2] = "1,234"  # first record's headcount, as text
    workforce[5][-2] = " 1 234 "
    workforce[6][-2] = 90.0
    return sheets


def test_calamine_reads_what_openpyxl_reads(tmp_path: Path, monkeypatch) -> None:
    path = _save(tmp_path / "wres.xlsx", _habits())
    fast = _load(path, "calamine", monkeypatch)
    slow = _load(path, "openpyxl", monkeypatch)
    for name in NAMES:
        pd.testing.assert_frame_equal(fast[name], slow[name])
    workforce = fast["workforce"]
    assert list(workforce["headcount"][:3]) == [1234, 1234, 90]
    assert set(workforce["extracted"]) == {"2024-03-31 00:00:00"}
    assert list(fast["board"]["ethnicity"]) == ["White", "H", "A", "White"]


def test_calamine_reports_the_problems_openpyxl_reports(tmp_path: Path, monkeypatch) -> None:
    sheets = _habits()
    sheets["recruitment"][5][-2] = "45%"  # appointed, second record: spreadsheet row 6
    sheets["training"][4][-2] = "lots"
    sheets["board"] = []
    sheets["Sheet1"] = sheets.pop("disciplinary")
    path = _save(tmp_path / "wres.xlsx", sheets)
    fast = _problems(path, "calamine", monkeypatch)
    assert fast == _problems(path, "openpyxl", monkeypatch)
    text = "\n".join(fast)
    assert (
        "wres.xlsx [sheet 'recruitment'], row 6, column 'appointed': \"45%\" is a percentage"
        in text
    )
    assert "wres.xlsx [sheet 'training'], row 5, column 'accessed_training': \"lots\"" in text
    assert "wres.xlsx [sheet 'board']: is empty" in text
    assert "sheet 'Sheet1' of wres.xlsx has the columns of 'disciplinary'" in text


def test_workbooks_are_read_without_openpyxl(tmp_path: Path, monkeypatch) -> None:
    path = _save(tmp_path / "wres.xlsx", {n: _sheet(Grid.of(n)) for n in NAMES})

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl was used to read the workbook")

    monkeypatch.setattr(pd, "read_excel", refuse)
    monkeypatch.setattr("openpyxl.load_workbook", refuse)
    monkeypatch.setattr("openpyxl.reader.excel.load_workbook", refuse)
    assert len(load_dataset(path)["workforce"]) == len(Grid.of("workforce").records)


def _ods(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """A minimal OpenDocument spreadsheet (what LibreOffice Calc saves, reduced to content)."""

    def cell(value: object) -> str:
        if isinstance(value, int | float):
            return (
                f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>"
            )
        return (
            f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}'
            "</text:p></table:table-cell>"
        )

    tables = "".join(
        f'<table:table table:name="{name}">'
        + "".join(
            "<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>"
            for row in rows
        )
        + "</table:table>"
        for name, rows in sheets.items()
    )
    ns = 'xmlns:{0}="urn:oasis:names:tc:opendocument:xmlns:{0}:1.0"'
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        f'{ns.format("office")} {ns.format("table")} {ns.format("text")} office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        f'{ns.format("manifest")} manifest:version="1.2"><manifest:file-entry '
        'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
        'spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
        'manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return path


def test_ods_spreadsheet_is_read_like_a_workbook(tmp_path: Path, small_dataset: Path) -> None:
    sheets = {n: [["Title"], *_sheet(Grid.of(n))] for n in NAMES}
    from_ods = load_dataset(_ods(tmp_path / "wres.ods", sheets))
    from_csv = load_dataset(small_dataset)
    for name in SMALL_TABLES:
        pd.testing.assert_frame_equal(from_ods[name], from_csv[name])

    broken = Grid.of("training").set(1, "accessed_training", "n/a")
    sheets["training"] = [["Title"], *_sheet(broken)]
    with pytest.raises(DataValidationError) as caught:
        load_dataset(_ods(tmp_path / "broken.ods", sheets))
    (problem,) = caught.value.problems
    assert (problem.file, problem.row, problem.column) == (
        "broken.ods [sheet 'training']",
        4,
        "accessed_training",
    )


def test_damaged_ods_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "wres.ods").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(DataValidationError) as caught:
        load_dataset(tmp_path / "wres.ods")
    assert caught.value.problems[0].message.startswith("is not a readable ODS spreadsheet")
