from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtectionConfig(AppConfig):
    name = "pckb.protection"
    label = "protection"
    verbose_name = _("Bảo vệ")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from pckb.protection import map as map_data
        from pckb.protection.models import EventStop, ProtectedEvent, RiskAssessment, Target, TargetCategory

        # The map caches each user's first view: any change to what it draws forgets it.
        for model in (Target, RiskAssessment, TargetCategory, ProtectedEvent, EventStop):
            post_save.connect(map_data.bump_version, sender=model, dispatch_uid=f"map-{model.__name__}")
            post_delete.connect(map_data.bump_version, sender=model, dispatch_uid=f"map-del-{model.__name__}")
