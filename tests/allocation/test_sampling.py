"""Daily orders: per-day constraints and long-run frequencies equal to the coverage."""

from __future__ import annotations

import numpy as np
import pytest

from pckb.allocation import solve_game
from pckb.allocation.sampling import comb_day, decompose, decomposition_day, team_rows
from pckb.allocation.typed import solve_typed

DAYS = 4000


def assert_binomial(counts: np.ndarray, probabilities: np.ndarray, days: int) -> None:
    """Each count lies within 5 standard deviations (+1) of its binomial mean.

    Any per-target bias of 0.05 or more is far outside these bounds at 4,000 days.
    """
    spread = 5 * np.sqrt(days * probabilities * (1 - probabilities)) + 1
    deviation = np.abs(counts - days * probabilities)
    assert np.all(deviation <= spread), (counts / days, probabilities)


def eight_targets() -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(5)
    return rng.uniform(1, 10, 8), rng.uniform(-10, -1, 8), rng.uniform(-10, -1, 8), rng.uniform(1, 10, 8)


def test_comb_frequencies_match_coverage() -> None:
    coverage = solve_game(*eight_targets(), 3).coverage
    assert coverage.sum() == pytest.approx(3)
    rng = np.random.default_rng(2026)
    hits = np.zeros(coverage.size)
    for _ in range(DAYS):
        day = comb_day(coverage, 3, rng)
        assert day.size == 3, "all three teams go out every day"
        assert np.unique(day).size == day.size
        hits[day] += 1
    assert_binomial(hits, coverage, DAYS)


def test_comb_respects_zero_and_full_coverage() -> None:
    coverage = np.array([0.0, 1.0, 0.5, 0.0, 0.5, 1.0])
    rng = np.random.default_rng(1)
    for _ in range(500):
        day = set(comb_day(coverage, 3, rng).tolist())
        assert {1, 5} <= day and not {0, 3} & day and len(day) == 3


def test_comb_with_spare_teams_uses_only_needed() -> None:
    coverage = np.array([0.5, 0.25, 0.0])
    rng = np.random.default_rng(3)
    sizes = [comb_day(coverage, 4, rng).size for _ in range(2000)]
    assert set(sizes) <= {0, 1}
    assert np.mean(sizes) == pytest.approx(0.75, abs=0.05)


def typed_case() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    game = eight_targets()
    counts = np.array([2, 1, 1])
    allowed = np.array(
        [
            [1, 1, 1, 1, 0, 0, 0, 0],
            [0, 0, 1, 1, 1, 1, 0, 0],
            [1, 0, 0, 0, 0, 1, 1, 1],
        ],
        dtype=bool,
    )
    return solve_typed(*game, counts, allowed).coverage_by_type, counts, allowed


def test_team_rows_split_each_type_into_unit_rows() -> None:
    x = np.array([[0.7, 0.6, 0.5], [0.2, 0.0, 0.3]])
    rows, owners = team_rows(x, np.array([2, 1]))
    assert owners.tolist() == [0, 0, 1]
    np.testing.assert_allclose(rows[:2].sum(axis=0), x[0])
    np.testing.assert_allclose(rows[2], x[1])
    assert np.all(rows.sum(axis=1) <= 1 + 1e-12)


def test_decomposition_reproduces_coverage_exactly() -> None:
    x, counts, allowed = typed_case()
    decomposition = decompose(x, counts)
    mixed = np.zeros_like(x)
    for weight, assignment in zip(decomposition.weights, decomposition.assignments, strict=True):
        busy = assignment >= 0
        assert np.unique(assignment[busy]).size == busy.sum(), "a target gets two teams"
        np.add.at(mixed, (decomposition.owners[busy], assignment[busy]), weight)
    np.testing.assert_allclose(mixed, x, atol=1e-9)
    assert decomposition.weights.sum() == pytest.approx(1)


def test_typed_days_frequencies_match_coverage() -> None:
    x, counts, allowed = typed_case()
    decomposition = decompose(x, counts)
    rng = np.random.default_rng(99)
    hits = np.zeros_like(x)
    for _ in range(DAYS):
        day = decomposition_day(decomposition, rng)
        targets = [t for t, _ in day]
        assert len(set(targets)) == len(targets)
        per_type = np.bincount([j for _, j in day], minlength=counts.size)
        assert np.all(per_type <= counts)
        for t, j in day:
            assert allowed[j, t]
            hits[j, t] += 1
    assert_binomial(hits.ravel(), x.ravel(), DAYS)
