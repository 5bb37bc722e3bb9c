import django_filters
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pckb.core.filtersets import PckbFilterSet
from pckb.directory.filtersets import UnitSubtreeFilter
from pckb.geo.models import AdministrativeUnit
from pckb.protection.choices import EventKind, ProtectionLevel, RiskLevel
from pckb.protection.models import ProtectedEvent, RiskAssessment, Target, TargetCategory


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
