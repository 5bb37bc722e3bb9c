"""Hypothesis strategies for random security games on a coarse grid (so ties really happen)."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

# Payoffs on a half-integer grid: ties between targets (and between the attack level and a
# target's uncovered payoff) occur often, which is where strong Stackelberg tie-breaking matters.
VALUES = st.integers(-8, 8).map(lambda v: v / 2)
GAPS = st.integers(1, 8).map(lambda v: v / 2)


@st.composite
def payoffs(
    draw: st.DrawFn, min_n: int = 1, max_n: int = 7, zero_sum: bool | None = None
) -> tuple[np.ndarray, ...]:
    """``(dc, du, ac, au)`` satisfying the payoff restriction; optionally a zero-sum game."""
    n = draw(st.integers(min_n, max_n))
    zs = draw(st.booleans()) if zero_sum is None else zero_sum
    du = np.array(draw(st.lists(VALUES, min_size=n, max_size=n)))
    dc = du + np.array(draw(st.lists(GAPS, min_size=n, max_size=n)))
    if zs:
        return dc, du, -dc, -du
    au = np.array(draw(st.lists(VALUES, min_size=n, max_size=n)))
    ac = au - np.array(draw(st.lists(GAPS, min_size=n, max_size=n)))
    return dc, du, ac, au
