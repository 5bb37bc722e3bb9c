from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "pckb.core"
    label = "core"
    verbose_name = _("Lõi hệ thống")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from pckb.core import registry

        registry.collect()
        # Every app's tasks.py is imported in every process (web and worker alike), so the event handlers
        # it registers with ``pckb.core.events.receiver`` are there when a service emits.
        autodiscover_modules("tasks")
