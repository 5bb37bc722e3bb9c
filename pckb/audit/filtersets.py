import django_filters
from django.utils.translation import gettext_lazy as _

from pckb.audit.choices import AuditAction
from pckb.audit.models import AuditEntry
from pckb.core.filtersets import PckbFilterSet


class AuditEntryFilterSet(PckbFilterSet):
    action = django_filters.ChoiceFilter(choices=AuditAction.choices, label=_("Hành động"))
    username = django_filters.CharFilter(lookup_expr="icontains", label=_("Tên đăng nhập"))
    object_type = django_filters.CharFilter(label=_("Loại đối tượng"))

    class Meta:
        model = AuditEntry
        fields = ["action", "username", "object_type"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(object_repr__icontains=value)
