"""Every name and path inside a report folder, named once.

A report folder (the national report, or one organisation's) holds::

    index.html              the report's front page
    <chapter>.html          one page per chapter
    report.css              the stylesheet every page links
    tables/<name>.csv       every table shown
    tables/indicators.csv   every indicator value in long form (from the chapter inputs)
    tables/changes.csv      every change between years, tested (from the chapter inputs)
    tables/wres-tables.xlsx every table in one workbook
    figures/<name>.png      every chart
    notebooks/<chapter>.ipynb  the executed notebooks
    manifest.json           parameters, inputs, software, chapters, outputs
    wres-<scope>-<year>.docx  the Word edition (scope: national or the organisation's code)
    wres-<scope>-<year>.pdf   the PDF edition (tagged, PDF/UA-1)

An organisation build's year folder also holds ``index.html`` and ``organisations.csv``, the
list of every organisation report in it.
"""

from __future__ import annotations

__all__ = [
    "CHANGES_FILE",
    "CHAPTER_WORK",
    "EDITION_FORMATS",
    "FIGURES_DIR",
    "INDEX_PAGE",
    "INDICATORS_FILE",
    "MANIFEST_FILE",
    "NOTEBOOKS_DIR",
    "SIDE_CAR",
    "STYLESHEET",
    "TABLES_DIR",
    "WORKBOOK_FILE",
    "chapter_page",
    "edition_file",
    "executed_notebook",
]

TABLES_DIR = "tables"
FIGURES_DIR = "figures"
NOTEBOOKS_DIR = "notebooks"
INDEX_PAGE = "index.html"
STYLESHEET = "report.css"
MANIFEST_FILE = "manifest.json"
INDICATORS_FILE = f"{TABLES_DIR}/indicators.csv"
CHANGES_FILE = f"{TABLES_DIR}/changes.csv"
WORKBOOK_FILE = f"{TABLES_DIR}/wres-tables.xlsx"
#: What a chapter published, one JSON line per table or figure, in its private output folder.
SIDE_CAR = "published.jsonl"
#: The folder of a build's private work folder holding each chapter's output folder.
CHAPTER_WORK = "chapters"


def chapter_page(chapter: str) -> str:
    """A chapter's page in the report folder."""
    return f"{chapter}.html"


def executed_notebook(chapter: str) -> str:
    """A chapter's executed notebook in the report folder."""
    return f"{NOTEBOOKS_DIR}/{chapter}.ipynb"


#: The formats of a report's editions, each a file named by :func:`edition_file`.
EDITION_FORMATS = ("docx", "pdf")


def edition_file(scope: str, year: int, edition: str) -> str:
    """A report's Word or PDF edition in the report folder: ``wres-<scope>-<year>.<format>``
    (scope ``national`` or the organisation's code)."""
    return f"wres-{scope}-{year}.{edition}"
