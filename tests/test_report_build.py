"""The national report built end to end from the real chapter notebooks on a small dataset.

Six organisations in three regions, report years 2019-2024, cut from the synthetic demo data:
small enough to build in seconds, rich enough that every chapter has trends, regions, small
counts to suppress and a funnel to draw.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import check_stylesheets, write_small_demo
from wres_analysis.cli import main
from wres_analysis.data import load_dataset
from wres_analysis.indicators import compute_indicators
from wres_analysis.report.params import load_params

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
PARAMS = ROOT / "params" / "national.yaml"
YEAR = 2024
CHAPTERS = tuple(chapter.name for chapter in load_params(PARAMS).chapters)


@pytest.fixture(scope="module")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_small_demo(tmp_path_factory.mktemp("small-demo") / "data", last_year=YEAR + 1)


@pytest.fixture(scope="module")
def report(small_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "national"
    code = main(
        [
            "build",
            str(PARAMS),
            "--data",
            str(small_demo),
            "--year",
            str(YEAR),
            "--output-dir",
            str(out),
            "--quiet",
        ]
    )
    assert code == 0
    return out


def test_every_chapter_page_table_and_figure_is_there(report: Path) -> None:
    manifest = json.loads((report / "manifest.json").read_text())
    statuses = {c["name"]: c["status"] for c in manifest["chapters"]}
    assert statuses == dict.fromkeys(CHAPTERS, "ok")
    for chapter in CHAPTERS:
        page = (report / f"{chapter}.html").read_text()
        assert "Synthetic data" in page
        assert (report / "notebooks" / f"{chapter}.ipynb").exists()
    assert (report / "tables" / "wres-tables.xlsx").exists()
    pngs = sorted(p.stem for p in (report / "figures").glob("*.png"))
    assert pngs == sorted(p.stem for p in (report / "figures").glob("*.svg"))
    assert {"key_statistics", "recruitment_funnel", "workforce_model_employer"} <= set(pngs)
    headline = pd.read_csv(report / "tables" / "headline.csv", dtype={"indicator": str})
    assert list(headline["indicator"]) == [str(i) for i in range(1, 10)]


def test_pages_link_the_report_stylesheet(report: Path) -> None:
    """One stylesheet in the report folder, linked by every chapter page (none inlines lab's
    ~260 kB of CSS); the index keeps its few inline rules."""
    check_stylesheets(report, list(CHAPTERS))
    assert "<link" not in (report / "index.html").read_text(encoding="utf-8")


def test_chapter_pages_show_the_published_figure_files(report: Path) -> None:
    """Each chart on a chapter page is its ``figures/<name>.png``, linked, not embedded; the
    executed notebooks keep the images."""
    figures = json.loads((report / "manifest.json").read_text())["outputs"]["figures"]
    assert len(figures) >= 10
    for chapter in CHAPTERS:
        page = report / f"{chapter}.html"
        tags = re.findall(r"<img\b[^>]*>", page.read_text(encoding="utf-8"))
        srcs = [re.search(r'\ssrc="([^"]*)"', tag).group(1) for tag in tags]
        expected = [f"figures/{f['name']}.png" for f in figures if f["chapter"] == chapter]
        assert srcs == expected, chapter
        assert all(re.search(r'\salt="[^"]+"', tag) for tag in tags), chapter
        assert all((page.parent / src).is_file() for src in srcs), chapter
        nb = json.loads((report / "notebooks" / f"{chapter}.ipynb").read_text())
        embedded = [
            out["data"]["image/png"]
            for cell in nb["cells"]
            for out in cell.get("outputs", [])
            if "image/png" in out.get("data", {})
        ]
        assert len(embedded) == len(expected) and all(len(png) > 1000 for png in embedded)


def test_national_indicators_equal_the_package_computation(report: Path, small_demo: Path) -> None:
    published = pd.read_csv(report / "tables" / "indicators.csv", dtype={"indicator": str})
    assert published["year"].max() == YEAR  # nothing from after the report year
    expected = compute_indicators(load_dataset(small_demo).up_to(YEAR), levels=("national",))
    keys = ["year", "indicator", "measure", "breakdown"]
    merged = expected.merge(
        published[published["level"] == "national"],
        on=keys,
        suffixes=("", "_published"),
        validate="one_to_one",
    )
    assert len(merged) == len(expected)
    for column in ("estimate", "lower", "upper"):
        pd.testing.assert_series_equal(
            merged[column],
            merged[f"{column}_published"].astype(float),
            check_names=False,
            rtol=1e-9,
        )
    published_counts = pd.to_numeric(merged["bme_count_published"]).astype("Int64")
    pd.testing.assert_series_equal(
        merged["bme_count"].astype("Int64"), published_counts, check_names=False
    )


def test_counts_below_national_level_are_controlled(report: Path) -> None:
    published = pd.read_csv(report / "tables" / "indicators.csv", dtype=str)
    local = published[published["level"] != "national"]
    counts = local[["white_count", "white_total", "bme_count", "bme_total"]]
    values = counts.stack()
    values = values[values.notna()]
    suppressed = values == "[c]"
    assert suppressed.any(), "six small organisations must have some counts of 1-7"
    numbers = values[~suppressed].astype(int)
    assert (numbers % 5 == 0).all()
    # A suppressed count takes the row's estimate and interval with it
    rows = local[(counts == "[c]").any(axis=1)]
    assert (rows[["estimate", "lower", "upper"]].fillna("[c]") == "[c]").all().all()
    flagged = pd.read_csv(report / "tables" / "recruitment_flagged_organisations.csv", dtype=str)
    assert "level" in flagged.columns


def test_rebuild_gives_identical_tables(report: Path, small_demo: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert (
        main(
            [
                "build",
                str(PARAMS),
                "--data",
                str(small_demo),
                "--year",
                str(YEAR),
                "--output-dir",
                str(again),
                "--quiet",
                "--only",
                "recruitment",
            ]
        )
        == 0
    )
    for name in ("recruitment_national", "recruitment_by_region", "recruitment_non_adverse_range"):
        assert (again / "tables" / f"{name}.csv").read_bytes() == (
            report / "tables" / f"{name}.csv"
        ).read_bytes()


def test_audit_passes_the_built_report_and_catches_a_leak(
    report: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    import openpyxl

    assert main(["audit", str(report)]) == 0
    leaked = tmp_path / "leaked"
    shutil.copytree(report, leaked)
    # A CSV row below national level with a count of 3
    path = leaked / "tables" / "indicators.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    row = table.index[table["level"] == "organisation"][0]
    table.loc[row, "bme_count"] = "3"
    table.to_csv(path, index=False)
    # An XLSX cell not rounded to 5
    workbook = openpyxl.load_workbook(leaked / "tables" / "wres-tables.xlsx")
    sheet = workbook["recruitment_by_region"]
    ref = sheet.tables[next(iter(sheet.tables))].ref
    header = [c.value for c in sheet[ref][0]]
    cell = sheet[ref][1][header.index("bme_total")]
    cell.value = 1234
    workbook.save(leaked / "tables" / "wres-tables.xlsx")
    # A notebook output that prints a data frame as text
    notebook = leaked / "notebooks" / "boards.ipynb"
    nb = json.loads(notebook.read_text())
    html_table = (
        '<table><tr><th scope="col">Level</th><th scope="col">BME count</th></tr>'
        "<tr><td>organisation</td><td>3</td></tr></table>"
    )
    nb["cells"][-1]["outputs"] = [
        {"output_type": "stream", "name": "stdout", "text": "   a\n0  1\n\n[1 rows x 1 columns]"},
        {"output_type": "display_data", "metadata": {}, "data": {"text/html": html_table}},
    ]
    notebook.write_text(json.dumps(nb))

    assert main(["audit", str(leaked)]) == 1
    err = capsys.readouterr().err
    assert f"tables/indicators.csv, row {row + 2}, column 'bme_count': count 3 should" in err
    assert f"[sheet 'recruitment_by_region'], row {cell.row}, column 'bme_total'" in err
    assert "not rounded to the nearest 5" in err
    assert "notebooks/boards.ipynb cell" in err and "printed as text" in err
    assert "column 'bme_count': count 3 should have been suppressed" in err.split("boards")[-1]
