"""One declaration per model of the fields people edit and the list shows; the forms, the API schemas and
the list columns are derived from it (see ``pckb.core.declarations``)."""

from django.utils.translation import gettext_lazy as _

from pckb.core.declarations import ModelFields
from pckb.core.exports import Column
from pckb.plans.models import Plan, PlanItem, ProgressUpdate, Task


def _deadline(task):
    return task.deadline.strftime("%d/%m/%Y")


def _year(plan):
    return str(plan.year)  # 2026, not 2.026


def _status(task):
    return task.status_display


def _percent(task):
    return task.percent


PLAN = ModelFields(
    Plan,
    fields=(
        "committee",
        "title",
        "year",
        "start",
        "end",
        "document_number",
        "document_date",
        "summary",
        "classification",
    ),
    columns=(
        "title",
        "committee",
        Column(_year, _("Năm"), order_by="year"),
        "document_number",
        "document_date",
    ),
)
PLAN_ITEM = ModelFields(
    PlanItem,
    fields=("plan", "number", "title", "description", "implements"),
    columns=("number", "title", "plan"),
    link="title",
)
TASK = ModelFields(
    Task,
    fields=("item", "title", "lead_agency", "supporting_agencies", "deadline"),
    bulk_fields=("deadline", "lead_agency"),
    read_only=("status", "percent", "confirmed_on"),
    columns=(
        "title",
        "lead_agency",
        Column(_deadline, _("Thời hạn"), order_by="deadline"),
        Column(_status, _("Trạng thái"), order_by="status"),
        Column(_percent, _("Tiến độ (%)"), order_by="percent"),
    ),
)
#: The page's form takes an evidence file; the API takes the facts (files are uploaded on the page).
PROGRESS_UPDATE = ModelFields(
    ProgressUpdate,
    fields=("task", "date", "text", "percent", "evidence"),
    columns=("date", "task", "percent", "reported_by"),
    link="date",
)
PROGRESS_UPDATE_API = ModelFields(
    ProgressUpdate, fields=("task", "date", "text", "percent"), read_only=("reported_by",)
)
