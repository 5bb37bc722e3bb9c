import django_filters
from django.utils.translation import gettext_lazy as _

from pckb.core.filtersets import PckbFilterSet
from pckb.directory.choices import AgencyKind, CommitteeLevel
from pckb.directory.models import Agency, Committee, Decision, Person
from pckb.geo.models import AdministrativeUnit


class UnitSubtreeFilter(django_filters.ModelChoiceFilter):
    """Objects whose unit lies in the chosen unit's subtree."""

    def __init__(self, *args, path: str, **kwargs):
        kwargs.setdefault("queryset", AdministrativeUnit.objects.filter(level__in=["national", "province"]))
        kwargs.setdefault("label", _("Địa bàn"))
        super().__init__(*args, **kwargs)
        self.path_lookup = f"{path}__path__startswith"

    def filter(self, qs, value):
        return qs.filter(**{self.path_lookup: value.path}) if value else qs


class CommitteeFilterSet(PckbFilterSet):
    level = django_filters.ChoiceFilter(choices=CommitteeLevel.choices, label=_("Cấp"))
    unit = UnitSubtreeFilter(path="unit")

    class Meta:
        model = Committee
        fields = ["level", "unit"]


class AgencyFilterSet(PckbFilterSet):
    kind = django_filters.ChoiceFilter(choices=AgencyKind.choices, label=_("Loại cơ quan"))
    unit = UnitSubtreeFilter(path="unit")

    class Meta:
        model = Agency
        fields = ["kind", "unit"]


class PersonFilterSet(PckbFilterSet):
    agency = django_filters.ModelChoiceFilter(queryset=Agency.objects.all(), label=_("Cơ quan"))
    unit = UnitSubtreeFilter(path="agency__unit")
    committee = django_filters.ModelChoiceFilter(
        queryset=Committee.objects.all(), label=_("Ban Chỉ đạo"), method="filter_committee"
    )

    class Meta:
        model = Person
        fields = ["agency", "unit", "committee"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Thousands of agencies nationwide do not fit a drop-down: the filter comes from an agency's page
        # ("its officials") and the drop-down only holds the chosen one.
        field = self.form.fields["agency"]
        chosen = str((self.data or {}).get("agency") or "")
        field.queryset = field.queryset.filter(pk=chosen) if chosen.isdigit() else field.queryset.none()
        if not chosen.isdigit():
            del self.form.fields["agency"]

    def filter_committee(self, queryset, name, value):
        return queryset.filter(memberships__position__committee=value).distinct() if value else queryset


class DecisionFilterSet(PckbFilterSet):
    committee = django_filters.ModelChoiceFilter(queryset=Committee.objects.all(), label=_("Ban Chỉ đạo"))

    class Meta:
        model = Decision
        fields = ["committee"]
