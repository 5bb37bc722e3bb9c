import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pckb.core.filtersets import PckbFilterSet
from pckb.directory.models import Agency
from pckb.plans.choices import OPEN_STATUSES, TaskStatus
from pckb.plans.models import Plan, Task

OVERDUE = "overdue"


class PlanFilterSet(PckbFilterSet):
    year = django_filters.NumberFilter(label=_("Năm"))

    class Meta:
        model = Plan
        fields = ["year"]


class TaskFilterSet(PckbFilterSet):
    status = django_filters.ChoiceFilter(
        choices=[*TaskStatus.choices, (OVERDUE, _("Quá hạn"))],
        label=_("Trạng thái"),
        method="filter_status",
        empty_label=_("— Chọn —"),
    )
    agency = django_filters.ModelChoiceFilter(
        queryset=Agency.objects.all(),
        label=_("Cơ quan chủ trì hoặc phối hợp"),
        method="filter_agency",
        empty_label=_("— Chọn —"),
    )

    class Meta:
        model = Task
        fields = ["status", "agency"]

    def filter_status(self, queryset, name, value):
        if value == OVERDUE:
            return queryset.filter(status__in=OPEN_STATUSES, deadline__lt=timezone.localdate())
        return queryset.filter(status=value) if value else queryset

    def filter_agency(self, queryset, name, value):
        if not value:
            return queryset
        supporting = Task.supporting_agencies.through.objects.filter(agency_id=value.pk).values("task_id")
        return queryset.filter(Q(lead_agency_id=value.pk) | Q(pk__in=supporting))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only agencies that lead or support a task the user may see (not the whole directory).
        field = self.form.fields["agency"]
        # (Each subquery reads the visible tasks once: no nested "pk IN (visible)" for the lead agencies.)
        tasks = Task.objects.restrict(self.user).order_by()
        led = tasks.values("lead_agency_id")
        supporting = Task.supporting_agencies.through.objects.filter(task_id__in=tasks.values("pk")).values(
            "agency_id"
        )
        field.queryset = Agency.objects.filter(Q(pk__in=led) | Q(pk__in=supporting))
