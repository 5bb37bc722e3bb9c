import django_filters
from django.utils.translation import gettext_lazy as _

from pckb.core.filtersets import PckbFilterSet
from pckb.reports.choices import ReportKind, ReportStatus
from pckb.reports.models import PeriodicReport, ReportSchedule


class ScheduleFilterSet(PckbFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Loại báo cáo"), choices=ReportKind.choices)

    class Meta:
        model = ReportSchedule
        fields = ("kind",)


class ReportFilterSet(PckbFilterSet):
    status = django_filters.ChoiceFilter(label=_("Trạng thái"), choices=ReportStatus.choices)
    kind = django_filters.ChoiceFilter(
        label=_("Loại báo cáo"), field_name="schedule__kind", choices=ReportKind.choices
    )

    class Meta:
        model = PeriodicReport
        fields = ("status", "kind")
