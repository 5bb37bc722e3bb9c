"""Periodic reports (báo cáo định kỳ) of a steering committee to the committee above it.

A **schedule** says which report a committee owes for which period and by when (due dates per committee).
A **report** answers one schedule: its figures are compiled from the modules' data by the section providers
(``pckb.reports.sections``) while it is a draft, and frozen as a JSON snapshot when it is submitted, so a
submitted report never changes afterwards. Both belong to the committee's unit
(``scope_path = "schedule__committee__unit"``); a higher committee reads only what a lower one sent
(submitted or accepted), never its drafts (a row rule, see ``registration.py``).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pckb.core.choices import Classification
from pckb.core.models import ClassifiedMixin, PckbModel
from pckb.reports.choices import EDITABLE_STATUSES, SENT_STATUSES, ReportKind, ReportStatus


def _day(d: dt.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


class ReportSchedule(PckbModel):
    """A report a committee owes: its type, the period it covers and the date it is due."""

    committee = models.ForeignKey(
        "directory.Committee",
        verbose_name=_("Ban Chỉ đạo báo cáo"),
        on_delete=models.PROTECT,
        related_name="report_schedules",
    )
    kind = models.CharField(_("loại báo cáo"), max_length=16, choices=ReportKind.choices)
    period_start = models.DateField(_("kỳ báo cáo từ ngày"))
    period_end = models.DateField(_("kỳ báo cáo đến ngày"))
    due_date = models.DateField(_("hạn gửi báo cáo"))
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    scope_path = "committee__unit"
    search_fields = ("search_label", "note")
    sort_source = "kind"

    class Meta:
        verbose_name = _("lịch báo cáo")
        verbose_name_plural = pgettext_lazy("số nhiều", "lịch báo cáo")
        ordering = ("-due_date", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "kind", "period_start", "period_end"],
                name="reportschedule_unique_period",
            ),
        ]

    def __str__(self) -> str:
        return _("{kind} ({start} – {end}), hạn {due}").format(
            kind=self.get_kind_display(),
            start=_day(self.period_start),
            end=_day(self.period_end),
            due=_day(self.due_date),
        )

    def get_absolute_url(self) -> str:
        return reverse("reports:reportschedule", args=[self.pk])

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("Ngày kết thúc kỳ báo cáo phải sau ngày bắt đầu.")})
        if self.period_start and self.due_date and self.due_date < self.period_start:
            raise ValidationError({"due_date": _("Hạn gửi báo cáo không thể trước kỳ báo cáo.")})

    @property
    def search_label(self) -> str:
        return f"{self.get_kind_display()} {self.committee.name if self.committee_id else ''}"

    @property
    def period_label(self) -> str:
        return f"{_day(self.period_start)} – {_day(self.period_end)}"


class PeriodicReport(ClassifiedMixin, PckbModel):
    """The report answering one schedule: compiled figures (a snapshot once submitted) and the narrative
    sections the standing office writes (kết quả, tồn tại, phương hướng, kiến nghị)."""

    schedule = models.OneToOneField(
        ReportSchedule, verbose_name=_("lịch báo cáo"), on_delete=models.PROTECT, related_name="report"
    )
    title = models.CharField(_("tên báo cáo"), max_length=400)
    number = models.CharField(
        _("số, ký hiệu"),
        max_length=64,
        blank=True,
        help_text=_("Ví dụ: 25/BC-BCĐ. Để trống khi chưa cấp số."),
    )
    results = models.TextField(_("kết quả đạt được"), blank=True)
    shortcomings = models.TextField(_("tồn tại, hạn chế"), blank=True)
    directions = models.TextField(_("phương hướng, nhiệm vụ kỳ tới"), blank=True)
    recommendations = models.TextField(_("kiến nghị, đề xuất"), blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=ReportStatus.choices,
        default=ReportStatus.DRAFT,
        editable=False,
    )
    snapshot = models.JSONField(_("số liệu đã chốt"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True, editable=False)
    submitted_by = models.CharField(_("người gửi"), max_length=150, blank=True, editable=False)
    reviewed_at = models.DateTimeField(_("xem xét lúc"), null=True, blank=True, editable=False)
    reviewed_by = models.CharField(_("người xem xét"), max_length=150, blank=True, editable=False)
    review_comment = models.TextField(_("ý kiến của cấp trên"), blank=True, editable=False)

    scope_path = "schedule__committee__unit"
    search_fields = ("title", "number")
    sort_source = "title"

    class Meta:
        verbose_name = _("báo cáo định kỳ")
        verbose_name_plural = pgettext_lazy("số nhiều", "báo cáo định kỳ")
        ordering = ("-schedule__period_end", "sort_key", "id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(classification__lte=Classification.SECRET),
                name="periodicreport_never_top_secret",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:periodicreport", args=[self.pk])

    @property
    def committee(self):
        return self.schedule.committee

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_sent(self) -> bool:
        return self.status in SENT_STATUSES

    def is_late(self, today: dt.date | None = None) -> bool:
        """Sent after the due date, or not sent and the due date has passed."""
        due = self.schedule.due_date
        if self.submitted_at is not None:
            return timezone.localdate(self.submitted_at) > due
        return (today or timezone.localdate()) > due
