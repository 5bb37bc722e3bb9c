"""Background tasks of the reports module. Tasks hold no logic: they call a service."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from pckb.reports import services


@db_periodic_task(crontab(minute="10", hour="*/6"))
def report_reminders() -> None:
    """Every six hours: remind standing offices of reports due within a week or late (each schedule once per
    stage; a missed run is made up by the next one)."""
    services.report_reminders_send()
