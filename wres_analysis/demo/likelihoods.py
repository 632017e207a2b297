"""Indicators 2-4 of the demo: recruitment, disciplinary and training counts.

Each trust's relative likelihood is ``exp(level + region + spread * z)``, where ``z`` mixes a
lasting trait of the trust with noise of the year. The counts of the comparison group (BME)
are drawn by inverting the binomial distribution at uniform numbers drawn once, so they change
monotonically and deterministically with the level. That lets :func:`_solve` search for the
level that puts the summed national ratio on its published value (to the count), and for the
spread that puts the share of trusts above a threshold near its published value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import expit, logit

from wres_analysis.contract import ORG_TYPES

__all__ = ["generate_disciplinary", "generate_recruitment", "generate_training"]

#: Spreads tried when matching a share of trusts.
_SPREADS = np.linspace(0.0, 1.2, 25)
#: Corrections of the level on drawn counts, and the national ratio's accepted miss.
_NEWTON_STEPS = 8
_RATIO_TOLERANCE = 0.002
#: Largest trust-level relative likelihood (either way) the generator produces.
_MAX_TRUST_RATIO = 5.0
_LOG_MAX = float(np.log(_MAX_TRUST_RATIO))
#: How much lower appointment rates are where more applicants are BME (per unit of log-odds).
_COMPETITION = 0.15
#: Skew of the trust-level log ratios (see :func:`_skewed`).
_RECRUITMENT_SKEW = 0.3
_DISCIPLINARY_SKEW = -1.2
#: Relative rate of entering the disciplinary process by trust type (ambulance staff most).
_DISCIPLINARY_TYPE = dict(zip(ORG_TYPES, (1.0, 0.8, 1.6, 0.9, 1.2, 1.1), strict=True))


@dataclass(frozen=True)
class _Draws:
    """The fixed ingredients of one indicator in one year, over its trusts."""

    white_n: np.ndarray  # denominators
    white_k: np.ndarray  # numerators (fixed)
    bme_n: np.ndarray
    bme_base_rate: np.ndarray  # white rate the BME rate is derived from
    uniforms: np.ndarray  # one per trust, inverted to give the BME numerator
    z: np.ndarray  # standardised trust-level variation of the log ratio
    offset: np.ndarray  # fixed log-ratio offset per trust (region)
    sign: int  # +1 when the indicator's ratio is BME/white, -1 when white/BME

    def bme_rate(self, level: float, spread: float) -> np.ndarray:
        """BME rates for a national level and a between-trust spread of the log ratio.

        Trust log ratios are kept within +-log(:data:`_MAX_TRUST_RATIO`).
        """
        log_rl = np.clip(level + self.offset + spread * self.z, -_LOG_MAX, _LOG_MAX)
        return np.clip(self.bme_base_rate * np.exp(self.sign * log_rl), 0.0, 0.995)

    def bme_k(self, level: float, spread: float) -> np.ndarray:
        """BME numerators for a national level and a between-trust spread of the log ratio."""
        rate = self.bme_rate(level, spread)
        return np.maximum(stats.binom.ppf(self.uniforms, self.bme_n, rate), 0.0)

    def ratio(self, bme_k: np.ndarray) -> float:
        """The national ratio of summed counts, in the indicator's orientation."""
        r = (bme_k.sum() / self.bme_n.sum()) / (self.white_k.sum() / self.white_n.sum())
        return float(r if self.sign > 0 else 1 / r)

    def trust_ratios(self, bme_k: np.ndarray) -> np.ndarray:
        """Trust-level ratios, NaN where a group's numerator or denominator is zero."""
        ok = (bme_k > 0) & (self.white_k > 0) & (self.bme_n > 0) & (self.white_n > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            r = (bme_k / self.bme_n) / (self.white_k / self.white_n)
            r = r if self.sign > 0 else 1 / r
        return np.where(ok, r, np.nan)


#: The per-trust array fields of _Draws.
_ARRAYS = tuple(f.name for f in fields(_Draws) if f.name != "sign")


def _newton(ratio_at: Callable[[float], float], target: float, level: float, steps: int) -> float:
    """Solve ``ratio_at(level) = target`` by Newton steps in log space; return the best level.

    The national ratio is close to proportional to ``exp(level)`` (exactly so on expected
    counts when no rate is clipped), so ``level += log(target / ratio)`` converges in a step
    or two; on drawn counts, which move in whole numbers, the best level seen is kept.
    """
    best, best_miss = level, np.inf
    for _ in range(steps):
        ratio = ratio_at(level)
        miss = abs(ratio - target)
        if miss < best_miss:
            best, best_miss = level, miss
        if miss < _RATIO_TOLERANCE or ratio <= 0:
            break
        level += float(np.log(target / ratio))
    return best


def _level_for(draws: _Draws, spread: float, target: float, exact: bool = True) -> float:
    """The level whose national ratio is nearest ``target`` for a given spread.

    Solved on expected counts first, then, with ``exact``, corrected on the drawn counts.
    """

    def expected(level: float) -> float:
        return draws.ratio(draws.bme_n * draws.bme_rate(level, spread))

    level = _newton(expected, target, 0.0, steps=12)
    if not exact:
        return level
    return _newton(lambda x: draws.ratio(draws.bme_k(x, spread)), target, level, _NEWTON_STEPS)


def _share_above(draws: _Draws, bme_k: np.ndarray, threshold: float) -> float:
    """Share of trusts with a defined ratio that are above ``threshold``."""
    ratios = draws.trust_ratios(bme_k)
    defined = ratios[~np.isnan(ratios)]
    return float(np.mean(defined > threshold)) if len(defined) else 0.0


def _solve(
    draws: _Draws,
    target: float,
    threshold: float,
    share: float | None,
    spread: float,
    regions: tuple[np.ndarray, Mapping[str, float]] | None = None,
) -> np.ndarray:
    """Return the BME numerators that hit the national ``target`` ratio.

    Parameters
    ----------
    draws
        The indicator's fixed ingredients in one year.
    target
        National ratio to hit (to within :data:`_RATIO_TOLERANCE` where counts allow).
    threshold, share
        When ``share`` is given, the spread is chosen from :data:`_SPREADS` so that the share
        of trusts with a defined ratio above ``threshold`` is nearest ``share`` (a proportion);
        the grid is scored with levels solved on expected counts.
    spread
        The spread to use when ``share`` is None.
    regions
        Optionally each trust's region and a target ratio per region: each region's offset is
        then solved so the region hits its target, before the national level is solved (which
        moves all regions by the same factor).
    """
    if share is not None:
        misses = [
            abs(_share_above(draws, draws.bme_k(_level_for(draws, b, target, False), b), threshold)
                - share)
            for b in _SPREADS
        ]  # fmt: skip
        spread = float(_SPREADS[int(np.argmin(misses))])
    if regions is not None:
        labels, region_targets = regions
        offset = draws.offset.copy()
        for region, region_target in region_targets.items():
            m = labels == region
            if m.any():
                sub = _Draws(*(getattr(draws, f)[m] for f in _ARRAYS), sign=draws.sign)
                offset[m] = _level_for(
                    replace(sub, offset=np.zeros(m.sum())), spread, region_target
                )
        draws = replace(draws, offset=offset)
    return draws.bme_k(_level_for(draws, spread, target), spread)


def _trust_z(panel: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Standard normal variation per org-year: 60% a lasting trait of the trust, 40% the year."""
    codes = panel["org_code"].to_numpy()
    unique = np.unique(codes)
    lasting = dict(zip(unique, rng.standard_normal(len(unique)), strict=True))
    trait = np.array([lasting[c] for c in codes])
    return np.sqrt(0.6) * trait + np.sqrt(0.4) * rng.standard_normal(len(codes))


def _skewed(z: np.ndarray, skew: float) -> np.ndarray:
    """Standardised log-normal transform of standard normal ``z`` (mean 0, variance 1).

    A positive ``skew`` gives a long right tail (a few trusts with very high ratios), a
    negative one a long left tail; 0 leaves ``z`` unchanged.
    """
    if skew == 0:
        return z
    s = abs(skew)
    t = (np.exp(s * z) - np.exp(s**2 / 2)) / np.sqrt((np.exp(s**2) - 1) * np.exp(s**2))
    return np.sign(skew) * t


def _org_factor(panel: pd.DataFrame, rng: np.random.Generator, sigma: float) -> np.ndarray:
    """A lasting log-normal multiplier per trust (median 1), aligned with ``panel``'s rows."""
    codes = panel["org_code"].to_numpy()
    unique = np.unique(codes)
    lasting = dict(zip(unique, np.exp(sigma * rng.standard_normal(len(unique))), strict=True))
    return np.array([lasting[c] for c in codes])


def _frame(panel: pd.DataFrame, columns: tuple[str, str], counts: dict[str, tuple]) -> pd.DataFrame:
    """Stack White/BME/Unknown (denominator, numerator) arrays into the long table."""
    parts = []
    for group, (n, k) in counts.items():
        parts.append(
            pd.DataFrame(
                {
                    "year": panel["year"].to_numpy(),
                    "org_code": panel["org_code"].to_numpy(),
                    "ethnicity": group,
                    columns[0]: np.asarray(n, dtype=np.int64),
                    columns[1]: np.asarray(k, dtype=np.int64),
                }
            )
        )
    frame = pd.concat(parts, ignore_index=True)
    return frame[frame[columns[0]] > 0].reset_index(drop=True)


def generate_recruitment(
    panel: pd.DataFrame,
    targets: Mapping[int, float],
    shares_above_1: Mapping[int, float],
    regional: Mapping[tuple[str, int], float],
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Draw indicator 2: applicants shortlisted and appointed, by trust, year and group.

    Parameters
    ----------
    panel
        One row per org-year with ``year, org_code, region, staff, White, BME, Unknown``
        (the workforce headcounts).
    targets
        National relative likelihood (white vs BME appointed from shortlisting) by year.
    shares_above_1
        Percent of trusts where white applicants are more likely to be appointed, by year.
    regional
        Relative likelihood by (region, year): each region is solved to it before the
        national level is (so regions differ as published, up to a common factor).
    rng
        The random generator of this table.

    Notes
    -----
    Trusts shortlist 0.8-1.5 applicants per member of staff a year; BME applicants are
    over-represented among those shortlisted (log-odds +0.6 on the trust's BME staff share),
    1-6% of them have unknown ethnicity, and white applicants are appointed at a trust rate
    around 22%.
    """
    staff = panel["staff"].to_numpy(dtype=float)
    known_bme = panel["BME"].to_numpy() / np.maximum(panel["White"] + panel["BME"], 1).to_numpy()
    shortlisted = staff * rng.uniform(0.8, 1.5, len(panel)) * _org_factor(panel, rng, 0.1)
    unknown_share = rng.uniform(0.01, 0.06, len(panel))
    bme_share = expit(logit(np.clip(known_bme, 0.01, 0.95)) + 0.6)
    s_unknown = rng.poisson(shortlisted * unknown_share)
    s_bme = rng.poisson(shortlisted * (1 - unknown_share) * bme_share)
    s_white = rng.poisson(shortlisted * (1 - unknown_share) * (1 - bme_share))
    competition = np.exp(-_COMPETITION * (logit(bme_share) - logit(0.3)))
    white_rate = np.clip(
        0.22
        * competition
        * _org_factor(panel, rng, 0.2)
        * np.exp(0.08 * rng.standard_normal(len(panel))),
        0.05,
        0.6,
    )
    a_white = rng.binomial(s_white, white_rate)
    a_unknown = rng.binomial(s_unknown, 0.9 * white_rate)
    z = _skewed(_trust_z(panel, rng), _RECRUITMENT_SKEW)
    uniforms = rng.uniform(size=len(panel))
    labels = panel["region"].to_numpy()
    years = panel["year"].to_numpy()
    offset = np.array(
        [np.log(regional[(r, y)] / targets[y]) for r, y in zip(labels, years, strict=True)]
    )
    a_bme = np.zeros(len(panel))
    for year, target in targets.items():
        m = years == year
        draws = _Draws(s_white[m], a_white[m], s_bme[m], white_rate[m], uniforms[m], z[m],
                       offset[m], sign=-1)  # fmt: skip
        by_region = {r: v for (r, y), v in regional.items() if y == year}
        a_bme[m] = _solve(draws, target, 1.0, shares_above_1[year] / 100, 0.0,
                          regions=(labels[m], by_region))  # fmt: skip
    counts = {"White": (s_white, a_white), "BME": (s_bme, a_bme), "Unknown": (s_unknown, a_unknown)}
    return _frame(panel, ("shortlisted", "appointed"), counts)


def generate_disciplinary(
    panel: pd.DataFrame,
    targets: Mapping[int, float],
    shares_above: Mapping[int, float],
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Draw indicator 3: staff entering the formal disciplinary process, by trust and group.

    ``shares_above`` is the percent of trusts (with a defined ratio) above 1.25, by year.
    About 0.85% of white staff enter the process a year, more in ambulance and mental health
    trusts; small trusts with few BME staff often have none in a year.
    """
    n = {g: panel[g].to_numpy() for g in ("White", "BME", "Unknown")}
    org_types = panel["org_type"].to_numpy()
    type_factor = np.array([_DISCIPLINARY_TYPE[t] for t in org_types])
    white_rate = (
        0.0085
        * type_factor
        * _org_factor(panel, rng, 0.3)
        * np.exp(0.15 * rng.standard_normal(len(panel)))
    )
    k_white = rng.binomial(n["White"], np.clip(white_rate, 0, 0.1))
    k_unknown = rng.binomial(n["Unknown"], np.clip(1.1 * white_rate, 0, 0.1))
    z = _skewed(_trust_z(panel, rng), _DISCIPLINARY_SKEW)
    uniforms = rng.uniform(size=len(panel))
    k_bme = np.zeros(len(panel))
    years = panel["year"].to_numpy()
    zero = np.zeros(len(panel))
    for year, target in targets.items():
        m = years == year
        draws = _Draws(n["White"][m], k_white[m], n["BME"][m], white_rate[m], uniforms[m], z[m],
                       zero[m], sign=1)  # fmt: skip
        k_bme[m] = _solve(draws, target, 1.25, shares_above[year] / 100, 0.0)
    counts = {
        "White": (n["White"], k_white),
        "BME": (n["BME"], k_bme),
        "Unknown": (n["Unknown"], k_unknown),
    }
    return _frame(panel, ("headcount", "entered_process"), counts)


def generate_training(
    panel: pd.DataFrame, targets: Mapping[int, float], rng: np.random.Generator
) -> pd.DataFrame:
    """Draw indicator 4: staff accessing non-mandatory training and CPD, by trust and group.

    Between 48% and 75% of white staff access training in a trust-year; the trust-level ratio
    varies little (log spread 0.1), and its national level is solved to the published value.
    """
    n = {g: panel[g].to_numpy() for g in ("White", "BME", "Unknown")}
    white_rate = np.clip(
        rng.uniform(0.48, 0.75, len(panel)) + 0.03 * rng.standard_normal(len(panel)), 0.3, 0.9
    )
    k_white = rng.binomial(n["White"], white_rate)
    k_unknown = rng.binomial(n["Unknown"], 0.9 * white_rate)
    z = _trust_z(panel, rng)
    uniforms = rng.uniform(size=len(panel))
    k_bme = np.zeros(len(panel))
    years = panel["year"].to_numpy()
    zero = np.zeros(len(panel))
    for year, target in targets.items():
        m = years == year
        draws = _Draws(n["White"][m], k_white[m], n["BME"][m], white_rate[m], uniforms[m], z[m],
                       zero[m], sign=-1)  # fmt: skip
        k_bme[m] = _solve(draws, target, 1.0, None, 0.1)
    counts = {
        "White": (n["White"], k_white),
        "BME": (n["BME"], k_bme),
        "Unknown": (n["Unknown"], k_unknown),
    }
    return _frame(panel, ("headcount", "accessed_training"), counts)
