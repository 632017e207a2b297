"""The nine WRES indicators, at every level, for every year of a dataset.

Each function returns a long table with the columns of
:data:`wres_analysis.indicators.frame.INDICATOR_COLUMNS`; definitions and formulas are in
``docs/methodology.md`` and the primer.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd

from wres_analysis.contract import (
    BAND_CLUSTERS,
    COMPARED_GROUPS,
    GRADES_SENIOR,
    NON_ADVERSE_RANGE,
    OCCUPATIONS,
    SEX_NOT_KNOWN,
    SEXES,
)
from wres_analysis.data import Dataset
from wres_analysis.indicators.declarations import INDICATORS, Indicator
from wres_analysis.indicators.frame import (
    ALL_SEXES,
    HEADLINE_GROUP,
    comparison_rows,
    finish,
    share_rows,
)
from wres_analysis.indicators.levels import (
    LEVELS,
    organisation_attributes,
    sum_by_level,
    with_organisation,
)
from wres_analysis.stats.difference import DEFAULT_DIFFERENCE_METHOD
from wres_analysis.stats.ratio import DEFAULT_RATIO_METHOD

__all__ = [
    "JOB_INDICATORS",
    "RELATIVE_LIKELIHOODS",
    "SENIOR_BREAKDOWN",
    "SURVEY_BREAKDOWNS",
    "RelativeLikelihoodSpec",
    "board_indicator",
    "compute_indicators",
    "job_breakdown_mask",
    "pooled_years",
    "relative_likelihood_indicator",
    "survey_indicator",
    "workforce_indicator",
]

SENIOR_BREAKDOWN = "Band 8a and above"
ALL_STAFF = "all staff"
GAP_BREAKDOWN = "Band 8a and above minus all staff"


@dataclass(frozen=True)
class RelativeLikelihoodSpec:
    """How a relative likelihood is formed from its table (a view of its declaration)."""

    table: str
    numerator: str
    denominator: str
    first: str
    breakdown: str

    @classmethod
    def of(cls, indicator: Indicator) -> RelativeLikelihoodSpec:
        """The spec of a declared relative likelihood."""
        if indicator.kind != "relative_likelihood" or indicator.numerator is None:
            raise ValueError(f"indicator {indicator.id} is not a relative likelihood")
        return cls(
            indicator.table,
            indicator.numerator,
            indicator.denominator,
            indicator.first,
            indicator.headline_breakdown,
        )


def _relative_likelihoods() -> dict[str, RelativeLikelihoodSpec]:
    return {
        key: RelativeLikelihoodSpec.of(item)
        for key, item in INDICATORS.items()
        if item.kind == "relative_likelihood"
    }


#: The relative likelihoods (indicators 2-4), from their declarations.
RELATIVE_LIKELIHOODS: dict[str, RelativeLikelihoodSpec] = _relative_likelihoods()

#: The staff survey indicators' breakdown labels by the survey table's indicator number.
SURVEY_BREAKDOWNS: dict[int, str] = {
    int(key): item.headline_breakdown
    for key, item in INDICATORS.items()
    if item.table == "staff_survey"
}


#: Which breakdowns to compute: none (False), every year's (True), or the given years'.
Breakdowns = bool | Collection[int]


#: The comparisons every indicator gives: (compared group, sex). BME with White for everyone
#: (today's headline rows), then each detailed group with White, then BME with White within
#: each sex. A comparison's White is everyone of the same sex that is White.
def _comparisons(breakdowns: Breakdowns) -> list[tuple[str, str]]:
    if not breakdowns:
        return [(HEADLINE_GROUP, ALL_SEXES)]
    return [
        (HEADLINE_GROUP, ALL_SEXES),
        *((group, ALL_SEXES) for group in COMPARED_GROUPS),
        *((HEADLINE_GROUP, sex) for sex in SEXES),
    ]


def _wide(
    summed: pd.DataFrame,
    numerator: str | None,
    denominator: str,
    keys: Sequence[str],
    breakdowns: Breakdowns = False,
) -> pd.DataFrame:
    """Each comparison's counts side by side: white_count, white_total, group_count,
    group_total, and ``_known`` (everyone of known ethnicity of that sex), with the
    comparison's ``ethnic_group`` and ``sex``.

    ``summed`` holds the counts by ``_eth`` (the detailed group: White, Mixed, Asian, Black,
    Other, or BME when only BME was recorded) and ``sex``. A detailed group's rows are given
    only for an area's year where every BME person counted has a detailed group (an area with
    BME people recorded only as BME has none that year: its groups would be undercounts); a
    sex's rows only where someone of that sex is counted.
    """
    index = ["year", "level", "area_code", "area_name", *keys]
    values = {"_total": summed[denominator]}
    values["_count"] = summed[numerator] if numerator is not None else summed[denominator]
    long = summed[[*index, "_eth", "sex"]].assign(**values)
    if not breakdowns:  # only the headline comparison: no need to tell groups or sexes apart
        white = (long["_eth"].astype(str) == "White").to_numpy()
        long = long.assign(_eth=np.where(white, "White", "BME"), sex=ALL_SEXES)
    wide = long.pivot_table(
        index=index,
        columns=["_eth", "sex"],
        values=["_count", "_total"],
        aggfunc="sum",
        fill_value=0,
        observed=True,
    )
    area = wide.index.to_frame(index=False)
    columns = wide.columns

    matrix = wide.to_numpy()

    def total(value: str, groups: Sequence[str] | None, sex: str) -> np.ndarray:
        """Sum of ``value`` over the detailed groups ``groups`` (None: every BME group) of
        ``sex`` (``"all"``: every sex)."""
        chosen = [
            i
            for i, c in enumerate(columns)
            if c[0] == value
            and (c[1] != "White" if groups is None else c[1] in groups)
            and (sex == ALL_SEXES or c[2] == sex)
        ]
        return matrix[:, chosen].sum(axis=1).astype(np.int64)

    parts = []
    # BME people recorded only as BME anywhere in an area's year: no detailed groups there
    unspecified = (
        pd.Series(total("_total", ["BME"], ALL_SEXES))
        .groupby([area["year"], area["level"], area["area_code"]], observed=True)
        .transform("sum")
        .to_numpy()
    )
    chosen_years = (
        np.ones(len(area), dtype=bool)
        if breakdowns is True or not breakdowns
        else area["year"].isin(list(breakdowns)).to_numpy()
    )
    for group, sex in _comparisons(breakdowns):
        members = None if group == HEADLINE_GROUP else [group]
        part = area.assign(
            ethnic_group=group,
            sex=sex,
            white_count=total("_count", ["White"], sex),
            white_total=total("_total", ["White"], sex),
            group_count=total("_count", members, sex),
            group_total=total("_total", members, sex),
        )
        part["_known"] = part["white_total"] + total("_total", None, sex)
        if group != HEADLINE_GROUP:
            part = part[(unspecified == 0) & chosen_years]
        elif sex != ALL_SEXES:
            part = part[(part["_known"] > 0).to_numpy() & chosen_years]
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


#: The indicators given by occupation and by band cluster where their table has the optional
#: ``occupation`` and ``grade`` columns (:data:`~wres_analysis.contract.JOB_COLUMNS`).
JOB_INDICATORS: tuple[str, ...] = tuple(
    key for key, item in INDICATORS.items() if item.table in ("recruitment", "disciplinary",
                                                              "training", "staff_survey")
)  # fmt: skip


def job_breakdown_mask(table: pd.DataFrame) -> np.ndarray:
    """True for an indicator table's rows by occupation or by band cluster: rows of
    :data:`JOB_INDICATORS` whose ``breakdown`` is not the indicator's headline breakdown."""
    headline = {key: INDICATORS[key].headline_breakdown for key in JOB_INDICATORS}
    expected = table["indicator"].map(headline)
    return (expected.notna() & (table["breakdown"] != expected)).to_numpy()


def _job_rows(
    frame: pd.DataFrame, breakdowns: Breakdowns, band_clusters: Mapping[str, Sequence[str]]
) -> pd.DataFrame:
    """``frame``'s rows (from :func:`_prepared`) of the ``breakdowns`` years once per job
    breakdown they count in: their occupation (``breakdown`` the occupation group), and their
    band cluster (``breakdown`` the cluster's label), ethnicity as White or BME and sex as
    everyone (the job breakdowns compare BME with White among everyone). No rows where the
    table has neither column, or without ``breakdowns``; a grade in no cluster counts in no
    band row."""
    has_occupation, has_grade = "occupation" in frame, "grade" in frame
    if not breakdowns or not (has_occupation or has_grade):
        return frame.iloc[:0].assign(breakdown=pd.Series(dtype=object))
    if breakdowns is not True:
        frame = frame[frame["year"].isin(list(breakdowns)).to_numpy()]
    kept = np.zeros(len(frame), dtype=bool)
    frame = frame.assign(
        _eth=_coarsened(frame["_eth"], kept, lambda v: "White" if v == "White" else "BME"),
        sex=_coarsened(frame["sex"], kept, lambda v: ALL_SEXES),
    )
    clusters = list(band_clusters)
    labels: list[str] = []
    parts, codes = [], []
    if has_occupation:
        occupation = pd.Categorical(frame["occupation"], categories=list(OCCUPATIONS)).codes
        chosen = occupation >= 0
        parts.append(frame[chosen])
        codes.append(occupation[chosen])
        labels.extend(OCCUPATIONS)
    if has_grade:
        cluster_of = {grade: i for i, c in enumerate(clusters) for grade in band_clusters[c]}
        cluster = frame["grade"].map(cluster_of).fillna(-1).astype(int).to_numpy()
        chosen = cluster >= 0
        parts.append(frame[chosen])
        codes.append(len(labels) + cluster[chosen])
        labels.extend(clusters)
    expanded = pd.concat(parts, ignore_index=True)
    expanded["breakdown"] = pd.Categorical.from_codes(np.concatenate(codes), labels)
    return expanded


def _prepared(dataset: Dataset, table: str, breakdowns: Breakdowns = True) -> pd.DataFrame:
    """The table's rows of known ethnicity, with each organisation's attributes, the
    detailed group ``_eth`` and ``sex`` (not known where the table has no sex column).

    Rows of a year without ``breakdowns`` are summed as White or BME, of every sex (fewer
    groups to sum: only the headline comparison is made there)."""
    frame = dataset[table]
    frame = frame[frame["ethnic_group"] != "Unknown"]
    detail = frame["ethnic_detail"] if "ethnic_detail" in frame else frame["ethnic_group"]
    frame = frame.assign(
        _eth=detail.astype(object),
        sex=frame["sex"].astype(object) if "sex" in frame else SEX_NOT_KNOWN,
    )
    frame = with_organisation(frame, dataset["organisations"])
    # Grouping keys as categories: every level groups on them, and categories group fast.
    frame = frame.astype({"_eth": "category", "sex": "category"})
    if breakdowns is True:
        return frame
    years = list(breakdowns) if breakdowns else []
    kept = frame["year"].isin(years).to_numpy()
    return frame.assign(
        _eth=_coarsened(frame["_eth"], kept, lambda v: "White" if v == "White" else "BME"),
        sex=_coarsened(frame["sex"], kept, lambda v: ALL_SEXES),
    )


def _coarsened(values: pd.Series, kept: np.ndarray, coarse) -> pd.Categorical:
    """``values`` (a categorical) where ``kept``, else ``coarse(value)``, by category codes."""
    categories = [str(c) for c in values.cat.categories]
    merged = list(dict.fromkeys([*categories, *(coarse(c) for c in categories)]))
    position = {c: i for i, c in enumerate(merged)}
    fine = np.array([position[c] for c in categories])
    rough = np.array([position[coarse(c)] for c in categories])
    codes = values.cat.codes.to_numpy()
    return pd.Categorical.from_codes(np.where(kept, fine[codes], rough[codes]), merged)


def relative_likelihood_indicator(
    dataset: Dataset,
    indicator: str,
    *,
    method: str = DEFAULT_RATIO_METHOD,
    confidence: float = 0.95,
    levels: Sequence[str] = LEVELS,
    rolling_years: int = 1,
    non_adverse: tuple[float, float] = NON_ADVERSE_RANGE,
    breakdowns: Breakdowns = False,
    band_clusters: Mapping[str, Sequence[str]] = BAND_CLUSTERS,
) -> pd.DataFrame:
    """Indicator 2, 3 or 4 (or any declared relative likelihood): the relative likelihood
    with its interval, and each group's rate, from the declaration's table and columns.

    ``rolling_years = 2`` pools each year's counts with the year before's (early guidance for
    indicator 3 used a two-year rolling average; unconfirmed today, so it is an option and off
    by default): see :func:`pooled_years`. Each row's ``years_pooled`` says how many years
    its counts span (1 without pooling).

    ``non_adverse`` is the range in force: each relative likelihood row's ``range`` and
    ``range_evidence`` are placed against it (see
    :func:`~wres_analysis.indicators.frame.comparison_rows`).

    With ``breakdowns`` each detailed group and each sex get rows too, and where the table
    has the optional ``occupation`` or ``grade`` column each occupation group and each of
    ``band_clusters`` (see :func:`compute_indicators`).
    """
    likelihoods = _relative_likelihoods()  # read when called, so a new declaration counts
    if indicator not in likelihoods:
        raise ValueError(f"indicator must be one of {sorted(likelihoods)}, got {indicator!r}")
    if rolling_years not in (1, 2):
        raise ValueError(f"rolling_years must be 1 or 2, got {rolling_years!r}")
    spec = likelihoods[indicator]
    detailed = breakdowns
    if rolling_years == 2 and breakdowns is not True and breakdowns:
        # the year before each breakdown year is pooled into it: keep its detail too
        detailed = {*breakdowns, *(year - 1 for year in breakdowns)}
    frame = _prepared(dataset, spec.table, detailed)
    counts = [spec.numerator, spec.denominator]
    if rolling_years == 2:
        frame, spans = pooled_years(frame)
    summed = sum_by_level(frame, counts, ["year", "_eth", "sex"], levels)
    wide = _wide(summed, spec.numerator, spec.denominator, [], breakdowns).assign(
        breakdown=spec.breakdown
    )
    jobs = _job_rows(frame, breakdowns, band_clusters)
    if len(jobs):
        job_sums = sum_by_level(jobs, counts, ["year", "breakdown", "_eth", "sex"], levels)
        job_wide = _wide(job_sums, spec.numerator, spec.denominator, ["breakdown"])
        wide = pd.concat([wide, job_wide], ignore_index=True)
    if rolling_years == 2:
        # An area's figure spans two years where any of its organisations brought its
        # previous year (an organisation's own row says whether it did).
        pooled = sum_by_level(spans, ["_two_years"], ["year"], levels)
        pooled["years_pooled"] = 1 + (pooled["_two_years"] > 0).astype("int64")
        wide = wide.merge(
            pooled[["year", "level", "area_code", "years_pooled"]],
            on=["year", "level", "area_code"],
            how="left",
            validate="many_to_one",
        )
    rows = comparison_rows(
        wide,
        indicator,
        first=spec.first,
        measures=("relative_likelihood", "pct_white", "pct_bme"),
        method=method,
        difference_method=DEFAULT_DIFFERENCE_METHOD,
        confidence=confidence,
        band=non_adverse,
    )
    return finish(rows)


def pooled_years(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two-year pooling of organisation-level rows: each organisation's year ``Y`` with its
    own year ``Y - 1``.

    An organisation contributes to year ``Y`` only if it reported in ``Y`` (it has a row for
    ``Y``): its ``Y - 1`` rows are added to its ``Y`` rows, and an organisation that did not
    report in ``Y`` gets no ``Y`` figure from its earlier data. Where it did not report in
    ``Y - 1`` (the first year of the data, a new organisation) its ``Y`` figure is one year
    only, and says so.

    The pooled counts are **person-years**: someone employed in both years is counted in both
    years' headcounts, so the denominator is not a number of people (see
    ``docs/methodology.md``, "Two-year pooling").

    Returns
    -------
    pooled
        ``frame``'s rows for every year, plus each organisation's previous-year rows relabelled
        as the year they are pooled into.
    spans
        One row per organisation and year it reported: ``org_code, org_name, region,
        org_type`` (and ``icb_code, icb_name`` where given), ``year`` and ``_two_years``
        (1 when its previous year is pooled in, else 0).
    """
    attributes = organisation_attributes(frame)
    reported = frame[[*attributes, "year"]].drop_duplicates()
    keys = pd.MultiIndex.from_frame(reported[["org_code", "year"]])
    earlier = frame.assign(year=frame["year"] + 1)
    pooled_in = pd.MultiIndex.from_frame(earlier[["org_code", "year"]]).isin(keys)
    earlier = earlier[pooled_in]
    previous = pd.MultiIndex.from_arrays([reported["org_code"], reported["year"] - 1])
    spans = reported.assign(_two_years=previous.isin(keys).astype("int64"))
    return pd.concat([frame, earlier], ignore_index=True), spans.reset_index(drop=True)


def _workforce_breakdowns(frame: pd.DataFrame, grade_detail: bool) -> pd.DataFrame:
    """``frame``'s rows once per breakdown they count in (all staff, their occupation, Band
    8a and above, their occupation and grade), the breakdown a categorical label."""
    occupation, occupations = pd.factorize(frame["occupation"])
    grade, grades = pd.factorize(frame["grade"])
    occupations, grades = [str(o) for o in occupations], [str(g) for g in grades]
    senior = (frame["occupation"] != "medical and dental").to_numpy() & np.isin(
        grade, [i for i, g in enumerate(grades) if g in GRADES_SENIOR]
    )
    labels = [ALL_STAFF, SENIOR_BREAKDOWN, *occupations]
    parts = [frame, frame[senior], frame]
    codes = [np.zeros(len(frame), int), np.ones(int(senior.sum()), int), 2 + occupation]
    if grade_detail:
        cell = occupation * len(grades) + grade
        present, inverse = np.unique(cell, return_inverse=True)
        parts.append(frame)
        codes.append(len(labels) + inverse)
        labels.extend(
            f"{occupations[c // len(grades)]}: {grades[c % len(grades)]}" for c in present
        )
    expanded = pd.concat(parts, ignore_index=True)
    expanded["breakdown"] = pd.Categorical.from_codes(np.concatenate(codes), labels)
    return expanded


def workforce_indicator(
    dataset: Dataset,
    *,
    confidence: float = 0.95,
    levels: Sequence[str] = LEVELS,
    grade_levels: Sequence[str] = ("national", "region", "org_type"),
    breakdowns: Breakdowns = False,
) -> pd.DataFrame:
    """Indicator 1: % BME (of known ethnicity) for all staff, each occupation group,
    Band 8a and above, and each grade (at ``grade_levels`` only), with the senior gap.

    The gap ``difference_pp`` (breakdown "Band 8a and above minus all staff") has no
    interval: the senior staff are part of the whole workforce, so the two shares are not
    independent samples; the senior share's own interval carries the uncertainty. Its count
    columns hold the senior headcounts (``white_count``, ``group_count``) and all staff's
    (``white_total``, ``group_total``), what disclosure control needs to withhold it.

    With ``breakdowns``, also each detailed group's share of staff of known ethnicity and
    the BME share within each sex (see :func:`compute_indicators`).
    """
    frame = _prepared(dataset, "workforce", breakdowns)
    parts = []
    for detail, chosen in (
        (False, [lv for lv in levels if lv not in grade_levels]),
        (True, [lv for lv in levels if lv in grade_levels]),
    ):
        if not chosen:
            continue
        expanded = _workforce_breakdowns(frame, grade_detail=detail)
        summed = sum_by_level(
            expanded, ["headcount"], ["year", "breakdown", "_eth", "sex"], chosen
        )
        parts.append(_wide(summed, None, "headcount", ["breakdown"], breakdowns))
    wide = pd.concat(parts, ignore_index=True)
    shares = share_rows(wide, "1", confidence=confidence)
    index = ["year", "level", "area_code", "area_name", "ethnic_group", "sex"]
    pivot = shares.pivot_table(index=index, columns="breakdown", values="estimate", observed=True)
    if SENIOR_BREAKDOWN in pivot and ALL_STAFF in pivot:
        gap = (pivot[SENIOR_BREAKDOWN] - pivot[ALL_STAFF]).rename("estimate").reset_index()
        gap = gap.assign(
            indicator="1",
            measure="difference_pp",
            breakdown=GAP_BREAKDOWN,
            confidence=confidence,
            method="",
        )
        # The gap's counts are the two shares' headcounts (Band 8a and above's as *_count,
        # all staff's as *_total), so disclosure control withholds the gap wherever it
        # withholds either share: the gap and one share would give the other.
        counts = ["white_count", "group_count"]
        senior = shares.loc[shares["breakdown"] == SENIOR_BREAKDOWN, index + counts]
        everyone = shares.loc[shares["breakdown"] == ALL_STAFF, index + counts].rename(
            columns={"white_count": "white_total", "group_count": "group_total"}
        )
        gap = gap.merge(senior, on=index, how="left").merge(everyone, on=index, how="left")
        shares = pd.concat([shares, gap], ignore_index=True)
    return finish(shares)


def survey_indicator(
    dataset: Dataset,
    *,
    confidence: float = 0.95,
    difference_method: str = DEFAULT_DIFFERENCE_METHOD,
    levels: Sequence[str] = LEVELS,
    breakdowns: Breakdowns = False,
    band_clusters: Mapping[str, Sequence[str]] = BAND_CLUSTERS,
) -> pd.DataFrame:
    """Indicators 5-8: % of White and of BME respondents, and the gap (BME minus White, in
    percentage points) with its interval; with ``breakdowns`` also each detailed group's
    and each sex's, and where the table has the optional ``occupation`` or ``grade``
    column each occupation group's and each band cluster's (see :func:`compute_indicators`)."""
    frame = _prepared(dataset, "staff_survey", breakdowns)
    counts = ["count", "respondents"]
    summed = sum_by_level(frame, counts, ["year", "indicator", "_eth", "sex"], levels)
    wide = _wide(summed, "count", "respondents", ["indicator"], breakdowns)
    jobs = _job_rows(frame, breakdowns, band_clusters)
    if len(jobs):
        keys = ["year", "indicator", "breakdown", "_eth", "sex"]
        job_sums = sum_by_level(jobs, counts, keys, levels)
        job_wide = _wide(job_sums, "count", "respondents", ["indicator", "breakdown"])
    parts = []
    for number, breakdown in SURVEY_BREAKDOWNS.items():
        chosen = wide[wide["indicator"] == number].drop(columns="indicator")
        chosen = chosen.assign(breakdown=breakdown)
        if len(jobs):
            mine = job_wide[job_wide["indicator"] == number].drop(columns="indicator")
            chosen = pd.concat([chosen, mine], ignore_index=True)
        if chosen.empty:
            continue
        parts.append(
            comparison_rows(
                chosen,
                str(number),
                first="BME",
                measures=("pct_white", "pct_bme", "difference_pp"),
                method="",
                difference_method=difference_method,
                confidence=confidence,
            )
        )
    return finish(pd.concat(parts, ignore_index=True))


def board_indicator(
    dataset: Dataset,
    *,
    confidence: float = 0.95,
    difference_method: str = DEFAULT_DIFFERENCE_METHOD,
    levels: Sequence[str] = LEVELS,
    breakdowns: Breakdowns = False,
) -> pd.DataFrame:
    """Indicator 9: % BME of voting, executive and all board members and of the whole
    workforce, and each board share minus the workforce share in percentage points; with
    ``breakdowns`` also each detailed group's share and within each sex the BME share.

    The difference's interval (``difference_method``) treats the board and the workforce as
    independent groups; for a board of a dozen members it is close to the board share's own
    interval, which is where nearly all the uncertainty lies.
    """
    board = _prepared(dataset, "board", breakdowns)
    members = pd.concat(
        [
            board[board["voting"]].assign(breakdown="voting board members"),
            board[board["executive"]].assign(breakdown="executive board members"),
            board.assign(breakdown="all board members"),
        ],
        ignore_index=True,
    )
    summed = sum_by_level(members, ["headcount"], ["year", "breakdown", "_eth", "sex"], levels)
    board_wide = _wide(summed, None, "headcount", ["breakdown"], breakdowns)
    staff = _prepared(dataset, "workforce", breakdowns)
    staff_summed = sum_by_level(staff, ["headcount"], ["year", "_eth", "sex"], levels)
    staff_wide = _wide(staff_summed, None, "headcount", [], breakdowns).assign(
        breakdown="workforce"
    )
    shares = share_rows(
        pd.concat([board_wide, staff_wide], ignore_index=True), "9", confidence=confidence
    )

    index = ["year", "level", "area_code", "area_name", "ethnic_group", "sex"]
    parts = [shares]
    for kind in ("voting", "executive"):
        chosen = board_wide[board_wide["breakdown"] == f"{kind} board members"]
        merged = chosen.merge(
            staff_wide[index + ["group_count", "_known"]], on=index, suffixes=("", "_staff")
        )
        pair = pd.DataFrame(
            {
                **{c: merged[c] for c in index},
                "breakdown": f"{kind} board minus workforce",
                # group 1 = the board (as "group" columns), group 2 = the workforce
                "group_count": merged["group_count"],
                "group_total": merged["_known"],
                "white_count": merged["group_count_staff"],
                "white_total": merged["_known_staff"],
            }
        )
        rows = comparison_rows(
            pair,
            "9",
            first="BME",
            measures=("difference_pp",),
            method="",
            difference_method=difference_method,
            confidence=confidence,
        )
        # The counts columns would mislabel workforce counts as White: keep board counts only.
        rows[["white_count", "white_total", "group_total"]] = pd.NA
        parts.append(rows)
    return finish(pd.concat(parts, ignore_index=True))


def _one_by_one(parts: Sequence[Callable[[], pd.DataFrame]]) -> list[pd.DataFrame]:
    return [part() for part in parts]


def compute_indicators(
    dataset: Dataset,
    *,
    method: str = DEFAULT_RATIO_METHOD,
    difference_method: str = DEFAULT_DIFFERENCE_METHOD,
    confidence: float = 0.95,
    levels: Sequence[str] = LEVELS,
    disciplinary_rolling_years: int = 1,
    non_adverse: tuple[float, float] = NON_ADVERSE_RANGE,
    run: Callable[[Sequence[Callable[[], pd.DataFrame]]], list[pd.DataFrame]] = _one_by_one,
    breakdowns: Breakdowns = False,
    band_clusters: Mapping[str, Sequence[str]] = BAND_CLUSTERS,
) -> pd.DataFrame:
    """All nine indicators for every year and level, in one long table: relative likelihoods
    with ``method``'s interval, placed against the ``non_adverse`` range (columns ``range``,
    ``range_evidence``), percentage-point gaps with ``difference_method``'s.

    The table is made of independent parts (each a call computing some indicators); ``run``
    takes them and returns their tables in the same order, by default one after another. A
    build runs some of them on a second core (:func:`wres_analysis.report.inputs.
    prepare_inputs`): the table is the same.

    Every row compares a group (``ethnic_group``) with White among people of one ``sex``:
    without ``breakdowns``, BME with White among everyone (``BME``, ``all``). With
    ``breakdowns``, also each of the 2001 census's Mixed, Asian, Black and Other groups with
    White (shares of people of known ethnicity for indicators 1 and 9, relative likelihoods
    for 2-4, percentages and gaps for 5-8), where the table records every BME person's group,
    and BME with White among women and among men (``female``, ``male``) where it records sex:
    for every year (``True``) or for the years given (a report needs its own year's).

    With ``breakdowns``, indicators 2-8 are also given by occupation group (``breakdown``
    ``clinical``, ``non-clinical``, ``medical and dental``) and by band cluster
    (``breakdown`` each label of ``band_clusters``: grade to cluster, default
    :data:`~wres_analysis.contract.BAND_CLUSTERS`), BME with White among everyone, where
    their table has the optional ``occupation`` or ``grade`` column
    (:func:`job_breakdown_mask` picks these rows).
    """
    parts = [
        partial(
            workforce_indicator,
            dataset,
            confidence=confidence,
            levels=levels,
            breakdowns=breakdowns,
        ),
        *(
            partial(
                relative_likelihood_indicator,
                dataset,
                number,
                method=method,
                confidence=confidence,
                levels=levels,
                rolling_years=disciplinary_rolling_years if number == "3" else 1,
                non_adverse=non_adverse,
                breakdowns=breakdowns,
                band_clusters=band_clusters,
            )
            for number in RELATIVE_LIKELIHOODS
        ),
        partial(
            survey_indicator,
            dataset,
            confidence=confidence,
            difference_method=difference_method,
            levels=levels,
            breakdowns=breakdowns,
            band_clusters=band_clusters,
        ),
        partial(
            board_indicator,
            dataset,
            confidence=confidence,
            difference_method=difference_method,
            levels=levels,
            breakdowns=breakdowns,
        ),
    ]
    return finish(pd.concat(run(parts), ignore_index=True))
