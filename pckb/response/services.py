"""Writes of the response module: plan approval and versions, report intake with the encrypted contact,
forwarding, closing as unfounded, revealing the contact. Each runs in one service transaction and audits."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from pckb.accounts.choices import Role
from pckb.core import access
from pckb.core.auditing import record as audit_record
from pckb.core.auditing import snapshot
from pckb.core.choices import AuditAction
from pckb.core.services import object_create, object_update, service_transaction
from pckb.response import crypto
from pckb.response.choices import PlanStatus, ReportStatus
from pckb.response.models import PlanStep, Report, ReportForwarding, ScenarioPlan

#: Roles that may read a reporter's contact: the intake officer and the committee's leaders.
CONTACT_ROLES = frozenset({Role.INTAKE_OFFICER, Role.COMMITTEE_LEADER})
#: Roles that approve a plan (the committee leader, Luật PCKB: the committee's head signs its plans).
APPROVER_ROLES = frozenset({Role.COMMITTEE_LEADER})
MAX_CONTACT = 300


def can_approve(user) -> bool:
    return getattr(user, "role", None) in APPROVER_ROLES


def can_reveal(user) -> bool:
    return getattr(user, "role", None) in CONTACT_ROLES and access.has_action(user, Report, access.VIEW)


def _visible(actor, obj, action=access.VIEW):
    found = access.restrict(type(obj).objects.filter(pk=obj.pk), actor, action).first()
    if found is None:
        raise PermissionDenied(_("Không có quyền."))
    return found


def plan_approve(*, actor, plan: ScenarioPlan) -> ScenarioPlan:
    """Approve a draft; the approved version it replaces becomes superseded."""
    if not can_approve(actor):
        raise PermissionDenied(_("Chỉ lãnh đạo Ban Chỉ đạo phê duyệt phương án."))
    with service_transaction():
        plan = access.restrict(ScenarioPlan.objects.select_for_update(), actor).filter(pk=plan.pk).first()
        if plan is None:
            raise PermissionDenied(_("Không có quyền."))
        if plan.status != PlanStatus.DRAFT:
            raise ValidationError(_("Chỉ phê duyệt được phương án đang dự thảo."))
        if not PlanStep.objects.filter(phase__plan=plan).exists():
            raise ValidationError(
                _("Phương án chưa có bước xử lý nào: thêm giai đoạn và bước trước khi duyệt.")
            )
        ancestor = plan.previous
        while ancestor is not None:
            if ancestor.status == PlanStatus.APPROVED:
                before = snapshot(ancestor)
                ancestor.status = PlanStatus.SUPERSEDED
                ancestor.save(update_fields=["status", "updated"])
                audit_record(
                    actor=actor,
                    action=AuditAction.UPDATE,
                    obj=ancestor,
                    before=before,
                    after=snapshot(ancestor),
                )
            ancestor = ancestor.previous
        before = snapshot(plan)
        plan.status, plan.approved_at = PlanStatus.APPROVED, timezone.now()
        plan.save(update_fields=["status", "approved_at", "updated"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=plan, before=before, after=snapshot(plan))
    return plan


def plan_new_version(*, actor, plan: ScenarioPlan) -> ScenarioPlan:
    """A new draft copying an approved plan's phases and steps (the approved one stays in force)."""
    if not access.has_action(actor, ScenarioPlan, access.ADD):
        raise PermissionDenied(_("Không có quyền."))
    with service_transaction():
        plan = _visible(actor, plan)
        if plan.status == PlanStatus.DRAFT:
            raise ValidationError(_("Phương án đang dự thảo: sửa trực tiếp, không cần phiên bản mới."))
        if plan.next_versions.filter(status=PlanStatus.DRAFT).exists():
            raise ValidationError(_("Đã có một phiên bản mới đang dự thảo."))
        copy = ScenarioPlan(
            title=plan.title,
            scenario_type=plan.scenario_type,
            committee=plan.committee,
            command_notes=plan.command_notes,
            classification=plan.classification,
            version=plan.version + 1,
            previous=plan,
        )
        copy.save()
        copy.target_categories.set(plan.target_categories.all())
        for phase in plan.phases.prefetch_related("steps"):
            steps = list(phase.steps.all())
            phase.pk = None
            phase.plan = copy
            phase.save()
            for step in steps:
                step.pk = None
                step.phase = phase
                step.save()
        audit_record(actor=actor, action=AuditAction.CREATE, obj=copy, after=snapshot(copy))
    return copy


def _check_contact(report: Report, contact: str) -> str:
    contact = (contact or "").strip()
    if len(contact) > MAX_CONTACT:
        raise ValidationError({"reporter_contact": _("Thông tin liên hệ quá dài (tối đa 300 ký tự).")})
    if contact and report.anonymous:
        raise ValidationError({"reporter_contact": _("Người báo tin giấu tên: không ghi thông tin liên hệ.")})
    return contact


def report_create(*, actor, report: Report, contact: str = "") -> Report:
    """Record a report; the contact (optional: anonymous reports are allowed) is encrypted before saving."""
    contact = _check_contact(report, contact)
    if contact:
        report.reporter_contact_token = crypto.encrypt(contact)
    return object_create(actor=actor, instance=report)


def report_update(*, actor, report: Report, changes: dict, contact: str = "") -> Report:
    contact = _check_contact(report, contact)
    if report.anonymous and report.reporter_contact_token:
        changes["reporter_contact_token"] = ""  # made anonymous: the stored contact is erased
    if contact:
        changes["reporter_contact_token"] = crypto.encrypt(contact)
    return object_update(actor=actor, instance=report, changes=changes)


def report_reveal_contact(*, actor, report: Report) -> str:
    """Decrypt the reporter's contact for the intake officer or a leader; every decryption is audited (the
    entry says that it was read, never what it says)."""
    if not can_reveal(actor):
        raise PermissionDenied(_("Không có quyền."))
    with service_transaction():
        report = _visible(actor, report)
        if not report.reporter_contact_token:
            raise ValidationError(_("Tin báo này không có thông tin người báo tin."))
        contact = crypto.decrypt(report.reporter_contact_token)
        audit_record(actor=actor, action=AuditAction.VIEW, obj=report, after={"reporter_contact": "đã xem"})
    return contact


def report_forward(*, actor, forwarding: ReportForwarding) -> ReportForwarding:
    """Record a forwarding; the report's first forwarding time and status follow."""
    if not access.has_action(actor, ReportForwarding, access.ADD):
        raise PermissionDenied(_("Không có quyền."))
    with service_transaction():
        report = (
            access.restrict(Report.objects.select_for_update(), actor, access.VIEW)
            .filter(pk=forwarding.report_id)
            .first()
        )
        if report is None:
            raise ValidationError({"report": _("Không tìm thấy tin báo.")})
        forwarding.report = report
        forwarding = object_create(actor=actor, instance=forwarding)
        before = snapshot(report)
        if report.first_forwarded_at is None or forwarding.forwarded_at < report.first_forwarded_at:
            report.first_forwarded_at = forwarding.forwarded_at
        if report.status == ReportStatus.RECEIVED:
            report.status = ReportStatus.FORWARDED
        report.save(update_fields=["first_forwarded_at", "status", "updated"])
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=report, before=before, after=snapshot(report)
        )
    return forwarding


def report_close_unfounded(*, actor, report: Report, reason: str) -> Report:
    """Close a report as unfounded, with the reason (kept for review)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Ghi lý do đóng tin báo.")})
    with service_transaction():
        report = (
            access.restrict(Report.objects.select_for_update(), actor, access.CHANGE)
            .filter(pk=report.pk)
            .first()
        )
        if report is None:
            raise PermissionDenied(_("Không có quyền."))
        if report.closed:
            raise ValidationError(_("Tin báo đã đóng."))
        before = snapshot(report)
        report.status, report.closure_reason = ReportStatus.UNFOUNDED, reason
        report.save(update_fields=["status", "closure_reason", "updated"])
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=report, before=before, after=snapshot(report)
        )
    return report
