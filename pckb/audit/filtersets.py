import django_filters
from django.apps import apps
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from pckb.audit.choices import AuditAction
from pckb.audit.models import AuditEntry
from pckb.core.filtersets import PckbFilterSet
from pckb.core.text import vi_sort_key


def object_type_label(label: str) -> str:
    """A model label (``directory.person``) as its name for people (``Cán bộ``); an unknown one as is."""
    try:
        return str(capfirst(apps.get_model(label)._meta.verbose_name))
    except (LookupError, ValueError):
        return label


ALL = _("— Tất cả —")


class AuditEntryFilterSet(PckbFilterSet):
    action = django_filters.ChoiceFilter(choices=AuditAction.choices, label=_("Hành động"), empty_label=ALL)
    username = django_filters.CharFilter(lookup_expr="icontains", label=_("Tên đăng nhập"))
    object_type = django_filters.ChoiceFilter(label=_("Loại đối tượng"), choices=(), empty_label=ALL)

    class Meta:
        model = AuditEntry
        fields = ["action", "username", "object_type"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The object types present in the entries the user may read (one query), by their names.
        present = self.queryset.order_by().values_list("object_type", flat=True).distinct()
        choices = sorted(((t, object_type_label(t)) for t in present if t), key=lambda c: vi_sort_key(c[1]))
        self.filters["object_type"].extra["choices"] = choices
        self.form.fields["object_type"].choices = choices

    def filter_q(self, queryset, name, value):
        return queryset.filter(object_repr__icontains=value)
