"""Choices shared by every app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Classification(models.IntegerChoices):
    """Độ mật. Tuyệt mật is deliberately absent: PCKB Hub never stores it (Luật 117/2025/QH15)."""

    NORMAL = 0, _("Thường")
    CONFIDENTIAL = 1, _("Mật")
    SECRET = 2, _("Tối mật")


#: What users may type for a refused classification; imports and forms reject it with a clear message.
TOP_SECRET_WORDS = {"tuyệt mật", "tuyet mat", "top secret", "3"}
