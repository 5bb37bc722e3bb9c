import django_filters
from django.utils.translation import gettext_lazy as _

from pckb.core.filtersets import PckbFilterSet
from pckb.documents.choices import Direction, DocumentKind, Urgency
from pckb.documents.models import Document, Meeting, RegisterEntry


class DocumentFilterSet(PckbFilterSet):
    kind = django_filters.ChoiceFilter(
        choices=DocumentKind.choices, label=_("Loại văn bản"), empty_label=_("— Chọn —")
    )
    urgency = django_filters.ChoiceFilter(
        choices=Urgency.choices, label=_("Độ khẩn"), empty_label=_("— Chọn —")
    )
    year = django_filters.NumberFilter(label=_("Năm"))

    class Meta:
        model = Document
        fields = ["kind", "urgency", "year"]


class RegisterEntryFilterSet(PckbFilterSet):
    direction = django_filters.ChoiceFilter(
        choices=Direction.choices, label=_("Sổ"), empty_label=_("— Chọn —")
    )
    year = django_filters.NumberFilter(label=_("Năm"))

    class Meta:
        model = RegisterEntry
        fields = ["direction", "year"]


class MeetingFilterSet(PckbFilterSet):
    class Meta:
        model = Meeting
        fields = []
