"""Published reference values: every row of ci_test_vectors.csv and mh_test_vector.csv is a test.

The vectors are read from ``../shared/reference/`` beside the checkout when it is present, and
otherwise from the copies in ``tests/data/`` (which must match the shared files).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest

from wres_analysis.stats import difference, pooled_relative_likelihood, relative_likelihood

SHARED = Path(__file__).resolve().parents[2] / "shared" / "reference"
LOCAL = Path(__file__).resolve().parent / "data"


def _path(name: str) -> Path:
    shared = SHARED / name
    return shared if shared.is_file() else LOCAL / name


CI_VECTORS = pd.read_csv(_path("ci_test_vectors.csv"), comment="#", dtype={"method": str})
MH_PATH = _path("mh_test_vector.csv")


def _close(actual: float, expected: float, decimals: int) -> bool:
    if math.isnan(expected):
        return math.isnan(actual)
    if math.isinf(expected):
        return actual == expected
    return abs(actual - expected) <= 0.5 * 10.0**-decimals + 1e-12


@pytest.mark.parametrize(
    "row",
    [row for _, row in CI_VECTORS.iterrows()],
    ids=[
        f"{r.kind}-{r.method}-{r.x1}/{r.n1}-vs-{r.x2}/{r.n2}" for r in CI_VECTORS.itertuples()
    ],
)
def test_ci_vector(row: pd.Series) -> None:
    func = relative_likelihood if row["kind"] == "ratio" else difference
    result = func(row["x1"], row["n1"], row["x2"], row["n2"], method=row["method"]).iloc[0]
    decimals = int(row["decimals"])
    for column in ("estimate", "lower", "upper"):
        expected = float(row[column])
        assert _close(float(result[column]), expected, decimals), (
            f"{column}: got {result[column]!r}, expected {expected!r} to {decimals} decimals "
            f"({row['source']})"
        )
    assert result["method"] == row["method"]
    assert result["confidence"] == 0.95


def _mh_expected() -> dict[str, float]:
    text = MH_PATH.read_text()
    found = re.search(
        r"estimate ([\d.]+), lower ([\d.]+), upper ([\d.]+).*crude ratio from summed counts is "
        r"([\d.]+)",
        text,
    )
    assert found is not None, "could not parse the expected values in mh_test_vector.csv"
    keys = ("estimate", "lower", "upper", "crude")
    return dict(zip(keys, map(float, found.groups()), strict=True))


def test_mantel_haenszel_vector() -> None:
    strata = pd.read_csv(MH_PATH, comment="#")
    expected = _mh_expected()
    result = pooled_relative_likelihood(
        strata["x1"], strata["n1"], strata["x2"], strata["n2"], method=("mantel-haenszel", "crude")
    )
    mh = result.iloc[0]
    assert mh["method"] == "mantel-haenszel"
    for column in ("estimate", "lower", "upper"):
        assert _close(float(mh[column]), expected[column], 4), column
    crude = result.iloc[1]
    assert crude["method"] == "crude"
    assert _close(float(crude["estimate"]), expected["crude"], 4)


@pytest.mark.parametrize("name", ["ci_test_vectors.csv", "mh_test_vector.csv"])
def test_local_copy_matches_shared_reference(name: str) -> None:
    shared = SHARED / name
    if not shared.is_file():
        pytest.skip("shared/reference is not beside this checkout")
    # the local copy is the shared file behind one provenance comment line
    local_lines = (LOCAL / name).read_text().splitlines()
    assert local_lines[0].startswith("# Copy of shared/reference/")
    assert local_lines[1:] == shared.read_text().splitlines()
