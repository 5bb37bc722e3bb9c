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
  are fixed out; the chosen attack profile is re-solved as a plain LP (:func:`profile_lp`), so
  the value is LP-exact. Types with prior 0 do not enter the MILP; their attack is reported as
  their best response to the final coverage.
* :func:`heuristic_bayesian` — identical teams, large games. Candidates are each type's own
  strong Stackelberg coverage (exact water level) and that of the prior-averaged payoffs; convex
  combinations of the best candidate with the others are scanned on a grid. Each candidate costs
  ``O(K n)`` to evaluate, so 5 types x 10^5 targets take well under a second. Up to
  ``POLISH_LIMIT`` (type, target) pairs the best is polished by its profile LP, then a local
  search over the types' attack levels (:func:`_level_search`) and a last profile LP follow. It
  is a lower bound; the benchmark reports its gap to the exact value where both run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import highspy
import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.optimize import linprog

from pckb.allocation.baselines import _incidence
from pckb.allocation.errors import GameError
from pckb.allocation.evaluation import best_responses, utilities
from pckb.allocation.identical import solve_game
from pckb.allocation.joint import Rows, ScheduleTeam, profile_rows, solve_schedules
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
        check_payoffs(*payoffs[k], ids=[f"loại #{k} mục tiêu #{t}" for t in range(payoffs.shape[2])])
    return payoffs, priors


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
    res = linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
    if res.status != 0:
        return None
    return float(rows.constant - res.fun), res.x[: g.shape[1]]


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
    """Exact Bayesian strong Stackelberg coverage with typed teams (compact MILP on HiGHS).

    Args:
        payoffs: ``(K, 4, n)`` payoffs of each attacker type.
        priors: ``(K,)`` prior of each type (non-negative, sum 1).
        counts, allowed: the team types as in :func:`pckb.allocation.typed.solve_typed`.
        time_limit: seconds for HiGHS; if reached the best profile found is returned with
            ``exact=False``.
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
    floor = None
    if PRUNE and incumbent is not None:
        found = profile_lp(payoffs, priors, counts, allowed, np.asarray(incumbent))
        floor = None if found is None else found[0]
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
) -> tuple[_Result, FloatArray | None]:
    """The compact MILP, started from the attack profile ``incumbent`` worth ``floor``.

    Returns HiGHS's result and the LP-polished pair coverage (``None`` when HiGHS failed).
    """
    n = payoffs.shape[2]
    g, h = _incidence(allowed)
    e = g.shape[1]
    active = np.flatnonzero(priors > 0)
    kk = active.size
    # Variables: x (e pairs), q (kk * n binaries), a (kk attacker values), d (kk defender values),
    # z (kk * n, z_kt = c_t q_kt by McCormick rows, exact when q is integral).
    nv = e + 2 * kk * n + 2 * kk
    q0, a0, d0, z0 = e, e + kk * n, e + kk * n + kk, e + kk * n + 2 * kk
    blocks: list[tuple[sparse.csr_array, FloatArray, FloatArray]] = []
    lower = np.zeros(nv)
    upper = np.full(nv, np.inf)
    upper[q0:a0] = 1.0
    upper[z0:] = 1.0
    objective = np.zeros(nv)
    for i, k in enumerate(active.tolist()):
        dc, du, ac, au = payoffs[k]
        gain, loss = dc - du, au - ac
        lower[a0 + i], upper[a0 + i] = ac.max(), au.max()
        lower[d0 + i], upper[d0 + i] = du.min(), dc.max()
        objective[d0 + i] = -priors[k]
        cols = q0 + i * n + np.arange(n)
        rows = np.arange(n)
        a_col = sparse.csr_array((np.ones(n), (rows, np.full(n, a0 + i))), shape=(n, nv))
        loss_x = sparse.hstack([sparse.diags_array(loss) @ g, sparse.csr_array((n, nv - e))]).tocsr()
        one_row = sparse.csr_array((np.ones(n), (np.zeros(n, dtype=int), cols)), shape=(1, nv))
        free = np.full(n, -np.inf)
        blocks.append((one_row, np.ones(1), np.ones(1)))
        # a_k >= U_a(t) for every t
        blocks.append(((loss_x + a_col).tocsr(), au, np.full(n, np.inf)))
        # McCormick: z <= q, z <= c, z >= c + q - 1; then d_k <= sum_t du q + gain z and
        # a_k <= sum_t au q - loss z (both exact for integral q, much tighter than big-M).
        zc = z0 + i * n + rows
        z_eye = sparse.csr_array((np.ones(n), (rows, zc)), shape=(n, nv))
        q_eye = sparse.csr_array((np.ones(n), (rows, cols)), shape=(n, nv))
        c_x = sparse.hstack([g, sparse.csr_array((n, nv - e))]).tocsr()
        # Strengthened: if type k attacks t its level is at least its single-type level, so
        # c_t <= reach_t there (z <= reach q instead of z <= q; exact, and a tighter relaxation).
        tol = 1e-7 * max(1.0, float(np.abs(au).max()))
        reach = np.clip((au - levels[k] + tol) / loss, 0.0, 1.0) if TIGHT_REACH else np.ones(n)
        q_reach = sparse.csr_array((reach, (rows, cols)), shape=(n, nv))
        blocks.append(((z_eye - q_reach).tocsr(), free, np.zeros(n)))
        blocks.append(((z_eye - c_x).tocsr(), free, np.zeros(n)))
        blocks.append(((c_x + q_eye - z_eye).tocsr(), free, np.ones(n)))
        d_row = np.zeros(nv)
        d_row[d0 + i] = 1.0
        d_row[cols] = -du
        d_row[zc] = -gain
        a_row = np.zeros(nv)
        a_row[a0 + i] = 1.0
        a_row[cols] = -au
        a_row[zc] = loss
        blocks.append((sparse.csr_array(np.vstack([d_row, a_row])), np.full(2, -np.inf), np.zeros(2)))
    pad = sparse.csr_array((h.shape[0], nv - e))
    blocks.append((sparse.hstack([h, pad]).tocsr(), np.full(h.shape[0], -np.inf), counts.astype(float)))
    blocks.append(
        (sparse.hstack([g, sparse.csr_array((n, nv - e))]).tocsr(), np.full(n, -np.inf), np.ones(n))
    )
    integrality = np.zeros(nv)
    integrality[q0:a0] = 1
    # A type can only attack targets whose uncovered payoff reaches the lowest level any coverage
    # can hold it to (its own single-type equilibrium level): fix the other binaries at 0.
    best_at = np.full((kk, n), -np.inf)
    for i, k in enumerate(active.tolist()):
        au = payoffs[k, 3]
        level = levels[k]
        slack = 1e-7 * max(1.0, float(np.abs(au).max()))
        never = au < level - slack
        upper[q0 + i * n + np.flatnonzero(never)] = 0.0
        # ... and its attack is worth at least that level to it, so at most this to us.
        dc, du, ac = payoffs[k, 0], payoffs[k, 1], payoffs[k, 2]
        reach = np.clip((au - level + slack) / (au - ac), 0.0, 1.0)
        lower[a0 + i] = max(lower[a0 + i], level - slack)
        best_at[i, ~never] = (du + reach * (dc - du))[~never]
        upper[d0 + i] = min(upper[d0 + i], float(best_at[i].max()))
    if floor is not None:
        # Type k attacking t is worth at most p_k best_at[k, t] + sum_{j != k} p_j max best_at[j]
        # to us; below the value of a known profile it cannot be optimal: fix q_kt at 0.
        weights = priors[active]
        tol = 1e-7 * max(1.0, abs(floor))
        for _ in range(3):
            tops = best_at.max(axis=1)
            rest = weights @ tops - weights * tops
            hopeless = weights[:, None] * best_at + rest[:, None] < floor - tol
            if not hopeless.any() or np.isneginf(np.where(hopeless, -np.inf, best_at).max(axis=1)).any():
                break
            best_at[hopeless] = -np.inf
            upper[q0 : q0 + kk * n][hopeless.ravel()] = 0.0
        upper[d0 : d0 + kk] = np.minimum(upper[d0 : d0 + kk], best_at.max(axis=1))
    matrix = sparse.vstack([a for a, _, _ in blocks]).tocsr()
    row_lo = np.concatenate([lo for _, lo, _ in blocks])
    row_hi = np.concatenate([hi for _, _, hi in blocks])
    start = None
    if incumbent is not None:
        start = np.zeros(kk * n)
        start[np.arange(kk) * n + incumbent[active]] = 1.0
        if (start > upper[q0:a0]).any():
            start = None
    res = _run_highs(objective, matrix, row_lo, row_hi, lower, upper, integrality, time_limit, q0, start)
    if res.x is None:
        return res, None
    profile = np.zeros(payoffs.shape[0], dtype=np.intp)
    profile[active] = res.x[q0:a0].reshape(kk, n).argmax(axis=1)
    x = res.x[:e]
    polished = profile_lp(payoffs, priors, counts, allowed, _fill_inactive(profile, payoffs, priors, g @ x))
    if polished is not None:
        x = polished[1]
    return res, np.maximum(x, 0.0)


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
    q0: int,
    start: FloatArray | None,
) -> _Result:
    """Solve the MILP on HiGHS directly (so a starting attack profile can be passed)."""
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
    lp.integrality_ = [
        highspy.HighsVarType.kInteger if v else highspy.HighsVarType.kContinuous for v in integrality
    ]
    for presolve in ("off", "choose"):  # measured: HiGHS's probing costs more than it saves here
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
        if start is not None:
            idx = np.arange(q0, q0 + start.size, dtype=np.int32)
            h.setSolution(int(start.size), idx, start)
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


HIGHS_OPTIONS: dict[str, object] = {"parallel": "off", "threads": 1}
"""Further HiGHS options for the attacker-types MILP (measured in bench/allocation_extensions.py)."""


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

    def value(coverage: FloatArray) -> float:
        return float(priors @ best_responses(coverage, payoffs).defender_utility)

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
