"""``wres audit OUTPUT_DIR``: look for counts the disclosure rule should have suppressed.

Disclosure control is applied when chapters publish (:mod:`wres_analysis.report.chapter`); this is
the independent check on what actually reached the published folder. It reads every table
(CSV, every sheet of the XLSX workbook) and every table shown in the executed notebooks, and
reports each count of people below national level that the rule would suppress (1 to 7 by
default) or that is not rounded to the rule's base. Rows whose ``level`` is ``national`` are
exempt; a table with counts and no ``level`` column is treated as sub-national. Notebook
outputs that print a data frame as plain text cannot be checked and are reported too.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd

from wres_analysis.data.problems import Problem
from wres_analysis.disclosure import DisclosureRule
from wres_analysis.exit_codes import EXIT_FAILURE, EXIT_OK, EXIT_USAGE

__all__ = ["COUNT_COLUMN_NAMES", "AuditFinding", "audit_output", "cli_audit"]

#: Column names that hold counts of people in published tables (and in raw contract tables,
#: should one ever leak into a report).
COUNT_COLUMN_NAMES = frozenset(
    {
        "white_count",
        "white_total",
        "bme_count",
        "bme_total",
        "total",
        "unknown",
        "headcount",
        "shortlisted",
        "appointed",
        "entered_process",
        "accessed_training",
        "respondents",
        "count",
    }
)


#: A finding names where it is (file or notebook cell, row, column) like a loader problem.
AuditFinding = Problem


def _column_name(header: object) -> str:
    """A header as shown in HTML ("BME total", "% unknown") back to its column name."""
    text = str(header).strip().lower().replace("%", "pct").replace("(pp)", "pp")
    return "_".join(text.split())


def _check_frame(
    frame: pd.DataFrame, label: str, rule: DisclosureRule, first_row: int
) -> Iterator[AuditFinding]:
    frame = frame.rename(columns=_column_name)
    columns = [c for c in frame.columns if c in COUNT_COLUMN_NAMES]
    if not columns:
        return
    if "level" in frame.columns:
        local = frame["level"].astype(str).str.strip().str.lower() != "national"
    else:
        local = pd.Series(True, index=frame.index)
    for column in columns:
        values = pd.to_numeric(frame[column].astype(str).str.replace(",", ""), errors="coerce")
        small = local & rule.suppressed(values)
        unrounded = local & values.notna() & (values % rule.round_to != 0)
        for position in frame.index[small]:
            yield AuditFinding(
                label,
                f"count {values[position]:g} should have been suppressed ({rule.describe()})",
                row=first_row + int(position),
                column=str(column),
            )
        for position in frame.index[unrounded & ~small]:
            yield AuditFinding(
                label,
                f"count {values[position]:g} is not rounded to the nearest {rule.round_to}",
                row=first_row + int(position),
                column=str(column),
            )


class _Tables(HTMLParser):
    """Every <table> in an HTML fragment as rows of cell text (header row first)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self.tables:
            self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _html_frames(text: str) -> list[pd.DataFrame]:
    parser = _Tables()
    parser.feed(text)
    frames = []
    for rows in parser.tables:
        if len(rows) >= 2 and all(len(r) == len(rows[0]) for r in rows[1:]):
            frames.append(pd.DataFrame(rows[1:], columns=rows[0]))
    return frames


def _audit_notebook(path: Path, label: str, rule: DisclosureRule) -> Iterator[AuditFinding]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for number, cell in enumerate(notebook.get("cells", [])):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            html = data.get("text/html")
            if html is not None:
                text = "".join(html) if isinstance(html, list) else html
                for frame in _html_frames(text):
                    yield from _check_frame(frame, f"{label} cell {number}", rule, 1)
            elif "text/plain" in data or output.get("output_type") == "stream":
                plain = data.get("text/plain", output.get("text", ""))
                plain = "".join(plain) if isinstance(plain, list) else plain
                if " rows x " in plain and " columns]" in plain:
                    yield AuditFinding(
                        f"{label} cell {number}",
                        "a data frame printed as text "
                        "cannot be checked; publish tables with publish_table",
                    )


def _audit_workbook(path: Path, label: str, rule: DisclosureRule) -> Iterator[AuditFinding]:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=False, data_only=True)
    for sheet in workbook.worksheets:
        for table in sheet.tables.values():
            cells = sheet[table.ref]
            rows = [[c.value for c in row] for row in cells]
            if len(rows) < 2:
                continue
            frame = pd.DataFrame(rows[1:], columns=[str(h) for h in rows[0]])
            first = cells[1][0].row
            yield from _check_frame(frame, f"{label} [sheet {sheet.title!r}]", rule, first)


def _rule_for(report: Path) -> DisclosureRule:
    manifest = report / "manifest.json"
    if manifest.exists():
        parameters = json.loads(manifest.read_text()).get("parameters", {})
        disclosure = parameters.get("disclosure")
        if isinstance(disclosure, dict):
            return DisclosureRule.from_mapping(disclosure)
    return DisclosureRule()


def audit_output(folder: str | Path, rule: DisclosureRule | None = None) -> list[AuditFinding]:
    """Every disclosure finding in the published reports under ``folder``.

    Each report folder (one holding ``manifest.json``) is audited with the rule in its
    manifest unless ``rule`` is given; CSV and XLSX under ``tables/`` and the executed
    notebooks under ``notebooks/`` are read.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder of built reports")
    reports = sorted({p.parent for p in folder.rglob("manifest.json")}) or [folder]
    findings: list[AuditFinding] = []
    for report in reports:
        chosen = rule or _rule_for(report)
        for path in sorted(report.glob("tables/*.csv")):
            label = str(path.relative_to(folder))
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
            findings.extend(_check_frame(frame, label, chosen, first_row=2))
        for path in sorted(report.glob("tables/*.xlsx")):
            findings.extend(_audit_workbook(path, str(path.relative_to(folder)), chosen))
        for path in sorted(report.glob("notebooks/*.ipynb")):
            findings.extend(_audit_notebook(path, str(path.relative_to(folder)), chosen))
    return findings


def cli_audit(folder: Path) -> int:
    """Print the audit of ``folder``; 0 when clean, 1 when anything was found."""
    try:
        findings = audit_output(folder)
    except FileNotFoundError as exc:
        print(f"wres audit: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if findings:
        print(f"{len(findings)} disclosure finding(s) in {folder}:", file=sys.stderr)
        for finding in findings[:200]:
            print(f"- {finding}", file=sys.stderr)
        return EXIT_FAILURE
    print(f"No count in {folder} breaks the disclosure rule.")
    return EXIT_OK
