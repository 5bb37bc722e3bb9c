import django_filters
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pckb.core.filtersets import PckbFilterSet
from pckb.directory.filtersets import UnitSubtreeFilter
from pckb.geo.models import AdministrativeUnit
from pckb.protection.choices import ActionStatus, EventKind, PlanStatus, ProtectionLevel, RiskLevel
from pckb.protection.models import (
    Finding,
    Inspection,
    ProtectedEvent,
    ProtectionPlan,
    RiskAssessment,
    Target,
    TargetCategory,
)


class TargetFilterSet(PckbFilterSet):
    category = django_filters.ModelChoiceFilter(
        queryset=TargetCategory.objects.filter(active=True), label=_("Loại mục tiêu")
    )
    protection_level = django_filters.ChoiceFilter(
        choices=ProtectionLevel.choices, label=_("Mức độ bảo vệ"), empty_label=_("— Chọn —")
    )
    risk_level = django_filters.ChoiceFilter(
        choices=RiskLevel.choices,
        label=_("Cấp độ rủi ro"),
        method="filter_risk_level",
        empty_label=_("— Chọn —"),
    )
    unit = UnitSubtreeFilter(
        path="unit",
        queryset=AdministrativeUnit.objects.filter(level__in=["province", "commune"], valid_to=None),
    )

    class Meta:
        model = Target
        fields = ["category", "protection_level", "risk_level", "unit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A province's communes fit a drop-down; the country's 3,321 do not: national users pick a province.
        if self.user is not None and getattr(self.user, "has_national_scope", False):
            field = self.form.fields["unit"]
            field.queryset = field.queryset.filter(level="province")

    def filter_risk_level(self, queryset, name, value):
        if not value:
            return queryset
        latest = RiskAssessment.objects.filter(target=OuterRef("pk")).order_by("-assessed_on", "-id")
        return queryset.alias(filter_level=Subquery(latest.values("level")[:1])).filter(filter_level=value)


class RiskAssessmentFilterSet(PckbFilterSet):
    level = django_filters.ChoiceFilter(
        choices=RiskLevel.choices, label=_("Cấp độ rủi ro"), empty_label=_("— Chọn —")
    )

    class Meta:
        model = RiskAssessment
        fields = ["level"]


class ProtectedEventFilterSet(PckbFilterSet):
    kind = django_filters.ChoiceFilter(choices=EventKind.choices, label=_("Loại"), empty_label=_("— Chọn —"))
    when = django_filters.ChoiceFilter(
        choices=(("upcoming", _("Sắp diễn ra, đang diễn ra")), ("past", _("Đã kết thúc"))),
        label=_("Thời gian"),
        method="filter_when",
        empty_label=_("— Chọn —"),
    )

    class Meta:
        model = ProtectedEvent
        fields = ["kind", "when"]

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(end__gte=now)
        if value == "past":
            return queryset.filter(end__lt=now)
        return queryset


class ProtectionPlanFilterSet(PckbFilterSet):
    status = django_filters.ChoiceFilter(
        choices=PlanStatus.choices, label=_("Trạng thái"), empty_label=_("— Chọn —")
    )
    kind = django_filters.ChoiceFilter(
        choices=(("target", _("Của mục tiêu")), ("event", _("Của sự kiện, đoàn"))),
        label=_("Phương án của"),
        method="filter_kind",
        empty_label=_("— Chọn —"),
    )

    class Meta:
        model = ProtectionPlan
        fields = ["status", "kind"]

    def filter_kind(self, queryset, name, value):
        if value == "target":
            return queryset.filter(target__isnull=False)
        if value == "event":
            return queryset.filter(event__isnull=False)
        return queryset


class InspectionFilterSet(PckbFilterSet):
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("Từ ngày"), input_formats=["%d/%m/%Y", "%Y-%m-%d"]
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=_("Đến ngày"), input_formats=["%d/%m/%Y", "%Y-%m-%d"]
    )

    class Meta:
        model = Inspection
        fields = ["date_from", "date_to"]


class FindingFilterSet(PckbFilterSet):
    status = django_filters.ChoiceFilter(
        choices=ActionStatus.choices, label=_("Tình trạng"), empty_label=_("— Chọn —")
    )
    overdue = django_filters.BooleanFilter(label=_("Quá hạn"), method="filter_overdue")

    class Meta:
        model = Finding
        fields = ["status", "overdue"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = queryset.filter(due__lt=timezone.localdate()).exclude(status=ActionStatus.CLOSED)
        return late if value else queryset.exclude(pk__in=late.values("pk"))
