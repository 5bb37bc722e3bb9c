"""What the protection module (Bảo vệ) adds to the product: the key-target register, risk assessments and
the targets due for review."""

from django.utils.translation import gettext_lazy as _

from pckb.accounts.choices import Role
from pckb.core.access import ADD, EXPORT, READ_ACTIONS, VIEW
from pckb.core.registry import MenuGroup, MenuItem, Registration, StartPanel
from pckb.protection.selectors import start_page_overdue

TARGET = "protection.target"
ASSESSMENT = "protection.riskassessment"
CATEGORY = "protection.targetcategory"
PROTECTION = MenuGroup("protection", _("Bảo vệ"), order=30)
ONLY_VIEW = frozenset({VIEW})

registration = Registration(
    urls=("bao-ve/", "pckb.protection.urls"),
    api=("/", "pckb.protection.api.router"),
    # Standing offices manage targets and assessments (their "*" default: all actions) in their scope;
    # the category list is national, kept by the national standing office.
    grants={
        Role.PROVINCIAL_OFFICE: {CATEGORY: READ_ACTIONS},
        Role.COMMITTEE_LEADER: {TARGET: READ_ACTIONS, ASSESSMENT: READ_ACTIONS, CATEGORY: READ_ACTIONS},
        Role.INSPECTOR: {TARGET: READ_ACTIONS, ASSESSMENT: READ_ACTIONS, CATEGORY: READ_ACTIONS},
        Role.AGENCY_FOCAL: {TARGET: ONLY_VIEW, ASSESSMENT: ONLY_VIEW, CATEGORY: ONLY_VIEW},
        Role.COMMUNE_OFFICER: {TARGET: ONLY_VIEW, ASSESSMENT: ONLY_VIEW, CATEGORY: ONLY_VIEW},
    },
    # An assessment, once signed off, is never changed or removed: a new assessment is a new row.
    read_only={ASSESSMENT: frozenset({VIEW, ADD, EXPORT})},
    menu=(
        MenuItem(
            PROTECTION, _("Mục tiêu trọng điểm"), "protection:target_list", "protection.Target", order=10
        ),
        MenuItem(
            PROTECTION,
            _("Quá hạn đánh giá lại"),
            "protection:target_overdue",
            "protection.Target",
            order=20,
        ),
        MenuItem(
            PROTECTION,
            _("Đánh giá rủi ro"),
            "protection:riskassessment_list",
            "protection.RiskAssessment",
            order=30,
        ),
        MenuItem(
            PROTECTION,
            _("Loại mục tiêu"),
            "protection:targetcategory_list",
            "protection.TargetCategory",
            order=40,
        ),
    ),
    start_panels=(StartPanel("protection/_start_panel.html", start_page_overdue, order=30),),
)
