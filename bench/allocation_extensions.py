"""Benchmark of the allocation engine's second pass (``python bench/allocation_extensions.py
[--quick] [--only routes|types|match|qr]``).

Writes ``bench/results/allocation_extensions.json`` (``allocation_extensions_<part>.json`` with
``--only``), prints each measure as soon as it is done and ends with a table of every issue-12
measure: target, wall and CPU seconds, met or not.

* routes — 200 targets in 10 districts, 30 mobile teams (3 per district), routes of up to 4
  targets within an 8-hour shift (great-circle x 1.3 at 30 km/h, 45 min per target): exact
  column generation over joint schedules against the ERASER-C MILP on HiGHS in the same run.
  ERASER-C gets ``ERASER_LIMIT_S`` of HiGHS time; the bench reports its status (optimal, or
  time limit with its MIP gap), its value, its bound and the value gap to the exact solution
  (ERASER-C's marginal coverage need not be implementable, so its optimum bounds the exact
  value from above — checked);
* types — 5 types x 500 targets x 50 teams exact (``TYPE_GAMES`` games; identical teams: level
  search + branching over attacked targets), checked against the compact MILP on HiGHS alone
  (``LEVEL_BOXES = 0``) on the two smaller games to 1e-6, the heuristic's gap to the exact value
  on every size where both run, and the heuristic alone at 5 x 10^5;
* match — MATCH with identical teams at 10^5 targets (p50 of several runs);
* qr — the quantal-response plan at 10^4 targets, and how much it gains against an erring attacker;
  the same over the routes of one district (20 targets, 3 teams).

Every solver runs in a child process with a hard wall-clock limit (``HARD_LIMIT_S``): HiGHS's own
time limit is only looked at between presolve passes (ERASER-C's presolve alone took 20 s with a
2 s limit at load 3), and a HiGHS failure can send the attacker-types solver to its slow exact
fallback. A part that overruns is killed and reported as such, so one run always finishes.

The games are drawn in the parent, always in the same order from the same seeds (``--only``
draws, and skips, the other parts' games), so every run and every ``--only`` sees the same games.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import time
from collections.abc import Callable
from pathlib import Path
from statistics import median

import numpy as np

from pckb.allocation import GameError, bayesian, solve_game
from pckb.allocation.baselines import eraser_c
from pckb.allocation.bayesian import heuristic_bayesian, solve_bayesian
from pckb.allocation.evaluation import best_responses, quantal_defender_utility
from pckb.allocation.joint import Pricing, ScheduleTeam, solve_schedules
from pckb.allocation.robust import match_identical, qr_plan, top_m_oracle
from pckb.allocation.routes import generate_schedules, great_circle_minutes

PARTS = ("routes", "types", "match", "qr")

TYPE_GAMES = 3
"""Games of 5 types x 500 targets x 50 teams drawn."""

TARGET_S = {"routes_exact": 10.0, "types_exact": 10.0, "types_heuristic": 1.0, "match": 1.0}
"""The issue's time targets (wall seconds)."""

ERASER_LIMIT_S = 120.0
"""HiGHS time limit of the ERASER-C baseline (wall seconds, HiGHS's own clock)."""

SOLVER_LIMIT_S = 120.0
"""Time limit handed to the attacker-types solvers (exact and the MILP alone)."""

HARD_LIMIT_S = 300.0
"""Wall seconds after which a part's child process is killed."""

AGREE = 1e-6
"""Tolerance of every exactness check."""

RESULTS = Path(__file__).resolve().parent / "results" / "allocation_extensions.json"


def random_payoffs(n: int, rng: np.random.Generator) -> np.ndarray:
    """``(4, n)``: covered/uncovered in [1, 10] / [-10, -1] (and the reverse for the attacker)."""
    return np.stack(
        [rng.uniform(1, 10, n), rng.uniform(-10, -1, n), rng.uniform(-10, -1, n), rng.uniform(1, 10, n)]
    )


# --- Games (drawn in the parent, in a fixed order) -------------------------------------------


def draw_games(quick: bool) -> dict:
    """Every game of the run. The order of the draws is that of the first benchmark (routes,
    MATCH, QR from one generator; the attacker-type games from their own), so the games are
    the ones earlier figures were measured on."""
    rng = np.random.default_rng(20261201)
    typed_rng = np.random.default_rng([20261201, 2])
    n, districts, per_district = (60, 5, 2) if quick else (200, 10, 3)
    centres = rng.uniform([20.5, 105.5], [21.5, 106.5], size=(districts, 2))
    home = np.arange(n) % districts
    lat = centres[home, 0] + rng.normal(0, 0.05, n)
    lon = centres[home, 1] + rng.normal(0, 0.05, n)
    routes = {
        "lat": lat,
        "lon": lon,
        "home": home,
        "districts": districts,
        "per_district": per_district,
        "game": random_payoffs(n, rng),
    }

    def typed(k: int, n: int, m: int, against_milp: bool = False) -> dict:
        tables = np.stack([random_payoffs(n, typed_rng) for _ in range(k)])
        return {
            "tables": tables,
            "priors": typed_rng.dirichlet(np.ones(k)),
            "m": m,
            "against_milp": against_milp,
        }

    types = [typed(3, 40, 6, True)]
    if not quick:
        types += [typed(5, 100, 10, True)] + [typed(5, 500, 50) for _ in range(TYPE_GAMES)]
    heuristic = typed(5, 100_000, 1_000)  # cheap: the same size in --quick
    return {
        "routes": routes,
        "types": types,
        "types_heuristic": heuristic,
        "match": {"game": random_payoffs(10_000 if quick else 100_000, rng), "m": 1_000},
        "qr": {"game": random_payoffs(1_000 if quick else 10_000, rng), "m": 100},
    }


# --- Measures (each runs in a child process) -------------------------------------------------


def _schedules(lat, lon, home, districts: int, per_district: int) -> list[ScheduleTeam]:
    minutes = great_circle_minutes(lat, lon, 30.0, 1.3)
    teams = []
    for d in range(districts):
        found = generate_schedules(np.flatnonzero(home == d).tolist(), minutes, 480.0, 45.0, 4, f"D{d}")
        teams.append(ScheduleTeam(f"D{d}", per_district, tuple(found)))
    return teams


def routes_exact(lat, lon, home, districts: int, per_district: int, game) -> dict:
    """Route generation, then the exact game over joint schedules by column generation."""
    start, cpu = time.perf_counter(), time.process_time()
    teams = _schedules(lat, lon, home, districts, per_district)
    generation_s, generation_cpu = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    exact = solve_schedules(teams, game[None], np.ones(1))
    return {
        "targets": int(lat.size),
        "teams": districts * per_district,
        "schedules": sum(len(t.schedules) for t in teams),
        "generation_s": generation_s,
        "generation_cpu_s": generation_cpu,
        "s": time.perf_counter() - start,
        "cpu_s": time.process_time() - cpu,
        "value": exact.defender_utility,
        "master_lps": exact.lps,
        "joint_schedules_used": int(exact.weights.size),
    }


def routes_eraser_c(lat, lon, home, districts: int, per_district: int, game, time_limit: float) -> dict:
    """The ERASER-C MILP on the same routes, with HiGHS's time limit."""
    teams = _schedules(lat, lon, home, districts, per_district)
    flat = [(j, s) for j, team in enumerate(teams) for s in team.schedules]
    start, cpu = time.perf_counter(), time.process_time()
    try:
        relaxed = eraser_c(*game, flat, np.full(districts, per_district), time_limit=time_limit)
    except RuntimeError as error:  # e.g. the time limit came before HiGHS's first solution
        return {
            "s": time.perf_counter() - start,
            "cpu_s": time.process_time() - cpu,
            "status": "no solution",
            "message": str(error),
            "time_limit_s": time_limit,
        }
    seconds, cpu_s = time.perf_counter() - start, time.process_time() - cpu
    # ERASER-C's coverage as a plan: what the defender gets if it could be played.
    played = float(best_responses(np.clip(relaxed.coverage, 0, 1), game[None]).defender_utility[0])
    return {
        "s": seconds,
        "cpu_s": cpu_s,
        "status": relaxed.status,
        "time_limit_s": time_limit,
        "value": relaxed.defender_utility,
        "bound": relaxed.bound,
        "mip_gap": relaxed.mip_gap,
        "coverage_value": played,
    }


def types_exact(tables, priors, m: int, time_limit: float) -> dict:
    """Exact solver and heuristic on one attacker-types game."""
    n = tables.shape[2]
    counts, allowed = np.array([m]), np.ones((1, n), dtype=bool)
    start, cpu = time.perf_counter(), time.process_time()
    exact = solve_bayesian(tables, priors, counts, allowed, time_limit=time_limit)
    exact_s, exact_cpu = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    fast = heuristic_bayesian(tables, priors, m)
    return {
        "types": int(tables.shape[0]),
        "targets": int(n),
        "teams": m,
        "s": exact_s,
        "cpu_s": exact_cpu,
        "proven": bool(exact.exact),
        "value": exact.defender_utility,
        "heuristic_s": time.perf_counter() - start,
        "heuristic_cpu_s": time.process_time() - cpu,
        "heuristic_value": fast.defender_utility,
        "heuristic_gap": exact.defender_utility - fast.defender_utility,
    }


def types_milp_alone(tables, priors, m: int, time_limit: float) -> dict:
    """The compact MILP handed to HiGHS whole, on the same game (``LEVEL_BOXES = 0``)."""
    n = tables.shape[2]
    bayesian.LEVEL_BOXES = 0  # a child process of its own: nothing else sees this
    start, cpu = time.perf_counter(), time.process_time()
    try:
        found = solve_bayesian(
            tables, priors, np.array([m]), np.ones((1, n), dtype=bool), time_limit=time_limit
        )
    except GameError as error:  # HiGHS failed and the column-generation fallback is too big
        return {"failed": str(error)}
    return {
        "s": time.perf_counter() - start,
        "cpu_s": time.process_time() - cpu,
        "proven": bool(found.exact),
        "value": found.defender_utility,
    }


def types_heuristic(tables, priors, m: int, repeats: int) -> dict:
    walls, cpus = [], []
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        heuristic_bayesian(tables, priors, m)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return {
        "types": int(tables.shape[0]),
        "targets": int(tables.shape[2]),
        "teams": m,
        "repeats": repeats,
        "s": median(walls),
        "cpu_s": median(cpus),
    }


def match(game, m: int, beta: float, repeats: int) -> dict:
    walls, cpus = [], []
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        found = match_identical(*game, m, beta)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return {
        "targets": int(game.shape[1]),
        "teams": m,
        "beta": beta,
        "repeats": repeats,
        "s": median(walls),
        "cpu_s": median(cpus),
        "value": found.value,
    }


def quantal(game, m: int, lam: float) -> dict:
    """Quantal-response plan (Frank-Wolfe from the Stackelberg coverage), identical teams."""
    start, cpu = time.perf_counter(), time.process_time()
    sse = solve_game(*game, m)
    found = qr_plan(game[None], np.ones(1), lam, top_m_oracle(m), [(sse.coverage, np.ones(1), (None,))])
    seconds, cpu_s = time.perf_counter() - start, time.process_time() - cpu
    before = quantal_defender_utility(sse.coverage, game[None], np.ones(1), lam)
    return {
        "targets": int(game.shape[1]),
        "teams": m,
        "lambda": lam,
        "s": seconds,
        "cpu_s": cpu_s,
        "sse_vs_qr": before,
        "qr_vs_qr": found.value,
    }


def quantal_routes(lat, lon, home, districts: int, per_district: int, game, lam: float) -> dict:
    """Quantal-response plan over the routes of the first district (its own game): Frank-Wolfe
    from the exact Stackelberg mixture, greedy joint schedules as steps, the exact pricing
    MILP to end (as the planner does)."""
    inside = np.flatnonzero(home == 0)
    local = {int(t): i for i, t in enumerate(inside)}
    teams = _schedules(lat, lon, home, districts, per_district)[:1]
    teams = [
        ScheduleTeam(
            teams[0].name, per_district, tuple(tuple(local[t] for t in s) for s in teams[0].schedules)
        )
    ]
    table, priors = game[:, inside][None], np.ones(1)
    start, cpu = time.perf_counter(), time.process_time()
    sse = solve_schedules(teams, table, priors)
    pricing = Pricing(teams, inside.size)

    def exact(y):  # noqa: ANN001, ANN202
        _, row, assignment = pricing.exact(y)
        return row, assignment

    def greedy(y):  # noqa: ANN001, ANN202
        _, row, assignment = pricing.greedy(y)
        return row, assignment

    found = qr_plan(
        table, priors, lam, exact, [(sse.coverage, sse.weights, sse.assignments)], cheap_oracle=greedy
    )
    return {
        "targets": int(inside.size),
        "teams": per_district,
        "schedules": len(teams[0].schedules),
        "lambda": lam,
        "s": time.perf_counter() - start,
        "cpu_s": time.process_time() - cpu,
        "sse_vs_qr": quantal_defender_utility(sse.coverage, table, priors, lam),
        "qr_vs_qr": found.value,
    }


# --- Child processes with a hard limit -------------------------------------------------------


def _child(conn, name: str, kwargs: dict) -> None:  # noqa: ANN001 (a multiprocessing Connection)
    try:
        conn.send(("ok", globals()[name](**kwargs)))
    except Exception as error:  # noqa: BLE001 — reported in the results, the run goes on
        conn.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        conn.close()


def bounded(measure: Callable[..., dict], limit: float = HARD_LIMIT_S, **kwargs) -> dict:
    """Run ``measure(**kwargs)`` in a fresh process; kill it after ``limit`` wall seconds.

    Returns the measure's dict, or ``{"killed_after_s": limit}`` / ``{"error": message}``.
    """
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, measure.__name__, kwargs), daemon=True)
    process.start()
    sender.close()
    try:
        if receiver.poll(limit):
            kind, value = receiver.recv()
            outcome = value if kind == "ok" else {"error": value}
        else:
            outcome = {"killed_after_s": limit}
    except EOFError:  # the child died without a word (e.g. a crash inside HiGHS)
        outcome = {"error": "the process ended without a result"}
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()
    return outcome


def _time(row: dict, wall: str = "s", cpu: str = "cpu_s") -> str:
    if "killed_after_s" in row:
        return f"killed after {row['killed_after_s']:.0f} s"
    if "error" in row or "failed" in row:
        return f"failed: {row.get('error') or row.get('failed')}"
    return f"{row[wall]:.3f} s (CPU {row[cpu]:.3f} s)"


# --- The run ---------------------------------------------------------------------------------


def run_routes(games: dict, quick: bool) -> dict:
    spec = games["routes"]
    size = {"targets": int(spec["lat"].size), "teams": spec["districts"] * spec["per_district"]}
    exact = {**size, **bounded(routes_exact, **spec)}
    print(
        f"routes, exact: {exact['targets']} targets, {exact['teams']} teams"
        + (
            f", {exact['schedules']:,} routes (generated in {exact['generation_s']:.2f} s): "
            f"{_time(exact)}, value {exact['value']:.6f}, {exact['master_lps']} master LPs, "
            f"{exact['joint_schedules_used']} joint schedules"
            if "value" in exact
            else f": {_time(exact)}"
        ),
        flush=True,
    )
    limit = 30.0 if quick else ERASER_LIMIT_S
    relaxed = bounded(routes_eraser_c, limit=max(HARD_LIMIT_S, 2 * limit), **spec, time_limit=limit)
    if "value" in exact and "bound" in relaxed:
        relaxed["value_gap_minus_exact"] = relaxed["value"] - exact["value"]
        # ERASER-C relaxes the joint schedules: its bound can never be below the exact value.
        relaxed["bound_holds"] = bool(relaxed["bound"] >= exact["value"] - AGREE)
        relaxed["speed_ratio"] = relaxed["s"] / exact["s"]
    detail = ""
    if "bound" in relaxed:
        detail = (
            f", {relaxed['status']} (limit {relaxed['time_limit_s']:.0f} s), value {relaxed['value']:.6f}, "
            f"MIP gap {relaxed['mip_gap']:.1e}, bound {relaxed['bound']:.6f}"
        )
        if "value_gap_minus_exact" in relaxed:
            detail += (
                f"; value - exact {relaxed['value_gap_minus_exact']:+.1e}, "
                f"bound >= exact: {'yes' if relaxed['bound_holds'] else 'NO'}"
            )
    elif "status" in relaxed:
        detail = f", {relaxed['status']} within {relaxed['time_limit_s']:.0f} s ({relaxed['message']})"
    print(f"routes, ERASER-C MILP: {_time(relaxed)}{detail}", flush=True)
    return {"exact": exact, "eraser_c": relaxed}


def run_types(games: dict, quick: bool) -> dict:
    limit = 30.0 if quick else SOLVER_LIMIT_S
    rows = []
    for spec in games["types"]:
        args = {"tables": spec["tables"], "priors": spec["priors"], "m": spec["m"]}
        k, n = spec["tables"].shape[0], spec["tables"].shape[2]
        row = {"types": k, "targets": n, "teams": spec["m"], **bounded(types_exact, **args, time_limit=limit)}
        size = f"{k} x {n} x {spec['m']}"
        line = f"types exact {size}: {_time(row)}"
        if "value" in row:
            line += (
                f", {'proven' if row['proven'] else 'NOT proven'}, value {row['value']:.6f}; "
                f"heuristic {row['heuristic_s'] * 1e3:.0f} ms, gap {row['heuristic_gap']:.4f}"
            )
        if spec["against_milp"]:
            milp = bounded(types_milp_alone, **args, time_limit=limit)
            row["milp_alone"] = milp
            line += f"; MILP alone {_time(milp)}"
            if "value" in milp and "value" in row:
                milp["value_diff"] = row["value"] - milp["value"]
                milp["agrees"] = bool(abs(milp["value_diff"]) <= AGREE and milp["proven"] and row["proven"])
                line += (
                    f", value diff {milp['value_diff']:+.1e} ({'agrees' if milp['agrees'] else 'DIFFERS'})"
                )
        print(line, flush=True)
        rows.append(row)
    spec = games["types_heuristic"]
    heuristic = {
        "types": spec["tables"].shape[0],
        "targets": spec["tables"].shape[2],
        "teams": spec["m"],
        **bounded(types_heuristic, tables=spec["tables"], priors=spec["priors"], m=spec["m"], repeats=5),
    }
    print(
        f"types heuristic {spec['tables'].shape[0]} x {spec['tables'].shape[2]:,} x {spec['m']:,}: "
        f"{_time(heuristic)} (p50 of 5)",
        flush=True,
    )
    return {"exact": rows, "heuristic": heuristic}


def run_match(games: dict) -> dict:
    row = {
        "targets": games["match"]["game"].shape[1],
        **bounded(match, **games["match"], beta=1.0, repeats=5),
    }
    print(f"MATCH {games['match']['game'].shape[1]:,} targets: {_time(row)} (p50 of 5)", flush=True)
    return row


def run_qr(games: dict) -> dict:
    row = {"targets": games["qr"]["game"].shape[1], **bounded(quantal, **games["qr"], lam=0.5)}
    line = f"QR plan {games['qr']['game'].shape[1]:,} targets (lambda 0.5): {_time(row)}"
    if "qr_vs_qr" in row:
        line += (
            f", defender vs QR attacker {row['sse_vs_qr']:.4f} (Stackelberg plan) -> {row['qr_vs_qr']:.4f}"
        )
    print(line, flush=True)
    spec = games["routes"]
    routes = {"targets": int((spec["home"] == 0).sum()), **bounded(quantal_routes, **spec, lam=1.0)}
    line = f"QR plan over routes, {routes['targets']} targets x {spec['per_district']} teams (lambda 1): "
    line += _time(routes)
    if "qr_vs_qr" in routes:
        line += f", defender vs QR attacker {routes['sse_vs_qr']:.4f} (Stackelberg plan) -> "
        line += f"{routes['qr_vs_qr']:.4f}"
    print(line, flush=True)
    return {**row, "routes": routes}


def summary(result: dict) -> list[dict]:
    """Every issue-12 measure of this run: target, wall and CPU seconds, met (on wall time)."""
    lines: list[dict] = []

    def add(measure: str, target: float | None, row: dict, note: str = "") -> None:
        ok = "s" in row and "cpu_s" in row
        lines.append(
            {
                "measure": measure,
                "target": "—" if target is None else f"<= {target:g} s",
                "target_s": target,
                "wall_s": row["s"] if ok else None,
                "cpu_s": row["cpu_s"] if ok else None,
                "met": None if target is None else bool(ok and row["s"] <= target),
                "note": note if ok else _time(row),
            }
        )

    if "routes" in result:
        exact, relaxed = result["routes"]["exact"], result["routes"]["eraser_c"]
        size = f"{exact.get('targets', '?')} targets x {exact.get('teams', '?')} teams"
        add(
            f"Routes exact, {size}, <= 4 per 8 h shift",
            TARGET_S["routes_exact"],
            exact,
            f"{exact.get('schedules', 0):,} routes, value {exact.get('value', float('nan')):.6f}",
        )
        note = ""
        if "bound" in relaxed:
            note = f"{relaxed['status']}, MIP gap {relaxed['mip_gap']:.1e}"
            if "value_gap_minus_exact" in relaxed:
                note += (
                    f", value - exact {relaxed['value_gap_minus_exact']:+.1e}, "
                    f"bound >= exact {'yes' if relaxed['bound_holds'] else 'NO'}"
                )
        elif "status" in relaxed:
            note = relaxed["status"]
        add(
            f"Routes, ERASER-C MILP baseline (HiGHS limit {relaxed.get('time_limit_s', 0):.0f} s)",
            None,
            relaxed,
            note,
        )
    if "types" in result:
        seen: dict[str, int] = {}
        for row in result["types"]["exact"]:
            large = row.get("targets") == 500
            note = ""
            if "value" in row:
                note = (
                    f"{'proven' if row['proven'] else 'NOT proven'}, heuristic gap {row['heuristic_gap']:.4f}"
                )
                milp = row.get("milp_alone", {})
                if "agrees" in milp:
                    verdict = "agrees" if milp["agrees"] else "DIFFERS"
                    note += f", MILP alone {verdict} ({milp['value_diff']:+.1e})"
                elif milp:
                    note += f", MILP alone {_time(milp)}"
            size = f"{row.get('types', '?')} x {row.get('targets', '?')} x {row.get('teams', '?')}"
            seen[size] = seen.get(size, 0) + 1
            add(
                f"Attacker types exact, {size}" + (f" (game {seen[size]})" if large else ""),
                TARGET_S["types_exact"] if large else None,
                row,
                note,
            )
            if large and "proven" in row and not row["proven"]:
                lines[-1]["met"] = False
        h = result["types"]["heuristic"]
        size = f"{h.get('types', '?')} x {h.get('targets', 0):,} x {h.get('teams', 0):,}"
        add(f"Attacker types heuristic, {size} (p50)", TARGET_S["types_heuristic"], h)
    if "match" in result:
        mt = result["match"]
        add(f"MATCH, {mt.get('targets', 0):,} targets (p50)", TARGET_S["match"], mt)
    if "qr" in result:
        q = result["qr"]
        note = f"vs QR attacker {q['sse_vs_qr']:.4f} -> {q['qr_vs_qr']:.4f}" if "qr_vs_qr" in q else ""
        add(f"QR plan, {q.get('targets', 0):,} targets", None, q, note)
        qr = q["routes"]
        note = f"vs QR attacker {qr['sse_vs_qr']:.4f} -> {qr['qr_vs_qr']:.4f}" if "qr_vs_qr" in qr else ""
        add(
            f"QR plan over routes, {qr.get('targets', 0)} targets x {qr.get('teams', '?')} teams",
            None,
            qr,
            note,
        )
    return lines


def print_summary(lines: list[dict]) -> None:
    print("\n| Measure | Target | Wall s | CPU s | Met | Notes |\n|---|---|---|---|---|---|")
    for line in lines:
        wall = "—" if line["wall_s"] is None else f"{line['wall_s']:.3f}"
        cpu = "—" if line["cpu_s"] is None else f"{line['cpu_s']:.3f}"
        met = {None: "—", True: "yes", False: "NO"}[line["met"]]
        if line["met"] is False and line["cpu_s"] is not None and line["cpu_s"] <= line["target_s"]:
            met += " (CPU within)"
        print(f"| {line['measure']} | {line['target']} | {wall} | {cpu} | {met} | {line['note']} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="reduced sizes (about a minute)")
    parser.add_argument("--only", choices=PARTS, help="run only this part (written to its own file)")
    args = parser.parse_args()
    quick = args.quick
    result: dict = {
        "quick": quick,
        "only": args.only,
        "machine": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "cpu": platform.processor(),
            "cores": os.cpu_count(),
            "load_average_at_start": list(os.getloadavg()),
        },
    }
    games = draw_games(quick)
    wanted = PARTS if args.only is None else (args.only,)
    start = time.perf_counter()
    if "routes" in wanted:
        result["routes"] = run_routes(games, quick)
    if "types" in wanted:
        result["types"] = run_types(games, quick)
    if "match" in wanted:
        result["match"] = run_match(games)
    if "qr" in wanted:
        result["qr"] = run_qr(games)
    result["machine"]["load_average_at_end"] = list(os.getloadavg())
    result["run_s"] = time.perf_counter() - start
    result["summary"] = summary(result)
    print_summary(result["summary"])
    load = result["machine"]
    print(
        f"load average at start {[round(x, 2) for x in load['load_average_at_start']]}, "
        f"at end {[round(x, 2) for x in load['load_average_at_end']]} ({os.cpu_count()} cores); "
        f"whole run {result['run_s']:.0f} s"
    )
    path = RESULTS if args.only is None else RESULTS.with_name(f"allocation_extensions_{args.only}.json")
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"written to {path}")


if __name__ == "__main__":
    main()
