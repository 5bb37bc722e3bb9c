"""Daily orders: concrete assignments whose long-run frequencies equal the optimal coverage.

* Identical teams — systematic (comb) sampling: lay the coverages end to end on ``[0, sum c)``
  in a fresh random order each day and pick the targets under the teeth ``u, u + 1, u + 2, ...``
  of a comb with a uniform offset ``u``. Target ``t`` is picked with probability exactly ``c_t``;
  since ``c_t <= 1`` no target is picked twice, and when ``sum c = m`` exactly ``m`` are picked.
* Typed teams — each type's coverage row is cut into one row per team (a unit-length window),
  which gives a doubly substochastic team x target matrix; it is padded to a doubly stochastic
  one and split into permutations (Birkhoff–von Neumann). A day draws one permutation with its
  weight, so team ``i`` guards target ``t`` with probability exactly its matrix entry.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.sparse.csgraph import maximum_bipartite_matching

from pckb.allocation.payoffs import FloatArray

FULL_TOLERANCE = 1e-9
"""When ``m - sum(c)`` is below this the comb always places all ``m`` teams."""

ZERO = 1e-12
"""Matrix entries below this are treated as zero during the decomposition."""


def comb_day(coverage: FloatArray, resources: int, rng: np.random.Generator) -> NDArray[np.intp]:
    """One day of systematic sampling: the indices of the covered targets (distinct)."""
    order = rng.permutation(coverage.size)
    bounds = np.cumsum(coverage[order])
    total = float(bounds[-1])
    offset = float(rng.random())
    teeth = (
        resources
        if total >= resources - FULL_TOLERANCE
        else int(np.sum(offset + np.arange(resources) < total))
    )
    points = np.minimum(offset + np.arange(teeth), np.nextafter(total, -np.inf))
    return np.unique(order[np.searchsorted(bounds, points, side="right")])


def team_rows(coverage_by_type: FloatArray, counts: NDArray[np.int64]) -> tuple[FloatArray, NDArray[np.intp]]:
    """Split each type's coverage row into ``counts[j]`` team rows of total at most one each.

    Returns the ``(teams, n)`` matrix and the type index of each team row. The rows of a type
    sum to that type's row: its coverages are laid end to end and cut at integer points.
    """
    rows: list[FloatArray] = []
    owners: list[int] = []
    for j, count in enumerate(counts.tolist()):
        ends = np.cumsum(coverage_by_type[j])
        starts = ends - coverage_by_type[j]
        for slot in range(count):
            rows.append(np.clip(np.minimum(ends, slot + 1) - np.maximum(starts, slot), 0.0, None))
            owners.append(j)
    n = coverage_by_type.shape[1]
    matrix = np.array(rows, dtype=np.float64).reshape(len(rows), n)
    return matrix, np.array(owners, dtype=np.intp)


@dataclass(frozen=True)
class Decomposition:
    """A convex combination of assignments: ``weights[i]`` for ``assignments[i]``.

    ``assignments[i][team]`` is the target index guarded by that team row, or ``-1`` (idle).
    """

    weights: FloatArray
    assignments: NDArray[np.intp]
    owners: NDArray[np.intp]


def decompose(coverage_by_type: FloatArray, counts: NDArray[np.int64]) -> Decomposition:
    """Birkhoff–von Neumann decomposition of the typed coverage into team assignments."""
    rows, owners = team_rows(coverage_by_type, counts)
    teams, n = rows.shape
    # Pad [[Z, diag(1 - row sums)], [diag(1 - column sums), Z^T]] to a doubly stochastic matrix.
    square = np.zeros((teams + n, n + teams))
    square[:teams, :n] = rows
    square[:teams, n:] = np.diag(1.0 - rows.sum(axis=1))
    square[teams:, :n] = np.diag(1.0 - rows.sum(axis=0))
    square[teams:, n:] = rows.T
    square[square < ZERO] = 0.0
    weights: list[float] = []
    assignments: list[NDArray[np.intp]] = []
    remaining = 1.0
    index = np.arange(teams + n)
    while remaining > ZERO:
        match = maximum_bipartite_matching(sparse.csr_array(square > 0), perm_type="column")
        if (match < 0).any():  # rounding left no perfect matching: the rest is below float noise
            break
        weight = float(square[index, match].min())
        square[index, match] -= weight
        square[square < ZERO] = 0.0
        weights.append(weight)
        assignments.append(np.where(match[:teams] < n, match[:teams], -1))
        remaining -= weight
    total = np.array(weights)
    return Decomposition(total / total.sum(), np.array(assignments, dtype=np.intp).reshape(-1, teams), owners)


def decomposition_day(decomposition: Decomposition, rng: np.random.Generator) -> list[tuple[int, int]]:
    """One day drawn from a decomposition: ``(target index, type index)`` for each busy team."""
    pick = int(rng.choice(decomposition.weights.size, p=decomposition.weights))
    assignment = decomposition.assignments[pick]
    busy = np.flatnonzero(assignment >= 0)
    return [(int(assignment[i]), int(decomposition.owners[i])) for i in busy]
