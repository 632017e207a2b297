"""A WRES report for each organisation: bundles computed once, chapters, and readings."""

from wres_analysis.organisation.bundle import (
    BUNDLE_SUFFIX,
    OrganisationBundle,
    build_bundles,
    load_bundle,
    prepare_organisation_bundles,
    resolve_organisations,
)
from wres_analysis.organisation.chapter import OrganisationChapter, open_organisation_chapter
from wres_analysis.organisation.readings import (
    ORGANISATION_HEADLINE_COLUMNS,
    organisation_headline,
    organisation_introduction,
    parity_gap_reading,
    rank_statement,
)

__all__ = [
    "BUNDLE_SUFFIX",
    "ORGANISATION_HEADLINE_COLUMNS",
    "OrganisationBundle",
    "OrganisationChapter",
    "build_bundles",
    "load_bundle",
    "open_organisation_chapter",
    "organisation_headline",
    "organisation_introduction",
    "parity_gap_reading",
    "prepare_organisation_bundles",
    "rank_statement",
    "resolve_organisations",
]
