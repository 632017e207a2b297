"""A single proportion with its Wilson score interval."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import ndtri

__all__ = ["proportion"]


def proportion(x, n, confidence: float = 0.95) -> pd.DataFrame:
    """The proportion ``x / n`` with a Wilson score confidence interval, vectorised.

    Parameters
    ----------
    x, n
        Counts (scalars, arrays or Series of whole numbers, ``0 <= x <= n``). ``n = 0`` gives
        NaN for the estimate and both limits: there is nothing to estimate.
    confidence
        Two-sided confidence level, between 0 and 1.

    Returns
    -------
    pandas.DataFrame
        Columns ``estimate, lower, upper`` (fractions, never rounded), ``method`` ("wilson")
        and ``confidence``; the index of a Series ``x``, otherwise a RangeIndex.

    Notes
    -----
    Wilson (1927) score interval without continuity correction:

    .. math:: \\frac{x + z^2/2 \\pm z\\sqrt{x(n-x)/n + z^2/4}}{n + z^2}

    It never leaves [0, 1], is not degenerate at 0 or n, and keeps close to nominal coverage
    at the small denominators of single organisations (Newcombe 1998, method 3; Brown, Cai &
    DasGupta 2001), unlike the Wald interval. Tested against Newcombe (1998) Table I.

    References
    ----------
    Wilson EB (1927). Probable inference, the law of succession, and statistical inference.
    JASA 22:209-212. doi:10.1080/01621459.1927.10502953
    Newcombe RG (1998). Two-sided confidence intervals for the single proportion: comparison
    of seven methods. Stat Med 17:857-872.
    doi:10.1002/(SICI)1097-0258(19980430)17:8<857::AID-SIM777>3.0.CO;2-E

    Examples
    --------
    >>> proportion(81, 263).round(4)[["estimate", "lower", "upper"]]
       estimate   lower   upper
    0     0.308  0.2553  0.3662
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence!r}")
    index = x.index if isinstance(x, pd.Series) else None
    xa = np.atleast_1d(np.asarray(x, dtype=float))
    na = np.atleast_1d(np.asarray(n, dtype=float))
    xa, na = np.broadcast_arrays(xa, na)
    for name, values in (("x", xa), ("n", na)):
        bad = ~np.isfinite(values) | (values < 0) | (values != np.floor(values))
        if bad.any():
            first = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"{name} must hold whole numbers of 0 or more; got {values[first]!r} "
                f"at position {first}"
            )
    over = xa > na
    if over.any():
        first = int(np.flatnonzero(over)[0])
        raise ValueError(f"x must not exceed n; got x={xa[first]!r}, n={na[first]!r} at {first}")
    z = float(ndtri(0.5 + confidence / 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        estimate = xa / na
        centre = (xa + z * z / 2) / (na + z * z)
        half = z * np.sqrt(xa * (na - xa) / na + z * z / 4) / (na + z * z)
        lower = np.where(xa == 0, 0.0, centre - half)
        upper = np.where(xa == na, 1.0, centre + half)
    empty = na == 0
    lower = np.where(empty, np.nan, lower)
    upper = np.where(empty, np.nan, upper)
    frame = pd.DataFrame({"estimate": estimate, "lower": lower, "upper": upper}, index=index)
    frame["method"] = "wilson"
    frame["confidence"] = confidence
    return frame
