"""Reference solvers on HiGHS: multiple LPs (Conitzer & Sandholm 2006) and the ERASER MILP.

Both work on *typed* coverage: ``allowed`` is a boolean ``(types, n)`` matrix and ``counts`` the
number of teams of each type. Identical teams are the single type allowed everywhere. Variables
are the coverages ``x_e`` of the allowed (type, target) pairs; ``c_t`` is their sum per target.
They are slow and exist to check the fast solvers and to benchmark them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, OptimizeResult, linprog, milp

from pckb.allocation.payoffs import FloatArray


@dataclass(frozen=True)
class Baseline:
    """Result of a reference solver: the defender's value and the attacked target.

    For the MILPs, ``bound`` is HiGHS's bound on the optimum (an upper bound on the defender's
    value) and ``mip_gap`` the relative gap between it and the value; ``"optimal"`` means within
    HiGHS's default gap (1e-4). Stopped by the time limit, ``status`` is ``"time limit"`` and the
    value is that of the best solution found.
    """

    defender_utility: float
    attacked_target: int
    coverage: FloatArray
    status: str = "optimal"
    bound: float | None = None
    mip_gap: float = 0.0


def identical_structure(n: int, resources: int) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """``(counts, allowed)`` describing ``resources`` identical teams allowed on all ``n`` targets."""
    return np.array([resources], dtype=np.int64), np.ones((1, n), dtype=bool)


def _incidence(allowed: NDArray[np.bool_]) -> tuple[sparse.csr_array, sparse.csr_array]:
    """Sparse maps from pair variables to per-target coverage ``G`` and per-type use ``H``."""
    types, targets = np.nonzero(allowed)
    e = np.arange(types.size)
    ones = np.ones(types.size)
    g = sparse.csr_array((ones, (targets, e)), shape=(allowed.shape[1], e.size))
    h = sparse.csr_array((ones, (types, e)), shape=(allowed.shape[0], e.size))
    return g, h


def multiple_lp(
    dc: FloatArray,
    du: FloatArray,
    ac: FloatArray,
    au: FloatArray,
    counts: NDArray[np.int64],
    allowed: NDArray[np.bool_],
) -> Baseline:
    """Strong Stackelberg value by one LP per candidate attacked target; keep the best."""
    n = dc.size
    g, h = _incidence(allowed)
    if g.shape[1] == 0:  # nobody can cover anything: the attacker takes its best target
        ties = np.flatnonzero(au == au.max())
        star = int(ties[np.argmax(du[ties])])
        return Baseline(float(du[star]), star, np.zeros(n))
    loss = au - ac
    ua_rows = sparse.diags_array(-loss) @ g  # U_a(t) = au_t + (ua_rows @ x)_t
    best: Baseline | None = None
    for star in range(n):
        others = np.flatnonzero(np.arange(n) != star)
        # U_a(t') - U_a(t*) <= 0 for every other target t'.
        rows = ua_rows[others] - sparse.csr_array(np.ones((others.size, 1))) @ ua_rows[[star]]
        a_ub = sparse.vstack([rows, h, g]).tocsr()
        b_ub = np.concatenate([au[star] - au[others], counts.astype(float), np.ones(n)])
        objective = -(dc[star] - du[star]) * g[[star]].toarray().ravel()
        res = linprog(objective, A_ub=a_ub, b_ub=b_ub, bounds=(0, None), method="highs")
        if res.status != 0:
            continue
        value = du[star] - float(res.fun)
        if best is None or value > best.defender_utility:
            best = Baseline(value, star, g @ res.x)
    assert best is not None  # the target with the highest attacker_uncovered is always feasible
    return best


def eraser(
    dc: FloatArray,
    du: FloatArray,
    ac: FloatArray,
    au: FloatArray,
    counts: NDArray[np.int64],
    allowed: NDArray[np.bool_],
    time_limit: float | None = None,
) -> Baseline:
    """Strong Stackelberg value by the ERASER MILP (Kiekintveld et al., AAMAS 2009).

    Variables ``[x (pairs), a (n binaries: attacked target), d (defender), k (attacker)]``.
    """
    n = dc.size
    g, h = _incidence(allowed)
    e = g.shape[1]
    gain, loss = dc - du, au - ac
    big_d = float(dc.max() - du.min()) + 1.0
    big_a = float(au.max() - ac.min()) + 1.0
    eye = sparse.eye_array(n, format="csr")
    col = sparse.csr_array(np.ones((n, 1)))
    zero_e = sparse.csr_array((h.shape[0], n + 2))
    rows = [
        # sum a = 1
        (
            sparse.hstack(
                [sparse.csr_array((1, e)), sparse.csr_array(np.ones((1, n))), sparse.csr_array((1, 2))]
            ),
            1.0,
            1.0,
        ),
        # per-type counts and per-target coverage <= 1
        (sparse.hstack([h, zero_e]), -np.inf, counts.astype(float)),
        (sparse.hstack([g, sparse.csr_array((n, n + 2))]), -np.inf, 1.0),
        # d - U_d(t) <= (1 - a_t) M_d
        (
            sparse.hstack([sparse.diags_array(-gain) @ g, big_d * eye, col, sparse.csr_array((n, 1))]),
            -np.inf,
            du + big_d,
        ),
        # 0 <= k - U_a(t) <= (1 - a_t) M_a
        (sparse.hstack([sparse.diags_array(loss) @ g, sparse.csr_array((n, n + 1)), col]), au, np.inf),
        (
            sparse.hstack([sparse.diags_array(loss) @ g, big_a * eye, sparse.csr_array((n, 1)), col]),
            -np.inf,
            au + big_a,
        ),
    ]
    constraints = [LinearConstraint(a.tocsr(), lo, hi) for a, lo, hi in rows]
    objective = np.zeros(e + n + 2)
    objective[e + n] = -1.0
    integrality = np.zeros(e + n + 2)
    integrality[e : e + n] = 1
    lower = np.concatenate([np.zeros(e + n), [-np.inf, -np.inf]])
    upper = np.concatenate([np.full(e, np.inf), np.ones(n), [np.inf, np.inf]])
    res = _run_milp(objective, constraints, integrality, Bounds(lower, upper), time_limit, "ERASER")
    x = res.x
    return _baseline(res, int(np.argmax(x[e : e + n])), g @ x[:e])


def eraser_c(
    dc: FloatArray,
    du: FloatArray,
    ac: FloatArray,
    au: FloatArray,
    schedules: list[tuple[int, tuple[int, ...]]],
    counts: NDArray[np.int64],
    time_limit: float | None = None,
) -> Baseline:
    """ERASER-C (Kiekintveld et al. 2009): the ERASER MILP with schedules.

    ``schedules`` lists ``(team type, target indices)``. Variables ``[x (schedules), c (n),
    a (n binaries), d, k]`` with ``c_t <= sum_{s ∋ t} x_s``, ``c_t <= 1`` and each type's
    ``sum x_s <= count``. The marginal coverage it returns need not be implementable by any
    mixture of joint schedules, so its value is an upper bound on the true optimum.
    """
    n = dc.size
    s_count = len(schedules)
    owners = np.array([j for j, _ in schedules], dtype=np.intp)
    rows = np.concatenate([np.array(t, dtype=np.intp) for _, t in schedules])
    cols = np.repeat(np.arange(s_count), [len(t) for _, t in schedules])
    cover = sparse.csr_array((np.ones(rows.size), (rows, cols)), shape=(n, s_count))
    by_type = sparse.csr_array((np.ones(s_count), (owners, np.arange(s_count))), shape=(counts.size, s_count))
    gain, loss = dc - du, au - ac
    big_d = float(dc.max() - du.min()) + 1.0
    big_a = float(au.max() - ac.min()) + 1.0
    nv = s_count + 2 * n + 2
    c0, a0, d_i = s_count, s_count + n, s_count + 2 * n
    eye = sparse.eye_array(n, format="csr")
    zeros = sparse.csr_array
    col = sparse.csr_array(np.ones((n, 1)))
    blocks = [
        (sparse.hstack([by_type, zeros((counts.size, 2 * n + 2))]), -np.inf, counts.astype(float)),
        (sparse.hstack([-cover, eye, zeros((n, n + 2))]), -np.inf, 0.0),
        (sparse.hstack([zeros((1, s_count + n)), zeros(np.ones((1, n))), zeros((1, 2))]), 1.0, 1.0),
        # d - U_d(t) <= (1 - a_t) M_d
        (
            sparse.hstack([zeros((n, s_count)), sparse.diags_array(-gain), big_d * eye, col, zeros((n, 1))]),
            -np.inf,
            du + big_d,
        ),
        # 0 <= k - U_a(t) <= (1 - a_t) M_a
        (sparse.hstack([zeros((n, s_count)), sparse.diags_array(loss), zeros((n, n + 1)), col]), au, np.inf),
        (
            sparse.hstack([zeros((n, s_count)), sparse.diags_array(loss), big_a * eye, zeros((n, 1)), col]),
            -np.inf,
            au + big_a,
        ),
    ]
    constraints = [LinearConstraint(a.tocsr(), lo, hi) for a, lo, hi in blocks]
    objective = np.zeros(nv)
    objective[d_i] = -1.0
    integrality = np.zeros(nv)
    integrality[a0 : a0 + n] = 1
    lower = np.concatenate([np.zeros(s_count + 2 * n), [-np.inf, -np.inf]])
    upper = np.concatenate([np.full(s_count, np.inf), np.ones(2 * n), [np.inf, np.inf]])
    res = _run_milp(objective, constraints, integrality, Bounds(lower, upper), time_limit, "ERASER-C")
    return _baseline(res, int(np.argmax(res.x[a0 : a0 + n])), res.x[c0 : c0 + n])


def _run_milp(
    objective: FloatArray,
    constraints: list[LinearConstraint],
    integrality: FloatArray,
    bounds: Bounds,
    time_limit: float | None,
    label: str,
) -> OptimizeResult:
    """Run HiGHS; raise if it ends without any solution (infeasible, error, or a time limit hit
    before the first solution). HiGHS's ``time_limit`` is wall time and is only looked at between
    the passes of its presolve, so a large model can overrun it by the length of one pass."""
    options = {"time_limit": time_limit} if time_limit is not None else {}
    res = milp(objective, constraints=constraints, integrality=integrality, bounds=bounds, options=options)
    if res.x is None:
        raise RuntimeError(f"{label} không giải được: {res.message}")
    return res


def _baseline(res: OptimizeResult, attacked: int, coverage: FloatArray) -> Baseline:
    """Package a MILP result (objective ``-d``) with HiGHS's bound on the optimum and its gap."""
    bound = getattr(res, "mip_dual_bound", None)
    gap = getattr(res, "mip_gap", None)
    if res.status == 0:
        status = "optimal"
    elif res.status == 1:
        status = "time limit"
    else:
        status = f"stopped: {res.message}"
    return Baseline(
        float(-res.fun),
        attacked,
        coverage,
        status,
        None if bound is None else float(-bound),
        float("inf") if gap is None else float(gap),
    )
