"""Robust plans: MATCH against brute force (one LP per attacked target over all joint pure
strategies), quantal response, and the two-way evaluation of a coverage."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pckb.allocation import GameError, solve_game
from pckb.allocation.evaluation import evaluate, quantal_defender_utility
from pckb.allocation.games import parse_game, solve
from pckb.allocation.joint import Pricing, ScheduleTeam, brute_force, solve_schedules
from pckb.allocation.robust import _line_max, match_identical, qr_plan, qr_value

from .strategies import payoffs
from .test_schedules import route_games

BETAS = st.sampled_from([0.0, 0.5, 1.0, 3.0, 100.0])


def identical_teams(n: int, m: int) -> list[ScheduleTeam]:
    return [ScheduleTeam("m", m, tuple((t,) for t in range(n)))]


def match_guarantee_holds(game, coverage, value, beta) -> None:
    dc, du, ac, au = game
    ud, ua = du + coverage * (dc - du), au - coverage * (au - ac)
    assert np.all(ud >= value - beta * (ua.max() - ua) - 1e-7)


@settings(deadline=None, max_examples=60)
@given(game=payoffs(max_n=4), m=st.integers(0, 3), beta=BETAS)
def test_match_identical_matches_brute_force(game, m, beta) -> None:
    n = game[0].size
    found = match_identical(*game, m, beta)
    reference = brute_force(identical_teams(n, m), np.array([game]), np.ones(1), beta=beta)
    # brute_force reports the realised utility; the MATCH value is its LP objective d.
    assert found.coverage.sum() <= m + 1e-9 and np.all(found.coverage <= 1)
    match_guarantee_holds(game, found.coverage, found.value, beta)
    reference_value = _match_value(game, reference.coverage, beta)
    assert found.value == pytest.approx(reference_value, abs=1e-6)


def _match_value(game, coverage, beta) -> float:
    """The largest d the coverage guarantees: min over the attack set's best and the rows."""
    dc, du, ac, au = game
    ud, ua = du + coverage * (dc - du), au - coverage * (au - ac)
    ties = ua >= ua.max() - 1e-9
    return float(min(ud[ties].max(), (ud + beta * (ua.max() - ua)).min()))


def test_beta_zero_is_maximin_and_large_beta_is_stackelberg() -> None:
    game = (
        np.array([0.0, 0, 0]),
        np.array([-10.0, -4, -1]),
        np.array([-5.0, -1, -1]),
        np.array([10.0, 6, 9]),
    )
    maximin = match_identical(*game, 1, 0.0)
    ud = game[1] + maximin.coverage * (game[0] - game[1])
    assert ud.min() == pytest.approx(maximin.value)
    sse = solve_game(*game, 1)
    big = match_identical(*game, 1, 1e6)
    assert big.value == pytest.approx(sse.defender_utility, abs=1e-4)


@settings(deadline=None, max_examples=25)
@given(game=payoffs(max_n=6), m=st.integers(1, 3), lam=st.sampled_from([0.0, 0.3, 2.0]))
def test_qr_plan_is_no_worse_than_stackelberg_against_qr(game, m, lam) -> None:
    data = {
        "resources": m,
        "plan": "qr",
        "lambda": lam,
        "targets": [
            {
                "id": f"T{i}",
                "defender_covered": float(game[0][i]),
                "defender_uncovered": float(game[1][i]),
                "attacker_covered": float(game[2][i]),
                "attacker_uncovered": float(game[3][i]),
            }
            for i in range(game[0].size)
        ],
    }
    out = solve(parse_game(data))
    plans = out["evaluation"]["plans"]
    assert set(plans) == {"sse", "qr"}
    assert plans["qr"]["defender_utility_vs_qr"] >= plans["sse"]["defender_utility_vs_qr"] - 1e-9
    assert plans["sse"]["defender_utility_vs_perfect"] >= plans["qr"]["defender_utility_vs_perfect"] - 1e-6
    assert sum(out["coverage"].values()) <= m + 1e-9


def test_evaluation_both_ways() -> None:
    payoffs_k = np.array([[[0.0, 0.0], [-10.0, -2.0], [-5.0, -1.0], [10.0, 2.0]]])
    coverage = np.array([0.5, 0.0])
    judged = evaluate(coverage, payoffs_k, np.ones(1), 0.0)
    # Perfect attacker: T0 gives 2.5 > 2, so T0 is hit: 0.5 * 0 + 0.5 * -10 = -5.
    assert judged["defender_utility_vs_perfect"] == pytest.approx(-5.0)
    # lambda = 0: uniform choice, (-5 + -2) / 2.
    assert judged["defender_utility_vs_qr"] == pytest.approx(-3.5)
    assert judged["expected_loss_vs_qr"] == pytest.approx(3.5)
    # Large lambda tends to the perfect attacker.
    assert quantal_defender_utility(coverage, payoffs_k, np.ones(1), 200.0) == pytest.approx(-5.0, abs=1e-6)
    value, grad = qr_value(coverage, payoffs_k, np.ones(1), 0.7)
    numeric = [
        (qr_value(coverage + 1e-7 * np.eye(2)[i], payoffs_k, np.ones(1), 0.7)[0] - value) / 1e-7
        for i in range(2)
    ]
    np.testing.assert_allclose(grad, numeric, atol=1e-5)


def test_compare_reports_three_plans() -> None:
    data = {
        "resources": 1,
        "plan": "match",
        "beta": 1.0,
        "lambda": 0.5,
        "targets": [
            {
                "id": "A",
                "defender_covered": 0,
                "defender_uncovered": -10,
                "attacker_covered": -5,
                "attacker_uncovered": 10,
            },
            {
                "id": "B",
                "defender_covered": 0,
                "defender_uncovered": -4,
                "attacker_covered": -1,
                "attacker_uncovered": 6,
            },
        ],
    }
    out = solve(parse_game(data), compare=True)
    assert out["plan"] == "match" and "plan_value" in out
    assert set(out["evaluation"]["plans"]) == {"sse", "match", "qr"}
    assert out["evaluation"]["lambda"] == 0.5
    sse = out["evaluation"]["plans"]["sse"]["defender_utility_vs_perfect"]
    assert sse >= out["evaluation"]["plans"]["match"]["defender_utility_vs_perfect"] - 1e-9


def test_typed_match_matches_brute_force() -> None:
    rng = np.random.default_rng(2)
    for _ in range(5):
        n = 4
        game = np.array(
            [rng.integers(0, 4, n), rng.integers(-8, -1, n), rng.integers(-8, -1, n), rng.integers(1, 8, n)],
            dtype=float,
        )
        data = {
            "teams": [
                {"type": "A", "count": 1, "targets": ["T0", "T1"]},
                {"type": "B", "count": 1, "targets": ["T2", "T3", "T1"]},
            ],
            "plan": "match",
            "beta": 0.5,
            "targets": [
                dict(
                    zip(
                        ["defender_covered", "defender_uncovered", "attacker_covered", "attacker_uncovered"],
                        game[:, i].tolist(),
                        strict=True,
                    )
                )
                | {"id": f"T{i}"}
                for i in range(n)
            ],
        }
        out = solve(parse_game(data))
        teams = [ScheduleTeam("A", 1, ((0,), (1,))), ScheduleTeam("B", 1, ((2,), (3,), (1,)))]
        reference = brute_force(teams, game[None], np.ones(1), beta=0.5)
        assert out["plan_value"] == pytest.approx(_match_value(game, reference.coverage, 0.5), abs=1e-6)


@pytest.mark.parametrize(
    ("update", "message"),
    [
        ({"plan": "robust"}, "plan phải là một trong sse, match, qr"),
        ({"plan": "match"}, "plan 'match' cần trường beta"),
        ({"plan": "match", "beta": -1}, "beta phải là số không âm"),
        ({"plan": "qr"}, "plan 'qr' cần trường lambda"),
        ({"plan": "qr", "lambda": "nhiều"}, "lambda phải là số không âm"),
        ({"beta": 1}, "beta chỉ dùng với plan 'match'"),
        ({"solver": "fast"}, "solver phải là auto, exact hoặc heuristic"),
    ],
)
def test_plan_errors(update, message) -> None:
    data = {
        "resources": 1,
        "targets": [
            {
                "id": "A",
                "defender_covered": 0,
                "defender_uncovered": -1,
                "attacker_covered": 0,
                "attacker_uncovered": 1,
            }
        ],
    } | update
    with pytest.raises(GameError, match=message):
        parse_game(data)


@settings(deadline=None, max_examples=30)
@given(route_games(), st.sampled_from([0.3, 1.0, 3.0]))
def test_qr_over_routes_with_greedy_steps_stops_only_where_the_exact_oracle_does(case, lam) -> None:
    """The route QR plan takes greedy joint schedules as ascent directions and asks the exact
    pricing only when the greedy one does not improve: it still ends only where the exact
    oracle's direction does not improve either, no worse than its Stackelberg start, as a
    mixture of joint schedules that gives its coverage."""
    teams, tables, priors = case
    pricing = Pricing(teams, tables.shape[2])

    def exact(y):
        _, row, assignment = pricing.exact(y)
        return row, assignment

    def greedy(y):
        _, row, assignment = pricing.greedy(y)
        return row, assignment

    start = solve_schedules(teams, tables, priors)
    found = qr_plan(
        tables, priors, lam, exact, [(start.coverage, start.weights, start.assignments)], 500, 1e-7, greedy
    )
    value, grad = qr_value(found.coverage, tables, priors, lam)
    assert found.value >= qr_value(start.coverage, tables, priors, lam)[0] - 1e-9
    # Where it stopped, the exact oracle's vertex is no ascent direction, or the line search along
    # it finds nothing better.
    direction = exact(grad)[0] - found.coverage
    if float(grad @ direction) > 1e-7 * max(1.0, abs(value)):
        step, better = _line_max(found.coverage, direction, tables, priors, lam)
        assert step <= 0 or better <= found.value + 1e-9
    rows = []
    for assignment in found.tags:
        row = np.zeros(tables.shape[2])
        for j, s in assignment:
            row[list(teams[j].schedules[s])] = 1.0
        rows.append(row)
    np.testing.assert_allclose(found.weights @ np.array(rows), found.coverage, atol=1e-9)


@settings(deadline=None, max_examples=20)
@given(route_games(), st.sampled_from([0.3, 1.0, 3.0]))
def test_qr_ascent_with_a_useless_cheap_oracle_is_the_exact_ascent(case, lam) -> None:
    """A cheap oracle that never offers an ascent direction (the worst joint schedule: no
    vertex is below the current mixture) changes nothing: each step falls back to the exact
    pricing, so the plan is the exact-oracle plan."""
    teams, tables, priors = case
    pricing = Pricing(teams, tables.shape[2])

    def exact(y):
        _, row, assignment = pricing.exact(y)
        return row, assignment

    start = solve_schedules(teams, tables, priors)
    starts = [(start.coverage, start.weights, start.assignments)]
    alone = qr_plan(tables, priors, lam, exact, starts)
    idle = qr_plan(tables, priors, lam, exact, starts, cheap_oracle=lambda y: exact(-y))
    assert idle.value == pytest.approx(alone.value, abs=1e-12)
    np.testing.assert_allclose(idle.coverage, alone.coverage, atol=1e-12)
