"""The optional actions table: read and validated like the contract's tables, and the chapter
that needs it left out of a report whose organisation has none (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import SMALL_TABLES, write_tables
from wres_analysis.cli import main
from wres_analysis.contract import ACTION_STATUSES
from wres_analysis.data import DataValidationError, load_dataset
from wres_analysis.demo import demo_dataset_path
from wres_analysis.report.config import ChapterSpec
from wres_analysis.report.inputs import actions_of
from wres_analysis.report.pipeline import _included

GOOD = """org_code,indicator,action,lead,due,status
R1A,2,Diverse interview panels,Director of People,2025-03-31,on track
R1A,9,Reverse mentoring,Chair,2025-06-30,At Risk
"""


def _dataset(tmp_path: Path, actions: str | None) -> Path:
    tables = dict(SMALL_TABLES)
    if actions is not None:
        tables["actions"] = actions
    return write_tables(tmp_path / "data", tables)


def test_actions_are_read_in_canonical_spelling(tmp_path: Path) -> None:
    dataset = load_dataset(_dataset(tmp_path, GOOD))
    actions = dataset["actions"]
    assert list(actions["status"]) == ["on track", "at risk"]
    mine = actions_of(dataset, "R1A")
    assert list(mine.columns) == ["indicator", "action", "lead", "due", "status"]
    assert list(mine["indicator"]) == ["2", "9"] and list(mine["due"]) == ["2025-03-31",
                                                                          "2025-06-30"]
    assert actions_of(load_dataset(_dataset(tmp_path / "none", None)), "R1A").empty


@pytest.mark.parametrize(
    ("line", "row", "column", "words"),
    [
        ("R1A,2,Panels,HR,2025-03-31,late", 2, "status", "expected one of: not started"),
        ("R1A,12,Panels,HR,2025-03-31,done", 2, "indicator", "expected one of: 1, 2"),
        ("R1A,2,Panels,HR,31/03/2025,done", 2, "due", "YYYY-MM-DD"),
        ("R1A,2,Panels,,2025-03-31,done", 2, "lead", "is empty"),
        ("QQQ,2,Panels,HR,2025-03-31,done", 2, "org_code", "not an org_code listed"),
    ],
)
def test_bad_actions_name_file_row_and_column(
    tmp_path: Path, line: str, row: int, column: str, words: str
) -> None:
    folder = _dataset(tmp_path, "org_code,indicator,action,lead,due,status\n" + line + "\n")
    with pytest.raises(DataValidationError) as raised:
        load_dataset(folder)
    text = str(raised.value)
    assert f"actions.csv, row {row}, column '{column}'" in text, text
    assert words in text, text
    assert main(["validate", str(folder)]) == 1


def test_an_action_listed_twice_is_refused(tmp_path: Path) -> None:
    line = "R1A,2,Panels,HR,2025-03-31,done\n"
    folder = _dataset(tmp_path, "org_code,indicator,action,lead,due,status\n" + line * 2)
    with pytest.raises(DataValidationError, match="actions.csv"):
        load_dataset(folder)


def test_the_action_plan_chapter_needs_actions() -> None:
    chapter = ChapterSpec(name="action_plan", notebook="x.ipynb", title="Action plan",
                          needs="actions")
    plain = ChapterSpec(name="summary", notebook="y.ipynb", title="Summary")

    class Inputs:
        def __init__(self, actions: pd.DataFrame | None) -> None:
            self.tables = {} if actions is None else {"actions": actions}

    some = pd.DataFrame({"indicator": ["2"], "status": ["done"]})
    assert _included(chapter, Inputs(some))
    assert not _included(chapter, Inputs(some.iloc[:0]))
    assert not _included(chapter, Inputs(None))
    assert _included(plain, Inputs(None))
    with pytest.raises(ValueError):
        ChapterSpec(name="x", notebook="x.ipynb", title="X", needs="boards")


def test_the_demo_actions_are_synthetic_and_valid() -> None:
    dataset = load_dataset(demo_dataset_path())
    actions = dataset["actions"]
    assert dataset.is_synthetic and set(actions["synthetic"]) == {"yes"}
    assert set(actions["status"]) <= set(ACTION_STATUSES)
    assert actions["org_code"].nunique() == 2
    assert actions["lead"].str.contains("SYNTHETIC").all()
