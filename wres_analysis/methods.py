"""Tables for the methods chapter: definitions, interval methods, and this build's facts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from wres_analysis.indicators.declarations import INDICATORS
from wres_analysis.stats.difference import DEFAULT_DIFFERENCE_METHOD
from wres_analysis.stats.funnel import FUNNEL_FDR, FUNNEL_LEVELS
from wres_analysis.stats.names import method_name, method_source
from wres_analysis.text.formatting import confidence_text, listed, percent_text

if TYPE_CHECKING:
    from wres_analysis.report.inputs import Provenance

__all__ = ["build_facts", "indicator_definitions", "interval_methods"]

def indicator_definitions() -> pd.DataFrame:
    """The nine indicators: what each measures, its formula and its data period (from
    their declarations, :data:`wres_analysis.indicators.declarations.INDICATORS`).

    Ethnic groups: White is NHS ethnic category codes A-C; BME every other known category
    (D-S); Unknown (Z, 99 or missing) is counted but left out of the comparisons.
    """
    rows = [
        (item.id, item.definition, item.formula, item.period) for item in INDICATORS.values()
    ]
    return pd.DataFrame(rows, columns=["indicator", "measures", "formula", "period"])


def interval_methods(
    ratio_method: str,
    confidence: float,
    difference_method: str = DEFAULT_DIFFERENCE_METHOD,
) -> pd.DataFrame:
    """Which confidence-interval method each kind of figure in the report uses: the methods
    in force, named and cited from :mod:`wres_analysis.stats.names`."""
    level = confidence_text(confidence)
    rows = [
        (
            "relative likelihood (indicators 2-4)",
            method_name(ratio_method),
            method_source(ratio_method),
        ),
        ("percentage of one group", method_name("wilson"), method_source("wilson")),
        (
            "difference of two percentages (indicators 5-9)",
            method_name(difference_method),
            method_source(difference_method),
        ),
        (
            "funnel plot limits",
            f"log ratio, Katz variance, {listed([percent_text(v) for v in FUNNEL_LEVELS])}",
            "Spiegelhalter (2005), with the overdispersion adjustment (10% winsorised z-scores, "
            "additive random effects)",
        ),
        (
            "outlier flags",
            f"Benjamini-Hochberg at {percent_text(FUNNEL_FDR)} false discovery rate",
            "Benjamini & Hochberg (1995)",
        ),
    ]
    frame = pd.DataFrame(rows, columns=["figure", "method", "source"])
    frame.insert(1, "confidence", level)
    return frame


def build_facts(provenance: Provenance) -> pd.DataFrame:
    """The package version, the data source and fingerprint, and each input file's SHA-256."""
    rows = [
        ("wres-analysis version", provenance.package_version),
        (
            "data",
            "SYNTHETIC demo data (not official statistics)"
            if provenance.synthetic
            else "user-supplied dataset",
        ),
        ("data fingerprint (SHA-256)", provenance.fingerprint),
        ("report years in the data", f"{provenance.years[0]}-{provenance.years[-1]}"),
    ]
    hashes = {Path(f["path"]).name: f["sha256"] for f in provenance.files.values()}
    rows += [(f"file {name} (SHA-256)", sha) for name, sha in sorted(hashes.items())]
    return pd.DataFrame(rows, columns=["item", "value"])
