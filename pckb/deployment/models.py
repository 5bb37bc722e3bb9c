"""Force-allocation planner (bố trí lực lượng): a committee's team types and its saved planning runs.

A team type (loại tổ/đội) belongs to its committee's unit (``scope_path = "committee__unit"``): how many
teams there are and which target categories or specific targets they may cover. A planning run picks
targets visible to its author, derives the four payoffs of each from its latest risk assessment by the rule
whose parameters are the run's fields (docs/deployment.md), solves the game with ``pckb.allocation``, and
keeps the inputs (``game``), the seed and every output. A run is at least as classified as its most
classified target (set by the service), so a run holding a Mật target reaches only accounts cleared for Mật.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pckb.core.choices import Classification
from pckb.core.models import ClassifiedMixin, PckbModel, classification_via
from pckb.deployment import choices as c
from pckb.protection.choices import RiskLevel


class TeamType(PckbModel):
    """A type of team a committee can deploy (tổ cảnh sát cơ động, tổ chó nghiệp vụ, tổ rà phá bom mìn…):
    how many are available each day and which targets they may cover. With neither categories nor targets
    chosen, a team may cover every target."""

    committee = models.ForeignKey(
        "directory.Committee",
        verbose_name=_("Ban Chỉ đạo"),
        on_delete=models.PROTECT,
        related_name="team_types",
    )
    name = models.CharField(_("tên loại tổ, đội"), max_length=200)
    count = models.PositiveSmallIntegerField(
        _("số tổ sẵn sàng mỗi ngày"), validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    categories = models.ManyToManyField(
        "protection.TargetCategory",
        verbose_name=_("loại mục tiêu được bố trí"),
        blank=True,
        related_name="+",
        help_text=_("Để trống cả hai mục: tổ được bố trí ở mọi mục tiêu."),
    )
    targets = models.ManyToManyField(
        "protection.Target",
        verbose_name=_("mục tiêu cụ thể được bố trí"),
        blank=True,
        related_name="+",
        help_text=_("Ví dụ: tổ rà phá bom mìn chỉ ở một số mục tiêu."),
    )
    notes = models.TextField(_("ghi chú"), blank=True)
    # A mobile team (tổ tuần tra cơ động) covers several targets in one shift along a route.
    mobile = models.BooleanField(
        _("đi tuần theo tuyến (tổ cơ động)"),
        default=False,
        help_text=_(
            "Mỗi tổ đi một tuyến qua nhiều mục tiêu trong một ca; máy tự lập các tuyến khả thi từ vị trí "
            "mục tiêu (mục tiêu chưa có tọa độ lấy tâm xã, phường)."
        ),
    )
    shift_start = models.TimeField(_("giờ bắt đầu ca"), default=dt.time(7, 0))
    shift_minutes = models.PositiveSmallIntegerField(
        _("độ dài ca (phút)"),
        default=c.DEFAULT_SHIFT_MINUTES,
        validators=[MinValueValidator(30), MaxValueValidator(1440)],
    )
    dwell_minutes = models.PositiveSmallIntegerField(
        _("thời gian dừng ở mỗi mục tiêu (phút)"),
        default=c.DEFAULT_DWELL_MINUTES,
        validators=[MaxValueValidator(1440)],
    )
    max_targets = models.PositiveSmallIntegerField(
        _("số mục tiêu tối đa mỗi tuyến"),
        default=c.DEFAULT_MAX_TARGETS,
        validators=[MinValueValidator(1), MaxValueValidator(c.MAX_ROUTE_TARGETS)],
    )
    speed_kmh = models.FloatField(
        _("tốc độ di chuyển (km/h)"),
        default=c.DEFAULT_SPEED_KMH,
        validators=[MinValueValidator(1), MaxValueValidator(150)],
    )
    detour = models.FloatField(
        _("hệ số đường vòng"),
        default=c.DEFAULT_DETOUR,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("Quãng đường thực tế so với đường chim bay (1,3 = dài hơn 30%)."),
    )

    scope_path = "committee__unit"
    search_fields = ("name",)
    sort_source = "name"

    class Meta:
        verbose_name = _("loại tổ, đội")
        verbose_name_plural = pgettext_lazy("số nhiều", "loại tổ, đội")
        ordering = ("sort_key", "id")
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="teamtype_unique_name_per_committee"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("deployment:teamtype", args=[self.pk])

    def clean(self):
        if self.mobile and self.dwell_minutes is not None and self.shift_minutes is not None:
            if self.dwell_minutes > self.shift_minutes:
                raise ValidationError(
                    {"dwell_minutes": _("Thời gian dừng ở mỗi mục tiêu không được dài hơn cả ca.")}
                )


def _parameter(label, default, help_text, low=0.0, high=None):
    validators = [MinValueValidator(low)] + ([MaxValueValidator(high)] if high is not None else [])
    return models.FloatField(label, default=default, validators=validators, help_text=help_text)


class PlanningRun(ClassifiedMixin, PckbModel):
    """One run of the planner, saved with its inputs, seed and outputs, re-openable and re-checkable with
    ``pckb allocate solve`` (the API gives its game and solution)."""

    committee = models.ForeignKey(
        "directory.Committee",
        verbose_name=_("Ban Chỉ đạo"),
        on_delete=models.PROTECT,
        related_name="planning_runs",
    )
    title = models.CharField(_("tên phương án"), max_length=300)
    # Which targets: those the author may see in the committee's area, narrowed by these filters.
    area = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("chỉ lấy mục tiêu trên địa bàn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Để trống: toàn bộ địa bàn của Ban Chỉ đạo."),
    )
    category = models.ForeignKey(
        "protection.TargetCategory",
        verbose_name=_("chỉ lấy loại mục tiêu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    min_level = models.PositiveSmallIntegerField(
        _("cấp độ rủi ro từ"), choices=RiskLevel.choices, default=RiskLevel.I
    )
    # The payoff rule (docs/deployment.md): its parameters, with defaults.
    defender_weight = _parameter(
        _("hệ số thiệt hại"),
        c.DEFAULT_DEFENDER_WEIGHT,
        _("Thiệt hại của ta khi mục tiêu bị tấn công lúc không có tổ = điểm rủi ro × hệ số này."),
        low=0.01,
    )
    covered_fraction = _parameter(
        _("tỷ lệ thiệt hại khi có tổ bảo vệ"),
        c.DEFAULT_COVERED_FRACTION,
        _("Từ 0 đến dưới 1: phần thiệt hại còn lại khi mục tiêu có tổ bảo vệ (0,2 = còn 20%)."),
        high=0.99,
    )
    attacker_weight = _parameter(
        _("hệ số lợi của đối tượng"),
        c.DEFAULT_ATTACKER_WEIGHT,
        _("Lợi của đối tượng khi tấn công mục tiêu bỏ trống = điểm rủi ro × hệ số này."),
        low=0.01,
    )
    attacker_penalty = _parameter(
        _("tỷ lệ bất lợi của đối tượng khi gặp tổ"),
        c.DEFAULT_ATTACKER_PENALTY,
        _("Khi gặp tổ bảo vệ, đối tượng chịu −(điểm rủi ro × hệ số lợi × tỷ lệ này)."),
        high=10,
    )
    plan = models.CharField(
        _("phương án"),
        max_length=8,
        choices=c.Plan.choices,
        default=c.Plan.SSE,
        help_text=_(
            "Chuẩn: đối tượng tính toán hoàn hảo; MATCH (β) và phản ứng lượng tử (λ): bền vững khi đối "
            "tượng chọn sai."
        ),
    )
    beta = _parameter(
        _("β (phương án MATCH)"),
        c.DEFAULT_BETA,
        _("0: an toàn nhất (maximin); lớn: gần phương án chuẩn."),
        high=1000,
    )
    lam = _parameter(
        _("λ (đối tượng hay sai)"),
        c.DEFAULT_LAMBDA,
        _("0: chọn bừa; lớn: gần như tính toán hoàn hảo."),
        high=1000,
    )
    start_date = models.DateField(_("lệnh từ ngày"))
    days = models.PositiveSmallIntegerField(
        _("số ngày lập lệnh"),
        default=c.DEFAULT_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(c.MAX_DAYS)],
    )
    seed = models.PositiveIntegerField(
        _("hạt giống ngẫu nhiên"),
        default=0,
        validators=[MaxValueValidator(2**31 - 1)],
        help_text=_("Cùng hạt giống, cùng dữ liệu: cùng lệnh hằng ngày (để kiểm tra lại)."),
    )
    # Outputs (set by the service).
    game = models.JSONField(_("trò chơi (GAME.json)"), default=dict, editable=False)
    solution = models.JSONField(_("lời giải"), default=dict, editable=False)
    outputs = models.JSONField(_("kết quả"), default=dict, editable=False)
    target_count = models.PositiveIntegerField(_("số mục tiêu"), default=0, editable=False)
    team_count = models.PositiveIntegerField(_("số tổ"), default=0, editable=False)
    expected_loss = models.FloatField(_("thiệt hại kỳ vọng"), null=True, editable=False)

    scope_path = "committee__unit"
    search_fields = ("title",)
    # The inputs and outputs are kept on the run (and its API); the audit entry records the parameters.
    audit_exclude = (*PckbModel.audit_exclude, "game", "solution", "outputs")
    sort_source = "title"

    class Meta:
        verbose_name = _("phương án bố trí lực lượng")
        verbose_name_plural = pgettext_lazy("số nhiều", "phương án bố trí lực lượng")
        ordering = ("-created", "-id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(classification__lte=Classification.SECRET),
                name="planningrun_never_top_secret",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("deployment:planningrun", args=[self.pk])

    def clean(self):
        errors = {}
        if self.committee_id and self.area_id and not self.area.path.startswith(self.committee.unit.path):
            errors["area"] = _("Chọn địa bàn thuộc địa bàn của Ban Chỉ đạo.")
        if self.start_date and not (2000 <= self.start_date.year <= 2100):
            errors["start_date"] = _("Ngày bắt đầu phải trong khoảng năm 2000–2100.")
        if errors:
            raise ValidationError(errors)


def _weight(label):
    return models.FloatField(
        label, default=1.0, validators=[MinValueValidator(0), MaxValueValidator(c.MAX_CRITERION_WEIGHT)]
    )


class AttackerType(PckbModel):
    """One kind of attacker a run plans against (nhóm có tổ chức, đối tượng đơn lẻ…): its prior probability
    and the rule that derives its payoffs from each target's latest risk assessment — a weight per criterion
    and a factor for the target categories it prefers (docs/deployment.md). Saved with its run, never edited;
    it has the run's scope and classification."""

    run = models.ForeignKey(
        PlanningRun, verbose_name=_("phương án"), on_delete=models.CASCADE, related_name="attacker_types"
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên loại đối tượng"), max_length=120)
    prior = models.FloatField(
        _("xác suất (prior)"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Khả năng đối tượng thuộc loại này; tổng các loại bằng 1 (0,6 = 60%)."),
    )
    criticality_weight = _weight(_("hệ số tầm quan trọng"))
    symbolism_weight = _weight(_("hệ số tính biểu tượng"))
    population_weight = _weight(_("hệ số số người có mặt"))
    size_weight = _weight(_("hệ số quy mô"))
    threat_weight = _weight(_("hệ số mức đe dọa"))
    categories = models.ManyToManyField(
        "protection.TargetCategory",
        verbose_name=_("loại mục tiêu ưa chọn"),
        blank=True,
        related_name="+",
    )
    category_factor = models.FloatField(
        _("hệ số với loại mục tiêu ưa chọn"),
        default=c.DEFAULT_CATEGORY_FACTOR,
        validators=[MinValueValidator(0.1), MaxValueValidator(10)],
        help_text=_("Lợi của đối tượng ở các loại mục tiêu ưa chọn được nhân với hệ số này."),
    )

    scope_path = "run__committee__unit"
    classification_paths = classification_via("run", PlanningRun)
    search_fields = ("name",)
    sort_source = "name"

    class Meta:
        verbose_name = _("loại đối tượng")
        verbose_name_plural = pgettext_lazy("số nhiều", "loại đối tượng")
        ordering = ("run", "position", "id")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.run.get_absolute_url()

    @property
    def weights(self) -> tuple[float, float, float, float, float]:
        return (
            self.criticality_weight,
            self.symbolism_weight,
            self.population_weight,
            self.size_weight,
            self.threat_weight,
        )
