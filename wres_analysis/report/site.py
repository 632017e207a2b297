"""The report's ``index.html``: the title, the headline table and links to every chapter."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from wres_analysis.report.export import TEMPLATES, Link, PageContext
from wres_analysis.report.layout import INDEX_PAGE
from wres_analysis.report.publish import csv_unescape, reader_html, table_html
from wres_analysis.tables.reader import ReaderTable

__all__ = ["HEADLINE_TABLE", "write_index"]

#: The name of the summary chapter's table shown on the index page.
HEADLINE_TABLE = "headline"


def _headline(tables: Sequence[dict], report: Path) -> str:
    for entry in tables:
        if entry["name"] == HEADLINE_TABLE:
            if entry.get("reader"):  # the table as its chapter shows it
                return reader_html(ReaderTable.from_dict(entry["reader"]))
            frame = pd.read_csv(report / entry["file"], keep_default_na=False)
            for column in frame.columns:
                if frame[column].dtype == object:
                    frame[column] = frame[column].map(
                        lambda v: csv_unescape(v) if isinstance(v, str) else v
                    )
            return table_html(frame, entry["title"], notes=entry.get("notes"))
    return ""


def write_index(
    report: Path,
    *,
    title: str,
    year: int,
    synthetic: bool,
    chapters: Sequence[Link],
    tables: Sequence[dict],
    workbook: str,
    built_from: str,
    up: Link | None = None,
    editions: Sequence[Link] = (),
) -> None:
    """Write ``report/index.html``.

    Parameters
    ----------
    report
        The report folder (holding ``tables/``).
    title, year
        The report's title and year.
    synthetic
        Whether to show the synthetic-data banner.
    chapters
        Links to the chapter pages, in order.
    tables
        The published tables; the one named :data:`HEADLINE_TABLE` is shown.
    workbook
        Relative path of the XLSX workbook.
    built_from
        A short description of the data source for the page.
    up
        A link above the report, first in the navigation (an organisation report's link to
        every organisation report).
    editions
        Links to the report's Word and PDF editions, listed first under Downloads.

    The page has the header and footer of the report's chapters
    (``templates/wres-layout.html.j2``): its Contents link is marked current and its Next
    link is the first chapter.
    """
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        keep_trailing_newline=True,
    )
    css = (TEMPLATES / "wres-chapter" / "wres.css").read_text(encoding="utf-8")
    context = PageContext(
        title=title,
        report_title=title,
        synthetic=synthetic,
        next=chapters[0] if chapters else None,
        up=up,
        here="contents",
    )
    page = env.get_template("report-index.html.j2").render(
        page=asdict(context),
        title=title,
        year=year,
        chapters=chapters,
        headline_html=_headline(tables, report),
        workbook=workbook,
        built_from=built_from,
        editions=editions,
        css=css,
    )
    (report / INDEX_PAGE).write_text(page, encoding="utf-8")
