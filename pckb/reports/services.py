"""Writes of the reports module. Schedules and drafts go through the generic audited services
(``core.services.object_*``); submitting (which freezes the figures), returning and accepting go through the
functions here, each in one transaction with its audit entry; the reminders are a periodic job."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pckb.accounts.choices import Role
from pckb.accounts.models import User
from pckb.core import access, errors, services
from pckb.core.auditing import record as audit_record
from pckb.core.auditing import snapshot
from pckb.core.choices import AuditAction
from pckb.notifications.services import notify
from pckb.reports import selectors
from pckb.reports.choices import DUE_SOON_DAYS, SENT_STATUSES, ReportStatus
from pckb.reports.models import PeriodicReport, ReportSchedule

OFFICE_ROLES = (Role.NATIONAL_OFFICE, Role.PROVINCIAL_OFFICE)


def _name(actor) -> str:
    return actor.get_full_name() or actor.get_username()


def office_users(committee):
    """The active standing-office accounts of a committee (scope = the committee's unit)."""
    if committee is None:
        return User.objects.none()
    return User.objects.filter(is_active=True, role__in=OFFICE_ROLES, scope_path=committee.unit.path)


def _neutral(report: PeriodicReport) -> str | None:
    """What leaves the system (e-mail, webhook) about a classified report: no title."""
    return _("Có báo cáo định kỳ cần xem trên PCKB Hub.") if report.classification else None


def report_submit(*, actor, report: PeriodicReport, now: dt.datetime | None = None) -> PeriodicReport:
    """Send a draft (or a returned report) to the higher committee: the figures are compiled now and frozen
    in the report's snapshot, so what was sent never changes afterwards."""
    now = now or timezone.now()
    with services.service_transaction():
        current = services.object_get(
            actor=actor, model=PeriodicReport, action=access.CHANGE, pk=report.pk, lock=True
        )
        if not current.is_editable:
            raise errors.ValidationError(_("Báo cáo đã được gửi; không gửi lại."))
        if not current.title.strip():
            raise errors.ValidationError({"title": _("Cần nhập tên báo cáo.")})
        before = snapshot(current)
        current.snapshot = {
            "compiled_at": now.isoformat(),
            "compiled_by": _name(actor),
            "sections": selectors.compile_for(actor, current.schedule),
        }
        current.status = ReportStatus.SUBMITTED
        current.submitted_at = now
        current.submitted_by = _name(actor)
        current.save(update_fields=["snapshot", "status", "submitted_at", "submitted_by", "updated"])
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=current, before=before, after=snapshot(current)
        )
        committee = current.schedule.committee
        notify(
            recipients=office_users(committee.parent),
            event="reports.submitted",
            title=_("{committee} đã gửi {title}").format(committee=committee.name, title=current.title),
            url=current.get_absolute_url(),
            obj=current,
            dedupe_key=f"reports.submitted:{current.pk}:{now.isoformat()}",
            external_title=_neutral(current),
            external_body="" if current.classification else None,
        )
    return current


def _review(*, actor, report: PeriodicReport, status: str, comment: str, now) -> PeriodicReport:
    now = now or timezone.now()
    with services.service_transaction():
        current = services.object_get(actor=actor, model=PeriodicReport, pk=report.pk, lock=True)
        if not selectors.can_review(actor, current):
            raise errors.PermissionDenied(
                _("Chỉ Văn phòng Thường trực cấp trên xem xét báo cáo đã được gửi.")
            )
        before = snapshot(current)
        current.status = status
        current.reviewed_at = now
        current.reviewed_by = _name(actor)
        current.review_comment = comment
        fields = ["status", "reviewed_at", "reviewed_by", "review_comment", "updated"]
        if status == ReportStatus.RETURNED:
            current.snapshot = None  # back to a draft: its figures are compiled again when it is sent again
            fields.append("snapshot")
        current.save(update_fields=fields)
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=current, before=before, after=snapshot(current)
        )
        title = (
            _("Báo cáo bị trả lại: {title}")
            if status == ReportStatus.RETURNED
            else _("Báo cáo đã được tiếp nhận: {title}")
        ).format(title=current.title)
        notify(
            recipients=office_users(current.schedule.committee),
            event=f"reports.{status}",
            title=title,
            body=comment,
            url=current.get_absolute_url(),
            obj=current,
            dedupe_key=f"reports.{status}:{current.pk}:{now.isoformat()}",
            external_title=_neutral(current),
            external_body="" if current.classification else None,
        )
    return current


def report_return(*, actor, report: PeriodicReport, comment: str, now=None) -> PeriodicReport:
    """The higher committee's standing office returns a sent report with its comments, for rework."""
    comment = (comment or "").strip()
    if not comment:
        raise errors.ValidationError({"comment": _("Cần ghi ý kiến khi trả lại báo cáo.")})
    return _review(actor=actor, report=report, status=ReportStatus.RETURNED, comment=comment, now=now)


def report_accept(*, actor, report: PeriodicReport, comment: str = "", now=None) -> PeriodicReport:
    """The higher committee's standing office accepts a sent report."""
    return _review(
        actor=actor, report=report, status=ReportStatus.ACCEPTED, comment=(comment or "").strip(), now=now
    )


def report_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind each committee's standing office of a report not yet sent: once when it falls due within
    ``DUE_SOON_DAYS`` days, once more when it is late. Idempotent (a dedupe key per schedule and stage), so
    the job can run as often as it likes. Returns the notifications created now."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    schedules = (
        ReportSchedule.objects.filter(
            due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
            due_date__gte=today - dt.timedelta(days=60),
        )
        .exclude(Q(report__status__in=SENT_STATUSES))
        .select_related("committee__unit")
        .order_by("due_date", "id")
    )
    created = 0
    for schedule in schedules:
        late = schedule.due_date < today
        stage = "late" if late else "soon"
        if late:
            title = _("Quá hạn gửi {kind} (hạn {due})")
        else:
            title = _("Sắp đến hạn gửi {kind} (hạn {due})")
        title = title.format(kind=schedule.get_kind_display(), due=schedule.due_date.strftime("%d/%m/%Y"))
        created += len(
            notify(
                recipients=office_users(schedule.committee),
                event=f"reports.due_{stage}",
                title=title,
                body=_("Kỳ báo cáo {period}.").format(period=schedule.period_label),
                url=schedule.get_absolute_url(),
                obj=schedule,
                dedupe_key=f"reports.due:{schedule.pk}:{stage}",
            )
        )
    return created
