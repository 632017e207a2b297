"""Vectorised bracketing and root finding for the score intervals (internal).

The score intervals need, for every stratum, the parameter value where a monotone test statistic
crosses a fixed critical value. Both helpers here work on whole arrays at once: each iteration is
a handful of NumPy operations over the strata that have not yet converged, never a Python loop
over strata.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

__all__: list[str] = []

#: ``f(x, idx)`` evaluates the function for the problems ``idx`` at the points ``x``.
Objective = Callable[[np.ndarray, np.ndarray], np.ndarray]

#: Strata per chunk in :func:`in_chunks`, and the most threads it uses.
CHUNK = 8192
MAX_THREADS = 4


def in_chunks(
    solve: Callable[..., tuple[np.ndarray, np.ndarray]], *arrays: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Apply a per-stratum solver ``solve(*arrays) -> (lower, upper)`` chunk by chunk.

    Each stratum's limits do not depend on the others, so chunking changes nothing in the
    result. Chunks of a few thousand strata keep the solver's working arrays in the CPU cache
    (several times faster than one pass over 200,000 strata), and NumPy releases the GIL inside
    array operations, so on a multi-core machine the chunks run concurrently on threads.
    """
    size = arrays[0].size
    if size <= CHUNK:
        return solve(*arrays)
    chunks = [slice(start, start + CHUNK) for start in range(0, size, CHUNK)]

    def run(c: slice) -> tuple[np.ndarray, np.ndarray]:
        return solve(*(a[c] for a in arrays))

    workers = min(os.cpu_count() or 1, MAX_THREADS, len(chunks))
    if workers < 2:
        parts = [run(c) for c in chunks]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(run, chunks))
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def bracket_decreasing(
    f: Objective,
    x0: np.ndarray,
    *,
    step: float = 1.0,
    limit: float = 700.0,
    max_doublings: int = 12,
    f0: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Find brackets ``lo < hi`` with ``f(lo) >= 0 >= f(hi)`` for decreasing ``f``.

    Starts at ``x0`` and walks in the direction of the root with doubling steps, never beyond
    ``[-limit, limit]``. ``f0`` may pass ``f(x0)`` if it is already known. ``step`` may be an
    array (one first step per problem).

    Returns
    -------
    lo, hi, f_lo, f_hi, found
        The brackets, the function values there and a mask of problems that were bracketed.
        Where ``found`` is False the root lies beyond ``-limit`` (``f`` stayed negative) or beyond
        ``limit`` (``f`` stayed positive).
    """
    size = x0.size
    idx_all = np.arange(size)
    if f0 is None:
        f0 = f(x0, idx_all)
    direction = np.where(f0 > 0, 1.0, -1.0)
    lo = x0.copy()
    hi = x0.copy()
    f_lo = f0.copy()
    f_hi = f0.copy()
    found = f0 == 0.0
    prev_x = x0.copy()
    prev_f = f0.copy()
    active = np.flatnonzero(~found)
    width = np.broadcast_to(np.asarray(step, dtype=float), (size,)).copy()
    for _ in range(max_doublings + 1):
        if active.size == 0:
            break
        x_new = np.clip(prev_x[active] + direction[active] * width[active], -limit, limit)
        f_new = f(x_new, active)
        crossed = np.sign(f_new) != np.sign(prev_f[active])
        ok = active[crossed]
        right = direction[ok] > 0
        # walking right: prev is lo (f > 0), new is hi; walking left: the reverse
        lo[ok] = np.where(right, prev_x[ok], x_new[crossed])
        hi[ok] = np.where(right, x_new[crossed], prev_x[ok])
        f_lo[ok] = np.where(right, prev_f[ok], f_new[crossed])
        f_hi[ok] = np.where(right, f_new[crossed], prev_f[ok])
        found[ok] = True
        still = active[~crossed]
        prev_x[still] = x_new[~crossed]
        prev_f[still] = f_new[~crossed]
        at_edge = np.abs(prev_x[still]) >= limit
        active = still[~at_edge]
        width *= 2.0
    return lo, hi, f_lo, f_hi, found


def chandrupatla(
    f: Objective,
    a: np.ndarray,
    b: np.ndarray,
    fa: np.ndarray,
    fb: np.ndarray,
    *,
    xatol: float = 1e-13,
    xrtol: float = 1e-13,
    maxiter: int = 200,
    t0: np.ndarray | None = None,
    ftrust: float = 1e6,
) -> np.ndarray:
    """Vectorised Chandrupatla root finder on brackets with ``fa`` and ``fb`` of opposite signs.

    Combines inverse quadratic interpolation with bisection; convergence is guaranteed for
    continuous functions and is superlinear for smooth ones. Stops per problem when the bracket
    is narrower than ``tol = xatol + xrtol * |x|``, when the secant through the two newest
    points and the secant across the bracket both put the root within ``tol / 4`` of the best
    point (superlinear convergence makes that estimate sharp; used only while all three
    function values are below ``ftrust`` in magnitude), or when ``f`` is exactly zero. The
    first point is ``a + t0 (b - a)`` (default ``t0 = 0.5``, bisection); passing the regula
    falsi fraction ``fa / (fa - fb)`` saves iterations when ``f`` is nearly linear on the
    bracket.

    Notes
    -----
    Follows the algorithm of Chandrupatla (1997) as laid out in SciPy's
    ``scipy.optimize.elementwise.find_root``. Non-finite interpolation steps fall back to
    bisection.

    References
    ----------
    Chandrupatla, T. R. (1997). A new hybrid quadratic/bisection algorithm for finding the zero
    of a nonlinear function without using derivatives. Advances in Engineering Software 28(3),
    145-149. https://doi.org/10.1016/S0965-9978(96)00051-8
    """
    size = a.size
    out = np.empty(size)
    idx = np.arange(size)
    x1, f1 = a.astype(float), fa.astype(float)
    x2, f2 = b.astype(float), fb.astype(float)
    x3, f3 = x2.copy(), f2.copy()
    t = np.full(size, 0.5) if t0 is None else np.clip(np.nan_to_num(t0, nan=0.5), 0.01, 0.99)
    # exact roots at the bracket ends
    zero1 = f1 == 0.0
    zero2 = (f2 == 0.0) & ~zero1
    out[zero1] = x1[zero1]
    out[zero2] = x2[zero2]
    keep = ~(zero1 | zero2)
    idx, x1, f1, x2, f2, x3, f3, t = (v[keep] for v in (idx, x1, f1, x2, f2, x3, f3, t))
    for _ in range(maxiter):
        if idx.size == 0:
            break
        x = x1 + t * (x2 - x1)
        fx = f(x, idx)
        same = np.sign(fx) == np.sign(f1)
        x3 = np.where(same, x1, x2)
        f3 = np.where(same, f1, f2)
        x2 = np.where(same, x2, x1)
        f2 = np.where(same, f2, f1)
        x1, f1 = x, fx
        better1 = np.abs(f1) < np.abs(f2)
        xmin = np.where(better1, x1, x2)
        fmin = np.where(better1, f1, f2)
        tol = xatol + xrtol * np.abs(xmin)
        dx = np.abs(x2 - x1)
        # converged: bracket narrower than tol, or both the secant through the two newest
        # points and the secant across the bracket put the root within tol/4 of the best
        # point (trusted only where no function value is huge, e.g. clipped)
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = np.minimum(np.abs((f1 - f3) / (x1 - x3)), np.abs((f1 - f2) / (x1 - x2)))
        moderate = np.maximum(np.maximum(np.abs(f1), np.abs(f2)), np.abs(f3)) < ftrust
        close = moderate & (np.abs(fmin) < 0.25 * tol * slope)
        done = (dx < tol) | (fmin == 0.0) | close
        if done.any():
            out[idx[done]] = xmin[done]
            keep = ~done
            idx, x1, f1, x2, f2, x3, f3, tol, dx = (
                v[keep] for v in (idx, x1, f1, x2, f2, x3, f3, tol, dx)
            )
            if idx.size == 0:
                break
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            xi = (x1 - x2) / (x3 - x2)
            phi = (f1 - f2) / (f3 - f2)
            alpha = (x3 - x1) / (x2 - x1)
            use_iqi = ((1.0 - np.sqrt(1.0 - xi)) < phi) & (phi < np.sqrt(xi))
            t_iqi = f1 / (f1 - f2) * f3 / (f3 - f2) - alpha * f1 / (f3 - f1) * f2 / (f2 - f3)
        t = np.where(use_iqi & np.isfinite(t_iqi), t_iqi, 0.5)
        tl = np.minimum(0.5 * tol / dx, 0.5)
        t = np.clip(t, tl, 1.0 - tl)
    if idx.size:
        better1 = np.abs(f1) < np.abs(f2)
        out[idx] = np.where(better1, x1, x2)
    return out


def bracket_from_outside(
    f: Objective,
    inner: np.ndarray,
    outer: np.ndarray,
    f_inner: np.ndarray,
    *,
    points: int = 24,
    closest: float = 1e-7,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Bracket the root of ``f`` nearest ``outer``, scanning from ``outer`` towards ``inner``.

    For a statistic that may cross its critical value more than once (the skewness-corrected
    score near a degenerate estimate), the confidence limit is the crossing nearest the far
    end: the first value at which the test stops rejecting. ``f`` is evaluated on a geometric
    grid ``inner + (outer - inner) r^j`` (``j = 0 .. points - 1``, the last point
    ``closest`` of the way from ``inner``), so the grid is dense near the estimate, where
    narrow intervals put their limits. The bracket is the first grid cell whose ends differ
    in sign; if none does, the cell from the last grid point to ``inner`` (``f_inner``).

    Returns
    -------
    lo, hi, f_lo, f_hi
        Brackets ordered ``lo < hi`` with the function values there.
    """
    size = inner.size
    ratio = closest ** (1.0 / (points - 1))
    steps = ratio ** np.arange(points)
    grid = inner[:, None] + (outer - inner)[:, None] * steps[None, :]
    idx = np.repeat(np.arange(size), points)
    values = f(grid.ravel(), idx).reshape(size, points)
    grid = np.concatenate([grid, inner[:, None]], axis=1)
    values = np.concatenate([values, f_inner[:, None]], axis=1)
    changed = np.sign(values[:, 1:]) != np.sign(values[:, :1])
    first = np.where(changed.any(axis=1), changed.argmax(axis=1), points - 1)
    rows = np.arange(size)
    a, b = grid[rows, first], grid[rows, first + 1]
    fa, fb = values[rows, first], values[rows, first + 1]
    swap = a > b
    lo, hi = np.where(swap, b, a), np.where(swap, a, b)
    f_lo, f_hi = np.where(swap, fb, fa), np.where(swap, fa, fb)
    return lo, hi, f_lo, f_hi
