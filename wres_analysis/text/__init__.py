"""The report's words: number formatting, and the chapters' sentences written from the
build's parameters (confidence level, disclosure rule, non-adverse range, funnel levels)
and the indicator declarations."""

from wres_analysis.text.chapters import (
    disclosure_note,
    funnel_introduction,
    indicator_introduction,
    national_summary_introduction,
    organisation_summary_introduction,
    range_table_note,
    range_table_title,
    relative_likelihoods_introduction,
    workbook_description,
)
from wres_analysis.text.formatting import (
    confidence_text,
    format_value,
    interval_text,
    listed,
    percent_text,
    range_text,
)

__all__ = [
    "confidence_text",
    "disclosure_note",
    "format_value",
    "funnel_introduction",
    "indicator_introduction",
    "interval_text",
    "listed",
    "national_summary_introduction",
    "organisation_summary_introduction",
    "percent_text",
    "range_table_note",
    "range_table_title",
    "range_text",
    "relative_likelihoods_introduction",
    "workbook_description",
]
