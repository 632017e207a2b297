"""Screenshots of every page of a built report, for a person to look at.

    python -m tests.visual.screenshots OUTPUT_DIR SHOTS_DIR     (or: make screenshots)

Every HTML page under ``OUTPUT_DIR`` (a national report folder, or an organisations folder
with its index and one folder per organisation) is opened in headless Chromium
(:mod:`tests.a11y.browser`, as the accessibility tests drive it: no network) and saved as a
PNG of the whole page, 1280 pixels wide; each index page is saved again 390 pixels wide, a
phone's width. Each PDF edition in the folder (``wres-<scope>-<year>.pdf``) is rendered page
by page with pypdfium2 (a test dependency; a wheel with PDFium inside, so no system package
such as pdftoppm), and skipped with a message when it is not installed.
``SHOTS_DIR/index.html`` shows them all, page by page, so a developer can open one file and
look through the report as a reader would.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.a11y.browser import Chromium, find_chromium

__all__ = ["DESKTOP", "PHONE", "Shot", "main", "pdf_pages", "take"]

#: Widths (CSS pixels) of the screenshots: a desktop window, and a phone for index pages.
DESKTOP = 1280
PHONE = 390
#: Resolution PDF pages are rendered at (pixels per inch).
PDF_DPI = 100


@dataclass(frozen=True)
class Shot:
    """One PNG written: what it shows and the file."""

    source: str
    view: str
    png: Path


def _name(relative: Path, suffix: str) -> str:
    """A flat file name for a page: ``R0A/summary.html`` -> ``R0A--summary.desktop.png``."""
    return "--".join(relative.with_suffix("").parts) + f".{suffix}.png"


#: The link to the next page in a report page's navigation (attributes in either order).
_NEXT = re.compile(r'<a\b[^>]*\brel="next"[^>]*>')
_HREF = re.compile(r'\bhref="([^"]+)"')


def _reading_order(folder: Path, names: list[str]) -> list[str]:
    """The pages of one report folder in reading order: the index, then each "Next" link
    followed to the last chapter; any page not reached after them, by name."""
    order: list[str] = []
    page = "index.html" if "index.html" in names else None
    while page is not None and page in names and page not in order:
        order.append(page)
        link = _NEXT.search((folder / page).read_text(encoding="utf-8"))
        href = _HREF.search(link.group(0)) if link else None
        page = html.unescape(href.group(1)) if href else None
    return order + sorted(n for n in names if n not in order)


def pages(output_dir: Path) -> list[Path]:
    """Every HTML page of the report(s) under ``output_dir``, folder by folder (the top
    folder first), each folder's pages in reading order."""
    by_folder: dict[Path, list[str]] = {}
    for path in output_dir.rglob("*.html"):
        if not any(part.startswith(".") for part in path.relative_to(output_dir).parts):
            by_folder.setdefault(path.parent, []).append(path.name)
    return [
        folder / name
        for folder in sorted(by_folder, key=lambda f: f.relative_to(output_dir).parts)
        for name in _reading_order(folder, by_folder[folder])
    ]


def pdf_pages(pdf: Path, shots_dir: Path, relative: Path) -> list[Shot]:
    """Render every page of ``pdf`` to a PNG with pypdfium2; raise ImportError without it."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    written = []
    try:
        for number in range(len(document)):
            page = document[number]
            image = page.render(scale=PDF_DPI / 72).to_pil()
            png = shots_dir / _name(relative, f"page-{number + 1:03d}")
            image.save(png)
            written.append(Shot(str(relative), f"PDF page {number + 1}", png))
            page.close()
    finally:
        document.close()
    return written


def take(output_dir: Path, shots_dir: Path, browser: Chromium) -> tuple[list[Shot], list[str]]:
    """Write the screenshots of every page (and PDF page) under ``output_dir`` into
    ``shots_dir``; return them and the messages about what was skipped."""
    shots_dir.mkdir(parents=True, exist_ok=True)
    shots: list[Shot] = []
    for page in pages(output_dir):
        relative = page.relative_to(output_dir)
        browser.open(page.resolve().as_uri())
        views = [("desktop", DESKTOP)] + ([("phone", PHONE)] if page.name == "index.html" else [])
        for view, width in views:
            png = shots_dir / _name(relative, view)
            png.write_bytes(browser.screenshot(width))
            shots.append(Shot(str(relative), f"{view}, {width} px wide", png))
    skipped = []
    pdfs = sorted(output_dir.rglob("*.pdf"))
    for pdf in pdfs:
        try:
            shots.extend(pdf_pages(pdf, shots_dir, pdf.relative_to(output_dir)))
        except ImportError:
            skipped.append(
                f"{len(pdfs)} PDF edition(s) not rendered: pypdfium2 is not installed "
                "(pip install pypdfium2)"
            )
            break
    return shots, skipped


def write_gallery(shots: list[Shot], shots_dir: Path, title: str) -> Path:
    """``shots_dir/index.html``: every screenshot in order, each under its page's name."""
    items = "\n".join(
        f'<section><h2>{html.escape(s.source)} <small>({html.escape(s.view)})</small></h2>'
        f'<a href="{html.escape(s.png.name)}"><img src="{html.escape(s.png.name)}" '
        f'alt="Screenshot of {html.escape(s.source)}, {html.escape(s.view)}" loading="lazy"></a>'
        "</section>"
        for s in shots
    )
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Screenshots: {html.escape(title)}</title><style>"
        "body{font-family:system-ui,sans-serif;margin:1rem;background:#eee}"
        "section{margin:0 0 2rem}img{max-width:100%;border:1px solid #888;background:#fff}"
        f"</style></head><body><h1>Screenshots: {html.escape(title)}</h1>\n{items}\n"
        "</body></html>\n"
    )
    gallery = shots_dir / "index.html"
    gallery.write_text(page, encoding="utf-8")
    return gallery


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.visual.screenshots",
        description="Screenshot every page of a built report (and its PDF editions).",
    )
    parser.add_argument("output_dir", type=Path, help="a built report's folder")
    parser.add_argument("shots_dir", type=Path, help="where to write the PNGs")
    args = parser.parse_args(argv)
    if not args.output_dir.is_dir() or not pages(args.output_dir):
        print(f"error: no HTML pages in {args.output_dir} (build a report first)", file=sys.stderr)
        return 2
    chromium = find_chromium()
    if chromium is None:
        print("error: Chromium not found (install it with `make browser-deps`)", file=sys.stderr)
        return 2
    with Chromium(chromium) as browser:
        shots, skipped = take(args.output_dir, args.shots_dir, browser)
    gallery = write_gallery(shots, args.shots_dir, str(args.output_dir))
    for message in skipped:
        print(f"note: {message}")
    print(f"{len(shots)} screenshots of {args.output_dir} in {args.shots_dir}; open {gallery}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
