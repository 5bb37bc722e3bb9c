"""Forms of the planner: a team type with what it may cover, and the planner's run form."""

from __future__ import annotations

import datetime as dt
import secrets

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pckb.core.forms import PckbModelForm
from pckb.deployment.fields import RUN_INPUT, TEAM_TYPE
from pckb.deployment.models import PlanningRun, TeamType


class TeamTypeForm(PckbModelForm):
    class Meta:
        model = TeamType
        fields = (*TEAM_TYPE.fields, "categories", "targets")
        widgets = {
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk is None:
            self.initial.setdefault("seed", secrets.randbelow(1_000_000))
            self.initial.setdefault("start_date", timezone.localdate() + dt.timedelta(days=1))
