"""Each WRES indicator declared once: what it measures, where its data are, how it is said.

Everything else that needs a fact about an indicator (the computations' table and columns,
the headline sentences, the organisation readings, the methods chapter's definitions, the
charts' labels and the chapter introductions) reads it from :data:`INDICATORS`, so a new
metric of the same kinds (a relative likelihood, a share or a gap, e.g. one from the
Workforce Disability Equality Standard) needs only a new :class:`Indicator`.

Definitions follow NHS England's WRES technical guidance as summarised in
``docs/methodology.md``: White is NHS ethnic category codes A-C, BME every other known
category; unknown ethnicity is counted but left out of the comparisons.

This module imports nothing from the rest of the package except the data contract, so that
any module (statistics aside) can import it without an import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from wres_analysis.contract import NON_ADVERSE_RANGE

__all__ = [
    "CHAPTERS",
    "INDICATORS",
    "NON_ADVERSE_RANGE",
    "Indicator",
    "IndicatorKind",
    "declared",
]

#: The kinds of measure an indicator headlines: a share of one group, a relative likelihood
#: of two groups, or a gap (a difference of two percentages, in percentage points).
IndicatorKind = Literal["share", "relative_likelihood", "gap"]

#: The national report's chapters, in order.
CHAPTERS: tuple[str, ...] = (
    "summary",
    "workforce",
    "recruitment",
    "disciplinary",
    "training",
    "staff_experience",
    "boards",
    "data_quality",
    "methods",
)

_MEASURE_OF_KIND: dict[str, str] = {
    "share": "pct_bme",
    "relative_likelihood": "relative_likelihood",
    "gap": "difference_pp",
}


@dataclass(frozen=True)
class Indicator:
    """One indicator, declared once.

    Attributes
    ----------
    id
        The indicator's number as text (``"1"`` to ``"9"`` for the WRES).
    title
        The headline table's title, e.g. ``"Appointment from shortlisting"``.
    short_name
        A shorter name for axis ticks, panels and tiles.
    kind
        ``"share"``, ``"relative_likelihood"`` or ``"gap"``.
    chapter
        The national chapter the indicator belongs to (one of :data:`CHAPTERS`).
    tables
        The data-contract tables the indicator reads.
    numerator, denominator
        The count columns of ``tables[0]`` that form each group's rate (``numerator`` is
        ``None`` for a share of headcount, where the count is the headcount itself).
    first
        The group named first, the numerator of the ratio or the minuend of the gap:
        ``"White"`` or ``"BME"``.
    adverse
        Which side of equality (1 for a relative likelihood, 0 for a gap) is adverse to BME
        people: ``"above"`` or ``"below"``; ``None`` for a share, which has no such side.
    headline_breakdown
        The breakdown whose row headlines the indicator (for 2-8 also the breakdown the
        computation labels its rows with).
    statement
        The headline sentence without its interval, with ``{value}`` for the headline value
        and, for gaps, ``{bme}``, ``{white}`` (and for 9 ``{board}``, ``{staff}``).
    subject
        Who the indicator's percentages are of, e.g. ``"staff entering the formal
        disciplinary process"`` (for alt text, default titles and the rates' y-label).
    definition, formula, period
        The methods chapter's columns: what is measured, how, and over which period.
    rates_label
        The y-label of a chart of the White and BME rates; by default
        ``"White and BME <subject> (%)"``.
    comparison
        For a relative likelihood: the phrase naming it in full, e.g. ``"the relative
        likelihood of white applicants being appointed from shortlisting compared with BME
        applicants"``.
    above_one
        For a relative likelihood: how to read a value above 1.
    likelihood_title
        For a relative likelihood: the default chart title.
    difference_subject
        For a gap: what the difference is between, as an organisation reading names it.
    non_adverse
        For a relative likelihood: its non-adverse range (default :data:`NON_ADVERSE_RANGE`).
    non_adverse_source
        Where that range was set for this indicator, said after the range when the declared
        range is the one used (e.g. ``"set in *A fair experience for all* (2019)"``).
    notes
        Further sentences for the chapter's introduction.
    series_break
        The first report year of a new series (the question or definition changed): no
        change is computed from a year before it to a year from it on.
    """

    id: str
    title: str
    short_name: str
    kind: IndicatorKind
    chapter: str
    tables: tuple[str, ...]
    numerator: str | None
    denominator: str
    first: Literal["White", "BME"]
    adverse: Literal["above", "below"] | None
    headline_breakdown: str
    statement: str
    subject: str
    definition: str
    formula: str
    period: str
    rates_label: str = ""
    comparison: str = ""
    above_one: str = ""
    likelihood_title: str = ""
    difference_subject: str = ""
    non_adverse: tuple[float, float] | None = None
    non_adverse_source: str = ""
    notes: str = ""
    series_break: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in _MEASURE_OF_KIND:
            raise ValueError(
                f"indicator {self.id}: kind must be one of {tuple(_MEASURE_OF_KIND)}, "
                f"got {self.kind!r}"
            )
        if self.first not in ("White", "BME"):
            raise ValueError(f"indicator {self.id}: first must be 'White' or 'BME'")
        if self.chapter not in CHAPTERS:
            raise ValueError(f"indicator {self.id}: chapter must be one of {CHAPTERS}")
        if not self.tables:
            raise ValueError(f"indicator {self.id}: tables must name at least one table")
        if self.kind == "relative_likelihood":
            missing = [
                name
                for name in ("numerator", "comparison", "above_one", "likelihood_title")
                if not getattr(self, name)
            ]
            if missing:
                raise ValueError(
                    f"indicator {self.id}: a relative likelihood must declare {missing}"
                )
            if self.non_adverse is None:
                object.__setattr__(self, "non_adverse", NON_ADVERSE_RANGE)
        if not self.rates_label:
            object.__setattr__(self, "rates_label", f"White and BME {self.subject} (%)")

    @property
    def headline_measure(self) -> str:
        """The indicator-table measure whose value headlines the indicator."""
        return _MEASURE_OF_KIND[self.kind]

    @property
    def headline(self) -> str:
        """The headline sentence template: the statement followed by ``{ci}``."""
        return f"{self.statement} {{ci}}"

    @property
    def table(self) -> str:
        """The main table the indicator reads (the first of ``tables``)."""
        return self.tables[0]


_FINANCIAL_YEAR = "Financial year ending 31 March of the report year"
_SURVEY = "NHS Staff Survey, autumn before the report year"
_GAP = "% of White and of BME respondents; gap = BME - White"
_BME_WHITE = "gap between BME and white staff"

_DECLARATIONS: tuple[Indicator, ...] = (
    Indicator(
        id="1",
        title="BME share of the workforce",
        short_name="BME share of workforce",
        kind="share",
        chapter="workforce",
        tables=("workforce",),
        numerator=None,
        denominator="headcount",
        first="BME",
        adverse=None,
        headline_breakdown="all staff",
        statement="{value} of staff of known ethnicity were BME",
        subject="staff who are BME (of known ethnicity)",
        rates_label="% BME of known ethnicity",
        definition="% BME staff by grade",
        formula="BME / (White + BME) headcount, per Agenda for Change band "
        "and VSM (clinical, non-clinical) and medical and dental grade; bank staff excluded",
        period="Workforce at 31 March of the report year",
    ),
    Indicator(
        id="2",
        title="Appointment from shortlisting",
        short_name="Appointed from shortlisting",
        kind="relative_likelihood",
        chapter="recruitment",
        tables=("recruitment",),
        numerator="appointed",
        denominator="shortlisted",
        first="White",
        adverse="above",
        headline_breakdown="appointed from shortlisting",
        statement="White applicants were {value} times as likely as BME applicants to be "
        "appointed from shortlisting",
        subject="applicants appointed from shortlisting",
        definition="Relative likelihood of appointment from shortlisting",
        formula="(White appointed / White shortlisted) / (BME appointed / BME shortlisted)",
        period=_FINANCIAL_YEAR,
        comparison="the relative likelihood of white applicants being appointed from "
        "shortlisting compared with BME applicants",
        above_one="values above 1 favour white applicants",
        likelihood_title="Relative likelihood of appointment from shortlisting, white vs BME "
        "applicants",
    ),
    Indicator(
        id="3",
        title="Entering the formal disciplinary process",
        short_name="Entering disciplinary process",
        kind="relative_likelihood",
        chapter="disciplinary",
        tables=("disciplinary",),
        numerator="entered_process",
        denominator="headcount",
        first="BME",
        adverse="above",
        headline_breakdown="entering the formal disciplinary process",
        statement="BME staff were {value} times as likely as white staff to enter the formal "
        "disciplinary process",
        subject="staff entering the formal disciplinary process",
        definition="Relative likelihood of entering the formal disciplinary process",
        formula="(BME entering / BME headcount) / (White entering / White headcount)",
        period=_FINANCIAL_YEAR,
        comparison="the relative likelihood of BME staff entering the formal disciplinary "
        "process compared with white staff",
        above_one="values above 1 mean BME staff are more likely to enter the process",
        likelihood_title="Relative likelihood of entering the disciplinary process, BME vs "
        "white staff",
        non_adverse_source="set in *A fair experience for all* (2019)",
        notes="Small organisations often have no BME staff entering the process in a year: "
        "their relative likelihood is 0 with a wide interval, and the funnel plot below shows "
        "how little such values say.",
    ),
    Indicator(
        id="4",
        title="Non-mandatory training and CPD",
        short_name="Non-mandatory training and CPD",
        kind="relative_likelihood",
        chapter="training",
        tables=("training",),
        numerator="accessed_training",
        denominator="headcount",
        first="White",
        adverse="above",
        headline_breakdown="accessing non-mandatory training and CPD",
        statement="White staff were {value} times as likely as BME staff to access "
        "non-mandatory training and CPD",
        subject="staff accessing non-mandatory training and CPD",
        definition="Relative likelihood of accessing non-mandatory training and CPD",
        formula="(White accessing / White headcount) / (BME accessing / BME headcount)",
        period=_FINANCIAL_YEAR,
        comparison="the relative likelihood of white staff accessing non-mandatory training "
        "and CPD compared with BME staff",
        above_one="values above 1 favour white staff",
        likelihood_title="Relative likelihood of accessing non-mandatory training, white vs "
        "BME staff",
    ),
    Indicator(
        id="5",
        title="Harassment from patients and the public",
        short_name="Harassment from the public",
        kind="gap",
        chapter="staff_experience",
        tables=("staff_survey",),
        numerator="count",
        denominator="respondents",
        first="BME",
        adverse="above",
        headline_breakdown="harassment, bullying or abuse from patients, relatives or the public",
        statement="{bme} of BME staff and {white} of white staff experienced harassment, "
        "bullying or abuse from patients, relatives or the public: a gap of {value}",
        subject="staff experiencing harassment, bullying or abuse from patients, relatives or "
        "the public",
        definition="Harassment, bullying or abuse from patients, relatives or the public",
        formula="% of White and of BME respondents; gap = BME - White (percentage points)",
        period=_SURVEY,
        difference_subject=_BME_WHITE,
    ),
    Indicator(
        id="6",
        title="Harassment from staff",
        short_name="Harassment from staff",
        kind="gap",
        chapter="staff_experience",
        tables=("staff_survey",),
        numerator="count",
        denominator="respondents",
        first="BME",
        adverse="above",
        headline_breakdown="harassment, bullying or abuse from staff",
        statement="{bme} of BME staff and {white} of white staff experienced harassment, "
        "bullying or abuse from other staff: a gap of {value}",
        subject="staff experiencing harassment, bullying or abuse from staff",
        definition="Harassment, bullying or abuse from staff",
        formula=_GAP,
        period=_SURVEY,
        difference_subject=_BME_WHITE,
    ),
    Indicator(
        id="7",
        title="Equal opportunities for progression",
        short_name="Equal opportunities for progression",
        kind="gap",
        chapter="staff_experience",
        tables=("staff_survey",),
        numerator="count",
        denominator="respondents",
        first="BME",
        adverse="below",
        headline_breakdown="believing the organisation provides equal opportunities for career "
        "progression",
        statement="{bme} of BME staff and {white} of white staff believed their organisation "
        "provides equal opportunities for career progression or promotion: a gap of {value}",
        subject="staff believing the organisation provides equal opportunities for career "
        "progression",
        definition="Belief that the organisation provides equal opportunities for career "
        "progression",
        formula=f"{_GAP}. The question changed with the 2021 survey (report year 2022): a "
        "break in the series",
        period=_SURVEY,
        difference_subject=_BME_WHITE,
        series_break=2022,
    ),
    Indicator(
        id="8",
        title="Discrimination from managers or colleagues",
        short_name="Discrimination from colleagues",
        kind="gap",
        chapter="staff_experience",
        tables=("staff_survey",),
        numerator="count",
        denominator="respondents",
        first="BME",
        adverse="above",
        headline_breakdown="discrimination at work from a manager or colleagues",
        statement="{bme} of BME staff and {white} of white staff personally experienced "
        "discrimination at work from a manager or colleagues: a gap of {value}",
        subject="staff experiencing discrimination at work from a manager or colleagues",
        definition="Personally experienced discrimination from a manager or colleagues",
        formula=_GAP,
        period=_SURVEY,
        difference_subject=_BME_WHITE,
    ),
    Indicator(
        id="9",
        title="Voting board members vs the workforce",
        short_name="Board representation",
        kind="gap",
        chapter="boards",
        tables=("board", "workforce"),
        numerator=None,
        denominator="headcount",
        first="BME",
        adverse="below",
        headline_breakdown="voting board minus workforce",
        statement="BME people were {board} of voting board members against {staff} of the "
        "workforce: a difference of {value}",
        subject="board members who are BME",
        rates_label="% BME of known ethnicity",
        definition="Board membership against the workforce",
        formula="Board % BME - workforce % BME (percentage points), for voting and for "
        "executive members",
        period="Board and workforce at 31 March of the report year",
        difference_subject="difference between the voting board's BME share and the workforce's",
    ),
)

#: Every indicator by its id, in order.
INDICATORS: dict[str, Indicator] = {item.id: item for item in _DECLARATIONS}


def declared(indicator: str | Indicator) -> Indicator:
    """The declaration of ``indicator`` (an id, or a declaration, returned as it is).

    Raises
    ------
    ValueError
        When no indicator with that id is declared.
    """
    if isinstance(indicator, Indicator):
        return indicator
    if indicator not in INDICATORS:
        raise ValueError(f"indicator must be one of {list(INDICATORS)}, got {indicator!r}")
    return INDICATORS[indicator]
