"""Force-allocation planner (bố trí lực lượng): a committee's team types and its saved planning runs.

A team type (loại tổ/đội) belongs to its committee's unit (``scope_path = "committee__unit"``): how many
teams there are and which target categories or specific targets they may cover. A planning run picks
targets visible to its author, derives the four payoffs of each from its latest risk assessment by the rule
whose parameters are the run's fields (docs/deployment.md), solves the game with ``pckb.allocation``, and
keeps the inputs (``game``), the seed and every output. A run is at least as classified as its most
classified target (set by the service), so a run holding a Mật target reaches only accounts cleared for Mật.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pckb.core.choices import Classification
from pckb.core.models import ClassifiedMixin, PckbModel
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
