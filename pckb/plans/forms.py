from django import forms
from django.utils.translation import gettext_lazy as _

from pckb.core.forms import PckbModelForm
from pckb.directory.models import Agency
from pckb.plans.fields import PLAN_ITEM, TASK
from pckb.plans.models import PlanItem, Task


class TaskForm(PckbModelForm):
    """The task's fields and its supporting agencies (chosen among the agencies the user may see)."""

    supporting_agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.all(),
        required=False,
        label=_("Cơ quan phối hợp"),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Task
        fields = TASK.fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["supporting_agencies"]
        field.queryset = Agency.objects.restrict(self.user).filter(merged_into__isnull=True)
        if self.instance.pk:
            self.initial["supporting_agencies"] = list(
                self.instance.supporting_agencies.values_list("pk", flat=True)
            )


class PlanItemForm(PckbModelForm):
    """An item of a plan; the higher item it implements is named with its plan (two plans of a year both
    have an item 1)."""

    class Meta:
        model = PlanItem
        fields = PLAN_ITEM.fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("implements")
        if field is not None:
            field.label_from_instance = lambda item: _("{plan} — {item}").format(plan=item.plan, item=item)
