"""Official documents (văn bản) of a steering committee and its incoming and outgoing registers (sổ văn bản
đến/đi), and the committee's meetings (họp Ban Chỉ đạo) with attendance and conclusions.

A document belongs to the committee whose register holds it (``scope_path = "committee__unit"``), whoever
issued it: a national plan received in Cần Thơ is a document of Cần Thơ's register. Its number and symbol
(số, ký hiệu) is unique per issuer and year within that register. Files (with versions), register entries,
attendance and conclusions inherit their parent's scope and classification.

Meetings live here rather than in plans because a meeting is recorded by documents (its minutes, the
notice of its conclusions, the records clerk's register), while plans keep what the meeting produces: its
conclusions become plan tasks through the one service ``plans.services.task_from_outcome``, so the
dependency runs documents → plans and never back.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pckb.core.choices import Classification
from pckb.core.models import ClassifiedMixin, PckbModel, classification_via
from pckb.core.text import fold
from pckb.documents.choices import Attendance, Direction, DocumentKind, Urgency
from pckb.training.models import validate_material_size, validate_material_type


class Document(ClassifiedMixin, PckbModel):
    """An official document in a committee's register: issued by it, or received from another body."""

    committee = models.ForeignKey(
        "directory.Committee",
        verbose_name=_("Ban Chỉ đạo quản lý"),
        on_delete=models.PROTECT,
        related_name="documents",
        help_text=_("Ban Chỉ đạo có sổ văn bản lưu văn bản này."),
    )
    kind = models.CharField(_("loại văn bản"), max_length=16, choices=DocumentKind.choices)
    number = models.CharField(_("số, ký hiệu"), max_length=64, help_text=_("Ví dụ: 12/KH-BCĐ."))
    date = models.DateField(_("ngày ban hành"))
    year = models.PositiveSmallIntegerField(_("năm"), editable=False, default=0)
    issuer_committee = models.ForeignKey(
        "directory.Committee",
        verbose_name=_("Ban Chỉ đạo ban hành"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_documents",
    )
    issuer_agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("cơ quan ban hành"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_documents",
    )
    issuer_name = models.CharField(
        _("tên cơ quan ban hành"),
        max_length=255,
        blank=True,
        help_text=_("Để trống khi đã chọn Ban Chỉ đạo hoặc cơ quan ban hành ở trên."),
    )
    signer_position = models.ForeignKey(
        "directory.Position",
        verbose_name=_("chức danh người ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Vị trí trong Ban Chỉ đạo (không lưu theo cá nhân)."),
    )
    signer_title = models.CharField(
        _("thẩm quyền, chức vụ người ký"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: KT. TRƯỞNG BAN — PHÓ TRƯỞNG BAN THƯỜNG TRỰC."),
    )
    subject = models.CharField(_("trích yếu"), max_length=1000)
    urgency = models.CharField(_("độ khẩn"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    recipient_agencies = models.ManyToManyField(
        "directory.Agency", verbose_name=_("cơ quan nhận"), blank=True, related_name="received_documents"
    )
    recipients_text = models.TextField(
        _("nơi nhận khác"), blank=True, help_text=_("Mỗi dòng một nơi nhận, ví dụ: Lưu: VT, VPTT.")
    )

    scope_path = "committee__unit"
    #: The issuing committee, agency and the signer's seat may lie outside the reader's scope.
    guarded_relations = ("issuer_committee", "issuer_agency", "signer_position")
    search_fields = ("number", "subject", "issuer_name")

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = pgettext_lazy("số nhiều", "văn bản")
        ordering = ("-date", "-id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(classification__lte=Classification.SECRET),
                name="document_never_top_secret",
            ),
            models.UniqueConstraint(
                fields=["committee", "issuer_name", "year", "number"],
                name="document_number_unique_per_issuer_year",
                violation_error_message=_("Số, ký hiệu này đã có trong sổ của cơ quan ban hành trong năm."),
            ),
        ]

    def __str__(self) -> str:
        return _("{kind} số {number}").format(kind=self.get_kind_display(), number=self.number)

    def get_absolute_url(self) -> str:
        return reverse("documents:document", args=[self.pk])

    def clean(self):
        if self.issuer_committee_id and not self.issuer_name.strip():
            self.issuer_name = self.issuer_committee.name
        elif self.issuer_agency_id and not self.issuer_name.strip():
            self.issuer_name = self.issuer_agency.name
        self.issuer_name = self.issuer_name.strip()
        if not self.issuer_name:
            raise ValidationError(
                {"issuer_name": _("Chọn Ban Chỉ đạo, cơ quan ban hành hoặc nhập tên cơ quan ban hành.")}
            )
        self.number = self.number.strip()
        if self.date:
            self.year = self.date.year
        if self.committee_id and self.number and self.date:
            same = Document.objects.filter(
                committee_id=self.committee_id, year=self.year, number__iexact=self.number
            ).exclude(pk=self.pk)
            if any(fold(d) == fold(self.issuer_name) for d in same.values_list("issuer_name", flat=True)):
                raise ValidationError(
                    {
                        "number": _(
                            "Số, ký hiệu {number} của {issuer} năm {year} đã có trong sổ văn bản."
                        ).format(number=self.number, issuer=self.issuer_name, year=self.year)
                    }
                )

    def save(self, *args, **kwargs):
        if self.date:
            self.year = self.date.year
        super().save(*args, **kwargs)

    @property
    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients_text.splitlines() if line.strip()]


class DocumentFile(PckbModel):
    """A file of a document; a new upload is a new version (earlier versions are kept). Files are served only
    through the access layer."""

    document = models.ForeignKey(
        Document, verbose_name=_("văn bản"), on_delete=models.CASCADE, related_name="files"
    )
    version = models.PositiveSmallIntegerField(_("phiên bản"), editable=False, default=1)
    file = models.FileField(
        _("tệp"),
        upload_to="documents/%Y/",
        validators=[validate_material_type, validate_material_size],
        help_text=_("PDF, DOCX, PPTX, XLSX, ODT, ODP, PNG, JPG; tối đa 20 MB."),
    )
    note = models.CharField(
        _("ghi chú"), max_length=300, blank=True, help_text=_("Ví dụ: bản đã ký, đóng dấu.")
    )
    uploaded_by = models.CharField(_("người tải lên"), max_length=150, blank=True, editable=False)

    scope_path = "document__committee__unit"
    classification_paths = classification_via("document", Document)
    search_fields = ("note",)

    class Meta:
        verbose_name = _("tệp văn bản")
        verbose_name_plural = pgettext_lazy("số nhiều", "tệp văn bản")
        ordering = ("document", "-version")
        constraints = [
            models.UniqueConstraint(fields=["document", "version"], name="documentfile_unique_version"),
        ]

    def __str__(self) -> str:
        return _("Phiên bản {version}").format(version=self.version)

    def get_absolute_url(self) -> str:
        return reverse("documents:document", args=[self.document_id])

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""


class RegisterEntry(PckbModel):
    """A line of a committee's incoming or outgoing register (sổ văn bản đến/đi): the entry number runs per
    register and year, given by the service when the records clerk enters the document."""

    document = models.ForeignKey(
        Document, verbose_name=_("văn bản"), on_delete=models.PROTECT, related_name="entries"
    )
    committee = models.ForeignKey(
        "directory.Committee",
        verbose_name=_("Ban Chỉ đạo"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    direction = models.CharField(_("sổ"), max_length=16, choices=Direction.choices)
    year = models.PositiveSmallIntegerField(_("năm"), editable=False)
    number = models.PositiveIntegerField(_("số đến/đi"), editable=False)
    entry_date = models.DateField(_("ngày đến/đi"))
    counterpart = models.CharField(
        _("nơi gửi/nơi nhận"), max_length=500, help_text=_("Văn bản đến: nơi gửi. Văn bản đi: nơi nhận.")
    )
    handling = models.TextField(
        _("xử lý, chuyển giao"),
        blank=True,
        help_text=_("Ví dụ: Chuyển Phó Trưởng ban thường trực cho ý kiến."),
    )
    clerk = models.CharField(_("người vào sổ"), max_length=150, blank=True, editable=False)

    scope_path = "committee__unit"
    classification_paths = classification_via("document", Document)
    search_fields = ("counterpart", "handling")

    class Meta:
        verbose_name = _("vào sổ văn bản")
        verbose_name_plural = pgettext_lazy("số nhiều", "sổ văn bản")
        ordering = ("-year", "-number", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "direction", "year", "number"], name="registerentry_unique_number"
            ),
            models.UniqueConstraint(fields=["document", "direction"], name="registerentry_once_per_register"),
        ]

    def __str__(self) -> str:
        return _("{register} số {number}/{year}").format(
            register=self.get_direction_display(), number=self.number, year=self.year
        )

    def get_absolute_url(self) -> str:
        return reverse("documents:registerentry", args=[self.pk])


class Meeting(ClassifiedMixin, PckbModel):
    """A meeting of a steering committee (họp Ban Chỉ đạo): agenda, attendance, minutes and conclusions."""

    committee = models.ForeignKey(
        "directory.Committee",
        verbose_name=_("Ban Chỉ đạo"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    title = models.CharField(_("tên cuộc họp"), max_length=300)
    date = models.DateField(_("ngày họp"))
    venue = models.CharField(_("địa điểm"), max_length=300, blank=True)
    chaired_by = models.CharField(
        _("chủ trì"), max_length=255, blank=True, help_text=_("Chức danh, ví dụ: Trưởng Ban Chỉ đạo.")
    )
    agenda = models.TextField(_("chương trình họp"), blank=True, help_text=_("Mỗi dòng một nội dung."))
    minutes = models.TextField(_("biên bản, diễn biến"), blank=True)
    conclusion_document = models.ForeignKey(
        Document,
        verbose_name=_("thông báo kết luận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
        help_text=_("Văn bản thông báo kết luận cuộc họp, nếu đã vào sổ."),
    )

    scope_path = "committee__unit"
    guarded_relations = ("conclusion_document",)
    search_fields = ("title", "venue")
    sort_source = "title"

    class Meta:
        verbose_name = _("cuộc họp Ban Chỉ đạo")
        verbose_name_plural = pgettext_lazy("số nhiều", "cuộc họp Ban Chỉ đạo")
        ordering = ("-date", "-id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(classification__lte=Classification.SECRET), name="meeting_never_top_secret"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:meeting", args=[self.pk])

    @property
    def agenda_lines(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]


class MeetingAttendance(PckbModel):
    """Whether the holder of a seat of the committee on the meeting's date attended (from the composition
    on that date; the seat, not the person, is the record's key)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("cuộc họp"), on_delete=models.CASCADE, related_name="attendance"
    )
    position = models.ForeignKey(
        "directory.Position", verbose_name=_("vị trí"), on_delete=models.PROTECT, related_name="+"
    )
    membership = models.ForeignKey(
        "directory.Membership",
        verbose_name=_("thành viên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("tham dự"), max_length=16, choices=Attendance.choices)

    scope_path = "meeting__committee__unit"
    #: The holder of a seat is as classified as the official's record (the membership inherits it).
    classification_paths = (
        *classification_via("meeting", Meeting),
        "membership__person__classification",
    )

    class Meta:
        verbose_name = _("điểm danh")
        verbose_name_plural = pgettext_lazy("số nhiều", "điểm danh")
        ordering = ("meeting", "position__order", "id")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="attendance_once_per_seat"),
        ]

    def __str__(self) -> str:
        return f"{self.position} — {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("documents:meeting", args=[self.meeting_id])


class Conclusion(PckbModel):
    """A conclusion of a meeting that gives a task: lead agency, supporting agencies, deadline. One action on
    the meeting's page turns its conclusions into plan tasks (``plans.services.task_from_outcome``)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("cuộc họp"), on_delete=models.CASCADE, related_name="conclusions"
    )
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    text = models.TextField(_("nội dung kết luận"))
    lead_agency = models.ForeignKey(
        "directory.Agency", verbose_name=_("cơ quan chủ trì"), on_delete=models.PROTECT, related_name="+"
    )
    supporting_agencies = models.ManyToManyField(
        "directory.Agency", verbose_name=_("cơ quan phối hợp"), blank=True, related_name="+"
    )
    deadline = models.DateField(_("thời hạn"))
    task = models.OneToOneField(
        "plans.Task",
        verbose_name=_("nhiệm vụ đã giao"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conclusion",
        editable=False,
    )

    scope_path = "meeting__committee__unit"
    classification_paths = classification_via("meeting", Meeting)
    #: A focal point of another agency may not see the task given to the lead agency.
    guarded_relations = ("task",)
    search_fields = ("text",)

    class Meta:
        verbose_name = _("kết luận")
        verbose_name_plural = pgettext_lazy("số nhiều", "kết luận cuộc họp")
        ordering = ("meeting", "number", "id")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="conclusion_unique_number"),
        ]

    def __str__(self) -> str:
        return _("Kết luận {number}: {text}").format(number=self.number, text=self.text[:120])

    def get_absolute_url(self) -> str:
        return reverse("documents:meeting", args=[self.meeting_id])

    @property
    def task_title(self) -> str:
        first = self.text.strip().splitlines()[0] if self.text.strip() else ""
        return first[:400]
