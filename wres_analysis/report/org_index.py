"""The top-level index of organisation reports: ``outputs/organisations/<year>/index.html``.

One page lists every organisation whose report is in the year's folder, from whichever build
wrote it: code, name, region, trust type, when it was built, and a link. A search box filters the
rows by code or name. The page has the header and footer of every report page
(``templates/wres-layout.html.j2``); on a narrow screen (a phone) each row of the table is
shown as a short block, the name first, each other value after its column's name. The page
works offline and without JavaScript (the table is complete; the script only hides rows), the
search box has a label, and the number of rows shown is announced to screen readers through
an ``aria-live`` region. A machine-readable ``organisations.csv``
sits beside it (cells a spreadsheet would run as formulas are neutralised, as in every table).

The list is read from the organisation folders' ``manifest.json`` files, so building a subset
of organisations updates their rows and keeps everyone else's.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from wres_analysis.report.layout import INDEX_PAGE, MANIFEST_FILE

__all__ = ["INDEX_CSV", "OrganisationEntry", "read_entries", "write_organisation_index"]

#: The machine-readable list written beside ``index.html``.
INDEX_CSV = "organisations.csv"


@dataclass(frozen=True)
class OrganisationEntry:
    """One organisation report found in the year's folder."""

    code: str
    name: str
    region: str
    org_type: str
    built: str
    synthetic: bool

    @property
    def href(self) -> str:
        """Link to the organisation's report, relative to the index."""
        return f"{self.code}/index.html"

    @property
    def search_text(self) -> str:
        """What the search box matches: the code and the name, lower case."""
        return f"{self.code} {self.name}".lower()


def _entry(folder: Path) -> OrganisationEntry | None:
    try:
        manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if manifest.get("report", {}).get("kind") != "organisation":
        return None
    organisation = manifest.get("scope") or {}
    if organisation.get("level") != "organisation":
        return None
    code = str(organisation.get("code") or folder.name)
    if code != folder.name:
        return None
    built = str(manifest.get("build", {}).get("started_utc", ""))[:10]
    return OrganisationEntry(
        code=code,
        name=str(organisation.get("name", "")),
        region=str(organisation.get("region", "")),
        org_type=str(organisation.get("org_type", "")),
        built=built,
        synthetic=bool(manifest.get("dataset", {}).get("synthetic", False)),
    )


def read_entries(year_dir: Path) -> list[OrganisationEntry]:
    """Every organisation report in ``year_dir`` (folders with an organisation manifest),
    sorted by code; failed builds (``*.failed``) and temporary folders are ignored."""
    entries = []
    for folder in sorted(Path(year_dir).iterdir() if Path(year_dir).is_dir() else []):
        if folder.is_dir() and not folder.name.startswith(".") and "." not in folder.name:
            entry = _entry(folder)
            if entry is not None:
                entries.append(entry)
    return sorted(entries, key=lambda e: e.code)


def _write_atomic(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def write_organisation_index(year_dir: Path, *, title: str, year: int) -> list[OrganisationEntry]:
    """Write ``year_dir/index.html`` and ``year_dir/organisations.csv``; return the entries.

    Parameters
    ----------
    year_dir
        The folder holding one folder per organisation report.
    title
        The page's heading (e.g. "WRES organisation reports, 2024").
    year
        The report year.

    Notes
    -----
    The synthetic-data banner is shown when any listed report was built from synthetic data.
    Both files are replaced atomically, so a reader never sees half a page.
    """
    import jinja2

    from wres_analysis.report.export import TEMPLATES, PageContext

    year_dir = Path(year_dir)
    year_dir.mkdir(parents=True, exist_ok=True)
    entries = read_entries(year_dir)
    css_path = TEMPLATES / "wres-chapter" / "wres.css"
    css = css_path.read_text(encoding="utf-8") if css_path.exists() else ""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        keep_trailing_newline=True,
    )
    # the header: the banner and the title, no navigation (each report links back here)
    synthetic = any(e.synthetic for e in entries)
    context = PageContext(title=title, report_title=title, synthetic=synthetic, contents_href="")
    page = env.get_template("organisations-index.html.j2").render(
        page=asdict(context),
        title=title,
        year=year,
        entries=entries,
        css=css,
        csv_name=INDEX_CSV,
        example_code=entries[0].code if entries else "RXX",
    )
    _write_atomic(year_dir / INDEX_PAGE, page)
    import pandas as pd

    from wres_analysis.report.publish import csv_text

    listing = pd.DataFrame(
        [[e.code, e.name, e.region, e.org_type, e.built, e.href] for e in entries],
        columns=["org_code", "org_name", "region", "org_type", "built", "report"],
    )
    _write_atomic(year_dir / INDEX_CSV, csv_text(listing))
    return entries
