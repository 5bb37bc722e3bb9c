"""Background tasks of the training module. Tasks hold no logic: they call a service."""

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from pckb.training import services


@db_periodic_task(crontab(minute="*/15"))
def tests_closing_reminders() -> None:
    """Every 15 minutes: remind focal points of agencies whose delegates have a test closing soon (each test
    and agency once; a missed run is made up by the next one)."""
    services.test_closing_remind(hours=settings.PCKB_TEST_REMINDER_HOURS)
