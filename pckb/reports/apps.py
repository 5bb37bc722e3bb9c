from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "pckb.reports"
    label = "reports"
    verbose_name = _("Báo cáo định kỳ")

    def ready(self):
        from pckb.reports import sections

        sections.autodiscover()
