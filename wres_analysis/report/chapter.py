"""What a chapter notebook works with: its parameters, the dataset, and publishing.

A chapter opens with :func:`open_chapter` and then reads like the chapter: compute with
package functions, :meth:`Chapter.table`, :meth:`Chapter.chart`, :meth:`Chapter.say`.
Disclosure control is applied here, in one place, to every table published below national
level, so no notebook can forget it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from wres_analysis.data import Dataset, load_dataset
from wres_analysis.disclosure import DisclosureRule, apply_disclosure, withheld_rows
from wres_analysis.indicators import LEVELS, compute_indicators
from wres_analysis.indicators import frame as indicator_frame
from wres_analysis.report.publish import publish_figure, publish_indicators, publish_table

__all__ = [
    "AREA_COLUMNS",
    "COUNT_COLUMNS",
    "HEADLINE_DISPLAY_COLUMNS",
    "INTERVAL_COLUMNS",
    "ORGANISATION_COLUMNS",
    "SHARE_COLUMNS",
    "TREND_COLUMNS",
    "Chapter",
    "open_chapter",
]

#: Count columns of the indicator table (people), and the values computed from them.
COUNT_COLUMNS = list(indicator_frame.COUNT_COLUMNS)
INTERVAL_COLUMNS = list(indicator_frame.INTERVAL_COLUMNS)
#: Values derived from counts, suppressed with them (see :meth:`Chapter.controlled`).
DERIVED_COLUMNS = [*INTERVAL_COLUMNS, "relative_likelihood", "z_adjusted", "p_adjusted"]

# The columns chapters show from the indicator table, by kind of table. Every table with
# counts of people keeps ``level``, so disclosure control and `wres audit` can tell national
# rows (not controlled) from the rest.
#: One area over the years.
TREND_COLUMNS = ["level", "year", *INTERVAL_COLUMNS, *COUNT_COLUMNS]
#: Several areas in one year (keeps ``level`` so disclosure control can see it).
AREA_COLUMNS = ["level", "area_name", "indicator", "breakdown", *INTERVAL_COLUMNS, *COUNT_COLUMNS]
#: Shares and gaps of one area in one year, by breakdown.
SHARE_COLUMNS = [
    "level", "indicator", "measure", "breakdown", *INTERVAL_COLUMNS, *COUNT_COLUMNS,
]
#: Organisations on a funnel plot.
ORGANISATION_COLUMNS = [
    "level",
    "area_code",
    "area_name",
    "estimate",
    *COUNT_COLUMNS,
    "z_adjusted",
    "p_adjusted",
]
#: The summary chapter's headline table.
HEADLINE_DISPLAY_COLUMNS = [
    "indicator",
    "title",
    *INTERVAL_COLUMNS,
    "previous_year",
    "previous_estimate",
    "change",
]
SYNTHETIC_NOTICE = (
    "**SYNTHETIC DEMO DATA.** Every figure in this chapter comes from the bundled synthetic "
    "dataset, calibrated to published national figures. It is not official statistics and "
    "describes no real organisation."
)


@dataclass
class Chapter:
    """One chapter's parameters and dataset, and the way it publishes."""

    name: str
    year: int
    dataset: Dataset | None
    confidence: float = 0.95
    interval_method: str = "miettinen-nurminen"
    rule: DisclosureRule = field(default_factory=DisclosureRule)
    output_dir: str | None = None
    organisation: str | None = None
    _indicators: dict[tuple[str, ...], pd.DataFrame] = field(default_factory=dict, repr=False)

    @property
    def synthetic(self) -> bool:
        return self.dataset is not None and self.dataset.is_synthetic

    def indicators(self, levels: Sequence[str] = LEVELS) -> pd.DataFrame:
        """All nine indicators at ``levels`` for every year (computed once per chapter)."""
        key = tuple(levels)
        if key not in self._indicators:
            self._indicators[key] = compute_indicators(
                self.dataset,
                method=self.interval_method,
                confidence=self.confidence,
                levels=levels,
            )
        return self._indicators[key]

    def controlled(
        self,
        table: pd.DataFrame,
        *,
        counts: Iterable[str] = COUNT_COLUMNS,
        derived: Iterable[str] = DERIVED_COLUMNS,
    ) -> pd.DataFrame:
        """``table`` with the disclosure rule applied to its rows below national level."""
        counts = [c for c in counts if c in table]
        derived = [c for c in derived if c in table]
        if not counts:
            return table
        level_column = "level" if "level" in table else None
        return apply_disclosure(
            table, self.rule, counts=counts, derived=derived, level_column=level_column
        )

    def _withheld(self, table: pd.DataFrame) -> np.ndarray:
        """One flag per row of ``table``: True where :meth:`controlled` shows its derived
        values as the disclosure symbol (a count below national level is suppressed).

        What :meth:`chartable`, the funnel and the notes need to know, without building the
        controlled copy of the table (cell by cell it is most of what they would cost).
        """
        counts = [c for c in COUNT_COLUMNS if c in table]
        if not counts:
            return np.zeros(len(table), dtype=bool)
        level_column = "level" if "level" in table else None
        return withheld_rows(table, self.rule, counts=counts, level_column=level_column)

    def _shows_symbol(self, table: pd.DataFrame, column: str) -> np.ndarray:
        """True where :meth:`controlled` shows the symbol in ``column`` (a derived column):
        the row is withheld, or its value written as text already is the symbol."""
        has_counts = any(c in table for c in COUNT_COLUMNS)
        return self._withheld(table) | _is_symbol(table[column], self.rule.symbol, has_counts)

    def chartable(self, table: pd.DataFrame) -> pd.DataFrame:
        """``table`` as charts may draw it below national level: values the disclosure rule
        suppresses become missing, so a chart never shows what a table withholds."""
        # Same cells as masking where controlled(table) shows the symbol, from the rows'
        # flags alone (no controlled copy of the table).
        has_counts = any(c in table for c in COUNT_COLUMNS)
        withheld = self._withheld(table)
        out = table.copy()
        for column in DERIVED_COLUMNS:
            if column in out:
                hidden = withheld | _is_symbol(table[column], self.rule.symbol, has_counts)
                out[column] = out[column].mask(hidden)
        return out

    def table(
        self,
        table: pd.DataFrame,
        name: str,
        title: str,
        *,
        notes: str | None = None,
        control: bool = True,
        counts: Sequence[str] = COUNT_COLUMNS,
        derived: Sequence[str] = DERIVED_COLUMNS,
        decimals: int = 2,
    ) -> None:
        """Show and publish a table.

        With ``control`` (the default) the disclosure rule applies to the ``counts`` columns
        (and the ``derived`` values computed from them) of every row below national level;
        ``control=False`` is for national figures and tables with no counts of people.
        """
        shown = self.controlled(table, counts=counts, derived=derived) if control else table
        publish_table(
            shown, name, title, notes=notes, output_dir=self.output_dir, decimals=decimals
        )

    def shown_on_funnel(self, points: pd.DataFrame) -> pd.DataFrame:
        """The funnel points a chart may show: organisations with a count the disclosure rule
        suppresses are left off (their ratio would reveal it)."""
        return points[~self._off_funnel(points)]

    def _off_funnel(self, points: pd.DataFrame) -> np.ndarray:
        """True for funnel points with a count the rule suppresses (every row is controlled:
        funnel points are organisations)."""
        counts = [c for c in COUNT_COLUMNS if c in points]
        if not counts:
            raise ValueError(
                f"funnel points need a count column ({', '.join(COUNT_COLUMNS)}) for "
                f"disclosure control; they have {list(points.columns)}"
            )
        return withheld_rows(points, self.rule, counts=counts, level_column=None)

    def funnel_note(self, points: pd.DataFrame) -> str:
        """How many organisations the funnel chart leaves off, and why."""
        hidden = int(self._off_funnel(points).sum())
        if not hidden:
            return ""
        return (
            f"{hidden} organisation{'s' if hidden != 1 else ''} with a count between "
            f"{self.rule.min_count} and {self.rule.max_count} "
            f"{'are' if hidden != 1 else 'is'} not shown on the chart (disclosure control); "
            f"{'they are' if hidden != 1 else 'it is'} still counted in the limits."
        )

    def chart(self, chart: Any, name: str) -> None:
        """Show and publish a chart (an object with ``figure``, ``title`` and ``alt``)."""
        publish_figure(chart.figure, name, chart.title, chart.alt, output_dir=self.output_dir)

    def publish_indicators(self, table: pd.DataFrame) -> None:
        """Add indicator rows to the report's ``tables/indicators.csv`` (controlled)."""
        publish_indicators(self.controlled(table), self.output_dir)

    def say(self, *paragraphs: str) -> None:
        """Show text written by the package's narrative functions, as Markdown."""
        from IPython.display import Markdown, display

        display(Markdown("\n\n".join(p for p in paragraphs if p)))

    def bullets(self, lines: Iterable[str]) -> None:
        """Show lines as a bulleted list."""
        self.say("\n".join(f"- {line}" for line in lines))


def _is_symbol(values: pd.Series, symbol: str, has_counts: bool) -> np.ndarray:
    """True where a value of ``values`` is ``symbol`` once written as text, the way
    :meth:`Chapter.controlled`'s table is read (``.astype(str)``): only a column that already
    holds the symbol, or a symbol that is itself a number such as "0", can match.

    ``has_counts``: :meth:`Chapter.controlled` controls the table, and has turned the column
    into Python objects before it is read; otherwise it returns the table as it is. A number
    written as text always reads back as a number, so for a numeric column and a symbol that
    is not a number the answer is no, without writing every value as text.
    """
    if values.dtype.kind in "iuf":
        try:
            float(symbol)
        except ValueError:
            return np.zeros(len(values), dtype=bool)
    text = (values.astype(object) if has_counts else values).astype(str)
    return (text == symbol).to_numpy(dtype=bool, na_value=False)


def open_chapter(
    chapter: str,
    *,
    data: str | None,
    year: int,
    confidence: float = 0.95,
    interval_method: str = "miettinen-nurminen",
    disclosure: Mapping[str, Any] | None = None,
    output_dir: str | None = None,
    organisation: str | None = None,
) -> Chapter:
    """Load the dataset (the synthetic demo data when ``data`` is None) for a chapter, as the
    report for ``year`` sees it (no later years).

    Raises ValueError when ``year`` is not a year of the dataset, naming the years it has.
    """
    full = load_dataset(data)
    if year not in full.years:
        raise ValueError(
            f"year {year} is not in the dataset; it has report years "
            f"{', '.join(map(str, full.years))}"
        )
    dataset = full.up_to(year)
    if organisation is not None and organisation not in set(dataset["organisations"]["org_code"]):
        raise ValueError(f"organisation {organisation!r} is not in the dataset")
    result = Chapter(
        name=chapter,
        year=year,
        dataset=dataset,
        confidence=confidence,
        interval_method=interval_method,
        rule=DisclosureRule.from_mapping(disclosure),
        output_dir=output_dir,
        organisation=organisation,
    )
    if dataset.is_synthetic and output_dir is None:
        result.say(SYNTHETIC_NOTICE)  # the built HTML carries its own banner
    return result
