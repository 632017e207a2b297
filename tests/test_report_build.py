"""The national report built end to end from the real chapter notebooks on a small dataset.

Six organisations in three regions, report years 2019-2024, cut from the synthetic demo data:
small enough to build in seconds, rich enough that every chapter has trends, regions, small
counts to suppress and a funnel to draw.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import check_stylesheets, write_small_demo
from wres_analysis.cli import main
from wres_analysis.data import load_dataset
from wres_analysis.indicators import compute_indicators
from wres_analysis.report.config import load_config

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
PARAMS = ROOT / "params" / "national.yaml"
YEAR = 2024
CHAPTERS = tuple(chapter.name for chapter in load_config(PARAMS).chapters)


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
    assert not list((report / "figures").glob("*.svg"))  # each chart is drawn once, as PNG
    offer = re.search(r'<a href="figures/">([^<]*)</a>', (report / "index.html").read_text())
    assert offer and "PNG" in offer[1] and "SVG" not in offer[1]  # nor offered as SVG
    assert {"key_statistics", "recruitment_funnel", "workforce_model_employer"} <= set(pngs)
    headline = pd.read_csv(report / "tables" / "headline.csv", dtype={"indicator": str})
    this_year = headline[headline["role"] == "this year"]
    assert list(this_year["indicator"]) == [str(i) for i in range(1, 10)]


def test_one_notebook_writes_three_chapters_each_titled_from_the_parameters(report: Path) -> None:
    """Recruitment, disciplinary and training come from one notebook run with ``indicator``:
    each page's heading is its chapter's title and it shows its own indicator."""
    titles = {c.name: c.title for c in load_config(PARAMS).chapters}
    for name, indicator in (("recruitment", "2"), ("disciplinary", "3"), ("training", "4")):
        page = (report / f"{name}.html").read_text()
        headings = re.findall(r"<h1[^>]*>(.*?)</h1>", page, flags=re.S)
        assert [re.sub(r"<[^>]+>", "", h).replace("¶", "").strip() for h in headings] == [
            html.escape(titles[name], quote=False)
        ]
        regions = pd.read_csv(report / "tables" / f"{name}_by_region.csv", dtype=str)
        assert len(regions) and set(regions["indicator"]) == {indicator}
        assert f"Indicator {indicator} is the relative likelihood" in page
        nb = json.loads((report / "notebooks" / f"{name}.ipynb").read_text())
        tags = [c["metadata"].get("tags", []) for c in nb["cells"]]
        injected = [c for c, t in zip(nb["cells"], tags, strict=True) if "injected-parameters" in t]
        assert f'indicator = "{indicator}"' in "".join(injected[0]["source"])


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
    keys = ["year", "indicator", "measure", "breakdown", "ethnic_group", "sex"]
    merged = expected.merge(
        published[published["level"] == "national"],
        on=keys,
        suffixes=("", "_published"),
        validate="one_to_one",
    )
    assert len(merged) == len(expected)
    # England's counts are exact, except where secondary suppression withholds one (England's
    # own count alone would give back a suppressed one): its row's figures go with it
    counts = ["white_count", "white_total", "group_count", "group_total"]
    held = (merged[[f"{c}_published" for c in counts]].astype(str) == "[c]").any(axis=1)
    figures = merged[[f"{c}_published" for c in ("estimate", "lower", "upper")]].astype(str)
    assert figures.isin(["[c]", "nan"]).all(axis=1)[held].all()
    assert (figures["estimate_published"] == "[c]")[held].any()
    assert held.mean() < 0.5, "most of England's rows are published"
    merged = merged[~held]
    for column in ("estimate", "lower", "upper"):
        pd.testing.assert_series_equal(
            merged[column],
            merged[f"{column}_published"].astype(float),
            check_names=False,
            rtol=1e-9,
        )
    published_counts = pd.to_numeric(merged["group_count_published"]).astype("Int64")
    pd.testing.assert_series_equal(
        merged["group_count"].astype("Int64"), published_counts, check_names=False
    )


def test_counts_below_national_level_are_controlled(report: Path) -> None:
    from wres_analysis.contract import BOARD_BREAKDOWNS

    published = pd.read_csv(report / "tables" / "indicators.csv", dtype=str)
    local = published[published["level"] != "national"]
    # board members are public: indicator 9's board rows keep their exact counts (at least
    # one of them is not a multiple of 5), its workforce row is controlled like all staff
    board = (local["indicator"] == "9") & local["breakdown"].isin(BOARD_BREAKDOWNS)
    exact = local.loc[board, "group_count"].dropna().astype(int)
    assert (exact % 5 != 0).any() and not (local.loc[board, "group_count"] == "[c]").any()
    local = local[~board]
    counts = local[["white_count", "white_total", "group_count", "group_total"]]
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


def _build(small_demo: Path, out: Path, *extra: str) -> int:
    args = ["build", str(PARAMS), "--data", str(small_demo), "--year", str(YEAR)]
    return main([*args, "--output-dir", str(out), "--quiet", *extra])


def _files(folder: Path) -> dict[str, bytes]:
    files = (p for p in folder.rglob("*") if p.is_file())
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in files}


def test_changes_are_published_for_every_level_and_withheld_with_their_years(
    report: Path,
) -> None:
    from wres_analysis.indicators.changes import CHANGE_COLUMNS, VERDICTS

    changes = pd.read_csv(report / "tables" / "changes.csv", dtype=str)
    assert tuple(changes.columns) == CHANGE_COLUMNS
    assert set(changes["level"]) == {"national", "region", "icb", "org_type", "organisation"}
    assert changes["year"].astype(int).max() == YEAR
    assert set(changes["verdict"]) <= {*VERDICTS, "[c]"}
    # a published organisation change has both years' figures published in indicators.csv
    indicators = pd.read_csv(report / "tables" / "indicators.csv", dtype=str)
    # changes are of the headline rows (BME with White, everyone)
    headline = (indicators["ethnic_group"] == "BME") & (indicators["sex"] == "all")
    hidden = indicators[headline & (indicators["estimate"] == "[c]")]
    keys = ["level", "area_code", "indicator", "breakdown"]
    withheld = set(
        zip(*(hidden[c] for c in [*keys, "measure", "year"]), strict=True)
    )
    pairs = changes[~changes["measure"].str.endswith("_trend")]
    source = pairs["measure"].str.replace(r"_(ratio|change)$", "", regex=True)
    for row, measure in zip(pairs.itertuples(), source, strict=True):
        ends = [(*(getattr(row, c) for c in keys), measure, y) for y in (row.year, row.from_year)]
        if any(end in withheld for end in ends):
            assert row.verdict == "[c]" and row.estimate == "[c]"
        elif row.level == "national":  # England's changes are withheld only with a year's
            assert row.verdict != "[c]", row
    assert (changes["verdict"] == "[c]").any(), "six small organisations: some withheld"


def test_rebuild_gives_identical_tables(report: Path, small_demo: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert _build(small_demo, again) == 0
    first, second = _files(report / "tables"), _files(again / "tables")
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_only_rebuilds_a_chapter_in_place(report: Path, small_demo: Path, tmp_path: Path) -> None:
    """``--only methods`` after a full build: the methods chapter runs again and is swapped
    in; every other page, table and figure, and the canonical indicator table, stay as they
    were, byte for byte."""
    import shutil

    copy = tmp_path / "national"
    shutil.copytree(report, copy)
    before = _files(copy)
    assert _build(small_demo, copy, "--only", "methods") == 0
    after = _files(copy)
    assert sorted(after) == sorted(before)
    changed = sorted(name for name in before if before[name] != after[name])
    # the editions hold every chapter, the one that ran again too
    editions = {f"wres-national-{YEAR}.docx", f"wres-national-{YEAR}.pdf"}
    allowed = {"methods.html", "notebooks/methods.ipynb", "manifest.json", *editions}
    assert set(changed) <= allowed, changed
    assert "notebooks/methods.ipynb" in changed  # it ran again
    assert after["tables/indicators.csv"] == before["tables/indicators.csv"]
    manifest = json.loads(after["manifest.json"])
    assert [c["name"] for c in manifest["chapters"]] == list(CHAPTERS)
    assert manifest["outputs"]["indicator_rows"] > 0
    # on a folder with no report there is nothing to update: a usage error, nothing written
    assert _build(small_demo, tmp_path / "empty", "--only", "methods") == 2
    assert not (tmp_path / "empty").exists()


def test_audit_passes_the_built_report_and_catches_a_leak(
    report: Path, small_demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    import openpyxl

    from wres_analysis.recovery import areas_of, recover_suppressed

    # the audit fails on a recovered suppressed count: secondary suppression leaves none,
    # also to an attacker who knows every organisation's region, trust type and ICB
    assert main(["audit", str(report)]) == 0
    areas = areas_of(load_dataset(small_demo)["organisations"])
    assert recover_suppressed(report, areas=areas) == []
    leaked = tmp_path / "leaked"
    shutil.copytree(report, leaked)
    # A CSV row below national level with a count of 3
    path = leaked / "tables" / "indicators.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    row = table.index[table["level"] == "organisation"][0]
    table.loc[row, "group_count"] = "3"
    table.to_csv(path, index=False)
    # A new column of any name holding a small count, in a table of regions
    planted = leaked / "tables" / "workforce_by_region.csv"
    model = pd.read_csv(planted, dtype=str, keep_default_na=False)
    model["planted_headcount"] = "10"
    model.loc[0, "planted_headcount"] = "3"
    model.to_csv(planted, index=False)
    # An XLSX cell not rounded to 5
    workbook = openpyxl.load_workbook(leaked / "tables" / "wres-tables.xlsx")
    sheet = workbook["recruitment_by_region"]
    ref = sheet.tables[next(iter(sheet.tables))].ref
    header = [c.value for c in sheet[ref][0]]
    cell = sheet[ref][1][header.index("group_total")]
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
    assert f"tables/indicators.csv, row {row + 2}, column 'group_count': count 3 should" in err
    assert f"[sheet 'recruitment_by_region'], row {cell.row}, column 'group_total'" in err
    assert "not rounded to the nearest 5" in err
    assert "notebooks/boards.ipynb cell" in err and "printed as text" in err
    assert "workforce_by_region.csv, row 2, column 'planted_headcount': count 3" in err
    assert "column 'BME count': count 3 should have been suppressed" in err.split("boards")[-1]


def _page_h1(page: str) -> list[str]:
    headings = re.findall(r"<h1[^>]*>(.*?)</h1>", page, flags=re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", h)).replace("¶", "").strip() for h in headings]


def test_editions_show_what_the_pages_show(report: Path, tmp_path: Path) -> None:
    """The Word and PDF editions hold every chapter's heading, one table per table the pages
    show (same captions, in order), every chart with the page's alt text, and the synthetic
    notice on every page; ``wres audit`` reads the Word edition's tables."""
    import shutil

    from docx import Document
    from docx.oxml.ns import qn
    from pypdf import PdfReader

    from wres_analysis.report.editions.read import pdf_tables, word_tables
    from wres_analysis.report.export import SYNTHETIC_BANNER

    manifest = json.loads((report / "manifest.json").read_text())
    docx, pdf = f"wres-national-{YEAR}.docx", f"wres-national-{YEAR}.pdf"
    assert manifest["outputs"]["editions"] == {"docx": docx, "pdf": pdf}
    pages = [(report / f"{chapter}.html").read_text() for chapter in CHAPTERS]
    headings = [h for page in pages for h in _page_h1(page)]
    captions = [
        html.unescape(c) for page in pages for c in re.findall(r"<caption>(.*?)</caption>", page)
    ]
    alts = [html.unescape(a) for page in pages for a in re.findall(r'<img alt="([^"]*)"', page)]
    assert len(captions) > 20 and len(alts) > 10

    document = Document(str(report / docx))
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == headings
    # every paragraph of a chapter (sentences, headings, captions, notes) is on its page
    def words(text: str) -> str:  # tags and spacing aside
        text = " ".join(text.replace("¶", "").split())
        return re.sub(r"\(\s+", "(", re.sub(r"\s+([,.;:)])", r"\1", text))

    texts = [
        words(html.unescape(re.sub(r"<[^>]+>", " ", page.split("<main", 1)[-1])))
        for page in pages
    ]
    chapter = -1
    for paragraph in document.paragraphs:
        if paragraph.style.name == "Heading 1":
            chapter += 1
        elif chapter >= 0 and paragraph.text.strip():
            assert words(paragraph.text) in texts[chapter], paragraph.text
    assert [t.caption for t in word_tables(report / docx)] == captions
    assert [t.caption for t in pdf_tables(report / pdf)] == captions
    assert [p.get("descr") for p in document.element.body.iter(qn("wp:docPr"))] == alts
    assert document.sections[0].header.paragraphs[0].text == SYNTHETIC_BANNER
    reader = PdfReader(str(report / pdf))
    notice = " ".join(SYNTHETIC_BANNER.split())
    for number, page in enumerate(reader.pages, start=1):
        text = " ".join(page.extract_text().split())
        assert text.startswith(notice) and f"Page {number} of {len(reader.pages)}" in text
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline[-len(headings):] == headings

    # a count planted in a Word table below national level is found by the audit
    leaked = tmp_path / "leaked"
    shutil.copytree(report, leaked)
    document = Document(str(leaked / docx))
    for table in document.tables:  # a table whose rows say their level
        header = [c.text for c in table.rows[0].cells]
        if "Level" in header and "BME count" in header and len(table.rows) > 1:
            level, column = header.index("Level"), header.index("BME count")
            rows = [r for r in table.rows[1:] if r.cells[level].text == "region"]
            if rows:
                rows[0].cells[column].text = "3"
                break
    else:  # the reader tables show no level column: tests/test_editions.py plants one
        return
    document.save(str(leaked / docx))
    from wres_analysis.audit import audit_output

    found = [str(f) for f in audit_output(leaked)]
    assert any(docx in f and "'BME count': count 3" in f for f in found), found
    assert all(docx in f for f in found), found


def test_prose_follows_the_parameters(small_demo: Path, tmp_path: Path) -> None:
    """Built with a 90% confidence level and counts rounded to the nearest 10, every page says
    so where it describes intervals and rounding, and none repeats the defaults."""
    import yaml

    params = yaml.safe_load(PARAMS.read_text())
    params["confidence"] = 0.90
    params["disclosure"]["round_to"] = 10
    params["notebooks_dir"] = str(ROOT / "notebooks")
    changed = tmp_path / "national.yaml"
    changed.write_text(yaml.safe_dump(params, sort_keys=False))
    out = tmp_path / "out"
    args = ["build", str(changed), "--data", str(small_demo), "--year", str(YEAR)]
    assert main([*args, "--output-dir", str(out), "--quiet"]) == 0
    pages = {page.stem: _visible_text(page) for page in out.glob("*.html")}
    for name, text in pages.items():
        for default in ("95% CI", "95% confidence", "95% interval", "nearest 5"):
            assert default not in text, (name, default)
    assert "90% confidence interval" in pages["summary"]
    assert "90% CI" in pages["recruitment"]  # the headline reading's interval
    assert "90% interval excludes 1" in pages["recruitment"]  # the range table's note
    assert "rounded to the nearest 10" in pages["recruitment"]
    assert "rounded to the nearest 10" in pages["methods"]
    assert "90%" in pages["methods"]
    indicators = pd.read_csv(out / "tables" / "indicators.csv")
    assert set(indicators["confidence"]) == {0.9}
    local = indicators[indicators["level"] != "national"]["group_total"]
    numbers = pd.to_numeric(local, errors="coerce").dropna()
    assert len(numbers) and (numbers % 10 == 0).all()


def _visible_text(page: Path) -> str:
    """A page's text as a reader sees it (tags dropped, entities decoded)."""
    import html as html_module

    text = re.sub(r"<(script|style)\b.*?</\1>", " ", page.read_text(), flags=re.S)
    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def test_the_recovery_attack_is_sound_on_the_built_report(report: Path, small_demo: Path) -> None:
    """Every range the recovery attack leaves for a published count holds the true count
    (the exact counts of the dataset, before disclosure control), and the attack is not idle:
    it narrows rounded counts below the five values rounding allows."""
    from wres_analysis.disclosure import DisclosureRule
    from wres_analysis.recovery import COUNT_COLUMNS, areas_of, attack

    dataset = load_dataset(small_demo)
    exact = compute_indicators(dataset, breakdowns=(YEAR,))
    truth = {}
    for row in exact[exact["year"] <= YEAR].itertuples():
        # the attack names a detailed group's or one sex's row apart, as "<breakdown> [group, sex]"
        breakdown = str(row.breakdown)
        if (row.ethnic_group, row.sex) != ("BME", "all"):
            breakdown = f"{breakdown} [{row.ethnic_group}, {row.sex}]"
        for column in COUNT_COLUMNS:
            value = getattr(row, column)
            if pd.notna(value):
                key = (str(row.year), row.level, str(row.area_code), str(row.indicator),
                       breakdown, str(row.years_pooled), column)
                truth[key] = int(value)
    table = pd.read_csv(report / "tables" / "indicators.csv", dtype=str, keep_default_na=False)
    ranges, _ = attack(
        [("indicators.csv", table, DisclosureRule(), True)], areas_of(dataset["organisations"])
    )
    assert ranges and set(ranges) <= set(truth)
    outside = {k: (r, truth[k]) for k, r in ranges.items() if not r[0] <= truth[k] <= r[1]}
    assert outside == {}
    narrowed = [k for k, (low, high) in ranges.items() if high - low + 1 < 5 and low > 7]
    assert narrowed
