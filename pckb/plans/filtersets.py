import functools

import django_filters
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pckb.core import access
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
        # A submitted agency is checked against the agencies the user may see (``restrict_choices`` narrowed
        # the field's queryset): a primary-key lookup. The list the page offers is narrower — those agencies
        # that lead or support a task the user may see — and is read only when the form is drawn (not for the
        # API, not for an htmx refresh of the table), once, as (id, name) pairs.
        field = self.form.fields["agency"]
        field.widget.choices = functools.cache(lambda: [("", field.empty_label), *self.offered_agencies()])

    def offered_agencies(self) -> list[tuple[int, str]]:
        """(id, name) of the agencies the user may see that lead or support a task the user may see."""
        tasks = Task.objects.restrict(self.user).order_by()
        row_rule = (getattr(self.user, "role", None), Task._meta.label_lower, access.VIEW) in access.ROW_RULES
        if connection.vendor == "sqlite" and not row_rule:
            # A scope-wide reader (a standing office): one EXISTS per agency, an index read that stops at the
            # first task, instead of a pass over every task of the scope.
            offered = Exists(tasks.filter(lead_agency_id=OuterRef("pk"))) | Exists(
                tasks.filter(supporting_agencies=OuterRef("pk"))
            )
        else:
            # A reader limited to its own agency's tasks reads that short list once (inside a per-agency
            # EXISTS SQLite would read it again for every agency: seconds). PostgreSQL hashes the visible
            # tasks' agencies once whichever way it is written; written as IN its cost estimate stays low (the
            # EXISTS form is costed as a loop and switches JIT compilation on: seconds).
            offered = Q(pk__in=tasks.values("lead_agency_id")) | Q(pk__in=tasks.values("supporting_agencies"))
        return list(Agency.objects.restrict(self.user).filter(offered).values_list("pk", "name"))
