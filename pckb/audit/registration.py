"""What the audit log adds to the product: its pages, who reads it, and the start page's recent changes."""

from django.utils.translation import gettext_lazy as _

from pckb.accounts.choices import Role
from pckb.audit.selectors import history_panel, recent_changes_panel
from pckb.audit.services import audit_record, audit_record_many, snapshot
from pckb.core.access import READ_ACTIONS
from pckb.core.navigation import SYSTEM
from pckb.core.registry import MenuItem, ObjectPanel, Registration, StartPanel

AUDIT = "audit.auditentry"

registration = Registration(
    urls=("nhat-ky/", "pckb.audit.urls"),
    # Read only, and only by the roles named here (a role's "*" does not reach the audit log).
    grants={
        role: {AUDIT: READ_ACTIONS} for role in (Role.NATIONAL_OFFICE, Role.PROVINCIAL_OFFICE, Role.INSPECTOR)
    },
    read_only={AUDIT: READ_ACTIONS},
    explicit_only=(AUDIT,),
    menu=(MenuItem(SYSTEM, _("Nhật ký"), "audit:entry_list", "audit.AuditEntry", order=10),),
    start_panels=(StartPanel("audit/_start_panel.html", recent_changes_panel, order=90),),
    object_panels=(ObjectPanel("audit/_history_panel.html", history_panel, order=90),),
    auditor=(audit_record, snapshot, audit_record_many),
)
