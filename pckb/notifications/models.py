"""Notifications: the in-app notification centre and the transactional outbox that carries e-mails and
webhooks out of the system.

Both are written **in the same transaction as the change** they announce (``services.notify``): if the
change rolls back, so do they. The in-app ``Notification`` is visible as soon as it commits. Each e-mail or
webhook is an ``OutboxMessage`` row that the worker delivers after commit, with retries, a lease and an
idempotency key (see ``services.outbox_deliver`` and docs/architecture.md).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pckb.notifications.choices import Channel, DeliveryStatus


class Notification(models.Model):
    """One message to one user, shown in their notification centre until they mark it read."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    event = models.CharField(_("sự kiện"), max_length=80, help_text=_("Ví dụ: training.invitation_sent."))
    title = models.CharField(_("tiêu đề"), max_length=200)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(_("đường dẫn"), max_length=300, blank=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("loại đối tượng"), on_delete=models.CASCADE, null=True, blank=True
    )
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    dedupe_key = models.CharField(
        _("khóa chống trùng"),
        max_length=200,
        blank=True,
        help_text=_("Cùng khóa thì mỗi người nhận chỉ nhận một lần (ví dụ: nhắc hạn một bài kiểm tra)."),
    )
    created = models.DateTimeField(_("tạo lúc"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = pgettext_lazy("số nhiều", "thông báo")
        ordering = ("-created", "-id")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notification_once_per_key",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class OutboxMessage(models.Model):
    """One e-mail or webhook call waiting for, or done by, the worker. Delivered at least once; receivers
    deduplicate by ``idempotency_key`` (the e-mail's Message-ID, the webhook's ``Idempotency-Key`` header)."""

    channel = models.CharField(_("kênh"), max_length=16, choices=Channel.choices)
    notification = models.ForeignKey(
        Notification,
        verbose_name=_("thông báo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    event = models.CharField(_("sự kiện"), max_length=80)
    address = models.CharField(
        _("địa chỉ nhận"), max_length=300, help_text=_("Địa chỉ thư hoặc URL webhook.")
    )
    subject = models.CharField(_("tiêu đề"), max_length=200, blank=True)
    body = models.TextField(_("nội dung"), blank=True)
    #: Text for the recipient alone that must not stay in the database once delivered (a one-time link):
    #: appended to the e-mail's body when it is sent, kept for the retries, erased when it is marked sent.
    private_text = models.TextField(_("phần riêng (xóa sau khi gửi)"), blank=True, default="", editable=False)
    payload = models.JSONField(_("dữ liệu"), default=dict, blank=True)
    idempotency_key = models.UUIDField(_("khóa idempotency"), default=uuid.uuid4, unique=True, editable=False)
    dedupe_key = models.CharField(_("khóa chống trùng"), max_length=250, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("số lần thử tối đa"), default=8)
    next_attempt_at = models.DateTimeField(_("thử lại lúc"))
    locked_until = models.DateTimeField(_("giữ đến"), null=True, blank=True)
    lease_token = models.UUIDField(_("mã lượt giữ"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    created = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    sent_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thư chờ gửi")
        verbose_name_plural = pgettext_lazy("số nhiều", "thư chờ gửi")
        ordering = ("id",)
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "address", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="outbox_once_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.address}: {self.subject or self.event}"

    @property
    def message_id(self) -> str:
        """The e-mail Message-ID, derived from the row so a resent copy carries the same one."""
        return f"<{self.idempotency_key}@{settings.PCKB_EMAIL_MESSAGE_ID_DOMAIN}>"
