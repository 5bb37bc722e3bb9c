"""Validation of the four payoff arrays of a security game.

A fast vectorised check runs on every solve; only when it fails is the slow per-target diagnosis
run, so error messages can name the offending target and field.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from pckb.allocation.errors import GameError

PAYOFF_FIELDS = ("defender_covered", "defender_uncovered", "attacker_covered", "attacker_uncovered")

FloatArray = NDArray[np.float64]


def as_payoff_arrays(
    defender_covered: ArrayLike,
    defender_uncovered: ArrayLike,
    attacker_covered: ArrayLike,
    attacker_uncovered: ArrayLike,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Convert the four payoff inputs to 1-D float64 arrays of one common, non-zero length."""
    arrays = tuple(
        np.asarray(a, dtype=np.float64)
        for a in (defender_covered, defender_uncovered, attacker_covered, attacker_uncovered)
    )
    for name, arr in zip(PAYOFF_FIELDS, arrays, strict=True):
        if arr.ndim != 1:
            raise GameError(f"{name} phải là mảng một chiều")
    if len({arr.shape[0] for arr in arrays}) != 1:
        raise GameError("Bốn mảng lợi ích phải có cùng số mục tiêu")
    if arrays[0].shape[0] == 0:
        raise GameError("Trò chơi phải có ít nhất một mục tiêu")
    return arrays  # type: ignore[return-value]


def payoff_problems(
    ids: Sequence[str], dc: FloatArray, du: FloatArray, ac: FloatArray, au: FloatArray
) -> list[str]:
    """Return every payoff problem, one Vietnamese message per (target, field)."""
    problems: list[str] = []
    for name, arr in zip(PAYOFF_FIELDS, (dc, du, ac, au), strict=True):
        for i in np.flatnonzero(~np.isfinite(arr)):
            problems.append(f"Mục tiêu '{ids[i]}': {name} phải là số hữu hạn (nhận được {arr[i]})")
    finite = np.isfinite(dc) & np.isfinite(du) & np.isfinite(ac) & np.isfinite(au)
    for i in np.flatnonzero(finite & ~(dc > du)):
        problems.append(f"Mục tiêu '{ids[i]}': defender_covered phải lớn hơn defender_uncovered")
    for i in np.flatnonzero(finite & ~(ac < au)):
        problems.append(f"Mục tiêu '{ids[i]}': attacker_covered phải nhỏ hơn attacker_uncovered")
    return problems


def check_payoffs(
    dc: FloatArray, du: FloatArray, ac: FloatArray, au: FloatArray, ids: Sequence[str] | None = None
) -> FloatArray:
    """Validate payoffs and return the attacker's loss from coverage ``au - ac``.

    Every payoff must be finite, ``dc > du`` (coverage helps the defender) and ``ac < au``
    (coverage hurts the attacker). Raises :class:`GameError` naming each offending target (by
    ``ids`` or by index). The fast path is a few vectorised reductions; the per-target diagnosis
    only runs when one of them fails.
    """
    loss = au - ac
    with np.errstate(over="ignore", invalid="ignore"):
        ok = bool(
            loss.min() > 0 and np.greater(dc, du).all() and np.isfinite(loss.sum() + dc.sum() + du.sum())
        )
    if not ok:
        names = ids if ids is not None else [f"#{i}" for i in range(dc.shape[0])]
        problems = payoff_problems(names, dc, du, ac, au)
        if problems:
            raise GameError(problems)
    return loss
