"""Pages of the protection register: targets, their risk assessments, the overdue-review list; protected
events and delegations with their tasks, itinerary and daily status lines, and their iCalendar feed."""

from __future__ import annotations

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from pckb.core import access
from pckb.core.forms import PckbForm
from pckb.core.import_views import ObjectImportView
from pckb.core.views import (
    ModelPageView,
    ObjectActionView,
    ObjectChildView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
)
from pckb.directory.models import Agency
from pckb.protection import imports, selectors, services
from pckb.protection.choices import TaskStatus
from pckb.protection.fields import (
    EVENT_STATUS,
    EVENT_STOP,
    EVENT_TASK,
    PROTECTED_EVENT,
    RISK_ASSESSMENT,
    TARGET,
    latest_level_label,
)
from pckb.protection.filtersets import ProtectedEventFilterSet, RiskAssessmentFilterSet, TargetFilterSet
from pckb.protection.forms import (
    EventStatusForm,
    EventStopForm,
    EventTaskForm,
    EventTaskProgressForm,
    ProtectedEventForm,
    RiskAssessmentForm,
    TargetForm,
)
from pckb.protection.models import EventStatus, EventStop, EventTask, ProtectedEvent, RiskAssessment, Target


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
