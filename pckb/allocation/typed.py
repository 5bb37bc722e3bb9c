"""Exact strong Stackelberg equilibrium with typed teams (each type may cover only some targets).

Type ``j`` has ``counts[j]`` teams and may cover the targets where ``allowed[j]`` is true; the
coverage of a target is the sum over types, each type's total is at most its count and each
target's total at most one.

As with identical teams the optimal attack level ``k`` is the smallest one at which the minimal
coverages ``r_t(k) = max(0, (au_t - k) / (au_t - ac_t))`` can be delivered, and it is the same for
every candidate target, so the equilibrium attacks the best attack-set target for the defender.
Delivering ``r(k)`` is a transportation problem; by the max-flow/min-cut theorem (Gale) it is
feasible iff for every set ``J`` of types the targets that only types in ``J`` may cover need at
most ``sum_{j in J} counts[j]``. For a fixed ``J`` the smallest level meeting that inequality is
an identical-teams water level, computed exactly. The solver is a cutting-plane loop:

1. start from the level of all teams pooled (a lower bound);
2. compute a maximum flow for ``r(k)`` (a transportation LP on HiGHS);
3. if it delivers everything, ``k`` is optimal; otherwise the types unreachable in the residual
   graph form a violated set ``J``, whose exact water level is strictly higher: go to 2.

Each round raises the level to the exact threshold of a distinct type set, so the loop ends, in
practice after a few rounds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse
from scipy.optimize import linprog

from pckb.allocation.errors import GameError
from pckb.allocation.identical import attacker_level, check_resources, tie_tolerance
from pckb.allocation.payoffs import FloatArray, as_payoff_arrays, check_payoffs

FLOW_TOLERANCE = 1e-9
"""Flow amounts below this (relative to the demand) count as zero."""


@dataclass(frozen=True)
class TypedSolution:
    """An optimal typed coverage and the attacker's best response.

    Attributes:
        coverage: total probability that each target is covered, shape ``(n,)``.
        coverage_by_type: the share of each team type, shape ``(types, n)``; sums to ``coverage``.
        attacked_target: index of the target the attacker picks (ties broken for the defender).
        attack_set: indices of all targets whose attacker utility equals the maximum.
        defender_utility: the defender's expected utility.
        attacker_utility: the attacker's expected utility (the attack level).
    """

    coverage: FloatArray
    coverage_by_type: FloatArray
    attacked_target: int
    attack_set: NDArray[np.intp]
    defender_utility: float
    attacker_utility: float


def check_teams(counts: ArrayLike, allowed: ArrayLike, n: int) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """Validate team counts (integers >= 0) and the ``(types, n)`` boolean ``allowed`` matrix."""
    count_list = [
        check_resources(c, f"count của loại đội #{j}") for j, c in enumerate(np.asarray(counts).tolist())
    ]
    allowed_arr = np.asarray(allowed)
    if allowed_arr.dtype != np.bool_ or allowed_arr.shape != (len(count_list), n):
        raise GameError(f"allowed phải là ma trận boolean kích thước ({len(count_list)}, {n})")
    return np.array(count_list, dtype=np.int64), allowed_arr


def solve_typed(
    defender_covered: ArrayLike,
    defender_uncovered: ArrayLike,
    attacker_covered: ArrayLike,
    attacker_uncovered: ArrayLike,
    counts: ArrayLike,
    allowed: ArrayLike,
) -> TypedSolution:
    """Solve a security game with typed teams exactly (strong Stackelberg equilibrium).

    Args:
        defender_covered, defender_uncovered, attacker_covered, attacker_uncovered: payoffs of
            shape ``(n,)`` as in :func:`pckb.allocation.solve_game`.
        counts: number of teams of each type, integers ``>= 0``, shape ``(types,)``.
        allowed: boolean matrix ``(types, n)``; ``allowed[j, t]`` means type ``j`` may cover ``t``.

    Raises:
        GameError: on invalid payoffs, counts or ``allowed``.
    """
    dc, du, ac, au = as_payoff_arrays(
        defender_covered, defender_uncovered, attacker_covered, attacker_uncovered
    )
    team_counts, allowed_arr = check_teams(counts, allowed, dc.size)
    inv_loss = 1.0 / check_payoffs(dc, du, ac, au)
    floor = float(ac.max())
    level = attacker_level(au, inv_loss, floor, int(team_counts.sum())).value
    uncoverable = ~allowed_arr.any(axis=0)
    if uncoverable.any():
        level = max(level, float(au[uncoverable].max()))
    while True:
        demand = np.clip((au - level) * inv_loss, 0.0, 1.0)
        flow = _max_flow(demand, team_counts, allowed_arr)
        tolerance = FLOW_TOLERANCE * max(1.0, float(demand.sum()))
        if demand.sum() - flow.sum() <= tolerance:
            break
        reached = _reachable_types(flow, demand, team_counts, allowed_arr, tolerance)
        confined = ~allowed_arr[reached].any(axis=0)
        raised = attacker_level(
            au[confined], inv_loss[confined], floor, int(team_counts[~reached].sum())
        ).value
        if raised <= level:  # numerically exhausted: the flow is as close as floats allow
            break
        level = raised
    coverage = flow.sum(axis=0)
    attack_set = np.flatnonzero(au >= level - tie_tolerance(au, floor))
    values = du[attack_set] + coverage[attack_set] * (dc[attack_set] - du[attack_set])
    best = int(np.argmax(values))
    return TypedSolution(coverage, flow, int(attack_set[best]), attack_set, float(values[best]), level)


def _max_flow(demand: FloatArray, counts: NDArray[np.int64], allowed: NDArray[np.bool_]) -> FloatArray:
    """Maximum flow types -> targets (type ``j`` supplies ``counts[j]``, target ``t`` takes
    ``demand[t]``), solved as a transportation LP on HiGHS; returns the ``(types, n)`` flow."""
    flow = np.zeros(allowed.shape, dtype=np.float64)
    types, targets = np.nonzero(allowed & (demand > 0))
    if types.size == 0:
        return flow
    e = np.arange(types.size)
    ones = np.ones(types.size)
    by_type = sparse.csr_array((ones, (types, e)), shape=(allowed.shape[0], e.size))
    by_target = sparse.csr_array((ones, (targets, e)), shape=(allowed.shape[1], e.size))
    res = linprog(
        -ones,
        A_ub=sparse.vstack([by_type, by_target]).tocsr(),
        b_ub=np.concatenate([counts.astype(np.float64), demand]),
        bounds=(0, None),
        method="highs-ipm",  # interior point + crossover: a vertex, far faster than simplex here
    )
    if res.status != 0:
        raise RuntimeError(f"HiGHS không giải được bài toán luồng: {res.message}")
    flow[types, targets] = np.maximum(res.x, 0.0)
    return flow


def _reachable_types(
    flow: FloatArray,
    demand: FloatArray,
    counts: NDArray[np.int64],
    allowed: NDArray[np.bool_],
    tolerance: float,
) -> NDArray[np.bool_]:
    """Types reachable from the source in the residual graph of a maximum ``flow``.

    Source -> type ``j`` while ``j`` has spare teams; type -> any allowed target; target ->
    type ``j'`` back along positive flow. The unreachable types form a violated (min-cut) set.
    """
    reached = flow.sum(axis=1) < counts - tolerance
    while True:
        targets = allowed[reached].any(axis=0) & (demand > 0)
        grown = reached | (flow[:, targets] > tolerance).any(axis=1)
        if (grown == reached).all():
            return reached
        reached = grown
