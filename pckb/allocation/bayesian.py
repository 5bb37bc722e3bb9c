"""Several attacker types (Bayesian Stackelberg game): exact compact MILP and a fast heuristic.

Attacker type ``k`` appears with prior ``priors[k]`` and has its own payoffs ``payoffs[k]`` (shape
``(K, 4, n)``). The defender commits to one coverage; every type best-responds to it (ties in the
defender's favour) and the defender maximises the prior-weighted expectation.

* :func:`solve_bayesian` — exact. A compact MILP in the DOBSS / ERASER family (Paruchuri et al.
  2008, Kiekintveld et al. 2009) over the typed coverage (pair variables as in
  :mod:`pckb.allocation.baselines`): one binary ``q_kt`` per (type, target) chooses the attacked
  target; the products ``z_kt = c_t q_kt`` are linearised by McCormick rows (exact for binary
  ``q``; strengthened to ``z_kt <= reach_kt q_kt``), so each type's attacker and defender values
  at its attack are linear in ``(q, z)`` — tighter than big-M rows, which it needs none of. HiGHS
  (zero relative gap, presolve off, one thread: measured faster here) is started from the
  heuristic's attack profile, and attacks whose per-pair bound cannot beat that profile's value
  are fixed out (they get no variables); the chosen attack profile is re-solved as a plain LP
  (:func:`profile_lp`), so the value is LP-exact. Types with prior 0 do not enter the MILP;
  their attack is reported as their best response to the final coverage.

  With identical teams the MILP is not handed to HiGHS whole: a branch and bound over the
  types' attack levels (:func:`pckb.allocation.levels.level_search`, ``LEVEL_BOXES`` boxes,
  started from the heuristic) either proves its best profile optimal or leaves a small region —
  a few (type, target) pairs and a range for each type's level. The MILP restricted to that
  region is then solved by our own depth-first branching over the attacked targets
  (:func:`_branch_profiles`: SOS-style splits of the most fractional type, warm-started LP
  bounds on HiGHS), searching only above the best value found. HiGHS's MIP solver spent nearly
  all its time in root cut separation and sub-MIP heuristics on this model (over 30 CPU s at
  5 types x 500 targets x 50 teams, 7 nodes); this path takes about one.
* :func:`heuristic_bayesian` — identical teams, large games. Candidates are each type's own
  strong Stackelberg coverage (exact water level) and that of the prior-averaged payoffs; convex
  combinations of the best candidate with the others are scanned on a grid. Each candidate costs
  ``O(K n)`` to evaluate, so 5 types x 10^5 targets take well under a second. Up to
  ``POLISH_LIMIT`` (type, target) pairs the best is polished by its profile LP, then a local
  search over the types' attack levels (:func:`_level_search`) and a last profile LP follow. It
  is a lower bound; the benchmark reports its gap to the exact value where both run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import highspy
import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.optimize import linprog

from pckb.allocation.baselines import _incidence
from pckb.allocation.errors import GameError
from pckb.allocation.evaluation import Judge, best_responses, utilities
from pckb.allocation.identical import solve_game
from pckb.allocation.joint import Rows, ScheduleTeam, profile_rows, solve_schedules
from pckb.allocation.levels import LevelResult, level_search
from pckb.allocation.payoffs import FloatArray, check_payoffs
from pckb.allocation.typed import solve_typed


@dataclass(frozen=True)
class BayesianSolution:
    """A coverage against several attacker types.

    Attributes:
        coverage: probability each target is covered, shape ``(n,)``.
        coverage_by_type: share of each team type, ``(team types, n)`` (``None`` for the heuristic).
        attacked_by_type: each attacker type's attacked target, shape ``(K,)``.
        defender_utility: the defender's utility, expected over attacker types.
        attacker_utility_by_type: each type's utility at its attack, shape ``(K,)``.
        exact: whether the value is proven optimal.
    """

    coverage: FloatArray
    coverage_by_type: FloatArray | None
    attacked_by_type: NDArray[np.intp]
    defender_utility: float
    attacker_utility_by_type: FloatArray
    exact: bool

    @property
    def attacker_utility(self) -> float:
        """Kept for compatibility: the attacker utility of the first type with positive prior."""
        return float(self.attacker_utility_by_type[0])


def check_types(payoffs: FloatArray, priors: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Validate ``(K, 4, n)`` payoffs and priors (non-negative, summing to one)."""
    payoffs = np.asarray(payoffs, dtype=np.float64)
    priors = np.asarray(priors, dtype=np.float64)
    if payoffs.ndim != 3 or payoffs.shape[1] != 4 or payoffs.shape[0] == 0 or payoffs.shape[2] == 0:
        raise GameError("payoffs của các loại đối tượng phải có kích thước (K, 4, n)")
    if priors.shape != (payoffs.shape[0],):
        raise GameError("prior phải có một giá trị cho mỗi loại đối tượng")
    if not np.all(np.isfinite(priors)) or (priors < 0).any() or abs(priors.sum() - 1.0) > 1e-9:
        raise GameError("prior của các loại đối tượng phải không âm và có tổng bằng 1")
    for k in range(payoffs.shape[0]):
        check_payoffs(*payoffs[k], ids=_TargetNames(k, payoffs.shape[2]))
    return payoffs, priors


class _TargetNames(Sequence[str]):
    """Names of type ``k``'s targets in error messages, made only when a message needs one (a
    list of them cost more than the whole heuristic at 5 types x 10^5 targets)."""

    def __init__(self, k: int, n: int) -> None:
        self.k, self.n = k, n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, t):  # type: ignore[no-untyped-def]  # Sequence's int/slice overloads
        if isinstance(t, slice):
            return [self[i] for i in range(*t.indices(self.n))]
        return f"loại #{self.k} mục tiêu #{t}"


def _finish(
    coverage: FloatArray, by_type: FloatArray | None, payoffs: FloatArray, priors: FloatArray, exact: bool
) -> BayesianSolution:
    response = best_responses(coverage, payoffs)
    return BayesianSolution(
        coverage,
        by_type,
        response.attacked,
        float(priors @ response.defender_utility),
        response.attacker_utility,
        exact,
    )


def pairs_lp(
    rows: Rows, counts: NDArray[np.int64], allowed: NDArray[np.bool_]
) -> tuple[float, FloatArray] | None:
    """Solve an LP over coverage ``c = G x`` (pair variables of the typed teams).

    Returns ``(value, x)`` or ``None`` when infeasible.
    """
    n = allowed.shape[1]
    g, h = _incidence(allowed)
    if g.shape[1] == 0 and rows.extra is None:  # nobody can cover anything: c = 0
        return None if (rows.rhs < -1e-12).any() else (rows.constant, np.zeros(0))
    a_ub = sparse.vstack([sparse.csr_array(rows.matrix) @ g, h, g]).tocsr()
    b_ub = np.concatenate([rows.rhs, counts.astype(float), np.ones(n)])
    cost = -(g.T @ rows.objective)
    bounds = [(0, None)] * g.shape[1]
    if rows.extra is not None:  # the free variable d (MATCH), the whole objective
        column = np.concatenate([rows.extra, np.zeros(h.shape[0] + n)])
        a_ub = sparse.hstack([a_ub, sparse.csr_array(column[:, None])]).tocsr()
        cost = np.append(np.zeros(g.shape[1]), -1.0)
        bounds.append((None, None))
    method = "highs-ipm" if a_ub.shape[0] >= IPM_ROWS else "highs"
    res = linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method=method)
    if res.status != 0:
        return None
    return float(rows.constant - res.fun), res.x[: g.shape[1]]


IPM_ROWS = 5_000
"""From this many rows :func:`pairs_lp` uses HiGHS's interior point method (with crossover, so
still a vertex) instead of its simplex: measured on a profile LP of 5 types x 10^4 targets
(5 x 10^4 rows) 1.1 CPU s against 11.7, at 5 x 2,000 0.13 against 0.43; below a few thousand rows
the two are even, and the small LPs of the exact solvers keep the simplex."""


def profile_lp(
    payoffs: FloatArray,
    priors: FloatArray,
    counts: NDArray[np.int64],
    allowed: NDArray[np.bool_],
    profile: NDArray[np.intp],
) -> tuple[float, FloatArray] | None:
    """Best typed coverage (pair variables) under which type ``k`` attacks ``profile[k]``.

    Returns ``(value, pair coverage x)`` or ``None`` when the profile cannot be induced.
    """
    return pairs_lp(profile_rows(payoffs, priors, profile.tolist()), counts, allowed)


def solve_bayesian(
    payoffs: FloatArray,
    priors: FloatArray,
    counts: NDArray[np.int64],
    allowed: NDArray[np.bool_],
    time_limit: float | None = None,
    incumbent: NDArray[np.intp] | None = None,
) -> BayesianSolution:
    """Exact Bayesian strong Stackelberg coverage with typed teams.

    Identical teams: level search (:mod:`pckb.allocation.levels`), then branching over the
    attacked targets with LP bounds on what it left open. Typed teams: the compact MILP on HiGHS.

    Args:
        payoffs: ``(K, 4, n)`` payoffs of each attacker type.
        priors: ``(K,)`` prior of each type (non-negative, sum 1).
        counts, allowed: the team types as in :func:`pckb.allocation.typed.solve_typed`.
        time_limit: seconds for HiGHS (CPU seconds for the branching over attacked targets);
            if reached the best profile found is returned with ``exact=False``.
        incumbent: an attack profile (target per type) to start from; by default the
            heuristic's (identical teams) or the best single-type plan's. Any profile is safe:
            the result is proven optimal either way.
    """
    payoffs, priors = check_types(payoffs, priors)
    n = payoffs.shape[2]
    if not allowed.any() or not np.any(counts):
        return _finish(np.zeros(n), np.zeros(allowed.shape), payoffs, priors, True)
    alone = [solve_typed(*payoffs[k], counts, allowed) for k in range(len(priors))]
    levels = np.array([s.attacker_utility for s in alone])
    if incumbent is None:
        incumbent = _incumbent(payoffs, priors, counts, allowed, [s.coverage for s in alone])
    identical = counts.size == 1 and bool(allowed.all())
    floor = None
    region = None
    if identical and LEVEL_BOXES:
        # Identical teams: search the types' attack levels first (often proven there); what it
        # leaves open is small, and is finished by branching on the attacked targets over LPs.
        region = level_search(
            payoffs,
            priors,
            int(counts[0]),
            lambda profile: profile_lp(payoffs, priors, counts, allowed, profile),
            start=incumbent,
            max_boxes=LEVEL_BOXES,
        )
        if region.proven:
            return _finish(region.coverage, region.coverage[None], payoffs, priors, True)
        incumbent = best_responses(region.coverage, payoffs).attacked
        floor = region.value  # a value reached (judged by the types' real best responses)
    elif PRUNE and incumbent is not None:
        found = profile_lp(payoffs, priors, counts, allowed, np.asarray(incumbent))
        floor = None if found is None else found[0]
    res, x = _solve_milp(payoffs, priors, counts, allowed, levels, time_limit, incumbent, floor, region)
    if region is not None and x is None and res.status in (1, 5):
        # 5: nothing in the open region beats the search's best, which is optimal;
        # 1: time limit before anything better was found.
        return _finish(region.coverage, region.coverage[None], payoffs, priors, res.status == 5)
    if region is not None and x is None:  # an LP of the branching failed: the MILP on HiGHS instead
        res, x = _solve_milp(payoffs, priors, counts, allowed, levels, time_limit, incumbent, floor)
    if x is None:
        # HiGHS rejects its own optimum on rare degenerate games (a primal infeasibility just
        # above its tolerance): solve exactly by column generation over joint pure strategies.
        return _by_columns(payoffs, priors, counts, allowed)
    by_type = np.zeros(allowed.shape)
    types, targets = np.nonzero(allowed)
    by_type[types, targets] = x
    coverage = np.minimum(by_type.sum(axis=0), 1.0)
    return _finish(coverage, by_type, payoffs, priors, res.status == 0)


def _solve_milp(
    payoffs: FloatArray,
    priors: FloatArray,
    counts: NDArray[np.int64],
    allowed: NDArray[np.bool_],
    levels: FloatArray,
    time_limit: float | None,
    incumbent: NDArray[np.intp] | None,
    floor: float | None,
    region: LevelResult | None = None,
) -> tuple[_Result, FloatArray | None]:
    """The compact MILP, started from the attack profile ``incumbent`` worth ``floor``.

    With ``region`` (what an unfinished level search left open) only its (type, target) pairs
    may be attacked, each type's level stays in its range, and HiGHS looks only for values
    above ``floor`` (it may then find none: status 5). Attacks fixed out get no variables, and a
    type's incentive row for a target that can never tempt it is left out, so the model HiGHS
    sees is only as large as what is still open.

    Returns HiGHS's result and the LP-polished pair coverage (``None`` when HiGHS failed).
    """
    n = payoffs.shape[2]
    g, h = _incidence(allowed)
    e = g.shape[1]
    active = np.flatnonzero(priors > 0)
    kk = active.size
    weights = priors[active]
    # Bounds first. A type can only attack targets whose uncovered payoff reaches the lowest level
    # any coverage can hold it to (its own single-type level), and its attack is then worth at
    # most ``best_at`` to us.
    a_low, a_high = np.empty(kk), np.empty(kk)
    best_at = np.full((kk, n), -np.inf)
    reach = np.ones((kk, n))
    for i, k in enumerate(active.tolist()):
        dc, du, ac, au = payoffs[k]
        slack = 1e-7 * max(1.0, float(np.abs(payoffs[k, 2:]).max()))
        a_low[i] = max(float(ac.max()), levels[k] - slack)
        a_high[i] = float(au.max())
        if region is not None:
            a_low[i] = max(a_low[i], region.open_low[k] - slack)
            a_high[i] = min(a_high[i], region.open_high[k] + slack)
        # If type k attacks t its level is at least a_low, so c_t <= reach_t there.
        reach[i] = np.clip((au - a_low[i]) / (au - ac), 0.0, 1.0) if TIGHT_REACH else 1.0
        live = au >= a_low[i]
        if region is not None:
            live &= region.open_pairs[k]
        best_at[i, live] = (du + np.clip((au - a_low[i]) / (au - ac), 0.0, 1.0) * (dc - du))[live]
    if floor is not None:
        # Type k attacking t is worth at most p_k best_at[k, t] + sum_{j != k} p_j max best_at[j]
        # to us; below the value of a known profile it cannot be optimal: leave it out.
        tol = 1e-7 * max(1.0, abs(floor))
        for _ in range(3):
            tops = best_at.max(axis=1)
            rest = weights @ tops - weights * tops
            hopeless = weights[:, None] * best_at + rest[:, None] < floor - tol
            if not hopeless.any() or np.isneginf(np.where(hopeless, -np.inf, best_at).max(axis=1)).any():
                break
            best_at[hopeless] = -np.inf
    lives = [np.flatnonzero(np.isfinite(best_at[i])) for i in range(kk)]
    if any(live.size == 0 for live in lives):
        lives = [np.flatnonzero(payoffs[k, 3] >= a_low[i]) for i, k in enumerate(active.tolist())]
    # Variables: x (e pairs); per type i: q (its live targets, binary), z (z_t = c_t q_t by
    # McCormick rows, exact when q is integral), then a (attacker value) and d (defender value).
    sizes = np.array([live.size for live in lives])
    q_start = e + np.concatenate([[0], np.cumsum(2 * sizes)[:-1]])
    a0 = e + 2 * int(sizes.sum())
    d0 = a0 + kk
    nv = d0 + kk
    lower = np.zeros(nv)
    upper = np.ones(nv)
    upper[:e] = np.inf
    lower[a0:d0], upper[a0:d0] = a_low, a_high
    objective = np.zeros(nv)
    objective[d0:] = -weights
    integrality = np.zeros(nv)
    g_csr = sparse.csr_array(g)
    blocks: list[tuple[sparse.csr_array, FloatArray, FloatArray]] = []

    def rows_of(entries: list[tuple[FloatArray, FloatArray, FloatArray]], count: int) -> sparse.csr_array:
        r = np.concatenate([np.asarray(x, dtype=np.int64) for x, _, _ in entries])
        c = np.concatenate([np.asarray(y, dtype=np.int64) for _, y, _ in entries])
        v = np.concatenate([np.asarray(w, dtype=np.float64) for _, _, w in entries])
        return sparse.csr_array((v, (r, c)), shape=(count, nv))

    def coverage_rows(targets: NDArray[np.intp], scale: FloatArray) -> sparse.csr_array:
        """Rows ``scale_t * c_t`` for the given targets, as a block over all variables."""
        part = sparse.diags_array(scale) @ g_csr[targets]
        return sparse.hstack([part, sparse.csr_array((targets.size, nv - e))]).tocsr()

    for i, k in enumerate(active.tolist()):
        dc, du, ac, au = payoffs[k]
        gain, loss = dc - du, au - ac
        live = lives[i]
        size = live.size
        qc = q_start[i] + np.arange(size)
        zc = qc + size
        integrality[qc] = 1
        upper[d0 + i] = min(
            float(dc.max()), float(best_at[i].max()) if np.isfinite(best_at[i]).any() else dc.max()
        )
        lower[d0 + i] = float(du.min())
        local = np.arange(size)
        free = np.full(size, -np.inf)
        blocks.append((rows_of([(np.zeros(size), qc, np.ones(size))], 1), np.ones(1), np.ones(1)))
        # a_k >= U_a(t) for every target that could reach the type's lowest level.
        tempting = np.flatnonzero(au > a_low[i])
        if tempting.size:
            a_col = rows_of(
                [(np.arange(tempting.size), np.full(tempting.size, a0 + i), np.ones(tempting.size))],
                tempting.size,
            )
            blocks.append(
                (
                    (coverage_rows(tempting, loss[tempting]) + a_col).tocsr(),
                    au[tempting],
                    np.full(tempting.size, np.inf),
                )
            )
        # McCormick: z <= reach q, z <= c, z >= c + q - 1; then d_k <= sum_t du q + gain z and
        # a_k <= sum_t au q - loss z (both exact for integral q, much tighter than big-M).
        z_eye = rows_of([(local, zc, np.ones(size))], size)
        q_eye = rows_of([(local, qc, np.ones(size))], size)
        q_reach = rows_of([(local, qc, reach[i, live])], size)
        c_live = coverage_rows(live, np.ones(size))
        blocks.append(((z_eye - q_reach).tocsr(), free, np.zeros(size)))
        blocks.append(((z_eye - c_live).tocsr(), free, np.zeros(size)))
        blocks.append(((c_live + q_eye - z_eye).tocsr(), free, np.ones(size)))
        zero, one = np.zeros(2 * size + 1), np.ones(2 * size + 1)
        d_row = rows_of(
            [(zero, np.concatenate([[d0 + i], qc, zc]), np.concatenate([[1.0], -du[live], -gain[live]]))], 1
        )
        a_row = rows_of(
            [(zero, np.concatenate([[a0 + i], qc, zc]), np.concatenate([[1.0], -au[live], loss[live]]))], 1
        )
        del one
        blocks.append((sparse.vstack([d_row, a_row]).tocsr(), np.full(2, -np.inf), np.zeros(2)))
    pad = sparse.csr_array((h.shape[0], nv - e))
    blocks.append((sparse.hstack([h, pad]).tocsr(), np.full(h.shape[0], -np.inf), counts.astype(float)))
    blocks.append((coverage_rows(np.arange(n), np.ones(n)), np.full(n, -np.inf), np.ones(n)))
    matrix = sparse.vstack([a for a, _, _ in blocks]).tocsr()
    row_lo = np.concatenate([lo for _, lo, _ in blocks])
    row_hi = np.concatenate([hi for _, _, hi in blocks])
    start = None
    q_cols = np.flatnonzero(integrality)
    if incumbent is not None:
        start = np.zeros(q_cols.size)
        for i, k in enumerate(active.tolist()):
            where = np.flatnonzero(lives[i] == incumbent[k])
            if where.size == 0:
                start = None
                break
            start[np.searchsorted(q_cols, q_start[i] + where[0])] = 1.0
    groups = [q_start[i] + np.arange(lives[i].size) for i in range(kk)]
    if region is not None and floor is not None:
        res, chosen = _branch_profiles(
            objective, matrix, row_lo, row_hi, lower, upper, groups, floor, time_limit
        )
        if chosen is None:
            return res, None
        profile = np.zeros(payoffs.shape[0], dtype=np.intp)
        profile[active] = [lives[i][chosen[i]] for i in range(kk)]
        polished = profile_lp(payoffs, priors, counts, allowed, profile)
        if polished is None:
            return _Result(None, 4, "profile LP failed"), None
        return res, np.maximum(polished[1], 0.0)
    res = _run_highs(objective, matrix, row_lo, row_hi, lower, upper, integrality, time_limit, q_cols, start)
    if res.x is None:
        return res, None
    profile = np.zeros(payoffs.shape[0], dtype=np.intp)
    for i, k in enumerate(active.tolist()):
        profile[k] = lives[i][int(np.argmax(res.x[groups[i]]))]
    x = res.x[:e]
    polished = profile_lp(payoffs, priors, counts, allowed, _fill_inactive(profile, payoffs, priors, g @ x))
    if polished is not None:
        x = polished[1]
    return res, np.maximum(x, 0.0)


def _highs_model(
    objective: FloatArray,
    matrix: sparse.csr_array,
    row_lo: FloatArray,
    row_hi: FloatArray,
    lower: FloatArray,
    upper: FloatArray,
) -> highspy.HighsLp:
    """The model as HiGHS holds it: costs, bounds (infinities as HiGHS' own) and the matrix by columns."""
    csc = sparse.csc_matrix(matrix)
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = objective.size, csc.shape[0]
    lp.col_cost_ = objective
    lp.col_lower_ = np.where(np.isinf(lower), -inf, lower)
    lp.col_upper_ = np.where(np.isinf(upper), inf, upper)
    lp.row_lower_ = np.where(np.isinf(row_lo), -inf, row_lo)
    lp.row_upper_ = np.where(np.isinf(row_hi), inf, row_hi)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = csc.indptr.astype(np.int32)
    lp.a_matrix_.index_ = csc.indices.astype(np.int32)
    lp.a_matrix_.value_ = csc.data.astype(np.float64)
    return lp


def _highs_lp(
    objective: FloatArray,
    matrix: sparse.csr_array,
    row_lo: FloatArray,
    row_hi: FloatArray,
    lower: FloatArray,
    upper: FloatArray,
) -> highspy.Highs:
    """A HiGHS object holding the LP (every variable continuous), ready to run."""
    lp = _highs_model(objective, matrix, row_lo, row_hi, lower, upper)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("presolve", "off")
    for name, value in HIGHS_OPTIONS.items():
        h.setOptionValue(name, value)
    h.passModel(lp)
    return h


def _branch_profiles(
    objective: FloatArray,
    matrix: sparse.csr_array,
    row_lo: FloatArray,
    row_hi: FloatArray,
    lower: FloatArray,
    upper: FloatArray,
    groups: list[NDArray[np.intp]],
    floor: float,
    time_limit: float | None,
) -> tuple[_Result, list[int] | None]:
    """Depth-first branch and bound over the types' attacked targets, bounded by the LP relaxation.

    ``groups[i]`` holds the columns of type ``i``'s attack binaries. A node closes some of them;
    its LP (warm-started dual simplex) bounds every profile in it. A node whose LP picks one
    target per type is solved (the McCormick rows are exact there); otherwise the type whose
    choice is most fractional is split in two (SOS-style: the targets carrying the first half of
    its weight against the rest). Only values above ``floor`` are sought.

    Returns the result (status 0: proven; 5: nothing beats ``floor``; 1: time limit) and, for
    the best node found, the index of each type's target inside its group.
    """
    h = _highs_lp(objective, matrix, row_lo, row_hi, lower, upper)
    columns = np.concatenate(groups).astype(np.int32)
    offsets = np.concatenate([[0], np.cumsum([g.size for g in groups])])
    tol = 1e-9 * max(1.0, abs(floor))
    best, chosen = floor, None
    # Depth first: the next LP differs from the last one by a few bounds, so its warm start is
    # close (measured: the same nodes, 20-40 % less CPU on the hardest 5 x 500 x 50 games than
    # best-first, whose successive nodes lie far apart in the tree).
    stack: list[tuple[float, NDArray[np.bool_]]] = [(np.inf, np.zeros(columns.size, dtype=bool))]
    clock = time.process_time()
    while stack:
        bound, closed = stack.pop()
        if bound <= best + tol:
            continue
        if time_limit is not None and time.process_time() - clock > time_limit:
            return _Result(None, 1, "time limit"), chosen
        h.changeColsBounds(columns.size, columns, np.zeros(columns.size), np.where(closed, 0.0, 1.0))
        h.run()
        status = h.getModelStatus()
        if status not in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kInfeasible):
            h.clearSolver()  # a warm start gone wrong: solve this node's LP from scratch
            h.run()
            status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:
            continue
        if status != highspy.HighsModelStatus.kOptimal:
            return _Result(None, 4, h.modelStatusToString(status)), None
        value = -h.getInfo().objective_function_value
        if value <= best + tol:
            continue
        q = np.array(h.getSolution().col_value)[columns]
        tops = [int(np.argmax(q[offsets[i] : offsets[i + 1]])) for i in range(len(groups))]
        spread = [1.0 - q[offsets[i] + t] for i, t in enumerate(tops)]
        worst = int(np.argmax(spread))
        if spread[worst] <= 1e-9:
            best, chosen = value, tops
            continue
        own = np.arange(offsets[worst], offsets[worst + 1])
        own = own[~closed[own]]
        order = own[np.argsort(-q[own], kind="stable")]
        cut = int(np.searchsorted(np.cumsum(q[order]), 0.5)) + 1
        cut = min(max(cut, 1), order.size - 1)
        for shut in (order[:cut], order[cut:]):  # pushed last, explored first: the LP's favourites kept
            child = closed.copy()
            child[shut] = True
            stack.append((value, child))
    if chosen is None:
        return _Result(None, 5, "nothing beats the floor"), None
    return _Result(None, 0, "optimal"), chosen


def _incumbent(
    payoffs: FloatArray,
    priors: FloatArray,
    counts: NDArray[np.int64],
    allowed: NDArray[np.bool_],
    candidates: list[FloatArray],
) -> NDArray[np.intp]:
    """A good attack profile to start HiGHS from (its value prunes the branch and bound): for
    identical teams the heuristic (with its local search over attack levels), otherwise the best
    of the single-type plans."""
    if counts.size == 1 and allowed.all():
        return heuristic_bayesian(payoffs, priors, int(counts[0])).attacked_by_type

    def value(coverage: FloatArray) -> float:
        return float(priors @ best_responses(coverage, payoffs).defender_utility)

    return best_responses(max(candidates, key=value), payoffs).attacked


LEVEL_BOXES = 200
"""Identical teams: boxes of the level search (:mod:`pckb.allocation.levels`) before the MILP
takes over on what the search left open (0: MILP only)."""

PRUNE = True
"""Fix at 0 the attacks that cannot beat the value of the starting profile (bound per pair)."""

TIGHT_REACH = True
"""Use ``z_kt <= reach_kt q_kt`` (reach from the type's single-type level) instead of ``z <= q``."""


@dataclass
class _Result:
    x: FloatArray | None
    status: int  # 0 proven optimal, 1 stopped with a solution, 4 HiGHS error, 2 other
    message: str


def _run_highs(
    objective: FloatArray,
    matrix: sparse.csr_array,
    row_lo: FloatArray,
    row_hi: FloatArray,
    lower: FloatArray,
    upper: FloatArray,
    integrality: FloatArray,
    time_limit: float | None,
    q_cols: NDArray[np.intp],
    start: FloatArray | None,
) -> _Result:
    """Solve the MILP on HiGHS directly (so a starting attack profile can be passed)."""
    lp = _highs_model(objective, matrix, row_lo, row_hi, lower, upper)
    lp.integrality_ = [
        highspy.HighsVarType.kInteger if v else highspy.HighsVarType.kContinuous for v in integrality
    ]
    # Measured: HiGHS's probing costs more than it saves here. On rare runs HiGHS fails after
    # accepting the starting solution: the last attempt goes without it.
    for presolve, seeded in (("off", True), ("choose", True), ("off", False)):
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue(FEASIBILITY_JUMP, False)
        h.setOptionValue("presolve", presolve)
        for name, value in HIGHS_OPTIONS.items():
            h.setOptionValue(name, value)
        if time_limit is not None:
            h.setOptionValue("time_limit", float(time_limit))
        h.passModel(lp)
        if start is not None and seeded:
            h.setSolution(int(start.size), q_cols.astype(np.int32), start)
        h.run()
        status = h.getModelStatus()
        has = h.getInfo().primal_solution_status == 2
        x = np.array(h.getSolution().col_value) if has else None
        if status == highspy.HighsModelStatus.kOptimal:
            return _Result(x, 0, "optimal")
        if has and status in (highspy.HighsModelStatus.kTimeLimit, highspy.HighsModelStatus.kInterrupt):
            return _Result(x, 1, "time limit")
        message = h.modelStatusToString(status)
    return _Result(None, 4, message)


HIGHS_OPTIONS: dict[str, object] = {"parallel": "off"}
"""Further HiGHS options for the attacker-types MILP (measured in bench/allocation_extensions.py). Not
``threads``: HiGHS refuses to run (an error, no solution) when it differs from the thread count its global
scheduler was started with by an earlier HiGHS run in the same process (e.g. the planner's LPs)."""


def _by_columns(
    payoffs: FloatArray, priors: FloatArray, counts: NDArray[np.int64], allowed: NDArray[np.bool_]
) -> BayesianSolution:
    """Exact fallback: typed teams as single-target schedules, solved by column generation."""
    teams = [
        ScheduleTeam(str(j), int(c), tuple((int(t),) for t in np.flatnonzero(row)))
        for j, (c, row) in enumerate(zip(counts, allowed, strict=True))
    ]
    mixed = solve_schedules(teams, payoffs, priors)
    by_type = np.zeros(allowed.shape)
    for w, assignment in zip(mixed.weights, mixed.assignments, strict=True):
        for j, s in assignment:
            by_type[j, teams[j].schedules[s][0]] += w
    return _finish(mixed.coverage, by_type, payoffs, priors, True)


def _fill_inactive(
    profile: NDArray[np.intp], payoffs: FloatArray, priors: FloatArray, coverage: FloatArray
) -> NDArray[np.intp]:
    """Give prior-0 types their best response to ``coverage`` (their LP rows then hold)."""
    response = best_responses(coverage, payoffs)
    return np.where(priors > 0, profile, response.attacked)


FEASIBILITY_JUMP = "mip_heuristic_run_feasibility_jump"
"""HiGHS option: its feasibility-jump heuristic returns slightly infeasible points on tiny games."""

POLISH_LIMIT = 50_000
"""Up to this many (type, target) pairs the heuristic re-solves its attack profile as an LP."""

HEURISTIC_GRID = np.array([0.25, 0.5, 0.75])
"""Interior mixing weights scanned between the best candidate coverage and each other one."""


LEVEL_STEPS = (0.3, 0.1, 0.03, 0.01, 0.003)
"""Steps (times the payoff range) of the local search over the types' attack levels."""

LEVEL_EVALS = 300
"""At most this many coverages are tried by the local search over attack levels."""


def _level_search(
    payoffs: FloatArray,
    priors: FloatArray,
    resources: int,
    coverage: FloatArray,
    best: float,
    value: Callable[[FloatArray], float],
) -> tuple[FloatArray, float]:
    """Local search over the types' attack levels ``a`` (identical teams).

    The least coverage holding type ``k`` to level ``a_k`` everywhere is
    ``c_t(a) = clip(max_k (au_kt - a_k) / loss_kt, 0, 1)``; a move raises or lowers one level and
    re-balances another by bisection so that ``sum c(a) = resources``. Every coverage tried is
    feasible and judged by the types' real best responses, so the result is a lower bound.
    """
    au, loss = payoffs[:, 3], payoffs[:, 3] - payoffs[:, 2]
    _, ua = utilities(coverage, payoffs)
    levels = ua.max(axis=1)
    low, high = payoffs[:, 2].max(axis=1), au.max(axis=1)
    active = np.flatnonzero(priors > 0)
    scale = float(np.ptp(payoffs[:, 2:]))

    def cover(a: FloatArray) -> FloatArray:
        return np.clip(((au - a[:, None]) / loss).max(axis=0), 0.0, 1.0)

    def balance(a: FloatArray, j: int) -> FloatArray | None:
        lo, hi = low[j], high[j]
        a = a.copy()
        a[j] = hi
        if cover(a).sum() > resources:
            return None
        for _ in range(40):
            a[j] = (lo + hi) / 2
            if cover(a).sum() > resources:
                lo = a[j]
            else:
                hi = a[j]
        a[j] = hi
        return a

    start = cover(levels)
    if value(start) >= best:
        coverage, best = start, value(start)
    evals = 0
    for step in LEVEL_STEPS:
        improved = True
        while improved and evals < LEVEL_EVALS:
            improved = False
            for i in active:
                for j in active:
                    if i == j or evals >= LEVEL_EVALS:
                        continue
                    for sign in (-1.0, 1.0):
                        trial = levels.copy()
                        trial[i] = np.clip(trial[i] + sign * step * scale, low[i], high[i])
                        balanced = balance(trial, j)
                        evals += 1
                        if balanced is None:
                            continue
                        c = cover(balanced)
                        v = value(c)
                        if v > best + 1e-12:
                            levels, coverage, best, improved = balanced, c, v, True
    return coverage, best


def heuristic_bayesian(payoffs: FloatArray, priors: FloatArray, resources: int) -> BayesianSolution:
    """Fast lower bound for identical teams: best of per-type and averaged-payoff equilibria and
    their convex combinations (every combination is a feasible coverage)."""
    payoffs, priors = check_types(payoffs, priors)
    candidates = [solve_game(*payoffs[k], resources).coverage for k in np.flatnonzero(priors > 0)]
    averaged = np.tensordot(priors, payoffs, axes=1)
    try:
        candidates.append(solve_game(*averaged, resources).coverage)
    except GameError:  # averaged payoffs need not satisfy the restriction when priors mix signs
        pass

    judge = Judge(payoffs)

    def value(coverage: FloatArray) -> float:
        return float(priors @ judge.defender_utility(coverage))

    scores = [value(c) for c in candidates]
    best = int(np.argmax(scores))
    best_cov, best_val = candidates[best], scores[best]
    for j, other in enumerate(candidates):
        if j == best:
            continue
        for w in HEURISTIC_GRID:
            mixed = (1 - w) * candidates[best] + w * other
            v = value(mixed)
            if v > best_val:
                best_cov, best_val = mixed, v
    if payoffs.shape[0] * payoffs.shape[2] <= POLISH_LIMIT:
        counts, allowed = np.array([resources]), np.ones((1, payoffs.shape[2]), dtype=bool)

        def polish(coverage: FloatArray, current: float) -> tuple[FloatArray, float]:
            """Best coverage inducing the same attack profile: an LP, never worse."""
            profile = best_responses(coverage, payoffs).attacked
            polished = profile_lp(payoffs, priors, counts, allowed, profile)
            if polished is not None:
                candidate = np.clip(polished[1], 0.0, 1.0)
                v = value(candidate)
                if v >= current:
                    return candidate, v
            return coverage, current

        best_cov, best_val = polish(best_cov, best_val)
        searched, v = _level_search(payoffs, priors, resources, best_cov, best_val, value)
        if v > best_val:
            best_cov, best_val = polish(searched, v)
    return _finish(best_cov, None, payoffs, priors, False)
