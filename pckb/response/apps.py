from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _create_reporter_key(**kwargs):
    """``pckb setup`` runs migrate: the reporter-contact key file is created then, like the audit key."""
    from pckb.response.crypto import key_file_create

    key_file_create()


class ResponseConfig(AppConfig):
    name = "pckb.response"
    label = "response"
    verbose_name = _("Phương án và sự cố")

    def ready(self):
        post_migrate.connect(_create_reporter_key, sender=self, dispatch_uid="pckb.response.create_key")
