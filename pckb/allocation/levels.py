"""Exact Bayesian Stackelberg coverage for identical teams: branch and bound over attack levels.

With ``m`` identical teams (``sum c <= m``, ``0 <= c <= 1``) an optimal coverage is described by
the attack level ``a_k`` of every type (its utility at its best target): the least coverage
holding every type to its level is

    ``c_t(a) = max(0, max_k r_kt(a_k))``, ``r_kt(a_k) = (au_kt - a_k) / loss_kt``,

it is feasible iff ``S(a) = sum_t c_t(a) <= m``, and type ``k`` can attack ``t`` at that coverage
iff its requirement there is the largest (``r_kt(a_k) >= 0`` and ``>= r_jt(a_j)`` for every
``j``): the target is *eligible* for the type. Our value when type ``k`` attacks ``t`` is then
``alpha_kt - beta_kt a_k`` (``beta = gain / loss > 0``), decreasing in the level. (Any optimal
coverage ``c*`` can be lowered to ``c(a*)``, ``a*`` its levels, keeping every attack and value,
so nothing is lost by searching over levels.)

The search keeps boxes ``lo <= a <= hi`` in level space (``K`` dimensions, one per type with
positive prior). For a box:

* **feasibility** — ``S`` decreases in every level, so the box is empty if ``S(hi) > m``; given
  the others at ``hi``, type ``k``'s level must reach the water level of the remaining budget,
  which raises ``lo_k`` (exact, :func:`pckb.allocation.identical.attacker_level`);
* **bound** — type ``k`` can only attack targets eligible somewhere in the box
  (``r_kt(lo_k) >= 0`` and ``>= r_jt(hi_j)``) and is worth at most ``alpha_kt - beta_kt lo_k``
  there; the sum over types weighted by the priors bounds every coverage in the box, and
  targets whose own bound cannot beat the best value known are dropped (which also lowers
  ``hi_k``);
* **a feasible point** — the coverage ``c(hi)`` judged by the types' real best responses;
* **leaf** — when few attack profiles remain (the product of the types' candidate targets), each
  is solved exactly by its LP (:func:`pckb.allocation.bayesian.profile_lp`, over all coverages,
  so an upper bound for the box and a value reached); otherwise the box is split in two at the
  middle of the level of the type whose width costs most.

Every bound is valid, so the best profile found is optimal (up to the LP's tolerance); the search
is best-first from the heuristic's profile. The work is a few ``O(K n)`` passes per box.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from pckb.allocation.evaluation import best_responses
from pckb.allocation.identical import attacker_level
from pckb.allocation.payoffs import FloatArray

LEAF_PROFILES = 8
"""A box whose candidate attack profiles are this few is finished by their LPs."""

TIED_PROFILES = 4_096
"""A box too narrow to split (exact ties) is finished by up to this many profile LPs; beyond
that the search stops and leaves it open."""

MAX_BOXES = 200_000
"""Give up (and let the caller fall back to the MILP) after this many boxes."""


@dataclass(frozen=True)
class LevelResult:
    """Outcome of the level search: the best coverage found and whether it is proven optimal."""

    coverage: FloatArray
    value: float
    proven: bool
    boxes: int
    lps: int
    open_pairs: NDArray[np.bool_] | None = None
    open_low: FloatArray | None = None
    open_high: FloatArray | None = None


def level_search(
    payoffs: FloatArray,
    priors: FloatArray,
    resources: int,
    profile_value: Callable[[NDArray[np.intp]], tuple[float, FloatArray] | None],
    start: NDArray[np.intp] | None = None,
    max_boxes: int = MAX_BOXES,
) -> LevelResult:
    """Best coverage against several attacker types with ``resources`` identical teams.

    Args:
        payoffs: ``(K, 4, n)`` payoffs of the types (validated by the caller).
        priors: ``(K,)`` priors; types with prior 0 are ignored.
        resources: number of identical teams (``>= 1``).
        profile_value: solves the LP of a full attack profile (one target per type, prior-0
            types included): ``(value, coverage)`` or ``None`` if it cannot be induced.
        start: an attack profile whose LP gives the first value to beat.
        max_boxes: stop unproven after this many boxes.
    """
    active = np.flatnonzero(priors > 0)
    full_k = payoffs.shape[0]
    table = payoffs[active]
    p = priors[active]
    k_count, n = table.shape[0], table.shape[2]
    dc, du, ac, au = table[:, 0], table[:, 1], table[:, 2], table[:, 3]
    loss = au - ac
    inv_loss = 1.0 / loss
    beta = (dc - du) * inv_loss
    alpha = du + beta * au
    scale = max(1.0, float(np.abs(table).max()))
    eps = 1e-9 * scale  # slack on every comparison (keeps every test permissive: valid)
    tol = 1e-9 * scale  # a box must promise more than this above the best value to be explored
    m = float(resources)

    best_value, best_cov = -np.inf, np.zeros(n)
    lps = 0
    cache: dict[tuple[int, ...], float] = {}

    def solve_profile(prof: tuple[int, ...]) -> float:
        nonlocal best_value, best_cov, lps
        if prof in cache:
            return cache[prof]
        full = np.zeros(full_k, dtype=np.intp)
        full[active] = prof
        lps += 1
        found = profile_value(full)
        value = -np.inf if found is None else found[0]
        cache[prof] = value
        if found is not None:
            cov = np.clip(found[1], 0.0, 1.0)
            real = float(p @ best_responses(cov, table).defender_utility)
            if real > best_value:
                best_value, best_cov = real, cov
        return value

    if start is not None:
        solve_profile(tuple(int(t) for t in np.asarray(start)[active]))

    def consider(cov: FloatArray) -> None:
        nonlocal best_value, best_cov
        real = float(p @ best_responses(cov, table).defender_utility)
        if real > best_value:
            best_value, best_cov = real, cov

    # Global box: each type's level lies between its own single-type water level (no coverage can
    # hold it lower) and its largest uncovered payoff.
    lo = np.array(
        [
            max(float(ac[k].max()), attacker_level(au[k], inv_loss[k], float(ac[k].max()), m).value)
            for k in range(k_count)
        ]
    )
    hi = au.max(axis=1)
    rows = np.arange(k_count)

    def examine(lo: FloatArray, hi: FloatArray):
        """Tighten a box; ``None`` if it holds nothing better, else its bound and candidates."""
        lo, hi = lo.copy(), hi.copy()
        for _ in range(3):
            if (lo > hi + eps).any():
                return None
            # Feasibility and the water-level bound on each lo_k given the others at hi.
            need_hi = (au - hi[:, None]) * inv_loss
            order = np.argsort(-need_hi, axis=0)
            top1 = need_hi[order[0], np.arange(n)]
            top2 = need_hi[order[1], np.arange(n)] if k_count > 1 else np.full(n, -np.inf)
            if np.maximum(top1, 0.0).sum() > m + eps:
                return None
            changed = False
            for k in range(k_count):
                others = np.maximum(np.where(order[0] == k, top2, top1), 0.0)
                budget = m - others.sum()
                floor_k = others * loss[k]
                level = attacker_level(au[k] - floor_k, inv_loss[k], lo[k], budget).value
                if level > lo[k] + eps:
                    lo[k] = level - eps
                    changed = True
            if (lo > hi + eps).any():
                return None
            # Candidates: eligible somewhere in the box, value at lo.
            need_lo = (au - lo[:, None]) * inv_loss
            rival = np.where(order[0] == rows[:, None], top2, top1)
            cand = (need_lo >= -eps) & (need_lo >= rival - eps)
            values = np.where(cand, alpha - beta * lo[:, None], -np.inf)
            tops = values.max(axis=1)
            if np.isneginf(tops).any():
                return None
            bound = float(p @ tops)
            if bound <= best_value + tol:
                return None
            rest = bound - p * tops
            keep = p[:, None] * values + rest[:, None] > best_value + tol
            # hi_k: the largest level at which some kept target still promises enough.
            threshold = (best_value + tol - rest) / p
            reach = np.where(keep, np.minimum(au, (alpha - threshold[:, None]) / beta), -np.inf).max(axis=1)
            new_hi = np.minimum(hi, reach + eps)
            if (new_hi < hi - eps).any():
                hi = new_hi
                changed = True
            if not changed:
                break
        if (lo > hi + eps).any():
            return None
        return bound, lo, hi, keep, values

    heap: list = []
    counter = itertools.count()
    boxes = 0

    def push(lo: FloatArray, hi: FloatArray) -> None:
        nonlocal boxes
        boxes += 1
        found = examine(lo, hi)
        if found is None:
            return
        bound, lo, hi, keep, values = found
        cov = np.maximum(((au - hi[:, None]) * inv_loss).max(axis=0), 0.0)
        if cov.sum() <= m + 1e-9 and cov.max() <= 1.0 + 1e-12:
            consider(np.minimum(cov, 1.0))
        heapq.heappush(heap, (-bound, next(counter), lo, hi, keep, values))

    push(lo, hi)
    while heap:
        neg_bound, _, lo, hi, keep, values = heapq.heappop(heap)
        if -neg_bound <= best_value + tol:
            break
        if boxes >= max_boxes:
            heapq.heappush(heap, (neg_bound, 0, lo, hi, keep, values))
            return _unfinished(heap, best_value + tol, p, best_cov, best_value, boxes, lps, active, full_k, n)
        # Re-filter with the current best value.
        tops = values.max(axis=1)
        bound = float(p @ tops)
        rest = bound - p * tops
        keep = keep & (p[:, None] * values + rest[:, None] > best_value + tol)
        sizes = keep.sum(axis=1)
        if (sizes == 0).any():
            continue
        flat = bool((hi - lo).max() <= 4 * eps)  # splitting no longer separates anything
        if flat and int(np.prod(sizes, dtype=np.float64)) > TIED_PROFILES:
            heapq.heappush(heap, (neg_bound, 0, lo, hi, keep, values))
            return _unfinished(heap, best_value + tol, p, best_cov, best_value, boxes, lps, active, full_k, n)
        if flat or int(np.prod(sizes, dtype=np.float64)) <= LEAF_PROFILES:
            choices = [np.flatnonzero(keep[k]) for k in range(k_count)]
            for prof in itertools.product(*choices):
                promise = float(sum(p[k] * values[k, t] for k, t in enumerate(prof)))
                if promise > best_value + tol:
                    solve_profile(tuple(int(t) for t in prof))
            continue
        width = p * np.where(keep, beta, 0.0).max(axis=1) * (hi - lo)
        width[sizes <= 1] = 0.0
        k = int(np.argmax(width))
        if width[k] <= 0:
            width = hi - lo
            k = int(np.argmax(width))
        middle = 0.5 * (lo[k] + hi[k])
        left_hi, right_lo = hi.copy(), lo.copy()
        left_hi[k], right_lo[k] = middle, middle
        push(lo, left_hi)
        push(right_lo, hi)
    return LevelResult(best_cov, best_value, True, boxes, lps)


def _unfinished(
    heap: list,
    cutoff: float,
    p: FloatArray,
    coverage: FloatArray,
    value: float,
    boxes: int,
    lps: int,
    active: NDArray[np.intp],
    full_k: int,
    n: int,
) -> LevelResult:
    """What is left when the search stops early: the (type, target) pairs and the level ranges of
    the boxes that may still beat the best value (every better coverage lies in one of them)."""
    pairs = np.zeros((full_k, n), dtype=bool)
    low = np.full(full_k, np.inf)
    high = np.full(full_k, -np.inf)
    for neg_bound, _, lo, hi, keep, values in heap:
        if -neg_bound <= cutoff:
            continue
        tops = values.max(axis=1)
        rest = float(p @ tops) - p * tops
        pairs[active] |= keep & (p[:, None] * values + rest[:, None] > cutoff)
        low[active] = np.minimum(low[active], lo)
        high[active] = np.maximum(high[active], hi)
    if not pairs.any():  # every box left is beaten by the best value after all
        return LevelResult(coverage, value, True, boxes, lps)
    return LevelResult(coverage, value, False, boxes, lps, pairs, low, high)
