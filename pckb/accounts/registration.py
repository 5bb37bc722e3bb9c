"""What accounts add to the product: sign-in pages, the token API and user administration."""

from django.utils.translation import gettext_lazy as _

from pckb.core.navigation import SYSTEM
from pckb.core.registry import MenuItem, Registration

registration = Registration(
    urls=("tai-khoan/", "pckb.accounts.urls"),
    api=("/auth", "pckb.accounts.api.router"),
    menu=(MenuItem(SYSTEM, _("Người dùng"), "accounts:user_list", admin_only=True, order=20),),
)
