"""Forms of the protection register (choices restricted to the user by ``PckbModelForm``)."""

from django.db.models import Q
from django.utils import timezone

from pckb.core.forms import PckbModelForm
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
        today = timezone.localdate()
        for name in ("assessed_on", "approved_on"):
            self.fields[name].initial = today
