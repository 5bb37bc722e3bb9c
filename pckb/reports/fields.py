"""One declaration per model of the fields people edit and the list shows (see ``pckb.core.declarations``)."""

from django.utils.translation import gettext_lazy as _

from pckb.core.declarations import ModelFields
from pckb.core.exports import Column
from pckb.reports.models import PeriodicReport, ReportSchedule


def _due(schedule):
    return schedule.due_date.strftime("%d/%m/%Y")


def _period(schedule):
    return schedule.period_label


def _report_period(report):
    return report.schedule.period_label


def _report_due(report):
    return report.schedule.due_date.strftime("%d/%m/%Y")


def _status(report):
    return report.get_status_display()


SCHEDULE = ModelFields(
    ReportSchedule,
    fields=("committee", "kind", "period_start", "period_end", "due_date", "note"),
    columns=(
        "committee",
        "kind",
        Column(_period, _("Kỳ báo cáo"), order_by="period_start"),
        Column(_due, _("Hạn gửi"), order_by="due_date"),
    ),
    link="kind",
)
REPORT = ModelFields(
    PeriodicReport,
    fields=(
        "schedule",
        "title",
        "number",
        "results",
        "shortcomings",
        "directions",
        "recommendations",
        "classification",
    ),
    read_only=("status", "submitted_at", "reviewed_at", "review_comment"),
    columns=(
        "title",
        Column(_report_period, _("Kỳ báo cáo"), order_by="schedule__period_start"),
        Column(_report_due, _("Hạn gửi"), order_by="schedule__due_date"),
        Column(_status, _("Trạng thái"), order_by="status"),
    ),
)
