"""Plans and programmes (kế hoạch, chương trình công tác) of a steering committee, their items, the tasks
each item gives to member agencies, and the progress reported on each task.

A plan belongs to its committee's unit (``scope_path = "committee__unit"``) and carries a classification;
items, tasks and progress updates inherit both, so a Mật plan's tasks are as hidden as the plan. A provincial
item may *implement* an item of a higher committee's plan; the link is guarded (shown only to readers who may
see the higher item), so the national office sees, for each national item, which provinces implement it.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pckb.core.choices import Classification
from pckb.core.models import ClassifiedMixin, PckbModel, classification_via
from pckb.plans.choices import OPEN_STATUSES, TaskStatus
from pckb.training.models import validate_material_size, validate_material_type


class Plan(ClassifiedMixin, PckbModel):
    """A committee's plan or work programme for a year or a period, issued as a document."""

    committee = models.ForeignKey(
        "directory.Committee", verbose_name=_("Ban Chỉ đạo"), on_delete=models.PROTECT, related_name="plans"
    )
    title = models.CharField(_("tên kế hoạch"), max_length=400)
    year = models.PositiveSmallIntegerField(
        _("năm"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    start = models.DateField(_("từ ngày"), null=True, blank=True, help_text=_("Để trống: cả năm."))
    end = models.DateField(_("đến ngày"), null=True, blank=True)
    document_number = models.CharField(
        _("số, ký hiệu văn bản"), max_length=64, blank=True, help_text=_("Ví dụ: 12/KH-BCĐ.")
    )
    document_date = models.CharField(
        _("ngày ban hành"), max_length=32, blank=True, help_text=_("Ví dụ: 15/01/2026.")
    )
    summary = models.TextField(_("mục đích, yêu cầu"), blank=True)

    scope_path = "committee__unit"
    search_fields = ("title", "document_number")
    sort_source = "title"

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = pgettext_lazy("số nhiều", "kế hoạch")
        ordering = ("-year", "sort_key", "id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(classification__lte=Classification.SECRET), name="plan_never_top_secret"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:plan", args=[self.pk])

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("Ngày kết thúc phải sau ngày bắt đầu.")})


class PlanItem(PckbModel):
    """One item (nội dung, nhiệm vụ) of a plan; it may implement an item of a higher committee's plan."""

    plan = models.ForeignKey(Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="items")
    number = models.CharField(_("số thứ tự"), max_length=16, help_text=_("Ví dụ: 1, 2.3, II.1."))
    title = models.CharField(_("nội dung"), max_length=400)
    description = models.TextField(_("mô tả, yêu cầu"), blank=True)
    implements = models.ForeignKey(
        "self",
        verbose_name=_("thực hiện nội dung của kế hoạch cấp trên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="implemented_by",
    )

    scope_path = "plan__committee__unit"
    classification_paths = classification_via("plan", Plan)
    guarded_relations = ("implements",)  # the higher committee's item may be out of the reader's scope
    search_fields = ("number", "title")
    sort_source = "number"

    class Meta:
        verbose_name = _("nội dung kế hoạch")
        verbose_name_plural = pgettext_lazy("số nhiều", "nội dung kế hoạch")
        ordering = ("plan", "sort_key", "id")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="planitem_unique_number_per_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("plans:planitem", args=[self.pk])

    @classmethod
    def reference_choices(cls, name: str, user):
        """A provincial item implements an item of the national plan, which the province cannot open: the
        choice (page and API) also offers the items of the plans of the committees above the user's scope."""
        if name == "implements":
            from pckb.plans.selectors import implementable_items

            return implementable_items(user)
        return None

    def clean(self):
        target = self.implements if self.implements_id else None
        if target is None or not self.plan_id:
            return
        if target.plan_id == self.plan_id:
            raise ValidationError({"implements": _("Chỉ chọn nội dung của kế hoạch Ban Chỉ đạo cấp trên.")})
        if target.plan.committee_id == self.plan.committee_id:
            raise ValidationError({"implements": _("Chỉ chọn nội dung của kế hoạch Ban Chỉ đạo cấp trên.")})


class Task(ClassifiedMixin, PckbModel):
    """A task (nhiệm vụ) given to a lead agency, with supporting agencies and a deadline, by a plan item or by
    another source (a committee meeting's conclusion; later an inspection finding, an after-action review).

    A task always belongs to a committee (``committee``, its scope): a plan item's task takes its plan's
    committee. A task from another source names it (``source``: any model, shown as a link only to readers
    who may see it) and carries that source's classification in its own ``classification``; a plan item's
    task also inherits the plan's. One model, so an agency has one task list whatever the source."""

    item = models.ForeignKey(
        PlanItem,
        verbose_name=_("nội dung kế hoạch"),
        on_delete=models.CASCADE,
        related_name="tasks",
        null=True,
        blank=True,
        help_text=_("Để trống với nhiệm vụ giao từ nguồn khác (kết luận cuộc họp, kiểm tra…)."),
    )
    committee = models.ForeignKey(
        "directory.Committee",
        verbose_name=_("Ban Chỉ đạo giao"),
        on_delete=models.PROTECT,
        related_name="tasks",
        editable=False,
    )
    source_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("loại nguồn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    source_id = models.PositiveBigIntegerField(_("mã nguồn"), null=True, blank=True, editable=False)
    source = GenericForeignKey("source_type", "source_id")
    source_label = models.CharField(_("nguồn giao nhiệm vụ"), max_length=300, blank=True, editable=False)
    title = models.CharField(_("tên nhiệm vụ"), max_length=400)
    lead_agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("cơ quan chủ trì"),
        on_delete=models.PROTECT,
        related_name="led_tasks",
    )
    supporting_agencies = models.ManyToManyField(
        "directory.Agency", verbose_name=_("cơ quan phối hợp"), blank=True, related_name="supported_tasks"
    )
    deadline = models.DateField(_("thời hạn"))
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=TaskStatus.choices,
        default=TaskStatus.NOT_STARTED,
        editable=False,
    )
    percent = models.PositiveSmallIntegerField(
        _("tiến độ (%)"), default=0, editable=False, validators=[MaxValueValidator(100)]
    )
    confirmed_on = models.DateTimeField(_("xác nhận hoàn thành lúc"), null=True, blank=True, editable=False)
    confirmed_by = models.CharField(_("người xác nhận"), max_length=150, blank=True, editable=False)

    scope_path = "committee__unit"
    classification_paths = ("classification", *classification_via("item", PlanItem))
    search_fields = ("title",)
    sort_source = "title"

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = pgettext_lazy("số nhiều", "nhiệm vụ")
        ordering = ("deadline", "sort_key", "id")
        indexes = [
            models.Index(fields=["status", "deadline"], name="plans_task_status_deadline"),
            models.Index(fields=["source_type", "source_id"], name="plans_task_source"),
            # The task list's order: a page (the first or a deep one) is read in index order instead of
            # sorting every task of the scope (bench/plans_tasks.py).
            models.Index(fields=["deadline", "sort_key", "id"], name="plans_task_list_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(classification__lte=Classification.SECRET), name="task_never_top_secret"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:task", args=[self.pk])

    def _take_committee_from_item(self) -> None:
        """A plan item's task belongs to the plan's committee (read from the loaded item when it is)."""
        if not self.item_id:
            return
        item = self._state.fields_cache.get("item")
        if item is not None and item.pk == self.item_id and "plan" in item._state.fields_cache:
            self.committee_id = item.plan.committee_id
        else:
            self.committee_id = (
                PlanItem.objects.filter(pk=self.item_id).values_list("plan__committee_id", flat=True).first()
            )

    def clean_fields(self, exclude=None):
        self._take_committee_from_item()
        super().clean_fields(exclude)

    def clean(self):
        self._take_committee_from_item()
        if not self.item_id and not self.committee_id:
            raise ValidationError({"item": _("Chọn nội dung kế hoạch giao nhiệm vụ này.")})

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") is None or "item" in kwargs["update_fields"]:
            self._take_committee_from_item()
        super().save(*args, **kwargs)

    @property
    def origin(self) -> str:
        """Where the task comes from, in words: the plan item, or the other source's label."""
        if self.item_id:
            return str(self.item)
        return self.source_label

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status in OPEN_STATUSES and self.deadline < today

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    @property
    def status_display(self) -> str:
        """The stored state, with "quá hạn" when the deadline has passed (text, not colour alone)."""
        label = str(self.get_status_display())
        if self.is_overdue():
            return str(_("Quá hạn ({status})")).format(status=label)
        return label


def agency_task_ids(agency_id: int) -> models.QuerySet:
    """The ids of the tasks an agency leads or supports, as a subquery (``pk__in=…``): a UNION of two index
    reads (the tasks' lead agency, the supporting links' agency) instead of an OR that makes the database
    test every task of the scope."""
    led = Task.objects.filter(lead_agency_id=agency_id).order_by().values("pk")
    supported = Task.supporting_agencies.through.objects.filter(agency_id=agency_id).values("task_id")
    return led.union(supported)


class ProgressUpdate(PckbModel):
    """A dated report of progress on a task, with an optional evidence file (served through the access
    layer). Updates are never changed or removed: a correction is a new update."""

    task = models.ForeignKey(
        Task, verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="updates"
    )
    date = models.DateField(_("ngày báo cáo"))
    text = models.TextField(_("kết quả thực hiện"))
    percent = models.PositiveSmallIntegerField(
        _("tiến độ (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    evidence = models.FileField(
        _("tệp minh chứng"),
        upload_to="plans/evidence/%Y/",
        blank=True,
        validators=[validate_material_type, validate_material_size],
        help_text=_("PDF, DOCX, PPTX, XLSX, ODT, ODP, PNG, JPG; tối đa 20 MB."),
    )
    reported_by = models.CharField(_("người báo cáo"), max_length=150, blank=True, editable=False)

    scope_path = "task__committee__unit"
    classification_paths = classification_via("task", Task)
    search_fields = ("text",)

    class Meta:
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = pgettext_lazy("số nhiều", "báo cáo tiến độ")
        ordering = ("-date", "-id")

    def __str__(self) -> str:
        return _("{day}: {percent}%").format(day=self.date.strftime("%d/%m/%Y"), percent=self.percent)

    def get_absolute_url(self) -> str:
        return reverse("plans:task", args=[self.task_id])
