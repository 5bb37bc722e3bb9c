"""PostgreSQL only: twenty people press "Xác nhận đã nhận" on the same checklist item at the same moment —
exactly one acknowledgement is recorded (one row change, one audit entry), the others are told it is
already acknowledged. Run with PCKB_DATABASE_URL=postgresql://…"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RACERS = 20


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (PCKB_DATABASE_URL)")


def test_concurrent_acknowledgements_leave_exactly_one(tmp_path):
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

    start = threading.Barrier(RACERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def press():
        try:
            actor = User.objects.get(username="vptt.cantho")
            start.wait()
            services.checklist_acknowledge(actor=actor, item=ChecklistItem(pk=item.pk))
            result = "ok"
        except ValidationError:
            result = "already"
        except Exception as exc:  # reported to the test
            result = f"error: {exc!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=press) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["already"] * (RACERS - 1) + ["ok"], outcomes
    item.refresh_from_db()
    assert item.acknowledged_at is not None
    acks = AuditEntry.objects.filter(object_type="response.checklistitem", object_id=str(item.pk))
    assert acks.count() == 1
