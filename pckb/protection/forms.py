"""Forms of the protection register (choices restricted to the user by ``PckbModelForm``)."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pckb.core.forms import PckbModelForm
from pckb.protection.choices import RISK_FACTORS
from pckb.protection.fields import RISK_ASSESSMENT, TARGET
from pckb.protection.models import RiskAssessment, Target


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
