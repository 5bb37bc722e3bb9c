from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _create_audit_key(sender, **kwargs) -> None:
    """`pckb setup` (migrate) creates the audit key file, 0600, unless PCKB_AUDIT_KEY is set."""
    from pckb.audit.keys import key_file_create

    key_file_create()


class AuditConfig(AppConfig):
    name = "pckb.audit"
    label = "audit"
    verbose_name = _("Nhật ký")

    def ready(self) -> None:
        post_migrate.connect(_create_audit_key, sender=self, dispatch_uid="pckb.audit.create_key")
