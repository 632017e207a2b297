"""Check each table against the data contract and turn it into typed columns.

One pass collects every problem (up to the log's cap) instead of stopping at the first; rows
with Unknown ethnicity are kept.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from wres_analysis.contract import (
    GRADES_AFC,
    GRADES_MEDICAL,
    ICB_CODE_PATTERN,
    ICB_COLUMNS,
    JOB_COLUMNS,
    OCCUPATIONS,
    PEER_GROUP_COLUMN,
    SEX_NOT_KNOWN,
    TableSpec,
)
from wres_analysis.data.parsing import (
    parse_choice,
    parse_count,
    parse_date,
    parse_ethnicity,
    parse_flag,
    parse_sex,
    parse_year,
)
from wres_analysis.data.problems import ProblemLog
from wres_analysis.data.readers import RawTable, close_header

__all__ = ["check_org_codes", "clean_table"]

ROW = "_row"
OPTIONAL_COLUMNS = ("synthetic",)
#: Columns the loader adds beside ``ethnicity``: the WRES group, the national code, the
#: value as given (trimmed), so detailed-group breakdowns can use what the file said, and
#: the detailed group (White, Mixed, Asian, Black, Other; BME when only BME was given;
#: Unknown).
ETHNICITY_DERIVED = ("ethnic_group", "ethnic_code", "ethnicity_given", "ethnic_detail")


def _report(log: ProblemLog, raw: RawTable, column: str, messages: pd.Series) -> pd.Series:
    """Log each non-empty message with its row; return the mask of bad cells."""
    bad = messages != ""
    if bad.any():
        log.add_rows(raw.label, column, raw.rows[bad.to_numpy()], messages[bad].tolist())
    return bad


def _report_ethnicity(
    log: ProblemLog, raw: RawTable, given: pd.Series, reasons: pd.Series
) -> pd.Series:
    """Log each distinct refused ethnicity once, at its first row, with how many rows hold it
    (a value mapped once fixes every row); return the mask of refused cells."""
    bad = reasons != ""
    if bad.any():
        refused = pd.DataFrame(
            {"value": given[bad], "row": raw.rows[bad.to_numpy()], "reason": reasons[bad]}
        )
        distinct = refused.groupby("value", sort=False).agg(
            row=("row", "min"), count=("row", "size"), reason=("reason", "first")
        )
        for value, (row, count, reason) in distinct.sort_values("row").iterrows():
            where = f"in {count:,} rows; this is the first" if count > 1 else "in 1 row"
            log.add(
                raw.label,
                f'"{str(value)[:40]}" ({where}) {reason}',
                row=int(row),
                column="ethnicity",
            )
    return bad


def clean_table(raw: RawTable, spec: TableSpec, log: ProblemLog) -> pd.DataFrame | None:
    """The table with typed, canonical values and a ``_row`` column, or None if unusable.

    Columns beyond the contract's are kept as text; ``ethnicity`` gains the columns of
    :data:`ETHNICITY_DERIVED`.
    A bad cell is logged and the checks that need it skip its row, so every other check
    still runs; the caller decides from the log whether the dataset is usable.
    """
    missing = [c for c in spec.columns if c not in raw.frame.columns]  # optional ones aside
    duplicated = sorted({c for c in raw.frame.columns if list(raw.frame.columns).count(c) > 1})
    for column in duplicated:
        log.add(raw.label, "appears more than once in the header", column=column)
    if missing:
        _report_missing(raw, spec, missing, log)
        return None
    if duplicated:
        return None
    if "ethnicity" in spec.columns:
        clashes = [c for c in ETHNICITY_DERIVED if c in raw.frame.columns]
        for column in clashes:
            log.add(
                raw.label,
                "is a column the loader derives from ethnicity; rename it, or remove it (the "
                f"loader adds {', '.join(ETHNICITY_DERIVED)})",
                column=column,
            )
        if clashes:
            return None
    if raw.frame.empty:
        log.add(raw.label, f"has no records; table {spec.name!r} needs at least one row")
        return None
    stray = _stray_rows(raw, spec, log)
    if stray.any():
        raw = replace(
            raw, frame=raw.frame.loc[~stray].reset_index(drop=True), rows=raw.rows[~stray]
        )
        if raw.frame.empty:
            return None

    text = raw.frame
    out = pd.DataFrame(index=text.index)
    bad: dict[str, pd.Series] = {}
    for column in spec.columns:
        values = text[column]
        if column == "year":
            parsed, messages = parse_year(values)
        elif column in spec.counts:
            parsed, messages = parse_count(values)
        elif column == "ethnicity":
            parsed, codes, groups, details, reasons = parse_ethnicity(values)
            out["ethnic_group"] = groups
            out["ethnic_detail"] = details
            out["ethnic_code"] = codes
            out["ethnicity_given"] = values.str.strip()
            bad[column] = _report_ethnicity(log, raw, values.str.strip(), reasons)
            out[column] = parsed
            continue
        elif column in ("voting", "executive"):
            parsed, messages = parse_flag(values)
        elif column in spec.dates:
            parsed, messages = parse_date(values)
        elif column in spec.choices:
            parsed, messages = parse_choice(values, spec.choices[column])
            if column == "indicator":
                parsed = pd.to_numeric(parsed.where(messages == "", "0")).astype("int64")
        else:
            parsed = values.str.strip()
            if column == "org_code":
                parsed = parsed.str.upper()
            messages = pd.Series(
                np.where(parsed == "", "is empty; expected a value", ""), index=text.index
            )
        bad[column] = _report(log, raw, column, messages)
        out[column] = parsed
    for column in text.columns:
        if column not in spec.columns:
            out[column] = text[column].str.strip()
    if "sex" in spec.optional:
        # Optional: absent, every row's sex is not known; present, anything but female or
        # male is not known (never refused).
        out["sex"] = parse_sex(text["sex"]) if "sex" in text else SEX_NOT_KNOWN
    for column in JOB_COLUMNS:
        if column in spec.optional and column in text:
            # Optional: absent, no figures by occupation or band; present, checked as the
            # workforce's column is (every row one of the workforce's values).
            allowed = OCCUPATIONS if column == "occupation" else GRADES_AFC + GRADES_MEDICAL
            out[column], messages = parse_choice(text[column], allowed)
            bad[column] = _report(log, raw, column, messages)
    out[ROW] = raw.rows
    out = out[[*spec.columns, *[c for c in out.columns if c not in spec.columns]]]

    def parsed(*columns: str) -> pd.DataFrame:
        """The rows whose ``columns`` all parsed: cross-column checks look only at these."""
        mask = pd.Series(True, index=out.index)
        for column in columns:
            mask &= ~bad[column]
        return out.loc[mask]

    for numerator, denominator in spec.ratios:
        _check_ratio(parsed(numerator, denominator), raw, numerator, denominator, log)
    if all(c in bad for c in JOB_COLUMNS):  # the workforce, or a table given both
        _check_grades(parsed("occupation", "grade"), raw, log)
    if spec.name == "organisations" and any(c in out for c in ICB_COLUMNS):
        out = _check_icbs(out, parsed("region"), raw, log)
    if spec.name == "organisations" and PEER_GROUP_COLUMN in out:
        _check_peer_groups(out, raw, log)
    keyed = parsed(*spec.key)
    job = [c for c in JOB_COLUMNS if c in spec.optional and c in bad]
    if job:
        keyed = keyed.loc[keyed.index.intersection(parsed(*job).index)]
        spec = replace(spec, key=(*spec.key, *job))
    if "sex" in text.columns and "sex" in spec.optional:
        # rows differing in how an unknown sex is written are not repeats
        keyed = keyed.assign(sex=text.loc[keyed.index, "sex"])
        spec = replace(spec, key=(*spec.key, "sex"))
    _check_duplicates(keyed, raw, spec, log)
    return out


def _report_missing(raw: RawTable, spec: TableSpec, missing: list[str], log: ProblemLog) -> None:
    """One problem per missing column, listing the header as found and, when a header that
    matches no contract column is close to the missing one, suggesting it."""
    written = [raw.headers.get(c, c) for c in raw.frame.columns]
    found = ", ".join(f'"{h}"' for h in written) or "none"
    unmatched = [raw.headers.get(c, c) for c in raw.frame.columns if c not in spec.columns]
    for column in missing:
        close = close_header(column, unmatched)
        hint = f'; did you mean "{close}"?' if close else ""
        log.add(
            raw.label,
            f"is missing; table {spec.name!r} needs columns {', '.join(spec.columns)} "
            f"(found: {found}){hint}",
            column=column,
        )


#: A whole cell that says the row adds up others: "Total", "Grand total", "R1A Total"
#: (Excel's subtotals), "Sum", "All organisations".
_TOTAL = r"(?i)\s*(?:.*\s)?(?:grand\s*|sub-?\s*)?totals?\s*:?\s*|\s*(?:sum|all(?:\s+\w+)?)\s*"


def _stray_rows(raw: RawTable, spec: TableSpec, log: ProblemLog) -> np.ndarray:
    """Rows that are not records: totals rows and notes below or inside the table.

    Each is reported (a totals row would count everything twice; nothing is dropped
    silently) and left out of the other checks, so it gives one clear problem rather than
    one per cell. Returns the mask of such rows.
    """
    text = raw.frame
    labels = [c for c in spec.columns if c not in spec.counts]
    stray = np.zeros(len(text), dtype=bool)
    for column in labels:
        cells = text[column]
        # The full pattern is slow on a million cells; a plain search finds the few to test.
        maybe = cells.str.contains(r"(?i)total|sum|all").to_numpy(dtype=bool)
        total = np.zeros(len(text), dtype=bool)
        if maybe.any():
            total[maybe] = cells[maybe].str.fullmatch(_TOTAL).to_numpy(dtype=bool)
        total &= ~stray
        if total.any():
            messages = (
                '"' + cells[total].str.strip() + '" in ' + column + " looks like a totals row; "
                "remove it: totals are computed from the rows, so a totals row would count "
                "everything twice"
            )
            log.add_rows(raw.label, column, raw.rows[total], messages.tolist())
            stray |= total
    if spec.counts:
        no_label = np.ones(len(text), dtype=bool)
        for column in ("year", "org_code"):
            if column in text:
                no_label &= (text[column].str.strip() == "").to_numpy()
        some_count = np.zeros(len(text), dtype=bool)
        for column in spec.counts:
            some_count |= (text[column].str.strip() != "").to_numpy()
        sums = no_label & some_count & ~stray
        if sums.any():
            message = (
                "has counts but no year or org_code: it looks like a totals row; remove it: "
                "totals are computed from the rows, so a totals row would count everything twice"
            )
            listed = min(int(sums.sum()), log.max_rows_per_check)
            log.add_rows(raw.label, "org_code", raw.rows[sums], [message] * listed)
            stray |= sums
    if text.shape[1] >= 3:
        filled = np.zeros((len(text), text.shape[1]), dtype=bool)
        for position in range(text.shape[1]):
            filled[:, position] = (text.iloc[:, position].str.strip() != "").to_numpy()
        lone = (filled.sum(axis=1) == 1) & ~stray
        for position, column in enumerate(text.columns):
            here = np.flatnonzero(lone & filled[:, position])
            if not len(here):
                continue
            shown = text.iloc[here[: log.max_rows_per_check], position].str.strip().str.slice(0, 60)
            messages = (
                '"' + shown + '" is the only value in this row: it looks like a note or a '
                "title, not a record; remove it, or fill in the row"
            )
            log.add_rows(raw.label, str(column), raw.rows[here], messages.tolist())
        stray |= lone
    return stray


def _check_icbs(
    out: pd.DataFrame, regional: pd.DataFrame, raw: RawTable, log: ProblemLog
) -> pd.DataFrame:
    """The ICB columns of ``organisations`` (:data:`~wres_analysis.contract.ICB_COLUMNS`):
    both or neither; every code of the shape :data:`ICB_CODE_PATTERN` (upper-cased) with a
    name; one name per code; each ICB within one region (``regional``: the rows whose region
    parsed). Returns ``out`` with the codes upper-cased."""
    missing = [c for c in ICB_COLUMNS if c not in out]
    if missing:
        given = next(c for c in ICB_COLUMNS if c in out)
        log.add(
            raw.label,
            f"is missing; {given} is given, and the ICB columns {', '.join(ICB_COLUMNS)} "
            "go together (give both, or neither for no ICB level)",
            column=missing[0],
        )
        return out
    out = out.assign(icb_code=out["icb_code"].str.upper())
    code, name = out["icb_code"], out["icb_name"]
    shape = code.str.fullmatch(ICB_CODE_PATTERN).fillna(False)
    bad = ~shape
    if bad.any():
        messages = (
            '"' + code[bad] + '" is not an ICB code; expected the ICB\'s ODS code: Q and two '
            "letters or digits (e.g. QMJ)"
        )
        log.add_rows(raw.label, "icb_code", raw.rows[bad.to_numpy()], messages.tolist())
    empty = shape & (name == "")
    if empty.any():
        messages = pd.Series("is empty; expected the ICB's name", index=name[empty].index)
        log.add_rows(raw.label, "icb_name", raw.rows[empty.to_numpy()], messages.tolist())
    good = out.loc[shape & ~empty]
    for column, what in (("icb_name", "name"), ("region", "region")):
        frame = good if column == "icb_name" else good.loc[good.index.isin(regional.index)]
        first = frame.groupby("icb_code", sort=False)[column].transform("first")
        clash = frame[frame[column] != first]
        if clash.empty:
            continue
        messages = (
            'ICB "' + clash["icb_code"] + f'" has {what} "' + clash[column] + '" here but "'
            + first[clash.index] + '" in an earlier row; expected one '
            + ("name per ICB code" if what == "name" else "region per ICB (an ICB lies in one "
               "NHS England region)")
        )
        log.add_rows(raw.label, column, clash[ROW].to_numpy(), messages.tolist())
    return out


def _check_ratio(
    frame: pd.DataFrame, raw: RawTable, numerator: str, denominator: str, log: ProblemLog
) -> None:
    over = frame[numerator] > frame[denominator]
    if not over.any():
        return
    rows = frame.loc[over]
    messages = (
        f"{numerator} "
        + rows[numerator].astype(str)
        + f" is more than {denominator} "
        + rows[denominator].astype(str)
        + f"; expected {numerator} no greater than {denominator}"
    )
    log.add_rows(raw.label, numerator, rows[ROW].to_numpy(), messages.tolist())


def _check_peer_groups(frame: pd.DataFrame, raw: RawTable, log: ProblemLog) -> None:
    """A peer group named by one organisation only compares it with nothing: an error at
    its row (an empty cell is no peer group)."""
    groups = frame[PEER_GROUP_COLUMN]
    named = groups != ""
    alone = named & ~groups.duplicated(keep=False)
    if not alone.any():
        return
    rows = frame.loc[alone]
    messages = (
        '"' + rows[PEER_GROUP_COLUMN] + '" is the peer group of this organisation only; a peer '
        "group needs at least two organisations with the same value (leave the cell empty "
        "for none)"
    )
    log.add_rows(raw.label, PEER_GROUP_COLUMN, rows[ROW].to_numpy(), messages.tolist())


def _check_grades(frame: pd.DataFrame, raw: RawTable, log: ProblemLog) -> None:
    medical = frame["occupation"] == "medical and dental"
    wrong = (medical & frame["grade"].isin(GRADES_AFC)) | (
        ~medical & frame["grade"].isin(GRADES_MEDICAL)
    )
    if not wrong.any():
        return
    rows = frame.loc[wrong]
    expected = np.where(
        rows["occupation"] == "medical and dental",
        "; medical and dental staff use " + ", ".join(GRADES_MEDICAL),
        "; clinical and non-clinical staff use Agenda for Change bands and VSM",
    )
    messages = (
        '"' + rows["grade"] + '" is not a grade for ' + rows["occupation"] + " staff" + expected
    )
    log.add_rows(raw.label, "grade", rows[ROW].to_numpy(), messages.tolist())


def _check_duplicates(frame: pd.DataFrame, raw: RawTable, spec: TableSpec, log: ProblemLog) -> None:
    key = list(spec.key)
    dup = frame.duplicated(key, keep=False)
    if not dup.any():
        return
    first_row = frame.loc[dup].groupby(key, sort=False)[ROW].transform("min")
    repeats = frame.loc[dup & (frame[ROW] != first_row.reindex(frame.index))]
    firsts = first_row.reindex(repeats.index)
    messages = (
        "repeats the key ("
        + ", ".join(key)
        + ") of row "
        + firsts.astype(str)
        + "; expected one row per "
        + ", ".join(key)
    )
    log.add_rows(raw.label, None, repeats[ROW].to_numpy(), messages.tolist())


def check_org_codes(
    tables: dict[str, pd.DataFrame], labels: dict[str, str], log: ProblemLog
) -> None:
    """Every org_code used in a data table must be listed in ``organisations``."""
    organisations = tables.get("organisations")
    if organisations is None:
        return
    known = set(organisations["org_code"])
    for name, frame in tables.items():
        if name == "organisations":
            continue
        unknown = ~frame["org_code"].isin(known) & (frame["org_code"] != "")
        if unknown.any():
            bad = frame.loc[unknown]
            messages = (
                '"' + bad["org_code"] + '" is not an org_code listed in organisations; expected '
                "one of the organisations' codes"
            )
            log.add_rows(labels[name], "org_code", bad[ROW].to_numpy(), messages.tolist())
