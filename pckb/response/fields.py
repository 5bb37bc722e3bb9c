"""One declaration per model of the fields people edit and the list shows (forms, API schemas, columns).
The reporter's contact is in none of them: it is written through the report form's own field and read only
through the audited reveal action."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pckb.core.declarations import ModelFields
from pckb.core.exports import Column
from pckb.response.models import (
    ChecklistItem,
    CorrectiveAction,
    Incident,
    IncidentLogEntry,
    PlanPhase,
    PlanStep,
    Report,
    ReportForwarding,
    ScenarioPlan,
    SituationReport,
)


def _register_number(report) -> str:
    return report.register_number


def _forward_state(report):
    """Whether the report was forwarded in time (text, not colour alone)."""
    if report.first_forwarded_at is None and not report.closed and report.forward_late(timezone.now()):
        return _("Quá hạn chuyển")
    return report.get_status_display()


SCENARIO_PLAN = ModelFields(
    ScenarioPlan,
    # The target categories (many-to-many): ticked in the form, a list of category ids in the API.
    fields=("title", "scenario_type", "committee", "target_categories", "command_notes", "classification"),
    read_only=("version", "status", "approved_at"),
    columns=("title", "scenario_type", "committee", "version", "status"),
)
PLAN_PHASE = ModelFields(
    PlanPhase, fields=("plan", "order", "title", "description"), columns=("title", "plan")
)
PLAN_STEP = ModelFields(
    PlanStep,
    fields=(
        "phase",
        "order",
        "agency",
        "position",
        "action",
        "due_minutes",
        "needs_ack",
        "escalate_after",
        "escalate_to",
    ),
    columns=("action", "agency", "due_minutes"),
)
REPORT = ModelFields(
    Report,
    fields=(
        "channel",
        "received_at",
        "receiving_unit",
        "place_unit",
        "place_text",
        "summary",
        "assessment",
        "anonymous",
        "classification",
    ),
    read_only=("register_year", "register_seq", "status", "first_forwarded_at", "closure_reason"),
    columns=(
        Column(_register_number, _("Số tin báo")),
        "received_at",
        "channel",
        "receiving_unit",
        "summary",
        Column(_forward_state, _("Trạng thái")),
    ),
    link="summary",
)
REPORT_FORWARDING = ModelFields(
    ReportForwarding,
    fields=("report", "forwarded_at", "agency", "committee", "method", "notes"),
    columns=("report", "forwarded_at", "agency", "committee"),
)


def _item_state(item):
    return item.state()


def _action_state(action):
    if action.overdue():
        return _("Quá hạn")
    return action.get_status_display()


INCIDENT = ModelFields(
    Incident,
    fields=(
        "title",
        "committee",
        "place_unit",
        "place_text",
        "latitude",
        "longitude",
        "opened_at",
        "commander_title",
        "commander_name",
        "commander_decision",
        "measures",
        "classification",
    ),
    read_only=("status", "closed_at", "closure_summary", "review_text", "reviewed_at"),
    columns=("title", "opened_at", "committee", "place_unit", "status"),
)
CHECKLIST_ITEM = ModelFields(
    ChecklistItem,
    # Items are made by activating a plan and change only through "acknowledge" and "done".
    fields=(),
    read_only=(
        "incident",
        "plan",
        "phase_title",
        "order",
        "agency",
        "position",
        "action",
        "activated_at",
        "due_at",
        "needs_ack",
        "escalate_after",
        "escalate_at",
        "escalate_to",
        "acknowledged_at",
        "done_at",
        "escalated_at",
    ),
    columns=("action", "incident", "agency", "due_at", Column(_item_state, _("Tình trạng"))),
)
INCIDENT_LOG_ENTRY = ModelFields(
    IncidentLogEntry,
    fields=("incident", "occurred_at", "text", "corrects"),
    read_only=("kind", "author"),
    columns=("occurred_at", "text", "incident", "kind"),
    link="text",
)
CORRECTIVE_ACTION = ModelFields(
    CorrectiveAction,
    fields=("incident", "action", "agency", "due_date", "status", "result"),
    read_only=("closed_on",),
    columns=("action", "agency", "due_date", "incident", Column(_action_state, _("Tình trạng"))),
)

SITUATION_REPORT = ModelFields(
    SituationReport,
    fields=("incident", "situation", "measures", "proposals"),
    read_only=("number", "issued_at", "author"),
    columns=("number", "incident", "issued_at"),
    link="number",
)
