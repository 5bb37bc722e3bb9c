import functools

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pckb.core.filtersets import PckbFilterSet
from pckb.directory.models import Agency
from pckb.plans.choices import OPEN_STATUSES, TaskStatus
from pckb.plans.models import Plan, Task, agency_task_ids

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
        return queryset.filter(pk__in=agency_task_ids(value.pk))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The agencies the user may see (``restrict_choices`` narrowed the field's queryset): a submitted one
        # is checked by a primary-key lookup, and the list is read only when the form is drawn (not for the
        # API, not for an htmx refresh of the table), once, as (id, name) pairs — not through a server-side
        # cursor with every column. It is not narrowed to the agencies with a task the user may see: that
        # meant a pass over every task of the scope on each page view (see docs/plans.md).
        field = self.form.fields["agency"]
        agencies = field.queryset.values_list("pk", "name")
        field.widget.choices = functools.cache(lambda: [("", field.empty_label), *agencies])
