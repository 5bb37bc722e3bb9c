"""FilterSet base: free-text search that ignores diacritics, and filter choices restricted to the user."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from pckb.core.forms import ALL, restrict_choices
from pckb.core.validators import MAX_YEAR, MIN_YEAR


class YearFilter(django_filters.NumberFilter):
    """``?year=`` on a date field: a whole number within the accepted years (else a form error, not a crash
    of the database's date arithmetic)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        kwargs.setdefault("decimal_places", 0)
        super().__init__(*args, **kwargs)


class PckbFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Tìm kiếm"))

    def __init__(self, data=None, queryset=None, *, request=None, user=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.user = user if user is not None else getattr(request, "user", None)
        # A filter offers retired agencies and committees too (old records are found by them), and its
        # empty choice reads "Tất cả".
        restrict_choices(self.form, self.user, current=False, empty=ALL)
        for field in self.form.fields.values():
            if isinstance(field.widget, forms.NullBooleanSelect):
                field.widget.choices = [("unknown", ALL), ("true", _("Có")), ("false", _("Không"))]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)
