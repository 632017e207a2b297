"""What an organisation's report says: its readings of each indicator against its comparators.

The organisation report's chapter inputs are prepared by :mod:`wres_analysis.report.inputs`, and
its chapters open them with :func:`wres_analysis.report.chapter.open_chapter`, like every
report's.
"""

from wres_analysis.organisation.readings import (
    ORGANISATION_HEADLINE_COLUMNS,
    organisation_headline,
    organisation_introduction,
    parity_gap_reading,
    rank_statement,
)

__all__ = [
    "ORGANISATION_HEADLINE_COLUMNS",
    "organisation_headline",
    "organisation_introduction",
    "parity_gap_reading",
    "rank_statement",
]
