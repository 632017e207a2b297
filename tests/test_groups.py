"""The breakdowns beside BME vs White: detailed ethnic groups and sex (issue 13).

National values are checked against a plain recomputation from the demo tables with pandas
sums (its own code-to-group table, not the package's); disclosure control is checked on a
trust whose detailed group has 3 people.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.conftest import SMALL_TABLES, write_tables
from wres_analysis.data import load_dataset
from wres_analysis.disclosure import DisclosureRule
from wres_analysis.indicators import compute_indicators, ethnic_category_shares
from wres_analysis.report.chapter import Chapter
from wres_analysis.report.inputs import (
    Settings,
    national_scope,
    organisation_scopes,
    prepare_inputs,
)
from wres_analysis.report.pipeline import _canonical_indicators

YEAR = 2024
#: The 2001 census's groups by NHS ethnic category code (the primer's table).
CENSUS = {
    **dict.fromkeys("ABC", "White"),
    **dict.fromkeys("DEFG", "Mixed"),
    **dict.fromkeys("HJKL", "Asian"),
    **dict.fromkeys("MNP", "Black"),
    **dict.fromkeys("RS", "Other"),
}
GROUPS = ("Mixed", "Asian", "Black", "Other")


@pytest.fixture(scope="module")
def demo():
    return load_dataset(None)


@pytest.fixture(scope="module")
def national(demo) -> pd.DataFrame:
    table = compute_indicators(demo.up_to(YEAR), levels=("national",), breakdowns=(YEAR,))
    return table[table["year"] == YEAR]


def _raw(demo, name: str) -> pd.DataFrame:
    """A demo table as its CSV file holds it, with each row's census group and sex."""
    frame = pd.read_csv(
        demo.files[name], dtype={"ethnicity": str, "sex": str}, keep_default_na=False
    )
    frame = frame[frame["year"] == YEAR]
    group = frame["ethnicity"].map(lambda v: CENSUS.get(v, v))
    return frame.assign(group=group.where(group.isin(["White", *GROUPS]), "Unknown"))


def _value(table: pd.DataFrame, indicator: str, measure: str, group: str, sex: str = "all",
           breakdown: str | None = None) -> float:  # fmt: skip
    rows = table[
        (table["indicator"] == indicator)
        & (table["measure"] == measure)
        & (table["ethnic_group"] == group)
        & (table["sex"] == sex)
    ]
    if breakdown is not None:
        rows = rows[rows["breakdown"] == breakdown]
    assert len(rows) == 1, (indicator, measure, group, sex, breakdown)
    return float(rows["estimate"].iloc[0])


def test_indicator_1_shares_of_each_group_equal_plain_sums(demo, national) -> None:
    staff = _raw(demo, "workforce")
    known = staff[staff["group"] != "Unknown"]
    total = known["headcount"].sum()
    for group in GROUPS:
        expected = 100 * known.loc[known["group"] == group, "headcount"].sum() / total
        got = _value(national, "1", "pct_bme", group, breakdown="all staff")
        assert got == pytest.approx(expected, rel=1e-12)
    senior = known[
        known["grade"].isin(["Band 8a", "Band 8b", "Band 8c", "Band 8d", "Band 9", "VSM"])
        & (known["occupation"] != "medical and dental")
    ]
    black = senior.loc[senior["group"] == "Black", "headcount"].sum()
    expected = 100 * black / senior["headcount"].sum()
    got = _value(national, "1", "pct_bme", "Black", breakdown="Band 8a and above")
    assert got == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("indicator", "table", "numerator", "denominator", "white_first"),
    [
        ("2", "recruitment", "appointed", "shortlisted", True),
        ("3", "disciplinary", "entered_process", "headcount", False),
        ("4", "training", "accessed_training", "headcount", True),
    ],
)
def test_relative_likelihoods_of_each_group_and_sex_equal_plain_sums(
    demo, national, indicator, table, numerator, denominator, white_first
) -> None:
    rows = _raw(demo, table)
    sums = rows.groupby(["group", "sex"])[[numerator, denominator]].sum()

    def rate(groups: list[str], sexes: list[str]) -> float:
        chosen = sums[sums.index.get_level_values(0).isin(groups)
                      & sums.index.get_level_values(1).isin(sexes)].sum()  # fmt: skip
        return chosen[numerator] / chosen[denominator]

    everyone = ["female", "male", ""]
    for group in GROUPS:
        white, other = rate(["White"], everyone), rate([group], everyone)
        expected = white / other if white_first else other / white
        got = _value(national, indicator, "relative_likelihood", group)
        assert got == pytest.approx(expected, rel=1e-12)
    for sex in ("female", "male"):
        white, bme = rate(["White"], [sex]), rate(list(GROUPS), [sex])
        expected = white / bme if white_first else bme / white
        got = _value(national, indicator, "relative_likelihood", "BME", sex)
        assert got == pytest.approx(expected, rel=1e-12)


def test_survey_percentages_and_gaps_of_each_group_equal_plain_sums(demo, national) -> None:
    survey = _raw(demo, "staff_survey")
    for number in (5, 6, 7, 8):
        rows = survey[survey["indicator"] == number]
        sums = rows.groupby("group")[["count", "respondents"]].sum()
        pct = 100 * sums["count"] / sums["respondents"]
        for group in GROUPS:
            got = _value(national, str(number), "pct_bme", group)
            assert got == pytest.approx(pct[group], rel=1e-12)
            gap = _value(national, str(number), "difference_pp", group)
            assert gap == pytest.approx(pct[group] - pct["White"], rel=1e-9)


def test_board_shares_of_each_group_equal_plain_sums(demo, national) -> None:
    board = _raw(demo, "board")
    voting = board[board["voting"] == "yes"]
    known = voting[voting["group"] != "Unknown"]
    for group in GROUPS:
        members = known.loc[known["group"] == group, "headcount"].sum()
        expected = 100 * members / known["headcount"].sum()
        got = _value(national, "9", "pct_bme", group, breakdown="voting board members")
        assert got == pytest.approx(expected, rel=1e-12)


def test_the_sixteen_categories_share_the_known_workforce(demo) -> None:
    shares = ethnic_category_shares(demo, YEAR)
    staff = _raw(demo, "workforce")
    known = staff[staff["group"] != "Unknown"]
    expected = known.groupby("ethnicity")["headcount"].sum() / known["headcount"].sum()
    assert list(shares["code"]) == list("ABCDEFGHJKLMNPRS")
    for code, value in zip(shares["code"], shares["estimate"], strict=True):
        assert value == pytest.approx(100 * expected.get(code, 0.0), rel=1e-12)
    assert shares["estimate"].sum() == pytest.approx(100.0)


def test_the_demo_shows_black_staff_least_sure_of_equal_opportunities(national) -> None:
    black = _value(national, "7", "pct_bme", "Black")
    asian = _value(national, "7", "pct_bme", "Asian")
    assert black < asian


# --- tables holding only White/BME/Unknown, and small groups ---------------------------------


def test_a_table_recording_only_bme_has_no_detailed_rows(tmp_path: Path) -> None:
    """SMALL_TABLES records the workforce as White/BME only: no detailed rows for 1; its board
    holds codes and a group name (White) only for White people, so 9 has them."""
    dataset = load_dataset(write_tables(tmp_path / "data", SMALL_TABLES))
    table = compute_indicators(dataset, breakdowns=True)
    detailed = table[table["ethnic_group"] != "BME"]
    assert not (detailed["indicator"] == "1").any()
    assert (detailed["indicator"] == "9").any()
    assert (table["sex"] == "all").all()  # no sex column anywhere


def _small_group_tables() -> dict[str, str]:
    """R1A's workforce by code and sex, with 3 Black staff (code N) among 1,203 known."""
    tables = dict(SMALL_TABLES)
    tables["workforce"] = """year,org_code,occupation,grade,ethnicity,headcount,sex
2024,R1A,clinical,Band 5,A,700,female
2024,R1A,clinical,Band 5,A,300,male
2024,R1A,clinical,Band 5,H,120,female
2024,R1A,clinical,Band 5,D,40,female
2024,R1A,clinical,Band 5,R,40,male
2024,R1A,clinical,Band 5,N,3,female
2024,R1A,clinical,Band 5,Z,10,
2024,R1B,clinical,Band 5,A,300,female
2024,R1B,clinical,Band 5,H,20,male
"""
    # 3 BME applicants appointed at Band 8a (the Bands 8a-8b cluster) at R1A
    tables["recruitment"] = """year,org_code,ethnicity,shortlisted,appointed,occupation,grade
2024,R1A,White,700,180,clinical,Band 5
2024,R1A,White,200,20,clinical,Band 8a
2024,R1A,BME,1000,147,clinical,Band 5
2024,R1A,BME,100,3,clinical,Band 8a
2024,R1B,White,120,30,clinical,Band 5
2024,R1B,BME,15,2,clinical,Band 5
"""
    return tables


def test_a_detailed_group_of_three_is_withheld(tmp_path: Path) -> None:
    dataset = load_dataset(write_tables(tmp_path / "data", _small_group_tables()))
    scope = organisation_scopes(dataset, ["R1A"])[0]
    inputs = prepare_inputs(dataset, Settings(year=YEAR), [scope])["R1A"]
    chapter = Chapter(name="workforce", inputs=inputs, output_dir=str(tmp_path / "out"))
    rows = chapter.breakdown_table("1", "ethnic_group")
    black = rows["ethnic_group"] == "Black"
    assert (rows.loc[black, "group_count"] == 3).all()  # the exact count is in the inputs
    shown = chapter.controlled(rows)
    symbol = chapter.rule.symbol
    for column in ("group_count", "estimate", "lower", "upper"):
        assert (shown.loc[black, column].astype(str) == symbol).all(), column
    assert (shown.loc[~black & (rows["breakdown"] == "all staff"), "estimate"] != symbol).all()
    withheld = pd.Series(chapter._withheld(rows), index=rows.index)
    from wres_analysis.text.breakdowns import breakdown_readings

    readings = breakdown_readings(rows, withheld, "1", chapter.rule, chapter.confidence)
    assert any(line.startswith("Black or Black British vs White: too few") for line in readings)
    published = _canonical_indicators(inputs)
    own = published[
        (published["area_code"] == "R1A")
        & (published["ethnic_group"] == "Black")
        & (published["indicator"] == "1")
    ]
    assert len(own) and (own["group_count"].astype(str) == symbol).all()
    assert (own["estimate"].astype(str) == symbol).all()
    # the organisation's chapters publish the same breakdowns, the group and band withheld
    out = tmp_path / "chapters"
    for name, number in (("workforce_and_board", "1"), ("relative_likelihoods", "2")):
        Chapter(name=name, inputs=inputs, output_dir=str(out)).show_breakdowns(
            number, chart=False
        )
    tables = out / "tables"
    by_group = pd.read_csv(tables / "indicator_1_by_ethnic_group.csv", dtype=str)
    cells = by_group.loc[by_group["ethnic_group"] == "Black", ["group_count", "estimate"]]
    assert len(cells) and (cells == symbol).all().all()
    by_band = pd.read_csv(tables / "indicator_2_by_band.csv", dtype=str)
    band = by_band["breakdown"] == "Bands 8a-8b"
    assert band.any() and (by_band.loc[band, "estimate"] == symbol).all()
    assert (by_band.loc[by_band["breakdown"] == "Bands 5-7", "estimate"] != symbol).all()
    assert (tables / "indicator_2_by_occupation.csv").exists()
    # England's figure is national: not controlled
    england = prepare_inputs(dataset, Settings(year=YEAR), [national_scope()])["ENG"]
    national = england.breakdowns
    row = national[(national["ethnic_group"] == "Black") & (national["breakdown"] == "all staff")]
    assert int(row["group_count"].iloc[0]) == 3
    assert np.isclose(float(row["estimate"].iloc[0]), 100 * 3 / (1000 + 120 + 40 + 40 + 3 + 320))


def test_a_chapter_says_why_a_breakdown_is_absent(tmp_path: Path) -> None:
    """SMALL_TABLES records the workforce as White/BME and nobody's sex: the workforce
    chapter shows neither breakdown of indicator 1 and says why, naming the table."""
    dataset = load_dataset(write_tables(tmp_path / "data", SMALL_TABLES))
    inputs = prepare_inputs(dataset, Settings(year=YEAR), [national_scope()])["ENG"]
    chapter = Chapter(name="workforce", inputs=inputs, output_dir=str(tmp_path / "out"))
    said: list[str] = []
    chapter.say = lambda *paragraphs: said.extend(paragraphs)  # type: ignore[method-assign]
    chapter.show_breakdowns("1")
    chapter.show_ethnic_categories()
    assert len(said) == 3
    assert "No detailed ethnic groups are shown for indicator 1" in said[0]
    assert "`workforce` table records some BME people only as BME" in said[0]
    assert "No figures by sex are shown for indicator 1" in said[1]
    assert "sixteen NHS ethnic categories" in said[2]
    assert not list((tmp_path / "out").glob("**/indicator_1_by_*"))


def test_the_group_chart_names_every_group_and_hides_what_is_withheld(national) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from wres_analysis.charts import group_comparison_chart
    from wres_analysis.indicators import breakdown_rows

    rows = breakdown_rows(
        national, national, "7", YEAR, by="ethnic_group", level="national", area_code="ENG"
    ).drop_duplicates(["ethnic_group", "sex", "measure", "breakdown"])
    rows = rows.assign(area_name="England")
    black = (rows["ethnic_group"] == "Black") & (rows["measure"] == "difference_pp")
    rows.loc[black, ["estimate", "lower", "upper"]] = np.nan  # as Chapter.chartable masks
    chart = group_comparison_chart(rows, "7", YEAR)
    for label in ("BME vs White", "Mixed vs White", "Asian or Asian British vs White"):
        assert label in chart.alt
    assert "Black or Black British vs White: not shown." in chart.alt
    matplotlib.pyplot.close(chart.figure)


def test_the_senior_gap_is_withheld_with_the_senior_share(tmp_path: Path) -> None:
    """Band 8a and above minus all staff, with the all-staff share, would give a withheld
    senior share: the gap is withheld with it (3 BME staff at Band 8a and above)."""
    tables = dict(SMALL_TABLES)
    tables["workforce"] = SMALL_TABLES["workforce"].replace(
        "2024,R1A,clinical,Band 8a,BME,30", "2024,R1A,clinical,Band 8a,BME,3"
    )
    dataset = load_dataset(write_tables(tmp_path / "data", tables))
    # the primary rule alone: secondary suppression also withholds R1A's all-staff row here,
    # which would hide the gap whether or not it is withheld with the senior share
    rule = DisclosureRule(secondary_suppression=False)
    settings = Settings(year=YEAR, disclosure=rule)
    inputs = prepare_inputs(dataset, settings, organisation_scopes(dataset, ["R1A"]))
    published = _canonical_indicators(inputs["R1A"])
    own = published[(published["area_code"] == "R1A") & (published["indicator"] == "1")]
    symbol = inputs["R1A"].settings.disclosure.symbol

    def shown(breakdown: str) -> str:
        return str(own.loc[own["breakdown"] == breakdown, "estimate"].iloc[0])

    assert shown("Band 8a and above") == symbol
    assert shown("Band 8a and above minus all staff") == symbol
    assert shown("all staff") != symbol


def test_breakdowns_of_the_report_year_alone_equal_every_years(demo) -> None:
    """A build computes the breakdowns of its report year only (other years summed as White
    and BME): the same rows as computing every year's, also with indicator 3 pooled over
    two years (the year before is pooled in with its detail)."""
    data = demo.up_to(YEAR)
    options = {"levels": ("national", "region"), "disciplinary_rolling_years": 2}
    every = compute_indicators(data, breakdowns=True, **options)
    alone = compute_indicators(data, breakdowns=(YEAR,), **options)
    every = every[every["year"] == YEAR].reset_index(drop=True)
    pd.testing.assert_frame_equal(alone[alone["year"] == YEAR].reset_index(drop=True), every)
    assert set(alone.loc[alone["year"] < YEAR, "ethnic_group"]) == {"BME"}


def test_the_workforce_by_group_over_time_equals_plain_sums(demo, national) -> None:
    from wres_analysis.indicators import ethnic_group_trends

    trends = ethnic_group_trends(demo)
    frame = pd.read_csv(demo.files["workforce"], dtype={"ethnicity": str}, keep_default_na=False)
    group = frame["ethnicity"].map(lambda v: CENSUS.get(v, "Unknown"))
    known = frame[group != "Unknown"].assign(group=group)
    assert sorted(trends["year"].unique()) == sorted(known["year"].unique())
    for year, rows in known.groupby("year"):
        total = rows["headcount"].sum()
        for name in GROUPS:
            expected = 100 * rows.loc[rows["group"] == name, "headcount"].sum() / total
            got = trends[(trends["year"] == year) & (trends["ethnic_group"] == name)]
            assert float(got["estimate"].iloc[0]) == pytest.approx(expected, rel=1e-12)
        bme = 100 * rows.loc[rows["group"] != "White", "headcount"].sum() / total
        got = trends[(trends["year"] == year) & (trends["ethnic_group"] == "BME")]
        assert float(got["estimate"].iloc[0]) == pytest.approx(bme, rel=1e-12)
    # the report year's values are the indicator table's detailed rows
    for name in GROUPS:
        row = trends[(trends["year"] == YEAR) & (trends["ethnic_group"] == name)].iloc[0]
        assert row["estimate"] == pytest.approx(
            _value(national, "1", "pct_bme", name, breakdown="all staff"), rel=1e-12
        )
        assert row["lower"] < row["estimate"] < row["upper"]


def test_without_detailed_groups_the_chapter_says_why_there_is_no_trend(tmp_path: Path) -> None:
    dataset = load_dataset(write_tables(tmp_path / "data", SMALL_TABLES))
    inputs = prepare_inputs(dataset, Settings(year=YEAR), [national_scope()])["ENG"]
    assert set(inputs.tables["ethnic_group_trends"]["ethnic_group"]) == {"BME"}
    chapter = Chapter(name="workforce", inputs=inputs, output_dir=str(tmp_path / "out"))
    said: list[str] = []
    chapter.say = lambda *paragraphs: said.extend(paragraphs)  # type: ignore[method-assign]
    chapter.show_ethnic_group_trends()
    assert said == [
        "The workforce is not shown by ethnic group over time: in every year the `workforce` "
        "table records some BME staff only as BME, not by group, so a group's share would "
        "leave them out."
    ]
    assert not list((tmp_path / "out").glob("**/workforce_by_ethnic_group_trend*"))
