"""Forms of the response module (choices restricted to the user by ``PckbModelForm``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pckb.core.forms import PckbForm, PckbModelForm
from pckb.response.choices import EmergencyMeasure
from pckb.response.fields import (
    CORRECTIVE_ACTION,
    INCIDENT,
    INCIDENT_LOG_ENTRY,
    PLAN_STEP,
    REPORT,
    REPORT_FORWARDING,
    SCENARIO_PLAN,
)
from pckb.response.models import (
    CorrectiveAction,
    Incident,
    IncidentLogEntry,
    PlanStep,
    Report,
    ReportForwarding,
    ScenarioPlan,
    measure_codes,
)

DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"]


class DateTimeFields:
    """Model date-time fields typed as dd/mm/yyyy hh:mm."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateTimeField):
                field.input_formats = DATETIME_FORMATS
                field.widget = forms.DateTimeInput(
                    format="%d/%m/%Y %H:%M", attrs={**field.widget.attrs, "placeholder": "dd/mm/yyyy hh:mm"}
                )
                field.help_text = field.help_text or _("Ngày và giờ, ví dụ 11/06/2026 08:00.")


class ReportForm(DateTimeFields, PckbModelForm):
    """The report, plus the reporter's contact: written here, encrypted by the service, never shown back."""

    reporter_contact = forms.CharField(
        label=_("Thông tin liên hệ của người báo tin"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_(
            "Được mã hóa khi lưu; chỉ cán bộ tiếp nhận và lãnh đạo xem được. Để trống nếu giấu tên "
            "hoặc khi sửa mà giữ nguyên."
        ),
    )

    field_order = (*REPORT.fields[: REPORT.fields.index("anonymous") + 1], "reporter_contact")

    class Meta:
        model = Report
        fields = REPORT.fields


class ScenarioPlanForm(PckbModelForm):
    class Meta:
        model = ScenarioPlan
        fields = SCENARIO_PLAN.fields
        widgets = {"target_categories": forms.CheckboxSelectMultiple}


class PlanStepForm(PckbModelForm):
    class Meta:
        model = PlanStep
        fields = PLAN_STEP.fields


class ForwardingForm(DateTimeFields, PckbModelForm):
    class Meta:
        model = ReportForwarding
        fields = REPORT_FORWARDING.fields


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do đóng (không có cơ sở)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class IncidentForm(DateTimeFields, PckbModelForm):
    """The incident; the emergency measures are ticked from the points of Điều 30 khoản 2."""

    measures = forms.MultipleChoiceField(
        label=_("Biện pháp khẩn cấp đã áp dụng (Điều 30 khoản 2)"),
        choices=EmergencyMeasure.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["measures"] = measure_codes(self.instance.measures)

    def clean_measures(self) -> str:
        return ",".join(measure_codes(",".join(self.cleaned_data.get("measures") or [])))

    class Meta:
        model = Incident
        fields = INCIDENT.fields


class LogEntryForm(DateTimeFields, PckbModelForm):
    class Meta:
        model = IncidentLogEntry
        fields = INCIDENT_LOG_ENTRY.fields
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        incident = self.initial.get("incident") or self.data.get("incident")
        if "corrects" in self.fields:
            qs = self.fields["corrects"].queryset
            try:
                self.fields["corrects"].queryset = (
                    qs.filter(incident_id=int(incident)) if incident else qs.none()
                )
            except (TypeError, ValueError):
                self.fields["corrects"].queryset = qs.none()
            self.fields["corrects"].required = False


class CorrectiveActionForm(PckbModelForm):
    class Meta:
        model = CorrectiveAction
        fields = CORRECTIVE_ACTION.fields


class ActivateForm(PckbForm):
    plan = forms.ModelChoiceField(label=_("Phương án đã phê duyệt"), queryset=ScenarioPlan.objects.none())

    def __init__(self, *args, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plans is not None:
            self.fields["plan"].queryset = plans


class AttachForm(PckbForm):
    incident = forms.ModelChoiceField(label=_("Sự cố đang xử lý"), queryset=Incident.objects.none())

    def __init__(self, *args, incidents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if incidents is not None:
            self.fields["incident"].queryset = incidents


class IncidentCloseForm(PckbForm):
    summary = forms.CharField(
        label=_("Tóm tắt kết quả xử lý"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReviewForm(PckbForm):
    text = forms.CharField(
        label=_("Đánh giá sau sự cố"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Điều đã làm tốt, điều cần rút kinh nghiệm; việc khắc phục ghi ở bảng bên dưới."),
    )
