"""Pages of the response module: scenario plans with phases and steps, report intake and forwarding."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from pckb.core import access
from pckb.core.views import ObjectActionView, ObjectDetailView, ObjectEditView
from pckb.response import selectors, services
from pckb.response.fields import PLAN_PHASE, PLAN_STEP, REPORT, REPORT_FORWARDING, SCENARIO_PLAN
from pckb.response.forms import CloseForm, ForwardingForm, PlanStepForm, ReportForm, ScenarioPlanForm
from pckb.response.models import PlanPhase, PlanStep, ReportForwarding, ScenarioPlan


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
    form_class = ScenarioPlanForm

    def update(self, form):
        saved = super().update(form)
        if "target_categories" in form.changed_data:
            saved.target_categories.set(form.cleaned_data["target_categories"])
        return saved

    def create(self, form):
        saved = super().create(form)
        saved.target_categories.set(form.cleaned_data.get("target_categories") or [])
        return saved


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
