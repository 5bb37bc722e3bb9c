"""What the administrative-unit register adds to the product: read-only reference data and its API."""

from django.utils.translation import pgettext_lazy

from pckb.accounts.choices import Role
from pckb.core.access import READ_ACTIONS, VIEW
from pckb.core.navigation import ORGANISATION
from pckb.core.registry import MenuItem, Registration

UNIT = "geo.administrativeunit"

registration = Registration(
    urls=("don-vi-hanh-chinh/", "pckb.geo.urls"),
    api=("/", "pckb.geo.api.router"),
    # The system administrator sees units (to give accounts their scope), and nobody edits them here.
    grants={Role.ADMIN: {UNIT: frozenset({VIEW})}},
    read_only={UNIT: READ_ACTIONS},
    menu=(
        MenuItem(
            ORGANISATION,
            pgettext_lazy("số nhiều", "Đơn vị hành chính"),
            "geo:unit_list",
            "geo.AdministrativeUnit",
            order=50,
        ),
    ),
)
