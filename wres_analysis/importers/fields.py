"""The fields each importer reads, and the headers each is found under by default.

A record-level file names its columns in its own way (``Unique Nhs Identifier``, ``Ethnic
Origin``). Each importer field lists the headers it is found under, compared as the data
loader compares headers (case, spaces, hyphens, dots, slashes and underscores ignored). A map
file's ``columns:`` names the header of any field whose header is not among them; nothing is
matched by a guess beyond these lists.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["EVENT_KINDS", "Field", "fields_for"]


@dataclass(frozen=True)
class Field:
    """One importer field: its name, the headers it is found under, whether it must be there,
    and what it holds (for ``--help``, messages and ``docs/importing.md``)."""

    name: str
    headers: tuple[str, ...]
    required: bool
    holds: str


_PERSON = Field(
    "person_id",
    (
        "Unique Nhs Identifier",
        "Person Id",
        "Person Number",
        "Employee Number",
        "Staff Id",
        "Assignment Person Id",
    ),
    True,
    "the person: each person is counted once per organisation and year",
)
_ORG = Field(
    "org_code",
    ("Organisation Code", "Org Code", "Employing Organisation Code", "Trust Code", "Provider Code"),
    True,
    "the organisation's code (as in the organisations table)",
)
_ETHNICITY = Field(
    "ethnicity",
    ("Ethnic Origin", "Ethnicity", "Ethnic Group", "Ethnic Category", "Ethnic Category Code"),
    True,
    "the ethnic category: code, description or both (read as `wres validate` reads it)",
)
_YEAR = Field(
    "year", ("Report Year", "WRES Year", "Year"), False, "the WRES report year (instead of a date)"
)
_SYNTHETIC = Field("synthetic", ("Synthetic",), False, "yes on synthetic (demo) records")

STAFF_FIELDS: tuple[Field, ...] = (
    _PERSON,
    _ORG,
    Field(
        "snapshot_date",
        ("Snapshot Date", "Tm Year Month", "Census Date", "Extract Date", "Effective Date"),
        False,
        "the date of the staff-in-post snapshot (31 March of the report year), or give year",
    ),
    _YEAR,
    _ETHNICITY,
    Field(
        "staff_group",
        ("Staff Group", "Occupation Group", "Main Staff Group"),
        False,
        "the ESR staff group, read to the contract's occupation (or give occupation)",
    ),
    Field(
        "occupation",
        ("Occupation", "WRES Occupation"),
        False,
        "the contract's occupation (clinical, non-clinical, medical and dental) itself",
    ),
    Field(
        "grade",
        ("Pay Band", "Band", "Grade", "Grade Code", "Pay Grade", "Agenda For Change Band"),
        True,
        "the pay band or grade (Band 5, Band 8A, XR05, Medical, ...)",
    ),
    Field(
        "job_role",
        ("Job Role", "Occupation Code Description", "Medical Grade", "Role"),
        False,
        "the job role: reads a medical grade when the pay band says only Medical",
    ),
    Field(
        "assignment_id",
        ("Assignment Number", "Assignment Id", "Assignment"),
        False,
        "the assignment: a person's assignment given twice in one snapshot is an error",
    ),
    Field(
        "assignment_type",
        ("Asg Type Of Contract", "Type Of Contract", "Contract Type", "Assignment Type"),
        False,
        "the contract type: Bank assignments are excluded",
    ),
    Field(
        "status",
        ("Status", "Assignment Status", "Asg Status"),
        False,
        "the assignment status: only active statuses are counted",
    ),
    Field(
        "primary",
        ("Primary Assignment", "Primary Flag", "Primary", "Primary Assignment Flag"),
        False,
        "yes on the person's primary assignment",
    ),
    Field(
        "fte",
        ("Contracted Wte", "Contracted FTE", "WTE", "FTE"),
        False,
        "whole-time equivalent: picks the counted assignment when none is marked primary",
    ),
    Field(
        "board_member",
        ("Board Member", "Board"),
        False,
        "yes for a member of the board (indicator 9)",
    ),
    Field("voting", ("Board Voting", "Voting", "Voting Member"), False, "yes for a voting member"),
    Field(
        "executive",
        ("Board Executive", "Executive", "Executive Member"),
        False,
        "yes for an executive member",
    ),
    _SYNTHETIC,
)

_DATE = Field(
    "date",
    (
        "Event Date",
        "Date",
        "Stage Date",
        "Shortlisting Date",
        "Date Opened",
        "Case Start Date",
        "Completion Date",
        "Course Date",
        "Start Date",
    ),
    False,
    "the date of the event: counted in the financial year ending 31 March of its report year",
)
_CATEGORY = Field(
    "category",
    ("Category", "Case Type", "Course Type", "Type"),
    False,
    "a kind of event to filter on with include: or exclude: (case type, course type)",
)
_STAGE = Field("stage", ("Stage", "Process Stage"), False, "a stage to filter on (Formal)")
_COURSE = Field("course", ("Course", "Course Name", "Course Title"), False, "the course")
_MANDATORY = Field(
    "mandatory",
    ("Mandatory", "Mandatory Training", "Statutory Or Mandatory"),
    False,
    "yes for mandatory or statutory training: excluded",
)

EVENT_FIELDS: dict[str, tuple[Field, ...]] = {
    "recruitment": (
        Field(
            "person_id",
            ("Applicant Id", "Application Id", "Candidate Id", "Application Reference"),
            False,
            "the applicant: when given, an applicant is counted once per organisation and year",
        ),
        _ORG,
        _DATE,
        _YEAR,
        _ETHNICITY,
        Field("shortlisted", ("Shortlisted",), True, "yes when the application was shortlisted"),
        Field(
            "appointed",
            ("Appointed", "Offer Accepted"),
            True,
            "yes when the applicant was appointed",
        ),
        _CATEGORY,
        _STAGE,
        _SYNTHETIC,
    ),
    "disciplinary": (_PERSON, _ORG, _DATE, _YEAR, _ETHNICITY, _CATEGORY, _STAGE, _SYNTHETIC),
    "training": (
        _PERSON,
        _ORG,
        _DATE,
        _YEAR,
        _ETHNICITY,
        _COURSE,
        _CATEGORY,
        _MANDATORY,
        _SYNTHETIC,
    ),
}
EVENT_KINDS: tuple[str, ...] = tuple(EVENT_FIELDS)


def fields_for(kind: str) -> tuple[Field, ...]:
    """The fields of importer ``kind``: ``staff-in-post`` or an event kind."""
    if kind == "staff-in-post":
        return STAFF_FIELDS
    return EVENT_FIELDS[kind]
