"""How core writes to the audit log without importing the audit app.

Core's generic services, views and imports record what they do through :func:`record` and :func:`snapshot`.
The audit app installs the real recorder at start-up through its registration
(``Registration(auditor=(audit_record, snapshot))``, collected by ``core.registry``), so the import arrows run
one way: audit → core, never core → audit.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

_record: Callable | None = None
_snapshot: Callable | None = None
_record_many: Callable | None = None


def install(record: Callable, snapshot: Callable, record_many: Callable | None = None) -> None:
    global _record, _snapshot, _record_many
    _record, _snapshot, _record_many = record, snapshot, record_many


def _installed() -> tuple[Callable, Callable]:
    if _record is None or _snapshot is None:
        raise ImproperlyConfigured("Chưa có ứng dụng nhật ký (pckb.audit) trong INSTALLED_APPS.")
    return _record, _snapshot


def record(**kwargs):
    """Write one audit entry (see ``pckb.audit.services.audit_record`` for the arguments)."""
    return _installed()[0](**kwargs)


def snapshot(obj) -> dict:
    """The object's audited fields as stored (see ``pckb.audit.services.snapshot``)."""
    return _installed()[1](obj)


def record_many(*, actor, action: str, objects: list, afters: list[dict]) -> None:
    """One entry per object, in order (an import's batch): chained under one hold of the chain lock when the
    audit app offers it, else one :func:`record` each."""
    _installed()
    if _record_many is not None:
        _record_many(actor=actor, action=action, objects=objects, afters=afters)
        return
    for obj, after in zip(objects, afters, strict=True):
        _record(actor=actor, action=action, obj=obj, after=after)
