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


def _without_lead(supporting, lead) -> list | None:
    """The supporting agencies (objects or ids) without the lead agency: it is never also a supporting one."""
    if supporting is None:
        return None
    lead_id = getattr(lead, "pk", lead)
    return [a for a in supporting if getattr(a, "pk", a) != lead_id]


def task_create(*, actor, task: Task, supporting=None) -> Task:
    """Create a task with its supporting agencies (objects or ids; each one the actor may choose, as the
    form offers them). The lead agency is never also a supporting one; the audit entry names both."""
    with services.service_transaction():
        services.object_create(
            actor=actor,
            instance=task,
            many={"supporting_agencies": _without_lead(supporting, task.lead_agency_id)},
        )
    return task


def task_update(*, actor, task: Task, changes: dict, supporting=None) -> Task:
    """Change a task and (unless ``supporting`` is ``None``) its supporting agencies; a supporting agency
    the actor may not see stays on the task. One audit entry with what changed."""
    lead = changes.get("lead_agency", task.lead_agency_id)
    with services.service_transaction():
        services.object_update(
            actor=actor,
            instance=task,
            changes=changes,
            many={"supporting_agencies": _without_lead(supporting, lead)},
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


def task_from_outcome(
    *,
    actor,
    committee,
    title: str,
    lead_agency,
    deadline,
    supporting=(),
    source=None,
    source_label: str = "",
    classification: int | None = None,
) -> Task:
    """The one way a task comes from something other than a plan item: a committee meeting's conclusion,
    later an inspection finding or an after-action corrective action. The task belongs to ``committee``
    (its scope), names its ``source`` (any saved model; shown as a link only to readers who may see it) and
    takes the source's classification unless ``classification`` is given. The actor must be able to add
    tasks and see the committee and the agencies; the new task must lie within the actor's reach. Joins the
    caller's transaction (a meeting's conclusions all become tasks, or none does)."""
    if not access.has_action(actor, Task, access.ADD):
        raise errors.PermissionDenied(_("Bạn không có quyền giao nhiệm vụ."))
    if committee is None or not access.can(actor, access.VIEW, committee):
        raise errors.ValidationError({"committee": [_("Chọn Ban Chỉ đạo trong phạm vi của bạn.")]})
    if lead_agency is None or not access.can(actor, access.VIEW, lead_agency):
        raise errors.ValidationError({"lead_agency": [_("Chọn cơ quan chủ trì trong phạm vi của bạn.")]})
    supporting = list(supporting or ())
    for agency in supporting:
        if not access.can(actor, access.VIEW, agency):
            raise errors.ValidationError(
                {"supporting_agencies": [_("Chọn cơ quan phối hợp trong phạm vi của bạn.")]}
            )
    if classification is None:
        classification = access.classification_of(source) if source is not None else 0
    task = Task(
        committee=committee,
        title=title,
        lead_agency=lead_agency,
        deadline=deadline,
        classification=classification,
        source_label=(source_label or (str(source) if source is not None else ""))[:300],
    )
    if source is not None:
        task.source = source
    with services.service_transaction():
        services.object_create(
            actor=actor, instance=task, many={"supporting_agencies": _without_lead(supporting, lead_agency)}
        )
    return task


def overdue_focal_alerts(*, now=None) -> int:
    """Notify the focal points of each overdue task's lead agency, once per task per day however often it
    runs (the dedupe key carries the task and the day). A focal point cleared below the task's classification
    gets a neutral line without the title; e-mails and webhooks about a classified task carry only the
    neutral text. Returns the number of notifications created now."""
    from pckb.accounts.choices import Role
    from pckb.accounts.models import User
    from pckb.notifications.services import notify
    from pckb.plans.choices import OPEN_STATUSES

    now = now or timezone.now()
    today = timezone.localdate(now)
    late = (
        Task.objects.filter(status__in=OPEN_STATUSES, deadline__lt=today)
        .select_related("lead_agency")
        .order_by("deadline", "pk")
    )
    focal: dict[int, list] = {}
    created = 0
    with services.service_transaction():
        for task in late.iterator():
            agency_id = task.lead_agency_id
            if agency_id not in focal:
                focal[agency_id] = list(
                    User.objects.filter(
                        role=Role.AGENCY_FOCAL, person__agency_id=agency_id, is_active=True
                    ).select_related("scope_unit", "person")
                )
            if not focal[agency_id]:
                continue
            days = (today - task.deadline).days
            key = f"plans.task_overdue:{task.pk}:{today.isoformat()}"
            allowed = [u for u in focal[agency_id] if access.can(u, access.VIEW, task)]
            others = [u for u in focal[agency_id] if u not in allowed]
            secret = bool(access.classification_of(task))
            neutral = _("Một nhiệm vụ của cơ quan đã quá hạn; xem trên PCKB Hub.")
            if allowed:
                created += len(
                    notify(
                        recipients=allowed,
                        event="plans.task_overdue",
                        title=_("Nhiệm vụ quá hạn {n} ngày: {title}").format(n=days, title=task.title),
                        body=_("Thời hạn {day}; tiến độ {percent}%.").format(
                            day=task.deadline.strftime("%d/%m/%Y"), percent=task.percent
                        ),
                        url=task.get_absolute_url(),
                        obj=task,
                        dedupe_key=key,
                        **({"external_title": neutral, "external_body": ""} if secret else {}),
                    )
                )
            if others:
                created += len(
                    notify(recipients=others, event="plans.task_overdue", title=neutral, dedupe_key=key)
                )
    return created


def task_for_source(*, actor, source) -> Task:
    """An outcome of another module becomes a task of the one task list, once. The source says what the task
    is (``source.task_outcome()``: committee, title, lead agency, deadline); a source that has already become
    a task is refused, so an agency never gets the same work twice."""
    from django.contrib.contenttypes.models import ContentType

    spec = source.task_outcome()
    with services.service_transaction():
        kind = ContentType.objects.get_for_model(type(source))
        if Task.objects.select_for_update().filter(source_type=kind, source_id=source.pk).exists():
            raise errors.ValidationError(_("Việc này đã được giao thành nhiệm vụ."))
        return task_from_outcome(actor=actor, source=source, **spec)
