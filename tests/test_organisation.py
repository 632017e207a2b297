"""Organisation chapter inputs, code resolution and what an organisation's report says."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.conftest import write_small_demo
from wres_analysis.data import load_dataset
from wres_analysis.disclosure import DisclosureRule, exempt_breakdowns
from wres_analysis.indicators import NATIONAL_CODE, compute_indicators, funnel_tables, select
from wres_analysis.indicators.frame import COUNT_COLUMNS, INTERVAL_COLUMNS
from wres_analysis.report.chapter import Chapter
from wres_analysis.report.inputs import (
    ChapterInputs,
    Settings,
    load_inputs,
    organisation_scopes,
    prepare_inputs,
    resolve_organisations,
)
from wres_analysis.text.headline import HEADLINES
from wres_analysis.text.organisation import (
    ORGANISATION_HEADLINE_COLUMNS,
    _sentence,
    organisation_headline,
    rank_statement,
)


def build_bundles(dataset, year: int, codes: list[str]) -> dict[str, ChapterInputs]:  # noqa: ANN001
    """Each organisation's chapter inputs with the default settings."""
    return prepare_inputs(dataset, Settings(year=year), organisation_scopes(dataset, codes))


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
    path = build_bundles(dataset, 2024, ["R1B"])["R1B"].save(tmp_path / "R1B.wres-inputs.pkl")
    bundle = load_inputs(path)
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


def test_rank_is_given_with_its_interval(small_dataset: Path) -> None:
    # R1A's indicator 2 figure is withheld by secondary suppression (not ranked, and says
    # so): the ranks given, of any organisation and indicator, come with their interval
    bundles = build_bundles(load_dataset(small_dataset), 2024, ["R1A", "R1B"])
    texts = [rank_statement(b, i) for b in bundles.values() for i in ("2", "3", "4")]
    ranked = [t for t in texts if t.startswith("Ranked ")]
    assert ranked and all("95% rank interval" in t for t in ranked)
    assert all(t.startswith(("Ranked ", "Not ranked: ")) for t in texts)


def _funnel_of(counts: list[tuple[str, int, int, int, int]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Indicator 3's funnel in 2024 for organisations ``(code, bme entering, bme headcount,
    white entering, white headcount)``, every point flagged (so that a rank gated on the
    funnel's flag would be printed)."""
    rows = []
    for code, bme, group_total, white, white_total in counts:
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.float64(bme / group_total) / np.float64(white / white_total)
        rows.append((code, "organisation", ratio, white, white_total, bme, group_total))
    totals = np.array([r[3:] for r in rows]).sum(axis=0)
    national = (totals[2] / totals[3]) / (totals[0] / totals[1])
    rows.append((NATIONAL_CODE, "national", national, *totals))
    table = pd.DataFrame(
        rows,
        columns=[
            "area_code", "level", "estimate", "white_count", "white_total", "group_count",
            "group_total",
        ],
    ).assign(
        year=2024,
        area_name=lambda t: t["area_code"],
        indicator="3",
        measure="relative_likelihood",
        breakdown="entering the formal disciplinary process",
        lower=np.nan,
        upper=np.nan,
    )
    points, limits = funnel_tables(table, "3", 2024)
    return points.assign(bh_flag=True), limits


def _rank_and_count(text: str) -> tuple[int, int]:
    found = re.match(r"Ranked (\d+)(?:st|nd|rd|th)? of (\d+)", text)
    assert found, text
    return int(found[1]), int(found[2])


#: The rule without the cells secondary suppression withholds in the dataset: the funnels
#: these tests plant are made up, so the dataset's withheld cells do not name their rows.
_PRIMARY = DisclosureRule()

#: Twenty organisations with BME staff entering the process (none with a count of 1 to 7).
_OTHERS = [(f"X{i:02d}", 10 + i, 1000, 20, 4000) for i in range(20)]


def test_a_ratio_of_zero_is_not_ranked_high(small_dataset: Path) -> None:
    """D4(a): R1A has no BME staff entering the process (0 of 10 v 8 of 2000 white): its
    ratio is 0, the lowest there is. Ranked on the +0.5-adjusted value (11.2) it came 1st."""
    bundle = build_bundles(load_dataset(small_dataset), 2024, ["R1A"])["R1A"]
    bundle.funnels["3"] = _funnel_of([("R1A", 0, 10, 8, 2000), *_OTHERS])
    rank, count = _rank_and_count(rank_statement(bundle, "3", _PRIMARY))
    assert count == 21 and rank == 21


def test_undefined_ratios_are_not_counted(small_dataset: Path) -> None:
    """D4(b): three organisations had no one entering the process in either group: their
    ratio is undefined and they are not among the organisations ranked."""
    bundle = build_bundles(load_dataset(small_dataset), 2024, ["R1A"])["R1A"]
    empty = [(f"Z{i}", 0, 500, 0, 900) for i in range(3)]
    bundle.funnels["3"] = _funnel_of([("R1A", 40, 1000, 20, 4000), *_OTHERS, *empty])
    rank, count = _rank_and_count(rank_statement(bundle, "3", _PRIMARY))
    assert count == 21 and rank == 1
    bundle.funnels["3"] = _funnel_of([("Z0", 0, 500, 0, 900), *_OTHERS])
    assert rank_statement(bundle, "3", _PRIMARY).startswith("Not ranked")  # R1A is not on it


def test_a_withheld_figure_gets_no_rank(small_dataset: Path) -> None:
    """D4(c): 2 BME staff entering the process is a count disclosure control withholds; a rank
    beside the published counts would narrow it."""
    bundle = build_bundles(load_dataset(small_dataset), 2024, ["R1A"])["R1A"]
    bundle.funnels["3"] = _funnel_of([("R1A", 2, 400, 20, 4000), *_OTHERS])
    text = rank_statement(bundle, "3", _PRIMARY)
    assert not text.startswith("Ranked") and "withheld by disclosure control" in text
    # with suppression turned off the same figure is ranked
    assert rank_statement(bundle, "3", DisclosureRule(max_count=0)).startswith("Ranked")


def test_a_very_wide_rank_interval_is_said_plainly(small_dataset: Path) -> None:
    bundle = build_bundles(load_dataset(small_dataset), 2024, ["R1A"])["R1A"]
    similar = [(f"S{i:02d}", 10, 1000, 40, 4000) for i in range(30)]
    bundle.funnels["3"] = _funnel_of([("R1A", 10, 1000, 40, 4000), *similar])
    assert "very wide" in rank_statement(bundle, "3", _PRIMARY)
    distinct = [(f"D{i:02d}", 1000 * (i + 1), 10**6, 40000, 4 * 10**6) for i in range(10)]
    bundle.funnels["3"] = _funnel_of([("R1A", 5500, 10**6, 40000, 4 * 10**6), *distinct])
    text = rank_statement(bundle, "3", _PRIMARY)
    assert "very wide" not in text
    assert "Ranked 6th of 11" in text and "rank interval 6th to 6th" in text


def _reference_headline(bundle, rule: DisclosureRule) -> pd.DataFrame:
    """organisation_headline with one filter per indicator and comparator, as first written."""

    def suppressed(row: pd.Series) -> bool:
        if row["indicator"] == "9" and row["breakdown"] in exempt_breakdowns(rule):
            return False  # board counts are public unless the rule controls them
        counts = pd.to_numeric(row[list(COUNT_COLUMNS)])
        return bool(rule.suppressed(counts.astype("float64")).any())

    def comparator(table: pd.DataFrame, area: str, spec) -> float:
        rows = select(
            table,
            area_code=area,
            indicator=spec.indicator,
            measure=spec.measure,
            breakdown=spec.breakdown,
        )
        rows = rows[rows["level"] != "organisation"]
        return float(rows["estimate"].iloc[0]) if len(rows) else np.nan

    table = bundle.indicators[bundle.indicators["year"] == bundle.year]
    mine = table[(table["area_code"] == bundle.code) & (table["level"] == "organisation")]
    records = []
    for spec in HEADLINES:
        rows = select(
            mine, indicator=spec.indicator, measure=spec.measure, breakdown=spec.breakdown
        )
        if rows.empty:
            records.append(
                {
                    "level": "organisation",
                    "indicator": spec.indicator,
                    "title": spec.title,
                    "reading": f"No data for indicator {spec.indicator} in "
                    f"{bundle.year}: the table is missing for this year.",
                }
            )
            continue
        row = rows.iloc[0]
        if suppressed(row):
            reading, category, evidence, clear = (
                f"Not published: a count behind this figure is between {rule.min_count} and "
                f"{rule.max_count}, and disclosure control withholds it so that no small group "
                f"of people can be identified.",
                "",
                "",
                "",
            )
        else:
            reading, category, evidence, clear = _sentence(spec, row)
        records.append(
            {
                "level": "organisation",
                "indicator": spec.indicator,
                "title": spec.title,
                **{c: row[c] for c in (*INTERVAL_COLUMNS, *COUNT_COLUMNS)},
                "england": comparator(table, NATIONAL_CODE, spec),
                "region": comparator(table, bundle.region, spec),
                "icb": comparator(table, bundle.icb_code, spec) if bundle.icb_code else np.nan,
                "trust_type": comparator(table, bundle.org_type, spec),
                "peer_group": comparator(table, "PEER", spec) if bundle.peer_group else np.nan,
                "non_adverse": category,
                "range_evidence": evidence,
                "clear": clear,
                "reading": reading,
            }
        )
    absent = ({"icb"} if not bundle.icb_code else set()) | (
        {"peer_group"} if not bundle.peer_group else set()
    )
    columns = [c for c in ORGANISATION_HEADLINE_COLUMNS if c not in absent]
    return pd.DataFrame.from_records(records, columns=columns)


def test_headline_equals_the_per_indicator_reference(small_dataset: Path, tmp_path: Path) -> None:
    bundles = list(build_bundles(load_dataset(small_dataset), 2024, ["R1A", "R1B"]).values())
    demo = load_dataset(write_small_demo(tmp_path / "demo"))
    bundles += build_bundles(demo, 2024, resolve_organisations(demo, ["all"], 2024)).values()
    # one with a peer group (its comparator column and rows)
    every = resolve_organisations(demo, ["all"], 2024)
    peers = Settings(year=2024, peer_group=tuple(every[1:4]))
    bundles += prepare_inputs(demo, peers, organisation_scopes(demo, every[:1])).values()
    # A bundle whose comparator rows repeat (the first one counts) and whose own rows are in
    # another order, and one with no rows in its report year.
    shuffled = bundles[-1].indicators
    shuffled = pd.concat([shuffled.iloc[::-1], shuffled]).reset_index(drop=True)
    bundles.append(dataclasses.replace(bundles[-1], indicators=shuffled))
    later = dataclasses.replace(bundles[-1].settings, year=2031)
    bundles.append(dataclasses.replace(bundles[-1], settings=later))
    rules = [
        DisclosureRule(),
        DisclosureRule(min_count=1, max_count=40, round_to=1, symbol="[x]"),
        DisclosureRule(max_count=0, round_to=1),
    ]
    for bundle in bundles:
        for rule in rules:
            expected = _reference_headline(bundle, rule)
            got = organisation_headline(bundle, rule)
            pd.testing.assert_frame_equal(got, expected, check_dtype=True, check_exact=True)
            for column in expected.columns:
                if expected[column].dtype == object:
                    assert [type(v) for v in got[column]] == [type(v) for v in expected[column]]


def test_own_rows_of_one_indicator(small_dataset: Path) -> None:
    bundle = build_bundles(load_dataset(small_dataset), 2024, ["R1A"])["R1A"]
    chapter = Chapter(name="t", inputs=bundle)
    table = bundle.indicators
    own = table[(table["area_code"] == "R1A") & (table["level"] == "organisation")]
    pd.testing.assert_frame_equal(chapter.own(), own)
    pd.testing.assert_frame_equal(chapter.own("2"), own[own["indicator"] == "2"])
    in_year = own[(own["indicator"].isin(["5", "6"])) & (own["year"] == 2024)]
    assert len(in_year)
    pd.testing.assert_frame_equal(chapter.own(("5", "6"), year=2024), in_year)


def test_funnel_panel_leaves_off_withheld_organisations(small_dataset: Path) -> None:
    bundles = build_bundles(load_dataset(small_dataset), 2024, ["R1A", "R1B"])
    for code, bundle in bundles.items():
        chapter = Chapter(name="t", inputs=bundle)
        rule = chapter.rule
        assert rule.model_dump() == DisclosureRule().model_dump()
        panel = chapter.funnel_panel("2")
        points, limits = bundle.funnels["2"]
        counts = [c for c in COUNT_COLUMNS if c in points]
        # a count of 1-7, or a cell secondary suppression withholds (named as in the rule)
        withheld = pd.concat([rule.suppressed(points[c]) for c in counts], axis=1).any(axis=1)
        named = zip(points["year"].astype(str), points["area_code"], points["breakdown"],
                    strict=True)
        withheld |= np.array([
            any((year, "organisation", area, "2", breakdown, "1", c) in rule.withheld
                for c in counts)
            for year, area, breakdown in named
        ], dtype=bool)
        assert sorted(panel.points["area_code"]) == sorted(points.loc[~withheld, "area_code"])
        assert panel.limits is limits and panel.indicator == "2"
        assert panel.highlight == (code if code in set(panel.points["area_code"]) else None)
    # R1B appointed 2 of 15 BME applicants: a count of 1-7, so its point is not shown
    assert bundles["R1B"].code not in set(
        Chapter(name="t", inputs=bundles["R1B"])
        .funnel_panel("2")
        .points["area_code"]
    )
