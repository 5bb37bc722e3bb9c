"""Plans robust to an attacker who errs: MATCH (with ``beta``) and quantal response (``lambda``).

**MATCH** (Pita, John, Maheswaran, Tambe, Kraus, AAMAS 2012) keeps the Stackelberg assumption
that the attacker best-responds (attack level ``k = max_t U_a(t)``, defender value ``d`` at the
attacked target), but bounds the defender's loss if the attacker deviates to any target ``t`` by
``beta`` times the attacker's own loss from deviating::

    U_d(t) >= d - beta * (k - U_a(t))     for every target t.

``beta = 0`` is the maximin plan (``U_d(t) >= d`` everywhere); large ``beta`` the Stackelberg plan.

For identical teams :func:`match_identical` is exact and fast. Write
``r_t(k) = (au_t - k) / (au_t - ac_t)`` (coverage holding ``t`` at level ``k``) and
``s_t(d, k) = (d - du_t - beta (k - au_t)) / (gain_t + beta loss_t)`` (coverage meeting the MATCH
row). Given ``(k, d)`` the least coverage is ``c_t = max(0, r_t, s_t)``; it is feasible iff every
``c_t <= 1`` (``d <= H(k) = min_t dc_t + beta (k - ac_t)``) and ``sum c <= m`` (``d <= G(k)``, an
exact water level in ``d``), and some target is attacked at level ``k`` with value ``>= d``
(``d <= D(k) = max_{au_t >= k} du_t + r_t(k) gain_t``). ``G`` and ``H`` do not decrease in ``k``
and ``D`` does not increase, so the optimum ``max_k min(D, G, H)`` is at their crossing, found by
bisection on ``k`` (each step ``O(n)``). Typed teams and schedules use one LP per attacked target.

**Quantal response** (BRQR, Yang et al. 2011): the attacker picks ``t`` with probability
``∝ exp(lambda U_a(t))`` and the defender maximises its expected utility. The problem is not
concave; :func:`qr_plan` runs Frank–Wolfe ascent from the Stackelberg coverage (and from the
uniform one) with an exact linear oracle over the feasible coverages — top-``m`` targets for
identical teams, an LP for typed teams, the schedule pricing MILP for patrol routes — and keeps
the better end point. It is a local optimum (the BRQR family's guarantee), reported as such;
every iterate is a convex combination of oracle vertices, so for routes it is a mixed strategy
over joint schedules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from pckb.allocation.evaluation import utilities
from pckb.allocation.identical import attacker_level
from pckb.allocation.payoffs import FloatArray

BISECTION_STEPS = 80
"""Bisection steps on the attack level (the bracket shrinks below float resolution)."""


@dataclass(frozen=True)
class MatchResult:
    """MATCH coverage and its guaranteed value ``d`` at the attacked target."""

    coverage: FloatArray
    value: float
    level: float


def match_identical(
    dc: FloatArray, du: FloatArray, ac: FloatArray, au: FloatArray, resources: int, beta: float
) -> MatchResult:
    """Exact MATCH plan for ``resources`` identical teams (see the module docstring)."""
    gain, loss = dc - du, au - ac
    inv_loss = 1.0 / loss
    weight = gain + beta * loss
    inv = 1.0 / weight
    m = float(resources)
    top_weight = float(weight.max())
    shifted_dc = dc - beta * ac  # H(k) = min_t shifted_dc_t + beta k
    shifted_du = du - beta * au  # hinge_t = shifted_du_t + beta k + weight_t base_t

    def least(k: float, d: float) -> FloatArray:
        r = (au - k) * inv_loss
        s = (d - shifted_du - beta * k) * inv
        return np.maximum(np.maximum(r, s), 0.0)

    def bounds(k: float) -> tuple[float, float]:
        """``(D(k), min(G(k), H(k)))``."""
        r = (au - k) * inv_loss
        present = au >= k
        d_top = float(np.max(du[present] + r[present] * gain[present]))
        h_top = float(shifted_dc.min()) + beta * k
        base = np.maximum(r, 0.0, out=r)
        spare = m - float(base.sum())
        if spare < -1e-12 * max(1.0, m):
            return d_top, -np.inf
        hinge = base
        hinge *= weight
        hinge += shifted_du
        hinge += beta * k  # s_t exceeds base_t when d > hinge_t
        if spare <= 1e-12 * max(1.0, m):  # no spare coverage: no target may exceed its base
            return d_top, min(float(hinge.min()), h_top)
        floor = -float(hinge.max()) - (m + 1.0) * top_weight
        g_top = -attacker_level(np.negative(hinge, out=hinge), inv, floor, spare).value
        return d_top, min(g_top, h_top)

    lo, hi = float(ac.max()), float(au.max())
    d_lo, m_lo = bounds(lo)
    d_hi, m_hi = bounds(hi)
    if d_hi >= m_hi:
        lo = hi  # the crossing is beyond the range: take the right end
    elif d_lo < m_lo:
        hi = lo
    else:
        for _ in range(BISECTION_STEPS):
            mid = 0.5 * (lo + hi)
            if mid in (lo, hi) or hi - lo <= 1e-13 * max(1.0, abs(lo), abs(hi)):
                break
            d_mid, m_mid = bounds(mid)
            if d_mid >= m_mid:
                lo = mid
            else:
                hi = mid
    best: MatchResult | None = None
    for k in dict.fromkeys((lo, hi)):
        d_k, m_k = bounds(k)
        value = min(d_k, m_k)
        if np.isfinite(value) and (best is None or value > best.value):
            best = MatchResult(np.clip(least(k, value), 0.0, 1.0), value, k)
    assert best is not None  # k = max au with d = D(max au) is always feasible
    return best


def qr_value(
    coverage: FloatArray, payoffs: FloatArray, priors: FloatArray, lam: float
) -> tuple[float, FloatArray]:
    """Quantal-response defender utility and its gradient with respect to the coverage."""
    ud, ua = utilities(coverage, payoffs)
    gain = payoffs[:, 0] - payoffs[:, 1]
    loss = payoffs[:, 3] - payoffs[:, 2]
    logits = lam * ua
    logits -= logits.max(axis=1, keepdims=True)
    q = np.exp(logits)
    q /= q.sum(axis=1, keepdims=True)
    per_type = (q * ud).sum(axis=1)
    # d/dc_t of sum_t q_t ud_t: q_t gain_t + ud_t dq_t/dc_t + sum_s ud_s dq_s/dc_t,
    # with dq_s/dc_t = -lam loss_t q_t (delta_st - q_s): gives q_t (gain_t - lam loss_t (ud_t - E)).
    grad = q * (gain - lam * loss * (ud - per_type[:, None]))
    return float(priors @ per_type), priors @ grad


Oracle = Callable[[FloatArray], tuple[FloatArray, object]]
"""Linear oracle: for weights ``y`` the feasible vertex maximising ``y @ c`` and a tag for it."""


@dataclass(frozen=True)
class QrResult:
    """Quantal-response plan: coverage, value, and the mixture of oracle vertices behind it."""

    coverage: FloatArray
    value: float
    weights: FloatArray
    tags: tuple[object, ...]


def _line_max(
    x: FloatArray, d: FloatArray, payoffs: FloatArray, priors: FloatArray, lam: float
) -> tuple[float, float]:
    """Maximise the QR value on ``x + s d`` for ``s`` in ``[0, 1]`` (grid, then golden section).

    Both utilities are linear in ``s``, so they are computed once and each trial point costs
    one exponential and two sums per type."""
    ud0, ua0 = utilities(x, payoffs)
    ud1, ua1 = utilities(x + d, payoffs)
    dud, dua = ud1 - ud0, ua1 - ua0

    def value(s: float) -> float:
        logits = lam * (ua0 + s * dua)
        logits -= logits.max(axis=1, keepdims=True)
        q = np.exp(logits)
        return float(priors @ (((ud0 + s * dud) * q).sum(axis=1) / q.sum(axis=1)))

    grid = np.linspace(0.0, 1.0, 9)
    values = [value(s) for s in grid]
    i = int(np.argmax(values))
    a, b = grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)]
    ratio = (np.sqrt(5) - 1) / 2
    for _ in range(20):
        c1, c2 = b - ratio * (b - a), a + ratio * (b - a)
        if value(c1) >= value(c2):
            b = c2
        else:
            a = c1
    s = 0.5 * (a + b)
    v = value(s)
    return (s, v) if v >= values[i] else (float(grid[i]), values[i])


def qr_plan(
    payoffs: FloatArray,
    priors: FloatArray,
    lam: float,
    oracle: Oracle,
    starts: list[tuple[FloatArray, FloatArray, tuple[object, ...]]],
    iterations: int = 60,
    tolerance: float = 1e-7,
    cheap_oracle: Oracle | None = None,
) -> QrResult:
    """Frank–Wolfe ascent of the QR value from each start ``(coverage, weights, tags)``.

    Each start is itself a convex combination of vertices (``weights`` over ``tags``), so the
    result stays one; the best end point is returned. With ``cheap_oracle`` (a feasible vertex,
    not necessarily the best) its vertex is used whenever the line search gains along it, and
    the exact ``oracle`` only when it does not — so the ascent still stops only where the exact
    oracle's direction gains nothing.
    """
    best: QrResult | None = None
    for coverage, weights, tags in starts:
        x = coverage.copy()
        w = list(weights)
        tag_list = list(tags)
        value, grad = qr_value(x, payoffs, priors, lam)
        oracles = (oracle,) if cheap_oracle is None else (cheap_oracle, oracle)
        for _ in range(iterations):
            enough = tolerance * max(1.0, abs(value))
            for find in oracles:  # the exact oracle last: only it may end the ascent
                vertex, tag = find(grad)
                direction = vertex - x
                if float(grad @ direction) <= enough:
                    continue
                step, new_value = _line_max(x, direction, payoffs, priors, lam)
                if step > 0 and new_value > value:
                    break
            else:
                break
            x = x + step * direction
            w = [weight * (1 - step) for weight in w] + [step]
            tag_list.append(tag)
            value, grad = qr_value(x, payoffs, priors, lam)
        if best is None or value > best.value:
            best = QrResult(np.clip(x, 0.0, 1.0), value, np.array(w), tuple(tag_list))
    assert best is not None
    return best


def top_m_oracle(resources: int) -> Oracle:
    """Linear oracle for identical teams: cover the ``m`` targets of largest positive weight."""

    def oracle(y: FloatArray) -> tuple[FloatArray, object]:
        vertex = np.zeros(y.size)
        if resources > 0:
            m = min(resources, y.size)
            top = np.argpartition(-y, m - 1)[:m]
            vertex[top[y[top] > 0]] = 1.0
        return vertex, None

    return oracle
