from django.db import models
from django.utils.translation import gettext_lazy as _


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
