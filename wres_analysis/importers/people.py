"""One person, one count: the second scan of a staff-in-post import.

By the time this runs, the census (:meth:`~wres_analysis.importers.engine.Run.census`) has
read every distinct raw value of every field the rules read, and every value read. Each
field's raw values then become a small table, a **dimension**, holding what the rules made
of them: the report year a snapshot counts in (a row whose snapshot, status or contract is
left out has none, and the join leaves it out), the primary and board flags, the occupation
and grade, the ethnicity and the organisation.

The files are scanned once more, untrimmed: each row is joined to the dimensions by the hash
of its raw cells (integers, cheaper to compare than text; should two values of a dimension
share a hash, that join compares the cells themselves), and one hash aggregation keeps, per
person and year, the assignment counted as one 128-bit number: its priority
(:data:`PRIORITY`) above the code of what it counts as (organisation, occupation and grade,
ethnicity), so the largest is the counted assignment and what it counts as. A second,
small aggregation counts people per year, code and board flags.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from wres_analysis.importers.defaults import read_flag
from wres_analysis.importers.engine import Run
from wres_analysis.importers.sources import clean

__all__ = [
    "CLASS_FIELDS",
    "PRIORITY",
    "STATE_FIELDS",
    "Dimensions",
    "bad_fte_sql",
    "count_people",
    "distinct",
    "state_dimension",
]

#: The fields read together into an occupation and grade (and whether a row is board only).
CLASS_FIELDS = ("staff_group", "occupation", "grade", "job_role", "board_member")
#: The fields read together into the report year (or none: left out) and the flags.
STATE_FIELDS = (
    "snapshot_date",
    "year",
    "status",
    "assignment_type",
    "primary",
    "board_member",
    "voting",
    "executive",
)
#: Which of a person's assignments is counted, as one number: a post before a board-only
#: row, then the primary assignment, then the highest FTE (to 0.001), then a fixed rule on
#: the assignment identifier (the top 31 bits of its hash), so the same files always give
#: the same tables. Below it, the code of what the assignment counts as breaks any tie.
PRIORITY = (
    "((w::BIGINT * 2 + prim::BIGINT) * 1000000 + CASE WHEN f > 0 AND isfinite(f) THEN "
    "least(round(f * 1000), 999999)::BIGINT ELSE 0 END) * 2147483648 + (ah >> 33)::BIGINT"
)
#: The codes of what an assignment counts as are below this (the priority is above it).
CODE_SPAN = 2**63
_BOARD, _VOTING, _EXECUTIVE = 1, 2, 4
#: Join the dimensions by the hash of the raw cells (else, as when two of a dimension's
#: values share a hash, by the cells themselves: slower, the same result).
JOIN_BY_HASH = True
_FLAG_BITS = (("board_member", _BOARD), ("voting", _VOTING), ("executive", _EXECUTIVE))


def bad_fte_sql(column: str, number: str) -> str:
    """SQL true where the FTE cell ``column`` (read as the DOUBLE ``number``) is given but
    is not a whole-time equivalent (not a number, infinite or negative)."""
    given = f"({number} IS NULL AND trim({column}) <> '')"
    return f"({given} OR NOT isfinite({number}) OR {number} < 0)"


@dataclass
class Dimensions:
    """What the rules made of each raw value, as read from the census.

    ``states``: raw :data:`STATE_FIELDS` with ``report_year`` (the year counted in; none for
    the rows left out), and ``prim``, ``bits`` (board, voting, executive). ``classes``: raw
    :data:`CLASS_FIELDS` with ``cell`` (an index of ``cells``, or ``len(cells)`` for a
    board-only row). ``ethnicities``: raw ethnicity with ``eth`` and ``beth`` (as written in
    workforce and in board). ``orgs``: raw org_code with ``org`` (the code as written)."""

    states: pd.DataFrame
    classes: pd.DataFrame
    cells: list[tuple[str, str]]
    ethnicities: pd.DataFrame
    orgs: pd.DataFrame


def _register(run: Run, name: str, frame: pd.DataFrame, columns: tuple[str, ...]) -> str:
    """``frame`` (raw ``columns``, one row per combination, and the values read) as table
    ``name``; returns the condition joining it to the scan ``s``."""
    con = run.connection
    con.register(f"{name}_frame", frame)
    quoted = [f'"{c}"' for c in columns]
    raw = ", ".join(f"CAST({q} AS VARCHAR) AS {q}" for q in quoted)
    values = "".join(f', "{c}"' for c in frame.columns if c not in columns)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT hash({', '.join(quoted)}) AS h, * "
        f"FROM (SELECT {raw}{values} FROM {name}_frame)"
    )
    con.unregister(f"{name}_frame")
    distinct, total = con.sql(f"SELECT count(DISTINCT h), count(*) FROM {name}").fetchall()[0]
    if JOIN_BY_HASH and distinct == total:
        return f"{name}.h = hash({', '.join('s.' + q for q in quoted)})"
    return " AND ".join(f"{name}.{q} IS NOT DISTINCT FROM s.{q}" for q in quoted)


def _rows_sql(run: Run, dims: Dimensions, asg: str) -> tuple[str, int, int, int]:
    """The rows counted, joined to what they count as; with the number of cells, of
    ethnicity pairs (the radices of the code) and of workforce ethnicities."""
    ethnicities = dims.ethnicities
    pairs = sorted(set(zip(ethnicities["eth"], ethnicities["beth"], strict=True)))
    pair_id = {p: i for i, p in enumerate(pairs)}
    eth_id = {e: i for i, e in enumerate(sorted(set(ethnicities["eth"])))}
    ethnicities = ethnicities.assign(
        pair=[pair_id[p] for p in zip(ethnicities["eth"], ethnicities["beth"], strict=True)],
        eid=ethnicities["eth"].map(eth_id),
    )
    orgs = sorted(set(dims.orgs["org"]))
    org_frame = dims.orgs.assign(oid=dims.orgs["org"].map({o: i for i, o in enumerate(orgs)}))
    cells = len(dims.cells) + 1
    if len(orgs) * cells * len(pairs) >= CODE_SPAN:
        raise ValueError("too many organisations, grades and ethnicities to count in one pass")
    joins = [
        ("m_state", dims.states.dropna(subset=["report_year"]), STATE_FIELDS),
        ("m_class", dims.classes, CLASS_FIELDS),
        ("m_eth", ethnicities, ("ethnicity",)),
        ("m_org", org_frame, ("org_code",)),
    ]
    on = " ".join(
        f"JOIN {name} ON {_register(run, name, frame, columns)}" for name, frame, columns in joins
    )
    sql = f"""
      SELECT s._src, m_state.report_year::SMALLINT AS year, trim(s.person_id) AS p,
             trim(s.person_id) AS person_id, m_org.oid::INTEGER AS oid, m_org.org,
             m_eth.eid::INTEGER AS eid, m_eth.eth, m_eth.pair::INTEGER AS pair,
             m_class.cell::INTEGER AS cell, m_class.w::INTEGER AS w,
             m_state.prim::INTEGER AS prim, m_state.bits::UTINYINT AS bits,
             TRY_CAST(s.fte AS DOUBLE) AS f, {asg} AS asg
      FROM raw s {on}
    """
    return sql, cells, len(pairs), len(eth_id)


def count_people(run: Run, dims: Dimensions, asg: str, board: bool) -> tuple[pd.DataFrame, str]:
    """People counted per year, organisation, cell, ethnicity and board flags (``board``:
    whether any file has a board column), with the counts that say whether a check must list
    people (``duplicated``, ``moved``, ``varied``) and ``secondary`` (assignments not
    counted); and the SQL of the rows counted (for listing the people a check finds).

    Each person's state is kept small, since nearly every person is a group of their own:
    their rows (``n``), the counted assignment (``pick``), and the least and greatest of one
    number per row, ``place`` (organisation, ethnicity) above the top bits of the hash of the
    assignment, with the exclusive or of those bits (``hx``). A person's rows name two
    organisations or two ethnicities when the places of the least and greatest differ. With
    one place, two rows repeat an assignment when ``hx`` is 0, and three rows when ``hx`` is
    the hash of the least or of the greatest (of three distinct hashes, their exclusive or is
    neither); four or more rows, or three in two places, are listed by the check itself. A
    hash shared by two distinct assignments only makes the check look (and find nothing)."""
    rows, cells, pairs, eths = _rows_sql(run, dims, asg)
    eth_bits = max(1, (eths - 1).bit_length())
    place_bits = max(1, (len(set(dims.orgs["org"])) - 1).bit_length()) + eth_bits
    bits = max(1, 63 - place_bits)
    mask = (1 << bits) - 1
    key = f"((((oid::BIGINT << {eth_bits}) | eid) << {bits}) | (ah >> {64 - bits})::BIGINT)"
    sql = f"""
    WITH r AS ({rows}), people AS (
      SELECT year, p, count(*)::INTEGER AS n,
             max(({PRIORITY})::HUGEINT * {CODE_SPAN} + (oid * {cells} + cell) * {pairs} + pair)
               AS pick,
             min({key}) AS lo, max({key}) AS hi, bit_xor((ah >> {64 - bits})::BIGINT) AS hx,
             {"bit_or(bits)" if board else "0::UTINYINT"} AS bits
      FROM (SELECT *, hash(asg) AS ah FROM r) GROUP BY year, p
    )
    SELECT year, (pick & {CODE_SPAN - 1})::BIGINT AS code, bits, count(*) AS people,
           sum(n - 1) AS secondary,
           count(*) FILTER (WHERE n = 2 AND hx = 0 OR n = 3 AND (lo >> {bits} <> hi >> {bits}
             OR hx = lo & {mask} OR hx = hi & {mask}) OR n > 3) AS duplicated,
           count(*) FILTER (WHERE lo >> {bits + eth_bits} <> hi >> {bits + eth_bits}) AS moved,
           count(*) FILTER (WHERE lo >> {bits} <> hi >> {bits}) AS varied
    FROM people GROUP BY ALL
    """
    counts = run.connection.sql(sql).df()
    kept = int(dims.states.loc[dims.states["report_year"].notna(), "n"].sum())
    if int(counts["people"].sum() + counts["secondary"].sum()) != kept:
        raise RuntimeError(
            f"the count of people lost rows: {kept:,} rows are counted by the census but "
            f"{int(counts['people'].sum() + counts['secondary'].sum()):,} were counted"
        )
    code = counts["code"].to_numpy(dtype=np.int64)
    pair, rest = np.divmod(code, pairs)[::-1]
    cell, org = np.divmod(rest, cells)[::-1]
    ethnicities = dims.ethnicities
    pair_names = sorted(set(zip(ethnicities["eth"], ethnicities["beth"], strict=True)))

    def names(values: list) -> np.ndarray:
        return np.array([*values, ""], dtype=object)

    bits = counts["bits"].to_numpy(dtype=np.int64)
    return counts.assign(
        org=names(sorted(set(dims.orgs["org"])))[org],
        board_only=cell == len(dims.cells),
        occupation=names([c[0] for c in dims.cells])[cell],
        grade=names([c[1] for c in dims.cells])[cell],
        eth=names([e for e, _ in pair_names])[pair],
        beth=names([b for _, b in pair_names])[pair],
        board=(bits & _BOARD) > 0,
        voting=(bits & _VOTING) > 0,
        executive=(bits & _EXECUTIVE) > 0,
    ), rows


def distinct(raw: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """The distinct combinations of raw ``columns`` (NULL kept apart from empty) in a census
    frame, with their rows (``n``) over every file."""
    rows: dict[tuple, int] = {}
    for record in raw[[*columns, "n"]].itertuples(index=False):
        rows[tuple(record[:-1])] = rows.get(tuple(record[:-1]), 0) + int(record[-1])
    frame = pd.DataFrame(list(rows), columns=list(columns), dtype=object)
    return frame.assign(n=list(rows.values()))


def state_dimension(raw: pd.DataFrame, counted_year: dict[tuple[str, ...], int]) -> pd.DataFrame:
    """The raw state combinations, each with the report year it is counted in (none when it
    is left out), its primary flag, its board flags and its rows (``n``)."""
    frame = distinct(raw, STATE_FIELDS)
    years, prim, bits = [], [], []
    for record in frame[list(STATE_FIELDS)].itertuples(index=False):
        flags = dict(zip(STATE_FIELDS, (clean(v) for v in record), strict=True))
        years.append(counted_year.get(tuple(flags[f] for f in STATE_FIELDS[:4])))
        prim.append(int(read_flag(flags["primary"]) is True))
        bits.append(sum(bit for name, bit in _FLAG_BITS if read_flag(flags[name]) is True))
    return frame.assign(report_year=pd.array(years, dtype="Int64"), prim=prim, bits=bits)
