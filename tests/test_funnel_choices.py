"""The funnel's choices reach the report (issue 11, item 5): the overdispersion estimate is a
parameter, both sets of limits are drawn where they differ, the readings give tau2 with its
interval and the chance-alone count, and the methods chapter states the choices."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import yaml

from wres_analysis.charts import funnel_chart
from wres_analysis.indicators import funnel_tables
from wres_analysis.indicators.frame import finish
from wres_analysis.report.config import ParamsError, load_config
from wres_analysis.stats import funnel_points
from wres_analysis.stats.funnel import winsorised_null_moment
from wres_analysis.text import funnel_methods, pooling_method
from wres_analysis.text.readings import funnel_reading

ROOT = Path(__file__).resolve().parents[1]


def _table(seed: int = 3, m: int = 120, tau: float = 0.4) -> pd.DataFrame:
    """An indicator-2 table (White first): organisations whose true ratios vary (tau) around
    1.3, and England's crude ratio."""
    rng = np.random.default_rng(seed)
    n_white = rng.integers(200, 3000, m)
    n_bme = rng.integers(50, 1500, m)
    p_bme = 0.15
    p_white = np.minimum(p_bme * np.exp(np.log(1.3) + rng.normal(0, tau, m)), 0.9)
    x_white, x_bme = rng.binomial(n_white, p_white), rng.binomial(n_bme, p_bme)
    codes = [f"R{i:03d}" for i in range(m)]
    rows = pd.DataFrame(
        {
            "year": 2024, "level": "organisation", "area_code": codes, "area_name": codes,
            "white_count": x_white, "white_total": n_white,
            "group_count": x_bme, "group_total": n_bme,
        }
    )
    england = pd.DataFrame(
        {
            "year": [2024], "level": ["national"], "area_code": ["ENG"], "area_name": ["England"],
            "white_count": [x_white.sum()], "white_total": [n_white.sum()],
            "group_count": [x_bme.sum()], "group_total": [n_bme.sum()],
        }
    )
    both = pd.concat([england, rows], ignore_index=True)
    both["estimate"] = (both["white_count"] / both["white_total"]) / (
        both["group_count"] / both["group_total"]
    )
    return finish(both.assign(indicator="2", measure="relative_likelihood", breakdown="all"))


def test_both_sets_of_limits_where_overdispersion_widens_them() -> None:
    points, limits = funnel_tables(_table(), "2", 2024)
    tau2 = points["tau2"].iloc[0]
    assert tau2 > 0
    assert set(limits["limit"]) == {
        "95% (with overdispersion)", "99.8% (with overdispersion)",
        "95% (chance alone)", "99.8% (chance alone)",
    }
    wide = limits[limits["limit"] == "99.8% (with overdispersion)"].reset_index(drop=True)
    alone = limits[limits["limit"] == "99.8% (chance alone)"].reset_index(drop=True)
    target = points["target"].iloc[0]
    z = 3.090232306167813
    np.testing.assert_allclose(alone["upper"], target * np.exp(z * alone["se"]), rtol=1e-12)
    np.testing.assert_allclose(
        wide["upper"], target * np.exp(z * np.sqrt(wide["se"] ** 2 + tau2)), rtol=1e-12
    )
    chart = funnel_chart(points, limits, indicator="2")
    lines = {line.get_label(): line.get_color() for line in chart.figure.axes[0].lines}
    plt.close(chart.figure)
    assert lines["99.8% (chance alone) limits"] != lines["99.8% (with overdispersion) limits"]
    reading = funnel_reading(points)
    low, high = points["tau2_lower"].iloc[0], points["tau2_upper"].iloc[0]
    assert f"a variance of {tau2:.3f} on the log scale, 95% interval {low:.3f} to {high:.3f}" in (
        reading
    )
    ninety, _ = funnel_tables(_table(), "2", 2024, confidence=0.90)  # the report's level
    assert ", 90% interval " in funnel_reading(ninety)
    assert ninety["tau2_upper"].iloc[0] < points["tau2_upper"].iloc[0]
    chance = int((points["z"].abs() > z).sum())
    assert "Against chance alone (the lighter limits" in reading
    assert f"{chance} lie outside the 99.8% limits." in reading


def test_one_set_of_limits_when_chance_explains_the_spread() -> None:
    points, limits = funnel_tables(_table(tau=0.0), "2", 2024)
    assert points["tau2"].iloc[0] == 0
    assert "limit" not in limits and set(limits["level"]) == {0.95, 0.998}
    assert "Against chance alone" not in funnel_reading(points)


def test_the_overdispersion_estimate_is_a_parameter(tmp_path: Path) -> None:
    params = yaml.safe_load((ROOT / "params" / "national.yaml").read_text())
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(params))
    assert load_config(path).funnel_overdispersion == "consistent"
    path.write_text(yaml.safe_dump({**params, "funnel_overdispersion": "funnelplotr"}))
    assert load_config(path).funnel_overdispersion == "funnelplotr"
    path.write_text(yaml.safe_dump({**params, "funnel_overdispersion": "dl"}))
    with pytest.raises(ParamsError, match="funnel_overdispersion"):
        load_config(path)
    table = _table()
    consistent, _ = funnel_tables(table, "2", 2024)
    compatible, _ = funnel_tables(table, "2", 2024, overdispersion_method="funnelplotr")
    assert set(compatible["overdispersion_method"]) == {"funnelplotr"}
    ratio = compatible["phi"].iloc[0] / consistent["phi"].iloc[0]
    assert ratio == pytest.approx(winsorised_null_moment(0.10), rel=1e-12)
    assert compatible["tau2"].iloc[0] < consistent["tau2"].iloc[0]


def test_methods_text_states_the_choices_in_force() -> None:
    consistent, compatible = funnel_methods("consistent"), funnel_methods("funnelplotr")
    assert "crude relative likelihood" in consistent[0]
    assert "mid-p" in consistent[1] and "Katz" in consistent[1]
    assert "divided by 0.679" in consistent[2]
    assert "not corrected, as NHS-R FunnelPlotR" in compatible[2]
    assert "Benjamini-Hochberg" in consistent[3]
    assert "a 90% bootstrap interval" in funnel_methods("consistent", 0.90)[2]
    with pytest.raises(ValueError):
        funnel_methods("dl")
    assert "stands alone" in pooling_method(1)
    assert "person-years" in pooling_method(2)


def test_exact_tests_are_counted_in_the_reading() -> None:
    points = funnel_points([0, 3, 40, 35], [86, 150, 3000, 2800], [1, 2, 300, 280],
                           [523, 1200, 30000, 29000], target=1.14)
    assert "2 organisations with few expected events are tested exactly" in funnel_reading(
        points.assign(area_code=list("abcd"))
    )
