"""Background tasks of the audit app: seal queued reads into the chain, anchor the head outside the database.

Tasks call a service and hold no logic of their own (see ``pckb/core/tasks.py`` for the pattern)."""

import logging
import time

from django.core.cache import cache
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from pckb.audit.services import READ_QUEUED, SEAL_DELAY, SEAL_FLAG, audit_seal_queued
from pckb.core.events import receiver


@db_task()
def audit_seal() -> None:
    """Scheduled after a classified read commits (at most one waiting at a time)."""
    cache.delete(SEAL_FLAG)  # before reading the queue: a read committed after this schedules another run
    audit_seal_queued()


@db_periodic_task(crontab(minute="*"))
def audit_anchor() -> None:
    """Every minute: seal what is queued, then append the head to the anchor file if it moved."""
    from pckb.audit.anchors import anchor_write

    audit_seal_queued()
    anchor_write()


_last_scheduled = 0.0  # this process scheduled a seal at this time.monotonic() (saves a cache call per read)


@receiver(READ_QUEUED)
def schedule_seal() -> None:
    """At most one pending seal task at a time, run ``SEAL_DELAY`` seconds later so that the reads of that
    second are sealed together; the task clears the flag before it reads the queue. (A read that slips past
    a starting task is sealed by the next read's task or, at the latest, by the minute task.)"""
    global _last_scheduled
    now = time.monotonic()
    if now - _last_scheduled < SEAL_DELAY:
        return
    _last_scheduled = now
    try:
        if cache.add(SEAL_FLAG, 1, timeout=30):
            audit_seal.schedule(delay=SEAL_DELAY)
    except Exception:  # the read happened and is queued; the minute task seals it if this fails
        logging.getLogger(__name__).exception("audit seal not scheduled")
