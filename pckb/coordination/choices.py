from django.db import models
from django.utils.translation import gettext_lazy as _


class RegulationStatus(models.TextChoices):
    """A regulation is drafted, put in force by the committee leader, and superseded by its next version."""

    DRAFT = "draft", _("Dự thảo")
    IN_FORCE = "in_force", _("Đang có hiệu lực")
    SUPERSEDED = "superseded", _("Đã thay thế")


class Duty(models.TextChoices):
    """What an agency does for one content of the regulation (the cells of the responsibility matrix)."""

    LEAD = "lead", _("Chủ trì")
    SUPPORT = "support", _("Phối hợp")
    INFORM = "inform", _("Được thông báo")


#: The letter printed in a cell of the matrix (with a legend; never colour alone).
DUTY_LETTER = {Duty.LEAD: "C", Duty.SUPPORT: "P", Duty.INFORM: "T"}
