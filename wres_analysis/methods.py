"""Tables for the methods chapter: definitions, interval methods, and this build's facts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from wres_analysis.report.inputs import Provenance

__all__ = ["build_facts", "indicator_definitions", "interval_methods"]

_DEFINITIONS = (
    (
        "1",
        "% BME staff by grade",
        "BME / (White + BME) headcount, per Agenda for Change band "
        "and VSM (clinical, non-clinical) and medical and dental grade; bank staff excluded",
        "Workforce at 31 March of the report year",
    ),
    (
        "2",
        "Relative likelihood of appointment from shortlisting",
        "(White appointed / White shortlisted) / (BME appointed / BME shortlisted)",
        "Financial year ending 31 March of the report year",
    ),
    (
        "3",
        "Relative likelihood of entering the formal disciplinary process",
        "(BME entering / BME headcount) / (White entering / White headcount)",
        "Financial year ending 31 March of the report year",
    ),
    (
        "4",
        "Relative likelihood of accessing non-mandatory training and CPD",
        "(White accessing / White headcount) / (BME accessing / BME headcount)",
        "Financial year ending 31 March of the report year",
    ),
    (
        "5",
        "Harassment, bullying or abuse from patients, relatives or the public",
        "% of White and of BME respondents; gap = BME - White (percentage points)",
        "NHS Staff Survey, autumn before the report year",
    ),
    (
        "6",
        "Harassment, bullying or abuse from staff",
        "% of White and of BME respondents; gap = BME - White",
        "NHS Staff Survey, autumn before the report year",
    ),
    (
        "7",
        "Belief that the organisation provides equal opportunities for career progression",
        "% of White and of BME respondents; gap = BME - White. The question changed with the "
        "2021 survey (report year 2022): a break in the series",
        "NHS Staff Survey, autumn before the report year",
    ),
    (
        "8",
        "Personally experienced discrimination from a manager or colleagues",
        "% of White and of BME respondents; gap = BME - White",
        "NHS Staff Survey, autumn before the report year",
    ),
    (
        "9",
        "Board membership against the workforce",
        "Board % BME - workforce % BME (percentage points), for voting and for executive members",
        "Board and workforce at 31 March of the report year",
    ),
)


def indicator_definitions() -> pd.DataFrame:
    """The nine indicators: what each measures, its formula and its data period.

    Ethnic groups: White is NHS ethnic category codes A-C; BME every other known category
    (D-S); Unknown (Z, 99 or missing) is counted but left out of the comparisons.
    """
    return pd.DataFrame(_DEFINITIONS, columns=["indicator", "measures", "formula", "period"])


def interval_methods(ratio_method: str, confidence: float) -> pd.DataFrame:
    """Which confidence-interval method each kind of figure in the report uses."""
    level = f"{confidence * 100:g}%"
    rows = [
        (
            "relative likelihood (indicators 2-4)",
            ratio_method,
            "Miettinen & Nurminen (1985) score interval; see docs/methodology.md for the others",
        ),
        ("percentage of one group", "wilson", "Wilson (1927) score interval"),
        (
            "difference of two percentages (indicators 5-9)",
            "newcombe",
            "Newcombe (1998) hybrid score interval, method 10",
        ),
        (
            "funnel plot limits",
            "log ratio, Katz variance, 95% and 99.8%",
            "Spiegelhalter (2005), with the overdispersion adjustment (10% winsorised z-scores, "
            "additive random effects)",
        ),
        (
            "outlier flags",
            "Benjamini-Hochberg at 5% false discovery rate",
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
