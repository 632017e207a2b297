"""Peer groups: a user-chosen list of organisation codes, typed and validated, pooled as a
further comparator with its own funnel target.

Oracles: the pooled counts summed by hand from the small demo's organisation rows; the
funnel target against that pooled ratio; the usage error from the parameters as a user
writes them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from tests.conftest import write_small_demo
from wres_analysis.cli import main
from wres_analysis.data import load_dataset
from wres_analysis.indicators.peers import PEER_CODE, peer_group_indicators
from wres_analysis.report.config import ReportConfig
from wres_analysis.report.inputs import Settings, organisation_scopes, prepare_inputs
from wres_analysis.text.organisation import comparators_note, organisation_headline

PARAMS = Path(__file__).resolve().parents[1] / "params" / "organisation.yaml"
BASE = {"report": "organisation", "title": "t", "year": 2024,
        "chapters": [{"name": "a", "notebook": "a.ipynb", "title": "A"}]}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    return load_dataset(write_small_demo(tmp_path_factory.mktemp("peers") / "data"))


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
