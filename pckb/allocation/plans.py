"""One entry point for every kind of game and plan: :func:`compute_plan`.

It chooses the solver from the game's shape — identical teams, typed teams or patrol schedules;
one or several attacker types — and from its ``plan`` (``sse``, ``match`` or ``qr``), and returns
a :class:`PlanResult` that :mod:`pckb.allocation.games` turns into JSON and daily orders.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.optimize import linprog

from pckb.allocation.baselines import _incidence, identical_structure
from pckb.allocation.bayesian import heuristic_bayesian, pairs_lp, solve_bayesian
from pckb.allocation.evaluation import best_responses
from pckb.allocation.identical import solve_game
from pckb.allocation.joint import Pricing, ScheduleTeam, profile_rows, solve_schedules
from pckb.allocation.payoffs import FloatArray
from pckb.allocation.robust import Oracle, match_identical, qr_plan, top_m_oracle
from pckb.allocation.typed import solve_typed

if TYPE_CHECKING:
    from pckb.allocation.games import Game

HEURISTIC_THRESHOLD = 20_000
"""With ``solver: auto``, identical-team games with more than this many (type, target) pairs use
the fast heuristic for attacker types instead of the exact MILP."""


@dataclass(frozen=True)
class PlanResult:
    """A computed plan.

    Attributes:
        plan: ``sse``, ``match`` or ``qr``.
        coverage: ``(n,)`` coverage.
        coverage_by_type: ``(team types, n)`` split for typed teams, else ``None``.
        joint_weights, joint_assignments: the mixed strategy over joint schedules (route games):
            per joint schedule its probability and ``(team type, schedule index)`` per busy team.
        exact: the value is proven optimal for the plan (``False`` for heuristics and QR).
        value: the plan's own objective (MATCH guarantee, QR expected utility), else ``None``.
    """

    plan: str
    coverage: FloatArray
    coverage_by_type: FloatArray | None
    joint_weights: FloatArray | None
    joint_assignments: tuple[tuple[tuple[int, int], ...], ...] | None
    exact: bool
    value: float | None = None


def schedule_teams(game: Game) -> list[ScheduleTeam]:
    """Every team type as schedules of target indices (a single-target team: one per target)."""
    assert game.teams is not None
    position = {t: i for i, t in enumerate(game.ids)}
    teams = []
    for team in game.teams:
        schedules = team.schedules if team.schedules is not None else tuple((t,) for t in team.targets)
        teams.append(
            ScheduleTeam(team.type, team.count, tuple(tuple(position[t] for t in s) for s in schedules))
        )
    return teams


def _structure(game: Game) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    if game.teams is None:
        assert game.resources is not None
        return identical_structure(len(game.ids), game.resources)
    return game.team_matrix()


def _by_type(allowed: NDArray[np.bool_], x: FloatArray) -> FloatArray:
    by_type = np.zeros(allowed.shape)
    types, targets = np.nonzero(allowed)
    by_type[types, targets] = np.maximum(x, 0.0)
    return by_type


def _sse(game: Game) -> PlanResult:
    payoffs, priors = game.all_payoffs, game.priors
    if game.has_schedules:
        mixed = solve_schedules(schedule_teams(game), payoffs, priors)
        return PlanResult("sse", mixed.coverage, None, mixed.weights, mixed.assignments, True)
    single = game.attacker_types is None or int((priors > 0).sum()) == 1 and game.solver != "heuristic"
    if single:
        k = int(np.argmax(priors > 0))
        if game.teams is None:
            assert game.resources is not None
            solution = solve_game(*payoffs[k], game.resources)
            return PlanResult("sse", solution.coverage, None, None, None, True)
        typed = solve_typed(*payoffs[k], *game.team_matrix())
        return PlanResult("sse", typed.coverage, typed.coverage_by_type, None, None, True)
    identical = game.teams is None
    heuristic = identical and (
        game.solver == "heuristic"
        or (game.solver == "auto" and payoffs.shape[0] * payoffs.shape[2] > HEURISTIC_THRESHOLD)
    )
    if heuristic:
        assert game.resources is not None
        found = heuristic_bayesian(payoffs, priors, game.resources)
        return PlanResult("sse", found.coverage, None, None, None, False)
    exact = solve_bayesian(payoffs, priors, *_structure(game))
    by_type = exact.coverage_by_type if game.teams is not None else None
    return PlanResult("sse", exact.coverage, by_type, None, None, exact.exact)


def _match(game: Game) -> PlanResult:
    assert game.beta is not None
    payoffs, priors = game.all_payoffs, game.priors
    k = int(np.argmax(priors > 0))
    if game.has_schedules:
        mixed = solve_schedules(schedule_teams(game), payoffs, priors, beta=game.beta)
        return PlanResult("match", mixed.coverage, None, mixed.weights, mixed.assignments, True)
    if game.teams is None:
        assert game.resources is not None
        found = match_identical(*payoffs[k], game.resources, game.beta)
        return PlanResult("match", found.coverage, None, None, None, True, found.value)
    counts, allowed = game.team_matrix()
    best: tuple[float, FloatArray] | None = None
    fallback = best_responses(np.zeros(len(game.ids)), payoffs).attacked
    for star in range(len(game.ids)):
        profile = fallback.copy()
        profile[k] = star
        found_lp = pairs_lp(profile_rows(payoffs, priors, profile.tolist(), game.beta), counts, allowed)
        if found_lp is not None and (best is None or found_lp[0] > best[0]):
            best = found_lp
    assert best is not None
    by_type = _by_type(allowed, best[1])
    return PlanResult("match", np.minimum(by_type.sum(axis=0), 1.0), by_type, None, None, True, best[0])


def _pairs_oracle(counts: NDArray[np.int64], allowed: NDArray[np.bool_]) -> Oracle:
    """Linear oracle over typed coverages: an LP on the pair variables."""
    g, h = _incidence(allowed)

    def oracle(y: FloatArray) -> tuple[FloatArray, object]:
        if g.shape[1] == 0:
            return np.zeros(allowed.shape[1]), np.zeros(0)
        a_ub = sparse.vstack([h, g]).tocsr()
        b_ub = np.concatenate([counts.astype(float), np.ones(allowed.shape[1])])
        res = linprog(-(g.T @ y), A_ub=a_ub, b_ub=b_ub, bounds=(0, None), method="highs")
        x = np.maximum(res.x, 0.0)
        return np.minimum(g @ x, 1.0), x

    return oracle


def _qr(game: Game) -> PlanResult:
    assert game.lam is not None
    payoffs, priors = game.all_payoffs, game.priors
    start = _sse(game)
    if game.has_schedules:
        pricing = Pricing(schedule_teams(game), len(game.ids))

        def oracle(y: FloatArray) -> tuple[FloatArray, object]:
            _, row, assignment = pricing.exact(y)
            return row, assignment

        def greedy(y: FloatArray) -> tuple[FloatArray, object]:
            _, row, assignment = pricing.greedy(y)
            return row, assignment

        assert start.joint_weights is not None and start.joint_assignments is not None
        found = qr_plan(
            payoffs,
            priors,
            game.lam,
            oracle,
            [(start.coverage, start.joint_weights, start.joint_assignments)],
            cheap_oracle=greedy,  # a MILP per step cost 0.2 s at 20 targets
        )
        weights: dict[tuple[tuple[int, int], ...], float] = {}
        for w, tag in zip(found.weights, found.tags, strict=True):
            weights[tag] = weights.get(tag, 0.0) + float(w)  # type: ignore[index]
        keep = [(tag, w) for tag, w in weights.items() if w > 1e-12]
        total = sum(w for _, w in keep)
        return PlanResult(
            "qr",
            found.coverage,
            None,
            np.array([w / total for _, w in keep]),
            tuple(tag for tag, _ in keep),
            False,
            found.value,
        )
    if game.teams is None:
        assert game.resources is not None
        found = qr_plan(
            payoffs, priors, game.lam, top_m_oracle(game.resources), [(start.coverage, np.ones(1), (None,))]
        )
        return PlanResult("qr", found.coverage, None, None, None, False, found.value)
    counts, allowed = game.team_matrix()
    types, targets = np.nonzero(allowed)
    assert start.coverage_by_type is not None
    start_x = start.coverage_by_type[types, targets]
    found = qr_plan(
        payoffs, priors, game.lam, _pairs_oracle(counts, allowed), [(start.coverage, np.ones(1), (start_x,))]
    )
    x = sum(w * tag for w, tag in zip(found.weights, found.tags, strict=True))
    by_type = _by_type(allowed, np.asarray(x))
    return PlanResult("qr", np.minimum(by_type.sum(axis=0), 1.0), by_type, None, None, False, found.value)


def compute_plan(game: Game, plan: str | None = None) -> PlanResult:
    """The game's plan (or ``plan`` if given: ``sse``, ``match``, ``qr``)."""
    chosen = plan or game.plan
    if chosen == "match":
        return _match(game)
    if chosen == "qr":
        return _qr(game)
    return _sse(game)
