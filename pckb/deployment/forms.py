"""Forms of the planner: a team type with what it may cover, and the planner's run form."""

from __future__ import annotations

import datetime as dt
import secrets

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pckb.core.forms import PckbModelForm
from pckb.deployment import choices as c
from pckb.deployment.fields import RUN_INPUT, TEAM_TYPE
from pckb.deployment.models import PlanningRun, TeamType
from pckb.protection.models import TargetCategory

PATROL_FIELDS = ("shift_start", "shift_minutes", "dwell_minutes", "max_targets", "speed_kmh", "detour")


class TeamTypeForm(PckbModelForm):
    """A team type; the patrol fields matter only for a mobile type (left empty: their defaults)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in PATROL_FIELDS:
            if name in self.fields:
                self.fields[name].required = False

    def clean(self):
        data = super().clean()
        for name in PATROL_FIELDS:
            if name in self.fields and data.get(name) in (None, ""):
                data[name] = TeamType._meta.get_field(name).get_default()
        return data

    class Meta:
        model = TeamType
        fields = TEAM_TYPE.fields
        localized_fields = ("speed_kmh", "detour")
        widgets = {
            "shift_start": forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
            "categories": forms.CheckboxSelectMultiple,
            "targets": forms.SelectMultiple(attrs={"size": 8}),
        }


class PlanningRunForm(PckbModelForm):
    team_types = forms.ModelMultipleChoiceField(
        queryset=TeamType.objects.select_related("committee"),
        label=_("Loại tổ, đội tham gia"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Chỉ chọn loại tổ, đội của Ban Chỉ đạo đã chọn."),
    )

    class Meta:
        model = PlanningRun
        fields = RUN_INPUT
        # Numbers typed the Vietnamese way (0,2); shown the same way.
        localized_fields = (
            "defender_weight",
            "covered_fraction",
            "attacker_weight",
            "attacker_penalty",
            "beta",
            "lam",
        )
        widgets = {"plan": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk is None:
            self.initial.setdefault("seed", secrets.randbelow(1_000_000))
            self.initial.setdefault("start_date", timezone.localdate() + dt.timedelta(days=1))


class AttackerTypeForm(forms.Form):
    """One attacker type of the planner (a row of the planner's attacker formset); a row left as it was
    shown is ignored."""

    name = forms.CharField(label=_("Tên loại đối tượng"), max_length=120)
    prior = forms.FloatField(
        label=_("Xác suất (prior)"),
        min_value=0,
        max_value=1,
        localize=True,
        help_text=_("Tổng các loại bằng 1 (0,6 = 60%)."),
    )
    criticality_weight = forms.FloatField(
        label=_("Hệ số tầm quan trọng"), min_value=0, max_value=10, initial=1, localize=True
    )
    symbolism_weight = forms.FloatField(
        label=_("Hệ số tính biểu tượng"), min_value=0, max_value=10, initial=1, localize=True
    )
    population_weight = forms.FloatField(
        label=_("Hệ số số người có mặt"), min_value=0, max_value=10, initial=1, localize=True
    )
    size_weight = forms.FloatField(
        label=_("Hệ số quy mô"), min_value=0, max_value=10, initial=1, localize=True
    )
    threat_weight = forms.FloatField(
        label=_("Hệ số mức đe dọa"), min_value=0, max_value=10, initial=1, localize=True
    )
    categories = forms.ModelMultipleChoiceField(
        queryset=TargetCategory.objects.order_by("sort_key", "id"),
        label=_("Loại mục tiêu ưa chọn"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_("Giữ Ctrl (hoặc chạm trên điện thoại) để chọn nhiều loại."),
    )
    category_factor = forms.FloatField(
        label=_("Hệ số với loại ưa chọn"),
        min_value=0.1,
        max_value=10,
        initial=c.DEFAULT_CATEGORY_FACTOR,
        localize=True,
    )


class BaseAttackerTypeFormSet(forms.BaseFormSet):
    def initial_form_count(self) -> int:
        # Every row is optional (a preset row too): a row the planner leaves as shown is skipped.
        return 0

    def cleaned_types(self) -> list[dict]:
        return [form.cleaned_data for form in self.forms if form.has_changed() and form.cleaned_data]


def attacker_formset(data=None, *, preset: bool = False):
    """The planner's attacker types: two empty rows, or with ``preset`` the documented example (an
    organised group valuing symbolic targets, a lone actor valuing crowded places) and one empty row."""
    initial = attacker_preset() if preset else []
    formset_class = forms.formset_factory(
        AttackerTypeForm,
        formset=BaseAttackerTypeFormSet,
        extra=len(initial) + (1 if initial else 2),
        max_num=c.MAX_ATTACKER_TYPES,
        absolute_max=c.MAX_ATTACKER_TYPES,
        validate_max=True,
    )
    return formset_class(data, initial=initial or None, prefix=ATTACKER_PREFIX)


ATTACKER_PREFIX = "doi-tuong"


def attacker_preset() -> list[dict]:
    codes = dict(TargetCategory.objects.values_list("code", "pk"))
    return [
        {
            "name": str(_("Nhóm có tổ chức")),
            "prior": 0.6,
            "criticality_weight": 2,
            "symbolism_weight": 3,
            "population_weight": 1,
            "size_weight": 1,
            "threat_weight": 1,
            "categories": [codes[k] for k in c.SYMBOLIC_CATEGORIES if k in codes],
            "category_factor": c.DEFAULT_CATEGORY_FACTOR,
        },
        {
            "name": str(_("Đối tượng đơn lẻ")),
            "prior": 0.4,
            "criticality_weight": 1,
            "symbolism_weight": 1,
            "population_weight": 3,
            "size_weight": 1,
            "threat_weight": 1,
            "categories": [codes[k] for k in c.CROWDED_CATEGORIES if k in codes],
            "category_factor": c.DEFAULT_CATEGORY_FACTOR,
        },
    ]
