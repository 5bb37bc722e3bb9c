from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.views import View

from pckb.core.views import ObjectDetailView, ObjectListView
from pckb.geo.fields import UNIT
from pckb.geo.filtersets import UnitFilterSet
from pckb.geo.models import AdministrativeUnit


class UnitListView(ObjectListView):
    model = AdministrativeUnit
    filterset_class = UnitFilterSet
    select_related = ("parent", "successor")
    url_base = "unit"
    columns = UNIT.list_columns()

    def base_queryset(self):
        return super().base_queryset().order_by("sort_key")


class UnitDetailView(ObjectDetailView):
    model = AdministrativeUnit
    select_related = ("parent", "successor")
    url_base = "unit"
    template_name = "geo/unit.html"

    def extra_context(self, obj) -> dict:
        return {
            "children": obj.children.filter(valid_to__isnull=True).order_by("sort_key")[:500],
            "children_count": obj.children.filter(valid_to__isnull=True).count(),
            "predecessors": obj.predecessors.all(),
            "current": obj.current() if obj.successor_id else None,
        }


class UnitSuggestView(LoginRequiredMixin, View):
    """Suggestions for a unit input: ``?<any field name>=<text>``; only units in the user's scope."""

    def get(self, request):
        from pckb.geo.selectors import unit_suggestions

        query = request.GET.get("q") or next(iter(request.GET.values()), "")
        units = unit_suggestions(request.user, query) if len(query.strip()) >= 2 else []
        return render(request, "geo/_suggestions.html", {"units": units})
