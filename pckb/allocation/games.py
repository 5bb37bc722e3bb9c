"""JSON games: parsing with validation, solving, and daily orders.

A game is ``{"resources": m, "targets": [...]}`` (identical teams) or ``{"teams": [...],
"targets": [...]}`` (typed teams); each target has ``id``, optional ``name`` (and ``lat``/``lon``)
and the four payoffs ``defender_covered``, ``defender_uncovered``, ``attacker_covered``,
``attacker_uncovered``; each team type has ``type``, ``count`` and either the ``targets`` (ids) it
may cover, or ``schedules`` (routes: lists of ids), or ``travel`` + ``shift_minutes`` +
``dwell_minutes`` + ``max_targets`` from which routes are generated (:mod:`.routes`).

Optional: ``attacker_types`` (each with ``name``, ``prior`` and its own four payoffs for every
target; the top-level targets then need only ``id`` and ``name``), ``plan`` (``sse``, ``match``
with ``beta``, ``qr`` with ``lambda``) and ``solver`` (``auto``, ``exact``, ``heuristic``).
Every problem is reported at once in Vietnamese, naming the target, team or attacker type and
the field; nothing is solved on error. Solving is dispatched by :mod:`.plans`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from pckb.allocation.errors import GameError
from pckb.allocation.evaluation import TIE_TOLERANCE, best_responses, evaluate, utilities
from pckb.allocation.payoffs import PAYOFF_FIELDS, FloatArray, payoff_problems
from pckb.allocation.plans import PlanResult, compute_plan
from pckb.allocation.routes import generate_schedules, great_circle_minutes
from pckb.allocation.sampling import comb_day, decompose, decomposition_day


@dataclass(frozen=True)
class TeamType:
    """A type of team: how many there are and which targets they may cover.

    A team with ``schedules`` (given, or generated from ``travel``) covers every target of one
    schedule a day; ``targets`` then lists the targets its schedules visit.
    """

    type: str
    count: int
    targets: tuple[str, ...]
    schedules: tuple[tuple[str, ...], ...] | None = None


@dataclass(frozen=True)
class AttackerType:
    """A kind of attacker: its prior probability (its payoffs are in ``Game.type_payoffs``)."""

    name: str
    prior: float


PLANS = ("sse", "match", "qr")
DEFAULT_LAMBDA = 1.0
"""Rationality of the erring attacker used to judge plans when the game gives no ``lambda``."""


@dataclass(frozen=True)
class Game:
    """A validated game. ``payoffs`` has shape ``(4, n)`` in :data:`PAYOFF_FIELDS` order.

    Exactly one of ``resources`` (identical teams) and ``teams`` (typed teams) is set.
    """

    ids: tuple[str, ...]
    names: tuple[str, ...]
    payoffs: FloatArray | None
    resources: int | None
    teams: tuple[TeamType, ...] | None
    attacker_types: tuple[AttackerType, ...] | None = None
    type_payoffs: FloatArray | None = None
    plan: str = "sse"
    beta: float | None = None
    lam: float | None = None
    solver: str = "auto"

    @property
    def all_payoffs(self) -> FloatArray:
        """Payoffs of every attacker type, shape ``(K, 4, n)`` (``K = 1`` without types)."""
        if self.type_payoffs is not None:
            return self.type_payoffs
        assert self.payoffs is not None
        return self.payoffs[None]

    @property
    def priors(self) -> FloatArray:
        if self.attacker_types is None:
            return np.ones(1)
        return np.array([a.prior for a in self.attacker_types], dtype=np.float64)

    @property
    def has_schedules(self) -> bool:
        return self.teams is not None and any(team.schedules is not None for team in self.teams)

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


def _parse_targets(
    raw: object, problems: list[str], need_payoffs: bool = True
) -> tuple[list[str], list[str], list[list[float]], dict[str, tuple[float, float]]]:
    """Ids, names, payoff rows and coordinates of the targets whose fields are well-formed.

    Without ``need_payoffs`` (attacker types carry the payoffs) the payoff fields are ignored.
    """
    if not isinstance(raw, list) or not raw:
        problems.append("targets phải là danh sách mục tiêu không rỗng")
        return [], [], [], {}
    ids: list[str] = []
    names: list[str] = []
    rows: list[list[float]] = []
    coords: dict[str, tuple[float, float]] = {}
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
        _parse_coords(target_id, item, coords, problems)
        row = _payoff_row(f"Mục tiêu '{target_id}'", item, problems) if need_payoffs else []
        if not need_payoffs or len(row) == len(PAYOFF_FIELDS):
            ids.append(target_id)
            names.append(name if isinstance(name, str) else target_id)
            rows.append(row)
    return ids, names, rows, coords


def _parse_coords(
    target_id: str, item: dict[str, Any], coords: dict[str, tuple[float, float]], problems: list[str]
) -> None:
    if "lat" not in item and "lon" not in item:
        return
    lat, lon = _number(item.get("lat")), _number(item.get("lon"))
    if lat is None or not math.isfinite(lat) or not -90 <= lat <= 90:
        problems.append(f"Mục tiêu '{target_id}': lat phải là số trong khoảng -90..90")
    elif lon is None or not math.isfinite(lon) or not -180 <= lon <= 180:
        problems.append(f"Mục tiêu '{target_id}': lon phải là số trong khoảng -180..180")
    else:
        coords[target_id] = (lat, lon)


def _payoff_row(label: str, item: dict[str, Any], problems: list[str]) -> list[float]:
    row: list[float] = []
    for field in PAYOFF_FIELDS:
        if field not in item:
            problems.append(f"{label}: thiếu trường {field}")
            continue
        value = _number(item[field])
        if value is None:
            problems.append(f"{label}: {field} phải là số (nhận được {item[field]!r})")
        else:
            row.append(value)
    return row


def _id_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(t, str) for t in value)


def _parse_teams(
    raw: object, known: list[str], coords: dict[str, tuple[float, float]], problems: list[str]
) -> list[TeamType]:
    """Team types, reporting bad fields and targets that are not in the game."""
    if not isinstance(raw, list) or not raw:
        problems.append("teams phải là danh sách loại đội không rỗng")
        return []
    known_set = set(known)
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
        label = f"Loại đội '{name}'"
        if "schedules" in item and ("travel" in item or "targets" in item):
            problems.append(f"{label}: schedules không dùng cùng targets hoặc travel")
            continue
        if "schedules" in item:
            team = _given_schedules(label, name, count, item["schedules"], known_set, problems)
        elif "travel" in item:
            team = _travel_schedules(label, name, count, item, known, coords, problems)
        else:
            targets = item.get("targets")
            if not _id_list(targets):
                problems.append(f"{label}: targets phải là danh sách id mục tiêu")
                continue
            unknown = [t for t in targets if t not in known_set]
            problems.extend(f"{label}: mục tiêu '{t}' trong targets không tồn tại" for t in unknown)
            team = None if unknown else TeamType(name, 0, tuple(dict.fromkeys(targets)))
        if team is not None and _is_count(count):
            teams.append(TeamType(name, count, team.targets, team.schedules))
    return teams


def _given_schedules(
    label: str, name: str, count: object, raw: object, known: set[str], problems: list[str]
) -> TeamType | None:
    if not isinstance(raw, list) or not raw or not all(_id_list(s) and s for s in raw):
        problems.append(
            f"{label}: schedules phải là danh sách các tuyến, mỗi tuyến là danh sách id không rỗng"
        )
        return None
    unknown = sorted({t for schedule in raw for t in schedule if t not in known})
    problems.extend(f"{label}: mục tiêu '{t}' trong schedules không tồn tại" for t in unknown)
    if unknown:
        return None
    schedules = tuple(dict.fromkeys(tuple(dict.fromkeys(s)) for s in raw))
    targets = tuple(dict.fromkeys(t for s in schedules for t in s))
    return TeamType(name, 0, targets, schedules)


def _positive_number(
    label: str, field: str, value: object, problems: list[str], zero: bool = False
) -> float | None:
    number = _number(value)
    if number is None or not math.isfinite(number) or number < 0 or (number == 0 and not zero):
        kind = "số không âm" if zero else "số dương"
        problems.append(f"{label}: {field} phải là {kind} (nhận được {value!r})")
        return None
    return number


def _travel_schedules(
    label: str,
    name: str,
    count: object,
    item: dict[str, Any],
    known: list[str],
    coords: dict[str, tuple[float, float]],
    problems: list[str],
) -> TeamType | None:
    before = len(problems)
    travel = item["travel"]
    shift = _positive_number(label, "shift_minutes", item.get("shift_minutes"), problems)
    dwell = _positive_number(label, "dwell_minutes", item.get("dwell_minutes", 0), problems, zero=True)
    max_targets = item.get("max_targets")
    if not _is_count(max_targets) or max_targets < 1 or max_targets > 6:
        problems.append(f"{label}: max_targets phải là số nguyên từ 1 đến 6 (nhận được {max_targets!r})")
    candidates = item.get("targets", known)
    if not _id_list(candidates):
        problems.append(f"{label}: targets phải là danh sách id mục tiêu")
        return None
    unknown = [t for t in candidates if t not in set(known)]
    problems.extend(f"{label}: mục tiêu '{t}' trong targets không tồn tại" for t in unknown)
    candidates = [t for t in dict.fromkeys(candidates) if t in set(known)]
    position = {t: i for i, t in enumerate(known)}
    n = len(known)
    minutes = np.full((n, n), np.inf)
    if not isinstance(travel, dict):
        problems.append(f"{label}: travel phải là một đối tượng JSON")
        return None
    if "minutes" in travel:
        matrix = travel["minutes"]
        if not isinstance(matrix, dict):
            problems.append(f"{label}: travel.minutes phải là đối tượng {{id: {{id: phút}}}}")
            return None
        for a, row in matrix.items():
            if a not in position or not isinstance(row, dict):
                problems.append(f"{label}: travel.minutes có mục tiêu '{a}' không tồn tại hoặc không hợp lệ")
                continue
            for b, value in row.items():
                if b not in position:
                    problems.append(f"{label}: travel.minutes['{a}'] có mục tiêu '{b}' không tồn tại")
                    continue
                number = _positive_number(label, f"travel.minutes['{a}']['{b}']", value, problems, zero=True)
                if number is not None:
                    i, j = position[a], position[b]
                    minutes[i, j] = min(minutes[i, j], number)
                    minutes[j, i] = min(minutes[j, i], number)
    else:
        speed = _positive_number(label, "travel.speed_kmh", travel.get("speed_kmh"), problems)
        detour = _number(travel.get("detour", 1.3))
        if detour is None or not math.isfinite(detour) or detour < 1:
            problems.append(f"{label}: travel.detour phải là số >= 1 (nhận được {travel.get('detour')!r})")
        missing = [t for t in candidates if t not in coords]
        problems.extend(
            f"Mục tiêu '{t}': thiếu lat/lon (cần cho travel của loại đội '{name}')" for t in missing
        )
        if len(problems) > before or speed is None or detour is None:
            return None
        lat = np.array([coords.get(t, (0.0, 0.0))[0] for t in known])
        lon = np.array([coords.get(t, (0.0, 0.0))[1] for t in known])
        minutes = great_circle_minutes(lat, lon, speed, detour)
    if len(problems) > before or shift is None or dwell is None:
        return None
    np.fill_diagonal(minutes, 0.0)
    try:
        found = generate_schedules(
            [position[t] for t in candidates], minutes, shift, dwell, int(max_targets), name
        )
    except GameError as exc:
        problems.extend(exc.messages)
        return None
    if not found:
        problems.append(f"{label}: không có tuyến nào khả thi trong shift_minutes")
        return None
    schedules = tuple(tuple(known[i] for i in s) for s in found)
    targets = tuple(dict.fromkeys(t for s in schedules for t in s))
    return TeamType(name, 0, targets, schedules)


def _parse_attacker_types(
    raw: object, ids: list[str], problems: list[str]
) -> tuple[list[AttackerType], FloatArray | None]:
    """Attacker types with their priors and ``(K, 4, n)`` payoffs (every target, every field)."""
    if not isinstance(raw, list) or not raw:
        problems.append("attacker_types phải là danh sách loại đối tượng không rỗng")
        return [], None
    types: list[AttackerType] = []
    tables: list[list[list[float]]] = []
    seen: set[str] = set()
    position = {t: i for i, t in enumerate(ids)}
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            problems.append(f"attacker_types: loại đối tượng thứ {number} phải là một đối tượng JSON")
            continue
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append(f"attacker_types: loại đối tượng thứ {number}: name phải là chuỗi không rỗng")
            continue
        label = f"Loại đối tượng '{name}'"
        if name in seen:
            problems.append(f"{label}: name bị trùng lặp")
            continue
        seen.add(name)
        prior = _number(item.get("prior"))
        if prior is None or not math.isfinite(prior) or not 0 <= prior <= 1:
            problems.append(f"{label}: prior phải là số trong khoảng 0..1 (nhận được {item.get('prior')!r})")
        rows: list[list[float] | None] = [None] * len(ids)
        entries = item.get("targets")
        if not isinstance(entries, list):
            problems.append(f"{label}: targets phải là danh sách lợi ích theo mục tiêu")
            continue
        before = len(problems)
        for entry in entries:
            target_id = entry.get("id") if isinstance(entry, dict) else None
            if not isinstance(target_id, str) or target_id not in position:
                problems.append(f"{label}: mục tiêu {target_id!r} trong targets không tồn tại")
                continue
            if rows[position[target_id]] is not None:
                problems.append(f"{label}: mục tiêu '{target_id}' bị lặp trong targets")
                continue
            row = _payoff_row(f"{label}, mục tiêu '{target_id}'", entry, problems)
            if len(row) == len(PAYOFF_FIELDS):
                rows[position[target_id]] = row
        missing = [ids[i] for i, row in enumerate(rows) if row is None]
        if len(problems) == before:
            problems.extend(f"{label}: thiếu lợi ích cho mục tiêu '{t}'" for t in missing)
        if len(problems) > before or prior is None:
            continue
        table = np.array(rows, dtype=np.float64).T
        type_problems = payoff_problems(ids, *table)
        problems.extend(f"{label}: {p}" for p in type_problems)
        if not type_problems:
            types.append(AttackerType(name, prior))
            tables.append(rows)  # type: ignore[arg-type]
    if types and len(types) == len(raw):
        total = sum(t.prior for t in types)
        if abs(total - 1.0) > 1e-9:
            problems.append(f"attacker_types: tổng prior phải bằng 1 (nhận được {total:g})")
    if not tables:
        return types, None
    return types, np.array(tables, dtype=np.float64).transpose(0, 2, 1)


def _parse_plan(data: dict[str, Any], problems: list[str]) -> tuple[str, float | None, float | None, str]:
    plan = data.get("plan", "sse")
    if plan not in PLANS:
        problems.append(f"plan phải là một trong {', '.join(PLANS)} (nhận được {plan!r})")
        plan = "sse"
    beta = lam = None
    if "beta" in data:
        beta = _number(data["beta"])
        if beta is None or not math.isfinite(beta) or beta < 0:
            problems.append(f"beta phải là số không âm (nhận được {data['beta']!r})")
            beta = None
        elif plan != "match":
            problems.append("beta chỉ dùng với plan 'match'")
    elif plan == "match":
        problems.append("plan 'match' cần trường beta (số không âm)")
    if "lambda" in data:
        lam = _number(data["lambda"])
        if lam is None or not math.isfinite(lam) or lam < 0:
            problems.append(f"lambda phải là số không âm (nhận được {data['lambda']!r})")
            lam = None
    elif plan == "qr":
        problems.append("plan 'qr' cần trường lambda (số không âm)")
    solver = data.get("solver", "auto")
    if solver not in ("auto", "exact", "heuristic"):
        problems.append(f"solver phải là auto, exact hoặc heuristic (nhận được {solver!r})")
        solver = "auto"
    return plan, beta, lam, solver


def parse_game(data: object) -> Game:
    """Validate a decoded GAME.json and return a :class:`Game`; raise :class:`GameError` listing
    every problem otherwise."""
    if not isinstance(data, dict):
        raise GameError("Tệp trò chơi phải là một đối tượng JSON")
    problems: list[str] = []
    typed_attackers = "attacker_types" in data
    ids, names, rows, coords = _parse_targets(data.get("targets"), problems, need_payoffs=not typed_attackers)
    payoffs: FloatArray | None = None
    if rows and not typed_attackers:
        payoffs = np.array(rows, dtype=np.float64).T
        problems.extend(payoff_problems(ids, *payoffs))
    attacker_types: list[AttackerType] | None = None
    type_payoffs: FloatArray | None = None
    if typed_attackers and ids:
        attacker_types, type_payoffs = _parse_attacker_types(data["attacker_types"], ids, problems)
    plan, beta, lam, solver = _parse_plan(data, problems)
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
        teams = _parse_teams(data["teams"], ids, coords, problems)
    if plan == "match" and attacker_types and sum(1 for a in attacker_types if a.prior > 0) > 1:
        problems.append("plan 'match' chỉ dùng được với một loại đối tượng (attacker_types có prior > 0)")
    if problems:
        raise GameError(problems)
    return Game(
        tuple(ids),
        tuple(names),
        payoffs,
        resources,
        None if teams is None else tuple(teams),
        None if attacker_types is None else tuple(attacker_types),
        type_payoffs,
        plan,
        beta,
        lam,
        solver,
    )


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


DEFAULT_BETA = 1.0
"""MATCH's ``beta`` used by ``--compare`` when the game gives none."""


def _judge(game: Game, coverage: FloatArray) -> dict[str, float]:
    return evaluate(
        coverage, game.all_payoffs, game.priors, game.lam if game.lam is not None else DEFAULT_LAMBDA
    )


def _plan_json(game: Game, result: PlanResult) -> dict[str, Any]:
    payoffs, priors = game.all_payoffs, game.priors
    response = best_responses(result.coverage, payoffs)
    main = int(np.argmax(priors))
    ud, ua = utilities(result.coverage, payoffs)
    top = ua[main].max()
    scale = max(1.0, float(np.abs(payoffs[main, 2:]).max()))
    attack_set = np.flatnonzero(ua[main] >= top - TIE_TOLERANCE * scale)
    out: dict[str, Any] = {
        "coverage": {target: float(c) for target, c in zip(game.ids, result.coverage, strict=True)},
        "attacked_target": game.ids[response.attacked[main]],
        "attack_set": [game.ids[t] for t in attack_set],
        "defender_utility": float(priors @ response.defender_utility),
        "attacker_utility": float(priors @ response.attacker_utility),
        "plan": result.plan,
        "exact": result.exact,
    }
    if result.value is not None:
        out["plan_value"] = result.value
    if game.attacker_types is not None:
        out["attacked_target_by_type"] = {
            a.name: game.ids[t] for a, t in zip(game.attacker_types, response.attacked, strict=True)
        }
        out["attacker_utility_by_type"] = {
            a.name: float(v) for a, v in zip(game.attacker_types, response.attacker_utility, strict=True)
        }
    if result.coverage_by_type is not None and game.teams is not None:
        out["coverage_by_team"] = {
            team.type: {game.ids[t]: float(row[t]) for t in np.flatnonzero(row > 0)}
            for team, row in zip(game.teams, result.coverage_by_type, strict=True)
        }
    if result.joint_weights is not None and result.joint_assignments is not None and game.teams is not None:
        marginal: dict[tuple[int, int], float] = {}
        joint = []
        for w, assignment in zip(result.joint_weights, result.joint_assignments, strict=True):
            for key in assignment:
                marginal[key] = marginal.get(key, 0.0) + float(w)
            joint.append({"probability": float(w), "routes": _routes(game, assignment)})
        out["coverage_by_schedule"] = {
            team.type: [
                {"targets": list(team.schedules[s]), "probability": p}  # type: ignore[index]
                for (j, s), p in sorted(marginal.items())
                if j == index and team.schedules is not None
            ]
            for index, team in enumerate(game.teams)
        }
        out["joint_schedules"] = joint
    return out


def _routes(game: Game, assignment: tuple[tuple[int, int], ...]) -> list[dict[str, Any]]:
    assert game.teams is not None
    routes = []
    for j, s in sorted(assignment):
        team = game.teams[j]
        targets = team.schedules[s] if team.schedules is not None else (team.targets[s],)
        routes.append({"team": team.type, "targets": list(targets)})
    return routes


def solve(game: Game, compare: bool = False) -> dict[str, Any]:
    """Solve a game with its plan; return the solution as a JSON-ready dict (see
    ``docs/allocation.md``). ``evaluation`` judges the plan — and the Stackelberg plan, or with
    ``compare`` all three plans — against a perfect attacker and a quantal-response one."""
    result = compute_plan(game)
    out = _plan_json(game, result)
    judged = {result.plan: _judge(game, result.coverage)}
    others = [p for p in PLANS if p != result.plan] if compare else ([] if result.plan == "sse" else ["sse"])
    for name in others:
        variant = replace(
            game,
            plan=name,
            beta=game.beta if game.beta is not None else DEFAULT_BETA,
            lam=game.lam if game.lam is not None else DEFAULT_LAMBDA,
        )
        judged[name] = _judge(game, compute_plan(variant).coverage)
    out["evaluation"] = {
        "lambda": game.lam if game.lam is not None else DEFAULT_LAMBDA,
        "plans": {name: judged[name] for name in PLANS if name in judged},
    }
    return out


def sample(game: Game, days: int, seed: int) -> dict[str, Any]:
    """Solve, then draw ``days`` daily orders reproducibly from ``seed``.

    Returns ``{"days": [[{"target": id, "team": type or None}, ...], ...]}``; for patrol routes
    each entry is ``{"team": type, "targets": [ids in visiting order]}`` (one per busy team).
    """
    rng = np.random.default_rng(seed)
    result = compute_plan(game)
    schedule: list[list[dict[str, Any]]] = []
    if result.joint_weights is not None and result.joint_assignments is not None:
        for _ in range(days):
            pick = int(rng.choice(result.joint_weights.size, p=result.joint_weights))
            schedule.append(_routes(game, result.joint_assignments[pick]))
    elif result.coverage_by_type is None or game.teams is None:
        resources = game.resources if game.resources is not None else 0
        for _ in range(days):
            picked = comb_day(result.coverage, resources, rng)
            schedule.append([{"target": game.ids[t], "team": None} for t in picked])
    else:
        counts, _ = game.team_matrix()
        decomposition = decompose(result.coverage_by_type, counts)
        for _ in range(days):
            day = sorted(decomposition_day(decomposition, rng))
            schedule.append([{"target": game.ids[t], "team": game.teams[j].type} for t, j in day])
    return {"days": schedule}
