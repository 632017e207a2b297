"""The chapters' fixed sentences, written from the build's parameters.

A chapter notebook says how its counts are controlled, what its intervals' level is, which
range it compares with and what its funnel's limits are. Each of those follows a parameter
(the disclosure rule, the confidence level, the non-adverse range, the funnel's levels), so
the sentences are written here from those parameters and the indicator declarations, never
typed into a notebook where they would go on saying 95% after the level changed.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from wres_analysis.disclosure import DisclosureRule
from wres_analysis.indicators.declarations import NON_ADVERSE_RANGE, Indicator, declared
from wres_analysis.stats.difference import DEFAULT_DIFFERENCE_METHOD
from wres_analysis.stats.funnel import (
    FEW_EXPECTED_EVENTS,
    FUNNEL_FDR,
    FUNNEL_LEVELS,
    FUNNEL_WINSORISE,
    RARE_RATE,
    winsorised_null_moment,
)
from wres_analysis.stats.names import method_name
from wres_analysis.text.formatting import confidence_text, listed, percent_text, range_text

__all__ = [
    "board_disclosure_text",
    "changes_explanation",
    "chart_not_drawn",
    "disclosure_note",
    "flagged_table_title",
    "funnel_introduction",
    "funnel_methods",
    "icb_level_note",
    "indicator_introduction",
    "national_summary_introduction",
    "pooling_method",
    "organisation_summary_introduction",
    "range_table_note",
    "range_table_title",
    "relative_likelihoods_introduction",
    "validation_summary",
    "workbook_description",
]


def validation_summary(findings: int) -> str:
    """The data-quality chapter's sentence on the validation: the dataset met the contract
    (the build stops otherwise) and how many findings, listed below it, did not stop it."""
    if findings == 0:
        return "The dataset met the data contract, with no finding to report."
    if findings == 1:
        return "The dataset met the data contract. One finding did not stop the load: it is below."
    return (f"The dataset met the data contract. {findings:,} findings did not stop the load: "
            "they are below.")


def disclosure_note(rule: DisclosureRule) -> str:
    """The note under sub-national figures: the disclosure rule as it applies, and where to
    read more. The rule's own sentence (:meth:`DisclosureRule.describe`) is reused."""
    return f"{rule.describe()} The methods chapter gives the details."


def board_disclosure_text(rule: DisclosureRule) -> str:
    """How the rule treats board counts (indicator 9), from its ``control_board_counts``."""
    if rule.control_board_counts:
        return (
            "Board counts (indicator 9) are controlled like staff counts, by the same rule."
        )
    if rule.max_count < max(rule.min_count, 1) and rule.round_to <= 1:
        return "Board counts (indicator 9), like every other count, are not controlled."
    return (
        "Board counts (indicator 9) are not controlled: trusts publish who sits on their "
        "board, so the number of BME board members is public. They are shown exactly at "
        "every level, with their percentages to the rule's decimals; the workforce figures "
        "beside them are controlled like every staff count. The parameter "
        "`disclosure: control_board_counts: true` controls them too."
    )


def icb_level_note(rows: pd.DataFrame) -> str:
    """What a chapter says of its integrated care board (ICB) figures: ``rows`` are its ICB
    rows (none when the dataset names no ICBs)."""
    if len(rows):
        return (
            "Integrated care board figures sum the counts of the organisations in each ICB "
            "(the `icb_code` of `organisations`)."
        )
    return (
        "This report has no integrated care board (ICB) level: the data name no ICBs (the "
        "optional `icb_code` and `icb_name` columns of `organisations`)."
    )


def range_table_note(confidence: float) -> str:
    """The note under a table of organisations against the non-adverse range."""
    return (
        "share is the % of organisations with a defined relative likelihood; significant "
        f"counts those whose {confidence_text(confidence)} interval excludes 1."
    )


def range_table_title(non_adverse: tuple[float, float] = NON_ADVERSE_RANGE) -> str:
    """The title of a table of organisations against the non-adverse range, by year."""
    return (
        "Organisations below, within and above the non-adverse range "
        f"({range_text(non_adverse)}), by report year"
    )


def funnel_introduction(levels: Sequence[float] = FUNNEL_LEVELS) -> str:
    """What a funnel plot shows, naming its control-limit ``levels`` (by default the funnel's
    own, :data:`wres_analysis.stats.funnel.FUNNEL_LEVELS`)."""
    if not levels:
        raise ValueError("`levels` must name at least one control-limit level")
    ordered = sorted(float(level) for level in levels)
    return (
        "Each point is an organisation; the funnel's limits show how far from the national "
        "value an organisation of that size could lie by chance alone "
        f"({listed([percent_text(level) for level in ordered])}), widened for the real "
        "variation between organisations (Spiegelhalter's overdispersion adjustment). Where "
        "that widens them, the lighter limits are for chance alone: a point outside them "
        "differs from England, a point outside the darker ones is unusual among organisations. "
        f"Points outside the {percent_text(ordered[-1])} limits merit a closer look; they are "
        "not a league table."
    )


def indicator_introduction(
    indicator: str | Indicator, *, non_adverse: tuple[float, float] | None = None
) -> str:
    """The opening paragraph of a relative likelihood's chapter, from its declaration.

    ``non_adverse`` is the range the chapter uses (default: the indicator's declared range).
    Where the declaration says where its range was set, that is said only when the range
    used is the declared one.

    Raises
    ------
    ValueError
        When the indicator is not declared or is not a relative likelihood.
    """
    item = declared(indicator)
    if item.kind != "relative_likelihood":
        raise ValueError(
            f"indicator {item.id} is a {item.kind}; only relative likelihoods have this "
            f"introduction"
        )
    band = non_adverse if non_adverse is not None else item.non_adverse
    period = item.period[0].lower() + item.period[1:]
    reading = item.above_one[0].upper() + item.above_one[1:]
    text = f"Indicator {item.id} is {item.comparison}: {item.formula}, over the {period}. "
    if band is None:
        text += f"{reading}."
    else:
        source = f" {item.non_adverse_source}" if item.non_adverse_source else ""
        if tuple(band) != tuple(item.non_adverse or ()):
            source = ""
        text += f"{reading}; {range_text(band)} is the non-adverse range{source}."
    if item.notes:
        text += f" {item.notes}"
    return text


def changes_explanation(confidence: float, five_years: int | None = None) -> str:
    """The methods chapter's plain-words account of how changes between years are tested and
    what "no clear change" means, at the report's confidence level; ``five_years`` is the
    longer change's span (default :data:`wres_analysis.indicators.changes.FIVE_YEARS`)."""
    if five_years is None:
        from wres_analysis.indicators.changes import FIVE_YEARS  # noqa: PLC0415 - import cycle

        five_years = FIVE_YEARS
    level = confidence_text(confidence)
    return (
        "**Changes between years.** Every change the report describes (from the year before, "
        f"over {five_years} years and since the first year) has its own {level} confidence "
        "interval, built from the two years' own intervals, and the trend over all the years "
        "is tested by a regression on year that gives precise years more weight. A reading "
        "says a figure went up or down, or a gap got wider or narrower, only when that "
        "interval lies wholly on one side of no change. Otherwise it says **no clear "
        "change**: the figure moved, but by no more than chance alone could explain with "
        "this many people. It does not mean the figure stayed the same, nor that nothing "
        "changed: a real but small change can need several years of data to show. Whether a "
        "change is an improvement or a worsening follows the indicator: a relative "
        "likelihood or gap that moves away from the side that is adverse to BME staff has "
        "improved. Years are treated as independent samples, although many of the same "
        "staff are counted in both. Below national level a change is published only where "
        "both years' figures are. Every change, with its interval and verdict, is in "
        "`tables/changes.csv`."
    )


def flagged_table_title(year: int, fdr: float = FUNNEL_FDR) -> str:
    """The title of the table of organisations a funnel plot flags."""
    return (
        f"Organisations flagged on the funnel plot at a {percent_text(fdr)} false discovery "
        f"rate, {year}"
    )


def national_summary_introduction(confidence: float) -> str:
    """The national summary chapter's opening paragraph."""
    return (
        "The Workforce Race Equality Standard's nine indicators for England in the report "
        f"year, each with its {confidence_text(confidence)} confidence interval, last year's "
        "value and the change. Relative likelihoods above 1 favour the first group named; "
        "gaps are BME minus white in percentage points."
    )


def organisation_summary_introduction(
    confidence: float, non_adverse: tuple[float, float] = NON_ADVERSE_RANGE
) -> str:
    """The organisation summary chapter's opening paragraph."""
    return (
        "The organisation's nine WRES indicators for the report year, each with its "
        f"{confidence_text(confidence)} confidence interval, beside England, its region and "
        "its type of trust. Each reading of a relative likelihood says where the value sits "
        f"against the non-adverse range ({range_text(non_adverse)}) and what its interval "
        "shows there: clearly above or below the range, shown within it, or that the data "
        "cannot tell. Each reading also says whether the difference from equal treatment is "
        "statistically clear or could be chance."
    )


def relative_likelihoods_introduction(
    non_adverse: tuple[float, float] = NON_ADVERSE_RANGE,
) -> str:
    """The organisation report's relative-likelihood chapter's opening paragraph."""
    return (
        "Relative likelihoods compare the chance of an outcome for one group with the other's: "
        f"above 1 favours the first group named. The non-adverse range is "
        f"{range_text(non_adverse)}. Each indicator's section reads its value, lists it by "
        "report year and says where the organisation ranks; the two charts at the end show, "
        "one panel per indicator, the organisation's trend against England, its region and its "
        "type of trust, and where it lies on the funnel plot of all organisations."
    )


def _methods_phrase(ratio_method: str, difference_method: str) -> str:
    """"the X for relative likelihoods and the Y for differences of percentages", said once
    when X and Y are the same method."""
    if ratio_method == difference_method:
        return (
            f"the {method_name(ratio_method)} for relative likelihoods and for differences of "
            "percentages"
        )
    return (
        f"the {method_name(ratio_method)} for relative likelihoods and the "
        f"{method_name(difference_method)} for differences of percentages"
    )


def workbook_description(
    title: str,
    year: int,
    rule: DisclosureRule,
    confidence: float,
    interval_method: str,
    synthetic: bool,
    *,
    difference_method: str = DEFAULT_DIFFERENCE_METHOD,
) -> list[str]:
    """The lines that open the report's workbook: what it holds, its source, the disclosure
    rule (:meth:`DisclosureRule.describe`), the interval level and the methods in force
    (named by :func:`~wres_analysis.stats.names.method_name`), and a warning first thing
    after the title when the data are synthetic."""
    lines = [
        f"{title}: tables for the report year {year}.",
        "Source: NHS Workforce Race Equality Standard (WRES) data, analysed with wres-analysis.",
        f"Disclosure control: {rule.describe()}",
        "[x] means the value is not available. Every table is also published as a CSV file.",
        f"Intervals are {confidence_text(confidence)} confidence intervals: "
        + _methods_phrase(interval_method, difference_method)
        + ".",
    ]
    if synthetic:
        lines.insert(1, "WARNING: built from SYNTHETIC demo data; no figure is real.")
    return lines


#: How :func:`chart_not_drawn` names a missing row's value, by the column it was asked of.
_MISSING_LEVELS = {
    "national": "for England",
    "region": "by region",
    "icb": "by integrated care board",
    "org_type": "by type of trust",
    "organisation": "for organisations",
}


def chart_not_drawn(column: str | None, value: object = None) -> str:
    """Why a chart is not drawn, in place of the chart: the data hold no row with ``column``
    equal to ``value`` (an indicator nobody reported, a year, a level); for ``column``
    ``"funnel"``, a funnel with no organisation to show (``value`` ``"none"``: too few
    organisations; ``"withheld"``: every one has a count disclosure control withholds); for
    ``column`` ``"estimate"`` and ``value`` ``"withheld"``, no figure left to show."""
    if column == "funnel":
        if value == "withheld":
            return (
                "The funnel plot is not drawn: every organisation on it has a count that "
                "disclosure control withholds, and its point would reveal it."
            )
        return "The funnel plot is not drawn: there are too few organisations to compare."
    if column is None:
        return "This chart is not drawn: the data have nothing it could show."
    if column == "estimate" and value == "withheld":
        return (
            "This chart is not drawn: none of its figures can be shown (each is withheld by "
            "disclosure control or not defined)."
        )
    if column == "indicator":
        item = declared(str(value))
        missing = f"indicator {item.id} ({item.short_name})"
    elif column == "level":
        missing = f"figures {_MISSING_LEVELS.get(str(value), f'at {value} level')}"
    elif column in ("year", "area_code"):
        missing = f"figures for {value}"
    else:
        missing = f"figures with {column} {value}"
    return f"This chart is not drawn: the data have no {missing}."


def funnel_methods(overdispersion: str = "consistent", confidence: float = 0.95) -> list[str]:
    """The methods chapter's paragraphs on the funnel plots: the target, the precision and
    the test, the overdispersion estimate in force (``"consistent"`` or ``"funnelplotr"``)
    with the ``confidence`` of its interval, and the flags, from the funnel's constants."""
    low, high = percent_text(FUNNEL_WINSORISE), percent_text(1 - FUNNEL_WINSORISE)
    factor = winsorised_null_moment(FUNNEL_WINSORISE)
    if overdispersion == "consistent":
        estimate = (
            f"The squared z-scores, winsorised at their {low} and {high} points, are divided "
            f"by {factor:.3f}, their average when organisations differ by chance alone, so "
            "that chance alone gives no widening on average (NHS-R FunnelPlotR does not "
            "divide, and its estimate is biased low: the parameter `funnel_overdispersion: "
            "funnelplotr` gives it)."
        )
    elif overdispersion == "funnelplotr":
        estimate = (
            f"The squared z-scores are winsorised at their {low} and {high} points and not "
            "corrected, as NHS-R FunnelPlotR computes them: winsorising shrinks them to about "
            f"{factor:.2f} of their average under chance alone, so this estimate is biased "
            "low and the widened limits flag ordinary organisations more often than their "
            "level says (the default, `funnel_overdispersion: consistent`, corrects it)."
        )
    else:
        raise ValueError(f"unknown overdispersion method {overdispersion!r}")
    return [
        "**Funnel plots: target.** Each funnel is centred on England's crude relative "
        "likelihood, the headline figure from summed counts, so organisations are compared "
        "with the figure the report quotes. Because organisations differ in make-up, it can "
        "differ from the typical ratio within an organisation (a Mantel-Haenszel or "
        "inverse-variance centre).",
        "**Funnel plots: precision and test.** An organisation's precision is 1 / SE\u00b2 "
        "of its log relative likelihood, from its own counts (the Katz variance; 0.5 is "
        "added to the counts where one is zero or everyone). Where it expects fewer than "
        f"{FEW_EXPECTED_EVENTS:g} events in a group, given the events it had, and at most "
        f"{percent_text(RARE_RATE)} of its people had the outcome, it is tested exactly "
        "instead (conditional binomial, mid-p), which needs no correction for zero counts. "
        "Such an organisation has its own limits (the counts of events at which that test "
        "would flag it), drawn as short bars at its point instead of the curves.",
        "**Funnel plots: overdispersion.** Organisations differ by more than chance, so the "
        "limits are widened by the variance of their real differences, estimated from the "
        f"organisations' z-scores (Spiegelhalter 2005). {estimate} The variance is given with "
        f"a {percent_text(confidence)} bootstrap interval. Both sets of limits are drawn: "
        "widened (is an organisation unusual among organisations?) and for chance alone (does "
        "it differ from England?).",
        f"**Funnel plots: flags.** Organisations are flagged at a {percent_text(FUNNEL_FDR)} "
        "false discovery rate (Benjamini-Hochberg) among all those compared, so that few of "
        "the flags are expected to be chance.",
    ]


def pooling_method(rolling_years: int) -> str:
    """The methods chapter's sentence on indicator 3's pooling over years."""
    if rolling_years == 1:
        return (
            "**Indicator 3 over years.** Each report year stands alone (the parameter "
            "`disciplinary_rolling_years: 2` would pool each year with the one before)."
        )
    return (
        "**Indicator 3 over years.** Each report year's figures pool an organisation's counts "
        "with its counts of the year before (a two-year rolling figure; early guidance, "
        "unconfirmed today). An organisation has a figure only for a year it reported; where "
        "it did not report the year before (the first year, a new organisation) its figure "
        "is one year only, and `years_pooled` in `tables/indicators.csv` says so. The counts "
        "are person-years, not people: someone employed in both years counts twice, and the "
        "intervals treat each person-year as an independent chance of entering the process, "
        "so they may be a little narrow."
    )
