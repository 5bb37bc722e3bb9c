"""Background tasks of the audit app: seal queued reads into the chain, anchor the head outside the database.

Tasks call a service and hold no logic of their own (see ``pckb/core/tasks.py`` for the pattern)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def audit_seal() -> None:
    """Scheduled after a classified read commits (at most one waiting at a time)."""
    from django.core.cache import cache

    from pckb.audit.services import SEAL_FLAG, audit_seal_queued

    cache.delete(SEAL_FLAG)  # before reading the queue: a read committed after this schedules another run
    audit_seal_queued()


@db_periodic_task(crontab(minute="*"))
def audit_anchor() -> None:
    """Every minute: seal what is queued, then append the head to the anchor file if it moved."""
    from pckb.audit.anchors import anchor_write
    from pckb.audit.services import audit_seal_queued

    audit_seal_queued()
    anchor_write()
