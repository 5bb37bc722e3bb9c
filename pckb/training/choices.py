from django.db import models
from django.utils.translation import gettext_lazy as _


class ConferenceFormat(models.TextChoices):
    IN_PERSON = "in_person", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    HYBRID = "hybrid", _("Kết hợp trực tiếp và trực tuyến")


class ConferenceStatus(models.TextChoices):
    PLANNED = "planned", _("Đang chuẩn bị")
    INVITED = "invited", _("Đã gửi giấy mời")
    HELD = "held", _("Đã tổ chức")
    REPORTED = "reported", _("Đã báo cáo")


STATUS_ORDER = [s.value for s in ConferenceStatus]


class SessionKind(models.TextChoices):
    OPENING = "opening", _("Phát biểu khai mạc")
    REPORT = "report", _("Báo cáo chuyên đề")
    DISCUSSION = "discussion", _("Thảo luận")
    CLOSING = "closing", _("Bế mạc")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Một đáp án đúng")
    MULTIPLE = "multiple", _("Nhiều đáp án đúng")


class TestKind(models.TextChoices):
    PRE = "pre", _("Kiểm tra đầu vào")
    POST = "post", _("Kiểm tra đầu ra")
