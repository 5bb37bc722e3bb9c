"""Forms of the protection register (choices restricted to the user by ``PckbModelForm``)."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pckb.accounts.choices import Role
from pckb.core.forms import PckbModelForm
from pckb.protection.choices import RISK_FACTORS
from pckb.protection.fields import (
    EVENT_STATUS,
    EVENT_STOP,
    EVENT_TASK,
    EVENT_TASK_PROGRESS,
    FINDING,
    FINDING_PROGRESS,
    INSPECTION,
    PLAN_FILE,
    PROTECTED_EVENT,
    PROTECTION_PLAN,
    RISK_ASSESSMENT,
    TARGET,
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

DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class DateTimeFormMixin:
    """Model date-time fields are typed as dd/mm/yyyy hh:mm (24-hour)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in list(self.fields.items()):
            if isinstance(field, forms.DateTimeField):
                self.fields[name] = forms.DateTimeField(
                    label=field.label,
                    required=field.required,
                    input_formats=DATETIME_FORMATS,
                    widget=forms.DateTimeInput(
                        format="%d/%m/%Y %H:%M",
                        attrs={
                            "placeholder": "dd/mm/yyyy hh:mm",
                            "aria-describedby": f"{name}-hint {name}-error",
                        },
                    ),
                    help_text=_("Ngày và giờ, ví dụ 15/03/2027 08:30."),
                )


class TargetForm(PckbModelForm):
    class Meta:
        model = Target
        fields = TARGET.fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("category")
        if field is not None:  # retired categories stay on old targets but are not offered for new ones
            current = self.instance.category_id
            field.queryset = field.queryset.filter(Q(active=True) | Q(pk=current))


class RiskAssessmentForm(PckbModelForm):
    class Meta:
        model = RiskAssessment
        fields = RISK_ASSESSMENT.fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each factor is a choice of 1–5 (the scale's ends are in the hint under the label).
        for name in RISK_FACTORS:
            field = self.fields[name]
            field.widget = forms.Select(
                choices=[("", _("— Chọn —")), *((n, str(n)) for n in range(1, 6))],
                attrs=field.widget.attrs,
            )


class ProtectedEventForm(DateTimeFormMixin, PckbModelForm):
    class Meta:
        model = ProtectedEvent
        fields = PROTECTED_EVENT.fields


def _own_agency_only(form, user) -> None:
    """An agency focal point reports for its own agency: the agency field offers only that one."""
    field = form.fields.get("agency")
    if field is not None and user is not None and user.role == Role.AGENCY_FOCAL:
        agency_id = user.person.agency_id if user.person_id else None
        field.queryset = field.queryset.filter(pk=agency_id)


class EventTaskForm(PckbModelForm):
    class Meta:
        model = EventTask
        fields = EVENT_TASK.fields


class EventTaskProgressForm(PckbModelForm):
    """What an agency focal point changes on its own agency's task: the progress and a note."""

    class Meta:
        model = EventTask
        fields = EVENT_TASK_PROGRESS


class EventStopForm(DateTimeFormMixin, PckbModelForm):
    class Meta:
        model = EventStop
        fields = EVENT_STOP.fields


class EventStatusForm(PckbModelForm):
    class Meta:
        model = EventStatus
        fields = EVENT_STATUS.fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _own_agency_only(self, self.user)


class ProtectionPlanForm(PckbModelForm):
    class Meta:
        model = ProtectionPlan
        fields = PROTECTION_PLAN.fields


class PlanFileForm(PckbModelForm):
    class Meta:
        model = PlanFile
        fields = PLAN_FILE.fields


class InspectionForm(PckbModelForm):
    class Meta:
        model = Inspection
        fields = INSPECTION.fields


class FindingForm(PckbModelForm):
    class Meta:
        model = Finding
        fields = FINDING.fields


class FindingProgressForm(PckbModelForm):
    """What the owner agency's focal point changes on its own agency's corrective action."""

    class Meta:
        model = Finding
        fields = FINDING_PROGRESS
