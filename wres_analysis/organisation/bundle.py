"""Everything one organisation's report needs, computed once for all organisations.

Building ~215 organisation reports must not load and recompute the whole dataset 215 times:
:func:`prepare_organisation_bundles` computes every indicator once and writes a small bundle
per organisation, which its chapter notebooks load in milliseconds.
"""

from __future__ import annotations

import difflib
import pickle
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from wres_analysis.data import Dataset
from wres_analysis.data.dataset import DENOMINATORS
from wres_analysis.indicators import (
    NATIONAL_CODE,
    RELATIVE_LIKELIHOODS,
    compute_indicators,
    funnel_tables,
    workforce_indicator,
)
from wres_analysis.quality import missing_tables

__all__ = [
    "BUNDLE_SUFFIX",
    "OrganisationBundle",
    "build_bundles",
    "load_bundle",
    "prepare_organisation_bundles",
    "resolve_organisations",
]

BUNDLE_SUFFIX = ".wres-org.pkl"


@dataclass(frozen=True)
class OrganisationBundle:
    """One organisation's report inputs for one report year.

    ``indicators`` holds the long indicator rows (every year up to ``year``) of the
    organisation, with grade detail for indicator 1, and of its comparators: England, its
    region and its trust type. ``funnels`` maps "2", "3", "4" to the funnel points of every
    organisation and the limit curves for ``year``. ``quality`` holds the organisation's
    unknown-ethnicity shares and missing tables.
    """

    code: str
    name: str
    region: str
    org_type: str
    year: int
    is_synthetic: bool
    fingerprint: str
    indicators: pd.DataFrame
    funnels: dict[str, tuple[pd.DataFrame, pd.DataFrame]] = field(default_factory=dict)
    quality: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def comparators(self) -> list[str]:
        """Area codes to compare with: England, the region and the trust type."""
        return [NATIONAL_CODE, self.region, self.org_type]

    def save(self, path: Path) -> Path:
        """Write the bundle (a build's private working file, never published)."""
        path = Path(path)
        if not path.name.endswith(BUNDLE_SUFFIX):
            raise ValueError(f"path must end with {BUNDLE_SUFFIX!r}, got {path.name!r}")
        path.write_bytes(pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL))
        return path


def load_bundle(path: str | Path) -> OrganisationBundle:
    """Read a bundle written by :meth:`OrganisationBundle.save` in the same build."""
    bundle = pickle.loads(Path(path).read_bytes())
    if not isinstance(bundle, OrganisationBundle):
        raise TypeError(f"{path} is not an organisation bundle")
    return bundle


def resolve_organisations(
    dataset: Dataset, requested: Sequence[str], year: int | None = None
) -> list[str]:
    """The organisation codes to build: ``["all"]`` means every organisation reporting in
    ``year`` (or in any year); otherwise the given codes, case and spaces ignored.

    Raises
    ------
    ValueError
        For an unknown code, listing the closest codes and names.
    """
    organisations = dataset["organisations"]
    if year is not None:
        reporting = set(dataset["workforce"].loc[dataset["workforce"]["year"] == year, "org_code"])
    else:
        reporting = set(organisations["org_code"])
    if [r.strip().casefold() for r in requested] == ["all"]:
        return sorted(reporting)
    codes = list(organisations["org_code"])
    names = dict(zip(organisations["org_name"].str.casefold(), codes, strict=True))
    chosen: list[str] = []
    for raw in requested:
        code = raw.strip().upper()
        if code in codes:
            if year is not None and code not in reporting:
                raise ValueError(f"organisation {code} did not report in {year}")
            if code not in chosen:
                chosen.append(code)
            continue
        near_codes = difflib.get_close_matches(code, codes, n=3, cutoff=0.5)
        query = raw.strip().casefold()
        near_names = [names[n] for n in difflib.get_close_matches(query, names, n=3)]
        near_names += [code for name, code in names.items() if query and query in name][:5]
        suggestions = list(dict.fromkeys(near_codes + near_names))
        label = {c: n for c, n in zip(codes, organisations["org_name"], strict=True)}
        hint = (
            "; close matches: " + ", ".join(f"{c} ({label[c]})" for c in suggestions)
            if suggestions
            else ""
        )
        raise ValueError(f"unknown organisation code {raw!r}{hint}")
    return chosen


def build_bundles(
    dataset: Dataset,
    year: int,
    codes: Sequence[str],
    *,
    confidence: float = 0.95,
    interval_method: str = "miettinen-nurminen",
) -> dict[str, OrganisationBundle]:
    """Compute every organisation's bundle from one pass over the dataset."""
    data = dataset.up_to(year)
    table = compute_indicators(data, method=interval_method, confidence=confidence)
    detail = workforce_indicator(
        data, confidence=confidence, levels=("organisation",), grade_levels=("organisation",)
    )
    table = pd.concat(
        [table[~((table["indicator"] == "1") & (table["level"] == "organisation"))], detail],
        ignore_index=True,
    )
    funnels = {ind: funnel_tables(table, ind, year) for ind in RELATIVE_LIKELIHOODS}
    unknown = dict(tuple(_unknown_by_organisation(data, year).groupby("org_code")))
    years = _years_by_organisation(data)
    gaps = missing_tables(data)
    organisations = data["organisations"].set_index("org_code")
    by_area = dict(tuple(table.groupby("area_code", sort=False)))
    bundles = {}
    for code in codes:
        info = organisations.loc[code]
        areas = [code, NATIONAL_CODE, info["region"], info["org_type"]]
        rows = pd.concat([by_area[a] for a in areas if a in by_area], ignore_index=True)
        rows = rows[(rows["area_code"] != code) | (rows["level"] == "organisation")]
        bundles[code] = OrganisationBundle(
            code=code,
            name=str(info["org_name"]),
            region=str(info["region"]),
            org_type=str(info["org_type"]),
            year=year,
            is_synthetic=dataset.is_synthetic,
            fingerprint=dataset.fingerprint,
            indicators=rows.reset_index(drop=True),
            funnels=funnels,
            quality={
                "unknown_ethnicity": unknown.get(code, pd.DataFrame()).drop(
                    columns="org_code", errors="ignore"
                ),
                "missing_tables": gaps[gaps["org_code"] == code].reset_index(drop=True),
                "years": pd.DataFrame({"year": years.get(code, [])}),
            },
        )
    return bundles


def _unknown_by_organisation(dataset: Dataset, year: int) -> pd.DataFrame:
    """Unknown ethnicity per organisation and table in ``year``: ``org_code, table, measure,
    total, unknown, pct_unknown``."""
    parts = []
    for name, column in DENOMINATORS.items():
        frame = dataset[name]
        frame = frame[frame["year"] == year]
        unknown = frame[column].where(frame["ethnic_group"] == "Unknown", 0)
        grouped = (
            pd.DataFrame(
                {"org_code": frame["org_code"], "total": frame[column], "unknown": unknown}
            )
            .groupby("org_code")
            .sum()
            .reset_index()
            .assign(table=name, measure=column)
        )
        parts.append(grouped)
    out = pd.concat(parts, ignore_index=True)
    out["pct_unknown"] = 100 * out["unknown"] / out["total"].where(out["total"] > 0)
    out["level"] = "organisation"
    return out[["org_code", "level", "table", "measure", "total", "unknown", "pct_unknown"]]


def _years_by_organisation(dataset: Dataset) -> dict[str, list[int]]:
    pairs = pd.concat(
        [frame[["org_code", "year"]] for name, frame in dataset.tables.items() if "year" in frame],
        ignore_index=True,
    ).drop_duplicates()
    return {code: sorted(group["year"]) for code, group in pairs.groupby("org_code")}


def prepare_organisation_bundles(
    dataset: Dataset,
    year: int,
    codes: Sequence[str],
    folder: Path,
    *,
    confidence: float = 0.95,
    interval_method: str = "miettinen-nurminen",
    disclosure: Mapping[str, Any] | None = None,
) -> dict[str, Path]:
    """Write ``folder/<CODE>.wres-org.pkl`` for each code; return code to path.

    ``disclosure`` is accepted for symmetry with the chapters' parameters: bundles hold
    unrounded counts (they are private working files), and the chapters apply the rule when
    they publish.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    bundles = build_bundles(
        dataset, year, codes, confidence=confidence, interval_method=interval_method
    )
    return {
        code: bundle.save(folder / f"{code}{BUNDLE_SUFFIX}") for code, bundle in bundles.items()
    }
