"""The navigation menu: one group per product module; a module appears once it exists."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pckb.core import access


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    model: str | None = None  # "app_label.ModelName" whose view permission shows the item
    admin_only: bool = False


@dataclass(frozen=True)
class MenuGroup:
    label: str
    items: tuple[MenuItem, ...]


MENU: tuple[MenuGroup, ...] = (
    MenuGroup(
        _("Tổ chức"),
        (
            MenuItem(
                pgettext_lazy("số nhiều", "Ban Chỉ đạo"), "directory:committee_list", "directory.Committee"
            ),
            MenuItem(pgettext_lazy("số nhiều", "Cơ quan"), "directory:agency_list", "directory.Agency"),
            MenuItem(pgettext_lazy("số nhiều", "Cán bộ"), "directory:person_list", "directory.Person"),
            MenuItem(
                pgettext_lazy("số nhiều", "Quyết định"), "directory:decision_list", "directory.Decision"
            ),
            MenuItem(
                pgettext_lazy("số nhiều", "Đơn vị hành chính"), "geo:unit_list", "geo.AdministrativeUnit"
            ),
        ),
    ),
    MenuGroup(
        _("Tập huấn & Diễn tập"),
        (
            MenuItem(_("Hội nghị tập huấn"), "training:conference_list", "training.Conference"),
            MenuItem(_("Chuyên đề"), "training:topic_list", "training.Topic"),
            MenuItem(_("Độ bao phủ tập huấn"), "training:coverage", "training.Participant"),
        ),
    ),
    MenuGroup(
        _("Hệ thống"),
        (
            MenuItem(_("Nhật ký"), "audit:entry_list", "audit.AuditEntry"),
            MenuItem(_("Người dùng"), "accounts:user_list", admin_only=True),
        ),
    ),
)


def menu_for(user) -> list[dict]:
    from django.apps import apps

    groups = []
    for group in MENU:
        items = []
        for item in group.items:
            if item.admin_only:
                visible = getattr(user, "is_administrator", False)
            else:
                visible = access.has_action(user, apps.get_model(item.model), access.VIEW)
            if visible:
                items.append({"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name})
        if items:
            groups.append({"label": group.label, "items": items})
    return groups


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    return {"menu": menu_for(user)}
