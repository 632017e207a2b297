"""Board counts (indicator 9) are public: exempt from disclosure control unless the rule says
otherwise; staff counts stay controlled; ``wres audit`` knows the exemption from the manifest.

The oracle is the rule applied by hand: 1-7 suppressed, the rest rounded to 5, exempt rows as
they are (their percentages still to the rule's decimals).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from wres_analysis.audit import audit_output
from wres_analysis.contract import BOARD_BREAKDOWNS
from wres_analysis.disclosure import DisclosureRule, apply_disclosure, withheld_rows
from wres_analysis.report.config import ReportConfig
from wres_analysis.text import board_disclosure_text

COUNTS = ["white_count", "white_total", "group_count", "group_total"]


def _board_rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "level": ["organisation", "organisation", "organisation", "region"],
            "indicator": ["9", "9", "9", "1"],
            "measure": ["pct_bme", "pct_bme", "difference_pp", "pct_bme"],
            "breakdown": [
                "voting board members", "workforce", "voting board minus workforce",
                "voting board members",
            ],
            "estimate": [100 * 3 / 11, 100 * 4 / 1003, 100 * 3 / 11 - 0.4, 50.0],
            "white_count": pd.array([8, 999, pd.NA, 3], dtype="Int64"),
            "white_total": pd.array([11, 1003, pd.NA, 6], dtype="Int64"),
            "group_count": pd.array([3, 4, 3, 3], dtype="Int64"),
            "group_total": pd.array([11, 1003, pd.NA, 6], dtype="Int64"),
        }
    )


def test_board_counts_are_exempt_by_default_and_staff_counts_are_not() -> None:
    rule = DisclosureRule()
    out = apply_disclosure(_board_rows(), rule, counts=COUNTS, derived=["estimate"])
    # the board row: exact counts, the percentage to 1 decimal (27.2727... -> 27.3)
    assert list(out.loc[0, COUNTS]) == [8, 11, 3, 11]
    assert out.loc[0, "estimate"] == 27.3
    # the workforce row of indicator 9: staff, controlled (4 suppressed, 999 -> 1000)
    assert list(out.loc[1, COUNTS]) == [1000, 1005, "[c]", 1005]
    assert out.loc[1, "estimate"] == "[c]"
    assert out.loc[2, "group_count"] == 3 and out.loc[2, "estimate"] == 26.9
    # another indicator's row named like a board breakdown is not exempt
    assert out.loc[3, "group_count"] == "[c]"
    assert list(withheld_rows(_board_rows(), rule, counts=COUNTS)) == [False, True, False, True]


def test_the_parameter_turns_control_of_board_counts_back_on() -> None:
    rule = DisclosureRule(control_board_counts=True)
    out = apply_disclosure(_board_rows(), rule, counts=COUNTS, derived=["estimate"])
    assert list(out.loc[0, COUNTS]) == [10, 10, "[c]", 10]
    assert out.loc[0, "estimate"] == "[c]"
    assert list(withheld_rows(_board_rows(), rule, counts=COUNTS)) == [True, True, True, True]


def test_the_parameter_is_read_from_the_parameters_file_and_said_in_the_methods() -> None:
    base = {"report": "national", "title": "t", "year": 2024,
            "chapters": [{"name": "a", "notebook": "a.ipynb", "title": "A"}]}
    assert ReportConfig.model_validate(base).disclosure.control_board_counts is False
    on = ReportConfig.model_validate({**base, "disclosure": {"control_board_counts": True}})
    assert on.disclosure.control_board_counts is True
    assert "not controlled" in board_disclosure_text(DisclosureRule())
    assert "controlled like staff counts" in board_disclosure_text(on.disclosure)


def _report(folder: Path, text: str, exempt: list[str] | None) -> Path:
    (folder / "tables").mkdir(parents=True)
    (folder / "tables" / "board.csv").write_text(text, encoding="utf-8")
    audit = {"non_counts": {}, "bounds": {"years": 3, "organisations": 6, "records": 100}}
    if exempt is not None:
        audit["exempt_rows"] = {"breakdowns": exempt}
    manifest = {
        "scope": {"level": "organisation"},
        "parameters": {"disclosure": {"min_count": 1, "max_count": 7, "round_to": 5}},
        "outputs": {"disclosure_audit": audit},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def test_audit_exempts_board_rows_only_when_the_manifest_says_so(tmp_path: Path) -> None:
    text = (
        "level,breakdown,estimate,group_count,group_total\n"
        "organisation,Voting board members,27.3,3,11\n"
        "organisation,workforce,0.4,4,1005\n"
        "organisation,all board members,27.27272,3,11\n"
    )
    exempt = [b.lower() for b in BOARD_BREAKDOWNS]
    found = [str(f) for f in audit_output(_report(tmp_path / "a", text, exempt))]
    # the staff row's 4 is still found, and the board row's precision still checked: nothing
    # else (the board rows' 3 and 11 are neither suppressed nor rounded, and pass)
    assert [f.split(":")[0] for f in found] == [
        "tables/board.csv, row 3, column 'group_count'",
        "tables/board.csv, row 4, column 'estimate'",
    ]
    assert "count 4 should have been suppressed" in found[0]
    assert "27.27272 has more decimals" in found[1]
    # without the manifest's exemption the board counts are counts like any other
    strict = [str(f) for f in audit_output(_report(tmp_path / "b", text, None))]
    assert any("row 2, column 'group_count': count 3 should have been suppressed" in f
               for f in strict)
