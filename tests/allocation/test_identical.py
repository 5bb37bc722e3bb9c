"""Identical teams: the fast solver against the HiGHS baselines and the equilibrium conditions."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pckb.allocation import GameError, solve_game
from pckb.allocation.baselines import eraser, identical_structure, multiple_lp
from pckb.allocation.identical import SAMPLE_SIZE, attacker_level

from .strategies import payoffs


def check_equilibrium(sol, dc, du, ac, au, m) -> None:
    """Coverage is feasible, the attacked target is a best response, utilities are consistent."""
    c = sol.coverage
    assert np.all(c >= 0) and np.all(c <= 1)
    assert c.sum() <= m + 1e-9
    ua = au - c * (au - ac)
    assert ua[sol.attacked_target] == pytest.approx(ua.max(), abs=1e-9)
    assert sol.attacker_utility == pytest.approx(ua.max(), abs=1e-9)
    t = sol.attacked_target
    assert sol.defender_utility == pytest.approx(du[t] + c[t] * (dc[t] - du[t]), abs=1e-9)
    assert set(sol.attack_set) == set(np.flatnonzero(ua >= ua.max() - 1e-9))


@settings(deadline=None, max_examples=120)
@given(game=payoffs(), m=st.integers(0, 9))
def test_matches_multiple_lp(game, m) -> None:
    sol = solve_game(*game, m)
    reference = multiple_lp(*game, *identical_structure(game[0].size, m))
    assert sol.defender_utility == pytest.approx(reference.defender_utility, abs=1e-6)
    check_equilibrium(sol, *game, m)


@settings(deadline=None, max_examples=25)
@given(game=payoffs(max_n=6), m=st.integers(0, 7))
def test_matches_eraser(game, m) -> None:
    sol = solve_game(*game, m)
    reference = eraser(*game, *identical_structure(game[0].size, m))
    assert sol.defender_utility == pytest.approx(reference.defender_utility, abs=1e-6)


@settings(deadline=None, max_examples=30)
@given(game=payoffs(min_n=1, max_n=1), m=st.integers(0, 3))
def test_single_target(game, m) -> None:
    dc, du, ac, au = game
    sol = solve_game(*game, m)
    expected = dc[0] if m >= 1 else du[0]
    assert sol.defender_utility == pytest.approx(expected)
    assert sol.attacked_target == 0


@settings(deadline=None, max_examples=30)
@given(game=payoffs(zero_sum=True), m=st.integers(0, 8))
def test_zero_sum_matches_lp(game, m) -> None:
    sol = solve_game(*game, m)
    reference = multiple_lp(*game, *identical_structure(game[0].size, m))
    assert sol.defender_utility == pytest.approx(reference.defender_utility, abs=1e-6)
    # Zero-sum: the defender's utility is minus the attacker's.
    assert sol.defender_utility == pytest.approx(-sol.attacker_utility, abs=1e-9)


@settings(deadline=None, max_examples=30)
@given(game=payoffs(), extra=st.integers(0, 3))
def test_enough_teams_for_everything(game, extra) -> None:
    """With m >= n the level is the best covered payoff, and the defender can still prefer a
    target left partly uncovered (SSE) — the LP decides."""
    n = game[0].size
    sol = solve_game(*game, n + extra)
    assert sol.attacker_utility == pytest.approx(game[2].max())
    reference = multiple_lp(*game, *identical_structure(n, n + extra))
    assert sol.defender_utility == pytest.approx(reference.defender_utility, abs=1e-6)


def test_tie_broken_for_defender() -> None:
    # Identical attacker payoffs: the attacker is indifferent, so it attacks where the defender loses least.
    sol = solve_game([0, 0, 0], [-9, -1, -5], [-1, -1, -1], [3, 3, 3], 0)
    assert sol.attacked_target == 1
    assert sol.defender_utility == -1
    assert sorted(sol.attack_set) == [0, 1, 2]


def test_known_values() -> None:
    # S(k) = (10 - k)/11 + (5 - k)/6 = 1  ->  k = 49/17; the defender prefers target 1.
    sol = solve_game([0, 0], [-10, -5], [-1, -1], [10, 5], 1)
    assert sol.attacker_utility == pytest.approx(49 / 17)
    np.testing.assert_allclose(sol.coverage, [(10 - 49 / 17) / 11, (5 - 49 / 17) / 6])
    assert sol.attacked_target == 1
    assert sol.defender_utility == pytest.approx(-5 + 5 * (5 - 49 / 17) / 6)


@settings(deadline=None, max_examples=40)
@given(game=payoffs(max_n=12), m=st.integers(1, 10), steps=st.sampled_from([0, 1, 50]))
def test_newton_and_sort_paths_agree(game, m, steps) -> None:
    """The bounded Newton phase, the pure sort finish and a long Newton run give the same level."""
    dc, du, ac, au = game
    w = 1 / (au - ac)
    floor = float(ac.max())
    level = attacker_level(au, w, floor, m, newton_steps=steps).value
    need = np.maximum(0, (au - level) * w).sum()
    assert level >= floor
    assert need <= m + 1e-9
    # Lowest such level: either the floor, or all teams are needed.
    assert level == pytest.approx(floor) or need == pytest.approx(m)


def test_large_input_uses_sampled_start_and_stays_exact() -> None:
    rng = np.random.default_rng(7)
    n = SAMPLE_SIZE * 8
    dc, du = rng.uniform(1, 10, n), rng.uniform(-10, -1, n)
    au, ac = rng.uniform(1, 10, n), rng.uniform(-10, -1, n)
    sol = solve_game(dc, du, ac, au, 500)
    assert sol.coverage.sum() == pytest.approx(500)
    level = sol.attacker_utility
    # Reference level by sorting: water filling over targets in decreasing attacker payoff.
    order = np.argsort(-au)
    a, w = au[order], 1 / (au - ac)[order]
    need = np.cumsum(a * w) - a * np.cumsum(w)
    j = np.searchsorted(need, 500)
    expected = (np.sum(a[:j] * w[:j]) - 500) / np.sum(w[:j])
    assert level == pytest.approx(expected, rel=1e-12)
    check_equilibrium(sol, dc, du, ac, au, 500)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (([1, 0], [0, 0], [0, 0], [1, 1], 1), "'#1': defender_covered phải lớn hơn defender_uncovered"),
        (([1, 1], [0, 0], [0, 2], [1, 1], 1), "'#1': attacker_covered phải nhỏ hơn attacker_uncovered"),
        (([1, np.nan], [0, 0], [0, 0], [1, 1], 1), "'#1': defender_covered phải là số hữu hạn"),
        (([1, 1], [0, 0], [0, 0], [1, np.inf], 1), "'#1': attacker_uncovered phải là số hữu hạn"),
        (([1], [0], [0], [1], -1), "resources phải là số nguyên không âm"),
        (([1], [0], [0], [1], 1.5), "resources phải là số nguyên không âm"),
        (([], [], [], [], 1), "ít nhất một mục tiêu"),
        (([1, 1], [0], [0], [1], 1), "cùng số mục tiêu"),
    ],
)
def test_invalid_arrays(args, message) -> None:
    with pytest.raises(GameError, match=message):
        solve_game(*args)
