"""REST endpoints of the response module under /api/v1/response/. The reporter's contact is in no schema:
intake roles read it through the audited ``reveal`` action."""

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from pckb.api.crud import _resolve_foreign_keys, register_crud
from pckb.api.endpoints import register_action
from pckb.api.errors import ApiValidationError, ErrorOut, validation_detail
from pckb.core import access
from pckb.response import services
from pckb.response.fields import (
    CHECKLIST_ITEM,
    CORRECTIVE_ACTION,
    INCIDENT,
    INCIDENT_LOG_ENTRY,
    PLAN_PHASE,
    PLAN_STEP,
    REPORT,
    REPORT_FORWARDING,
    SCENARIO_PLAN,
    SITUATION_REPORT,
)
from pckb.response.filtersets import ChecklistItemFilterSet, CorrectiveActionFilterSet, IncidentFilterSet
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

TAG = "Phương án và tin báo"
router = Router(tags=[TAG])

# The target categories are a list of ids, read and written like the other many-to-many lists.
register_crud(router, prefix="response/plans", fields=SCENARIO_PLAN, tag=TAG)
register_crud(
    router,
    model=PlanPhase,
    prefix="response/phases",
    out_schema=PLAN_PHASE.out_schema,
    in_schema=PLAN_PHASE.in_schema,
    patch_schema=PLAN_PHASE.patch_schema,
    tag=TAG,
)
register_crud(
    router,
    model=PlanStep,
    prefix="response/steps",
    out_schema=PLAN_STEP.out_schema,
    in_schema=PLAN_STEP.in_schema,
    patch_schema=PLAN_STEP.patch_schema,
    tag=TAG,
)
# Reports are recorded in the web form (where the contact is typed and encrypted); the API reads them.
register_crud(router, model=Report, prefix="response/reports", out_schema=REPORT.out_schema, tag=TAG)
# Situation reports are written and downloaded on the incident's page; the API reads them.
register_crud(
    router,
    model=SituationReport,
    prefix="response/situation-reports",
    out_schema=SITUATION_REPORT.out_schema,
    tag=TAG,
)
register_crud(
    router,
    model=ReportForwarding,
    prefix="response/forwardings",
    out_schema=REPORT_FORWARDING.out_schema,
    tag=TAG,
)


class ContactOut(Schema):
    reporter_contact: str


@router.post(
    "/response/reports/{pk}/reveal",
    response={200: ContactOut, 404: ErrorOut, 422: ErrorOut},
    tags=[TAG],
    operation_id="report_reveal_contact",
    summary="Giải mã thông tin người báo tin (chỉ cán bộ tiếp nhận và lãnh đạo; có ghi nhật ký)",
)
def reveal_contact(request, pk: int):
    if not services.can_reveal(request.user):
        raise HttpError(404, "Không tìm thấy.")
    report = access.get_or_404(Report, request.user, access.VIEW, pk=pk)
    try:
        contact = services.report_reveal_contact(actor=request.user, report=report)
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc
    except PermissionDenied as exc:
        raise HttpError(404, "Không tìm thấy.") from exc
    return {"reporter_contact": contact}


# --- Incidents ------------------------------------------------------------------------------------------
# Reads through the generic CRUD; writes through the incident services (log lines, events), so create and
# update are written here. No delete: an incident is a record, its log is append-only, its checklist items
# change only by "ack" and "done".
def _service_write(call):
    try:
        return call()
    except ValidationError as exc:
        raise ApiValidationError(validation_detail(exc)) from exc
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or "Không có quyền.") from exc


def register_service_writes(*, model, prefix, fields, create, update=None, name):
    @router.post(
        f"/{prefix}/",
        response={201: fields.out_schema, 422: ErrorOut, 403: ErrorOut},
        tags=[TAG],
        operation_id=f"{name}_create",
    )
    def create_object(request, payload: fields.in_schema):
        if not access.has_action(request.user, model, access.ADD):
            raise HttpError(403, "Bạn không có quyền tạo mới.")
        data = _resolve_foreign_keys(model, request.user, payload.dict())
        obj = _service_write(lambda: create(request.user, model(**data)))
        return Status(201, access.get_or_404(model, request.user, access.VIEW, pk=obj.pk))

    if update is None:
        return

    @router.patch(
        f"/{prefix}/{{pk}}",
        response={200: fields.out_schema, 422: ErrorOut, 403: ErrorOut},
        tags=[TAG],
        operation_id=f"{name}_update",
    )
    def update_object(request, pk: int, payload: fields.patch_schema):
        obj = access.get_or_404(model, request.user, access.CHANGE, pk=pk)
        data = _resolve_foreign_keys(model, request.user, payload.dict(exclude_unset=True), partial=True)
        _service_write(lambda: update(request.user, obj, data))
        return Status(200, access.get_or_404(model, request.user, access.VIEW, pk=pk))


register_crud(
    router,
    model=Incident,
    prefix="response/incidents",
    out_schema=INCIDENT.out_schema,
    filterset_class=IncidentFilterSet,
    tag=TAG,
)
register_service_writes(
    model=Incident,
    prefix="response/incidents",
    fields=INCIDENT,
    create=lambda user, obj: services.incident_open(actor=user, incident=obj),
    update=lambda user, obj, data: services.incident_update(actor=user, incident=obj, changes=data),
    name="incident",
)
register_crud(
    router,
    model=ChecklistItem,
    prefix="response/checklist-items",
    out_schema=CHECKLIST_ITEM.out_schema,
    filterset_class=ChecklistItemFilterSet,
    tag=TAG,
)
register_crud(
    router,
    model=IncidentLogEntry,
    prefix="response/log-entries",
    out_schema=INCIDENT_LOG_ENTRY.out_schema,
    tag=TAG,
)
register_service_writes(
    model=IncidentLogEntry,
    prefix="response/log-entries",
    fields=INCIDENT_LOG_ENTRY,
    create=lambda user, obj: services.log_entry_add(actor=user, entry=obj),
    name="incidentlogentry",
)
register_crud(
    router,
    model=CorrectiveAction,
    prefix="response/corrective-actions",
    out_schema=CORRECTIVE_ACTION.out_schema,
    filterset_class=CorrectiveActionFilterSet,
    tag=TAG,
)
register_service_writes(
    model=CorrectiveAction,
    prefix="response/corrective-actions",
    fields=CORRECTIVE_ACTION,
    create=lambda user, obj: services.corrective_action_create(actor=user, action=obj),
    update=lambda user, obj, data: services.corrective_action_update(actor=user, action=obj, changes=data),
    name="correctiveaction",
)


class ActivateIn(Schema):
    plan: int


class ActivateOut(Schema):
    checklist_items: int


def _activate(request, incident, payload):
    plan = ScenarioPlan(pk=payload.plan)
    return {"checklist_items": services.plan_activate(actor=request.user, incident=incident, plan=plan)}


register_action(
    router,
    model=Incident,
    path="response/incidents/{pk}/activate",
    perform=_activate,
    in_schema=ActivateIn,
    out_schema=ActivateOut,
    action=access.CHANGE,
    operation_id="incident_activate",
    summary="Kích hoạt một phương án đã phê duyệt cho sự cố (tạo việc của từng cơ quan)",
)


class CloseIn(Schema):
    summary: str


def _close(request, incident, payload):
    return services.incident_close(actor=request.user, incident=incident, summary=payload.summary)


register_action(
    router,
    model=Incident,
    path="response/incidents/{pk}/close",
    perform=_close,
    in_schema=CloseIn,
    out_schema=INCIDENT.out_schema,
    action=access.CHANGE,
    operation_id="incident_close",
    summary="Kết thúc sự cố với tóm tắt kết quả xử lý",
)
register_action(
    router,
    model=ChecklistItem,
    path="response/checklist-items/{pk}/ack",
    perform=lambda request, item, payload: services.checklist_acknowledge(actor=request.user, item=item),
    out_schema=CHECKLIST_ITEM.out_schema,
    action=access.CHANGE,
    operation_id="checklistitem_ack",
    summary="Xác nhận đã nhận việc (một lần duy nhất)",
)
register_action(
    router,
    model=ChecklistItem,
    path="response/checklist-items/{pk}/done",
    perform=lambda request, item, payload: services.checklist_done(actor=request.user, item=item),
    out_schema=CHECKLIST_ITEM.out_schema,
    action=access.CHANGE,
    operation_id="checklistitem_done",
    summary="Báo đã hoàn thành việc",
)
