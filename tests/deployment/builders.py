"""Test data of the planner: a category of its own (so a run takes only the test's targets), targets with
risk assessments in Cần Thơ (Ninh Kiều) and TP.HCM, team types and runs built through the service."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

from django.utils import timezone

from pckb.accounts.models import User
from pckb.core.choices import Classification
from pckb.deployment.models import PlanningRun, TeamType
from pckb.deployment.services import planning_run_create
from pckb.geo.models import AdministrativeUnit
from pckb.protection.models import RiskAssessment, Target, TargetCategory
from tests.plans.builders import committee

MARKER = "thử nghiệm bố trí"
COMMUNES = {"P92": "X31135", "P79": "X26743"}


def category() -> TargetCategory:
    cat, _ = TargetCategory.objects.get_or_create(
        code="thu-nghiem-bo-tri", defaults={"name": "Loại thử nghiệm bố trí"}
    )
    return cat


def make_target(
    name: str, province: str = "P92", *, ratings=(3, 3, 3, 3, 3), classification=0, position=None
) -> Target:
    target = Target.objects.create(
        name=name,
        category=category(),
        unit=AdministrativeUnit.objects.get(code=COMMUNES[province]),
        managing_name="Đơn vị quản lý thử nghiệm",
        classification=classification,
        latitude=position[0] if position else None,
        longitude=position[1] if position else None,
    )
    day = timezone.localdate() - dt.timedelta(days=30)
    RiskAssessment.objects.create(
        target=target,
        assessed_on=day,
        assessor="Đại úy Nguyễn Văn Thử",
        approved_by_position="Phó Giám đốc Công an thành phố",
        approved_by_name="Trần Văn Duyệt",
        approved_on=day,
        **dict(zip(("criticality", "symbolism", "population", "size", "threat"), ratings, strict=True)),
    )
    return target


def make_team(name: str, province: str = "P92", count: int = 1, **extra) -> TeamType:
    return TeamType.objects.create(committee=committee(province), name=name, count=count, **extra)


def planner_user() -> User:
    """A national standing-office account cleared for Mật (builds runs anywhere)."""
    user, _ = User.objects.get_or_create(
        username="bo-tri.thu",
        defaults={
            "role": "national_office",
            "scope_unit": AdministrativeUnit.objects.get(code="VN"),
            "clearance": Classification.CONFIDENTIAL,
        },
    )
    return user


def make_run(title: str, province: str, teams, *, actor=None, attacker_types=(), **extra) -> PlanningRun:
    run = PlanningRun(
        committee=committee(province),
        title=title,
        category=category(),
        start_date=timezone.localdate() + dt.timedelta(days=1),
        days=extra.pop("days", 3),
        seed=extra.pop("seed", 7),
        **extra,
    )
    return planning_run_create(
        actor=actor or planner_user(), run=run, team_types=teams, attacker_types=attacker_types
    )


def build_runs() -> dict:
    """Runs in Cần Thơ (Thường), TP.HCM, and a Cần Thơ run holding a Mật target."""
    ct = [
        make_target(f"Nhà ga {MARKER} A", ratings=(5, 4, 4, 3, 3)),
        make_target(f"Chợ {MARKER} B", ratings=(2, 2, 4, 2, 2)),
        make_target(f"Bến tàu {MARKER} C", ratings=(3, 3, 3, 3, 4)),
    ]
    hcm = [
        make_target(f"Cảng {MARKER} HCM", "P79"),
        make_target(f"Chợ {MARKER} HCM", "P79", ratings=(2, 2, 2, 2, 2)),
    ]
    ct_team = make_team(f"Tổ tuần tra {MARKER}", count=2)
    hcm_team = make_team(f"Tổ tuần tra {MARKER} HCM", "P79")
    scoped = make_run(f"Phương án {MARKER} Cần Thơ", "P92", [ct_team])
    outside = make_run(f"Phương án {MARKER} TP.HCM", "P79", [hcm_team])
    secret_target = make_target(f"Kho {MARKER} mật", ratings=(5, 5, 5, 5, 5), classification=1)
    secret = make_run(f"Phương án {MARKER} có mục tiêu mật", "P92", [ct_team])
    return {
        "ct": ct,
        "hcm": hcm,
        "secret_target": secret_target,
        "teams": {"ct": ct_team, "hcm": hcm_team},
        "runs": {"in": scoped, "out": outside, "secret": secret},
    }


def api_and_cli_solutions(client, run, tmp_path) -> tuple[dict, dict]:
    """The run's solution as the API gives it, and the CLI's solution of the game the API exports."""
    game = client.get(f"/api/v1/deployment/runs/{run.pk}/game").json()["game"]
    solution = client.get(f"/api/v1/deployment/runs/{run.pk}/solution").json()["solution"]
    path = tmp_path / "GAME.json"
    path.write_text(json.dumps(game, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pckb.allocation", "solve", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return solution, json.loads(done.stdout)


def run_form_data(team, **fields) -> dict:
    """The planner form's fields for a run of ``team``'s committee starting tomorrow (``fields`` override)."""
    return {
        "committee": team.committee_id,
        "title": f"Phương án {MARKER} qua biểu mẫu",
        "category": category().pk,
        "min_level": 1,
        "team_types": [team.pk],
        "defender_weight": "1",
        "covered_fraction": "0,2",
        "attacker_weight": "1",
        "attacker_penalty": "0,5",
        "plan": "sse",
        "beta": "1",
        "lam": "1",
        "start_date": (timezone.localdate() + dt.timedelta(days=1)).strftime("%d/%m/%Y"),
        "days": 3,
        "seed": 5,
        "classification": 0,
        **fields,
    }
