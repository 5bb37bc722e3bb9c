"""Health of the installation: database, background worker, Redis (when configured)."""

import datetime as dt

from django.conf import settings
from django.db import connection
from django.utils import timezone

HEARTBEAT_MAX_AGE = dt.timedelta(minutes=3)


def heartbeat_record(name: str) -> None:
    from pckb.core.models import WorkerHeartbeat

    WorkerHeartbeat.objects.update_or_create(name=name, defaults={"seen": timezone.now()})


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        return False, str(exc)[:200]
    return True, connection.vendor


def check_worker() -> tuple[bool, str]:
    from pckb.core.models import WorkerHeartbeat

    beat = WorkerHeartbeat.objects.filter(name="worker").first()
    if beat is None:
        return False, "chưa có nhịp hoạt động"
    age = timezone.now() - beat.seen
    return age <= HEARTBEAT_MAX_AGE, f"{int(age.total_seconds())} giây trước"


def check_redis() -> tuple[bool, str] | None:
    if not settings.REDIS_URL:
        return None
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001
        return False, str(exc)[:200]
    return True, "ok"


def health_report() -> dict:
    checks = {"database": check_database(), "worker": check_worker()}
    redis_check = check_redis()
    if redis_check is not None:
        checks["redis"] = redis_check
    return {
        "status": "ok" if all(ok for ok, _ in checks.values()) else "degraded",
        "checks": {name: {"ok": ok, "detail": detail} for name, (ok, detail) in checks.items()},
    }
