"""Users, their role, scope and clearance; API tokens."""

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pckb.accounts.choices import Role
from pckb.core.choices import Classification


class User(AbstractUser):
    """A PCKB Hub user. Access = role × scope (unit subtree) × clearance (see docs/permissions.md)."""

    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices, blank=True)
    scope_unit = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("phạm vi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    scope_path = models.CharField(_("đường dẫn phạm vi"), max_length=64, blank=True, editable=False)
    clearance = models.PositiveSmallIntegerField(
        _("mức được tiếp cận"), choices=Classification.choices, default=Classification.NORMAL
    )
    person = models.ForeignKey(
        "directory.Person",
        verbose_name=_("cán bộ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accounts",
    )
    must_change_password = models.BooleanField(_("phải đổi mật khẩu"), default=False)
    failed_logins = models.PositiveIntegerField(_("số lần đăng nhập sai"), default=0)
    locked_until = models.DateTimeField(_("khóa đến"), null=True, blank=True)
    totp_secret = models.CharField(_("khóa TOTP"), max_length=64, blank=True)
    totp_enabled = models.BooleanField(_("bật xác thực hai lớp"), default=False)
    totp_last_step = models.PositiveBigIntegerField(
        _("bước thời gian của mã TOTP dùng gần nhất"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Một mã đã dùng (và mọi mã cũ hơn) không được nhận lại."),
    )

    audit_exclude = (
        "password",
        "totp_secret",
        "totp_last_step",
        "last_login",
        "failed_logins",
        "locked_until",
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = pgettext_lazy("số nhiều", "người dùng")
        ordering = ("username",)

    def save(self, *args, **kwargs):
        self.scope_path = self.scope_unit.path if self.scope_unit_id else ""
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("accounts:user", args=[self.pk])

    @property
    def has_national_scope(self) -> bool:
        return self.scope_path == "/VN/"

    @property
    def is_administrator(self) -> bool:
        return self.is_active and self.role == Role.ADMIN

    @property
    def is_locked(self) -> bool:
        return bool(self.locked_until and self.locked_until > timezone.now())


class ApiToken(models.Model):
    """A bearer token for the REST API. Only its SHA-256 is stored. Revoking a token deletes it; all of a
    user's tokens are revoked when the password changes or two-factor login is turned on or off."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    expires = models.DateTimeField(_("hết hạn"))
    last_used = models.DateTimeField(_("dùng gần nhất"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = pgettext_lazy("số nhiều", "mã truy cập API")
        ordering = ("-created",)

    def __str__(self) -> str:
        return f"{self.user} ({self.expires:%d/%m/%Y})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode("utf-8")).hexdigest()


class ListPreference(models.Model):
    """A user's own settings for one list page (``list_label``: the listed model's label): the columns
    shown (``kind=columns``, ``value`` the column keys joined by commas) or a saved filter
    (``kind=filter``, ``name`` and ``value`` the query string).
    Personal display settings: not scoped, not audited."""

    class Kind(models.TextChoices):
        COLUMNS = "columns", _("cột hiển thị")
        FILTER = "filter", _("bộ lọc đã lưu")

    user = models.ForeignKey(
        User, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="list_preferences"
    )
    list_label = models.CharField(_("danh sách"), max_length=100)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("tên"), max_length=100, blank=True)
    value = models.TextField(_("giá trị"), blank=True, max_length=2000)
    updated = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("tùy chọn danh sách")
        verbose_name_plural = _("tùy chọn danh sách")
        ordering = ("kind", "name")
        constraints = [
            models.UniqueConstraint(
                fields=("user", "list_label", "kind", "name"), name="accounts_listpreference_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.list_label}: {self.name or self.kind}"
