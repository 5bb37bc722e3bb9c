"""Choices of the response module (Phương án & Sự cố)."""

import os

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

#: Minutes after receipt within which a report must be forwarded (Luật PCKB Điều 29: "ngay").
DEFAULT_FORWARD_MINUTES = 30


class ScenarioType(models.TextChoices):
    HOSTAGE = "hostage", _("Bắt giữ con tin")
    BOMB_THREAT = "bomb_threat", _("Đe dọa đánh bom, phát hiện vật khả nghi")
    ARMED_ATTACK = "armed_attack", _("Tấn công vũ trang")
    VEHICLE_RAMMING = "vehicle_ramming", _("Dùng phương tiện lao vào đám đông")
    ARSON_EXPLOSION = "arson_explosion", _("Đốt phá, gây cháy nổ")
    SEIZURE = "seizure", _("Chiếm giữ tàu bay, tàu thủy, phương tiện")
    CBRN = "cbrn", _("Phát tán chất hóa học, sinh học, phóng xạ")
    CYBER = "cyber", _("Tấn công mạng vào hệ thống trọng yếu")
    OTHER = "other", _("Tình huống khác")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    APPROVED = "approved", _("Đã phê duyệt")
    SUPERSEDED = "superseded", _("Đã thay thế")


class ReportChannel(models.TextChoices):
    PHONE = "phone", _("Điện thoại")
    IN_PERSON = "in_person", _("Trực tiếp")
    WRITTEN = "written", _("Văn bản")
    ELECTRONIC = "electronic", _("Điện tử (thư điện tử, cổng thông tin)")
    AGENCY = "agency", _("Cơ quan khác chuyển đến")


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("Mới tiếp nhận")
    FORWARDED = "forwarded", _("Đã chuyển")
    INCIDENT = "incident", _("Đã mở sự cố")
    ATTACHED = "attached", _("Đã gộp vào sự cố")
    UNFOUNDED = "unfounded", _("Đóng: không có cơ sở")


#: A report in one of these states is closed: no more forwarding or triage.
CLOSED_REPORT_STATUSES = (ReportStatus.INCIDENT, ReportStatus.ATTACHED, ReportStatus.UNFOUNDED)


def forward_minutes() -> int:
    """``PCKB_REPORT_FORWARD_MINUTES`` (setting or environment), default 30."""
    value = getattr(settings, "PCKB_REPORT_FORWARD_MINUTES", None) or os.environ.get(
        "PCKB_REPORT_FORWARD_MINUTES"
    )
    try:
        minutes = int(value) if value else DEFAULT_FORWARD_MINUTES
    except ValueError:
        minutes = DEFAULT_FORWARD_MINUTES
    return max(minutes, 1)
