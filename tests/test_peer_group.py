"""Peer groups: a user-chosen list of organisation codes, typed and validated, pooled as a
further comparator with its own funnel target.

Oracles: the pooled counts summed by hand from the small demo's organisation rows; the
funnel target against that pooled ratio; the usage error from the parameters as a user
writes them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml
from pydantic import ValidationError

from tests.conftest import write_small_demo
from wres_analysis.cli import main
from wres_analysis.data import load_dataset
from wres_analysis.indicators.peers import PEER_CODE, peer_group_indicators
from wres_analysis.report.config import ReportConfig
from wres_analysis.report.inputs import Settings, organisation_scopes, prepare_inputs
from wres_analysis.text.organisation import (
    comparators_note,
    organisation_headline,
    peer_group_note,
)

PARAMS = Path(__file__).resolve().parents[1] / "params" / "organisation.yaml"
BASE = {"report": "organisation", "title": "t", "year": 2024,
        "chapters": [{"name": "a", "notebook": "a.ipynb", "title": "A"}]}


@pytest.fixture(scope="module")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_small_demo(tmp_path_factory.mktemp("peers") / "data")


@pytest.fixture(scope="module")
def demo(small_demo: Path):
    return load_dataset(small_demo)


def _with_peer_column(small_demo: Path, folder: Path, value) -> Path:
    """A copy of the small demo whose organisations have a ``peer_group`` column:
    ``value(i, code)`` for the i-th organisation."""
    import shutil

    data = Path(shutil.copytree(small_demo, folder))
    organisations = (data / "organisations.csv").read_text(encoding="utf-8").splitlines()
    lines = [organisations[0] + ",peer_group"] + [
        f"{line},{value(i, line.split(',', 1)[0])}" for i, line in enumerate(organisations[1:])
    ]
    (data / "organisations.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return data


def test_peer_group_is_typed_and_validated() -> None:
    config = ReportConfig.model_validate({**BASE, "peer_group": [" r0a", "R07"]})
    assert config.peer_group == ["R0A", "R07"]
    with pytest.raises(ValidationError, match="more than once"):
        ReportConfig.model_validate({**BASE, "peer_group": ["R0A", "r0a"]})
    with pytest.raises(ValidationError, match="organisation reports"):
        ReportConfig.model_validate({**BASE, "report": "national", "peer_group": ["R0A"]})
    assert ReportConfig.model_validate(BASE).peer_group == []


def test_peers_are_pooled_and_compared(demo) -> None:
    codes = sorted(demo["organisations"]["org_code"])
    peers, own = codes[1:4], codes[0]
    pooled = peer_group_indicators(demo.up_to(2024), peers)
    row = pooled[(pooled["indicator"] == "2") & (pooled["year"] == 2024)
                 & (pooled["measure"] == "relative_likelihood")].iloc[0]
    recruitment = demo["recruitment"]
    chosen = recruitment[recruitment["org_code"].isin(peers) & (recruitment["year"] == 2024)]
    white = chosen[chosen["ethnic_group"] == "White"][["appointed", "shortlisted"]].sum()
    bme = chosen[chosen["ethnic_group"] == "BME"][["appointed", "shortlisted"]].sum()
    assert (row["white_count"], row["white_total"]) == (white["appointed"], white["shortlisted"])
    assert row["estimate"] == pytest.approx(
        (white["appointed"] / white["shortlisted"]) / (bme["appointed"] / bme["shortlisted"])
    )
    assert row["level"] == "peer_group" and row["area_code"] == PEER_CODE

    scope = organisation_scopes(demo, [own])[0]
    settings = Settings(year=2024, peer_group=tuple(peers))
    inputs = prepare_inputs(demo, settings, [scope])[own]
    assert inputs.comparators[-1] == PEER_CODE
    headline = organisation_headline(inputs, settings.disclosure).set_index("indicator")
    assert headline.loc["2", "peer_group"] == pytest.approx(row["estimate"])
    assert "peer_group" in comparators_note(inputs)
    # the peer funnel: the peers only, centred on the group's pooled ratio
    points, _ = inputs.peer_funnels["2"]
    assert set(points["area_code"]) <= set(peers)
    assert points["target"].iloc[0] == pytest.approx(row["estimate"])
    # without a peer group: no column, no funnel
    plain = prepare_inputs(demo, Settings(year=2024), [scope])[own]
    assert "peer_group" not in organisation_headline(plain, settings.disclosure).columns
    assert plain.peer_funnels == {}


def test_an_unknown_peer_code_is_a_usage_error_naming_the_closest(
    demo, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    codes = sorted(demo["organisations"]["org_code"])
    params = yaml.safe_load(PARAMS.read_text())
    params["peer_group"] = [codes[1], codes[2] + "Z"]
    params["notebooks_dir"] = str(PARAMS.parent.parent / "notebooks" / "organisation")
    path = tmp_path / "organisation.yaml"
    path.write_text(yaml.safe_dump(params))
    data = write_small_demo(tmp_path / "data")
    args = ["build", str(path), "--data", str(data), "--output-dir", str(tmp_path / "o"),
            "--organisation", codes[0], "--quiet"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert f"peer_group: unknown organisation code {codes[2] + 'Z'!r}" in err
    assert codes[2] in err


def test_a_peer_group_column_names_each_organisations_peers(small_demo, demo, tmp_path) -> None:
    """Organisations sharing a ``peer_group`` value are each other's peer group: the same
    pooled rows as listing their codes in the parameters; a blank cell is no peer group;
    the parameters' list, where given, wins."""
    codes = sorted(demo["organisations"]["org_code"])
    values = {codes[0]: "teaching", codes[1]: "teaching", codes[2]: "teaching",
              codes[3]: "rural", codes[4]: "rural"}  # fmt: skip
    data = _with_peer_column(small_demo, tmp_path / "data", lambda i, c: values.get(c, ""))
    dataset = load_dataset(data)
    scopes = organisation_scopes(dataset, [codes[0], codes[3], codes[5]])
    inputs = prepare_inputs(dataset, Settings(year=2024), scopes)
    assert inputs[codes[0]].peer_group == tuple(codes[:3])
    assert inputs[codes[3]].peer_group == tuple(codes[3:5])
    assert inputs[codes[5]].peer_group == ()
    assert inputs[codes[5]].peer_funnels == {}
    listed = prepare_inputs(dataset, Settings(year=2024, peer_group=tuple(codes[:3])),
                            scopes[:1])[codes[0]]  # fmt: skip

    def peer_rows(table):
        return table[table["level"] == "peer_group"].reset_index(drop=True)

    assert len(peer_rows(listed.indicators))
    pd.testing.assert_frame_equal(peer_rows(inputs[codes[0]].indicators),
                                  peer_rows(listed.indicators))  # fmt: skip
    rural = peer_rows(inputs[codes[3]].indicators)
    assert rural["area_name"].iloc[0] == "Peer group (2 organisations)"
    assert "`peer_group` column" in peer_group_note(inputs[codes[5]], [])
    # the parameters' list wins over the column
    chosen = prepare_inputs(dataset, Settings(year=2024, peer_group=tuple(codes[1:3])),
                            scopes[1:2])[codes[3]]  # fmt: skip
    assert chosen.peer_group == tuple(codes[1:3])


def test_a_peer_group_of_one_organisation_is_an_error(small_demo, tmp_path) -> None:
    from wres_analysis.data import DataValidationError

    data = _with_peer_column(small_demo, tmp_path / "data", lambda i, c: "alone" if i == 1 else "")
    with pytest.raises(DataValidationError) as caught:
        load_dataset(data)
    (problem,) = caught.value.problems
    assert (problem.file, problem.row, problem.column) == ("organisations.csv", 3, "peer_group")
    assert '"alone" is the peer group of this organisation only' in str(caught.value)
