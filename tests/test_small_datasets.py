"""Any valid dataset builds, down to a single organisation (issue 11, defect 7).

A region's, an ICB's or one trust's own data is a valid dataset. Every chapter must build on
it and say plainly where a figure or a funnel cannot be computed. The end-to-end builds cut
the synthetic demo data to its two smallest organisations (RHW and RM8) or to one (RHW); the
unit tests use the small contract dataset of ``tests/conftest.py``, which has no indicator 6
or 8 at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from tests.conftest import SMALL_TABLES, write_tables
from wres_analysis.charts import (
    FunnelPanel,
    NothingToDrawError,
    funnel_chart,
    funnel_panels,
    gap_chart,
)
from wres_analysis.cli import main
from wres_analysis.data import load_dataset
from wres_analysis.disclosure import DisclosureRule
from wres_analysis.indicators import compute_indicators, funnel_tables
from wres_analysis.indicators.funnel import FUNNEL_MIN_ORGANISATIONS
from wres_analysis.report.chapter import Chapter, open_chapter
from wres_analysis.report.inputs import Settings, national_scope, prepare_inputs
from wres_analysis.text import chart_not_drawn
from wres_analysis.text.readings import funnel_not_computed, funnel_reading

ROOT = Path(__file__).resolve().parents[1]
YEAR = 2024
#: The two smallest demo organisations (community trusts).
SMALLEST = ("RHW", "RM8")


@pytest.fixture(autouse=True)
def _no_open_figures() -> Iterator[None]:
    """Charts raising here begin figures; close them so later tests see none open."""
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


def _cut_demo(folder: Path, codes: tuple[str, ...]) -> Path:
    """The demo dataset cut to ``codes`` and report years 2022 to ``YEAR``."""
    from wres_analysis.demo import generate_demo_tables

    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in generate_demo_tables().items():
        frame = frame[frame["org_code"].isin(codes)]
        if "year" in frame:
            frame = frame[frame["year"].between(2022, YEAR)]
        frame.to_csv(folder / f"{name}.csv", index=False)
    return folder


def _said(report: Path, chapter: str) -> str:
    """Everything a built chapter said (its Markdown outputs), as one text."""
    nb = nbformat.read(report / "notebooks" / f"{chapter}.ipynb", as_version=4)
    return "\n".join(
        output["data"]["text/markdown"]
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if "text/markdown" in output.get("data", {})
    )


def _build(params: str, data: Path, out: Path, *extra: str) -> None:
    args = ["build", str(ROOT / "params" / params), "--data", str(data), "--year", str(YEAR)]
    assert main([*args, "--output-dir", str(out), "--quiet", "--jobs", "2", *extra]) == 0


# -- unit level: the package says what it cannot draw -----------------------------------------


def test_a_funnel_needs_two_organisations(small_dataset: Path) -> None:
    table = compute_indicators(load_dataset(small_dataset))
    one = table[table["area_code"] != "R1B"]
    with pytest.raises(ValueError, match=f"needs at least {FUNNEL_MIN_ORGANISATIONS}"):
        funnel_tables(one, "2", YEAR)
    points, _ = funnel_tables(table, "2", YEAR)  # two organisations: a funnel
    assert sorted(points["area_code"]) == ["R1A", "R1B"]


def test_no_funnel_is_an_empty_funnel_the_readings_explain(tmp_path: Path) -> None:
    alone = {
        name: "".join(line for line in text.splitlines(True) if "R1B" not in line)
        for name, text in SMALL_TABLES.items()
    }
    dataset = load_dataset(write_tables(tmp_path / "data", alone))
    inputs = prepare_inputs(dataset, Settings(year=YEAR), [national_scope()])["ENG"]
    assert "2" not in inputs.funnels
    chapter = Chapter(name="t", inputs=inputs)
    points, limits = chapter.funnel("2")
    assert points.empty and limits.empty
    assert "bh_flag" in points and "tau2" in points  # the columns chapters select
    assert funnel_reading(points) == funnel_not_computed()
    assert str(FUNNEL_MIN_ORGANISATIONS) in funnel_not_computed()
    with pytest.raises(NothingToDrawError) as caught:
        funnel_chart(chapter.shown_on_funnel(points), limits, indicator="2")
    assert (caught.value.column, caught.value.value) == ("funnel", "none")
    with pytest.raises(ValueError, match="indicator must be one of"):
        chapter.funnel("99")  # an unknown indicator is still an error


def test_funnel_panels_leave_off_a_panel_with_nothing_to_show(small_dataset: Path) -> None:
    table = compute_indicators(load_dataset(small_dataset))
    points, limits = funnel_tables(table, "2", YEAR)
    empty = FunnelPanel("3", points.iloc[:0], limits)
    chart = funnel_panels([FunnelPanel("2", points, limits), empty])
    assert "Indicator 3 has no organisation to show and is not drawn." in chart.alt
    with pytest.raises(NothingToDrawError) as caught:
        funnel_panels([empty])
    assert caught.value.value == "withheld"  # limits exist: every point was withheld


def test_a_chart_of_an_indicator_nobody_reported_becomes_a_sentence(
    small_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "6" not in SMALL_TABLES["staff_survey"].split(",")  # no one reported indicator 6
    chapter = open_chapter("staff_experience", data=small_dataset, year=YEAR)
    table = chapter.indicators(("5", "6", "7", "8"))
    with pytest.raises(NothingToDrawError) as caught:
        gap_chart(table, YEAR)
    assert (caught.value.column, caught.value.value) == ("indicator", "6")
    said: list[str] = []
    monkeypatch.setattr(Chapter, "say", lambda self, *text: said.extend(text))
    import matplotlib.pyplot as plt

    plt.close("all")
    chapter.chart("staff_experience_gaps", gap_chart, table, YEAR)
    assert said == [chart_not_drawn("indicator", "6")]
    assert plt.get_fignums() == []  # the figure gap_chart began is closed
    assert said[0] == (
        "This chart is not drawn: the data have no indicator 6 (Harassment from staff)."
    )


# -- end to end: national and organisation reports on one and two organisations --------------


@pytest.fixture(scope="module")
def one_org(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _cut_demo(tmp_path_factory.mktemp("one-org") / "data", SMALLEST[:1])


@pytest.fixture(scope="module")
def two_orgs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _cut_demo(tmp_path_factory.mktemp("two-orgs") / "data", SMALLEST)


@pytest.mark.slow
def test_national_report_on_a_single_organisation(one_org: Path, tmp_path: Path) -> None:
    out = tmp_path / "national"
    _build("national.yaml", one_org, out)
    manifest = json.loads((out / "manifest.json").read_text())
    assert {c["status"] for c in manifest["chapters"]} == {"ok"}
    for chapter in ("recruitment", "disciplinary", "training"):
        said = _said(out, chapter)
        assert funnel_not_computed() in said, chapter
        assert chart_not_drawn("funnel", "none") in said, chapter
        assert not list((out / "figures").glob(f"{chapter}_funnel.*"))


@pytest.mark.slow
def test_national_report_on_two_small_organisations(two_orgs: Path, tmp_path: Path) -> None:
    out = tmp_path / "national"
    _build("national.yaml", two_orgs, out)
    # Both organisations have a count disclosure control withholds in indicator 3, so the
    # funnel is computed (two organisations) but may show neither of them.
    disciplinary = pd.read_csv(two_orgs / "disciplinary.csv")
    counts = disciplinary.loc[disciplinary["year"] == YEAR, ["headcount", "entered_process"]]
    rule = DisclosureRule()
    withheld = disciplinary.loc[disciplinary["year"] == YEAR].assign(
        small=counts.apply(rule.suppressed).any(axis=1)
    ).groupby("org_code")["small"].any()
    assert withheld.all()
    said = _said(out, "disciplinary")
    assert chart_not_drawn("funnel", "withheld") in said
    # the reading says they are tested but counts no withheld organisation's flag
    assert "2 organisations whose figure disclosure control withholds are tested" in said
    assert "Of 2 organisations" not in said
    assert not list((out / "figures").glob("disciplinary_funnel.*"))


@pytest.mark.slow
def test_organisation_report_on_a_single_organisation(one_org: Path, tmp_path: Path) -> None:
    out = tmp_path / "organisations"
    _build("organisation.yaml", one_org, out, "--organisation", "all")
    said = _said(out / SMALLEST[0], "relative_likelihoods")
    assert said.count(f"Not ranked. {funnel_not_computed()}") == 3
    assert chart_not_drawn("funnel", "none") in said
