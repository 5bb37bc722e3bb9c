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


def install(record: Callable, snapshot: Callable) -> None:
    global _record, _snapshot
    _record, _snapshot = record, snapshot


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
