"""REST endpoints of the plans module under /api/v1/plans/ — same access layer, same services."""

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Router, Status
from ninja.errors import HttpError

from pckb.api.crud import _resolve_foreign_keys, register_crud
from pckb.api.endpoints import register_action, register_children
from pckb.api.errors import ApiValidationError, ErrorOut, validation_detail
from pckb.core import access
from pckb.plans import services
from pckb.plans.fields import PLAN, PLAN_ITEM, PROGRESS_UPDATE_API, TASK
from pckb.plans.filtersets import PlanFilterSet, TaskFilterSet
from pckb.plans.models import Plan, PlanItem, ProgressUpdate, Task

TAG = "Kế hoạch"
router = Router(tags=[TAG])

register_crud(
    router,
    model=Plan,
    prefix="plans/plans",
    out_schema=PLAN.out_schema,
    in_schema=PLAN.in_schema,
    patch_schema=PLAN.patch_schema,
    filterset_class=PlanFilterSet,
    tag=TAG,
)
register_crud(
    router,
    model=PlanItem,
    prefix="plans/items",
    out_schema=PLAN_ITEM.out_schema,
    in_schema=PLAN_ITEM.in_schema,
    patch_schema=PLAN_ITEM.patch_schema,
    tag=TAG,
)
# Supporting agencies (phối hợp) are a list of agency ids: read as the reader may see them, written through
# the task's services, each agency checked through the access layer.
register_crud(
    router,
    prefix="plans/tasks",
    fields=TASK,
    filterset_class=TaskFilterSet,
    tag=TAG,
    create=lambda actor, task, many: services.task_create(
        actor=actor, task=task, supporting=many.get("supporting_agencies")
    ),
    update=lambda actor, task, changes, many: services.task_update(
        actor=actor, task=task, changes=changes, supporting=many.get("supporting_agencies")
    ),
)
# Progress updates are read and added, never changed or deleted.
register_crud(
    router, model=ProgressUpdate, prefix="plans/updates", out_schema=PROGRESS_UPDATE_API.out_schema, tag=TAG
)
register_children(
    router,
    parent=Plan,
    path="plans/plans/{pk}/items",
    child=PlanItem,
    fk="plan",
    out_schema=PLAN_ITEM.out_schema,
    operation_id="plans_plan_items",
    summary="Các nội dung của một kế hoạch",
)
register_children(
    router,
    parent=PlanItem,
    path="plans/items/{pk}/tasks",
    child=Task,
    fk="item",
    fields=TASK,
    operation_id="plans_item_tasks",
    summary="Các nhiệm vụ của một nội dung kế hoạch",
)
register_children(
    router,
    parent=Task,
    path="plans/tasks/{pk}/updates",
    child=ProgressUpdate,
    fk="task",
    out_schema=PROGRESS_UPDATE_API.out_schema,
    operation_id="plans_task_updates",
    summary="Các báo cáo tiến độ của một nhiệm vụ",
)
register_action(
    router,
    model=Task,
    path="plans/tasks/{pk}/confirm",
    perform=lambda request, task, payload: access.get_or_404(
        Task.objects.prefetch_related(*TASK.visible_prefetches(request.user)),
        request.user,
        pk=services.task_confirm(actor=request.user, task=task).pk,
    ),
    out_schema=TASK.out_schema,
    operation_id="plans_task_confirm",
    summary="Xác nhận hoàn thành nhiệm vụ",
)


@router.post(
    "/plans/updates/",
    response={201: PROGRESS_UPDATE_API.out_schema, 422: ErrorOut, 403: ErrorOut},
    tags=[TAG],
    operation_id="progressupdate_create",
)
def create_update(request, payload: PROGRESS_UPDATE_API.in_schema):
    if not access.has_action(request.user, ProgressUpdate, access.ADD):
        raise HttpError(403, "Bạn không có quyền báo cáo tiến độ.")
    data = _resolve_foreign_keys(ProgressUpdate, request.user, payload.dict())
    try:
        saved = services.progress_report(actor=request.user, update=ProgressUpdate(**data))
    except ValidationError as exc:
        raise ApiValidationError(validation_detail(exc)) from exc
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or "Không có quyền.") from exc
    return Status(201, access.get_or_404(ProgressUpdate, request.user, access.VIEW, pk=saved.pk))
