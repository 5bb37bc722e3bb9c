"""Check-in benchmark: the door of a 500-delegate conference, as the check-in page drives it.

    .venv/bin/python bench/training_checkin.py            # builds var/bench/training.sqlite3 on first run
    .venv/bin/python bench/training_checkin.py --fresh    # rebuild the database

Measured in-process through ``django.test.Client`` (no network), logged in as the provincial office of Cần
Thơ, with the ``HX-Request: true`` header the page sends:

* check-in: POST of a personal code to ``/tap-huan/hoi-nghi/<id>/diem-danh/``, 500 different codes (the
  write path: row lock, update, audit entry, attendance board re-rendered), then 100 codes again (the
  idempotent "already checked in" path);
* the live attendance board: GET ``?board=1``, polled by the page.

Results go to ``bench/results/training_checkin.json`` (git-ignored). Target: p95 ≤ 100 ms. All names are
fictional (drawn from ``pckb.demo.names``).
"""

from __future__ import annotations

import argparse
import gc
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
DEFAULT_DB = BENCH_VAR / "training.sqlite3"
RESULTS_FILE = ROOT / "bench" / "results" / "training_checkin.json"
SEED = 20260611
TARGET_P95_MS = 100.0
USERNAME = "vptt.cantho"
BENCH_TITLE = "Hội nghị tập huấn công tác phòng, chống khủng bố (đo hiệu năng điểm danh)"
AGENCIES = 10


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=500, help="delegates of the conference")
    parser.add_argument("--repeats", type=int, default=100, help="second check-ins (idempotent path)")
    parser.add_argument("--board", type=int, default=500, help="timed attendance-board requests")
    parser.add_argument("--warmup", type=int, default=10, help="untimed requests of each kind first")
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

    settings.DEBUG = False  # like production: no query log, no template debug info
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


# --- Data -----------------------------------------------------------------------------------------------
def prepare(n: int):
    """Migrate, load the demo (once), and make sure the bench conference has ``n`` delegates, none checked
    in. Returns the conference."""
    import datetime as dt

    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from pckb.demo.names import GIVEN, MIDDLE, SURNAMES
    from pckb.demo.services import demo_load
    from pckb.directory.models import Agency, Committee, Person
    from pckb.training.models import Conference, Invitation, Participant, new_code

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    demo_load(password=bench_password(), accounts_file=BENCH_VAR / "training-accounts.txt")
    committee = Committee.objects.select_related("unit").get(unit__code="P92")
    conference = Conference.objects.filter(title=BENCH_TITLE).first()
    if conference is None:
        start = timezone.now() + dt.timedelta(days=30)
        conference = Conference.objects.create(
            committee=committee,
            title=BENCH_TITLE,
            start=start,
            end=start + dt.timedelta(hours=4),
            venue="Hội trường Ủy ban nhân dân thành phố Cần Thơ",
            venue_unit=committee.unit,
        )
    have = conference.participants.count()
    if have < n:
        rng = random.Random(SEED)
        agencies = list(Agency.objects.filter(unit=committee.unit).order_by("pk")[:AGENCIES])
        with transaction.atomic():
            invitations = {}
            for agency in agencies:
                invitations[agency.pk], _created = Invitation.objects.get_or_create(
                    conference=conference, agency=agency, defaults={"quota": n}
                )
            for i in range(n - have):
                agency = agencies[i % len(agencies)]
                name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
                person = Person.objects.create(full_name=name, title="Cán bộ", agency=agency)
                Participant.objects.create(
                    conference=conference, person=person, invitation=invitations[agency.pk], code=new_code()
                )
    conference.participants.update(checked_in_at=None)
    print(f"data ready in {time.perf_counter() - started:.1f} s: {conference.participants.count()} delegates")
    return conference


def bench_password() -> str:
    """A password for the demo accounts of the bench database only (never used to log in: force_login)."""
    import secrets

    return "Bench-" + secrets.token_urlsafe(18)


# --- Timing ---------------------------------------------------------------------------------------------
def percentile(values: list[float], pct: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def summary(times: list[float]) -> dict:
    return {
        "n": len(times),
        "p50_ms": round(percentile(times, 50), 2),
        "p95_ms": round(percentile(times, 95), 2),
        "max_ms": round(max(times), 2),
        "mean_ms": round(statistics.fmean(times), 2),
        "meets_target": percentile(times, 95) <= TARGET_P95_MS,
    }


def timed(call) -> tuple[float, object]:
    start = time.perf_counter()
    response = call()
    return (time.perf_counter() - start) * 1000, response


def run(args: argparse.Namespace) -> dict:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from pckb.accounts.models import User

    conference = prepare(args.participants)
    url = reverse("training:checkin", args=[conference.pk])
    client = Client(headers={"HX-Request": "true"})
    client.force_login(User.objects.get(username=USERNAME))
    codes = list(conference.participants.values_list("code", flat=True))
    random.Random(SEED).shuffle(codes)

    for _ in range(args.warmup):  # templates, URL resolver, connection: untimed
        assert client.get(url, {"board": 1}).status_code == 200
        assert b"checkin-error" in client.post(url, {"code": "KHONGCOMA2"}).content

    gc.collect()
    gc.disable()
    try:
        first, again, board = [], [], []
        for code in codes:
            ms, response = timed(lambda code=code: client.post(url, {"code": code}))
            body = response.content.decode()
            if response.status_code != 200 or "Đã điểm danh:" not in body:
                raise SystemExit(f"check-in of {code} failed: {response.status_code} {body[:300]}")
            first.append(ms)
        rng = random.Random(SEED + 1)
        for code in (rng.choice(codes) for _ in range(args.repeats)):
            ms, response = timed(lambda code=code: client.post(url, {"code": code.lower()}))
            if "đã điểm danh trước đó" not in response.content.decode():
                raise SystemExit(f"repeated check-in of {code} was not recognised")
            again.append(ms)
        for _ in range(args.board):
            ms, response = timed(lambda: client.get(url, {"board": 1}))
            if response.status_code != 200 or b"<table" not in response.content:
                raise SystemExit("attendance board failed")
            board.append(ms)
    finally:
        gc.enable()

    attended = conference.participants.filter(checked_in_at__isnull=False).count()
    if attended != len(codes):
        raise SystemExit(f"{attended} of {len(codes)} delegates checked in")
    results = {
        "benchmark": "training_checkin",
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "database": connection.vendor,
        "participants": len(codes),
        "target_p95_ms": TARGET_P95_MS,
        "checkin_first": summary(first),
        "checkin_repeat": summary(again),
        "board": summary(board),
    }
    kinds = ("checkin_first", "checkin_repeat", "board")
    results["meets_target"] = all(results[k]["meets_target"] for k in kinds)
    return results


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    django_setup(args)
    results = run(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(
        f"\nCheck-in round trip, {results['participants']} delegates ({results['database']}), target p95 ≤ "
        f"{TARGET_P95_MS:.0f} ms"
    )
    for key, label in (
        ("checkin_first", "check-in (first time)"),
        ("checkin_repeat", "check-in (again)"),
        ("board", "attendance board"),
    ):
        r = results[key]
        mark = "ok" if r["meets_target"] else "SLOW"
        print(
            f"  {label:24} n={r['n']:4}  p50 {r['p50_ms']:7.2f} ms  p95 {r['p95_ms']:7.2f} ms  "
            f"max {r['max_ms']:7.2f} ms  {mark}"
        )
    print(f"results: {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0 if results["meets_target"] else 1


if __name__ == "__main__":
    sys.exit(main())
