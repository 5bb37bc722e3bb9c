"""Concurrency on PostgreSQL: parallel delivery workers take different outbox rows (SKIP LOCKED) without
waiting for each other, and ``object_update`` locks the row it snapshots, so a concurrent edit waits and its
audit "before" is what the first edit left. Run with PCKB_DATABASE_URL=postgresql://…"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from pckb.accounts.choices import Role
from pckb.accounts.models import User
from pckb.audit.models import AuditEntry
from pckb.core import services
from pckb.directory.models import Agency
from pckb.geo.models import AdministrativeUnit
from pckb.notifications import services as outbox
from pckb.notifications.models import OutboxMessage

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (PCKB_DATABASE_URL)")


def in_thread(target):
    """Run ``target`` on its own database connection; return (thread, outcome dict)."""
    outcome: dict = {}

    def run():
        try:
            outcome["value"] = target()
        except Exception as exc:  # reported to the test
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_parallel_workers_claim_different_rows_without_waiting():
    now = timezone.now()
    OutboxMessage.objects.bulk_create(
        OutboxMessage(channel="webhook", event="t", address="http://127.0.0.1:9/", next_attempt_at=now)
        for _ in range(40)
    )
    locked, release = threading.Event(), threading.Event()

    def other_worker():
        with transaction.atomic():
            ids = list(
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .order_by("id")
                .values_list("id", flat=True)[:10]
            )
            locked.set()
            release.wait(20)
            return ids

    thread, outcome = in_thread(other_worker)
    assert locked.wait(20)
    started = time.monotonic()
    _token, claimed = outbox.outbox_claim(batch=40)
    waited = time.monotonic() - started
    release.set()
    thread.join(20)
    theirs = set(outcome["value"])
    mine = {m.pk for m in claimed}
    assert len(theirs) == 10 and len(mine) == 30 and not theirs & mine
    assert waited < 2


def test_object_update_locks_the_row_it_snapshots():
    nation = AdministrativeUnit.objects.create(
        code="VN", name="Việt Nam", division_type="Quốc gia", level="national", path="/VN/"
    )
    actor = User.objects.create_user(
        "vptt.qg.thu", password="x" * 12, role=Role.NATIONAL_OFFICE, scope_unit=nation
    )
    agency = Agency.objects.create(name="Cơ quan thử khóa dòng", kind="other", unit=nation)
    first_saved, release = threading.Event(), threading.Event()

    def first_edit():
        with transaction.atomic():
            services.object_update(
                actor=actor, instance=Agency.objects.get(pk=agency.pk), changes={"phone": "111"}
            )
            first_saved.set()
            release.wait(20)

    def second_edit():
        return services.object_update(
            actor=actor, instance=Agency.objects.get(pk=agency.pk), changes={"phone": "222"}
        )

    first, first_outcome = in_thread(first_edit)
    assert first_saved.wait(20)
    second, second_outcome = in_thread(second_edit)
    time.sleep(1.0)
    assert second.is_alive(), "the second edit must wait for the first one's row lock"
    release.set()
    first.join(20)
    second.join(20)
    assert "error" not in first_outcome and "error" not in second_outcome
    agency.refresh_from_db()
    assert agency.phone == "222"
    updates = list(AuditEntry.objects.filter(object_id=str(agency.pk), action="update").order_by("seq"))
    assert [(e.before["phone"], e.after["phone"]) for e in updates] == [("", "111"), ("111", "222")]
