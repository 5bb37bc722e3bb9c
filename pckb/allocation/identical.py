"""Exact strong Stackelberg equilibrium with ``m`` identical teams (ORIGAMI as a water level).

Given a coverage ``c_t`` the attacker's utility at target ``t`` is
``U_a(t) = attacker_uncovered[t] - c_t * (attacker_uncovered[t] - attacker_covered[t])``.
Keeping every target's attacker utility at or below a *level* ``k`` needs at least
``c_t(k) = max(0, (attacker_uncovered[t] - k) / (attacker_uncovered[t] - attacker_covered[t]))``
coverage, so the lowest reachable level is the smallest ``k >= max_t attacker_covered[t]`` with
``S(k) = sum_t c_t(k) <= m`` (ORIGAMI's attack set is ``{t : attacker_uncovered[t] >= k}``).

That level is the same whichever target ends up attacked, so the strong Stackelberg equilibrium
(the multiple-LP optimum of Conitzer & Sandholm) attacks the target of the attack set that is best
for the defender, covered exactly up to the level.

``S`` is convex, decreasing and piecewise linear, so Newton's method started at the left end
never overshoots the root; every step drops the targets that fell out of the attack set, and the
step is exact as soon as none does. After a few steps the remaining attack set is small and is
finished by a sort and prefix sums, which bounds the worst case at ``O(n log n)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from pckb.allocation.errors import GameError
from pckb.allocation.payoffs import FloatArray, as_payoff_arrays, check_payoffs

NEWTON_STEPS = 12
"""Newton steps before the remaining attack set is finished by sorting."""

TIE_TOLERANCE = 1e-9
"""Relative tolerance used to decide that a target's attacker utility ties the attack level."""


@dataclass(frozen=True)
class Solution:
    """An optimal defender strategy and the attacker's best response.

    Attributes:
        coverage: probability that each target is covered on a given day (sums to at most ``m``).
        attacked_target: index of the target the attacker picks (ties broken for the defender).
        attack_set: indices of all targets whose attacker utility equals the maximum.
        defender_utility: the defender's expected utility.
        attacker_utility: the attacker's expected utility (the attack level).
    """

    coverage: FloatArray
    attacked_target: int
    attack_set: NDArray[np.intp]
    defender_utility: float
    attacker_utility: float


def check_resources(resources: object, label: str = "resources") -> int:
    """Return ``resources`` as an ``int`` or raise :class:`GameError` if it is not an integer >= 0."""
    if isinstance(resources, bool) or not isinstance(resources, int | np.integer) or resources < 0:
        raise GameError(f"{label} phải là số nguyên không âm (nhận được {resources!r})")
    return int(resources)


class Level(NamedTuple):
    """The lowest attack level and where to look for its attack set.

    ``candidates`` holds the indices of every target with ``attacker_uncovered > below``
    (``None`` means all targets); ``below <= value`` always holds.
    """

    value: float
    below: float
    candidates: NDArray[np.intp] | None


def attacker_level(
    attacker_uncovered: FloatArray,
    inv_loss: FloatArray,
    floor: float,
    resources: float,
    newton_steps: int = NEWTON_STEPS,
) -> Level:
    """Smallest level ``k >= floor`` with ``sum_t max(0, (au_t - k) * inv_loss_t) <= resources``.

    ``floor`` must be at least ``max_t attacker_covered[t]`` so that no coverage exceeds one.
    On large inputs Newton starts from a level estimated on a strided sample (checked to lie
    below the root, else the search restarts from ``floor``). ``newton_steps`` bounds the Newton
    phase before the sort-based finish (0 = sort only).
    """
    if resources <= 0:
        return Level(max(floor, float(attacker_uncovered.max())), floor, None)
    start = _sampled_start(attacker_uncovered, inv_loss, floor, resources)
    for low in (floor,) if start is None else (start, floor):
        candidates = np.flatnonzero(attacker_uncovered > low)
        au, w = attacker_uncovered.take(candidates), inv_loss.take(candidates)
        if au.size and _dot(au, w) - low * float(w.sum()) > resources:
            return Level(_newton_level(au, w, resources, newton_steps), low, candidates)
    return Level(floor, floor, candidates)


def _dot(a: FloatArray, b: FloatArray) -> float:
    """Inner product without BLAS: ``np.dot`` may wake a multi-threaded BLAS whose thread
    hand-off costs milliseconds on a busy machine, far more than the single pass itself."""
    return float(np.einsum("i,i->", a, b))


def _newton_level(au: FloatArray, w: FloatArray, resources: float, newton_steps: int) -> float:
    """Root of ``S`` when ``S(min au) > resources`` (all of ``au`` is in the active set)."""
    for _ in range(newton_steps):
        level = (_dot(au, w) - resources) / float(w.sum())
        keep = au > level
        if np.count_nonzero(keep) == au.size:
            return level
        au, w = au[keep], w[keep]
    return _sorted_level(au, w, resources)[0]


SAMPLE_SIZE = 1 << 14
"""Size of the strided sample used to guess a starting level on large inputs."""


def _sampled_start(au: FloatArray, w: FloatArray, floor: float, resources: float) -> float | None:
    """A level a little below the root estimated on every ``stride``-th target (or ``None``)."""
    stride = au.size // SAMPLE_SIZE
    if stride < 4:
        return None
    sample_au, sample_w = au[::stride], w[::stride]
    active = sample_au > floor
    if not active.any():
        return None
    _, above, ordered = _sorted_level(sample_au[active], sample_w[active], resources / stride)
    rank = above + int(4 * np.sqrt(above)) + 8
    return float(ordered[rank]) if rank < ordered.size else None


def _sorted_level(au: FloatArray, w: FloatArray, resources: float) -> tuple[float, int, FloatArray]:
    """Exact water level by sorting, on a set where ``S(min au) >= resources``.

    Returns the level, how many targets stay above it, and ``au`` sorted in decreasing order.
    """
    order = np.argsort(-au)
    a, ws = au[order], w[order]
    cum_b = np.cumsum(a * ws)
    cum_w = np.cumsum(ws)
    # need[j] = S(a[j]): coverage needed to bring the level down to the j-th highest value.
    need = np.empty_like(a)
    need[0] = 0.0
    need[1:] = cum_b[:-1] - a[1:] * cum_w[:-1]
    reached = need >= resources
    j = int(np.argmax(reached)) if reached.any() else a.size
    if j == 0:
        return float(a[0]), 0, a
    level = (cum_b[j - 1] - resources) / cum_w[j - 1]
    lower = a[j] if j < a.size else -np.inf
    return float(min(max(level, lower), a[j - 1])), j, a


def best_target(
    attack_set: NDArray[np.intp],
    coverage: FloatArray,
    defender_covered: FloatArray,
    defender_uncovered: FloatArray,
) -> tuple[int, float]:
    """Return the attack-set target best for the defender and the defender's utility there."""
    du = defender_uncovered.take(attack_set)
    values = du + coverage.take(attack_set) * (defender_covered.take(attack_set) - du)
    best = int(np.argmax(values))
    return int(attack_set[best]), float(values[best])


def tie_tolerance(attacker_uncovered: FloatArray, attacker_covered_max: float) -> float:
    """Absolute tolerance for ties in attacker utility, relative to the payoff scale."""
    scale = max(1.0, abs(float(attacker_uncovered.max())), abs(attacker_covered_max))
    return TIE_TOLERANCE * scale


def find_attack_set(attacker_uncovered: FloatArray, level: Level, tolerance: float) -> NDArray[np.intp]:
    """Indices of the targets whose attacker utility ties the level (within ``tolerance``)."""
    threshold = level.value - tolerance
    if level.candidates is None or level.below >= threshold:
        return np.flatnonzero(attacker_uncovered >= threshold)
    return level.candidates[attacker_uncovered.take(level.candidates) >= threshold]


def solve_game(
    defender_covered: ArrayLike,
    defender_uncovered: ArrayLike,
    attacker_covered: ArrayLike,
    attacker_uncovered: ArrayLike,
    resources: int,
) -> Solution:
    """Solve a security game with ``resources`` identical teams exactly (strong Stackelberg).

    Args:
        defender_covered: defender's payoff when the attacked target is covered, shape ``(n,)``.
        defender_uncovered: defender's payoff when it is not covered (must be lower).
        attacker_covered: attacker's payoff when the attacked target is covered.
        attacker_uncovered: attacker's payoff when it is not covered (must be higher).
        resources: number of identical teams ``m >= 0``; coverage satisfies ``sum(c) <= m``.

    Returns:
        A :class:`Solution`. The coverage is the minimal one that holds the attacker at the
        optimal level; when ``m`` exceeds what is needed the rest of the teams are free.

    Raises:
        GameError: on empty or mismatched arrays, non-finite payoffs, payoffs where coverage does
            not help the defender / hurt the attacker, or a negative or non-integer ``resources``.

    Runs in ``O(n)`` typical / ``O(n log n)`` worst case time.

    Example:
        >>> sol = solve_game([0, 0], [-10, -5], [-1, -1], [10, 5], 1)
        >>> sol.attacked_target, round(sol.attacker_utility, 4), sol.coverage.round(4).tolist()
        (1, 2.8824, [0.6471, 0.3529])
    """
    dc, du, ac, au = as_payoff_arrays(
        defender_covered, defender_uncovered, attacker_covered, attacker_uncovered
    )
    m = check_resources(resources)
    inv_loss = check_payoffs(dc, du, ac, au)
    np.reciprocal(inv_loss, out=inv_loss)
    floor = float(ac.max())
    level = attacker_level(au, inv_loss, floor, m)
    coverage = au - level.value
    coverage *= inv_loss
    np.clip(coverage, 0.0, 1.0, out=coverage)
    attack_set = find_attack_set(au, level, tie_tolerance(au, floor))
    target, value = best_target(attack_set, coverage, dc, du)
    return Solution(coverage, target, attack_set, value, level.value)
