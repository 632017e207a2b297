"""Counts of organisations by reading (range labels, range evidence, direction of a clear
difference, the share within the range) count only organisations whose figure is published:
a count that included a withheld organisation would give its label away by subtraction from
the published labels of the others (issue 11, privacy note)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from wres_analysis.data import load_dataset
from wres_analysis.demo import generate_demo_tables
from wres_analysis.disclosure import DisclosureRule, apply_disclosure
from wres_analysis.indicators import funnel_tables, range_summary
from wres_analysis.indicators.compute import relative_likelihood_indicator
from wres_analysis.indicators.evidence import (
    directional_significance,
    expected_within,
    range_evidence_counts,
)
from wres_analysis.indicators.frame import COUNT_COLUMNS, INTERVAL_COLUMNS, RANGE_COLUMNS
from wres_analysis.text.ranges import (
    directional_reading,
    expected_within_reading,
    range_evidence_reading,
)
from wres_analysis.text.readings import funnel_reading, range_reading

ROOT = Path(__file__).resolve().parents[1]
RULE = DisclosureRule()  # counts 1 to 7 suppressed
ORGANISATIONS = pd.DataFrame(
    {
        "org_code": ["RA1", "RA2", "RA3", "RA4"],
        "region": ["London", "London", "London", "Midlands"],
        "org_type": ["Acute", "Acute", "Acute", "Acute"],
    }
)
#: Label sets a hidden organisation could have: the counts must not change between them.
HIDDEN = [
    # estimate, lower, upper, range, range_evidence
    (2.5, 1.6, 4.0, "above", "clearly above"),
    (1.0, 0.9, 1.1, "within", "shown within"),
    (0.5, 0.3, 0.7, "below", "clearly below"),
]


def _table(hidden: tuple) -> pd.DataFrame:
    """Four organisations of indicator 3 in 2025 and England; RA3 has 3 BME staff entering
    the process, a count the rule suppresses, so its figure and labels are withheld."""
    estimate, lower, upper, point, evidence = hidden
    rows = pd.DataFrame(
        {
            "year": 2025,
            "level": "organisation",
            "area_code": ["RA1", "RA2", "RA3", "RA4"],
            "area_name": ["A1", "A2", "A3", "A4"],
            "white_count": [40, 30, 20, 50],
            "white_total": [4000, 3000, 2000, 5000],
            "group_count": [20, 10, 3, 40],
            "group_total": [1000, 1000, 500, 1000],
            "estimate": [2.0, 1.0, estimate, 4.0],
            "lower": [1.2, 0.5, lower, 2.6],
            "upper": [3.4, 2.0, upper, 6.1],
            "range": ["above", "within", point, "above"],
            "range_evidence": ["cannot tell", "cannot tell", evidence, "clearly above"],
        }
    )
    national = pd.DataFrame(
        {
            "year": [2025], "level": ["national"], "area_code": ["ENG"],
            "area_name": ["England"], "white_count": [140], "white_total": [14000],
            "group_count": [73], "group_total": [3500], "estimate": [2.09], "lower": [1.6],
            "upper": [2.8], "range": ["above"], "range_evidence": ["clearly above"],
        }
    )
    return pd.concat([rows, national], ignore_index=True).assign(
        indicator="3",
        measure="relative_likelihood",
        breakdown="entering the formal disciplinary process",
        confidence=0.95,
        method="scas",
    )


@pytest.mark.parametrize("hidden", HIDDEN[1:])
def test_counts_do_not_depend_on_a_withheld_organisation(hidden) -> None:
    base, other = _table(HIDDEN[0]), _table(hidden)
    counts = range_evidence_counts(base, "3", 2025, ORGANISATIONS, rule=RULE)
    pd.testing.assert_frame_equal(
        counts, range_evidence_counts(other, "3", 2025, ORGANISATIONS, rule=RULE)
    )
    summary = range_summary(base, "3", rule=RULE)
    pd.testing.assert_frame_equal(summary, range_summary(other, "3", rule=RULE))
    assert directional_significance(base, "3", 2025, rule=RULE) == directional_significance(
        other, "3", 2025, rule=RULE
    )
    assert expected_within(base, "3", 2025, rule=RULE).observed == expected_within(
        other, "3", 2025, rule=RULE
    ).observed
    # without a rule (unpublished data) the hidden organisation is counted by its labels
    plain = range_evidence_counts(base, "3", 2025, ORGANISATIONS, rule=None)
    assert not plain.equals(range_evidence_counts(other, "3", 2025, ORGANISATIONS, rule=None))


def test_a_withheld_organisation_is_counted_as_withheld() -> None:
    table = _table(HIDDEN[0])
    counts = range_evidence_counts(table, "3", 2025, ORGANISATIONS, rule=RULE).set_index(
        "area_code"
    )
    points = ["below", "within", "above", "not defined", "withheld"]
    evidence = ["clearly below", "shown within", "clearly above", "cannot tell",
                "not defined", "withheld"]
    # by hand: RA1 above/cannot tell, RA2 within/cannot tell, RA4 above/clearly above
    assert counts.loc["ENG", points].tolist() == [0, 1, 2, 0, 1]
    assert counts.loc["ENG", evidence].tolist() == [0, 0, 1, 2, 0, 1]
    assert counts.loc["London", points].tolist() == [0, 1, 1, 0, 1]
    assert counts.loc["Midlands", "withheld"] == 0
    for columns in (points, evidence):
        assert (counts[columns].sum(axis=1) == counts["organisations"]).all()
    summary = range_summary(table, "3", rule=RULE).set_index("category")
    assert summary.loc["withheld", "organisations"] == 1
    assert np.isnan(summary.loc["withheld", "share"])
    assert summary.loc["above", "share"] == pytest.approx(100 * 2 / 3)
    directions = directional_significance(table, "3", 2025, rule=RULE)
    assert (directions.organisations, directions.withheld) == (3, 1)
    assert (directions.adverse, directions.adverse_clear) == (2, 2)
    expected = expected_within(table, "3", 2025, rule=RULE)
    # within among the published RA1, RA2, RA4: RA2 only; the share equality would give
    # comes from sizes alone, so it stays over every organisation
    assert expected.observed == pytest.approx(1 / 3) and expected.withheld == 1
    assert expected.organisations == 4
    assert expected.expected == expected_within(table, "3", 2025, rule=None).expected
    # the sentences say how many are left out and why
    left_out = "1 organisation whose figure disclosure control withholds is not counted"
    assert left_out in range_evidence_reading(counts.reset_index(), 2025, (0.8, 1.25), 0.95)
    assert "of 3 organisations" in range_evidence_reading(
        counts.reset_index(), 2025, (0.8, 1.25), 0.95
    )
    assert left_out in range_reading(summary.reset_index(), 2025)
    assert left_out in directional_reading(directions)
    assert left_out in expected_within_reading(expected_within(table, "3", 2025, rule=RULE))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("demo")
    for name, frame in generate_demo_tables().items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    return load_dataset(folder)


def test_demo_counts_are_the_counts_of_the_published_labels(demo) -> None:
    """Demo indicator 3, 2025: the counts by label are those of the labels
    ``tables/indicators.csv`` publishes (disclosure applied as the build applies it), and the
    organisations it withholds are counted only as withheld."""
    table = relative_likelihood_indicator(demo, "3")
    published = apply_disclosure(
        table, RULE, counts=list(COUNT_COLUMNS), derived=[*INTERVAL_COLUMNS, *RANGE_COLUMNS]
    )
    shown = published[
        (published["level"] == "organisation")
        & (published["year"] == 2025)
        & (published["measure"] == "relative_likelihood")
    ]
    shown = shown.merge(
        demo["organisations"][["org_code", "region"]], left_on="area_code", right_on="org_code"
    )
    hidden = shown["range"] == RULE.symbol
    assert hidden.sum() > 10  # the demo has small counts to withhold
    counts = range_evidence_counts(table, "3", 2025, demo["organisations"], rule=RULE)
    by_area = counts.set_index("area_code")
    for area, rows in [("ENG", shown), *shown.groupby("region")]:
        row = by_area.loc[area]
        assert row["withheld"] == (rows["range"] == RULE.symbol).sum()
        for column in ("range", "range_evidence"):
            labels = rows.loc[rows[column] != RULE.symbol, column].value_counts()
            for label, number in labels.items():
                assert row[label] == number, (area, label)
    england = by_area.loc["ENG"]
    text = range_evidence_reading(counts, 2025, (0.8, 1.25), 0.95)
    assert f"of {len(shown) - hidden.sum()} organisations" in text
    assert f"{hidden.sum()} organisations whose figure disclosure control withholds" in text
    assert england["organisations"] == len(shown)


def test_the_funnel_reading_counts_only_the_organisations_the_chart_shows(demo) -> None:
    """Demo indicator 3, 2024: the chart leaves off organisations with a suppressed count, so
    a count of flags that included them would tell the withheld ones' flags by subtraction
    from the points drawn."""
    points, _ = funnel_tables(relative_likelihood_indicator(demo, "3"), "3", 2024)
    # the rule by hand: a count from 1 to 7 withholds the organisation's figure
    hidden = points[list(COUNT_COLUMNS)].apply(lambda c: c.between(1, 7)).any(axis=1)
    assert hidden.sum() > 10 and (~hidden).sum() > 10
    text = funnel_reading(points, rule=RULE)
    assert text.startswith(f"Of {(~hidden).sum()} organisations")
    assert f"{hidden.sum()} organisations whose figure disclosure control withholds" in text
    shown = points[~hidden]
    flagged = int(shown["bh_flag"].sum())
    assert f"{flagged} {'remains' if flagged == 1 else 'remain'} flagged" in text
    # turn every withheld organisation into a flagged outlier above: nothing said changes
    flipped = points.copy()
    for column in ("bh_flag", "outlier_95", "outlier_998"):
        flipped.loc[hidden, column] = True
    flipped.loc[hidden, "z_adjusted"] = 9.0
    flipped.loc[hidden, "z"] = 9.0
    assert funnel_reading(flipped, rule=RULE) == text
    assert funnel_reading(flipped) != funnel_reading(points)  # without a rule it would


def test_ranks_are_among_the_published_figures_only(demo) -> None:
    """A published rank counts the organisations above it: among all, ranks would place each
    withheld figure between two published ones."""
    table = relative_likelihood_indicator(demo, "3")
    points, _ = funnel_tables(table, "3", 2024, rule=RULE)
    hidden = points[list(COUNT_COLUMNS)].apply(lambda c: c.between(1, 7)).any(axis=1)
    assert points.loc[hidden, "rank"].isna().all()
    shown = points[~hidden & points["relative_likelihood"].notna()]
    # by hand: 1 + the number of published ratios strictly higher (ties share the best place)
    ratios = shown["relative_likelihood"].to_numpy()
    expected = [1 + int((ratios > r).sum()) for r in ratios]
    assert shown["rank"].astype(int).tolist() == expected
    assert (shown["ranked_of"] == len(shown)).all()
    # a withheld organisation's figure, however extreme, moves no published rank
    code = points.loc[hidden, "area_code"].iloc[0]
    changed = table.copy()
    mine = (changed["area_code"] == code) & (changed["year"] == 2024)
    changed.loc[mine, ["group_count", "white_count"]] = [7, 1]
    changed.loc[mine, "estimate"] = (7 / changed.loc[mine, "group_total"]) / (
        1 / changed.loc[mine, "white_total"]
    )
    again, _ = funnel_tables(changed, "3", 2024, rule=RULE)
    columns = ["rank", "rank_lower", "rank_upper", "ranked_of"]
    pd.testing.assert_frame_equal(again.loc[~hidden, columns], points.loc[~hidden, columns])


def test_the_national_chapters_count_with_the_report_rule() -> None:
    """Every count of organisations by reading in the national chapters is given the rule."""
    calls = {
        "03_relative_likelihood.ipynb": (
            "range_summary(", "range_evidence_counts(", "expected_within(",
            "directional_significance(", "funnel_reading(",
        ),
        "04_staff_experience.ipynb": ("directional_significance(",),
    }
    for name, functions in calls.items():
        nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
        lines = "\n".join(cell.source for cell in nb.cells).splitlines()
        for function in functions:
            used = [line for line in lines if function in line and "import" not in line]
            assert used, (name, function)
            assert all("rule=chapter.rule" in line for line in used), (name, function)
    # the flagged organisations named are those the funnel chart may show
    nb = nbformat.read(ROOT / "notebooks" / "03_relative_likelihood.ipynb", as_version=4)
    source = "\n".join(cell.source for cell in nb.cells)
    assert 'shown = chapter.shown_on_funnel(points)\nflagged = shown[shown["bh_flag"]]' in source
