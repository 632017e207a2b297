"""Every sentence follows the parameters: the confidence level, the disclosure rule, the
non-adverse range and the funnel's levels are never fixed in the words."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from wres_analysis import methods
from wres_analysis.charts.trends import range_count_chart
from wres_analysis.data import load_dataset
from wres_analysis.disclosure import DisclosureRule
from wres_analysis.indicators import (
    compute_indicators,
    funnel_tables,
    range_summary,
)
from wres_analysis.text import (
    disclosure_note,
    format_value,
    funnel_introduction,
    indicator_introduction,
    interval_text,
    national_summary_introduction,
    organisation_summary_introduction,
    range_table_note,
    range_table_title,
    relative_likelihoods_introduction,
    workbook_description,
)
from wres_analysis.text.formatting import mid_sentence
from wres_analysis.text.headline import HEADLINES, HeadlineSpec, interval_phrase, reading
from wres_analysis.text.organisation import _sentence, organisation_headline
from wres_analysis.text.readings import (
    funnel_reading,
    range_reading,
)

WIDE = (0.75, 1.33)


@pytest.fixture(autouse=True)
def _close_figures():
    """Close the charts a test draws, so no figure is left open for the next test."""
    yield
    plt.close("all")


def _summary(confidence: float | None = None) -> pd.DataFrame:
    """A range summary typed by hand: 10 organisations in 2024, 4 of them outside the range."""
    frame = pd.DataFrame(
        {
            "year": [2024] * 4,
            "indicator": ["2"] * 4,
            "category": ["below", "within", "above", "not defined"],
            "organisations": [1, 6, 3, 2],
            "share": [10.0, 60.0, 30.0, np.nan],
            "significant": [1, 0, 2, 0],
        }
    )
    if confidence is not None:
        frame["confidence"] = confidence
    return frame


# --- formatting: one home, both wordings kept -------------------------------------------


def test_one_formatter_keeps_each_wording_for_a_missing_value() -> None:
    assert format_value(float("nan"), "relative_likelihood") == "not defined"
    assert format_value(None, "pct_bme", missing="not available") == "not available"
    assert format_value(1.234, "relative_likelihood") == "1.23"
    assert format_value(-2.05, "difference_pp") == "-2.0 percentage points"
    assert interval_text(1.0, 2.5, "pct_bme", 0.9, units=True) == "90% CI 1.0% to 2.5%"
    assert interval_text(1.0, 2.5, "relative_likelihood", 0.998) == "99.8% CI 1.00 to 2.50"
    assert interval_text(np.nan, 2.5, "pct_bme", 0.9) == ""
    with pytest.raises(ValueError, match="confidence"):
        interval_text(1.0, 2.0, "pct_bme", None)


def test_interval_phrase_states_the_rows_level() -> None:
    row = {"lower": 1.1, "upper": 1.9, "measure": "relative_likelihood"}
    assert interval_phrase(pd.Series({**row, "confidence": 0.9})) == "(90% CI 1.10 to 1.90)"
    assert interval_phrase(pd.Series({**row, "confidence": 0.95})) == "(95% CI 1.10 to 1.90)"


# --- the chapters' sentences ---------------------------------------------------------------


def test_disclosure_note_follows_the_rule() -> None:
    text = disclosure_note(DisclosureRule(round_to=10))
    assert "nearest 10" in text and "nearest 5" not in text
    assert "from 1 to 7" in text
    assert disclosure_note(DisclosureRule(max_count=0, round_to=1)).startswith(
        "No disclosure control is applied."
    )


def test_range_table_note_and_title_follow_confidence_and_range() -> None:
    note = range_table_note(0.90)
    assert "whose 90% interval excludes 1" in note and "95%" not in note
    title = range_table_title(WIDE)
    assert "(0.75 to 1.33)" in title and "0.80" not in title and "1.25" not in title
    assert range_table_title() == (
        "Organisations below, within and above the non-adverse range (0.80 to 1.25), by report year"
    )


def test_funnel_introduction_names_the_funnels_levels() -> None:
    text = funnel_introduction((0.99, 0.90))
    assert "(90% and 99%)" in text and "outside the 99% limits" in text
    assert "95%" not in text and "99.8%" not in text
    default = funnel_introduction()
    assert "(95% and 99.8%)" in default and "outside the 99.8% limits" in default


def test_indicator_introduction_follows_the_range() -> None:
    text = indicator_introduction("2", non_adverse=WIDE)
    assert text.startswith(
        "Indicator 2 is the relative likelihood of white applicants being appointed from "
        "shortlisting compared with BME applicants: (White appointed / White shortlisted) / "
        "(BME appointed / BME shortlisted), over the financial year ending 31 March of the "
        "report year."
    )
    assert "0.75 to 1.33 is the non-adverse range" in text
    assert "0.80" not in text and "1.25" not in text
    declared_range = indicator_introduction("3")
    assert "0.80 to 1.25 is the non-adverse range set in *A fair experience for all*" in (
        declared_range
    )
    assert "Small organisations often have no BME staff" in declared_range
    # The citation is for the declared range: another range is not attributed to it.
    assert "A fair experience" not in indicator_introduction("3", non_adverse=WIDE)
    assert "0.80 to 1.25 is the non-adverse range." in indicator_introduction("4")
    with pytest.raises(ValueError, match="relative likelihoods"):
        indicator_introduction("5")


def test_summary_introductions_follow_confidence_and_range() -> None:
    national = national_summary_introduction(0.90)
    assert "its 90% confidence interval" in national and "95%" not in national
    organisation = organisation_summary_introduction(0.90, WIDE)
    assert "its 90% confidence interval" in organisation and "95%" not in organisation
    assert "non-adverse range (0.75 to 1.33)" in organisation and "0.80" not in organisation


def test_relative_likelihoods_introduction_states_the_range() -> None:
    text = relative_likelihoods_introduction((0.75, 1.33))
    assert "0.75 to 1.33" in text and "0.80" not in text and "1.25" not in text


def test_workbook_description_follows_every_parameter() -> None:
    lines = workbook_description(
        "WRES report", 2024, DisclosureRule(round_to=10), 0.90, "katz", synthetic=True
    )
    assert lines[0] == "WRES report: tables for the report year 2024."
    assert lines[1] == "WARNING: built from SYNTHETIC demo data; no figure is real."
    text = "\n".join(lines)
    assert "nearest 10" in text and "nearest 5" not in text
    assert (
        "Intervals are 90% confidence intervals: the Katz log interval for relative likelihoods "
        "and the skewness-corrected asymptotic score (SCAS) interval for differences of "
        "percentages." in lines
    )
    assert "95%" not in text
    real = workbook_description(
        "R", 2023, DisclosureRule(), 0.95, "koopman", synthetic=False,
        difference_method="newcombe",
    )
    assert not any("SYNTHETIC" in line for line in real)
    assert (
        "Intervals are 95% confidence intervals: the Koopman score interval for relative "
        "likelihoods and the Newcombe hybrid score interval for differences of percentages."
        in real
    )
    same = workbook_description("R", 2023, DisclosureRule(), 0.95, "scas", synthetic=False)
    assert (
        "Intervals are 95% confidence intervals: the skewness-corrected asymptotic score "
        "(SCAS) interval for relative likelihoods and for differences of percentages." in same
    )


# --- the package's readings --------------------------------------------------------------


def test_range_reading_takes_confidence_and_range_as_given() -> None:
    text = range_reading(_summary(), 2024, confidence=0.90, non_adverse=WIDE)
    assert text.startswith(
        "In 2024, 3 of 10 organisations (30%) were above the non-adverse range of 0.75 to "
        "1.33, 6 (60%) within it and 1 (10%) below it."
    )
    assert "For 3 of the 4 outside the range the 90% interval excludes 1" in text
    assert "95%" not in text and "0.80" not in text
    assert "90% interval" in range_reading(_summary(confidence=0.90), 2024)


def test_range_reading_refuses_to_guess_the_level() -> None:
    with pytest.raises(ValueError, match="confidence"):
        range_reading(_summary(), 2024)


def test_range_reading_follows_the_summary_it_reads(small_dataset: Path) -> None:
    table = compute_indicators(load_dataset(small_dataset), confidence=0.90)
    summary = range_summary(table, "2", lower=WIDE[0], upper=WIDE[1])
    text = range_reading(summary, 2024)
    assert "non-adverse range of 0.75 to 1.33" in text and "the 90% interval" in text
    assert "95%" not in text and "1.25" not in text


def test_funnel_reading_names_the_levels_it_was_given() -> None:
    points = pd.DataFrame(
        {
            "outlier_90": [True, True, True, False],
            "outlier_99": [True, True, False, False],
            "z_adjusted": [3.0, -3.0, 2.0, 0.1],
            "bh_flag": [True, False, False, False],
            "tau2": [0.0] * 4,
        }
    )
    text = funnel_reading(points, levels=(0.90, 0.99))
    assert text.startswith(
        "Of 4 organisations, 3 lie outside the 90% limits and 2 outside the 99% limits "
        "(1 above, 1 below)"
    )
    assert "95%" not in text and "99.8%" not in text


def test_funnel_reading_default_levels_are_the_funnels(small_dataset: Path) -> None:
    table = compute_indicators(load_dataset(small_dataset))
    points, _ = funnel_tables(table, "2", 2024)
    text = funnel_reading(points)
    assert "the 95% limits" in text and "the 99.8% limits" in text


def test_organisation_readings_follow_confidence_and_range(small_dataset: Path) -> None:
    table = compute_indicators(load_dataset(small_dataset), confidence=0.90)
    bundle = SimpleNamespace(
        code="R1A",
        name="Alpha Hospitals NHS Trust",
        region="London",
        org_type="Acute",
        year=2024,
        indicators=table,
        funnels={},
        comparators=None,
    )
    rule = DisclosureRule(max_count=0, round_to=1)  # nothing withheld: every reading written
    # R1A's indicator 2 is (200 / 900) / (150 / 1100) = 1.63: above 0.80-1.25, within 0.60-1.70.
    headline = organisation_headline(bundle, rule, non_adverse=(0.60, 1.70))
    headline = headline.set_index("indicator")
    recruitment = headline.loc["2", "reading"]
    assert recruitment.startswith(
        "White applicants were 1.63 times as likely as BME applicants to be appointed from "
        "shortlisting (90% CI "
    )
    assert "This is within the non-adverse range (0.60 to 1.70)" in recruitment
    assert headline.loc["2", "non_adverse"] == "within"
    text = " ".join(headline["reading"].dropna())
    assert "95%" not in text and "0.80 to 1.25" not in text
    default = organisation_headline(bundle, rule).set_index("indicator")
    assert "This is above the non-adverse range (0.80 to 1.25)" in default.loc["2", "reading"]


def test_range_count_legend_is_the_band_drawn() -> None:
    summary = _summary()
    chart = range_count_chart(summary, band=WIDE)
    labels = [t.get_text() for t in chart.figure.legends[0].get_texts()]
    assert labels[:3] == ["Below 0.75", "Within 0.75 to 1.33", "Above 1.33"]
    assert "(0.75 to 1.33)" in chart.title and "(0.75 to 1.33)" in chart.alt
    summary.attrs["non_adverse"] = (0.70, 1.40)  # as range_summary records it
    recorded = range_count_chart(summary)
    labels = [t.get_text() for t in recorded.figure.legends[0].get_texts()]
    assert "Within 0.70 to 1.40" in labels


def test_methods_funnel_row_is_generated_from_the_funnels_levels(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def funnel_row() -> str:
        frame = methods.interval_methods("katz", 0.90).set_index("figure")
        return frame.loc["funnel plot limits", "method"]

    assert funnel_row() == "log ratio, Katz variance, 95% and 99.8%"
    monkeypatch.setattr(methods, "FUNNEL_LEVELS", (0.90, 0.99))
    assert funnel_row() == "log ratio, Katz variance, 90% and 99%"
    assert set(methods.interval_methods("katz", 0.90)["confidence"]) == {"90%"}


def test_flagged_table_title_states_the_false_discovery_rate() -> None:
    from wres_analysis.text import flagged_table_title

    assert flagged_table_title(2024) == (
        "Organisations flagged on the funnel plot at a 5% false discovery rate, 2024"
    )
    assert "10% false discovery rate" in flagged_table_title(2024, fdr=0.10)


# --- readings of hand-built organisation rows ---------------------------------------------


def _spec(indicator: str) -> HeadlineSpec:
    return next(s for s in HEADLINES if s.indicator == indicator)


def _row(estimate: float, lower: float, upper: float, **counts: int) -> pd.Series:
    return pd.Series(
        {
            "estimate": estimate,
            "lower": lower,
            "upper": upper,
            "measure": "relative_likelihood",
            "confidence": 0.95,
            **counts,
        }
    )


def test_reading_of_an_exact_boundary_says_within() -> None:
    # BME 2 of 3 v white 5 of 6: exactly 4/5, computed as 0.7999999999999999
    row = _row(
        (2 / 3) / (5 / 6), 0.3, 1.6, group_count=2, group_total=3, white_count=5, white_total=6
    )
    text, category, _, _ = _sentence(_spec("3"), row)
    assert category == "within"
    assert "0.80" in text and "This is within the non-adverse range (0.80 to 1.25)" in text


def test_infinite_upper_limit_is_said_in_words() -> None:
    row = pd.Series(
        {"lower": 0.81, "upper": np.inf, "measure": "relative_likelihood", "confidence": 0.95}
    )
    text = interval_phrase(row)
    assert text == "(95% CI from 0.81; the upper limit is unbounded)"
    assert "inf" not in text.replace("unbounded", "")


def test_organisation_reading_of_an_infinite_ratio_says_what_happened() -> None:
    # indicator 2 (white first): 12 of 40 white applicants appointed, none of 9 BME applicants
    row = _row(np.inf, 0.81, np.inf, white_count=12, white_total=40, group_count=0, group_total=9)
    text, category, _, _ = _sentence(_spec("2"), row)
    assert text.startswith(
        "None of the BME applicants went on to be appointed from shortlisting (white "
        "applicants did), so the relative likelihood has no finite value (95% CI from 0.81; "
        "the upper limit is unbounded)."
    )
    assert category == "above"
    assert "inf" not in text.replace("unbounded", "").replace("finite", "")


def test_organisation_reading_of_a_zero_ratio_says_what_happened() -> None:
    # indicator 3 (BME first): no BME staff entered the process, 3 of 500 white staff did
    row = _row(0.0, 0.0, 4.1, group_count=0, group_total=60, white_count=3, white_total=500)
    text, category, _, _ = _sentence(_spec("3"), row)
    assert text.startswith(
        "None of the BME staff went on to enter the formal disciplinary process (white staff "
        "did), so the relative likelihood is 0 (95% CI 0.00 to 4.10)."
    )
    assert "0.00 times" not in text and category == "below"


def test_headline_reading_of_an_infinite_ratio_says_what_happened() -> None:
    # indicator 4 (white first): no BME staff accessed training
    context = pd.DataFrame(
        [
            {"measure": "relative_likelihood",
             "breakdown": "accessing non-mandatory training and CPD",
             "estimate": np.inf, "lower": 1.7, "upper": np.inf, "confidence": 0.95},
        ]
    )
    text = reading(_spec("4"), context, None, 2025)
    assert text == (
        "None of the BME staff went on to access non-mandatory training and CPD (white staff "
        "did), so the relative likelihood has no finite value (95% CI from 1.70; the upper "
        "limit is unbounded)."
    )
    finite = context.assign(estimate=1.5, upper=2.0)
    assert reading(_spec("4"), finite, None, 2025).startswith(
        "White staff were 1.50 times as likely as BME staff to access"
    )


def test_headline_lines_bold_each_indicator_and_keep_the_order() -> None:
    from wres_analysis.text.organisation import headline_lines

    headline = pd.DataFrame(
        {"indicator": ["2", "5"], "title": ["Appointment", "Harassment"], "reading": ["A.", "B."]}
    )
    assert headline_lines(headline) == ["**2. Appointment.** A.", "**5. Harassment.** B."]
    assert headline_lines(headline, ("5", "6")) == ["**5. Harassment.** B."]


def test_methods_table_names_and_cites_the_methods_in_force() -> None:
    default = methods.interval_methods("scas", 0.95).set_index("figure")
    ratio = default.loc["relative likelihood (indicators 2-4)"]
    assert ratio["method"] == "skewness-corrected asymptotic score (SCAS) interval"
    assert ratio["source"].startswith("Laud (2017)")
    gap = default.loc["difference of two percentages (indicators 5-9)"]
    assert gap["method"] == ratio["method"]
    other = methods.interval_methods("koopman", 0.95, "newcombe").set_index("figure")
    assert other.loc["relative likelihood (indicators 2-4)", "method"] == "Koopman score interval"
    assert other.loc["relative likelihood (indicators 2-4)", "source"].startswith("Koopman (1984)")
    assert other.loc["difference of two percentages (indicators 5-9)", "source"].startswith(
        "Newcombe (1998)"
    )
    assert "Miettinen" not in " ".join(other["source"])


def test_a_small_nonzero_relative_likelihood_is_not_printed_as_zero() -> None:
    """1/1,000 v 300/1,000 is a ratio of 0.0033: someone had the outcome, so not "0.00"."""
    from wres_analysis.text.formatting import format_value

    assert format_value(1 / 300, "relative_likelihood") == "less than 0.01"
    assert format_value(0.005, "relative_likelihood") == "0.01"
    assert format_value(0.0, "relative_likelihood") == "0.00"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BME share of the workforce", "BME share of the workforce"),
        ("Relative likelihood (1 = equal)", "relative likelihood (1 = equal)"),
        ("% of White staff", "% of White staff"),
        ("VSM", "VSM"),
        ("A share", "a share"),
    ],
)
def test_mid_sentence_keeps_abbreviations_in_capitals(text: str, expected: str) -> None:
    assert mid_sentence(text) == expected


def test_breakdown_titles_keep_bme_in_capitals() -> None:
    from wres_analysis.text.breakdowns import breakdown_title

    title = breakdown_title("1", "ethnic_group", 2024, "England", ())
    assert "BME share of the workforce" in title and "bme" not in title


def test_the_validation_summary_counts_its_findings_in_words() -> None:
    from wres_analysis.text import validation_summary

    assert "no finding" in validation_summary(0)
    assert "One finding did not stop the load: it is below." in validation_summary(1)
    assert "1,204 findings did not stop the load: they are below." in validation_summary(1204)
    assert all("(s)" not in validation_summary(n) for n in (0, 1, 2))
