"""Writes of the response module: plan approval and versions, report intake with the encrypted contact,
forwarding, closing as unfounded, revealing the contact; incidents (open, attach a report, activate a plan,
acknowledge and finish checklist items, escalate, log, close, review). Each runs in one service transaction
and audits; every change of an incident ends in :func:`_announce` (an event sent after commit)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pckb.accounts.choices import Role
from pckb.core import access, errors
from pckb.core.auditing import record as audit_record
from pckb.core.auditing import snapshot
from pckb.core.choices import AuditAction
from pckb.core.events import emit
from pckb.core.services import object_create, object_update, service_transaction, supersede_previous
from pckb.core.text import fold
from pckb.live.services import publish
from pckb.response import crypto
from pckb.response.choices import IncidentStatus, LogKind, PlanStatus, ReportStatus
from pckb.response.models import (
    AcknowledgementLink,
    ChecklistItem,
    CorrectiveAction,
    Incident,
    IncidentLogEntry,
    PlanStep,
    Report,
    ReportForwarding,
    ScenarioPlan,
    SituationReport,
)

#: The event every change of an incident sends after commit (live pages subscribe to it).
INCIDENT_CHANGED = "response.incident_changed"

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
        supersede_previous(
            actor=actor, obj=plan, active=PlanStatus.APPROVED, superseded=PlanStatus.SUPERSEDED
        )
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


# --- Incidents ------------------------------------------------------------------------------------------
def _announce(incident: Incident, kind: str) -> None:
    """The one place an incident's change is announced: after commit, to whoever listens; and on the
    incident's live stream (stored in this transaction, so a reconnecting page replays what it missed)."""
    emit(INCIDENT_CHANGED, incident_id=incident.pk, kind=kind)
    publish(incident, f"incident.{kind}", {"incident": incident.pk})


def _log_system(incident: Incident, text: str, *, actor=None, at=None) -> IncidentLogEntry:
    """A log line the system writes for an action (activation, escalation, closure): append-only too."""
    entry = IncidentLogEntry(
        incident=incident,
        occurred_at=at or timezone.now(),
        text=text,
        kind=LogKind.SYSTEM,
        author=actor if getattr(actor, "is_authenticated", False) else None,
    )
    entry.save()
    return entry


def _locked_incident(actor, incident_id, action=access.CHANGE) -> Incident:
    incident = (
        access.restrict(Incident.objects.select_for_update(of=("self",)), actor, action)
        .filter(pk=incident_id)
        .first()
    )
    if incident is None:
        raise PermissionDenied(_("Không có quyền."))
    return incident


def _locked_report(actor, report_id) -> Report:
    report = (
        access.restrict(Report.objects.select_for_update(of=("self",)), actor, access.CHANGE)
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise PermissionDenied(_("Không có quyền."))
    if report.closed:
        raise ValidationError(_("Tin báo đã đóng hoặc đã gắn với sự cố."))
    return report


def report_committee(actor, report: Report):
    """The committee that handles a report: the nearest one (visible to the actor) whose area holds the
    receiving unit."""
    from pckb.directory.models import Committee

    path = report.receiving_unit.path
    candidates = [
        c
        for c in access.restrict(Committee.objects.select_related("unit"), actor)
        if path.startswith(c.unit.path)
    ]
    return max(candidates, key=lambda c: len(c.unit.path), default=None)


def incident_open(*, actor, incident: Incident, report: Report | None = None) -> Incident:
    """Open an incident, directly or from a report (the report then reads "Đã mở sự cố")."""
    with service_transaction():
        if report is not None:
            report = _locked_report(actor, report.pk)
        incident = object_create(actor=actor, instance=incident)
        if report is not None:
            _report_link(actor, report, incident, ReportStatus.INCIDENT)
            text = _("Mở sự cố từ {report}.").format(report=report)
        else:
            text = _("Mở sự cố.")
        _log_system(incident, text, actor=actor, at=incident.opened_at)
        _announce(incident, "opened")
    return incident


def incident_open_from_report(*, actor, report: Report) -> Incident:
    """ "Mở sự cố" on a report: the incident takes the report's place, summary and classification."""
    committee = report_committee(actor, report)
    if committee is None:
        raise ValidationError(_("Không tìm thấy Ban Chỉ đạo phụ trách địa bàn của tin báo."))
    summary = " ".join(report.summary.split())
    incident = Incident(
        title=summary if len(summary) <= 120 else summary[:119] + "…",
        committee=committee,
        place_unit=report.place_unit,
        place_text=report.place_text,
        classification=report.classification,
    )
    return incident_open(actor=actor, incident=incident, report=report)


def _report_link(actor, report: Report, incident: Incident, status: str) -> None:
    before = snapshot(report)
    report.status, report.incident = status, incident
    report.save(update_fields=["status", "incident", "updated"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=report, before=before, after=snapshot(report))


def incident_attach_report(*, actor, report: Report, incident: Incident) -> Incident:
    """ "Gộp vào sự cố đang xử lý": the report is attached to an open incident."""
    with service_transaction():
        report = _locked_report(actor, report.pk)
        incident = _locked_incident(actor, incident.pk, access.VIEW)
        if not incident.is_open:
            raise ValidationError({"incident": _("Sự cố đã kết thúc: không gộp thêm tin báo.")})
        _report_link(actor, report, incident, ReportStatus.ATTACHED)
        _log_system(incident, _("Gộp {report} vào sự cố.").format(report=report), actor=actor)
        _announce(incident, "report_attached")
    return incident


_COMMAND_FIELDS = ("commander_title", "commander_name", "commander_decision", "measures")


def incident_update(*, actor, incident: Incident, changes: dict) -> Incident:
    """Edit an open incident; a new commander or new measures are also written in the log."""
    with service_transaction():
        current = _locked_incident(actor, incident.pk)
        if not current.is_open:
            raise ValidationError(_("Sự cố đã kết thúc: không sửa được."))
        incident = object_update(actor=actor, instance=incident, changes=changes)
        if {"commander_title", "commander_name", "commander_decision"} & set(changes):
            _log_system(
                incident,
                _("Chỉ định người chỉ huy: {title} {name} ({decision}).").format(
                    title=incident.commander_title,
                    name=incident.commander_name,
                    decision=incident.commander_decision or _("chưa ghi quyết định"),
                ),
                actor=actor,
            )
        if "measures" in changes and incident.measures != current.measures:
            _log_system(
                incident,
                _("Biện pháp khẩn cấp đang áp dụng: {measures}.").format(
                    measures="; ".join(incident.measure_list) or _("không")
                ),
                actor=actor,
            )
        _announce(incident, "updated")
    return incident


def activatable_plans(actor, incident: Incident):
    """Approved plans the actor may see, not yet activated in this incident, not above its classification."""
    done = ChecklistItem.objects.filter(incident=incident).values("plan_id")
    return (
        access.restrict(ScenarioPlan.objects.filter(status=PlanStatus.APPROVED), actor)
        .filter(classification__lte=incident.classification)
        .exclude(pk__in=done)
        .order_by("sort_key", "pk")
    )


def plan_activate(*, actor, incident: Incident, plan: ScenarioPlan, now: dt.datetime | None = None) -> int:
    """ "Kích hoạt phương án": one checklist item per step of an approved plan, due at activation time plus
    the step's offset, in one transaction; the agencies' focal points are notified. Returns the item count."""
    now = now or timezone.now()
    with service_transaction():
        incident = _locked_incident(actor, incident.pk)
        if not incident.is_open:
            raise ValidationError(_("Sự cố đã kết thúc: không kích hoạt phương án được."))
        plan = access.restrict(ScenarioPlan.objects.all(), actor).filter(pk=plan.pk).first()
        if plan is None:
            raise ValidationError({"plan": _("Không tìm thấy phương án.")})
        if plan.status != PlanStatus.APPROVED:
            raise ValidationError({"plan": _("Chỉ kích hoạt được phương án đã phê duyệt.")})
        if plan.classification > incident.classification:
            raise ValidationError(
                {"plan": _("Phương án có độ mật cao hơn sự cố: nâng độ mật của sự cố trước khi kích hoạt.")}
            )
        if ChecklistItem.objects.filter(incident=incident, plan=plan).exists():
            raise ValidationError({"plan": _("Phương án này đã được kích hoạt cho sự cố.")})
        steps = list(
            PlanStep.objects.filter(phase__plan=plan)
            .select_related("phase")
            .order_by("phase__order", "phase_id", "order", "id")
        )
        if not steps:
            raise ValidationError({"plan": _("Phương án chưa có bước xử lý nào.")})
        items = []
        for n, step in enumerate(steps, start=1):
            escalate = step.needs_ack and step.escalate_after is not None and step.escalate_to_id
            items.append(
                ChecklistItem(
                    incident=incident,
                    plan=plan,
                    step=step,
                    phase_title=step.phase.title[:200],
                    order=n,
                    agency_id=step.agency_id,
                    position_id=step.position_id,
                    action=step.action,
                    activated_at=now,
                    due_at=now + dt.timedelta(minutes=step.due_minutes),
                    needs_ack=step.needs_ack,
                    escalate_after=step.escalate_after if escalate else None,
                    escalate_at=now + dt.timedelta(minutes=step.escalate_after) if escalate else None,
                    escalate_to_id=step.escalate_to_id if escalate else None,
                    search_text=fold(step.action),
                )
            )
        ChecklistItem.objects.bulk_create(items, batch_size=500)
        agency_ids = sorted({item.agency_id for item in items})
        _log_system(
            incident,
            _("Kích hoạt {plan}: {items} việc cho {agencies} cơ quan.").format(
                plan=plan, items=len(items), agencies=len(agency_ids)
            ),
            actor=actor,
            at=now,
        )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=incident,
            after={"activated_plan": plan.pk, "checklist_items": len(items)},
        )
        _notify_agencies(incident, plan, agency_ids)
        _announce(incident, "activated")
    return len(items)


def _can_see(user, incident: Incident) -> bool:
    """Whether ``user`` may see ``incident`` (scope and clearance; read from memory, no query)."""
    path = incident.committee.unit.path
    in_scope = user.has_national_scope or (bool(user.scope_path) and path.startswith(user.scope_path))
    return in_scope and user.clearance >= incident.classification


def _external(incident: Incident, title: str, body: str) -> tuple[str | None, str | None]:
    """What leaves the system by e-mail or webhook: a neutral text for a classified incident."""
    if incident.classification:
        return _("PCKB Hub: có việc cần xử lý"), _("Đăng nhập PCKB Hub để xem chi tiết.")
    return None, None


def _notify_agencies(incident: Incident, plan: ScenarioPlan, agency_ids: list[int]) -> None:
    """Tell the focal-point accounts of the agencies that have items (those who may see the incident), in
    one call: in-app now, e-mail and webhook through the outbox after commit."""
    from pckb.accounts.models import User
    from pckb.notifications.services import notify

    incident = Incident.objects.select_related("committee__unit").get(pk=incident.pk)
    focal = User.objects.filter(
        role=Role.AGENCY_FOCAL,
        is_active=True,
        person__agency_id__in=agency_ids,
        clearance__gte=incident.classification,
    ).select_related("person")
    recipients = [user for user in focal if _can_see(user, incident)]
    if not recipients:
        return
    title = _("Sự cố {incident}: cơ quan có việc mới").format(incident=incident)
    body = _("Kích hoạt {plan}. Mở trang sự cố để xác nhận đã nhận từng việc.").format(plan=plan)
    ext_title, ext_body = _external(incident, title, body)
    now = timezone.now()
    to_ack: list[ChecklistItem] = []

    def links(user) -> str:  # only called for a recipient whose e-mail is queued
        if not to_ack:
            to_ack.extend(ChecklistItem.objects.filter(incident=incident, plan=plan, needs_ack=True))
        return _ack_links_text(
            user, [i for i in to_ack if i.agency_id == user.person.agency_id], incident, now
        )

    notify(
        recipients=recipients,
        event="response.checklist_assigned",
        title=title,
        body=body,
        url=incident.get_absolute_url(),
        obj=incident,
        dedupe_key=f"response.activation.{incident.pk}.{plan.pk}",
        external_title=ext_title,
        external_body=ext_body,
        email_extra=links,
    )


def _item_for(actor, item: ChecklistItem) -> ChecklistItem:
    found = (
        access.restrict(ChecklistItem.objects.select_related("incident"), actor, access.CHANGE)
        .filter(pk=item.pk)
        .first()
    )
    if found is None:
        raise PermissionDenied(_("Không có quyền."))
    if not found.incident.is_open:
        raise ValidationError(_("Sự cố đã kết thúc."))
    return found


def checklist_acknowledge(
    *, actor, item: ChecklistItem, now: dt.datetime | None = None, via: str = ""
) -> ChecklistItem:
    """ "Xác nhận đã nhận": exactly one acknowledgement, even when several people press at once (a
    conditional UPDATE: the second one finds the row already acknowledged and changes nothing). ``via``
    names the way it came (the e-mail's one-time link) in the audit entry."""
    now = now or timezone.now()
    with service_transaction():
        item = _item_for(actor, item)
        if not item.needs_ack:
            raise ValidationError(_("Việc này không cần xác nhận đã nhận."))
        won = ChecklistItem.objects.filter(pk=item.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=now, acknowledged_by=actor, updated=now
        )
        if not won:
            raise ValidationError(_("Việc này đã được xác nhận đã nhận."))
        item.refresh_from_db()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=item,
            before={"acknowledged_at": None},
            after={"acknowledged_at": now.isoformat(), **({"via": via} if via else {})},
        )
        _announce(item.incident, "acknowledged")
    return item


# --- One-time acknowledgement links (sent by e-mail) ------------------------------------------------------
def ack_token_hash(token: str) -> str:
    """What is stored of a link's token: its SHA-256 (the token itself lives only in the e-mail)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _ack_links_text(user, items: list[ChecklistItem], incident: Incident, now: dt.datetime) -> str:
    """Make one link per open item that ``user`` may acknowledge (bound to the item and the user, single
    use, expiring after ``PCKB_ACK_LINK_HOURS``) and return the lines that go at the end of their e-mail.
    A classified incident's item is named by its number only (its text does not leave the system)."""
    open_items = [i for i in items if i.needs_ack and i.acknowledged_at is None and i.done_at is None]
    if not open_items:
        return ""
    actable = set(
        access.restrict(
            ChecklistItem.objects.filter(pk__in=[i.pk for i in open_items]), user, access.CHANGE
        ).values_list("pk", flat=True)
    )
    hours = settings.PCKB_ACK_LINK_HOURS
    site = settings.PCKB_SITE_URL.rstrip("/")
    links, lines = [], []
    for item in open_items:
        if item.pk not in actable:
            continue
        token = secrets.token_urlsafe(32)
        links.append(
            AcknowledgementLink(
                item=item,
                recipient=user,
                token_hash=ack_token_hash(token),
                expires_at=now + dt.timedelta(hours=hours),
            )
        )
        label = (
            _("Việc số {order}").format(order=item.order)
            if incident.classification
            else " ".join(item.action.split())[:160]
        )
        lines.append(
            "- {label}:\n  {url}".format(label=label, url=site + reverse("response:ack_link", args=[token]))
        )
    if not links:
        return ""
    AcknowledgementLink.objects.bulk_create(links)
    heading = _(
        "Xác nhận đã nhận bằng liên kết dưới đây (mỗi liên kết dùng một lần, hết hạn sau {hours} giờ; "
        "không chuyển thư này cho người khác):"
    ).format(hours=hours)
    return "\n\n" + heading + "\n" + "\n".join(lines) + "\n"


def checklist_acknowledge_by_link(*, token: str, now: dt.datetime | None = None) -> ChecklistItem:
    """Acknowledge the one item of a one-time link, as its recipient (through :func:`checklist_acknowledge`,
    audited, with the recipient's own rights). A forged token is ``NotFound``; a used or expired link, or an
    item already acknowledged, is refused and nothing changes. The link is spent in the same transaction."""
    now = now or timezone.now()
    with service_transaction():
        link = (
            AcknowledgementLink.objects.select_for_update(of=("self",))
            .select_related("recipient", "item")
            .filter(token_hash=ack_token_hash(token))
            .first()
        )
        if link is None:
            raise errors.NotFound(_("Không tìm thấy liên kết xác nhận."))
        if link.used_at is not None:
            raise ValidationError(_("Liên kết này đã được dùng. Mỗi liên kết chỉ dùng được một lần."))
        if link.expired(now):
            raise ValidationError(
                _("Liên kết này đã hết hạn. Đăng nhập PCKB Hub để xác nhận trên trang sự cố.")
            )
        item = checklist_acknowledge(
            actor=link.recipient, item=link.item, now=now, via=_("liên kết một lần trong thư")
        )
        AcknowledgementLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=now)
    return item


def checklist_done(*, actor, item: ChecklistItem, now: dt.datetime | None = None) -> ChecklistItem:
    """ "Báo đã xong": once; an item that needed acknowledgement is acknowledged by it too."""
    now = now or timezone.now()
    with service_transaction():
        item = _item_for(actor, item)
        won = ChecklistItem.objects.filter(pk=item.pk, done_at__isnull=True).update(
            done_at=now, done_by=actor, updated=now
        )
        if not won:
            raise ValidationError(_("Việc này đã được báo hoàn thành."))
        if item.needs_ack:
            ChecklistItem.objects.filter(pk=item.pk, acknowledged_at__isnull=True).update(
                acknowledged_at=now, acknowledged_by=actor
            )
        item.refresh_from_db()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=item,
            before={"done_at": None},
            after={"done_at": now.isoformat()},
        )
        _announce(item.incident, "done")
    return item


def escalation_recipients(item: ChecklistItem) -> list:
    """Who hears of an unacknowledged item: the holders of the to-position (through the committee's
    membership) who may see the incident; failing that, the committee's standing office users."""
    from pckb.accounts.models import User
    from pckb.directory.models import Membership

    incident = item.incident
    today = timezone.localdate()
    people = []
    if item.escalate_to_id:
        people = list(
            Membership.objects.filter(position_id=item.escalate_to_id, valid_from__lte=today)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
            .values_list("person_id", flat=True)
        )
    users = [u for u in User.objects.filter(person_id__in=people, is_active=True) if _can_see(u, incident)]
    if users:
        return users
    offices = User.objects.filter(
        role__in=[Role.PROVINCIAL_OFFICE, Role.NATIONAL_OFFICE],
        is_active=True,
        scope_unit_id=incident.committee.unit_id,
    )
    return [u for u in offices if _can_see(u, incident)]


def checklist_escalate(*, now: dt.datetime | None = None) -> int:
    """Escalate, once, every item past its escalation time without an acknowledgement (of an open
    incident). Idempotent: an item is marked ``escalated_at`` in the same transaction as its notification,
    by a conditional UPDATE, so two workers never escalate it twice. Returns how many were escalated."""
    from pckb.notifications.services import notify

    now = now or timezone.now()
    due = (
        ChecklistItem.objects.filter(
            needs_ack=True,
            acknowledged_at__isnull=True,
            done_at__isnull=True,
            escalated_at__isnull=True,
            escalate_at__lte=now,
            incident__status=IncidentStatus.OPEN,
        )
        .select_related("incident__committee__unit", "agency", "escalate_to")
        .order_by("escalate_at", "id")
    )
    escalated = 0
    for item in list(due[:500]):
        with service_transaction():
            won = ChecklistItem.objects.filter(pk=item.pk, escalated_at__isnull=True).update(escalated_at=now)
            if not won:
                continue
            incident = item.incident
            recipients = escalation_recipients(item)
            minutes = int((now - item.activated_at).total_seconds() // 60)
            title = _("Chưa xác nhận sau {minutes} phút: {agency}").format(
                minutes=minutes, agency=item.agency
            )
            body = _("Sự cố {incident}. Việc: {action}").format(incident=incident, action=item.action[:300])
            ext_title, ext_body = _external(incident, title, body)
            notify(
                recipients=recipients,
                event="response.checklist_escalated",
                title=title,
                body=body,
                url=incident.get_absolute_url(),
                obj=incident,
                dedupe_key=f"response.escalation.{item.pk}",
                external_title=ext_title,
                external_body=ext_body,
                email_extra=lambda user, item=item, incident=incident: _ack_links_text(
                    user, [item], incident, now
                ),
            )
            _log_system(
                incident,
                _("{agency} chưa xác nhận “{action}” sau {minutes} phút: đã báo {to}.").format(
                    agency=item.agency,
                    action=item.action[:120],
                    minutes=minutes,
                    to=item.escalate_to or _("Văn phòng Thường trực"),
                ),
                at=now,
            )
            audit_record(
                actor=None,
                action=AuditAction.UPDATE,
                obj=item,
                before={"escalated_at": None},
                after={"escalated_at": now.isoformat(), "recipients": len(recipients)},
                username="system",
            )
            _announce(incident, "escalated")
            escalated += 1
    return escalated


def log_entry_add(*, actor, entry: IncidentLogEntry) -> IncidentLogEntry:
    """Append a line to the log (a correction names the entry it corrects); the author is the actor."""
    with service_transaction():
        incident = access.restrict(Incident.objects.all(), actor).filter(pk=entry.incident_id).first()
        if incident is None:
            raise ValidationError({"incident": _("Không tìm thấy sự cố.")})
        entry.incident = incident
        if entry.corrects_id:
            corrected = (
                access.restrict(IncidentLogEntry.objects.all(), actor).filter(pk=entry.corrects_id).first()
            )
            if corrected is None:
                raise ValidationError({"corrects": _("Không tìm thấy diễn biến được đính chính.")})
            entry.kind = LogKind.CORRECTION
        entry.author = actor
        entry = object_create(actor=actor, instance=entry)
        _announce(incident, "log")
    return entry


def incident_close(*, actor, incident: Incident, summary: str, now: dt.datetime | None = None) -> Incident:
    """End an incident with the summary of its outcome; open checklist items stay as they were."""
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"summary": _("Ghi tóm tắt kết quả xử lý.")})
    now = now or timezone.now()
    with service_transaction():
        incident = _locked_incident(actor, incident.pk)
        if not incident.is_open:
            raise ValidationError(_("Sự cố đã kết thúc."))
        before = snapshot(incident)
        incident.status, incident.closed_at, incident.closure_summary = IncidentStatus.CLOSED, now, summary
        incident.save(update_fields=["status", "closed_at", "closure_summary", "updated"])
        _log_system(
            incident, _("Kết thúc xử lý sự cố. {summary}").format(summary=summary), actor=actor, at=now
        )
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=incident, before=before, after=snapshot(incident)
        )
        _announce(incident, "closed")
    return incident


def incident_review(*, actor, incident: Incident, text: str) -> Incident:
    """Write (or rewrite) the after-action review of a closed incident."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Ghi nội dung đánh giá.")})
    if not access.has_action(actor, Incident, access.CHANGE):
        raise PermissionDenied(_("Không có quyền."))
    with service_transaction():
        # A closed incident no longer changes (row rule): the review is its one write after closure.
        incident = _locked_incident(actor, incident.pk, access.VIEW)
        if incident.is_open:
            raise ValidationError(_("Chỉ đánh giá sau khi sự cố đã kết thúc."))
        before = snapshot(incident)
        incident.review_text, incident.reviewed_at = text, timezone.now()
        incident.save(update_fields=["review_text", "reviewed_at", "updated"])
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=incident, before=before, after=snapshot(incident)
        )
        _announce(incident, "reviewed")
    return incident


def corrective_action_create(*, actor, action: CorrectiveAction) -> CorrectiveAction:
    with service_transaction():
        action = object_create(actor=actor, instance=action)
        _announce(action.incident, "corrective_action")
    return action


def corrective_action_update(*, actor, action: CorrectiveAction, changes: dict) -> CorrectiveAction:
    with service_transaction():
        action = object_update(actor=actor, instance=action, changes=changes)
        _announce(action.incident, "corrective_action")
    return action


def situation_report_create(*, actor, report: SituationReport) -> SituationReport:
    """Number and record a situation report of an incident the actor may see (the next number of that
    incident, under the incident's row lock so two offices never get the same number)."""
    if not access.has_action(actor, SituationReport, access.ADD):
        raise PermissionDenied(_("Không có quyền."))
    with service_transaction():
        incident = (
            access.restrict(Incident.objects.select_for_update(), actor).filter(pk=report.incident_id).first()
        )
        if incident is None:
            raise ValidationError({"incident": _("Không tìm thấy sự cố.")})
        last = SituationReport.objects.filter(incident=incident).order_by("-number").first()
        report.incident = incident
        report.number = (last.number if last else 0) + 1
        report.issued_at = timezone.now()
        report.author = actor.get_full_name() or actor.get_username()
        report = object_create(actor=actor, instance=report)
        _announce(incident, "sitrep")
    return report
