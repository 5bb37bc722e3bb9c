import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from pckb.core import access
from pckb.core.import_views import ObjectImportView
from pckb.core.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ObjectViewMixin,
)
from pckb.directory import filtersets, forms, imports, selectors, services
from pckb.directory.fields import AGENCY, COMMITTEE, DECISION, PERSON
from pckb.directory.models import Agency, Committee, Decision, Membership, Person, Position


def visible(model, user, pk):
    """A related object only if the user may see it (a link to an out-of-scope object would leak it)."""
    return model.objects.restrict(user).filter(pk=pk).first() if pk else None


# --- Committees -----------------------------------------------------------------------------------------
class CommitteeListView(ObjectListView):
    model = Committee
    filterset_class = filtersets.CommitteeFilterSet
    select_related = ("unit", "unit__successor", "standing_agency")
    columns = COMMITTEE.list_columns()


def parse_day(raw: str | None) -> dt.date | None:
    if not raw:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(raw, fmt).date()  # noqa: DTZ007 - a calendar date, no time zone
        except ValueError:
            continue
    return None


class CommitteeDetailView(ObjectDetailView):
    model = Committee
    select_related = ("unit", "host_authority", "standing_agency")

    def extra_context(self, obj) -> dict:
        raw = self.request.GET.get("ngay")
        on = parse_day(raw)
        date_error = _("Ngày không hợp lệ; nhập theo dạng dd/mm/yyyy.") if raw and on is None else None
        on = on or selectors.today()
        return {
            "parent": visible(Committee, self.request.user, obj.parent_id),
            "on": on,
            "date_error": date_error,
            "composition": selectors.committee_composition(self.request.user, obj, on),
            "decisions": Decision.objects.restrict(self.request.user).filter(committee=obj)[:10],
            "children": Committee.objects.restrict(self.request.user).filter(parent=obj),
            "can_reconstitute": access.can(self.request.user, access.CHANGE, obj)
            and access.has_action(self.request.user, Membership, access.ADD),
        }


class CommitteeEditView(ObjectEditView):
    model = Committee
    form_class = forms.CommitteeForm


class CommitteeDeleteView(ObjectDeleteView):
    model = Committee


class CommitteeReconstituteView(ObjectViewMixin, View):
    """Kiện toàn in two steps: the form posts to a preview of who leaves, who joins and who stays (nothing
    written); "Áp dụng" re-validates the same data and applies exactly the previewed plan, or shows the new
    preview when the committee changed in between."""

    model = Committee
    template_name = "directory/committee_reconstitute.html"

    def _setup(self):
        committee = self.get_object(access.CHANGE)
        if not access.has_action(self.request.user, Membership, access.ADD):
            raise Http404
        rows = selectors.committee_composition(self.request.user, committee)
        return committee, rows

    def get(self, request, pk):
        committee, rows = self._setup()
        form = forms.ReconstituteForm(
            user=request.user,
            committee=committee,
            rows=rows,
            initial={"issuer": committee.host_authority.name},
        )
        return self._render(committee, form)

    def _render(self, committee, form, plan=None, changed=False):
        title = _("Xem trước kiện toàn: {name}") if plan else _("Kiện toàn: {name}")
        return render(
            self.request,
            self.template_name,
            {
                "object": committee,
                "form": form,
                "plan": plan,
                "changed": changed,
                "opts": Committee._meta,
                "title": title.format(name=committee),
            },
        )

    def _preview(self, committee, rows):
        """The bound form and, when its data is valid and applicable, the plan (else errors on the form)."""
        user = self.request.user
        form = forms.ReconstituteForm(self.request.POST, user=user, committee=committee, rows=rows)
        if not form.is_valid():
            return form, None
        try:
            plan = services.reconstitution_plan(
                actor=user,
                committee=committee,
                effective=form.cleaned_data["effective"],
                holders=form.holders(),
                rows=rows,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return form, None
        return form, plan

    def post(self, request, pk):
        committee, rows = self._setup()
        action = request.POST.get("action", "preview")
        form, plan = self._preview(committee, rows)
        if plan is None or action == "edit":
            return self._render(committee, form)
        if action != "apply":
            return self._render(committee, form, plan)
        if request.POST.get("plan_token") != plan.token:
            return self._render(committee, form, plan, changed=True)
        data = form.cleaned_data
        decision = Decision(
            number=data["number"],
            date=data["date"],
            issuer=data["issuer"],
            signer=data["signer"],
            subject=data["subject"],
        )
        try:
            services.committee_reconstitute(
                actor=request.user,
                committee=committee,
                decision=decision,
                effective=data["effective"],
                changes=plan.changes,
                expected_token=plan.token,
            )
        except services.PlanChanged:
            committee, rows = self._setup()
            form, plan = self._preview(committee, rows)
            return self._render(committee, form, plan, changed=plan is not None)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return self._render(committee, form)
        messages.success(request, _("Đã kiện toàn theo {decision}.").format(decision=decision))
        return HttpResponseRedirect(committee.get_absolute_url())


# --- Agencies -------------------------------------------------------------------------------------------
class AgencyListView(ObjectListView):
    model = Agency
    filterset_class = filtersets.AgencyFilterSet
    select_related = ("unit", "unit__successor")
    import_enabled = True
    columns = AGENCY.list_columns()
    export_columns = imports.AGENCY_EXPORT  # every field the import takes back


class AgencyDetailView(ObjectDetailView):
    model = Agency
    select_related = ("unit", "unit__successor")

    def extra_context(self, obj) -> dict:
        user = self.request.user
        return {
            "parent": visible(Agency, user, obj.parent_id),
            "merged_into": visible(Agency, user, obj.merged_into_id),
            "people": Person.objects.restrict(user).filter(agency=obj)[:100],
            "positions": Position.objects.restrict(user).filter(agency=obj).select_related("committee"),
            "merged_from": Agency.objects.restrict(user).filter(merged_into=obj),
        }


class AgencyEditView(ObjectEditView):
    model = Agency
    form_class = forms.AgencyForm


class AgencyDeleteView(ObjectDeleteView):
    model = Agency


class AgencyImportView(ObjectImportView):
    model = Agency
    columns = imports.AGENCY_COLUMNS


# --- People ---------------------------------------------------------------------------------------------
class PersonListView(ObjectListView):
    model = Person
    fields = PERSON  # its bulk fields
    filterset_class = filtersets.PersonFilterSet
    select_related = ("agency",)
    import_enabled = True
    columns = PERSON.list_columns()
    export_columns = imports.PERSON_EXPORT  # every field the import takes back


class PersonDetailView(ObjectDetailView):
    model = Person
    select_related = ("agency", "agency__unit")

    def extra_context(self, obj) -> dict:
        memberships = (
            Membership.objects.restrict(self.request.user)
            .filter(person=obj)
            .select_related("position", "position__committee", "decision", "end_decision")
            .order_by("-valid_from")
        )
        return {"memberships": memberships}


class PersonEditView(ObjectEditView):
    model = Person
    form_class = forms.PersonForm

    def initial(self) -> dict:
        person = getattr(self.request.user, "person", None)
        return {"agency": person.agency_id} if person else {}


class PersonDeleteView(ObjectDeleteView):
    model = Person


class PersonImportView(ObjectImportView):
    model = Person
    columns = imports.PERSON_COLUMNS


# --- Decisions and positions ----------------------------------------------------------------------------
class DecisionListView(ObjectListView):
    model = Decision
    filterset_class = filtersets.DecisionFilterSet
    select_related = ("committee",)
    columns = DECISION.list_columns()


class DecisionDetailView(ObjectDetailView):
    model = Decision
    select_related = ("committee",)

    def extra_context(self, obj) -> dict:
        user = self.request.user
        related = Membership.objects.restrict(user).select_related("person", "position")
        return {"started": related.filter(decision=obj), "ended": related.filter(end_decision=obj)}


class DecisionEditView(ObjectEditView):
    model = Decision
    form_class = forms.DecisionForm


class DecisionDeleteView(ObjectDeleteView):
    model = Decision


class PositionEditView(ObjectEditView):
    """Positions are added from their committee's page (``?committee=<id>``)."""

    model = Position
    form_class = forms.PositionForm
    parent_field = "committee"


class PositionDeleteView(ObjectDeleteView):
    model = Position
    parent_field = "committee"
