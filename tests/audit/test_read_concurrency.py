"""PostgreSQL only (SQLite locks the whole database for any write): a read of a classified record is audited
while a writer holds the chain lock — readers no longer queue behind writers, nor writers behind them.

    PCKB_DATABASE_URL=postgresql://… pytest tests/audit/test_read_concurrency.py
"""

import threading

import pytest
from django.db import connection

from pckb.audit.models import AuditChainHead, QueuedAuditEntry

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")


def test_classified_read_is_audited_while_the_chain_lock_is_held(db, settings, users):
    from pckb.audit import services
    from pckb.core import access
    from pckb.directory.models import Person

    settings.HUEY = {**settings.HUEY, "immediate": False}
    reader = users["lanhdao.cantho"]
    secret = access.restrict(Person.objects.filter(classification__gt=0), reader, access.VIEW).first()
    services._lock_head()  # a writer in the middle of its transaction: holds the lock until rollback
    done = threading.Event()
    errors = []

    def read():
        from django.db import connection as own

        try:
            obj = access.restrict(Person.objects.all(), reader, access.VIEW).get(pk=secret.pk)
            services.audit_record(actor=reader, action="view", obj=obj)
            done.set()
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            own.close()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join(timeout=10)
    assert not errors and done.is_set(), "the read waited for the chain lock"
    assert QueuedAuditEntry.objects.filter(object_id=str(secret.pk)).exists()
    assert AuditChainHead.objects.get().seq == services._lock_head().seq  # the chain did not move

    def clean_up():  # committed by the reader's own connection: leave the shared test database as it was
        from django.db import connection as own

        QueuedAuditEntry.objects.filter(object_id=str(secret.pk)).delete()
        own.close()

    cleaner = threading.Thread(target=clean_up)
    cleaner.start()
    cleaner.join(timeout=10)
