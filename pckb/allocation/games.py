"""JSON games: parsing with validation, solving, and daily orders.

A game is ``{"resources": m, "targets": [...]}`` (identical teams) or ``{"teams": [...],
"targets": [...]}`` (typed teams); each target has ``id``, optional ``name`` and the four payoffs
``defender_covered``, ``defender_uncovered``, ``attacker_covered``, ``attacker_uncovered``; each
team type has ``type``, ``count`` and the ``targets`` (ids) it may cover. Every problem is reported
at once in Vietnamese, naming the target or team and the field; nothing is solved on error.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from pckb.allocation.errors import GameError
from pckb.allocation.identical import solve_game
from pckb.allocation.payoffs import PAYOFF_FIELDS, FloatArray, payoff_problems
from pckb.allocation.sampling import comb_day, decompose, decomposition_day
from pckb.allocation.typed import solve_typed


@dataclass(frozen=True)
class TeamType:
    """A type of team: how many there are and which targets they may cover."""

    type: str
    count: int
    targets: tuple[str, ...]


@dataclass(frozen=True)
class Game:
    """A validated game. ``payoffs`` has shape ``(4, n)`` in :data:`PAYOFF_FIELDS` order.

    Exactly one of ``resources`` (identical teams) and ``teams`` (typed teams) is set.
    """

    ids: tuple[str, ...]
    names: tuple[str, ...]
    payoffs: FloatArray
    resources: int | None
    teams: tuple[TeamType, ...] | None

    def team_matrix(self) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
        """Team counts and the ``(types, n)`` matrix of allowed targets (typed games only)."""
        assert self.teams is not None
        position = {target: i for i, target in enumerate(self.ids)}
        allowed = np.zeros((len(self.teams), len(self.ids)), dtype=bool)
        for j, team in enumerate(self.teams):
            allowed[j, [position[t] for t in team.targets]] = True
        return np.array([team.count for team in self.teams], dtype=np.int64), allowed


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _number(value: object) -> float | None:
    """The payoff as a float (``nan`` if too large to represent), ``None`` if not a number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return float(value)
    except OverflowError:
        return math.nan


def _parse_targets(raw: object, problems: list[str]) -> tuple[list[str], list[str], list[list[float]]]:
    """Ids, names and payoff rows of the targets whose fields are well-formed."""
    if not isinstance(raw, list) or not raw:
        problems.append("targets phải là danh sách mục tiêu không rỗng")
        return [], [], []
    ids: list[str] = []
    names: list[str] = []
    rows: list[list[float]] = []
    seen: set[str] = set()
    for position, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            problems.append(f"Mục tiêu thứ {position}: phải là một đối tượng JSON")
            continue
        target_id = item.get("id")
        if not isinstance(target_id, str) or not target_id.strip():
            problems.append(f"Mục tiêu thứ {position}: id phải là chuỗi không rỗng")
            continue
        if target_id in seen:
            problems.append(f"Mục tiêu '{target_id}': id bị trùng lặp")
            continue
        seen.add(target_id)
        name = item.get("name", target_id)
        if not isinstance(name, str):
            problems.append(f"Mục tiêu '{target_id}': name phải là chuỗi")
        row: list[float] = []
        for field in PAYOFF_FIELDS:
            if field not in item:
                problems.append(f"Mục tiêu '{target_id}': thiếu trường {field}")
                continue
            value = _number(item[field])
            if value is None:
                problems.append(f"Mục tiêu '{target_id}': {field} phải là số (nhận được {item[field]!r})")
            else:
                row.append(value)
        if len(row) == len(PAYOFF_FIELDS):
            ids.append(target_id)
            names.append(name if isinstance(name, str) else target_id)
            rows.append(row)
    return ids, names, rows


def _parse_teams(raw: object, known: set[str], problems: list[str]) -> list[TeamType]:
    """Team types, reporting bad fields and targets that are not in the game."""
    if not isinstance(raw, list) or not raw:
        problems.append("teams phải là danh sách loại đội không rỗng")
        return []
    teams: list[TeamType] = []
    seen: set[str] = set()
    for position, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            problems.append(f"Loại đội thứ {position}: phải là một đối tượng JSON")
            continue
        name = item.get("type")
        if not isinstance(name, str) or not name.strip():
            problems.append(f"Loại đội thứ {position}: type phải là chuỗi không rỗng")
            continue
        if name in seen:
            problems.append(f"Loại đội '{name}': type bị trùng lặp")
            continue
        seen.add(name)
        count = item.get("count")
        if not _is_count(count):
            problems.append(f"Loại đội '{name}': count phải là số nguyên không âm (nhận được {count!r})")
        targets = item.get("targets")
        if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
            problems.append(f"Loại đội '{name}': targets phải là danh sách id mục tiêu")
            continue
        unknown = [t for t in targets if t not in known]
        problems.extend(f"Loại đội '{name}': mục tiêu '{t}' trong targets không tồn tại" for t in unknown)
        if _is_count(count) and not unknown:
            teams.append(TeamType(name, count, tuple(dict.fromkeys(targets))))
    return teams


def parse_game(data: object) -> Game:
    """Validate a decoded GAME.json and return a :class:`Game`; raise :class:`GameError` listing
    every problem otherwise."""
    if not isinstance(data, dict):
        raise GameError("Tệp trò chơi phải là một đối tượng JSON")
    problems: list[str] = []
    ids, names, rows = _parse_targets(data.get("targets"), problems)
    if rows:
        payoffs = np.array(rows, dtype=np.float64).T
        problems.extend(payoff_problems(ids, *payoffs))
    resources: int | None = None
    teams: list[TeamType] | None = None
    if ("resources" in data) == ("teams" in data):
        problems.append("Trò chơi phải có đúng một trong hai trường resources hoặc teams")
    elif "resources" in data:
        if _is_count(data["resources"]):
            resources = data["resources"]
        else:
            problems.append(f"resources phải là số nguyên không âm (nhận được {data['resources']!r})")
    else:
        teams = _parse_teams(data["teams"], set(ids), problems)
    if problems:
        raise GameError(problems)
    return Game(tuple(ids), tuple(names), payoffs, resources, None if teams is None else tuple(teams))


def load_game(path: str | Path) -> Game:
    """Read and validate a GAME.json file (file and JSON errors become :class:`GameError`)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise GameError(f"Không đọc được tệp '{path}': {exc.strerror or exc}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GameError(f"Tệp '{path}' không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno})") from exc
    return parse_game(data)


def solve(game: Game) -> dict[str, Any]:
    """Solve a game; return the solution as a JSON-ready dict (see ``docs/allocation.md``)."""
    if game.teams is None:
        assert game.resources is not None
        solution = solve_game(*game.payoffs, game.resources)
        by_team = None
    else:
        typed = solve_typed(*game.payoffs, *game.team_matrix())
        solution = typed
        by_team = {
            team.type: {game.ids[t]: float(typed.coverage_by_type[j, t]) for t in np.flatnonzero(row > 0)}
            for j, (team, row) in enumerate(zip(game.teams, typed.coverage_by_type, strict=True))
        }
    result: dict[str, Any] = {
        "coverage": {target: float(c) for target, c in zip(game.ids, solution.coverage, strict=True)},
        "attacked_target": game.ids[solution.attacked_target],
        "attack_set": [game.ids[t] for t in solution.attack_set],
        "defender_utility": solution.defender_utility,
        "attacker_utility": solution.attacker_utility,
    }
    if by_team is not None:
        result["coverage_by_team"] = by_team
    return result


def sample(game: Game, days: int, seed: int) -> dict[str, Any]:
    """Solve, then draw ``days`` daily orders reproducibly from ``seed``.

    Returns ``{"days": [[{"target": id, "team": type or None}, ...], ...]}``.
    """
    rng = np.random.default_rng(seed)
    schedule: list[list[dict[str, str | None]]] = []
    if game.teams is None:
        assert game.resources is not None
        coverage = solve_game(*game.payoffs, game.resources).coverage
        for _ in range(days):
            picked = comb_day(coverage, game.resources, rng)
            schedule.append([{"target": game.ids[t], "team": None} for t in picked])
    else:
        counts, allowed = game.team_matrix()
        typed = solve_typed(*game.payoffs, counts, allowed)
        decomposition = decompose(typed.coverage_by_type, counts)
        for _ in range(days):
            day = sorted(decomposition_day(decomposition, rng))
            schedule.append([{"target": game.ids[t], "team": game.teams[j].type} for t, j in day])
    return {"days": schedule}
