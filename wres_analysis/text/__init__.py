"""The report's words, in one home: every sentence the report says, written from the data,
the indicator declarations and the parameters in force (confidence level, disclosure rule,
non-adverse range, funnel levels).

- :mod:`.formatting`: numbers, intervals, levels and ranges as text;
- :mod:`.headline`: each indicator's headline reading;
- :mod:`.readings`: the national chapters' readings (range counts, funnels, Model Employer,
  the infographic's tiles);
- :mod:`.organisation`: what an organisation's report says against its comparators;
- :mod:`.chapters`: the chapters' fixed sentences (introductions, notes, the workbook's cover).

``.readings`` and ``.organisation`` are imported from their modules (they read indicator
tables, so importing them here would make ``wres_analysis.indicators`` and this package import
each other).
"""

from wres_analysis.text.chapters import (
    board_disclosure_text,
    changes_explanation,
    chart_not_drawn,
    disclosure_note,
    flagged_table_title,
    funnel_introduction,
    funnel_methods,
    icb_level_note,
    indicator_introduction,
    national_summary_introduction,
    organisation_summary_introduction,
    pooling_method,
    range_table_note,
    range_table_title,
    relative_likelihoods_introduction,
    validation_summary,
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
    "board_disclosure_text",
    "changes_explanation",
    "chart_not_drawn",
    "confidence_text",
    "disclosure_note",
    "flagged_table_title",
    "format_value",
    "funnel_introduction",
    "funnel_methods",
    "icb_level_note",
    "indicator_introduction",
    "interval_text",
    "listed",
    "national_summary_introduction",
    "organisation_summary_introduction",
    "percent_text",
    "pooling_method",
    "range_table_note",
    "range_table_title",
    "range_text",
    "relative_likelihoods_introduction",
    "validation_summary",
    "workbook_description",
]
