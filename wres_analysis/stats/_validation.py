"""Argument checking and result framing shared by the statistics modules (internal)."""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import ndtri

__all__: list[str] = []

#: Column order of every interval-returning function.
INTERVAL_COLUMNS: tuple[str, ...] = ("estimate", "lower", "upper", "method", "confidence")


def _describe(value: Any) -> str:
    """Short ``repr`` of a value for an error message."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def as_float_array(value: Any, name: str) -> tuple[np.ndarray, pd.Index | None]:
    """Convert a scalar, sequence, NumPy array or Series to a 1-d float array.

    Returns the array (a new one: the input is never touched) and the Series index, if any.
    Raises ``TypeError`` for non-numeric or boolean input and ``ValueError`` for arrays with
    more than one dimension.
    """
    index: pd.Index | None = None
    if isinstance(value, pd.DataFrame):
        raise TypeError(
            f"`{name}` must be a scalar, sequence, NumPy array or pandas Series; "
            f"got a DataFrame with columns {list(value.columns)!r}"
        )
    if isinstance(value, pd.Series):
        index = value.index
        if pd.api.types.is_bool_dtype(value.dtype) or not pd.api.types.is_numeric_dtype(
            value.dtype
        ):
            raise TypeError(f"`{name}` must be numeric; got a Series of dtype {value.dtype}")
        arr = value.to_numpy(dtype="float64", na_value=np.nan, copy=True)
    else:
        if isinstance(value, bool | np.bool_):
            raise TypeError(f"`{name}` must be numeric; got the boolean {value!r}")
        raw = np.asarray(value)
        if raw.dtype.kind == "b":
            raise TypeError(f"`{name}` must be numeric; got a boolean array")
        if raw.dtype.kind not in "iuf":
            if raw.dtype.kind == "O":
                try:
                    raw = raw.astype("float64")
                except (TypeError, ValueError):
                    raise TypeError(f"`{name}` must be numeric; got {_describe(value)}") from None
            else:
                raise TypeError(
                    f"`{name}` must be numeric; got dtype {raw.dtype} ({_describe(value)})"
                )
        arr = np.array(raw, dtype="float64", copy=True)
    if arr.ndim > 1:
        raise ValueError(f"`{name}` must be a scalar or one-dimensional; got shape {arr.shape}")
    return np.atleast_1d(arr), index


def broadcast(
    arrays: dict[str, tuple[np.ndarray, pd.Index | None]],
) -> tuple[list[np.ndarray], pd.Index]:
    """Broadcast 1-d arrays of length 1 or n to a common length n and pick the index.

    The index is that of the first Series argument; all Series arguments must share it.
    Otherwise the result has a ``RangeIndex``.
    """
    lengths = {name: arr.size for name, (arr, _) in arrays.items()}
    sizes = {size for size in lengths.values() if size != 1}
    if len(sizes) > 1:
        raise ValueError(
            "the count arguments must have equal lengths (or length 1); got lengths "
            + ", ".join(f"{name}={size}" for name, size in lengths.items())
        )
    size = sizes.pop() if sizes else 1
    index: pd.Index | None = None
    index_owner = ""
    for name, (_, idx) in arrays.items():
        if idx is None:
            continue
        if index is None:
            index, index_owner = idx, name
        elif not idx.equals(index):
            raise ValueError(
                f"the Series `{index_owner}` and `{name}` must have the same index; "
                "align them first (e.g. with DataFrame columns)"
            )
    out = [np.broadcast_to(arr, (size,)).copy() for arr, _ in arrays.values()]
    if index is None or len(index) != size:
        index = pd.RangeIndex(size)
    return out, index


def _position_text(pos: int, index: pd.Index) -> str:
    label = index[pos]
    if isinstance(index, pd.RangeIndex) and label == pos:
        return f"position {pos}"
    return f"position {pos} (index label {label!r})"


def check_counts(
    x1: Any, n1: Any, x2: Any, n2: Any, *, allow_empty_group: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, pd.Index]:
    """Validate two-group counts and return them as float arrays with the output index.

    Every count must be a finite, non-negative whole number, each ``x`` at most its ``n``,
    and each ``n`` positive (unless ``allow_empty_group``). The first offending position is
    named in the ``ValueError``.
    """
    arrays = {
        "x1": as_float_array(x1, "x1"),
        "n1": as_float_array(n1, "n1"),
        "x2": as_float_array(x2, "x2"),
        "n2": as_float_array(n2, "n2"),
    }
    (a1, b1, a2, b2), index = broadcast(arrays)
    named = {"x1": a1, "n1": b1, "x2": a2, "n2": b2}
    problems: list[tuple[np.ndarray, str]] = []
    with np.errstate(invalid="ignore"):
        for name, arr in named.items():
            problems.append((~np.isfinite(arr), f"`{name}` must be finite (not missing)"))
            problems.append((arr < 0, f"`{name}` must be non-negative"))
            problems.append(
                (np.isfinite(arr) & (np.floor(arr) != arr), f"`{name}` must be a whole number")
            )
        if not allow_empty_group:
            problems.append((b1 == 0, "`n1` must be positive"))
            problems.append((b2 == 0, "`n2` must be positive"))
        problems.append((a1 > b1, "`x1` must not exceed `n1`"))
        problems.append((a2 > b2, "`x2` must not exceed `n2`"))
    any_bad = np.zeros(a1.size, dtype=bool)
    for mask, _ in problems:
        any_bad |= mask
    if any_bad.any():
        pos = int(np.flatnonzero(any_bad)[0])
        for mask, message in problems:
            if mask[pos]:
                values = ", ".join(f"{k}={v[pos]:g}" for k, v in named.items())
                raise ValueError(f"{message}; got {values} at {_position_text(pos, index)}")
    return a1, b1, a2, b2, index


def check_confidence(confidence: Any) -> float:
    """Return ``confidence`` as a float strictly between 0 and 1."""
    if isinstance(confidence, bool | np.bool_) or not isinstance(confidence, Real):
        raise TypeError(
            "`confidence` must be a number between 0 and 1 (e.g. 0.95); "
            f"got {_describe(confidence)}"
        )
    value = float(confidence)
    if not 0.0 < value < 1.0:
        raise ValueError(
            f"`confidence` must be strictly between 0 and 1 (e.g. 0.95); got {value!r}"
        )
    return value


def check_choice(value: Any, name: str, allowed: Sequence[str]) -> str:
    """Return ``value`` if it is one of ``allowed`` (exact, case-sensitive)."""
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"`{name}` must be one of {set(allowed)!r}; got {_describe(value)}")
    return value


def z_value(confidence: float) -> float:
    """Two-sided standard normal quantile for ``confidence``."""
    return float(ndtri(1.0 - (1.0 - confidence) / 2.0))


def interval_frame(
    estimate: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    method: str | Sequence[str],
    confidence: float,
    index: pd.Index,
) -> pd.DataFrame:
    """Build the standard ``estimate, lower, upper, method, confidence`` frame."""
    size = len(index)
    if isinstance(method, str):
        methods = pd.Series(method, index=index, dtype="str")
    else:
        methods = pd.Series(pd.array(list(method), dtype="str"), index=index)
    return pd.DataFrame(
        {
            "estimate": np.asarray(estimate, dtype="float64"),
            "lower": np.asarray(lower, dtype="float64"),
            "upper": np.asarray(upper, dtype="float64"),
            "method": methods,
            "confidence": np.full(size, confidence, dtype="float64"),
        },
        index=index,
    )
