"""Bulk actions from a list page: each selected object goes through the same service, permission check and
audit as the single action, inside one transaction — if any object is refused, nothing changes."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from pckb.core import access, errors, services


@dataclass(frozen=True)
class Refusal:
    label: str
    reason: str


class BulkRefused(errors.Conflict):
    """At least one selected object was refused; the whole action was rolled back."""

    def __init__(self, refusals: list[Refusal]):
        self.refusals = refusals
        super().__init__(_("Không thực hiện thao tác nào: {n} mục bị từ chối.").format(n=len(refusals)))


def objects_delete(*, actor, model, pks: list[int]) -> int:
    """Delete every object of ``model`` with a pk in ``pks`` — all of them or none. An object the actor may
    not see or delete, or one that other records still need, is named in the ``BulkRefused`` error (one
    the actor may not see is named by its number only, so nothing leaks)."""
    pks = list(dict.fromkeys(pks))
    if not pks:
        raise errors.ValidationError(_("Chưa chọn mục nào."))
    if not access.has_action(actor, model, access.DELETE):
        raise errors.PermissionDenied(
            _("Bạn không có quyền xóa {name}.").format(name=model._meta.verbose_name_plural)
        )
    refusals: list[Refusal] = []
    with services.service_transaction():
        visible = {
            obj.pk: obj for obj in access.restrict(model.objects.all(), actor, access.VIEW).filter(pk__in=pks)
        }
        for pk in pks:
            obj = visible.get(pk)
            if obj is None:
                refusals.append(
                    Refusal(_("Mục số {pk}").format(pk=pk), _("không tồn tại hoặc nằm ngoài phạm vi của bạn"))
                )
                continue
            try:
                services.object_delete(actor=actor, instance=obj)
            except ProtectedError:
                refusals.append(Refusal(str(obj), _("còn dữ liệu khác liên kết tới")))
            except (errors.NotFound, errors.PermissionDenied):
                refusals.append(Refusal(str(obj), _("bạn không có quyền xóa mục này")))
        if refusals:
            raise BulkRefused(refusals)
    return len(pks)


#: The most objects one bulk action takes (a list's "all matching the filter" included).
BULK_CAP = 1000


def _refusal_reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    if isinstance(exc, errors.NotFound):
        return _("bạn không có quyền sửa mục này")
    return str(exc) or _("bạn không có quyền sửa mục này")


def objects_update(
    *, actor, model, pks: list[int], field: str, value, update=None, dry_run: bool = False
) -> int:
    """Set ``field`` to ``value`` on every object of ``model`` with a pk in ``pks`` — all of them or none.

    Each object goes through ``update(obj, changes)`` — the model's own update service, by default
    ``services.object_update`` — so the same validation, row rules, re-check after save and audit apply as
    on its edit page. Every refused object is named in the ``BulkRefused`` error (one the actor may not see
    by its number only). ``dry_run`` checks everything, then rolls back: the preview's list of refusals."""
    pks = list(dict.fromkeys(pks))
    if not pks:
        raise errors.ValidationError(_("Chưa chọn mục nào."))
    if len(pks) > BULK_CAP:
        raise errors.ValidationError(
            _("Mỗi lần sửa tối đa {cap} mục; hãy lọc hẹp hơn.").format(cap=f"{BULK_CAP:,}".replace(",", "."))
        )
    if not access.has_action(actor, model, access.CHANGE):
        raise errors.PermissionDenied(
            _("Bạn không có quyền sửa {name}.").format(name=model._meta.verbose_name_plural)
        )
    if update is None:

        def update(obj, changes):
            return services.object_update(actor=actor, instance=obj, changes=changes)

    refusals: list[Refusal] = []
    with services.service_transaction():
        visible = {
            obj.pk: obj for obj in access.restrict(model.objects.all(), actor, access.VIEW).filter(pk__in=pks)
        }
        for pk in pks:
            obj = visible.get(pk)
            if obj is None:
                refusals.append(
                    Refusal(_("Mục số {pk}").format(pk=pk), _("không tồn tại hoặc nằm ngoài phạm vi của bạn"))
                )
                continue
            label = str(obj)
            try:
                with transaction.atomic():  # a savepoint: one refused row leaves the others checkable
                    update(obj, {field: value})
            except (ValidationError, errors.NotFound, errors.PermissionDenied, DjangoPermissionDenied) as exc:
                refusals.append(Refusal(label, _refusal_reason(exc)))
        if refusals:
            raise BulkRefused(refusals)
        if dry_run:
            transaction.set_rollback(True)
    return len(pks)
