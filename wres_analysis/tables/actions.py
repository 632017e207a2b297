"""An organisation's action plan as shown: by indicator, with each action's lead, due date
and status in words (the page adds the status's colour; the words carry it alone)."""

from __future__ import annotations

import pandas as pd

from wres_analysis.contract import ACTION_STATUSES
from wres_analysis.indicators.declarations import INDICATORS
from wres_analysis.tables.reader import ReaderTable, TableContext
from wres_analysis.text.tables import status_text

__all__ = ["STATUS_CLASS", "action_plan", "ordered_actions"]

#: The CSS class of a row whose action has each status (``wres-status-at-risk``).
STATUS_CLASS = {status: "wres-status-" + status.replace(" ", "-") for status in ACTION_STATUSES}


def ordered_actions(actions: pd.DataFrame) -> pd.DataFrame:
    """``actions`` in indicator order (1 to 9), each indicator's in the order given."""
    order = {key: i for i, key in enumerate(INDICATORS)}
    keyed = actions.assign(_order=actions["indicator"].astype(str).map(order))
    return keyed.sort_values("_order", kind="stable").drop(columns="_order")


def action_plan(frame: pd.DataFrame, context: TableContext) -> ReaderTable:
    """One row per action: the indicator it addresses (number and title), the action, its
    lead, its due date and its status in words."""
    rows, classes = [], []
    for _, row in ordered_actions(frame).iterrows():
        indicator = str(row["indicator"])
        title = INDICATORS[indicator].title if indicator in INDICATORS else ""
        rows.append(
            (
                f"{indicator}. {title}" if title else indicator,
                str(row["action"]),
                str(row["lead"]),
                str(row["due"]),
                status_text(str(row["status"])),
            )
        )
        classes.append(STATUS_CLASS.get(str(row["status"]), ""))
    return ReaderTable(
        caption=context.caption,
        header=("Indicator", "Action", "Lead", "Due", "Status"),
        rows=tuple(rows),
        row_headers=1,
        row_classes=tuple(classes) if rows else (),
    )
