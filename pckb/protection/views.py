"""Pages of the protection register: targets, their risk assessments, the overdue-review list."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pckb.core import access
from pckb.core.views import ModelPageView, ObjectDetailView, ObjectEditView, ObjectListView
from pckb.protection import selectors, services
from pckb.protection.fields import RISK_ASSESSMENT, TARGET, latest_level_label
from pckb.protection.filtersets import RiskAssessmentFilterSet, TargetFilterSet
from pckb.protection.forms import RiskAssessmentForm, TargetForm
from pckb.protection.models import RiskAssessment, Target


class TargetListView(ObjectListView):
    fields = TARGET
    filterset_class = TargetFilterSet
    extra_links = ((_("Quá hạn đánh giá lại"), "protection:target_overdue"),)

    def base_queryset(self):
        return selectors.with_latest_assessment(super().base_queryset())


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
