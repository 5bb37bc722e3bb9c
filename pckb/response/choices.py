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


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("Đang xử lý")
    CLOSED = "closed", _("Đã kết thúc")


class EmergencyMeasure(models.TextChoices):
    """The emergency measures of Luật PCKB Điều 30 khoản 2, stored as their point letters only. Wording is
    administrative and short; check it against the official gazette before quoting it in a document."""

    A = "a", _("a) Tạm thời hạn chế người, phương tiện ra, vào, đi lại trong khu vực")
    B = "b", _("b) Bao vây, phong tỏa, lập vành đai bảo vệ khu vực")
    C = "c", _("c) Sơ tán người, tài sản; cấp cứu, cứu nạn")
    D = "d", _("d) Tạm dừng hoạt động của cơ quan, tổ chức, nơi công cộng trong khu vực")
    DD = "dd", _("đ) Kiểm soát, tạm dừng hoạt động của phương tiện giao thông")
    E = "e", _("e) Huy động người, phương tiện của cơ quan, tổ chức, cá nhân")
    G = "g", _("g) Tạm ngừng cung cấp dịch vụ viễn thông, Internet trong khu vực")
    H = "h", _("h) Kiểm tra người, phương tiện, đồ vật theo quy định")
    K = "k", _("k) Biện pháp cần thiết khác theo quy định của pháp luật")


class LogKind(models.TextChoices):
    ENTRY = "entry", _("Diễn biến")
    CORRECTION = "correction", _("Đính chính")
    SYSTEM = "system", _("Hệ thống ghi")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")
