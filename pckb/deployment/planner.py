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

    @property
    def key(self) -> str:
        return f"T{self.pk}"


@dataclass(frozen=True)
class TeamRow:
    pk: int
    name: str
    count: int
    category_ids: frozenset[int]
    target_ids: frozenset[int]
    #: The type names categories or targets (some perhaps hidden from the planner): not "everywhere".
    restricted: bool = False

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

    def payoffs(self, score: float) -> dict[str, float]:
        du = -score * self.defender_weight
        au = score * self.attacker_weight
        return {
            "defender_covered": du * self.covered_fraction,
            "defender_uncovered": du,
            "attacker_covered": -au * self.attacker_penalty,
            "attacker_uncovered": au,
        }


def team_label(team: TeamRow, names: dict[str, int]) -> str:
    """The team type's name in the game (unique: a repeated name gets its number)."""
    return team.name if names[team.name] == 1 else f"{team.name} (#{team.pk})"


def build_game(
    targets: list[TargetRow], teams: list[TeamRow], rule: Rule
) -> tuple[dict[str, Any], list[str]]:
    """The game in ``GAME.json`` format, and the names of team types that may cover none of the targets
    (left out)."""
    names: dict[str, int] = {}
    for team in teams:
        names[team.name] = names.get(team.name, 0) + 1
    keys = [t.key for t in targets]
    categories = [t.category_id for t in targets]
    pks = [t.pk for t in targets]
    game_teams, unused = [], []
    for team in teams:
        if not team.restricted and not team.category_ids and not team.target_ids:
            allowed = list(keys)
        else:
            cats, tids = team.category_ids, team.target_ids
            allowed = [k for k, c, p in zip(keys, categories, pks, strict=True) if c in cats or p in tids]
        if not allowed:
            unused.append(team.name)
            continue
        game_teams.append({"type": team_label(team, names), "count": team.count, "targets": allowed})
    game_targets = [{"id": t.key, "name": t.name, **rule.payoffs(t.score)} for t in targets]
    return {"teams": game_teams, "targets": game_targets}, unused


def _payoff_matrix(game: Game):
    return game.all_payoffs  # (1, 4, n)


def _loss(game: Game, coverage: np.ndarray) -> tuple[float, str]:
    response = best_responses(coverage, _payoff_matrix(game))
    return -float(response.defender_utility[0]), game.ids[int(response.attacked[0])]


def uniform_coverage(game: Game) -> np.ndarray:
    """Each team type spreads its teams evenly over the targets it may cover."""
    counts, allowed = game.team_matrix()
    per_target = allowed * (counts / np.maximum(allowed.sum(axis=1), 1))[:, None]
    return np.minimum(per_target.sum(axis=0), 1.0)


def top_risk_coverage(game: Game) -> np.ndarray:
    """Every team stands permanently at the highest-risk target it may cover that no team guards yet."""
    counts, allowed = game.team_matrix()
    left = counts.copy()
    coverage = np.zeros(len(game.ids))
    du = game.all_payoffs[0, PAYOFF_FIELDS.index("defender_uncovered")]
    # Types able to go to fewer places choose first, so the flexible ones fill the rest.
    order_types = np.argsort(allowed.sum(axis=1), kind="stable")
    for t in np.argsort(du, kind="stable"):  # most to lose first
        for j in order_types:
            if left[j] > 0 and allowed[j, t]:
                left[j] -= 1
                coverage[t] = 1.0
                break
        if not left.any():
            break
    return coverage


def solve_run(
    game_json: dict[str, Any], *, beta: float, lam: float, days: int, seed: int, start: dt.date
) -> dict[str, Any]:
    """Solve the game; return the CLI solution and the run's outputs (baselines, robust plans, orders).
    Raises :class:`GameError` on a game the engine refuses."""
    game = parse_game(game_json)
    solution = solve(game)
    coverage = np.array([solution["coverage"][t] for t in game.ids])
    sse_loss, _ = _loss(game, coverage)
    baselines = {}
    for key, cov in (("uniform", uniform_coverage(game)), ("top_risk", top_risk_coverage(game))):
        loss, attacked = _loss(game, cov)
        baselines[key] = {"expected_loss": loss, "attacked_target": attacked}
    ua = coverage * game.all_payoffs[0, 2] + (1 - coverage) * game.all_payoffs[0, 3]
    best = np.argsort(-ua, kind="stable")[:5]
    outputs: dict[str, Any] = {
        "expected_loss": sse_loss,
        "baselines": baselines,
        "attacker_best": [{"target": game.ids[i], "attacker_utility": float(ua[i])} for i in best],
        "robust": None,
        "orders": None,
    }
    if len(game.ids) <= c.ROBUST_LIMIT:
        variant = dataclasses.replace(game, beta=beta, lam=lam)
        outputs["robust"] = solve(variant, compare=True)["evaluation"]
    total_teams = sum(team.count for team in game.teams or ())
    if len(game.ids) * total_teams <= c.ORDERS_LIMIT:
        drawn = sample(game, days, seed)["days"]
        outputs["orders"] = daily_orders(game_json, drawn, start)
    return {"solution": solution, "outputs": outputs}


def daily_orders(game_json: dict[str, Any], drawn: list[list[dict]], start: dt.date) -> list[dict[str, Any]]:
    """Per day, one line per team (``Tổ 1`` … of each type): its target, or ``None`` (standby)."""
    days = []
    for offset, picks in enumerate(drawn):
        by_type: dict[str, list[str]] = {}
        for pick in picks:
            by_type.setdefault(pick["team"], []).append(pick["target"])
        lines = []
        for team in game_json["teams"]:
            assigned = by_type.get(team["type"], [])
            for number in range(1, team["count"] + 1):
                target = assigned[number - 1] if number <= len(assigned) else None
                lines.append({"team": team["type"], "number": number, "target": target})
        days.append({"date": (start + dt.timedelta(days=offset)).isoformat(), "teams": lines})
    return days


__all__ = ["GameError", "Rule", "TargetRow", "TeamRow", "build_game", "solve_run"]
