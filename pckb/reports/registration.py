"""What the reports module (Báo cáo định kỳ) adds to the product: report schedules with due dates per
committee, periodic reports compiled from the data with their workflow, the national roll-up and the
standing office's dashboard."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pckb.accounts.choices import Role
from pckb.core.access import ADD, CHANGE, DELETE, EXPORT, NONE, VIEW
from pckb.core.registry import MenuGroup, MenuItem, Registration
from pckb.reports import todo

SCHEDULE, REPORT = "reports.reportschedule", "reports.periodicreport"
REPORTS = MenuGroup("reports", _("Báo cáo"), order=27)


def _own(user) -> Q:
    from pckb.reports.selectors import own_committee_q

    return own_committee_q(user, "schedule__committee__")


def reads_rollup(user) -> bool:
    from pckb.reports.selectors import reads_rollup

    return reads_rollup(user)


def readable(qs, user):
    """A report is read by its own committee (drafts included) and, above it, only once sent."""
    from pckb.reports.choices import SENT_STATUSES

    return qs.filter(_own(user) | Q(status__in=SENT_STATUSES))


def writable(qs, user):
    """Only the committee's own standing office writes its report, and only while it is a draft (or was
    returned): a sent report does not change."""
    from pckb.reports.choices import EDITABLE_STATUSES

    return qs.filter(_own(user), status__in=EDITABLE_STATUSES)


def addable(qs, user):
    return qs.filter(_own(user))


registration = Registration(
    urls=("bao-cao/", "pckb.reports.urls"),
    api=("/", "pckb.reports.api.router"),
    # Standing offices write their own committee's reports and schedules (their "*" default) and review the
    # lower committees' sent reports; leaders and inspectors read; focal points and commune officers neither
    # write nor read reports (they read the schedule).
    grants={
        Role.AGENCY_FOCAL: {REPORT: NONE},
        Role.COMMUNE_OFFICER: {REPORT: NONE},
    },
    row_rules={
        **{(role, REPORT, action): readable for role in Role.values for action in (VIEW, EXPORT)},
        **{(role, REPORT, action): writable for role in Role.values for action in (CHANGE, DELETE)},
        **{(role, REPORT, ADD): addable for role in Role.values},
    },
    menu=(
        MenuItem(REPORTS, _("Bảng điều khiển"), "reports:dashboard", "reports.ReportSchedule", order=5),
        MenuItem(
            REPORTS, _("Báo cáo định kỳ"), "reports:periodicreport_list", "reports.PeriodicReport", order=10
        ),
        MenuItem(
            REPORTS, _("Lịch báo cáo"), "reports:reportschedule_list", "reports.ReportSchedule", order=20
        ),
        MenuItem(
            REPORTS,
            _("Tổng hợp toàn quốc"),
            "reports:rollup",
            "reports.PeriodicReport",
            order=30,
            visible=reads_rollup,  # only the nation has provinces below it: a province would get a 404
        ),
    ),
    todo=(todo.reports_due,),
)
