"""One declaration per model of the fields people edit and the list shows; the forms, the API schemas and
the list columns are derived from it (see ``pckb.core.declarations``)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pckb.core.declarations import ModelFields
from pckb.core.exports import Column
from pckb.protection.choices import RISK_FACTORS, RiskLevel
from pckb.protection.models import (
    EventStatus,
    EventStop,
    EventTask,
    Finding,
    Inspection,
    PlanFile,
    ProtectedEvent,
    ProtectionPlan,
    RiskAssessment,
    Target,
    TargetCategory,
)


def latest_level_label(target) -> str:
    """The level of the target's latest assessment (annotated by ``selectors.with_latest_assessment``)."""
    level = getattr(target, "latest_level", None)
    return str(RiskLevel(level).label) if level else str(_("Chưa đánh giá"))


def _review_due(target):
    """The latest assessment's review date, marked when it has passed (text, not colour alone)."""
    due = getattr(target, "review_due", None)
    if due is not None and due < timezone.localdate():
        return _("{day} (quá hạn)").format(day=due.strftime("%d/%m/%Y"))
    return due


TARGET_CATEGORY = ModelFields(
    TargetCategory,
    fields=("code", "name", "description", "order", "active"),
    columns=("name", "code", "order", "active"),
    link="name",
)
TARGET = ModelFields(
    Target,
    fields=(
        "name",
        "category",
        "unit",
        "address",
        "managing_agency",
        "managing_name",
        "protection_level",
        "protecting_agency",
        "latitude",
        "longitude",
        "layout_notes",
        "classification",
    ),
    bulk_fields=("protection_level", "category", "protecting_agency"),
    # Agencies are not list columns: a commune officer may read the target but not the provincial agency.
    columns=(
        "name",
        "category",
        "unit",
        "protection_level",
        Column(latest_level_label, _("Cấp độ rủi ro")),
        Column(_review_due, _("Hạn đánh giá lại")),
    ),
)
RISK_ASSESSMENT = ModelFields(
    RiskAssessment,
    fields=(
        "target",
        "assessed_on",
        "assessor",
        "approved_by_position",
        "approved_by_name",
        "approved_on",
        *RISK_FACTORS,
        "next_review",
        "notes",
    ),
    read_only=("total", "level"),
    columns=("target", "assessed_on", "total", "level", "next_review"),
    link="assessed_on",
)
PROTECTED_EVENT = ModelFields(
    ProtectedEvent,
    fields=(
        "kind",
        "title",
        "start",
        "end",
        "unit",
        "lead_agency",
        "summary",
        "classification",
        "after_action",
    ),
    # The lead agency is not a column: a commune officer may read the event but not the provincial agency.
    columns=("title", "kind", Column(lambda e: e.dates_display, _("Thời gian")), "unit", "classification"),
)
EVENT_TASK = ModelFields(
    EventTask,
    fields=("event", "agency", "task", "due", "status", "progress_note"),
    columns=("task", "agency", "due", "status"),
)
#: What an agency focal point may change on its own agency's task: the progress, nothing else.
EVENT_TASK_PROGRESS = ("status", "progress_note")
EVENT_STOP = ModelFields(
    EventStop,
    fields=("event", "time", "target", "place", "place_unit", "activity"),
    columns=("time", "target", "place", "activity"),
)
EVENT_STATUS = ModelFields(
    EventStatus,
    fields=("event", "day", "agency", "text"),
    columns=("day", "agency", "text"),
)


def _plan_subject(plan):
    """The target or event of a plan (both share the plan's scope and classification)."""
    return plan.subject or ""


def _plan_review(plan):
    """The review date of an approved plan, marked when it has passed (text, not colour alone)."""
    if plan.review_date is None:
        return ""
    if plan.review_overdue():
        return _("{day} (quá hạn rà soát)").format(day=plan.review_date.strftime("%d/%m/%Y"))
    return plan.review_date


def _finding_due(finding):
    text = finding.due.strftime("%d/%m/%Y") if finding.due else ""
    late = finding.overdue_display
    return f"{text} ({late})" if late else text


PROTECTION_PLAN = ModelFields(
    ProtectionPlan,
    fields=(
        "title",
        "target",
        "event",
        "classification",
        "review_date",
        "purpose",
        "forces",
        "assignments",
        "initial_response",
        "issuer_parent",
        "issuer",
        "number",
        "place",
        "issued_on",
        "signer_authority",
        "signer_title",
        "signer_name",
    ),
    read_only=("version", "status", "approved_at", "approved_by", "unit", "previous"),
    columns=(
        "title",
        "version",
        Column(_plan_subject, _("Mục tiêu, sự kiện")),
        "status",
        Column(_plan_review, _("Hạn rà soát"), order_by="review_date"),
    ),
)
#: A plan file is uploaded on the plan's page; the API lists the files' facts (the download is a page).
PLAN_FILE = ModelFields(
    PlanFile, fields=("plan", "title", "file"), read_only=("version",), columns=("title", "version")
)
PLAN_FILE_API = ModelFields(PlanFile, fields=("plan", "title"), read_only=("version",))
INSPECTION = ModelFields(
    Inspection,
    fields=("target", "date", "inspecting_agency", "participants", "result"),
    # The inspecting agency is not a column: a commune officer may read the inspection but not the agency.
    columns=("target", "date"),
    link="date",
)
FINDING = ModelFields(
    Finding,
    fields=(
        "inspection",
        "description",
        "action",
        "owner_agency",
        "due",
        "status",
        "closed_on",
        "closing_note",
    ),
    columns=(
        "description",
        "owner_agency",
        Column(_finding_due, _("Hạn khắc phục"), order_by="due"),
        "status",
    ),
)
#: What the owner agency's focal point may change on its own agency's action: the progress and the closing.
FINDING_PROGRESS = ("status", "closed_on", "closing_note")
