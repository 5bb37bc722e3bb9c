"""Generic REST endpoints beyond CRUD: the children of one object, and a verb on one object. Both read
the object through the access layer (unknown or hidden → 404), like the web's child and action pages."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from pckb.api.errors import ApiValidationError, ErrorOut, validation_detail
from pckb.core import access
from pckb.core.declarations import ModelFields


def register_children(
    router: Router,
    *,
    parent: type[Model],
    path: str,
    child: type[Model],
    fk: str,
    out_schema: type[Schema] | None = None,
    fields: ModelFields | None = None,
    select_related: tuple[str, ...] = (),
    operation_id: str,
    summary: str | None = None,
) -> None:
    """``GET /<path>`` (``path`` holds ``{pk}``): the ``child`` objects of one ``parent`` the user may see,
    each of them also one the user may see. ``fields`` (the child's declaration) gives the schema and
    prefetches its many-to-many lists as the reader may see them."""
    out_schema = out_schema or fields.out_schema

    @router.get(f"/{path}", response=list[out_schema], operation_id=operation_id, summary=summary)
    def children(request, pk: int):
        obj = access.get_or_404(parent, request.user, access.VIEW, pk=pk)
        rows = access.restrict(child.objects.filter(**{fk: obj}), request.user, access.VIEW)
        if fields is not None and fields.many_fields:
            rows = rows.prefetch_related(*fields.visible_prefetches(request.user))
        return rows.select_related(*select_related) if select_related else rows


def register_action(
    router: Router,
    *,
    model: type[Model],
    path: str,
    perform: Callable,
    out_schema: type[Schema],
    in_schema: type[Schema] | None = None,
    action: str = access.CHANGE,
    child_model: type[Model] | None = None,
    child_action: str = access.VIEW,
    status: int = 200,
    operation_id: str,
    summary: str | None = None,
) -> None:
    """``POST /<path>``: a verb on one object with its own permission. The object is read with ``action``
    (404 otherwise); a role without ``child_action`` on ``child_model`` gets a 403. ``perform(request, obj,
    payload)`` calls the service and returns the answer; its ``ValidationError`` is a 422 and its
    ``PermissionDenied`` a 403, and nothing is saved."""

    def run(request, pk: int, payload):
        obj = access.get_or_404(model, request.user, action, pk=pk)
        if child_model is not None and not access.has_action(request.user, child_model, child_action):
            raise HttpError(403, "Bạn không có quyền thực hiện thao tác này.")
        try:
            return Status(status, perform(request, obj, payload))
        except ValidationError as exc:
            raise ApiValidationError(validation_detail(exc)) from exc
        except PermissionDenied as exc:
            raise HttpError(403, str(exc) or "Không có quyền.") from exc

    responses = {status: out_schema, 403: ErrorOut, 422: ErrorOut}
    decorate = router.post(f"/{path}", response=responses, operation_id=operation_id, summary=summary)
    if in_schema is None:

        @decorate
        def act(request, pk: int):
            return run(request, pk, None)

    else:

        @decorate
        def act_with(request, pk: int, payload: in_schema):
            return run(request, pk, payload)
