"""Pages of the protection register: targets, their risk assessments, the overdue-review list; protected
events and delegations with their tasks, itinerary and daily status lines, and their iCalendar feed."""

from __future__ import annotations

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from pckb.core import access
from pckb.core.forms import PckbForm
from pckb.core.import_views import ObjectImportView
from pckb.core.views import (
    Download,
    ModelPageView,
    ObjectActionView,
    ObjectChildView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectFileView,
    ObjectListView,
)
from pckb.directory.models import Agency
from pckb.plans import selectors as plan_selectors
from pckb.plans.models import Task
from pckb.protection import documents, imports, selectors, services
from pckb.protection.choices import ActionStatus, TaskStatus
from pckb.protection.fields import (
    EVENT_STATUS,
    EVENT_STOP,
    EVENT_TASK,
    FINDING,
    INSPECTION,
    PLAN_FILE,
    PROTECTED_EVENT,
    PROTECTION_PLAN,
    RISK_ASSESSMENT,
    TARGET,
    latest_level_label,
)
from pckb.protection.filtersets import (
    InspectionFilterSet,
    ProtectedEventFilterSet,
    ProtectionPlanFilterSet,
    RiskAssessmentFilterSet,
    TargetFilterSet,
)
from pckb.protection.forms import (
    EventStatusForm,
    EventStopForm,
    EventTaskForm,
    EventTaskProgressForm,
    FindingForm,
    FindingProgressForm,
    InspectionForm,
    PlanFileForm,
    ProtectedEventForm,
    ProtectionPlanForm,
    RiskAssessmentForm,
    TargetForm,
)
from pckb.protection.models import (
    EventStatus,
    EventStop,
    EventTask,
    Finding,
    Inspection,
    PlanFile,
    ProtectedEvent,
    ProtectionPlan,
    RiskAssessment,
    Target,
)


class TargetListView(ObjectListView):
    fields = TARGET
    filterset_class = TargetFilterSet
    extra_links = ((_("Quá hạn đánh giá lại"), "protection:target_overdue"),)
    import_enabled = True
    export_columns = imports.TARGET_EXPORT  # every field the import takes back

    def base_queryset(self):
        return selectors.with_latest_assessment(super().base_queryset())

    def export_objects(self, qs):
        """Each target with its references; an agency the reader may not see is not named in the file."""
        visible = set(access.restrict(Agency.objects.all(), self.request.user).values_list("pk", flat=True))
        qs = qs.select_related("category", "unit", "managing_agency", "protecting_agency")
        for target in qs.iterator(chunk_size=2000):
            target._visible_agencies = visible
            yield target


class TargetImportView(ObjectImportView):
    """Targets from CSV or XLSX; old (pre-2025) communes converted to today's, each conversion listed."""

    model = Target
    help_text = _(
        "Địa bàn ghi bằng mã xã, phường hiện nay (ví dụ X31120), hoặc bằng tên xã, huyện, tỉnh cũ "
        "(trước 01/7/2025) ở ba cột “Xã cũ”, “Huyện cũ”, “Tỉnh cũ”: hệ thống tự chuyển sang xã, phường "
        "hiện nay theo bảng chuyển đổi năm 2025 và liệt kê từng chuyển đổi; xã cũ đã chia cho nhiều xã "
        "mới thì phải ghi mã xã mới (hệ thống nêu các xã có thể)."
    )
    notes_title = _("Địa bàn cũ đã chuyển sang xã, phường hiện nay")

    @property
    def columns(self):
        return imports.target_columns()

    def import_format(self):
        return imports.target_import_format()


class TargetDetailView(ObjectDetailView):
    fields = TARGET
    select_related = ("category", "unit")

    def extra_context(self, target) -> dict:
        user = self.request.user
        assessments = list(selectors.target_assessments(user, target))
        latest = assessments[0] if assessments else None
        today = timezone.localdate()
        return {
            "agencies": selectors.target_agencies(user, target),
            "assessments": assessments,
            "latest": latest,
            "overdue": latest is None or (latest.next_review is not None and latest.next_review < today),
            "can_assess": access.has_action(user, RiskAssessment, access.ADD),
            "plans": selectors.subject_plans(user, target=target),
            "can_add_plan": access.has_action(user, ProtectionPlan, access.ADD),
            "inspections": selectors.target_inspections(user, target),
            "can_add_inspection": access.has_action(user, Inspection, access.ADD),
        }


class TargetEditView(ObjectEditView):
    fields = TARGET
    form_class = TargetForm


class RiskAssessmentListView(ObjectListView):
    fields = RISK_ASSESSMENT
    filterset_class = RiskAssessmentFilterSet


class RiskAssessmentDetailView(ObjectDetailView):
    fields = RISK_ASSESSMENT
    parent_field = "target"
    select_related = ("target", "target__unit")


class RiskAssessmentAddView(ObjectEditView):
    """Add an assessment (from the target's page: ``?target=<id>``). There is no edit: a new assessment is a
    new row, so the history of a target's levels is kept."""

    fields = RISK_ASSESSMENT
    form_class = RiskAssessmentForm
    parent_field = "target"

    def initial(self) -> dict:
        today = timezone.localdate()
        return {"assessed_on": today, "approved_on": today}

    def create(self, form):
        return services.risk_assessment_record(actor=self.request.user, assessment=form.instance)


class OverdueReviewView(ModelPageView):
    """Targets whose risk assessment is due again (or was never made)."""

    model = Target
    template_name = "protection/overdue.html"
    title = _("Mục tiêu quá hạn đánh giá lại")
    limit = 500

    def context(self) -> dict:
        today = timezone.localdate()
        targets = list(selectors.targets_due_for_review(self.request.user, today=today)[: self.limit + 1])
        truncated = len(targets) > self.limit
        targets = targets[: self.limit]
        for target in targets:
            target.days_overdue = (today - target.review_due).days if target.review_due else None
            target.level_label = latest_level_label(target)
        return {"targets": targets, "today": today, "truncated": truncated, "limit": self.limit}


# --- Protected events and delegations ------------------------------------------------------------------
class ProtectedEventListView(ObjectListView):
    fields = PROTECTED_EVENT
    filterset_class = ProtectedEventFilterSet
    extra_links = ((_("Tải lịch (iCalendar)"), "protection:protectedevent_calendar"),)


class ProtectedEventDetailView(ObjectDetailView):
    fields = PROTECTED_EVENT
    select_related = ("unit", "lead_agency")

    def extra_context(self, event) -> dict:
        user = self.request.user
        now = timezone.now()
        return {
            **selectors.event_children(user, event),
            "can_add_task": access.has_action(user, EventTask, access.ADD),
            "can_delete_task": access.has_action(user, EventTask, access.DELETE),
            "can_add_stop": access.has_action(user, EventStop, access.ADD),
            "can_change_stop": access.has_action(user, EventStop, access.CHANGE),
            "can_report": access.has_action(user, EventStatus, access.ADD),
            "phase": "past" if event.end < now else ("now" if event.start <= now else "upcoming"),
            "done": TaskStatus.DONE,
            "plans": selectors.subject_plans(user, event=event),
            "can_add_plan": access.has_action(user, ProtectionPlan, access.ADD),
        }


class ProtectedEventEditView(ObjectEditView):
    fields = PROTECTED_EVENT
    form_class = ProtectedEventForm


class EventTaskEditView(ObjectEditView):
    """Add or change an agency's task. Who may add tasks edits the whole task; an agency focal point (who
    may only change its own agency's tasks) sees the progress fields only."""

    fields = EVENT_TASK
    form_class = EventTaskForm
    parent_field = "event"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.has_action(request.user, EventTask, access.ADD):
            self.form_class = EventTaskProgressForm
        return super().dispatch(request, *args, **kwargs)

    def list_url(self) -> str:
        return selectors_parent_url(self.request, ProtectedEvent) or super().list_url()


class EventTaskDeleteView(ObjectDeleteView):
    model = EventTask
    parent_field = "event"


class TaskDoneForm(PckbForm):
    note = forms.CharField(label=_("Ghi chú tiến độ"), max_length=500, required=False)


class EventTaskDoneView(ObjectActionView):
    """ "Đã hoàn thành": the agency (or the office) marks its task done, with an optional note."""

    model = EventTask
    action = access.CHANGE
    form_class = TaskDoneForm

    def perform(self, task, form) -> str:
        services.event_task_done(actor=self.request.user, task=task, note=form.cleaned_data["note"])
        return str(_("Đã ghi nhận hoàn thành nhiệm vụ."))

    def success_url(self, task) -> str:
        return task.get_absolute_url()


class EventStopEditView(ObjectEditView):
    fields = EVENT_STOP
    form_class = EventStopForm
    parent_field = "event"

    def initial(self) -> dict:
        """A new stop starts at the event's start (the itinerary's first line is usually the arrival)."""
        pk = self.request.GET.get("event")
        event = (
            access.restrict(ProtectedEvent.objects.all(), self.request.user).filter(pk=pk).first()
            if pk and str(pk).isdigit()
            else None
        )
        return {"time": event.start} if event else {}

    def list_url(self) -> str:
        return selectors_parent_url(self.request, ProtectedEvent) or super().list_url()


class EventStopDeleteView(ObjectDeleteView):
    model = EventStop
    parent_field = "event"


class EventStatusEditView(ObjectEditView):
    fields = EVENT_STATUS
    form_class = EventStatusForm
    parent_field = "event"

    def list_url(self) -> str:
        return selectors_parent_url(self.request, ProtectedEvent) or super().list_url()


class EventStatusDeleteView(ObjectDeleteView):
    model = EventStatus
    parent_field = "event"


class StatusReportForm(PckbForm):
    """Today's line of one agency (the agencies offered are those the user may report for)."""

    agency = forms.ModelChoiceField(label=_("Cơ quan báo cáo"), queryset=None)
    day = forms.DateField(label=_("Ngày"), input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    text = forms.CharField(
        label=_("Tình hình"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Lực lượng bố trí, tình hình an ninh, trật tự, kiến nghị."),
    )

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["day"].widget.format = "%d/%m/%Y"


class EventStatusReportView(ObjectChildView):
    """ "Báo cáo tình hình": the day's status line of one agency for an event. A focal point reports for its
    own agency; the line of a day already reported is replaced (one line per agency and day)."""

    model = ProtectedEvent
    child_model = EventStatus
    child_action = access.ADD
    form_class = StatusReportForm
    template_name = "protection/event_report.html"
    title = _("Báo cáo tình hình: {name}")

    def form_kwargs(self, parent) -> dict:
        return {"agencies": selectors.reporting_agencies(self.request.user, parent)}

    def initial(self, parent) -> dict:
        agencies = list(self.form_kwargs(parent)["agencies"][:2])
        # Today, or the nearest day of the event (a late report of a past event, an early one of the next).
        first, last = timezone.localdate(parent.start), timezone.localdate(parent.end)
        day = min(max(timezone.localdate(), first), last)
        return {"day": day.strftime("%d/%m/%Y"), "agency": agencies[0] if len(agencies) == 1 else None}

    def context(self, parent) -> dict:
        return {"statuses": selectors.event_statuses(self.request.user, parent)}

    def perform(self, event, form) -> str:
        line = services.event_status_report(
            actor=self.request.user,
            event=event,
            agency=form.cleaned_data["agency"],
            day=form.cleaned_data["day"],
            text=form.cleaned_data["text"],
        )
        return line.get_absolute_url()


class ProtectedEventCalendarView(LoginRequiredMixin, View):
    """The events not yet over in the user's scope and clearance as iCalendar (RFC 5545)."""

    def get(self, request):
        from pckb.protection.agenda import icalendar

        body = icalendar(selectors.upcoming_events(request.user), request)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="su-kien-bao-ve.ics"'
        return response


def selectors_parent_url(request, parent_model) -> str | None:
    """Cancel on a child's add form goes back to the event it was opened from (when the user may see it)."""
    pk = request.GET.get("event")
    if not pk or not str(pk).isdigit():
        return None
    event = access.restrict(parent_model.objects.all(), request.user).filter(pk=pk).first()
    return event.get_absolute_url() if event else None


# --- Protection plans -----------------------------------------------------------------------------------
class ProtectionPlanListView(ObjectListView):
    fields = PROTECTION_PLAN
    filterset_class = ProtectionPlanFilterSet
    select_related = ("target", "event")
    extra_links = ((_("Quá hạn rà soát"), "protection:protectionplan_overdue"),)


class ProtectionPlanDetailView(ObjectDetailView):
    fields = PROTECTION_PLAN
    select_related = ("target", "target__unit", "event", "event__unit", "unit", "previous")

    def extra_context(self, plan) -> dict:
        user = self.request.user
        can_change = access.can(user, access.CHANGE, plan)
        editable = plan.editable
        return {
            "files": selectors.plan_files(user, plan),
            "versions": selectors.plan_versions(user, plan),
            "can_approve": editable and services.can_approve(user),
            "can_new_version": (
                not editable
                and access.has_action(user, ProtectionPlan, access.ADD)
                and not ProtectionPlan.objects.filter(previous=plan).exists()
            ),
            "can_upload": can_change and access.has_action(user, PlanFile, access.ADD),
            "can_delete_file": editable and access.has_action(user, PlanFile, access.DELETE),
            "review_overdue": plan.review_overdue(),
            # An approved or superseded plan is changed through a new version, and kept (no edit, no delete).
            **({} if editable else {"edit_url": None, "delete_url": None}),
        }


class _DraftOnly:
    """The edit and delete pages exist for drafts only (an approved plan changes through a new version)."""

    def get_object(self, action: str = access.VIEW):
        obj = super().get_object(action)
        if not obj.editable:
            raise Http404
        return obj


class ProtectionPlanEditView(_DraftOnly, ObjectEditView):
    fields = PROTECTION_PLAN
    form_class = ProtectionPlanForm

    def initial(self) -> dict:
        """From a target's or event's page: ``?target=<id>`` / ``?event=<id>`` preselects it."""
        return {
            name: self.request.GET.get(name) for name in ("target", "event") if self.request.GET.get(name)
        }


class ProtectionPlanDeleteView(_DraftOnly, ObjectDeleteView):
    model = ProtectionPlan


class ProtectionPlanApproveView(ObjectActionView):
    """Approve a draft (committee leaders only; for anyone else the action does not exist: 404)."""

    model = ProtectionPlan
    action = access.VIEW

    def get_target(self):
        if not services.can_approve(self.request.user):
            raise Http404
        return super().get_target()

    def perform(self, plan, form) -> str:
        services.plan_approve(actor=self.request.user, plan=plan)
        return str(_("Đã phê duyệt {plan}.").format(plan=plan))


class ProtectionPlanNewVersionView(ObjectActionView):
    model = ProtectionPlan
    action = access.VIEW
    child_model = ProtectionPlan
    child_action = access.ADD

    def perform(self, plan, form) -> str:
        self.created = services.plan_new_version(actor=self.request.user, plan=plan)
        return str(_("Đã tạo {plan} (dự thảo).").format(plan=self.created))

    def success_url(self, plan) -> str:
        created = getattr(self, "created", None)
        return created.get_absolute_url() if created else plan.get_absolute_url()


class ProtectionPlanDocumentView(ObjectFileView):
    """The plan in the NĐ30 layout as DOCX or PDF; each download is audited."""

    model = ProtectionPlan
    audited = True
    select_related = ("target", "target__unit", "event", "event__unit")

    def make(self, plan, kind) -> Download | None:
        if kind == "docx":
            return Download(
                documents.plan_docx(self.request.user, plan),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                documents.filename(plan, "docx"),
            )
        if kind == "pdf":
            return Download(
                documents.plan_pdf(self.request.user, plan),
                "application/pdf",
                documents.filename(plan, "pdf"),
            )
        return None


class PlanReviewOverdueView(ModelPageView):
    """Approved plans whose review date has passed (quá hạn rà soát)."""

    model = ProtectionPlan
    template_name = "protection/plans_overdue.html"
    title = _("Phương án bảo vệ quá hạn rà soát")
    limit = 500

    def context(self) -> dict:
        today = timezone.localdate()
        plans = list(selectors.plans_due_for_review(self.request.user, today=today)[: self.limit + 1])
        truncated = len(plans) > self.limit
        plans = plans[: self.limit]
        for plan in plans:
            plan.days_overdue = (today - plan.review_date).days
        return {"plans": plans, "truncated": truncated, "limit": self.limit}


class PlanFileAddView(ObjectEditView):
    """Upload a file of a plan (from the plan's page: ``?plan=<id>``); a file with the title of an existing
    one becomes its next version."""

    fields = PLAN_FILE
    form_class = PlanFileForm
    parent_field = "plan"

    def create(self, form):
        plan = form.cleaned_data["plan"]
        if not access.can(self.request.user, access.CHANGE, plan):
            raise Http404
        return services.plan_file_upload(actor=self.request.user, upload=form.instance)

    def list_url(self) -> str:
        pk = self.request.GET.get("plan")
        plan = (
            access.restrict(ProtectionPlan.objects.all(), self.request.user).filter(pk=pk).first()
            if pk and str(pk).isdigit()
            else None
        )
        return plan.get_absolute_url() if plan else super().list_url()


class PlanFileDownloadView(ObjectFileView):
    """A plan's file, served only through the access layer (a Mật target's plan file never reaches a lower
    clearance); each download is audited."""

    model = PlanFile
    audited = True

    def make(self, obj, **kwargs) -> Download | None:
        return Download(obj.file, "", obj.filename) if obj.file else None


class PlanFileDeleteView(ObjectDeleteView):
    """Files of a draft only (an approved plan's files are part of its record)."""

    model = PlanFile
    parent_field = "plan"

    def get_object(self, action: str = access.VIEW):
        obj = super().get_object(action)
        if not obj.plan.editable:
            raise Http404
        return obj


# --- Inspections and findings ---------------------------------------------------------------------------
class InspectionListView(ObjectListView):
    fields = INSPECTION
    filterset_class = InspectionFilterSet
    extra_links = ((_("Khắc phục quá hạn"), "protection:finding_overdue"),)


class InspectionDetailView(ObjectDetailView):
    fields = INSPECTION
    select_related = ("target", "target__unit", "inspecting_agency")

    def extra_context(self, inspection) -> dict:
        user = self.request.user
        findings = selectors.inspection_findings(user, inspection)
        tasks = plan_selectors.tasks_of_sources(user, findings)
        for finding in findings:
            finding.task = tasks.get(finding.pk)
        return {
            "findings": findings,
            "can_assign_task": access.has_action(user, Task, access.ADD),
            "open_count": sum(f.is_open for f in findings),
            "can_add_finding": access.has_action(user, Finding, access.ADD),
            "closed": ActionStatus.CLOSED,
        }


class InspectionEditView(ObjectEditView):
    fields = INSPECTION
    form_class = InspectionForm

    def initial(self) -> dict:
        return {"target": self.request.GET.get("target"), "date": timezone.localdate()}


class FindingEditView(ObjectEditView):
    """Add or change a finding and its corrective action. The owner agency's focal point (who may only
    change its own agency's actions) sees the progress fields only."""

    fields = FINDING
    form_class = FindingForm
    parent_field = "inspection"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.has_action(request.user, Finding, access.ADD):
            self.form_class = FindingProgressForm
        return super().dispatch(request, *args, **kwargs)

    def list_url(self) -> str:
        pk = self.request.GET.get("inspection")
        found = (
            access.restrict(Inspection.objects.all(), self.request.user).filter(pk=pk).first()
            if pk and str(pk).isdigit()
            else None
        )
        return found.get_absolute_url() if found else super().list_url()


class FindingDeleteView(ObjectDeleteView):
    model = Finding
    parent_field = "inspection"


class FindingCloseForm(PckbForm):
    note = forms.CharField(
        label=_("Kết quả khắc phục"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class FindingCloseView(ObjectActionView):
    """ "Đã khắc phục": the owner agency (or the office) closes the action with its result, dated today."""

    model = Finding
    action = access.CHANGE
    form_class = FindingCloseForm

    def perform(self, finding, form) -> str:
        services.finding_close(actor=self.request.user, finding=finding, note=form.cleaned_data["note"])
        return str(_("Đã ghi nhận khắc phục xong."))

    def success_url(self, finding) -> str:
        return finding.get_absolute_url()


class FindingOverdueView(ModelPageView):
    """Corrective actions past their due date and not closed (Khắc phục quá hạn)."""

    model = Finding
    template_name = "protection/findings_overdue.html"
    title = _("Khắc phục quá hạn")
    limit = 500

    def context(self) -> dict:
        today = timezone.localdate()
        findings = list(selectors.overdue_findings(self.request.user, today=today)[: self.limit + 1])
        truncated = len(findings) > self.limit
        findings = findings[: self.limit]
        for f in findings:
            f.late_days = f.days_overdue(today)
        return {"findings": findings, "truncated": truncated, "limit": self.limit}
