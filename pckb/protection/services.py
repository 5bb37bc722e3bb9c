"""Writes of the protection register. Targets go through the generic audited services
(``core.services.object_*``); an assessment is only ever added, never changed or removed."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from pckb.core import access, errors, services
from pckb.core.services import service_transaction
from pckb.protection.choices import TaskStatus
from pckb.protection.models import EventStatus, EventTask, ProtectedEvent, RiskAssessment


def risk_assessment_record(*, actor, assessment: RiskAssessment) -> RiskAssessment:
    """Validate, score and save a new assessment of a target the actor may see, and audit it. The
    target's earlier assessments stay as they were: the latest one gives its current level."""
    return services.object_create(actor=actor, instance=assessment)


def event_task_done(*, actor, task: EventTask, note: str = "") -> EventTask:
    """Mark an agency's task done (a focal point: its own agency's only — the row rule of CHANGE)."""
    changes = {"status": TaskStatus.DONE}
    if note.strip():
        changes["progress_note"] = note.strip()
    return services.object_update(actor=actor, instance=task, changes=changes)


def event_status_report(*, actor, event: ProtectedEvent, agency, day: dt.date, text: str) -> EventStatus:
    """Write ``agency``'s status line for ``day`` of ``event``: a new line, or the day's line replaced
    (one line per agency and day). The row rules decide whose lines the actor may write."""
    with service_transaction():
        current = EventStatus.objects.filter(event=event, agency=agency, day=day).first()
        if current is None:
            return services.object_create(
                actor=actor, instance=EventStatus(event=event, agency=agency, day=day, text=text)
            )
        if not access.can(actor, access.CHANGE, current):
            raise errors.PermissionDenied(_("Bạn không được sửa tình hình của cơ quan này."))
        return services.object_update(actor=actor, instance=current, changes={"text": text})
