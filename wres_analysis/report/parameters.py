"""The parameters every chapter notebook receives, and the check that they arrive as data.

Papermill injects parameters as Python source (``name = <literal>``) into a new cell after the
notebook's ``parameters`` cell. Every value here is plain data (``str``, ``int``, ``float``,
``None``, ``dict`` of those), and :func:`check_round_trip` proves before any kernel starts that
the injected source evaluates back to exactly the value given, so a string such as
``'; import os`` or ``</script>`` can only ever arrive as that string.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import Any

__all__ = ["NOTEBOOK_PARAMETERS", "check_round_trip", "injected_source", "notebook_parameters"]

#: The names every chapter's ``parameters`` cell must declare, with their meaning.
NOTEBOOK_PARAMETERS: dict[str, str] = {
    "data": "path of the validated dataset snapshot (None: the notebook loads the demo data)",
    "year": "WRES report year",
    "confidence": "confidence level of every interval, e.g. 0.95",
    "interval_method": "interval method for relative likelihoods, e.g. 'miettinen-nurminen'",
    "disclosure": "disclosure rule: {min_count, max_count, round_to, symbol}",
    "output_dir": "where the chapter publishes tables and figures (None: display only)",
    "chapter": "the chapter's name in the parameters file",
    "organisation": "organisation code for an organisation report, else None",
}


def notebook_parameters(
    *,
    data: str | None,
    year: int,
    confidence: float,
    interval_method: str,
    disclosure: Mapping[str, Any],
    output_dir: str | None,
    chapter: str,
    organisation: str | None = None,
) -> dict[str, Any]:
    """Return the parameters for one chapter run, as plain JSON-like data.

    Returns
    -------
    dict
        One entry per name in :data:`NOTEBOOK_PARAMETERS`, in that order.
    """
    values = {
        "data": None if data is None else str(data),
        "year": int(year),
        "confidence": float(confidence),
        "interval_method": str(interval_method),
        "disclosure": dict(disclosure),
        "output_dir": None if output_dir is None else str(output_dir),
        "chapter": str(chapter),
        "organisation": None if organisation is None else str(organisation),
    }
    return {name: values[name] for name in NOTEBOOK_PARAMETERS}


def injected_source(name: str, value: Any) -> str:
    """Return the line Papermill's Python translator injects for ``name = value``."""
    from papermill.translators import PythonTranslator

    return PythonTranslator.assign(name, PythonTranslator.translate(value))


def check_round_trip(parameters: Mapping[str, Any]) -> None:
    """Check that every injected parameter evaluates back to the same value.

    Raises
    ------
    ValueError
        Naming the parameter whose injected source is not the literal of its value (it would be
        code, not data).
    """
    for name, value in parameters.items():
        source = injected_source(name, value)
        try:
            tree = ast.parse(source, mode="exec")
            if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Assign):
                raise ValueError("not a single assignment")
            back = ast.literal_eval(tree.body[0].value)
        except (SyntaxError, ValueError) as exc:
            raise ValueError(
                f"parameter {name!r} would not be injected as a literal ({exc}): {source!r}"
            ) from exc
        if back != value or type(back) is not type(value):
            raise ValueError(
                f"parameter {name!r} changes when injected: {value!r} arrives as {back!r}"
            )
