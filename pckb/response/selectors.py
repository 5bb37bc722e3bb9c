"""Reads of the response module; each takes the user and starts from ``restrict``."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pckb.core import access
from pckb.core.todo import TodoItem
from pckb.response.choices import ActionStatus, IncidentStatus, ReportStatus, forward_minutes
from pckb.response.models import (
    ChecklistItem,
    CorrectiveAction,
    Incident,
    IncidentLogEntry,
    PlanPhase,
    PlanStep,
    Report,
    ReportForwarding,
    SituationReport,
)


def plan_phases(user, plan) -> list[PlanPhase]:
    """The plan's phases with their steps (agency and positions read with them), as the user may see them."""
    steps = access.restrict(PlanStep.objects.all(), user).select_related("agency", "position", "escalate_to")
    phases = access.restrict(PlanPhase.objects.filter(plan=plan), user).prefetch_related(
        Prefetch("steps", queryset=steps)
    )
    return list(phases)


def report_forwardings(user, report) -> list[ReportForwarding]:
    return list(
        access.restrict(ReportForwarding.objects.filter(report=report), user).select_related(
            "agency", "committee"
        )
    )


def reports_late(user, now: dt.datetime):
    """Reports still waiting to be forwarded after the deadline."""
    deadline = now - dt.timedelta(minutes=forward_minutes())
    return access.restrict(
        Report.objects.filter(status=ReportStatus.RECEIVED, received_at__lt=deadline), user
    ).order_by("received_at")


def todo_reports_late(user, now: dt.datetime):
    """Start page: reports not forwarded in time (the link opens the report, which the user may see)."""
    if not access.has_action(user, Report, access.VIEW):
        return []
    items = []
    for report in reports_late(user, now)[:20]:
        minutes = int((now - report.received_at).total_seconds() // 60)
        items.append(
            TodoItem(
                text=_("{report} quá hạn chuyển: đã {minutes} phút từ khi tiếp nhận").format(
                    report=report, minutes=minutes
                ),
                url=reverse("response:report", args=[report.pk]),
                level="danger",
                module=str(_("Tin báo")),
                when=report.received_at,
            )
        )
    return items


# --- Incidents ------------------------------------------------------------------------------------------
def incident_checklist(user, incident) -> list[ChecklistItem]:
    """The incident's checklist as the user may see it (an agency focal point: its own agency's items)."""
    return list(
        access.restrict(ChecklistItem.objects.filter(incident=incident), user).select_related(
            "agency", "position", "escalate_to"
        )
    )


def checklist_by_agency(items: list[ChecklistItem]) -> list[tuple]:
    """Items grouped per agency, in the order of the first item of each."""
    groups: dict[int, tuple] = {}
    for item in items:
        groups.setdefault(item.agency_id, (item.agency, []))[1].append(item)
    return list(groups.values())


def incident_board(items: list[ChecklistItem], now: dt.datetime) -> dict:
    """The board's counts, from the items the user may see."""
    return {
        "total": len(items),
        "unacknowledged": sum(1 for i in items if i.needs_ack and not i.acknowledged_at and not i.done_at),
        "escalated": sum(1 for i in items if i.escalated_at and not i.acknowledged_at and not i.done_at),
        "overdue": sum(1 for i in items if i.overdue(now)),
        "done": sum(1 for i in items if i.done_at),
    }


def incident_log(user, incident) -> list[IncidentLogEntry]:
    return list(
        access.restrict(IncidentLogEntry.objects.filter(incident=incident), user).select_related(
            "author", "corrects"
        )
    )


def incident_reports(user, incident) -> list[Report]:
    return list(access.restrict(Report.objects.filter(incident=incident), user))


def incident_actions(user, incident) -> list[CorrectiveAction]:
    return list(
        access.restrict(CorrectiveAction.objects.filter(incident=incident), user).select_related("agency")
    )


def open_incidents(user):
    return access.restrict(Incident.objects.filter(status=IncidentStatus.OPEN), user).order_by("-opened_at")


def todo_unacknowledged(user, now: dt.datetime):
    """Start page: checklist items the user may act on that still wait for an acknowledgement (an agency
    focal point: its own agency's)."""
    if not access.has_action(user, ChecklistItem, access.CHANGE):
        return []
    items = (
        access.restrict(
            ChecklistItem.objects.filter(
                needs_ack=True,
                acknowledged_at__isnull=True,
                done_at__isnull=True,
                incident__status=IncidentStatus.OPEN,
            ),
            user,
            access.CHANGE,
        )
        .select_related("agency", "incident")
        .order_by("due_at", "id")[:20]
    )
    return [
        TodoItem(
            text=_("Chưa xác nhận đã nhận — {agency}: {action}").format(
                agency=i.agency, action=i.action[:100]
            ),
            url=i.get_absolute_url(),
            level="danger" if i.escalated_at or i.overdue(now) else "warning",
            module=str(_("Sự cố")),
            when=i.due_at,
        )
        for i in items
    ]


def todo_open_incidents(user, now: dt.datetime):
    """Start page: incidents still being handled."""
    if not access.has_action(user, Incident, access.VIEW):
        return []
    return [
        TodoItem(
            text=_("Sự cố đang xử lý: {incident}").format(incident=incident),
            url=incident.get_absolute_url(),
            level="danger",
            module=str(_("Sự cố")),
            when=incident.opened_at,
        )
        for incident in open_incidents(user)[:10]
    ]


def corrective_actions_overdue(user, today: dt.date):
    return access.restrict(
        CorrectiveAction.objects.filter(status=ActionStatus.OPEN, due_date__lt=today), user
    ).select_related("agency", "incident")


#: Điều 15–16: until a commander is designated, the head of the local body applies the initial measures.
NO_COMMANDER = (
    "Chưa chỉ định; người đứng đầu cơ quan, đơn vị, Ủy ban nhân dân nơi xảy ra áp dụng biện pháp ban đầu."
)


def incident_sitreps(user, incident):
    return list(access.restrict(SituationReport.objects.filter(incident=incident), user))


def sitrep_data(user, sitrep: SituationReport):
    """The situation report as plain data for its document: each agency's items in figures and the log lines
    since the previous report, as ``user`` may see them."""
    from pckb.response.sitrep import AgencyLine, Sitrep
    from pckb.training.documents.content import classification_mark

    incident = sitrep.incident
    items = list(
        access.restrict(ChecklistItem.objects.filter(incident=incident), user).select_related("agency")
    )
    access.withhold_related(user, items)
    lines: dict[str, list] = {}
    for item in items:
        name = str(item.agency) if access.related(item, "agency") else "(không hiển thị)"
        lines.setdefault(name, []).append(item)
    agencies = [
        AgencyLine(
            name,
            len(rows),
            sum(1 for r in rows if r.acknowledged_at),
            sum(1 for r in rows if r.done_at),
            sum(1 for r in rows if r.overdue(sitrep.issued_at)),
        )
        for name, rows in lines.items()
    ]
    previous = (
        SituationReport.objects.filter(incident=incident, number__lt=sitrep.number)
        .order_by("-number")
        .first()
    )
    log = access.restrict(IncidentLogEntry.objects.filter(incident=incident), user).filter(
        occurred_at__lte=sitrep.issued_at
    )
    if previous is not None:
        log = log.filter(occurred_at__gt=previous.issued_at)
    commander = " ".join(p for p in (incident.commander_title, incident.commander_name) if p)
    if incident.commander_decision and commander:
        commander += f" (theo {incident.commander_decision})"
    return Sitrep(
        classification_mark=classification_mark(access.classification_of(sitrep)),
        committee=str(incident.committee),
        province=str(incident.committee.unit.name).replace("Thành phố ", "").replace("Tỉnh ", ""),
        number=sitrep.number,
        issued_at=sitrep.issued_at,
        incident_title=incident.title,
        place=", ".join(p for p in (incident.place_text, str(incident.place_unit or "")) if p),
        opened_at=incident.opened_at,
        status=str(incident.get_status_display()).lower(),
        commander=commander or NO_COMMANDER,
        measures_applied=incident.measure_list,
        situation=sitrep.situation,
        measures=sitrep.measures,
        proposals=sitrep.proposals,
        agencies=sorted(agencies, key=lambda a: a.agency),
        log=[
            (timezone.localtime(e.occurred_at).strftime("%H:%M %d/%m"), e.text)
            for e in log.order_by("occurred_at", "id")[:60]
        ],
    )


def ack_link(token: str):
    """The one-time acknowledgement link behind ``token`` (with its item, incident and agency), or ``None``
    for a token that was never issued. The token is the only key: this read has no user."""
    from pckb.response.models import AcknowledgementLink
    from pckb.response.services import ack_token_hash

    if not token or len(token) > 100:
        return None
    return (
        AcknowledgementLink.objects.select_related("recipient", "item__incident", "item__agency")
        .filter(token_hash=ack_token_hash(token))
        .first()
    )


def ack_link_shows_details(user, link) -> bool:
    """Whether the link's page may name the incident and the task: when the incident is not classified (its
    title and the task already went out in the e-mail) and the recipient may still see the item; or when the
    signed-in user may see the item. A classified incident is never named to someone without clearance."""
    item = link.item
    if getattr(user, "is_authenticated", False) and access.can(user, access.VIEW, item):
        return True
    return not item.incident.classification and access.can(link.recipient, access.VIEW, item)
