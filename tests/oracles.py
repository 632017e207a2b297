"""Independent test oracles shared by the statistics tests (none uses the package's code)."""

from __future__ import annotations

import math

from scipy.optimize import minimize_scalar


def constrained_ratio_mle(theta: float, x1: int, n1: int, x2: int, n2: int) -> tuple[float, float]:
    """``(p1, p2)`` maximising the two binomial likelihoods subject to ``p1 = theta * p2``,
    found numerically (bounded scalar search, the ends checked too), not by the closed form
    the package uses."""
    upper = min(1.0, 1.0 / theta)

    def negloglik(p2: float) -> float:
        p1, tiny = theta * p2, 1e-300
        return -(
            x1 * math.log(max(p1, tiny))
            + (n1 - x1) * math.log(max(1 - p1, tiny))
            + x2 * math.log(max(p2, tiny))
            + (n2 - x2) * math.log(max(1 - p2, tiny))
        )

    opt = minimize_scalar(
        negloglik, bounds=(0.0, upper), method="bounded", options={"xatol": 1e-15}
    )
    p2 = min((opt.x, upper, 0.0), key=negloglik)
    return theta * p2, p2
