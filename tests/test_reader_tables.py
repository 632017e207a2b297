"""Reader tables: the shown form of a chapter's tables, built from its long frame (issue 14)."""

from __future__ import annotations

from dataclasses import replace
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from wres_analysis.report.publish import reader_html, text_columns
from wres_analysis.tables.actions import action_plan
from wres_analysis.tables.reader import (
    ReaderTable,
    TableContext,
    drop_empty,
    fold_constants,
    header_label,
    tidy,
)
from wres_analysis.tables.shapes import (
    by_area,
    by_comparison,
    by_grade,
    by_region_year,
    by_year,
    group_trends,
    senior_table,
    trajectory,
)
from wres_analysis.tables.summary import board_summary, summary_rows
from wres_analysis.text.formatting import interval_cell, number_text
from wres_analysis.text.tables import NOT_TESTED, actions_text, change_sentences

CONTEXT = TableContext("Caption", confidence=0.95, symbol="[c]")


# -- numbers as cells ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [(-0.001, 2, "0.00"), (-0.04, 1, "0.0"), (-0.05001, 1, "-0.1"), (0.0, 2, "0.00"),
     (-1234.5, 1, "-1,234.5")],
)
def test_no_number_is_written_as_negative_zero(value: float, places: int, expected: str) -> None:
    assert number_text(value, places, thousands=True) == expected


def test_interval_cells() -> None:
    assert interval_cell(1.58997, 1.57928, 1.60076, "relative_likelihood") == "1.59 (1.58 to 1.60)"
    assert interval_cell(28.613, 28.542, 28.684, "pct_bme") == "28.6 (28.5 to 28.7)"
    assert interval_cell(-0.004, -0.31, 0.29, "difference_pp") == "0.0 (-0.3 to 0.3)"
    assert interval_cell("[c]", "[c]", "[c]", "relative_likelihood", withheld="[c]") == "[c]"
    assert interval_cell(np.nan, np.nan, np.nan, "pct_bme", missing="n/a") == "n/a"
    assert interval_cell(0.81, 0.5, np.inf, "relative_likelihood") == "0.81 (0.50 to unbounded)"
    assert interval_cell(0.001, 0.0001, 0.01, "relative_likelihood").startswith("less than 0.01")
    assert interval_cell(1.5, np.nan, np.nan, "relative_likelihood") == "1.50"


# -- the rules every shown table keeps -------------------------------------------------------


def test_tidy_drops_empty_columns_and_says_constants_once_in_the_caption() -> None:
    frame = pd.DataFrame(
        {
            "level": ["national", "national"],
            "year": [2023, 2024],
            "estimate": [1.5, -0.0001],
            "white_total": [np.nan, np.nan],
            "bme_count": [1234, 5],
        }
    )
    table = tidy(frame, "Trend")
    assert table.caption == "Trend (level national)"
    assert table.header == ("Year", "Estimate", "BME count")
    assert table.rows == (("2023", "1.50", "1,234"), ("2024", "0.00", "5"))


def test_headers_spell_out_abbreviations() -> None:
    assert header_label("bme_vsm") == "BME VSM" and header_label("pct_unknown") == "% unknown"
    assert header_label("group_total", "Black") == "Black total"


def test_a_one_row_table_keeps_its_columns() -> None:
    table = tidy(pd.DataFrame({"level": ["national"], "n": [3]}), "One")
    assert table.header == ("Level", "N") and table.caption == "One"


def test_fold_constants_and_drop_empty_keep_row_headers_and_groups() -> None:
    table = ReaderTable(
        caption="Counts",
        header=("Area", "Below", "Within", "Not defined", "Spare"),
        rows=(("England", "3", "4", "0", ""), ("London", "1", "2", "0", "")),
        groups=("", "Point", "Point", "", ""),
        row_headers=1,
    )
    shown = fold_constants(drop_empty(table))
    assert shown.header == ("Area", "Below", "Within")
    assert shown.groups == ("", "Point", "Point")
    assert shown.caption == "Counts (in every row: not defined 0)"
    assert shown.rows == (("England", "3", "4"), ("London", "1", "2"))


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.cells: list[tuple[str, dict]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("th", "td", "colgroup"):
            self.cells.append((tag, dict(attrs)))


def test_reader_html_spans_groups_with_colgroup_scopes() -> None:
    table = ReaderTable(
        caption="Counts <b>",
        header=("Year", "Appointed", "Shortlisted", "Appointed", "Shortlisted"),
        rows=(("2024", "1", "2", "3", "4"),),
        groups=("", "White", "White", "BME", "BME"),
        row_headers=1,
        notes=("A note.",),
        source="Source: x.",
    )
    page = reader_html(table)
    parser = _Cells()
    parser.feed(page)
    assert "<caption>Counts &lt;b&gt;</caption>" in page
    assert [a.get("span") for t, a in parser.cells if t == "colgroup"] == ["1", "2", "2"]
    heads = [(a.get("scope"), a.get("colspan"), a.get("rowspan")) for t, a in parser.cells
             if t == "th"]
    assert heads[:3] == [("col", None, "2"), ("colgroup", "2", None), ("colgroup", "2", None)]
    assert heads[3:7] == [("col", None, None)] * 4
    assert heads[7] == ("row", None, None)  # the year heads its row
    assert "A note." in page and "Source: x." in page


# -- shaped indicator tables -----------------------------------------------------------------


def _rows(**columns: list) -> pd.DataFrame:
    return pd.DataFrame(columns)


def test_by_year_pivots_breakdowns_across() -> None:
    frame = _rows(
        breakdown=["voting board minus workforce", "executive board minus workforce"] * 2,
        level=["national"] * 4,
        year=[2023, 2023, 2024, 2024],
        estimate=[-11.6, -12.0, -14.7, -16.9],
        lower=[-12.5, -13.0, -15.9, -18.3],
        upper=[-10.7, -10.8, -13.3, -15.2],
    )
    table = by_year("9", "difference_pp")(frame, CONTEXT)
    assert table.header == ("Year", "Voting board minus workforce",
                            "Executive board minus workforce")
    assert set(table.groups[1:]) == {"Gap (percentage points) (95% CI)"}
    assert table.rows[1] == ("2024", "-14.7 (-15.9 to -13.3)", "-16.9 (-18.3 to -15.2)")


def test_by_year_one_series_shows_counts_under_their_groups() -> None:
    frame = _rows(level=["national"] * 2, year=[2023, 2024], estimate=[1.5, 1.6],
                  lower=[1.4, 1.5], upper=[1.6, 1.7], white_count=[10, 20],
                  white_total=[100, 200], group_count=[5, 6], group_total=[90, 95])
    table = by_year("2", "relative_likelihood")(frame, CONTEXT)
    assert table.header == ("Year", "Relative likelihood (95% CI)", "Appointed", "Shortlisted",
                            "Appointed", "Shortlisted")
    assert table.groups == ("", "", "White", "White", "BME", "BME")
    assert table.rows[0] == ("2023", "1.50 (1.40 to 1.60)", "10", "100", "5", "90")


def test_by_grade_puts_grades_down_and_occupation_groups_across() -> None:
    frame = _rows(
        measure=["pct_bme"] * 5 + ["difference_pp"],
        breakdown=["all staff", "clinical", "clinical: Band 5", "non-clinical: Band 5",
                   "medical and dental: Consultant", "Band 8a and above minus all staff"],
        estimate=[28.6, 27.1, 34.8, 22.4, 43.8, -11.5],
        lower=[28.5, 27.0, 34.6, 22.2, 43.5, np.nan],
        upper=[28.7, 27.2, 34.9, 22.6, 44.2, np.nan],
    )
    table = by_grade(frame, CONTEXT)
    assert table.header == ("Grade", "All staff", "Clinical", "Non-clinical", "Medical and dental")
    rows = {row[0]: row[1:] for row in table.rows}
    assert rows["All grades"] == ("28.6 (28.5 to 28.7)", "27.1 (27.0 to 27.2)", "", "")
    assert rows["Band 5"] == ("", "34.8 (34.6 to 34.9)", "22.4 (22.2 to 22.6)", "")
    assert rows["Consultant"][-1] == "43.8 (43.5 to 44.2)"
    assert "Band 8a and above minus all staff" not in rows  # a gap, not a share


def test_group_trends_put_years_down_and_groups_across() -> None:
    frame = _rows(
        level=["national"] * 6,
        year=[2023, 2024, 2023, 2024, 2023, 2024],
        ethnic_group=["BME", "BME", "Asian", "Asian", "Black", "Black"],
        estimate=[27.0, 28.6, 12.1, 13.0, 7.2, 7.9],
        lower=[26.9, 28.5, 12.0, 12.9, 7.1, 7.8],
        upper=[27.1, 28.7, 12.2, 13.1, 7.3, 8.0],
    )
    table = group_trends(frame, CONTEXT)
    assert table.header == ("Year", "% BME", "% Asian", "% Black")
    assert set(table.groups[1:]) == {"% of staff of known ethnicity (95% CI)"}
    assert table.rows == (
        ("2023", "27.0 (26.9 to 27.1)", "12.1 (12.0 to 12.2)", "7.2 (7.1 to 7.3)"),
        ("2024", "28.6 (28.5 to 28.7)", "13.0 (12.9 to 13.1)", "7.9 (7.8 to 8.0)"),
    )


def test_senior_table_puts_years_down_and_each_level_s_staff_groups_across() -> None:
    frame = _rows(
        year=[2023, 2024] * 4,
        senior=["Band 8a and above"] * 4 + ["Band 8c and above"] * 4,
        staff_group=["clinical and non-clinical"] * 2 + ["clinical"] * 2
        + ["clinical and non-clinical"] * 2 + ["clinical"] * 2,
        pct_bme=[16.0, 17.1, 15.0, 16.2, 11.0, 12.5, 10.0, 11.4],
        lower=[15.8, 16.9, 14.8, 16.0, 10.6, 12.1, 9.5, 10.9],
        upper=[16.2, 17.3, 15.2, 16.4, 11.4, 12.9, 10.5, 11.9],
        workforce_pct=[26.4, 28.6] * 4,
    )
    table = senior_table(frame, CONTEXT)
    assert table.header == ("Year", "Clinical and non-clinical", "Clinical",
                            "Clinical and non-clinical", "Clinical", "Whole workforce (% BME)")
    assert table.groups[1:3] == ("Band 8a and above: % BME (95% CI)",) * 2
    assert table.groups[3:5] == ("Band 8c and above: % BME (95% CI)",) * 2
    assert table.rows[1] == ("2024", "17.1 (16.9 to 17.3)", "16.2 (16.0 to 16.4)",
                             "12.5 (12.1 to 12.9)", "11.4 (10.9 to 11.9)", "28.6")


def test_trajectory_names_its_senior_level() -> None:
    frame = _rows(year=[2024], actual_pct=[12.5], target_pct=[14.0], gap_pp=[-1.5],
                  workforce_pct=[28.6], ratio=[0.44], ratio_lower=[0.42], ratio_upper=[0.45],
                  target_ratio=[0.49])
    table = trajectory("Band 8c and above")(frame, CONTEXT)
    assert table.header[1] == "% BME at Band 8c and above"
    assert table.groups[1:4] == ("Band 8c and above",) * 3
    assert table.rows[0] == ("2024", "12.5", "14.0", "-1.5", "28.6", "0.44 (0.42 to 0.45)", "0.49")


def test_by_region_year_puts_areas_down_and_years_across() -> None:
    frame = _rows(
        year=[2023, 2023, 2024, 2024] * 2,
        area_name=["London", "North West"] * 4,
        indicator=["1"] * 8,
        breakdown=["all staff"] * 4 + ["Band 8a and above"] * 4,
        estimate=[52.8, 16.1, 56.1, 17.0, 30.2, 9.1, 33.3, "[c]"],
    )
    table = by_region_year("pct_bme")(frame, CONTEXT)
    assert table.header == ("Area", "2023", "2024")
    assert table.rows == (
        ("All staff: London", "52.8", "56.1"),
        ("All staff: North West", "16.1", "17.0"),
        ("Band 8a and above: London", "30.2", "33.3"),
        ("Band 8a and above: North West", "9.1", "[c]"),
    )


def test_by_comparison_puts_each_comparison_with_white_on_one_row() -> None:
    frame = _rows(
        ethnic_group=["BME"] * 3 + ["Black"] * 3,
        sex=["all"] * 6,
        measure=["pct_bme", "pct_white", "relative_likelihood"] * 2,
        breakdown=["appointed from shortlisting"] * 6,
        estimate=[13.9, 22.1, 1.59, 12.0, 22.1, "[c]"],
        lower=[13.8, 22.0, 1.58, 11.5, 22.0, "[c]"],
        upper=[14.0, 22.2, 1.60, 12.5, 22.2, "[c]"],
        white_count=[233311] * 6, white_total=[1054181] * 6,
        group_count=[100841] * 3 + ["[c]"] * 3, group_total=[724450] * 3 + [20000] * 3,
    )
    table = by_comparison("2")(frame, CONTEXT)
    assert table.header == ("Compared with White", "% White (95% CI)",
                            "% of the compared group (95% CI)", "Relative likelihood (95% CI)",
                            "Appointed", "Shortlisted", "Appointed", "Shortlisted")
    assert table.groups[4:] == ("White", "White", "Compared group", "Compared group")
    assert table.rows == (
        ("BME", "22.1 (22.0 to 22.2)", "13.9 (13.8 to 14.0)", "1.59 (1.58 to 1.60)",
         "233,311", "1,054,181", "100,841", "724,450"),
        ("Black", "22.1 (22.0 to 22.2)", "12.0 (11.5 to 12.5)", "[c]",
         "233,311", "1,054,181", "[c]", "20,000"),
    )


def test_by_comparison_heads_rows_by_sex_and_staff_where_they_vary() -> None:
    frame = _rows(
        ethnic_group=["BME"] * 3, sex=["all", "female", "all"], measure=["pct_bme"] * 3,
        breakdown=["entering the formal disciplinary process"] * 2 + ["Bands 1-4"],
        estimate=[1.1, 1.0, 1.6], lower=[1.0, 0.9, 1.5], upper=[1.2, 1.1, 1.7],
    )
    table = by_comparison("3")(frame, CONTEXT)
    # one compared group throughout is named in the headers, not repeated down a column
    assert table.header[:3] == ("Sex", "Staff", "% BME (95% CI)")
    assert table.row_headers == 2
    assert [row[:2] for row in table.rows] == [
        ("All", "All staff"), ("Women", "All staff"), ("All", "Bands 1-4")
    ]
    several = _rows(
        ethnic_group=["BME", "Black"], sex=["all", "female"], measure=["pct_bme"] * 2,
        breakdown=["entering the formal disciplinary process"] * 2,
        estimate=[1.1, 1.0], lower=[1.0, 0.9], upper=[1.2, 1.1],
    )
    table = by_comparison("3")(several, CONTEXT)
    assert table.header[:3] == ("Sex", "Compared with White", "% of the compared group (95% CI)")
    assert [row[:2] for row in table.rows] == [("All", "BME"), ("Women", "Black")]
    # indicator 9's breakdowns name board groups and the gap: they stay as they are
    board = _rows(ethnic_group=["BME", "BME"], sex=["all", "all"],
                  measure=["pct_bme", "difference_pp"],
                  breakdown=["voting board members", "voting board minus workforce"],
                  estimate=[38.5, -8.7], lower=[17.7, -31.1], upper=[64.5, 18.3])
    rows = by_comparison("9")(board, CONTEXT).rows
    assert [row[0] for row in rows] == ["Voting board members", "Voting board minus workforce"]


def test_by_area_shows_withheld_values_as_the_symbol() -> None:
    frame = _rows(level=["region", "org_type"], area_name=["London", "Acute"],
                  indicator=["2", "2"], breakdown=["appointed from shortlisting"] * 2,
                  estimate=["[c]", 1.55], lower=["[c]", 1.5], upper=["[c]", 1.6],
                  white_count=["[c]", 10], white_total=[100, 200], group_count=[5, 6],
                  group_total=[90, 95])
    table = by_area("2", "relative_likelihood")(frame, CONTEXT)
    assert [r[0] for r in table.rows] == ["London", "Acute trusts"]
    assert table.rows[0][1] == "[c]" and table.rows[0][2] == "[c]"


# -- the summary a board reads ---------------------------------------------------------------


def _indicators() -> pd.DataFrame:
    """Indicator 2 for an organisation in 2023 and 2024, England in 2024."""
    base = dict(indicator="2", measure="relative_likelihood",
                breakdown="appointed from shortlisting", range_evidence="clearly above")
    rows = [
        dict(base, year=2023, level="organisation", area_code="R1", area_name="Trust",
             estimate=1.45, lower=1.36, upper=1.54, white_count=50, white_total=500,
             group_count=30, group_total=440),
        dict(base, year=2024, level="organisation", area_code="R1", area_name="Trust",
             estimate=1.66, lower=1.51, upper=1.83, white_count=60, white_total=510,
             group_count=31, group_total=450),
        dict(base, year=2024, level="national", area_code="ENG", area_name="England",
             estimate=1.59, lower=1.58, upper=1.60, white_count=6000, white_total=50000,
             group_count=3100, group_total=45000),
    ]
    return pd.DataFrame(rows)


def _changes(verdict: str = "worsened") -> pd.DataFrame:
    return pd.DataFrame(
        {"year": [2024], "from_year": [2023], "level": ["organisation"], "area_code": ["R1"],
         "indicator": ["2"], "measure": ["relative_likelihood_ratio"],
         "breakdown": ["appointed from shortlisting"], "estimate": [1.14], "lower": [1.05],
         "upper": [1.24], "verdict": [verdict]}
    )


def test_summary_rows_take_the_previous_year_and_the_tested_change() -> None:
    rows = summary_rows(_indicators(), _changes(), level="organisation", code="R1", year=2024,
                        comparators={"England": "ENG", "region": "London"})
    assert list(rows["role"]) == ["this year", "previous year", "England"]
    current = rows.iloc[0]
    assert current["from_year"] == 2023 and current["verdict"] == "worsened"
    assert (current["change"], current["change_lower"]) == (1.14, 1.05)
    assert rows.iloc[1]["estimate"] == 1.45 and rows.iloc[2]["area_name"] == "England"


def test_a_change_not_in_the_changes_table_is_not_tested() -> None:
    rows = summary_rows(_indicators(), _changes().iloc[:0], level="organisation", code="R1",
                        year=2024)
    assert rows.iloc[0]["verdict"] == NOT_TESTED
    single = summary_rows(_indicators().iloc[1:], _changes(), level="organisation", code="R1",
                          year=2024)
    assert list(single["role"]) == ["this year"] and single.iloc[0]["verdict"] == NOT_TESTED


def test_board_summary_and_its_sentences_follow_the_verdict() -> None:
    rows = summary_rows(_indicators(), _changes(), level="organisation", code="R1", year=2024,
                        comparators={"England": "ENG"})
    actions = pd.DataFrame({"indicator": ["2", "2"], "status": ["done", "at risk"]})
    table = board_summary(actions)(rows, CONTEXT)
    [row] = table.rows
    cells = dict(zip(table.header, row, strict=True))
    assert cells["Indicator"] == "2. Appointment from shortlisting (relative likelihood)"
    assert cells["2024 (95% CI)"] == "1.66 (1.51 to 1.83)" and cells["2023"] == "1.45"
    assert cells["Change (95% CI)"] == "1.14 (1.05 to 1.24)" and cells["Verdict"] == "worsened"
    assert cells["England"] == "1.59" and cells["Range evidence"] == "clearly above"
    assert cells["Action plan"] == "2 actions: 1 done, 1 at risk"
    [sentence] = change_sentences(rows, "[c]")
    assert "worsened" in sentence and "from 1.45 to 1.66" in sentence
    steady = summary_rows(_indicators(), _changes("no clear change"), level="organisation",
                          code="R1", year=2024)
    [sentence] = change_sentences(steady, "[c]")
    assert "no clear change" in sentence
    assert not any(w in sentence for w in (" up ", " down ", "worse", "improved"))


def test_board_summary_shows_the_icb_and_peer_group_where_given() -> None:
    """The ICB and a peer group are comparators beside England, the region and the trust
    type when the summary has them, and no empty column when it does not."""
    icb = dict(_indicators().iloc[2], level="icb", area_code="Q01", area_name="NHS X ICB",
               estimate=1.40)
    peers = dict(icb, level="peer_group", area_code="PEER", area_name="Peers", estimate=1.30)
    table_rows = pd.concat([_indicators(), pd.DataFrame([icb, peers])], ignore_index=True)
    rows = summary_rows(table_rows, _changes(), level="organisation", code="R1", year=2024,
                        comparators={"England": "ENG", "ICB": "Q01", "peer group": "PEER"})
    [row] = board_summary()(rows, CONTEXT).rows
    cells = dict(zip(board_summary()(rows, CONTEXT).header, row, strict=True))
    assert (cells["England"], cells["ICB"], cells["Peer group"]) == ("1.59", "1.40", "1.30")
    without = board_summary()(summary_rows(_indicators(), _changes(), level="organisation",
                                           code="R1", year=2024), CONTEXT)
    assert "ICB" not in without.header and "Peer group" not in without.header


def test_withheld_changes_are_said_to_be_withheld() -> None:
    withheld = _changes().assign(estimate="[c]", lower="[c]", upper="[c]", verdict="[c]")
    rows = summary_rows(_indicators(), withheld, level="organisation", code="R1", year=2024)
    table = board_summary()(rows, CONTEXT)
    assert table.rows[0][3:5] == ("[c]", "[c]")
    assert "withheld" in change_sentences(rows, "[c]")[0]


# -- the action plan -------------------------------------------------------------------------


def test_action_plan_orders_by_indicator_and_says_status_in_words() -> None:
    actions = pd.DataFrame({"indicator": ["9", "2"], "action": ["Mentoring", "Panels"],
                            "lead": ["Chair", "HR"], "due": ["2025-03-31", "2025-01-31"],
                            "status": ["off track", "on track"]})
    table = action_plan(actions, CONTEXT)
    assert [r[0] for r in table.rows] == ["2. Appointment from shortlisting",
                                          "9. Voting board members vs the workforce"]
    assert [r[-1] for r in table.rows] == ["On track", "Off track"]
    assert table.row_classes == ("wres-status-on-track", "wres-status-off-track")
    assert actions_text([]) == "" and actions_text(["done"]) == "1 action: 1 done"


def test_columns_of_words_are_set_apart_from_columns_of_figures() -> None:
    table = ReaderTable(
        caption="By band",
        header=("Staff", "% BME (95% CI)", "Change", "Years", "Organisation name"),
        rows=(("Bands 1-4", "13.6 (12.1 to 15.2)", "-0.5", "2016-2024", "Tarnbury Trust"),
              ("Bands 5-7", "[c]", "1,054", "2024", "R0A")),
        row_headers=1,
    )
    assert text_columns(table) == [True, False, False, False, True]
    page = reader_html(table)
    assert '<th scope="row" class="wres-text">Bands 1-4</th>' in page
    assert '<th scope="col" class="wres-text">Organisation name</th>' in page
    assert "<td>13.6 (12.1 to 15.2)</td>" in page and "<td>[c]</td>" in page
    assert '<td class="wres-text">Tarnbury Trust</td>' in page


def test_a_constant_year_the_title_names_is_not_said_again() -> None:
    table = ReaderTable(
        caption="Unknown ethnicity by table, 2024",
        header=("Table", "Year", "Level", "Unknown"),
        rows=(("workforce", "2024", "national", "50,586"), ("board", "2024", "national", "56")),
        row_headers=1,
    )
    shown = fold_constants(table)
    assert shown.header == ("Table", "Unknown")
    assert shown.caption == "Unknown ethnicity by table, 2024 (in every row: level national)"
    other = replace(table, caption="Unknown ethnicity by table")
    assert fold_constants(other).caption == (
        "Unknown ethnicity by table (in every row: year 2024; level national)"
    )
