"""REST endpoints of the protection register under /api/v1/protection/ — same access layer, same services."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from pckb.api.crud import _resolve_foreign_keys, register_crud
from pckb.api.endpoints import register_action, register_children
from pckb.api.errors import ApiValidationError, ErrorOut, validation_detail
from pckb.core import access
from pckb.core.auditing import record as audit_record
from pckb.core.choices import AuditAction
from pckb.protection import map as map_data
from pckb.protection import services
from pckb.protection.fields import (
    EVENT_STATUS,
    EVENT_STOP,
    EVENT_TASK,
    FINDING,
    INSPECTION,
    PLAN_FILE_API,
    PROTECTED_EVENT,
    PROTECTION_PLAN,
    RISK_ASSESSMENT,
    TARGET,
    TARGET_CATEGORY,
)
from pckb.protection.filtersets import (
    FindingFilterSet,
    InspectionFilterSet,
    ProtectedEventFilterSet,
    ProtectionPlanFilterSet,
    RiskAssessmentFilterSet,
    TargetFilterSet,
)
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

TAG = "Bảo vệ"
router = Router(tags=[TAG])

register_crud(
    router,
    model=TargetCategory,
    prefix="protection/categories",
    out_schema=TARGET_CATEGORY.out_schema,
    in_schema=TARGET_CATEGORY.in_schema,
    patch_schema=TARGET_CATEGORY.patch_schema,
    tag=TAG,
)
register_crud(
    router,
    model=Target,
    prefix="protection/targets",
    out_schema=TARGET.out_schema,
    in_schema=TARGET.in_schema,
    patch_schema=TARGET.patch_schema,
    filterset_class=TargetFilterSet,
    tag=TAG,
)
# Assessments are read and added, never changed or deleted (the history of a target's levels is kept).
register_crud(
    router,
    model=RiskAssessment,
    prefix="protection/assessments",
    out_schema=RISK_ASSESSMENT.out_schema,
    filterset_class=RiskAssessmentFilterSet,
    tag=TAG,
)
register_children(
    router,
    parent=Target,
    path="protection/targets/{pk}/assessments",
    child=RiskAssessment,
    fk="target",
    out_schema=RISK_ASSESSMENT.out_schema,
    operation_id="protection_target_assessments",
    summary="Các lần đánh giá rủi ro của một mục tiêu",
)

register_crud(
    router,
    model=ProtectedEvent,
    prefix="protection/events",
    out_schema=PROTECTED_EVENT.out_schema,
    in_schema=PROTECTED_EVENT.in_schema,
    patch_schema=PROTECTED_EVENT.patch_schema,
    filterset_class=ProtectedEventFilterSet,
    tag=TAG,
)
# An event's children: each with its own CRUD (the row rules keep a focal point to its own agency's
# tasks and status lines) and listed under its event.
for child, prefix, fields in (
    (EventTask, "tasks", EVENT_TASK),
    (EventStop, "stops", EVENT_STOP),
    (EventStatus, "statuses", EVENT_STATUS),
):
    register_crud(
        router,
        model=child,
        prefix=f"protection/events/{prefix}",
        out_schema=fields.out_schema,
        in_schema=fields.in_schema,
        patch_schema=fields.patch_schema,
        tag=TAG,
    )
    register_children(
        router,
        parent=ProtectedEvent,
        path=f"protection/events/{{pk}}/{prefix}",
        child=child,
        fk="event",
        out_schema=fields.out_schema,
        operation_id=f"protection_event_{prefix}",
        summary=str(child._meta.verbose_name_plural),
    )


@router.post(
    "/protection/assessments/",
    response={201: RISK_ASSESSMENT.out_schema, 422: ErrorOut, 403: ErrorOut},
    tags=[TAG],
    operation_id="riskassessment_create",
)
def create_assessment(request, payload: RISK_ASSESSMENT.in_schema):
    if not access.has_action(request.user, RiskAssessment, access.ADD):
        raise HttpError(403, "Bạn không có quyền tạo mới.")
    data = _resolve_foreign_keys(RiskAssessment, request.user, payload.dict())
    try:
        saved = services.risk_assessment_record(actor=request.user, assessment=RiskAssessment(**data))
    except ValidationError as exc:
        raise ApiValidationError(validation_detail(exc)) from exc
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or "Không có quyền.") from exc
    return Status(201, access.get_or_404(RiskAssessment, request.user, access.VIEW, pk=saved.pk))


# --- The map (same reads as the map page: pckb.protection.map) -----------------------------------------
def _map_query(request, **params) -> map_data.MapQuery:
    try:
        return map_data.parse_query({k: v for k, v in params.items() if v is not None})
    except ValidationError as exc:
        raise ApiValidationError(validation_detail(exc)) from exc


@router.get(
    "/protection/map",
    response={200: dict, 404: ErrorOut, 422: ErrorOut},
    tags=[TAG],
    operation_id="protection_map",
    summary="Bản đồ: mục tiêu và điểm dừng trong khung nhìn (GeoJSON, gộp theo ô khi nhiều)",
)
def protection_map(
    request,
    bbox: str | None = None,
    zoom: str | None = None,
    category: str | None = None,
    protection_level: str | None = None,
    risk_level: str | None = None,
    unit: str | None = None,
    q: str | None = None,
    su_kien: str | None = None,
):
    """The targets (points, or grid cells with ``count`` when more than a few hundred are in view below zoom
    14) and event stops the caller may see; ``approximate`` marks a commune-centroid position."""
    if not access.has_action(request.user, Target, access.VIEW):
        raise HttpError(404, "Không tìm thấy.")
    query = _map_query(request, **_params(locals()))
    try:
        return map_data.map_data(request.user, query)
    except ValidationError as exc:
        raise ApiValidationError(validation_detail(exc)) from exc


@router.get(
    "/protection/map/export",
    response={200: dict, 404: ErrorOut, 422: ErrorOut},
    tags=[TAG],
    operation_id="protection_map_export",
    summary="Bản đồ: mọi điểm của tập đã lọc (GeoJSON, không gộp), ghi nhật ký xuất",
)
def protection_map_export(
    request,
    category: str | None = None,
    protection_level: str | None = None,
    risk_level: str | None = None,
    unit: str | None = None,
    q: str | None = None,
    su_kien: str | None = None,
):
    if not access.has_action(request.user, Target, access.EXPORT):
        raise HttpError(404, "Không tìm thấy.")
    query = _map_query(request, **_params(locals()))
    try:
        with transaction.atomic():
            data = map_data.map_export(request.user, query)
            audit_record(
                actor=request.user,
                action=AuditAction.EXPORT,
                object_type=Target._meta.label_lower,
                object_repr=f"Xuất GeoJSON bản đồ qua API: {len(data['features'])} điểm",
                unit_path=request.user.scope_path,
            )
    except ValidationError as exc:
        raise ApiValidationError(validation_detail(exc)) from exc
    return data


def _params(scope: dict) -> dict:
    return {k: v for k, v in scope.items() if k != "request"}
# --- Protection plans -----------------------------------------------------------------------------------
register_crud(
    router,
    model=ProtectionPlan,
    prefix="protection/plans",
    out_schema=PROTECTION_PLAN.out_schema,
    in_schema=PROTECTION_PLAN.in_schema,
    patch_schema=PROTECTION_PLAN.patch_schema,
    filterset_class=ProtectionPlanFilterSet,
    tag=TAG,
)
# A plan's files: their facts (title, version); the file itself is downloaded on its page, audited.
register_crud(
    router, model=PlanFile, prefix="protection/plans/files", out_schema=PLAN_FILE_API.out_schema, tag=TAG
)
register_children(
    router,
    parent=ProtectionPlan,
    path="protection/plans/{pk}/files",
    child=PlanFile,
    fk="plan",
    out_schema=PLAN_FILE_API.out_schema,
    operation_id="protection_plan_files",
    summary="Các tệp của một phương án bảo vệ",
)


def _reread(model, request, obj):
    return access.get_or_404(model, request.user, access.VIEW, pk=obj.pk)


register_action(
    router,
    model=ProtectionPlan,
    path="protection/plans/{pk}/approve",
    action=access.VIEW,
    perform=lambda request, plan, payload: _reread(
        ProtectionPlan, request, services.plan_approve(actor=request.user, plan=plan)
    ),
    out_schema=PROTECTION_PLAN.out_schema,
    operation_id="protection_plan_approve",
    summary="Phê duyệt phương án bảo vệ (lãnh đạo Ban Chỉ đạo)",
)
register_action(
    router,
    model=ProtectionPlan,
    path="protection/plans/{pk}/new-version",
    action=access.VIEW,
    child_model=ProtectionPlan,
    child_action=access.ADD,
    status=201,
    perform=lambda request, plan, payload: _reread(
        ProtectionPlan, request, services.plan_new_version(actor=request.user, plan=plan)
    ),
    out_schema=PROTECTION_PLAN.out_schema,
    operation_id="protection_plan_new_version",
    summary="Tạo phiên bản mới (dự thảo) của phương án bảo vệ",
)

# --- Inspections, findings and corrective actions -------------------------------------------------------
register_crud(
    router,
    model=Inspection,
    prefix="protection/inspections",
    out_schema=INSPECTION.out_schema,
    in_schema=INSPECTION.in_schema,
    patch_schema=INSPECTION.patch_schema,
    filterset_class=InspectionFilterSet,
    tag=TAG,
)
register_crud(
    router,
    model=Finding,
    prefix="protection/inspections/findings",
    out_schema=FINDING.out_schema,
    in_schema=FINDING.in_schema,
    patch_schema=FINDING.patch_schema,
    filterset_class=FindingFilterSet,
    tag=TAG,
)
register_children(
    router,
    parent=Inspection,
    path="protection/inspections/{pk}/findings",
    child=Finding,
    fk="inspection",
    out_schema=FINDING.out_schema,
    operation_id="protection_inspection_findings",
    summary="Tồn tại và biện pháp khắc phục của một lần kiểm tra",
)


class FindingCloseIn(Schema):
    note: str


def _close(request, finding, payload):
    saved = services.finding_close(actor=request.user, finding=finding, note=payload.note)
    return _reread(Finding, request, saved)


register_action(
    router,
    model=Finding,
    path="protection/inspections/findings/{pk}/close",
    in_schema=FindingCloseIn,
    perform=_close,
    out_schema=FINDING.out_schema,
    operation_id="protection_finding_close",
    summary="Đóng biện pháp khắc phục (đã khắc phục) với kết quả",
)
