"""The words of the report's shown tables: source notes, the summary's verdict words and
sentences, and an action plan's status words."""

from __future__ import annotations

from wres_analysis.text.formatting import confidence_text

__all__ = ["interval_header", "measure_header", "table_source"]

#: What a measure's values are, as a column header says it.
MEASURE_HEADERS: dict[str, str] = {
    "pct_bme": "% BME",
    "pct_white": "% white",
    "relative_likelihood": "Relative likelihood",
    "difference_pp": "Gap (percentage points)",
}


def measure_header(measure: str) -> str:
    """A measure's column header: "% BME", "Relative likelihood", "Gap (percentage points)"."""
    return MEASURE_HEADERS.get(measure, measure.replace("_", " "))


def interval_header(header: str, confidence: float) -> str:
    """A header for values shown with their interval: "% BME (95% CI)"."""
    return f"{header} ({confidence_text(confidence)} CI)"

_REAL_SOURCE = "NHS trusts' WRES data returns"
_SYNTHETIC_SOURCE = "the wres_analysis demo generator: SYNTHETIC demo data, not real NHS figures"


def table_source(name: str, synthetic: bool) -> str:
    """The source line under a shown table, naming the file with its full figures."""
    data = _SYNTHETIC_SOURCE if synthetic else _REAL_SOURCE
    return f"Source: {data}. Data: tables/{name}.csv and the workbook."
