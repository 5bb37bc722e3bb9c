"""Background tasks of the notification module. They hold no logic: they call the delivery service.

``outbox_deliver_task`` is enqueued after every commit that queued a message (the ``notifications.queued``
event); ``outbox_sweep`` runs every minute and picks up retries whose backoff has elapsed and rows whose
worker died (lease expired). Several workers may run at once: each claims different rows.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from pckb.core import events
from pckb.notifications import services

#: Rows per claim: small, so that a killed worker holds few rows until its lease expires.
BATCH = 20


@db_task()
def outbox_deliver_task() -> None:
    services.outbox_drain(batch=BATCH)


@db_periodic_task(crontab(minute="*"))
def outbox_sweep() -> None:
    services.outbox_drain(batch=BATCH)


@events.receiver(services.QUEUED)
def _deliver_after_commit() -> None:
    outbox_deliver_task()
