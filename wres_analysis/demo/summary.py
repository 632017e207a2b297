"""National figures of a demo dataset, for its README's calibration table.

This is a plain re-computation from the generated tables (sums of counts), kept apart from the
generator so the README reports what the files hold, not what the generator aimed at. The
analysis package's own indicator functions are the reference implementation; this module only
needs the headline national values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wres_analysis.contract import ethnic_group_of

__all__ = ["national_figures"]

#: (table, numerator, denominator, ratio orientation: True for BME/white) of indicators 2-4.
_RATIOS: dict[str, tuple[str, str, str, bool]] = {
    "rl_appointed_from_shortlisting_white_vs_bme": (
        "recruitment",
        "appointed",
        "shortlisted",
        False,
    ),
    "rl_entering_disciplinary_bme_vs_white": ("disciplinary", "entered_process", "headcount", True),
    "rl_accessing_training_white_vs_bme": ("training", "accessed_training", "headcount", False),
}


#: Survey indicator -> the measure-name stem used in ``targets.csv``.
_SURVEY_MEASURES = {
    5: "harassment_from_public",
    6: "harassment_from_staff",
    7: "equal_opportunities",
    8: "discrimination_from_staff",
}


def _by_group(frame: pd.DataFrame, index: list[str], values: list[str]) -> pd.DataFrame:
    """Sum ``values`` by ``index`` and White/BME group, one column per (value, group)."""
    groups = frame["ethnicity"].map(ethnic_group_of)
    summed = frame.assign(group=groups).groupby([*index, "group"])[values].sum()
    return summed.unstack("group", fill_value=0)


def _trust_ratios(tables: dict[str, pd.DataFrame], measure: str) -> pd.Series:
    """Trust-level ratios, only where both groups have a numerator and a denominator above 0."""
    table, num, den, bme_over_white = _RATIOS[measure]
    s = _by_group(tables[table], ["year", "org_code"], [num, den])
    ok = (s[(num, "White")] > 0) & (s[(num, "BME")] > 0) & (s[(den, "White")] > 0)
    ok &= s[(den, "BME")] > 0
    white = s[(num, "White")] / s[(den, "White")]
    bme = s[(num, "BME")] / s[(den, "BME")]
    ratio = bme / white if bme_over_white else white / bme
    return ratio[ok]


def national_figures(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Return the demo's national headline figures by measure and year.

    Returns
    -------
    pandas.DataFrame
        ``measure, year, value``: the shares in percent (% BME of known ethnicity among staff
        and among board members; % of trusts with a defined ratio above 1.25 for indicator 3
        and above 1 for indicator 2) and the three relative likelihoods from summed national
        counts, the share of trusts within 0.80-1.25 for indicator 3, and the staff survey
        rates of White and BME staff, with the measure names of ``targets.csv``.
    """
    rows: list[tuple[str, int, float]] = []
    for measure, table in (("pct_bme_workforce", "workforce"), ("pct_bme_board_members", "board")):
        s = _by_group(tables[table], ["year"], ["headcount"])["headcount"]
        share = 100 * s["BME"] / (s["BME"] + s["White"])
        rows += [(measure, int(y), float(v)) for y, v in share.items()]
    for measure, (table, num, den, bme_over_white) in _RATIOS.items():
        s = _by_group(tables[table], ["year"], [num, den])
        white = s[(num, "White")] / s[(den, "White")]
        bme = s[(num, "BME")] / s[(den, "BME")]
        ratio = bme / white if bme_over_white else white / bme
        rows += [(measure, int(y), float(v)) for y, v in ratio.items()]
    shares = (
        ("pct_trusts_rl_disciplinary_above_1.25", "rl_entering_disciplinary_bme_vs_white", 1.25),
        (
            "pct_trusts_white_more_likely_appointed",
            "rl_appointed_from_shortlisting_white_vs_bme",
            1,
        ),
    )
    for measure, ratio_measure, threshold in shares:
        ratios = _trust_ratios(tables, ratio_measure)
        share = 100 * (ratios > threshold).groupby(level="year").mean()
        rows += [(measure, int(y), float(v)) for y, v in share.items()]
    ratios = _trust_ratios(tables, "rl_entering_disciplinary_bme_vs_white")
    in_range = 100 * ((ratios >= 0.80) & (ratios <= 1.25)).groupby(level="year").mean()
    rows += [
        ("pct_trusts_rl_disciplinary_in_0.80_to_1.25", int(y), float(v))
        for y, v in in_range.items()
    ]
    survey = tables["staff_survey"]
    summed = survey.groupby(["indicator", "ethnicity", "year"])[["count", "respondents"]].sum()
    for (indicator, group, year), row in summed.iterrows():
        name = _SURVEY_MEASURES.get(int(indicator))
        if name and group in ("White", "BME"):
            measure = f"survey_pct_{group.lower()}_{name}"
            rows.append((measure, int(year), float(100 * row["count"] / row["respondents"])))
    frame = pd.DataFrame(rows, columns=["measure", "year", "value"])
    return frame.assign(value=np.round(frame["value"], 6))
