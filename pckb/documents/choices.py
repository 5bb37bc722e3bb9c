from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    """Loại văn bản (Nghị định 30/2020/NĐ-CP), with the abbreviation used in the number and symbol."""

    DECISION = "decision", _("Quyết định")
    PLAN = "plan", _("Kế hoạch")
    PROGRAMME = "programme", _("Chương trình")
    REGULATION = "regulation", _("Quy chế")
    SCENARIO = "scenario", _("Phương án")
    REPORT = "report", _("Báo cáo")
    LETTER = "letter", _("Công văn")
    NOTICE = "notice", _("Thông báo")
    DISPATCH = "dispatch", _("Công điện")
    CONCLUSION = "conclusion", _("Kết luận")


class Urgency(models.TextChoices):
    """Độ khẩn."""

    NORMAL = "normal", _("Thường")
    URGENT = "urgent", _("Khẩn")
    VERY_URGENT = "very_urgent", _("Thượng khẩn")
    FLASH = "flash", _("Hỏa tốc")


class Direction(models.TextChoices):
    """Sổ văn bản: đến (received) or đi (sent)."""

    INCOMING = "incoming", _("Văn bản đến")
    OUTGOING = "outgoing", _("Văn bản đi")


class Attendance(models.TextChoices):
    PRESENT = "present", _("Có mặt")
    DELEGATED = "delegated", _("Cử người dự thay")
    EXCUSED = "excused", _("Vắng có lý do")
    ABSENT = "absent", _("Vắng")
