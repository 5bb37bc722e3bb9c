"""REST endpoints of the coordination module under /api/v1/coordination/ — same access layer, same services.
Other systems read the matrix here; it is edited on the page (all cells of a save in one transaction)."""

from ninja import Router

from pckb.api.crud import register_crud
from pckb.api.endpoints import register_action, register_children
from pckb.coordination import services
from pckb.coordination.fields import FUNCTION, REGULATION, RESPONSIBILITY
from pckb.coordination.filtersets import RegulationFilterSet
from pckb.coordination.models import Function, Regulation, Responsibility
from pckb.core import access

TAG = "Quy chế phối hợp"
router = Router(tags=[TAG])

# The parties are a list of agency ids: read as the reader may see them, written through
# ``object_create/update(many=…)`` (each agency checked through the access layer, the unseen ones kept).
register_crud(
    router,
    prefix="coordination/regulations",
    fields=REGULATION,
    filterset_class=RegulationFilterSet,
    tag=TAG,
)
register_crud(
    router,
    model=Function,
    prefix="coordination/functions",
    out_schema=FUNCTION.out_schema,
    in_schema=FUNCTION.in_schema,
    patch_schema=FUNCTION.patch_schema,
    tag=TAG,
)
register_crud(
    router,
    model=Responsibility,
    prefix="coordination/responsibilities",
    out_schema=RESPONSIBILITY.out_schema,
    in_schema=RESPONSIBILITY.in_schema,
    patch_schema=RESPONSIBILITY.patch_schema,
    tag=TAG,
)
register_children(
    router,
    parent=Regulation,
    path="coordination/regulations/{pk}/functions",
    child=Function,
    fk="regulation",
    out_schema=FUNCTION.out_schema,
    operation_id="coordination_regulation_functions",
    summary="Các nội dung phối hợp của một quy chế",
)
register_children(
    router,
    parent=Function,
    path="coordination/functions/{pk}/responsibilities",
    child=Responsibility,
    fk="function",
    out_schema=RESPONSIBILITY.out_schema,
    operation_id="coordination_function_responsibilities",
    summary="Trách nhiệm của các cơ quan với một nội dung phối hợp",
)
register_action(
    router,
    model=Regulation,
    path="coordination/regulations/{pk}/in-force",
    perform=lambda request, regulation, payload: access.get_or_404(
        Regulation,
        request.user,
        pk=services.regulation_put_in_force(actor=request.user, regulation=regulation).pk,
    ),
    out_schema=REGULATION.out_schema,
    action=access.VIEW,
    operation_id="coordination_regulation_in_force",
    summary="Ban hành quy chế (lãnh đạo Ban Chỉ đạo)",
)
register_action(
    router,
    model=Regulation,
    path="coordination/regulations/{pk}/new-version",
    perform=lambda request, regulation, payload: access.get_or_404(
        Regulation,
        request.user,
        pk=services.regulation_new_version(actor=request.user, regulation=regulation).pk,
    ),
    out_schema=REGULATION.out_schema,
    action=access.VIEW,
    child_model=Regulation,
    child_action=access.ADD,
    status=201,
    operation_id="coordination_regulation_new_version",
    summary="Tạo phiên bản mới (dự thảo) của quy chế",
)
