"""The navigation menu: one group per product module, filled from the apps' registrations; an item is shown
to users whose role may view its model (and who pass the item's own ``visible`` condition, when the app
gives one), and a group once it has an item."""

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pckb.core import access, registry
from pckb.core.registry import MenuGroup

#: Groups that several apps fill; a module with a group of its own declares it in its registration.
ORGANISATION = MenuGroup("organisation", _("Tổ chức"), order=10)
SYSTEM = MenuGroup("system", _("Hệ thống"), order=90)


def menu_for(user) -> list[dict]:
    groups: dict[str, dict] = {}
    for item in registry.menu_items():
        if item.admin_only:
            visible = getattr(user, "is_administrator", False)
        else:
            visible = access.has_action(user, apps.get_model(item.model), access.VIEW)
        if visible and item.visible is not None:
            visible = item.visible(user)
        if visible:
            group = groups.setdefault(item.group.key, {"label": item.group.label, "items": []})
            group["items"].append(
                {"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name}
            )
    return list(groups.values())


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    return {"menu": menu_for(user)}
