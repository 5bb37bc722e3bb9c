"""REST endpoints of the protection register under /api/v1/protection/ — same access layer, same services."""

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Router, Status
from ninja.errors import HttpError

from pckb.api.crud import _resolve_foreign_keys, register_crud
from pckb.api.endpoints import register_children
from pckb.api.errors import ApiValidationError, ErrorOut, validation_detail
from pckb.core import access
from pckb.protection import services
from pckb.protection.fields import (
    EVENT_STATUS,
    EVENT_STOP,
    EVENT_TASK,
    PROTECTED_EVENT,
    RISK_ASSESSMENT,
    TARGET,
    TARGET_CATEGORY,
)
from pckb.protection.filtersets import ProtectedEventFilterSet, RiskAssessmentFilterSet, TargetFilterSet
from pckb.protection.models import (
    EventStatus,
    EventStop,
    EventTask,
    ProtectedEvent,
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
