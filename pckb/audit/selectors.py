"""Reads of the audit log, always through the access layer."""

from django.db.models import Q, QuerySet

from pckb.audit.models import AuditEntry
from pckb.core import access

#: What an object's history panel shows: its changes and views of it (exports stay in the audit log).
CONTENT_CHANGES = ("create", "update", "delete", "import", "reconstitute")
CHANGE_ACTIONS = (*CONTENT_CHANGES, "view")


def entries_for(user) -> QuerySet[AuditEntry]:
    return access.restrict(AuditEntry.objects.all(), user, access.VIEW)


#: Objects whose history also shows their parts' changes: parent type → ((child type, parent's id field), …).
#: A conference's history shows its agenda (sessions) and invitations; the parent's id is read from the
#: snapshot before or after the change, so a deleted session still shows. (Delegates are left out: hundreds
#: of check-ins would bury the agenda.)
HISTORY_CHILDREN = {
    "training.conference": (("training.session", "conference_id"), ("training.invitation", "conference_id")),
}


def object_history(user, obj) -> QuerySet[AuditEntry]:
    """The change history of one object that the user may read (empty for roles without audit access),
    with its parts' changes where :data:`HISTORY_CHILDREN` names them."""
    label = obj._meta.label_lower
    where = Q(object_type=label, object_id=str(obj.pk))
    for child_type, parent_field in HISTORY_CHILDREN.get(label, ()):
        where |= Q(object_type=child_type) & (
            Q(**{f"after__{parent_field}": obj.pk}) | Q(**{f"before__{parent_field}": obj.pk})
        )
    return entries_for(user).filter(where, action__in=CHANGE_ACTIONS).order_by("-seq")


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


HISTORY_PAGE_SIZE = 20
#: Objects with a page of their whole history (paginated), linked from the panel when there is more.
HISTORY_PAGES = {"training.conference": "training:conference_history"}


def history_panel(user, obj) -> dict:
    """An object's page: the last 20 changes the user may read (nothing shown without audit access), and a
    link to the paginated whole history where the object has one and there is more."""
    from django.urls import reverse

    entries = list(object_history(user, obj)[: HISTORY_PAGE_SIZE + 1])
    more = len(entries) > HISTORY_PAGE_SIZE and obj._meta.label_lower in HISTORY_PAGES
    return {
        "history": entries[:HISTORY_PAGE_SIZE],
        "history_object_type": obj._meta.label_lower,
        "history_more_url": reverse(HISTORY_PAGES[obj._meta.label_lower], args=[obj.pk]) if more else "",
    }
