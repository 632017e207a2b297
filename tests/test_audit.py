"""``wres audit`` goes by values: hand-made report folders (no build), each with one thing wrong.

The oracle is the disclosure rule itself (counts 1-7 suppressed, the rest multiples of 5) applied
by hand to the planted values, and, for the back-calculation attack, brute force over every set
of exact counts a rounded count can stand for.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from wres_analysis.audit import audit_output
from wres_analysis.disclosure import DisclosureRule, apply_disclosure


def _report(folder: Path, tables: dict[str, str], *, declared: dict | None = None,
            level: str = "organisation") -> Path:
    (folder / "tables").mkdir(parents=True)
    for name, text in tables.items():
        (folder / "tables" / f"{name}.csv").write_text(text, encoding="utf-8")
    manifest = {
        "scope": {"level": level},
        "parameters": {"disclosure": {"min_count": 1, "max_count": 7, "round_to": 5}},
        "outputs": {
            "disclosure_audit": {
                "non_counts": declared or {},
                "bounds": {"years": 3, "organisations": 6, "records": 1000},
            }
        },
    }
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def _messages(folder: Path) -> list[str]:
    return [str(f) for f in audit_output(folder)]


@pytest.mark.parametrize("name", ["planted_headcount", "members", "n", "bme_staff", "x"])
def test_a_small_count_fails_whatever_the_column_is_called(tmp_path: Path, name: str) -> None:
    folder = _report(tmp_path, {"t": f"area,{name}\nR1A,10\nR1B,3\n"})
    found = _messages(folder)
    assert found == [
        f"tables/t.csv, row 3, column {name!r}: count 3 should have been suppressed "
        f"({DisclosureRule().describe()})"
    ]


def test_an_unrounded_count_fails_and_a_table_without_counts_passes(tmp_path: Path) -> None:
    folder = _report(tmp_path, {"t": "area,staff\nR1A,1234\n", "u": "area,name\nR1A,x\n"})
    assert _messages(folder) == ["tables/t.csv, row 2, column 'staff': count 1234 is not rounded "
                                 "to the nearest 5"]


def test_national_rows_are_found_by_their_values(tmp_path: Path) -> None:
    """The column holding levels is recognised by its values, whatever its name."""
    text = "where,staff\nnational,3\norganisation,10\n"
    assert _messages(_report(tmp_path / "a", {"t": text})) == []
    text = "where,staff\nnational,3\nregion,4\n"
    assert [m.split(":")[0] for m in _messages(_report(tmp_path / "b", {"t": text}))] == [
        "tables/t.csv, row 3, column 'staff'"
    ]


def test_declared_non_counts_pass_only_inside_their_kind(tmp_path: Path) -> None:
    declared = {
        "t": {
            "title": "T",
            "columns": {
                "yr": {"kind": "year", "header": "Yr"},
                "ind": {"kind": "indicator", "header": "Ind"},
                "orgs": {"kind": "organisations", "header": "Orgs"},
            },
        }
    }
    good = "yr,ind,orgs\n2024,3,2\n2023,9,6\n"
    assert _messages(_report(tmp_path / "good", {"t": good}, declared=declared)) == []
    # a year of 3, an indicator 12 and 40 organisations out of 6 are counts after all
    bad = "yr,ind,orgs\n3,12,40\n"
    found = _messages(_report(tmp_path / "bad", {"t": bad}, declared=declared))
    assert "tables/t.csv, row 2, column 'yr': declared a year column, but 3 cannot be one; " \
        "checked as a count" in found
    assert any("column 'yr': count 3 should have been suppressed" in m for m in found)
    assert any("column 'ind': declared a indicator column, but 12" in m for m in found)
    assert any("column 'orgs': declared a organisations column, but 40" in m for m in found)
    # the same declaration does not cover another table
    other = _report(tmp_path / "other", {"u": good}, declared=declared)
    assert len(_messages(other)) == 6


def test_derived_figures_carry_no_more_decimals_than_the_rule(tmp_path: Path) -> None:
    text = "level,total,unknown,pct_unknown\norganisation,21390,690,3.230179506\n" \
        "national,21390,690,3.230179506\n"
    found = _messages(_report(tmp_path, {"t": text}))
    assert found == [
        "tables/t.csv, row 2, column 'pct_unknown': 3.230179506 has more decimals than the "
        "rule publishes below national level (2)"
    ]


def _pinned(total: int, unknown: int, places: int) -> int:
    """Brute force: how many (total, unknown) pairs a reader cannot tell apart, given the
    rounded counts and the percentage written to ``places`` decimals."""
    rule = DisclosureRule()
    shown = round(100 * unknown / total, places)
    rounded = [int(rule.round_to * round(v / rule.round_to)) for v in (total, unknown)]
    return sum(
        round(100 * u / t, places) == shown
        for t in range(rounded[0] - 2, rounded[0] + 3)
        for u in range(rounded[1] - 2, rounded[1] + 3)
    )


def test_the_attack_recovers_exact_counts_from_full_precision_and_not_from_the_rule(
    tmp_path: Path,
) -> None:
    """The issue's example: total 21,390, unknown 690, 3.230179506% pins the exact counts
    (brute force agrees: one pair); at 1 decimal five pairs are possible."""
    assert _pinned(21390, 690, 9) == 1
    assert _pinned(21390, 690, 1) > 1
    exact = pd.DataFrame(
        {"level": ["organisation"], "total": [21388], "unknown": [691]}
    ).assign(pct_unknown=lambda f: 100 * f["unknown"] / f["total"])
    full = exact.assign(total=21390, unknown=690).astype({"pct_unknown": float})
    rule = DisclosureRule()
    controlled = apply_disclosure(
        exact, rule, counts=["total", "unknown"], derived=["pct_unknown"]
    )
    for name, frame in (("full", full), ("rule", controlled)):
        folder = tmp_path / name
        _report(folder, {"t": frame.to_csv(index=False, float_format="%.10g")})
        pins: list = []
        audit_output(folder, pins=pins)
        assert bool(pins) == (name == "full"), (name, pins)
    assert controlled.loc[0, "pct_unknown"] == 3.2
    assert controlled.loc[0, "total"] == 21390


def test_years_pooled_is_a_number_of_years_within_the_datasets(tmp_path: Path) -> None:
    """A declared number of years passes from 1 to the dataset's years; outside, it is a count."""
    declared = {"t": {"title": "T", "columns": {"years_pooled": {"kind": "years",
                                                                "header": "Years pooled"}}}}
    folder = _report(tmp_path / "ok", {"t": "area,years_pooled\nR1A,1\nR1B,2\n"},
                     declared=declared)
    assert _messages(folder) == []
    folder = _report(tmp_path / "bad", {"t": "area,years_pooled\nR1A,1\nR1B,4\n"},
                     declared=declared)
    assert any("row 2, column 'years_pooled': count 1 should have been suppressed" in m
               for m in _messages(folder))


def test_a_shown_table_is_known_by_its_title_also_when_its_caption_says_a_constant() -> None:
    """A caption that folds a constant column in ("<title> (in every row: ...)") still finds
    the title's declared columns: a Word table of years is not checked as counts."""
    from wres_analysis.audit import Declarations

    declared = Declarations(by_title={"Indicator 3 by year": {"Year": "year"}})
    assert declared.captioned("Indicator 3 by year") == {"Year": "year"}
    assert declared.captioned("Indicator 3 by year (in every row: relative likelihood [c])") == {
        "Year": "year"
    }
    assert declared.captioned("Indicator 3 by year and band") == {}
    assert declared.captioned("Another table (in every row: x)") == {}


def test_a_figure_that_happens_to_be_whole_is_published_as_a_figure(tmp_path: Path) -> None:
    """The build writes floats with their decimal point: an organisation's 1.0% unknown
    ethnicity is a figure, while a count of 6 beside it is still found."""
    from wres_analysis.report.publish import csv_text

    frame = pd.DataFrame(
        {"area": ["R1A", "R1B"], "pct_unknown": [1.0, 6.0],
         "unknown": pd.array([10, 6], dtype="Int64")}
    )
    folder = _report(tmp_path, {"t": csv_text(frame)})
    assert _messages(folder) == [
        "tables/t.csv, row 3, column 'unknown': count 6 should have been suppressed "
        f"({DisclosureRule().describe()})"
    ]
