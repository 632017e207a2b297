"""The documented defaults: how ESR-like values read as the contract's values.

Every default here is listed in ``docs/importing.md``; a map file's ``values:`` overrides any of
them, and a value none of them reads is refused (listed with its count and first row), never
guessed.
"""

from __future__ import annotations

import re

from wres_analysis.contract import GRADES_AFC, GRADES_MEDICAL
from wres_analysis.data.parsing import FLAG_SPELLINGS

__all__ = [
    "ACTIVE_STATUSES",
    "BANK_TYPES",
    "MEDICAL_ROLES",
    "STAFF_GROUPS",
    "read_flag",
    "read_grade",
    "read_medical_role",
]

#: ESR staff groups and the contract occupation each belongs to. **Assumption** (stated in
#: docs/importing.md): Administrative and Clerical and Estates and Ancillary are non-clinical;
#: Medical and Dental is medical and dental; every other staff group is clinical.
STAFF_GROUPS: dict[str, str] = {
    "Administrative and Clerical": "non-clinical",
    "Estates and Ancillary": "non-clinical",
    "Medical and Dental": "medical and dental",
    "Allied Health Professionals": "clinical",
    "Additional Clinical Services": "clinical",
    "Additional Professional Scientific and Technical": "clinical",
    "Healthcare Scientists": "clinical",
    "Nursing and Midwifery Registered": "clinical",
    "Professional, Scientific and Technical": "clinical",
    "Students": "clinical",
}

#: Assignment statuses counted as in post (WRES counts active assignments only).
ACTIVE_STATUSES: tuple[str, ...] = ("Active Assignment", "Internal Secondment", "Acting Up")

#: Contract types excluded from the workforce (bank staff are not in WRES indicator 1).
BANK_TYPES: tuple[str, ...] = ("Bank",)

#: Medical job roles and the contract's medical grade.
MEDICAL_ROLES: dict[str, str] = {
    "Consultant": "Consultant",
    "Associate Specialist": "Non-consultant career grade",
    "Specialty Doctor": "Non-consultant career grade",
    "Staff Grade": "Non-consultant career grade",
    "Specialist": "Non-consultant career grade",
    "Foundation Year 1": "Trainee",
    "Foundation Year 2": "Trainee",
    "Foundation Doctor Year 1": "Trainee",
    "Foundation Doctor Year 2": "Trainee",
    "Core Training": "Trainee",
    "Specialty Registrar": "Trainee",
    "Specialist Registrar": "Trainee",
    "Specialty Trainee": "Trainee",
    "Trust Grade Doctor": "Other",
    "Clinical Fellow": "Other",
    "Hospital Practitioner": "Other",
    "Clinical Assistant": "Other",
}

#: The loader's flag spellings; in a record an empty flag is no.
_FLAGS = {**FLAG_SPELLINGS, "": False}

#: "Band 8A", "Band 8 - Range A", "8a", "Band 8a", "AfC Band 5", "Apprentice/Band 1".
_BAND = re.compile(
    r"^(?:afc\s+|agenda for change\s+)?(?:apprentice\s*/\s*)?(?:band\s*)?"
    r"(?P<n>[1-9])(?:\s*(?:-\s*)?(?:range\s*)?(?P<r>[a-d]))?$"
)
#: ESR's Review Body grade codes for bands 1-7: XR05 is "Review Body Band 5". The codes of
#: the band 8 ranges and band 9 are not read by default (map them).
_REVIEW_BODY = re.compile(r"^xr0(?P<n>[1-7])$")
_VSM = ("vsm", "very senior manager", "very senior managers")


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def read_flag(value: str) -> bool | None:
    """yes/no (y/n, true/false, 1/0; empty is no), or None when it is neither."""
    return _FLAGS.get(_key(value))


def read_grade(value: str) -> str | None:
    """The contract's Agenda for Change grade (Band 1-9 with 8a-8d, VSM) for a band spelling,
    ``"medical"`` when the band says only that the post is medical, or None if not read."""
    key = _key(value)
    if key in _VSM:
        return "VSM"
    if key in ("medical", "medical and dental", "medical & dental"):
        return "medical"
    for grade in (*GRADES_AFC, *GRADES_MEDICAL):
        if key == grade.casefold():
            return grade
    found = _REVIEW_BODY.match(key)
    if found:
        return f"Band {found['n']}"
    found = _BAND.match(key)
    if not found:
        return None
    number, band_range = found["n"], found["r"]
    if number == "8":
        return f"Band 8{band_range}" if band_range else None
    return None if band_range else f"Band {number}"


def read_medical_role(value: str) -> str | None:
    """The contract's medical grade for a job role, or None if not read."""
    lookup = {_key(k): v for k, v in MEDICAL_ROLES.items()}
    return lookup.get(_key(value))
