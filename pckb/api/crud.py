"""Generic REST endpoints for a model (list with filters and pagination, get, create, update, delete), all
reading through the access layer and writing through the audited services. One call per model."""

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from pckb.api.errors import ApiValidationError, ErrorOut, validation_detail
from pckb.core import access, services
from pckb.core.declarations import ModelFields
from pckb.core.validators import integer_problem, text_errors

MAX_PAGE = 100_000


class BoundedPagination(PageNumberPagination):
    """Page numbers are bounded, so a huge ``?page=`` is a 422 and never an integer overflow in SQL."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=1000)


def protected_message(exc: ProtectedError) -> str:
    """What still points at the object, counted by kind: "Không thể xóa: còn 25 đại biểu liên kết tới"."""
    counts: dict[str, int] = {}
    for obj in exc.protected_objects:
        kind = str(obj._meta.verbose_name_plural)
        counts[kind] = counts.get(kind, 0) + 1
    what = ", ".join(f"{n} {kind}" for kind, n in counts.items())
    return f"Không thể xóa: còn {what or 'dữ liệu khác'} liên kết tới."


def _check_input(model, data: dict, *, partial: bool) -> dict:
    """Refuse what no model field can hold before it reaches the model: control characters in text, dates
    outside the accepted years, integers the column cannot store and (in a PATCH) ``null`` for a field that
    cannot be empty. A date-time without a time zone is read in Vietnam's time, as the forms read it."""
    fields = {f.name: f for f in model._meta.concrete_fields}
    multiline = {name for name, f in fields.items() if f.get_internal_type() == "TextField"}
    errors = text_errors(data, multiline_fields=multiline)
    cleaned = dict(data)
    for name, value in data.items():
        field = fields.get(name)
        message = integer_problem(field, value)
        if message:
            errors.setdefault(name, []).append(message)
        if partial and value is None and field is not None and not field.null:
            errors.setdefault(name, []).append("Không được để trống.")
        if isinstance(value, dt.datetime) and timezone.is_naive(value) and name not in errors:
            cleaned[name] = timezone.make_aware(value)
    if errors:
        raise ApiValidationError(errors)
    return cleaned


def _resolve_foreign_keys(model, user, data: dict, *, partial: bool = False) -> dict:
    """Turn ``<fk>_id`` values into objects the user may see; unknown or hidden ids are the same error."""
    # Text is trimmed as the forms trim it, so a name of spaces only is "empty" here too.
    data = {name: value.strip() if isinstance(value, str) else value for name, value in data.items()}
    data = _check_input(model, data, partial=partial)
    resolved = {}
    errors = {}
    for name, value in data.items():
        field = model._meta.get_field(name) if name in {f.name for f in model._meta.fields} else None
        if field is not None and field.is_relation and value is not None:
            target = field.related_model
            qs = access.reference_choices(model, name, user)
            if qs is None:
                qs = (
                    target._default_manager.all()
                    if not hasattr(target.objects, "restrict")
                    else target.objects.restrict(user, access.VIEW)
                )
            if target._meta.label_lower == "geo.administrativeunit":
                from pckb.geo.selectors import units_in_scope

                qs = units_in_scope(user)
            obj = qs.filter(pk=value).first()
            if obj is None:
                errors[name] = [f"Không tìm thấy đối tượng mã {value} hoặc nằm ngoài phạm vi."]
                continue
            resolved[name] = obj
        else:
            resolved[name] = value
    if errors:
        raise ApiValidationError(errors)
    return resolved


def _split_many(model, data: dict) -> tuple[dict, dict]:
    """The model's fields and its many-to-many lists (as ids) of an API input."""
    many_names = {f.name for f in model._meta.many_to_many}
    return (
        {k: v for k, v in data.items() if k not in many_names},
        {k: v for k, v in data.items() if k in many_names},
    )


def _default_create(actor, instance, many):
    return services.object_create(actor=actor, instance=instance, many=many)


def _default_update(actor, instance, changes, many):
    return services.object_update(actor=actor, instance=instance, changes=changes, many=many)


def register_crud(
    router: Router,
    *,
    model=None,
    prefix: str,
    fields: ModelFields | None = None,
    out_schema=None,
    in_schema=None,
    patch_schema=None,
    filterset_class=None,
    select_related: tuple[str, ...] = (),
    tag: str | None = None,
    create: Callable | None = None,
    update: Callable | None = None,
    read_only: bool = False,
) -> None:
    """List, get, create, update and delete one model. ``fields`` (the model's declaration) gives the
    model and its schemas; its many-to-many lists are read as the ids of the related objects the reader may
    see (one prefetch per list) and written through ``create(actor, instance, many)`` /
    ``update(actor, instance, changes, many)`` — the model's own service, by default the generic
    ``object_create`` / ``object_update`` — which checks each chosen object through the access layer.
    ``read_only``: list and get only (with ``fields``; without it, no ``in_schema`` means the same)."""
    if fields is not None:
        model = model or fields.model
        out_schema = out_schema or fields.out_schema
        if not read_only:
            in_schema = in_schema or fields.in_schema
            patch_schema = patch_schema or fields.patch_schema
    create = create or _default_create
    update = update or _default_update
    tags = [tag or str(model._meta.verbose_name_plural)]
    name = model._meta.model_name

    def base(user=None):
        qs = model.objects.all()
        if select_related:
            qs = qs.select_related(*select_related)
        if fields is not None and fields.many_fields and user is not None:
            qs = qs.prefetch_related(*fields.visible_prefetches(user))
        return qs

    @router.get(
        f"/{prefix}/",
        response=list[out_schema],
        tags=tags,
        operation_id=f"{name}_list",
        summary=f"Danh sách {model._meta.verbose_name_plural}",
    )
    @paginate(BoundedPagination, page_size=50)
    def list_objects(request, q: str | None = None):
        qs = access.restrict(base(request.user), request.user, access.VIEW)
        if filterset_class is not None:
            filterset = filterset_class(request.GET, queryset=qs, request=request)
            if not filterset.is_valid():
                raise ApiValidationError({k: [str(m) for m in v] for k, v in filterset.errors.items()})
            qs = filterset.qs
        return qs

    @router.get(f"/{prefix}/{{pk}}", response=out_schema, tags=tags, operation_id=f"{name}_get")
    def get_object(request, pk: int):
        return access.get_or_404(base(request.user), request.user, access.VIEW, pk=pk)

    if in_schema is None:
        return

    def _write(request, call):
        try:
            return call()
        except ValidationError as exc:
            raise ApiValidationError(validation_detail(exc)) from exc
        except PermissionDenied as exc:
            raise HttpError(403, str(exc) or "Không có quyền.") from exc

    @router.post(
        f"/{prefix}/",
        response={201: out_schema, 422: ErrorOut, 403: ErrorOut},
        tags=tags,
        operation_id=f"{name}_create",
    )
    def create_object(request, payload: in_schema):
        if not access.has_action(request.user, model, access.ADD):
            raise HttpError(403, "Bạn không có quyền tạo mới.")
        data, many = _split_many(model, payload.dict())
        data = _resolve_foreign_keys(model, request.user, data)
        obj = _write(request, lambda: create(request.user, model(**data), many))
        return Status(201, access.get_or_404(base(request.user), request.user, access.VIEW, pk=obj.pk))

    @router.patch(
        f"/{prefix}/{{pk}}",
        response={200: out_schema, 422: ErrorOut, 403: ErrorOut},
        tags=tags,
        operation_id=f"{name}_update",
    )
    def update_object(request, pk: int, payload: patch_schema or in_schema):
        obj = access.get_or_404(base(), request.user, access.CHANGE, pk=pk)
        data, many = _split_many(model, payload.dict(exclude_unset=True))
        data = _resolve_foreign_keys(model, request.user, data, partial=True)
        _write(request, lambda: update(request.user, obj, data, many))
        return Status(200, access.get_or_404(base(request.user), request.user, access.VIEW, pk=pk))

    @router.delete(
        f"/{prefix}/{{pk}}", response={204: None, 409: ErrorOut}, tags=tags, operation_id=f"{name}_delete"
    )
    def delete_object(request, pk: int):
        obj = access.get_or_404(base(), request.user, access.DELETE, pk=pk)
        try:
            services.object_delete(actor=request.user, instance=obj)
        except ProtectedError as exc:
            raise HttpError(409, protected_message(exc)) from exc
        return Status(204, None)


__all__ = ["register_crud", "BoundedPagination", "protected_message"]
