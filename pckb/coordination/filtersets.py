import django_filters
from django.utils.translation import gettext_lazy as _

from pckb.coordination.choices import RegulationStatus
from pckb.coordination.models import Regulation
from pckb.core.filtersets import PckbFilterSet


class RegulationFilterSet(PckbFilterSet):
    status = django_filters.ChoiceFilter(
        choices=RegulationStatus.choices, label=_("Trạng thái"), empty_label=_("— Chọn —")
    )

    class Meta:
        model = Regulation
        fields = ["status"]
