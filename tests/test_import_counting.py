"""The staff-in-post import's count of people (``importers/people.py``): cells read as the
rules read them however the file pads or leaves them empty, one count per person whatever
the order of the rows, and the checks of a person's rows (FTE, two ethnicities, a repeated
assignment without an assignment column, two organisations and two ethnicities at once).

Every expected count is worked out by hand from the rows written here.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from wres_analysis.cli import main

HEADER = [
    "Unique Nhs Identifier",
    "Organisation Code",
    "Snapshot Date",
    "Ethnic Origin",
    "Staff Group",
    "Pay Band",
    "Asg Type Of Contract",
    "Status",
    "Assignment Number",
    "Contracted Wte",
    "Primary Assignment",
]


def row(person: str, **changes: str) -> list[str]:
    values = dict(
        zip(
            HEADER,
            [
                person,
                "R1A",
                "2024-03-31",
                "A",
                "Nursing and Midwifery Registered",
                "Band 5",
                "Permanent",
                "Active Assignment",
                f"{person}-1",
                "1",
                "Y",
            ],
            strict=True,
        )
    )
    values.update(changes)
    return list(values.values())


def write(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def run(path: Path, out: Path) -> int:
    return main(["import", "staff-in-post", str(path), "--out", str(out), "--quiet"])


def headcounts(out: Path) -> dict[tuple[str, str, str], int]:
    table = pd.read_csv(out / "workforce.csv", dtype=str)
    return {
        (r.org_code, r.grade, r.ethnicity): int(r.headcount) for r in table.itertuples(index=False)
    }


def test_padded_and_empty_cells_read_as_trimmed_values(tmp_path: Path) -> None:
    # Person 1's two posts: one with its cells padded with spaces (the same person, band
    # and ethnicity), the other primary; person 2 padded only; person 3 with an empty
    # (unquoted) FTE and contract. So 3 people: 1 and 3 in Band 5 / A, 2 in Band 6 / N.
    path = tmp_path / "extract.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(f'"{h}"' for h in HEADER) + "\n")
        handle.write(
            '" 1 ",R1A,2024-03-31," A ", Nursing and Midwifery Registered ,'
            '" Band 5",Permanent,Active Assignment,1-2,0.5,N\n'
        )
        handle.write(
            "1,r1a ,2024-03-31,A,Nursing and Midwifery Registered,Band 5,"
            "Permanent,Active Assignment ,1-1,1,Y\n"
        )
        handle.write(
            '"2  ",R1A, 2024-03-31 ,N,Nursing and Midwifery Registered,Band 6,'
            "Permanent,Active Assignment,2-1, 1 , Y \n"
        )
        handle.write(
            "3,R1A,2024-03-31,A,Nursing and Midwifery Registered,Band 5,,Active Assignment,3-1,,\n"
        )
    out = tmp_path / "out"
    assert run(path, out) == 0
    assert headcounts(out) == {("R1A", "Band 5", "A"): 2, ("R1A", "Band 6", "N"): 1}


def test_a_person_is_counted_on_the_same_post_whatever_the_order_of_rows(
    tmp_path: Path,
) -> None:
    # Person 1 has three posts, none primary, two with the same highest FTE: the fixed rule
    # on the assignment identifier picks one of those two, whichever order the rows come in.
    rows = [
        row(
            "1",
            **{
                "Pay Band": "Band 3",
                "Assignment Number": "a",
                "Contracted Wte": "0.2",
                "Primary Assignment": "N",
            },
        ),
        row(
            "1",
            **{
                "Pay Band": "Band 4",
                "Assignment Number": "b",
                "Contracted Wte": "0.6",
                "Primary Assignment": "N",
            },
        ),
        row(
            "1",
            **{
                "Pay Band": "Band 7",
                "Assignment Number": "c",
                "Contracted Wte": "0.6",
                "Primary Assignment": "N",
            },
        ),
        row("2"),
    ]
    tables = []
    for order in (rows, rows[::-1], [rows[2], rows[0], rows[3], rows[1]]):
        name = f"o{len(tables)}"
        assert run(write(tmp_path / f"{name}.csv", order), tmp_path / name) == 0
        tables.append(headcounts(tmp_path / name))
    assert tables[0] == tables[1] == tables[2]
    assert sum(tables[0].values()) == 2
    assert tables[0][("R1A", "Band 5", "A")] == 1
    assert {g for (_, g, _) in tables[0]} - {"Band 5"} <= {"Band 4", "Band 7"}


@pytest.mark.parametrize(
    ("rows", "header", "expected"),
    [
        pytest.param(
            [row("1"), row("2", **{"Contracted Wte": "full"})],
            HEADER,
            ["extract.csv, row 3, column 'Contracted Wte': \"full\"", "whole-time equivalent"],
            id="an FTE that is not a number",
        ),
        pytest.param(
            # A bank row is left out of the count, but its cells are still checked.
            [row("1"), row("2", **{"Contracted Wte": "-1", "Asg Type Of Contract": "Bank"})],
            HEADER,
            ["extract.csv, row 3, column 'Contracted Wte': \"-1\"", "whole-time equivalent"],
            id="a negative FTE on a bank row",
        ),
        pytest.param(
            [
                row("1"),
                row("2"),
                row(
                    "2",
                    **{"Ethnic Origin": "N", "Assignment Number": "2-2", "Primary Assignment": "N"},
                ),
            ],
            HEADER,
            [
                "extract.csv, row 3, column 'Unique Nhs Identifier': \"2\"",
                "has 2 ethnicities (A, N) in the snapshot of 2024",
            ],
            id="a person with two ethnicities",
        ),
        pytest.param(
            [
                row("1"),
                row("2"),
                row(
                    "2",
                    **{
                        "Ethnic Origin": "N",
                        "Assignment Number": "2-2",
                        "Organisation Code": "R1B",
                        "Primary Assignment": "N",
                    },
                ),
            ],
            HEADER,
            [
                "is in 2 organisations (R1A, R1B) in the snapshot of 2024",
                "has 2 ethnicities (A, N) in the snapshot of 2024",
            ],
            id="two organisations and two ethnicities",
        ),
        pytest.param(
            [
                row("1"),
                row("2", **{"Assignment Number": "x", "Primary Assignment": "N"}),
                row("2", **{"Assignment Number": "y"}),
                row("2", **{"Assignment Number": "x", "Primary Assignment": "N"}),
            ],
            HEADER,
            [
                "extract.csv, row 3, column 'Unique Nhs Identifier': \"2\"",
                "has the same assignment 2 times in the snapshot of 2024",
            ],
            id="one of three rows repeating an assignment",
        ),
        pytest.param(
            [row("1")] + [row("2", **{"Assignment Number": a}) for a in "wxyx"],
            HEADER,
            ["has the same assignment 2 times in the snapshot of 2024"],
            id="one of four rows repeating an assignment",
        ),
        pytest.param(
            [r[:8] + r[9:] for r in (row("1"), row("2"), row("2"))],
            HEADER[:8] + HEADER[9:],
            [
                "extract.csv, row 3, column 'Unique Nhs Identifier': \"2\"",
                "has the same assignment 2 times in the snapshot of 2024",
            ],
            id="an identical row without an assignment column",
        ),
    ],
)
def test_a_bad_row_is_refused_naming_file_row_and_column(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    rows: list[list[str]],
    header: list[str],
    expected: list[str],
) -> None:
    out = tmp_path / "out"
    assert run(write(tmp_path / "extract.csv", rows, header), out) == 1
    err = capsys.readouterr().err
    for text in expected:
        assert text in err, err
    assert "Traceback" not in err
    assert not out.exists() or not any(out.iterdir())


def test_three_posts_of_one_person_are_counted_once(tmp_path: Path) -> None:
    rows = [
        row("1", **{"Assignment Number": "1-1", "Primary Assignment": "N"}),
        row("1", **{"Assignment Number": "1-2", "Pay Band": "Band 8A"}),
        row("1", **{"Assignment Number": "1-3", "Primary Assignment": "N"}),
    ]
    out = tmp_path / "out"
    assert run(write(tmp_path / "extract.csv", rows), out) == 0
    assert headcounts(out) == {("R1A", "Band 8a", "A"): 1}


def test_parquet_with_typed_columns_counts_as_the_csv(tmp_path: Path) -> None:
    rows = [
        row("1"),
        row(
            "1",
            **{
                "Assignment Number": "1-2",
                "Contracted Wte": "0.4",
                "Primary Assignment": "N",
                "Pay Band": "Band 2",
            },
        ),
        row("2", **{"Ethnic Origin": "N", "Pay Band": "Band 7"}),
        row("3", **{"Asg Type Of Contract": "Bank"}),
    ]
    csv_path = write(tmp_path / "extract.csv", rows)
    frame = pd.read_csv(csv_path, dtype=str).astype({"Contracted Wte": "float64"})
    frame["Unique Nhs Identifier"] = frame["Unique Nhs Identifier"].astype("int64")
    frame.to_parquet(tmp_path / "extract.parquet", index=False)
    assert run(csv_path, tmp_path / "from-csv") == 0
    assert run(tmp_path / "extract.parquet", tmp_path / "from-parquet") == 0
    expected = {("R1A", "Band 5", "A"): 1, ("R1A", "Band 7", "N"): 1}
    assert headcounts(tmp_path / "from-csv") == expected
    assert headcounts(tmp_path / "from-parquet") == expected


def test_joining_by_the_cells_gives_what_joining_by_hash_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The join a dimension falls back to when two of its values share a hash.
    from wres_analysis.importers import people

    rows = [
        row("1"),
        row("1", **{"Assignment Number": "1-2", "Primary Assignment": "N", "Pay Band": "Band 2"}),
        row("2", **{"Ethnic Origin": "", "Organisation Code": "R1B"}),  # empty: Unknown
        row("3", **{"Asg Type Of Contract": "Bank"}),
        row("4", **{"Status": "Inactive Assignment"}),
    ]
    path = write(tmp_path / "extract.csv", rows)
    assert run(path, tmp_path / "by-hash") == 0
    monkeypatch.setattr(people, "JOIN_BY_HASH", False)
    assert run(path, tmp_path / "by-cells") == 0
    expected = {("R1A", "Band 5", "A"): 1, ("R1B", "Band 5", "Unknown"): 1}
    assert headcounts(tmp_path / "by-hash") == headcounts(tmp_path / "by-cells") == expected


def _hash_joins(node: dict) -> list[dict]:
    found = [node] if node.get("name") == "HASH_JOIN" else []
    for child in node.get("children", []):
        found += _hash_joins(child)
    return found


def test_joins_hold_the_small_table_not_the_files_rows(tmp_path):
    """DuckDB guesses a CSV file holds a few dozen rows, so left to its optimizers it would
    hold a file of millions of rows in memory and stream a table of a few hundred readings
    past it. The import's connection runs joins as written: the file streamed (left), the
    small table held (right)."""
    import json

    from wres_analysis.data.problems import ProblemLog
    from wres_analysis.importers.staff import STAFF_FIELDS, prepare

    path = write(tmp_path / "staff.csv", [row(f"P{i}") for i in range(300)])
    _, _, run = prepare([path], None, STAFF_FIELDS, ProblemLog(), tmp_path)
    assert run is not None
    run.register("readings", pd.DataFrame({"code": [f"R{i}" for i in range(500)]}))
    plan = run.connection.sql(
        "EXPLAIN (FORMAT JSON) SELECT count(*) FROM raw s "
        "JOIN readings ON readings.code = s.org_code"
    ).fetchall()[0][1]
    (join,) = [j for tree in json.loads(plan) for j in _hash_joins(tree)]
    probe, build = join["children"]
    assert "READ_CSV" in json.dumps(probe)
    assert "READ_CSV" not in json.dumps(build)
    assert run.connection.sql("SELECT count(*) FROM raw").fetchall() == [(300,)]
