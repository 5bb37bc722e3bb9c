"""Reads of the reports module; each starts from the access layer and takes the user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from pckb.core import access
from pckb.directory.choices import CommitteeLevel
from pckb.directory.models import Committee
from pckb.reports import sections as registry
from pckb.reports.choices import DUE_SOON_DAYS, SENT_STATUSES, ReportStatus
from pckb.reports.models import PeriodicReport, ReportSchedule


def own_committee_q(user, prefix: str = "") -> Q:
    """The committees whose standing office the user works for: of the user's own unit (a sector
    committee's unit is the nation's, but the national office does not write its reports)."""
    return Q(**{f"{prefix}unit__path": user.scope_path or "-"}) & ~Q(
        **{f"{prefix}level": CommitteeLevel.SECTOR}
    )


def is_own(user, committee: Committee) -> bool:
    return (
        bool(user.scope_path)
        and committee.unit.path == user.scope_path
        and committee.level != CommitteeLevel.SECTOR
    )


def compiled_sections(user, report: PeriodicReport) -> list[dict]:
    """The report's figures: the frozen snapshot once sent; for a draft, compiled now from the data (a
    national report: added up from the lower committees' sent reports of the same type and period)."""
    if report.snapshot is not None:
        return report.snapshot.get("sections", [])
    return compile_for(user, report.schedule)


def compile_for(user, schedule: ReportSchedule) -> list[dict]:
    committee = schedule.committee
    if committee.level == CommitteeLevel.NATIONAL:
        rows = rollup(user, schedule.kind, schedule.period_start, schedule.period_end).rows
        return registry.sum_sections([r.sections for r in rows if r.report is not None])
    return registry.compile_sections(user, committee.unit.path, schedule.period_start, schedule.period_end)


@dataclass
class RollupRow:
    committee: Committee
    schedule: ReportSchedule | None
    report: PeriodicReport | None  # only a report sent to the reader (never a draft)
    sections: list[dict] = field(default_factory=list)
    values: dict[str, int] = field(default_factory=dict)

    @property
    def late(self) -> bool:
        if self.schedule is None:
            return False
        if self.report is not None:
            return self.report.is_late()
        return timezone.localdate() > self.schedule.due_date


@dataclass
class Rollup:
    kind: str
    start: dt.date
    end: dt.date
    rows: list[RollupRow]
    columns: list[tuple[str, str]]  # (key, label) of every figure
    totals: dict[str, int]

    @property
    def submitted(self) -> list[RollupRow]:
        return [r for r in self.rows if r.report is not None]

    @property
    def missing(self) -> list[RollupRow]:
        return [r for r in self.rows if r.report is None]

    @property
    def late(self) -> list[RollupRow]:
        return [r for r in self.rows if r.late]


def reads_rollup(user) -> bool:
    """Whether the national roll-up is a page for the user: its rows are the provinces' committees, whose
    parent is the national committee, so only an account whose scope holds the national committee (the nation)
    has any. Everyone else gets a 404 rather than an empty roll-up, and no menu item leading to one. No query:
    the menu asks on every page."""
    return access.has_action(user, PeriodicReport, access.VIEW) and bool(
        getattr(user, "has_national_scope", False)
    )


def lower_committees(user):
    """The provincial committees below the user's own (for the national office: the 34 provinces; a sector
    committee's reports are read on their own)."""
    own = access.restrict(Committee.objects.all(), user).filter(own_committee_q(user))
    return (
        access.restrict(Committee.objects.all(), user)
        .filter(parent__in=own.values("pk"), level=CommitteeLevel.PROVINCE, unit__valid_to__isnull=True)
        .select_related("unit")
        .order_by("sort_key", "id")
    )


def rollup(user, kind: str, start: dt.date, end: dt.date) -> Rollup:
    """For each lower committee: its schedule for the type and period, the report it sent (if the reader may
    see it — drafts are never visible above), its figures; and the totals of every figure."""
    committees = list(lower_committees(user))
    schedules = {
        s.committee_id: s
        for s in access.restrict(ReportSchedule.objects.all(), user).filter(
            committee__in=[c.pk for c in committees], kind=kind, period_start=start, period_end=end
        )
    }
    reports = {
        r.schedule_id: r
        for r in access.restrict(PeriodicReport.objects.all(), user)
        .filter(schedule__in=[s.pk for s in schedules.values()], status__in=SENT_STATUSES)
        .select_related("schedule")
    }
    rows, columns, totals = [], {}, {}
    for committee in committees:
        schedule = schedules.get(committee.pk)
        report = reports.get(schedule.pk) if schedule else None
        row = RollupRow(committee, schedule, report)
        if report is not None:
            row.sections = (report.snapshot or {}).get("sections", [])
            for section in row.sections:
                for f in section.get("figures", ()):
                    key = f"{section['key']}.{f['key']}"
                    columns.setdefault(key, f["label"])
                    row.values[key] = f["value"]
                    totals[key] = totals.get(key, 0) + f["value"]
        rows.append(row)
    return Rollup(kind, start, end, rows, list(columns.items()), totals)


def rollup_periods(user) -> list[tuple[str, dt.date, dt.date]]:
    """The (type, start, end) of the schedules of the user's lower committees, latest first."""
    lower = lower_committees(user).values("pk")
    return list(
        access.restrict(ReportSchedule.objects.all(), user)
        .filter(committee__in=lower)
        .values_list("kind", "period_start", "period_end")
        .distinct()
        .order_by("-period_end", "kind")
    )


def schedules_needing_attention(user, today: dt.date):
    """The user's own committee's schedules not yet answered by a sent report, late or due within
    ``DUE_SOON_DAYS`` days, soonest first."""
    return (
        access.restrict(ReportSchedule.objects.all(), user)
        .filter(own_committee_q(user, "committee__"), due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
        .exclude(report__status__in=SENT_STATUSES)
        .select_related("committee")
        .order_by("due_date", "id")
    )


def reports_awaiting_review(user):
    """Reports lower committees sent to the user's committee that wait for its acceptance."""
    if not access.has_action(user, PeriodicReport, access.CHANGE):
        return PeriodicReport.objects.none()
    return (
        access.restrict(PeriodicReport.objects.all(), user)
        .filter(status=ReportStatus.SUBMITTED)
        .exclude(own_committee_q(user, "schedule__committee__"))
        .select_related("schedule__committee")
        .order_by("submitted_at", "id")
    )


def can_review(user, report: PeriodicReport) -> bool:
    """The standing office of a higher committee may accept or return a report sent to it."""
    return (
        report.status == ReportStatus.SUBMITTED
        and access.has_action(user, PeriodicReport, access.CHANGE)
        and not is_own(user, report.schedule.committee)
        and access.can(user, access.VIEW, report)
    )
