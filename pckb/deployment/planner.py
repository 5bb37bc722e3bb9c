"""The planner's arithmetic, on plain data (no ORM): the payoff rule, the game in the CLI's ``GAME.json``
format, the solution, the two baselines, the robust plans and the daily orders. Only the public API of
``pckb.allocation`` is used (``games.parse_game``/``solve``/``sample``, ``evaluation.best_responses``), so
``pckb allocate solve`` on the saved game gives the saved solution.

The payoff rule (docs/deployment.md), for a target whose latest risk assessment scored ``s`` (5–25):

* ``defender_uncovered = −s × defender_weight``, ``defender_covered = defender_uncovered × covered_fraction``;
* ``attacker_uncovered = s × attacker_weight``,
  ``attacker_covered = −s × attacker_weight × attacker_penalty``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from pckb.allocation.errors import GameError
from pckb.allocation.evaluation import best_responses
from pckb.allocation.games import Game, parse_game, sample, solve
from pckb.allocation.payoffs import PAYOFF_FIELDS
from pckb.allocation.routes import great_circle_minutes
from pckb.deployment import choices as c


@dataclass(frozen=True)
class TargetRow:
    pk: int
    name: str
    score: int
    level: int
    category_id: int
    unit: str = ""
    classification: int = 0
    #: The target's point, or its commune's centre (as the map places it); ``None`` when neither is known.
    lat: float | None = None
    lon: float | None = None
    #: The latest assessment's five ratings in :data:`choices.CRITERIA` order (for attacker types).
    ratings: tuple[int, ...] = ()

    @property
    def key(self) -> str:
        return f"T{self.pk}"

    @property
    def has_position(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True)
class Patrol:
    """How a mobile team type patrols: its shift and the route rule of the engine's ``travel`` block."""

    shift_start: str = "07:00"
    shift_minutes: int = c.DEFAULT_SHIFT_MINUTES
    dwell_minutes: int = c.DEFAULT_DWELL_MINUTES
    max_targets: int = c.DEFAULT_MAX_TARGETS
    speed_kmh: float = c.DEFAULT_SPEED_KMH
    detour: float = c.DEFAULT_DETOUR


@dataclass(frozen=True)
class TeamRow:
    pk: int
    name: str
    count: int
    category_ids: frozenset[int]
    target_ids: frozenset[int]
    #: The type names categories or targets (some perhaps hidden from the planner): not "everywhere".
    restricted: bool = False
    #: Set for a mobile team type (patrol routes).
    patrol: Patrol | None = None

    def may_cover(self, target: TargetRow) -> bool:
        if not self.restricted and not self.category_ids and not self.target_ids:
            return True
        return target.category_id in self.category_ids or target.pk in self.target_ids


@dataclass(frozen=True)
class Rule:
    defender_weight: float = c.DEFAULT_DEFENDER_WEIGHT
    covered_fraction: float = c.DEFAULT_COVERED_FRACTION
    attacker_weight: float = c.DEFAULT_ATTACKER_WEIGHT
    attacker_penalty: float = c.DEFAULT_ATTACKER_PENALTY

    def defender(self, score: float) -> dict[str, float]:
        du = -score * self.defender_weight
        return {"defender_covered": du * self.covered_fraction, "defender_uncovered": du}

    def attacker(self, score: float) -> dict[str, float]:
        au = score * self.attacker_weight
        return {"attacker_covered": -au * self.attacker_penalty, "attacker_uncovered": au}

    def payoffs(self, score: float) -> dict[str, float]:
        return {**self.defender(score), **self.attacker(score)}


@dataclass(frozen=True)
class AttackerRule:
    """An attacker type: its prior and how it values a target. Its score of a target is the weighted mean
    of the five ratings scaled to the total's range (``5 × Σ wᵢ·rᵢ / Σ wᵢ``: equal weights give the total
    score ``s``), times ``category_factor`` for the categories it prefers; the run's rule turns that score
    into the attacker's two payoffs (the defender's follow the total score ``s`` for every type)."""

    name: str
    prior: float
    weights: tuple[float, ...] = (1.0, 1.0, 1.0, 1.0, 1.0)
    category_ids: frozenset[int] = frozenset()
    category_factor: float = c.DEFAULT_CATEGORY_FACTOR

    def score(self, target: TargetRow) -> float:
        ratings = target.ratings or (target.score / len(c.CRITERIA),) * len(c.CRITERIA)
        total = sum(self.weights)
        value = len(c.CRITERIA) * sum(w * r for w, r in zip(self.weights, ratings, strict=True)) / total
        return value * (self.category_factor if target.category_id in self.category_ids else 1.0)


class PlannerInputError(ValueError):
    """A run the planner refuses before solving: ``field`` names the form field, ``code`` the reason."""

    def __init__(self, field: str, code: str, **params):
        super().__init__(code)
        self.field, self.code, self.params = field, code, params


def team_label(team: TeamRow, names: dict[str, int]) -> str:
    """The team type's name in the game (unique: a repeated name gets its number)."""
    return team.name if names[team.name] == 1 else f"{team.name} (#{team.pk})"


def build_game(
    targets: list[TargetRow],
    teams: list[TeamRow],
    rule: Rule,
    attackers: list[AttackerRule] | None = None,
    *,
    plan: str = c.Plan.SSE,
    beta: float = c.DEFAULT_BETA,
    lam: float = c.DEFAULT_LAMBDA,
) -> tuple[dict[str, Any], list[str]]:
    """The game in ``GAME.json`` format, and the names of team types that may cover none of the targets
    (left out). A mobile team type carries the engine's ``travel`` block over the targets it may cover that
    have a position (the targets then carry ``lat``/``lon``); with ``attackers`` the game carries
    ``attacker_types`` (the top-level targets then keep only id, name and position). Raises
    :class:`PlannerInputError` when a mobile type would route over more than ``ROUTE_TARGET_LIMIT``
    targets."""
    names: dict[str, int] = {}
    for team in teams:
        names[team.name] = names.get(team.name, 0) + 1
    keys = [t.key for t in targets]
    categories = [t.category_id for t in targets]
    pks = [t.pk for t in targets]
    placed = {t.key for t in targets if t.has_position}
    game_teams, unused = [], []
    mobile = False
    for team in teams:
        if not team.restricted and not team.category_ids and not team.target_ids:
            allowed = list(keys)
        else:
            cats, tids = team.category_ids, team.target_ids
            allowed = [k for k, c, p in zip(keys, categories, pks, strict=True) if c in cats or p in tids]
        if team.patrol is not None:
            allowed = [k for k in allowed if k in placed]
        if not allowed:
            unused.append(team.name)
            continue
        entry: dict[str, Any] = {"type": team_label(team, names), "count": team.count, "targets": allowed}
        if team.patrol is not None:
            if len(allowed) > c.ROUTE_TARGET_LIMIT:
                raise PlannerInputError(
                    "team_types",
                    "route_limit",
                    team=team.name,
                    count=len(allowed),
                    limit=c.ROUTE_TARGET_LIMIT,
                )
            mobile = True
            patrol = team.patrol
            entry.update(
                {
                    "travel": {"speed_kmh": patrol.speed_kmh, "detour": patrol.detour},
                    "shift_minutes": patrol.shift_minutes,
                    "dwell_minutes": patrol.dwell_minutes,
                    "max_targets": patrol.max_targets,
                }
            )
        game_teams.append(entry)
    game_targets = []
    for t in targets:
        item: dict[str, Any] = {"id": t.key, "name": t.name}
        if mobile and t.has_position:
            item.update({"lat": round(t.lat, 6), "lon": round(t.lon, 6)})  # type: ignore[arg-type]
        if not attackers:
            item.update(rule.payoffs(t.score))
        game_targets.append(item)
    game: dict[str, Any] = {"teams": game_teams, "targets": game_targets}
    if attackers:
        game["attacker_types"] = [
            {
                "name": a.name,
                "prior": a.prior,
                "targets": [
                    {"id": t.key, **rule.defender(t.score), **rule.attacker(a.score(t))} for t in targets
                ],
            }
            for a in attackers
        ]
    game["plan"] = str(plan)
    if plan == c.Plan.MATCH:
        game["beta"] = beta
    game["lambda"] = lam
    return game, unused


def _responses(game: Game, coverage: np.ndarray):
    return best_responses(coverage, game.all_payoffs)


def _loss(game: Game, coverage: np.ndarray) -> tuple[float, str]:
    """Expected loss over the attacker types against a perfect attacker, and the main type's target."""
    response = _responses(game, coverage)
    main = int(np.argmax(game.priors))
    return -float(game.priors @ response.defender_utility), game.ids[int(response.attacked[main])]


def _fixed(game: Game) -> list[int]:
    return [j for j, team in enumerate(game.teams or ()) if team.schedules is None]


def _route_incidence(game: Game, team) -> np.ndarray:
    """``(schedules, n)`` 0/1 matrix of a mobile team type's feasible routes."""
    position = {t: i for i, t in enumerate(game.ids)}
    matrix = np.zeros((len(team.schedules), len(game.ids)))
    for s, route in enumerate(team.schedules):
        matrix[s, [position[t] for t in route]] = 1.0
    return matrix


def uniform_coverage(game: Game) -> np.ndarray:
    """Each fixed team type spreads its teams evenly over the targets it may cover; each mobile team draws
    one of its type's feasible routes uniformly at random."""
    counts, allowed = game.team_matrix()
    fixed = _fixed(game)
    per_target = allowed[fixed] * (counts[fixed] / np.maximum(allowed[fixed].sum(axis=1), 1))[:, None]
    uncovered = 1.0 - np.minimum(per_target.sum(axis=0), 1.0)
    for team in game.teams or ():
        if team.schedules is not None:
            share = _route_incidence(game, team).mean(axis=0)
            uncovered = uncovered * (1.0 - share) ** team.count
    return 1.0 - uncovered


def top_risk_coverage(game: Game) -> np.ndarray:
    """Every fixed team stands permanently at the highest-risk target it may cover that no team guards yet;
    then every mobile team drives, every day, the route that guards the most risk not yet guarded."""
    counts, allowed = game.team_matrix()
    fixed = _fixed(game)
    left = counts.copy()
    coverage = np.zeros(len(game.ids))
    du = game.all_payoffs[0, PAYOFF_FIELDS.index("defender_uncovered")]
    # Types able to go to fewer places choose first, so the flexible ones fill the rest.
    order_types = [j for j in np.argsort(allowed.sum(axis=1), kind="stable") if j in fixed]
    for t in np.argsort(du, kind="stable"):  # most to lose first
        for j in order_types:
            if left[j] > 0 and allowed[j, t]:
                left[j] -= 1
                coverage[t] = 1.0
                break
        if not left[fixed].any():
            break
    for team in game.teams or ():
        if team.schedules is None:
            continue
        routes = _route_incidence(game, team)
        for _team in range(team.count):
            gain = routes @ ((1.0 - coverage) * -du)
            coverage = np.maximum(coverage, routes[int(np.argmax(gain))])
    return coverage


def _robust_plans(game: Game) -> tuple[str, ...]:
    """The plans compared side by side for this game (MATCH needs a single attacker type)."""
    several = int((game.priors > 0).sum()) > 1
    return tuple(p for p in c.Plan.values if not (p == c.Plan.MATCH and several))


def robust_limit(game_json: dict[str, Any]) -> int:
    """Targets up to which the robust plans are computed (patrol routes cost far more)."""
    routes = any("travel" in team for team in game_json.get("teams", ()))
    return c.ROUTE_ROBUST_LIMIT if routes else c.ROBUST_LIMIT


def solve_run(
    game_json: dict[str, Any],
    *,
    beta: float,
    lam: float,
    days: int,
    seed: int,
    start: dt.date,
    shift_starts: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Solve the game with its plan; return the CLI solution and the run's outputs (expected loss, per
    attacker type, baselines, robust plans, orders with each mobile team's route and times). Raises
    :class:`GameError` on a game the engine refuses."""
    game = parse_game(game_json)
    solution = solve(game)
    coverage = np.array([solution["coverage"][t] for t in game.ids])
    loss, _ = _loss(game, coverage)
    baselines = {}
    for key, cov in (("uniform", uniform_coverage(game)), ("top_risk", top_risk_coverage(game))):
        base_loss, attacked = _loss(game, cov)
        baselines[key] = {"expected_loss": base_loss, "attacked_target": attacked}
    ua = game.priors @ (
        coverage * game.all_payoffs[:, 2] + (1 - coverage) * game.all_payoffs[:, 3]
    )  # prior-weighted attacker utility per target
    best = np.argsort(-ua, kind="stable")[:5]
    plan = solution.get("plan", "sse")
    evaluation = solution.get("evaluation", {}).get("plans", {}).get(plan, {})
    outputs: dict[str, Any] = {
        "plan": plan,
        "expected_loss": loss,
        "expected_loss_vs_qr": evaluation.get("expected_loss_vs_qr"),
        "baselines": baselines,
        "attacker_best": [{"target": game.ids[i], "attacker_utility": float(ua[i])} for i in best],
        "by_type": None,
        "robust": None,
        "orders": None,
        "routes": game.has_schedules,
    }
    if game.attacker_types is not None:
        response = _responses(game, coverage)
        outputs["by_type"] = [
            {
                "name": a.name,
                "prior": a.prior,
                "attacked_target": game.ids[int(response.attacked[k])],
                "expected_loss": -float(response.defender_utility[k]),
                "attacker_utility": float(response.attacker_utility[k]),
            }
            for k, a in enumerate(game.attacker_types)
        ]
    if len(game.ids) <= robust_limit(game_json):
        plans = {plan: evaluation}
        for other in _robust_plans(game):
            if other not in plans:
                variant = dataclasses.replace(game, plan=other, beta=beta, lam=lam)
                plans[other] = solve(variant)["evaluation"]["plans"][other]
        outputs["robust"] = {
            "lambda": lam,
            "plans": {name: plans[name] for name in c.Plan.values if name in plans},
        }
    total_teams = sum(team.count for team in game.teams or ())
    if len(game.ids) * total_teams <= c.ORDERS_LIMIT:
        drawn = sample(game, days, seed)["days"]
        outputs["orders"] = daily_orders(game_json, drawn, start, shift_starts or {})
    return {"solution": solution, "outputs": outputs}


def _clock(minutes: float) -> str:
    whole = int(round(minutes)) % (24 * 60)
    return f"{whole // 60:02d}:{whole % 60:02d}"


def route_stops(
    game_json: dict[str, Any], team: dict[str, Any], route: list[str], shift_start: str
) -> list[dict]:
    """A mobile team's stops in visiting order with arrival and leaving times: the team is at its first
    target when the shift starts, stays ``dwell_minutes`` at each, and drives between consecutive targets
    for the travel time of the engine (great-circle distance × detour ÷ speed)."""
    points = {t["id"]: (t.get("lat"), t.get("lon")) for t in game_json["targets"]}
    travel = team.get("travel", {})
    lat = np.array([points[key][0] for key in route], dtype=float)
    lon = np.array([points[key][1] for key in route], dtype=float)
    minutes = great_circle_minutes(
        lat,
        lon,
        float(travel.get("speed_kmh", c.DEFAULT_SPEED_KMH)),
        float(travel.get("detour", c.DEFAULT_DETOUR)),
    )
    hours, mins = (int(x) for x in shift_start.split(":")[:2])
    clock = hours * 60 + mins
    dwell = float(team.get("dwell_minutes", 0))
    stops = []
    for index, key in enumerate(route):
        if index:
            clock += float(minutes[index - 1, index])
        stops.append({"target": key, "arrive": _clock(clock), "leave": _clock(clock + dwell)})
        clock += dwell
    return stops


def daily_orders(
    game_json: dict[str, Any], drawn: list[list[dict]], start: dt.date, shift_starts: dict[str, str]
) -> list[dict[str, Any]]:
    """Per day, one line per team (``Tổ 1`` … of each type): its target, or ``None`` (standby); a mobile
    team's line also has its route's ``stops`` (target, arrival, leaving) in visiting order."""
    teams = {team["type"]: team for team in game_json["teams"]}
    days = []
    for offset, picks in enumerate(drawn):
        by_type: dict[str, list[list[str]]] = {}
        for pick in picks:
            route = pick["targets"] if "targets" in pick else [pick["target"]]
            by_type.setdefault(pick["team"], []).append(route)
        lines = []
        for team in game_json["teams"]:
            assigned = by_type.get(team["type"], [])
            mobile = "travel" in team
            for number in range(1, team["count"] + 1):
                route = assigned[number - 1] if number <= len(assigned) else None
                line: dict[str, Any] = {
                    "team": team["type"],
                    "number": number,
                    "target": route[0] if route else None,
                }
                if mobile:
                    start_at = shift_starts.get(team["type"], "07:00")
                    line["stops"] = (
                        route_stops(game_json, teams[team["type"]], route, start_at) if route else []
                    )
                lines.append(line)
        days.append({"date": (start + dt.timedelta(days=offset)).isoformat(), "teams": lines})
    return days


__all__ = [
    "AttackerRule",
    "GameError",
    "Patrol",
    "PlannerInputError",
    "Rule",
    "TargetRow",
    "TeamRow",
    "build_game",
    "solve_run",
]
