"""Background tasks of the response module. They hold no logic: they call the services.

``checklist_escalate_task`` runs every minute: a checklist item not acknowledged by its escalation time is
escalated once (see ``services.checklist_escalate``)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from pckb.response import services


@db_periodic_task(crontab(minute="*"))
def checklist_escalate_task() -> None:
    services.checklist_escalate()
