"""Writes of the plans module. Plans and items go through the generic audited services
(``core.services.object_*``); a task's supporting agencies, its progress and its confirmation go through the
functions here, each in one transaction with its audit entry."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from pckb.core import access, errors, services
from pckb.core.auditing import record as audit_record
from pckb.core.auditing import snapshot
from pckb.core.choices import AuditAction
from pckb.plans.choices import TaskStatus
from pckb.plans.models import ProgressUpdate, Task


def _set_supporting(task: Task, supporting) -> None:
    if supporting is not None:
        ids = sorted({a.pk for a in supporting} - {task.lead_agency_id})
        task.supporting_agencies.set(ids)


def task_create(*, actor, task: Task, supporting=None) -> Task:
    """Create a task with its supporting agencies (the lead agency is never also a supporting one)."""
    with services.service_transaction():
        services.object_create(actor=actor, instance=task)
        _set_supporting(task, supporting)
    return task


def task_update(*, actor, task: Task, changes: dict, supporting=None) -> Task:
    with services.service_transaction():
        services.object_update(actor=actor, instance=task, changes=changes)
        before = sorted(task.supporting_agencies.values_list("pk", flat=True))
        _set_supporting(task, supporting)
        after = sorted(task.supporting_agencies.values_list("pk", flat=True))
        if before != after:
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=task,
                before={"supporting_agencies": before},
                after={"supporting_agencies": after},
            )
    return task


def progress_report(*, actor, update: ProgressUpdate) -> ProgressUpdate:
    """Record progress on a task the actor may report on (a focal point: only its own agency's tasks) and
    move the task along: 100 % waits for the standing office's confirmation, less is "đang thực hiện"."""
    if not access.has_action(actor, ProgressUpdate, access.ADD):
        raise errors.PermissionDenied(_("Bạn không có quyền báo cáo tiến độ."))
    with services.service_transaction():
        task = services.object_get(actor=actor, model=Task, pk=update.task_id, lock=True)
        if task.status == TaskStatus.DONE:
            raise errors.ValidationError(_("Nhiệm vụ đã được xác nhận hoàn thành; không báo cáo thêm."))
        update.task = task
        if not update.reported_by:
            update.reported_by = actor.get_full_name() or actor.get_username()
        services.object_create(actor=actor, instance=update)
        before = snapshot(task)
        task.percent = update.percent
        task.status = TaskStatus.AWAITING if update.percent >= 100 else TaskStatus.IN_PROGRESS
        task.save(update_fields=["percent", "status", "updated"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=task, before=before, after=snapshot(task))
    return update


def task_confirm(*, actor, task: Task) -> Task:
    """The standing office confirms that a task reported complete is done (only one awaiting it)."""
    with services.service_transaction():
        current = services.object_get(actor=actor, model=Task, action=access.CHANGE, pk=task.pk, lock=True)
        if current.status != TaskStatus.AWAITING:
            raise errors.ValidationError(
                _("Chỉ xác nhận nhiệm vụ đã được báo cáo hoàn thành (tiến độ 100%).")
            )
        before = snapshot(current)
        current.status = TaskStatus.DONE
        current.confirmed_on = timezone.now()
        current.confirmed_by = actor.get_full_name() or actor.get_username()
        current.save(update_fields=["status", "confirmed_on", "confirmed_by", "updated"])
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=current, before=before, after=snapshot(current)
        )
    return current
