"""Shared fixtures (a small valid dataset written as CSV files, the shared reference folder)
and checks (a built report's stylesheet and pages)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from wres_analysis.report.export import STYLESHEET

#: ../shared/reference beside the checkout (absent in some clones: tests using it skip).
SHARED_REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"

#: A tiny dataset that meets the contract: two organisations, one report year.
SMALL_TABLES: dict[str, str] = {
    "organisations": """org_code,org_name,region,org_type
R1A,Alpha Hospitals NHS Trust,London,Acute
R1B,Beta Community NHS Trust,South West,Community
""",
    "workforce": """year,org_code,occupation,grade,ethnicity,headcount
2024,R1A,clinical,Band 5,White,1200
2024,R1A,clinical,Band 5,BME,800
2024,R1A,clinical,Band 8a,White,90
2024,R1A,clinical,Band 8a,BME,30
2024,R1A,non-clinical,Band 3,White,400
2024,R1A,non-clinical,Band 3,BME,200
2024,R1A,medical and dental,Consultant,White,150
2024,R1A,medical and dental,Consultant,BME,120
2024,R1A,clinical,Band 5,Unknown,40
2024,R1B,clinical,Band 5,White,300
2024,R1B,clinical,Band 5,BME,20
2024,R1B,non-clinical,VSM,White,6
""",
    "recruitment": """year,org_code,ethnicity,shortlisted,appointed
2024,R1A,White,900,200
2024,R1A,BME,1100,150
2024,R1B,White,120,30
2024,R1B,BME,15,2
""",
    "disciplinary": """year,org_code,ethnicity,headcount,entered_process
2024,R1A,White,1840,12
2024,R1A,BME,1150,11
2024,R1B,White,306,3
2024,R1B,BME,20,0
""",
    "training": """year,org_code,ethnicity,headcount,accessed_training
2024,R1A,White,1840,1100
2024,R1A,BME,1150,600
2024,R1B,White,306,200
2024,R1B,BME,20,11
""",
    "staff_survey": """year,org_code,indicator,ethnicity,respondents,count
2024,R1A,5,White,800,200
2024,R1A,5,BME,500,150
2024,R1A,7,White,800,440
2024,R1A,7,BME,500,220
2024,R1B,5,White,150,30
2024,R1B,5,BME,10,3
""",
    "board": """year,org_code,ethnicity,voting,executive,headcount
2024,R1A,White,yes,yes,5
2024,R1A,H,yes,no,2
2024,R1A,A,no,yes,1
2024,R1B,White,yes,yes,7
""",
}


def write_tables(folder: Path, tables: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def small_dataset(tmp_path: Path) -> Path:
    """A folder holding a small valid dataset as CSV files."""
    return write_tables(tmp_path / "data", SMALL_TABLES)


def write_small_demo(folder: Path, last_year: int = 2025) -> Path:
    """Six organisations in three regions, report years 2019 to ``last_year``, cut from the
    synthetic demo data: small enough to build reports in seconds, rich enough for trends,
    regions, small counts to suppress and funnels."""
    from wres_analysis.demo import generate_demo_tables

    tables = generate_demo_tables()
    organisations = tables["organisations"]
    chosen = []
    for region in ("London", "South West", "Midlands"):
        codes = organisations.loc[organisations["region"] == region, "org_code"].sort_values()
        chosen.extend(codes.iloc[:2])
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame = frame[frame["org_code"].isin(chosen)]
        if "year" in frame:
            frame = frame[frame["year"].between(2019, last_year)]
        frame.to_csv(folder / f"{name}.csv", index=False)
    return folder


class PageCss(HTMLParser):
    """A page's stylesheet links and inline CSS."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.links: list[str] = []
        self.head_styles = 0
        self.inline = 0
        self._in_head = self._in_style = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "head":
            self._in_head = True
        elif tag == "link" and "stylesheet" in (attr.get("rel") or "").split():
            self.links.append(attr.get("href") or "")
        elif tag == "style":
            self._in_style = True
            self.head_styles += self._in_head

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self._in_head = False
        elif tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.inline += len(data)


#: Inline CSS a page may have (an index page's few rules; lab's CSS is ~260 kB).
SMALL_INLINE_CSS = 8_000


def check_stylesheets(report: Path, chapters: list[str]) -> None:
    """``report`` holds one stylesheet; each chapter page links it and inlines no CSS; every
    page's stylesheet links resolve to files; no page inlines much CSS."""
    assert [p.relative_to(report).as_posix() for p in report.rglob("*.css")] == [STYLESHEET]
    css = (report / STYLESHEET).read_text(encoding="utf-8")
    assert "--jp-ui-font-family" in css and ".wres-skip" in css and ".highlight" in css
    for page in sorted(report.glob("*.html")):
        found = PageCss(page.read_text(encoding="utf-8"))
        assert all((page.parent / href).is_file() for href in found.links), page.name
        assert found.inline < SMALL_INLINE_CSS, f"{page.name}: {found.inline} chars of CSS"
        if page.stem in chapters:
            assert found.links == [STYLESHEET], page.name
            assert found.head_styles == 0, page.name
