"""Scenario plans (phương án xử lý tình huống) and report intake (tiếp nhận tin báo).

A plan belongs to a committee (``scope_path = "committee__unit"``) and carries a classification; its phases
and steps inherit both. A step names an agency and a committee position, never a person. A report belongs to
its receiving unit; its reporter's contact is stored only as a Fernet token (``pckb.response.crypto``), never
in the audit log, the search text, a page, the API or an export.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pckb.core.choices import Classification
from pckb.core.models import ClassifiedMixin, PckbModel, classification_via
from pckb.response.choices import (
    CLOSED_REPORT_STATUSES,
    ActionStatus,
    EmergencyMeasure,
    IncidentStatus,
    LogKind,
    PlanStatus,
    ReportChannel,
    ReportStatus,
    ScenarioType,
    forward_minutes,
)

WEEK_MINUTES = 7 * 24 * 60


class ScenarioPlan(ClassifiedMixin, PckbModel):
    """A scenario plan of a committee: phases and steps per agency and position, versioned
    (draft → approved by the committee leader → superseded by the next approved version)."""

    title = models.CharField(_("tên phương án"), max_length=300)
    scenario_type = models.CharField(_("loại tình huống"), max_length=24, choices=ScenarioType.choices)
    committee = models.ForeignKey(
        "directory.Committee",
        verbose_name=_("Ban Chỉ đạo"),
        on_delete=models.PROTECT,
        related_name="scenario_plans",
    )
    target_categories = models.ManyToManyField(
        "protection.TargetCategory",
        verbose_name=_("loại mục tiêu áp dụng"),
        blank=True,
        related_name="scenario_plans",
    )
    command_notes = models.TextField(
        _("chỉ huy theo chức danh"),
        blank=True,
        help_text=_(
            "Ai chỉ huy theo chức danh (Điều 15–16): khi chưa chỉ định người chỉ huy, người đứng đầu cơ "
            "quan, đơn vị, Ủy ban nhân dân nơi xảy ra áp dụng biện pháp ban đầu."
        ),
    )
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
        _("trạng thái"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT, editable=False
    )
    approved_at = models.DateTimeField(_("phê duyệt lúc"), null=True, blank=True, editable=False)

    scope_path = "committee__unit"
    search_fields = ("title",)
    sort_source = "title"
    #: The previous version may be Mật while this one is Thường: shown only to who may see it.
    guarded_relations = ("previous",)

    class Meta:
        verbose_name = _("phương án xử lý tình huống")
        verbose_name_plural = pgettext_lazy("số nhiều", "phương án xử lý tình huống")
        ordering = ("sort_key", "-version", "id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(classification__lte=Classification.SECRET),
                name="scenarioplan_never_top_secret",
            ),
        ]

    def __str__(self) -> str:
        return _("{title} (phiên bản {version})").format(title=self.title, version=self.version)

    def get_absolute_url(self) -> str:
        return reverse("response:scenarioplan", args=[self.pk])

    @property
    def editable(self) -> bool:
        return self.status == PlanStatus.DRAFT

    def clean(self):
        if self.pk and not self.editable:
            raise ValidationError(
                _("Phương án đã phê duyệt hoặc đã thay thế không sửa được: tạo phiên bản mới để sửa.")
            )


def _plan_locked(plan) -> None:
    if plan is not None and not plan.editable:
        raise ValidationError(
            _("Phương án đã phê duyệt hoặc đã thay thế không sửa được: tạo phiên bản mới để sửa.")
        )


class PlanPhase(PckbModel):
    """A phase of a plan (tiếp nhận, xử lý ban đầu, giải quyết, khắc phục hậu quả)."""

    plan = models.ForeignKey(
        ScenarioPlan, verbose_name=_("phương án"), on_delete=models.CASCADE, related_name="phases"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    title = models.CharField(_("tên giai đoạn"), max_length=200)
    description = models.TextField(_("mô tả"), blank=True)

    scope_path = "plan__committee__unit"
    classification_paths = classification_via("plan", ScenarioPlan)
    search_fields = ("title",)

    class Meta:
        verbose_name = _("giai đoạn")
        verbose_name_plural = pgettext_lazy("số nhiều", "giai đoạn")
        ordering = ("plan", "order", "id")

    def __str__(self) -> str:
        return _("{order}. {title}").format(order=self.order, title=self.title)

    def get_absolute_url(self) -> str:
        return reverse("response:planphase", args=[self.pk])

    def clean(self):
        _plan_locked(self.plan if self.plan_id else None)


class PlanStep(PckbModel):
    """One step of a phase: who (an agency and a committee position, never a named person), what, when
    (minutes after activation), whether it must be acknowledged and to whom it escalates."""

    phase = models.ForeignKey(
        PlanPhase, verbose_name=_("giai đoạn"), on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    agency = models.ForeignKey(
        "directory.Agency", verbose_name=_("cơ quan thực hiện"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.ForeignKey(
        "directory.Position",
        verbose_name=_("chức danh trong Ban Chỉ đạo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.TextField(_("nội dung công việc"))
    due_minutes = models.PositiveIntegerField(
        _("hạn (phút sau khi kích hoạt)"), default=0, validators=[MaxValueValidator(WEEK_MINUTES)]
    )
    needs_ack = models.BooleanField(_("phải xác nhận đã nhận"), default=True)
    escalate_after = models.PositiveIntegerField(
        _("báo cấp trên sau (phút)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(WEEK_MINUTES)],
        help_text=_("Để trống nếu không cần báo cấp trên khi chưa xác nhận."),
    )
    escalate_to = models.ForeignKey(
        "directory.Position",
        verbose_name=_("báo cấp trên cho chức danh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    scope_path = "phase__plan__committee__unit"
    classification_paths = classification_via("phase__plan", ScenarioPlan)
    search_fields = ("action",)

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = pgettext_lazy("số nhiều", "bước xử lý")
        ordering = ("phase", "order", "id")

    def __str__(self) -> str:
        return _("Bước {order}: {action}").format(order=self.order, action=self.action[:80])

    def get_absolute_url(self) -> str:
        return reverse("response:planstep", args=[self.pk])

    def clean(self):
        errors = {}
        if self.escalate_after is not None and not self.escalate_to_id:
            errors["escalate_to"] = _("Chọn chức danh được báo khi quá thời gian xác nhận.")
        if self.escalate_to_id and self.escalate_after is None:
            errors["escalate_after"] = _("Nhập số phút chờ trước khi báo cấp trên.")
        if self.escalate_after is not None and not self.needs_ack:
            errors["escalate_after"] = _("Chỉ báo cấp trên với bước phải xác nhận đã nhận.")
        if errors:
            raise ValidationError(errors)
        _plan_locked(self.phase.plan if self.phase_id else None)


class Report(ClassifiedMixin, PckbModel):
    """A report received (tin báo, tố giác): register number per receiving unit and year, channel, time,
    place, summary, initial assessment, forwarding and triage. The reporter's contact is encrypted."""

    register_year = models.PositiveSmallIntegerField(_("năm sổ"), null=True, blank=True, editable=False)
    register_seq = models.PositiveIntegerField(_("số thứ tự trong sổ"), null=True, blank=True, editable=False)
    channel = models.CharField(_("hình thức tiếp nhận"), max_length=12, choices=ReportChannel.choices)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), default=timezone.now)
    receiving_unit = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("đơn vị tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="received_reports",
    )
    place_unit = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("nơi xảy ra (xã, phường)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    place_text = models.CharField(_("địa điểm cụ thể"), max_length=300, blank=True)
    summary = models.TextField(_("nội dung tin báo"))
    assessment = models.TextField(_("nhận định ban đầu"), blank=True)
    anonymous = models.BooleanField(_("người báo tin giấu tên"), default=False)
    reporter_contact_token = models.TextField(editable=False, blank=True, default="")
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=ReportStatus.choices,
        default=ReportStatus.RECEIVED,
        editable=False,
    )
    first_forwarded_at = models.DateTimeField(_("chuyển lần đầu lúc"), null=True, blank=True, editable=False)
    closure_reason = models.TextField(_("lý do đóng"), blank=True, editable=False)
    incident = models.ForeignKey(
        "response.Incident",
        verbose_name=_("sự cố"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
        editable=False,
    )

    scope_path = "receiving_unit"
    #: The incident may be Mật while the report is Thường: shown only to who may see it.
    guarded_relations = ("incident",)
    search_fields = ("summary", "place_text")
    sort_source = "summary"
    #: The contact's token never enters an audit snapshot (a later key leak must not open old log rows).
    audit_exclude = (*PckbModel.audit_exclude, "reporter_contact_token")

    class Meta:
        verbose_name = _("tin báo")
        verbose_name_plural = pgettext_lazy("số nhiều", "tin báo")
        ordering = ("-received_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("receiving_unit", "register_year", "register_seq"), name="report_register_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(classification__lte=Classification.SECRET), name="report_never_top_secret"
            ),
        ]

    def __str__(self) -> str:
        return _("Tin báo số {number}").format(number=self.register_number)

    def get_absolute_url(self) -> str:
        return reverse("response:report", args=[self.pk])

    @property
    def register_number(self) -> str:
        if self.register_seq is None:
            return "—"
        return f"{self.register_seq:03d}/{self.register_year}/TB"

    def save(self, *args, **kwargs):
        if self.register_seq is None:
            # The next number of the receiving unit's register for the year (the unique constraint stops a
            # race from giving one number twice).
            self.register_year = timezone.localtime(self.received_at).year
            last = Report.objects.filter(
                receiving_unit_id=self.receiving_unit_id, register_year=self.register_year
            ).aggregate(m=models.Max("register_seq"))["m"]
            self.register_seq = (last or 0) + 1
        super().save(*args, **kwargs)

    @property
    def has_contact(self) -> bool:
        return bool(self.reporter_contact_token)

    @property
    def closed(self) -> bool:
        return self.status in CLOSED_REPORT_STATUSES

    def forward_deadline(self):
        return self.received_at + timezone.timedelta(minutes=forward_minutes())

    def forward_late(self, now=None) -> bool:
        """Not forwarded within the deadline (or forwarded after it)."""
        deadline = self.forward_deadline()
        if self.first_forwarded_at is not None:
            return self.first_forwarded_at > deadline
        return not self.closed and (now or timezone.now()) > deadline

    def clean(self):
        errors = {}
        if self.received_at and self.received_at > timezone.now() + timezone.timedelta(minutes=5):
            errors["received_at"] = _("Thời điểm tiếp nhận không thể ở tương lai.")
        if errors:
            raise ValidationError(errors)


class ReportForwarding(PckbModel):
    """One forwarding of a report: to an agency or to the higher committee, at a time."""

    report = models.ForeignKey(
        Report, verbose_name=_("tin báo"), on_delete=models.CASCADE, related_name="forwardings"
    )
    forwarded_at = models.DateTimeField(_("chuyển lúc"), default=timezone.now)
    agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("cơ quan nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    committee = models.ForeignKey(
        "directory.Committee",
        verbose_name=_("Ban Chỉ đạo cấp trên nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    method = models.CharField(_("hình thức chuyển"), max_length=12, choices=ReportChannel.choices)
    notes = models.CharField(_("ghi chú"), max_length=300, blank=True)

    scope_path = "report__receiving_unit"
    classification_paths = classification_via("report", Report)

    class Meta:
        verbose_name = _("lần chuyển tin báo")
        verbose_name_plural = pgettext_lazy("số nhiều", "lần chuyển tin báo")
        ordering = ("report", "forwarded_at", "id")

    def __str__(self) -> str:
        to = self.agency or self.committee or "—"
        return _("Chuyển {to}").format(to=to)

    def get_absolute_url(self) -> str:
        return reverse("response:report", args=[self.report_id])

    def clean(self):
        errors = {}
        if not self.agency_id and not self.committee_id:
            errors["agency"] = _("Chọn cơ quan nhận hoặc Ban Chỉ đạo cấp trên nhận.")
        if self.report_id and self.forwarded_at and self.forwarded_at < self.report.received_at:
            errors["forwarded_at"] = _("Thời điểm chuyển không thể trước thời điểm tiếp nhận.")
        if self.report_id and self.report.closed:
            errors["report"] = _("Tin báo đã đóng, không chuyển thêm được.")
        if errors:
            raise ValidationError(errors)


def measure_codes(value: str) -> list[str]:
    """The measure codes stored as ``"a,b,dd"``, in the law's order."""
    chosen = {code.strip() for code in (value or "").split(",") if code.strip()}
    return [code for code in EmergencyMeasure.values if code in chosen] + sorted(
        chosen - set(EmergencyMeasure.values)
    )


#: Vietnam's extent (mainland, islands, archipelagos) in decimal degrees: a point outside is a typing error.
VIETNAM_LAT = (6.0, 23.5)
VIETNAM_LON = (102.0, 118.0)


def point_errors(latitude, longitude) -> dict:
    """The form errors of an optional point: both coordinates or neither, inside Vietnam's extent."""
    if latitude is None and longitude is None:
        return {}
    if latitude is None or longitude is None:
        return {
            "longitude" if longitude is None else "latitude": _(
                "Nhập cả vĩ độ và kinh độ, hoặc để trống cả hai."
            )
        }
    errors = {}
    if not VIETNAM_LAT[0] <= latitude <= VIETNAM_LAT[1]:
        errors["latitude"] = _("Vĩ độ phải trong lãnh thổ Việt Nam (từ 6,0 đến 23,5 độ Bắc).")
    if not VIETNAM_LON[0] <= longitude <= VIETNAM_LON[1]:
        errors["longitude"] = _("Kinh độ phải trong lãnh thổ Việt Nam (từ 102,0 đến 118,0 độ Đông).")
    return errors


class Incident(ClassifiedMixin, PckbModel):
    """An incident (sự cố) handled by a committee: opened from a report or directly, plans activated into
    per-agency checklists, a commander designated by decision, emergency measures of Điều 30(2) applied,
    a significant-events log, closure with a summary and an after-action review."""

    title = models.CharField(_("tên sự cố"), max_length=300)
    committee = models.ForeignKey(
        "directory.Committee",
        verbose_name=_("Ban Chỉ đạo xử lý"),
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    place_unit = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("nơi xảy ra (xã, phường)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    place_text = models.CharField(_("địa điểm cụ thể"), max_length=300, blank=True)
    latitude = models.FloatField(
        _("vĩ độ"),
        null=True,
        blank=True,
        help_text=_("Độ thập phân, ví dụ 10.0341. Để trống thì bản đồ dùng trung tâm xã, phường (gần đúng)."),
    )
    longitude = models.FloatField(
        _("kinh độ"), null=True, blank=True, help_text=_("Độ thập phân, ví dụ 105.7852.")
    )
    opened_at = models.DateTimeField(_("mở lúc"), default=timezone.now)
    status = models.CharField(
        _("trạng thái"),
        max_length=8,
        choices=IncidentStatus.choices,
        default=IncidentStatus.OPEN,
        editable=False,
    )
    commander_title = models.CharField(
        _("chức danh người chỉ huy"),
        max_length=200,
        blank=True,
        help_text=_(
            "Ghi chức danh (và họ tên) như quyết định chỉ định ghi, ví dụ: Phó Trưởng ban thường trực."
        ),
    )
    commander_name = models.CharField(_("họ tên người chỉ huy (theo quyết định)"), max_length=120, blank=True)
    commander_decision = models.CharField(
        _("quyết định chỉ định người chỉ huy"),
        max_length=120,
        blank=True,
        help_text=_("Số, ký hiệu và ngày của quyết định, ví dụ: 12/QĐ-BCĐ ngày 03/12/2026."),
    )
    measures = models.CharField(
        _("biện pháp khẩn cấp đã áp dụng (Điều 30 khoản 2)"),
        max_length=60,
        blank=True,
        help_text=_("Các điểm của Điều 30 khoản 2 Luật Phòng, chống khủng bố đã áp dụng."),
    )
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True, editable=False)
    closure_summary = models.TextField(_("tóm tắt kết quả xử lý"), blank=True, editable=False)
    review_text = models.TextField(_("đánh giá sau sự cố"), blank=True, editable=False)
    reviewed_at = models.DateTimeField(_("đánh giá lúc"), null=True, blank=True, editable=False)

    scope_path = "committee__unit"
    search_fields = ("title", "place_text")
    sort_source = "title"

    class Meta:
        verbose_name = _("sự cố")
        verbose_name_plural = pgettext_lazy("số nhiều", "sự cố")
        ordering = ("-opened_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(classification__lte=Classification.SECRET),
                name="incident_never_top_secret",
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="incident_lat_lon_together",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("response:incident", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == IncidentStatus.OPEN

    @property
    def measure_list(self) -> list[str]:
        labels = dict(EmergencyMeasure.choices)
        return [str(labels.get(code, code)) for code in measure_codes(self.measures)]

    def clean(self):
        errors = {}
        unknown = [c for c in measure_codes(self.measures) if c not in EmergencyMeasure.values]
        if unknown:
            errors["measures"] = _("Biện pháp không có trong Điều 30 khoản 2: {codes}.").format(
                codes=", ".join(unknown)
            )
        else:
            self.measures = ",".join(measure_codes(self.measures))
        if self.opened_at and self.opened_at > timezone.now() + timezone.timedelta(minutes=5):
            errors["opened_at"] = _("Thời điểm mở sự cố không thể ở tương lai.")
        errors.update(point_errors(self.latitude, self.longitude))
        if errors:
            raise ValidationError(errors)


class ChecklistItem(PckbModel):
    """One task of an agency in an incident, copied from a plan step when the plan is activated: who (agency
    and committee position), what, due time, acknowledgement and escalation. Never edited as text: the
    agency acknowledges it and reports it done."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("sự cố"), on_delete=models.CASCADE, related_name="checklist_items"
    )
    plan = models.ForeignKey(
        ScenarioPlan, verbose_name=_("phương án"), on_delete=models.PROTECT, related_name="+"
    )
    step = models.ForeignKey(
        PlanStep, verbose_name=_("bước"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    phase_title = models.CharField(_("giai đoạn"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=1)
    agency = models.ForeignKey(
        "directory.Agency", verbose_name=_("cơ quan thực hiện"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.ForeignKey(
        "directory.Position",
        verbose_name=_("chức danh trong Ban Chỉ đạo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.TextField(_("nội dung công việc"))
    activated_at = models.DateTimeField(_("kích hoạt lúc"))
    due_at = models.DateTimeField(_("hạn"))
    needs_ack = models.BooleanField(_("phải xác nhận đã nhận"), default=True)
    escalate_after = models.PositiveIntegerField(_("báo cấp trên sau (phút)"), null=True, blank=True)
    escalate_at = models.DateTimeField(_("báo cấp trên lúc"), null=True, blank=True)
    escalate_to = models.ForeignKey(
        "directory.Position",
        verbose_name=_("báo cấp trên cho chức danh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xác nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    done_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người báo hoàn thành"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    escalated_at = models.DateTimeField(_("đã báo cấp trên lúc"), null=True, blank=True)

    scope_path = "incident__committee__unit"
    classification_paths = classification_via("incident", Incident)
    #: Activation refuses a plan above the incident's classification; the guard keeps it so afterwards.
    guarded_relations = ("plan", "step")
    search_fields = ("action",)

    class Meta:
        verbose_name = _("việc của cơ quan")
        verbose_name_plural = pgettext_lazy("số nhiều", "việc của cơ quan")
        ordering = ("incident", "due_at", "order", "id")
        indexes = [
            models.Index(fields=["escalate_at"], name="checklist_escalation_due"),
        ]
        constraints = [
            models.UniqueConstraint(fields=("incident", "step"), name="checklist_step_once"),
        ]

    def __str__(self) -> str:
        return _("{agency}: {action}").format(agency=self.agency, action=self.action[:80])

    def get_absolute_url(self) -> str:
        return reverse("response:incident", args=[self.incident_id]) + f"#viec-{self.pk}"

    def overdue(self, now=None) -> bool:
        return self.done_at is None and (now or timezone.now()) > self.due_at

    def state(self, now=None) -> str:
        """What the row says, in words (not colour alone)."""
        if self.done_at:
            return _("Đã xong")
        if self.needs_ack and not self.acknowledged_at:
            return _("Chưa xác nhận, đã báo cấp trên") if self.escalated_at else _("Chưa xác nhận")
        if self.overdue(now):
            return _("Quá hạn")
        return _("Đã nhận, đang làm") if self.acknowledged_at else _("Đang làm")


class AcknowledgementLink(models.Model):
    """A one-time link, sent by e-mail, that lets one recipient acknowledge one checklist item without
    signing in. Only the SHA-256 of the random token is stored; the link works once, until ``expires_at``,
    and acts as the recipient (through ``checklist_acknowledge``, so it grants nothing the recipient could
    not do on the page). Never listed, never in the API: it exists only behind its token."""

    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("việc của cơ quan"), on_delete=models.CASCADE, related_name="ack_links"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhận"), on_delete=models.CASCADE, related_name="+"
    )
    token_hash = models.CharField(_("mã băm của liên kết"), max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    used_at = models.DateTimeField(_("đã dùng lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("liên kết xác nhận một lần")
        verbose_name_plural = pgettext_lazy("số nhiều", "liên kết xác nhận một lần")
        ordering = ("-created", "-id")

    def __str__(self) -> str:
        return _("Liên kết xác nhận việc {item}").format(item=self.item_id)

    def expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.expires_at


class IncidentLogEntry(PckbModel):
    """One line of the significant-events log (nhật ký diễn biến): append-only. A mistake is corrected by a
    new entry that names the entry it corrects; nothing is edited or deleted."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("sự cố"), on_delete=models.CASCADE, related_name="log_entries"
    )
    occurred_at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    text = models.TextField(_("diễn biến"))
    kind = models.CharField(
        _("loại"), max_length=12, choices=LogKind.choices, default=LogKind.ENTRY, editable=False
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("đính chính cho"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    scope_path = "incident__committee__unit"
    classification_paths = classification_via("incident", Incident)
    guarded_relations = ("corrects",)
    search_fields = ("text",)

    class Meta:
        verbose_name = _("diễn biến")
        verbose_name_plural = pgettext_lazy("số nhiều", "nhật ký diễn biến")
        ordering = ("incident", "occurred_at", "id")

    def __str__(self) -> str:
        return _("{time}: {text}").format(
            time=timezone.localtime(self.occurred_at).strftime("%d/%m/%Y %H:%M"), text=self.text[:80]
        )

    def get_absolute_url(self) -> str:
        return reverse("response:incidentlogentry", args=[self.pk])

    def clean(self):
        errors = {}
        if self.corrects_id and self.incident_id and self.corrects.incident_id != self.incident_id:
            errors["corrects"] = _("Chỉ đính chính được diễn biến của cùng sự cố.")
        if self.occurred_at and self.occurred_at > timezone.now() + timezone.timedelta(minutes=5):
            errors["occurred_at"] = _("Thời điểm diễn biến không thể ở tương lai.")
        if errors:
            raise ValidationError(errors)


class CorrectiveAction(PckbModel):
    """A corrective action of the after-action review: what, which agency, by when; tracked to closure."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("sự cố"), on_delete=models.CASCADE, related_name="corrective_actions"
    )
    action = models.TextField(_("việc khắc phục"))
    agency = models.ForeignKey(
        "directory.Agency", verbose_name=_("cơ quan chủ trì"), on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(_("hạn hoàn thành"))
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    closed_on = models.DateField(_("hoàn thành ngày"), null=True, blank=True)
    result = models.TextField(_("kết quả"), blank=True)

    scope_path = "incident__committee__unit"
    classification_paths = classification_via("incident", Incident)
    search_fields = ("action",)

    class Meta:
        verbose_name = _("việc khắc phục")
        verbose_name_plural = pgettext_lazy("số nhiều", "việc khắc phục sau sự cố")
        ordering = ("status", "due_date", "id")

    def task_outcome(self) -> dict:
        """What the one task list takes from this corrective action (``plans.services.task_for_source``)."""
        return {
            "committee": self.incident.committee,
            "title": str(_("Khắc phục sau sự cố: {action}")).format(action=self.action)[:400],
            "lead_agency": self.agency,
            "deadline": self.due_date,
        }

    def __str__(self) -> str:
        return self.action[:120]

    def get_absolute_url(self) -> str:
        return reverse("response:correctiveaction", args=[self.pk])

    def overdue(self, today=None) -> bool:
        return self.status == ActionStatus.OPEN and self.due_date < (today or timezone.localdate())

    def clean(self):
        errors = {}
        if self.incident_id and self.incident.is_open:
            errors["incident"] = _("Chỉ ghi việc khắc phục sau khi sự cố đã kết thúc.")
        if self.status == ActionStatus.DONE and not self.closed_on:
            self.closed_on = timezone.localdate()
        if self.status == ActionStatus.OPEN:
            self.closed_on = None
        if errors:
            raise ValidationError(errors)


class SituationReport(PckbModel):
    """A numbered situation report (báo cáo nhanh) of an incident: what the office reports up the chain at a
    moment. Its figures (each agency's items) and the log lines since the previous report are read when the
    document is made; the text is kept as written. Never changed or removed: the next report follows."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("sự cố"), on_delete=models.CASCADE, related_name="situation_reports"
    )
    number = models.PositiveSmallIntegerField(_("số báo cáo"), editable=False)
    issued_at = models.DateTimeField(_("lập lúc"), default=timezone.now, editable=False)
    situation = models.TextField(_("tình hình"))
    measures = models.TextField(_("các biện pháp đã triển khai"), blank=True)
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    author = models.CharField(_("người lập"), max_length=150, blank=True, editable=False)

    scope_path = "incident__committee__unit"
    classification_paths = classification_via("incident", Incident)
    search_fields = ("situation",)

    class Meta:
        verbose_name = _("báo cáo nhanh")
        verbose_name_plural = pgettext_lazy("số nhiều", "báo cáo nhanh")
        ordering = ("incident", "number")
        constraints = [
            models.UniqueConstraint(fields=["incident", "number"], name="situationreport_number_unique"),
        ]

    def __str__(self) -> str:
        return _("Báo cáo nhanh số {number}").format(number=self.number)

    def get_absolute_url(self) -> str:
        return f"{reverse('response:incident', args=[self.incident_id])}#bao-cao-nhanh-{self.pk}"
