"""Writes of the protection register. Targets go through the generic audited services
(``core.services.object_*``); an assessment is only ever added, never changed or removed."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from pckb.accounts.choices import Role
from pckb.core import access, errors, services
from pckb.core.auditing import record as audit_record
from pckb.core.auditing import snapshot
from pckb.core.choices import AuditAction
from pckb.core.services import service_transaction, supersede_previous
from pckb.core.validators import text_problem
from pckb.protection.choices import PLAN_REVIEW_DAYS, ActionStatus, PlanStatus, TaskStatus
from pckb.protection.models import (
    EventStatus,
    EventTask,
    Finding,
    PlanFile,
    ProtectedEvent,
    ProtectionPlan,
    RiskAssessment,
)

#: Who approves a protection plan: the committee leader (the committee's head signs its plans).
APPROVER_ROLES = frozenset({Role.COMMITTEE_LEADER})
#: The fields a plan version copies into the next one.
PLAN_COPIED = (
    "title",
    "target_id",
    "event_id",
    "classification",
    "purpose",
    "forces",
    "assignments",
    "initial_response",
    "issuer_parent",
    "issuer",
    "number",
    "place",
    "signer_authority",
    "signer_title",
    "signer_name",
)


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


# --- Protection plans -----------------------------------------------------------------------------------
def can_approve(user) -> bool:
    return getattr(user, "role", None) in APPROVER_ROLES


def _visible(actor, obj, action=access.VIEW, *, lock=False):
    # Lock the plan's own row only: the classification check joins its (nullable) target and event.
    qs = type(obj).objects.select_for_update(of=("self",)) if lock else type(obj).objects.all()
    found = access.restrict(qs, actor, action).filter(pk=obj.pk).first()
    if found is None:
        raise PermissionDenied(_("Không có quyền."))
    return found


def _approver_name(actor) -> str:
    person = getattr(actor, "person", None) if getattr(actor, "person_id", None) else None
    name = str(person) if person is not None else (actor.get_full_name() or actor.get_username())
    return name[:300]


def plan_approve(*, actor, plan: ProtectionPlan) -> ProtectionPlan:
    """Approve a draft (the committee leader only): who and when are recorded, the review date defaults to
    a year on, and the approved version it replaces becomes superseded."""
    if not can_approve(actor):
        raise PermissionDenied(_("Chỉ lãnh đạo Ban Chỉ đạo phê duyệt phương án bảo vệ."))
    with service_transaction():
        plan = _visible(actor, plan, lock=True)
        if plan.status != PlanStatus.DRAFT:
            raise ValidationError(_("Chỉ phê duyệt được phương án đang dự thảo."))
        missing = [
            f
            for f in ("purpose", "forces", "assignments", "initial_response")
            if not getattr(plan, f).strip()
        ]
        if missing:
            raise ValidationError(
                {
                    name: _("Phương án chưa có nội dung mục này: bổ sung trước khi trình duyệt.")
                    for name in missing
                }
            )
        supersede_previous(
            actor=actor, obj=plan, active=PlanStatus.APPROVED, superseded=PlanStatus.SUPERSEDED
        )
        before = snapshot(plan)
        plan.status, plan.approved_at = PlanStatus.APPROVED, timezone.now()
        plan.approved_by = _approver_name(actor)
        if plan.review_date is None:
            plan.review_date = timezone.localdate() + dt.timedelta(days=PLAN_REVIEW_DAYS)
        plan.save(update_fields=["status", "approved_at", "approved_by", "review_date", "updated"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=plan, before=before, after=snapshot(plan))
    return plan


def plan_new_version(*, actor, plan: ProtectionPlan) -> ProtectionPlan:
    """A new draft copying an approved (or superseded) plan's content and its files' latest versions; the
    approved one stays in force until the new one is approved."""
    if not access.has_action(actor, ProtectionPlan, access.ADD):
        raise PermissionDenied(_("Không có quyền."))
    with service_transaction():
        plan = _visible(actor, plan, lock=True)
        if plan.status == PlanStatus.DRAFT:
            raise ValidationError(_("Phương án đang dự thảo: sửa trực tiếp, không cần phiên bản mới."))
        if ProtectionPlan.objects.filter(previous=plan).exists():
            raise ValidationError(_("Phiên bản này đã có phiên bản sau: tạo phiên bản mới từ bản mới nhất."))
        copy = ProtectionPlan(
            **{name: getattr(plan, name) for name in PLAN_COPIED}, version=plan.version + 1, previous=plan
        )
        copy.save()
        latest: dict[str, PlanFile] = {}
        for f in plan.files.order_by("title", "-version"):
            latest.setdefault(f.title, f)
        for f in latest.values():
            # The stored file is shared, not copied: the new version starts from the same documents.
            PlanFile.objects.create(plan=copy, title=f.title, file=f.file.name, version=f.version)
        audit_record(actor=actor, action=AuditAction.CREATE, obj=copy, after=snapshot(copy))
    return copy


def plan_file_upload(*, actor, upload: PlanFile) -> PlanFile:
    """Store a file of a plan the actor may see; a file with the title of an existing one of the same plan
    becomes its next version (earlier versions are kept)."""
    with service_transaction():
        latest = (
            PlanFile.objects.filter(plan_id=upload.plan_id, title=upload.title).order_by("-version").first()
        )
        upload.version = latest.version + 1 if latest else 1
        return services.object_create(actor=actor, instance=upload)


# --- Findings and corrective actions --------------------------------------------------------------------
def finding_close(*, actor, finding: Finding, note: str, closed_on: dt.date | None = None) -> Finding:
    """Close a corrective action with its result and date (the owner agency's focal point: its own agency's
    actions only — the row rule of CHANGE)."""
    note = (note or "").strip()
    problem = text_problem(note)
    if problem or len(note) > 5000:
        raise ValidationError({"closing_note": problem or _("Kết quả khắc phục dài tối đa 5.000 ký tự.")})
    changes = {
        "status": ActionStatus.CLOSED,
        "closing_note": note,
        "closed_on": closed_on or timezone.localdate(),
    }
    return services.object_update(actor=actor, instance=finding, changes=changes)
