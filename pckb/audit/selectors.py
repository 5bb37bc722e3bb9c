"""Reads of the audit log, always through the access layer."""

from django.db.models import QuerySet

from pckb.audit.models import AuditEntry
from pckb.core import access

#: What an object's history panel shows: its changes and views of it (exports stay in the audit log).
CONTENT_CHANGES = ("create", "update", "delete", "import", "reconstitute")
CHANGE_ACTIONS = (*CONTENT_CHANGES, "view")


def entries_for(user) -> QuerySet[AuditEntry]:
    return access.restrict(AuditEntry.objects.all(), user, access.VIEW)


def object_history(user, obj) -> QuerySet[AuditEntry]:
    """The change history of one object that the user may read (empty for roles without audit access)."""
    return (
        entries_for(user)
        .filter(object_type=obj._meta.label_lower, object_id=str(obj.pk), action__in=CHANGE_ACTIONS)
        .order_by("-seq")
    )


def login_history(user_id: int) -> QuerySet[AuditEntry]:
    """Logins, logouts and failures of one account (for the user administration page)."""
    return AuditEntry.objects.filter(
        object_type="accounts.user",
        object_id=str(user_id),
        action__in=["login", "logout", "login_failed", "locked"],
    ).order_by("-seq")


def recent_changes(user) -> QuerySet[AuditEntry]:
    """Changes to content the user may read made by people, for the start page: accounts, demo loading and
    what the system's own (disabled) accounts wrote are left out."""
    return (
        entries_for(user)
        .filter(action__in=CONTENT_CHANGES, user__is_active=True)
        .exclude(object_type__in=["accounts.user", "demo"])
    )


def recent_changes_panel(user) -> dict:
    """The start page's panel of recent changes (empty for roles without audit access)."""
    return {"recent": recent_changes(user)[:8]}


def history_panel(user, obj) -> dict:
    """An object's page: the last 20 changes the user may read (nothing shown without audit access)."""
    return {"history": object_history(user, obj)[:20]}
