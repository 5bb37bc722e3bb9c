from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitLevel(models.TextChoices):
    NATIONAL = "national", _("Trung ương")
    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")
