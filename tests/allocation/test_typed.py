"""Typed teams: exact solver against the HiGHS baselines, feasibility of the typed coverage."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pckb.allocation import GameError, solve_game
from pckb.allocation.baselines import eraser, multiple_lp
from pckb.allocation.typed import solve_typed

from .strategies import payoffs


@st.composite
def typed_games(draw: st.DrawFn, max_n: int = 6, max_types: int = 3):
    game = draw(payoffs(max_n=max_n))
    n = game[0].size
    types = draw(st.integers(1, max_types))
    counts = np.array(draw(st.lists(st.integers(0, 3), min_size=types, max_size=types)))
    cells = draw(st.lists(st.booleans(), min_size=types * n, max_size=types * n))
    return game, counts, np.array(cells, dtype=bool).reshape(types, n)


def check_typed(sol, game, counts, allowed) -> None:
    dc, du, ac, au = game
    x = sol.coverage_by_type
    assert np.all(x >= 0)
    assert np.all(x[~allowed] == 0), "a type covers a target it may not"
    assert np.all(x.sum(axis=1) <= counts + 1e-9), "a type uses more teams than it has"
    assert np.all(sol.coverage <= 1 + 1e-9)
    np.testing.assert_allclose(x.sum(axis=0), sol.coverage)
    ua = au - sol.coverage * (au - ac)
    assert ua[sol.attacked_target] == pytest.approx(ua.max(), abs=1e-8)
    t = sol.attacked_target
    assert sol.defender_utility == pytest.approx(du[t] + sol.coverage[t] * (dc[t] - du[t]), abs=1e-8)


@settings(deadline=None, max_examples=150)
@given(typed_games())
def test_matches_multiple_lp(case) -> None:
    game, counts, allowed = case
    sol = solve_typed(*game, counts, allowed)
    reference = multiple_lp(*game, counts, allowed)
    assert sol.defender_utility == pytest.approx(reference.defender_utility, abs=1e-6)
    check_typed(sol, game, counts, allowed)


@settings(deadline=None, max_examples=20)
@given(typed_games(max_n=5))
def test_matches_eraser(case) -> None:
    game, counts, allowed = case
    sol = solve_typed(*game, counts, allowed)
    assert sol.defender_utility == pytest.approx(eraser(*game, counts, allowed).defender_utility, abs=1e-6)


@settings(deadline=None, max_examples=30)
@given(game=payoffs(), m=st.integers(0, 8))
def test_one_unrestricted_type_equals_identical(game, m) -> None:
    n = game[0].size
    typed = solve_typed(*game, [m], np.ones((1, n), dtype=bool))
    plain = solve_game(*game, m)
    assert typed.defender_utility == pytest.approx(plain.defender_utility, abs=1e-9)
    assert typed.attacker_utility == pytest.approx(plain.attacker_utility, abs=1e-9)


def test_restriction_binds() -> None:
    # Two equal targets, two teams, but both teams may only guard T0: T1 stays open.
    game = ([0, 0], [-10, -10], [-10, -10], [10, 10])
    sol = solve_typed(*game, [2], np.array([[True, False]]))
    assert sol.coverage.tolist() == [0.0, 0.0]
    assert sol.attacker_utility == 10
    pooled = solve_game(*game, 2)
    assert pooled.attacker_utility == -10


def test_larger_random_instance_matches_lp() -> None:
    """Several rounds of cuts are needed here (sparse permissions, many teams)."""
    rng = np.random.default_rng(11)
    n, types = 40, 5
    game = (rng.uniform(1, 10, n), rng.uniform(-10, -1, n), rng.uniform(-10, -1, n), rng.uniform(1, 10, n))
    counts = rng.integers(1, 8, types)
    allowed = rng.random((types, n)) < 0.15
    allowed[rng.integers(0, types, n), np.arange(n)] = True
    sol = solve_typed(*game, counts, allowed)
    reference = multiple_lp(*game, counts, allowed)
    assert sol.defender_utility == pytest.approx(reference.defender_utility, abs=1e-6)
    check_typed(sol, game, counts, allowed)


@pytest.mark.parametrize(
    ("counts", "allowed", "message"),
    [
        ([-1], [[True]], "count của loại đội #0 phải là số nguyên không âm"),
        ([1], [[True, False]], "allowed phải là ma trận boolean"),
        ([1], [[1]], "allowed phải là ma trận boolean"),
    ],
)
def test_invalid_teams(counts, allowed, message) -> None:
    with pytest.raises(GameError, match=message):
        solve_typed([1], [0], [0], [1], counts, np.array(allowed))
