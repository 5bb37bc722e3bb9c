"""Generic audited writes. Every app's services call these, so every write is validated, scope-checked
after save (nobody can move an object out of their own reach) and recorded in the audit chain.

Transactions: a service wraps its writes in ``service_transaction()``. When it is the outermost service of
the call (a view, an API endpoint, a task or a command called it), the block is **durable**
(``transaction.atomic(durable=True)``): it really commits when it ends, so the events it emitted leave
then, and Django refuses to let an unknowing caller wrap it in a larger transaction. When another service
calls it, it joins the caller's transaction (a savepoint), and the caller's durable block commits the whole.

Errors are domain errors (``pckb.core.errors``), never HTTP ones: views and the API map them.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from pckb.core import access, errors
from pckb.core.auditing import record as audit_record
from pckb.core.auditing import record_many as audit_record_many
from pckb.core.auditing import snapshot
from pckb.core.choices import AuditAction


class OutOfScope(errors.PermissionDenied):
    """The write would put the object outside what the actor may see; it is rolled back."""


def in_service_transaction(using: str | None = None) -> bool:
    """Whether a transaction opened by the application (not by the test harness) is active."""
    blocks = transaction.get_connection(using).atomic_blocks
    return any(not getattr(block, "_from_testcase", False) for block in blocks)


def service_transaction(using: str | None = None) -> transaction.Atomic:
    """``atomic(durable=True)`` for the outermost service, a nested ``atomic()`` for a service it calls.

    (Django's test cases wrap each test in atomic blocks marked ``_from_testcase``; a durable block is
    allowed inside those, so tests exercise the same durable path as production.)
    """
    return transaction.atomic(using=using, durable=not in_service_transaction(using))


def _ensure(actor, action: str, model: type[models.Model]) -> None:
    if not access.has_action(actor, model, action):
        raise errors.PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))


def _recheck(actor, obj: models.Model, action: str) -> None:
    if not access.can(actor, action, obj):
        raise OutOfScope(access.refusal_in_words(actor, obj, action))


def object_get(*, actor, model: type[models.Model], action: str = access.VIEW, pk, lock: bool = False):
    """Fetch and authorise in one step for a service: ``NotFound`` both when the object does not exist and
    when the actor may not ``action`` it (existence does not leak). ``lock`` takes the row lock
    (``SELECT … FOR UPDATE``) until the end of the transaction. The service-side twin of
    ``access.get_or_404``, which pages use."""
    qs = model._default_manager.all()
    if lock:
        qs = qs.select_for_update(of=("self",))
    try:
        current = access.restrict(qs, actor, action).filter(pk=pk).first()
    except (ValueError, TypeError, OverflowError):
        current = None
    if current is None:
        raise errors.NotFound(_("Không tìm thấy đối tượng."))
    return current


def _locked(actor, model: type[models.Model], action: str, pk) -> models.Model:
    """The current row, locked until the end of the transaction, if the actor may ``action`` it."""
    return object_get(actor=actor, model=model, action=action, pk=pk, lock=True)


def many_refusal(field: models.Field, ids) -> str:
    """The message for chosen related objects that do not exist or that the actor may not choose; it names
    the field and repeats only the ids the actor sent (never the name of an object they may not see)."""
    return _("{field}: không tìm thấy mã {ids} hoặc nằm ngoài phạm vi của bạn.").format(
        field=capfirst(field.verbose_name), ids=", ".join(str(i) for i in sorted(ids))
    )


def _choosable(actor, model: type[models.Model], ids: set, kept: set) -> set:
    """Of ``ids``, those the actor may choose for a many-to-many list: objects they may see which are
    current (``current_choices_q``: not a merged agency), or which the list already holds — as the forms'
    choices (``core.forms.restrict_choices``) offer them."""
    if not ids:
        return set()
    qs = model._default_manager.filter(pk__in=ids)
    if hasattr(qs, "restrict"):
        qs = access.restrict(qs, actor, access.VIEW)
    if hasattr(model, "current_choices_q"):
        qs = qs.filter(model.current_choices_q() | models.Q(pk__in=kept))
    return set(qs.values_list("pk", flat=True))


def _set_many(actor, instance: models.Model, many: dict | None) -> tuple[dict, dict]:
    """Set each many-to-many list of ``many`` (field name → objects or ids; ``None``: unchanged) on the
    saved ``instance``. Every chosen object must be one the actor may choose (else ``ValidationError`` on
    that field); what the list holds that the actor may not see is kept (it is not theirs to remove, and
    they are never told it is there). Returns the ids before and after of each list that changed."""
    before_all: dict[str, list] = {}
    after_all: dict[str, list] = {}
    errors_by_field: dict[str, list] = {}
    for name, chosen in (many or {}).items():
        if chosen is None:
            continue
        field = instance._meta.get_field(name)
        if not field.many_to_many:
            raise TypeError(f"{type(instance).__name__}.{name} is not a many-to-many field")
        manager = getattr(instance, name)
        before = set(manager.values_list("pk", flat=True))
        wanted = set()
        for obj in chosen:
            value = getattr(obj, "pk", obj)
            if isinstance(value, bool) or not isinstance(value, int):
                errors_by_field.setdefault(name, []).append(_("Mỗi phần tử phải là một mã số."))
                break
            wanted.add(value)
        if name in errors_by_field:
            continue
        target = field.related_model
        refused = wanted - _choosable(actor, target, wanted, before)
        if refused:
            errors_by_field[name] = [many_refusal(field, refused)]
            continue
        hidden = before - _visible_ids(actor, target, before)
        after = wanted | hidden
        if after != before:
            manager.set(sorted(after))
            before_all[name], after_all[name] = sorted(before), sorted(after)
    if errors_by_field:
        raise ValidationError(errors_by_field)
    return before_all, after_all


def _visible_ids(actor, model: type[models.Model], ids: set) -> set:
    if not ids:
        return set()
    qs = model._default_manager.filter(pk__in=ids)
    if hasattr(qs, "restrict"):
        qs = access.restrict(qs, actor, access.VIEW)
    return set(qs.values_list("pk", flat=True))


def object_create(
    *, actor, instance: models.Model, action: str = AuditAction.CREATE, many: dict | None = None
) -> models.Model:
    """Validate, save and audit a new object; roll back if it ends outside the actor's reach. ``many``
    (field name → objects or ids) sets its many-to-many lists, each chosen object checked through the access
    layer, and the audit entry carries them (as lists of ids)."""
    _ensure(actor, access.ADD, type(instance))
    with service_transaction():
        instance.full_clean()
        instance.save()
        _recheck(actor, instance, access.ADD)
        _before, lists = _set_many(actor, instance, many)
        audit_record(actor=actor, action=action, obj=instance, after={**snapshot(instance), **lists})
    return instance


def _batchable(model: type[models.Model]) -> bool:
    """Whether a bulk insert does what ``save()`` does for ``model``: its ``save`` is the base model's, or
    the model says what else to do in ``prepare_bulk_insert``."""
    from pckb.core.models import PckbModel

    if not issubclass(model, PckbModel):
        return False
    return model.save is PckbModel.save or "prepare_bulk_insert" in model.__dict__


def objects_create(*, actor, instances: list[models.Model], batch_size: int = 500) -> list[models.Model]:
    """Create many new objects of one model, each as :func:`object_create` would — validated, re-checked
    and audited —, batched: one insert, one re-check query and one chained audit write per batch (an
    import of 50,000 rows). All or nothing; the first fault raises (``ValidationError``, ``OutOfScope``), so
    a caller that names faults per row retries a refused batch one object at a time."""
    if not instances:
        return []
    model = type(instances[0])
    _ensure(actor, access.ADD, model)
    if not _batchable(model):
        with service_transaction():
            return [object_create(actor=actor, instance=obj) for obj in instances]
    references = [f for f in model._meta.concrete_fields if f.is_relation]
    with service_transaction():
        for start in range(0, len(instances), batch_size):
            batch = instances[start : start + batch_size]
            for obj in batch:
                # References are checked below, one query per field for the batch; check constraints are
                # enforced by the database on insert.
                obj.full_clean(exclude=[f.name for f in references], validate_constraints=False)
            for field in references:
                ids = {getattr(obj, field.attname) for obj in batch} - {None}
                found = set(field.related_model._base_manager.filter(pk__in=ids).values_list("pk", flat=True))
                for obj in batch:
                    value = getattr(obj, field.attname)
                    if value is None and not field.null:
                        raise ValidationError({field.name: field.error_messages["null"]})
                    if value is not None and value not in found:
                        raise ValidationError(
                            {field.name: _("Không tìm thấy {name} đã chọn.").format(name=field.verbose_name)}
                        )
            for obj in batch:
                obj.prepare_bulk_insert()
            try:
                with transaction.atomic():
                    model._default_manager.bulk_create(batch)
            except IntegrityError as exc:
                raise ValidationError(_("Dữ liệu vi phạm ràng buộc của hệ thống.")) from exc
            pks = [obj.pk for obj in batch]
            allowed = set(
                access.restrict(model._default_manager.filter(pk__in=pks), actor, access.ADD).values_list(
                    "pk", flat=True
                )
            )
            for obj in batch:
                if obj.pk not in allowed:
                    raise OutOfScope(access.refusal_in_words(actor, obj, access.ADD))
            audit_record_many(
                actor=actor, action=AuditAction.CREATE, objects=batch, afters=[snapshot(o) for o in batch]
            )
    return instances


def object_update(*, actor, instance: models.Model, changes: dict, many: dict | None = None) -> models.Model:
    """Apply ``changes`` (field name → value) to an object the actor may change, then validate and audit.
    ``many`` sets many-to-many lists as :func:`object_create` does (``None`` for a list: unchanged); one
    audit entry carries the fields and the lists that changed.

    The row is locked (``SELECT … FOR UPDATE``) before its "before" snapshot is taken, so two concurrent
    edits are serialised and each audit entry's "before" is what the other one left.
    """
    _ensure(actor, access.CHANGE, type(instance))
    with service_transaction():
        current = _locked(actor, type(instance), access.CHANGE, instance.pk)
        before = snapshot(current)
        for name, value in changes.items():
            setattr(instance, name, value)
        instance.full_clean()
        instance.save()
        _recheck(actor, instance, access.CHANGE)
        after = snapshot(instance)
        lists_before, lists_after = _set_many(actor, instance, many)
        if after != before or lists_after:
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=instance,
                before={**before, **lists_before},
                after={**after, **lists_after},
            )
    return instance


def object_delete(*, actor, instance: models.Model) -> None:
    """Delete an object the actor may delete. Every object removed with it (cascade) gets its own audit
    entry, so nothing disappears silently; a protected relation raises ``ProtectedError`` first."""
    _ensure(actor, access.DELETE, type(instance))
    with service_transaction():
        current = _locked(actor, type(instance), access.DELETE, instance.pk)
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


def supersede_previous(*, actor, obj: models.Model, active, superseded, field: str = "status") -> None:
    """A versioned record (a scenario plan, a protection plan, a coordination regulation) was put in force:
    each earlier version (``obj.previous``, its ``previous``…) still ``active`` becomes ``superseded``,
    each with its audit entry. Call it inside the service transaction that puts ``obj`` in force."""
    ancestor = obj.previous
    while ancestor is not None:
        if getattr(ancestor, field) == active:
            before = snapshot(ancestor)
            setattr(ancestor, field, superseded)
            ancestor.save(update_fields=[field, "updated"])
            audit_record(
                actor=actor, action=AuditAction.UPDATE, obj=ancestor, before=before, after=snapshot(ancestor)
            )
        ancestor = ancestor.previous
