from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "pckb.coordination"
    label = "coordination"
    verbose_name = _("Quy chế phối hợp")
