"""Each indicator is declared once, and what other modules knew about it comes from there."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

from wres_analysis.charts import common as chart_labels
from wres_analysis.charts.trends import trend_chart
from wres_analysis.contract import NON_ADVERSE_RANGE as CONTRACT_RANGE
from wres_analysis.data import load_dataset
from wres_analysis.indicators import RELATIVE_LIKELIHOODS, relative_likelihood_indicator
from wres_analysis.indicators.compute import SURVEY_BREAKDOWNS, RelativeLikelihoodSpec
from wres_analysis.indicators.declarations import (
    INDICATORS,
    NON_ADVERSE_RANGE,
    Indicator,
    declared,
)
from wres_analysis.methods import indicator_definitions
from wres_analysis.stats import non_adverse
from wres_analysis.text import indicator_introduction
from wres_analysis.text.headline import HEADLINES, HeadlineSpec, reading
from wres_analysis.text.organisation import _SUBJECT


def test_all_nine_indicators_are_declared_in_order() -> None:
    assert list(INDICATORS) == ["1", "2", "3", "4", "5", "6", "7", "8", "9"]
    assert [INDICATORS[i].kind for i in ("1", "2", "5", "9")] == [
        "share",
        "relative_likelihood",
        "gap",
        "gap",
    ]
    assert [INDICATORS[i].chapter for i in ("2", "3", "4", "7")] == [
        "recruitment",
        "disciplinary",
        "training",
        "staff_experience",
    ]
    assert INDICATORS["3"].first == "BME" and INDICATORS["2"].first == "White"
    assert INDICATORS["7"].adverse == "below" and INDICATORS["5"].adverse == "above"


def test_the_non_adverse_range_is_declared_once() -> None:
    assert NON_ADVERSE_RANGE == (0.80, 1.25)
    assert NON_ADVERSE_RANGE is CONTRACT_RANGE is chart_labels.NON_ADVERSE_RANGE
    assert all(INDICATORS[i].non_adverse == (0.80, 1.25) for i in ("2", "3", "4"))
    assert INDICATORS["5"].non_adverse is None
    # The classification's default range is the declared one, inclusive at both ends.
    assert non_adverse([0.79, 0.80, 1.25, 1.26]).tolist() == ["below", "within", "within", "above"]


def test_derived_relative_likelihoods_are_what_they_were() -> None:
    assert list(RELATIVE_LIKELIHOODS) == ["2", "3", "4"]
    assert RELATIVE_LIKELIHOODS["3"] == RelativeLikelihoodSpec(
        "disciplinary",
        "entered_process",
        "headcount",
        "BME",
        "entering the formal disciplinary process",
    )
    assert RELATIVE_LIKELIHOODS["2"].numerator == "appointed"
    assert RELATIVE_LIKELIHOODS["2"].denominator == "shortlisted"
    assert SURVEY_BREAKDOWNS[6] == "harassment, bullying or abuse from staff"
    assert sorted(SURVEY_BREAKDOWNS) == [5, 6, 7, 8]


def test_derived_headlines_are_what_they_were() -> None:
    assert [spec.indicator for spec in HEADLINES] == list("123456789")
    assert HEADLINES[1].sentence == (
        "White applicants were {value} times as likely as BME applicants to be "
        "appointed from shortlisting {ci}"
    )
    assert HEADLINES[8] == HeadlineSpec(
        "9",
        "Voting board members vs the workforce",
        "difference_pp",
        "voting board minus workforce",
        "BME people were {board} of voting board members against {staff} of the "
        "workforce: a difference of {value} {ci}",
    )
    assert (HEADLINES[0].measure, HEADLINES[0].breakdown) == ("pct_bme", "all staff")
    assert _SUBJECT["4"] == (
        "White staff were {v} times as likely as BME staff to access non-mandatory training and CPD"
    )


def test_labels_and_definitions_come_from_the_declarations() -> None:
    assert chart_labels.rates_label("2") == (
        "White and BME applicants appointed from shortlisting (%)"
    )
    assert chart_labels.rates_label("3") == (
        "White and BME staff entering the formal disciplinary process (%)"
    )
    assert chart_labels.SHORT_NAMES["9"] == "Board representation"
    assert chart_labels.reading("3") == (
        "values above 1 mean BME staff are more likely to enter the process"
    )
    assert chart_labels.reading("5") == ""
    definitions = indicator_definitions().set_index("indicator")
    assert definitions.loc["3", "formula"] == (
        "(BME entering / BME headcount) / (White entering / White headcount)"
    )
    assert definitions.loc["5", "period"] == "NHS Staff Survey, autumn before the report year"


def test_a_declaration_is_checked() -> None:
    base = INDICATORS["2"]
    with pytest.raises(ValueError, match="kind"):
        dataclasses.replace(base, kind="ratio")
    with pytest.raises(ValueError, match="chapter"):
        dataclasses.replace(base, chapter="recruitment_and_more")
    with pytest.raises(ValueError, match="comparison"):
        dataclasses.replace(base, comparison="")
    with pytest.raises(ValueError, match="one of"):
        declared("10")


@pytest.fixture(autouse=True)
def _close_figures():
    """Close the charts a test draws, so no figure is left open for the next test."""
    yield
    plt.close("all")


#: A relative likelihood of another standard (WDES-like) on a table no WRES indicator reads.
_EXTRA = Indicator(
    id="W1",
    title="Appointment from shortlisting (made-up standard)",
    short_name="Made-up appointment",
    kind="relative_likelihood",
    chapter="recruitment",
    tables=("made_up_recruitment",),
    numerator="hired",
    denominator="interviewed",
    first="White",
    adverse="above",
    headline_breakdown="hired from interview",
    statement="White candidates were {value} times as likely as BME candidates to be hired",
    subject="candidates hired from interview",
    definition="Relative likelihood of being hired from interview",
    formula="(White hired / White interviewed) / (BME hired / BME interviewed)",
    period="Financial year ending 31 March of the report year",
    comparison="the relative likelihood of white candidates being hired compared with BME "
    "candidates",
    above_one="values above 1 favour white candidates",
    likelihood_title="Made-up relative likelihood of hiring",
)


def test_a_new_declaration_flows_to_computation_sentence_and_labels(
    small_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(INDICATORS, _EXTRA.id, _EXTRA)
    dataset = load_dataset(small_dataset)
    made_up = dataset["recruitment"].rename(
        columns={"appointed": "hired", "shortlisted": "interviewed"}
    )
    dataset = dataclasses.replace(
        dataset, tables={**dataset.tables, "made_up_recruitment": made_up}
    )

    table = relative_likelihood_indicator(dataset, "W1")
    national = table[(table["level"] == "national") & (table["measure"] == "relative_likelihood")]
    # R1A and R1B: White 230 of 1020 hired, BME 152 of 1115.
    assert national["breakdown"].tolist() == ["hired from interview"]
    assert national["estimate"].iloc[0] == pytest.approx((230 / 1020) / (152 / 1115))

    context = table[(table["area_code"] == "ENG") & (table["year"] == 2024)]
    text = reading(HeadlineSpec.of(_EXTRA), context, None, 2024)
    value = f"{national['estimate'].iloc[0]:.2f}"
    assert text.startswith(f"White candidates were {value} times as likely as BME candidates")
    assert "(95% CI " in text

    assert chart_labels.describe("W1", "relative_likelihood") == _EXTRA.comparison
    assert chart_labels.short_name("W1") == "Made-up appointment"
    assert chart_labels.rates_label("W1") == "White and BME candidates hired from interview (%)"
    chart = trend_chart(table, "W1", "relative_likelihood")
    assert chart.title == "Made-up relative likelihood of hiring, England"
    assert "values above 1 favour white candidates" in chart.alt.lower()
    assert indicator_introduction("W1").startswith(
        "Indicator W1 is the relative likelihood of white candidates being hired compared "
        "with BME candidates: (White hired / White interviewed) / (BME hired / BME "
        "interviewed), over the financial year ending 31 March of the report year."
    )
