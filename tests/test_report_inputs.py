"""Chapter inputs: one scope's report inputs, computed once for every scope of a build."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from wres_analysis.data import load_dataset
from wres_analysis.disclosure import DisclosureRule
from wres_analysis.indicators import compute_indicators
from wres_analysis.report.chapter import open_chapter
from wres_analysis.report.inputs import (
    INPUTS_SUFFIX,
    Settings,
    load_inputs,
    national_scope,
    organisation_scopes,
    prepare_inputs,
)


def test_national_and_organisation_inputs_from_one_pass(small_dataset: Path) -> None:
    dataset = load_dataset(small_dataset)
    settings = Settings(2024, confidence=0.9, disclosure=DisclosureRule(round_to=10))
    scopes = [national_scope(), *organisation_scopes(dataset, ["R1A", "R1B"])]
    prepared = prepare_inputs(dataset, settings, scopes)
    assert list(prepared) == ["ENG", "R1A", "R1B"]
    national = prepared["ENG"]
    expected = compute_indicators(dataset, confidence=0.9)
    pd.testing.assert_frame_equal(national.indicators, expected)
    assert set(national.indicators["confidence"]) == {0.9}
    # the settings given, with the cells secondary suppression withholds attached to the rule
    assert replace(national.settings, disclosure=settings.disclosure) == settings
    assert national.settings.disclosure.model_dump() == settings.disclosure.model_dump()
    assert national.scope.comparators == []
    # ... the same cells for every report of the build
    assert all(prepared[c].settings.disclosure.withheld == national.settings.disclosure.withheld
               for c in ("R1A", "R1B"))
    # the organisations share the funnels; each has its own rows and its comparators'
    assert prepared["R1A"].funnels is prepared["R1B"].funnels is not None
    r1b = prepared["R1B"]
    assert set(r1b.indicators["area_code"]) == {"R1B", "ENG", "South West", "Community"}
    assert r1b.scope.comparators == ["ENG", "South West", "Community"]
    assert list(r1b.tables) == ["unknown_ethnicity", "missing_tables", "years", "actions"]
    assert r1b.tables["actions"].empty  # the dataset gives no action plan
    assert {"build_facts", "coverage", "boards_without_bme_member"} <= set(national.tables)
    # provenance: the loader's hashes of the input files, not hashed again
    files = national.provenance.files
    assert {Path(f["path"]).name: f["sha256"] for f in files.values()} == dataset.file_hashes


def test_every_report_of_a_dataset_withholds_the_same_cells(small_dataset: Path) -> None:
    """A national build and an organisation build of the same data and rule, run apart,
    withhold the same cells: a reader holding both reports cannot difference one against
    the other to give back what either withholds."""
    dataset = load_dataset(small_dataset)
    settings = Settings(2024)
    national = prepare_inputs(dataset, settings, [national_scope()])["ENG"]
    alone = prepare_inputs(dataset, settings, organisation_scopes(dataset, ["R1B"]))["R1B"]
    cells = national.settings.disclosure.withheld
    assert cells and alone.settings.disclosure.withheld == cells


def test_inputs_round_trip_and_open_in_a_chapter(small_dataset: Path, tmp_path: Path) -> None:
    dataset = load_dataset(small_dataset)
    inputs = prepare_inputs(dataset, Settings(2024), organisation_scopes(dataset, ["R1A"]))["R1A"]
    path = inputs.save(tmp_path / f"R1A{INPUTS_SUFFIX}")
    again = load_inputs(path)
    pd.testing.assert_frame_equal(again.indicators, inputs.indicators)
    assert again.scope == inputs.scope and again.settings == inputs.settings
    chapter = open_chapter("summary", inputs=str(path), year=2024, scope="R1A", output_dir=None)
    assert chapter.scope.code == "R1A" and chapter.year == 2024
    with pytest.raises(ValueError, match="must end with"):
        inputs.save(tmp_path / "R1A.pkl")
    with pytest.raises(ValueError, match="are for 2024, not 2023"):
        open_chapter("summary", inputs=str(path), year=2023)
    with pytest.raises(ValueError, match="are for R1A"):
        open_chapter("summary", inputs=str(path), scope="R1B")


def test_a_year_not_in_the_data_names_the_years_it_has(small_dataset: Path) -> None:
    dataset = load_dataset(small_dataset)
    with pytest.raises(ValueError, match="year 2019 is not in the dataset; it has report years"):
        prepare_inputs(dataset, Settings(2019), [national_scope()])


def test_chapter_parameters_are_checked_when_run_by_hand(small_dataset: Path) -> None:
    chapter = open_chapter("recruitment", data=str(small_dataset), indicator="3")
    assert chapter.indicator == "3" and chapter.year == 2024
    with pytest.raises(ValueError, match="indicator"):
        open_chapter("recruitment", data=str(small_dataset), indicator="7")
    with pytest.raises(ValueError, match="has no `indicator` parameter"):
        _ = open_chapter("summary", data=str(small_dataset)).indicator


def test_inputs_computed_on_two_cores_equal_those_computed_one_by_one(
    small_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build computes half the indicators, England's own tables and the funnels in forked
    children; the inputs are those of the same computations done one after another in this
    process."""
    from wres_analysis._engine import aside as aside_module
    from wres_analysis.indicators import RELATIVE_LIKELIHOODS, funnel_tables
    from wres_analysis.indicators.changes import change_table
    from wres_analysis.report import inputs as inputs_module

    dataset = load_dataset(small_dataset)
    settings = Settings(2024, confidence=0.9)
    scopes = [national_scope(), *organisation_scopes(dataset, ["R1A"])]
    children = []

    def watched(fn, *args):  # noqa: ANN001, ANN202 - records whether each value came from a child
        pending = aside_module.aside(fn, *args)
        children.append(pending)
        return pending

    monkeypatch.setattr(inputs_module, "aside", watched)
    prepared = prepare_inputs(dataset, settings, scopes)
    if aside_module.AVAILABLE:
        assert len(children) == 3 and all(p.from_child for p in children)
    national = prepared["ENG"]
    table = compute_indicators(dataset, confidence=0.9)
    pd.testing.assert_frame_equal(national.indicators, table)
    pd.testing.assert_frame_equal(national.changes, change_table(table))
    assert list(national.funnels) == list(RELATIVE_LIKELIHOODS)
    for indicator, funnel in national.funnels.items():
        points, limits = funnel_tables(
            table, indicator, 2024, confidence=0.9, rule=national.settings.disclosure
        )
        pd.testing.assert_frame_equal(funnel.points, points)
        pd.testing.assert_frame_equal(funnel.limits, limits)
    assert prepared["R1A"].funnels is national.funnels
