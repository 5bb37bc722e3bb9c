"""Allocation engine: optimal randomized coverage of targets (Stackelberg security games).

Pure Python + numpy at its core (no Django). Entry points:

* :func:`solve_game` — identical teams, array level (``from pckb.allocation import solve_game``);
* :func:`pckb.allocation.typed.solve_typed` — team types restricted to target subsets;
* :func:`pckb.allocation.bayesian.solve_bayesian` — several attacker types (exact MILP), and
  :func:`pckb.allocation.bayesian.heuristic_bayesian` for large games;
* :func:`pckb.allocation.joint.solve_schedules` — patrol routes, exact over joint schedules;
* :mod:`pckb.allocation.robust` — MATCH and quantal-response plans; :mod:`.evaluation` judges a
  coverage against a perfect and an erring attacker;
* :mod:`pckb.allocation.games` — JSON games (validation, solve, daily orders);
* :mod:`pckb.allocation.cli` — ``pckb allocate solve|sample``.
"""

from pckb.allocation.errors import GameError
from pckb.allocation.identical import Solution, solve_game

__all__ = ["GameError", "Solution", "solve_game"]
