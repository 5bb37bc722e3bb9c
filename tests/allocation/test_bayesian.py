"""Attacker types (Bayesian game): the compact MILP against brute force over joint pure strategies."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pckb.allocation import GameError, bayesian, solve_game
from pckb.allocation.bayesian import heuristic_bayesian, solve_bayesian
from pckb.allocation.evaluation import Judge, best_responses
from pckb.allocation.games import parse_game, solve
from pckb.allocation.joint import ScheduleTeam, brute_force

from .strategies import payoffs


@st.composite
def bayesian_games(draw: st.DrawFn, max_n: int = 4, max_types: int = 3):
    """K attacker types over the same n targets, priors on a coarse grid (0 happens), typed teams."""
    n = draw(st.integers(1, max_n))
    k = draw(st.integers(1, max_types))
    tables = np.array([draw(payoffs(min_n=n, max_n=n)) for _ in range(k)])
    raw = np.array(draw(st.lists(st.integers(0, 4), min_size=k, max_size=k)), dtype=float)
    if raw.sum() == 0:
        raw[0] = 1
    priors = raw / raw.sum()
    types = draw(st.integers(1, 2))
    counts = np.array(draw(st.lists(st.integers(0, 2), min_size=types, max_size=types)))
    cells = draw(st.lists(st.booleans(), min_size=types * n, max_size=types * n))
    return tables, priors, counts, np.array(cells, dtype=bool).reshape(types, n)


def as_schedule_teams(counts, allowed) -> list[ScheduleTeam]:
    return [
        ScheduleTeam(str(j), int(c), tuple((t,) for t in np.flatnonzero(row)))
        for j, (c, row) in enumerate(zip(counts, allowed, strict=True))
    ]


@settings(deadline=None, max_examples=40)
@given(bayesian_games())
def test_milp_matches_brute_force(case) -> None:
    tables, priors, counts, allowed = case
    sol = solve_bayesian(tables, priors, counts, allowed)
    reference = brute_force(as_schedule_teams(counts, allowed), tables, priors)
    assert sol.exact
    assert sol.defender_utility == pytest.approx(reference.defender_utility, abs=1e-6)
    # The coverage is feasible and every type's reported attack is its best response.
    x = sol.coverage_by_type
    assert np.all(x[~allowed] <= 1e-12) and np.all(x.sum(axis=1) <= counts + 1e-9)
    response = best_responses(sol.coverage, tables)
    np.testing.assert_array_equal(response.attacked, sol.attacked_by_type)
    assert float(priors @ response.defender_utility) == pytest.approx(sol.defender_utility)


@settings(deadline=None, max_examples=20)
@given(game=payoffs(max_n=6), m=st.integers(0, 4))
def test_one_type_equals_plain_equilibrium(game, m) -> None:
    n = game[0].size
    sol = solve_bayesian(np.array([game]), np.ones(1), np.array([m]), np.ones((1, n), dtype=bool))
    assert sol.defender_utility == pytest.approx(solve_game(*game, m).defender_utility, abs=1e-6)
    fast = heuristic_bayesian(np.array([game]), np.ones(1), m)
    assert fast.defender_utility == pytest.approx(solve_game(*game, m).defender_utility, abs=1e-9)


def test_heuristic_is_a_lower_bound() -> None:
    rng = np.random.default_rng(5)
    k, n, m = 3, 15, 3
    tables = np.stack(
        [
            np.stack(
                [
                    rng.uniform(1, 10, n),
                    rng.uniform(-10, -1, n),
                    rng.uniform(-10, -1, n),
                    rng.uniform(1, 10, n),
                ]
            )
            for _ in range(k)
        ]
    )
    priors = np.array([0.5, 0.3, 0.2])
    exact = solve_bayesian(tables, priors, np.array([m]), np.ones((1, n), dtype=bool))
    fast = heuristic_bayesian(tables, priors, m)
    assert fast.defender_utility <= exact.defender_utility + 1e-9
    # ... and at least as good as planning against the most likely type alone.
    alone = solve_game(*tables[0], m).coverage
    assert fast.defender_utility >= priors @ best_responses(alone, tables).defender_utility - 1e-12


def test_two_kinds_of_attacker_change_the_plan() -> None:
    """An organised group values the symbolic target, a lone actor the crowded one: the plan
    against both guards both, unlike the plan against either alone."""

    def payoff(dc, du, ac, au):
        return {
            "defender_covered": dc,
            "defender_uncovered": du,
            "attacker_covered": ac,
            "attacker_uncovered": au,
        }

    game = {
        "resources": 1,
        "targets": [{"id": "UB", "name": "Trụ sở"}, {"id": "CHO", "name": "Chợ"}, {"id": "GA", "name": "Ga"}],
        "attacker_types": [
            {
                "name": "Nhóm có tổ chức",
                "prior": 0.6,
                "targets": [
                    {"id": "UB"} | payoff(0, -10, -5, 10),
                    {"id": "CHO"} | payoff(0, -4, -1, 2),
                    {"id": "GA"} | payoff(0, -3, -1, 1),
                ],
            },
            {
                "name": "Cá nhân đơn lẻ",
                "prior": 0.4,
                "targets": [
                    {"id": "UB"} | payoff(0, -3, -2, 1),
                    {"id": "CHO"} | payoff(0, -10, -5, 10),
                    {"id": "GA"} | payoff(0, -4, -1, 3),
                ],
            },
        ],
    }
    out = solve(parse_game(game))
    assert set(out["attacked_target_by_type"]) == {"Nhóm có tổ chức", "Cá nhân đơn lẻ"}
    assert out["coverage"]["UB"] > 0.2 and out["coverage"]["CHO"] > 0.2
    assert out["exact"] is True
    assert set(out["attacker_utility_by_type"]) == {"Nhóm có tổ chức", "Cá nhân đơn lẻ"}
    # Expected over types: each type's own value weighted by its prior.
    tables = parse_game(game).all_payoffs
    cov = np.array([out["coverage"][t] for t in ("UB", "CHO", "GA")])
    response = best_responses(cov, tables)
    assert out["defender_utility"] == pytest.approx(
        0.6 * response.defender_utility[0] + 0.4 * response.defender_utility[1]
    )


def typed_attackers() -> dict:
    def entry(tid):
        return {
            "id": tid,
            "defender_covered": 0,
            "defender_uncovered": -10,
            "attacker_covered": -5,
            "attacker_uncovered": 10,
        }

    return {
        "resources": 1,
        "targets": [{"id": "T1"}, {"id": "T2"}],
        "attacker_types": [
            {"name": "A", "prior": 0.5, "targets": [entry("T1"), entry("T2")]},
            {"name": "B", "prior": 0.5, "targets": [entry("T1"), entry("T2")]},
        ],
    }


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda g: g["attacker_types"][0].update(prior=0.7), "attacker_types: tổng prior phải bằng 1"),
        (
            lambda g: g["attacker_types"][0].update(prior=-0.1),
            "Loại đối tượng 'A': prior phải là số trong khoảng 0..1",
        ),
        (lambda g: g["attacker_types"][0].update(prior="cao"), "Loại đối tượng 'A': prior phải là số"),
        (
            lambda g: g["attacker_types"][1]["targets"].pop(),
            "Loại đối tượng 'B': thiếu lợi ích cho mục tiêu 'T2'",
        ),
        (
            lambda g: g["attacker_types"][1]["targets"][0].pop("attacker_covered"),
            "Loại đối tượng 'B', mục tiêu 'T1': thiếu trường attacker_covered",
        ),
        (
            lambda g: g["attacker_types"][0]["targets"][1].update(attacker_covered=20),
            "Loại đối tượng 'A': Mục tiêu 'T2': attacker_covered phải nhỏ hơn attacker_uncovered",
        ),
        (
            lambda g: g["attacker_types"][0]["targets"][1].update(id="T9"),
            "Loại đối tượng 'A': mục tiêu 'T9' trong targets không tồn tại",
        ),
        (lambda g: g["attacker_types"][1].update(name="A"), "Loại đối tượng 'A': name bị trùng lặp"),
        (lambda g: g.update(attacker_types=[]), "attacker_types phải là danh sách loại đối tượng không rỗng"),
        (lambda g: g.update(plan="match", beta=1), "plan 'match' chỉ dùng được với một loại đối tượng"),
    ],
)
def test_attacker_type_errors_name_the_field(mutate, message) -> None:
    game = typed_attackers()
    mutate(game)
    with pytest.raises(GameError, match=message):
        parse_game(game)


def test_prior_zero_type_is_reported_but_ignored() -> None:
    game = typed_attackers()
    game["attacker_types"][0]["prior"] = 1.0
    game["attacker_types"][1]["prior"] = 0.0
    game["attacker_types"][1]["targets"][0]["attacker_uncovered"] = 50  # B would love T1
    out = solve(parse_game(game))
    assert out["coverage"] == pytest.approx({"T1": 0.5, "T2": 0.5})
    assert out["attacked_target_by_type"]["B"] == "T1"


@settings(deadline=None, max_examples=10)
@given(bayesian_games(max_n=5), st.integers(1, 3), st.data())
def test_identical_teams_heuristic_and_seeded_milp(case, m, data) -> None:
    """Identical teams: the heuristic (with its local search over attack levels) plays a feasible
    coverage, never beats the proven optimum, and the MILP started from any attack profile — good
    or bad — still reaches the brute-force value."""
    tables, priors, _, _ = case
    k, n = tables.shape[0], tables.shape[2]
    counts, allowed = np.array([m]), np.ones((1, n), dtype=bool)
    reference = brute_force(as_schedule_teams(counts, allowed), tables, priors)
    fast = heuristic_bayesian(tables, priors, m)
    assert fast.coverage.sum() <= m + 1e-9 and np.all((fast.coverage >= 0) & (fast.coverage <= 1))
    assert fast.defender_utility <= reference.defender_utility + 1e-6
    response = best_responses(fast.coverage, tables)
    assert fast.defender_utility == pytest.approx(float(priors @ response.defender_utility))
    start = np.array(data.draw(st.lists(st.integers(0, n - 1), min_size=k, max_size=k)))
    seeded = solve_bayesian(tables, priors, counts, allowed, incumbent=start)
    assert seeded.exact
    assert seeded.defender_utility == pytest.approx(reference.defender_utility, abs=1e-6)


def test_level_search_closes_the_gap_of_the_mixtures() -> None:
    """On a 3-type game where the best mixture of single-type plans falls short, the local search
    over attack levels reaches the proven optimum."""
    rng = np.random.default_rng(7)
    k, n, m = 3, 40, 6
    tables = np.stack(
        [
            np.stack(
                [
                    rng.uniform(1, 10, n),
                    rng.uniform(-10, -1, n),
                    rng.uniform(-10, -1, n),
                    rng.uniform(1, 10, n),
                ]
            )
            for _ in range(k)
        ]
    )
    priors = np.array([0.5, 0.3, 0.2])
    exact = solve_bayesian(tables, priors, np.array([m]), np.ones((1, n), dtype=bool))
    fast = heuristic_bayesian(tables, priors, m)
    assert exact.exact
    assert fast.defender_utility == pytest.approx(exact.defender_utility, abs=1e-6)


@settings(deadline=None, max_examples=30)
@given(bayesian_games(max_n=5), st.integers(1, 3), st.sampled_from([0, 1, 3, 100_000]))
def test_level_search_and_profile_branching_match_brute_force(case, m, boxes) -> None:
    """Identical teams with the level search stopped after ``boxes`` boxes (0: MILP only; 1 and
    3: the branching over attacked targets finishes the open region; 100,000: the level search
    proves alone) — always the brute-force value, with ties, prior-0 types and one type."""
    tables, priors, _, _ = case
    n = tables.shape[2]
    counts, allowed = np.array([m]), np.ones((1, n), dtype=bool)
    reference = brute_force(as_schedule_teams(counts, allowed), tables, priors)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bayesian, "LEVEL_BOXES", boxes)
        sol = solve_bayesian(tables, priors, counts, allowed)
    assert sol.exact
    assert sol.defender_utility == pytest.approx(reference.defender_utility, abs=1e-6)
    assert sol.coverage.sum() <= m + 1e-9
    response = best_responses(sol.coverage, tables)
    np.testing.assert_array_equal(response.attacked, sol.attacked_by_type)


@pytest.mark.parametrize("seed", range(4))
def test_level_path_agrees_with_the_milp_on_mid_sizes(seed) -> None:
    """4 types x 60 targets x 8 teams: the level search + branching (with a short box budget, so
    both stages work) reaches the value of the compact MILP on HiGHS."""
    rng = np.random.default_rng([12, seed])
    k, n, m = 4, 60, 8
    tables = np.stack(
        [
            np.stack(
                [
                    rng.uniform(1, 10, n),
                    rng.uniform(-10, -1, n),
                    rng.uniform(-10, -1, n),
                    rng.uniform(1, 10, n),
                ]
            )
            for _ in range(k)
        ]
    )
    if seed % 2:
        tables = np.round(tables)  # many ties
    priors = rng.dirichlet(np.ones(k))
    counts, allowed = np.array([m]), np.ones((1, n), dtype=bool)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bayesian, "LEVEL_BOXES", 0)
        milp = solve_bayesian(tables, priors, counts, allowed)
        patch.setattr(bayesian, "LEVEL_BOXES", 20)
        levels = solve_bayesian(tables, priors, counts, allowed)
    assert milp.exact and levels.exact
    assert levels.defender_utility == pytest.approx(milp.defender_utility, abs=1e-6)


@settings(deadline=None, max_examples=60)
@given(bayesian_games(max_n=6), st.lists(st.sampled_from([0.0, 0.25, 0.5, 1.0]), min_size=6, max_size=6))
def test_judge_picks_the_same_attacks_as_best_responses(case, grid) -> None:
    """The heuristic's fast evaluator gives every type the defender utility of its strong
    Stackelberg attack, exactly as best_responses does (half-integer payoffs and coverages on a
    coarse grid, so ties between targets are frequent)."""
    tables = case[0]
    coverage = np.array(grid[: tables.shape[2]])
    expected = best_responses(coverage, tables).defender_utility
    np.testing.assert_array_equal(Judge(tables).defender_utility(coverage), expected)


def test_invalid_payoffs_of_a_type_name_the_type_and_target() -> None:
    tables = np.array([[[2.0, 3.0], [0.0, 0.0], [-1.0, -1.0], [1.0, 1.0]]] * 2)
    tables[1, 0, 1] = -1.0  # type #1, target #1: covered no better than uncovered
    with pytest.raises(GameError, match="loại #1 mục tiêu #1"):
        heuristic_bayesian(tables, np.array([0.5, 0.5]), 1)
