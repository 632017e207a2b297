"""Indicators 5-8 of the demo: NHS Staff Survey respondents and answers by trust and group.

Survey results for report year Y come from the survey of autumn Y-1. Indicator 7 changed its
question basis with the 2021 survey, so from report year 2022 its values follow a new, much
lower series (see :data:`wres_analysis.demo.calibration.SURVEY_ANCHORS`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from wres_analysis.contract import ORG_TYPES, SURVEY_INDICATORS

from .calibration import bisect_increasing, survey_target

__all__ = ["generate_staff_survey"]

#: Log-odds offset by trust type for each indicator (ambulance staff meet the public most).
_TYPE_EFFECT: dict[int, tuple[float, ...]] = {
    5: (0.0, -0.2, 0.9, -0.1, 0.3, 0.1),
    6: (0.0, 0.0, 0.2, 0.0, 0.0, 0.0),
    7: (0.0, 0.1, -0.2, 0.0, 0.0, 0.0),
    8: (0.0, 0.0, 0.1, 0.0, 0.0, 0.0),
}
#: Response rate of each group relative to the trust's rate.
_RESPONSE_FACTOR = {"White": 1.0, "BME": 0.9, "Unknown": 1.0}


def _lasting(codes: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Spread one value per distinct code (in sorted code order) over ``codes``."""
    unique = np.unique(codes)
    return values[np.searchsorted(unique, codes)]


def generate_staff_survey(panel: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Draw the staff survey table for every org-year of ``panel``.

    Parameters
    ----------
    panel
        One row per org-year with ``year, org_code, org_type, White, BME, Unknown``.
    rng
        The random generator of this table.

    Returns
    -------
    pandas.DataFrame
        ``year, org_code, indicator, ethnicity, respondents, count``, rows with respondents > 0.

    Notes
    -----
    A trust's response rate is 36-54% (BME staff respond a little less); each indicator loses
    0-3% of respondents who skip its question. The rate answering the indicator's way is
    ``expit(logit(national target) + type + trust + year noise + shift)``, the shift solved
    on expected counts so that the national rate is on target; the count is binomial.
    """
    codes = panel["org_code"].to_numpy()
    n_orgs = len(np.unique(codes))
    years = panel["year"].to_numpy()
    type_pos = panel["org_type"].map({t: i for i, t in enumerate(ORG_TYPES)}).to_numpy()
    response = np.clip(
        _lasting(codes, rng.uniform(0.36, 0.54, n_orgs)) + 0.03 * rng.standard_normal(len(panel)),
        0.15,
        0.8,
    )
    respondents = {
        g: rng.binomial(panel[g].to_numpy(), response * f) for g, f in _RESPONSE_FACTOR.items()
    }
    parts = []
    for indicator in SURVEY_INDICATORS:
        effect = np.array(_TYPE_EFFECT[indicator])[type_pos]
        for group, resp in respondents.items():
            answered = resp - rng.binomial(resp, rng.uniform(0.0, 0.03, len(panel)))
            log_odds = (
                effect
                + _lasting(codes, 0.15 * rng.standard_normal(n_orgs))
                + 0.05 * rng.standard_normal(len(panel))
            )
            counts = np.zeros(len(panel), dtype=np.int64)
            for year in (int(y) for y in np.unique(years)):
                m = years == year
                if group == "Unknown":
                    target = 0.5 * sum(survey_target(indicator, g, year) for g in ("White", "BME"))
                else:
                    target = survey_target(indicator, group, year)
                base = logit(target) + log_odds[m]
                weights = answered[m]

                def rate(s: float, base: np.ndarray = base, weights: np.ndarray = weights) -> float:
                    return float((weights * expit(base + s)).sum() / max(weights.sum(), 1))

                shift = bisect_increasing(rate, target, -1.0, 1.0, iterations=30)
                counts[m] = rng.binomial(weights, expit(base + shift))
            parts.append(
                pd.DataFrame(
                    {
                        "year": years,
                        "org_code": codes,
                        "indicator": indicator,
                        "ethnicity": group,
                        "respondents": answered.astype(np.int64),
                        "count": counts,
                    }
                )
            )
    frame = pd.concat(parts, ignore_index=True)
    return frame[frame["respondents"] > 0].reset_index(drop=True)
