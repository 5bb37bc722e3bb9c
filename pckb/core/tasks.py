"""Background tasks of the core app. Tasks load by id and call a service; they hold no logic of their own."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from pckb.core.health import heartbeat_record


@db_periodic_task(crontab(minute="*"))
def worker_heartbeat() -> None:
    heartbeat_record("worker")
