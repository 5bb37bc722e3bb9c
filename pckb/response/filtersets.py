"""List filters of the response module (incidents, checklist items, corrective actions)."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pckb.core.filtersets import PckbFilterSet
from pckb.response.choices import ActionStatus, IncidentStatus
from pckb.response.models import ChecklistItem, CorrectiveAction, Incident

OVERDUE = "overdue"
WAITING = "waiting"
ESCALATED = "escalated"
DONE = "done"


class IncidentFilterSet(PckbFilterSet):
    status = django_filters.ChoiceFilter(
        choices=IncidentStatus.choices, label=_("Trạng thái"), empty_label=_("Tất cả")
    )

    class Meta:
        model = Incident
        fields = ["status"]


class ChecklistItemFilterSet(PckbFilterSet):
    state = django_filters.ChoiceFilter(
        choices=[
            (WAITING, _("Chưa xác nhận")),
            (ESCALATED, _("Đã báo cấp trên")),
            (OVERDUE, _("Quá hạn")),
            (DONE, _("Đã xong")),
        ],
        label=_("Tình trạng"),
        method="filter_state",
        empty_label=_("Tất cả"),
    )

    class Meta:
        model = ChecklistItem
        fields = ["state"]

    def filter_state(self, queryset, name, value):
        if value == WAITING:
            return queryset.filter(needs_ack=True, acknowledged_at__isnull=True, done_at__isnull=True)
        if value == ESCALATED:
            return queryset.filter(escalated_at__isnull=False, acknowledged_at__isnull=True)
        if value == OVERDUE:
            return queryset.filter(done_at__isnull=True, due_at__lt=timezone.now())
        if value == DONE:
            return queryset.filter(done_at__isnull=False)
        return queryset


class CorrectiveActionFilterSet(PckbFilterSet):
    status = django_filters.ChoiceFilter(
        choices=[*ActionStatus.choices, (OVERDUE, _("Quá hạn"))],
        label=_("Trạng thái"),
        method="filter_status",
        empty_label=_("Tất cả"),
    )

    class Meta:
        model = CorrectiveAction
        fields = ["status"]

    def filter_status(self, queryset, name, value):
        if value == OVERDUE:
            return queryset.filter(status=ActionStatus.OPEN, due_date__lt=timezone.localdate())
        return queryset.filter(status=value) if value else queryset
