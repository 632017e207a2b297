"""An organisation's headline reading of a relative likelihood says what its interval shows
against the non-adverse range (clearly above or below, shown within, cannot tell), not only
where the point sits (issue 11, M3: "above the range, and statistically clear" was said of
trusts whose interval reaches into the range)."""

from __future__ import annotations

import math
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from wres_analysis.data import load_dataset
from wres_analysis.disclosure import DisclosureRule
from wres_analysis.indicators import compute_indicators
from wres_analysis.text.headline import HEADLINES
from wres_analysis.text.organisation import _sentence, organisation_headline

SPEC = next(s for s in HEADLINES if s.indicator == "3")  # BME first
BAND = (0.80, 1.25)


def _katz(bme: int, bme_total: int, white: int, white_total: int, z: float) -> tuple[float, ...]:
    """Katz log interval by hand: an independent check that the counts below carry the label
    claimed, whatever score method computes the published interval."""
    ratio = (bme / bme_total) / (white / white_total)
    se = math.sqrt(1 / bme - 1 / bme_total + 1 / white - 1 / white_total)
    return ratio, ratio * math.exp(-z * se), ratio * math.exp(z * se)


def _label(bme: int, bme_total: int, white: int, white_total: int) -> str:
    _, low, high = _katz(bme, bme_total, white, white_total, 1.959964)
    _, eq_low, eq_high = _katz(bme, bme_total, white, white_total, 1.644854)
    if low > BAND[1]:
        return "clearly above"
    if high < BAND[0]:
        return "clearly below"
    if eq_low >= BAND[0] and eq_high <= BAND[1]:
        return "shown within"
    return "cannot tell"


def _row(bme: int, bme_total: int, white: int, white_total: int) -> pd.Series:
    from wres_analysis.stats import relative_likelihood

    ci = relative_likelihood(bme, bme_total, white, white_total).iloc[0]
    return pd.Series(
        {
            "year": 2025, "estimate": ci["estimate"], "lower": ci["lower"],
            "upper": ci["upper"], "measure": "relative_likelihood", "confidence": 0.95,
            "method": "scas", "group_count": bme, "group_total": bme_total,
            "white_count": white, "white_total": white_total,
        }
    )


CASES = [
    # counts (BME entering, BME staff, white entering, white staff), label, words said
    ((100, 1000, 10, 1000), "clearly above", "the whole 95% interval lies above it: clearly above"),
    ((10, 1000, 100, 1000), "clearly below", "the whole 95% interval lies below it: clearly below"),
    ((5000, 10000, 5000, 10000), "shown within", "the 90% interval lies inside it: shown to be"),
    # above the range and clear of 1, but the interval reaches into the range
    ((60, 1000, 40, 1000), "cannot tell", "so the data cannot tell whether it is above the range"),
    ((2, 100, 20, 1000), "cannot tell", "cannot tell whether it is within the range"),
]


@pytest.mark.parametrize(("counts", "label", "words"), CASES)
def test_the_reading_says_what_the_interval_shows(counts, label, words) -> None:
    assert _label(*counts) == label  # the independent check
    text, category, evidence, _ = _sentence(SPEC, _row(*counts), BAND)
    assert evidence == label
    assert words in text
    ratio = _katz(*counts, 1.96)[0]
    point = "above" if ratio > BAND[1] else "below" if ratio < BAND[0] else "within"
    assert category == point and f"This is {point} the non-adverse range (0.80 to 1.25)" in text


def test_an_above_point_clear_of_one_is_not_called_clearly_above() -> None:
    """M3: the test against 1 and the place against the range are two statements; the first
    must not read as the second."""
    text, category, evidence, clear = _sentence(SPEC, _row(60, 1000, 40, 1000), BAND)
    assert (category, evidence, clear) == ("above", "cannot tell", "clear")
    assert "clearly above" not in text
    assert "Against equal likelihood, the difference is statistically clear" in text


def test_the_headline_table_carries_the_evidence_of_the_indicator_table(
    small_dataset: Path,
) -> None:
    table = compute_indicators(load_dataset(small_dataset))
    bundle = SimpleNamespace(
        code="R1A", name="Alpha", region="London", org_type="Acute", year=2024,
        indicators=table, funnels={}, comparators=None,
    )
    headline = organisation_headline(bundle, DisclosureRule(max_count=0, round_to=1))
    rows = table[
        (table["area_code"] == "R1A")
        & (table["measure"] == "relative_likelihood")
        & (table["year"] == 2024)
    ].set_index("indicator")
    for indicator in ("2", "3", "4"):
        got = headline.set_index("indicator").loc[indicator]
        assert got["range_evidence"] == rows.loc[indicator, "range_evidence"]
        assert got["non_adverse"] == rows.loc[indicator, "range"]
    # a report's inputs say which range the table's labels used: they are then taken as they
    # are, and agree with the recomputed ones
    reported = SimpleNamespace(**vars(bundle), settings=SimpleNamespace(non_adverse=BAND))
    pd.testing.assert_frame_equal(
        organisation_headline(reported, DisclosureRule(max_count=0, round_to=1)), headline
    )
    # a narrower range in force: the evidence follows it
    narrow = organisation_headline(bundle, DisclosureRule(max_count=0, round_to=1),
                                   non_adverse=(0.99, 1.01))
    assert set(narrow.set_index("indicator").loc[["2", "3", "4"], "range_evidence"]) <= {
        "clearly above", "clearly below", "cannot tell"
    }
    narrow_reported = organisation_headline(
        reported, DisclosureRule(max_count=0, round_to=1), non_adverse=(0.99, 1.01)
    )
    pd.testing.assert_frame_equal(narrow_reported, narrow)
