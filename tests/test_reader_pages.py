"""Every table shown on the built demo reports is designed for reading (issue 14).

The national demo report and two organisation reports (one whose dataset gives an action
plan, one without) are built once; every ``<table>`` of every page is read back from the
HTML and checked as a reader sees it: no column empty in every row, no column repeating one
value in every row (a constant belongs in the caption or the headers; a row-header column
may only when it alone names the rows), no negative zero.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from wres_analysis.cli import main

ROOT = Path(__file__).resolve().parents[1]
#: A demo organisation with actions in the demo dataset, and one without.
WITH_ACTIONS, WITHOUT_ACTIONS = "R0A", "R08"
NEGATIVE_ZERO = re.compile(r"(?<![\d.])-0(\.0+)?(?![\d.])")


class Tables(HTMLParser):
    """Each table of a page: its caption, header cells, and body rows (th and td) as text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self._cell: list[str] | None = None
        self._row: list[tuple[str, str]] | None = None
        self._where = ""
        self._caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append({"caption": "", "head": [], "rows": []})
        elif tag == "caption":
            self._caption = True
        elif tag in ("thead", "tbody"):
            self._where = tag
        elif tag == "tr":
            self._row = []
        elif tag in ("th", "td"):
            self._cell = []
            self._kind = dict(attrs).get("scope") or tag

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self._caption = False
        elif tag in ("th", "td") and self._cell is not None and self._row is not None:
            self._row.append((self._kind, " ".join("".join(self._cell).split())))
            self._cell = None
        elif tag == "tr" and self._row is not None and self.tables:
            part = "head" if self._where == "thead" else "rows"
            self.tables[-1][part].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._caption and self.tables:
            self.tables[-1]["caption"] += data
        if self._cell is not None:
            self._cell.append(data)


def shown_tables(page: Path) -> list[dict]:
    parser = Tables()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.tables


def problems(table: dict) -> list[str]:
    """What is wrong with one shown table, as a reader would see it."""
    rows = [r for r in table["rows"] if not (len(r) == 1 and r[0][1] == "No rows.")]
    found = []
    for row in rows:
        for _, text in row:
            if NEGATIVE_ZERO.search(text):
                found.append(f"negative zero {text!r}")
    if not rows:
        return found
    width = max(len(r) for r in rows)
    naming = [c for c in range(width) if all(c < len(r) and r[c][0] == "row" for r in rows)]
    for column in range(width):
        cells = [r[column] for r in rows if column < len(r)]
        texts = [text for _, text in cells]
        # a row-header column may repeat one value only when it alone names the rows
        names_alone = column in naming and len(naming) == 1
        if not any(texts):
            found.append(f"column {column + 1} is empty in every row")
        elif len(rows) >= 2 and len(set(texts)) == 1 and not names_alone:
            found.append(f"column {column + 1} repeats {texts[0]!r} in every row")
    return found


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("reader")
    national, organisations = out / "national", out / "organisations"
    assert main(["build", str(ROOT / "params" / "national.yaml"), "--output-dir",
                 str(national), "--quiet"]) == 0
    assert main(["build", str(ROOT / "params" / "organisation.yaml"), "--output-dir",
                 str(organisations), "--organisation", WITH_ACTIONS, "--organisation",
                 WITHOUT_ACTIONS, "--quiet"]) == 0
    return {
        "national": national,
        WITH_ACTIONS: organisations / WITH_ACTIONS,
        WITHOUT_ACTIONS: organisations / WITHOUT_ACTIONS,
    }


@pytest.mark.slow
def test_no_shown_table_has_an_empty_or_constant_column_or_negative_zero(
    reports: dict[str, Path],
) -> None:
    checked = 0
    failures = []
    for scope, folder in reports.items():
        for page in sorted(folder.glob("*.html")):
            for table in shown_tables(page):
                checked += 1
                failures += [
                    f"{scope}/{page.name}: {table['caption']!r}: {p}" for p in problems(table)
                ]
    assert checked >= 40  # the check is not vacuous: the reports show many tables
    assert not failures, "\n".join(failures)


@pytest.mark.slow
def test_the_summary_opens_with_this_year_last_year_change_verdict_and_comparators(
    reports: dict[str, Path],
) -> None:
    for scope in ("national", WITH_ACTIONS):
        first = shown_tables(reports[scope] / "summary.html")[0]
        header = " | ".join(text for row in first["head"] for _, text in row)
        for expected in ("Indicator", "Change", "Verdict", "Range evidence"):
            assert expected in header, (scope, header)
        assert "2023" in header or "Previous year" in header, header  # the demo's 2024
        rows = first["rows"]
        assert [r[0][1].split(".")[0] for r in rows] == [str(i) for i in range(1, 10)]
        verdicts = {r[4][1] for r in rows}
        assert verdicts <= {"improved", "worsened", "increased", "decreased",
                            "no clear change", "not tested", "[c]"}, verdicts
    organisation = " | ".join(
        text for row in shown_tables(reports[WITH_ACTIONS] / "summary.html")[0]["head"]
        for _, text in row
    )
    assert "England" in organisation and "London" in organisation  # R0A is in London
    assert "ICB" in organisation  # the demo names each organisation's ICB
    assert "Action plan" in organisation


@pytest.mark.slow
def test_only_an_organisation_with_actions_gets_the_action_plan(
    reports: dict[str, Path],
) -> None:
    page = reports[WITH_ACTIONS] / "action_plan.html"
    [plan] = shown_tables(page)
    statuses = [row[-1][1] for row in plan["rows"]]
    assert statuses and set(statuses) <= {"Not started", "On track", "At risk", "Off track",
                                          "Done"}
    assert 'class="wres-status-at-risk"' in page.read_text(encoding="utf-8")
    assert "action_plan" in (reports[WITH_ACTIONS] / "index.html").read_text(encoding="utf-8")
    without = reports[WITHOUT_ACTIONS]
    assert not (without / "action_plan.html").exists()
    assert not (without / "tables" / "action_plan.csv").exists()
    for page in without.glob("*.html"):
        assert "action_plan.html" not in page.read_text(encoding="utf-8"), page.name
    summary = shown_tables(without / "summary.html")[0]
    assert "Action plan" not in " ".join(t for row in summary["head"] for _, t in row)
