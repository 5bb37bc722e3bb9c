from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeploymentConfig(AppConfig):
    name = "pckb.deployment"
    label = "deployment"
    verbose_name = _("Bố trí lực lượng")
