"""Indicators 2-8 by occupation group and by band cluster (issue 13, item 3).

The process tables may carry the optional ``occupation`` and ``grade`` columns; where they do,
each indicator is also given, BME with White, within each occupation group and each band
cluster. Values are checked against plain pandas sums over the rows with this file's own
grade-to-cluster table; disclosure control is checked on a trust with 3 BME applicants
appointed in one band cluster.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import SMALL_TABLES, write_tables
from wres_analysis.data import DataValidationError, load_dataset
from wres_analysis.indicators import compute_indicators
from wres_analysis.report.chapter import Chapter
from wres_analysis.report.config import ReportConfig
from wres_analysis.report.inputs import (
    Settings,
    national_scope,
    organisation_scopes,
    prepare_inputs,
)
from wres_analysis.report.pipeline import _canonical_indicators

YEAR = 2024
#: The default clusters, written out here (not read from the package).
CLUSTER = {
    **dict.fromkeys(["Band 1", "Band 2", "Band 3", "Band 4"], "Bands 1-4"),
    **dict.fromkeys(["Band 5", "Band 6", "Band 7"], "Bands 5-7"),
    **dict.fromkeys(["Band 8a", "Band 8b"], "Bands 8a-8b"),
    **dict.fromkeys(["Band 8c", "Band 8d", "Band 9", "VSM"], "Bands 8c-9 and VSM"),
    **dict.fromkeys(
        ["Consultant", "Non-consultant career grade", "Trainee", "Other"],
        "Medical and dental grades",
    ),
}

RECRUITMENT = """year,org_code,ethnicity,shortlisted,appointed,occupation,grade
2024,R1A,White,500,120,clinical,Band 5
2024,R1A,White,200,40,clinical,Band 8a
2024,R1A,White,150,30,non-clinical,Band 3
2024,R1A,White,50,10,medical and dental,Consultant
2024,R1A,BME,700,100,clinical,Band 5
2024,R1A,BME,100,3,clinical,Band 8a
2024,R1A,BME,200,35,non-clinical,Band 3
2024,R1A,BME,100,12,medical and dental,Consultant
2024,R1A,Unknown,30,5,clinical,Band 5
2024,R1B,White,120,30,clinical,Band 5
2024,R1B,BME,15,2,clinical,Band 5
"""
SURVEY = """year,org_code,indicator,ethnicity,respondents,count,occupation
2024,R1A,5,White,500,120,clinical
2024,R1A,5,White,300,80,non-clinical
2024,R1A,5,BME,350,110,clinical
2024,R1A,5,BME,150,40,non-clinical
2024,R1A,7,White,800,440,clinical
2024,R1A,7,BME,500,220,clinical
2024,R1B,5,White,150,30,non-clinical
2024,R1B,5,BME,10,3,non-clinical
"""


def _tables(**changed: str) -> dict[str, str]:
    tables = dict(SMALL_TABLES)
    tables.update(recruitment=RECRUITMENT, staff_survey=SURVEY)
    tables.update(changed)
    return tables


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return load_dataset(write_tables(tmp_path_factory.mktemp("data"), _tables()))


@pytest.fixture(scope="module")
def table(dataset) -> pd.DataFrame:
    return compute_indicators(dataset, breakdowns=True)


def _one(table: pd.DataFrame, **equal) -> pd.Series:
    rows = table
    for column, value in equal.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, equal
    return rows.iloc[0]


def _raw(text: str) -> pd.DataFrame:
    return pd.read_csv(pd.io.common.StringIO(text))


@pytest.mark.parametrize("level,area", [("national", "ENG"), ("organisation", "R1A")])
def test_relative_likelihood_by_occupation_and_band_equals_plain_sums(table, level, area):
    rows = _raw(RECRUITMENT)
    rows = rows[rows["ethnicity"] != "Unknown"]
    if level == "organisation":
        rows = rows[rows["org_code"] == area]
    rows = rows.assign(cluster=rows["grade"].map(CLUSTER))
    for column in ("occupation", "cluster"):
        sums = rows.groupby([column, "ethnicity"])[["appointed", "shortlisted"]].sum()
        for label in rows[column].unique():
            white = sums.loc[(label, "White")]
            bme = sums.loc[(label, "BME")]
            expected = (white["appointed"] / white["shortlisted"]) / (
                bme["appointed"] / bme["shortlisted"]
            )
            got = _one(
                table, indicator="2", level=level, area_code=area, breakdown=label,
                measure="relative_likelihood",
            )  # fmt: skip
            assert got["estimate"] == pytest.approx(expected, rel=1e-12), label
            assert (got["ethnic_group"], got["sex"]) == ("BME", "all")
            assert int(got["group_count"]) == bme["appointed"]
            assert int(got["white_total"]) == white["shortlisted"]


def test_survey_gap_by_occupation_equals_plain_sums(table):
    rows = _raw(SURVEY)
    rows = rows[rows["indicator"] == 5]
    sums = rows.groupby(["occupation", "ethnicity"])[["count", "respondents"]].sum()
    pct = 100 * sums["count"] / sums["respondents"]
    for occupation in ("clinical", "non-clinical"):
        got = _one(
            table, indicator="5", level="national", breakdown=occupation,
            measure="difference_pp",
        )  # fmt: skip
        expected = pct[(occupation, "BME")] - pct[(occupation, "White")]
        assert got["estimate"] == pytest.approx(expected, rel=1e-9)
    # the survey has no grade column: no band rows
    survey = table[table["indicator"].isin(["5", "7"])]
    assert not survey["breakdown"].isin(set(CLUSTER.values())).any()


def test_tables_without_the_columns_have_no_job_rows_and_other_rows_are_unchanged(
    dataset, table, tmp_path: Path
):
    """Disciplinary and training carry neither column: no rows by occupation or band; and
    every row of the dataset without the columns is in the table with them, unchanged."""
    headline = {
        "3": "entering the formal disciplinary process",
        "4": "accessing non-mandatory training and CPD",
    }
    for number, breakdown in headline.items():
        assert set(table.loc[table["indicator"] == number, "breakdown"]) == {breakdown}
    plain = compute_indicators(
        load_dataset(write_tables(tmp_path / "plain", SMALL_TABLES)), breakdowns=True
    )
    labels = {*CLUSTER.values(), "clinical", "non-clinical", "medical and dental"}
    jobs = table["breakdown"].isin(labels) & (table["indicator"] != "1")
    pd.testing.assert_frame_equal(
        table[~jobs & ~table["indicator"].isin(["2", "5", "7"])].reset_index(drop=True),
        plain[~plain["indicator"].isin(["2", "5", "7"])].reset_index(drop=True),
    )


def test_the_job_rows_are_breakdowns_not_headline_rows(dataset):
    inputs = prepare_inputs(dataset, Settings(year=YEAR), [national_scope()])["ENG"]
    two = inputs.indicators[inputs.indicators["indicator"] == "2"]
    assert set(two["breakdown"]) == {"appointed from shortlisting"}
    assert (inputs.breakdowns["breakdown"] == "Bands 5-7").any()
    five = inputs.indicators[inputs.indicators["indicator"] == "5"]
    assert set(five["breakdown"]) == {
        "harassment, bullying or abuse from patients, relatives or the public"
    }


def test_band_clusters_are_a_parameter(dataset):
    clusters = {"Bands 1-7": ("Band 3", "Band 5"), "Band 8a and above": ("Band 8a",)}
    table = compute_indicators(dataset, breakdowns=True, band_clusters=clusters)
    two = table[(table["indicator"] == "2") & (table["level"] == "national")]
    shown = set(two["breakdown"]) - {"appointed from shortlisting", "clinical", "non-clinical",
                                     "medical and dental"}  # fmt: skip
    assert shown == {"Bands 1-7", "Band 8a and above"}  # consultants are in no cluster
    rows = _raw(RECRUITMENT)
    low = rows[rows["grade"].isin(["Band 3", "Band 5"])]
    bme = low[low["ethnicity"] == "BME"]
    got = _one(two, breakdown="Bands 1-7", measure="pct_bme")
    assert got["estimate"] == pytest.approx(100 * bme["appointed"].sum() / bme["shortlisted"].sum())


def test_band_clusters_are_checked():
    base = {"report": "national", "title": "t", "year": 2024,
            "chapters": [{"name": "a", "notebook": "a.ipynb", "title": "A"}]}  # fmt: skip
    assert ReportConfig(**base).band_clusters["Bands 5-7"] == ["Band 5", "Band 6", "Band 7"]
    with pytest.raises(ValueError, match="'Band 5' is in clusters 'low' and 'high'"):
        ReportConfig(**base, band_clusters={"low": ["Band 5"], "high": ["Band 5"]})
    with pytest.raises(ValueError, match="'Band 10' is not a grade"):
        ReportConfig(**base, band_clusters={"low": ["Band 10"]})
    with pytest.raises(ValueError, match="other than an occupation group"):
        ReportConfig(**base, band_clusters={"clinical": ["Band 5"]})


def test_the_columns_are_validated(tmp_path: Path):
    bad = RECRUITMENT.replace("2024,R1A,BME,100,3,clinical,Band 8a",
                              "2024,R1A,BME,100,3,nursing,Band 8a")  # fmt: skip
    bad = bad.replace("2024,R1A,BME,100,12,medical and dental,Consultant",
                      "2024,R1A,BME,100,12,clinical,Consultant")  # fmt: skip
    with pytest.raises(DataValidationError) as caught:
        load_dataset(write_tables(tmp_path / "bad", _tables(recruitment=bad)))
    found = {(p.file, p.row, p.column) for p in caught.value.problems}
    assert found == {("recruitment.csv", 7, "occupation"), ("recruitment.csv", 9, "grade")}
    assert "expected one of: clinical, non-clinical, medical and dental" in str(caught.value)
    assert "is not a grade for clinical staff" in str(caught.value)


def test_rows_differing_only_by_grade_are_not_repeats(tmp_path: Path):
    text = RECRUITMENT + "2024,R1A,White,10,1,clinical,Band 6\n"
    dataset = load_dataset(write_tables(tmp_path / "ok", _tables(recruitment=text)))
    assert len(dataset["recruitment"]) == 12
    repeat = RECRUITMENT + "2024,R1A,White,10,1,clinical,Band 5\n"
    with pytest.raises(DataValidationError, match="row 13: repeats the key .* of row 2"):
        load_dataset(write_tables(tmp_path / "repeat", _tables(recruitment=repeat)))


def test_a_band_of_three_appointed_is_withheld(dataset, tmp_path: Path):
    """R1A appointed 3 BME applicants at Band 8a: the Bands 8a-8b row is withheld in the
    chapter's table, its reading and the published indicators.csv, and England's with it."""
    scope = organisation_scopes(dataset, ["R1A"])[0]
    inputs = prepare_inputs(dataset, Settings(year=YEAR), [scope])["R1A"]
    chapter = Chapter(name="relative_likelihoods", inputs=inputs, output_dir=str(tmp_path))
    rows = chapter.breakdown_table("2", "band")
    band = rows["breakdown"] == "Bands 8a-8b"
    assert (rows.loc[band, "group_count"] == 3).all()
    shown = chapter.controlled(rows)
    symbol = chapter.rule.symbol
    for column in ("group_count", "estimate", "lower", "upper"):
        assert (shown.loc[band, column].astype(str) == symbol).all(), column
    assert (shown.loc[rows["breakdown"] == "Bands 5-7", "estimate"] != symbol).all()
    from wres_analysis.text.breakdowns import breakdown_readings

    withheld = pd.Series(chapter._withheld(rows), index=rows.index)
    readings = breakdown_readings(rows, withheld, "2", chapter.rule, chapter.confidence, "band")
    assert any(line.startswith("Bands 8a-8b: BME vs White: too few") for line in readings)
    assert any(line.startswith("Everyone: BME vs White: ") for line in readings)
    published = _canonical_indicators(inputs)
    own = published[(published["area_code"] == "R1A") & (published["breakdown"] == "Bands 8a-8b")]
    assert len(own) and (own["estimate"].astype(str) == symbol).all()
    england = prepare_inputs(dataset, Settings(year=YEAR), [national_scope()])["ENG"]
    national = _canonical_indicators(england)
    row = national[(national["breakdown"] == "Bands 8a-8b") & (national["measure"] == "pct_bme")]
    # England's 3 would give R1A's 3 back (no other organisation appointed one at these
    # bands): secondary suppression withholds England's count too
    assert row["group_count"].iloc[0] == symbol


def test_a_chapter_says_why_a_job_breakdown_is_absent(dataset, tmp_path: Path):
    inputs = prepare_inputs(dataset, Settings(year=YEAR), [national_scope()])["ENG"]
    chapter = Chapter(name="training", inputs=inputs, output_dir=str(tmp_path / "out"))
    said: list[str] = []
    chapter.say = lambda *paragraphs: said.extend(paragraphs)  # type: ignore[method-assign]
    chapter.show_breakdowns("4", chart=False)
    assert any("No figures by occupation group are shown for indicator 4" in s for s in said)
    assert any("`training` table has no `grade` column" in s for s in said)
    assert not list((tmp_path / "out").glob("**/indicator_4_by_occupation*"))
    chapter.show_breakdowns("2", chart=False)
    assert list((tmp_path / "out").glob("**/indicator_2_by_band.csv"))


# --- the demo data ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_tables():
    from wres_analysis.demo import generate_demo_tables

    return generate_demo_tables()


def test_the_demo_split_by_job_keeps_every_rows_totals(demo_tables):
    """Summed over occupation and grade, a demo process table split again by
    :func:`split_jobs` (another random stream) gives back the same rows: the split moves no
    one between years, organisations, ethnic groups or sexes."""
    import numpy as np

    from wres_analysis.demo.jobs import JOB_TABLES, job_mixes, split_jobs

    workforce = demo_tables["workforce"]
    coarse = workforce.assign(
        ethnicity=np.where(
            workforce["ethnicity"].isin(list("ABC")), "White",
            np.where(workforce["ethnicity"].isin(["Z", "99"]), "Unknown", "BME"),
        )
    )  # fmt: skip
    for name, (denominator, numerator) in JOB_TABLES.items():
        table = demo_tables[name]
        assert set(table["occupation"]) == {"clinical", "non-clinical", "medical and dental"}
        medical = table["occupation"] == "medical and dental"
        assert table.loc[medical, "grade"].isin(["Consultant", "Non-consultant career grade",
                                                 "Trainee", "Other"]).all()  # fmt: skip
        assert table.loc[~medical, "grade"].str.match(r"^(Band \d[a-d]?|VSM)$").all()
        key = [c for c in ("year", "org_code", "indicator", "ethnicity", "sex") if c in table]
        rows = table.groupby(key)[[denominator, numerator]].sum().reset_index()
        part = rows[rows["year"] == YEAR]
        if name == "staff_survey":
            part = part[part["indicator"] == 5]
        again = split_jobs(part, denominator, numerator, "5" if name == "staff_survey" else name,
                           job_mixes(coarse), np.random.default_rng(7))  # fmt: skip
        summed = again.groupby(key)[[denominator, numerator]].sum().reset_index()
        pd.testing.assert_frame_equal(summed, part.reset_index(drop=True), check_dtype=False)


def test_the_demo_differences_by_band_have_the_directions_its_readme_states():
    from wres_analysis.demo import demo_dataset_path

    demo = load_dataset(None)
    table = compute_indicators(demo.up_to(YEAR), levels=("national",), breakdowns=(YEAR,))
    table = table[table["year"] == YEAR]

    def value(indicator: str, breakdown: str, measure: str) -> float:
        return float(_one(table, indicator=indicator, breakdown=breakdown, measure=measure,
                          ethnic_group="BME", sex="all")["estimate"])  # fmt: skip

    low, senior = "Bands 1-4", "Bands 8c-9 and VSM"
    ratio = "relative_likelihood"
    assert value("2", senior, ratio) > value("2", low, ratio)
    assert value("4", senior, ratio) > value("4", low, ratio)
    assert value("3", low, ratio) > value("3", "Bands 5-7", ratio)
    assert value("5", "clinical", "pct_bme") > value("5", "non-clinical", "pct_bme")
    assert value("7", low, "pct_bme") < value("7", "Bands 8a-8b", "pct_bme")
    readme = (demo_dataset_path() / "README.md").read_text(encoding="utf-8")
    assert "no published WRES figure by occupation or band is bundled" in readme
