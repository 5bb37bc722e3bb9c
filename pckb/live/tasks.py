"""Background tasks of the live module: the daily prune of old live events (no logic here)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from pckb.live import services


@db_periodic_task(crontab(hour="3", minute="17"))
def live_prune_task() -> None:
    services.live_prune()
