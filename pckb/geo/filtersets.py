import django_filters
from django.utils.translation import gettext_lazy as _

from pckb.core.filtersets import PckbFilterSet
from pckb.geo.choices import UnitLevel
from pckb.geo.models import AdministrativeUnit


class UnitFilterSet(PckbFilterSet):
    level = django_filters.ChoiceFilter(choices=UnitLevel.choices, label=_("Cấp"))
    parent = django_filters.ModelChoiceFilter(
        queryset=AdministrativeUnit.objects.filter(level="province", valid_to__isnull=True),
        label=_("Tỉnh, thành phố"),
    )
    retired = django_filters.BooleanFilter(
        field_name="valid_to", lookup_expr="isnull", exclude=True, label=_("Đơn vị cũ (trước 01/7/2025)")
    )

    class Meta:
        model = AdministrativeUnit
        fields = ["level", "parent"]
