"""One page layout for every page of the demo reports, and the visual check's screenshots.

The national report, one organisation report and the organisations index (built once, shared
with tests/test_accessibility.py) are checked for the header and navigation every page shares;
in headless Chromium, for a readable measure, one layout on index and chapter pages, and an
organisations index that fits a phone's width. Last, ``python -m tests.visual.screenshots``
is run on the organisation build and must write a PNG of every page that is not blank.
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.a11y.browser import Chromium, find_chromium
from tests.test_accessibility import organisation_report, report  # noqa: F401 (fixtures)
from tests.visual import screenshots
from wres_analysis.report.export import SYNTHETIC_BANNER

pytestmark = pytest.mark.slow


class Layout(HTMLParser):
    """The header, navigation and viewport of one page."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.viewport = False
        self.headers = 0
        self.title_in_header = ""
        self.navs: list[dict[str, str]] = []
        self._in: list[str] = []
        self._href: str | None = None
        self._rel = ""
        self._text = ""
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        if tag == "meta" and attr.get("name") == "viewport":
            self.viewport = "width=device-width" in attr.get("content", "")
        classes = attr.get("class", "").split()
        if tag == "header" and "wres-header" in classes:
            self.headers += 1
            self._in.append("header")
        elif tag == "p" and "wres-report-title" in classes:
            self._in.append("title")
        elif tag == "nav" and "wres-nav" in classes:
            self.navs.append({})
            self._in.append("nav")
        elif tag == "a" and "nav" in self._in:
            self._href, self._rel, self._text = attr.get("href", ""), attr.get("rel", ""), ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            words = " ".join(self._text.split())
            key = self._rel or ("contents" if words == "Contents" else words)
            self.navs[-1][key] = self._href
            self._href = None
        elif tag in ("header", "p", "nav") and self._in and self._in[-1] == {
            "header": "header",
            "p": "title",
            "nav": "nav",
        }[tag]:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if "title" in self._in:
            self.title_in_header += data
        if self._href is not None:
            self._text += data


def _layout(path: Path) -> Layout:
    return Layout(path.read_text(encoding="utf-8"))


def _chapters(folder: Path) -> list[str]:
    """The report's chapter pages in order, from its index's contents list."""
    index = (folder / "index.html").read_text(encoding="utf-8")
    contents = index[index.index('class="wres-contents"') :]
    return re.findall(r'<a href="([^"]+\.html)">', contents[: contents.index("</ol>")])


@pytest.mark.parametrize("which", ["national", "organisation"])
def test_every_report_page_has_one_header_and_navigation(
    report: Path,  # noqa: F811
    organisation_report: Path,  # noqa: F811
    which: str,
) -> None:
    folders = sorted(p for p in organisation_report.iterdir() if p.is_dir())
    folder = report if which == "national" else folders[0]
    chapters = _chapters(folder)
    assert len(chapters) >= 4, chapters
    pages = ["index.html", *chapters]
    titles = set()
    for position, name in enumerate(pages):
        page = _layout(folder / name)
        assert page.viewport, f"{name}: no viewport meta"
        assert page.headers == 1, f"{name}: {page.headers} headers"
        titles.add(" ".join(page.title_in_header.split()))
        assert len(page.navs) == 2, f"{name}: navigation above and below, got {len(page.navs)}"
        assert page.navs[0] == page.navs[1], name
        nav = page.navs[0]
        assert nav.get("contents") == "index.html", f"{name}: {nav}"
        # the first chapter's way back is Contents; the index's way on is the first chapter
        assert nav.get("prev") == (pages[position - 1] if position > 1 else None), name
        following = pages[position + 1] if position + 1 < len(pages) else None
        assert nav.get("next") == following, f"{name}: {nav}"
        if which == "organisation":
            assert nav.get("All organisation reports") == "../index.html", f"{name}: {nav}"
        else:
            assert "All organisation reports" not in nav, name
    assert len(titles) == 1 and titles.pop(), f"one report title in every header: {titles}"


def test_organisations_index_has_the_same_header(organisation_report: Path) -> None:  # noqa: F811
    page = _layout(organisation_report / "index.html")
    text = (organisation_report / "index.html").read_text(encoding="utf-8")
    assert page.viewport and page.headers == 1 and page.title_in_header.strip()
    assert " ".join(SYNTHETIC_BANNER.split()) in " ".join(text.split())
    assert 'data-label="Organisation"' in text  # the narrow-screen list names each value


# -- in the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Chromium:
    if find_chromium() is None:
        if os.environ.get("WRES_REQUIRE_BROWSER") == "1":
            pytest.fail("WRES_REQUIRE_BROWSER=1 but Chromium not found")
        pytest.skip("Chromium not found (install it with `make browser-deps`)")
    with Chromium(find_chromium() or "") as chromium:
        yield chromium


#: A readable measure: no line of prose wider than this many CSS pixels (about 80
#: characters of 16-pixel text) in a 1280-pixel window.
MEASURE_PX = 760

_LAYOUT = """(() => {
  const box = e => e ? e.getBoundingClientRect() : null;
  const prose = [...document.querySelectorAll('main p, main li')]
    .filter(e => !e.closest('table') && e.textContent.trim().length > 40);
  const body = getComputedStyle(document.querySelector('main p') || document.body);
  const main = box(document.querySelector('main'));
  return {
    widest: Math.max(0, ...prose.map(e => box(e).width)),
    // where the column sits, whether or not a scroll bar narrows the window
    header: box(document.querySelector('.wres-report-title')).left - main.left,
    main: [main.width, 2 * main.left + main.width - document.documentElement.clientWidth],
    font: body.fontFamily, size: body.fontSize,
    scroll: document.documentElement.scrollWidth,
  };
})()"""


def test_one_layout_and_a_readable_measure_on_every_page(
    browser: Chromium,
    report: Path,  # noqa: F811
    organisation_report: Path,  # noqa: F811
) -> None:
    pages = [report / "index.html", *(report / n for n in _chapters(report))]
    pages += [organisation_report / "index.html"]
    seen = {}
    browser.viewport(1280, 1000)
    for path in pages:
        browser.open(path.as_uri())
        found = browser.evaluate(_LAYOUT)
        assert found["widest"] <= MEASURE_PX, f"{path.name}: prose {found['widest']:.0f} px wide"
        seen[path.name if path.parent == report else "organisations index"] = (
            round(found["header"]),
            tuple(round(x) for x in found["main"]),
            found["font"],
            found["size"],
        )
    assert len(set(seen.values())) == 1, f"the same column and type on every page: {seen}"


def test_organisations_index_fits_a_phone(browser: Chromium, organisation_report: Path) -> None:  # noqa: F811
    browser.open((organisation_report / "index.html").as_uri())
    browser.viewport(screenshots.PHONE, 800)
    try:
        found = browser.evaluate(_LAYOUT)
        assert found["scroll"] <= screenshots.PHONE, f"{found['scroll']} px wide on a phone"
        link = browser.evaluate(
            "(() => { const a = document.querySelector('#wres-org-table a');"
            " const r = a.getBoundingClientRect(); return [r.left, r.right]; })()"
        )
        assert link[0] >= 0 and link[1] <= screenshots.PHONE, link
    finally:
        browser.viewport(1280, 1000)


# -- the visual check ----------------------------------------------------------------------------


def _blank(png: Path) -> bool:
    """Whether a screenshot shows next to nothing: one colour, or almost all white."""
    from PIL import Image

    with Image.open(png) as image:
        grey = image.convert("L")
        if grey.getextrema()[0] == grey.getextrema()[1]:
            return True
        histogram = grey.histogram()
        return sum(histogram[:200]) < 0.005 * grey.width * grey.height


def test_screenshots_of_every_page(
    organisation_report: Path,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if find_chromium() is None:
        pytest.skip("Chromium not found (install it with `make browser-deps`)")
    shots = tmp_path / "shots"
    assert screenshots.main([str(organisation_report), str(shots)]) == 0
    said = capsys.readouterr().out
    pages = screenshots.pages(organisation_report)
    assert len(pages) >= 6, pages
    from PIL import Image

    for page in pages:
        relative = page.relative_to(organisation_report)
        views = ["desktop"] + (["phone"] if page.name == "index.html" else [])
        for view in views:
            png = shots / screenshots._name(relative, view)
            assert png.is_file(), f"no screenshot of {relative} ({view})"
            with Image.open(png) as image:
                width = screenshots.DESKTOP if view == "desktop" else screenshots.PHONE
                assert image.width == width and image.height >= 400, (relative, image.size)
            assert not _blank(png), f"the screenshot of {relative} ({view}) is blank"
    assert (shots / "index.html").is_file() and str(shots) in said
    for pdf in sorted(organisation_report.rglob("*.pdf")):  # the PDF editions, if built
        import pypdfium2

        relative = pdf.relative_to(organisation_report)
        count = len(pypdfium2.PdfDocument(str(pdf)))
        for number in range(1, count + 1):
            png = shots / screenshots._name(relative, f"page-{number:03d}")
            assert png.is_file(), f"no image of {relative} page {number}"
            assert not _blank(png), f"the image of {relative} page {number} is blank"
