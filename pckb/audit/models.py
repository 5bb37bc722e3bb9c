"""The tamper-evident audit log.

Each ``AuditEntry`` stores ``prev_hash`` and ``hash = HMAC-SHA256(key, prev_hash ‖ canonical JSON of the
entry)``, keyed with a secret kept outside the database (``pckb.audit.keys``). The singleton
``AuditChainHead`` holds the sequence number and hash of the last entry, and anchors written to a file
outside the database (``pckb.audit.anchors``) record where the head was, so editing, deleting or truncating
entries is detected (``pckb audit verify``).

Reads of classified records are recorded in ``QueuedAuditEntry`` first (no chain lock, each row with its own
MAC) and sealed into the chain in batches by the worker, so readers never queue writers behind the chain lock.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pckb.audit.choices import AuditAction
from pckb.core.models import RestrictedQuerySet

GENESIS_HASH = "0" * 64


class AuditEntry(models.Model):
    seq = models.PositiveBigIntegerField(_("số thứ tự"), unique=True)
    time = models.DateTimeField(_("thời điểm"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    username = models.CharField(_("tên đăng nhập"), max_length=150, blank=True)
    ip = models.CharField(_("địa chỉ IP"), max_length=64, blank=True)
    request_id = models.CharField(_("mã yêu cầu"), max_length=64, blank=True)
    source = models.CharField(_("nguồn"), max_length=16, blank=True)
    action = models.CharField(_("hành động"), max_length=16, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(_("loại đối tượng"), max_length=64, blank=True)
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    object_repr = models.CharField(_("đối tượng"), max_length=300, blank=True)
    unit_path = models.CharField(_("phạm vi"), max_length=64, blank=True, db_index=True)
    classification = models.PositiveSmallIntegerField(_("độ mật"), default=0)
    before = models.JSONField(_("trước"), null=True, blank=True)
    after = models.JSONField(_("sau"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = RestrictedQuerySet.as_manager()

    # Who may read which entry: the entry's scope is the object's unit; its classification the object's.
    scope_path = None
    scope_path_field = "unit_path"
    classification_path = "classification"

    class Meta:
        verbose_name = _("mục nhật ký")
        verbose_name_plural = _("nhật ký hệ thống")
        ordering = ("-seq",)
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.get_action_display()} {self.object_repr}"

    def get_absolute_url(self) -> str:
        return reverse("audit:entry", args=[self.pk])


class AuditChainHead(models.Model):
    """One row: the last sequence number and hash. Updating it first serialises writers (row lock)."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("đầu chuỗi nhật ký")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


class QueuedAuditEntry(models.Model):
    """A read of a classified record, waiting to be sealed into the chain (seconds, by the worker).

    Appending it takes no chain lock; its ``mac`` (keyed like the chain) makes an edit detectable until then.
    """

    time = models.DateTimeField(_("thời điểm"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    username = models.CharField(_("tên đăng nhập"), max_length=150, blank=True)
    ip = models.CharField(_("địa chỉ IP"), max_length=64, blank=True)
    request_id = models.CharField(_("mã yêu cầu"), max_length=64, blank=True)
    source = models.CharField(_("nguồn"), max_length=16, blank=True)
    action = models.CharField(_("hành động"), max_length=16, choices=AuditAction.choices)
    object_type = models.CharField(_("loại đối tượng"), max_length=64, blank=True)
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    object_repr = models.CharField(_("đối tượng"), max_length=300, blank=True)
    unit_path = models.CharField(_("phạm vi"), max_length=64, blank=True)
    classification = models.PositiveSmallIntegerField(_("độ mật"), default=0)
    mac = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("mục nhật ký chờ ghi")
        verbose_name_plural = _("mục nhật ký chờ ghi")
        ordering = ("id",)

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"
