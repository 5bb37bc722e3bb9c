"""PostgreSQL only: a hundred people press "Xác nhận đã nhận" on the same checklist item at the same moment —
exactly one acknowledgement is recorded (one row change, one audit entry), the others are told it is
already acknowledged. Run with PCKB_DATABASE_URL=postgresql://…

Each attempt runs in its own thread with its own database connection (its own backend process): all 100
connections are opened and proven alive (100 distinct backend pids) *before* a barrier releases them
together, so the 100 transactions are in flight at once. The server must have 100 free connection slots:
PostgreSQL's ``max_connections`` (100 by default) counts every client backend on the server, and a
superuser may also use the ``superuser_reserved_connections`` slots. The test closes idle leftover
connections to its own test database and its own connection, waits up to two minutes for enough free slots
(other test runs on a shared server hold some) and, if there still are not enough, fails saying how many are
free and who holds the rest — it never races with fewer than 100."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RACERS = 100
WAIT_FOR_SLOTS = 120  # seconds


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (PCKB_DATABASE_URL)")


def connection_slots() -> tuple[int, int, str]:
    """(usable slots for this role, client backends in use besides this one, who holds them)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_connections')::int, "
            "current_setting('superuser_reserved_connections')::int, "
            "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
        )
        limit, reserved, superuser = cursor.fetchone()
        cursor.execute(
            "SELECT coalesce(datname, '?'), count(*) FROM pg_stat_activity "
            "WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() GROUP BY 1 ORDER BY 2 DESC"
        )
        holders = cursor.fetchall()
    in_use = sum(n for _name, n in holders)
    usable = limit if superuser else limit - reserved
    return usable, in_use, ", ".join(f"{name}: {n}" for name, n in holders) or "none"


def close_leftover_connections() -> None:
    """Idle connections to this test database other than the test's own can only be this run's leftovers
    (threads of earlier tests, e.g. a live server's, that ended without closing theirs): close them, so the
    race has the slots they hold."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_type = 'client backend' AND state = 'idle' AND pid <> pg_backend_pid()"
        )


def wait_for_free_slots() -> None:
    close_leftover_connections()
    deadline = time.monotonic() + WAIT_FOR_SLOTS
    while True:
        usable, in_use, holders = connection_slots()
        free = usable - in_use  # this test's own connection is closed before the race
        print(f"connection slots: {usable} usable, {in_use} held by others ({holders}), {free} free")
        if free >= RACERS:
            connection.close()
            return
        if time.monotonic() > deadline:
            connection.close()
            pytest.fail(
                f"only {free} of the {usable} connection slots are free for {RACERS} racers "
                f"(other client backends by database: {holders})"
            )
        time.sleep(2)


def test_hundred_concurrent_acknowledgements_leave_exactly_one(tmp_path):
    from django.core.exceptions import ValidationError

    from pckb.accounts.models import User
    from pckb.audit.models import AuditEntry
    from pckb.demo.services import demo_load
    from pckb.response import services
    from pckb.response.models import ChecklistItem, Incident
    from tests.response.test_incident import approved_plan, committee

    demo_load(password="thu-nghiem-123", accounts_file=tmp_path / "accounts.txt")
    office = User.objects.get(username="vptt.cantho")
    incident = services.incident_open(
        actor=office, incident=Incident(title="Sự cố thử đua xác nhận", committee=committee("P92"))
    )
    services.plan_activate(actor=office, incident=incident, plan=approved_plan())
    item = ChecklistItem.objects.filter(incident=incident, needs_ack=True).first()
    wait_for_free_slots()

    start = threading.Barrier(RACERS)
    outcomes: list[str] = []
    pids: set[int] = set()
    lock = threading.Lock()

    def press():
        result = "not started"
        try:
            actor = User.objects.get(username="vptt.cantho")  # opens this thread's own connection
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            with lock:
                pids.add(pid)
            start.wait(timeout=120)  # every connection is open before anyone presses
            services.checklist_acknowledge(actor=actor, item=ChecklistItem(pk=item.pk))
            result = "ok"
        except ValidationError:
            result = "already"
        except threading.BrokenBarrierError:
            result = "barrier broken"
        except Exception as exc:  # reported to the test (e.g. "too many clients")
            result = f"error: {exc!r}"
            start.abort()
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=press) for _ in range(RACERS)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    print(f"{RACERS} racers with {len(pids)} backends done in {time.monotonic() - began:.2f} s")

    errors = [o for o in outcomes if o not in ("ok", "already")]
    assert not errors, errors[:5]
    assert len(pids) == RACERS  # a hundred backends, all open at the barrier
    assert sorted(outcomes) == ["already"] * (RACERS - 1) + ["ok"], outcomes
    item.refresh_from_db()
    assert item.acknowledged_at is not None
    acks = AuditEntry.objects.filter(object_type="response.checklistitem", object_id=str(item.pk))
    assert acks.count() == 1
