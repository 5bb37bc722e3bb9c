"""Generic audited writes. Every app's services call these, so every write is validated, scope-checked
after save (nobody can move an object out of their own reach) and recorded in the audit chain."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from pckb.audit.choices import AuditAction
from pckb.audit.services import audit_record, snapshot
from pckb.core import access


class OutOfScope(PermissionDenied):
    """The write would put the object outside what the actor may see; it is rolled back."""


def _ensure(actor, action: str, model: type[models.Model]) -> None:
    if not access.has_action(actor, model, action):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))


def _recheck(actor, obj: models.Model, action: str) -> None:
    if not access.can(actor, action, obj):
        raise OutOfScope(_("Đối tượng sau khi lưu nằm ngoài phạm vi hoặc mức mật của bạn."))


def object_create(*, actor, instance: models.Model, action: str = AuditAction.CREATE) -> models.Model:
    """Validate, save and audit a new object; roll back if it ends outside the actor's reach."""
    _ensure(actor, access.ADD, type(instance))
    with transaction.atomic():
        instance.full_clean()
        instance.save()
        _recheck(actor, instance, access.ADD)
        audit_record(actor=actor, action=action, obj=instance, after=snapshot(instance))
    return instance


def object_update(*, actor, instance: models.Model, changes: dict) -> models.Model:
    """Apply ``changes`` (field name → value) to an object the actor may change, then validate and audit."""
    _ensure(actor, access.CHANGE, type(instance))
    with transaction.atomic():
        current = access.get_or_404(type(instance), actor, access.CHANGE, pk=instance.pk)
        before = snapshot(current)
        for name, value in changes.items():
            setattr(instance, name, value)
        instance.full_clean()
        instance.save()
        _recheck(actor, instance, access.CHANGE)
        after = snapshot(instance)
        if after != before:
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=instance, before=before, after=after)
    return instance


def object_delete(*, actor, instance: models.Model) -> None:
    _ensure(actor, access.DELETE, type(instance))
    with transaction.atomic():
        current = access.get_or_404(type(instance), actor, access.DELETE, pk=instance.pk)
        before = snapshot(current)
        audit_record(actor=actor, action=AuditAction.DELETE, obj=current, before=before)
        current.delete()
