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
    """Delete an object the actor may delete. Every object removed with it (cascade) gets its own audit
    entry, so nothing disappears silently; a protected relation raises ``ProtectedError`` first."""
    _ensure(actor, access.DELETE, type(instance))
    with transaction.atomic():
        current = access.get_or_404(type(instance), actor, access.DELETE, pk=instance.pk)
        before = snapshot(current)
        cascaded = _cascaded(current)
        audit_record(actor=actor, action=AuditAction.DELETE, obj=current, before=before)
        unit = current.get_unit() if hasattr(current, "get_unit") else None
        level = int(getattr(current, "classification", 0) or 0)
        for child in cascaded:  # a child is filed under its parent's unit and at least its parent's level
            child_before = snapshot(child)
            if level > int(getattr(child, "classification", 0) or 0):
                child.classification = level  # the object is being deleted; only its audit entry reads this
            audit_record(
                actor=actor,
                action=AuditAction.DELETE,
                obj=child,
                before=child_before,
                unit_path=unit.path if unit is not None else "",
            )
        current.delete()


def _cascaded(instance: models.Model) -> list[models.Model]:
    """The other objects ``instance.delete()`` would remove (raises ``ProtectedError`` like delete)."""
    from django.db.models.deletion import Collector

    collector = Collector(using=instance._state.db or "default")
    collector.collect([instance])
    removed = []
    for model, objects in collector.data.items():
        removed.extend(obj for obj in objects if not (model is type(instance) and obj.pk == instance.pk))
    for qs in collector.fast_deletes:
        removed.extend(qs)
    return removed
