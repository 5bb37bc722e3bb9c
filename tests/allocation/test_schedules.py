"""Patrol routes: column generation over joint schedules against brute force, schedule
generation from travel times, daily routes drawn from the mixed strategy."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pckb.allocation import GameError
from pckb.allocation.baselines import eraser_c
from pckb.allocation.cli import main
from pckb.allocation.games import parse_game, sample, solve
from pckb.allocation.joint import ScheduleTeam, brute_force, solve_schedules
from pckb.allocation.routes import generate_schedules, great_circle_minutes

from .strategies import payoffs


@st.composite
def route_games(draw: st.DrawFn, max_n: int = 5):
    """Tiny route games: 1-2 team types, 1-3 schedules each (a route may cover every target),
    one or two attacker types (a prior may be 0)."""
    n = draw(st.integers(1, max_n))
    k = draw(st.integers(1, 2))
    tables = np.array([draw(payoffs(min_n=n, max_n=n)) for _ in range(k)])
    priors = (
        np.array([1.0]) if k == 1 else np.array(draw(st.sampled_from([[0.5, 0.5], [1.0, 0.0], [0.25, 0.75]])))
    )
    teams = []
    for j in range(draw(st.integers(1, 2))):
        schedules = draw(
            st.lists(
                st.one_of(
                    st.just(tuple(range(n))),
                    st.lists(st.integers(0, n - 1), min_size=1, max_size=3, unique=True).map(
                        lambda s: tuple(sorted(s))
                    ),
                ),
                min_size=1,
                max_size=3,
                unique=True,
            )
        )
        teams.append(ScheduleTeam(f"R{j}", draw(st.integers(0, 2)), tuple(schedules)))
    return teams, tables, priors


def check_implementable(sol, teams) -> None:
    assert sol.weights.sum() == pytest.approx(1.0)
    assert np.all(sol.weights > 0)
    np.testing.assert_allclose(sol.weights @ sol.columns, sol.coverage, atol=1e-9)
    for column, assignment in zip(sol.columns, sol.assignments, strict=True):
        used = {}
        covered = np.zeros(column.size)
        for j, s in assignment:
            used[j] = used.get(j, 0) + 1
            covered[list(teams[j].schedules[s])] = 1
        assert all(used[j] <= teams[j].count for j in used)
        np.testing.assert_array_equal(covered, column)


@settings(deadline=None, max_examples=60)
@given(route_games())
def test_column_generation_matches_brute_force(case) -> None:
    teams, tables, priors = case
    sol = solve_schedules(teams, tables, priors)
    reference = brute_force(teams, tables, priors)
    assert sol.defender_utility == pytest.approx(reference.defender_utility, abs=1e-6)
    check_implementable(sol, teams)


@settings(deadline=None, max_examples=25)
@given(route_games(max_n=4), st.sampled_from([0.0, 1.0, 5.0]))
def test_match_over_schedules_matches_brute_force(case, beta) -> None:
    teams, tables, _ = case
    tables, priors = tables[:1], np.ones(1)
    sol = solve_schedules(teams, tables, priors, beta=beta)
    reference = brute_force(teams, tables, priors, beta=beta)
    check_implementable(sol, teams)

    def guarantee(c):
        dc, du, ac, au = tables[0]
        ud, ua = du + c * (dc - du), au - c * (au - ac)
        ties = ua >= ua.max() - 1e-9
        return min(ud[ties].max(), (ud + beta * (ua.max() - ua)).min())

    assert guarantee(sol.coverage) == pytest.approx(guarantee(reference.coverage), abs=1e-6)


def test_single_route_covering_everything() -> None:
    """One team with one route over all targets: covering is a coin flip between all and none,
    so every target gets the same coverage."""
    tables = np.array([[[0, 0, 0], [-10, -5, -1], [-5, -2, -1], [10, 5, 1]]], dtype=float)
    teams = [ScheduleTeam("R", 1, ((0, 1, 2),))]
    sol = solve_schedules(teams, tables, np.ones(1))
    assert np.ptp(sol.coverage) == pytest.approx(0.0)
    assert sol.coverage[0] == pytest.approx(1.0)  # covering everything every day is best here
    assert sol.defender_utility == pytest.approx(brute_force(teams, tables, np.ones(1)).defender_utility)


def test_generation_from_a_minutes_matrix() -> None:
    inf = np.inf
    minutes = np.array([[0, 30, 200, inf], [30, 0, 60, inf], [200, 60, 0, inf], [inf, inf, inf, 0]])
    found = generate_schedules([0, 1, 2, 3], minutes, shift=240, dwell=60, max_targets=3, label="R")
    assert {frozenset(s) for s in found} == {
        frozenset({0}),
        frozenset({1}),
        frozenset({2}),
        frozenset({3}),
        frozenset({0, 1}),
        frozenset({1, 2}),
        # {0, 2} needs 200 + 120 > 240; {0, 1, 2} via 1: 30 + 60 + 180 = 270 > 240.
    }
    wide = generate_schedules([0, 1, 2], minutes, shift=300, dwell=60, max_targets=3, label="R")
    ordered = [s for s in wide if len(s) == 3]
    assert ordered and ordered[0][1] == 1  # visited in the order 0-1-2 (or 2-1-0)


def test_great_circle_minutes() -> None:
    # Hanoi (21.0285, 105.8542) to Hai Phong (20.8449, 106.6881): about 89 km in a straight line.
    minutes = great_circle_minutes(np.array([21.0285, 20.8449]), np.array([105.8542, 106.6881]), 60.0, 1.0)
    assert minutes[0, 1] == pytest.approx(89.3, abs=1.5)
    assert minutes[0, 0] == 0


def route_game() -> dict:
    def target(tid, lat, lon, du):
        return {
            "id": tid,
            "name": f"Mục tiêu {tid}",
            "lat": lat,
            "lon": lon,
            "defender_covered": 0,
            "defender_uncovered": du,
            "attacker_covered": -2,
            "attacker_uncovered": -du,
        }

    return {
        "teams": [
            {
                "type": "Tuần tra cơ động",
                "count": 1,
                "travel": {"speed_kmh": 30, "detour": 1.3},
                "shift_minutes": 240,
                "dwell_minutes": 60,
                "max_targets": 3,
            },
            {"type": "Chốt", "count": 1, "schedules": [["T4"], ["T1", "T4"]]},
        ],
        "targets": [
            target("T1", 21.00, 105.80, -8),
            target("T2", 21.01, 105.82, -6),
            target("T3", 21.02, 105.84, -5),
            target("T4", 21.30, 106.20, -7),
        ],
    }


def test_route_game_solution_and_daily_routes(tmp_path, capsys) -> None:
    game = parse_game(route_game())
    mobile = game.teams[0]
    assert ("T1", "T2", "T3") in mobile.schedules or ("T3", "T2", "T1") in mobile.schedules
    assert not any("T4" in s and len(s) > 1 for s in mobile.schedules)  # T4 is ~60 km away
    out = solve(game)
    assert set(out["coverage_by_schedule"]) == {"Tuần tra cơ động", "Chốt"}
    total = sum(j["probability"] for j in out["joint_schedules"])
    assert total == pytest.approx(1.0)
    # The coverage is exactly what the joint schedules deliver.
    delivered = dict.fromkeys(game.ids, 0.0)
    for joint in out["joint_schedules"]:
        for t in {t for route in joint["routes"] for t in route["targets"]}:
            delivered[t] += joint["probability"]
    assert delivered == pytest.approx(out["coverage"])
    path = tmp_path / "game.json"
    path.write_text(json.dumps(route_game()), encoding="utf-8")
    assert main(["sample", str(path), "--days", "200", "--seed", "3"]) == 0
    days = json.loads(capsys.readouterr().out)["days"]
    assert all(len([r for r in day if r["team"] == "Chốt"]) <= 1 for day in days)
    freq = {t: sum(any(t in r["targets"] for r in day) for day in days) / len(days) for t in game.ids}
    for t in game.ids:
        assert freq[t] == pytest.approx(out["coverage"][t], abs=0.12)
    assert sample(game, 5, 3) == sample(game, 5, 3)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda g: g["targets"][2].pop("lat"), "Mục tiêu 'T3': thiếu lat/lon"),
        (lambda g: g["targets"][2].update(lat=95), "Mục tiêu 'T3': lat phải là số trong khoảng -90..90"),
        (
            lambda g: g["teams"][0].update(shift_minutes=0),
            "Loại đội 'Tuần tra cơ động': shift_minutes phải là số dương",
        ),
        (
            lambda g: g["teams"][0].update(max_targets=0),
            "Loại đội 'Tuần tra cơ động': max_targets phải là số nguyên từ 1 đến 6",
        ),
        (lambda g: g["teams"][0]["travel"].update(speed_kmh=-3), "travel.speed_kmh phải là số dương"),
        (lambda g: g["teams"][0]["travel"].update(detour=0.5), "travel.detour phải là số >= 1"),
        (
            lambda g: g["teams"][0].update(dwell_minutes=500),
            "Loại đội 'Tuần tra cơ động': không có tuyến nào khả thi",
        ),
        (
            lambda g: g["teams"][1]["schedules"].append(["T9"]),
            "Loại đội 'Chốt': mục tiêu 'T9' trong schedules không tồn tại",
        ),
        (
            lambda g: g["teams"][1].update(schedules=[[]]),
            "Loại đội 'Chốt': schedules phải là danh sách các tuyến",
        ),
        (
            lambda g: g["teams"][1].update(targets=["T1"]),
            "Loại đội 'Chốt': schedules không dùng cùng targets",
        ),
        (
            lambda g: g["teams"][0].update(travel={"minutes": {"T1": {"T9": 5}}}),
            r"travel.minutes\['T1'\] có mục tiêu 'T9' không tồn tại",
        ),
    ],
)
def test_route_errors_name_the_field(mutate, message) -> None:
    game = route_game()
    mutate(game)
    with pytest.raises(GameError, match=message):
        parse_game(game)


def test_minutes_matrix_game() -> None:
    game = route_game()
    game["teams"][0]["travel"] = {"minutes": {"T1": {"T2": 20, "T3": 50}, "T2": {"T3": 20}}}
    parsed = parse_game(game)
    schedules = {frozenset(s) for s in parsed.teams[0].schedules}
    # T1-T2-T3: 3 x 60 min dwell + 20 + 20 travel = 220 <= 240; T4 has no road to anything.
    assert frozenset({"T1", "T2", "T3"}) in schedules
    assert [s for s in schedules if "T4" in s] == [frozenset({"T4"})]


def test_docs_worked_example_numbers() -> None:
    """The province example in docs/allocation.md: its GAME.json gives the numbers quoted there."""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "allocation.md").read_text(encoding="utf-8")
    section = text[text.index("## Ví dụ / Worked example: một tỉnh") :]
    block = section[
        section.index("```json") + len("```json") : section.index("```", section.index("```json") + 7)
    ]
    game = parse_game(json.loads(block))
    assert len(game.teams[0].schedules) == 105
    out = solve(game)
    assert out["exact"] is True
    assert out["defender_utility"] == pytest.approx(-1.765, abs=5e-4)
    assert out["attacked_target_by_type"] == {"Nhóm có tổ chức": "T01", "Cá nhân đơn lẻ": "T04"}
    assert out["coverage"]["T01"] == pytest.approx(0.731, abs=5e-4)
    assert out["coverage"]["T06"] == pytest.approx(0.618, abs=5e-4)
    routes = [t for joint in out["joint_schedules"] for route in joint["routes"] for t in [route["targets"]]]
    assert all(len(r) <= 3 for r in routes)


def test_too_many_attack_profiles_is_refused_not_truncated() -> None:
    tables = np.array([[[0, 0, 0], [-10, -5, -1], [-5, -2, -1], [10, 5, 1]]] * 2, dtype=float)
    teams = [ScheduleTeam("R", 1, ((0,), (1,), (2,)))]
    with pytest.raises(GameError, match="Quá nhiều tổ hợp mục tiêu bị tấn công"):
        solve_schedules(teams, tables, np.array([0.5, 0.5]), max_profiles=2)


@settings(deadline=None, max_examples=40)
@given(route_games())
def test_eraser_c_bounds_the_exact_value(case) -> None:
    """ERASER-C treats the schedules' marginal coverage as freely combinable: a relaxation, so its
    optimum (and the bound it reports) is never below the exact value over joint schedules."""
    teams, tables, _ = case
    tables = tables[:1]
    flat = [(j, s) for j, team in enumerate(teams) for s in team.schedules]
    counts = np.array([team.count for team in teams])
    relaxed = eraser_c(*tables[0], flat, counts)
    exact = solve_schedules(teams, tables, np.ones(1))
    assert relaxed.status == "optimal"
    assert relaxed.bound >= relaxed.defender_utility - 1e-6
    assert relaxed.bound >= exact.defender_utility - 1e-6
