"""The register of key targets (mục tiêu, công trình trọng điểm) and their risk assessments; protected events
and delegations with their agency tasks, itinerary and daily status lines.

A target belongs to its commune-level unit (``scope_path = "unit"``) and carries a classification; an
assessment inherits both from its target, so a Mật target's assessments are as hidden as the target.
Location and layout notes are never copied into the audit log (a target raised to Mật later would
otherwise leave its earlier location readable there); the log records *that* they changed through
``location_changed``.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pckb.core.choices import Classification
from pckb.core.errors import Conflict
from pckb.core.models import ClassifiedMixin, PckbModel, classification_via
from pckb.geo.choices import UnitLevel
from pckb.protection.choices import (
    DEFAULT_REVIEW_DAYS,
    RISK_FACTORS,
    ActionStatus,
    EventKind,
    PlanStatus,
    ProtectionLevel,
    RiskLevel,
    TaskStatus,
    risk_level,
)
from pckb.training.models import validate_material_size, validate_material_type

#: Fields that reveal where a target is and how it is laid out.
LOCATION_FIELDS = ("latitude", "longitude", "layout_notes")


class TargetCategory(PckbModel):
    """A category of key target (cơ quan Đảng, Nhà nước; đầu mối giao thông; …): a configurable national
    list, preloaded by a data migration."""

    code = models.SlugField(_("mã loại"), max_length=40, unique=True)
    name = models.CharField(_("tên loại mục tiêu"), max_length=200)
    description = models.TextField(_("mô tả"), blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)
    active = models.BooleanField(_("đang dùng"), default=True)

    search_fields = ("code", "name")
    sort_source = "name"

    class Meta:
        verbose_name = _("loại mục tiêu")
        verbose_name_plural = pgettext_lazy("số nhiều", "loại mục tiêu")
        ordering = ("order", "sort_key", "id")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("protection:targetcategory", args=[self.pk])


class Target(ClassifiedMixin, PckbModel):
    """A key target or work to be protected (mục tiêu, công trình trọng điểm)."""

    name = models.CharField(_("tên mục tiêu"), max_length=300)
    category = models.ForeignKey(
        TargetCategory, verbose_name=_("loại mục tiêu"), on_delete=models.PROTECT, related_name="targets"
    )
    managing_agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("cơ quan quản lý (trong danh bạ)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="managed_targets",
    )
    managing_name = models.CharField(
        _("cơ quan, tổ chức quản lý (ngoài danh bạ)"),
        max_length=300,
        blank=True,
        help_text=_("Ghi tên khi cơ quan, doanh nghiệp quản lý chưa có trong danh bạ."),
    )
    unit = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("xã, phường, đặc khu"),
        on_delete=models.PROTECT,
        related_name="protection_targets",
    )
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    latitude = models.FloatField(
        _("vĩ độ"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Độ thập phân, ví dụ 10.0341. Để trống nếu chưa có tọa độ."),
    )
    longitude = models.FloatField(
        _("kinh độ"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("Độ thập phân, ví dụ 105.7852."),
    )
    protection_level = models.CharField(
        _("mức độ bảo vệ"), max_length=16, choices=ProtectionLevel.choices, default=ProtectionLevel.IMPORTANT
    )
    protecting_agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("cơ quan chịu trách nhiệm bảo vệ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="protected_targets",
    )
    layout_notes = models.TextField(
        _("ghi chú bố trí, mặt bằng"),
        blank=True,
        help_text=_("Lối ra vào, khu vực trọng yếu, vị trí trực gác. Ẩn như tọa độ với mục tiêu Mật."),
    )
    location_changed = models.DateTimeField(
        _("tọa độ, mặt bằng cập nhật lúc"), null=True, blank=True, editable=False
    )

    scope_path = "unit"
    search_fields = ("name", "address", "managing_name")
    sort_source = "name"
    audit_exclude = (*PckbModel.audit_exclude, *LOCATION_FIELDS)

    class Meta:
        verbose_name = _("mục tiêu trọng điểm")
        verbose_name_plural = pgettext_lazy("số nhiều", "mục tiêu trọng điểm")
        ordering = ("sort_key", "id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(classification__lte=Classification.SECRET),
                name="target_never_top_secret",
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="target_lat_lon_together",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("protection:target", args=[self.pk])

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_location = instance._location_fingerprint()
        return instance

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self._stored_location = self._location_fingerprint()

    def _location_fingerprint(self) -> str | None:
        if any(name not in self.__dict__ for name in LOCATION_FIELDS):
            return None  # loaded without them (``only``): unknown
        raw = "|".join(str(getattr(self, name)) for name in LOCATION_FIELDS)
        return hashlib.sha256(raw.encode()).hexdigest()

    def save(self, *args, **kwargs):
        fingerprint = self._location_fingerprint()
        stored = getattr(self, "_stored_location", None)
        has_location = self.latitude is not None or bool(self.layout_notes)
        if fingerprint is not None and fingerprint != stored and (stored is not None or has_location):
            self.location_changed = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "location_changed"}
        super().save(*args, **kwargs)
        self._stored_location = fingerprint

    def prepare_bulk_insert(self) -> None:
        """As ``save()`` for a new target: a target created with a location records when it was set."""
        super().prepare_bulk_insert()
        if self.latitude is not None or self.layout_notes:
            self.location_changed = timezone.now()
        self._stored_location = self._location_fingerprint()

    def clean(self):
        errors = {}
        if self.unit_id and self.unit.level != UnitLevel.COMMUNE:
            errors["unit"] = _("Chọn đơn vị cấp xã (xã, phường, đặc khu) nơi có mục tiêu.")
        if not self.managing_agency_id and not self.managing_name.strip():
            errors["managing_name"] = _(
                "Chọn cơ quan quản lý trong danh bạ hoặc ghi tên cơ quan, tổ chức quản lý."
            )
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude" if self.longitude is None else "latitude"] = _(
                "Nhập cả vĩ độ và kinh độ, hoặc để trống cả hai."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def managing_display(self) -> str:
        return self.managing_name or (str(self.managing_agency) if self.managing_agency_id else "")


def _rating(label, help_text):
    return models.PositiveSmallIntegerField(
        label, validators=[MinValueValidator(1), MaxValueValidator(5)], help_text=help_text
    )


class RiskAssessment(PckbModel):
    """A dated, signed-off risk assessment of one target. A new assessment is a new row: earlier ones are
    kept as they were (no edit, no delete), so the target's history of levels stays readable."""

    target = models.ForeignKey(
        Target, verbose_name=_("mục tiêu"), on_delete=models.PROTECT, related_name="assessments"
    )
    assessed_on = models.DateField(_("ngày đánh giá"))
    assessor = models.CharField(
        _("người đánh giá"), max_length=200, help_text=_("Cấp bậc, họ tên, chức vụ, đơn vị.")
    )
    approved_by_position = models.CharField(
        _("chức vụ người phê duyệt"), max_length=200, help_text=_("Ví dụ: Phó Giám đốc Công an tỉnh.")
    )
    approved_by_name = models.CharField(_("họ tên người phê duyệt"), max_length=200)
    approved_on = models.DateField(_("ngày phê duyệt"))
    criticality = _rating(_("tầm quan trọng"), _("1: ảnh hưởng cục bộ … 5: ảnh hưởng quốc gia."))
    symbolism = _rating(_("tính biểu tượng"), _("1: không có … 5: biểu tượng quốc gia, quốc tế."))
    population = _rating(_("số người thường có mặt"), _("1: dưới 50 … 5: trên 5.000 người."))
    size = _rating(_("quy mô công trình"), _("1: nhỏ … 5: rất lớn, nhiều khu vực."))
    threat = _rating(_("mức đe dọa"), _("1: không có thông tin … 5: có thông tin cụ thể, đáng tin cậy."))
    total = models.PositiveSmallIntegerField(_("tổng điểm"), default=0, editable=False)
    level = models.PositiveSmallIntegerField(
        _("cấp độ rủi ro"), choices=RiskLevel.choices, default=RiskLevel.I, editable=False
    )
    next_review = models.DateField(
        _("hạn đánh giá lại"),
        null=True,
        blank=True,
        help_text=_("Để trống: một năm sau ngày đánh giá."),
    )
    notes = models.TextField(_("nhận định, kiến nghị"), blank=True)

    scope_path = "target__unit"
    classification_path = "target__classification"
    search_fields = ("assessor", "approved_by_name")

    class Meta:
        verbose_name = _("đánh giá rủi ro")
        verbose_name_plural = pgettext_lazy("số nhiều", "đánh giá rủi ro")
        ordering = ("-assessed_on", "-id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(approved_on__gte=models.F("assessed_on")),
                name="assessment_approved_after_assessed",
            ),
        ]

    def __str__(self) -> str:
        day = self.assessed_on.strftime("%d/%m/%Y") if self.assessed_on else ""
        return _("Đánh giá rủi ro {target} ngày {day}").format(target=self.target, day=day)

    def get_absolute_url(self) -> str:
        return reverse("protection:riskassessment", args=[self.pk])

    # The target's classification is the assessment's: the audit log and the detail page read it here.
    @property
    def classification(self) -> int:
        return self.target.classification if self.target_id else Classification.NORMAL

    def get_classification_display(self) -> str:
        return self.target.get_classification_display() if self.target_id else ""

    def compute_score(self) -> None:
        ratings = [getattr(self, name) for name in RISK_FACTORS]
        if all(isinstance(r, int) for r in ratings):
            self.total = sum(ratings)
            self.level = risk_level(self.total)

    def save(self, *args, **kwargs):
        self.compute_score()
        if self.next_review is None and self.assessed_on:
            self.next_review = self.assessed_on + dt.timedelta(days=DEFAULT_REVIEW_DAYS)
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.assessed_on and self.approved_on and self.approved_on < self.assessed_on:
            errors["approved_on"] = _("Ngày phê duyệt không thể trước ngày đánh giá.")
        if self.assessed_on and self.assessed_on > timezone.localdate():
            errors["assessed_on"] = _("Ngày đánh giá không thể ở tương lai.")
        if self.assessed_on and self.next_review and self.next_review <= self.assessed_on:
            errors["next_review"] = _("Hạn đánh giá lại phải sau ngày đánh giá.")
        if errors:
            raise ValidationError(errors)


def _day(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y") if value else ""


class ProtectedEvent(ClassifiedMixin, PckbModel):
    """An important political event or a visiting delegation (of the Centre, or international) that the
    agencies of a province or commune protect together: a lead agency, participating agencies with their
    tasks, an itinerary of stops, a daily status line per agency and, afterwards, an after-action note."""

    kind = models.CharField(_("loại"), max_length=16, choices=EventKind.choices)
    title = models.CharField(_("tên sự kiện, đoàn"), max_length=300)
    start = models.DateTimeField(_("bắt đầu"))
    end = models.DateTimeField(_("kết thúc"))
    unit = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("địa bàn"),
        on_delete=models.PROTECT,
        related_name="protected_events",
        help_text=_("Tỉnh, thành phố hoặc xã, phường nơi diễn ra; quyết định ai được xem."),
    )
    lead_agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("cơ quan chủ trì bảo vệ"),
        on_delete=models.PROTECT,
        related_name="led_events",
    )
    summary = models.TextField(
        _("nội dung, thành phần"),
        blank=True,
        help_text=_("Mục đích, quy mô, thành phần đoàn (không ghi thông tin cá nhân ngoài chức danh)."),
    )
    after_action = models.TextField(
        _("rút kinh nghiệm sau sự kiện"),
        blank=True,
        help_text=_("Kết quả bảo vệ, vướng mắc, kiến nghị; ghi sau khi sự kiện kết thúc."),
    )

    scope_path = "unit"
    guarded_relations = ("lead_agency",)
    search_fields = ("title", "summary")
    sort_source = "title"

    class Meta:
        verbose_name = _("sự kiện, đoàn được bảo vệ")
        verbose_name_plural = pgettext_lazy("số nhiều", "sự kiện, đoàn được bảo vệ")
        ordering = ("-start", "id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(classification__lte=Classification.SECRET),
                name="event_never_top_secret",
            ),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="event_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("protection:protectedevent", args=[self.pk])

    def clean(self):
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("Thời gian kết thúc phải sau thời gian bắt đầu.")
        if self.unit_id and self.unit.level not in (UnitLevel.PROVINCE, UnitLevel.COMMUNE):
            errors["unit"] = _("Chọn tỉnh, thành phố hoặc xã, phường, đặc khu.")
        if self.after_action.strip() and self.start and self.start > timezone.now():
            errors["after_action"] = _("Chỉ ghi rút kinh nghiệm khi sự kiện đã bắt đầu.")
        if errors:
            raise ValidationError(errors)

    @property
    def dates_display(self) -> str:
        first, last = _day(self.start), _day(self.end)
        return first if first == last else f"{first} – {last}"


class _EventChild(PckbModel):
    """A row of an event: it shares the event's scope and classification."""

    event = models.ForeignKey(
        ProtectedEvent, verbose_name=_("sự kiện, đoàn"), on_delete=models.CASCADE, related_name="+"
    )

    scope_path = "event__unit"
    classification_paths = classification_via("event", ProtectedEvent)

    class Meta:
        abstract = True


class EventTask(_EventChild):
    """A participating agency's task for an event (the lead agency's too), with its due date and progress.
    An agency focal point updates the progress of its own agency's tasks only."""

    event = models.ForeignKey(
        ProtectedEvent, verbose_name=_("sự kiện, đoàn"), on_delete=models.CASCADE, related_name="tasks"
    )
    agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("cơ quan thực hiện"),
        on_delete=models.PROTECT,
        related_name="event_tasks",
    )
    task = models.TextField(_("nhiệm vụ"))
    due = models.DateField(_("hạn hoàn thành"))
    status = models.CharField(_("tiến độ"), max_length=8, choices=TaskStatus.choices, default=TaskStatus.TODO)
    progress_note = models.CharField(_("ghi chú tiến độ"), max_length=500, blank=True)

    guarded_relations = ("agency",)
    search_fields = ("task",)

    class Meta:
        verbose_name = _("nhiệm vụ của cơ quan")
        verbose_name_plural = pgettext_lazy("số nhiều", "nhiệm vụ của các cơ quan")
        ordering = ("event", "due", "id")

    def __str__(self) -> str:
        return self.task

    def get_absolute_url(self) -> str:
        return f"{reverse('protection:protectedevent', args=[self.event_id])}#nhiem-vu-{self.pk}"


class EventStop(_EventChild):
    """A stop of the itinerary: a time and a venue — a key target of the register or a place named here with
    its unit. A stop at a Mật target is as hidden as the target (the arrival time at a classified site is
    itself sensitive)."""

    event = models.ForeignKey(
        ProtectedEvent, verbose_name=_("sự kiện, đoàn"), on_delete=models.CASCADE, related_name="stops"
    )
    time = models.DateTimeField(_("thời gian"))
    target = models.ForeignKey(
        Target,
        verbose_name=_("mục tiêu trong sổ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="event_stops",
    )
    place = models.CharField(
        _("địa điểm (ngoài sổ mục tiêu)"),
        max_length=300,
        blank=True,
        help_text=_("Ghi tên địa điểm khi nơi đến chưa có trong sổ mục tiêu."),
    )
    place_unit = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("xã, phường của địa điểm"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    activity = models.CharField(_("hoạt động"), max_length=300, blank=True)

    classification_paths = (*classification_via("event", ProtectedEvent), "target__classification")
    # The target may lie outside the reader's scope (a commune event's stop at another commune's target).
    guarded_relations = ("target",)
    search_fields = ("place", "activity")

    class Meta:
        verbose_name = _("điểm dừng trong lịch trình")
        verbose_name_plural = pgettext_lazy("số nhiều", "lịch trình")
        ordering = ("event", "time", "id")

    def __str__(self) -> str:
        when = timezone.localtime(self.time).strftime("%H:%M %d/%m/%Y") if self.time else ""
        return f"{when} {self.venue_display}".strip()

    def get_absolute_url(self) -> str:
        return f"{reverse('protection:protectedevent', args=[self.event_id])}#diem-dung-{self.pk}"

    def clean(self):
        errors = {}
        if not self.target_id and not self.place.strip():
            errors["place"] = _("Chọn mục tiêu trong sổ hoặc ghi tên địa điểm.")
        if self.place.strip() and not self.target_id and not self.place_unit_id:
            errors["place_unit"] = _("Chọn xã, phường nơi có địa điểm.")
        if self.place_unit_id and self.place_unit.level != UnitLevel.COMMUNE:
            errors["place_unit"] = _("Chọn đơn vị cấp xã (xã, phường, đặc khu).")
        if (
            self.time
            and self.event_id
            and not (
                self.event.start - dt.timedelta(days=1) <= self.time <= self.event.end + dt.timedelta(days=1)
            )
        ):
            errors["time"] = _("Thời gian phải nằm trong thời gian của sự kiện.")
        if errors:
            raise ValidationError(errors)

    @property
    def venue_display(self) -> str:
        if self.target_id and self.target is not None:
            return self.target.name
        return self.place

    @property
    def venue_unit(self):
        return self.target.unit if self.target_id and self.target is not None else self.place_unit


class EventStatus(_EventChild):
    """One agency's status line for one day of the event (a single line per agency and day). An agency
    focal point writes and corrects only its own agency's lines."""

    event = models.ForeignKey(
        ProtectedEvent, verbose_name=_("sự kiện, đoàn"), on_delete=models.CASCADE, related_name="statuses"
    )
    day = models.DateField(_("ngày"))
    agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("cơ quan báo cáo"),
        on_delete=models.PROTECT,
        related_name="event_statuses",
    )
    text = models.TextField(
        _("tình hình"), help_text=_("Lực lượng bố trí, tình hình an ninh, trật tự, kiến nghị.")
    )

    guarded_relations = ("agency",)
    search_fields = ("text",)

    class Meta:
        verbose_name = _("tình hình trong ngày")
        verbose_name_plural = pgettext_lazy("số nhiều", "tình hình hằng ngày")
        ordering = ("event", "-day", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("event", "day", "agency"), name="event_status_one_per_agency_day"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return f"{reverse('protection:protectedevent', args=[self.event_id])}#tinh-hinh-{self.pk}"

    def clean(self):
        if self.day and self.event_id:
            first = timezone.localtime(self.event.start).date() - dt.timedelta(days=1)
            last = timezone.localtime(self.event.end).date()
            if not first <= self.day <= last:
                raise ValidationError({"day": _("Ngày báo cáo phải trong thời gian của sự kiện.")})


# --- Protection plans -----------------------------------------------------------------------------------
DEFAULT_ISSUER = "BAN CHỈ ĐẠO PHÒNG, CHỐNG KHỦNG BỐ"
PLAN_LOCKED = _("Phương án đã phê duyệt hoặc đã thay thế không sửa được: tạo phiên bản mới để sửa.")


class ProtectionPlan(ClassifiedMixin, PckbModel):
    """A protection plan (phương án bảo vệ) of one key target or one protected event, versioned: a draft,
    approved by the committee leader (who and when are recorded), superseded when the next version is
    approved. It lies in its target's (or event's) unit and is at least as classified as it: a plan of a Mật
    target, and every file of it, never reaches a lower clearance. Administrative text only."""

    title = models.CharField(_("tên phương án"), max_length=300)
    target = models.ForeignKey(
        Target,
        verbose_name=_("mục tiêu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="protection_plans",
    )
    event = models.ForeignKey(
        ProtectedEvent,
        verbose_name=_("sự kiện, đoàn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="protection_plans",
    )
    unit = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("địa bàn"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1, editable=False)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("phiên bản trước"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_versions",
        editable=False,
    )
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT, editable=False
    )
    approved_at = models.DateTimeField(_("phê duyệt lúc"), null=True, blank=True, editable=False)
    approved_by = models.CharField(_("người phê duyệt"), max_length=300, blank=True, editable=False)
    review_date = models.DateField(
        _("hạn rà soát"),
        null=True,
        blank=True,
        help_text=_("Để trống: một năm sau ngày phê duyệt."),
    )
    purpose = models.TextField(_("mục đích, yêu cầu"), blank=True)
    forces = models.TextField(
        _("lực lượng tham gia"), blank=True, help_text=_("Cơ quan, đơn vị và số lượng theo chức danh.")
    )
    assignments = models.TextField(_("phân công nhiệm vụ"), blank=True)
    initial_response = models.TextField(
        _("phương án xử lý ban đầu"),
        blank=True,
        help_text=_("Các bước xử lý ban đầu khi có tình huống; chỉ nội dung hành chính."),
    )
    issuer_parent = models.CharField(
        _("cơ quan chủ quản"), max_length=200, blank=True, help_text=_("Ví dụ: UBND THÀNH PHỐ CẦN THƠ.")
    )
    issuer = models.CharField(
        _("cơ quan ban hành"),
        max_length=200,
        blank=True,
        default=DEFAULT_ISSUER,
        help_text=_("Để trống: Ban Chỉ đạo phòng, chống khủng bố."),
    )
    number = models.CharField(
        _("số, ký hiệu"), max_length=60, blank=True, help_text=_("Ghi như trên văn bản, ví dụ 15/PA-BCĐ.")
    )
    place = models.CharField(_("địa danh"), max_length=100, blank=True, help_text=_("Ví dụ: Cần Thơ."))
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    signer_authority = models.CharField(
        _("thẩm quyền ký"), max_length=100, blank=True, help_text=_("Ví dụ: TM. BAN CHỈ ĐẠO, KT. TRƯỞNG BAN.")
    )
    signer_title = models.CharField(_("chức vụ người ký"), max_length=200, blank=True)
    signer_name = models.CharField(_("họ tên người ký"), max_length=200, blank=True)

    scope_path = "unit"
    classification_paths = ("classification", "target__classification", "event__classification")
    #: The previous version may be Mật while this one is Thường: shown only to who may see it.
    guarded_relations = ("previous",)
    search_fields = ("title", "number")
    sort_source = "title"

    class Meta:
        verbose_name = _("phương án bảo vệ")
        verbose_name_plural = pgettext_lazy("số nhiều", "phương án bảo vệ")
        ordering = ("sort_key", "-version", "id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(classification__lte=Classification.SECRET),
                name="protectionplan_never_top_secret",
            ),
            models.CheckConstraint(
                condition=models.Q(target__isnull=False, event__isnull=True)
                | models.Q(target__isnull=True, event__isnull=False),
                name="protectionplan_target_or_event",
            ),
        ]

    def __str__(self) -> str:
        return _("{title} (phiên bản {version})").format(title=self.title, version=self.version)

    def get_absolute_url(self) -> str:
        return reverse("protection:protectionplan", args=[self.pk])

    @property
    def editable(self) -> bool:
        return self.status == PlanStatus.DRAFT

    @property
    def subject(self):
        """The target or event the plan protects."""
        return self.target if self.target_id else self.event

    def review_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.status == PlanStatus.APPROVED and self.review_date is not None and self.review_date < today
        )

    def delete(self, *args, **kwargs):
        """Only a draft is removed: an approved or superseded plan is the record of what was in force."""
        if self.status != PlanStatus.DRAFT:
            raise Conflict(_("Phương án đã phê duyệt hoặc đã thay thế được lưu lại, không xóa được."))
        return super().delete(*args, **kwargs)

    def save(self, *args, **kwargs):
        subject = self.target if self.target_id else (self.event if self.event_id else None)
        if subject is not None:
            self.unit_id = subject.unit_id
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "unit"}
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.pk and not self.editable:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored != PlanStatus.DRAFT:
                raise ValidationError(PLAN_LOCKED)
        if bool(self.target_id) == bool(self.event_id):
            errors["target"] = _("Chọn một mục tiêu hoặc một sự kiện, đoàn (chỉ một trong hai).")
        if self.issued_on and self.issued_on > timezone.localdate() + dt.timedelta(days=366):
            errors["issued_on"] = _("Ngày ban hành không hợp lý.")
        if errors:
            raise ValidationError(errors)


class PlanFile(PckbModel):
    """A file of a protection plan (the signed plan, a layout sketch); a new upload with the title of an
    existing one is its next version. It shares its plan's scope and classification and is served only
    through the access layer, never as public media."""

    plan = models.ForeignKey(
        ProtectionPlan, verbose_name=_("phương án bảo vệ"), on_delete=models.CASCADE, related_name="files"
    )
    title = models.CharField(_("tên tệp"), max_length=255)
    file = models.FileField(
        _("tệp"),
        upload_to="protection/plans/%Y/",
        validators=[validate_material_type, validate_material_size],
        help_text=_("PDF, DOCX, PPTX, XLSX, ODT, ODP, PNG, JPG; tối đa 20 MB."),
    )
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1, editable=False)

    scope_path = "plan__unit"
    classification_paths = classification_via("plan", ProtectionPlan)
    search_fields = ("title",)

    class Meta:
        verbose_name = _("tệp phương án")
        verbose_name_plural = pgettext_lazy("số nhiều", "tệp phương án")
        ordering = ("plan", "title", "-version", "id")

    def __str__(self) -> str:
        return _("{title} (bản {version})").format(title=self.title, version=self.version)

    def get_absolute_url(self) -> str:
        return f"{reverse('protection:protectionplan', args=[self.plan_id])}#tep-{self.pk}"

    def delete(self, *args, **kwargs):
        """A file of an approved or superseded plan is part of its record and stays."""
        if self.plan_id and not self.plan.editable:
            raise Conflict(_("Tệp của phương án đã phê duyệt hoặc đã thay thế không xóa được."))
        return super().delete(*args, **kwargs)

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""


# --- Inspections, findings and their corrective actions ------------------------------------------------
class Inspection(PckbModel):
    """An inspection (kiểm tra) of a key target's protection: date, inspecting agency, participants by
    position, result. It lies in the target's unit and is as classified as the target."""

    target = models.ForeignKey(
        Target, verbose_name=_("mục tiêu"), on_delete=models.PROTECT, related_name="inspections"
    )
    date = models.DateField(_("ngày kiểm tra"))
    inspecting_agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("cơ quan kiểm tra"),
        on_delete=models.PROTECT,
        related_name="protection_inspections",
    )
    participants = models.TextField(
        _("thành phần đoàn kiểm tra"),
        help_text=_("Theo chức danh, ví dụ: Phó Trưởng phòng PA09 (trưởng đoàn); 02 cán bộ Phòng PC06."),
    )
    result = models.TextField(_("kết quả kiểm tra"), blank=True)

    scope_path = "target__unit"
    classification_paths = classification_via("target", Target)
    guarded_relations = ("inspecting_agency",)
    search_fields = ("participants", "result")

    class Meta:
        verbose_name = _("kiểm tra")
        verbose_name_plural = pgettext_lazy("số nhiều", "kiểm tra")
        ordering = ("-date", "-id")

    def __str__(self) -> str:
        day = self.date.strftime("%d/%m/%Y") if self.date else ""
        return _("Kiểm tra {target} ngày {day}").format(target=self.target, day=day)

    def get_absolute_url(self) -> str:
        return reverse("protection:inspection", args=[self.pk])

    def clean(self):
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("Ngày kiểm tra không thể ở tương lai.")})


class Finding(PckbModel):
    """A shortcoming found by an inspection (tồn tại, thiếu sót) with its corrective action: the agency
    that owns it, the due date and the status (mở → đang khắc phục → đã khắc phục, closed with a note and a
    date). The owner agency's focal point updates only its own agency's actions."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("lần kiểm tra"), on_delete=models.CASCADE, related_name="findings"
    )
    description = models.TextField(_("tồn tại, thiếu sót"))
    action = models.TextField(_("biện pháp khắc phục"))
    owner_agency = models.ForeignKey(
        "directory.Agency",
        verbose_name=_("cơ quan chịu trách nhiệm khắc phục"),
        on_delete=models.PROTECT,
        related_name="protection_findings",
    )
    due = models.DateField(_("hạn khắc phục"))
    status = models.CharField(
        _("tình trạng"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    closed_on = models.DateField(_("ngày khắc phục xong"), null=True, blank=True)
    closing_note = models.TextField(_("kết quả khắc phục"), blank=True)

    scope_path = "inspection__target__unit"
    classification_paths = classification_via("inspection", Inspection)
    guarded_relations = ("owner_agency",)
    search_fields = ("description", "action")

    class Meta:
        verbose_name = _("tồn tại và biện pháp khắc phục")
        verbose_name_plural = pgettext_lazy("số nhiều", "tồn tại và biện pháp khắc phục")
        ordering = ("inspection", "due", "id")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=ActionStatus.CLOSED) | models.Q(closed_on__isnull=False),
                name="finding_closed_has_date",
            ),
        ]

    def task_outcome(self) -> dict:
        """What the one task list takes from this finding (``plans.services.task_for_source``): the
        corrective action, for the owner agency, by the due date, under the province's committee."""
        from pckb.directory.models import Committee

        unit = self.inspection.target.unit
        while unit is not None and unit.level != "province":
            unit = unit.parent
        committees = Committee.objects.filter(unit=unit, level="province").order_by("pk")
        committee = committees.first() if unit is not None else None
        return {
            "committee": committee,
            "title": str(_("Khắc phục sau kiểm tra: {action}")).format(action=self.action)[:400],
            "lead_agency": self.owner_agency,
            "deadline": self.due,
        }

    def __str__(self) -> str:
        return self.description[:100]

    def get_absolute_url(self) -> str:
        return f"{reverse('protection:inspection', args=[self.inspection_id])}#ton-tai-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status != ActionStatus.CLOSED

    def days_overdue(self, today: dt.date | None = None) -> int:
        """Days past the due date of an action not closed (0 when it is not overdue)."""
        today = today or timezone.localdate()
        return max((today - self.due).days, 0) if self.is_open and self.due else 0

    @property
    def overdue_display(self) -> str:
        """The overdue state in words (never colour alone)."""
        days = self.days_overdue()
        if not days:
            return ""
        return _("Quá hạn {days} ngày").format(days=days)

    def clean(self):
        errors = {}
        today = timezone.localdate()
        if self.status == ActionStatus.CLOSED:
            if not self.closed_on:
                errors["closed_on"] = _("Ghi ngày khắc phục xong.")
            if not self.closing_note.strip():
                errors["closing_note"] = _("Ghi kết quả khắc phục khi đóng.")
        elif self.closed_on:
            errors["closed_on"] = _("Chỉ ghi ngày khắc phục xong khi tình trạng là “Đã khắc phục”.")
        if self.closed_on and self.closed_on > today:
            errors["closed_on"] = _("Ngày khắc phục xong không thể ở tương lai.")
        if self.inspection_id and self.due and self.due < self.inspection.date:
            errors["due"] = _("Hạn khắc phục không thể trước ngày kiểm tra.")
        if self.inspection_id and self.closed_on and self.closed_on < self.inspection.date:
            errors["closed_on"] = _("Ngày khắc phục xong không thể trước ngày kiểm tra.")
        if errors:
            raise ValidationError(errors)
