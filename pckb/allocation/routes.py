"""Patrol schedules generated from travel times, a shift length and a dwell time per target.

Travel minutes come from a matrix (``minutes[a][b]``; a missing pair means no direct road, a pair
given one way is used both ways) or from coordinates: great-circle distance x a detour factor /
a speed. A schedule is a set of at most ``max_targets`` targets that one team can visit in one
shift: some order of them (an open path — the team starts at its first target) needs
``dwell x size + travel <= shift``.

Sets are grown level by level: dropping an end of a feasible set's best path leaves a feasible
set, so every feasible set of size ``s`` extends a feasible set of size ``s - 1`` and the
enumeration is complete. Each set's feasibility tries every order (``s! <= 24`` for 4 targets).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np

from pckb.allocation.errors import GameError
from pckb.allocation.payoffs import FloatArray

EARTH_RADIUS_KM = 6371.0088
MAX_SCHEDULES = 200_000
"""Refuse to generate more schedules than this for one team type (the game would be too big)."""


def great_circle_minutes(lat: FloatArray, lon: FloatArray, speed_kmh: float, detour: float) -> FloatArray:
    """Travel minutes between every pair of points (haversine distance x detour / speed)."""
    phi, lam = np.radians(lat), np.radians(lon)
    dphi = phi[:, None] - phi[None, :]
    dlam = lam[:, None] - lam[None, :]
    h = np.sin(dphi / 2) ** 2 + np.cos(phi[:, None]) * np.cos(phi[None, :]) * np.sin(dlam / 2) ** 2
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return km * detour / speed_kmh * 60.0


def best_order(targets: Sequence[int], minutes: FloatArray, dwell: float) -> tuple[float, tuple[int, ...]]:
    """Shortest open path through ``targets`` (all orders tried): ``(minutes incl. dwell, order)``."""
    best = (math.inf, tuple(targets))
    for order in itertools.permutations(targets):
        if len(order) > 1 and order[0] > order[-1]:
            continue  # a path and its reverse cost the same (travel is symmetric)
        total = dwell * len(order) + sum(minutes[a, b] for a, b in itertools.pairwise(order))
        if total < best[0]:
            best = (total, order)
    return best


def generate_schedules(
    candidates: Sequence[int],
    minutes: FloatArray,
    shift: float,
    dwell: float,
    max_targets: int,
    label: str,
) -> list[tuple[int, ...]]:
    """Every feasible schedule over ``candidates`` (target indices), each in its best visiting
    order. ``minutes`` is a symmetric ``(n, n)`` matrix (``inf`` = no road)."""
    cand = sorted(set(candidates))
    if dwell > shift:
        return []
    level: dict[frozenset[int], tuple[int, ...]] = {frozenset([t]): (t,) for t in cand}
    schedules = list(level.values())
    for _ in range(2, max_targets + 1):
        grown: dict[frozenset[int], tuple[int, ...]] = {}
        for members in level:
            ends = np.array(sorted(members))
            for t in cand:
                if t in members:
                    continue
                new = members | {t}
                if new in grown:
                    continue
                # cheap filter: t must be reachable from some member within the shift
                if not np.isfinite(minutes[t, ends]).any():
                    continue
                cost, order = best_order(sorted(new), minutes, dwell)
                if cost <= shift + 1e-9:
                    grown[new] = order
        if not grown:
            break
        schedules.extend(grown.values())
        if len(schedules) > MAX_SCHEDULES:
            raise GameError(
                f"Loại đội '{label}': quá nhiều tuyến khả thi (hơn {MAX_SCHEDULES}); "
                "hãy giảm max_targets hoặc shift_minutes, hoặc giới hạn targets"
            )
        level = grown
    return schedules
