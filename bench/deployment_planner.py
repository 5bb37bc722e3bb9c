"""Force-allocation planner benchmark: a province-sized run, end to end, as the planner page drives it.

    .venv/bin/python bench/deployment_planner.py            # builds var/bench/deployment.sqlite3 on first run
    .venv/bin/python bench/deployment_planner.py --fresh    # rebuild the database

Data: 5,000 fictional targets spread over Cần Thơ's communes, each with a risk assessment (random ratings),
and 20 team types of the Cần Thơ committee (5–30 teams each, each restricted to 3–5 target categories).

Timed, in-process through ``django.test.Client`` logged in as Cần Thơ's provincial office, ``--repeats``
times: the planner form POST (targets read through the access layer with their latest assessment → payoffs
by the rule → solve with ``pckb.allocation`` → both baselines → run saved and audited), then the run's page
GET (render). Stages are timed separately by calling the service. Robust plans (≤ 60 targets) and daily
orders (≤ 60,000 target × team pairs) are out of this size by design (docs/deployment.md).

Target: end to end ≤ 2 s. Results go to ``bench/results/deployment_planner.json``. All names are fictional.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_VAR = ROOT / "var" / "bench"
DEFAULT_DB = BENCH_VAR / "deployment.sqlite3"
RESULTS_FILE = ROOT / "bench" / "results" / "deployment_planner.json"
SEED = 20261206
TARGET_S = 2.0
USERNAME = "vptt.cantho"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--targets", type=int, default=5000)
    parser.add_argument("--team-types", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--fresh", action="store_true", help="rebuild the database")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="SQLite file")
    parser.add_argument("--out", type=Path, default=RESULTS_FILE, help="where to write the JSON results")
    args = parser.parse_args(argv)
    args.db = args.db.resolve()
    return args


def django_setup(args: argparse.Namespace) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "pckb.settings"
    os.environ["PCKB_VAR_DIR"] = str(BENCH_VAR)
    os.environ["PCKB_SQLITE_PATH"] = str(args.db)
    os.environ.pop("PCKB_DATABASE_URL", None)
    os.environ.setdefault("PCKB_LOG_LEVEL", "WARNING")
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    if args.fresh:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{args.db}{suffix}").unlink(missing_ok=True)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def prepare(n: int, types: int):
    """Migrate, load the demo once, and make sure the bench has ``n`` assessed targets and ``types`` team
    types. Returns (committee, team types)."""
    import datetime as dt
    import secrets

    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from pckb.core.text import fold
    from pckb.demo.services import demo_load
    from pckb.deployment.models import TeamType
    from pckb.directory.models import Committee
    from pckb.geo.choices import UnitLevel
    from pckb.geo.models import AdministrativeUnit
    from pckb.protection.models import RiskAssessment, Target, TargetCategory

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    demo_load(
        password="Bench-" + secrets.token_urlsafe(18), accounts_file=BENCH_VAR / "deployment-accounts.txt"
    )
    committee = Committee.objects.select_related("unit").get(unit__code="P92", level="province")
    categories = list(TargetCategory.objects.order_by("pk"))
    rng = random.Random(SEED)
    have = Target.objects.filter(name__startswith="Mục tiêu đo hiệu năng").count()
    if have < n:
        communes = list(
            AdministrativeUnit.objects.filter(path__startswith=committee.unit.path, level=UnitLevel.COMMUNE)
        )
        day = timezone.localdate() - dt.timedelta(days=10)
        with transaction.atomic():
            batch = []
            for i in range(have, n):
                name = f"Mục tiêu đo hiệu năng số {i + 1:05d}"
                batch.append(
                    Target(
                        name=name,
                        category=rng.choice(categories),
                        unit=rng.choice(communes),
                        managing_name="Đơn vị quản lý (đo hiệu năng)",
                        sort_key=fold(name),
                        search_text=fold(name),
                    )
                )
            created = Target.objects.bulk_create(batch, batch_size=500)
            assessments = []
            for target in created:
                a = RiskAssessment(
                    target=target,
                    assessed_on=day,
                    assessor="Cán bộ đo hiệu năng",
                    approved_by_position="Phó Giám đốc",
                    approved_by_name="Người duyệt đo hiệu năng",
                    approved_on=day,
                    **{
                        f: rng.randint(1, 5)
                        for f in ("criticality", "symbolism", "population", "size", "threat")
                    },
                )
                a.compute_score()
                assessments.append(a)
            RiskAssessment.objects.bulk_create(assessments, batch_size=500)
    teams = list(
        TeamType.objects.filter(committee=committee, name__startswith="Loại tổ đo hiệu năng").order_by("pk")
    )
    for j in range(len(teams), types):
        team = TeamType.objects.create(
            committee=committee, name=f"Loại tổ đo hiệu năng {j + 1:02d}", count=rng.randint(5, 30)
        )
        team.categories.set(rng.sample(categories, rng.randint(3, 5)))
        teams.append(team)
    print(f"data ready in {time.perf_counter() - started:.1f} s")
    return committee, teams[:types]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    django_setup(args)
    import datetime as dt

    from django.test import Client
    from django.utils import timezone

    from pckb.accounts.models import User
    from pckb.deployment import planner, selectors
    from pckb.deployment.models import PlanningRun

    committee, teams = prepare(args.targets, args.team_types)
    user = User.objects.get(username=USERNAME)
    client = Client()
    client.force_login(user)
    form = {
        "committee": committee.pk,
        "title": "Phương án đo hiệu năng",
        "min_level": 1,
        "team_types": [t.pk for t in teams],
        "defender_weight": "1",
        "covered_fraction": "0,2",
        "attacker_weight": "1",
        "attacker_penalty": "0,5",
        "beta": "1",
        "lam": "1",
        "start_date": (timezone.localdate() + dt.timedelta(days=1)).strftime("%d/%m/%Y"),
        "days": 7,
        "seed": 1,
        "classification": 0,
    }
    end_to_end, solve_s, page_s, stages = [], [], [], []
    last = None
    for k in range(args.repeats + 1):  # the first one warms caches, untimed
        t0 = time.perf_counter()
        response = client.post("/bo-tri-luc-luong/phuong-an/them/", form)
        t1 = time.perf_counter()
        assert response.status_code == 302, response.content[:2000]
        page = client.get(response["Location"])
        t2 = time.perf_counter()
        assert page.status_code == 200
        last = PlanningRun.objects.order_by("-pk").first()
        # Stages, outside the request: read + payoffs, solve + baselines.
        s0 = time.perf_counter()
        qs = selectors.candidate_targets(user, committee=committee)
        rows = selectors.target_rows(qs)
        team_rows = selectors.team_rows(user, teams)
        game, _unused = planner.build_game(rows, team_rows, planner.Rule())
        s1 = time.perf_counter()
        planner.solve_run(game, beta=1.0, lam=1.0, days=7, seed=1, start=timezone.localdate())
        s2 = time.perf_counter()
        if k:
            end_to_end.append(t2 - t0)
            solve_s.append(t1 - t0)
            page_s.append(t2 - t1)
            stages.append({"read_and_payoffs_s": s1 - s0, "solve_and_baselines_s": s2 - s1})
    result = {
        "bench": "deployment_planner",
        "when": timezone.now().isoformat(),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "targets": last.target_count,
        "team_types": len(teams),
        "teams": last.team_count,
        "repeats": args.repeats,
        "end_to_end_s": {"median": statistics.median(end_to_end), "max": max(end_to_end)},
        "create_request_s": {"median": statistics.median(solve_s), "max": max(solve_s)},
        "page_render_s": {"median": statistics.median(page_s), "max": max(page_s)},
        "stages_median_s": {
            key: statistics.median(s[key] for s in stages)
            for key in ("read_and_payoffs_s", "solve_and_baselines_s")
        },
        "expected_loss": last.expected_loss,
        "baselines": {k: v["expected_loss"] for k, v in last.outputs["baselines"].items()},
        "target_s": TARGET_S,
        "ok": max(end_to_end) <= TARGET_S,
    }
    PlanningRun.objects.filter(title="Phương án đo hiệu năng").delete()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
