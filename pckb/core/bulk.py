"""Bulk actions from a list page: each selected object goes through the same service, permission check and
audit as the single action, inside one transaction — if any object is refused, nothing changes."""

from __future__ import annotations

from dataclasses import dataclass

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
