"""Chapter inputs: everything a report's chapters need for one scope, computed once.

A report is built for a *scope*: England, or one organisation (and, once they exist, a region or
an integrated care board). The build validates the dataset once, computes every indicator once
for all the scopes it builds (:func:`prepare_inputs`), and saves one :class:`ChapterInputs` per
scope. Every chapter of that scope opens it (:func:`wres_analysis.report.chapter.open_chapter`);
no kernel loads the dataset or recomputes an indicator.

The file is a pickle: a build's private working file, never published, read back only by the
program that wrote it.
"""

from __future__ import annotations

import difflib
import pickle
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal, NamedTuple

import pandas as pd

from wres_analysis import __version__
from wres_analysis._engine.aside import aside
from wres_analysis.contract import BAND_CLUSTERS, NON_ADVERSE_RANGE
from wres_analysis.data import Dataset
from wres_analysis.data.dataset import DENOMINATORS
from wres_analysis.disclosure import DisclosureRule
from wres_analysis.indicators import (
    LEVELS,
    NATIONAL_CODE,
    NATIONAL_NAME,
    RELATIVE_LIKELIHOODS,
    compute_indicators,
    ethnic_category_shares,
    ethnic_group_trends,
    funnel_tables,
    organisations_without_bme_board_member,
    workforce_indicator,
)
from wres_analysis.indicators.changes import change_table, ordered_changes
from wres_analysis.indicators.compute import job_breakdown_mask
from wres_analysis.indicators.frame import (
    ALL_SEXES,
    HEADLINE_GROUP,
    INTERVAL_COLUMNS,
    RANGE_COLUMNS,
)
from wres_analysis.indicators.levels import organisation_attributes
from wres_analysis.indicators.peers import (
    PEER_CODE,
    peer_funnel_tables,
    peer_group_indicators,
    peer_groups,
)
from wres_analysis.methods import build_facts
from wres_analysis.quality import (
    coverage,
    missing_tables,
    unknown_ethnicity_by_year,
    validation_findings,
)
from wres_analysis.recovery import areas_of
from wres_analysis.secondary import with_secondary_suppression
from wres_analysis.stats.difference import DEFAULT_DIFFERENCE_METHOD
from wres_analysis.stats.ratio import DEFAULT_RATIO_METHOD

__all__ = [
    "INPUTS_SUFFIX",
    "ChapterInputs",
    "Funnel",
    "Provenance",
    "Scope",
    "Settings",
    "load_inputs",
    "national_scope",
    "organisation_scopes",
    "prepare_inputs",
    "resolve_organisations",
    "split_breakdowns",
]

INPUTS_SUFFIX = ".wres-inputs.pkl"

ScopeLevel = Literal["national", "organisation"]


@dataclass(frozen=True)
class Scope:
    """What a report is about: England, or one organisation with its region, trust type and,
    where the dataset names it, its integrated care board (``icb_code``, ``icb_name``)."""

    level: ScopeLevel
    code: str
    name: str
    region: str | None = None
    org_type: str | None = None
    icb_code: str | None = None
    icb_name: str | None = None
    #: The organisations pooled as its peer group (``peer_group`` of the parameters, or
    #: those sharing its ``peer_group`` in the organisations table).
    peer_group: tuple[str, ...] = ()

    @property
    def comparators(self) -> list[str]:
        """Area codes a report of this scope compares with: for an organisation, England, its
        region, its ICB (where known), its type of trust and its peer group (where one is
        chosen); none for England."""
        if self.level == "national":
            return []
        icb = [self.icb_code] if self.icb_code else []
        peers = [PEER_CODE] if self.peer_group else []
        return [NATIONAL_CODE, str(self.region), *icb, str(self.org_type), *peers]

    def as_dict(self) -> dict[str, str | None]:
        """The manifest's ``scope`` entry."""
        return {
            "level": self.level,
            "code": self.code,
            "name": self.name,
            "region": self.region,
            "org_type": self.org_type,
            **({"icb_code": self.icb_code, "icb_name": self.icb_name} if self.icb_code else {}),
        }


def national_scope() -> Scope:
    """England."""
    return Scope("national", NATIONAL_CODE, NATIONAL_NAME)


@dataclass(frozen=True)
class Settings:
    """The parameters in force for a report: every computed figure, sentence and label
    follows them."""

    year: int
    confidence: float = 0.95
    interval_method: str = DEFAULT_RATIO_METHOD
    difference_method: str = DEFAULT_DIFFERENCE_METHOD
    disclosure: DisclosureRule = field(default_factory=DisclosureRule)
    non_adverse: tuple[float, float] = NON_ADVERSE_RANGE
    #: Years pooled for indicator 3: 1, or 2 for each year with the one before
    #: (:func:`~wres_analysis.indicators.compute.pooled_years`).
    disciplinary_rolling_years: int = 1
    #: How the funnels estimate overdispersion: "consistent" or "funnelplotr"
    #: (:data:`~wres_analysis.stats.funnel.OVERDISPERSION_METHODS`).
    funnel_overdispersion: str = "consistent"
    #: Organisation reports: the organisations pooled as a peer group comparator
    #: (:mod:`wres_analysis.indicators.peers`); empty for none.
    peer_group: tuple[str, ...] = ()
    #: The band clusters of indicators 2-8 (label to grades;
    #: :data:`~wres_analysis.contract.BAND_CLUSTERS` by default).
    band_clusters: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: dict(BAND_CLUSTERS)
    )


@dataclass(frozen=True)
class Provenance:
    """Where the data came from: for the manifest and the methods chapter."""

    source: str
    synthetic: bool
    fingerprint: str
    files: dict[str, dict[str, str]]
    years: tuple[int, ...]
    package_version: str = __version__
    organisations: int = 0  # organisations in the dataset (bounds counts of organisations)
    records: int = 0  # rows of every table of the dataset (bounds counts of rows and cells)

    @classmethod
    def of(cls, dataset: Dataset) -> Provenance:
        """The provenance of a validated dataset (its files were hashed when it was loaded)."""
        files = {
            name: {"path": str(path), "sha256": dataset.file_hashes[Path(path).name]}
            for name, path in sorted(dataset.files.items())
        }
        return cls(
            source=str(dataset.source),
            synthetic=bool(dataset.is_synthetic),
            fingerprint=str(dataset.fingerprint),
            files=files,
            years=tuple(dataset.years),
            organisations=len(dataset.tables.get("organisations", ())),
            records=sum(len(frame) for frame in dataset.tables.values()),
        )


class Funnel(NamedTuple):
    """A relative likelihood's funnel plot: every organisation's point, and the limit curves."""

    points: pd.DataFrame
    limits: pd.DataFrame


@dataclass(frozen=True)
class ChapterInputs:
    """One scope's report inputs for one report year.

    Attributes
    ----------
    scope
        What the report is about.
    settings
        The parameters in force (year, confidence, interval method, disclosure rule,
        non-adverse range).
    provenance
        The dataset's source, fingerprint and files.
    indicators
        The long indicator table (every year up to the report year): for England, every
        level; for an organisation, its own rows (with grade detail for indicator 1) and its
        comparators'.
    funnels
        Indicator ("2", "3", "4") to its :class:`Funnel` in the report year, where one can be
        drawn.
    tables
        Other named tables the chapters show (data quality, boards without a BME member, build
        facts), unrounded: chapters apply disclosure control when they publish.
    peer_funnels
        The peer group's funnels, where one is chosen (see :data:`Settings.peer_group`).
    changes
        Every tested change between years of ``indicators``' rows
        (:func:`wres_analysis.indicators.changes.change_table`), unrounded and without
        disclosure control; None when not computed (then computed from ``indicators`` when
        asked for).
    breakdowns
        The indicator rows of the same areas that compare a detailed ethnic group (Mixed,
        Asian, Black, Other) with White, or BME with White within one sex
        (:func:`~wres_analysis.indicators.compute_indicators` with ``breakdowns``);
        ``indicators`` holds the BME-with-White rows of everyone. Empty when not computed.
    """

    scope: Scope
    settings: Settings
    provenance: Provenance
    indicators: pd.DataFrame
    funnels: Mapping[str, Funnel] = field(default_factory=dict)
    tables: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    changes: pd.DataFrame | None = None
    breakdowns: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Indicator ("2", "3", "4") to the peer group's funnel (target: the group's pooled
    #: ratio), where a peer group is chosen and a funnel can be drawn.
    peer_funnels: Mapping[str, Funnel] = field(default_factory=dict)

    @property
    def year(self) -> int:
        return self.settings.year

    @property
    def is_synthetic(self) -> bool:
        return self.provenance.synthetic

    @property
    def code(self) -> str:
        return self.scope.code

    @property
    def name(self) -> str:
        return self.scope.name

    @property
    def region(self) -> str | None:
        return self.scope.region

    @property
    def org_type(self) -> str | None:
        return self.scope.org_type

    @property
    def icb_code(self) -> str | None:
        return self.scope.icb_code

    @property
    def icb_name(self) -> str | None:
        return self.scope.icb_name

    @property
    def peer_group(self) -> tuple[str, ...]:
        return self.scope.peer_group

    @property
    def comparators(self) -> list[str]:
        return self.scope.comparators

    def save(self, path: Path) -> Path:
        """Write the inputs (a build's private working file, never published)."""
        path = Path(path)
        if not path.name.endswith(INPUTS_SUFFIX):
            raise ValueError(f"path must end with {INPUTS_SUFFIX!r}, got {path.name!r}")
        path.write_bytes(pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL))
        return path


def load_inputs(path: str | Path) -> ChapterInputs:
    """Read inputs written by :meth:`ChapterInputs.save` in the same build."""
    inputs = pickle.loads(Path(path).read_bytes())
    if not isinstance(inputs, ChapterInputs):
        raise TypeError(f"{path} is not a wres-analysis chapter inputs file")
    return inputs


def resolve_organisations(
    dataset: Dataset, requested: Sequence[str], year: int | None = None
) -> list[str]:
    """The organisation codes to build: ``["all"]`` means every organisation reporting in
    ``year`` (or in any year); otherwise the given codes, case and spaces ignored.

    Raises
    ------
    ValueError
        For an unknown code, listing the closest codes and names.
    """
    organisations = dataset["organisations"]
    if year is not None:
        reporting = set(dataset["workforce"].loc[dataset["workforce"]["year"] == year, "org_code"])
    else:
        reporting = set(organisations["org_code"])
    if [r.strip().casefold() for r in requested] == ["all"]:
        return sorted(reporting)
    codes = list(organisations["org_code"])
    names = dict(zip(organisations["org_name"].str.casefold(), codes, strict=True))
    chosen: list[str] = []
    for raw in requested:
        code = raw.strip().upper()
        if code in codes:
            if year is not None and code not in reporting:
                raise ValueError(f"organisation {code} did not report in {year}")
            if code not in chosen:
                chosen.append(code)
            continue
        near_codes = difflib.get_close_matches(code, codes, n=3, cutoff=0.5)
        query = raw.strip().casefold()
        near_names = [names[n] for n in difflib.get_close_matches(query, names, n=3)]
        near_names += [code for name, code in names.items() if query and query in name][:5]
        suggestions = list(dict.fromkeys(near_codes + near_names))
        label = {c: n for c, n in zip(codes, organisations["org_name"], strict=True)}
        hint = (
            "; close matches: " + ", ".join(f"{c} ({label[c]})" for c in suggestions)
            if suggestions
            else ""
        )
        raise ValueError(f"unknown organisation code {raw!r}{hint}")
    return chosen


def organisation_scopes(dataset: Dataset, codes: Sequence[str]) -> list[Scope]:
    """The scopes of the organisations ``codes``, as the dataset names them."""
    table = dataset["organisations"].set_index("org_code")
    icbs = "icb_code" in table

    def icb(code: str, column: str) -> str | None:
        return str(table.at[code, column]) if icbs else None

    return [
        Scope(
            "organisation",
            code,
            str(table.at[code, "org_name"]),
            region=str(table.at[code, "region"]),
            org_type=str(table.at[code, "org_type"]),
            icb_code=icb(code, "icb_code"),
            icb_name=icb(code, "icb_name"),
        )
        for code in codes
    ]


def prepare_inputs(
    dataset: Dataset, settings: Settings, scopes: Sequence[Scope]
) -> dict[str, ChapterInputs]:
    """Every scope's chapter inputs from one pass over the dataset; scope code to inputs.

    ``dataset`` is the whole validated dataset; the report for ``settings.year`` sees no
    later year.

    Raises
    ------
    ValueError
        When ``settings.year`` is not a report year of the dataset, naming the years it has.
    """
    if settings.year not in dataset.years:
        raise ValueError(
            f"year {settings.year} is not in the dataset; it has report years "
            f"{', '.join(map(str, dataset.years))}"
        )
    data = dataset.up_to(settings.year)
    provenance = Provenance.of(data)
    table = compute_indicators(
        data,
        method=settings.interval_method,
        difference_method=settings.difference_method,
        confidence=settings.confidence,
        levels=LEVELS,
        non_adverse=settings.non_adverse,
        disciplinary_rolling_years=settings.disciplinary_rolling_years,
        run=_on_two_cores,
        breakdowns=(settings.year,),
        band_clusters=settings.band_clusters,
    )
    table, breakdowns = split_breakdowns(table)
    detail = _grade_detail(data, settings)
    national = next((s for s in scopes if s.level == "national"), None)
    # England's own tables on a second core while this one runs the secondary search
    # (nothing in them depends on the cells it withholds).
    england = aside(_england_tables, data, settings, provenance, table) if national else None
    settings = _with_secondary(data, settings, table, breakdowns, detail)
    # The funnels on a second core, while this one computes the rest from the same table.
    pending = aside(_funnels, table, settings)
    try:
        prepared: dict[str, ChapterInputs] = {}
        if national is not None and england is not None:
            tables, changes = england.result()
            prepared[national.code] = ChapterInputs(
                national, settings, provenance, table, pending.result(), tables, changes,
                breakdowns,
            )
        organisations = [s for s in scopes if s.level == "organisation"]
        if organisations:
            groups = peer_groups(
                data["organisations"], [s.code for s in organisations], settings.peer_group
            )
            peers: dict[tuple[str, ...], tuple[pd.DataFrame, dict[str, Funnel]]] = {}
            for codes in dict.fromkeys(g for g in groups.values() if g):
                rows = peer_group_indicators(
                    data,
                    codes,
                    method=settings.interval_method,
                    difference_method=settings.difference_method,
                    confidence=settings.confidence,
                    non_adverse=settings.non_adverse,
                    disciplinary_rolling_years=settings.disciplinary_rolling_years,
                )
                peers[codes] = (rows, _funnels(table, settings, rows, codes))
            organisations = [replace(s, peer_group=groups[s.code]) for s in organisations]
            prepared.update(
                _organisation_inputs(
                    data,
                    settings,
                    provenance,
                    table,
                    pending.result,
                    organisations,
                    breakdowns,
                    peers,
                    detail,
                )
            )
        return prepared
    finally:
        pending.cancel()
        if england is not None:
            england.cancel()


def _england_tables(
    data: Dataset, settings: Settings, provenance: Provenance, table: pd.DataFrame
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """The national report's own tables (data quality, boards, build facts, the ethnic
    categories and detailed groups' trends) and the changes of its indicator table."""
    tables = {
        **_national_tables(data, settings.year),
        "build_facts": build_facts(provenance),
        "ethnic_categories": ethnic_category_shares(
            data, settings.year, confidence=settings.confidence
        ),
        "ethnic_group_trends": ethnic_group_trends(data, confidence=settings.confidence),
    }
    return tables, change_table(table)


def _grade_detail(data: Dataset, settings: Settings) -> pd.DataFrame:
    """Indicator 1 of every organisation with grade detail (bands), as organisation reports
    show it."""
    return workforce_indicator(
        data,
        confidence=settings.confidence,
        levels=("organisation",),
        grade_levels=("organisation",),
    )


def _with_detail(table: pd.DataFrame, detail: pd.DataFrame) -> pd.DataFrame:
    """``table`` with its organisations' indicator 1 rows replaced by ``detail``'s."""
    return pd.concat(
        [table[~((table["indicator"] == "1") & (table["level"] == "organisation"))], detail],
        ignore_index=True,
    )


def _with_secondary(
    data: Dataset, settings: Settings, table: pd.DataFrame, breakdowns: pd.DataFrame,
    detail: pd.DataFrame,
) -> Settings:
    """``settings`` whose disclosure rule withholds the cells secondary suppression finds
    (:mod:`wres_analysis.secondary`) in everything any report of the dataset publishes: every
    level's rows, every organisation's grade detail, the breakdowns. The same cells for the
    national report and every organisation report of the year, so no two reports together
    give back what either withholds."""
    if not settings.disclosure.secondary_suppression:
        return settings
    everything = pd.concat([_with_detail(table, detail), breakdowns], ignore_index=True)
    rule = with_secondary_suppression(
        everything, settings.disclosure, derived=[*INTERVAL_COLUMNS, *RANGE_COLUMNS],
        areas=areas_of(data["organisations"]),
    )
    return replace(settings, disclosure=rule)


def _on_two_cores(parts: Sequence[Callable[[], pd.DataFrame]]) -> list[pd.DataFrame]:
    """The indicator table's parts (:func:`compute_indicators`), the first half computed in a
    forked child while this process computes the rest (the same tables as one by one)."""
    half = (len(parts) + 2) // 2
    theirs = aside(_compute, parts[:half])
    try:
        mine = _compute(parts[half:])
        return [*theirs.result(), *mine]
    finally:
        theirs.cancel()


def _compute(parts: Sequence[Callable[[], pd.DataFrame]]) -> list[pd.DataFrame]:
    return [part() for part in parts]


def split_breakdowns(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """An indicator table's rows of BME with White among everyone (the headline rows every
    chapter, change and funnel reads), and the rest (detailed groups, within each sex, and
    indicators 2-8 by occupation and by band cluster)."""
    headline = (
        (table["ethnic_group"] == HEADLINE_GROUP)
        & (table["sex"] == ALL_SEXES)
        & ~job_breakdown_mask(table)
    )
    return (
        table[headline].reset_index(drop=True),
        table[~headline].reset_index(drop=True),
    )


def _funnels(
    table: pd.DataFrame,
    settings: Settings,
    peers: pd.DataFrame | None = None,
    codes: Sequence[str] = (),
) -> dict[str, Funnel]:
    """Each relative likelihood's funnel: of every organisation against England, or (with
    ``peers``, the pooled rows of the organisations ``codes``) of the peer group's
    organisations against the group's pooled ratio."""
    funnels = {}
    for indicator in RELATIVE_LIKELIHOODS:
        options = {
            "overdispersion_method": settings.funnel_overdispersion,
            "confidence": settings.confidence,
            "rule": settings.disclosure,
        }
        try:
            if peers is None:
                tables = funnel_tables(table, indicator, settings.year, **options)
            else:
                tables = peer_funnel_tables(
                    table, peers, codes, indicator, settings.year, **options
                )
            funnels[indicator] = Funnel(*tables)
        except ValueError:  # too few organisations, or no national ratio: no funnel
            continue
    return funnels


def _national_tables(data: Dataset, year: int) -> dict[str, pd.DataFrame]:
    """The data-quality and board tables of the national report (coverage by year and table;
    unknown ethnicity in the report year), and each organisation's region and trust type
    (to count organisations by area)."""
    unknown = unknown_ethnicity_by_year(data)
    return {
        "dataset_summary": data.summary(),
        "coverage": coverage(data)
        .pivot(index="year", columns="table", values="organisations")
        .reset_index(),
        "missing_tables": missing_tables(data),
        "unknown_ethnicity": unknown[unknown["year"] == year],
        "validation_findings": validation_findings(data),
        "organisations": data["organisations"][organisation_attributes(data["organisations"])],
        "boards_without_bme_member": organisations_without_bme_board_member(
            data["board"], data["organisations"], year
        ),
    }


def _organisation_inputs(
    data: Dataset,
    settings: Settings,
    provenance: Provenance,
    table: pd.DataFrame,
    funnels: Callable[[], dict[str, Funnel]],
    scopes: Sequence[Scope],
    breakdowns: pd.DataFrame,
    peers: Mapping[tuple[str, ...], tuple[pd.DataFrame, dict[str, Funnel]]] | None = None,
    detail: pd.DataFrame | None = None,
) -> dict[str, ChapterInputs]:
    """Each organisation's own rows (with grade detail for indicator 1; ``detail``, computed
    when None) and its comparators', its peer group's (``peers``: each group's pooled rows and
    funnels, by its codes), and the same areas' breakdown rows; ``funnels()`` gives the
    funnels (asked for once everything else is computed)."""
    peers = peers or {}
    table = _with_detail(table, _grade_detail(data, settings) if detail is None else detail)
    year = settings.year
    unknown = dict(tuple(_unknown_by_organisation(data, year).groupby("org_code")))
    years = _years_by_organisation(data)
    gaps = missing_tables(data)
    by_area = dict(tuple(table.groupby("area_code", sort=False)))
    breakdowns_by_area = dict(tuple(breakdowns.groupby("area_code", sort=False)))
    # the changes of every area these reports show, computed once for all of them
    shown = list(dict.fromkeys(a for s in scopes for a in (s.code, *s.comparators)))
    changes = change_table(pd.concat([by_area[a] for a in shown if a in by_area]))
    changes_by_area = dict(tuple(changes.groupby("area_code", sort=False)))
    peer_changes = {codes: change_table(rows) for codes, (rows, _) in peers.items()}
    every_funnel = funnels()
    prepared = {}
    for scope in scopes:
        areas = [scope.code, *scope.comparators]
        group = peers.get(scope.peer_group)
        rows = pd.concat(
            [by_area[a] for a in areas if a in by_area] + ([group[0]] if group else []),
            ignore_index=True,
        )
        rows = rows[(rows["area_code"] != scope.code) | (rows["level"] == "organisation")]
        own_changes = pd.concat(
            [changes_by_area[a] for a in areas if a in changes_by_area]
            + ([peer_changes[scope.peer_group]] if group else [])
            or [changes.iloc[:0]],
            ignore_index=True,
        )
        own_changes = own_changes[
            (own_changes["area_code"] != scope.code) | (own_changes["level"] == "organisation")
        ]
        own_breakdowns = pd.concat(
            [breakdowns_by_area[a] for a in areas if a in breakdowns_by_area]
            or [breakdowns.iloc[:0]],
            ignore_index=True,
        )
        own_breakdowns = own_breakdowns[
            (own_breakdowns["area_code"] != scope.code)
            | (own_breakdowns["level"] == "organisation")
        ].reset_index(drop=True)
        prepared[scope.code] = ChapterInputs(
            scope,
            settings,
            provenance,
            rows.reset_index(drop=True),
            every_funnel,
            {
                "unknown_ethnicity": unknown.get(scope.code, pd.DataFrame()).drop(
                    columns="org_code", errors="ignore"
                ),
                "missing_tables": gaps[gaps["org_code"] == scope.code].reset_index(drop=True),
                "years": pd.DataFrame({"year": years.get(scope.code, [])}),
                "actions": actions_of(data, scope.code),
            },
            ordered_changes(own_changes),
            own_breakdowns,
            dict(group[1]) if group else {},
        )
    return prepared


#: The columns of an organisation's action plan, as its chapters read it.
ACTION_COLUMNS = ("indicator", "action", "lead", "due", "status")


def actions_of(dataset: Dataset, code: str) -> pd.DataFrame:
    """The organisation's actions (the dataset's optional ``actions`` table), in the order
    given, with ``indicator`` as text; no rows when the dataset has none for it."""
    frame = dataset.tables.get("actions")
    if frame is None:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ACTION_COLUMNS})
    mine = frame[frame["org_code"] == code]
    out = mine[list(ACTION_COLUMNS)].reset_index(drop=True).astype(object)
    out["indicator"] = mine["indicator"].astype(str).to_numpy()
    return out


def _unknown_by_organisation(dataset: Dataset, year: int) -> pd.DataFrame:
    """Unknown ethnicity per organisation and table in ``year``: ``org_code, level, table,
    measure, total, unknown, pct_unknown``."""
    parts = []
    for name, column in DENOMINATORS.items():
        frame = dataset[name]
        frame = frame[frame["year"] == year]
        unknown = frame[column].where(frame["ethnic_group"] == "Unknown", 0)
        grouped = (
            pd.DataFrame(
                {"org_code": frame["org_code"], "total": frame[column], "unknown": unknown}
            )
            .groupby("org_code")
            .sum()
            .reset_index()
            .assign(table=name, measure=column)
        )
        parts.append(grouped)
    out = pd.concat(parts, ignore_index=True)
    out["pct_unknown"] = 100 * out["unknown"] / out["total"].where(out["total"] > 0)
    out["level"] = "organisation"
    return out[["org_code", "level", "table", "measure", "total", "unknown", "pct_unknown"]]


def _years_by_organisation(dataset: Dataset) -> dict[str, list[int]]:
    pairs = pd.concat(
        [frame[["org_code", "year"]] for name, frame in dataset.tables.items() if "year" in frame],
        ignore_index=True,
    ).drop_duplicates()
    return {code: sorted(group["year"]) for code, group in pairs.groupby("org_code")}
