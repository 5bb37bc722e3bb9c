"""Pages of the coordination module: regulations, their responsibility matrix and its editor, each agency's
duties, and the pre-fill actions other modules' pages offer through an object panel."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pckb.coordination import selectors, services
from pckb.coordination.choices import DUTY_LETTER, Duty
from pckb.coordination.fields import FUNCTION, REGULATION
from pckb.coordination.forms import MatrixForm, RegulationForm
from pckb.coordination.models import Regulation, Responsibility
from pckb.core import access
from pckb.core.views import ModelPageView, ObjectActionView, ObjectChildView, ObjectDetailView, ObjectEditView
from pckb.protection.models import EventTask, ProtectedEvent
from pckb.response.models import PlanStep, ScenarioPlan


class RegulationDetailView(ObjectDetailView):
    fields = REGULATION
    select_related = ("committee", "previous")

    def extra_context(self, regulation) -> dict:
        user = self.request.user
        functions, parties, cells = selectors.regulation_matrix(user, regulation)
        rows = [{"function": f, "cells": [(a, cells.get((f.pk, a.pk))) for a in parties]} for f in functions]
        editable = regulation.editable
        return {
            "parties": parties,
            "rows": rows,
            "legend": [(DUTY_LETTER[d], d.label) for d in Duty],
            "can_edit_matrix": editable
            and access.has_action(user, Responsibility, access.ADD)
            and access.can(user, access.CHANGE, regulation),
            "can_put_in_force": editable and services.can_put_in_force(user),
            "can_new_version": not editable and access.has_action(user, Regulation, access.ADD),
            "newer": selectors.newer_version(user, regulation),
        }


class RegulationEditView(ObjectEditView):
    fields = REGULATION
    form_class = RegulationForm  # the parties go through the service with the fields (one audit entry)


class MatrixEditView(ObjectChildView):
    """The responsibility matrix as a grid of selects: one per content and party, plus blank rows."""

    fields = REGULATION
    parent_action = access.CHANGE
    child_model = Responsibility
    child_action = access.ADD
    form_class = MatrixForm
    template_name = "coordination/matrix_edit.html"
    title = gettext_lazy("Ma trận trách nhiệm — {name}")

    def get_parent(self):
        regulation = super().get_parent()
        if not regulation.editable:
            raise Http404
        return regulation

    def form_kwargs(self, regulation) -> dict:
        functions, parties, cells = selectors.regulation_matrix(self.request.user, regulation)
        return {
            "functions": functions,
            "parties": parties,
            "cells": {key: cell.duty for key, cell in cells.items()},
        }

    def context(self, regulation) -> dict:
        return {"legend": [(DUTY_LETTER[d], d.label) for d in Duty]}

    def perform(self, regulation, form) -> str:
        cells, new_rows = form.matrix()
        services.matrix_save(actor=self.request.user, regulation=regulation, cells=cells, new_rows=new_rows)
        return regulation.get_absolute_url()


class RegulationPutInForceView(ObjectActionView):
    """Put a draft in force (committee leaders only; for anyone else the action does not exist: 404)."""

    fields = REGULATION
    action = access.VIEW

    def get_target(self):
        if not services.can_put_in_force(self.request.user):
            raise Http404
        return super().get_target()

    def perform(self, regulation, form) -> str:
        services.regulation_put_in_force(actor=self.request.user, regulation=regulation)
        return _("Đã ban hành {regulation}.").format(regulation=regulation)


class RegulationNewVersionView(ObjectActionView):
    fields = REGULATION
    action = access.VIEW
    child_model = Regulation
    child_action = access.ADD

    def perform(self, regulation, form) -> str:
        self.created = services.regulation_new_version(actor=self.request.user, regulation=regulation)
        return _("Đã tạo {regulation} (dự thảo).").format(regulation=self.created)

    def success_url(self, regulation) -> str:
        created = getattr(self, "created", None)
        return created.get_absolute_url() if created else regulation.get_absolute_url()


class FunctionDetailView(ObjectDetailView):
    fields = FUNCTION
    parent_field = "regulation"

    def extra_context(self, function) -> dict:
        return {"cells": selectors.function_cells(self.request.user, function)}


class FunctionEditView(ObjectEditView):
    fields = FUNCTION
    parent_field = "regulation"


class AgencyDutiesView(ModelPageView):
    """What an agency leads, supports and is informed of under the regulations in force (a focal point sees
    its own agency's by default)."""

    model = Responsibility
    template_name = "coordination/agency_duties.html"
    title = gettext_lazy("Trách nhiệm của cơ quan theo quy chế phối hợp")

    def context(self) -> dict:
        user = self.request.user
        agencies = selectors.duty_agencies(user)
        chosen = None
        wanted = self.request.GET.get("agency") or (user.person.agency_id if user.person_id else None)
        for agency in agencies:
            if str(agency.pk) == str(wanted):
                chosen = agency
        regulations = []
        if chosen is not None:
            by_regulation: dict = {}
            for cell in selectors.agency_duties(user, chosen):
                by_regulation.setdefault(cell.function.regulation, []).append(cell)
            for regulation, cells in by_regulation.items():
                groups = [
                    {"label": duty.label, "rows": [c for c in cells if c.duty == duty]} for duty in Duty
                ]
                regulations.append({"regulation": regulation, "groups": groups})
        return {"agencies": agencies, "chosen": chosen, "regulations": regulations}


class _PrefillView(ObjectActionView):
    """Pre-fill another module's object from a content of the regulation in force (POST from its panel)."""

    action = access.CHANGE

    def post(self, request, *args, **kwargs):
        obj = self.get_target()
        try:
            function_id = int(request.POST.get("function", ""))
        except ValueError:
            function_id = 0
        try:
            message = self.perform(obj, function_id)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, message)
        return HttpResponseRedirect(obj.get_absolute_url())


class EventPrefillView(_PrefillView):
    """A protected event's agency tasks from one content of the regulation in force."""

    model, child_model, child_action = ProtectedEvent, EventTask, access.ADD

    def perform(self, event, function_id) -> str:
        n = services.event_prefill(actor=self.request.user, event=event, function_id=function_id)
        return _("Đã giao {n} nhiệm vụ theo quy chế phối hợp.").format(n=n)


class PlanPrefillView(_PrefillView):
    """A draft scenario plan's steps from one content of the regulation in force."""

    model, child_model, child_action = ScenarioPlan, PlanStep, access.ADD

    def perform(self, plan, function_id) -> str:
        n = services.plan_prefill(actor=self.request.user, plan=plan, function_id=function_id)
        return _("Đã thêm {n} bước theo quy chế phối hợp.").format(n=n)
