"""The WRES data contract: the tables a dataset holds, their columns and allowed values.

This module is the single source of truth for ``docs/data-contract.md``, the loaders and the
demo data generator. Values are matched case-insensitively after trimming spaces, and stored in
the canonical spelling given here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "ACTION_STATUSES",
    "BOARD_BREAKDOWNS",
    "BOARD_FLAGS",
    "BAND_CLUSTERS",
    "BOARD_INDICATOR",
    "COMPARED_GROUPS",
    "DETAILED_GROUPS",
    "DETAILED_GROUP_NAMES",
    "ETHNIC_CODES",
    "ETHNIC_DESCRIPTIONS",
    "ETHNIC_GROUPS",
    "GRADES_AFC",
    "GRADES_MEDICAL",
    "GRADES_SENIOR",
    "GRADES_SENIOR_8C",
    "ICB_CODE_PATTERN",
    "ICB_COLUMNS",
    "JOB_COLUMNS",
    "JOB_TABLES",
    "NON_ADVERSE_RANGE",
    "OCCUPATIONS",
    "OPTIONAL_TABLES",
    "ORG_TYPES",
    "PEER_GROUP_COLUMN",
    "OPTIONAL_COLUMNS",
    "REGIONS",
    "SEXES",
    "SEX_NOT_KNOWN",
    "SURVEY_INDICATORS",
    "TABLES",
    "TableSpec",
    "YEAR_RANGE",
    "detailed_group_of",
    "ethnic_group_of",
]

REGIONS: tuple[str, ...] = (
    "East of England",
    "London",
    "Midlands",
    "North East and Yorkshire",
    "North West",
    "South East",
    "South West",
)

ORG_TYPES: tuple[str, ...] = (
    "Acute",
    "Acute specialist",
    "Ambulance",
    "Community",
    "Mental health and learning disability",
    "Combined",
)

OCCUPATIONS: tuple[str, ...] = ("clinical", "non-clinical", "medical and dental")

#: Agenda for Change bands and very senior managers, for clinical and non-clinical staff.
GRADES_AFC: tuple[str, ...] = (
    "Band 1",
    "Band 2",
    "Band 3",
    "Band 4",
    "Band 5",
    "Band 6",
    "Band 7",
    "Band 8a",
    "Band 8b",
    "Band 8c",
    "Band 8d",
    "Band 9",
    "VSM",
)

#: Medical and dental grades.
GRADES_MEDICAL: tuple[str, ...] = (
    "Consultant",
    "Non-consultant career grade",
    "Trainee",
    "Other",
)

#: "Band 8a and above" (Model Employer's senior levels).
GRADES_SENIOR: tuple[str, ...] = ("Band 8a", "Band 8b", "Band 8c", "Band 8d", "Band 9", "VSM")

#: "Band 8c and above": the senior leadership of the NHS EDI Improvement Plan's success metric
#: 2d (its representation against the workforce).
GRADES_SENIOR_8C: tuple[str, ...] = ("Band 8c", "Band 8d", "Band 9", "VSM")

#: The WRES non-adverse range for a relative likelihood, inclusive at both ends: 0.80 is the
#: four-fifths rule of the 1978 US Uniform Guidelines and 1.25 its inverse ("A fair experience
#: for all", 2019). Every default range, classification and sentence takes it from here.
NON_ADVERSE_RANGE: tuple[float, float] = (0.80, 1.25)

#: The default band clusters of indicators 2-8 (each cluster's label and its grades): the
#: technical guidance asks for figures by band without confirming which bands are grouped, so
#: the clusters are a parameter (``band_clusters`` in ``params/*.yaml``; see
#: docs/methodology.md). A grade in no cluster counts only in the figures of everyone.
BAND_CLUSTERS: dict[str, tuple[str, ...]] = {
    "Bands 1-4": ("Band 1", "Band 2", "Band 3", "Band 4"),
    "Bands 5-7": ("Band 5", "Band 6", "Band 7"),
    "Bands 8a-8b": ("Band 8a", "Band 8b"),
    "Bands 8c-9 and VSM": ("Band 8c", "Band 8d", "Band 9", "VSM"),
    "Medical and dental grades": GRADES_MEDICAL,
}

#: NHS Data Dictionary ethnic category codes and the WRES group each belongs to.
ETHNIC_CODES: dict[str, tuple[str, str]] = {
    "A": ("White British", "White"),
    "B": ("White Irish", "White"),
    "C": ("Any other White background", "White"),
    "D": ("White and Black Caribbean", "BME"),
    "E": ("White and Black African", "BME"),
    "F": ("White and Asian", "BME"),
    "G": ("Any other mixed background", "BME"),
    "H": ("Indian", "BME"),
    "J": ("Pakistani", "BME"),
    "K": ("Bangladeshi", "BME"),
    "L": ("Any other Asian background", "BME"),
    "M": ("Caribbean", "BME"),
    "N": ("African", "BME"),
    "P": ("Any other Black background", "BME"),
    "R": ("Chinese", "BME"),
    "S": ("Any other ethnic group", "BME"),
    "Z": ("Not stated", "Unknown"),
    "99": ("Not known", "Unknown"),
}

#: The NHS Data Dictionary's description of each ethnic category code (2001-census based), as
#: exports spell it ("White - British"); loaders accept it, alone or after its code.
ETHNIC_DESCRIPTIONS: dict[str, str] = {
    "A": "White - British",
    "B": "White - Irish",
    "C": "White - Any other White background",
    "D": "Mixed - White and Black Caribbean",
    "E": "Mixed - White and Black African",
    "F": "Mixed - White and Asian",
    "G": "Mixed - Any other mixed background",
    "H": "Asian or Asian British - Indian",
    "J": "Asian or Asian British - Pakistani",
    "K": "Asian or Asian British - Bangladeshi",
    "L": "Asian or Asian British - Any other Asian background",
    "M": "Black or Black British - Caribbean",
    "N": "Black or Black British - African",
    "P": "Black or Black British - Any other Black background",
    "R": "Other Ethnic Groups - Chinese",
    "S": "Other Ethnic Groups - Any other ethnic group",
    "Z": "Not stated",
    "99": "Not known",
}

#: The three groups every comparison uses; Unknown is counted and shown, never compared.
ETHNIC_GROUPS: tuple[str, ...] = ("White", "BME", "Unknown")

#: The five ethnic groups of the 2001 census (NHS ethnic category codes A-C, D-G, H-L, M-P and
#: R-S), each with the codes in it. BME is every group but White.
DETAILED_GROUPS: dict[str, str] = {
    "White": "ABC",
    "Mixed": "DEFG",
    "Asian": "HJKL",
    "Black": "MNP",
    "Other": "RS",
}
#: The groups each compared with White beside BME (the detailed ethnic-group breakdown).
COMPARED_GROUPS: tuple[str, ...] = ("Mixed", "Asian", "Black", "Other")
#: Each detailed group's full name, as the census and the NHS Data Dictionary write it.
DETAILED_GROUP_NAMES: dict[str, str] = {
    "White": "White",
    "Mixed": "Mixed",
    "Asian": "Asian or Asian British",
    "Black": "Black or Black British",
    "Other": "Other ethnic groups",
}

#: The values of the optional ``sex`` column; any other value, and a blank, is not known.
SEXES: tuple[str, ...] = ("female", "male")
SEX_NOT_KNOWN = "not known"
#: Columns a table may have or not: ``sex`` in every table of people (absent: not known).
OPTIONAL_COLUMNS: tuple[str, ...] = ("sex",)
#: Optional columns of the process tables (:data:`JOB_TABLES`): each row's occupation group
#: and grade, with the workforce's values. Given, indicators 2-8 are also shown by occupation
#: and by band cluster (:data:`BAND_CLUSTERS`); either may be given without the other.
JOB_COLUMNS: tuple[str, ...] = ("occupation", "grade")
#: The tables that may carry :data:`JOB_COLUMNS` (indicators 2-8).
JOB_TABLES: tuple[str, ...] = ("recruitment", "disciplinary", "training", "staff_survey")

SURVEY_INDICATORS: tuple[int, ...] = (5, 6, 7, 8)

BOARD_FLAGS: tuple[str, ...] = ("yes", "no")

#: The board indicator, and its breakdowns whose counts are board members (published by
#: every trust, so exempt from disclosure control unless the rule says otherwise; its
#: ``workforce`` breakdown counts staff and is always controlled).
BOARD_INDICATOR = "9"
BOARD_BREAKDOWNS: tuple[str, ...] = (
    "voting board members",
    "executive board members",
    "all board members",
    "voting board minus workforce",
    "executive board minus workforce",
)

#: The optional columns of ``organisations`` naming each organisation's integrated care board
#: (ICB): its code and its name. Given together or not at all; without them a report has no
#: ICB level.
ICB_COLUMNS: tuple[str, ...] = ("icb_code", "icb_name")

#: The optional column of ``organisations`` naming each organisation's peer group: the
#: organisations sharing a value are each other's peers (an alternative to the parameters'
#: ``peer_group`` list); an empty cell, none.
PEER_GROUP_COLUMN = "peer_group"

#: An ICB code's shape: the three characters of an ODS code of an ICB (``Q`` and two letters
#: or digits, e.g. ``QMJ``), upper-cased.
ICB_CODE_PATTERN = r"^Q[A-Z0-9]{2}$"

#: Plausible WRES report years (the standard began in 2015).
YEAR_RANGE: tuple[int, int] = (2010, 2100)


def ethnic_group_of(value: str) -> str | None:
    """Return White/BME/Unknown for a canonical ethnicity value (group name or code), or None."""
    if value in ETHNIC_GROUPS:
        return value
    if value in DETAILED_GROUPS:
        return "White" if value == "White" else "BME"
    entry = ETHNIC_CODES.get(value)
    return entry[1] if entry else None


def detailed_group_of(code: str) -> str | None:
    """The detailed group (:data:`DETAILED_GROUPS`) of a national ethnic category code, or
    None for an unknown code (Z, 99) or a value that is not a code."""
    if len(code) != 1:
        return None
    return next((group for group, codes in DETAILED_GROUPS.items() if code in codes), None)


@dataclass(frozen=True)
class TableSpec:
    """One table of the contract.

    ``counts`` are non-negative whole numbers; ``ratios`` pairs each numerator with the
    denominator it may not exceed; ``key`` columns identify a row uniquely (with ``sex``
    when the table has it); ``optional`` columns may be left out (``sex`` in the tables of
    people, the ICB columns in ``organisations``),
    and are checked when present.
    """

    name: str
    description: str
    columns: tuple[str, ...]
    key: tuple[str, ...]
    counts: tuple[str, ...] = ()
    ratios: tuple[tuple[str, str], ...] = ()
    indicators: str = ""
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    optional: tuple[str, ...] = ()
    #: Columns holding a calendar date, written YYYY-MM-DD.
    dates: tuple[str, ...] = ()


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(
            name="organisations",
            description="Every organisation that reports, with its region and type.",
            columns=("org_code", "org_name", "region", "org_type"),
            key=("org_code",),
            choices={"region": REGIONS, "org_type": ORG_TYPES},
            optional=(*ICB_COLUMNS, PEER_GROUP_COLUMN),
        ),
        TableSpec(
            name="workforce",
            description="Headcount by occupation, grade and ethnicity at 31 March of the year.",
            columns=("year", "org_code", "occupation", "grade", "ethnicity", "headcount"),
            key=("year", "org_code", "occupation", "grade", "ethnicity"),
            counts=("headcount",),
            indicators="1",
            choices={"occupation": OCCUPATIONS, "grade": GRADES_AFC + GRADES_MEDICAL},
            optional=OPTIONAL_COLUMNS,
        ),
        TableSpec(
            name="recruitment",
            description="Applicants shortlisted and appointed in the financial year.",
            columns=("year", "org_code", "ethnicity", "shortlisted", "appointed"),
            key=("year", "org_code", "ethnicity"),
            counts=("shortlisted", "appointed"),
            ratios=(("appointed", "shortlisted"),),
            indicators="2",
            optional=(*OPTIONAL_COLUMNS, *JOB_COLUMNS),
        ),
        TableSpec(
            name="disciplinary",
            description="Staff entering the formal disciplinary process in the financial year.",
            columns=("year", "org_code", "ethnicity", "headcount", "entered_process"),
            key=("year", "org_code", "ethnicity"),
            counts=("headcount", "entered_process"),
            ratios=(("entered_process", "headcount"),),
            indicators="3",
            optional=(*OPTIONAL_COLUMNS, *JOB_COLUMNS),
        ),
        TableSpec(
            name="training",
            description="Staff accessing non-mandatory training and CPD in the financial year.",
            columns=("year", "org_code", "ethnicity", "headcount", "accessed_training"),
            key=("year", "org_code", "ethnicity"),
            counts=("headcount", "accessed_training"),
            ratios=(("accessed_training", "headcount"),),
            indicators="4",
            optional=(*OPTIONAL_COLUMNS, *JOB_COLUMNS),
        ),
        TableSpec(
            name="staff_survey",
            description="NHS Staff Survey respondents and those answering the indicator's way.",
            columns=("year", "org_code", "indicator", "ethnicity", "respondents", "count"),
            key=("year", "org_code", "indicator", "ethnicity"),
            counts=("respondents", "count"),
            ratios=(("count", "respondents"),),
            indicators="5-8",
            choices={"indicator": tuple(str(i) for i in SURVEY_INDICATORS)},
            optional=(*OPTIONAL_COLUMNS, *JOB_COLUMNS),
        ),
        TableSpec(
            name="board",
            description="Board members at 31 March by voting and executive status.",
            columns=("year", "org_code", "ethnicity", "voting", "executive", "headcount"),
            key=("year", "org_code", "ethnicity", "voting", "executive"),
            counts=("headcount",),
            indicators="9",
            choices={"voting": BOARD_FLAGS, "executive": BOARD_FLAGS},
            optional=OPTIONAL_COLUMNS,
        ),
    )
}


#: An action's status, as an action plan reports it.
ACTION_STATUSES: tuple[str, ...] = ("not started", "on track", "at risk", "off track", "done")

#: Tables a dataset may hold but need not: read and validated like the contract's when given.
OPTIONAL_TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(
            name="actions",
            description=(
                "An organisation's action plan: what it does about an indicator, who leads it, "
                "when it is due and how it stands."
            ),
            columns=("org_code", "indicator", "action", "lead", "due", "status"),
            key=("org_code", "indicator", "action"),
            choices={
                "indicator": tuple(str(i) for i in range(1, 10)),
                "status": ACTION_STATUSES,
            },
            dates=("due",),
        ),
    )
}
