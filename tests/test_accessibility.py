"""Accessibility of the built demo report.

Every page of the demo report is opened in headless Chromium and checked with axe-core for
WCAG 2.0/2.1 A and AA; a serious or critical violation fails. The browser and axe-core come
from ``make browser-deps``; without them those tests skip and say why (set
``WRES_REQUIRE_BROWSER=1``, as ``.ci/run`` does, to fail instead). The checks that need no
browser always run: alt text, language, title, one ``<h1>``, a ``<main>`` landmark, table
captions and header scopes, the synthetic-data banner, and nothing loaded from the network.
The last test checks, chart by chart, that no two series are told apart by colour alone.
"""

from __future__ import annotations

import fcntl
import os
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import matplotlib as mpl

mpl.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import yaml  # noqa: E402
from matplotlib.collections import PathCollection, PolyCollection  # noqa: E402
from matplotlib.container import BarContainer, ErrorbarContainer  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from tests.a11y.browser import AXE_JS, Chromium, find_chromium  # noqa: E402
from tests.test_charts import AREAS, YEARS, _area_rows, _funnel_frames  # noqa: E402
from wres_analysis.charts.comparisons import (  # noqa: E402
    area_comparison_chart,
    board_chart,
    gap_chart,
    grade_profile_chart,
)
from wres_analysis.charts.funnel import funnel_chart  # noqa: E402
from wres_analysis.charts.trends import parity_chart, range_count_chart, trend_chart  # noqa: E402
from wres_analysis.cli import main  # noqa: E402
from wres_analysis.report.export import SYNTHETIC_BANNER  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PARAMS = ROOT / "params" / "national.yaml"

#: Every page the demo report has: the index and one page per chapter.
PAGES = ["index.html"] + [
    f"{chapter['name']}.html"
    for chapter in yaml.safe_load(PARAMS.read_text(encoding="utf-8"))["chapters"]
]

#: axe impacts that fail the test (moderate and minor ones are reported by axe but allowed).
FAILING_IMPACTS = frozenset({"serious", "critical"})

#: Alt text that says nothing about the chart.
GENERIC_ALT = frozenset({"image", "figure", "chart", "graph", "plot", "picture", "img"})

#: Elements and attributes whose URL the browser loads by itself (links are not in this list).
LOADED = {
    "script": "src",
    "link": "href",
    "img": "src",
    "iframe": "src",
    "source": "src",
    "audio": "src",
    "video": "src",
    "embed": "src",
    "object": "data",
}
EXTERNAL = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
EXTERNAL_IN_TEXT = re.compile(
    r"""url\(\s*['"]?\s*(https?:)?//|@import|import\s*\(\s*['"]\s*(https?:)?//""", re.IGNORECASE
)


# -- the report, built once --------------------------------------------------------------


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo report, built from params/national.yaml into a temporary folder.

    Under pytest-xdist the workers share one build: the first to take the lock builds it.
    """
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    out = shared / "a11y-report"
    with open(shared / "a11y-report.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (out / "index.html").is_file():
            assert main(["build", str(PARAMS), "--output-dir", str(out), "--quiet"]) == 0
    return out


class Page(HTMLParser):
    """What the checks need from one page, read in one pass."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.title = ""
        self.h1 = 0
        self.main = 0
        self.images: list[dict[str, str | None]] = []
        self.tables: list[dict] = []
        self.loaded: list[str] = []
        self.inline: list[str] = []
        self.ids: set[str] = set()
        self.fragments: list[str] = []
        self.text: list[str] = []
        self._stack: list[str] = []
        self.feed(text)
        self.close()
        self.words = " ".join(" ".join(self.text).split())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if attr.get("id"):
            self.ids.add(str(attr["id"]))
        if tag == "html":
            self.lang = attr.get("lang")
        elif tag == "h1":
            self.h1 += 1
        elif tag == "main" or attr.get("role") == "main":
            self.main += 1
        elif tag == "img":
            self.images.append(attr)
        elif tag == "table":
            self.tables.append({"caption": "", "th": [], "in_caption": False})
        elif tag == "caption" and self.tables:
            self.tables[-1]["in_caption"] = True
        elif tag == "th" and self.tables:
            self.tables[-1]["th"].append(attr.get("scope"))
        elif tag == "a" and (attr.get("href") or "").startswith("#"):
            self.fragments.append(str(attr["href"])[1:])
        if tag in LOADED and attr.get(LOADED[tag]):
            self.loaded.append(str(attr[LOADED[tag]]))
        if attr.get("style"):
            self.inline.append(str(attr["style"]))
        self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption" and self.tables:
            self.tables[-1]["in_caption"] = False
        if tag in self._stack:
            while self._stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        where = self._stack[-1] if self._stack else ""
        if where == "title":
            self.title += data
        elif where in ("script", "style"):
            self.inline.append(data)
            return
        if self.tables and self.tables[-1]["in_caption"]:
            self.tables[-1]["caption"] += data
        self.text.append(data)


@pytest.fixture(scope="module")
def pages(report: Path) -> dict[str, Page]:
    """Every built page, parsed."""
    return {path.name: Page(path.read_text(encoding="utf-8")) for path in report.glob("*.html")}


@pytest.mark.slow
def test_every_page_is_built(pages: dict[str, Page]) -> None:
    assert sorted(pages) == sorted(PAGES)


# -- checks that need no browser ----------------------------------------------------------


def _alt_problem(alt: str | None) -> str | None:
    """Why ``alt`` is not real alt text for a chart, or None if it is."""
    if alt is None:
        return "no alt attribute"
    words = alt.strip()
    if not words:
        return "empty alt text"
    if re.search(r"\.(png|svg|jpe?g|gif|webp)\s*$", words, re.IGNORECASE):
        return f"a file name as alt text: {alt!r}"
    if re.sub(r"[^a-z ]", "", words.lower()).strip() in GENERIC_ALT:
        return f"generic alt text: {alt!r}"
    if len(words.split()) < 5:
        return f"alt text too short to describe a chart: {alt!r}"
    return None


@pytest.mark.slow
@pytest.mark.parametrize("name", PAGES)
def test_every_image_has_real_alt_text(pages: dict[str, Page], name: str) -> None:
    page = pages[name]
    problems = [
        f"image {i + 1}: {problem}"
        for i, image in enumerate(page.images)
        if (problem := _alt_problem(image.get("alt")))
    ]
    assert not problems, f"{name}: " + "; ".join(problems)


@pytest.mark.slow
def test_chapters_with_charts_have_images(pages: dict[str, Page]) -> None:
    """The alt-text check is not vacuous: the chart chapters do show images."""
    assert sum(len(page.images) for page in pages.values()) >= 10
    for name in ("recruitment.html", "workforce.html", "staff_experience.html"):
        assert pages[name].images, name


@pytest.mark.slow
@pytest.mark.parametrize("name", PAGES)
def test_page_structure(pages: dict[str, Page], name: str) -> None:
    page = pages[name]
    assert page.lang == "en", f"{name}: <html lang> is {page.lang!r}"
    assert page.title.strip(), f"{name}: no <title>"
    assert page.h1 == 1, f"{name}: {page.h1} <h1> elements, expected one"
    assert page.main == 1, f"{name}: {page.main} <main> landmarks, expected one"
    missing = sorted({f for f in page.fragments if f and f not in page.ids})
    assert not missing, f"{name}: in-page links to missing ids {missing[:5]}"


@pytest.mark.slow
@pytest.mark.parametrize("name", PAGES)
def test_tables_have_captions_and_header_scopes(pages: dict[str, Page], name: str) -> None:
    for i, table in enumerate(pages[name].tables, start=1):
        assert table["caption"].strip(), f"{name}: table {i} has no <caption>"
        assert table["th"], f"{name}: table {i} ({table['caption']!r}) has no <th>"
        bad = [s for s in table["th"] if s not in ("col", "row", "colgroup", "rowgroup")]
        assert not bad, f"{name}: table {i} ({table['caption']!r}) has <th> without scope"


@pytest.mark.slow
@pytest.mark.parametrize("name", PAGES)
def test_synthetic_banner_on_every_page(pages: dict[str, Page], name: str) -> None:
    banner = " ".join(SYNTHETIC_BANNER.split())
    assert "Synthetic data." in pages[name].words, name
    assert banner in pages[name].words, name


@pytest.mark.slow
@pytest.mark.parametrize("name", PAGES)
def test_nothing_loaded_from_the_network(report: Path, pages: dict[str, Page], name: str) -> None:
    page = pages[name]
    external = [url for url in page.loaded if EXTERNAL.match(url)]
    assert not external, f"{name} loads {external}"
    # the report's stylesheet, which chapter pages link, is checked like inline CSS
    css = [url for url in page.loaded if url.endswith(".css")]
    texts = page.inline + [(report / url).read_text(encoding="utf-8") for url in css]
    in_text = [m.group(0) for text in texts for m in EXTERNAL_IN_TEXT.finditer(text)]
    assert not in_text, f"{name}: styles or scripts load from elsewhere: {in_text[:3]}"


# -- axe-core in headless Chromium -----------------------------------------------------------


def _browser_missing() -> str | None:
    if find_chromium() is None:
        return "Chromium not found (install it with `make browser-deps`)"
    if not AXE_JS.is_file():
        return f"{AXE_JS.relative_to(ROOT)} missing (install it with `make browser-deps`)"
    return None


@pytest.fixture(scope="module")
def browser() -> Chromium:
    missing = _browser_missing()
    if missing:
        if os.environ.get("WRES_REQUIRE_BROWSER") == "1":
            pytest.fail(f"WRES_REQUIRE_BROWSER=1 but {missing}")
        pytest.skip(missing)
    with Chromium(find_chromium() or "") as chromium:
        yield chromium


def _describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"  {v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']}")
        lines.append(f"    {v['helpUrl']}")
        lines.extend(f"    - {' '.join(n['target'])}" for n in v["nodes"][:3])
    return "\n".join(lines)


@pytest.mark.slow
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_serious_violations(browser: Chromium, report: Path, name: str) -> None:
    requests = browser.open((report / name).as_uri())
    external = [url for url in requests if not url.startswith(("file:", "data:"))]
    assert not external, f"{name} requested {external}"
    broken = browser.evaluate(
        "[...document.images].filter(i => !i.complete || i.naturalWidth === 0).length"
    )
    assert broken == 0, f"{name}: {broken} images did not load"
    if name != "index.html":  # the report's stylesheet loaded: JupyterLab's CSS and ours apply
        styled = browser.evaluate(
            "getComputedStyle(document.body).getPropertyValue('--jp-ui-font-family') !== '' && "
            "getComputedStyle(document.querySelector('.wres-skip')).position === 'absolute'"
        )
        assert styled, f"{name}: the report's stylesheet did not apply"
    violations = [v for v in browser.axe() if v["impact"] in FAILING_IMPACTS]
    assert not violations, f"axe on {name}:\n{_describe(violations)}"


# -- colour is never the only cue ---------------------------------------------------------


def _looks(artist: object) -> tuple:
    """How a legend entry looks apart from its colour."""
    if isinstance(artist, ErrorbarContainer):
        artist = artist.lines[0]
    if isinstance(artist, BarContainer):
        artist = artist.patches[0]
    if isinstance(artist, Line2D):
        marker = artist.get_marker()
        return (
            "line",
            "" if marker in (None, "None", "none", "") else str(marker),
            str(artist.get_linestyle()),
        )
    if isinstance(artist, Patch | PolyCollection):
        return ("area", str(artist.get_hatch() or ""))
    if isinstance(artist, PathCollection):
        shape = np.round(artist.get_paths()[0].vertices, 3).tobytes()
        return ("points", shape, float(artist.get_sizes()[0]))
    return (type(artist).__name__,)


def _table() -> pd.DataFrame:
    rows = [
        row
        for year in YEARS
        for position, area in enumerate(AREAS)
        for row in _area_rows(year, position, *area)
    ]
    return pd.DataFrame(rows)


def _ranges() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": [2023] * 4 + [2024] * 4,
            "indicator": "3",
            "category": ["below", "within", "above", "not defined"] * 2,
            "organisations": [40, 100, 70, 5, 35, 120, 55, 5],
        }
    ).assign(share=lambda d: d["organisations"] / 215)


CHARTS: dict[str, Callable[[], object]] = {
    "trend": lambda: trend_chart(
        _table(),
        "2",
        "relative_likelihood",
        band=(0.8, 1.25),
        reference=1.0,
        comparisons=("London", "South West"),
    ),
    "trend-white-bme": lambda: trend_chart(
        _table(), "7", ("pct_white", "pct_bme"), series_break=2022
    ),
    "gap": lambda: gap_chart(_table(), 2024),
    "board": lambda: board_chart(_table(), 2024),
    "area": lambda: area_comparison_chart(
        _table(), "2", "relative_likelihood", 2024, band=(0.8, 1.25)
    ),
    "grade": lambda: grade_profile_chart(_table(), 2024, "clinical"),
    "parity": lambda: parity_chart(
        _table(), pd.DataFrame({"year": range(2019, 2029), "target_pct": np.linspace(10, 28, 10)})
    ),
    "range-counts": lambda: range_count_chart(_ranges()),
    "funnel": lambda: funnel_chart(*_funnel_frames(), indicator="2", highlight="RDD"),
}


@pytest.mark.parametrize("kind", CHARTS)
def test_series_differ_by_more_than_colour(kind: str) -> None:
    """Each legend entry differs from every other in marker, line style, hatching or kind."""
    chart = CHARTS[kind]()
    ax = chart.figure.axes[0]
    handles, labels = ax.get_legend_handles_labels()
    try:
        assert len(handles) >= 2, f"{kind}: fewer than two series in the legend"
        looks: dict[tuple, str] = {}
        for handle, label in zip(handles, labels, strict=True):
            seen = looks.setdefault(_looks(handle), label)
            assert seen == label, f"{kind}: {seen!r} and {label!r} differ only in colour"
    finally:
        plt.close("all")


# -- the organisation reports ----------------------------------------------------------------


@pytest.fixture(scope="module")
def organisation_report(report: Path) -> Path:
    """One demo organisation's report and the organisations index, built once (shared under
    xdist like the national report)."""
    from wres_analysis.data import load_dataset
    from wres_analysis.report.inputs import resolve_organisations

    out = report.parent / "a11y-organisations"
    with open(report.parent / "a11y-organisations.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (out / "index.html").is_file():
            code = resolve_organisations(load_dataset(None), ["all"], 2024)[0]
            params = ROOT / "params" / "organisation.yaml"
            args = ["build", str(params), "--organisation", code, "--output-dir", str(out)]
            assert main([*args, "--quiet"]) == 0
    return out


@pytest.mark.slow
def test_axe_finds_no_serious_violations_in_organisation_reports(
    browser: Chromium, organisation_report: Path
) -> None:
    pages = sorted(organisation_report.glob("*.html")) + sorted(
        organisation_report.glob("*/*.html")
    )
    assert len(pages) >= 6, pages  # the organisations index, and an index and 4 chapters
    failures = []
    for path in pages:
        page = Page(path.read_text(encoding="utf-8"))
        assert page.title, path
        requests = browser.open(path.as_uri())
        external = [url for url in requests if not url.startswith(("file:", "data:"))]
        violations = [v for v in browser.axe() if v["impact"] in FAILING_IMPACTS]
        if external or violations:
            failures.append(
                f"{path.relative_to(organisation_report)}: {external} {_describe(violations)}"
            )
    assert not failures, "\n".join(failures)
