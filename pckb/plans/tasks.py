"""Background tasks of the plans module. Tasks hold no logic: they call a service."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from pckb.plans import services


@db_periodic_task(crontab(minute="5", hour="*"))
def overdue_task_alerts() -> None:
    """Every hour: notify the lead agency's focal points of each overdue task — once per task per day (the
    service is idempotent, so the hourly run only makes up for a missed one)."""
    services.overdue_focal_alerts()
