"""``wres audit OUTPUT_DIR``: look in published reports for counts the disclosure rule hides.

Disclosure control is applied when chapters publish (:mod:`wres_analysis.report.chapter`); this
is the independent check on what actually reached the published folder. It reads every table
(CSV, every sheet of the XLSX workbook, every table shown in the executed notebooks, every
table of the Word edition and of the PDF edition's attached data) and goes
by values, not by the names of the columns:

- **Counts.** Every column whose values are all whole numbers is a count of people, whatever
  its name, unless the report's manifest declares it a year, an indicator number, a number of
  years pooled, a count of organisations or a count of rows (``outputs.disclosure_audit``).
  Each declaration is itself checked: a declared column with a value outside its kind's range
  is reported as a count.
  Below national level a count the rule would suppress (1 to 7 by default), or one not rounded
  to the rule's base, is reported.
  Rows naming a breakdown the manifest declares exempt (``outputs.disclosure_audit.exempt_rows``:
  board members, when the report's rule leaves board counts uncontrolled) are not checked for
  counts, only for precision.
- **Precision.** Below national level a figure with decimals (a percentage, ratio or limit)
  may carry no more decimals than the rule publishes.
- **Back-calculation** (reported as a note, not a finding). In each CSV row below national
  level, each published figure with decimals is tried as ``a/b``, ``100*a/b``,
  ``100*a/(a+b)`` and ``(a/b)/(c/d)`` of the row's rounded counts; if exactly one set of exact
  counts within the rounding reproduces it, the figure pins those exact counts.

A row is national when some column holds only report levels (``national``, ``region``, ``icb``,
``org_type``, ``organisation``, ``peer_group``) and the row's value there is ``national``; a
table without such a column is below national level throughout. Notebook outputs that print a
data frame as plain text cannot be checked and are reported too. What the check cannot see is
listed in ``docs/hardening.md``.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd

from wres_analysis.data.problems import Problem
from wres_analysis.disclosure import DisclosureRule
from wres_analysis.exit_codes import EXIT_FAILURE, EXIT_OK, EXIT_USAGE

__all__ = ["LEVEL_VALUES", "AuditFinding", "Declarations", "audit_output", "cli_audit"]

#: The values of a report's level column.
LEVEL_VALUES = frozenset(
    {"national", "region", "icb", "org_type", "organisation", "peer_group"}
)

#: A finding names where it is (file or notebook cell, row, column) like a loader problem.
AuditFinding = Problem

#: Indicator numbers of the WRES (a declared indicator column holds only these).
_INDICATORS = frozenset(range(1, 10))
_YEARS = (1900, 2100)
#: What a shown table's caption adds after its title when a column repeats one value.
_CONSTANTS_SAID = " (in every row: "
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


@dataclass(frozen=True)
class Declarations:
    """A report's declared non-count columns (from its manifest) and their bounds."""

    by_table: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # name -> col -> kind
    by_title: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # title -> header
    bounds: Mapping[str, int] = field(default_factory=dict)
    national: bool = False  # a national report: a table without a level column is national
    #: Breakdowns whose rows' counts the report's rule leaves uncontrolled (the manifest's
    #: ``exempt_rows``: board members, unless the rule controls them); lower case.
    exempt: frozenset[str] = frozenset()

    @classmethod
    def of(cls, manifest: Mapping) -> Declarations:
        entry = manifest.get("outputs", {}).get("disclosure_audit", {}) or {}
        by_table, by_title = {}, {}
        for name, table in (entry.get("non_counts") or {}).items():
            columns = table.get("columns", {})
            by_table[name] = {c: d["kind"] for c, d in columns.items()}
            by_title[table.get("title", "")] = {d["header"]: d["kind"] for d in columns.values()}
        national = (manifest.get("scope") or {}).get("level") == "national"
        exempt = frozenset(
            str(b).strip().lower() for b in (entry.get("exempt_rows") or {}).get("breakdowns", ())
        )
        return cls(by_table, by_title, dict(entry.get("bounds") or {}), national, exempt)

    def captioned(self, caption: str) -> Mapping[str, str]:
        """The declared columns (header -> kind) of the shown table with ``caption``: its
        title's, also when the caption says after the title what every row holds ("<title>
        (in every row: ...)", :func:`wres_analysis.tables.reader.fold_constants`)."""
        if caption in self.by_title:
            return self.by_title[caption]
        head, marker, _ = caption.partition(_CONSTANTS_SAID)
        return self.by_title.get(head, {}) if marker else {}

    def exempt_rows(self, frame: pd.DataFrame) -> np.ndarray:
        """True for rows with a cell naming an exempt breakdown: their counts are not
        checked (their figures' precision still is)."""
        if not self.exempt:
            return np.zeros(len(frame), dtype=bool)
        cells = frame.astype(str).apply(lambda c: c.str.strip().str.lower().isin(self.exempt))
        return cells.any(axis=1).to_numpy(dtype=bool)

    def sheet(self, title: str) -> Mapping[str, str]:
        """The declared columns of the table on a workbook sheet (the workbook cuts sheet
        names to 28 characters: the one table whose name begins so; none if it is not one)."""
        if title in self.by_table:
            return self.by_table[title]
        named = [n for n in self.by_table if len(n) > len(title) == 28 and n[:28] == title]
        return self.by_table[named[0]] if len(named) == 1 else {}

    def within(self, kind: str, value: float) -> bool:
        """Whether ``value`` can be a ``kind`` (else the declaration is wrong)."""
        if kind == "year":
            return _YEARS[0] <= value <= _YEARS[1]
        if kind == "indicator":
            return value in _INDICATORS
        if kind in ("years", "organisations", "records"):
            bound = self.bounds.get(kind)
            return bound is not None and (1 if kind == "years" else 0) <= value <= bound
        return False


def _number(text: str) -> float | None:
    """A published cell as a number ("21,390" -> 21390.0), or None (text, empty, symbol)."""
    cleaned = text.strip().replace(",", "")
    if not _NUMBER.match(cleaned):
        return None
    return float(cleaned)


def _decimals(text: str) -> int:
    """Decimal places of a number as written, trailing zeros not counted ("3.20" -> 1)."""
    cleaned = text.strip().replace(",", "").lower()
    if "e" in cleaned:
        mantissa, exponent = cleaned.split("e")
        return max(_decimals(mantissa) - int(exponent), 0)
    if "." not in cleaned:
        return 0
    return len(cleaned.split(".", 1)[1].rstrip("0"))


def _level_column(frame: pd.DataFrame) -> str | None:
    """The column holding report levels, found by its values."""
    for column in frame.columns:
        values = {str(v).strip().lower() for v in frame[column] if str(v).strip()}
        if values and values <= LEVEL_VALUES:
            return column
    return None


@dataclass
class _Column:
    name: str
    numbers: list[float | None]  # one per row
    texts: list[str]

    @property
    def whole(self) -> bool:
        """Every value a whole number written as one ("4", not "4.0": a figure rounded to a
        whole value is still written with its decimal point, a count never is)."""
        present = [(n, t) for n, t in zip(self.numbers, self.texts, strict=True) if n is not None]
        return bool(present) and all(
            math.isfinite(n) and n == int(n) and not any(c in t for c in ".eE")
            for n, t in present
        )


def _columns(frame: pd.DataFrame, symbol: str) -> list[_Column]:
    out = []
    for column in frame.columns:
        texts = ["" if v is None else str(v) for v in frame[column]]
        numbers = [_number(t) for t in texts]
        other_text = any(
            n is None and t.strip() not in ("", symbol, "nan", "inf", "-inf")
            for n, t in zip(numbers, texts, strict=True)
        )
        if not other_text:
            out.append(_Column(str(column), numbers, texts))
    return out


def _check_frame(
    frame: pd.DataFrame,
    label: str,
    rule: DisclosureRule,
    first_row: int,
    declared: Mapping[str, str],
    declarations: Declarations,
    pins: list[AuditFinding] | None = None,
    figures: frozenset[str] = frozenset(),
) -> Iterator[AuditFinding]:
    frame = frame.reset_index(drop=True)
    level = _level_column(frame)
    if level is None:
        local = np.full(len(frame), not declarations.national)
    else:
        local = (frame[level].astype(str).str.strip().str.lower() != "national").to_numpy()
    counts: list[_Column] = []
    derived: list[_Column] = []
    for column in _columns(frame, rule.symbol):
        if column.whole and column.name not in figures:
            kind = declared.get(column.name)
            if kind is None:
                counts.append(column)
                continue
            wrong = [
                i for i, n in enumerate(column.numbers)
                if n is not None and not declarations.within(kind, n)
            ]
            for i in wrong:
                yield AuditFinding(
                    label,
                    f"declared a {kind} column, but {column.numbers[i]:g} cannot be one; "
                    "checked as a count",
                    row=first_row + i,
                    column=column.name,
                )
            if wrong:
                counts.append(column)
        elif any(n is not None for n in column.numbers):
            derived.append(column)
    counted = local & ~declarations.exempt_rows(frame)
    for column in counts:
        yield from _check_counts(column, counted, label, rule, first_row)
    places = max(rule.percent_decimals, rule.ratio_decimals)
    for column in derived:
        for i, (number, text) in enumerate(zip(column.numbers, column.texts, strict=True)):
            if local[i] and number is not None and _decimals(text) > places:
                yield AuditFinding(
                    label,
                    f"{text.strip()} has more decimals than the rule publishes below national "
                    f"level ({places})",
                    row=first_row + i,
                    column=column.name,
                )
    if pins is not None:
        pins.extend(_back_calculation(counts, derived, counted, label, rule, first_row))


def _check_counts(
    column: _Column, local: np.ndarray, label: str, rule: DisclosureRule, first_row: int
) -> Iterator[AuditFinding]:
    values = pd.Series([np.nan if n is None else n for n in column.numbers], dtype="float64")
    small = local & rule.suppressed(values).to_numpy()
    unrounded = local & values.notna().to_numpy() & (values % rule.round_to != 0).to_numpy()
    for i in np.flatnonzero(small):
        yield AuditFinding(
            label,
            f"count {values[i]:g} should have been suppressed ({rule.describe()})",
            row=first_row + int(i),
            column=column.name,
        )
    for i in np.flatnonzero(unrounded & ~small):
        yield AuditFinding(
            label,
            f"count {values[i]:g} is not rounded to the nearest {rule.round_to}",
            row=first_row + int(i),
            column=column.name,
        )


def _candidates(value: float, rule: DisclosureRule) -> np.ndarray:
    """The exact counts a published rounded count can stand for."""
    half = rule.round_to // 2
    low = max(value - half, 0.0)
    return np.arange(low, value + (rule.round_to - half - 1) + 1)


def _formulas(cells: list[float]) -> Iterator[tuple[str, tuple[int, ...]]]:
    """Formulas of a published figure in the row's counts: name and the counts' positions."""
    for a, b in itertools.permutations(range(len(cells)), 2):
        yield "ratio", (a, b)
        yield "percent", (a, b)
        yield "share", (a, b)
    if len(cells) >= 4:
        for a, b, c, d in itertools.permutations(range(len(cells)), 4):
            yield "relative", (a, b, c, d)


def _formula(kind: str, values: list[float]) -> float | None:
    """:func:`_evaluate` of one set of counts in plain floats (None where undefined)."""
    try:
        if kind == "ratio":
            return values[0] / values[1]
        if kind == "percent":
            return 100 * values[0] / values[1]
        if kind == "share":
            return 100 * values[0] / (values[0] + values[1])
        return (values[0] / values[1]) / (values[2] / values[3])
    except ZeroDivisionError:
        return None


def _evaluate(kind: str, grids: list[np.ndarray]) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        if kind == "ratio":
            return grids[0] / grids[1]
        if kind == "percent":
            return 100 * grids[0] / grids[1]
        if kind == "share":
            return 100 * grids[0] / (grids[0] + grids[1])
        return (grids[0] / grids[1]) / (grids[2] / grids[3])


def _pins(figure: float, places: int, cells: list[float], rule: DisclosureRule) -> str | None:
    """A formula by which ``figure`` (written to ``places`` decimals) singles out one set of
    exact counts behind the rounded ``cells``, or None."""
    tolerance = 0.5 * 10.0**-places * (1 + 1e-9)
    for kind, positions in _formulas(cells):
        shown = _formula(kind, [cells[p] for p in positions])
        if shown is None or abs(shown - figure) > 0.05 * max(abs(figure), 1):
            continue  # not how this figure is made from these counts
        axes = np.meshgrid(*[_candidates(cells[p], rule) for p in positions], indexing="ij")
        values = _evaluate(kind, axes)
        matches = np.isfinite(values) & (np.abs(values - figure) <= tolerance)
        if int(matches.sum()) == 1:
            return kind
    return None


def _back_calculation(
    counts: list[_Column],
    derived: list[_Column],
    local: np.ndarray,
    label: str,
    rule: DisclosureRule,
    first_row: int,
) -> Iterator[AuditFinding]:
    if rule.round_to <= 1 or not counts or not derived:
        return
    for i in np.flatnonzero(local):
        cells = [c.numbers[i] for c in counts]
        if any(n is None or n <= 0 for n in cells) or len(cells) > 4:
            continue
        for column in derived:
            figure = column.numbers[i]
            if figure is None or not math.isfinite(figure) or figure == 0:
                continue
            kind = _pins(figure, _decimals(column.texts[i]), cells, rule)
            if kind is not None:
                yield AuditFinding(
                    label,
                    f"{column.texts[i].strip()} pins the exact counts behind the rounded "
                    f"{', '.join(f'{c.name} {n:g}' for c, n in zip(counts, cells, strict=True))}"
                    f" ({kind}); publish it to fewer decimals",
                    row=first_row + int(i),
                    column=column.name,
                )


class _Tables(HTMLParser):
    """Every <table> in an HTML fragment: its caption and rows of cell text (header first)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[list[str], list[list[str]]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "table":
            self.tables.append(([], []))
        elif tag == "caption" and self.tables:
            self._caption = self.tables[-1][0]
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self.tables:
            self.tables[-1][1].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        elif self._caption is not None:
            self._caption.append(data)


def _html_frames(text: str) -> list[tuple[str, pd.DataFrame]]:
    parser = _Tables()
    parser.feed(text)
    frames = []
    for caption, rows in parser.tables:
        if len(rows) >= 2 and all(len(r) == len(rows[0]) for r in rows[1:]):
            frames.append(("".join(caption).strip(), pd.DataFrame(rows[1:], columns=rows[0])))
    return frames


def _audit_notebook(
    path: Path, label: str, rule: DisclosureRule, declarations: Declarations, pins: list
) -> Iterator[AuditFinding]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for number, cell in enumerate(notebook.get("cells", [])):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            html = data.get("text/html")
            if html is not None:
                text = "".join(html) if isinstance(html, list) else html
                for caption, frame in _html_frames(text):
                    declared = declarations.captioned(caption)
                    where = f"{label} cell {number}"
                    yield from _check_frame(frame, where, rule, 1, declared, declarations, pins)
            elif "text/plain" in data or output.get("output_type") == "stream":
                plain = data.get("text/plain", output.get("text", ""))
                plain = "".join(plain) if isinstance(plain, list) else plain
                if " rows x " in plain and " columns]" in plain:
                    yield AuditFinding(
                        f"{label} cell {number}",
                        "a data frame printed as text "
                        "cannot be checked; publish tables with publish_table",
                    )


def _audit_workbook(
    path: Path, label: str, rule: DisclosureRule, declarations: Declarations, pins: list
) -> Iterator[AuditFinding]:
    """Every sheet: its Excel tables, or (a sheet without one) its cells from the first row."""
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=False, data_only=True)
    csvs = {p.stem: p for p in path.parent.glob("*.csv")}
    for sheet in workbook.worksheets:
        where = f"{label} [sheet {sheet.title!r}]"
        declared = declarations.sheet(sheet.title)
        figures = _figure_columns(csvs, sheet.title, rule.symbol)
        tables = list(sheet.tables.values())
        blocks = [sheet[t.ref] for t in tables] if tables else [tuple(sheet.iter_rows())]
        for cells in blocks:
            rows = [[c.value for c in row] for row in cells]
            if len(rows) < 2 or not rows[0]:
                continue
            frame = pd.DataFrame(rows[1:], columns=[str(h) for h in rows[0]])
            frame = frame.map(_cell_text)
            first = cells[1][0].row
            yield from _check_frame(
                frame, where, rule, first, declared, declarations, pins, figures
            )


def _figure_columns(csvs: Mapping[str, Path], title: str, symbol: str) -> frozenset[str]:
    """Columns of the sheet's table that its CSV writes as figures ("4.0"): a workbook stores
    4.0 and 4 alike, so the CSV of the same table (its name begins as the sheet's) tells."""
    named = [s for s in csvs if s == title] or [
        s for s in csvs if len(title) == 28 and s[:28] == title
    ]
    if len(named) != 1:
        return frozenset()
    frame = pd.read_csv(csvs[named[0]], dtype=str, keep_default_na=False)
    return frozenset(
        c.name for c in _columns(frame, symbol)
        if not c.whole and any(n is not None for n in c.numbers)
    )


def _cell_text(value: object) -> str:
    """A workbook cell as the text a reader would read (floats in full: repr)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else str(value)
    return str(value)


def _manifest(report: Path) -> dict:
    path = report / "manifest.json"
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def _rule_for(manifest: Mapping) -> DisclosureRule:
    disclosure = manifest.get("parameters", {}).get("disclosure")
    if isinstance(disclosure, dict):
        return DisclosureRule.from_mapping(disclosure)
    return DisclosureRule()


def audit_output(
    folder: str | Path,
    rule: DisclosureRule | None = None,
    *,
    pins: list[AuditFinding] | None = None,
) -> list[AuditFinding]:
    """Every disclosure finding in the published reports under ``folder``.

    Each report folder (one holding ``manifest.json``) is audited with the rule and the
    non-count declarations in its manifest (``rule`` overrides the rule); CSV and XLSX under
    ``tables/`` and the executed notebooks under ``notebooks/`` are read. When ``pins`` is a
    list, the back-calculation attack runs too and appends each figure that singles out the
    exact counts behind rounded ones (these are not findings: see ``docs/hardening.md``).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder of built reports")
    reports = sorted({p.parent for p in folder.rglob("manifest.json")}) or [folder]
    findings: list[AuditFinding] = []
    for report in reports:
        manifest = _manifest(report)
        chosen = rule or _rule_for(manifest)
        declarations = Declarations.of(manifest)
        for path in sorted(report.glob("tables/*.csv")):
            label = str(path.relative_to(folder))
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
            declared = declarations.by_table.get(path.stem, {})
            findings.extend(
                _check_frame(frame, label, chosen, 2, declared, declarations, pins)
            )
        for path in sorted(report.glob("tables/*.xlsx")):
            label = str(path.relative_to(folder))
            findings.extend(_audit_workbook(path, label, chosen, declarations, None))
        for path in sorted(report.glob("notebooks/*.ipynb")):
            label = str(path.relative_to(folder))
            findings.extend(_audit_notebook(path, label, chosen, declarations, None))
        findings.extend(_audit_editions(report, folder, chosen, declarations))
    return findings


def _audit_editions(
    report: Path, folder: Path, rule: DisclosureRule, declarations: Declarations
) -> Iterator[AuditFinding]:
    """The tables of the Word edition as Word holds them, and of the PDF edition as the data
    attached to it (what its tables were typeset from): see
    :mod:`wres_analysis.report.editions.read`."""
    from wres_analysis.report.editions.read import edition_frames

    for path, number, caption, frame, first in edition_frames(report):
        label = f"{path.relative_to(folder)} table {number}"
        declared = declarations.captioned(caption)
        yield from _check_frame(frame, label, rule, first, declared, declarations, None)


def cli_audit(
    folder: Path, *, organisations: Path | None = None, fail_on_recovery: bool = True
) -> int:
    """Print the audit of ``folder``; 0 when clean, 1 when anything was found.

    The recovery attack (:mod:`wres_analysis.recovery`) runs too: each suppressed count it
    recovers is a finding (the audit fails), or with ``fail_on_recovery=False``
    (``wres audit --recovery-as-note``) a note."""
    from wres_analysis.recovery import cli_recovery

    pins: list[AuditFinding] = []
    try:
        findings = audit_output(folder, pins=pins)
        recovered = cli_recovery(folder, organisations)
    except (FileNotFoundError, ValueError) as exc:
        print(f"wres audit: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if fail_on_recovery:
        findings, recovered = [*findings, *recovered], []
    if findings:
        print(f"{len(findings)} disclosure finding(s) in {folder}:", file=sys.stderr)
        for finding in findings[:200]:
            print(f"- {finding}", file=sys.stderr)
        return EXIT_FAILURE
    print(f"No count in {folder} breaks the disclosure rule.")
    if recovered:
        print(
            f"Note: the recovery attack recovers {len(recovered)} suppressed count(s) from the "
            "other published figures (build with secondary suppression; docs/hardening.md), "
            f"e.g. {recovered[0]}"
        )
    if pins:
        print(
            f"Note: {len(pins)} published figure(s) at the rule's precision still single out "
            "the exact counts behind rounded ones (back-calculation; docs/hardening.md), "
            f"e.g. {pins[0]}"
        )
    return EXIT_OK
