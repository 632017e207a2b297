"""The words of the report's shown tables: source notes, the summary's verdict words and
sentences, and an action plan's status words."""

from __future__ import annotations

import pandas as pd

from wres_analysis.indicators.declarations import INDICATORS
from wres_analysis.text.formatting import confidence_text, format_value, listed

__all__ = [
    "NOT_TESTED",
    "action_plan_introduction",
    "actions_text",
    "status_text",
    "change_sentences",
    "interval_header",
    "measure_header",
    "summary_indicator_label",
    "summary_note",
    "table_source",
]

#: The verdict of a change no interval tested (no comparable earlier year, or no interval).
NOT_TESTED = "not tested"

#: The unit of each kind of indicator, as the summary's labels say it.
_KIND_UNITS = {
    "share": "% BME",
    "relative_likelihood": "relative likelihood",
    "gap": "gap, percentage points",
}

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


def summary_indicator_label(indicator: str) -> str:
    """An indicator as the summary's row names it, with its unit: "2. Appointment from
    shortlisting (relative likelihood)"."""
    item = INDICATORS.get(indicator)
    if item is None:
        return indicator
    return f"{indicator}. {item.title} ({_KIND_UNITS[item.kind]})"


def summary_note(confidence: float, symbol: str | None = None) -> str:
    """The note under the summary: what the change and its verdict are, and (below
    national level, where disclosure control applies) what ``symbol`` means."""
    level = confidence_text(confidence)
    text = (
        "Change: for a relative likelihood the ratio of this year's to the previous year's "
        "(1 is no change); otherwise the difference in percentage points. The verdict says "
        f"what the change's {level} interval supports: improved or worsened (increased or "
        "decreased for the BME share) when it excludes no change, no clear change when it "
        "does not, not tested when there is no comparable earlier year."
    )
    if symbol:
        text += (
            f" {symbol}: withheld by disclosure control (a change is published only where "
            "both years are)."
        )
    return text


def _in_sentence(name: str) -> str:
    """A name inside a sentence: its first letter in lower case unless it is an acronym."""
    return name if name[1:2].isupper() else name[:1].lower() + name[1:]


def _named(rows: pd.DataFrame) -> str:
    return listed([f"{r.indicator} ({_in_sentence(INDICATORS[r.indicator].short_name)})"
                   if r.indicator in INDICATORS else str(r.indicator)
                   for r in rows.itertuples(index=False)])


def change_sentences(summary: pd.DataFrame, symbol: str) -> list[str]:
    """Three to five sentences on what changed for real since the previous year, from the
    summary's (published) rows: only a verdict its interval supports is called a change.

    ``summary`` is :func:`wres_analysis.tables.summary.summary_rows` as published (withheld
    values are ``symbol``)."""
    current = summary[summary["role"] == "this year"].copy()
    current["indicator"] = current["indicator"].astype(str)
    verdicts = current["verdict"].astype(object).where(current["verdict"].notna(), NOT_TESTED)
    sentences: list[str] = []
    for verdict, phrase in (("worsened", "worsened"), ("improved", "improved")):
        rows = current[verdicts == verdict]
        if rows.empty:
            continue
        details = []
        for r in rows.itertuples(index=False):
            details.append(
                f"indicator {r.indicator} from {format_value(_previous(summary, r), r.measure)} "
                f"to {format_value(r.estimate, r.measure)}"
            )
        plural = "s" if len(rows) > 1 else ""
        sentences.append(
            f"Indicator{plural} {_named(rows)} {phrase} since the previous year, and the "
            f"interval of {'each' if plural else 'the'} change excludes no change: "
            f"{'; '.join(details)}."
        )
    for verdict in ("increased", "decreased"):
        rows = current[verdicts == verdict]
        if not rows.empty:
            r = rows.iloc[0]
            sentences.append(
                f"The BME share of the workforce (indicator {r['indicator']}) {verdict}, "
                f"from {format_value(_previous(summary, r), r['measure'])} to "
                f"{format_value(r['estimate'], r['measure'])}."
            )
    steady = current[verdicts == "no clear change"]
    if not steady.empty:
        plural = len(steady) > 1
        sentences.append(
            f"Indicator{'s' if plural else ''} {listed(list(steady['indicator']))} "
            f"show{'' if plural else 's'} no clear change: the interval of "
            f"{'each' if plural else 'the'} change includes no change."
        )
    withheld = current[verdicts == symbol]
    if not withheld.empty:
        sentences.append(
            f"The change of indicator{'s' if len(withheld) > 1 else ''} "
            f"{listed(list(withheld['indicator']))} is withheld: a figure of one of the two "
            "years is withheld by disclosure control."
        )
    untested = current[verdicts == NOT_TESTED]
    if not untested.empty:
        sentences.append(
            f"Indicator{'s' if len(untested) > 1 else ''} {listed(list(untested['indicator']))} "
            f"{'have' if len(untested) > 1 else 'has'} no tested change (no comparable earlier "
            "year, or a year without an interval)."
        )
    if not sentences:
        sentences.append("No indicator has a value this year.")
    return sentences


def _previous(summary: pd.DataFrame, row) -> object:
    indicator = row["indicator"] if isinstance(row, pd.Series) else row.indicator
    found = summary[(summary["role"] == "previous year")
                    & (summary["indicator"].astype(str) == str(indicator))]
    return found["estimate"].iloc[0] if not found.empty else None


def status_text(status: str) -> str:
    """An action's status as shown: "On track", "At risk"."""
    return status[:1].upper() + status[1:]


def actions_text(statuses: list[str]) -> str:
    """An indicator's actions in a summary cell, by status in words: "2 actions: 1 done,
    1 at risk"; "" for none."""
    if not statuses:
        return ""
    counts: dict[str, int] = {}
    for status in statuses:
        counts[status] = counts.get(status, 0) + 1
    parts = ", ".join(f"{n} {status}" for status, n in counts.items())
    total = len(statuses)
    return f"{total} action{'s' if total != 1 else ''}: {parts}"


def action_plan_introduction(name: str, count: int, synthetic: bool) -> str:
    """The action-plan chapter's opening sentence."""
    text = (
        f"{name}'s action plan: {count} action{'s' if count != 1 else ''}, each with the "
        "indicator it addresses, who leads it, when it is due and how it stands. Statuses are "
        "as the organisation reported them."
    )
    if synthetic:
        text += " The actions are SYNTHETIC demo data, written for no real organisation."
    return text
