"""Benchmark of the allocation engine (``python bench/allocation.py [--quick]``).

Writes ``bench/results/allocation.json`` and prints a short summary:

* identical teams, n = 10 ... 10^6 targets with m = n / 100 teams: p50 solve time and its ratio
  to the *floor* — one vectorised numpy pass computing the coverage from a known attack level
  (``clip((au - k) / (au - ac), 0, 1)``), timed in the same run, interleaved with the solver;
* typed teams, 5,000 targets x 20 types;
* the fast solver against the ERASER MILP (100 / 1,000 / 3,000 targets) and the multiple-LP
  method on HiGHS, checking that the defender values agree.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from collections.abc import Callable
from pathlib import Path
from statistics import median

import numpy as np
from tqdm import tqdm

from pckb.allocation import solve_game
from pckb.allocation.baselines import eraser, identical_structure, multiple_lp
from pckb.allocation.typed import solve_typed

RESULTS = Path(__file__).resolve().parent / "results" / "allocation.json"
Game = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def random_game(n: int, rng: np.random.Generator) -> Game:
    """Uniform random payoffs: covered/uncovered in [1, 10] / [-10, -1] (and the reverse)."""
    return rng.uniform(1, 10, n), rng.uniform(-10, -1, n), rng.uniform(-10, -1, n), rng.uniform(1, 10, n)


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def scaling(sizes: list[int], rng: np.random.Generator) -> list[dict[str, float]]:
    """p50 solve time vs. the floor pass, both measured in the same loop."""
    rows = []
    for n in tqdm(sizes, desc="identical teams: scaling"):
        game = random_game(n, rng)
        m = max(1, n // 100)
        level = solve_game(*game, m).attacker_utility
        _, _, ac, au = game

        def floor(au: np.ndarray = au, ac: np.ndarray = ac, level: float = level) -> np.ndarray:
            return np.clip((au - level) / (au - ac), 0.0, 1.0)

        repeats = max(11, min(301, 3_000_000 // n))
        for _ in range(3):  # warm-up
            solve_game(*game, m)
            floor()
        solve_times, floor_times = [], []
        for _ in range(repeats):
            solve_times.append(timed(lambda game=game, m=m: solve_game(*game, m)))
            floor_times.append(timed(floor))
        p50, floor_p50 = median(solve_times), median(floor_times)
        rows.append(
            {
                "n": n,
                "m": m,
                "repeats": repeats,
                "solve_p50_s": p50,
                "floor_p50_s": floor_p50,
                "ratio_to_floor": p50 / floor_p50,
            }
        )
    return rows


def typed_instance(n: int, types: int, rng: np.random.Generator) -> tuple[Game, np.ndarray, np.ndarray]:
    """Every target has a home type plus ~20% random extra permissions; 50-200 teams per type."""
    allowed = rng.random((types, n)) < 0.2
    allowed[rng.integers(0, types, n), np.arange(n)] = True
    return random_game(n, rng), rng.integers(50, 200, types), allowed


def typed(n: int, types: int, repeats: int, rng: np.random.Generator) -> dict[str, float]:
    game, counts, allowed = typed_instance(n, types, rng)
    times = [
        timed(lambda: solve_typed(*game, counts, allowed)) for _ in tqdm(range(repeats), desc="typed teams")
    ]
    return {"n": n, "types": types, "teams": int(counts.sum()), "repeats": repeats, "p50_s": median(times)}


def versus(
    name: str, solver: Callable[..., object], sizes: list[int], rng: np.random.Generator
) -> list[dict[str, float]]:
    """The fast solver against a HiGHS baseline (m = n / 10), checking the defender values."""
    rows = []
    for n in tqdm(sizes, desc=f"fast vs {name}"):
        game = random_game(n, rng)
        m = n // 10
        fast = min(timed(lambda game=game, m=m: solve_game(*game, m)) for _ in range(21))
        start = time.perf_counter()
        reference = solver(*game, *identical_structure(n, m))
        baseline = time.perf_counter() - start
        diff = abs(reference.defender_utility - solve_game(*game, m).defender_utility)  # type: ignore[attr-defined]
        rows.append(
            {
                "n": n,
                "m": m,
                "fast_s": fast,
                f"{name}_s": baseline,
                "speedup": baseline / fast,
                "defender_value_diff": diff,
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="reduced run (about a minute)")
    args = parser.parse_args()
    rng = np.random.default_rng(20261122)
    quick = args.quick
    sizes = [10, 100, 1_000, 10_000, 100_000] + ([] if quick else [1_000_000])
    result = {
        "quick": quick,
        "machine": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "cpu": platform.processor(),
        },
        "scaling": scaling(sizes, rng),
        "typed": typed(1_000, 10, 3, rng) if quick else typed(5_000, 20, 5, rng),
        "eraser": versus("eraser", eraser, [100, 300] if quick else [100, 1_000, 3_000], rng),
        "multiple_lp": versus("multiple_lp", multiple_lp, [50] if quick else [100, 300], rng),
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print("\nidentical teams (p50, m = n/100):")
    for row in result["scaling"]:
        solve_ms, floor_ms = row["solve_p50_s"] * 1e3, row["floor_p50_s"] * 1e3
        print(
            f"  n={row['n']:>9,} {solve_ms:9.3f} ms  floor {floor_ms:8.3f} ms  x{row['ratio_to_floor']:.1f}"
        )
    t = result["typed"]
    print(f"typed teams: {t['n']:,} targets x {t['types']} types: {t['p50_s']:.3f} s (p50)")
    for name in ("eraser", "multiple_lp"):
        for row in result[name]:
            slow, fast_us = row[f"{name}_s"], row["fast_s"] * 1e6
            print(
                f"fast vs {name:<11} n={row['n']:>5,}: {slow:8.2f} s vs {fast_us:8.1f} µs"
                f"  -> {row['speedup']:,.0f}x  (|Δ value| = {row['defender_value_diff']:.1e})"
            )
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
