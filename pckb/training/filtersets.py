import django_filters
from django.utils.translation import gettext_lazy as _

from pckb.core.filtersets import PckbFilterSet, YearFilter
from pckb.training.choices import ConferenceStatus
from pckb.training.models import Conference, Topic


class TopicFilterSet(PckbFilterSet):
    active = django_filters.BooleanFilter(label=_("Đang sử dụng"))

    class Meta:
        model = Topic
        fields = ["active"]


class ConferenceFilterSet(PckbFilterSet):
    status = django_filters.ChoiceFilter(choices=ConferenceStatus.choices, label=_("Trạng thái"))
    year = YearFilter(field_name="start__year", label=_("Năm"))

    class Meta:
        model = Conference
        fields = ["status", "year"]
