"""End-to-end builds of tiny fixture chapters through ``wres build``.

The dataset loader and the chapter inputs are replaced by fakes (two small input files, four
indicator rows; the fixture chapters do not read them); one test uses the real loader on an
invalid folder.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import nbformat
import openpyxl
import pandas as pd
import pytest
import yaml

import wres_analysis.report.pipeline as pipeline
from tests.conftest import PageCss, check_stylesheets
from wres_analysis.cli import main
from wres_analysis.indicators.frame import INDICATOR_COLUMNS
from wres_analysis.report.export import (
    STYLESHEET,
    TEMPLATES,
    ChapterExporter,
    PageContext,
    stylesheet_text,
    write_stylesheet,
)
from wres_analysis.report.inputs import ChapterInputs, Provenance, national_scope

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
CHAPTERS = [
    {"name": "summary", "notebook": "summary.ipynb", "title": "Summary"},
    {"name": "charts", "notebook": "charts.ipynb", "title": "Charts <and> figures"},
]


def write_params(folder: Path, chapters: list[dict] = CHAPTERS) -> Path:
    path = folder / "params.yaml"
    params = {
        "report": "national",
        "title": "Fixture WRES report",
        "year": 2024,
        "notebooks_dir": str(FIXTURES),
        "output_dir": "out/{year}",
        "chapters": chapters,
    }
    path.write_text(yaml.safe_dump(params, sort_keys=False))
    return path


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


#: The fake inputs' indicator rows: (year, level, area_code, indicator, measure, estimate).
ROWS = [
    (2024, "region", "Y56", "2", "relative_likelihood", 1.5),
    (2024, "national", "ENG", "2", "relative_likelihood", 1.46),
    (2024, "national", "ENG", "1", "pct_bme", 24.2),
    (2024, "national", "ENG", "4", "relative_likelihood", 1.14),
]


class FakeDataset:
    """What the pipeline reads of a dataset before it prepares the inputs."""

    def __init__(self, folder: Path) -> None:
        self.source = folder
        self.is_synthetic = True
        self.years = [2024]
        self.files = {p.stem: p for p in sorted(folder.iterdir())}


def fake_loader(folder: Path, patch: pytest.MonkeyPatch) -> None:
    """Replace the loader and the chapter inputs of ``pipeline`` with fakes."""
    inputs = folder / "inputs"
    inputs.mkdir(exist_ok=True)
    (inputs / "workforce.csv").write_text("year,org_code\n2024,RXX\n")
    (inputs / "board.csv").write_text("year,org_code\n2024,RYY\n")

    def prepare(dataset: FakeDataset, settings: object, scopes: list) -> dict:
        files = {
            p.stem: {"path": str(p), "sha256": file_sha256(p)} for p in sorted(inputs.iterdir())
        }
        provenance = Provenance(str(inputs), True, "fingerprint", files, (2024,))
        keys = ("year", "level", "area_code", "indicator", "measure", "estimate")
        table = pd.DataFrame(
            [dict(zip(keys, row, strict=True)) for row in ROWS],
            columns=list(INDICATOR_COLUMNS),
        ).assign(breakdown="all", lower=lambda t: t["estimate"] - 0.05)
        scope = national_scope()
        return {scope.code: ChapterInputs(scope, settings, provenance, table)}

    patch.setattr(pipeline, "load_dataset", lambda source: FakeDataset(inputs))
    patch.setattr(pipeline, "prepare_inputs", prepare)


def build(folder: Path, *extra: str) -> int:
    return main(["build", str(folder / "params.yaml"), "--quiet", "--jobs", "2", *extra])


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    patch = pytest.MonkeyPatch()
    outputs = []
    try:
        for name in ("first", "second"):
            folder = tmp_path_factory.mktemp(name)
            write_params(folder)
            fake_loader(folder, patch)
            assert build(folder) == 0
            outputs.append(folder / "out" / "2024")
    finally:
        patch.undo()
    return outputs[0], outputs[1]


@pytest.mark.slow
def test_layout(two_builds: tuple[Path, Path]) -> None:
    out, _ = two_builds
    names = {p.relative_to(out).as_posix() for p in out.rglob("*")}
    assert {
        "index.html",
        "summary.html",
        "charts.html",
        "manifest.json",
        "notebooks/summary.ipynb",
        "notebooks/charts.ipynb",
        "tables/headline.csv",
        "tables/training-trend.csv",
        "tables/indicators.csv",
        "tables/wres-tables.xlsx",
        "figures/training-trend.png",
        "wres-national-2024.docx",
        "wres-national-2024.pdf",
    } <= names
    assert not [n for n in names if "snapshot" in n or "published.jsonl" in n]
    assert not list(out.parent.glob(".wres-build-*")), "temporary folders are removed"


@pytest.mark.slow
def test_chapter_pages(two_builds: tuple[Path, Path]) -> None:
    out, _ = two_builds
    summary = (out / "summary.html").read_text()
    charts = (out / "charts.html").read_text()
    for page in (summary, charts):
        assert '<html lang="en">' in page
        assert "Synthetic data." in page
        assert "import pandas" not in page and "publish_table(" not in page
        assert 'href="index.html"' in page
    assert "<title>Summary - Fixture WRES report</title>" in summary
    assert re.search(r'<a (?=[^>]*rel="next")(?=[^>]*href="charts.html")', summary)
    assert re.search(r'<a (?=[^>]*rel="prev")(?=[^>]*href="summary.html")', charts)
    assert "Charts &lt;and&gt; figures" in summary
    alts = re.findall(r'<img alt="([^"]*)"', charts)
    assert alts == [
        "Line chart: the share of BME staff accessing training rose from 30% in 2021 "
        "to 35% in 2023."
    ]
    assert "&lt;b&gt;appointed&lt;/b&gt;" in summary


@pytest.mark.slow
def test_pages_link_the_report_stylesheet(two_builds: tuple[Path, Path]) -> None:
    out, _ = two_builds
    check_stylesheets(out, [c["name"] for c in CHAPTERS])
    assert (out / "index.html").is_file()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["outputs"]["stylesheet"] == STYLESHEET


@pytest.mark.slow
def test_index(two_builds: tuple[Path, Path]) -> None:
    index = (two_builds[0] / "index.html").read_text()
    assert "<h1>Fixture WRES report</h1>" in index
    assert "<caption>Headline figures, England</caption>" in index
    assert 'href="summary.html"' in index and 'href="charts.html"' in index
    assert "Synthetic data." in index


@pytest.mark.slow
def test_tables_and_workbook(two_builds: tuple[Path, Path]) -> None:
    out, _ = two_builds
    # the canonical indicator table comes from the chapter inputs, sorted (no chapter
    # published it)
    indicators = (out / "tables" / "indicators.csv").read_text().splitlines()
    assert indicators[0] == ",".join(INDICATOR_COLUMNS)
    assert [line.split(",")[4] for line in indicators[1:]] == ["1", "2", "2", "4"]
    assert indicators[2].split(",")[1] == "national" and indicators[3].split(",")[1] == "region"
    wb = openpyxl.load_workbook(out / "tables" / "wres-tables.xlsx")
    assert wb.sheetnames == ["Cover", "Contents", "Notes", "headline", "training-trend"]
    sheet = wb["headline"]
    assert sheet["A1"].value == "Headline figures, England"
    assert sheet["A2"].value == "This worksheet contains one table."
    header = [c.value for c in sheet[4]]
    assert header == ["indicator", "measure", "estimate", "staff"]
    assert sheet["B6"].value == '=HYPERLINK("x")' and sheet["B6"].data_type == "s"
    assert sheet["C6"].value == -0.25 and sheet["D5"].value == 1400000
    assert list(sheet.tables) == ["t_headline"]
    assert "[note 1]" in wb["training-trend"]["A1"].value
    assert wb["Notes"]["B4"].value == "Synthetic fixture values."
    assert "SYNTHETIC" in " ".join(str(c.value) for c in wb["Cover"]["A"])


@pytest.mark.slow
def test_same_inputs_same_bytes(two_builds: tuple[Path, Path]) -> None:
    first, second = two_builds
    assert (first / STYLESHEET).read_bytes() == (second / STYLESHEET).read_bytes()
    for relative in ("tables", "figures"):
        files = sorted(p.name for p in (first / relative).iterdir())
        assert files == sorted(p.name for p in (second / relative).iterdir())
        for name in files:
            a = (first / relative / name).read_bytes()
            assert a == (second / relative / name).read_bytes(), name
    for name in ("wres-national-2024.docx", "wres-national-2024.pdf"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


@pytest.mark.slow
def test_manifest(two_builds: tuple[Path, Path]) -> None:
    out, _ = two_builds
    manifest = json.loads((out / "manifest.json").read_text())
    assert {"parameters", "dataset", "software", "git", "chapters", "outputs", "build"} <= set(
        manifest
    )
    # paths relative to the dataset and the project: the dataset is outside the project here
    root = out.parents[1]
    assert manifest["dataset"]["source"] == "<outside the project>/inputs"
    for entry in manifest["dataset"]["files"].values():
        data = (root / "inputs" / entry["path"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert manifest["parameters_file"]["path"] == "<outside the project>/params.yaml"
    assert manifest["parameters_file"]["sha256"] == file_sha256(root / "params.yaml")
    text = (out / "manifest.json").read_text()
    for absolute in {str(root), str(Path.home()), str(ROOT)}:
        assert absolute not in text, absolute
    lock = manifest["software"]["lock_file"]
    assert lock["path"] == "requirements.lock"
    assert lock["sha256"] == hashlib.sha256((ROOT / "requirements.lock").read_bytes()).hexdigest()
    assert all(c["notebook"].startswith("tests/fixtures/") for c in manifest["chapters"])
    assert [(c["name"], c["status"]) for c in manifest["chapters"]] == [
        ("summary", "ok"),
        ("charts", "ok"),
    ]
    assert all(c["seconds"] > 0 for c in manifest["chapters"])
    assert manifest["software"]["libraries"]["papermill"]
    assert "commit" in manifest["git"]
    assert manifest["parameters"]["disclosure"]["symbol"] == "[c]"


@pytest.mark.slow
def test_failing_chapter_leaves_previous_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    fake_loader(tmp_path, monkeypatch)
    previous = tmp_path / "out" / "2024"
    previous.mkdir(parents=True)
    (previous / "index.html").write_text("previous report")
    chapters = [CHAPTERS[0], {"name": "failing", "notebook": "failing.ipynb", "title": "Fails"}]
    write_params(tmp_path, chapters)
    assert build(tmp_path) == 1
    err = capsys.readouterr().err
    assert "chapter 'failing'" in err
    assert "at cell 3" in err and "In [4]" in err  # markdown 0, parameters 1, cell 2 ok
    assert "ValueError: fixture failure in chapter failing" in err
    assert sorted(p.name for p in previous.iterdir()) == ["index.html"]
    assert (previous / "index.html").read_text() == "previous report"
    kept = tmp_path / "out" / "2024.failed" / "report" / "notebooks" / "failing.ipynb"
    assert kept.exists() and str(kept) in err
    # the chapter that succeeded was exported, with the stylesheet it links
    check_stylesheets(kept.parent.parent, ["summary"])
    assert (kept.parent.parent / "summary.html").is_file()
    assert not list((tmp_path / "out").glob(".wres-build-*"))


def _files(folder: Path) -> dict[str, bytes]:
    files = (p for p in folder.rglob("*") if p.is_file())
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in files}


@pytest.mark.slow
def test_only_updates_chapters_in_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_loader(tmp_path, monkeypatch)
    write_params(tmp_path)
    out = tmp_path / "out" / "2024"
    assert build(tmp_path, "--only", "charts") == 2, "no report yet: nothing to update"
    assert not out.exists()
    assert build(tmp_path) == 0
    before = _files(out)
    assert build(tmp_path, "--only", "charts") == 0
    after = _files(out)
    rerun = {"charts.html", "notebooks/charts.ipynb", "manifest.json"}
    rerun |= {"wres-national-2024.docx", "wres-national-2024.pdf"}  # they hold every chapter
    assert set(after) == set(before)
    changed = {name for name in before if before[name] != after[name]}
    assert changed <= rerun, changed
    assert "notebooks/charts.ipynb" in changed  # it really ran again
    assert after["tables/indicators.csv"] == before["tables/indicators.csv"]
    assert after["tables/wres-tables.xlsx"] == before["tables/wres-tables.xlsx"]
    manifest = json.loads(after["manifest.json"])
    assert [(c["name"], c["status"]) for c in manifest["chapters"]] == [
        ("summary", "ok"),
        ("charts", "ok"),
    ]
    assert manifest["overrides"]["only"] == ["charts"]
    assert [t["name"] for t in manifest["outputs"]["tables"]] == ["headline", "training-trend"]


@pytest.mark.slow
def test_a_failing_only_leaves_the_report_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    fake_loader(tmp_path, monkeypatch)
    write_params(tmp_path)
    out = tmp_path / "out" / "2024"
    assert build(tmp_path) == 0
    before = _files(out)
    broken = [CHAPTERS[0], {**CHAPTERS[1], "notebook": "failing.ipynb"}]
    write_params(tmp_path, broken)
    assert build(tmp_path, "--only", "charts") == 1
    assert "chapter 'charts'" in capsys.readouterr().err
    assert _files(out) == before
    assert not list((tmp_path / "out").glob(".wres-build-*"))


@pytest.mark.slow
def test_invalid_data_stops_before_any_chapter(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "organisations.csv").write_text("org_code,org_name\nRXX,Somewhere\n")
    write_params(tmp_path)
    assert build(tmp_path, "--data", str(data)) == 1
    err = capsys.readouterr().err
    assert "not valid" in err and "no chapter was run" in err
    assert not (tmp_path / "out" / "2024").exists()
    assert not list((tmp_path / "out").glob(".wres-build-*"))


@pytest.mark.parametrize(
    "extra",
    [["--only", "nonexistent"], ["--jobs", "0"], ["--organisation", "RXX"], ["--bogus"]],
)
def test_usage_errors_exit_2(tmp_path: Path, extra: list[str]) -> None:
    write_params(tmp_path)
    assert build(tmp_path, *extra) == 2
    assert not (tmp_path / "out").exists()


def test_missing_params_or_notebook_exit_2(tmp_path: Path) -> None:
    assert main(["build", str(tmp_path / "absent.yaml")]) == 2
    write_params(tmp_path, [{"name": "x", "notebook": "absent.ipynb", "title": "X"}])
    assert build(tmp_path) == 2


def test_help_lists_every_option(capsys: pytest.CaptureFixture) -> None:
    assert main(["build", "--help"]) == 0
    text = capsys.readouterr().out
    for option in ("--data", "--year", "--output-dir", "--organisation", "--jobs", "--only"):
        assert option in text


# -- the report's stylesheet, without a build ---------------------------------------------


def _head(page: str) -> str:
    return page[: page.index("</head>")]


def test_a_linked_page_is_the_inline_page_with_its_css_in_the_stylesheet() -> None:
    """The stylesheet is exactly the CSS ``lab`` inlines, in page order (so our ``wres.css``
    keeps its place in the cascade), and the page is otherwise the same."""
    nb = nbformat.read(FIXTURES / "summary.ipynb", as_version=4)
    exporter = ChapterExporter()
    page = PageContext("Summary", "Report", synthetic=True)
    linked = exporter.render(nb, page)
    inline = exporter.render(nb, PageContext("Summary", "Report", synthetic=True, stylesheet=None))
    styles = re.findall(r"<style[^>]*>(.*?)</style>", _head(inline), re.DOTALL)
    assert sum(map(len, styles)) > 200_000  # lab's CSS, inlined by a page without a stylesheet
    assert stylesheet_text() == '@charset "utf-8";\n' + "\n".join(styles)
    wres_css = (TEMPLATES / "wres-chapter" / "wres.css").read_text(encoding="utf-8")
    assert styles[0].strip() == wres_css.strip()  # ours first, as lab's extra_css block puts it
    assert "<style" not in _head(linked)
    assert PageCss(linked).links == [STYLESHEET]
    without_css = re.sub(r"<style[^>]*>.*?</style>", "", _head(inline), flags=re.DOTALL)
    without_link = re.sub(r"<link\b[^>]*>", "", _head(linked))
    assert without_css.split() == without_link.split()
    assert linked[len(_head(linked)) :] == inline[len(_head(inline)) :]
    assert len(linked) < len(inline) - 200_000


def test_export_writes_the_stylesheet_beside_the_page_once(tmp_path: Path) -> None:
    exporter = ChapterExporter()
    for name in ("one", "two"):
        exporter.export(
            FIXTURES / "summary.ipynb", tmp_path / f"{name}.html", PageContext(name, "R", True)
        )
        if name == "one":
            first = (tmp_path / STYLESHEET).stat()
    again = (tmp_path / STYLESHEET).stat()
    assert (again.st_ino, again.st_mtime_ns) == (first.st_ino, first.st_mtime_ns)
    assert (tmp_path / STYLESHEET).read_bytes() == stylesheet_text().encode("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.html", STYLESHEET, "two.html"]
    # a stylesheet that is not the right one is replaced
    (tmp_path / STYLESHEET).write_text("stale", encoding="utf-8")
    write_stylesheet(tmp_path / STYLESHEET)
    assert (tmp_path / STYLESHEET).read_bytes() == stylesheet_text().encode("utf-8")
    # a page made to stand alone inlines its CSS and needs no file
    alone = tmp_path / "alone"
    alone.mkdir()
    exporter.export(
        FIXTURES / "summary.ipynb",
        alone / "page.html",
        PageContext("Alone", "R", True, stylesheet=None),
    )
    assert [p.name for p in alone.iterdir()] == ["page.html"]
    assert PageCss((alone / "page.html").read_text(encoding="utf-8")).inline > 200_000


@pytest.mark.slow
def test_editions_off_writes_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``editions: []`` builds the pages alone; ``[pdf]`` only the PDF."""
    fake_loader(tmp_path, monkeypatch)
    params = write_params(tmp_path)
    raw = yaml.safe_load(params.read_text())
    for editions, expected in (([], set()), (["pdf"], {"wres-national-2024.pdf"})):
        params.write_text(yaml.safe_dump({**raw, "editions": editions}))
        assert build(tmp_path) == 0
        out = tmp_path / "out" / "2024"
        assert {p.name for p in out.glob("wres-*")} == expected
        manifest = json.loads((out / "manifest.json").read_text())
        assert manifest["outputs"]["editions"] == {f[-3:]: f for f in expected}
        # the index page links each edition written, and none that is not
        linked = set(re.findall(r'href="(wres-[^"]+)"', (out / "index.html").read_text()))
        assert linked == expected
