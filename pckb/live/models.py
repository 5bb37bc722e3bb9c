"""Live events: the stored log behind the real-time pages (Server-Sent Events).

Every ``publish()`` writes one ``LiveEvent`` in the publishing service's transaction; its autoincrement id is
the SSE event id, so a browser that reconnects with ``Last-Event-ID`` is sent exactly the rows after it. A row
says only *which* stream changed and *what kind* of change it was (ids and kinds, never text): the page then
re-fetches its fragments through the permission layer like any other request.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LiveEvent(models.Model):
    """One change announced on one stream ("response.incident:7", "user:12")."""

    id = models.BigAutoField(primary_key=True)
    stream = models.CharField(_("luồng"), max_length=120)
    kind = models.CharField(_("loại sự kiện"), max_length=80)
    data = models.JSONField(_("dữ liệu"), default=dict, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("sự kiện trực tiếp")
        verbose_name_plural = pgettext_lazy("số nhiều", "sự kiện trực tiếp")
        ordering = ("id",)
        indexes = [models.Index(fields=["stream", "id"], name="live_event_stream")]

    def __str__(self) -> str:
        return f"{self.stream} #{self.pk} {self.kind}"
