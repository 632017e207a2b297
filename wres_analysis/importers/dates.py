"""Dates as record-level exports write them, read to the WRES report year.

``2024-03-31``, ``31/03/2024``, ``2024-03-31 00:00:00`` (a workbook date), ``2024-03``,
``2024/03`` and ``202403`` (ESR's "Tm Year Month") are read. Day-first is assumed for
``dd/mm/yyyy``: NHS exports are British. A value in any other form is refused, never guessed.
"""

from __future__ import annotations

import datetime
import re

from wres_analysis.contract import YEAR_RANGE

__all__ = ["financial_year", "read_date", "read_year", "snapshot_year"]

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_MONTH = re.compile(r"^(\d{4})[-/]?(\d{2})$")


def read_date(value: str) -> tuple[int, int, int | None] | None:
    """(year, month, day or None for a year-month) of a date cell, or None if not read."""
    text = value.strip()
    for pattern, order in ((_ISO, (0, 1, 2)), (_UK, (2, 1, 0))):
        found = pattern.match(text)
        if found:
            parts = [int(found.group(i + 1)) for i in range(3)]
            year, month, day = (parts[i] for i in order)
            try:
                datetime.date(year, month, day)
            except ValueError:
                return None
            return year, month, day
    found = _MONTH.match(text)
    if found and 1 <= int(found.group(2)) <= 12:
        return int(found.group(1)), int(found.group(2)), None
    return None


def read_year(value: str) -> int | None:
    """A report year written as four digits (``2024``, ``2024.0``) in the contract's range."""
    text = re.sub(r"\.0+$", "", value.strip())
    if re.fullmatch(r"\d{4}", text) and YEAR_RANGE[0] <= int(text) <= YEAR_RANGE[1]:
        return int(text)
    return None


def snapshot_year(value: str) -> int | str:
    """The report year of a staff-in-post snapshot date (31 March, or the March of a
    year-month), or why it is refused."""
    date = read_date(value)
    if date is None:
        return (
            "is not a date; expected a date such as 2024-03-31 or 31/03/2024, or a year-month "
            "such as 2024-03 or 202403"
        )
    year, month, day = date
    if month != 3 or day not in (None, 31):
        return (
            "is not a 31 March snapshot; expected the staff in post at 31 March of the report "
            "year (leave other snapshots out of the files, or exclude them in the map)"
        )
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        return f"is outside the report years {YEAR_RANGE[0]}-{YEAR_RANGE[1]}"
    return year


def financial_year(value: str) -> int | str:
    """The report year of an event date: the financial year ending 31 March that year (an
    event on 2023-04-01 ... 2024-03-31 is report year 2024), or why it is refused."""
    date = read_date(value)
    if date is None or date[2] is None:
        return "is not a date; expected a date such as 2024-03-31 or 31/03/2024"
    year, month, _ = date
    report = year + 1 if month >= 4 else year
    if not YEAR_RANGE[0] <= report <= YEAR_RANGE[1]:
        return f"is outside the report years {YEAR_RANGE[0]}-{YEAR_RANGE[1]}"
    return report
