"""The one access layer: role × administrative-unit scope × classification.

Every read in views, API, exports, search and form choices goes through :func:`restrict`. An object outside
the result is, for that user, an object that does not exist (404).

* **Role** grants actions per model (``ROLE_GRANTS``); the system administrator has no content access.
* **Scope**: a user sees objects whose unit lies in the subtree of the user's scope unit. Units are
  addressed by a materialised ``path`` (``/VN/92/31117/``), so the check is one ``startswith``.
* **Classification**: objects above the user's clearance are invisible.
* **Row rules**: a few role-specific narrowings (an agency focal point edits only its own agency's people).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Model, Q, QuerySet

from pckb.accounts.choices import Role
from pckb.core.choices import Classification

if TYPE_CHECKING:
    from pckb.accounts.models import User

VIEW, ADD, CHANGE, DELETE, EXPORT, IMPORT = "view", "add", "change", "delete", "export", "import"
ALL_ACTIONS = frozenset({VIEW, ADD, CHANGE, DELETE, EXPORT, IMPORT})
READ_ACTIONS = frozenset({VIEW, EXPORT})

#: Role → model label (or "*") → actions. Models not named fall back to the role's "*" default below; each
#: app adds its own models' entries in its ``registration.py`` (collected by ``pckb.core.registry``).
ROLE_GRANTS: dict[str, dict[str, frozenset[str]]] = {
    Role.ADMIN: {},
    Role.NATIONAL_OFFICE: {"*": ALL_ACTIONS},
    Role.PROVINCIAL_OFFICE: {"*": ALL_ACTIONS},
    Role.COMMITTEE_LEADER: {"*": READ_ACTIONS},
    Role.AGENCY_FOCAL: {"*": frozenset({VIEW})},
    Role.COMMUNE_OFFICER: {"*": frozenset({VIEW})},
    Role.INSPECTOR: {"*": READ_ACTIONS},
}
#: Reference data and records that nobody edits through the generic layer, whatever the role grants.
READ_ONLY_LABELS: dict[str, frozenset[str]] = {}
#: Models a role's "*" does not cover (the audit log): only roles that name them may act on them.
EXPLICIT_ONLY_LABELS: set[str] = set()
NONE = frozenset()
#: (role, model label, action) → a function narrowing the queryset further.
ROW_RULES: dict[tuple[str, str, str], Callable[[QuerySet, User], QuerySet]] = {}


def own_agency(field: str) -> Callable[[QuerySet, User], QuerySet]:
    """A row rule: only rows whose ``field`` is the user's own agency (none for a user without one)."""

    def rule(qs: QuerySet, user: User) -> QuerySet:
        agency_id = user.person.agency_id if user.person_id else None
        return qs.filter(**{field: agency_id}) if agency_id else qs.none()

    return rule


def actions_for(user: User | None, model: type[Model]) -> frozenset[str]:
    """The actions the user's role grants on ``model`` (before scope and classification)."""
    if user is None or not user.is_authenticated or not user.is_active or not user.role:
        return frozenset()
    grants = ROLE_GRANTS.get(user.role, {})
    label = model._meta.label_lower
    default = grants.get("*", frozenset()) if label not in EXPLICIT_ONLY_LABELS else frozenset()
    actions = grants.get(label, default)
    return actions & READ_ONLY_LABELS.get(label, ALL_ACTIONS)


def has_action(user: User | None, model: type[Model], action: str) -> bool:
    return action in actions_for(user, model)


def scope_q(model: type[Model], user: User) -> Q:
    """The filter that keeps objects inside the user's unit subtree."""
    path = getattr(model, "scope_path", None)
    path_field = getattr(model, "scope_path_field", None)
    if (not path and not path_field) or user.has_national_scope:
        return Q()
    if not user.scope_path:
        return Q(pk__in=[])
    if path_field:  # a path column on a large table (the audit log): walk it by its own index
        return Q(**{f"{path_field}__startswith": user.scope_path})
    q = Q(**{f"{path}__path__startswith": user.scope_path})
    if connection.vendor == "sqlite":
        # SQLite cannot use an index for LIKE 'prefix%'; the equivalent range can. Paths end in "/", and
        # "0" is the next character, so [path, path[:-1] + "0") is exactly the subtree.
        q &= Q(**{f"{path}__path__gte": user.scope_path, f"{path}__path__lt": user.scope_path[:-1] + "0"})
    return q


def classification_q(model: type[Model], user: User) -> Q:
    path = getattr(model, "classification_path", None)
    if not path or user.clearance >= max(Classification.values):
        return Q()  # no filter at all: an always-true condition would still stop index-only counts
    return Q(**{f"{path}__lte": user.clearance})


def restrict(qs: QuerySet, user: User | None, action: str = VIEW) -> QuerySet:
    """Narrow ``qs`` to the objects on which ``user`` may perform ``action``."""
    model = qs.model
    if action not in actions_for(user, model):
        return qs.none()
    qs = qs.filter(scope_q(model, user) & classification_q(model, user))
    rule = ROW_RULES.get((user.role, model._meta.label_lower, action))
    return rule(qs, user) if rule else qs


def can(user: User | None, action: str, obj: Model) -> bool:
    """Whether ``user`` may perform ``action`` on the saved object ``obj``."""
    if obj.pk is None:
        return False
    return restrict(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists()


def get_or_404(model_or_qs, user: User | None, action: str = VIEW, **lookup):
    """Fetch and authorise in one step; 'does not exist' and 'not allowed' are the same 404."""
    from django.http import Http404

    qs = model_or_qs if isinstance(model_or_qs, QuerySet) else model_or_qs._default_manager.all()
    try:
        return restrict(qs, user, action).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
