"""The coordination regulation (quy chế phối hợp) of a steering committee and its responsibility matrix.

A regulation names its parties (member agencies), the document that issues it and its effective dates. Its
matrix has one row per content of coordination (a function, or a scenario type such as a bomb threat) and,
in each row, what each party does: leads (chủ trì — exactly one), supports (phối hợp) or is informed (được
thông báo). Regulations are versioned like scenario plans: a draft is put in force by the committee leader;
the next version, once in force, supersedes it. Rows and cells inherit the regulation's scope and
classification. Other modules read the matrix (a protected event's agency tasks, a scenario plan's steps).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pckb.coordination.choices import DUTY_LETTER, Duty, RegulationStatus
from pckb.core.choices import Classification
from pckb.core.models import ClassifiedMixin, PckbModel, classification_via
from pckb.response.choices import ScenarioType

LOCKED = _("Quy chế đã có hiệu lực hoặc đã thay thế không sửa được: tạo phiên bản mới để sửa.")


class Regulation(ClassifiedMixin, PckbModel):
    """A committee's coordination regulation, in one version."""

    committee = models.ForeignKey(
        "directory.Committee",
        verbose_name=_("Ban Chỉ đạo"),
        on_delete=models.PROTECT,
        related_name="coordination_regulations",
    )
    title = models.CharField(_("tên quy chế"), max_length=400)
    document_number = models.CharField(
        _("số, ký hiệu văn bản ban hành"), max_length=64, blank=True, help_text=_("Ví dụ: 05/QĐ-BCĐ.")
    )
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    effective_from = models.DateField(_("có hiệu lực từ ngày"))
    effective_to = models.DateField(
        _("hết hiệu lực ngày"), null=True, blank=True, help_text=_("Để trống: đến khi có quy chế thay thế.")
    )
    parties = models.ManyToManyField(
        "directory.Agency", verbose_name=_("các cơ quan tham gia"), blank=True, related_name="regulations"
    )
    summary = models.TextField(_("phạm vi, nguyên tắc phối hợp"), blank=True)
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1, editable=False)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("phiên bản trước"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_versions",
        editable=False,
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=RegulationStatus.choices,
        default=RegulationStatus.DRAFT,
        editable=False,
    )
    in_force_at = models.DateTimeField(_("ban hành trên hệ thống lúc"), null=True, blank=True, editable=False)

    scope_path = "committee__unit"
    search_fields = ("title", "document_number")
    sort_source = "title"
    #: The previous version may be Mật while this one is Thường: shown only to who may see it.
    guarded_relations = ("previous",)

    class Meta:
        verbose_name = _("quy chế phối hợp")
        verbose_name_plural = pgettext_lazy("số nhiều", "quy chế phối hợp")
        ordering = ("sort_key", "-version", "id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(classification__lte=Classification.SECRET),
                name="regulation_never_top_secret",
            ),
        ]

    def __str__(self) -> str:
        return _("{title} (phiên bản {version})").format(title=self.title, version=self.version)

    def get_absolute_url(self) -> str:
        return reverse("coordination:regulation", args=[self.pk])

    @property
    def editable(self) -> bool:
        return self.status == RegulationStatus.DRAFT

    def clean(self):
        if self.pk and not self.editable:
            raise ValidationError(LOCKED)
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            raise ValidationError({"effective_to": _("Ngày hết hiệu lực phải sau ngày có hiệu lực.")})


def _locked(regulation) -> None:
    if regulation is not None and not regulation.editable:
        raise ValidationError(LOCKED)


class Function(PckbModel):
    """One row of the matrix: a content of coordination (a function, or the response to a scenario type)."""

    regulation = models.ForeignKey(
        Regulation, verbose_name=_("quy chế phối hợp"), on_delete=models.CASCADE, related_name="functions"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    title = models.CharField(_("nội dung phối hợp"), max_length=300)
    scenario_type = models.CharField(
        _("loại tình huống"),
        max_length=24,
        choices=ScenarioType.choices,
        blank=True,
        help_text=_("Chọn khi nội dung là xử lý một loại tình huống (để điền sẵn phương án)."),
    )

    scope_path = "regulation__committee__unit"
    classification_paths = classification_via("regulation", Regulation)
    search_fields = ("title",)
    sort_source = "title"

    class Meta:
        verbose_name = _("nội dung phối hợp")
        verbose_name_plural = pgettext_lazy("số nhiều", "nội dung phối hợp")
        ordering = ("regulation", "order", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["regulation", "title"], name="coordination_function_unique_title"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("coordination:function", args=[self.pk])

    def clean(self):
        regulation = self.regulation if self.regulation_id else None
        _locked(regulation)
        if regulation is not None and self.title:
            clash = Function.objects.filter(regulation=regulation, title__iexact=self.title.strip())
            if clash.exclude(pk=self.pk).exists():
                raise ValidationError({"title": _("Quy chế đã có nội dung phối hợp này.")})


class Responsibility(PckbModel):
    """A cell of the matrix: what one party does for one content."""

    function = models.ForeignKey(
        Function, verbose_name=_("nội dung phối hợp"), on_delete=models.CASCADE, related_name="cells"
    )
    agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="responsibilities",
    )
    duty = models.CharField(_("trách nhiệm"), max_length=8, choices=Duty.choices)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    scope_path = "function__regulation__committee__unit"
    classification_paths = classification_via("function__regulation", Regulation)
    guarded_relations = ("agency",)

    class Meta:
        verbose_name = _("trách nhiệm của cơ quan")
        verbose_name_plural = pgettext_lazy("số nhiều", "trách nhiệm của các cơ quan")
        ordering = ("function", "duty", "id")
        constraints = [
            models.UniqueConstraint(fields=["function", "agency"], name="coordination_one_duty_per_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.function}: {self.get_duty_display()}"

    def get_absolute_url(self) -> str:
        return reverse("coordination:function", args=[self.function_id])

    @property
    def letter(self) -> str:
        return DUTY_LETTER[self.duty]

    def clean(self):
        function = self.function if self.function_id else None
        _locked(function.regulation if function else None)
        if function is not None and self.agency_id:
            regulation = function.regulation
            if regulation.pk and not regulation.parties.filter(pk=self.agency_id).exists():
                raise ValidationError({"agency": _("Cơ quan này không phải là bên tham gia quy chế.")})
        if function is not None and self.duty == Duty.LEAD:
            other = Responsibility.objects.filter(function=function, duty=Duty.LEAD).exclude(pk=self.pk)
            if other.exists():
                raise ValidationError({"duty": _("Nội dung này đã có cơ quan chủ trì.")})
