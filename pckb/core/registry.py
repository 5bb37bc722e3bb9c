"""What each app adds to the product, declared by the app and collected at start-up.

An app holds a ``registration.py`` with one ``registration = Registration(...)``: its web pages (URL prefix
and module), its API router, its grants and row rules, its menu entries and its start-page panels.
``CoreConfig.ready()`` calls :func:`collect`, which reads the registrations of the installed apps in
``INSTALLED_APPS`` order and merges their grants into the access tables. Adding a module therefore edits
no file in ``core/``: the app and one line in ``INSTALLED_APPS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps
from django.utils.module_loading import import_string, module_has_submodule

from pckb.core import access, auditing


@dataclass(frozen=True)
class MenuGroup:
    """A heading of the menu; groups are shown by ``order`` (a module's group appears once it exists)."""

    key: str
    label: str
    order: int = 50


@dataclass(frozen=True)
class MenuItem:
    group: MenuGroup
    label: str
    url_name: str
    model: str | None = None  # "app_label.ModelName" whose view permission shows the item
    admin_only: bool = False
    order: int = 50
    #: ``visible(user) -> bool``: a further condition the app sets when the view permission is not enough
    #: (a page that only some scopes can use answers them 404, so it is not offered to the others). It should
    #: not query the database: it runs for every item on every page.
    visible: Callable | None = None


@dataclass(frozen=True)
class StartPanel:
    """A panel of the start page: ``context(user)`` returns the template's context, or None to hide it."""

    template: str
    context: Callable
    order: int = 50


@dataclass(frozen=True)
class ObjectPanel:
    """A panel at the foot of every object's page: ``context(user, obj)`` returns the template's context, or
    None to hide it (the audit log's history; later a journal or attachments)."""

    template: str
    context: Callable
    order: int = 50


@dataclass(frozen=True)
class Registration:
    #: Web pages: ``("tap-huan/", "pckb.training.urls")`` mounts the app's URL module under the prefix.
    urls: tuple[str, str] | None = None
    #: API: ``("/", "pckb.training.api.router")`` mounts the router under /api/v1/<prefix>.
    api: tuple[str, str] | None = None
    #: Role → model label → actions, on top of the role's ``"*"`` default in ``access.ROLE_GRANTS``.
    grants: dict = field(default_factory=dict)
    #: (role, model label, action) → function(queryset, user) narrowing the rows further.
    row_rules: dict = field(default_factory=dict)
    #: Model label → the only actions anyone may have on it (reference data, records).
    read_only: dict = field(default_factory=dict)
    #: Model labels that a role's ``"*"`` grant does not cover: only roles that name them may act.
    explicit_only: tuple[str, ...] = ()
    menu: tuple[MenuItem, ...] = ()
    start_panels: tuple[StartPanel, ...] = ()
    object_panels: tuple[ObjectPanel, ...] = ()
    #: Start page "Việc cần làm": functions ``(user, now) -> iterable of core.todo.TodoItem``.
    todo: tuple[Callable, ...] = ()
    #: Calendar: functions ``(user, start, end) -> iterable of core.agenda.AgendaEvent``.
    agenda: tuple[Callable, ...] = ()
    #: The audit log's ``(record, snapshot[, record_many])``, installed into ``core.auditing`` (only the
    #: audit app gives it).
    auditor: tuple[Callable, ...] | None = None


_registrations: list[Registration] = []


def collect() -> None:
    """Read every installed app's ``registration`` and merge its grants into the access tables."""
    _registrations.clear()
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, "registration"):
            continue
        registration = import_module(f"{config.name}.registration").registration
        _registrations.append(registration)
        for role, grants in registration.grants.items():
            access.ROLE_GRANTS.setdefault(role, {}).update(grants)
        access.ROW_RULES.update(registration.row_rules)
        access.READ_ONLY_LABELS.update(registration.read_only)
        access.EXPLICIT_ONLY_LABELS.update(registration.explicit_only)
        if registration.auditor is not None:
            auditing.install(*registration.auditor)


def registrations() -> list[Registration]:
    return list(_registrations)


def url_modules() -> list[tuple[str, str]]:
    return [r.urls for r in _registrations if r.urls]


def api_routers() -> list[tuple[str, object]]:
    return [(prefix, import_string(path)) for prefix, path in (r.api for r in _registrations if r.api)]


def menu_items() -> list[MenuItem]:
    items = [item for r in _registrations for item in r.menu]
    return sorted(items, key=lambda i: (i.group.order, i.order))


def start_panels() -> list[StartPanel]:
    return sorted((p for r in _registrations for p in r.start_panels), key=lambda p: p.order)


def todo_providers() -> list[Callable]:
    return [func for r in _registrations for func in r.todo]


def agenda_sources() -> list[Callable]:
    return [func for r in _registrations for func in r.agenda]


def object_panels() -> list[ObjectPanel]:
    return sorted((p for r in _registrations for p in r.object_panels), key=lambda p: p.order)


def render_panels(panels, request, *args) -> list[str]:
    """Each panel rendered with its own context (``panel.context(*args)``); panels that return None are left
    out."""
    from django.template.loader import render_to_string

    rendered = []
    for panel in panels:
        context = panel.context(*args)
        if context is not None:
            rendered.append(render_to_string(panel.template, context, request))
    return rendered
