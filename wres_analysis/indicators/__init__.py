"""The nine WRES indicators computed from a validated dataset, as long tidy tables."""

from wres_analysis.indicators.compute import (
    RELATIVE_LIKELIHOODS,
    SENIOR_BREAKDOWN,
    board_indicator,
    compute_indicators,
    relative_likelihood_indicator,
    survey_indicator,
    workforce_indicator,
)
from wres_analysis.indicators.frame import INDICATOR_COLUMNS
from wres_analysis.indicators.funnel import funnel_tables
from wres_analysis.indicators.groups import (
    breakdown_rows,
    ethnic_category_shares,
    ethnic_group_trends,
    shown_breakdowns,
)
from wres_analysis.indicators.levels import LEVELS, NATIONAL_CODE, NATIONAL_NAME
from wres_analysis.indicators.summaries import (
    HEADLINE_COLUMNS,
    headline_table,
    model_employer_trajectory,
    organisations_without_bme_board_member,
    range_summary,
    select,
)

__all__ = [
    "HEADLINE_COLUMNS",
    "INDICATOR_COLUMNS",
    "LEVELS",
    "NATIONAL_CODE",
    "NATIONAL_NAME",
    "RELATIVE_LIKELIHOODS",
    "SENIOR_BREAKDOWN",
    "board_indicator",
    "breakdown_rows",
    "compute_indicators",
    "ethnic_category_shares",
    "ethnic_group_trends",
    "funnel_tables",
    "organisations_without_bme_board_member",
    "headline_table",
    "model_employer_trajectory",
    "range_summary",
    "select",
    "relative_likelihood_indicator",
    "shown_breakdowns",
    "survey_indicator",
    "workforce_indicator",
]
