"""Writes of the coordination module: the matrix, putting a regulation in force, new versions, and
pre-filling an event's agency tasks or a scenario plan's steps from the matrix. Each runs in one service
transaction; every row written goes through the audited generic services (``core.services.object_*``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from pckb.accounts.choices import Role
from pckb.coordination.choices import Duty, RegulationStatus
from pckb.coordination.models import Function, Regulation, Responsibility
from pckb.core import access
from pckb.core.auditing import record as audit_record
from pckb.core.auditing import snapshot
from pckb.core.choices import AuditAction
from pckb.core.services import (
    object_create,
    object_delete,
    object_update,
    service_transaction,
    supersede_previous,
)

#: Roles that put a regulation in force (the committee's head signs it, as with plans).
APPROVER_ROLES = frozenset({Role.COMMITTEE_LEADER})
DUTY_ORDER = {Duty.LEAD: 0, Duty.SUPPORT: 1, Duty.INFORM: 2}


def can_put_in_force(user) -> bool:
    return getattr(user, "role", None) in APPROVER_ROLES


def _locked_regulation(actor, regulation, action=access.VIEW) -> Regulation:
    found = (
        access.restrict(Regulation.objects.select_for_update(), actor, action)
        .filter(pk=regulation.pk)
        .first()
    )
    if found is None:
        raise PermissionDenied(_("Không có quyền."))
    return found


def matrix_save(*, actor, regulation: Regulation, cells: dict, new_rows: list) -> int:
    """Save the matrix editor: ``cells`` maps (function id, agency id) to a duty or "" (none); ``new_rows``
    are ``(title, scenario_type, {agency id: duty})``. Every fault of every row is reported at once and
    nothing is saved; otherwise each changed cell is created, changed or removed through the audited
    services. Returns the number of cells changed."""
    if not access.has_action(actor, Responsibility, access.ADD):
        raise PermissionDenied(_("Không có quyền."))
    with service_transaction():
        regulation = _locked_regulation(actor, regulation, access.CHANGE)
        if not regulation.editable:
            raise ValidationError(
                _("Quy chế đã có hiệu lực hoặc đã thay thế không sửa được: tạo phiên bản mới để sửa.")
            )
        functions = {
            f.pk: f for f in Function.objects.restrict(actor, access.CHANGE).filter(regulation=regulation)
        }
        parties = set(access.restrict(regulation.parties.all(), actor).values_list("pk", flat=True))
        existing = {
            (c.function_id, c.agency_id): c
            for c in Responsibility.objects.restrict(actor).filter(function__regulation=regulation)
        }
        errors = []
        rows: dict[int, dict] = {}
        for (function_id, agency_id), duty in cells.items():
            if function_id not in functions or agency_id not in parties:
                errors.append(_("Ô của ma trận không thuộc quy chế này."))
                continue
            rows.setdefault(function_id, {})[agency_id] = duty
        for function_id, duties in rows.items():
            if sum(d == Duty.LEAD for d in duties.values()) > 1:
                errors.append(
                    _("“{content}”: chỉ một cơ quan chủ trì.").format(content=functions[function_id].title)
                )
        titles = {f.title.casefold() for f in functions.values()}
        for number, (title, _scenario, duties) in enumerate(new_rows, start=1):
            if not title:
                errors.append(_("Nội dung mới {n}: nhập tên nội dung phối hợp.").format(n=number))
            elif title.casefold() in titles:
                errors.append(
                    _("Nội dung mới {n}: quy chế đã có nội dung “{title}”.").format(n=number, title=title)
                )
            titles.add(title.casefold())
            if sum(d == Duty.LEAD for d in duties.values()) > 1:
                errors.append(_("Nội dung mới {n}: chỉ một cơ quan chủ trì.").format(n=number))
            if any(agency_id not in parties for agency_id, duty in duties.items() if duty):
                errors.append(_("Nội dung mới {n}: có cơ quan không phải là bên tham gia.").format(n=number))
        if errors:
            raise ValidationError(errors)

        changed = 0
        removals, updates, creations = [], [], []
        for key, duty in sorted(cells.items()):
            cell = existing.get(key)
            if cell is not None and not duty:
                removals.append(cell)
            elif cell is not None and cell.duty != duty:
                updates.append((cell, duty))
            elif cell is None and duty:
                creations.append(Responsibility(function=functions[key[0]], agency_id=key[1], duty=duty))
        for cell in removals:
            object_delete(actor=actor, instance=cell)
        # A lead that moves: the old lead's cell changes first, so a row never holds two leads.
        for cell, duty in sorted(updates, key=lambda pair: pair[1] == Duty.LEAD):
            object_update(actor=actor, instance=cell, changes={"duty": duty})
        for cell in sorted(creations, key=lambda c: c.duty == Duty.LEAD):
            object_create(actor=actor, instance=cell)
        changed += len(removals) + len(updates) + len(creations)
        order = max((f.order for f in functions.values()), default=0)
        for title, scenario, duties in new_rows:
            order += 1
            function = object_create(
                actor=actor,
                instance=Function(
                    regulation=regulation, order=order, title=title, scenario_type=scenario or ""
                ),
            )
            for agency_id, duty in sorted(duties.items(), key=lambda pair: pair[1] == Duty.LEAD):
                if duty:
                    object_create(
                        actor=actor,
                        instance=Responsibility(function=function, agency_id=agency_id, duty=duty),
                    )
                    changed += 1
    return changed


def _missing_leads(regulation) -> list[str]:
    led = Responsibility.objects.filter(function__regulation=regulation, duty=Duty.LEAD).values("function_id")
    return list(regulation.functions.exclude(pk__in=led).values_list("title", flat=True))


def regulation_put_in_force(*, actor, regulation: Regulation) -> Regulation:
    """The committee leader puts a draft in force; the version in force before it becomes superseded."""
    if not can_put_in_force(actor):
        raise PermissionDenied(_("Chỉ lãnh đạo Ban Chỉ đạo ban hành quy chế phối hợp."))
    with service_transaction():
        regulation = _locked_regulation(actor, regulation)
        if regulation.status != RegulationStatus.DRAFT:
            raise ValidationError(_("Chỉ ban hành được quy chế đang dự thảo."))
        if not regulation.functions.exists():
            raise ValidationError(_("Quy chế chưa có nội dung phối hợp nào: lập ma trận trách nhiệm trước."))
        missing = _missing_leads(regulation)
        if missing:
            raise ValidationError(
                _("Các nội dung chưa có cơ quan chủ trì: {contents}.").format(contents="; ".join(missing))
            )
        supersede_previous(
            actor=actor,
            obj=regulation,
            active=RegulationStatus.IN_FORCE,
            superseded=RegulationStatus.SUPERSEDED,
        )
        before = snapshot(regulation)
        regulation.status, regulation.in_force_at = RegulationStatus.IN_FORCE, timezone.now()
        regulation.save(update_fields=["status", "in_force_at", "updated"])
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=regulation, before=before, after=snapshot(regulation)
        )
    return regulation


def regulation_new_version(*, actor, regulation: Regulation) -> Regulation:
    """A new draft copying a regulation's parties and matrix (the one in force stays in force)."""
    if not access.has_action(actor, Regulation, access.ADD):
        raise PermissionDenied(_("Không có quyền."))
    with service_transaction():
        regulation = _locked_regulation(actor, regulation)
        if regulation.status == RegulationStatus.DRAFT:
            raise ValidationError(_("Quy chế đang dự thảo: sửa trực tiếp, không cần phiên bản mới."))
        if regulation.next_versions.filter(status=RegulationStatus.DRAFT).exists():
            raise ValidationError(_("Đã có một phiên bản mới đang dự thảo."))
        copy = Regulation(
            committee=regulation.committee,
            title=regulation.title,
            document_number="",
            effective_from=timezone.localdate(),
            summary=regulation.summary,
            classification=regulation.classification,
            version=regulation.version + 1,
            previous=regulation,
        )
        copy.save()
        copy.parties.set(regulation.parties.all())
        for function in regulation.functions.prefetch_related("cells"):
            cells = list(function.cells.all())
            function.pk = None
            function.regulation = copy
            function.save()
            Responsibility.objects.bulk_create(
                Responsibility(function=function, agency_id=c.agency_id, duty=c.duty, note=c.note)
                for c in cells
            )
        audit_record(actor=actor, action=AuditAction.CREATE, obj=copy, after=snapshot(copy))
    return copy


def _function_in_force(actor, function_id: int, unit) -> Function:
    from pckb.coordination.selectors import functions_in_force

    function = functions_in_force(actor, unit=unit).filter(pk=function_id).first()
    if function is None:
        raise ValidationError(_("Chọn một nội dung của quy chế phối hợp đang có hiệu lực."))
    return function


def _duty_cells(actor, function) -> list[Responsibility]:
    cells = list(Responsibility.objects.restrict(actor).filter(function=function).select_related("agency"))
    cells.sort(key=lambda c: (DUTY_ORDER[c.duty], c.agency.sort_key))
    return cells


def event_prefill(*, actor, event, function_id: int) -> int:
    """Give each agency that leads or supports a content of the regulation in force a task for the event
    (due on the event's first day); an agency that already has that task is left as it is. Returns the
    number of tasks created."""
    from pckb.protection.models import EventTask

    if not access.has_action(actor, EventTask, access.ADD) or not access.can(actor, access.CHANGE, event):
        raise PermissionDenied(_("Không có quyền."))
    with service_transaction():
        function = _function_in_force(actor, function_id, event.unit)
        created = 0
        due = timezone.localtime(event.start).date()
        for cell in _duty_cells(actor, function):
            if cell.duty == Duty.INFORM:
                continue
            text = _("{duty}: {content}").format(duty=cell.get_duty_display(), content=function.title)
            if EventTask.objects.filter(event=event, agency_id=cell.agency_id, task=text).exists():
                continue
            object_create(
                actor=actor, instance=EventTask(event=event, agency_id=cell.agency_id, task=text, due=due)
            )
            created += 1
    return created


def plan_prefill(*, actor, plan, function_id: int) -> int:
    """Add to a draft scenario plan one phase for a content of the regulation in force, with a step for each
    agency named in its row (lead, then support, then informed — who only acknowledges). Returns the steps
    added."""
    from pckb.response.models import PlanPhase, PlanStep

    if not access.has_action(actor, PlanStep, access.ADD) or not access.can(actor, access.CHANGE, plan):
        raise PermissionDenied(_("Không có quyền."))
    with service_transaction():
        function = _function_in_force(actor, function_id, plan.committee.unit)
        order = (plan.phases.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        phase = object_create(
            actor=actor,
            instance=PlanPhase(
                plan=plan,
                order=order,
                title=_("Phân công theo quy chế phối hợp: {content}").format(content=function.title)[:200],
            ),
        )
        steps = 0
        for number, cell in enumerate(_duty_cells(actor, function), start=1):
            action = {
                Duty.LEAD: _("Chủ trì: {content}"),
                Duty.SUPPORT: _("Phối hợp: {content}"),
                Duty.INFORM: _("Nhận thông báo về: {content}"),
            }[cell.duty].format(content=function.title)
            object_create(
                actor=actor,
                instance=PlanStep(phase=phase, order=number, agency_id=cell.agency_id, action=action),
            )
            steps += 1
    return steps
