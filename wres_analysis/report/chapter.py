"""What a chapter notebook works with: its scope's inputs, its parameters, and publishing.

Every chapter, national or organisation, opens with one :func:`open_chapter` call and then
reads like the chapter: select from the inputs, :meth:`Chapter.table`, :meth:`Chapter.chart`,
:meth:`Chapter.say`. The chapter carries the settings in force (year, confidence, interval
method, disclosure rule, non-adverse range) and the synthetic-data flag, so no cell repeats
them. Disclosure control is applied here, in one place, to every table published below national
level, so no notebook can forget it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from wres_analysis.disclosure import (
    DisclosureRule,
    apply_disclosure,
    keyed_like,
    round_figures,
    withheld_rows,
)
from wres_analysis.indicators import breakdown_rows, select
from wres_analysis.indicators import frame as indicator_frame
from wres_analysis.indicators.changes import change_table, published_changes
from wres_analysis.indicators.declarations import INDICATORS, declared
from wres_analysis.indicators.funnel import empty_funnel_tables
from wres_analysis.indicators.groups import JOB_KINDS, breakdown_kinds
from wres_analysis.indicators.levels import NATIONAL_CODE
from wres_analysis.indicators.peers import PEER_CODE
from wres_analysis.report.inputs import (
    ACTION_COLUMNS,
    INPUTS_SUFFIX,
    ChapterInputs,
    Funnel,
    Scope,
    Settings,
    load_inputs,
    national_scope,
    organisation_scopes,
    prepare_inputs,
    resolve_organisations,
)
from wres_analysis.report.publish import publish_figure, publish_table
from wres_analysis.tables import shapes
from wres_analysis.tables.reader import ReaderTable, TableContext, tidy
from wres_analysis.tables.summary import summary_rows
from wres_analysis.text.tables import table_source

if TYPE_CHECKING:
    from wres_analysis.charts.funnel import FunnelPanel

__all__ = [
    "AREA_COLUMNS",
    "BREAKDOWN_COLUMNS",
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
#: The comparators' values an organisation's table shows beside its own (rounded below
#: national level like derived figures, never suppressed with the organisation's counts).
COMPARATOR_COLUMNS = ("england", "region", "icb", "trust_type", "peer_group")
#: Values derived from counts, suppressed with them (see :meth:`Chapter.controlled`).
DERIVED_COLUMNS = [
    *INTERVAL_COLUMNS,
    *indicator_frame.RANGE_COLUMNS,
    "relative_likelihood",
    "z_adjusted",
    "p_adjusted",
    "rank",
    "rank_lower",
    "rank_upper",
]

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
#: One area's comparisons of one indicator: BME, each detailed group, each sex, vs White.
BREAKDOWN_COLUMNS = [
    "level", "indicator", "ethnic_group", "sex", "measure", "breakdown", *INTERVAL_COLUMNS,
    *COUNT_COLUMNS,
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
    """One chapter of a report: its name, its scope's inputs, its own parameters and where it
    publishes."""

    name: str
    inputs: ChapterInputs
    params: Mapping[str, Any] = field(default_factory=dict)
    output_dir: str | None = None

    # -- what is in force --------------------------------------------------------------------

    @property
    def scope(self) -> Scope:
        return self.inputs.scope

    @property
    def settings(self) -> Settings:
        return self.inputs.settings

    @property
    def year(self) -> int:
        return self.inputs.settings.year

    @property
    def confidence(self) -> float:
        return self.inputs.settings.confidence

    @property
    def interval_method(self) -> str:
        return self.inputs.settings.interval_method

    @property
    def difference_method(self) -> str:
        return self.inputs.settings.difference_method

    @property
    def rule(self) -> DisclosureRule:
        return self.inputs.settings.disclosure

    @property
    def non_adverse(self) -> tuple[float, float]:
        return self.inputs.settings.non_adverse

    @property
    def synthetic(self) -> bool:
        return self.inputs.is_synthetic

    @property
    def indicator(self) -> str:
        """The indicator this chapter is about (its ``indicator`` parameter)."""
        indicator = self.params.get("indicator")
        if indicator is None:
            raise ValueError(f"chapter {self.name!r} has no `indicator` parameter")
        return str(indicator)

    # -- what the inputs hold ----------------------------------------------------------------

    def indicators(
        self, indicator: str | tuple[str, ...] | None = None, **equal: Any
    ) -> pd.DataFrame:
        """Rows of the scope's indicator table: of ``indicator`` (all when None), matching
        every other column given (``level=``, ``measure=``, ``year=``, ``breakdown=``,
        ``area_code=``; see :func:`wres_analysis.indicators.select`)."""
        return select(self.inputs.indicators, indicator=indicator, **equal)

    def breakdowns(
        self, indicator: str | tuple[str, ...] | None = None, **equal: Any
    ) -> pd.DataFrame:
        """Rows of the scope's breakdown table (each detailed ethnic group vs White, and BME
        vs White within each sex), selected as :meth:`indicators` selects (``ethnic_group=``
        and ``sex=`` too)."""
        table = self.inputs.breakdowns
        if not len(table):
            return self.inputs.indicators.iloc[:0]
        return select(table, indicator=indicator, **equal)

    def breakdown_table(self, indicator: str, by: str = "ethnic_group") -> pd.DataFrame:
        """The scope's own rows of ``indicator`` in the report year: BME vs White, then each
        detailed group vs White (``by="ethnic_group"``) or BME vs White within each sex
        (``by="sex"``), with the columns of :data:`BREAKDOWN_COLUMNS`; publish it with
        :meth:`table` (disclosure control applies to every row below national level)."""
        rows = breakdown_rows(
            self.inputs.indicators,
            self.inputs.breakdowns,
            indicator,
            self.year,
            by=by,
            level=self.scope.level,
            area_code=self.scope.code,
            clusters=tuple(self.inputs.settings.band_clusters),
        )
        return rows[[c for c in BREAKDOWN_COLUMNS if c in rows]]

    def show_breakdowns(self, indicator: str, *, chart: bool = True) -> None:
        """Show and publish ``indicator``'s tables by detailed ethnic group and by sex (for
        2-8 also by occupation group and by band cluster, where its table records them), each
        with a reading per comparison (saying where a group is too small to report), and a
        chart of the detailed groups; where the data hold no such breakdown, say why."""
        from wres_analysis.charts import group_comparison_chart
        from wres_analysis.text.breakdowns import (
            breakdown_readings,
            breakdown_title,
            breakdowns_absent,
        )

        number = declared(indicator).id
        clusters = tuple(self.inputs.settings.band_clusters)
        for by in breakdown_kinds(number):
            rows = self.breakdown_table(number, by)
            detailed = (rows["ethnic_group"] != "BME") | (rows["sex"] != "all")
            if by in JOB_KINDS:
                detailed = rows["breakdown"] != declared(number).headline_breakdown
            if not detailed.any():
                self.say(breakdowns_absent(number, by))
                continue
            name = f"indicator_{number}_by_{by}"
            title = breakdown_title(number, by, self.year, self.scope.name, clusters)
            self.table(rows, name, title, reader=shapes.by_comparison(number))
            withheld = pd.Series(self._withheld(rows), index=rows.index)
            self.bullets(
                breakdown_readings(rows, withheld, number, self.rule, self.confidence, by)
            )
            if chart and by == "ethnic_group":
                shown = self.chartable(rows).assign(
                    area_name=self.scope.name, confidence=self.confidence
                )
                self.chart(name, group_comparison_chart, shown, number, self.year)

    def show_ethnic_categories(self) -> None:
        """Show and publish the national workforce by the sixteen NHS ethnic categories
        (national figures), or say why the data cannot give it."""
        from wres_analysis.text.breakdowns import categories_absent, categories_title

        categories = self.inputs.tables.get("ethnic_categories")
        if categories is None or not len(categories):
            self.say(categories_absent())
            return
        name = "workforce_by_ethnic_category"
        self.table(categories, name, categories_title(self.year), control=False)

    def show_ethnic_group_trends(self) -> None:
        """Show and publish the national workforce's share of BME staff and of each detailed
        ethnic group over the report years (national figures), with its chart, or say why
        the data cannot give it."""
        from wres_analysis.charts import group_trend_chart
        from wres_analysis.text.breakdowns import group_trends_absent, group_trends_title

        trends = self.inputs.tables.get("ethnic_group_trends")
        detailed = trends is not None and (trends["ethnic_group"] != "BME").any()
        if not detailed:
            self.say(group_trends_absent())
            return
        name = "workforce_by_ethnic_group_trend"
        years = trends["year"]
        title = group_trends_title(int(years.min()), int(years.max()))
        self.table(trends, name, title, control=False, reader=shapes.group_trends)
        self.chart(name, group_trend_chart, trends)

    def own(self, indicator: str | tuple[str, ...] | None = None, **equal: Any) -> pd.DataFrame:
        """The scope's own rows (every year unless ``year=`` is given), optionally of one
        indicator: an organisation's rows at organisation level, England's at national level."""
        return self.indicators(
            indicator, level=self.scope.level, area_code=self.scope.code, **equal
        )

    def funnel(self, indicator: str) -> Funnel:
        """An indicator's funnel plot in the report year: every organisation's point and the
        limits (organisations the disclosure rule would reveal are still in the points: use
        :meth:`shown_on_funnel` or :meth:`funnel_panel` to draw).

        A year with no funnel (too few organisations, or no national figure to centre on)
        gives a funnel with no rows: the readings say it cannot be drawn, and the chart is
        replaced by that sentence (see :meth:`chart`).
        """
        declared(indicator)  # an unknown indicator is an error, not an empty funnel
        if indicator not in self.inputs.funnels:
            return Funnel(*empty_funnel_tables())
        return self.inputs.funnels[indicator]

    # -- disclosure control ------------------------------------------------------------------

    def controlled(
        self,
        table: pd.DataFrame,
        *,
        counts: Iterable[str] = COUNT_COLUMNS,
        derived: Iterable[str] = DERIVED_COLUMNS,
    ) -> pd.DataFrame:
        """``table`` with the disclosure rule applied to its rows below national level.

        Derived figures of those rows, and the comparators' values beside them
        (:data:`COMPARATOR_COLUMNS`), are rounded to the rule's decimals: percentages where
        the row's ``measure`` (or, without one, its indicator) is a share or a gap, ratios
        otherwise."""
        counts = [c for c in counts if c in table]
        derived = [c for c in derived if c in table]
        if not counts:
            return table
        level_column = "level" if "level" in table else None
        keyed, added = self._keyed(table)
        return apply_disclosure(
            keyed,
            self.rule,
            counts=counts,
            derived=derived,
            level_column=level_column,
            rounded=[c for c in COMPARATOR_COLUMNS if c in table],
            percent_rows=_percent_rows(table),
        ).drop(columns=added)

    def _keyed(self, table: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
        """``table`` with the columns naming its cells (year, area code, ...) it dropped, so
        the cells secondary suppression withholds are withheld here too
        (:func:`~wres_analysis.disclosure.keyed_like`)."""
        if not self.rule.withheld:
            return table, []
        for source in (self.inputs.indicators, self.inputs.breakdowns):
            keyed, added = keyed_like(table, source)
            if added:
                return keyed, added
        return table, []

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
        keyed, _ = self._keyed(table)
        return withheld_rows(keyed, self.rule, counts=counts, level_column=level_column)

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

    def as_published(
        self,
        table: pd.DataFrame,
        *,
        control: bool = True,
        counts: Sequence[str] = COUNT_COLUMNS,
        derived: Sequence[str] = DERIVED_COLUMNS,
    ) -> pd.DataFrame:
        """``table`` as :meth:`table` publishes it: disclosure-controlled (with ``control``)
        and, in a report below national level, every figure rounded to the rule's decimals.
        What a sentence about a published table may read."""
        shown = self.controlled(table, counts=counts, derived=derived) if control else table
        if self.scope.level != "national":
            # Every figure of an organisation's report is below national level, counts or not.
            shown = round_figures(shown, self.rule, _percent_rows(shown))
        return shown

    def changes(self) -> pd.DataFrame:
        """Every tested change of the scope's indicator table as the report publishes it
        (``tables/changes.csv``): below national level withheld where either year's figure
        is, and rounded (:func:`wres_analysis.indicators.changes.published_changes`)."""
        changes = self.inputs.changes
        if changes is None:
            changes = change_table(self.inputs.indicators)
        return published_changes(changes, self.inputs.indicators, self.rule)

    def actions(self) -> pd.DataFrame:
        """The organisation's action plan (``indicator, action, lead, due, status``; the
        dataset's optional ``actions`` table); no rows for England or an organisation
        without one."""
        actions = self.inputs.tables.get("actions")
        if actions is None:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in ACTION_COLUMNS})
        return actions

    def summary(self) -> pd.DataFrame:
        """The long frame of the summary a board reads
        (:func:`wres_analysis.tables.summary.summary_rows`): the scope's headline values this
        year and the year before, the tested change and its verdict, and, for an
        organisation, England's, its region's, its ICB's (where the data name ICBs), its trust
        type's and its peer group's (where one is chosen) values this year."""
        comparators = {}
        if self.scope.level != "national":
            comparators = {"England": NATIONAL_CODE, "region": self.scope.region}
            if getattr(self.scope, "icb_code", None):
                comparators["ICB"] = self.scope.icb_code
            comparators["trust type"] = self.scope.org_type
            if getattr(self.scope, "peer_group", ()):
                comparators["peer group"] = PEER_CODE
        return summary_rows(
            self.inputs.indicators, self.changes(), level=self.scope.level,
            code=self.scope.code, year=self.year, comparators=comparators,
        )

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
        reader: Callable[[pd.DataFrame, TableContext], ReaderTable] | None = None,
        columns: Sequence[str] | None = None,
    ) -> None:
        """Show a table designed for reading and publish its long frame.

        With ``control`` (the default) the disclosure rule applies to the ``counts`` columns
        (and the ``derived`` values computed from them) of every row below national level;
        ``control=False`` is for national figures and tables with no counts of people. In a
        report below national level every figure with decimals is rounded to the rule's
        decimals either way.

        ``reader`` shapes what the page shows from the controlled table and a
        :class:`~wres_analysis.tables.reader.TableContext` (``title``, the confidence level,
        the disclosure symbol; e.g. :func:`wres_analysis.tables.shapes.by_year`); without
        one the page shows the table tidied (:func:`wres_analysis.tables.reader.tidy`).
        ``columns``, when given, are the columns of ``tables/<name>.csv`` (the reader may use
        more of ``table``). The page gives the table's source under it.
        """
        shown = self.as_published(table, control=control, counts=counts, derived=derived)
        record = shown if columns is None else shown[list(columns)]
        view = (
            reader(shown, TableContext(title, self.confidence, self.rule.symbol))
            if reader is not None
            else tidy(record, title, decimals=decimals)
        )
        view = view.with_notes(notes, source=table_source(name, self.synthetic))
        publish_table(
            record, name, title, notes=notes, output_dir=self.output_dir, decimals=decimals,
            reader=view,
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

    def chart(self, name: str, draw: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Draw a chart with ``draw(*args, **kwargs)`` and show and publish it as ``name``.

        The chart is told whether the data are synthetic (its ``synthetic`` argument) by the
        chapter, so every chart of a synthetic report carries the label. ``draw`` returns an
        object with ``figure``, ``title`` and ``alt``.

        When the data hold nothing the chart could draw (an indicator nobody reported, a
        funnel with no organisation it may show), the chapter says so in a sentence instead
        (:func:`wres_analysis.text.chart_not_drawn`) and publishes no figure: any valid
        dataset builds, down to a single organisation.
        """
        from wres_analysis.charts.common import NothingToDrawError  # matplotlib only when drawing
        from wres_analysis.text import chart_not_drawn

        if "synthetic" in inspect.signature(draw).parameters:
            kwargs.setdefault("synthetic", self.synthetic)
        import matplotlib.pyplot as plt

        opened = set(plt.get_fignums())
        try:
            chart = draw(*args, **kwargs)
        except NothingToDrawError as missing:
            for number in set(plt.get_fignums()) - opened:  # a figure begun before it found so
                plt.close(number)
            self.say(chart_not_drawn(missing.column, missing.value))
            return
        publish_figure(chart.figure, name, chart.title, chart.alt, output_dir=self.output_dir)

    def highlight_on(self, shown: pd.DataFrame) -> str | None:
        """The scope's code if the funnel chart shows it, else None (its own point is left off
        when disclosure control withholds it)."""
        return self.scope.code if (shown["area_code"] == self.scope.code).any() else None

    def funnel_panel(self, indicator: str) -> FunnelPanel:
        """An indicator's funnel plot as this report may show it: organisations with a count
        the disclosure rule suppresses left off (they still count in the limits), this
        report's organisation highlighted unless it is one of them."""
        from wres_analysis.charts.funnel import FunnelPanel  # matplotlib only when drawing

        points, limits = self.funnel(indicator)
        shown = self.shown_on_funnel(points)
        return FunnelPanel(indicator, shown, limits, highlight=self.highlight_on(shown))

    def peer_funnel_panel(self, indicator: str) -> FunnelPanel | None:
        """An indicator's funnel among the peer group (its target: the group's pooled
        ratio), as :meth:`funnel_panel` draws England's; None when no peer group is chosen
        or its funnel cannot be drawn (too few peers with a ratio)."""
        from wres_analysis.charts.funnel import FunnelPanel  # matplotlib only when drawing

        declared(indicator)
        if indicator not in self.inputs.peer_funnels:
            return None
        points, limits = self.inputs.peer_funnels[indicator]
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

    def say(self, *paragraphs: str) -> None:
        """Show text written by the package's narrative functions, as Markdown."""
        from IPython.display import Markdown, display

        display(Markdown("\n\n".join(p for p in paragraphs if p)))

    def bullets(self, lines: Iterable[str]) -> None:
        """Show lines as a bulleted list."""
        self.say("\n".join(f"- {line}" for line in lines))


def _percent_rows(table: pd.DataFrame) -> np.ndarray | None:
    """For a table without a ``measure`` column, True where the row's indicator is a share or a
    gap (a percentage or percentage points), False for a relative likelihood; None when the
    table says neither (the disclosure rule then reads the ``measure`` column, if any)."""
    if "measure" in table or "indicator" not in table:
        return None
    percent = {i for i, d in INDICATORS.items() if d.kind != "relative_likelihood"}
    return table["indicator"].astype(str).isin(percent).to_numpy(dtype=bool)


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
    inputs: str | Path | None = None,
    data: str | Path | None = None,
    year: int | None = None,
    scope: str = "national",
    output_dir: str | None = None,
    **params: Any,
) -> Chapter:
    """Open a chapter: the one call every chapter notebook starts with.

    A build passes ``inputs``, the chapter inputs it prepared for the scope (nothing is loaded
    or recomputed). Run by hand (``inputs=None``), the inputs are computed here from ``data``
    (None: the synthetic demo dataset) for ``scope`` ("national", an organisation code, or
    "organisation" for the first organisation reporting in ``year``) with the default settings,
    so the notebook runs as-is in JupyterLab. ``params`` are the chapter's own parameters (see
    :class:`wres_analysis.report.config.ChapterParams`).

    Raises
    ------
    ValueError
        When ``year`` is not a year of the dataset (naming the years it has), the scope is not
        in it (naming close matches), or the inputs are for another year or scope.
    """
    if inputs is not None:
        if not str(inputs).endswith(INPUTS_SUFFIX):
            raise ValueError(f"inputs must be a file ending {INPUTS_SUFFIX!r}, got {inputs!r}")
        prepared = load_inputs(inputs)
        if year is not None and prepared.year != year:
            raise ValueError(f"inputs {inputs} are for {prepared.year}, not {year}")
        if scope not in ("national", "organisation", prepared.scope.code):
            raise ValueError(f"inputs {inputs} are for {prepared.scope.code}, not {scope!r}")
    else:
        prepared = _inputs_by_hand(data, year, scope)
    from wres_analysis.report.config import ChapterParams

    checked = ChapterParams.model_validate(params).model_dump(exclude_unset=True)
    result = Chapter(name=chapter, inputs=prepared, params=checked, output_dir=output_dir)
    if prepared.is_synthetic and output_dir is None:
        result.say(SYNTHETIC_NOTICE)  # the built HTML carries its own banner
    return result


def _inputs_by_hand(data: str | Path | None, year: int | None, scope: str) -> ChapterInputs:
    """A scope's inputs computed from a dataset with the default settings."""
    from wres_analysis.data import load_dataset

    dataset = load_dataset(data)
    year = dataset.years[-1] if year is None else year
    if year not in dataset.years:
        raise ValueError(
            f"year {year} is not in the dataset; it has report years "
            f"{', '.join(map(str, dataset.years))}"
        )
    if scope == "national":
        chosen = national_scope()
    else:
        requested = ["all"] if scope == "organisation" else [scope]
        code = resolve_organisations(dataset, requested, year)[0]
        chosen = organisation_scopes(dataset, [code])[0]
    return prepare_inputs(dataset, Settings(year=year), [chosen])[chosen.code]
