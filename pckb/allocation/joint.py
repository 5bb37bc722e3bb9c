"""Mixed strategies over *joint* pure strategies: the multiple-LP method, by enumeration or by
column generation (patrol schedules).

A joint pure strategy gives every team one schedule (a set of targets it covers in the shift) or
none; a target is covered when some team's schedule contains it (covered twice counts once). The
defender mixes over joint pure strategies with weights ``w``; the coverage is ``c = sum_j w_j P_j``
(``P_j`` the 0/1 coverage of pure strategy ``j``), so every coverage computed here is implementable.

For an *attack profile* (the target ``t_k`` attacked by each attacker type ``k``) the best mixed
strategy is an LP (:func:`profile_rows` gives its rows over ``c``); the strong Stackelberg value
is the best profile's (Conitzer & Sandholm 2006). :func:`brute_force` enumerates every joint
pure strategy (tiny games, the reference of the tests). :func:`solve_schedules` generates the
columns it needs (ASPEN, Jain et al. AAAI 2010): the restricted master LP is solved on HiGHS, its
duals weigh the targets, and the pricing problem — one schedule (or none) per team maximising the
weight of the covered targets — is solved greedily and, when the greedy finds nothing, exactly by
a small MILP on HiGHS. Profiles are explored best upper bound first and pruned by a bound from the
lowest attacker level any mixed strategy can enforce (itself a column-generation LP), so only the
promising attacked targets are solved — branch and bound over the attacked target.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import highspy
import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from pckb.allocation.errors import GameError
from pckb.allocation.evaluation import best_responses
from pckb.allocation.identical import attacker_level
from pckb.allocation.payoffs import FloatArray

REDUCED_COST_TOLERANCE = 1e-9
"""A column enters the master LP when its reduced cost is below ``-tolerance``."""

FEASIBILITY_TOLERANCE = 1e-8
"""Phase-one slack above which an attack profile is declared impossible."""

GREEDY_VARIANTS = 8
"""Columns offered per master round by the greedy pricing (the best and forced-start variants)."""

MAX_ROUNDS = 500
"""Column-generation rounds per LP (a safeguard; convergence takes far fewer)."""


@dataclass(frozen=True)
class ScheduleTeam:
    """``count`` identical teams, each covering one of ``schedules`` (target index tuples) per day."""

    name: str
    count: int
    schedules: tuple[tuple[int, ...], ...]


@dataclass
class ColumnPool:
    """Joint pure strategies found so far: coverage rows and, per row, each team's schedule.

    ``assignments[j]`` lists ``(team type index, schedule index)`` for every busy team.
    """

    n: int
    rows: list[NDArray[np.float64]] = field(default_factory=list)
    assignments: list[tuple[tuple[int, int], ...]] = field(default_factory=list)
    groups: list[int] = field(default_factory=list)
    seen: set[bytes] = field(default_factory=set)

    def add(self, row: NDArray[np.float64], assignment: tuple[tuple[int, int], ...], group: int = 0) -> bool:
        """Add a pure strategy of ``group`` (teams of other groups idle); ``False`` if known."""
        key = row.astype(np.uint8).tobytes() + group.to_bytes(4, "little")
        if key in self.seen:
            return False
        self.seen.add(key)
        self.rows.append(row)
        self.assignments.append(assignment)
        self.groups.append(group)
        return True

    def matrix(self) -> FloatArray:
        return np.array(self.rows, dtype=np.float64).reshape(len(self.rows), self.n)


@dataclass(frozen=True)
class Rows:
    """An LP over coverage ``c``: maximise ``objective @ c + constant`` s.t. ``matrix @ c <= rhs``.

    With ``extra`` (one coefficient per row) the LP has one more free variable ``d``, which is
    the whole objective: maximise ``d`` (MATCH's guaranteed value). ``matrix`` may be dense or
    a sparse array (:func:`profile_rows`' rows hold two entries each: sparse).
    """

    matrix: FloatArray | sparse.csr_array
    rhs: FloatArray
    objective: FloatArray
    constant: float
    extra: FloatArray | None = None


def _star_rows(
    n: int, others: NDArray[np.intp], own: FloatArray, star: int, at_star: float, head: float | None = None
) -> sparse.csr_array:
    """Rows ``own_i c_{others_i} + at_star c_star`` (one per other target), sparse; with
    ``head`` a first row ``head c_star`` above them."""
    first = 0 if head is None else 1
    count = others.size + first
    rows = np.concatenate([np.arange(first, count), np.arange(first, count)])
    cols = np.concatenate([others, np.full(others.size, star)])
    values = np.concatenate([own, np.full(others.size, at_star)])
    if head is not None:
        rows, cols, values = np.append(rows, 0), np.append(cols, star), np.append(values, head)
    return sparse.csr_array((values, (rows, cols)), shape=(count, n))


def profile_rows(
    payoffs: FloatArray, priors: FloatArray, profile: Sequence[int], beta: float | None = None
) -> Rows:
    """Rows of the LP in which type ``k`` (with positive prior) attacks ``profile[k]``.

    With ``beta`` (MATCH, one attacker type) every target also satisfies
    ``U_d(t) >= U_d(t*) - beta * (U_a(t*) - U_a(t))``. The matrix is sparse (two entries a row:
    a dense one is ``K n x n``, gigabytes at 10^4 targets).
    """
    n = payoffs.shape[2]
    blocks: list[sparse.csr_array] = []
    rhs: list[FloatArray] = []
    objective = np.zeros(n)
    constant = 0.0
    for k, star in enumerate(profile):
        if priors[k] <= 0:
            continue
        dc, du, ac, au = payoffs[k]
        gain, loss = dc - du, au - ac
        others = np.flatnonzero(np.arange(n) != star)
        # U_a(t') <= U_a(t*):  -loss_t' c_t' + loss_t* c_t* <= au_t* - au_t'
        blocks.append(_star_rows(n, others, -loss[others], star, float(loss[star])))
        rhs.append(au[star] - au[others])
        if beta is not None:
            # d <= U_d(t*):  d - gain* c* <= du*
            # d - beta (U_a(t*) - U_a(t)) <= U_d(t):
            #     d + beta loss* c* - (gain_t + beta loss_t) c_t <= du_t + beta (au* - au_t)
            own = -(gain[others] + beta * loss[others])
            blocks.append(_star_rows(n, others, own, star, float(beta * loss[star]), float(-gain[star])))
            rhs.append(np.concatenate([[du[star]], du[others] + beta * (au[star] - au[others])]))
            extra_rows = sum(b.shape[0] for b in blocks)
            matrix = sparse.vstack(blocks).tocsr()
            extra = np.zeros(extra_rows)
            extra[-(others.size + 1) :] = 1.0
            return Rows(matrix, np.concatenate(rhs), np.zeros(n), 0.0, extra)
        objective[star] += priors[k] * gain[star]
        constant += priors[k] * du[star]
    matrix = sparse.vstack(blocks).tocsr() if blocks else sparse.csr_array((0, n))
    return Rows(matrix, np.concatenate(rhs) if rhs else np.zeros(0), objective, constant)


@dataclass(frozen=True)
class MixedSolution:
    """A mixed strategy over joint pure strategies and the attack it induces.

    Attributes:
        weights: probability of each pure strategy (``columns`` rows).
        columns: ``(J, n)`` 0/1 coverage of the pure strategies with positive weight.
        assignments: per pure strategy, ``(team type, schedule index)`` of every busy team.
        coverage: ``weights @ columns``.
        attacked_by_type: each attacker type's attacked target.
        defender_utility: expected over types.
        attacker_utility_by_type: each type's utility at its attack.
        lps: how many master LPs were solved (a measure of work).
    """

    weights: FloatArray
    columns: FloatArray
    assignments: tuple[tuple[tuple[int, int], ...], ...]
    coverage: FloatArray
    attacked_by_type: NDArray[np.intp]
    defender_utility: float
    attacker_utility_by_type: FloatArray
    lps: int


def _master(
    columns: FloatArray, rows: Rows, phase_one: bool, a_rows: FloatArray | None = None
) -> tuple[float, FloatArray, FloatArray, float] | None:
    """Restricted master: ``(value, weights, row duals, convexity dual)``.

    Phase one minimises a common slack ``s`` added to every row; phase two maximises the
    objective with ``s = 0``. Variables are ``[w (J), s]``. ``a_rows`` (``rows.matrix @
    columns.T``) may be passed in when the caller keeps it up to date.
    """
    j = columns.shape[0]
    if a_rows is None:
        a_rows = rows.matrix @ columns.T
    a_ub = np.hstack([a_rows, -np.ones((a_rows.shape[0], 1))])
    a_eq = np.hstack([np.ones((1, j)), np.zeros((1, 1))])
    if phase_one:
        cost = np.zeros(j + 1)
        cost[-1] = 1.0
        bounds = [(0, None)] * (j + 1)
    else:
        cost = np.append(-(columns @ rows.objective), 0.0)
        bounds = [(0, None)] * j + [(0, 0)]
    if rows.extra is not None:  # the free variable d, maximised in phase two
        a_ub = np.hstack([a_ub, rows.extra[:, None]])
        a_eq = np.hstack([a_eq, np.zeros((1, 1))])
        cost = np.append(cost, 0.0 if phase_one else -1.0)
        bounds = [*bounds, (None, None)]
    res = linprog(
        cost,
        A_ub=a_ub if a_ub.shape[0] else None,
        b_ub=rows.rhs if a_ub.shape[0] else None,
        A_eq=a_eq,
        b_eq=[1.0],
        bounds=bounds,
        method="highs",
    )
    if res.status != 0:
        return None
    duals = res.ineqlin.marginals if a_ub.shape[0] else np.zeros(0)
    return float(res.fun), res.x[:j], duals, float(res.eqlin.marginals[0])


def enumerate_joint(teams: Sequence[ScheduleTeam], n: int) -> ColumnPool:
    """Every joint pure strategy (each team one schedule or none), distinct coverages only."""
    per_type = []
    for j, team in enumerate(teams):
        options = [None, *range(len(team.schedules))]
        per_type.append(
            [
                tuple((j, s) for s in combo if s is not None)
                for combo in itertools.combinations_with_replacement(options, team.count)
            ]
        )
    pool = ColumnPool(n)
    for parts in itertools.product(*per_type):
        assignment = tuple(a for part in parts for a in part)
        row = np.zeros(n)
        for j, s in assignment:
            row[list(teams[j].schedules[s])] = 1.0
        pool.add(row, assignment)
    return pool


def _solve_profile_fixed(columns: FloatArray, rows: Rows) -> tuple[float, FloatArray] | None:
    """Profile LP over a fixed set of columns (no generation): ``(value, weights)`` or ``None``."""
    first = _master(columns, rows, phase_one=True)
    if first is None or first[0] > FEASIBILITY_TOLERANCE:
        return None
    second = _master(columns, rows, phase_one=False)
    if second is None:
        return None
    return rows.constant - second[0], second[1]


def _mixed(
    pool_rows: FloatArray,
    assignments: Sequence[tuple[tuple[int, int], ...]],
    weights: FloatArray,
    payoffs: FloatArray,
    priors: FloatArray,
    lps: int,
    groups: NDArray[np.intp] | None = None,
) -> MixedSolution:
    """Package a master solution. Groups (teams sharing no target) mix independently; their
    mixtures are coupled into one mixture over full joint schedules by a common uniform draw
    (group ``g`` plays the pure strategy whose cumulative-weight interval holds ``u``), which
    keeps every group's marginal, hence every target's coverage, and needs at most
    ``sum_g (strategies of g)`` joint schedules."""
    keep = weights > 1e-12
    group_of = np.zeros(weights.size, dtype=np.intp) if groups is None else np.asarray(groups)
    cols_by_group = []
    for g in np.unique(group_of[keep]):
        members = np.flatnonzero(keep & (group_of == g))
        w = weights[members] / weights[members].sum()
        cols_by_group.append((members, np.cumsum(w)))
    cuts = np.unique(np.concatenate([[0.0], *[c for _, c in cols_by_group]]).clip(0.0, 1.0))
    cuts[-1] = 1.0
    joint_w, joint_cols, joint_assign = [], [], []
    for lo, hi in itertools.pairwise(cuts):
        if hi - lo <= 1e-12:
            continue
        mid = 0.5 * (lo + hi)
        column = np.zeros(pool_rows.shape[1])
        assignment: list[tuple[int, int]] = []
        for members, cum in cols_by_group:
            pick = members[min(int(np.searchsorted(cum, mid)), members.size - 1)]
            column = np.maximum(column, pool_rows[pick])
            assignment.extend(assignments[pick])
        joint_w.append(hi - lo)
        joint_cols.append(column)
        joint_assign.append(tuple(assignment))
    w = np.array(joint_w) / sum(joint_w)
    cols = np.array(joint_cols).reshape(len(joint_cols), pool_rows.shape[1])
    coverage = np.clip(w @ cols, 0.0, 1.0)
    response = best_responses(coverage, payoffs)
    return MixedSolution(
        w,
        cols,
        tuple(joint_assign),
        coverage,
        response.attacked,
        float(priors @ response.defender_utility),
        response.attacker_utility,
        lps,
    )


def brute_force(
    teams: Sequence[ScheduleTeam], payoffs: FloatArray, priors: FloatArray, beta: float | None = None
) -> MixedSolution:
    """Reference: one LP per attack profile over *all* joint pure strategies (tiny games only)."""
    n = payoffs.shape[2]
    pool = enumerate_joint(teams, n)
    columns = pool.matrix()
    best: tuple[float, FloatArray] | None = None
    choices = [range(n) if p > 0 else [0] for p in priors]
    lps = 0
    for profile in itertools.product(*choices):
        rows = profile_rows(payoffs, priors, profile, beta)
        found = _solve_profile_fixed(columns, rows)
        lps += 1
        if found is not None and (best is None or found[0] > best[0]):
            best = found
    assert best is not None  # some profile is always inducible
    return _mixed(columns, pool.assignments, best[1], payoffs, priors, lps)


class Pricing:
    """Best joint pure strategy for target weights ``y``: greedy first, exact MILP to confirm."""

    def __init__(self, teams: Sequence[ScheduleTeam], n: int) -> None:
        self.teams = list(teams)
        self.n = n
        self.incidence: list[sparse.csr_array] = []
        for team in teams:
            rows = np.repeat(np.arange(len(team.schedules)), [len(s) for s in team.schedules])
            cols = np.fromiter(itertools.chain.from_iterable(team.schedules), dtype=np.intp)
            self.incidence.append(
                sparse.csr_array((np.ones(rows.size), (rows, cols)), shape=(len(team.schedules), n))
            )
        self.sizes = np.array([len(team.schedules) for team in teams], dtype=np.intp)
        self.offsets = np.concatenate([[0], np.cumsum(self.sizes)]).astype(np.intp)
        self.owner = np.repeat(np.arange(len(self.teams)), self.sizes)
        self.all = sparse.vstack(self.incidence).tocsr() if self.incidence else sparse.csr_array((0, n))
        csc = self.all.tocsc()
        self.containing = [csc.indices[csc.indptr[t] : csc.indptr[t + 1]] for t in range(n)]
        # Groups of team types linked by shared targets (pricing splits over them exactly).
        parent = list(range(len(self.teams)))

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        first_owner: dict[int, int] = {}
        for j, team in enumerate(self.teams):
            for t in {t for sched in team.schedules for t in sched}:
                if t in first_owner:
                    parent[root(j)] = root(first_owner[t])
                else:
                    first_owner[t] = j
        groups: dict[int, list[int]] = {}
        for j in range(len(self.teams)):
            groups.setdefault(root(j), []).append(j)
        self.groups = list(groups.values())
        self.group_masks = []
        for group in self.groups:
            mask = np.zeros(n, dtype=bool)
            for j in group:
                for sched in self.teams[j].schedules:
                    mask[list(sched)] = True
            self.group_masks.append(mask)

    def _row(self, assignment: Sequence[tuple[int, int]]) -> NDArray[np.float64]:
        row = np.zeros(self.n)
        for j, s in assignment:
            row[list(self.teams[j].schedules[s])] = 1.0
        return row

    def greedy(
        self,
        y: FloatArray,
        start: tuple[int, int] | None = None,
        gains: FloatArray | None = None,
        group: int | None = None,
    ) -> tuple[float, NDArray[np.float64], tuple[tuple[int, int], ...]]:
        """Repeatedly give a free team the schedule adding the most weight (gains kept up to
        date incrementally over all schedules of all types at once); only the teams of
        ``group`` when given."""
        left = np.array([team.count for team in self.teams])
        if group is not None:
            left[~np.isin(np.arange(len(self.teams)), self.groups[group])] = 0
        covered = np.zeros(self.n, dtype=bool)
        assignment: list[tuple[int, int]] = []
        gain = (self.all @ y) if gains is None else gains.copy()
        gain[np.repeat(left == 0, self.sizes)] = -np.inf

        def take(j: int, s: int) -> None:
            left[j] -= 1
            assignment.append((j, s))
            fresh = [t for t in self.teams[j].schedules[s] if not covered[t]]
            covered[fresh] = True
            for t in fresh:
                gain[self.containing[t]] -= y[t]
            if left[j] == 0:
                gain[self.offsets[j] : self.offsets[j + 1]] = -np.inf

        if start is not None:
            take(*start)
        while gain.size:
            best = int(np.argmax(gain))
            if not gain[best] > REDUCED_COST_TOLERANCE:
                break
            j = int(self.owner[best])
            take(j, best - int(self.offsets[j]))
        row = covered.astype(np.float64)
        return float(y @ row), row, tuple(assignment)

    def greedy_variants(
        self, y: FloatArray, group: int, variants: int = GREEDY_VARIANTS
    ) -> list[tuple[float, NDArray[np.float64], tuple[tuple[int, int], ...]]]:
        """The greedy cover of ``group`` plus covers forced to start from its next-best single
        schedules (several entering columns per master round: fewer rounds)."""
        gains = self.all @ y
        found = [self.greedy(y, gains=gains, group=group)]
        members = np.isin(np.arange(len(self.teams)), self.groups[group])
        usable = np.repeat(
            np.array([team.count > 0 for team in self.teams], dtype=bool) & members, self.sizes
        )
        candidates = np.flatnonzero(usable & (gains > 0))
        top = candidates[np.argsort(-gains[candidates])[1:variants]]
        for index in top.tolist():
            j = int(self.owner[index])
            found.append(self.greedy(y, start=(j, index - int(self.offsets[j])), gains=gains, group=group))
        return found

    def upper_bound(self, y: FloatArray, g: int) -> float:
        """A cheap bound on group ``g``'s pricing optimum: the lesser of the group's positive
        weight and ``count x`` its best schedule's positive weight, summed over its types."""
        plus = np.maximum(y, 0.0)
        best = sum(
            self.teams[j].count * float((self.incidence[j] @ plus).max(initial=0.0)) for j in self.groups[g]
        )
        return min(best, float(plus[self.group_masks[g]].sum()))

    def exact_group(
        self, y: FloatArray, g: int
    ) -> tuple[float, NDArray[np.float64], tuple[tuple[int, int], ...]]:
        """Exact pricing for group ``g`` alone."""
        return self._exact_group(y, self.groups[g], self.group_masks[g])

    def exact(self, y: FloatArray) -> tuple[float, NDArray[np.float64], tuple[tuple[int, int], ...]]:
        """Exact pricing, one small MILP per group of team types that share targets."""
        value, row, assignment = 0.0, np.zeros(self.n), []
        for group, mask in zip(self.groups, self.group_masks, strict=True):
            v, r, a = self._exact_group(y, group, mask)
            value += v
            row = np.maximum(row, r)
            assignment.extend(a)
        return float(y @ row), row, tuple(assignment)

    def _exact_group(
        self, y: FloatArray, group: list[int], mask: NDArray[np.bool_]
    ) -> tuple[float, NDArray[np.float64], tuple[tuple[int, int], ...]]:
        """MILP: integer ``z_s`` (teams on schedule ``s``), binary ``u_t`` (target covered)."""
        positive = y > 0
        useful = [
            np.flatnonzero((inc @ positive.astype(float)) > 0) if j in group else np.zeros(0, dtype=np.intp)
            for j, inc in enumerate(self.incidence)
        ]
        sizes = [u.size for u in useful]
        nz = sum(sizes)
        if nz == 0:
            return 0.0, np.zeros(self.n), ()
        inc = sparse.vstack(
            [self.incidence[j][useful[j]] for j in range(len(self.teams)) if sizes[j]]
        ).tocsc()
        owner = np.repeat(np.arange(len(self.teams)), sizes)
        weighted = np.flatnonzero((y != 0) & mask)
        nu = weighted.size
        total = float(sum(team.count for team in self.teams))
        cover = inc[:, weighted].T.tocsr()  # (nu, nz): schedules covering each weighted target
        u_eye = sparse.eye_array(nu, format="csr")
        pos = y[weighted] > 0
        constraints = [
            # per type: sum z <= count
            LinearConstraint(
                sparse.hstack(
                    [
                        sparse.csr_array((np.ones(nz), (owner, np.arange(nz))), shape=(len(self.teams), nz)),
                        sparse.csr_array((len(self.teams), nu)),
                    ]
                ),
                -np.inf,
                np.array([team.count for team in self.teams], dtype=float),
            ),
            # y_t > 0: u_t <= sum z ; y_t < 0: sum z <= total u_t
            LinearConstraint(sparse.hstack([-cover[pos], u_eye[pos]]), -np.inf, np.zeros(int(pos.sum()))),
            LinearConstraint(
                sparse.hstack([cover[~pos], -total * u_eye[~pos]]), -np.inf, np.zeros(int((~pos).sum()))
            ),
        ]
        upper = np.concatenate([[self.teams[j].count for j in owner], np.ones(nu)])
        res = milp(
            np.concatenate([np.zeros(nz), -y[weighted]]),
            constraints=constraints,
            integrality=np.ones(nz + nu),
            bounds=Bounds(np.zeros(nz + nu), upper),
            options={"mip_rel_gap": 0.0},
        )
        if res.x is None:
            raise RuntimeError(f"HiGHS không giải được bài toán chọn tuyến: {res.message}")
        z = np.round(res.x[:nz]).astype(int)
        assignment: list[tuple[int, int]] = []
        offsets = np.concatenate([[0], np.cumsum(sizes)])
        for j in range(len(self.teams)):
            for local, times in enumerate(z[offsets[j] : offsets[j + 1]].tolist()):
                assignment.extend([(j, int(useful[j][local]))] * times)
        row = self._row(assignment)
        return float(y @ row), row, tuple(assignment)


class Master:
    """The restricted master LP of one attack profile, kept in one HiGHS model across rounds and
    phases (new columns are appended and the simplex restarts from the previous basis).

    Columns: ``s`` (common slack, phase one), optionally ``d`` (MATCH), then one ``w_j`` per
    pure strategy. Rows: ``rows.matrix @ c - s (+ extra d) <= rhs`` and ``sum w = 1``.
    """

    def __init__(self, rows: Rows, groups: int = 1) -> None:
        self.rows = rows
        self.h = highspy.Highs()
        self.h.setOptionValue("output_flag", False)
        r = rows.matrix.shape[0]
        self.r = r
        self.n_groups = groups
        inf = highspy.kHighsInf
        lower = np.concatenate([np.full(r, -inf), np.ones(groups)])
        upper = np.concatenate([rows.rhs, np.ones(groups)])
        self.h.addRows(
            r + groups, lower, upper, 0, np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0)
        )
        idx = np.arange(r, dtype=np.int32)
        self.h.addCols(
            1,
            np.array([1.0]),
            np.array([0.0]),
            np.array([inf]),
            r,
            np.array([0], dtype=np.int32),
            idx,
            -np.ones(r),
        )
        self.fixed = 1
        if rows.extra is not None:
            nz = np.flatnonzero(rows.extra).astype(np.int32)
            self.h.addCols(
                1,
                np.array([0.0]),
                np.array([-inf]),
                np.array([inf]),
                nz.size,
                np.array([0], dtype=np.int32),
                nz,
                rows.extra[nz],
            )
            self.fixed = 2
        self.columns = 0
        self.phase_one = True

    def add(self, new: FloatArray, groups: Sequence[int]) -> None:
        """Append pure strategies (rows of ``new``, of the given groups) as columns."""
        block = self.rows.matrix @ new.T  # (r, k)
        costs = np.zeros(new.shape[0]) if self.phase_one else -(new @ self.rows.objective)
        starts, indices, values = [], [], []
        for j in range(new.shape[0]):
            nz = np.flatnonzero(block[:, j])
            starts.append(len(indices))
            indices.extend(nz.tolist())
            indices.append(self.r + int(groups[j]))
            values.extend(block[nz, j].tolist())
            values.append(1.0)
        k = new.shape[0]
        self.h.addCols(
            k,
            costs,
            np.zeros(k),
            np.full(k, highspy.kHighsInf),
            len(indices),
            np.array(starts, dtype=np.int32),
            np.array(indices, dtype=np.int32),
            np.array(values),
        )
        self._costs = np.concatenate([getattr(self, "_costs", np.zeros(0)), new @ self.rows.objective])
        self.columns += k

    def to_phase_two(self) -> None:
        """Fix the slack at zero and switch to the real objective (maximise, so minimise -f)."""
        self.phase_one = False
        self.h.changeColBounds(0, 0.0, 0.0)
        self.h.changeColCost(0, 0.0)
        if self.fixed == 2:
            self.h.changeColCost(1, -1.0)
        if self.columns:
            cols = np.arange(self.fixed, self.fixed + self.columns, dtype=np.int32)
            self.h.changeColsCost(self.columns, cols, -self._costs)

    def solve(self) -> tuple[float, FloatArray, FloatArray, FloatArray] | None:
        self.h.run()
        if self.h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        solution = self.h.getSolution()
        duals = np.array(solution.row_dual)
        weights = np.array(solution.col_value)[self.fixed :]
        value = self.h.getInfo().objective_function_value
        return float(value), weights, duals[: self.r], duals[self.r :]


def _solve_profile(
    pool: ColumnPool, pricing: Pricing, rows: Rows, counter: list[int]
) -> tuple[float, FloatArray, int] | None:
    """Phase one then phase two by column generation: ``(value, weights, columns used)`` or
    ``None`` if the profile cannot be induced. The weights index the first columns of ``pool``."""
    master = Master(rows, len(pricing.groups))
    master.add(pool.matrix(), pool.groups)
    for phase_one in (True, False):
        if not phase_one:
            master.to_phase_two()
        found = _generate(master, pool, pricing, rows, phase_one, counter)
        if found is None:
            return None
        fun, weights = found
        if phase_one and fun > FEASIBILITY_TOLERANCE:
            return None
    return rows.constant - fun, weights, master.columns


def _generate(
    master: Master, pool: ColumnPool, pricing: Pricing, rows: Rows, phase_one: bool, counter: list[int]
) -> tuple[float, FloatArray] | None:
    """Column generation to optimality for one phase; returns the master's ``(fun, weights)``."""
    for _ in range(MAX_ROUNDS):
        found = master.solve()
        counter[0] += 1
        if found is None:
            return None
        fun, weights, duals, mu = found
        if phase_one and fun <= FEASIBILITY_TOLERANCE:
            return fun, weights
        # Reduced cost of a column P: cost(P) - duals @ (R P) - mu; cost is 0 or -objective @ P.
        y = rows.matrix.T @ duals
        if not phase_one:
            y = y + rows.objective
        tolerance = REDUCED_COST_TOLERANCE * max(1.0, float(np.abs(y).max(initial=0.0)))
        added: list[NDArray[np.float64]] = []
        groups: list[int] = []
        for g in range(len(pricing.groups)):
            for value, row, assignment in pricing.greedy_variants(y, g):
                if value + mu[g] > tolerance and pool.add(row, assignment, g):
                    added.append(row)
                    groups.append(g)
        if not added:
            for g in range(len(pricing.groups)):
                if pricing.upper_bound(y, g) + mu[g] <= tolerance:
                    continue
                value, row, assignment = pricing.exact_group(y, g)
                if value + mu[g] > tolerance and pool.add(row, assignment, g):
                    added.append(row)
                    groups.append(g)
            if not added:
                return fun, weights
        master.add(np.array(added), groups)
    return fun, weights


def _lowest_level(
    pool: ColumnPool, pricing: Pricing, payoffs_k: FloatArray, counter: list[int], fallback: float
) -> float:
    """The lowest attacker level any mixed strategy can hold this type to (an LP solved by
    column generation: maximise ``d = -v`` s.t. ``au_t - loss_t c_t <= v``). Every attacked
    target's attacker utility is at least this, which bounds its coverage and the defender's
    value there. Falls back to the relaxation bound if the LP fails."""
    dc, du, ac, au = payoffs_k
    rows = Rows(-np.diag(au - ac), -au, np.zeros(au.size), 0.0, np.ones(au.size))
    solved = _solve_profile(pool, pricing, rows, counter)
    if solved is None:
        return fallback
    # Stay on the safe side of the LP's tolerances: a slightly lower level is still a bound.
    return max(fallback, -solved[0] - 1e-9 * max(1.0, float(np.abs(au).max())))


def _level_bound(teams: Sequence[ScheduleTeam], payoffs: FloatArray, k: int) -> float:
    """A lower bound on the lowest attacker level type ``k`` can be held to.

    Relaxation: any target some schedule contains may get any coverage up to one, and the
    coverages sum to at most the number of target visits a day (``count x`` longest schedule);
    the exact water level of that relaxation (identical teams) bounds the true level from below.
    """
    dc, du, ac, au = payoffs[k]
    reachable = np.zeros(au.size, dtype=bool)
    capacity = 0.0
    for team in teams:
        for schedule in team.schedules:
            reachable[list(schedule)] = True
        capacity += team.count * max((len(s) for s in team.schedules), default=0)
    floor = float(ac.max())
    if (~reachable).any():
        floor = max(floor, float(au[~reachable].max()))
    if not reachable.any():
        return floor
    au_r, loss_r = au[reachable], (au - ac)[reachable]
    return attacker_level(au_r, 1.0 / loss_r, floor, capacity).value


def solve_schedules(
    teams: Sequence[ScheduleTeam],
    payoffs: FloatArray,
    priors: FloatArray,
    beta: float | None = None,
    max_profiles: int = 100_000,
) -> MixedSolution:
    """Exact strong Stackelberg (or MATCH with ``beta``) mixed strategy over joint schedules.

    Args:
        teams: the team types with their schedules (target index tuples).
        payoffs: ``(K, 4, n)``; priors: ``(K,)``.
        beta: MATCH parameter (one attacker type only), ``None`` for the Stackelberg plan.
        max_profiles: safeguard on the number of attack profiles explored.
    """
    n = payoffs.shape[2]
    pricing = Pricing(teams, n)
    pool = ColumnPool(n)
    counter = [0]
    # Each group (teams sharing no target with other groups) starts idle or with a greedy cover
    # of the targets each attacker type values most.
    for g in range(len(pricing.groups)):
        pool.add(np.zeros(n), (), g)
        for k in range(payoffs.shape[0]):
            _, row, assignment = pricing.greedy(payoffs[k, 3] - payoffs[k, 2], group=g)
            pool.add(row, assignment, g)
    active = np.flatnonzero(priors > 0)
    bounds: list[FloatArray] = []
    for k in active.tolist():
        dc, du, ac, au = payoffs[k]
        level = _lowest_level(pool, pricing, payoffs[k], counter, _level_bound(teams, payoffs, k))
        reach = np.clip((au - level) / (au - ac), 0.0, 1.0)
        bound = np.where(au >= level - 1e-9, du + reach * (dc - du), -np.inf)
        bounds.append(priors[k] * bound)
    # Profiles (over active types) in decreasing order of their upper bound.
    order = [np.argsort(-b) for b in bounds]
    total = int(np.prod([int(np.isfinite(b).sum()) for b in bounds], dtype=float))
    if total > max_profiles:
        raise GameError(
            f"Quá nhiều tổ hợp mục tiêu bị tấn công theo loại đối tượng ({total}) để giải chính xác "
            "với tuyến tuần tra; hãy giảm số loại đối tượng hoặc số mục tiêu"
        )
    candidates = itertools.islice(
        itertools.product(*[o[np.isfinite(b[o])] for o, b in zip(order, bounds, strict=True)]), max_profiles
    )
    scored = sorted(
        ((sum(b[t] for b, t in zip(bounds, combo, strict=True)), combo) for combo in candidates),
        key=lambda item: -item[0],
    )
    best: tuple[float, FloatArray, FloatArray, list[tuple[tuple[int, int], ...]], NDArray[np.intp]] | None = (
        None
    )
    fallback = best_responses(np.zeros(n), payoffs).attacked
    for bound, combo in scored:
        if best is not None and bound <= best[0] + 1e-12:
            break
        profile = fallback.copy()
        profile[active] = combo
        rows = profile_rows(payoffs, priors, profile.tolist(), beta)
        solved = _solve_profile(pool, pricing, rows, counter)
        if solved is None:
            continue
        value, weights, used = solved
        if best is None or value > best[0]:
            best = (
                value,
                weights,
                pool.matrix()[:used],
                list(pool.assignments[:used]),
                np.array(pool.groups[:used], dtype=np.intp),
            )
    assert best is not None
    return _mixed(best[2], best[3], best[1], payoffs, priors, counter[0], best[4])
