"""Audit concurrency benchmark: do reads of classified records slow down writers? (PostgreSQL only)

    PCKB_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/pckb_bench \
        .venv/bin/python bench/audit_concurrency.py
    … bench/audit_concurrency.py --quick              # 8 s per phase instead of 20
    … bench/audit_concurrency.py --reader-nice 19     # readers yield the CPU: lock effects only

Every write (a durable transaction that updates an agency and appends its audit entry) and every read of a
classified record (the access-checked fetch and its ``view`` audit entry, as the detail page does it) is
audited.
The chain has one lock: a writer holds it from its audit append until its transaction commits. Phases:

* ``baseline``: writers alone;
* ``queued``: the same writers with 50 concurrent classified readers, reads audited as shipped (queued with a
  MAC, no chain lock; the Huey worker, started here as ``pckb worker``, seals them into the chain in batches);
* ``locked``: the same readers, reads appended under the chain lock as before (for comparison only).

Readers run in separate processes (10 threads each) so their Python work does not hold the writers' GIL; each
reader pauses ``--think`` seconds between reads. Template rendering is left out of both sides: it costs CPU,
not the chain lock, and on a small shared box would measure the CPU, not the design.

Target: write p95 with readers ≤ 2× the baseline p95. Results go to ``bench/results/audit_concurrency.json``.
The database must be PostgreSQL and dedicated to this bench (the demo is loaded into it once):
``PCKB_AUDIT_BENCH_DATABASE_URL``, else ``PCKB_DATABASE_URL``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_VAR = ROOT / "var" / "bench" / "audit"
RESULTS_FILE = ROOT / "bench" / "results" / "audit_concurrency.json"
SEED = 20261201
TARGET_RATIO = 2.0
READER = "lanhdao.cantho"  # provincial leadership of Cần Thơ: may read its classified records
WRITER = "vptt.cantho"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=50, help="concurrent classified readers")
    parser.add_argument("--reader-processes", type=int, default=5, help="processes the readers run in")
    parser.add_argument("--writers", type=int, default=2, help="concurrent writer threads")
    parser.add_argument("--seconds", type=float, default=20.0, help="timed length of each phase")
    parser.add_argument("--warmup", type=float, default=3.0, help="untimed seconds at the start of a phase")
    parser.add_argument("--think", type=float, default=0.5, help="pause of a reader between reads (s)")
    parser.add_argument("--write-think", type=float, default=0.02, help="pause of a writer between writes")
    parser.add_argument("--reader-nice", type=int, default=0,
                        help="niceness of the reader processes (to tell CPU starvation from lock waits)")
    parser.add_argument("--skip-locked", action="store_true", help="leave out the comparison phase")
    parser.add_argument("--quick", action="store_true", help="8 s per phase")
    parser.add_argument("--out", type=Path, default=RESULTS_FILE, help="where to write the JSON results")
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds, args.warmup = 8.0, 2.0
    return args


def django_setup() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "pckb.settings"
    os.environ["PCKB_VAR_DIR"] = str(BENCH_VAR)
    os.environ.setdefault("PCKB_LOG_LEVEL", "WARNING")
    os.environ.pop("PCKB_TESTING", None)
    if os.environ.get("PCKB_AUDIT_BENCH_DATABASE_URL"):  # children inherit it
        os.environ["PCKB_DATABASE_URL"] = os.environ["PCKB_AUDIT_BENCH_DATABASE_URL"]
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("PCKB_DATABASE_URL", "").startswith("postgres"):
        raise SystemExit(
            "bench/audit_concurrency.py needs PostgreSQL: set "
            "PCKB_DATABASE_URL=postgresql://…/<bench database> "
            "(SQLite serialises every writer whatever the audit does)."
        )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False


def prepare() -> dict:
    """Migrate, load the demo once; return the ids the readers and writers use."""
    from django.core.management import call_command

    from pckb.accounts.models import User
    from pckb.core import access
    from pckb.demo.services import demo_load
    from pckb.directory.models import Agency, Person

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if not User.objects.filter(username=READER).exists():
        import secrets

        demo_load(password="Bench-" + secrets.token_urlsafe(18), accounts_file=BENCH_VAR / "accounts.txt")
    reader = User.objects.get(username=READER)
    secret = list(
        access.restrict(Person.objects.filter(classification__gt=0), reader, access.VIEW).values_list(
            "pk", flat=True
        )
    )
    if not secret:
        raise SystemExit(f"{READER} can read no classified record in the bench database")
    agencies = list(Agency.objects.filter(unit__code="P92").order_by("pk").values_list("pk", flat=True)[:20])
    print(f"data ready in {time.perf_counter() - started:.1f} s: {len(secret)} classified records readable")
    return {"secret": secret, "agencies": agencies}


# --- Readers (child processes) --------------------------------------------------------------------------
def reader_process(mode: str, threads: int, ids: list[int], think: float, nice: int, stop, counts, ready):
    if nice:
        os.nice(nice)
    django_setup()
    from django.db import connection

    from pckb.accounts.models import User
    from pckb.audit import services
    from pckb.audit.choices import AuditAction
    from pckb.core import access
    from pckb.directory.models import Person

    total = [0] * threads

    def loop(slot: int) -> None:
        rng = random.Random(SEED + os.getpid() * 100 + slot)
        user = User.objects.select_related("scope_unit").get(username=READER)
        ready.release()
        try:
            while not stop.is_set():
                obj = access.restrict(Person.objects.all(), user, access.VIEW).get(pk=rng.choice(ids))
                if mode == "locked":  # the path before this change: every read takes the chain lock
                    services._chain_append(_view_fields(user, obj))
                else:
                    services.audit_record(actor=user, action=AuditAction.VIEW, obj=obj)
                total[slot] += 1
                if think:
                    time.sleep(think * rng.uniform(0.5, 1.5))
        finally:
            connection.close()

    workers = [threading.Thread(target=loop, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    counts.put(sum(total))


def _view_fields(user, obj) -> dict:
    from django.utils import timezone

    return {
        "time": timezone.now(),
        "user": user,
        "username": user.get_username(),
        "ip": "127.0.0.1",
        "request_id": "",
        "source": "bench",
        "action": "view",
        "object_type": obj._meta.label_lower,
        "object_id": str(obj.pk),
        "object_repr": str(obj)[:300],
        "unit_path": obj.get_unit().path,
        "classification": int(obj.classification),
    }


# --- Writers (threads of this process) ------------------------------------------------------------------
_lock_waits = threading.local()


def instrument_lock_wait() -> None:
    """Time how long each writer waits for the chain lock (this process only: the writers)."""
    from pckb.audit import services

    take = services._lock_head

    def timed_lock_head():
        started = time.perf_counter()
        try:
            return take()
        finally:
            _lock_waits.last = (time.perf_counter() - started) * 1000

    services._lock_head = timed_lock_head


def writer_loop(slot: int, agencies: list[int], think: float, stop, record, times: list, audit: list) -> None:
    from django.db import connection, transaction

    from pckb.accounts.models import User
    from pckb.audit.choices import AuditAction
    from pckb.audit.services import audit_record, snapshot
    from pckb.directory.models import Agency

    rng = random.Random(SEED + slot)
    user = User.objects.get(username=WRITER)
    try:
        while not stop.is_set():
            pk = rng.choice(agencies)
            started = time.perf_counter()
            with transaction.atomic(durable=True):
                agency = Agency.objects.select_for_update().get(pk=pk)
                before = snapshot(agency)
                agency.phone = f"0292{rng.randrange(10**7):07d}"
                agency.save(update_fields=["phone"])
                audit_started = time.perf_counter()
                audit_record(
                    actor=user, action=AuditAction.UPDATE, obj=agency, before=before, after=snapshot(agency)
                )
                audit_ms = (time.perf_counter() - audit_started) * 1000
            if record.is_set():
                times.append((time.perf_counter() - started) * 1000)
                audit.append((audit_ms, _lock_waits.last))
            time.sleep(think * rng.uniform(0.5, 1.5))
    finally:
        connection.close()


def percentile(values: list[float], pct: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1] if len(values) > 1 else values[0]


def run_phase(name: str, mode: str | None, args, ids: dict) -> dict:
    """One phase: writers for warm-up + ``seconds``, with readers in ``mode`` (None: no readers)."""
    from django.db import connections

    from pckb.audit.models import QueuedAuditEntry

    ctx = mp.get_context("spawn")
    stop, record = threading.Event(), threading.Event()
    reader_stop = ctx.Event()
    counts, ready = ctx.Queue(), ctx.Semaphore(0)
    procs = []
    if mode:
        per = [args.readers // args.reader_processes] * args.reader_processes
        for i in range(args.readers % args.reader_processes):
            per[i] += 1
        for n in per:
            p = ctx.Process(
                target=reader_process,
                args=(mode, n, ids["secret"], args.think, args.reader_nice, reader_stop, counts, ready),
            )
            p.start()
            procs.append(p)
        for _ in range(args.readers):  # every reader connected and logged in before timing starts
            if not ready.acquire(timeout=180):
                reader_stop.set()
                raise SystemExit("readers did not start")
    times: list[float] = []
    audit: list[float] = []  # of which: the audit append (waiting for and holding the chain lock)
    writers = [
        threading.Thread(
            target=writer_loop, args=(i, ids["agencies"], args.write_think, stop, record, times, audit)
        )
        for i in range(args.writers)
    ]
    for w in writers:
        w.start()
    queue_samples: list[int] = []
    time.sleep(args.warmup)
    record.set()
    started = time.perf_counter()
    while time.perf_counter() - started < args.seconds:
        time.sleep(0.5)
        queue_samples.append(QueuedAuditEntry.objects.count())
    record.clear()
    elapsed = time.perf_counter() - started
    stop.set()
    reader_stop.set()
    for w in writers:
        w.join()
    reads = sum(counts.get() for _ in procs)
    for p in procs:
        p.join()
    connections.close_all()
    result = {
        "phase": name,
        "readers": args.readers if mode else 0,
        "reads_audited_as": mode or "-",
        "writes": len(times),
        "write_p50_ms": round(percentile(times, 50), 2),
        "write_p95_ms": round(percentile(times, 95), 2),
        "write_p99_ms": round(percentile(times, 99), 2),
        "write_max_ms": round(max(times), 2),
        "audit_append_p50_ms": round(percentile([a for a, _w in audit], 50), 2),
        "audit_append_p95_ms": round(percentile([a for a, _w in audit], 95), 2),
        "chain_lock_wait_p50_ms": round(percentile([w for _a, w in audit], 50), 2),
        "chain_lock_wait_p95_ms": round(percentile([w for _a, w in audit], 95), 2),
        "reads_per_s": round(reads / (elapsed + args.warmup), 1) if mode else 0,
        "queue_max": max(queue_samples, default=0),
        "queue_mean": round(statistics.fmean(queue_samples), 1) if queue_samples else 0,
    }
    print(
        f"  {name:9} readers={result['readers']:3}  writes={result['writes']:5}  "
        f"p50 {result['write_p50_ms']:7.2f} ms  p95 {result['write_p95_ms']:7.2f} ms  "
        f"p99 {result['write_p99_ms']:7.2f} ms  (lock wait p95 {result['chain_lock_wait_p95_ms']:7.2f})  "
        f"reads/s {result['reads_per_s']:6.1f}  "
        f"queue max {result['queue_max']}",
        flush=True,
    )
    return result


def drain(timeout: float = 120.0) -> float:
    """Wait for the worker to seal every queued read; returns the seconds it took."""
    from pckb.audit.models import QueuedAuditEntry

    started = time.perf_counter()
    while QueuedAuditEntry.objects.exists():
        if time.perf_counter() - started > timeout:
            raise SystemExit("the worker did not seal the queued reads in time")
        time.sleep(0.2)
    return round(time.perf_counter() - started, 2)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    django_setup()
    from django.db import connection

    from pckb.audit.models import AuditEntry
    from pckb.audit.services import audit_seal_queued, audit_verify

    ids = prepare()
    instrument_lock_wait()
    audit_seal_queued()  # leftovers of an interrupted run
    env = {**os.environ, "PCKB_VAR_DIR": str(BENCH_VAR)}
    worker = subprocess.Popen(  # noqa: S603 - our own worker, as `pckb serve --with-worker` starts it
        [sys.executable, "-m", "pckb.cli", "worker"], cwd=ROOT, env=env
    )
    try:
        views_before = AuditEntry.objects.filter(action="view").count()
        print(f"\nWrite p95 with classified readers, target ≤ {TARGET_RATIO:.0f}× baseline", flush=True)
        phases = [run_phase("baseline", None, args, ids), run_phase("queued", "queued", args, ids)]
        drain_s = drain()
        views_sealed = AuditEntry.objects.filter(action="view").count() - views_before
        if not args.skip_locked:
            phases.append(run_phase("locked", "locked", args, ids))
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    started = time.perf_counter()
    verify = audit_verify()
    verify_s = time.perf_counter() - started
    base = phases[0]["write_p95_ms"]
    ratios = {p["phase"]: round(p["write_p95_ms"] / base, 2) for p in phases[1:]}
    results = {
        "benchmark": "audit_concurrency",
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count(), "load_average": os.getloadavg()},
        "database": f"{connection.vendor} {connection.pg_version}",
        "params": {k: v for k, v in vars(args).items() if k != "out"},
        "target_ratio": TARGET_RATIO,
        "phases": phases,
        "p95_ratio": ratios,
        "meets_target": ratios["queued"] <= TARGET_RATIO,
        "queued_drained_in_s": drain_s,
        "views_sealed_into_chain": views_sealed,
        "verify": {"ok": verify.ok, "checked": verify.checked, "seconds": round(verify_s, 2),
                   "message": verify.message},
    }  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for name, ratio in ratios.items():
        print(f"  p95 {name} / baseline = {ratio:.2f}" + ("" if name != "queued" else
              ("  ok" if results["meets_target"] else "  ABOVE TARGET")))  # fmt: skip
    print(f"  queued reads sealed: {views_sealed} (queue drained {drain_s} s after the phase)")
    print(f"  {verify.message}")
    print(f"results: {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0 if results["meets_target"] and verify.ok else 1


if __name__ == "__main__":
    sys.exit(main())
