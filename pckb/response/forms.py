"""Forms of the response module (choices restricted to the user by ``PckbModelForm``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pckb.core.forms import PckbModelForm
from pckb.response.fields import PLAN_STEP, REPORT, REPORT_FORWARDING, SCENARIO_PLAN
from pckb.response.models import PlanStep, Report, ReportForwarding, ScenarioPlan

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
        fields = (*SCENARIO_PLAN.fields[:3], "target_categories", *SCENARIO_PLAN.fields[3:])
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
