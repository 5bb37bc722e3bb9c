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


#: What an audit entry records. Core writes entries (through ``core.auditing``) without importing the audit
#: app, so the list of actions lives here; ``pckb.audit.choices`` re-exports it.
class AuditAction(models.TextChoices):
    CREATE = "create", _("Tạo mới")
    UPDATE = "update", _("Cập nhật")
    DELETE = "delete", _("Xóa")
    VIEW = "view", _("Xem hồ sơ mật")
    EXPORT = "export", _("Xuất dữ liệu")
    IMPORT = "import", _("Nhập dữ liệu")
    LOGIN = "login", _("Đăng nhập")
    LOGOUT = "logout", _("Đăng xuất")
    LOGIN_FAILED = "login_failed", _("Đăng nhập thất bại")
    LOCKED = "locked", _("Khóa tài khoản tạm thời")
    TOKEN = "token", _("Cấp mã truy cập API")
    RECONSTITUTE = "reconstitute", _("Kiện toàn")
