"""Organisation bundles, code resolution and what an organisation's report says."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from wres_analysis.data import load_dataset
from wres_analysis.disclosure import DisclosureRule
from wres_analysis.indicators import compute_indicators, select
from wres_analysis.organisation import (
    build_bundles,
    load_bundle,
    organisation_headline,
    prepare_organisation_bundles,
    rank_statement,
    resolve_organisations,
)


def test_resolve_codes_all_and_close_matches(small_dataset: Path) -> None:
    dataset = load_dataset(small_dataset)
    assert resolve_organisations(dataset, ["all"], 2024) == ["R1A", "R1B"]
    assert resolve_organisations(dataset, [" r1b ", "R1A", "R1B"]) == ["R1B", "R1A"]
    with pytest.raises(ValueError, match=r"unknown organisation code .R1C.; close matches: .*R1A"):
        resolve_organisations(dataset, ["R1C"])
    with pytest.raises(ValueError, match=r"R1B \(Beta Community NHS Trust\)"):
        resolve_organisations(dataset, ["beta community"])


def test_bundle_rows_equal_the_full_computation(small_dataset: Path, tmp_path: Path) -> None:
    dataset = load_dataset(small_dataset)
    paths = prepare_organisation_bundles(dataset, 2024, ["R1B"], tmp_path)
    bundle = load_bundle(paths["R1B"])
    assert (bundle.name, bundle.region, bundle.org_type) == (
        "Beta Community NHS Trust",
        "South West",
        "Community",
    )
    full = compute_indicators(dataset)
    keys = ["year", "level", "area_code", "indicator", "measure", "breakdown"]
    expected = select(full, area_code="R1B", level="organisation")
    merged = expected.merge(bundle.indicators, on=keys, suffixes=("", "_bundle"))
    assert len(merged) == len(expected)
    assert (merged["estimate"].fillna(-1) == merged["estimate_bundle"].fillna(-1)).all()
    assert set(bundle.indicators["area_code"]) == {"R1B", "ENG", "South West", "Community"}
    # grade detail for the organisation's own workforce
    assert len(select(bundle.indicators, area_code="R1B", breakdown="clinical: Band 5"))


def test_headline_withholds_values_with_small_counts(small_dataset: Path) -> None:
    bundle = build_bundles(load_dataset(small_dataset), 2024, ["R1B"])["R1B"]
    headline = organisation_headline(bundle, DisclosureRule()).set_index("indicator")
    # R1B: 2 of 15 BME applicants appointed -> a count of 1-7: withheld
    assert headline.loc["2", "reading"].startswith("Not published: a count behind this figure")
    # Indicator 6 was not surveyed in the fixture
    assert headline.loc["6", "reading"].startswith("No data for indicator 6")
    # Training: 200 of 306 white and 11 of 20 BME -> described, with range and chance
    reading = headline.loc["4", "reading"]
    assert "times as likely" in reading and "non-adverse range" in reading
    assert ("statistically clear" in reading) or ("could be chance" in reading)
    assert headline.loc["4", "england"] == pytest.approx((1300 / 2146) / (611 / 1170))


def test_rank_only_when_flagged(small_dataset: Path) -> None:
    bundle = build_bundles(load_dataset(small_dataset), 2024, ["R1A"])["R1A"]
    points, _ = bundle.funnels["2"]
    flagged = bool(points.set_index("area_code").loc["R1A", "bh_flag"])
    text = rank_statement(bundle, "2")
    assert text.startswith("Ranked") if flagged else text.startswith("Not ranked")
    forced = pd.concat([points.assign(bh_flag=True)])
    bundle.funnels["2"] = (forced, bundle.funnels["2"][1])
    assert rank_statement(bundle, "2").startswith("Ranked ")
