"""Text from the data is shown as text everywhere: never markup, a formula, or code."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml

from tests.conftest import SMALL_TABLES, write_tables
from wres_analysis.cli import main

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
MARKER = "wres-hostile-marker"
HOSTILE = {
    "R1C": "<script>alert(1)</script> Trust",
    "R1D": '=HYPERLINK("http://example.invalid","click") Trust',
    # Typst markup and code, for the PDF edition
    "R1F": '#import "x": * #pagebreak() $x$ @ref <lbl> _i_ Trust',
}


def _hostile_dataset(folder: Path, marker: Path) -> Path:
    names = {
        **HOSTILE,
        # a name that would run code if it were ever pasted into a notebook cell as source,
        # with matplotlib mathtext in it too
        "R1E": f"'; __import__('pathlib').Path({str(marker)!r}).touch(); ' $x^2$ Trust",
    }
    extra = "".join(
        f'{code},"{name.replace(chr(34), chr(34) * 2)}",London,Acute\n'
        for code, name in names.items()
    )
    tables = dict(SMALL_TABLES, organisations=SMALL_TABLES["organisations"] + extra)
    # They report recruitment only, so the data-quality chapter lists them by name among the
    # organisation-years with missing tables (HTML, CSV and XLSX).
    tables["recruitment"] += "".join(
        f"2024,{code},White,50,10\n2024,{code},BME,40,9\n" for code in names
    )
    return write_tables(folder, tables)


CHAPTERS = ("recruitment", "data_quality")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("hostile")
    marker = base / MARKER
    data = _hostile_dataset(base / "data", marker)
    out = base / "report"
    # two chapters are enough: the data-quality tables and one relative likelihood
    params = yaml.safe_load((ROOT / "params" / "national.yaml").read_text())
    params["chapters"] = [c for c in params["chapters"] if c["name"] in CHAPTERS]
    params["notebooks_dir"] = str(ROOT / "notebooks")
    path = base / "national.yaml"
    path.write_text(yaml.safe_dump(params, sort_keys=False))
    code = main(["build", str(path), "--data", str(data), "--output-dir", str(out), "--quiet"])
    assert code == 0
    return out, marker


def test_names_are_escaped_in_every_page(built: tuple[Path, Path]) -> None:
    out, _ = built
    pages = {p.name: p.read_text() for p in out.glob("*.html")}
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Trust" in pages["data_quality.html"]
    for name, text in pages.items():
        assert "<script>alert(1)</script>" not in text, name


def test_names_are_not_formulas_in_csv_or_xlsx(built: tuple[Path, Path]) -> None:
    out, _ = built
    table = pd.read_csv(out / "tables" / "indicators.csv", dtype=str)
    names = set(table["area_name"].dropna())
    assert "'" + HOSTILE["R1D"] in names  # a leading apostrophe keeps it text in Excel
    assert HOSTILE["R1D"] not in names
    workbook = openpyxl.load_workbook(out / "tables" / "wres-tables.xlsx")
    formulas = [
        (sheet.title, cell.coordinate)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert formulas == []
    texts = {
        str(cell.value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }
    assert any("HYPERLINK" in t for t in texts)


def test_names_are_never_executed(built: tuple[Path, Path]) -> None:
    out, marker = built
    assert not marker.exists()
    notebook = (out / "notebooks" / "data_quality.ipynb").read_text()
    assert "__import__" in notebook  # the name reached the notebook, as data


def test_yaml_is_read_safely(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    marker = tmp_path / MARKER
    params = tmp_path / "evil.yaml"
    params.write_text(
        "report: national\ntitle: !!python/object/apply:os.system "
        f'["touch {marker}"]\nyear: 2024\nchapters: []\n'
    )
    assert main(["build", str(params)]) == 2
    assert not marker.exists()
    assert "evil.yaml" in capsys.readouterr().err


def test_names_are_text_in_the_word_and_pdf_editions(built: tuple[Path, Path]) -> None:
    from pypdf import PdfReader

    from wres_analysis.report.editions.read import pdf_tables, word_tables

    out, _ = built
    docx, pdf = out / "wres-national-2024.docx", out / "wres-national-2024.pdf"
    for read in (word_tables, pdf_tables):
        cells = {cell for table in read(docx if read is word_tables else pdf)
                 for row in table.body for cell in row}
        assert set(HOSTILE.values()) <= cells, read.__name__
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(pdf).pages).split())
    assert '#import "x": * #pagebreak() $x$ @ref <lbl> _i_ Trust' in text
