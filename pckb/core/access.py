"""The one access layer: role × administrative-unit scope × classification.

Every read in views, API, exports, search and form choices goes through :func:`restrict`. An object outside
the result is, for that user, an object that does not exist (404).

* **Role** grants actions per model (``ROLE_GRANTS``); the system administrator has no content access.
* **Scope**: a user sees objects whose unit lies in the subtree of the user's scope unit. Units are
  addressed by a materialised ``path`` (``/VN/92/31117/``), so the check is one ``startswith``.
* **Classification**: objects above the user's clearance are invisible. A model declares the lookups to
  every classification it depends on (``classification_paths``: its own, its parent's, its person's…);
  ``restrict`` applies all of them, so a child is never more visible than its parent (the strictest wins).
* **Related objects** a model shows beside itself (a decision number beside a member, a presenter beside an
  agenda item) are declared as ``guarded_relations``; objects read through ``restrict`` carry the reader, and
  a related object the reader may not see is withheld (read as ``None``) — pages, list columns, exports,
  documents and API schemas all print what the one guard left.
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

    rule.own_agency = True  # read by ``limited_to_agency`` to name the agency in a refusal
    return rule


def limited_to_agency(user: User | None, model: type[Model], action: str):
    """The user's own agency when a row rule limits ``action`` on ``model`` to it (an agency focal point),
    else None."""
    if user is None or not getattr(user, "role", None):
        return None
    rule = ROW_RULES.get((user.role, model._meta.label_lower, action))
    if not getattr(rule, "own_agency", False) or not user.person_id:
        return None
    return user.person.agency


def refusal_in_words(user: User, obj: Model, action: str) -> str:
    """Why ``obj``, as it would be saved, is outside what ``user`` may ``action`` — naming what the user
    may: the clearance, the own agency (a focal point) or the unit of the user's scope."""
    from django.utils.translation import gettext as _

    verbs = {ADD: _("thêm"), CHANGE: _("sửa"), DELETE: _("xóa")}
    verb = verbs.get(action, _("sửa"))
    level = classification_of(obj)
    if level > user.clearance:
        return _("Độ mật “{level}” vượt mức bạn được tiếp cận (“{clearance}”).").format(
            level=Classification(level).label, clearance=Classification(user.clearance).label
        )
    agency = limited_to_agency(user, type(obj), action)
    if agency is not None:
        return _("Bạn chỉ {verb} được {name} của {agency}.").format(
            verb=verb, name=type(obj)._meta.verbose_name_plural, agency=agency.name
        )
    unit = getattr(user, "scope_unit", None)
    if unit is not None:
        return _(
            "Bạn chỉ {verb} được dữ liệu thuộc {unit}; sau khi lưu, mục này sẽ nằm ngoài phạm vi đó."
        ).format(verb=verb, unit=unit.name)
    return _("Đối tượng sau khi lưu nằm ngoài phạm vi hoặc mức mật của bạn.")


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


def classification_lookups(model: type[Model]) -> tuple[str, ...]:
    """Every lookup to a classification ``model`` depends on (``classification_paths``, or the older single
    ``classification_path``)."""
    paths = getattr(model, "classification_paths", None)
    if paths:
        return tuple(paths)
    path = getattr(model, "classification_path", None)
    return (path,) if path else ()


def _crosses_nullable(model: type[Model], path: str) -> bool:
    """Whether the lookup walks through a nullable relation (then a missing object must not hide the row)."""
    current = model
    for part in path.split("__")[:-1]:
        field = current._meta.get_field(part)
        if getattr(field, "null", False) or not (field.many_to_one or field.one_to_one):
            return True
        current = field.related_model
    return False


def classification_q(model: type[Model], user: User) -> Q:
    """Objects whose every classification (own and inherited) is within the user's clearance."""
    paths = classification_lookups(model)
    if not paths or user.clearance >= max(Classification.values):
        return Q()  # no filter at all: an always-true condition would still stop index-only counts
    q = Q()
    for path in paths:
        condition = Q(**{f"{path}__lte": user.clearance})
        if _crosses_nullable(model, path):
            condition |= Q(**{f"{path}__isnull": True})  # no decision yet is not a classified decision
        q &= condition
    return q


def classification_of(obj: Model) -> int:
    """The strictest classification an object depends on, read from the loaded object (for messages and
    audit; access decisions use :func:`restrict`)."""
    level = 0
    for path in classification_lookups(type(obj)):
        value = obj
        for part in path.split("__"):
            value = getattr(value, part, None)
            if value is None:
                break
        level = max(level, value or 0)
    return level


def restrict(qs: QuerySet, user: User | None, action: str = VIEW) -> QuerySet:
    """Narrow ``qs`` to the objects on which ``user`` may perform ``action``.

    The result remembers ``user``: related objects the model declares in ``guarded_relations`` are withheld
    from the fetched objects when ``user`` may not see them (see :func:`withhold_related`)."""
    model = qs.model
    if action not in actions_for(user, model):
        return qs.none()
    qs = qs.filter(scope_q(model, user) & classification_q(model, user))
    rule = ROW_RULES.get((user.role, model._meta.label_lower, action))
    qs = rule(qs, user) if rule else qs
    return qs.for_reader(user) if hasattr(qs, "for_reader") else qs


def reference_choices(model, name: str, user):
    """What a model says ``user`` may choose for its reference ``name`` when that is more than what the user
    may see (``Model.reference_choices(name, user)``, a queryset; None: the access layer's ``restrict``).
    Forms and the API both ask here, so a page and the API offer and accept the same objects."""
    declare = getattr(model, "reference_choices", None)
    return declare(name, user) if declare is not None and user is not None else None


def _sees_all(user: User, model: type[Model]) -> bool:
    """Whether ``restrict(…, VIEW)`` would keep every row of ``model`` (no query needed to decide)."""
    return (
        VIEW in actions_for(user, model)
        and not scope_q(model, user)
        and not classification_q(model, user)
        and (user.role, model._meta.label_lower, VIEW) not in ROW_RULES
    )


def withhold_related(user: User | None, objects: list[Model], fields: tuple[str, ...] | None = None) -> None:
    """The one guard for related objects shown beside an object: on each of ``objects``, every relation in
    ``fields`` (default: the model's ``guarded_relations``) that ``user`` may not see is set to ``None`` in
    memory — a template prints nothing, code reads ``None`` through :func:`related`. One query per relation
    (none when the user sees every row of the related model)."""
    if not objects:
        return
    model = type(objects[0])
    for name in fields if fields is not None else getattr(model, "guarded_relations", ()):
        field = model._meta.get_field(name)
        target = field.related_model
        for obj in objects:
            obj.__dict__.setdefault("_guarded", {})[name] = getattr(user, "pk", None)
        ids = {getattr(o, field.attname) for o in objects} - {None}
        if not ids or (user is not None and user.is_authenticated and _sees_all(user, target)):
            continue
        visible = set(
            restrict(target._default_manager.filter(pk__in=ids), user, VIEW).values_list("pk", flat=True)
        )
        for obj in objects:
            if getattr(obj, field.attname) not in visible:
                field.set_cached_value(obj, None)
                obj.__dict__.setdefault("_withheld", set()).add(name)


def related(obj: Model, name: str):
    """``obj.<name>``, or ``None`` when it is empty or was withheld from the reader."""
    if name in obj.__dict__.get("_withheld", ()):
        return None
    return getattr(obj, name, None)


def visible_related(user: User | None, obj: Model, name: str):
    """``obj.<name>`` if ``user`` may see it, else ``None`` (for one object not read through ``restrict``;
    an object already read through it for the same user is not checked twice)."""
    reader = getattr(user, "pk", None)
    guarded = obj.__dict__.get("_guarded", {})
    if name not in guarded or guarded[name] != reader:
        if name in obj.__dict__.get("_withheld", ()):  # withheld from another reader: load it afresh
            obj.__dict__["_withheld"].discard(name)
            obj._meta.get_field(name).delete_cached_value(obj)
        withhold_related(user, [obj], (name,))
    return related(obj, name)


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
