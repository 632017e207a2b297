"""What an organisation report's chapter notebook works with."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from wres_analysis.data import load_dataset
from wres_analysis.disclosure import DisclosureRule
from wres_analysis.organisation.bundle import (
    BUNDLE_SUFFIX,
    OrganisationBundle,
    build_bundles,
    load_bundle,
    resolve_organisations,
)
from wres_analysis.report.chapter import SYNTHETIC_NOTICE, Chapter

if TYPE_CHECKING:
    from wres_analysis.charts.funnel import FunnelPanel

__all__ = ["OrganisationChapter", "open_organisation_chapter"]


@dataclass
class OrganisationChapter(Chapter):
    """A chapter of one organisation's report: its bundle instead of the whole dataset."""

    bundle: OrganisationBundle | None = field(default=None, repr=False)

    @property
    def synthetic(self) -> bool:
        return self.bundle is not None and self.bundle.is_synthetic

    @property
    def table_all(self) -> pd.DataFrame:
        """The organisation's and its comparators' indicator rows, every year."""
        return self.bundle.indicators

    def mine(self, indicator: str | None = None) -> pd.DataFrame:
        """The organisation's own rows (all years), optionally of one indicator."""
        table = self.bundle.indicators
        own = (table["area_code"] == self.bundle.code) & (table["level"] == "organisation")
        if indicator is not None:
            own &= table["indicator"] == indicator  # one selection, not two
        return table[own]

    def highlight_on(self, shown: pd.DataFrame) -> str | None:
        """The organisation's code if the funnel chart shows it, else None (its own point
        is left off when disclosure control withholds it)."""
        return self.bundle.code if (shown["area_code"] == self.bundle.code).any() else None

    def funnel_panel(self, indicator: str) -> FunnelPanel:
        """An indicator's funnel plot as this report may show it: organisations with a count
        the disclosure rule suppresses left off (they still count in the limits), this
        organisation highlighted unless it is one of them."""
        from wres_analysis.charts.funnel import FunnelPanel  # matplotlib only when drawing

        points, limits = self.bundle.funnels[indicator]
        shown = self.shown_on_funnel(points)
        return FunnelPanel(indicator, shown, limits, highlight=self.highlight_on(shown))

    def suppressed_note(self, table: pd.DataFrame) -> str:
        """A sentence saying how many values of ``table`` disclosure control withheld."""
        # The estimates controlled(table) shows as the symbol, without the controlled copy.
        count = int(self._shows_symbol(table, "estimate").sum())
        if not count:
            return "No value in this table was withheld by disclosure control."
        return (
            f"{count} value{'s' if count != 1 else ''} in this table "
            f"{'were' if count != 1 else 'was'} withheld ({self.rule.symbol}): a count behind "
            f"{'them' if count != 1 else 'it'} is between {self.rule.min_count} and "
            f"{self.rule.max_count}. {self.rule.describe()}"
        )


def open_organisation_chapter(
    chapter: str,
    *,
    data: str | None,
    year: int,
    organisation: str | None,
    confidence: float = 0.95,
    interval_method: str = "miettinen-nurminen",
    disclosure: Mapping[str, Any] | None = None,
    output_dir: str | None = None,
) -> OrganisationChapter:
    """Open a chapter of one organisation's report.

    ``data`` is the bundle a build prepared (fast), or a dataset path, or None for the
    synthetic demo dataset (computed here, so the notebook runs as-is in JupyterLab). With
    ``organisation=None`` the first organisation reporting in ``year`` is used.
    """
    if data is not None and str(data).endswith(BUNDLE_SUFFIX):
        bundle = load_bundle(data)
        if organisation is not None and bundle.code != organisation.strip().upper():
            raise ValueError(f"bundle {data} is for {bundle.code}, not {organisation!r}")
    else:
        dataset = load_dataset(data)
        requested = [organisation] if organisation else ["all"]
        code = resolve_organisations(dataset, requested, year)[0]
        bundle = build_bundles(
            dataset, year, [code], confidence=confidence, interval_method=interval_method
        )[code]
    result = OrganisationChapter(
        name=chapter,
        year=year,
        dataset=None,
        confidence=confidence,
        interval_method=interval_method,
        rule=DisclosureRule.from_mapping(disclosure),
        output_dir=output_dir,
        organisation=bundle.code,
        bundle=bundle,
    )
    if bundle.is_synthetic and output_dir is None:
        result.say(SYNTHETIC_NOTICE)
    return result
