"""Live fan-out benchmark: how long a committed live event takes to reach every open SSE client.

    .venv/bin/python bench/live_fanout.py                    # 1,000 clients, 2 uvicorn processes, Redis
    .venv/bin/python bench/live_fanout.py --clients 200 --rounds 10

Two uvicorn processes serve ``pckb.asgi`` (as ``pckb serve --workers 2`` behind a proxy would) on the bench
database (``var/bench/live.sqlite3``, or PostgreSQL when ``PCKB_DATABASE_URL`` is set) with Redis pub/sub
(``PCKB_REDIS_URL``, default ``redis://127.0.0.1:6379/14``); half the clients connect to each. All clients
listen on one user's stream (``/truc-tiep/toi/``), signed in with a real session. This process then
publishes ``--rounds`` events (each in its own service transaction, as a service would) and measures, per
event and client, the time from the commit to the moment the client has parsed the event. The clients run
in this process too (asyncio, HTTP/1.1, no dependency), so client-side parsing is counted against us.

Results go to ``bench/results/live_fanout.json``. Target: p99 ≤ 0.5 s (issue 10, Measures).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import resource
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_VAR = ROOT / "var" / "bench"
DEFAULT_DB = BENCH_VAR / "live.sqlite3"
RESULTS_FILE = ROOT / "bench" / "results" / "live_fanout.json"
TARGET_P99_S = 0.5
USERNAME = "bench.live"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=1000, help="open SSE connections")
    parser.add_argument("--processes", type=int, default=2, help="uvicorn processes")
    parser.add_argument("--rounds", type=int, default=20, help="events published")
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between events")
    parser.add_argument("--redis", default=os.environ.get("PCKB_REDIS_URL") or "redis://127.0.0.1:6379/14")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="SQLite file (without PCKB_DATABASE_URL)")
    parser.add_argument("--out", type=Path, default=RESULTS_FILE, help="where to write the JSON results")
    return parser.parse_args(argv)


def raise_file_limit(needed: int) -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = min(hard, max(soft, needed)) if hard != resource.RLIM_INFINITY else max(soft, needed)
    if wanted > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def django_setup(args: argparse.Namespace) -> dict[str, str]:
    """Configure Django in this process; the environment the servers get."""
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    channel = f"pckb-bench-live-{uuid.uuid4().hex}"
    env = {
        "DJANGO_SETTINGS_MODULE": "pckb.settings",
        "PCKB_VAR_DIR": str(BENCH_VAR),
        "PCKB_REDIS_URL": args.redis,
        "PCKB_LIVE_CHANNEL": channel,
    }
    if not os.environ.get("PCKB_DATABASE_URL"):
        env["PCKB_SQLITE_PATH"] = str(args.db.resolve())
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return env


def prepare_user():
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from pckb.accounts.choices import Role
    from pckb.accounts.models import User

    call_command("migrate", verbosity=0)
    user, _ = User.objects.get_or_create(
        username=USERNAME,
        defaults={"role": Role.NATIONAL_OFFICE, "first_name": "Đo", "last_name": "Hiệu năng"},
    )
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return user, f"sessionid={session.session_key}"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


async def run(args, servers, user, cookie) -> dict:
    from django.db import transaction

    from pckb.core.services import service_transaction
    from pckb.live.services import publish, user_stream
    from tests.live.servers import SSEClient

    stream = user_stream(user)
    load_before = [round(x, 2) for x in os.getloadavg()]
    clients = [
        SSEClient(servers[i % len(servers)].port, "/truc-tiep/toi/", cookie=cookie)
        for i in range(args.clients)
    ]
    started = time.perf_counter()
    gate = asyncio.Semaphore(50)

    async def connect(client):
        async with gate:
            return await client.connect(timeout=60)

    statuses = await asyncio.gather(*(connect(c) for c in clients), return_exceptions=True)
    connect_seconds = time.perf_counter() - started
    failed = [s for s in statuses if s != 200]
    if failed:
        raise RuntimeError(f"{len(failed)} connections failed: {failed[:3]}")
    print(f"{len(clients)} clients connected in {connect_seconds:.1f} s", flush=True)
    await asyncio.sleep(1.0)

    arrivals: dict[tuple[int, int], float] = {}

    async def listen(index, client):
        while True:
            try:
                event = await client.next_event(timeout=3600)
            except (EOFError, asyncio.CancelledError, ConnectionError):
                return
            if event.data.get("kind") == "bench.tick":
                arrivals[(index, event.data["data"]["n"])] = event.received

    listeners = [asyncio.create_task(listen(i, c)) for i, c in enumerate(clients)]
    commits: dict[int, float] = {}

    def publish_round(n: int) -> None:
        with service_transaction():
            transaction.on_commit(lambda: commits.__setitem__(n, time.perf_counter()))
            publish(stream, "bench.tick", {"n": n})

    for n in range(args.rounds):
        await asyncio.to_thread(publish_round, n)
        await asyncio.sleep(args.interval)
    deadline = time.perf_counter() + 10
    while len(arrivals) < args.clients * args.rounds and time.perf_counter() < deadline:
        await asyncio.sleep(0.1)
    for task in listeners:
        task.cancel()
    await asyncio.gather(*listeners, return_exceptions=True)
    for client in clients:
        await client.close()

    latencies = [arrivals[key] - commits[key[1]] for key in arrivals]
    per_round = []
    for n in range(args.rounds):
        times = [arrivals[(i, n)] for i in range(args.clients) if (i, n) in arrivals]
        if len(times) == args.clients:
            per_round.append(max(times) - commits[n])
    lost = args.clients * args.rounds - len(arrivals)
    p99 = percentile(latencies, 0.99)
    return {
        "benchmark": "live_fanout",
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "load_average_before": load_before,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "database": "postgresql" if os.environ.get("PCKB_DATABASE_URL") else "sqlite",
        "broker": "redis",
        "processes": len(servers),
        "clients": args.clients,
        "rounds": args.rounds,
        "connect_seconds": round(connect_seconds, 2),
        "deliveries": len(latencies),
        "lost": lost,
        "p50_s": round(percentile(latencies, 0.5), 4),
        "p99_s": round(p99, 4),
        "max_s": round(max(latencies), 4) if latencies else None,
        "mean_s": round(statistics.fmean(latencies), 4) if latencies else None,
        "every_client_p50_s": round(percentile(per_round, 0.5), 4),
        "every_client_p99_s": round(percentile(per_round, 0.99), 4),
        "target_p99_s": TARGET_P99_S,
        "meets_target": lost == 0 and p99 <= TARGET_P99_S,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    limit = raise_file_limit(2 * args.clients + 512)
    if limit < 2 * args.clients + 256:
        print(f"open-file limit {limit} is too low for {args.clients} clients", file=sys.stderr)
        return 2
    env = django_setup(args)
    import redis

    try:
        redis.Redis.from_url(args.redis, socket_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        print(f"Redis is not reachable at {args.redis}: the fan-out bench needs it", file=sys.stderr)
        return 2
    from tests.live.servers import ProcessServer

    user, cookie = prepare_user()
    servers = [ProcessServer(env) for _ in range(args.processes)]
    try:
        for server in servers:
            server.__enter__()
        results = asyncio.run(run(args, servers, user, cookie))
    finally:
        for server in servers:
            server.__exit__(None, None, None)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    mark = "ok" if results["meets_target"] else "SLOW"
    print(
        f"Fan-out to {results['clients']} SSE clients over {results['processes']} uvicorn processes "
        f"with Redis, "
        f"{results['rounds']} events ({results['database']}):\n"
        f"  per delivery   p50 {results['p50_s'] * 1000:7.1f} ms  p99 {results['p99_s'] * 1000:7.1f} ms  "
        f"max {results['max_s'] * 1000:7.1f} ms  lost {results['lost']}  {mark} (target p99 ≤ "
        f"{TARGET_P99_S * 1000:.0f} ms)\n"
        f"  every client   p50 {results['every_client_p50_s'] * 1000:7.1f} ms  "
        f"p99 {results['every_client_p99_s'] * 1000:7.1f} ms"
    )
    print(f"results: {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0 if results["meets_target"] else 1


if __name__ == "__main__":
    sys.exit(main())
