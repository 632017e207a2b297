"""Sentences about what the organisations' intervals show: ranges with evidence, the share
within the range equality would give, directional significance, and crude against
Mantel-Haenszel. Every level and range is written from the values in force."""

from __future__ import annotations

import re

import pandas as pd

from wres_analysis.indicators.declarations import declared
from wres_analysis.indicators.evidence import (
    WITHIN_TARGET,
    Directions,
    ExpectedWithin,
    PooledNational,
)
from wres_analysis.stats import equivalence_confidence
from wres_analysis.text.formatting import confidence_text, interval_text, range_text
from wres_analysis.text.readings import withheld_text

__all__ = [
    "directional_reading",
    "expected_within_reading",
    "methods_ranges_text",
    "pooled_reading",
    "pooled_table_title",
    "range_evidence_note",
    "range_evidence_reading",
    "range_evidence_title",
    "range_labels_explained",
]


def _share(count: int, total: int) -> str:
    return f"{100 * count / total:.0f}%" if total else "no"


def _organisations(count: int) -> str:
    return f"{count} organisation{'s' if count != 1 else ''}"


def range_labels_explained(band: tuple[float, float], confidence: float) -> str:
    """The three-way evidence label in plain words, for the methods chapter and the chapters
    that count it."""
    level = confidence_text(confidence)
    equivalence = confidence_text(equivalence_confidence(confidence))
    return (
        f"Each relative likelihood gets two labels. The first places the figure itself below, "
        f"within or above the non-adverse range ({range_text(band)}). The second says what "
        f"the data can show: *clearly above* or *clearly below* when the whole {level} "
        f"confidence interval lies beyond the range; *shown within* when the {equivalence} "
        f"interval lies inside it (two one-sided tests, each at the "
        f"{confidence_text(1 - confidence)} level, show the figure is neither below nor above "
        f"the range); and *cannot tell* otherwise, when the interval reaches both into and "
        f"out of the range. A figure inside the range with a wide interval is *cannot tell*: "
        f"being within the range needs as much evidence as being outside it."
    )


def range_evidence_reading(
    counts: pd.DataFrame, year: int, band: tuple[float, float], confidence: float
) -> str:
    """England's row of :func:`~wres_analysis.indicators.evidence.range_evidence_counts` in
    words: how many organisations are shown within, clearly outside, or cannot be told."""
    row = counts[counts["level"] == "national"].iloc[0]
    withheld = int(row.get("withheld", 0))
    left_off = f" {withheld_text(withheld)}" if withheld else ""
    total = int(row["organisations"]) - int(row["not defined"]) - withheld
    if total <= 0:
        return f"No organisation had a published relative likelihood in {year}.{left_off}"
    within, above, below, unsure = (
        int(row[c]) for c in ("shown within", "clearly above", "clearly below", "cannot tell")
    )
    return (
        f"What the intervals show in {year}: of {total} organisations, {within} "
        f"({_share(within, total)}) are shown to be within the non-adverse range of "
        f"{range_text(band)}, {above} ({_share(above, total)}) are clearly above it and "
        f"{below} ({_share(below, total)}) clearly below it; for {unsure} "
        f"({_share(unsure, total)}) the data cannot tell. {int(row['within'])} organisations' "
        f"point estimates are within the range, but a point estimate within the range is not "
        f"evidence of being within it.{left_off} {range_labels_explained(band, confidence)}"
    )


def expected_within_reading(expected: ExpectedWithin, *, target: float = WITHIN_TARGET) -> str:
    """The share of organisations equality would put within the range, against the observed
    share and the national target."""
    if not expected.organisations:
        return ""
    share = f"{100 * expected.expected:.0f}%"
    if expected.organisations > expected.withheld:
        observed = f"{100 * expected.observed:.0f}%"
        among = (
            f" of the {expected.organisations - expected.withheld} organisations whose figure "
            f"is published" if expected.withheld else ""
        )
        actual = f" ({observed}{among} are within it in {expected.year})"
    else:
        actual = ""
    text = (
        f"If every organisation treated both groups exactly alike, with the national rate of "
        f"{100 * expected.rate:.2f}% for both, an exact binomial calculation at each "
        f"organisation's own group sizes gives {share} of organisations within "
        f"{range_text(expected.band)} on average, by chance alone{actual}."
    )
    if expected.withheld:
        text += f" {withheld_text(expected.withheld)}"
    if expected.expected < target:
        text += (
            f" So a target of {100 * target:.0f}% of trusts within the range cannot be met by "
            f"counting point estimates, even if every trust were perfectly fair: with so few "
            f"events per trust, {expected.below_half} of the {expected.organisations} "
            f"organisations would be more likely than not to land outside the range by chance. "
            f"Counting organisations *shown within* the range, or pooling years, measures "
            f"progress honestly."
        )
    else:
        text += (
            " At these sizes chance alone rarely moves a point estimate out of the range, so "
            "the count of organisations within it mostly reflects real differences."
        )
    return text


_LIKELIHOOD = re.compile(
    r"^(?P<first>\w+) (?P<who>.+?) were \{value\} times as likely as (?P<second>\w+) "
    r"(?P<who2>.+?) (?P<what>to .+)$"
)


def _group(name: str) -> str:
    return "white" if name.lower() == "white" else name


def directional_reading(directions: Directions) -> str:
    """Organisations split by the direction of a statistically clear difference, as NHS
    England words it ("at 80% of trusts white applicants were significantly more likely to
    be appointed"), with the intervals' level."""
    item = declared(directions.indicator)
    total = directions.organisations
    left_off = f" {withheld_text(directions.withheld)}" if directions.withheld else ""
    if not total:
        return (
            f"No organisation had a published figure for indicator {item.id} in "
            f"{directions.year}.{left_off}"
        )
    level = confidence_text(directions.confidence, default=0.95)
    if item.kind == "relative_likelihood":
        match = _LIKELIHOOD.match(item.statement)
        if match:
            first = f"{_group(match['first'])} {match['who']}"
            second = f"{_group(match['second'])} {match['who2']}"
            what = match["what"]
        else:  # a declaration worded otherwise: name the groups plainly
            first, second, what = item.first, "the other group", f"on indicator {item.id}"
        # adverse side above 1 favours the group named first for 2 and 4 (and means more
        # BME staff entering the process for 3): say it in the declaration's own terms
        high, low = (directions.adverse_clear, directions.favourable_clear)
        if item.adverse == "below":
            high, low = low, high
        rest = total - high - low
        return (
            f"At {high} of {total} organisations ({_share(high, total)}) {first} were "
            f"significantly more likely than {second} {what}, and at {low} "
            f"({_share(low, total)}) {second} were significantly more likely than {first}; "
            f"at the other {rest} ({_share(rest, total)}) the difference could be chance "
            f"(significant: the {level} interval excludes 1).{left_off}"
        )
    worse, clear = directions.adverse, directions.adverse_clear
    better, better_clear = directions.favourable, directions.favourable_clear
    side = "higher" if item.adverse == "above" else "lower"
    return (
        f"Indicator {item.id} ({item.short_name.lower()}): BME staff fared worse than white "
        f"staff (a {side} percentage) at {worse} of {total} organisations "
        f"({_share(worse, total)}), significantly so at {clear} ({_share(clear, total)}; the "
        f"{level} interval of the gap excludes 0). They fared better at {better} "
        f"({_share(better, total)}), significantly so at {better_clear}.{left_off}"
    )


def pooled_reading(pooled: PooledNational) -> str:
    """The crude and Mantel-Haenszel national ratios side by side, what their difference
    means, and whether the organisations' ratios differ more than chance explains."""
    rows = pooled.table.set_index("ratio")
    crude, mh = rows.loc["crude"], rows.loc["mantel-haenszel"]
    ci = interval_text(mh["lower"], mh["upper"], "relative_likelihood", mh["confidence"])
    text = (
        f"The national relative likelihood, {crude['estimate']:.2f}, compares the two groups' "
        f"national rates (counts summed over all organisations). The Mantel-Haenszel ratio, "
        f"{mh['estimate']:.2f} ({ci}, Greenland-Robins), compares the groups within each "
        f"organisation and then averages over the {pooled.strata} organisations. "
    )
    apart = crude["lower"] > mh["upper"] or crude["upper"] < mh["lower"]
    if apart and crude["estimate"] > mh["estimate"]:
        text += (
            "The national figure is higher and the two intervals do not overlap: part of the "
            "national gap comes from where the two groups are (in organisations whose rates "
            "differ for everyone), not from differences within organisations."
        )
    elif apart:
        text += (
            "The national figure is lower and the two intervals do not overlap: within the "
            "same organisation the gap is wider than the national rates show, because the "
            "groups are spread differently across organisations whose rates differ for "
            "everyone."
        )
    else:
        text += (
            "Their intervals overlap: where the two groups work makes no clear difference to "
            "the comparison."
        )
    het = pooled.heterogeneity
    # the test is read at the level of the report's intervals (5% for 95% intervals)
    if het.df >= 1 and het.q == het.q:
        p = "below 0.001" if het.p_value < 0.001 else f"{het.p_value:.3f}"
        text += (
            f" Cochran's Q test of one common ratio in every organisation: Q = {het.q:.1f} on "
            f"{het.df} degrees of freedom, p {'' if p.startswith('below') else '= '}{p}; "
            f"I² = {100 * het.i_squared:.0f}%, the share of the variation between "
            f"organisations' ratios beyond what chance would give. "
        )
        text += (
            "The organisations' ratios differ, so the Mantel-Haenszel ratio is an average of "
            "different ratios, not one ratio every organisation shares."
            if het.p_value < 1 - float(mh["confidence"])
            else "There is no clear evidence that the organisations' ratios differ."
        )
    return text


def range_evidence_title(indicator: str, year: int) -> str:
    """The title of the table of organisations by both range labels."""
    return (
        f"Organisations by the non-adverse range: point estimate and what the interval shows "
        f"(indicator {indicator}), England, by region and by type of trust, {year}"
    )


def range_evidence_note(band: tuple[float, float], confidence: float) -> str:
    """The note under that table: what each column counts."""
    equivalence = confidence_text(equivalence_confidence(confidence))
    return (
        f"Counts of organisations. below / within / above: the point estimate against "
        f"{range_text(band)}. clearly below / clearly above: the whole "
        f"{confidence_text(confidence)} interval is beyond the range. shown within: the "
        f"{equivalence} interval lies inside it (two one-sided tests). cannot tell: the "
        f"interval reaches into and out of the range. not defined: no events in either group."
    )


def pooled_table_title(indicator: str, year: int) -> str:
    """The title of the crude and Mantel-Haenszel table."""
    return (
        f"Relative likelihood (indicator {indicator}), England, {year}: crude (national rates) "
        f"and Mantel-Haenszel (within organisations)"
    )


def methods_ranges_text(band: tuple[float, float], confidence: float) -> str:
    """The methods chapter's paragraphs on the range labels, rank intervals and the pooled
    national ratio, in plain words."""
    level = confidence_text(confidence)
    return "\n\n".join(
        [
            "**The non-adverse range, with evidence.** "
            f"{range_labels_explained(band, confidence)} If every organisation treated both "
            "groups alike, chance alone would still put some point estimates outside the "
            "range, most often where events are rare (entering the disciplinary process). "
            "Each relative-likelihood chapter gives the share of organisations one would "
            "expect within the range under perfect equality, from an exact binomial "
            "calculation at each organisation's own group sizes. Counts of organisations by "
            "label (and by the direction of a significant difference) leave out organisations "
            "whose figure disclosure control withholds, and say how many: counted by its "
            "label, a withheld organisation's label could be found by subtracting the others'.",
            f"**Significant differences by direction.** An organisation's difference is "
            f"significant when its {level} interval excludes equality (1 for a relative "
            f"likelihood, 0 for a gap); the chapters count such organisations separately for "
            f"each direction.",
            f"**Ranks.** An organisation's report ranks its relative likelihood among all "
            f"organisations with a defined one (1st = highest) and gives a {level} rank "
            f"interval: the places it could take once every organisation's figure is allowed "
            f"its sampling error (simulated from each group's Jeffreys distribution; Goldstein "
            f"and Spiegelhalter 1996). When the interval spans more than half of the "
            f"organisations the report says the rank says little. No rank is given for a figure "
            f"that disclosure control withholds.",
            "**England two ways.** The national relative likelihood compares national rates "
            "(counts summed over organisations). The Mantel-Haenszel ratio compares the two "
            "groups within each organisation and then averages (Greenland-Robins interval); "
            "Cochran's Q tests whether all organisations share one ratio. A difference between "
            "the two says that part of the national figure comes from where each group works.",
        ]
    )
