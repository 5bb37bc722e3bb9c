"""Pages of the plans module: plans, their items, tasks with progress, and the overdue list."""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from pckb.core import access
from pckb.core.views import (
    Download,
    ModelPageView,
    ObjectActionView,
    ObjectDetailView,
    ObjectEditView,
    ObjectFileView,
    ObjectListView,
)
from pckb.plans import selectors, services
from pckb.plans.choices import TaskStatus
from pckb.plans.fields import PLAN, PLAN_ITEM, PROGRESS_UPDATE, TASK
from pckb.plans.filtersets import PlanFilterSet, TaskFilterSet
from pckb.plans.forms import PlanItemForm, TaskForm
from pckb.plans.models import PlanItem, ProgressUpdate, Task


class PlanListView(ObjectListView):
    fields = PLAN
    filterset_class = PlanFilterSet


class PlanDetailView(ObjectDetailView):
    fields = PLAN
    select_related = ("committee",)

    def extra_context(self, plan) -> dict:
        user = self.request.user
        items = selectors.plan_items(user, plan)
        return {
            "items": items,
            # A higher plan: how far the lower committees that implement each item are.
            "implemented": any(item.implemented_in for item in items),
            # A lower plan: the higher items its items carry out (no empty column on a national plan).
            "implements_higher": any(item.implements_id for item in items),
            "can_add_item": access.has_action(user, PlanItem, access.ADD)
            and access.can(user, access.CHANGE, plan),
        }


class PlanItemDetailView(ObjectDetailView):
    fields = PLAN_ITEM
    parent_field = "plan"
    select_related = ("plan__committee", "implements__plan__committee")

    def extra_context(self, item) -> dict:
        user = self.request.user
        access.withhold_related(user, [item])
        selectors.name_higher_items(user, [item])
        return {
            "implements": access.related(item, "implements"),
            "tasks": selectors.item_tasks(user, item),
            "implementations": selectors.implementations(user, item),
            "can_add_task": access.has_action(user, Task, access.ADD)
            and access.can(user, access.CHANGE, item),
        }


class PlanItemEditView(ObjectEditView):
    fields = PLAN_ITEM
    form_class = PlanItemForm
    parent_field = "plan"


class TaskListView(ObjectListView):
    fields = TASK
    filterset_class = TaskFilterSet
    extra_links = ((gettext_lazy("Nhiệm vụ quá hạn"), "plans:task_overdue"),)

    def bulk_update(self, obj, changes):
        return services.task_update(actor=self.request.user, task=obj, changes=changes)


class TaskDetailView(ObjectDetailView):
    fields = TASK
    parent_field = "item"
    select_related = ("item__plan__committee", "lead_agency", "committee")

    def extra_context(self, task) -> dict:
        user = self.request.user
        source = task.source if task.source_type_id else None
        return {
            # The source (a meeting's conclusion…) is linked only for a reader who may open it.
            "source_url": source.get_absolute_url()
            if source is not None and access.can(user, access.VIEW, source)
            else None,
            "supporting": access.restrict(task.supporting_agencies.all(), user),
            "updates": selectors.task_updates(user, task),
            # The page opened, so the task is the user's to see (a focal point: its own agency's).
            "can_report": task.status != TaskStatus.DONE
            and access.has_action(user, ProgressUpdate, access.ADD),
            "can_confirm": task.status == TaskStatus.AWAITING and access.can(user, access.CHANGE, task),
        }


class TaskEditView(ObjectEditView):
    fields = TASK
    form_class = TaskForm
    parent_field = "item"

    def create(self, form):
        return services.task_create(
            actor=self.request.user, task=form.instance, supporting=form.cleaned_data["supporting_agencies"]
        )

    def update(self, form):
        changes = {
            name: getattr(form.instance, name)
            for name in form.changed_data
            if name in form.cleaned_data and name != "supporting_agencies"
        }
        return services.task_update(
            actor=self.request.user,
            task=form.instance,
            changes=changes,
            supporting=form.cleaned_data["supporting_agencies"],
        )


class TaskConfirmView(ObjectActionView):
    """The standing office confirms a task reported complete."""

    model = Task
    action = access.CHANGE

    def perform(self, task, form) -> str:
        services.task_confirm(actor=self.request.user, task=task)
        return _("Đã xác nhận hoàn thành nhiệm vụ “{title}”.").format(title=task.title)


class ProgressUpdateAddView(ObjectEditView):
    """Report progress on a task (from the task's page: ``?task=<id>``). Updates are only added."""

    fields = PROGRESS_UPDATE
    parent_field = "task"

    def initial(self) -> dict:
        return {"date": timezone.localdate()}

    def create(self, form):
        return services.progress_report(actor=self.request.user, update=form.instance)


class EvidenceDownloadView(ObjectFileView):
    """Evidence files are served only through the access layer (never as public media)."""

    model = ProgressUpdate

    def make(self, obj, **kwargs) -> Download | None:
        upload = obj.evidence
        return Download(upload, "", upload.name.rsplit("/", 1)[-1]) if upload else None


class OverdueTasksView(ModelPageView):
    """Open tasks whose deadline has passed (a focal point: its own agency's)."""

    model = Task
    template_name = "plans/overdue.html"
    title = gettext_lazy("Nhiệm vụ quá hạn")
    limit = 500

    def context(self) -> dict:
        today = timezone.localdate()
        tasks = list(selectors.overdue_tasks(self.request.user, today)[: self.limit + 1])
        truncated = len(tasks) > self.limit
        tasks = tasks[: self.limit]
        for task in tasks:
            task.days_overdue = (today - task.deadline).days
        user = self.request.user
        return {
            "tasks": tasks,
            "today": today,
            "truncated": truncated,
            "limit": self.limit,
            # One follow-up letter per committee and lead agency, for those who may export tasks.
            "letters": selectors.overdue_groups(user, tasks)
            if access.has_action(user, Task, access.EXPORT)
            else [],
        }


class FollowUpLetterView(ModelPageView):
    """Công văn đôn đốc (.docx) to one agency about its overdue tasks of one committee; audited."""

    model = Task
    action = access.EXPORT

    def get(self, request, *args, **kwargs):
        from django.http import Http404, HttpResponse

        from pckb.audit.services import audit_record
        from pckb.core.choices import AuditAction
        from pckb.directory.models import Agency, Committee
        from pckb.plans.letters import followup_letter_docx

        user = request.user
        if not access.has_action(user, Task, access.EXPORT):
            raise Http404
        committee = access.get_or_404(Committee, user, pk=kwargs["committee"])
        agency = access.get_or_404(Agency, user, pk=kwargs["agency"])
        letter = selectors.followup_letter(user, committee, agency, timezone.localdate())
        if letter is None:
            raise Http404
        audit_record(
            actor=user,
            action=AuditAction.EXPORT,
            obj=agency,
            object_repr=_("Công văn đôn đốc {n} nhiệm vụ quá hạn: {agency}").format(
                n=len(letter.tasks), agency=agency.name
            ),
        )
        response = HttpResponse(
            followup_letter_docx(letter),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        response["Content-Disposition"] = 'attachment; filename="cong-van-don-doc.docx"'
        return response


class OutcomeTaskView(LoginRequiredMixin, View):
    """POST: an outcome of another module (a model with ``task_outcome()``: an inspection finding, a
    corrective action after an incident) becomes a task. The source is read through the access layer and the
    user must be able to add tasks; otherwise 404."""

    http_method_names = ["post"]

    def post(self, request, app_label: str, model: str, pk: int):
        try:
            source_model = apps.get_model(app_label, model)
        except LookupError as exc:
            raise Http404 from exc
        if not hasattr(source_model, "task_outcome") or not access.has_action(request.user, Task, access.ADD):
            raise Http404
        source = access.get_or_404(source_model, request.user, access.VIEW, pk=pk)
        try:
            task = services.task_for_source(actor=request.user, source=source)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
            return HttpResponseRedirect(source.get_absolute_url())
        messages.success(request, _("Đã giao thành nhiệm vụ “{title}”.").format(title=task.title))
        return HttpResponseRedirect(task.get_absolute_url())
