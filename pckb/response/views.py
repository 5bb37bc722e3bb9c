"""Pages of the response module: scenario plans with phases and steps, report intake and forwarding."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from pckb.core import access
from pckb.core.views import (
    Download,
    ObjectActionView,
    ObjectDetailView,
    ObjectEditView,
    ObjectFileView,
    ObjectListView,
)
from pckb.response import selectors, services
from pckb.response.fields import (
    CHECKLIST_ITEM,
    CORRECTIVE_ACTION,
    INCIDENT,
    INCIDENT_LOG_ENTRY,
    PLAN_PHASE,
    PLAN_STEP,
    REPORT,
    REPORT_FORWARDING,
    SCENARIO_PLAN,
    SITUATION_REPORT,
)
from pckb.response.filtersets import ChecklistItemFilterSet, CorrectiveActionFilterSet, IncidentFilterSet
from pckb.response.forms import (
    ActivateForm,
    AttachForm,
    CloseForm,
    CorrectiveActionForm,
    ForwardingForm,
    IncidentCloseForm,
    IncidentForm,
    LogEntryForm,
    PlanStepForm,
    ReportForm,
    ReviewForm,
    ScenarioPlanForm,
)
from pckb.response.models import (
    ChecklistItem,
    CorrectiveAction,
    Incident,
    IncidentLogEntry,
    PlanPhase,
    PlanStep,
    ReportForwarding,
    ScenarioPlan,
    SituationReport,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ScenarioPlanDetailView(ObjectDetailView):
    fields = SCENARIO_PLAN
    select_related = ("committee", "previous")

    def extra_context(self, plan) -> dict:
        user = self.request.user
        return {
            "phases": selectors.plan_phases(user, plan),
            "categories": list(plan.target_categories.all()),
            "can_approve": plan.editable and services.can_approve(user),
            "can_new_version": not plan.editable and access.has_action(user, ScenarioPlan, access.ADD),
            "can_add_phase": plan.editable and access.has_action(user, PlanPhase, access.ADD),
            "can_add_step": plan.editable and access.has_action(user, PlanStep, access.ADD),
            "newer": access.restrict(ScenarioPlan.objects.filter(previous=plan), user).first(),
        }


class ScenarioPlanEditView(ObjectEditView):
    fields = SCENARIO_PLAN
    form_class = ScenarioPlanForm  # the categories go through the service with the fields (one audit entry)


class ScenarioPlanApproveView(ObjectActionView):
    """Approve a draft (committee leaders only; for anyone else the action does not exist: 404)."""

    fields = SCENARIO_PLAN

    action = access.VIEW

    def get_target(self):
        if not services.can_approve(self.request.user):
            raise Http404
        return super().get_target()

    def perform(self, plan, form) -> str:
        services.plan_approve(actor=self.request.user, plan=plan)
        return _("Đã phê duyệt {plan}.").format(plan=plan)


class ScenarioPlanNewVersionView(ObjectActionView):
    fields = SCENARIO_PLAN
    action = access.VIEW
    child_model = ScenarioPlan
    child_action = access.ADD

    def perform(self, plan, form) -> str:
        self.created = services.plan_new_version(actor=self.request.user, plan=plan)
        return _("Đã tạo {plan} (dự thảo).").format(plan=self.created)

    def success_url(self, plan) -> str:
        created = getattr(self, "created", None)
        return created.get_absolute_url() if created else plan.get_absolute_url()


class PlanPhaseDetailView(ObjectDetailView):
    fields = PLAN_PHASE
    parent_field = "plan"

    def extra_context(self, phase) -> dict:
        steps = access.restrict(PlanStep.objects.filter(phase=phase), self.request.user).select_related(
            "agency", "position", "escalate_to"
        )
        return {"steps": list(steps)}


class PlanPhaseEditView(ObjectEditView):
    fields = PLAN_PHASE
    parent_field = "plan"


class PlanStepDetailView(ObjectDetailView):
    fields = PLAN_STEP
    parent_field = "phase"
    select_related = ("agency", "position", "escalate_to")


class PlanStepEditView(ObjectEditView):
    fields = PLAN_STEP
    form_class = PlanStepForm
    parent_field = "phase"


@method_decorator(sensitive_post_parameters("reporter_contact"), name="dispatch")
class ReportEditView(ObjectEditView):
    """The contact typed here is scrubbed from Django's error reports (``sensitive_post_parameters``)."""

    fields = REPORT
    form_class = ReportForm

    def initial(self) -> dict:
        user = self.request.user
        return {
            "received_at": timezone.localtime().replace(second=0, microsecond=0),
            "receiving_unit": user.scope_unit_id,
        }

    def create(self, form):
        return services.report_create(
            actor=self.request.user,
            report=form.instance,
            contact=form.cleaned_data.get("reporter_contact", ""),
        )

    def update(self, form):
        changes = {
            name: getattr(form.instance, name)
            for name in form.changed_data
            if name in form.cleaned_data and name != "reporter_contact"
        }
        return services.report_update(
            actor=self.request.user,
            report=form.instance,
            changes=changes,
            contact=form.cleaned_data.get("reporter_contact", ""),
        )


class ReportDetailView(ObjectDetailView):
    fields = REPORT
    select_related = ("receiving_unit", "place_unit")

    def extra_context(self, report) -> dict:
        user, now = self.request.user, timezone.now()
        end = report.first_forwarded_at or now
        return {
            "forwardings": selectors.report_forwardings(user, report),
            "elapsed_minutes": int((end - report.received_at).total_seconds() // 60),
            "deadline": report.forward_deadline(),
            "deadline_minutes": selectors.forward_minutes(),
            "late": report.forward_late(now),
            "can_forward": not report.closed and access.has_action(user, ReportForwarding, access.ADD),
            "can_close": not report.closed and access.can(user, access.CHANGE, report),
            "can_reveal": report.has_contact and services.can_reveal(user),
            "close_form": CloseForm(),
            **self.triage_context(report),
        }

    def triage_context(self, report) -> dict:
        """ "Mở sự cố" / "Gộp vào sự cố đang xử lý", for who may change the report and open incidents."""
        user = self.request.user
        if report.closed or not access.can(user, access.CHANGE, report):
            return {"incident": access.visible_related(user, report, "incident")}
        incidents = selectors.open_incidents(user)
        can_open = access.has_action(user, Incident, access.ADD)
        attachable = list(incidents[:50]) if access.has_action(user, Incident, access.VIEW) else []
        return {
            "incident": None,
            "can_open_incident": can_open,
            "attach_form": AttachForm(incidents=incidents) if attachable else None,
        }


class ReportRevealView(ObjectActionView):
    """The reporter's contact, decrypted for the intake officer or a leader (audited). POST only; the page
    is not stored by the browser (no-store) and the contact is in no other page."""

    fields = REPORT
    action = access.VIEW

    def post(self, request, *args, **kwargs):
        if not services.can_reveal(request.user):
            raise Http404
        report = self.get_target()
        if not report.has_contact:
            raise Http404
        contact = services.report_reveal_contact(actor=request.user, report=report)
        response = render(
            request,
            "response/report_contact.html",
            {"object": report, "contact": contact, "title": str(report)},
        )
        response["Cache-Control"] = "no-store"
        return response


class ReportCloseView(ObjectActionView):
    fields = REPORT
    action = access.CHANGE
    form_class = CloseForm

    def perform(self, report, form) -> str:
        services.report_close_unfounded(
            actor=self.request.user, report=report, reason=form.cleaned_data["reason"]
        )
        return _("Đã đóng {report}: không có cơ sở.").format(report=report)


class ForwardingDetailView(ObjectDetailView):
    fields = REPORT_FORWARDING
    parent_field = "report"
    select_related = ("agency", "committee")


class ForwardingEditView(ObjectEditView):
    fields = REPORT_FORWARDING
    form_class = ForwardingForm
    parent_field = "report"

    def initial(self) -> dict:
        return {"forwarded_at": timezone.localtime().replace(second=0, microsecond=0)}

    def create(self, form):
        return services.report_forward(actor=self.request.user, forwarding=form.instance)


# --- Incidents ------------------------------------------------------------------------------------------
#: The regions of the incident page that live refresh re-fetches, each a fragment of its own.
REGIONS = {
    "bang": ("board", "response/_incident_board.html"),
    "viec": ("checklist", "response/_incident_checklist.html"),
    "nhat-ky": ("log", "response/_incident_log.html"),
}


def incident_regions(request, incident) -> dict:
    """What the board, the checklist and the log show to this user (the same for the page and its
    fragments)."""
    user, now = request.user, timezone.now()
    items = selectors.incident_checklist(user, incident)
    actable = set(
        access.restrict(ChecklistItem.objects.filter(incident=incident), user, access.CHANGE).values_list(
            "pk", flat=True
        )
        if incident.is_open and access.has_action(user, ChecklistItem, access.CHANGE)
        else ()
    )
    log = selectors.incident_log(user, incident)
    can_log = access.has_action(user, IncidentLogEntry, access.ADD)
    return {
        "object": incident,
        "now": now,
        "items": items,
        "groups": selectors.checklist_by_agency(items),
        "board": selectors.incident_board(items, now),
        "actable": actable,
        "log": log,
        "log_form": (
            LogEntryForm(user=user, initial={"incident": incident.pk, "occurred_at": _minute(now)})
            if can_log
            else None
        ),
        "region_urls": {
            name: reverse("response:incident_region", args=[incident.pk, slug])
            for slug, (name, _template) in REGIONS.items()
        },
    }


def _minute(now):
    return timezone.localtime(now).replace(second=0, microsecond=0)


class IncidentDetailView(ObjectDetailView):
    fields = INCIDENT
    select_related = ("committee__unit", "place_unit")

    def extra_context(self, incident) -> dict:
        user = self.request.user
        can_change = incident.is_open and access.can(user, access.CHANGE, incident)
        plans = services.activatable_plans(user, incident) if can_change else ScenarioPlan.objects.none()
        closed_reviewer = not incident.is_open and access.has_action(user, Incident, access.CHANGE)
        return {
            **incident_regions(self.request, incident),
            "reports": selectors.incident_reports(user, incident),
            "actions": selectors.incident_actions(user, incident) if not incident.is_open else [],
            "activate_form": ActivateForm(plans=plans) if can_change and plans.exists() else None,
            "close_form": IncidentCloseForm() if can_change else None,
            "review_form": ReviewForm(initial={"text": incident.review_text}) if closed_reviewer else None,
            "can_add_action": not incident.is_open and access.has_action(user, CorrectiveAction, access.ADD),
            "sitreps": selectors.incident_sitreps(user, incident),
            "can_add_sitrep": access.has_action(user, SituationReport, access.ADD),
            "can_download_sitrep": access.has_action(user, SituationReport, access.EXPORT),
        }


class IncidentRegionView(ObjectDetailView):
    """One region of the incident page (board, checklist, log), for live refresh; same permission."""

    fields = INCIDENT
    select_related = ("committee__unit",)

    def get(self, request, *args, **kwargs):
        region = REGIONS.get(kwargs.get("region"))
        if region is None:
            raise Http404
        template = region[1]
        incident = self.get_object()
        return render(request, template, incident_regions(request, incident))


class IncidentEditView(ObjectEditView):
    fields = INCIDENT
    form_class = IncidentForm

    def initial(self) -> dict:
        return {"opened_at": _minute(timezone.now())}

    def create(self, form):
        return services.incident_open(actor=self.request.user, incident=form.instance)

    def update(self, form):
        changes = {
            name: getattr(form.instance, name) for name in form.changed_data if name in form.cleaned_data
        }
        return services.incident_update(actor=self.request.user, incident=form.instance, changes=changes)


class IncidentActivateView(ObjectActionView):
    """ "Kích hoạt phương án": the chosen approved plan becomes the agencies' checklists."""

    fields = INCIDENT
    action = access.CHANGE

    def perform(self, incident, form) -> str:
        try:
            plan_id = int(self.request.POST.get("plan", ""))
        except ValueError as exc:
            raise ValidationError(_("Chọn một phương án đã phê duyệt.")) from exc
        count = services.plan_activate(
            actor=self.request.user, incident=incident, plan=ScenarioPlan(pk=plan_id)
        )
        return _("Đã kích hoạt phương án: {count} việc đã giao cho các cơ quan.").format(count=count)


class IncidentCloseView(ObjectActionView):
    fields = INCIDENT
    action = access.CHANGE
    form_class = IncidentCloseForm

    def perform(self, incident, form) -> str:
        services.incident_close(
            actor=self.request.user, incident=incident, summary=form.cleaned_data["summary"]
        )
        return _("Đã kết thúc sự cố {incident}.").format(incident=incident)


class IncidentReviewView(ObjectActionView):
    fields = INCIDENT
    action = access.VIEW
    form_class = ReviewForm

    def get_target(self):
        if not access.has_action(self.request.user, Incident, access.CHANGE):
            raise Http404
        return super().get_target()

    def perform(self, incident, form) -> str:
        services.incident_review(actor=self.request.user, incident=incident, text=form.cleaned_data["text"])
        return _("Đã lưu đánh giá sau sự cố.")


class ChecklistActionView(ObjectActionView):
    """A verb on one checklist item (acknowledge, done): the item's agency or the standing office."""

    fields = CHECKLIST_ITEM
    action = access.CHANGE
    verb = ""

    def perform(self, item, form) -> str:
        if self.verb == "ack":
            services.checklist_acknowledge(actor=self.request.user, item=item)
            return _("Đã xác nhận đã nhận: {item}.").format(item=item)
        services.checklist_done(actor=self.request.user, item=item)
        return _("Đã báo hoàn thành: {item}.").format(item=item)

    def success_url(self, item) -> str:
        return item.get_absolute_url()


class ChecklistItemListView(ObjectListView):
    fields = CHECKLIST_ITEM
    filterset_class = ChecklistItemFilterSet
    select_related = ("incident", "agency")
    bulk_delete = False


class IncidentListView(ObjectListView):
    fields = INCIDENT
    filterset_class = IncidentFilterSet
    bulk_delete = False


class ReportOpenIncidentView(ObjectActionView):
    """ "Mở sự cố" on a report: a new incident from the report (the report reads "Đã mở sự cố")."""

    fields = REPORT
    action = access.CHANGE
    child_model = Incident
    child_action = access.ADD

    def perform(self, report, form) -> str:
        self.created = services.incident_open_from_report(actor=self.request.user, report=report)
        return _("Đã mở sự cố {incident}.").format(incident=self.created)

    def success_url(self, report) -> str:
        created = getattr(self, "created", None)
        return created.get_absolute_url() if created else report.get_absolute_url()


class ReportAttachView(ObjectActionView):
    """ "Gộp vào sự cố đang xử lý"."""

    fields = REPORT
    action = access.CHANGE
    child_model = Incident
    child_action = access.VIEW

    def perform(self, report, form) -> str:
        try:
            incident_id = int(self.request.POST.get("incident", ""))
        except ValueError as exc:
            raise ValidationError(_("Chọn một sự cố đang xử lý.")) from exc
        incident = selectors.open_incidents(self.request.user).filter(pk=incident_id).first()
        if incident is None:
            raise ValidationError(_("Chọn một sự cố đang xử lý."))
        services.incident_attach_report(actor=self.request.user, report=report, incident=incident)
        self.target = incident
        return _("Đã gộp {report} vào sự cố {incident}.").format(report=report, incident=incident)

    def success_url(self, report) -> str:
        target = getattr(self, "target", None)
        return target.get_absolute_url() if target else report.get_absolute_url()


class LogEntryDetailView(ObjectDetailView):
    fields = INCIDENT_LOG_ENTRY
    parent_field = "incident"
    select_related = ("author", "corrects")

    def extra_context(self, entry) -> dict:
        corrections = access.restrict(IncidentLogEntry.objects.filter(corrects=entry), self.request.user)
        return {"corrections": list(corrections)}


class LogEntryAddView(ObjectEditView):
    """Append a line to the log (there is no edit page: the log is append-only)."""

    fields = INCIDENT_LOG_ENTRY
    form_class = LogEntryForm
    parent_field = "incident"

    def initial(self) -> dict:
        return {"occurred_at": _minute(timezone.now()), "corrects": self.request.GET.get("corrects")}

    def create(self, form):
        return services.log_entry_add(actor=self.request.user, entry=form.instance)

    def _object(self):
        if "pk" in self.kwargs:
            raise Http404
        return super()._object()


class LogEntryListView(ObjectListView):
    fields = INCIDENT_LOG_ENTRY
    select_related = ("incident",)
    bulk_delete = False


class CorrectiveActionEditView(ObjectEditView):
    fields = CORRECTIVE_ACTION
    form_class = CorrectiveActionForm
    parent_field = "incident"

    def create(self, form):
        return services.corrective_action_create(actor=self.request.user, action=form.instance)

    def update(self, form):
        changes = {
            name: getattr(form.instance, name) for name in form.changed_data if name in form.cleaned_data
        }
        return services.corrective_action_update(
            actor=self.request.user, action=form.instance, changes=changes
        )


class CorrectiveActionDetailView(ObjectDetailView):
    fields = CORRECTIVE_ACTION
    parent_field = "incident"
    select_related = ("agency",)

    def extra_context(self, action) -> dict:
        from pckb.plans.models import Task
        from pckb.plans.selectors import tasks_of_sources

        user = self.request.user
        return {
            "task": tasks_of_sources(user, [action]).get(action.pk),
            "can_assign_task": access.has_action(user, Task, access.ADD),
        }


class CorrectiveActionListView(ObjectListView):
    fields = CORRECTIVE_ACTION
    filterset_class = CorrectiveActionFilterSet
    select_related = ("agency", "incident")


class SituationReportAddView(ObjectEditView):
    """Write the next situation report of an incident (``?incident=<id>``); it is numbered on saving and
    never changed afterwards."""

    fields = SITUATION_REPORT
    parent_field = "incident"

    def create(self, form):
        return services.situation_report_create(actor=self.request.user, report=form.instance)


class SituationReportFileView(ObjectFileView):
    """A situation report as DOCX or PDF (audited download), with what the reader may see."""

    model = SituationReport
    action = access.EXPORT
    audited = True

    def make(self, report, kind="docx", **kwargs) -> Download | None:
        from pckb.response import sitrep

        data = selectors.sitrep_data(self.request.user, report)
        name = f"bao-cao-nhanh-so-{report.number}-su-co-{report.incident_id}"
        if kind == "pdf":
            return Download(sitrep.sitrep_pdf(data), "application/pdf", f"{name}.pdf")
        if kind == "docx":
            return Download(sitrep.sitrep_docx(data), DOCX, f"{name}.docx")
        return None
