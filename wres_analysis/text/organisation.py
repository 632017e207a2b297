"""What an organisation's report says about each indicator: its value, whether it is in the
non-adverse range, whether the difference could be chance, and how it compares."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import numpy as np
import pandas as pd

from wres_analysis.disclosure import DisclosureRule, withheld_rows
from wres_analysis.indicators import NATIONAL_CODE
from wres_analysis.indicators.declarations import INDICATORS, NON_ADVERSE_RANGE, declared
from wres_analysis.indicators.evidence import range_evidence_of
from wres_analysis.indicators.frame import COUNT_COLUMNS, INTERVAL_COLUMNS
from wres_analysis.indicators.peers import PEER_CODE
from wres_analysis.stats import equivalence_confidence, is_significant, non_adverse
from wres_analysis.stats.funnel import FUNNEL_FDR
from wres_analysis.text.formatting import confidence_text, listed, percent_text, range_text
from wres_analysis.text.headline import (
    HEADLINES,
    HeadlineSpec,
    interval_phrase,
    pooled_phrase,
    zero_or_infinite_phrase,
)
from wres_analysis.text.readings import funnel_not_computed, parity_reading

__all__ = [
    "ORGANISATION_HEADLINE_COLUMNS",
    "comparators_note",
    "organisation_introduction",
    "peer_group_note",
    "headline_lines",
    "organisation_headline",
    "parity_gap_reading",
    "rank_statement",
    "WIDE_RANK_SHARE",
]

ORGANISATION_HEADLINE_COLUMNS = (
    "level",
    "indicator",
    "title",
    *INTERVAL_COLUMNS,
    *COUNT_COLUMNS,
    "england",
    "region",
    "icb",
    "trust_type",
    "peer_group",
    "non_adverse",
    "range_evidence",
    "clear",
    "reading",
)


class OrganisationInputs(Protocol):
    """What the readings use of an organisation's inputs (any object with these attributes,
    such as :class:`wres_analysis.report.inputs.ChapterInputs`)."""

    code: str
    name: str
    region: str
    org_type: str
    year: int
    indicators: pd.DataFrame
    funnels: Mapping[str, tuple[pd.DataFrame, pd.DataFrame]]
    comparators: Any
    is_synthetic: bool
    settings: Any  # the settings in force: confidence, disclosure rule


def _subject(indicator: str) -> str:
    """The reading's opening for a relative likelihood, with ``{v}`` for its value."""
    return declared(indicator).statement.replace("{value}", "{v}")


#: The relative likelihoods' readings' openings, from their declarations.
_SUBJECT: dict[str, str] = {
    key: _subject(key) for key, item in INDICATORS.items() if item.kind == "relative_likelihood"
}


_KEY = ("indicator", "measure", "breakdown")


def _first_rows(table: pd.DataFrame, columns: tuple[str, ...]) -> dict[tuple, int]:
    """Position in ``table`` of the first row of each combination of ``columns``' values.

    One pass over the table instead of one boolean filter per indicator and area: the first
    row found is the one ``select(...).iloc[0]`` would give.
    """
    keys = zip(*(table[c].tolist() for c in columns), strict=True)
    first: dict[tuple, int] = {}
    for position, key in enumerate(keys):
        first.setdefault(key, position)
    return first


def _comparator(
    estimates: pd.Series, first: dict[tuple, int], area: str, key: tuple[str, str, str]
) -> float:
    """The estimate of ``area``'s first row for ``key`` (NaN when it has none)."""
    position = first.get((area, *key))
    return np.nan if position is None else float(estimates.iloc[position])


def _range_phrase(
    category: str, evidence: str | None, band: tuple[float, float], confidence: float
) -> str:
    """Where the relative likelihood sits against ``band`` and what its interval shows there
    (``evidence``, :func:`~wres_analysis.indicators.evidence.range_evidence_of`): the point
    alone is no evidence of being within, above or below the range."""
    where = f"This is {category} the non-adverse range ({range_text(band)})"
    level = confidence_text(confidence)
    if evidence in ("clearly above", "clearly below"):
        side = evidence.split()[1]
        return f"{where}, and the whole {level} interval lies {side} it: clearly {side} the range."
    if evidence == "shown within":
        inner = confidence_text(equivalence_confidence(confidence))
        return (
            f"{where}, and the {inner} interval lies inside it: shown to be within the range "
            f"(two one-sided tests)."
        )
    if evidence == "cannot tell":
        if category == "within":
            return (
                f"{where}, but its interval reaches outside the range, so the data cannot tell "
                f"whether it is within the range."
            )
        return (
            f"{where}, but its {level} interval reaches into the range, so the data cannot "
            f"tell whether it is {category} the range."
        )
    return f"{where}."


def _sentence(
    spec: HeadlineSpec,
    row: pd.Series,
    band: tuple[float, float] = NON_ADVERSE_RANGE,
    table_band: tuple[float, float] | None = None,
) -> tuple[str, str, str, str]:
    """(reading, non-adverse category, range evidence, clear/could be chance) for an
    unsuppressed row; ``band`` is the non-adverse range a relative likelihood is placed
    against, ``table_band`` the one the indicator table was computed against (if known)."""
    estimate = row["estimate"]
    if pd.isna(estimate):
        return (
            "Not defined: a group had no one in it, or no events in either group.", "", "", ""
        )
    ci = interval_phrase(row)
    if spec.measure == "relative_likelihood":
        category = str(non_adverse([estimate], lower=band[0], upper=band[1]).iloc[0])
        evidence = range_evidence_of(row, spec.indicator, band, table_band=table_band)
        clear = bool(is_significant([row["lower"]], [row["upper"]], null=1.0).iloc[0])
        opening = zero_or_infinite_phrase(spec.indicator, estimate) or _subject(
            spec.indicator
        ).format(v=f"{estimate:.2f}")
        confidence = float(row["confidence"]) if pd.notna(row.get("confidence")) else 0.95
        text = (
            f"{opening} {ci}{pooled_phrase(row)}. "
            f"{_range_phrase(category, evidence, band, confidence)} "
            + (
                "Against equal likelihood, the difference is statistically clear (the "
                "interval excludes 1)."
                if clear
                else "Against equal likelihood, the difference could be chance (the interval "
                "includes 1)."
            )
        )
        return text, category, evidence or "", "clear" if clear else "could be chance"
    clear = bool(is_significant([row["lower"]], [row["upper"]], null=0.0).iloc[0])
    if spec.measure == "pct_bme":
        return (f"{estimate:.1f}% of staff of known ethnicity were BME {ci}.", "", "", "")
    what = declared(spec.indicator).difference_subject
    text = f"The {what} was {estimate:+.1f} percentage points {ci}; " + (
        "it is statistically clear." if clear else "it could be chance."
    )
    return text, "", "", "clear" if clear else "could be chance"


def organisation_headline(
    inputs: OrganisationInputs,
    rule: DisclosureRule,
    *,
    non_adverse: tuple[float, float] = NON_ADVERSE_RANGE,
) -> pd.DataFrame:
    """One row per indicator for the organisation in its report year, beside England, its
    region and its trust type, with a reading that says where a relative likelihood sits
    against the ``non_adverse`` range (``non_adverse``, the point's label) and what its
    interval shows there (``range_evidence``: clearly above or below, shown within, or
    cannot tell), and whether the difference from equality could be chance (``clear``; the
    interval's level is each row's own ``confidence``).

    A value whose counts include one the disclosure rule suppresses is not described: the
    reading says it was withheld and why (the chapter's table suppresses the value too).
    """
    table = inputs.indicators

    def where(condition: pd.Series) -> np.ndarray:
        return condition.to_numpy(dtype=bool, na_value=False)  # a filter keeps no NA row

    in_year = where(table["year"] == inputs.year)
    area, level = table["area_code"], table["level"]
    mine = table[in_year & where(area == inputs.code) & where(level == "organisation")]
    icb = getattr(inputs, "icb_code", None)  # None: the dataset names no ICBs
    peers = bool(getattr(inputs, "peer_group", ()))  # False: no peer group chosen
    areas = [NATIONAL_CODE, inputs.region, *([icb] if icb else []), inputs.org_type]
    areas += [PEER_CODE] if peers else []
    comparing = in_year & where(area.isin(areas)) & where(level != "organisation")
    others = table.loc[comparing, ["area_code", *_KEY, "estimate"]]
    # Each indicator's row and its comparators' are looked up in an index built in one pass
    # (the first matching row, as one filter per indicator and area would find it).
    own = _first_rows(mine, _KEY)
    first = _first_rows(others, ("area_code", *_KEY))
    withheld = withheld_rows(mine, rule, counts=COUNT_COLUMNS, level_column=None)
    estimates = others["estimate"]
    # the range the table's own labels were placed against, when the inputs say
    table_band = getattr(getattr(inputs, "settings", None), "non_adverse", None)
    records = []
    for spec in HEADLINES:
        key = (spec.indicator, spec.measure, spec.breakdown)
        if key not in own:
            records.append(
                {
                    "level": "organisation",
                    "indicator": spec.indicator,
                    "title": spec.title,
                    "reading": f"No data for indicator {spec.indicator} in "
                    f"{inputs.year}: the table is missing for this year.",
                }
            )
            continue
        row = mine.iloc[own[key]]
        if withheld[own[key]]:
            reading, category, evidence, clear = (
                f"Not published: a count behind this figure is between {rule.min_count} and "
                f"{rule.max_count}, and disclosure control withholds it so that no small group "
                f"of people can be identified.",
                "",
                "",
                "",
            )
        else:
            reading, category, evidence, clear = _sentence(spec, row, non_adverse, table_band)
        records.append(
            {
                "level": "organisation",
                "indicator": spec.indicator,
                "title": spec.title,
                **{c: row[c] for c in (*INTERVAL_COLUMNS, *COUNT_COLUMNS)},
                "england": _comparator(estimates, first, NATIONAL_CODE, key),
                "region": _comparator(estimates, first, inputs.region, key),
                "icb": _comparator(estimates, first, icb, key) if icb else np.nan,
                "trust_type": _comparator(estimates, first, inputs.org_type, key),
                "peer_group": _comparator(estimates, first, PEER_CODE, key) if peers else np.nan,
                "non_adverse": category,
                "range_evidence": evidence,
                "clear": clear,
                "reading": reading,
            }
        )
    absent = {"icb"} if not icb else set()
    absent |= {"peer_group"} if not peers else set()
    columns = [c for c in ORGANISATION_HEADLINE_COLUMNS if c not in absent]
    return pd.DataFrame.from_records(records, columns=columns)


def peer_group_note(inputs: OrganisationInputs, panels: Sequence[object | None]) -> str:
    """What the peer-group funnels show, or why there are none: no peer group chosen (the
    ``peer_group`` parameter or column), or too few peers with a ratio for a funnel (``panels``: one
    per indicator, None where no funnel could be drawn)."""
    peers = tuple(getattr(inputs, "peer_group", ()))
    if not peers:
        return (
            "No peer group is chosen for this report: list organisation codes under "
            "`peer_group` in the parameters file, or give the `organisations` table a "
            "`peer_group` column (organisations sharing a value are peers), to compare with "
            "organisations of your choice."
        )
    if not any(panels):
        return (
            f"The peer group ({', '.join(peers)}) has too few organisations with a ratio to "
            "draw a funnel plot."
        )
    return (
        f"Each point is an organisation of the peer group ({', '.join(peers)}); the target "
        "is the group's own ratio from its pooled counts, and the limits show how far from it "
        "an organisation of that size could lie by chance and the group's normal variation."
    )


def comparators_note(inputs: OrganisationInputs) -> str:
    """What the comparator columns of an organisation's headline table hold."""
    icb = getattr(inputs, "icb_code", None)
    peers = tuple(getattr(inputs, "peer_group", ()))
    names = ["england", "region", *(["icb"] if icb else []), "trust_type"]
    names += ["peer_group"] if peers else []
    details = [f"icb: {inputs.icb_name}"] if icb else []
    if peers:
        details.append(f"peer_group: the {len(peers)} organisations {', '.join(peers)} pooled")
    text = (
        f"{listed(names)} are the comparators' values of the same measure"
        + (f" ({'; '.join(details)})" if details else "")
        + "."
    )
    if not icb:
        text += (
            " The data name no integrated care boards (the optional icb_code and icb_name "
            "columns of organisations), so there is no ICB comparator."
        )
    return text


def headline_lines(
    headline: pd.DataFrame, indicators: tuple[str, ...] | None = None
) -> list[str]:
    """The headline readings as Markdown list lines, ``**N. Title.** reading``, of
    ``indicators`` (all when None), in the headline's order."""
    rows = headline if indicators is None else headline[headline["indicator"].isin(indicators)]
    return [
        f"**{row.indicator}. {row.title}.** {row.reading}"
        for row in rows.itertuples(index=False)
    ]


def _ordinal(number: int) -> str:
    """``1`` -> ``"1st"``, ``12`` -> ``"12th"``, ``23`` -> ``"23rd"``."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


#: A rank interval spanning more than this share of the organisations ranked is called very
#: wide: the data cannot place the organisation in the order.
WIDE_RANK_SHARE = 0.5


def rank_statement(
    inputs: OrganisationInputs, indicator: str, rule: DisclosureRule | None = None
) -> str:
    """The organisation's rank among all organisations with its rank interval, or why there
    is none.

    The rank is of the crude relative likelihood (1 = highest) among the organisations whose
    ratio is defined, with the rank interval at the report's confidence level
    (:func:`~wres_analysis.stats.rank_intervals`, carried by the funnel points). No rank is
    given when the organisation's figure is withheld by disclosure control (``rule``; by
    default the one in ``inputs.settings``), since a rank beside the published counts would
    narrow the withheld one; and the report's funnels rank only the organisations whose
    figure is published (:func:`~wres_analysis.indicators.funnel_tables` with the rule), so
    no published rank counts a withheld figure above or below it. A rank interval wider
    than :data:`WIDE_RANK_SHARE` of the organisations is said to be very wide.
    """
    if rule is None:
        rule = inputs.settings.disclosure
    if indicator not in inputs.funnels:
        return f"Not ranked. {funnel_not_computed()}"
    points, _ = inputs.funnels[indicator]
    mine = points[points["area_code"] == inputs.code]
    if mine.empty:
        return "Not ranked: its relative likelihood is not defined this year."
    row = mine.iloc[0]
    if withheld_rows(mine.iloc[:1], rule, counts=COUNT_COLUMNS, level_column=None)[0]:
        return (
            "Not ranked: its figure is withheld by disclosure control, and a rank would "
            "reveal what the control withholds."
        )
    if "rank" not in points or pd.isna(row["rank"]):
        return (
            "Not ranked: its relative likelihood is not defined this year (no events in either "
            "group)."
        )
    rank, low, high = int(row["rank"]), int(row["rank_lower"]), int(row["rank_upper"])
    count = int(row["ranked_of"])
    level = confidence_text(inputs.settings.confidence)
    unranked = int((points["relative_likelihood"].notna() & points["rank"].isna()).sum())
    among = " whose figure is published" if unranked else ""
    text = (
        f"Ranked {_ordinal(rank)} of {count} organisations{among} by this relative "
        f"likelihood (1st = highest); {level} rank interval {_ordinal(low)} to "
        f"{_ordinal(high)}."
    )
    places = high - low + 1
    if places > WIDE_RANK_SHARE * count:
        text += (
            f" The interval is very wide ({places} places of {count}): chance alone could put "
            f"this organisation almost anywhere in the order, so the rank says little."
        )
    elif bool(row.get("bh_flag", False)):
        side = "above" if row["z_adjusted"] > 0 else "below"
        text += (
            f" It lies {side} England's value by more than chance and normal variation "
            f"explain (flagged on the funnel plot at a {percent_text(FUNNEL_FDR)} false "
            f"discovery rate)."
        )
    return text


def parity_gap_reading(trajectory: pd.DataFrame, inputs: OrganisationInputs) -> str:
    """The organisation's Band 8a and above BME share against its own line to parity."""
    return parity_reading(trajectory, inputs.year, subject=inputs.name)


def organisation_introduction(inputs: OrganisationInputs) -> str:
    """Who the report is about and which year, in one paragraph."""
    kind = inputs.org_type[0].lower() + inputs.org_type[1:]
    icb = getattr(inputs, "icb_code", None)
    peers = tuple(getattr(inputs, "peer_group", ()))
    years = f"{inputs.indicators['year'].min()}-{inputs.year}"
    text = (
        f"**{inputs.name}** ({inputs.code}), a{'n' if kind[0] in 'aeiou' else ''} {kind} "
        f"trust in the {inputs.region} region. WRES report year {inputs.year}; trends cover "
        f"{years}. Comparisons are with England, the {inputs.region} region, "
        + (f"{inputs.icb_name} (its integrated care board) " if icb else "")
        + f"and all {kind} trusts"
        + (f", and its peer group of {len(peers)} organisations" if peers else "")
        + "."
    )
    if inputs.is_synthetic:
        text += " The organisation and its figures are synthetic demo data, not a real trust."
    return text
